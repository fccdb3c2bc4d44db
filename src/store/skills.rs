//! Competence frameworks, role profiles, employees, assessments, rounds
//! and the kept gap sums. Scoped by organisation.
//!
//! `skill_levels` holds the level that counts per employee and competence;
//! `skill_gap_counts` the gap sums per unit, role and competence. Every
//! write that changes what an employee contributes takes the employee's
//! contribution out, changes, and puts it back, in one transaction.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{
    AuditMeta, Change, Store, conflict_on_unique, decode, list_text, on_pool, stored_list,
};
use crate::Result;
use crate::domain::{
    AssessmentId, CompetenceId, EmployeeId, FrameworkId, OrganisationId, RoleProfileId, RoundId,
    UnitId, UserId,
};
use crate::governance::spec::show_day;
use crate::pagination::{Page, PageRequest};
use crate::skills::gaps::GapSum;
use crate::skills::spec::{
    AssessmentSpec, CompetenceSpec, EmployeeSpec, FrameworkSpec, RoleProfileSpec, RoundSpec,
};
use crate::skills::{
    Assessment, AssessmentSource, Competence, Employee, Framework, Requirement, RoleProfile, Round,
    SkillLevel, digcomp,
};

#[derive(sqlx::FromRow)]
struct FrameworkRow {
    id: i64,
    organisation_id: i64,
    builtin: Option<String>,
    name: String,
    description: String,
    levels: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<FrameworkRow> for Framework {
    type Error = crate::Error;

    fn try_from(row: FrameworkRow) -> Result<Self> {
        Ok(Framework {
            id: FrameworkId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            builtin: row.builtin.is_some(),
            name: row.name,
            description: row.description,
            levels: stored_list(&row.levels)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! framework_columns {
    () => {
        "id, organisation_id, builtin, name, description, levels, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct CompetenceRow {
    id: i64,
    framework_id: i64,
    code: String,
    area: String,
    name: String,
    description: String,
    levels: String,
}

impl TryFrom<CompetenceRow> for Competence {
    type Error = crate::Error;

    fn try_from(row: CompetenceRow) -> Result<Self> {
        let levels: Vec<String> = stored_list(&row.levels)?;
        Ok(Competence {
            id: CompetenceId(row.id),
            framework_id: FrameworkId(row.framework_id),
            code: row.code,
            area: row.area,
            name: row.name,
            description: row.description,
            top_level: i64::try_from(levels.len()).unwrap_or(0),
        })
    }
}

macro_rules! competence_select {
    () => {
        "SELECT c.id, c.framework_id, c.code, c.area, c.name, c.description, f.levels \
         FROM competences c JOIN competence_frameworks f ON f.id = c.framework_id AND f.organisation_id = c.organisation_id "
    };
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: i64,
    organisation_id: i64,
    name: String,
    description: String,
    information_management: bool,
    fte_now: f64,
    fte_needed: f64,
    horizon_on: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

macro_rules! role_columns {
    () => {
        "id, organisation_id, name, description, information_management, fte_now, fte_needed, horizon_on, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct RequirementRow {
    role_profile_id: i64,
    competence_id: i64,
    level_now: i64,
    level_horizon: i64,
}

fn assemble_roles(rows: Vec<RoleRow>, requirements: &[RequirementRow]) -> Vec<RoleProfile> {
    rows.into_iter()
        .map(|row| RoleProfile {
            id: RoleProfileId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            requirements: requirements
                .iter()
                .filter(|r| r.role_profile_id == row.id)
                .map(|r| Requirement {
                    competence_id: CompetenceId(r.competence_id),
                    level_now: r.level_now,
                    level_horizon: r.level_horizon,
                })
                .collect(),
            name: row.name,
            description: row.description,
            information_management: row.information_management,
            fte_now: row.fte_now,
            fte_needed: row.fte_needed,
            horizon_on: show_day(row.horizon_on),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct EmployeeRow {
    id: i64,
    organisation_id: i64,
    number: String,
    name: String,
    user_id: Option<i64>,
    unit_id: Option<i64>,
    role_profile_id: Option<i64>,
    active: bool,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<EmployeeRow> for Employee {
    fn from(row: EmployeeRow) -> Self {
        Employee {
            id: EmployeeId(row.id),
            organisation_id: OrganisationId(row.organisation_id),
            number: row.number,
            name: row.name,
            user_id: row.user_id.map(UserId),
            unit_id: row.unit_id.map(UnitId),
            role_profile_id: row.role_profile_id.map(RoleProfileId),
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

macro_rules! employee_columns {
    () => {
        "id, organisation_id, number, name, user_id, unit_id, role_profile_id, active, created_at, updated_at"
    };
}

/// Inserts (`$before` none) or updates an employee inside `$tx`; evaluates
/// to the statement's result, so that callers name unique violations in
/// their own terms.
macro_rules! write_employee {
    ($tx:expr, $organisation:expr, $before:expr, $spec:expr, $at:expr) => {{
        let spec = $spec;
        let query: sqlx::query::QueryAs<_, EmployeeRow, _> = match $before {
            Some(before) => sqlx::query_as(concat!(
                "UPDATE employees SET number = $3, name = $4, user_id = $5, unit_id = $6, role_profile_id = $7, \
                 active = $8, updated_at = $9 WHERE organisation_id = $1 AND id = $2 RETURNING ", employee_columns!()
            ))
            .bind($organisation)
            .bind(before.id),
            None => sqlx::query_as(concat!(
                "INSERT INTO employees (organisation_id, number, name, user_id, unit_id, role_profile_id, active, \
                 created_at, updated_at) VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ", employee_columns!()
            ))
            .bind($organisation)
            // $2, the id, is the update's; bound unused to keep one list.
            .bind(0i64),
        };
        query
            .bind(&spec.number)
            .bind(spec.name.as_str())
            .bind(spec.user_id)
            .bind(spec.unit_id)
            .bind(spec.role_profile_id)
            .bind(spec.active)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await
    }};
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: i64,
    employee_id: i64,
    competence_id: i64,
    source: String,
    level: i64,
    evidence: String,
    assessed_on: i64,
}

impl TryFrom<AssessmentRow> for Assessment {
    type Error = crate::Error;

    fn try_from(row: AssessmentRow) -> Result<Self> {
        Ok(Assessment {
            id: AssessmentId(row.id),
            employee_id: EmployeeId(row.employee_id),
            competence_id: CompetenceId(row.competence_id),
            source: decode(&row.source, AssessmentSource::parse)?,
            level: row.level,
            evidence: row.evidence,
            assessed_on: show_day(row.assessed_on),
        })
    }
}

/// Levels (competence, level), the newest per source (competence, source,
/// level), requirements (competence, now, horizon) and the history.
type SkillRows = (
    Vec<(i64, i64)>,
    Vec<(i64, String, i64)>,
    Vec<(i64, i64, i64)>,
    Vec<AssessmentRow>,
);

/// Gap sums as `skill_gap_counts` and `skill_round_gaps` hold them; unit
/// 0 is "no unit".
#[derive(sqlx::FromRow)]
pub(super) struct GapRow {
    unit_id: i64,
    role_profile_id: i64,
    competence_id: i64,
    people: i64,
    gap_now: i64,
    gap_horizon: i64,
    short_now: i64,
    short_horizon: i64,
}

impl From<GapRow> for GapSum {
    fn from(r: GapRow) -> Self {
        GapSum {
            unit: (r.unit_id != 0).then_some(UnitId(r.unit_id)),
            role: RoleProfileId(r.role_profile_id),
            competence: CompetenceId(r.competence_id),
            people: r.people,
            gap_now: r.gap_now,
            gap_horizon: r.gap_horizon,
            short_now: r.short_now,
            short_horizon: r.short_horizon,
        }
    }
}

/// Filters of the employees register.
#[derive(Debug, Clone, Default)]
pub struct EmployeeFilter {
    pub search: String,
    pub unit: Option<UnitId>,
    pub role_profile: Option<RoleProfileId>,
}

macro_rules! employee_where {
    () => {
        " WHERE organisation_id = $1 \
          AND ($2 = '' OR LOWER(name) LIKE $2 OR LOWER(number) LIKE $2) \
          AND ($3 = 0 OR unit_id = $3) AND ($4 = 0 OR role_profile_id = $4) "
    };
}

/// Adds (`sign` 1) or takes out (`sign` −1) what some employees contribute
/// to the gap sums: `$filter` narrows the rows with `$3` (`employee`: one
/// employee, through the primary key of `skill_levels`; `role`: the people
/// in one role; `all`: the whole organisation). Each scope is its own
/// statement so that the planner can use the index that fits it.
macro_rules! contribute {
    ($tx:expr, $organisation:expr, $sign:expr, employee, $id:expr) => {
        contribute!(@run $tx, $organisation, $sign, "AND l.employee_id = $3", $id)
    };
    ($tx:expr, $organisation:expr, $sign:expr, role, $id:expr) => {
        contribute!(@run $tx, $organisation, $sign, "AND e.role_profile_id = $3", $id)
    };
    ($tx:expr, $organisation:expr, $sign:expr, all) => {
        contribute!(@run $tx, $organisation, $sign, "AND $3 = 0", 0i64)
    };
    (@run $tx:expr, $organisation:expr, $sign:expr, $filter:literal, $id:expr) => {{
        sqlx::query(concat!(
            "INSERT INTO skill_gap_counts (organisation_id, unit_id, role_profile_id, competence_id, \
               people, gap_now, gap_horizon, short_now, short_horizon) \
             SELECT l.organisation_id, COALESCE(e.unit_id, 0), e.role_profile_id, l.competence_id, \
               CAST($2 * COUNT(*) AS BIGINT), \
               CAST($2 * SUM(CASE WHEN r.level_now > l.level THEN r.level_now - l.level ELSE 0 END) AS BIGINT), \
               CAST($2 * SUM(CASE WHEN r.level_horizon > l.level THEN r.level_horizon - l.level ELSE 0 END) AS BIGINT), \
               CAST($2 * SUM(CASE WHEN r.level_now > l.level THEN 1 ELSE 0 END) AS BIGINT), \
               CAST($2 * SUM(CASE WHEN r.level_horizon > l.level THEN 1 ELSE 0 END) AS BIGINT) \
             FROM skill_levels l \
             JOIN employees e ON e.id = l.employee_id AND e.organisation_id = l.organisation_id \
             JOIN role_requirements r ON r.role_profile_id = e.role_profile_id AND r.competence_id = l.competence_id \
             WHERE l.organisation_id = $1 AND e.active ", $filter, " \
             GROUP BY l.organisation_id, COALESCE(e.unit_id, 0), e.role_profile_id, l.competence_id \
             ON CONFLICT (organisation_id, unit_id, role_profile_id, competence_id) DO UPDATE SET \
               people = skill_gap_counts.people + excluded.people, \
               gap_now = skill_gap_counts.gap_now + excluded.gap_now, \
               gap_horizon = skill_gap_counts.gap_horizon + excluded.gap_horizon, \
               short_now = skill_gap_counts.short_now + excluded.short_now, \
               short_horizon = skill_gap_counts.short_horizon + excluded.short_horizon"
        ))
        .bind($organisation)
        .bind($sign as i64)
        .bind($id)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM skill_gap_counts WHERE organisation_id = $1 AND people = 0")
            .bind($organisation)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// The English names of DigComp's eight levels, as stored; pages and the
/// API name them in the reader's language.
fn digcomp_levels() -> Vec<String> {
    digcomp::level_names(crate::domain::Locale::En)
}

impl Store {
    /// Gives every organisation without it the built-in DigComp 2.2
    /// framework; run at start-up and when an organisation is created.
    pub async fn install_builtin_frameworks(&self, at: OffsetDateTime) -> Result<()> {
        let levels = list_text(&digcomp_levels())?;
        let competences = digcomp::competences();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let missing: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM organisations o WHERE NOT EXISTS \
                 (SELECT 1 FROM competence_frameworks f WHERE f.organisation_id = o.id AND f.builtin = $1)",
            )
            .bind(digcomp::CODE)
            .fetch_all(&mut *tx)
            .await?;
            for organisation in missing {
                let framework: i64 = sqlx::query_scalar(
                    "INSERT INTO competence_frameworks (organisation_id, builtin, name, description, levels, created_at, updated_at) \
                     VALUES ($1, $2, $3, '', $4, $5, $5) RETURNING id",
                )
                .bind(organisation)
                .bind(digcomp::CODE)
                .bind(digcomp::NAME)
                .bind(&levels)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                for c in &competences {
                    sqlx::query(
                        "INSERT INTO competences (organisation_id, framework_id, code, area, name, description, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, '', $6, $6)",
                    )
                    .bind(organisation)
                    .bind(framework)
                    .bind(&c.code)
                    .bind(&c.area)
                    .bind(&c.name)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The built-in framework first, then the organisation's own by name.
    pub async fn frameworks(&self, organisation: OrganisationId) -> Result<Vec<Framework>> {
        let rows: Vec<FrameworkRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", framework_columns!(), " FROM competence_frameworks WHERE organisation_id = $1 \
             ORDER BY CASE WHEN builtin IS NULL THEN 1 ELSE 0 END, LOWER(name), id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Framework::try_from).collect()
    }

    pub async fn framework(
        &self,
        organisation: OrganisationId,
        id: FrameworkId,
    ) -> Result<Framework> {
        let row: FrameworkRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", framework_columns!(), " FROM competence_frameworks WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// Saves an organisation's own framework. A scale may not shrink below
    /// a level already required or assessed (`Conflict` on `levels`).
    pub async fn save_framework(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Framework>,
        spec: &FrameworkSpec,
    ) -> Result<Framework> {
        let levels = list_text(&spec.levels)?;
        let top = i64::try_from(spec.levels.len()).unwrap_or(i64::MAX);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: FrameworkRow = match before {
                Some(before) => {
                    let used: Option<i64> = sqlx::query_scalar(
                        "SELECT MAX(level) FROM ( \
                           SELECT r.level_now AS level FROM role_requirements r JOIN competences c ON c.id = r.competence_id WHERE c.framework_id = $1 \
                           UNION ALL SELECT r.level_horizon FROM role_requirements r JOIN competences c ON c.id = r.competence_id WHERE c.framework_id = $1 \
                           UNION ALL SELECT a.level FROM skill_assessments a JOIN competences c ON c.id = a.competence_id WHERE c.framework_id = $1) u",
                    )
                    .bind(before.id)
                    .fetch_one(&mut *tx)
                    .await?;
                    if used.is_some_and(|used| used > top) {
                        return Err(crate::Error::conflict("levels", "levels_in_use"));
                    }
                    sqlx::query_as(concat!(
                        "UPDATE competence_frameworks SET name = $3, description = $4, levels = $5, updated_at = $6 \
                         WHERE organisation_id = $1 AND id = $2 AND builtin IS NULL RETURNING ", framework_columns!()
                    ))
                    .bind(organisation)
                    .bind(before.id)
                    .bind(spec.name.as_str())
                    .bind(&spec.description)
                    .bind(&levels)
                    .bind(meta.at)
                    .fetch_one(&mut *tx)
                    .await
                }
                None => sqlx::query_as(concat!(
                    "INSERT INTO competence_frameworks (organisation_id, builtin, name, description, levels, created_at, updated_at) \
                     VALUES ($1, NULL, $2, $3, $4, $5, $5) RETURNING ", framework_columns!()
                ))
                .bind(organisation)
                .bind(spec.name.as_str())
                .bind(&spec.description)
                .bind(&levels)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let after = Framework::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("competence_framework", after.id, before, &after),
                None => Change::created("competence_framework", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Every competence of the organisation: the built-in framework's
    /// first, each framework's by code.
    pub async fn competences(&self, organisation: OrganisationId) -> Result<Vec<Competence>> {
        let rows: Vec<CompetenceRow> = on_pool!(self, p => sqlx::query_as(concat!(
            competence_select!(),
            "WHERE c.organisation_id = $1 \
             ORDER BY CASE WHEN f.builtin IS NULL THEN 1 ELSE 0 END, LOWER(f.name), f.id, c.code, c.id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Competence::try_from).collect()
    }

    pub async fn competence(
        &self,
        organisation: OrganisationId,
        id: CompetenceId,
    ) -> Result<Competence> {
        let row: CompetenceRow = on_pool!(self, p => sqlx::query_as(concat!(
            competence_select!(), "WHERE c.organisation_id = $1 AND c.id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    /// Saves a competence of an organisation's own framework; `Conflict` on
    /// a code the framework already uses.
    pub async fn save_competence(
        &self,
        meta: &AuditMeta,
        framework: &Framework,
        before: Option<&Competence>,
        spec: &CompetenceSpec,
    ) -> Result<Competence> {
        let organisation = framework.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                Some(before) => sqlx::query_scalar(
                    "UPDATE competences SET code = $3, area = $4, name = $5, description = $6, updated_at = $7 \
                     WHERE organisation_id = $1 AND id = $2 RETURNING id",
                )
                .bind(organisation)
                .bind(before.id)
                .bind(&spec.code)
                .bind(&spec.area)
                .bind(spec.name.as_str())
                .bind(&spec.description)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
                None => sqlx::query_scalar(
                    "INSERT INTO competences (organisation_id, framework_id, code, area, name, description, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(organisation)
                .bind(framework.id)
                .bind(&spec.code)
                .bind(&spec.area)
                .bind(spec.name.as_str())
                .bind(&spec.description)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "code", "taken"))?;
            let row: CompetenceRow = sqlx::query_as(concat!(
                competence_select!(), "WHERE c.organisation_id = $1 AND c.id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let after = Competence::try_from(row)?;
            let change = match before {
                Some(before) => Change::updated("competence", after.id, before, &after),
                None => Change::created("competence", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Every role profile with its requirements, by name.
    pub async fn role_profiles(&self, organisation: OrganisationId) -> Result<Vec<RoleProfile>> {
        let (rows, requirements): (Vec<RoleRow>, Vec<RequirementRow>) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                "SELECT ", role_columns!(), " FROM role_profiles WHERE organisation_id = $1 ORDER BY LOWER(name), id"
            ))
            .bind(organisation)
            .fetch_all(p)
            .await?;
            let requirements = sqlx::query_as(
                "SELECT r.role_profile_id, r.competence_id, r.level_now, r.level_horizon FROM role_requirements r \
                 JOIN competences c ON c.id = r.competence_id WHERE r.organisation_id = $1 \
                 ORDER BY r.role_profile_id, c.framework_id, c.code",
            )
            .bind(organisation)
            .fetch_all(p)
            .await?;
            (rows, requirements)
        });
        Ok(assemble_roles(rows, &requirements))
    }

    pub async fn role_profile(
        &self,
        organisation: OrganisationId,
        id: RoleProfileId,
    ) -> Result<RoleProfile> {
        let (row, requirements): (RoleRow, Vec<RequirementRow>) = on_pool!(self, p => {
            let row = sqlx::query_as(concat!(
                "SELECT ", role_columns!(), " FROM role_profiles WHERE organisation_id = $1 AND id = $2"
            ))
            .bind(organisation)
            .bind(id)
            .fetch_one(p)
            .await?;
            let requirements = sqlx::query_as(
                "SELECT r.role_profile_id, r.competence_id, r.level_now, r.level_horizon FROM role_requirements r \
                 JOIN competences c ON c.id = r.competence_id WHERE r.organisation_id = $1 AND r.role_profile_id = $2 \
                 ORDER BY c.framework_id, c.code",
            )
            .bind(organisation)
            .bind(id)
            .fetch_all(p)
            .await?;
            (row, requirements)
        });
        assemble_roles(vec![row], &requirements)
            .pop()
            .ok_or(crate::Error::NotFound)
    }

    /// Saves a role profile with its requirements; the gap sums of the
    /// people in the role follow in the same transaction.
    pub async fn save_role_profile(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&RoleProfile>,
        spec: &RoleProfileSpec,
    ) -> Result<RoleProfile> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: RoleRow = match before {
                Some(before) => sqlx::query_as(concat!(
                    "UPDATE role_profiles SET name = $3, description = $4, information_management = $5, fte_now = $6, \
                     fte_needed = $7, horizon_on = $8, updated_at = $9 WHERE organisation_id = $1 AND id = $2 RETURNING ",
                    role_columns!()
                ))
                .bind(organisation)
                .bind(before.id)
                .bind(spec.name.as_str())
                .bind(&spec.description)
                .bind(spec.information_management)
                .bind(spec.fte_now)
                .bind(spec.fte_needed)
                .bind(spec.horizon_on)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
                None => sqlx::query_as(concat!(
                    "INSERT INTO role_profiles (organisation_id, name, description, information_management, fte_now, \
                     fte_needed, horizon_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ",
                    role_columns!()
                ))
                .bind(organisation)
                .bind(spec.name.as_str())
                .bind(&spec.description)
                .bind(spec.information_management)
                .bind(spec.fte_now)
                .bind(spec.fte_needed)
                .bind(spec.horizon_on)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await,
            }
            .map_err(|e| conflict_on_unique(e, "name", "taken"))?;
            let id = row.id;
            let changed = before.is_none_or(|b| b.requirements != spec.requirements);
            if changed {
                contribute!(tx, organisation, -1, role, id);
                sqlx::query("DELETE FROM role_requirements WHERE organisation_id = $1 AND role_profile_id = $2")
                    .bind(organisation)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for r in &spec.requirements {
                    sqlx::query(
                        "INSERT INTO role_requirements (organisation_id, role_profile_id, competence_id, level_now, level_horizon) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(organisation)
                    .bind(id)
                    .bind(r.competence_id)
                    .bind(r.level_now)
                    .bind(r.level_horizon)
                    .execute(&mut *tx)
                    .await?;
                }
                contribute!(tx, organisation, 1, role, id);
            }
            let after = assemble_roles(
                vec![row],
                &spec
                    .requirements
                    .iter()
                    .map(|r| RequirementRow {
                        role_profile_id: id,
                        competence_id: r.competence_id.0,
                        level_now: r.level_now,
                        level_horizon: r.level_horizon,
                    })
                    .collect::<Vec<_>>(),
            )
            .pop()
            .ok_or(crate::Error::NotFound)?;
            let change = match before {
                Some(before) => Change::updated("role_profile", after.id, before, &after),
                None => Change::created("role_profile", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Deletes a competence of an organisation's own framework that no
    /// role requires, nobody was assessed in and no learning action aims
    /// at; `Conflict` otherwise.
    pub async fn delete_competence(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        competence: &Competence,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let uses: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM role_requirements WHERE organisation_id = $1 AND competence_id = $2) \
                 + (SELECT COUNT(*) FROM skill_levels l JOIN employees e ON e.id = l.employee_id \
                    WHERE e.organisation_id = $1 AND l.competence_id = $2) \
                 + (SELECT COUNT(*) FROM skill_assessments a JOIN employees e ON e.id = a.employee_id \
                    WHERE e.organisation_id = $1 AND a.competence_id = $2) \
                 + (SELECT COUNT(*) FROM learning_actions WHERE organisation_id = $1 AND competence_id = $2)",
            )
            .bind(organisation)
            .bind(competence.id)
            .fetch_one(&mut *tx)
            .await?;
            if uses > 0 {
                return Err(crate::Error::conflict("competence", "in_use"));
            }
            sqlx::query(
                "DELETE FROM competences WHERE id = $2 AND framework_id IN \
                 (SELECT id FROM competence_frameworks WHERE organisation_id = $1)",
            )
            .bind(organisation)
            .bind(competence.id)
            .execute(&mut *tx)
            .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("competence", competence.id, competence))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes a role profile that no employee has (active or not) and no
    /// learning action is for, with its requirements; `Conflict` otherwise.
    pub async fn delete_role_profile(&self, meta: &AuditMeta, role: &RoleProfile) -> Result<()> {
        let organisation = role.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let uses: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM employees WHERE organisation_id = $1 AND role_profile_id = $2) \
                 + (SELECT COUNT(*) FROM learning_actions WHERE organisation_id = $1 AND role_profile_id = $2)",
            )
            .bind(organisation)
            .bind(role.id)
            .fetch_one(&mut *tx)
            .await?;
            if uses > 0 {
                return Err(crate::Error::conflict("role_profile", "in_use"));
            }
            sqlx::query("DELETE FROM role_requirements WHERE organisation_id = $1 AND role_profile_id = $2")
                .bind(organisation)
                .bind(role.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM role_profiles WHERE organisation_id = $1 AND id = $2")
                .bind(organisation)
                .bind(role.id)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::deleted("role_profile", role.id, role))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A page of the employees register, by name.
    pub async fn employees(
        &self,
        organisation: OrganisationId,
        filter: &EmployeeFilter,
        page: PageRequest,
    ) -> Result<Page<Employee>> {
        let search = match filter.search.trim() {
            "" => String::new(),
            s => format!("%{}%", s.to_lowercase()),
        };
        let unit = filter.unit.map_or(0, |u| u.0);
        let role = filter.role_profile.map_or(0, |r| r.0);
        let (rows, total): (Vec<EmployeeRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(concat!(
                "SELECT ", employee_columns!(), " FROM employees", employee_where!(),
                "ORDER BY LOWER(name), id LIMIT $5 OFFSET $6"
            ))
            .bind(organisation)
            .bind(&search)
            .bind(unit)
            .bind(role)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(p)
            .await?;
            let total = sqlx::query_scalar(concat!("SELECT COUNT(*) FROM employees", employee_where!()))
                .bind(organisation)
                .bind(&search)
                .bind(unit)
                .bind(role)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        Ok(Page::new(
            rows.into_iter().map(Employee::from).collect(),
            page,
            total,
        ))
    }

    /// The active employees of the given units, by name.
    pub async fn employees_in_units(
        &self,
        organisation: OrganisationId,
        units: &[UnitId],
    ) -> Result<Vec<Employee>> {
        let rows: Vec<EmployeeRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", employee_columns!(), " FROM employees WHERE organisation_id = $1 AND active \
             AND unit_id IS NOT NULL ORDER BY LOWER(name), id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(Employee::from)
            .filter(|e| e.unit_id.is_some_and(|u| units.contains(&u)))
            .collect())
    }

    pub async fn employee(&self, organisation: OrganisationId, id: EmployeeId) -> Result<Employee> {
        let row: EmployeeRow = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", employee_columns!(), " FROM employees WHERE organisation_id = $1 AND id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok(row.into())
    }

    /// The employee record of a user in the organisation, if any.
    pub async fn employee_of_user(
        &self,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<Option<Employee>> {
        let row: Option<EmployeeRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", employee_columns!(), " FROM employees WHERE organisation_id = $1 AND user_id = $2"
        ))
        .bind(organisation)
        .bind(user)
        .fetch_optional(p)
        .await?);
        Ok(row.map(Employee::from))
    }

    /// Saves an employee; `Conflict` on a personnel number or account that
    /// another employee has. A move to another unit or role carries the
    /// employee's levels to the gap sums of the new group.
    pub async fn save_employee(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&Employee>,
        spec: &EmployeeSpec,
    ) -> Result<Employee> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if let Some(before) = before {
                contribute!(tx, organisation, -1, employee, before.id);
            }
            let result = write_employee!(tx, organisation, before, spec, meta.at);
            let row = match result {
                Ok(row) => row,
                Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                    let field = if db.message().contains("user_id") || db.constraint().is_some_and(|c| c.contains("user")) {
                        "user_id"
                    } else {
                        "number"
                    };
                    return Err(crate::Error::conflict(field, "taken"));
                }
                Err(e) => return Err(e.into()),
            };
            let after = Employee::from(row);
            contribute!(tx, organisation, 1, employee, after.id);
            let change = match before {
                Some(before) => Change::updated("employee", after.id, before, &after),
                None => Change::created("employee", after.id, &after),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// The whole register, for an import to match rows against.
    pub async fn all_employees(&self, organisation: OrganisationId) -> Result<Vec<Employee>> {
        let rows: Vec<EmployeeRow> = on_pool!(self, p => sqlx::query_as(concat!(
            "SELECT ", employee_columns!(), " FROM employees WHERE organisation_id = $1 ORDER BY id"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Employee::from).collect())
    }

    /// Writes an import's changed rows in one transaction. The gap sums
    /// are rebuilt once for the organisation rather than per employee:
    /// an import may move thousands of people at once.
    pub async fn import_employees(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        rows: &[&crate::skills::import::Planned],
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM skill_gap_counts WHERE organisation_id = $1")
                .bind(organisation)
                .execute(&mut *tx)
                .await?;
            for planned in rows {
                let spec = &planned.spec;
                let result = write_employee!(tx, organisation, planned.before.as_ref(), spec, meta.at);
                let after = match result {
                    Ok(row) => Employee::from(row),
                    // Someone changed the register since the file was
                    // checked: nothing of the import is kept.
                    Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                        return Err(crate::Error::invalid(
                            &format!("rows[{}].number", planned.line),
                            "changed_meanwhile",
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                let change = match &planned.before {
                    Some(before) => Change::updated("employee", after.id, before, &after),
                    None => Change::created("employee", after.id, &after),
                };
                write_audit!(&mut *tx, meta, &change)?;
            }
            contribute!(tx, organisation, 1, all);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records assessments of one employee dated `day`; the level that
    /// counts and the gap sums follow in the same transaction. The audit
    /// log says which competences were assessed, not the levels: those are
    /// personal data.
    pub async fn record_assessments(
        &self,
        meta: &AuditMeta,
        employee: &Employee,
        source: AssessmentSource,
        specs: &[AssessmentSpec],
        day: i64,
    ) -> Result<()> {
        let organisation = employee.organisation_id;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            contribute!(tx, organisation, -1, employee, employee.id);
            for spec in specs {
                sqlx::query(
                    "INSERT INTO skill_assessments (organisation_id, employee_id, competence_id, source, level, evidence, \
                     assessed_on, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(organisation)
                .bind(employee.id)
                .bind(spec.competence_id)
                .bind(source.code())
                .bind(spec.level)
                .bind(&spec.evidence)
                .bind(day)
                .bind(meta.actor_user_id)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO skill_levels (organisation_id, employee_id, competence_id, level) \
                     SELECT a.organisation_id, a.employee_id, a.competence_id, a.level FROM skill_assessments a \
                     WHERE a.organisation_id = $1 AND a.employee_id = $2 AND a.competence_id = $3 \
                     ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1 \
                     ON CONFLICT (employee_id, competence_id) DO UPDATE SET level = excluded.level",
                )
                .bind(organisation)
                .bind(employee.id)
                .bind(spec.competence_id)
                .execute(&mut *tx)
                .await?;
            }
            contribute!(tx, organisation, 1, employee, employee.id);
            let assessed: Vec<i64> = specs.iter().map(|s| s.competence_id.0).collect();
            let change = Change::new(
                "assess",
                "employee_skills",
                employee.id,
                None,
                Some(serde_json::json!({ "source": source.code(), "competence_ids": assessed })),
            );
            write_audit!(&mut *tx, meta, &change)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// An employee's levels per competence that has a level or a
    /// requirement, and the newest 500 assessments.
    pub async fn employee_skills(
        &self,
        employee: &Employee,
    ) -> Result<(Vec<SkillLevel>, Vec<Assessment>)> {
        let organisation = employee.organisation_id;
        let (levels, latest, requirements, history): SkillRows = on_pool!(self, p => {
            let levels = sqlx::query_as(
                "SELECT competence_id, level FROM skill_levels WHERE organisation_id = $1 AND employee_id = $2",
            )
            .bind(organisation)
            .bind(employee.id)
            .fetch_all(p)
            .await?;
            let latest = sqlx::query_as(
                "SELECT competence_id, source, level FROM ( \
                   SELECT competence_id, source, level, ROW_NUMBER() OVER \
                     (PARTITION BY competence_id, source ORDER BY assessed_on DESC, id DESC) AS n \
                   FROM skill_assessments WHERE organisation_id = $1 AND employee_id = $2) x WHERE n = 1",
            )
            .bind(organisation)
            .bind(employee.id)
            .fetch_all(p)
            .await?;
            let requirements = sqlx::query_as(
                "SELECT competence_id, level_now, level_horizon FROM role_requirements \
                 WHERE organisation_id = $1 AND role_profile_id = $2",
            )
            .bind(organisation)
            .bind(employee.role_profile_id.map_or(0, |r| r.0))
            .fetch_all(p)
            .await?;
            let history = sqlx::query_as(
                "SELECT id, employee_id, competence_id, source, level, evidence, assessed_on FROM skill_assessments \
                 WHERE organisation_id = $1 AND employee_id = $2 ORDER BY assessed_on DESC, id DESC LIMIT 500",
            )
            .bind(organisation)
            .bind(employee.id)
            .fetch_all(p)
            .await?;
            (levels, latest, requirements, history)
        });
        let mut by_competence: HashMap<i64, SkillLevel> = HashMap::new();
        let blank = |c: i64| SkillLevel {
            competence_id: CompetenceId(c),
            level: None,
            self_level: None,
            manager_level: None,
            required_now: None,
            required_horizon: None,
        };
        for (c, level) in levels {
            by_competence.entry(c).or_insert_with(|| blank(c)).level = Some(level);
        }
        for (c, source, level) in latest {
            let e = by_competence.entry(c).or_insert_with(|| blank(c));
            match decode(&source, AssessmentSource::parse)? {
                AssessmentSource::Employee => e.self_level = Some(level),
                AssessmentSource::Manager => e.manager_level = Some(level),
            }
        }
        for (c, now, horizon) in requirements {
            let e = by_competence.entry(c).or_insert_with(|| blank(c));
            e.required_now = Some(now);
            e.required_horizon = Some(horizon);
        }
        let mut levels: Vec<SkillLevel> = by_competence.into_values().collect();
        levels.sort_by_key(|l| l.competence_id);
        let history = history
            .into_iter()
            .map(Assessment::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok((levels, history))
    }

    /// The kept gap sums of the organisation.
    pub async fn gap_sums(&self, organisation: OrganisationId) -> Result<Vec<GapSum>> {
        let rows: Vec<GapRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT unit_id, role_profile_id, competence_id, people, gap_now, gap_horizon, short_now, short_horizon \
             FROM skill_gap_counts WHERE organisation_id = $1 AND people > 0",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(GapSum::from).collect())
    }

    /// Recomputes the organisation's gap sums from the levels: after bulk
    /// loads, and in tests to prove the kept sums right.
    pub async fn rebuild_gap_sums(&self, organisation: OrganisationId) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM skill_gap_counts WHERE organisation_id = $1")
                .bind(organisation)
                .execute(&mut *tx)
                .await?;
            contribute!(tx, organisation, 1, all);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The smallest group aggregates show.
    pub async fn min_group_size(&self, organisation: OrganisationId) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT CAST(min_group_size AS BIGINT) FROM organisations WHERE id = $1",
        )
        .bind(organisation)
        .fetch_one(p)
        .await?))
    }

    pub async fn set_min_group_size(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        size: i64,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: i64 = sqlx::query_scalar(
                "SELECT CAST(min_group_size AS BIGINT) FROM organisations WHERE id = $1",
            )
            .bind(organisation)
            .fetch_one(&mut *tx)
            .await?;
            if before != size {
                sqlx::query("UPDATE organisations SET min_group_size = $2 WHERE id = $1")
                    .bind(organisation)
                    .bind(size)
                    .execute(&mut *tx)
                    .await?;
                let change = Change::updated(
                    "skills_settings",
                    organisation,
                    &serde_json::json!({ "min_group_size": before }),
                    &serde_json::json!({ "min_group_size": size }),
                );
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Assessment rounds by start date.
    pub async fn rounds(&self, organisation: OrganisationId) -> Result<Vec<Round>> {
        let rows: Vec<(i64, String, i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, starts_on, CAST(CASE WHEN fixed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
             FROM assessment_rounds WHERE organisation_id = $1 ORDER BY starts_on",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, name, day, fixed)| Round {
                id: RoundId(id),
                name,
                starts_on: show_day(day),
                fixed: fixed == 1,
            })
            .collect())
    }

    /// Starts an assessment round; `Conflict` on a name or start date in use.
    pub async fn create_round(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        spec: &RoundSpec,
    ) -> Result<Round> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO assessment_rounds (organisation_id, name, starts_on, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(organisation)
            .bind(spec.name.as_str())
            .bind(spec.starts_on)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_unique_violation() && db.message().contains("starts_on") => {
                    crate::Error::conflict("starts_on", "taken")
                }
                _ => conflict_on_unique(e, "name", "taken"),
            })?;
            // A round that starts before others shortens the one before
            // it: that one's fixed figures no longer fit its end, so they
            // are computed again when next read.
            let shortened: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM assessment_rounds WHERE organisation_id = $1 AND starts_on < $2 \
                 ORDER BY starts_on DESC LIMIT 1",
            )
            .bind(organisation)
            .bind(spec.starts_on)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(shortened) = shortened {
                sqlx::query("DELETE FROM skill_round_gaps WHERE organisation_id = $1 AND round_id = $2")
                    .bind(organisation)
                    .bind(shortened)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE assessment_rounds SET fixed_at = NULL WHERE organisation_id = $1 AND id = $2")
                    .bind(organisation)
                    .bind(shortened)
                    .execute(&mut *tx)
                    .await?;
            }
            let round = Round {
                id: RoundId(id),
                name: spec.name.as_str().to_owned(),
                starts_on: show_day(spec.starts_on),
                fixed: false,
            };
            write_audit!(&mut *tx, meta, &Change::created("assessment_round", round.id, &round))?;
            tx.commit().await?;
            Ok(round)
        })
    }
}
