//! People and skills: competence frameworks (DigComp 2.2 built in, the
//! organisation's own beside it), role profiles with the level each
//! competence needs now and at a horizon and the FTE plan, the employees
//! register, assessments by the employee and their manager, and the gap
//! analysis over groups large enough to stay anonymous.
//!
//! `digcomp.rs` holds the built-in framework, `spec.rs` validates input,
//! `privacy.rs` decides who sees an individual, `gaps.rs` (pure) turns gap
//! sums into heatmap cells and hides small groups, also against
//! subtraction; `service.rs`, `api.rs` and `pages.rs` as elsewhere.

pub(crate) mod action_pages;
pub mod actions;
pub mod actions_api;
pub mod api;
pub mod digcomp;
pub mod export;
pub mod gaps;
pub mod import;
pub(crate) mod import_pages;
pub(crate) mod pages;
pub mod privacy;
pub mod service;
pub mod spec;
pub mod trend;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{
    AssessmentId, CompetenceId, EmployeeId, FrameworkId, LearningActionId, OrganisationId,
    RoleProfileId, RoundId, UnitId, UserId,
};

code_enum!(
    /// Who made an assessment.
    AssessmentSource, "assessment_source", {
        Employee => "employee",
        Manager => "manager",
    }
);

code_enum!(
    /// What a learning action is.
    LearningKind, "learning_kind", {
        Training => "training",
        Coaching => "coaching",
    }
);

code_enum!(
    /// Where a learning action stands.
    LearningStatus, "learning_status", {
        Planned => "planned",
        Underway => "underway",
        Done => "done",
        Cancelled => "cancelled",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Framework {
    pub id: FrameworkId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    /// Whether this is the built-in DigComp 2.2, which cannot be changed.
    pub builtin: bool,
    pub name: String,
    pub description: String,
    /// The names of the levels, level 1 first.
    pub levels: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Competence {
    pub id: CompetenceId,
    pub framework_id: FrameworkId,
    /// E.g. "1.3" in DigComp, or the organisation's own code.
    pub code: String,
    /// The competence area, e.g. "Information and data literacy".
    pub area: String,
    pub name: String,
    pub description: String,
    /// The highest level of the framework's scale (the lowest is 1).
    pub top_level: i64,
}

/// The level a role needs in one competence, now and at the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Requirement {
    pub competence_id: CompetenceId,
    /// 1 up to the top of the competence's scale.
    #[schema(minimum = 1)]
    pub level_now: i64,
    #[schema(minimum = 1)]
    pub level_horizon: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoleProfile {
    pub id: RoleProfileId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub name: String,
    pub description: String,
    /// Whether the role counts towards information-management capacity.
    pub information_management: bool,
    /// FTE in this role today.
    pub fte_now: f64,
    /// FTE the organisation needs in this role at the horizon.
    pub fte_needed: f64,
    /// The horizon date, `YYYY-MM-DD`.
    pub horizon_on: String,
    pub requirements: Vec<Requirement>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Employee {
    pub id: EmployeeId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    /// The personnel number, unique in the organisation.
    pub number: String,
    pub name: String,
    /// The Koers account of this employee, when there is one.
    pub user_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    pub role_profile_id: Option<RoleProfileId>,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One assessment in an employee's history.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: AssessmentId,
    pub employee_id: EmployeeId,
    pub competence_id: CompetenceId,
    pub source: AssessmentSource,
    pub level: i64,
    /// What shows the level, e.g. a certificate or a piece of work.
    pub evidence: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
}

/// The level that counts for one competence of one employee (the newest
/// assessment, by the employee or their manager) with the requirement of
/// the employee's role.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SkillLevel {
    pub competence_id: CompetenceId,
    pub level: Option<i64>,
    pub self_level: Option<i64>,
    pub manager_level: Option<i64>,
    pub required_now: Option<i64>,
    pub required_horizon: Option<i64>,
}

/// An employee's levels, as the employee, their unit lead or HR sees them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EmployeeSkills {
    pub employee: Employee,
    pub levels: Vec<SkillLevel>,
    pub history: Vec<Assessment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: RoundId,
    pub name: String,
    /// `YYYY-MM-DD`; the round lasts until the next one starts.
    pub starts_on: String,
    /// Whether the round's gap figures are fixed: once the next round has
    /// started they are computed from the levels as they were at its end
    /// and kept as measured.
    pub fixed: bool,
}

/// A training or coaching for a group (a unit with the units below it, a
/// role profile, or the whole organisation), aimed at one competence.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LearningAction {
    pub id: LearningActionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub title: String,
    pub kind: LearningKind,
    pub competence_id: CompetenceId,
    /// The unit the action is for; absent with a role or for everyone.
    pub unit_id: Option<UnitId>,
    /// The role profile the action is for; absent with a unit or for everyone.
    pub role_profile_id: Option<RoleProfileId>,
    /// `YYYY-MM-DD`.
    pub planned_on: String,
    pub status: LearningStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

// ---- input ----

/// An organisation's own framework; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct FrameworkInput {
    /// 1–200 characters, unique in the organisation. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    /// The level names, lowest first: 2 to 10 levels. Required on create.
    #[schema(nullable = false)]
    pub levels: Option<Vec<String>>,
}

/// A competence in an organisation's own framework; on a change, absent
/// fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct CompetenceInput {
    /// 1–20 characters without spaces, unique in the framework. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 20)]
    pub code: Option<String>,
    /// Up to 200 characters, e.g. "Toekomstvaardigheden".
    #[schema(nullable = false, max_length = 200)]
    pub area: Option<String>,
    /// 1–200 characters. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
}

