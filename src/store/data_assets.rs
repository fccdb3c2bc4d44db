//! The data-asset register and the expertise point. Scoped by
//! organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::data_assets::spec::{DataAssetSpec, ExpertiseSpec};
use crate::data_assets::{DataAsset, ExpertiseMember, LegalBasis, Openness, UpdateFrequency};
use crate::domain::{
    CompetenceId, DataAssetId, IndicatorId, InitiativeId, OrganisationId, ServiceId, UserId,
};

#[derive(sqlx::FromRow)]
struct DataAssetRow {
    id: i64,
    name: String,
    description: String,
    steward_user_id: Option<i64>,
    source_system: String,
    personal_data: i64,
    legal_basis: Option<String>,
    completeness: i64,
    timeliness: i64,
    openness: String,
    update_frequency: String,
    service_ids: String,
    initiative_ids: String,
    indicator_ids: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<DataAssetRow> for DataAsset {
    type Error = crate::Error;

    fn try_from(r: DataAssetRow) -> Result<Self> {
        Ok(DataAsset {
            id: DataAssetId(r.id),
            name: r.name,
            description: r.description,
            steward_id: r.steward_user_id.map(UserId),
            source_system: r.source_system,
            personal_data: r.personal_data != 0,
            legal_basis: r
                .legal_basis
                .map(|b| decode(&b, LegalBasis::parse))
                .transpose()?,
            completeness: r.completeness,
            timeliness: r.timeliness,
            openness: decode(&r.openness, Openness::parse)?,
            update_frequency: decode(&r.update_frequency, UpdateFrequency::parse)?,
            service_ids: stored_list::<i64>(&r.service_ids)?
                .into_iter()
                .map(ServiceId)
                .collect(),
            initiative_ids: stored_list::<i64>(&r.initiative_ids)?
                .into_iter()
                .map(InitiativeId)
                .collect(),
            indicator_ids: stored_list::<i64>(&r.indicator_ids)?
                .into_iter()
                .map(IndicatorId)
                .collect(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

macro_rules! data_asset_select {
    () => {
        "SELECT id, name, description, steward_user_id, source_system, personal_data, legal_basis, completeness, \
         timeliness, openness, update_frequency, service_ids, initiative_ids, indicator_ids, created_at, updated_at \
         FROM data_assets "
    };
}

fn audited(spec: &DataAssetSpec) -> serde_json::Value {
    serde_json::json!({
        "name": spec.name.as_str(), "description": spec.description, "steward_user_id": spec.steward_id,
        "source_system": spec.source_system, "personal_data": spec.personal_data,
        "legal_basis": spec.legal_basis.map(LegalBasis::code), "completeness": spec.completeness,
        "timeliness": spec.timeliness, "openness": spec.openness.code(),
        "update_frequency": spec.update_frequency.code(), "service_ids": spec.service_ids,
        "initiative_ids": spec.initiative_ids, "indicator_ids": spec.indicator_ids,
    })
}

fn audited_asset(a: &DataAsset) -> serde_json::Value {
    serde_json::json!({
        "name": a.name, "description": a.description, "steward_user_id": a.steward_id,
        "source_system": a.source_system, "personal_data": a.personal_data,
        "legal_basis": a.legal_basis.map(LegalBasis::code), "completeness": a.completeness,
        "timeliness": a.timeliness, "openness": a.openness.code(),
        "update_frequency": a.update_frequency.code(), "service_ids": a.service_ids,
        "initiative_ids": a.initiative_ids, "indicator_ids": a.indicator_ids,
    })
}

impl Store {
    /// The organisation's data assets by name.
    pub async fn data_assets(&self, organisation: OrganisationId) -> Result<Vec<DataAsset>> {
        let rows: Vec<DataAssetRow> = on_pool!(self, p => sqlx::query_as(concat!(
            data_asset_select!(), "WHERE organisation_id = $1 ORDER BY name, id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(DataAsset::try_from).collect()
    }

    pub async fn data_asset(
        &self,
        organisation: OrganisationId,
        id: DataAssetId,
    ) -> Result<DataAsset> {
        let row: DataAssetRow = on_pool!(self, p => sqlx::query_as(concat!(
            data_asset_select!(), "WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// Adds a data asset or changes one (`before`); a name in use is a
    /// conflict.
    pub async fn save_data_asset(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&DataAsset>,
        spec: &DataAssetSpec,
    ) -> Result<DataAsset> {
        let ids = self
            .save_data_assets(meta, organisation, &[(before, spec)])
            .await?;
        let id = ids.first().copied().ok_or(crate::Error::NotFound)?;
        self.data_asset(organisation, DataAssetId(id)).await
    }

    /// Adds or changes several data assets in one transaction (an import).
    pub async fn save_data_assets(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        items: &[(Option<&DataAsset>, &DataAssetSpec)],
    ) -> Result<Vec<i64>> {
        let mut texts = Vec::with_capacity(items.len());
        for (_, spec) in items {
            texts.push((
                list_text(&spec.service_ids)?,
                list_text(&spec.initiative_ids)?,
                list_text(&spec.indicator_ids)?,
            ));
        }
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut ids = Vec::with_capacity(items.len());
            for ((before, spec), (services, initiatives, indicators)) in items.iter().zip(&texts) {
                let id: i64 = match before {
                    None => sqlx::query_scalar(
                        "INSERT INTO data_assets (organisation_id, name, description, steward_user_id, source_system, \
                         personal_data, legal_basis, completeness, timeliness, openness, update_frequency, service_ids, \
                         initiative_ids, indicator_ids, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(spec.name.as_str())
                    .bind(&spec.description)
                    .bind(spec.steward_id)
                    .bind(&spec.source_system)
                    .bind(i64::from(spec.personal_data))
                    .bind(spec.legal_basis.map(LegalBasis::code))
                    .bind(spec.completeness)
                    .bind(spec.timeliness)
                    .bind(spec.openness.code())
                    .bind(spec.update_frequency.code())
                    .bind(services)
                    .bind(initiatives)
                    .bind(indicators)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                    Some(before) => sqlx::query_scalar(
                        "UPDATE data_assets SET name = $3, description = $4, steward_user_id = $5, source_system = $6, \
                         personal_data = $7, legal_basis = $8, completeness = $9, timeliness = $10, openness = $11, \
                         update_frequency = $12, service_ids = $13, initiative_ids = $14, indicator_ids = $15, \
                         updated_at = $16 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                    )
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.name.as_str())
                    .bind(&spec.description)
                    .bind(spec.steward_id)
                    .bind(&spec.source_system)
                    .bind(i64::from(spec.personal_data))
                    .bind(spec.legal_basis.map(LegalBasis::code))
                    .bind(spec.completeness)
                    .bind(spec.timeliness)
                    .bind(spec.openness.code())
                    .bind(spec.update_frequency.code())
                    .bind(services)
                    .bind(initiatives)
                    .bind(indicators)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                };
                let change = match before {
                    None => Change::new("create", "data_asset", id, None, Some(audited(spec))),
                    Some(before) => Change::new("update", "data_asset", id, Some(audited_asset(before)), Some(audited(spec))),
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

    /// The knowledge and expertise point, by name.
    pub async fn expertise_members(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<ExpertiseMember>> {
        let rows: Vec<(i64, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT e.user_id, u.name, e.role, e.competence_ids FROM data_expertise_members e \
             JOIN users u ON u.id = e.user_id WHERE e.organisation_id = $1 ORDER BY u.name, e.user_id",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(user, name, role, competences)| {
                Ok(ExpertiseMember {
                    user_id: UserId(user),
                    name,
                    role,
                    competence_ids: stored_list::<i64>(&competences)?
                        .into_iter()
                        .map(CompetenceId)
                        .collect(),
                })
            })
            .collect()
    }

    /// Adds a member to the expertise point or changes what they bring
    /// (`Some`), or takes them off it (`None`).
    pub async fn set_expertise_member(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        user: UserId,
        spec: Option<&ExpertiseSpec>,
    ) -> Result<()> {
        let competences = match spec {
            Some(spec) => list_text(&spec.competence_ids)?,
            None => String::new(),
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let changed = match spec {
                Some(spec) => sqlx::query(
                    "INSERT INTO data_expertise_members (organisation_id, user_id, role, competence_ids) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (organisation_id, user_id) \
                     DO UPDATE SET role = excluded.role, competence_ids = excluded.competence_ids",
                )
                .bind(organisation)
                .bind(user)
                .bind(&spec.role)
                .bind(&competences)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                None => sqlx::query("DELETE FROM data_expertise_members WHERE organisation_id = $1 AND user_id = $2")
                    .bind(organisation)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
            };
            if changed == 0 {
                return Err(crate::Error::NotFound);
            }
            let change = Change::new(
                if spec.is_some() { "set_expertise" } else { "remove_expertise" },
                "user",
                user,
                None,
                spec.map(|s| serde_json::json!({ "role": s.role, "competence_ids": s.competence_ids })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
