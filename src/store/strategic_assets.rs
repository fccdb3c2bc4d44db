//! Strategic assets and the ambitions they matter for. Scoped by
//! organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, conflict_on_unique, decode, on_pool};
use crate::Result;
use crate::domain::{AmbitionId, OrganisationId, StrategicAssetId, UserId};
use crate::strategic_assets::spec::StrategicAssetSpec;
use crate::strategic_assets::{AmbitionLink, AssetKind, Criticality, StrategicAsset};

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: i64,
    name: String,
    kind: String,
    owner_user_id: Option<i64>,
    description: String,
    current_state: String,
    gap: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn audited(spec: &StrategicAssetSpec) -> serde_json::Value {
    serde_json::json!({
        "name": spec.name.as_str(), "kind": spec.kind.code(), "owner_user_id": spec.owner_id,
        "description": spec.description, "current_state": spec.current_state, "gap": spec.gap,
        "ambitions": spec.ambitions.iter().map(|a| (a.ambition_id, a.criticality.code())).collect::<Vec<_>>(),
    })
}

fn audited_asset(a: &StrategicAsset) -> serde_json::Value {
    serde_json::json!({
        "name": a.name, "kind": a.kind.code(), "owner_user_id": a.owner_id,
        "description": a.description, "current_state": a.current_state, "gap": a.gap,
        "ambitions": a.ambitions.iter().map(|l| (l.ambition_id, l.criticality.code())).collect::<Vec<_>>(),
    })
}

impl Store {
    /// The organisation's strategic assets by name, with their ambitions.
    pub async fn strategic_assets(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<StrategicAsset>> {
        let (rows, links): (Vec<AssetRow>, Vec<(i64, i64, String)>) = on_pool!(self, p => {
            let rows = sqlx::query_as(
                "SELECT id, name, kind, owner_user_id, description, current_state, gap, created_at, updated_at \
                 FROM strategic_assets WHERE organisation_id = $1 ORDER BY name, id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let links = sqlx::query_as(
                "SELECT asset_id, ambition_id, criticality FROM strategic_asset_ambitions \
                 WHERE organisation_id = $1 ORDER BY ambition_id",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            (rows, links)
        });
        rows.into_iter()
            .map(|r| {
                let ambitions = links
                    .iter()
                    .filter(|(asset, ..)| *asset == r.id)
                    .map(|(_, ambition, criticality)| {
                        Ok(AmbitionLink {
                            ambition_id: AmbitionId(*ambition),
                            criticality: decode(criticality, Criticality::parse)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(StrategicAsset {
                    id: StrategicAssetId(r.id),
                    name: r.name,
                    kind: decode(&r.kind, AssetKind::parse)?,
                    owner_id: r.owner_user_id.map(UserId),
                    description: r.description,
                    current_state: r.current_state,
                    gap: r.gap,
                    ambitions,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    pub async fn strategic_asset(
        &self,
        organisation: OrganisationId,
        id: StrategicAssetId,
    ) -> Result<StrategicAsset> {
        self.strategic_assets(organisation)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(crate::Error::NotFound)
    }

    /// Adds a strategic asset or changes one (`before`), its ambitions
    /// replaced in the same transaction; a name in use is a conflict.
    pub async fn save_strategic_asset(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&StrategicAsset>,
        spec: &StrategicAssetSpec,
    ) -> Result<StrategicAsset> {
        let ids = self
            .save_strategic_assets(meta, organisation, &[(before, spec)])
            .await?;
        let id = ids.first().copied().ok_or(crate::Error::NotFound)?;
        self.strategic_asset(organisation, StrategicAssetId(id))
            .await
    }

    /// Adds or changes several strategic assets in one transaction.
    pub async fn save_strategic_assets(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        items: &[(Option<&StrategicAsset>, &StrategicAssetSpec)],
    ) -> Result<Vec<i64>> {
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut ids = Vec::with_capacity(items.len());
            for (before, spec) in items {
                let id: i64 = match before {
                    None => sqlx::query_scalar(
                        "INSERT INTO strategic_assets (organisation_id, name, kind, owner_user_id, description, \
                         current_state, gap, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(spec.name.as_str())
                    .bind(spec.kind.code())
                    .bind(spec.owner_id)
                    .bind(&spec.description)
                    .bind(&spec.current_state)
                    .bind(&spec.gap)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                    Some(before) => sqlx::query_scalar(
                        "UPDATE strategic_assets SET name = $3, kind = $4, owner_user_id = $5, description = $6, \
                         current_state = $7, gap = $8, updated_at = $9 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                    )
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.name.as_str())
                    .bind(spec.kind.code())
                    .bind(spec.owner_id)
                    .bind(&spec.description)
                    .bind(&spec.current_state)
                    .bind(&spec.gap)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict_on_unique(e, "name", "taken"))?,
                };
                sqlx::query("DELETE FROM strategic_asset_ambitions WHERE organisation_id = $1 AND asset_id = $2")
                    .bind(organisation)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for link in &spec.ambitions {
                    sqlx::query(
                        "INSERT INTO strategic_asset_ambitions (organisation_id, asset_id, ambition_id, criticality) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(link.ambition_id)
                    .bind(link.criticality.code())
                    .execute(&mut *tx)
                    .await?;
                }
                let change = match before {
                    None => Change::new("create", "strategic_asset", id, None, Some(audited(spec))),
                    Some(before) => Change::new("update", "strategic_asset", id, Some(audited_asset(before)), Some(audited(spec))),
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
}
