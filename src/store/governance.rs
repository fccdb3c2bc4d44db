//! Programmes, ambitions and their indicator links, executive terms and
//! co-creation sessions. Every query is scoped by organisation.

use std::collections::HashSet;

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::domain::{
    AmbitionId, CoCreationSessionId, ExecutiveTermId, IndicatorId, OrganisationId, ProgrammeId,
    UserId,
};
use crate::governance::spec::{
    AmbitionSpec, CoCreationSpec, ConfirmationSpec, ExecutiveSpec, ProgrammeSpec, show_day,
};
use crate::governance::{
    Ambition, CoCreationSession, ExecutiveTerm, Participant, Programme, ProgrammeStatus,
};

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    id: i64,
    organisation_id: i64,
    name: String,
    vision: String,
    starts_on: i64,
    ends_on: i64,
    status: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<ProgrammeRow> for Programme {
    type Error = crate::Error;

    fn try_from(row: ProgrammeRow) -> Result<Self> {
        Ok(Programme {
            id: ProgrammeId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            name: row.name,
            vision: row.vision,
            starts_on: show_day(row.starts_on),
            ends_on: show_day(row.ends_on),
            status: decode(&row.status, ProgrammeStatus::parse)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! programme_columns {
    () => {
        "id, organisation_id, name, vision, starts_on, ends_on, status, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct AmbitionRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    title: String,
    description: String,
    position: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl AmbitionRow {
    fn into_ambition(self, indicator_ids: Vec<IndicatorId>) -> Ambition {
        Ambition {
            id: AmbitionId(self.id),
            organisation_id: OrganisationId(self.organisation_id),
            programme_id: ProgrammeId(self.programme_id),
            title: self.title,
            description: self.description,
            position: self.position,
            indicator_ids,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ExecutiveRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    user_id: Option<i64>,
    name: String,
    title: String,
    portfolio: String,
    mandate: String,
    budget_amount: Option<f64>,
    budget_period: String,
    starts_on: i64,
    ends_on: Option<i64>,
    confirmed_on: Option<i64>,
    confirmation_note: String,
    confirmed_by: Option<i64>,
    created_at: OffsetDateTime,
}

impl From<ExecutiveRow> for ExecutiveTerm {
    fn from(row: ExecutiveRow) -> Self {
        ExecutiveTerm {
            id: ExecutiveTermId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            programme_id: ProgrammeId(row.programme_id),
            user_id: row.user_id.map(UserId),
            name: row.name,
            title: row.title,
            portfolio: row.portfolio,
            mandate: row.mandate,
            budget_amount: row.budget_amount,
            budget_period: row.budget_period,
            starts_on: show_day(row.starts_on),
            ends_on: row.ends_on.map(show_day),
            confirmed_on: row.confirmed_on.map(show_day),
            confirmation_note: row.confirmation_note,
            confirmed_by: row.confirmed_by.map(UserId),
            created_at: row.created_at,
        }
    }
}

macro_rules! executive_columns {
    () => {
        "id, organisation_id, programme_id, user_id, name, title, portfolio, mandate, \
         budget_amount, budget_period, starts_on, ends_on, confirmed_on, confirmation_note, confirmed_by, created_at"
    };
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    held_on: i64,
    form: String,
    participants: String,
    executives_took_part: bool,
    outcome: String,
    created_at: OffsetDateTime,
}

impl TryFrom<SessionRow> for CoCreationSession {
    type Error = crate::Error;

    fn try_from(row: SessionRow) -> Result<Self> {
        let participants: Vec<Participant> = stored_list(&row.participants)?;
        Ok(CoCreationSession {
            id: CoCreationSessionId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            programme_id: ProgrammeId(row.programme_id),
            held_on: show_day(row.held_on),
            form: row.form,
            participants,
            executives_took_part: row.executives_took_part,
            outcome: row.outcome,
            created_at: row.created_at,
        })
    }
}

impl Store {
    pub async fn list_programmes(&self, organisation: OrganisationId) -> Result<Vec<Programme>> {
        let sql = concat!(
            "SELECT ",
            programme_columns!(),
            " FROM programmes WHERE organisation_id = $1 \
             ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, starts_on DESC, id"
        );
        let rows: Vec<ProgrammeRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(organisation)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Programme::try_from).collect()
    }

    pub async fn programme(
        &self,
        organisation: OrganisationId,
        id: ProgrammeId,
    ) -> Result<Programme> {
        let sql = concat!(
            "SELECT ",
            programme_columns!(),
            " FROM programmes WHERE organisation_id = $1 AND id = $2"
        );
        let row: ProgrammeRow = on_pool!(self, p => sqlx::query_as(sql)
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?);
        row.try_into()
    }

    pub async fn create_programme(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        spec: &ProgrammeSpec,
    ) -> Result<Programme> {
        let sql = concat!(
            "INSERT INTO programmes (organisation_id, name, vision, starts_on, ends_on, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ",
            programme_columns!(),
        );
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: ProgrammeRow = sqlx::query_as(sql)
                .bind(organisation)
                .bind(spec.name.as_str())
                .bind(&spec.vision)
                .bind(spec.starts_on)
                .bind(spec.ends_on)
                .bind(spec.status.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let programme = Programme::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("programme", programme.id, &programme))?;
            tx.commit().await?;
            Ok(programme)
        })
    }

    pub async fn update_programme(
        &self,
        meta: &AuditMeta,
        before: &Programme,
        spec: &ProgrammeSpec,
    ) -> Result<Programme> {
        let sql = concat!(
            "UPDATE programmes SET name = $3, vision = $4, starts_on = $5, ends_on = $6, status = $7, updated_at = $8 \
             WHERE organisation_id = $1 AND id = $2 RETURNING ",
            programme_columns!(),
        );
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: ProgrammeRow = sqlx::query_as(sql)
                .bind(before.organisation_id)
                .bind(before.id)
                .bind(spec.name.as_str())
                .bind(&spec.vision)
                .bind(spec.starts_on)
                .bind(spec.ends_on)
                .bind(spec.status.code())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let after = Programme::try_from(row)?;
            let change = Change::updated("programme", after.id, before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// A programme's ambitions in order, each with its linked indicators.
    pub async fn ambitions(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<Ambition>> {
        let (rows, links): (Vec<AmbitionRow>, Vec<(i64, i64)>) = on_pool!(self, p => {
            let rows = sqlx::query_as(
                "SELECT id, organisation_id, programme_id, title, description, position, created_at, updated_at \
                 FROM ambitions WHERE organisation_id = $1 AND programme_id = $2 ORDER BY position, id",
            )
            .bind(organisation)
            .bind(programme)
            .fetch_all(p)
            .await?;
            let links = sqlx::query_as(
                "SELECT ai.ambition_id, ai.indicator_id FROM ambition_indicators ai \
                 JOIN ambitions a ON a.id = ai.ambition_id \
                 WHERE ai.organisation_id = $1 AND a.programme_id = $2 ORDER BY ai.indicator_id",
            )
            .bind(organisation)
            .bind(programme)
            .fetch_all(p)
            .await?;
            (rows, links)
        });
        Ok(rows
            .into_iter()
            .map(|row| {
                let ids = links
                    .iter()
                    .filter(|(a, _)| *a == row.id)
                    .map(|(_, i)| IndicatorId(*i))
                    .collect();
                row.into_ambition(ids)
            })
            .collect())
    }

    pub async fn ambition(&self, organisation: OrganisationId, id: AmbitionId) -> Result<Ambition> {
        let (row, ids): (AmbitionRow, Vec<i64>) = on_pool!(self, p => {
            let row = sqlx::query_as(
                "SELECT id, organisation_id, programme_id, title, description, position, created_at, updated_at \
                 FROM ambitions WHERE organisation_id = $1 AND id = $2",
            )
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            let ids = sqlx::query_scalar(
                "SELECT indicator_id FROM ambition_indicators WHERE organisation_id = $1 AND ambition_id = $2 \
                 ORDER BY indicator_id",
            )
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            (row, ids)
        });
        Ok(row.into_ambition(ids.into_iter().map(IndicatorId).collect()))
    }

    /// Saves an ambition (new when `before` is `None`) at `position`; the
    /// others in the programme move to keep positions 1, 2, 3, …
    pub async fn save_ambition(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        programme: ProgrammeId,
        before: Option<&Ambition>,
        spec: &AmbitionSpec,
        links: Option<&[IndicatorId]>,
    ) -> Result<Ambition> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut order: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM ambitions WHERE organisation_id = $1 AND programme_id = $2 ORDER BY position, id",
            )
            .bind(organisation)
            .bind(programme)
            .fetch_all(&mut *tx)
            .await?;
            let id = match before {
                Some(before) => {
                    sqlx::query(
                        "UPDATE ambitions SET title = $3, description = $4, updated_at = $5 \
                         WHERE organisation_id = $1 AND id = $2",
                    )
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.title.as_str())
                    .bind(&spec.description)
                    .bind(meta.at)
                    .execute(&mut *tx)
                    .await?;
                    before.id.0
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO ambitions (organisation_id, programme_id, title, description, position, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(programme)
                    .bind(spec.title.as_str())
                    .bind(&spec.description)
                    .bind(order.len() as i64 + 1)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            order.retain(|other| *other != id);
            let at = spec
                .position
                .map_or(order.len(), |p| (p.max(1) as usize - 1).min(order.len()));
            let at = match (before, spec.position) {
                (Some(before), None) => ((before.position.max(1) - 1) as usize).min(order.len()),
                _ => at,
            };
            order.insert(at, id);
            for (index, ambition) in order.iter().enumerate() {
                sqlx::query("UPDATE ambitions SET position = $3 WHERE organisation_id = $1 AND id = $2")
                    .bind(organisation)
                    .bind(*ambition)
                    .bind(index as i64 + 1)
                    .execute(&mut *tx)
                    .await?;
            }
            let row: AmbitionRow = sqlx::query_as(
                "SELECT id, organisation_id, programme_id, title, description, position, created_at, updated_at \
                 FROM ambitions WHERE organisation_id = $1 AND id = $2",
            )
            .bind(organisation)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let mut linked: Vec<IndicatorId> = before.map(|b| b.indicator_ids.clone()).unwrap_or_default();
            if let Some(links) = links {
                for gone in linked.iter().filter(|i| !links.contains(i)) {
                    sqlx::query(
                        "DELETE FROM ambition_indicators WHERE organisation_id = $1 AND ambition_id = $2 AND indicator_id = $3",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(*gone)
                    .execute(&mut *tx)
                    .await?;
                }
                for new in links.iter().filter(|i| !linked.contains(i)) {
                    sqlx::query(
                        "INSERT INTO ambition_indicators (organisation_id, ambition_id, indicator_id, linked_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(*new)
                    .bind(meta.at)
                    .execute(&mut *tx)
                    .await?;
                }
                linked = links.to_vec();
                linked.sort();
                linked.dedup();
            }
            let after = row.into_ambition(linked);
            let change = match before {
                Some(before) => Change::updated("ambition", after.id, before, &after),
                None => Change::created("ambition", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Removes an ambition and its indicator links; the others close ranks.
    pub async fn delete_ambition(&self, meta: &AuditMeta, before: &Ambition) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM ambition_indicators WHERE organisation_id = $1 AND ambition_id = $2")
                .bind(before.organisation_id)
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            // Strategic assets stay; what they were critical for goes.
            sqlx::query("DELETE FROM strategic_asset_ambitions WHERE organisation_id = $1 AND ambition_id = $2")
                .bind(before.organisation_id)
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM ambitions WHERE organisation_id = $1 AND id = $2")
                .bind(before.organisation_id)
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE ambitions SET position = position - 1 \
                 WHERE organisation_id = $1 AND programme_id = $2 AND position > $3",
            )
            .bind(before.organisation_id)
            .bind(before.programme_id)
            .bind(before.position)
            .execute(&mut *tx)
            .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("ambition", before.id, before))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Links an indicator to an ambition; `false` when it already was.
    pub async fn link_indicator(
        &self,
        meta: &AuditMeta,
        ambition: &Ambition,
        indicator: IndicatorId,
    ) -> Result<bool> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let added = sqlx::query(
                "INSERT INTO ambition_indicators (organisation_id, ambition_id, indicator_id, linked_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (ambition_id, indicator_id) DO NOTHING",
            )
            .bind(ambition.organisation_id)
            .bind(ambition.id)
            .bind(indicator)
            .bind(meta.at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if added {
                let link = serde_json::json!({"indicator_id": indicator});
                write_audit!(&mut *tx, meta, &Change::new("link", "ambition", ambition.id, None, Some(link)))?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Unlinks an indicator; `false` when it was not linked.
    pub async fn unlink_indicator(
        &self,
        meta: &AuditMeta,
        ambition: &Ambition,
        indicator: IndicatorId,
    ) -> Result<bool> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let removed = sqlx::query(
                "DELETE FROM ambition_indicators WHERE organisation_id = $1 AND ambition_id = $2 AND indicator_id = $3",
            )
            .bind(ambition.organisation_id)
            .bind(ambition.id)
            .bind(indicator)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if removed {
                let link = serde_json::json!({"indicator_id": indicator});
                write_audit!(&mut *tx, meta, &Change::new("unlink", "ambition", ambition.id, Some(link), None))?;
            }
            tx.commit().await?;
            Ok(removed)
        })
    }

    /// The ambitions (with their programme's name) an indicator serves.
    pub async fn ambitions_of_indicator(
        &self,
        organisation: OrganisationId,
        indicator: IndicatorId,
    ) -> Result<Vec<(AmbitionId, String, ProgrammeId, String)>> {
        let rows: Vec<(i64, String, i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.title, pr.id, pr.name FROM ambition_indicators ai \
             JOIN ambitions a ON a.id = ai.ambition_id \
             JOIN programmes pr ON pr.id = a.programme_id \
             WHERE ai.organisation_id = $1 AND ai.indicator_id = $2 ORDER BY pr.name, a.position",
        )
        .bind(organisation)
        .bind(indicator)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(a, t, p, n)| (AmbitionId(a), t, ProgrammeId(p), n))
            .collect())
    }

    /// Every ambition of the organisation with its programme's name, for
    /// filter lists.
    pub async fn all_ambitions(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<(AmbitionId, String, String)>> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.title, pr.name FROM ambitions a JOIN programmes pr ON pr.id = a.programme_id \
             WHERE a.organisation_id = $1 ORDER BY pr.name, a.position",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(a, t, n)| (AmbitionId(a), t, n))
            .collect())
    }

    /// The ids of every indicator of the organisation.
    pub async fn indicator_ids(&self, organisation: OrganisationId) -> Result<Vec<IndicatorId>> {
        let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM indicators WHERE organisation_id = $1 ORDER BY id",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(ids.into_iter().map(IndicatorId).collect())
    }

    /// Indicators of the organisation that have a target in force.
    pub async fn targeted_indicators(
        &self,
        organisation: OrganisationId,
    ) -> Result<HashSet<IndicatorId>> {
        let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT indicator_id FROM indicator_targets \
             WHERE organisation_id = $1 AND superseded_at IS NULL",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(ids.into_iter().map(IndicatorId).collect())
    }

    /// A programme's executive terms, oldest first.
    pub async fn executive_terms(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<ExecutiveTerm>> {
        let sql = concat!(
            "SELECT ",
            executive_columns!(),
            " FROM programme_executives \
             WHERE organisation_id = $1 AND programme_id = $2 ORDER BY starts_on, id"
        );
        let rows: Vec<ExecutiveRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(organisation)
            .bind(programme)
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(ExecutiveTerm::from).collect())
    }

    /// Records a new accountable executive; the term in force (if any) ends
    /// the day the new one starts. One transaction: never two open terms.
    pub async fn record_executive(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        current: Option<&ExecutiveTerm>,
        spec: &ExecutiveSpec,
    ) -> Result<ExecutiveTerm> {
        let insert = concat!(
            "INSERT INTO programme_executives (organisation_id, programme_id, user_id, name, title, portfolio, \
             mandate, budget_amount, budget_period, starts_on, confirmation_note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, $12) RETURNING ",
            executive_columns!(),
        );
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if let Some(current) = current {
                let ended = sqlx::query(
                    "UPDATE programme_executives SET ends_on = $3 \
                     WHERE organisation_id = $1 AND id = $2 AND ends_on IS NULL",
                )
                .bind(programme.organisation_id)
                .bind(current.id)
                .bind(spec.starts_on)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if ended != 1 {
                    return Err(crate::Error::conflict("starts_on", "changed_meanwhile"));
                }
                let change = Change::new(
                    "end_term",
                    "programme_executive",
                    current.id,
                    Some(serde_json::json!({"ends_on": null})),
                    Some(serde_json::json!({"ends_on": show_day(spec.starts_on)})),
                );
                write_audit!(&mut *tx, meta, &change)?;
            }
            let row: ExecutiveRow = sqlx::query_as(insert)
                .bind(programme.organisation_id)
                .bind(programme.id)
                .bind(spec.user_id)
                .bind(&spec.name)
                .bind(&spec.title)
                .bind(&spec.portfolio)
                .bind(&spec.mandate)
                .bind(spec.budget_amount)
                .bind(&spec.budget_period)
                .bind(spec.starts_on)
                .bind(meta.actor_user_id)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await?;
            let term = ExecutiveTerm::from(row);
            write_audit!(&mut *tx, meta, &Change::created("programme_executive", term.id, &term))?;
            tx.commit().await?;
            Ok(term)
        })
    }

    /// Records the executive's confirmation of the programme.
    pub async fn confirm_executive(
        &self,
        meta: &AuditMeta,
        before: &ExecutiveTerm,
        spec: &ConfirmationSpec,
    ) -> Result<ExecutiveTerm> {
        let sql = concat!(
            "UPDATE programme_executives SET confirmed_on = $3, confirmation_note = $4, confirmed_by = $5 \
             WHERE organisation_id = $1 AND id = $2 AND confirmed_on IS NULL AND ends_on IS NULL \
             RETURNING ",
            executive_columns!(),
        );
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: Option<ExecutiveRow> = sqlx::query_as(sql)
                .bind(before.organisation_id)
                .bind(before.id)
                .bind(spec.confirmed_on)
                .bind(&spec.note)
                .bind(meta.actor_user_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(crate::Error::conflict("confirmed_on", "already_confirmed"));
            };
            let after = ExecutiveTerm::from(row);
            let change = Change::updated("programme_executive", after.id, before, &after);
            write_audit!(&mut *tx, meta, &Change { action: "confirm", ..change })?;
            tx.commit().await?;
            Ok(after)
        })
    }

    /// A programme's co-creation sessions, newest first.
    pub async fn co_creation_sessions(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<CoCreationSession>> {
        let rows: Vec<SessionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, programme_id, held_on, form, participants, executives_took_part, \
             outcome, created_at FROM co_creation_sessions \
             WHERE organisation_id = $1 AND programme_id = $2 ORDER BY held_on DESC, id DESC",
        )
        .bind(organisation)
        .bind(programme)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(CoCreationSession::try_from).collect()
    }

    pub async fn create_co_creation_session(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        spec: &CoCreationSpec,
    ) -> Result<CoCreationSession> {
        let participants = list_text(&spec.participants)?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: SessionRow = sqlx::query_as(
                "INSERT INTO co_creation_sessions (organisation_id, programme_id, held_on, form, participants, \
                 executives_took_part, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING id, organisation_id, programme_id, held_on, form, participants, executives_took_part, \
                 outcome, created_at",
            )
            .bind(programme.organisation_id)
            .bind(programme.id)
            .bind(spec.held_on)
            .bind(&spec.form)
            .bind(&participants)
            .bind(spec.executives_took_part)
            .bind(&spec.outcome)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let session = CoCreationSession::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("co_creation_session", session.id, &session))?;
            tx.commit().await?;
            Ok(session)
        })
    }
}
