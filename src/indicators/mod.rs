//! Indicators and measurements (factor S1): what the organisation steers on,
//! with baselines, dated targets (every revision kept) and values per period.

pub mod api;
pub mod chart;
pub mod dimensions;
pub mod export;
pub mod formula;
pub mod import;
pub mod import_pages;
pub mod pages;
pub mod service;
mod spec;
pub mod status;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{
    Aggregation, Direction, Frequency, IndicatorId, MeasurementId, Perspective, TargetId, UnitId,
    UserId, ValueUnit,
};

pub use dimensions::Dimension;
pub use spec::{IndicatorSpec, MeasurementSpec, TargetSpec};
pub use status::{Reasoning, Status, StatusAssessment};

/// An indicator definition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub id: IndicatorId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub perspective: Perspective,
    /// What the values are: percentage, count, days, euro or score.
    pub unit: ValueUnit,
    /// Lowest allowed value (besides the unit's own bounds).
    pub min_value: Option<f64>,
    /// Highest allowed value (besides the unit's own bounds).
    pub max_value: Option<f64>,
    pub direction: Direction,
    /// For `within_range`: the good range.
    pub range_low: Option<f64>,
    pub range_high: Option<f64>,
    pub frequency: Frequency,
    pub aggregation: Aggregation,
    pub baseline_value: Option<f64>,
    /// The baseline's period, e.g. `2024-Q4`.
    pub baseline_period: Option<String>,
    pub owner_id: Option<UserId>,
    pub responsible_unit_id: Option<UnitId>,
    pub data_source: String,
    /// Shown on the organisation's public dashboard (when that is on).
    pub published: bool,
    /// Breakdowns a measurement may carry, e.g. by channel.
    pub dimensions: Vec<Dimension>,
    /// When set, the values are computed from other indicators and cannot
    /// be recorded (see `formula`).
    pub formula: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Raised by every change of the definition. Send it back as `version`
    /// with a change to have it refused when someone else changed the
    /// indicator since you read it.
    pub version: i64,
}

impl Indicator {
    /// The bounds a value must respect: the unit's own, narrowed by the
    /// indicator's.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        spec::effective_bounds(self.unit, self.min_value, self.max_value)
    }
}

/// One row of the overview: the definition with its latest value and the
/// target that applies next.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorSummary {
    #[serde(flatten)]
    pub indicator: Indicator,
    pub latest: Option<LatestValue>,
    pub next_target: Option<Target>,
    /// On track, at risk, off track, no target or no data, with the reasoning.
    pub assessment: StatusAssessment,
    /// The recent values the status looked at, oldest first (for sparklines).
    #[serde(skip)]
    pub recent: Vec<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LatestValue {
    pub period: String,
    pub value: f64,
}

/// A dated target. A revision supersedes the earlier target for the same
/// date; both stay on record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Target {
    pub id: TargetId,
    /// The date by which the value should be reached (YYYY-MM-DD).
    pub date: String,
    pub value: f64,
    pub reason: String,
    pub created_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub superseded_at: Option<OffsetDateTime>,
}

/// One value of an indicator for a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Measurement {
    pub id: MeasurementId,
    pub period: String,
    /// Breakdown values; empty for the total.
    pub dimensions: std::collections::BTreeMap<String, String>,
    pub value: f64,
    pub note: String,
    /// manual, import or api.
    pub source: String,
    pub recorded_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// An indicator definition as it arrives. On create, `code`, `name`,
