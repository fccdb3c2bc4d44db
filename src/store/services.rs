//! The service catalogue and its links. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::domain::{IndicatorId, InitiativeId, OrganisationId, ServiceId, UnitId};
use crate::services::spec::ServiceSpec;
use crate::services::{Channel, Service, TargetGroup};

/// (service id, linked id) pairs.
type Links = Vec<(i64, i64)>;

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    name: String,
    description: String,
    target_groups: String,
    legal_basis: String,
    owner_unit_id: Option<i64>,
    lead_time_days: Option<i64>,
    channels: String,
    maturity: i64,
    automation: String,
    personalisation: String,
    volume_indicator_id: Option<i64>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

macro_rules! service_select {
    () => {
        "SELECT id, name, description, target_groups, legal_basis, owner_unit_id, lead_time_days, channels, \
         maturity, automation, personalisation, volume_indicator_id, created_at, updated_at FROM services "
    };
}

fn codes<T>(text: &str, parse: fn(&str) -> Result<T, &'static str>) -> Result<Vec<T>> {
    stored_list::<String>(text)?
        .iter()
        .map(|code| decode(code, parse))
        .collect()
}

fn audited(spec: &ServiceSpec) -> serde_json::Value {
    serde_json::json!({
        "name": spec.name.as_str(), "description": spec.description,
        "target_groups": spec.target_groups.iter().map(|t| t.code()).collect::<Vec<_>>(),
        "legal_basis": spec.legal_basis, "owner_unit_id": spec.owner_unit_id,
        "lead_time_days": spec.lead_time_days,
        "channels": spec.channels.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "maturity": spec.maturity, "automation": spec.automation, "personalisation": spec.personalisation,
        "indicator_ids": spec.indicator_ids, "initiative_ids": spec.initiative_ids,
    })
}

fn audited_service(s: &Service) -> serde_json::Value {
    serde_json::json!({
        "name": s.name, "description": s.description,
        "target_groups": s.target_groups.iter().map(|t| t.code()).collect::<Vec<_>>(),
        "legal_basis": s.legal_basis, "owner_unit_id": s.owner_unit_id,
        "lead_time_days": s.lead_time_days,
        "channels": s.channels.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "maturity": s.maturity, "automation": s.automation, "personalisation": s.personalisation,
        "indicator_ids": s.indicator_ids, "initiative_ids": s.initiative_ids,
    })
}

