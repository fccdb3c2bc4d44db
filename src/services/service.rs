//! Rules of the service catalogue: who keeps it, what a service may link
//! to, and how its channel volumes are tracked.

use std::collections::BTreeMap;

use serde::Serialize;

use super::spec::service_spec;
use super::views::{self, ChannelQuarter, LevelCount, OfflineVolume, Volume};
use super::{CHANNEL_DIMENSION, Channel, Service, ServiceInput, TargetGroup};
use crate::auth::Actor;
use crate::domain::{
    Aggregation, Direction, Frequency, IndicatorCode, IndicatorId, InitiativeId, Name, Period,
    Permission, Perspective, ServiceId, Validator, ValueUnit,
};
use crate::http::AppState;
use crate::indicators::{Dimension, Indicator, IndicatorSpec};
use crate::{Error, Result};

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Service>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().services(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: ServiceId) -> Result<Service> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().service(actor.organisation_id, id).await
}

/// Units, indicators and initiatives must be this organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::ServiceSpec,
) -> Result<()> {
    let store = state.store();
    let organisation = actor.organisation_id;
    let mut v = Validator::new();
    if let Some(unit) = spec.owner_unit_id
        && !store
            .list_units(organisation)
            .await?
            .iter()
            .any(|u| u.id == unit)
    {
        v.add("owner_unit_id", "unknown_unit");
    }
    if !spec.indicator_ids.is_empty() {
        let known = store.all_indicators(organisation).await?;
        for (i, id) in spec.indicator_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("indicator_ids[{i}]"), "unknown_indicator");
            }
        }
    }
    if !spec.initiative_ids.is_empty() {
        let known = store.initiatives(organisation).await?;
        for (i, id) in spec.initiative_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("initiative_ids[{i}]"), "unknown_initiative");
            }
        }
    }
    v.finish(Some(()))
}