/// `unit`, `direction` and `frequency` are required; on update every field
/// is optional and `code`, `unit` and `frequency` cannot change.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct IndicatorInput {
    #[schema(nullable = false, max_length = 40)]
    pub code: Option<String>,
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 2000)]
    pub description: Option<String>,
    #[schema(nullable = false, value_type = Option<Perspective>)]
    pub perspective: Option<String>,
    #[schema(nullable = false, value_type = Option<ValueUnit>)]
    pub unit: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<f64>)]
    pub min_value: Option<Option<f64>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<f64>)]
    pub max_value: Option<Option<f64>>,
    #[schema(nullable = false, value_type = Option<Direction>)]
    pub direction: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<f64>)]
    pub range_low: Option<Option<f64>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<f64>)]
    pub range_high: Option<Option<f64>>,
    #[schema(nullable = false, value_type = Option<Frequency>)]
    pub frequency: Option<String>,
    #[schema(nullable = false, value_type = Option<Aggregation>)]
    pub aggregation: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<f64>)]
    pub baseline_value: Option<Option<f64>>,
    /// The baseline's period in the indicator's frequency, e.g. `2024-Q4`.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<String>)]
    pub baseline_period: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub responsible_unit_id: Option<Option<i64>>,
    #[schema(nullable = false, max_length = 500)]
    pub data_source: Option<String>,
    /// Show on the public dashboard.
    #[schema(nullable = false)]
    pub published: Option<bool>,
    /// Up to three breakdowns, e.g. `[{"name": "kanaal", "values": ["online", "telefoon"]}]`.
    /// Values in use by measurements cannot be removed.
    #[schema(nullable = false, max_items = 3)]
    pub dimensions: Option<Vec<Dimension>>,
    /// Arithmetic over other indicators of the same frequency, e.g.
    /// `AANVRAGEN[kanaal=online] / AANVRAGEN * 100`; null removes it.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub formula: Option<Option<String>>,
    /// The `version` you read: when given and the indicator changed since,
    /// the change is refused with 409 (`edit_conflict` on `version`) and
    /// nothing is written. Without it the change is made on the indicator
    /// as read for this request (and refused the same way if another
    /// change lands in between). Ignored when creating.
    #[schema(nullable = false)]
    pub version: Option<i64>,
}

/// A batch of measurements for one indicator; idempotent by period.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct MeasurementBatch {
    #[serde(default)]
    #[schema(required = true, nullable = false, max_items = 1000)]
    pub measurements: Vec<MeasurementInput>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct MeasurementInput {
    /// The period in the indicator's frequency: `2026-11-27`, `2026-W48`,
    /// `2026-11`, `2026-Q4` or `2026` (also `27-11-2026`).
    #[schema(nullable = false)]
    pub period: Option<String>,
    #[schema(nullable = false)]
    pub value: Option<f64>,
    #[schema(nullable = false, max_length = 2000)]
    pub note: Option<String>,
    /// Breakdown values, e.g. `{"kanaal": "online"}`; absent for the total.
    #[schema(nullable = false)]
    pub dimensions: Option<std::collections::BTreeMap<String, String>>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// The first changes, for previews (see `CHANGES_KEPT`).
    #[serde(skip)]
    pub changes: Vec<RecordedChange>,
}

/// How many changes a batch keeps for its preview; the counts stay exact.
pub const CHANGES_KEPT: usize = 500;

/// One value a batch added or changed.
#[derive(Debug, Clone)]
pub struct RecordedChange {
    pub indicator: IndicatorId,
    pub period: crate::domain::Period,
    pub dimension_key: String,
    pub previous: Option<f64>,
    pub value: f64,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct TargetInput {
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`).
    #[schema(nullable = false)]
    pub date: Option<String>,
    #[schema(nullable = false)]
    pub value: Option<f64>,
    /// Why; required when it revises an existing target for the same date.
    #[schema(nullable = false, max_length = 1000)]
    pub reason: Option<String>,
}

/// An indicator's values rolled up into coarser periods, combined the way
/// the indicator says (sum, mean or last).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Rollup {
    pub indicator_id: IndicatorId,
    pub code: String,
    pub aggregation: Aggregation,
    /// Empty when the indicator is measured less often than asked for
    /// (a quarterly indicator has no monthly values).
    pub values: Vec<RollupValue>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RollupValue {
    /// `2026-11`, `2026-Q4` or `2026`.
    pub period: String,
    pub value: f64,
    /// How many measurements the value combines.
    pub count: i64,
}
