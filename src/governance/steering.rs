//! Steering: the governance bodies of a programme with their meetings, and
//! the decision log whose follow-up actions show whether a decision is
//! carried out.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Participant;
use crate::domain::{
    AmbitionId, BodyId, DecisionActionId, DecisionId, IndicatorId, MeetingId, OrganisationId,
    ProgrammeId, UserId,
};

code_enum!(
    /// What kind of body steers.
    BodyKind, "body_kind", {
        SteeringCommittee => "steering_committee",
        ProgrammeOffice => "programme_office",
        NewUnit => "new_unit",
        Board => "board",
        Other => "other",
    }
);

code_enum!(
    /// Where a decision stands.
    DecisionStatus, "decision_status", {
        Proposed => "proposed",
        Taken => "taken",
        Implemented => "implemented",
        Withdrawn => "withdrawn",
    }
);

code_enum!(
    /// Where a follow-up action stands.
    ActionStatus, "action_status", {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GovernanceBody {
    pub id: BodyId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    pub kind: BodyKind,
    pub name: String,
    /// Meets every this many weeks; absent when it meets ad hoc.
    pub cadence_weeks: Option<i64>,
    pub members: Vec<Participant>,
    /// `YYYY-MM-DD` of the latest meeting on record.
    pub last_met_on: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: MeetingId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub body_id: BodyId,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub attendees: Vec<String>,
    pub agenda: String,
    pub minutes: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub id: DecisionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    /// The body that took it, if any.
    pub body_id: Option<BodyId>,
    pub title: String,
    pub rationale: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    pub status: DecisionStatus,
    pub ambition_ids: Vec<AmbitionId>,
    pub indicator_ids: Vec<IndicatorId>,
    /// Follow-up actions still open.
    pub open_actions: i64,
    /// Open actions past their due date.
    pub overdue_actions: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionAction {
    pub id: DecisionActionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub decision_id: DecisionId,
    pub description: String,
    /// The member who owns it, when they have an account.
    pub owner_id: Option<UserId>,
    pub owner_name: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub status: ActionStatus,
    /// `YYYY-MM-DD`, set when done.
    pub completed_on: Option<String>,
    /// Open and past its due date (today in the organisation's calendar).
    pub overdue: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A body as it arrives; on a change, absent fields stay as they are.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct BodyInput {
    /// Required on create.
    #[schema(nullable = false)]
    pub kind: Option<BodyKind>,
    /// 1–200 characters, unique within the programme. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// 1–104 weeks; `null` for a body without a fixed rhythm.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 104)]
    pub cadence_weeks: Option<Option<i64>>,
    /// Replaces the member list when given.
    #[schema(nullable = false)]
    pub members: Option<Vec<Participant>>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`), not in the future.
    #[schema(nullable = false)]
    pub held_on: Option<String>,
    #[serde(default)]
    pub attendees: Vec<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub agenda: Option<String>,
    #[schema(nullable = false, max_length = 20000)]
    pub minutes: Option<String>,
}

/// A decision as it arrives; on a change, absent fields stay as they are.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub rationale: Option<String>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`). Required on create.
    #[schema(nullable = false)]
    pub decided_on: Option<String>,
    /// Default `taken`.
    #[schema(nullable = false)]
    pub status: Option<DecisionStatus>,
    /// A body of the same programme; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub body_id: Option<Option<i64>>,
    /// Replaces the linked ambitions when given.
    #[schema(nullable = false)]
    pub ambition_ids: Option<Vec<i64>>,
    /// Replaces the linked indicators when given.
    #[schema(nullable = false)]
    pub indicator_ids: Option<Vec<i64>>,
}

/// A follow-up action as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ActionInput {
    /// Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 1000)]
    pub description: Option<String>,
    /// A member of the organisation; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    /// Required unless `owner_id` is given (then the member's name is used).
    #[schema(nullable = false, max_length = 200)]
    pub owner_name: Option<String>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`). Required on create.
    #[schema(nullable = false)]
    pub due_on: Option<String>,
    /// Default `open`; `done` records today as the completion date.
    #[schema(nullable = false)]
    pub status: Option<ActionStatus>,
}

/// Filters of the decision log.
#[derive(Debug, Default, Clone)]
pub struct DecisionFilter {
    pub status: Option<DecisionStatus>,
    pub body: Option<BodyId>,
    /// Part of the title or rationale.
    pub search: String,
    /// Only decisions with an overdue action.
    pub overdue_only: bool,
}
