//! The innovation portfolio: initiatives (experiments, projects, service
//! improvements, interventions) with learning goals and technology tags,
//! linked to ambitions and to the indicators they should move, steered
//! through stages by gate decisions on evidence rather than business cases.

pub mod api;
pub mod balance;
mod balance_pages;
pub mod export;
pub mod funding;
pub(crate) mod money_pages;
pub mod pages;
pub mod partners;
pub mod partners_api;
pub(crate) mod partners_pages;
pub mod partners_service;
pub mod service;
pub(crate) mod spec;
pub mod stage;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{
    AmbitionId, BodyId, GateDecisionId, IndicatorId, InitiativeId, LabId, Money, OrganisationId,
    UnitId, UserId,
};

pub use stage::{GateOutcome, Stage};

code_enum!(
    /// What sort of initiative.
    InitiativeKind, "initiative_kind", {
        Experiment => "experiment",
        Project => "project",
        ServiceImprovement => "service_improvement",
        Intervention => "intervention",
    }
);

code_enum!(
    /// Which way an initiative should move an indicator.
    EffectDirection, "effect_direction", {
        Increase => "increase",
        Decrease => "decrease",
    }
);

/// Technology tags every organisation has; organisations may add their own
/// (any other tag is kept as typed).
pub const TECHNOLOGIES: [&str; 7] = [
    "phone_data",
    "satellite_imagery",
    "sensors_iot",
    "ai",
    "open_data",
    "process_automation",
    "platforms",
];

/// An indicator an initiative should move, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorLink {
    pub indicator_id: IndicatorId,
    pub direction: EffectDirection,
    /// The expected size of the effect in the indicator's own unit, e.g. 5
    /// (percentage points) or 2 (days).
    #[serde(default)]
    pub expected_size: Option<f64>,
    /// A comparison series for the effect estimate: another indicator of
    /// the organisation, measured as often, that this initiative does not
    /// touch (e.g. the same figure in a unit that did not take part).
    /// Omitted or `null`: none.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub control_indicator_id: Option<IndicatorId>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Initiative {
    pub id: InitiativeId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub kind: InitiativeKind,
    pub title: String,
    /// The problem it addresses.
    pub problem: String,
    /// What we believe will happen, to be tested.
    pub hypothesis: String,
    /// What we want to learn; each gate decision gives evidence per goal.
    pub learning_goals: Vec<String>,
    /// Codes from the common list (see `TECHNOLOGIES`) or the
    /// organisation's own tags.
    pub technologies: Vec<String>,
    pub owner_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    /// `YYYY-MM-DD`: when it went or goes live.
    pub go_live_on: Option<String>,
    /// Changed only by gate decisions.
    pub stage: Stage,
    /// Optional; no business case is asked for.
    #[schema(value_type = Option<String>)]
    pub cost_estimate: Option<Money>,
    pub ambition_ids: Vec<AmbitionId>,
    pub indicators: Vec<IndicatorLink>,
    /// The future lab that hosts it, if any.
    pub lab_id: Option<LabId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Raised by every change (edits and gate decisions). Send it back as
    /// `version` with a change to have it refused when someone else
    /// changed the initiative since you read it.
    pub version: i64,
    /// Set when the initiative was planned from the survey insights as an
    /// intervention on a weak factor or barrier.
    pub intervention: Option<crate::surveys::interventions::InterventionLink>,
}

