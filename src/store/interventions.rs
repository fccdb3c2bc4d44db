//! The catalogue of interventions. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, conflict_on_unique, on_pool};
use crate::Result;
use crate::domain::{InterventionId, OrganisationId};
use crate::surveys::interventions::{Intervention, InterventionSpec, builtin};

#[derive(sqlx::FromRow)]
struct InterventionRow {
    id: i64,
    builtin_key: Option<String>,
    dimension: String,
    title_nl: String,
    title_en: String,
    description_nl: String,
    description_en: String,
    active: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<InterventionRow> for Intervention {
    fn from(r: InterventionRow) -> Self {
        Intervention {
            id: InterventionId(r.id),
            builtin_key: r.builtin_key,
            dimension: r.dimension,
            title_nl: r.title_nl,
            title_en: r.title_en,
            description_nl: r.description_nl,
            description_en: r.description_en,
            active: r.active != 0,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

macro_rules! intervention_select {
    () => {
        "SELECT id, builtin_key, dimension, title_nl, title_en, description_nl, description_en, active, \
         created_at, updated_at FROM interventions "
    };
}

impl Store {
    /// Gives every organisation the built-in entries it lacks (by key),
    /// unless it has an entry by the same title already.
    pub async fn install_builtin_interventions(&self, at: OffsetDateTime) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for entry in builtin() {
                sqlx::query(
                    "INSERT INTO interventions (organisation_id, builtin_key, dimension, title_nl, title_en, \
                     description_nl, description_en, active, created_at, updated_at) \
                     SELECT o.id, $1, $2, $3, $4, $5, $6, 1, $7, $7 FROM organisations o WHERE NOT EXISTS \
                     (SELECT 1 FROM interventions i WHERE i.organisation_id = o.id \
                     AND (i.builtin_key = $1 OR i.title_nl = $3))",
                )
                .bind(&entry.key)
                .bind(&entry.dimension)
                .bind(&entry.title_nl)
                .bind(&entry.title_en)
                .bind(&entry.description_nl)
                .bind(&entry.description_en)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The organisation's catalogue, by dimension and title.
    pub async fn interventions(&self, organisation: OrganisationId) -> Result<Vec<Intervention>> {
        let rows: Vec<InterventionRow> = on_pool!(self, p => sqlx::query_as(concat!(
            intervention_select!(), "WHERE organisation_id = $1 ORDER BY dimension, title_nl"
        ))
            .bind(organisation)
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(Intervention::from).collect())
    }

    pub async fn intervention(
        &self,
        organisation: OrganisationId,
        id: InterventionId,
    ) -> Result<Intervention> {
        let row: InterventionRow = on_pool!(self, p => sqlx::query_as(concat!(
            intervention_select!(), "WHERE organisation_id = $1 AND id = $2"
        ))
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?);
        Ok(row.into())
    }

    /// Adds an entry (`before` absent) or changes one; the Dutch title is
    /// unique in the organisation.
    pub async fn save_intervention(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Intervention>,
        spec: &InterventionSpec,
    ) -> Result<Intervention> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                None => sqlx::query_scalar(
                    "INSERT INTO interventions (organisation_id, dimension, title_nl, title_en, description_nl, \
                     description_en, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                     RETURNING id",
                )
                .bind(organisation)
                .bind(&spec.dimension)
                .bind(spec.title_nl.as_str())
                .bind(&spec.title_en)
                .bind(&spec.description_nl)
                .bind(&spec.description_en)
                .bind(i64::from(spec.active))
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
                Some(before) => sqlx::query_scalar(
                    "UPDATE interventions SET dimension = $3, title_nl = $4, title_en = $5, description_nl = $6, \
                     description_en = $7, active = $8, updated_at = $9 WHERE organisation_id = $1 AND id = $2 \
                     RETURNING id",
                )
                .bind(organisation)
                .bind(before.id)
                .bind(&spec.dimension)
                .bind(spec.title_nl.as_str())
                .bind(&spec.title_en)
                .bind(&spec.description_nl)
                .bind(&spec.description_en)
                .bind(i64::from(spec.active))
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "title_nl", "taken"))?;
            let row: InterventionRow = sqlx::query_as(concat!(
                intervention_select!(), "WHERE organisation_id = $1 AND id = $2"
            ))
                .bind(organisation)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let after = Intervention::from(row);
            let change = match before {
                Some(before) => Change::updated("intervention", after.id, before, &after),
                None => Change::created("intervention", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            id
        });
        self.intervention(organisation, InterventionId(id)).await
    }
}
