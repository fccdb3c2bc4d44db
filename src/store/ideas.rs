//! Ideas and their supports. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::notifications::notify_idea_followers;
use super::{AuditMeta, Change, Store, decode, list_text, on_pool, stored_list};
use crate::Result;
use crate::domain::{IdeaId, OrganisationId, UnitId, UserId};
use crate::ideas::spec::IdeaSpec;
use crate::ideas::{IdeaRecord, IdeaState};
use crate::notifications::NotificationKind;

#[derive(sqlx::FromRow)]
struct IdeaRow {
    id: i64,
    organisation_id: i64,
    author_user_id: i64,
    author_name: String,
    author_hidden: i64,
    title: String,
    problem: String,
    proposal: String,
    unit_id: Option<i64>,
    tags: String,
    links: String,
    state: String,
    state_reason: String,
    initiative_id: Option<i64>,
    supports: i64,
    campaign_id: Option<i64>,
    hidden_reason: Option<String>,
    decided_at: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<IdeaRow> for IdeaRecord {
    type Error = crate::Error;

    fn try_from(r: IdeaRow) -> Result<Self> {
        Ok(IdeaRecord {
            id: IdeaId(r.id),
            organisation_id: OrganisationId(r.organisation_id),
            author_id: UserId(r.author_user_id),
            author_name: r.author_name,
            author_hidden: r.author_hidden != 0,
            title: r.title,
            problem: r.problem,
            proposal: r.proposal,
            unit_id: r.unit_id.map(UnitId),
            tags: stored_list(&r.tags)?,
            links: stored_list(&r.links)?,
            state: decode(&r.state, IdeaState::parse)?,
            state_reason: r.state_reason,
            initiative_id: r.initiative_id.map(crate::domain::InitiativeId),
            supports: r.supports,
            campaign_id: r.campaign_id.map(crate::domain::CampaignId),
            hidden_reason: r.hidden_reason,
            decided_at: r.decided_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

macro_rules! idea_select {
    () => {
        "SELECT i.id, i.organisation_id, i.author_user_id, u.name AS author_name, i.author_hidden, i.title, \
         i.problem, i.proposal, i.unit_id, i.tags, i.links, i.state, i.state_reason, i.initiative_id, i.supports, \
         i.campaign_id, i.hidden_reason, i.decided_at, i.created_at, i.updated_at \
         FROM ideas i JOIN users u ON u.id = i.author_user_id "
    };
}

/// What the audit log keeps of an idea (the author too, also when hidden).
fn audited(idea: &IdeaRecord) -> serde_json::Value {
    serde_json::json!({
        "author_user_id": idea.author_id, "author_hidden": idea.author_hidden, "title": idea.title,
        "problem": idea.problem, "proposal": idea.proposal, "unit_id": idea.unit_id, "tags": idea.tags,
        "links": idea.links, "state": idea.state.code(), "state_reason": idea.state_reason,
        "initiative_id": idea.initiative_id, "campaign_id": idea.campaign_id,
        "hidden_reason": idea.hidden_reason,
    })
}

/// Points an accepted idea at the initiative it became, once (a second
/// promotion, also a concurrent one, is a conflict that rolls back the
/// caller's transaction), audits it and tells the idea's followers.
macro_rules! link_idea_to {
    ($conn:expr, $meta:expr, $organisation:expr, $idea:expr, $initiative:expr) => {{
        let meta: &$crate::store::AuditMeta = $meta;
        let conn = $conn;
        let linked = sqlx::query(
            "UPDATE ideas SET initiative_id = $3, updated_at = $4 WHERE organisation_id = $1 AND id = $2 \
             AND state = 'accepted' AND initiative_id IS NULL",
        )
        .bind($organisation)
        .bind($idea)
        .bind($initiative)
        .bind(meta.at)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if linked == 0 {
            Err($crate::Error::conflict("idea", "already_promoted"))
        } else {
            let change = $crate::store::Change::new(
                "promote",
                "idea",
                $idea,
                None,
                Some(serde_json::json!({ "initiative_id": $initiative })),
            );
            $crate::store::audit::write_audit!(&mut *conn, meta, &change)?;
            $crate::store::notifications::notify_idea_followers!(
                &mut *conn,
                meta,
                $idea,
                $crate::notifications::NotificationKind::IdeaPromoted,
                ""
            )?;
            Ok(())
        }
    }};
}
pub(crate) use link_idea_to;

impl Store {
    /// The organisation's ideas, newest first.
    pub async fn ideas(&self, organisation: OrganisationId) -> Result<Vec<IdeaRecord>> {
        let rows: Vec<IdeaRow> = on_pool!(self, p => sqlx::query_as(concat!(
            idea_select!(), "WHERE i.organisation_id = $1 ORDER BY i.created_at DESC, i.id DESC"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(IdeaRecord::try_from).collect()
    }

    pub async fn idea(&self, organisation: OrganisationId, id: IdeaId) -> Result<IdeaRecord> {
        let row: IdeaRow = on_pool!(self, p => sqlx::query_as(concat!(
            idea_select!(), "WHERE i.organisation_id = $1 AND i.id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// The ideas (of these) that a user supports.
    pub async fn supported_ideas(
        &self,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<Vec<IdeaId>> {
        let rows: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT idea_id FROM idea_supports WHERE organisation_id = $1 AND user_id = $2",
        )
        .bind(organisation)
        .bind(user)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(IdeaId).collect())
    }

    /// Posts a new idea (state new, no supports) or changes one's text.
    pub async fn save_idea(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        author: UserId,
        before: Option<&IdeaRecord>,
        spec: &IdeaSpec,
    ) -> Result<IdeaRecord> {
        let tags = list_text(&spec.tags)?;
        let links = list_text(&spec.links)?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                None => sqlx::query_scalar(
                    "INSERT INTO ideas (organisation_id, author_user_id, author_hidden, title, problem, proposal, \
                     unit_id, tags, links, state, state_reason, supports, campaign_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', '', 0, $11, $10, $10) RETURNING id",
                )
                .bind(organisation)
                .bind(author)
                .bind(i64::from(spec.author_hidden))
                .bind(spec.title.as_str())
                .bind(&spec.problem)
                .bind(&spec.proposal)
                .bind(spec.unit_id)
                .bind(&tags)
                .bind(&links)
                .bind(meta.at)
                .bind(spec.campaign_id)
                .fetch_one(&mut *tx)
                .await?,
                Some(before) => sqlx::query_scalar(
                    "UPDATE ideas SET author_hidden = $3, title = $4, problem = $5, proposal = $6, unit_id = $7, \
                     tags = $8, links = $9, updated_at = $10, campaign_id = $11 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                )
                .bind(organisation)
                .bind(before.id)
                .bind(i64::from(spec.author_hidden))
                .bind(spec.title.as_str())
                .bind(&spec.problem)
                .bind(&spec.proposal)
                .bind(spec.unit_id)
                .bind(&tags)
                .bind(&links)
                .bind(meta.at)
                .bind(spec.campaign_id)
                .fetch_one(&mut *tx)
                .await?,
            };
            let row: IdeaRow = sqlx::query_as(concat!(idea_select!(), "WHERE i.organisation_id = $1 AND i.id = $2"))
                .bind(organisation)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let after = IdeaRecord::try_from(row)?;
            let change = match before {
                None => Change::new("create", "idea", id, None, Some(audited(&after))),
                Some(before) => Change::new("update", "idea", id, Some(audited(before)), Some(audited(&after))),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            id
        });
        self.idea(organisation, IdeaId(id)).await
    }

    /// Moves an idea to a new state, if it is still in the one triage saw
    /// (`Conflict` when someone else moved it meanwhile).
    pub async fn triage_idea(
        &self,
        meta: &AuditMeta,
        before: &IdeaRecord,
        state: IdeaState,
        reason: &str,
    ) -> Result<IdeaRecord> {
        let organisation = before.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let decided = matches!(state, IdeaState::Accepted | IdeaState::Declined);
            let moved = sqlx::query(
                "UPDATE ideas SET state = $4, state_reason = $5, updated_at = $6, \
                 decided_at = CASE WHEN $7 THEN $6 ELSE decided_at END \
                 WHERE organisation_id = $1 AND id = $2 AND state = $3",
            )
            .bind(organisation)
            .bind(before.id)
            .bind(before.state.code())
            .bind(state.code())
            .bind(reason)
            .bind(meta.at)
            .bind(decided)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(crate::Error::conflict("state", "changed_meanwhile"));
            }
            let change = Change::new(
                "triage",
                "idea",
                before.id,
                Some(serde_json::json!({"state": before.state.code(), "state_reason": before.state_reason})),
                Some(serde_json::json!({"state": state.code(), "state_reason": reason})),
            );
            write_audit!(&mut *tx, meta, &change)?;
            notify_idea_followers!(&mut *tx, meta, before.id, NotificationKind::IdeaState, state.code())?;
            tx.commit().await?;
            Ok::<(), crate::Error>(())
        })?;
        self.idea(organisation, before.id).await
    }

    /// Links an accepted idea to an initiative that exists already (the
    /// demo's ideas that led to its initiatives); once.
    pub async fn link_idea(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        idea: IdeaId,
        initiative: crate::domain::InitiativeId,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            link_idea_to!(&mut *tx, meta, organisation, idea, initiative)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The idea an initiative was promoted from, if any.
    pub async fn idea_of_initiative(
        &self,
        organisation: OrganisationId,
        initiative: crate::domain::InitiativeId,
    ) -> Result<Option<IdeaId>> {
        let id: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM ideas WHERE organisation_id = $1 AND initiative_id = $2",
        )
        .bind(organisation)
        .bind(initiative)
        .fetch_optional(p)
        .await?);
        Ok(id.map(IdeaId))
    }

    /// Adds (`support`) or withdraws a user's support and keeps the count
    /// in the same transaction. Doing what is already done changes nothing.
    pub async fn set_support(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        idea: IdeaId,
        user: UserId,
        support: bool,
    ) -> Result<IdeaRecord> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let changed = if support {
                sqlx::query(
                    "INSERT INTO idea_supports (organisation_id, idea_id, user_id, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (idea_id, user_id) DO NOTHING",
                )
                .bind(organisation)
                .bind(idea)
                .bind(user)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query("DELETE FROM idea_supports WHERE organisation_id = $1 AND idea_id = $2 AND user_id = $3")
                    .bind(organisation)
                    .bind(idea)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
            if changed == 1 {
                sqlx::query("UPDATE ideas SET supports = supports + $3 WHERE organisation_id = $1 AND id = $2")
                    .bind(organisation)
                    .bind(idea)
                    .bind(if support { 1i64 } else { -1 })
                    .execute(&mut *tx)
                    .await?;
                let action = if support { "support" } else { "withdraw_support" };
                write_audit!(&mut *tx, meta, &Change::event(action, "idea", idea))?;
            }
            tx.commit().await?;
            Ok::<(), crate::Error>(())
        })?;
        self.idea(organisation, idea).await
    }
}