impl Store {
    /// The organisation's services by name, with their links.
    pub async fn services(&self, organisation: OrganisationId) -> Result<Vec<Service>> {
        let (rows, indicators, initiatives): (Vec<ServiceRow>, Links, Links) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                service_select!(), "WHERE organisation_id = $1 ORDER BY name, id"
            ))
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let indicators = sqlx::query_as(
                "SELECT service_id, indicator_id FROM service_indicators WHERE organisation_id = $1 \
                 ORDER BY indicator_id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let initiatives = sqlx::query_as(
                "SELECT service_id, initiative_id FROM service_initiatives WHERE organisation_id = $1 \
                 ORDER BY initiative_id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            (rows, indicators, initiatives)
        });
        rows.into_iter()
            .map(|r| {
                Ok(Service {
                    id: ServiceId(r.id),
                    indicator_ids: indicators
                        .iter()
                        .filter(|(s, _)| *s == r.id)
                        .map(|(_, i)| IndicatorId(*i))
                        .collect(),
                    initiative_ids: initiatives
                        .iter()
                        .filter(|(s, _)| *s == r.id)
                        .map(|(_, i)| InitiativeId(*i))
                        .collect(),
                    name: r.name,
                    description: r.description,
                    target_groups: codes(&r.target_groups, TargetGroup::parse)?,
                    legal_basis: r.legal_basis,
                    owner_unit_id: r.owner_unit_id.map(UnitId),
                    lead_time_days: r.lead_time_days,
                    channels: codes(&r.channels, Channel::parse)?,
                    maturity: r.maturity,
                    automation: r.automation,
                    personalisation: r.personalisation,
                    volume_indicator_id: r.volume_indicator_id.map(IndicatorId),
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    pub async fn service(&self, organisation: OrganisationId, id: ServiceId) -> Result<Service> {
        self.services(organisation)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(crate::Error::NotFound)
    }

    /// Adds a service or changes one (`before`), its links replaced in the
    /// same transaction. A name in use is a conflict.
    pub async fn save_service(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Service>,
        spec: &ServiceSpec,
    ) -> Result<Service> {
        let ids = self
            .save_services(meta, organisation, &[(before, spec)])
            .await?;
        let id = ids.first().copied().ok_or(crate::Error::NotFound)?;
        self.service(organisation, ServiceId(id)).await
    }

    /// Adds or changes several services in one transaction (an import):
    /// all or nothing. Returns their ids in order.
    pub async fn save_services(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        items: &[(Option<&Service>, &ServiceSpec)],
    ) -> Result<Vec<i64>> {
        let mut texts = Vec::with_capacity(items.len());
        for (_, spec) in items {
            let groups: Vec<&str> = spec.target_groups.iter().map(|t| t.code()).collect();
            let channels: Vec<&str> = spec.channels.iter().map(|c| c.code()).collect();
            texts.push((list_text(&groups)?, list_text(&channels)?));
        }
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut ids = Vec::with_capacity(items.len());
            for ((before, spec), (groups, channels)) in items.iter().zip(&texts) {
                let id: i64 = match before {
                    None => sqlx::query_scalar(
                        "INSERT INTO services (organisation_id, name, description, target_groups, legal_basis, \
                         owner_unit_id, lead_time_days, channels, maturity, automation, personalisation, created_at, \
                         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(spec.name.as_str())
                    .bind(&spec.description)
                    .bind(groups)
                    .bind(&spec.legal_basis)
                    .bind(spec.owner_unit_id)
                    .bind(spec.lead_time_days)
                    .bind(channels)
                    .bind(spec.maturity)
                    .bind(&spec.automation)
                    .bind(&spec.personalisation)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                    Some(before) => sqlx::query_scalar(
                        "UPDATE services SET name = $3, description = $4, target_groups = $5, legal_basis = $6, \
                         owner_unit_id = $7, lead_time_days = $8, channels = $9, maturity = $10, automation = $11, \
                         personalisation = $12, updated_at = $13 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                    )
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.name.as_str())
                    .bind(&spec.description)
                    .bind(groups)
                    .bind(&spec.legal_basis)
                    .bind(spec.owner_unit_id)
                    .bind(spec.lead_time_days)
                    .bind(channels)
                    .bind(spec.maturity)
                    .bind(&spec.automation)
                    .bind(&spec.personalisation)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                };
                sqlx::query("DELETE FROM service_indicators WHERE organisation_id = $1 AND service_id = $2")
                    .bind(organisation)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for indicator in &spec.indicator_ids {
                    sqlx::query(
                        "INSERT INTO service_indicators (organisation_id, service_id, indicator_id) VALUES ($1, $2, $3)",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(indicator)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query("DELETE FROM service_initiatives WHERE organisation_id = $1 AND service_id = $2")
                    .bind(organisation)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for initiative in &spec.initiative_ids {
                    sqlx::query(
                        "INSERT INTO service_initiatives (organisation_id, service_id, initiative_id) VALUES ($1, $2, $3)",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(initiative)
                    .execute(&mut *tx)
                    .await?;
                }
                let change = match before {
                    None => Change::new("create", "service", id, None, Some(audited(spec))),
                    Some(before) => Change::new("update", "service", id, Some(audited_service(before)), Some(audited(spec))),
                };
                if !change.is_empty_update() {
                    write_audit!(&mut *tx, meta, &change)?;
                }
                ids.push(id);
            }
            tx.commit().await?;
            ids
        }))
    }

    /// Points a service at the indicator holding its volumes (once).
    pub async fn set_volume_indicator(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        service: ServiceId,
        indicator: IndicatorId,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let set = sqlx::query(
                "UPDATE services SET volume_indicator_id = $3 WHERE organisation_id = $1 AND id = $2 \
                 AND volume_indicator_id IS NULL",
            )
            .bind(organisation)
            .bind(service)
            .bind(indicator)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if set == 0 {
                return Err(crate::Error::conflict("volume_indicator_id", "volumes_tracked_already"));
            }
            let change = Change::new("track_volumes", "service", service, None,
                Some(serde_json::json!({ "volume_indicator_id": indicator })));
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The services linked to an indicator or an initiative (the other
    /// direction of the links), by name.
    pub async fn services_linked_to(
        &self,
        organisation: OrganisationId,
        indicator: Option<IndicatorId>,
        initiative: Option<InitiativeId>,
    ) -> Result<Vec<(ServiceId, String)>> {
        let rows: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.name FROM services s WHERE s.organisation_id = $1 AND ( \
               s.id IN (SELECT service_id FROM service_indicators WHERE organisation_id = $1 AND indicator_id = $2) \
               OR s.id IN (SELECT service_id FROM service_initiatives WHERE organisation_id = $1 AND initiative_id = $3) \
               OR s.volume_indicator_id = $2) ORDER BY s.name",
        )
        .bind(organisation)
        .bind(indicator)
        .bind(initiative)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, name)| (ServiceId(id), name))
            .collect())
    }
}