pub async fn create(state: &AppState, actor: &Actor, input: &ServiceInput) -> Result<Service> {
    actor.require(Permission::ManageServices)?;
    let spec = service_spec(input, None)?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_service(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: ServiceId,
    input: &ServiceInput,
) -> Result<Service> {
    actor.require(Permission::ManageServices)?;
    let before = state.store().service(actor.organisation_id, id).await?;
    let spec = service_spec(input, Some(&before))?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_service(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// Starts tracking a service's volumes: a monthly count indicator with a
/// `kanaal` breakdown (every channel, so that a channel added later fits),
/// linked to the service. Its values are then recorded, imported and shown
/// like those of any indicator.
pub async fn track_volumes(state: &AppState, actor: &Actor, id: ServiceId) -> Result<Indicator> {
    actor.require(Permission::ManageServices)?;
    let service = state.store().service(actor.organisation_id, id).await?;
    let meta = actor.audit(state.clock().now());
    start_volumes(state, &meta, &service).await
}

/// The work of `track_volumes`, for callers that checked the rights (the
/// demo loader).
pub async fn start_volumes(
    state: &AppState,
    meta: &crate::store::AuditMeta,
    service: &Service,
) -> Result<Indicator> {
    let organisation = meta
        .organisation_id
        .ok_or_else(|| Error::Unexpected("volumes outside an organisation".into()))?;
    if service.volume_indicator_id.is_some() {
        return Err(Error::conflict(
            "volume_indicator_id",
            "volumes_tracked_already",
        ));
    }
    let spec = volume_indicator(service)?;
    let store = state.store();
    if store
        .all_indicators(organisation)
        .await?
        .iter()
        .any(|i| i.code == spec.code.as_str())
    {
        return Err(Error::conflict("code", "taken"));
    }
    let indicator = store.create_indicator(meta, organisation, &spec).await?;
    store
        .set_volume_indicator(meta, organisation, service.id, indicator.id)
        .await?;
    Ok(indicator)
}

/// The definition of a service's volume indicator, named in Dutch (the
/// language of the organisation's own data).
fn volume_indicator(service: &Service) -> Result<IndicatorSpec> {
    let t = crate::i18n::Tr::new(crate::domain::Locale::Nl);
    let unexpected = |what: &str| Error::Unexpected(format!("volume indicator {what}"));
    let name: String = t
        .fill(
            "services.volume_name",
            &[("service", service.name.as_str())],
        )
        .chars()
        .take(200)
        .collect();
    let perspective = match service.target_groups.first() {
        Some(TargetGroup::Businesses) => Perspective::Business,
        Some(TargetGroup::Institutions) => Perspective::Organisation,
        _ => Perspective::Resident,
    };
    Ok(IndicatorSpec {
        code: IndicatorCode::parse(&format!("VOLUME_{}", service.id))
            .map_err(|_| unexpected("code"))?,
        name: Name::parse(&name).map_err(|_| unexpected("name"))?,
        description: t.fill(
            "services.volume_description",
            &[("service", service.name.as_str())],
        ),
        perspective,
        unit: ValueUnit::Count,
        min_value: None,
        max_value: None,
        direction: Direction::HigherIsBetter,
        range: None,
        frequency: Frequency::Month,
        aggregation: Aggregation::Sum,
        baseline: None,
        owner: None,
        responsible_unit: service.owner_unit_id,
        data_source: t.get("services.volume_source").to_owned(),
        published: false,
        dimensions: vec![Dimension {
            name: CHANNEL_DIMENSION.to_owned(),
            values: Channel::ALL
                .iter()
                .map(|c| c.dimension_value().to_owned())
                .collect(),
        }],
        formula: None,
        expected_version: None,
    })
}

/// Every channel volume of every service that tracks them, per quarter.
async fn volumes(state: &AppState, actor: &Actor, services: &[Service]) -> Result<Vec<Volume>> {
    let store = state.store();
    let indicators = store.all_indicators(actor.organisation_id).await?;
    let mut out = Vec::new();
    for service in services {
        let Some(indicator) = service
            .volume_indicator_id
            .and_then(|id| indicators.iter().find(|i| i.id == id))
        else {
            continue;
        };
        for m in store
            .all_measurements(actor.organisation_id, indicator)
            .await?
        {
            let Some(channel) = m
                .dimensions
                .get(CHANNEL_DIMENSION)
                .and_then(|v| Channel::from_dimension_value(v))
            else {
                continue;
            };
            let Ok(period) = Period::parse(indicator.frequency, &m.period) else {
                continue;
            };
            out.push(Volume {
                service: service.id,
                quarter: Period::from_day_number(Frequency::Quarter, period.day_number()).label(),
                channel,
                value: m.value,
            });
        }
    }
    Ok(out)
}

/// The catalogue at a glance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogueOverview {
    pub services: i64,
    pub distribution: Vec<LevelCount>,
    /// Services per target group code.
    pub per_target_group: BTreeMap<String, i64>,
    pub channel_shift: Vec<ChannelQuarter>,
    /// The quarters the offline ranking covers.
    pub offline_quarters: Vec<String>,
    pub largest_offline: Vec<OfflineVolume>,
}

pub async fn overview(state: &AppState, actor: &Actor) -> Result<CatalogueOverview> {
    let services = list(state, actor).await?;
    let volumes = volumes(state, actor, &services).await?;
    let (offline_quarters, largest_offline) = views::largest_offline(&services, &volumes, 4, 10);
    let mut per_target_group = BTreeMap::new();
    for group in TargetGroup::ALL {
        per_target_group.insert(
            group.code().to_owned(),
            i64::try_from(
                services
                    .iter()
                    .filter(|s| s.target_groups.contains(group))
                    .count(),
            )
            .unwrap_or(i64::MAX),
        );
    }
    Ok(CatalogueOverview {
        services: i64::try_from(services.len()).unwrap_or(i64::MAX),
        distribution: views::distribution(&services),
        per_target_group,
        channel_shift: views::channel_shift(&volumes),
        offline_quarters,
        largest_offline,
    })
}

/// The services that concern an indicator (linked, or holding its
/// volumes) or an initiative: the other side of the links.
pub async fn linked_to(
    state: &AppState,
    actor: &Actor,
    indicator: Option<IndicatorId>,
    initiative: Option<InitiativeId>,
) -> Result<Vec<(ServiceId, String)>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .services_linked_to(actor.organisation_id, indicator, initiative)
        .await
}

/// Imports the catalogue from a CSV or XLSX file (see `transfer`): all or
/// nothing, or only checked with `dry_run`.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<super::transfer::ServiceImportReport> {
    actor.require(Permission::ManageServices)?;
    let organisation = actor.organisation_id;
    let table = crate::spreadsheet::read(bytes, super::transfer::MAX_ROWS)?;
    let store = state.store();
    let mut units: std::collections::HashMap<String, Vec<crate::domain::UnitId>> =
        std::collections::HashMap::new();
    for unit in store.list_units(organisation).await? {
        units
            .entry(unit.name.to_lowercase())
            .or_default()
            .push(unit.id);
    }
    let services = store.services(organisation).await?;
    let planned = super::transfer::plan(&table, &services, &units)?;
    let changed: Vec<&super::transfer::Planned> =
        planned.iter().filter(|p| !p.unchanged()).collect();
    let created = changed.iter().filter(|p| p.before.is_none()).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if !dry_run && !changed.is_empty() {
        let meta = actor.audit(state.clock().now());
        let items: Vec<(Option<&Service>, &super::spec::ServiceSpec)> = changed
            .iter()
            .map(|p| (p.before.as_ref(), &p.spec))
            .collect();
        store.save_services(&meta, organisation, &items).await?;
    }
    Ok(super::transfer::ServiceImportReport {
        dry_run,
        rows: count(table.rows.len()),
        created: count(created),
        updated: count(changed.len() - created),
        unchanged: count(planned.len() - changed.len()),
    })
}

/// The catalogue as a spreadsheet in the reader's language.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    format: crate::indicators::export::ExportFormat,
) -> Result<crate::indicators::export::ExportFile> {
    let services = list(state, actor).await?;
    let units = state.store().list_units(actor.organisation_id).await?;
    super::transfer::export(
        &services,
        |s| {
            s.owner_unit_id
                .and_then(|u| units.iter().find(|x| x.id == u))
                .map(|u| u.name.clone())
                .unwrap_or_default()
        },
        format,
        crate::i18n::Tr::new(actor.locale),
    )
}
