//! Governance bodies, their meetings, the decision log and follow-up
//! actions. Every query is scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::domain::{
    AmbitionId, BodyId, DecisionActionId, DecisionId, IndicatorId, MeetingId, OrganisationId,
    ProgrammeId, UserId,
};
use crate::governance::spec::show_day;
use crate::governance::steering::{
    ActionStatus, BodyKind, Decision, DecisionAction, DecisionFilter, DecisionStatus,
    GovernanceBody, Meeting,
};
use crate::governance::steering_spec::{ActionSpec, BodySpec, DecisionSpec, MeetingSpec};
use crate::governance::{Participant, Programme};
use crate::pagination::{Page, PageRequest};

#[derive(sqlx::FromRow)]
struct BodyRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    kind: String,
    name: String,
    cadence_weeks: Option<i64>,
    members: String,
    last_met_on: Option<i64>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<BodyRow> for GovernanceBody {
    type Error = crate::Error;

    fn try_from(row: BodyRow) -> Result<Self> {
        let members: Vec<Participant> = stored_list(&row.members)?;
        Ok(GovernanceBody {
            id: BodyId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            programme_id: ProgrammeId(row.programme_id),
            kind: decode(&row.kind, BodyKind::parse)?,
            name: row.name,
            cadence_weeks: row.cadence_weeks,
            members,
            last_met_on: row.last_met_on.map(show_day),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! body_select {
    () => {
        "SELECT b.id, b.organisation_id, b.programme_id, b.kind, b.name, b.cadence_weeks, b.members, \
         (SELECT MAX(m.held_on) FROM body_meetings m WHERE m.body_id = b.id) AS last_met_on, \
         b.created_at, b.updated_at FROM governance_bodies b "
    };
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    organisation_id: i64,
    body_id: i64,
    held_on: i64,
    attendees: String,
    agenda: String,
    minutes: String,
    created_at: OffsetDateTime,
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = crate::Error;

    fn try_from(row: MeetingRow) -> Result<Self> {
        Ok(Meeting {
            id: MeetingId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            body_id: BodyId(row.body_id),
            held_on: show_day(row.held_on),
            attendees: stored_list(&row.attendees)?,
            agenda: row.agenda,
            minutes: row.minutes,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    organisation_id: i64,
    programme_id: i64,
    body_id: Option<i64>,
    title: String,
    rationale: String,
    decided_on: i64,
    status: String,
    open_actions: i64,
    overdue_actions: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl DecisionRow {
    fn into_decision(
        self,
        ambition_ids: Vec<AmbitionId>,
        indicator_ids: Vec<IndicatorId>,
    ) -> Result<Decision> {
        Ok(Decision {
            id: DecisionId(self.id),
            organisation_id: OrganisationId(self.organisation_id),
            programme_id: ProgrammeId(self.programme_id),
            body_id: self.body_id.map(BodyId),
            title: self.title,
            rationale: self.rationale,
            decided_on: show_day(self.decided_on),
            status: decode(&self.status, DecisionStatus::parse)?,
            ambition_ids,
            indicator_ids,
            open_actions: self.open_actions,
            overdue_actions: self.overdue_actions,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Decision columns with the counts of open and overdue actions; `$1` is
/// the organisation and `$2` today.
macro_rules! decision_select {
    () => {
        "SELECT d.id, d.organisation_id, d.programme_id, d.body_id, d.title, d.rationale, d.decided_on, \
         d.status, \
         (SELECT COUNT(*) FROM decision_actions a WHERE a.decision_id = d.id AND a.status = 'open') AS open_actions, \
         (SELECT COUNT(*) FROM decision_actions a WHERE a.decision_id = d.id AND a.status = 'open' \
            AND a.due_on < $2) AS overdue_actions, \
         d.created_at, d.updated_at FROM decisions d "
    };
}

/// The decision log's filter: programme `$3`, status `$4`, body `$5`,
/// search `$6`, overdue only `$7`.
macro_rules! decision_where {
    () => {
        "WHERE d.organisation_id = $1 AND d.programme_id = $3 \
         AND ($4 = '' OR d.status = $4) AND ($5 = 0 OR d.body_id = $5) \
         AND ($6 = '' OR LOWER(d.title) LIKE '%' || $6 || '%' OR LOWER(d.rationale) LIKE '%' || $6 || '%') \
         AND ($7 = 0 OR EXISTS (SELECT 1 FROM decision_actions a WHERE a.decision_id = d.id \
              AND a.status = 'open' AND a.due_on < $2)) "
    };
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    organisation_id: i64,
    decision_id: i64,
    description: String,
    owner_user_id: Option<i64>,
    owner_name: String,
    due_on: i64,
    status: String,
    completed_on: Option<i64>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl ActionRow {
    fn into_action(self, today: i64) -> Result<DecisionAction> {
        let status = decode(&self.status, ActionStatus::parse)?;
        Ok(DecisionAction {
            id: DecisionActionId(self.id),
            organisation_id: OrganisationId(self.organisation_id),
            decision_id: DecisionId(self.decision_id),
            description: self.description,
            owner_id: self.owner_user_id.map(UserId),
            owner_name: self.owner_name,
            due_on: show_day(self.due_on),
            overdue: status == ActionStatus::Open && self.due_on < today,
            status,
            completed_on: self.completed_on.map(show_day),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// (decision, ambition or indicator) of a decision's link.
type Link = (i64, i64);

macro_rules! action_columns {
    () => {
        "id, organisation_id, decision_id, description, owner_user_id, owner_name, due_on, status, \
         completed_on, created_at, updated_at"
    };
}

impl Store {
    pub async fn bodies(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
    ) -> Result<Vec<GovernanceBody>> {
        let rows: Vec<BodyRow> = on_pool!(self, p => sqlx::query_as(concat!(
            body_select!(),
            "WHERE b.organisation_id = $1 AND b.programme_id = $2 ORDER BY b.kind, b.name"
        ))
        .bind(organisation)
        .bind(programme)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(GovernanceBody::try_from).collect()
    }

    pub async fn body(&self, organisation: OrganisationId, id: BodyId) -> Result<GovernanceBody> {
        let row: BodyRow = on_pool!(self, p => sqlx::query_as(concat!(
            body_select!(),
            "WHERE b.organisation_id = $1 AND b.id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// Saves a body (new when `before` is `None`).
    pub async fn save_body(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        before: Option<&GovernanceBody>,
        spec: &BodySpec,
    ) -> Result<GovernanceBody> {
        let members = list_text(&spec.members)?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                Some(before) => {
                    sqlx::query_scalar(
                        "UPDATE governance_bodies SET kind = $3, name = $4, cadence_weeks = $5, members = $6, \
                         updated_at = $7 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                    )
                    .bind(programme.organisation_id)
                    .bind(before.id)
                    .bind(spec.kind.code())
                    .bind(spec.name.as_str())
                    .bind(spec.cadence_weeks)
                    .bind(&members)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO governance_bodies (organisation_id, programme_id, kind, name, cadence_weeks, \
                         members, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    )
                    .bind(programme.organisation_id)
                    .bind(programme.id)
                    .bind(spec.kind.code())
                    .bind(spec.name.as_str())
                    .bind(spec.cadence_weeks)
                    .bind(&members)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                }
            }
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let row: BodyRow = sqlx::query_as(concat!(
                body_select!(),
                "WHERE b.organisation_id = $1 AND b.id = $2"
            ))
            .bind(programme.organisation_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let after = GovernanceBody::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("governance_body", after.id, before, &after),
                None => Change::created("governance_body", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// A body's meetings, newest first.
    pub async fn meetings(
        &self,
        organisation: OrganisationId,
        body: BodyId,
    ) -> Result<Vec<Meeting>> {
        let rows: Vec<MeetingRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organisation_id, body_id, held_on, attendees, agenda, minutes, created_at \
             FROM body_meetings WHERE organisation_id = $1 AND body_id = $2 ORDER BY held_on DESC, id DESC",
        )
        .bind(organisation)
        .bind(body)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Meeting::try_from).collect()
    }

    pub async fn create_meeting(
        &self,
        meta: &AuditMeta,
        body: &GovernanceBody,
        spec: &MeetingSpec,
    ) -> Result<Meeting> {
        let attendees = list_text(&spec.attendees)?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: MeetingRow = sqlx::query_as(
                "INSERT INTO body_meetings (organisation_id, body_id, held_on, attendees, agenda, minutes, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 RETURNING id, organisation_id, body_id, held_on, attendees, agenda, minutes, created_at",
            )
            .bind(body.organisation_id)
            .bind(body.id)
            .bind(spec.held_on)
            .bind(&attendees)
            .bind(&spec.agenda)
            .bind(&spec.minutes)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let meeting = Meeting::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("body_meeting", meeting.id, &meeting))?;
            tx.commit().await?;
            Ok(meeting)
        })
    }

    /// One page of a programme's decision log, newest first.
    pub async fn decisions(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
        filter: &DecisionFilter,
        today: i64,
        page: PageRequest,
    ) -> Result<Page<Decision>> {
        let status = filter.status.map_or("", DecisionStatus::code);
        let body = filter.body.map_or(0, |b| b.0);
        let search = filter.search.trim().to_lowercase();
        let overdue = i64::from(filter.overdue_only);
        macro_rules! filtered {
            ($query:expr) => {
                $query
                    .bind(organisation)
                    .bind(today)
                    .bind(programme)
                    .bind(status)
                    .bind(body)
                    .bind(&search)
                    .bind(overdue)
            };
        }
        let (rows, total): (Vec<DecisionRow>, i64) = on_pool!(self, p => {
            let rows = filtered!(sqlx::query_as(concat!(
                decision_select!(),
                decision_where!(),
                "ORDER BY d.decided_on DESC, d.id DESC LIMIT $8 OFFSET $9"
            )))
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(p)
            .await?;
            let total = filtered!(sqlx::query_scalar(concat!(
                "SELECT COUNT(*) FROM decisions d ",
                decision_where!()
            )))
            .fetch_one(p)
            .await?;
            (rows, total)
        });
        // The links of every decision in the programme, in two queries
        // rather than two per row.
        let (ambitions, indicators): (Vec<Link>, Vec<Link>) = on_pool!(self, p => {
            let ambitions = sqlx::query_as(
                "SELECT l.decision_id, l.ambition_id FROM decision_ambitions l \
                 JOIN decisions d ON d.id = l.decision_id \
                 WHERE l.organisation_id = $1 AND d.programme_id = $2 ORDER BY l.ambition_id",
            )
            .bind(organisation)
            .bind(programme)
            .fetch_all(p)
            .await?;
            let indicators = sqlx::query_as(
                "SELECT l.decision_id, l.indicator_id FROM decision_indicators l \
                 JOIN decisions d ON d.id = l.decision_id \
                 WHERE l.organisation_id = $1 AND d.programme_id = $2 ORDER BY l.indicator_id",
            )
            .bind(organisation)
            .bind(programme)
            .fetch_all(p)
            .await?;
            (ambitions, indicators)
        });
        let of = |links: &[Link], decision: i64| -> Vec<i64> {
            links
                .iter()
                .filter(|(d, _)| *d == decision)
                .map(|(_, id)| *id)
                .collect()
        };
        let items = rows
            .into_iter()
            .map(|row| {
                let a = of(&ambitions, row.id).into_iter().map(AmbitionId).collect();
                let i = of(&indicators, row.id)
                    .into_iter()
                    .map(IndicatorId)
                    .collect();
                row.into_decision(a, i)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, page, total))
    }

    async fn decision_links(
        &self,
        organisation: OrganisationId,
        decision: DecisionId,
    ) -> Result<(Vec<AmbitionId>, Vec<IndicatorId>)> {
        let (ambitions, indicators): (Vec<i64>, Vec<i64>) = on_pool!(self, p => {
            let ambitions = sqlx::query_scalar(
                "SELECT ambition_id FROM decision_ambitions WHERE organisation_id = $1 AND decision_id = $2 \
                 ORDER BY ambition_id",
            )
            .bind(organisation)
            .bind(decision)
            .fetch_all(p)
            .await?;
            let indicators = sqlx::query_scalar(
                "SELECT indicator_id FROM decision_indicators WHERE organisation_id = $1 AND decision_id = $2 \
                 ORDER BY indicator_id",
            )
            .bind(organisation)
            .bind(decision)
            .fetch_all(p)
            .await?;
            (ambitions, indicators)
        });
        Ok((
            ambitions.into_iter().map(AmbitionId).collect(),
            indicators.into_iter().map(IndicatorId).collect(),
        ))
    }

    pub async fn decision(
        &self,
        organisation: OrganisationId,
        id: DecisionId,
        today: i64,
    ) -> Result<Decision> {
        let row: DecisionRow = on_pool!(self, p => sqlx::query_as(concat!(
            decision_select!(),
            "WHERE d.organisation_id = $1 AND d.id = $3"
        ))
        .bind(organisation)
        .bind(today)
        .bind(id)
        .fetch_one(p)
        .await?);
        let (ambitions, indicators) = self.decision_links(organisation, id).await?;
        row.into_decision(ambitions, indicators)
    }

    /// Saves a decision with exactly the given links (new when `before` is
    /// `None`), in one transaction.
    pub async fn save_decision(
        &self,
        meta: &AuditMeta,
        programme: &Programme,
        before: Option<&Decision>,
        spec: &DecisionSpec,
        today: i64,
    ) -> Result<Decision> {
        let organisation = programme.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                Some(before) => {
                    sqlx::query_scalar(
                        "UPDATE decisions SET body_id = $3, title = $4, rationale = $5, decided_on = $6, status = $7, \
                         updated_at = $8 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                    )
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.body_id)
                    .bind(spec.title.as_str())
                    .bind(&spec.rationale)
                    .bind(spec.decided_on)
                    .bind(spec.status.code())
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await?
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO decisions (organisation_id, programme_id, body_id, title, rationale, decided_on, \
                         status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    )
                    .bind(organisation)
                    .bind(programme.id)
                    .bind(spec.body_id)
                    .bind(spec.title.as_str())
                    .bind(&spec.rationale)
                    .bind(spec.decided_on)
                    .bind(spec.status.code())
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            sqlx::query("DELETE FROM decision_ambitions WHERE organisation_id = $1 AND decision_id = $2")
                .bind(organisation)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM decision_indicators WHERE organisation_id = $1 AND decision_id = $2")
                .bind(organisation)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for ambition in &spec.ambition_ids {
                sqlx::query(
                    "INSERT INTO decision_ambitions (organisation_id, decision_id, ambition_id) VALUES ($1, $2, $3)",
                )
                .bind(organisation)
                .bind(id)
                .bind(*ambition)
                .execute(&mut *tx)
                .await?;
            }
            for indicator in &spec.indicator_ids {
                sqlx::query(
                    "INSERT INTO decision_indicators (organisation_id, decision_id, indicator_id) VALUES ($1, $2, $3)",
                )
                .bind(organisation)
                .bind(id)
                .bind(*indicator)
                .execute(&mut *tx)
                .await?;
            }
            let row: DecisionRow = sqlx::query_as(concat!(
                decision_select!(),
                "WHERE d.organisation_id = $1 AND d.id = $3"
            ))
            .bind(organisation)
            .bind(today)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let after = row.into_decision(spec.ambition_ids.clone(), spec.indicator_ids.clone())?;
            let change = match before {
                Some(before) => Change::updated("decision", after.id, before, &after),
                None => Change::created("decision", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// A decision's follow-up actions by due date.
    pub async fn decision_actions(
        &self,
        organisation: OrganisationId,
        decision: DecisionId,
        today: i64,
    ) -> Result<Vec<DecisionAction>> {
        let rows: Vec<ActionRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", action_columns!(),
            " FROM decision_actions WHERE organisation_id = $1 AND decision_id = $2 ORDER BY due_on, id"
        ))
        .bind(organisation)
        .bind(decision)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(|r| r.into_action(today)).collect()
    }

    pub async fn decision_action(
        &self,
        organisation: OrganisationId,
        id: DecisionActionId,
        today: i64,
    ) -> Result<DecisionAction> {
        let row: ActionRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", action_columns!(),
            " FROM decision_actions WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.into_action(today)
    }

    /// Every open action of a programme that is past its due date, oldest
    /// first.
    pub async fn overdue_actions(
        &self,
        organisation: OrganisationId,
        programme: ProgrammeId,
        today: i64,
    ) -> Result<Vec<DecisionAction>> {
        let rows: Vec<ActionRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", action_columns!(),
            " FROM decision_actions WHERE organisation_id = $1 AND status = 'open' AND due_on < $3 \
             AND decision_id IN (SELECT id FROM decisions WHERE organisation_id = $1 AND programme_id = $2) \
             ORDER BY due_on, id"
        ))
        .bind(organisation)
        .bind(programme)
        .bind(today)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(|r| r.into_action(today)).collect()
    }

    /// Saves a follow-up action (new when `before` is `None`).
    pub async fn save_decision_action(
        &self,
        meta: &AuditMeta,
        decision: &Decision,
        before: Option<&DecisionAction>,
        spec: &ActionSpec,
        today: i64,
    ) -> Result<DecisionAction> {
        let organisation = decision.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: ActionRow = match before {
                Some(before) => {
                    sqlx::query_as(concat!(
                        "UPDATE decision_actions SET description = $3, owner_user_id = $4, owner_name = $5, \
                         due_on = $6, status = $7, completed_on = $8, updated_at = $9 \
                         WHERE organisation_id = $1 AND id = $2 RETURNING ", action_columns!()
                    ))
                    .bind(organisation)
                    .bind(before.id)
                    .bind(&spec.description)
                    .bind(spec.owner_id)
                    .bind(&spec.owner_name)
                    .bind(spec.due_on)
                    .bind(spec.status.code())
                    .bind(spec.completed_on)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await?
                }
                None => {
                    sqlx::query_as(concat!(
                        "INSERT INTO decision_actions (organisation_id, decision_id, description, owner_user_id, \
                         owner_name, due_on, status, completed_on, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ", action_columns!()
                    ))
                    .bind(organisation)
                    .bind(decision.id)
                    .bind(&spec.description)
                    .bind(spec.owner_id)
                    .bind(&spec.owner_name)
                    .bind(spec.due_on)
                    .bind(spec.status.code())
                    .bind(spec.completed_on)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            let after = row.into_action(today)?;
            let change = match before {
                Some(before) => Change::updated("decision_action", after.id, before, &after),
                None => Change::created("decision_action", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }
}
