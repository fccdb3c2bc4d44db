use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, on_pool};
use crate::Result;
use crate::domain::{Name, OrganisationId, UnitId};
use crate::units::Unit;

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    organisation_id: i64,
    parent_id: Option<i64>,
    name: String,
    archived_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<UnitRow> for Unit {
    fn from(row: UnitRow) -> Self {
        Unit {
            id: UnitId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            parent_id: row.parent_id.map(UnitId),
            name: row.name,
            archived_at: row.archived_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The stored state of a unit after an edit.
#[derive(Debug, Clone)]
pub struct UnitState {
    pub name: Name,
    pub parent_id: Option<UnitId>,
    pub archived: bool,
}

impl Store {
    /// Every unit of an organisation, archived ones included; the service
    /// builds the tree. Organisations have tens to hundreds of units.
    pub async fn list_units(&self, organisation: OrganisationId) -> Result<Vec<Unit>> {
        let rows: Vec<UnitRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, parent_id, name, archived_at, created_at, updated_at \
             FROM units WHERE organisation_id = $1 ORDER BY name, id",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Unit::from).collect())
    }

    pub async fn unit(&self, organisation: OrganisationId, id: UnitId) -> Result<Unit> {
        let row: UnitRow = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, parent_id, name, archived_at, created_at, updated_at \
             FROM units WHERE organisation_id = $1 AND id = $2",
        )
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok(row.into())
    }

    pub async fn create_unit(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        name: &Name,
        parent: Option<UnitId>,
    ) -> Result<Unit> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: UnitRow = sqlx::query_as(
                "INSERT INTO units (organisation_id, parent_id, name, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) \
                 RETURNING id, organisation_id, parent_id, name, archived_at, created_at, updated_at",
            )
            .bind(organisation)
            .bind(parent)
            .bind(name.as_str())
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let unit = Unit::from(row);
            write_audit!(&mut *tx, meta, &Change::created("unit", unit.id, &unit))?;
            tx.commit().await?;
            Ok(unit)
        })
    }

    pub async fn update_unit(
        &self,
        meta: &AuditMeta,
        before: &Unit,
        state: &UnitState,
    ) -> Result<Unit> {
        let archived_at = match (before.archived_at, state.archived) {
            (Some(at), true) => Some(at),
            (None, true) => Some(meta.at),
            (_, false) => None,
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: UnitRow = sqlx::query_as(
                "UPDATE units SET name = $3, parent_id = $4, archived_at = $5, updated_at = $6 \
                 WHERE organisation_id = $1 AND id = $2 \
                 RETURNING id, organisation_id, parent_id, name, archived_at, created_at, updated_at",
            )
            .bind(before.organisation_id)
            .bind(before.id)
            .bind(state.name.as_str())
            .bind(state.parent_id)
            .bind(archived_at)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let after = Unit::from(row);
            let change = Change::updated("unit", after.id, before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }
}
