//! Rules of the data-asset register: who keeps it, what an asset may link
//! to, and who forms the expertise point.

use super::spec::{data_asset_spec, expertise_spec};
use super::{DataAsset, DataAssetInput, ExpertiseMember, ExpertiseMemberInput};
use crate::auth::Actor;
use crate::domain::{DataAssetId, Permission, UserId, Validator};
use crate::http::AppState;
use crate::{Error, Result};

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<DataAsset>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().data_assets(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: DataAssetId) -> Result<DataAsset> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().data_asset(actor.organisation_id, id).await
}

/// Whether `user` is an active member of the actor's organisation.
pub(crate) async fn is_member(state: &AppState, actor: &Actor, user: UserId) -> Result<bool> {
    match state.store().member(actor.organisation_id, user).await {
        Ok(member) => Ok(member.active),
        Err(Error::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The steward must be a member; services, initiatives and indicators
/// this organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::DataAssetSpec,
    before: Option<&DataAsset>,
) -> Result<()> {
    let store = state.store();
    let organisation = actor.organisation_id;
    let mut v = Validator::new();
    if let Some(steward) = spec.steward_id
        && before.and_then(|b| b.steward_id) != Some(steward)
        && !is_member(state, actor, steward).await?
    {
        v.add("steward_id", "unknown_member");
    }
    if !spec.service_ids.is_empty() {
        let known = store.services(organisation).await?;
        for (i, id) in spec.service_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("service_ids[{i}]"), "unknown_service");
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
    if !spec.indicator_ids.is_empty() {
        let known = store.all_indicators(organisation).await?;
        for (i, id) in spec.indicator_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("indicator_ids[{i}]"), "unknown_indicator");
            }
        }
    }
    v.finish(Some(()))
}

pub async fn create(state: &AppState, actor: &Actor, input: &DataAssetInput) -> Result<DataAsset> {
    actor.require(Permission::ManageServices)?;
    let spec = data_asset_spec(input, None)?;
    check_references(state, actor, &spec, None).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_data_asset(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: DataAssetId,
    input: &DataAssetInput,
) -> Result<DataAsset> {
    actor.require(Permission::ManageServices)?;
    let before = state.store().data_asset(actor.organisation_id, id).await?;
    let spec = data_asset_spec(input, Some(&before))?;
    check_references(state, actor, &spec, Some(&before)).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_data_asset(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

pub async fn expertise(state: &AppState, actor: &Actor) -> Result<Vec<ExpertiseMember>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().expertise_members(actor.organisation_id).await
}

/// Puts a member on the expertise point (or changes their role and
/// competences); the competences come from the organisation's frameworks.
pub async fn set_expert(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    input: &ExpertiseMemberInput,
) -> Result<ExpertiseMember> {
    actor.require(Permission::ManageServices)?;
    if !is_member(state, actor, user).await? {
        return Err(Error::NotFound);
    }
    let spec = expertise_spec(input)?;
    if !spec.competence_ids.is_empty() {
        let known = state.store().competences(actor.organisation_id).await?;
        let mut v = Validator::new();
        for (i, id) in spec.competence_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("competence_ids[{i}]"), "unknown_competence");
            }
        }
        v.finish(Some(()))?;
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_expertise_member(&meta, actor.organisation_id, user, Some(&spec))
        .await?;
    expertise(state, actor)
        .await?
        .into_iter()
        .find(|m| m.user_id == user)
        .ok_or(Error::NotFound)
}

/// Takes a member off the expertise point (404 when they are not on it).
pub async fn remove_expert(state: &AppState, actor: &Actor, user: UserId) -> Result<()> {
    actor.require(Permission::ManageServices)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_expertise_member(&meta, actor.organisation_id, user, None)
        .await
}

