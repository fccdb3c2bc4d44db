//! Learning actions and the gap sums of closed assessment rounds. Scoped
//! by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::domain::{
    CompetenceId, LearningActionId, OrganisationId, RoleProfileId, RoundId, UnitId,
};
use crate::governance::spec::show_day;
use crate::pagination::{Page, PageRequest};
use crate::skills::gaps::GapSum;
use crate::skills::spec::LearningActionSpec;
use crate::skills::{LearningAction, LearningKind, LearningStatus};

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    organisation_id: i64,
    title: String,
    kind: String,
    competence_id: i64,
    unit_id: Option<i64>,
    role_profile_id: Option<i64>,
    planned_on: i64,
    status: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<ActionRow> for LearningAction {
    type Error = crate::Error;

    fn try_from(row: ActionRow) -> Result<Self> {
        Ok(LearningAction {
            id: LearningActionId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            title: row.title,
            kind: decode(&row.kind, LearningKind::parse)?,
            competence_id: CompetenceId(row.competence_id),
            unit_id: row.unit_id.map(UnitId),
            role_profile_id: row.role_profile_id.map(RoleProfileId),
            planned_on: show_day(row.planned_on),
            status: decode(&row.status, LearningStatus::parse)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! action_columns {
    () => {
        "id, organisation_id, title, kind, competence_id, unit_id, role_profile_id, planned_on, status, \
         created_at, updated_at"
    };
}

impl Store {
    /// A page of learning actions, the soonest planned first.
    pub async fn learning_actions(
        &self,
        organisation: OrganisationId,
        page: PageRequest,
    ) -> Result<Page<LearningAction>> {
        let (rows, total): (Vec<ActionRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                "SELECT ", action_columns!(), " FROM learning_actions WHERE organisation_id = $1 \
                 ORDER BY planned_on, id LIMIT $2 OFFSET $3"
            ))
            .bind(organisation)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(p)
            .await?;
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM learning_actions WHERE organisation_id = $1")
                .bind(organisation)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(LearningAction::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, page, total))
    }

    /// Every learning action, for the trend.
    pub async fn all_learning_actions(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<LearningAction>> {
        let rows: Vec<ActionRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", action_columns!(), " FROM learning_actions WHERE organisation_id = $1 ORDER BY planned_on, id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(LearningAction::try_from).collect()
    }

    pub async fn learning_action(
        &self,
        organisation: OrganisationId,
        id: LearningActionId,
    ) -> Result<LearningAction> {
        let row: ActionRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", action_columns!(), " FROM learning_actions WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn save_learning_action(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&LearningAction>,
        spec: &LearningActionSpec,
    ) -> Result<LearningAction> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: ActionRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE learning_actions SET title = $3, kind = $4, competence_id = $5, unit_id = $6, \
                     role_profile_id = $7, planned_on = $8, status = $9, updated_at = $10 \
                     WHERE organisation_id = $1 AND id = $2 RETURNING ", action_columns!()
                ))
                .bind(organisation)
                .bind(before.id),
                None => sqlx::query_as(concat!(
                    "INSERT INTO learning_actions (organisation_id, title, kind, competence_id, unit_id, \
                     role_profile_id, planned_on, status, updated_at, created_at) \
                     VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ", action_columns!()
                ))
                .bind(organisation)
                // $2 is not used by the insert; bound to keep one parameter list.
                .bind(0i64),
            }
            .bind(spec.title.as_str())
            .bind(spec.kind.code())
            .bind(spec.competence_id)
            .bind(spec.unit_id)
            .bind(spec.role_profile_id)
            .bind(spec.planned_on)
            .bind(spec.status.code())
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let after = LearningAction::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("learning_action", after.id, before, &after),
                None => Change::created("learning_action", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    pub async fn delete_learning_action(
        &self,
        meta: &AuditMeta,
        action: &LearningAction,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM learning_actions WHERE organisation_id = $1 AND id = $2")
                .bind(action.organisation_id)
                .bind(action.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("learning_action", action.id, action))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Fixes a closed round's gap sums from the levels as they were before
    /// `ends_on` (the next round's first day): per employee and competence
    /// the newest assessment dated before it, against the requirements of
    /// the employee's current role. Does nothing when the round is fixed
    /// already, also when two requests race.
    pub async fn fix_round(
        &self,
        organisation: OrganisationId,
        round: RoundId,
        ends_on: i64,
        at: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let claimed = sqlx::query(
                "UPDATE assessment_rounds SET fixed_at = $3 \
                 WHERE organisation_id = $1 AND id = $2 AND fixed_at IS NULL",
            )
            .bind(organisation)
            .bind(round)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO skill_round_gaps (organisation_id, round_id, unit_id, role_profile_id, competence_id, \
                   people, gap_now, gap_horizon, short_now, short_horizon) \
                 SELECT e.organisation_id, $2, COALESCE(e.unit_id, 0), e.role_profile_id, x.competence_id, COUNT(*), \
                   SUM(CASE WHEN r.level_now > x.level THEN r.level_now - x.level ELSE 0 END), \
                   SUM(CASE WHEN r.level_horizon > x.level THEN r.level_horizon - x.level ELSE 0 END), \
                   SUM(CASE WHEN r.level_now > x.level THEN 1 ELSE 0 END), \
                   SUM(CASE WHEN r.level_horizon > x.level THEN 1 ELSE 0 END) \
                 FROM ( \
                   SELECT a.employee_id, a.competence_id, a.level, ROW_NUMBER() OVER \
                     (PARTITION BY a.employee_id, a.competence_id ORDER BY a.assessed_on DESC, a.id DESC) AS n \
                   FROM employees w JOIN skill_assessments a ON a.employee_id = w.id \
                   WHERE w.organisation_id = $1 AND a.organisation_id = $1 AND a.assessed_on < $3) x \
                 JOIN employees e ON e.id = x.employee_id AND e.organisation_id = $1 \
                 JOIN role_requirements r ON r.role_profile_id = e.role_profile_id AND r.competence_id = x.competence_id \
                 WHERE x.n = 1 AND e.active \
                 GROUP BY e.organisation_id, COALESCE(e.unit_id, 0), e.role_profile_id, x.competence_id",
            )
            .bind(organisation)
            .bind(round)
            .bind(ends_on)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The fixed gap sums of a round.
    pub async fn round_gap_sums(
        &self,
        organisation: OrganisationId,
        round: RoundId,
    ) -> Result<Vec<GapSum>> {
        let rows: Vec<super::skills::GapRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT unit_id, role_profile_id, competence_id, people, gap_now, gap_horizon, short_now, short_horizon \
             FROM skill_round_gaps WHERE organisation_id = $1 AND round_id = $2",
        )
        .bind(organisation)
        .bind(round)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(GapSum::from).collect())
    }
}