/// A role profile; on a change, absent fields stay. `requirements`, when
/// given, replaces the whole list.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct RoleProfileInput {
    /// 1–200 characters, unique in the organisation. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    #[schema(nullable = false)]
    pub information_management: Option<bool>,
    /// 0 to 100000, at most one decimal. Required on create.
    #[schema(nullable = false, minimum = 0)]
    pub fte_now: Option<f64>,
    /// 0 to 100000, at most one decimal. Required on create.
    #[schema(nullable = false, minimum = 0)]
    pub fte_needed: Option<f64>,
    /// `YYYY-MM-DD`. Required on create.
    #[schema(nullable = false)]
    pub horizon_on: Option<String>,
    #[schema(nullable = false)]
    pub requirements: Option<Vec<Requirement>>,
}

/// An employee; on a change, absent fields stay and `null` clears the
/// unit, role profile or account.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct EmployeeInput {
    /// The personnel number: 1–40 characters, unique. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 40)]
    pub number: Option<String>,
    /// 1–200 characters. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub role_profile_id: Option<Option<i64>>,
    #[schema(nullable = false)]
    pub active: Option<bool>,
}

/// One assessment of one competence.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct AssessmentInput {
    #[schema(nullable = false)]
    pub competence_id: Option<i64>,
    /// 1 up to the top of the competence's scale.
    #[schema(nullable = false, minimum = 1)]
    pub level: Option<i64>,
    /// Up to 1000 characters.
    #[schema(nullable = false, max_length = 1000)]
    pub evidence: Option<String>,
}

/// Several assessments at once, as one employee fills in the form.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct AssessmentsInput {
    /// `employee` (a self-assessment) or `manager` (their unit lead or HR).
    #[schema(nullable = false)]
    pub source: Option<AssessmentSource>,
    #[schema(nullable = false)]
    pub assessments: Option<Vec<AssessmentInput>>,
}

/// A learning action; on a change, absent fields stay and `null` clears
/// the unit or role profile.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct LearningActionInput {
    /// 1–200 characters. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// Required on create.
    #[schema(nullable = false)]
    pub kind: Option<LearningKind>,
    /// The competence it aims at. Required on create.
    #[schema(nullable = false)]
    pub competence_id: Option<i64>,
    /// A unit (with the units below it), or …
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    /// … a role profile; neither means the whole organisation.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub role_profile_id: Option<Option<i64>>,
    /// `YYYY-MM-DD`. Required on create.
    #[schema(nullable = false)]
    pub planned_on: Option<String>,
    /// `planned` when left out on create.
    #[schema(nullable = false)]
    pub status: Option<LearningStatus>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct RoundInput {
    /// 1–200 characters, unique. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// `YYYY-MM-DD`, one round per day. Required.
    #[schema(nullable = false)]
    pub starts_on: Option<String>,
}