/// The register as a spreadsheet in the reader's language: one row per
/// data asset with its steward, GDPR basis, quality, openness and what
/// uses it.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    format: crate::indicators::export::ExportFormat,
) -> Result<crate::indicators::export::ExportFile> {
    let t = crate::i18n::Tr::new(actor.locale);
    let assets = list(state, actor).await?;
    let store = state.store();
    let services = store.services(actor.organisation_id).await?;
    let initiatives = store.initiatives(actor.organisation_id).await?;
    let indicators = store.all_indicators(actor.organisation_id).await?;
    let mut members = std::collections::HashMap::new();
    for asset in &assets {
        if let Some(steward) = asset.steward_id
            && !members.contains_key(&steward)
        {
            let name = match store.member(actor.organisation_id, steward).await {
                Ok(member) => member.name,
                Err(Error::NotFound) => String::new(),
                Err(other) => return Err(other),
            };
            members.insert(steward, name);
        }
    }
    let headers: Vec<String> = [
        "field_name",
        "field_steward",
        "field_source_system",
        "field_personal_data",
        "field_legal_basis",
        "field_completeness",
        "field_timeliness",
        "field_openness",
        "field_update_frequency",
        "used_by",
        "field_description",
    ]
    .iter()
    .map(|k| t.get(&format!("data_assets.{k}")).to_owned())
    .collect();
    let yes_no = |b: bool| {
        t.get(if b {
            "data_assets.yes"
        } else {
            "data_assets.no"
        })
        .to_owned()
    };
    let rows = assets
        .iter()
        .map(|a| {
            let used: Vec<String> = a
                .service_ids
                .iter()
                .filter_map(|id| {
                    services
                        .iter()
                        .find(|s| s.id == *id)
                        .map(|s| s.name.clone())
                })
                .chain(a.initiative_ids.iter().filter_map(|id| {
                    initiatives
                        .iter()
                        .find(|i| i.id == *id)
                        .map(|i| i.title.clone())
                }))
                .chain(a.indicator_ids.iter().filter_map(|id| {
                    indicators
                        .iter()
                        .find(|i| i.id == *id)
                        .map(|i| i.code.clone())
                }))
                .collect();
            vec![
                a.name.clone(),
                a.steward_id
                    .and_then(|s| members.get(&s).cloned())
                    .unwrap_or_default(),
                a.source_system.clone(),
                yes_no(a.personal_data),
                a.legal_basis
                    .map(|b| t.get(b.label_key()).to_owned())
                    .unwrap_or_default(),
                a.completeness.to_string(),
                a.timeliness.to_string(),
                t.get(a.openness.label_key()).to_owned(),
                t.get(a.update_frequency.label_key()).to_owned(),
                used.join("; "),
                a.description.clone(),
            ]
        })
        .collect::<Vec<_>>();
    crate::spreadsheet::write::table_file(
        "data-assets",
        t.get("data_assets.title"),
        &headers,
        &rows,
        format,
        actor.locale,
    )
}

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RegisterImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// Imports the register from a CSV or XLSX file (see `transfer`): all or
/// nothing, or only checked with `dry_run`.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<RegisterImportReport> {
    actor.require(Permission::ManageServices)?;
    let organisation = actor.organisation_id;
    let table = crate::spreadsheet::read(bytes, super::transfer::MAX_ROWS)?;
    let store = state.store();
    let members = crate::data_assets::service::member_keys(state, organisation).await?;
    let assets = store.data_assets(organisation).await?;
    let planned = super::transfer::plan(&table, &assets, &members)?;
    let changed: Vec<&super::transfer::Planned> = planned
        .iter()
        .filter(|p| {
            p.before.as_ref().is_none_or(|b| {
                super::spec::data_asset_spec(&DataAssetInput::default(), Some(b))
                    .map_or(true, |kept| kept != p.spec)
            })
        })
        .collect();
    let created = changed.iter().filter(|p| p.before.is_none()).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if !dry_run && !changed.is_empty() {
        let meta = actor.audit(state.clock().now());
        let items: Vec<(Option<&DataAsset>, &super::spec::DataAssetSpec)> = changed
            .iter()
            .map(|p| (p.before.as_ref(), &p.spec))
            .collect();
        store.save_data_assets(&meta, organisation, &items).await?;
    }
    Ok(RegisterImportReport {
        dry_run,
        rows: count(table.rows.len()),
        created: count(created),
        updated: count(changed.len() - created),
        unchanged: count(planned.len() - changed.len()),
    })
}

/// Members by lower-cased e-mail address and, where no one else has it,
/// by name (exports name people; imports read either).
pub(crate) async fn member_keys(
    state: &AppState,
    organisation: crate::domain::OrganisationId,
) -> Result<std::collections::HashMap<String, UserId>> {
    let mut keys = std::collections::HashMap::new();
    let mut names: std::collections::HashMap<String, Option<UserId>> =
        std::collections::HashMap::new();
    for number in 1.. {
        let request = crate::pagination::PageRequest::new(number, 100)?;
        let found = state
            .store()
            .list_members(organisation, "", request)
            .await?;
        for member in &found.items {
            keys.insert(member.email.to_lowercase(), member.id);
            names
                .entry(member.name.to_lowercase())
                .and_modify(|seen| *seen = None)
                .or_insert(Some(member.id));
        }
        if !found.has_next() {
            break;
        }
    }
    for (name, user) in names {
        if let Some(user) = user {
            keys.entry(name).or_insert(user);
        }
    }
    Ok(keys)
}

/// The data assets an indicator or initiative relies on: the other side
/// of an asset's links, by name.
pub async fn linked_to(
    state: &AppState,
    actor: &Actor,
    indicator: Option<crate::domain::IndicatorId>,
    initiative: Option<crate::domain::InitiativeId>,
) -> Result<Vec<(DataAssetId, String)>> {
    Ok(list(state, actor)
        .await?
        .into_iter()
        .filter(|a| {
            indicator.is_some_and(|i| a.indicator_ids.contains(&i))
                || initiative.is_some_and(|i| a.initiative_ids.contains(&i))
        })
        .map(|a| (a.id, a.name))
        .collect())
}