/// The evidence a gate weighed against one learning goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    pub goal: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GateDecision {
    pub id: GateDecisionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub initiative_id: InitiativeId,
    pub from_stage: Stage,
    pub to_stage: Stage,
    pub outcome: GateOutcome,
    pub evidence: Vec<Evidence>,
    /// The kill or scale criteria that applied.
    pub criteria: String,
    /// The governance body that decided, if any.
    pub body_id: Option<BodyId>,
    /// Who decided, in words.
    pub decided_by: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    /// What was learned; required when stopping.
    pub learning: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// An initiative as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct InitiativeInput {
    /// Required on create.
    #[schema(nullable = false)]
    pub kind: Option<InitiativeKind>,
    /// 1–200 characters. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub problem: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub hypothesis: Option<String>,
    /// Up to 10, each up to 500 characters.
    #[schema(nullable = false)]
    pub learning_goals: Option<Vec<String>>,
    /// Up to 10 tags, each up to 60 characters.
    #[schema(nullable = false)]
    pub technologies: Option<Vec<String>>,
    /// A member of the organisation; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    /// A unit of the organisation; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`); `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<String>)]
    pub go_live_on: Option<Option<String>>,
    /// Euro as a decimal string; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<String>)]
    pub cost_estimate: Option<Option<String>>,
    /// Replaces the linked ambitions when given.
    #[schema(nullable = false)]
    pub ambition_ids: Option<Vec<i64>>,
    /// The `version` you read: when given and the initiative changed since,
    /// the change is refused with 409 (`edit_conflict` on `version`) and
    /// nothing is written. Without it the change is checked against the
    /// version stored when the request arrives, so only a change landing at
    /// that same moment can still answer 409.
    #[schema(nullable = false)]
    pub version: Option<i64>,
    /// Replaces the linked indicators when given: each link as a whole, so
    /// a link without `control_indicator_id` has no comparison series
    /// (send back the one `GET` shows to keep it).
    #[schema(nullable = false)]
    pub indicators: Option<Vec<IndicatorLink>>,
    /// A future lab of the organisation that hosts it; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub lab_id: Option<Option<i64>>,
}

/// A gate decision as it arrives.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct GateInput {
    #[schema(nullable = false)]
    pub outcome: Option<GateOutcome>,
    /// Where to; may be left out when the outcome allows one stage only.
    #[schema(nullable = false)]
    pub to_stage: Option<Stage>,
    /// One entry per learning goal of the initiative.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The kill or scale criteria that applied. Required.
    #[schema(nullable = false, max_length = 4000)]
    pub criteria: Option<String>,
    /// A governance body of the organisation.
    pub body_id: Option<i64>,
    /// Who decided; required without `body_id`.
    #[schema(nullable = false, max_length = 200)]
    pub decided_by: Option<String>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`), not in the future.
    #[schema(nullable = false)]
    pub decided_on: Option<String>,
    /// What was learned; required when stopping.
    #[schema(nullable = false, max_length = 4000)]
    pub learning: Option<String>,
    /// The initiative's `version` the decision was taken on: when it
    /// changed since (someone else decided or edited), the decision is
    /// refused with 409 (`changed_meanwhile`) and nothing is written, so
    /// two people deciding at once cannot move it two stages. Without it
    /// the decision applies to the initiative as loaded for the request.
    #[schema(nullable = false)]
    pub version: Option<i64>,
}

/// Filters of the portfolio list.
#[derive(Debug, Default, Clone)]
pub struct InitiativeFilter {
    pub stage: Option<Stage>,
    pub kind: Option<InitiativeKind>,
    pub technology: Option<String>,
    pub ambition: Option<AmbitionId>,
    pub lab: Option<LabId>,
    /// Part of the title, problem or hypothesis.
    pub search: String,
}

impl InitiativeFilter {
    pub fn matches(&self, initiative: &Initiative) -> bool {
        let search = self.search.trim().to_lowercase();
        self.stage.is_none_or(|s| initiative.stage == s)
            && self.kind.is_none_or(|k| initiative.kind == k)
            && self
                .technology
                .as_ref()
                .is_none_or(|t| initiative.technologies.contains(t))
            && self
                .ambition
                .is_none_or(|a| initiative.ambition_ids.contains(&a))
            && self.lab.is_none_or(|l| initiative.lab_id == Some(l))
            && (search.is_empty()
                || [
                    &initiative.title,
                    &initiative.problem,
                    &initiative.hypothesis,
                ]
                .iter()
                .any(|text| text.to_lowercase().contains(&search)))
    }
}
