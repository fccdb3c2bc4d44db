//! The readiness scan for management and the anonymous staff pulse
//! survey. This part holds the instruments: the built-in statements per
//! success and failure factor (scan) and per execution barrier (pulse),
//! items the organisation adds, and versions that never change once made,
//! so that waves asked with one version stay comparable.
//!
//! `catalog.rs` holds the built-in items and the dimensions they measure,
//! `spec.rs` validates a new version, `service.rs`, `api.rs` and
//! `pages.rs` as elsewhere.

pub mod api;
pub mod catalog;
pub mod delivery;
pub mod insight_pages;
pub mod insight_service;
pub mod insights;
pub mod intervention_api;
pub(crate) mod intervention_pages;
pub mod intervention_service;
pub mod interventions;
pub(crate) mod pages;
pub(crate) mod respond_pages;
pub mod results;
pub mod service;
pub mod spec;
pub mod wave_api;
pub(crate) mod wave_pages;
pub mod wave_service;
pub mod waves;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{InstrumentId, OrganisationId, SurveyItemId, SurveyVersionId};

code_enum!(
    /// Which instrument: the scan management fills in, or the pulse
    /// survey for all staff.
    InstrumentKind, "instrument_kind", {
        Scan => "scan",
        Pulse => "pulse",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Instrument {
    pub id: InstrumentId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub kind: InstrumentKind,
    /// The number of the version new waves use.
    pub current_version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One statement (scored 1–5, from "strongly disagree" to "strongly
/// agree") or the open question.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: SurveyItemId,
    /// Stable across versions while the wording stays: `S1.1`, `B3.2` for
    /// built-in items, `E1`, `E2` … for the organisation's own.
    pub key: String,
    /// What it measures: a factor (`s1`–`s6`, `f1`–`f5`) in the scan, a
    /// barrier (`b1`–`b10`) in the pulse survey, or `open` for an open
    /// question.
    pub dimension: String,
    pub text_nl: String,
    pub text_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Version {
    pub id: SurveyVersionId,
    pub instrument_id: InstrumentId,
    pub number: i64,
    /// What changed, in the words of who changed it.
    pub note: String,
    pub items: Vec<Item>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One item of a new version: either an existing item by its key (kept
/// as it is), or a new one of the organisation's own.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    /// The key of an item of the current version or of a built-in item.
    /// Leave out for a new item.
    #[schema(nullable = false)]
    pub key: Option<String>,
    /// For a new item: the dimension it measures (see `Item`).
    #[schema(nullable = false)]
    pub dimension: Option<String>,
    /// For a new item: 1–500 characters.
    #[schema(nullable = false, max_length = 500)]
    pub text_nl: Option<String>,
    /// For a new item: up to 500 characters; the Dutch text when left out.
    #[schema(nullable = false, max_length = 500)]
    pub text_en: Option<String>,
}

/// A new version: the whole list of items, in order.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct VersionInput {
    /// 1–100 items, at least one statement. Required.
    #[schema(nullable = false)]
    pub items: Option<Vec<ItemInput>>,
    /// Up to 1000 characters.
    #[schema(nullable = false, max_length = 1000)]
    pub note: Option<String>,
}
