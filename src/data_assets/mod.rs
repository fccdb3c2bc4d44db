//! The data-asset register (factor S4): the datasets the organisation's
//! services, initiatives and indicators rely on — who looks after each,
//! whether it holds personal data and on which GDPR basis, how complete
//! and timely it is, and how open — and the people who form the knowledge
//! and expertise point for data-driven work.
//!
//! `spec.rs` validates, `service.rs` holds the rules, `api.rs` and
//! `pages.rs` present them.

pub mod api;
pub(crate) mod pages;
pub mod service;
pub mod spec;
pub mod transfer;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{CompetenceId, DataAssetId, IndicatorId, InitiativeId, ServiceId, UserId};

code_enum!(
    /// The lawful basis for processing personal data (GDPR article 6(1)).
    LegalBasis, "gdpr_basis", {
        Consent => "consent",
        Contract => "contract",
        LegalObligation => "legal_obligation",
        VitalInterests => "vital_interests",
        PublicTask => "public_task",
        LegitimateInterests => "legitimate_interests",
    }
);

code_enum!(
    /// Who may use a dataset.
    Openness, "openness", {
        Open => "open",
        Shared => "shared",
        Closed => "closed",
    }
);

code_enum!(
    /// How often a dataset is brought up to date.
    UpdateFrequency, "update_frequency", {
        Realtime => "realtime",
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Yearly => "yearly",
        Irregular => "irregular",
    }
);

/// Quality ratings run from 1 (poor) to 5 (excellent).
pub const RATING_MAX: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DataAsset {
    pub id: DataAssetId,
    pub name: String,
    pub description: String,
    /// The member who looks after it.
    pub steward_id: Option<UserId>,
    /// The system it comes from.
    pub source_system: String,
    pub personal_data: bool,
    /// Set when it holds personal data.
    pub legal_basis: Option<LegalBasis>,
    /// 1 (poor) to 5 (excellent).
    pub completeness: i64,
    /// 1 (poor) to 5 (excellent).
    pub timeliness: i64,
    pub openness: Openness,
    pub update_frequency: UpdateFrequency,
    pub service_ids: Vec<ServiceId>,
    pub initiative_ids: Vec<InitiativeId>,
    pub indicator_ids: Vec<IndicatorId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A data asset as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct DataAssetInput {
    /// 1–200 characters, unique. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub steward_id: Option<Option<i64>>,
    #[schema(nullable = false, max_length = 200)]
    pub source_system: Option<String>,
    #[schema(nullable = false)]
    pub personal_data: Option<bool>,
    /// Required with personal data: `consent`, `contract`,
    /// `legal_obligation`, `vital_interests`, `public_task`,
    /// `legitimate_interests`.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<String>)]
    pub legal_basis: Option<Option<String>>,
    /// 1–5. Required.
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub completeness: Option<i64>,
    /// 1–5. Required.
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub timeliness: Option<i64>,
    /// `open`, `shared` or `closed`. Required.
    #[schema(nullable = false)]
    pub openness: Option<String>,
    /// `realtime`, `daily`, `weekly`, `monthly`, `quarterly`, `yearly` or
    /// `irregular`. Required.
    #[schema(nullable = false)]
    pub update_frequency: Option<String>,
    #[schema(nullable = false)]
    pub service_ids: Option<Vec<i64>>,
    #[schema(nullable = false)]
    pub initiative_ids: Option<Vec<i64>>,
    #[schema(nullable = false)]
    pub indicator_ids: Option<Vec<i64>>,
}

/// A member of the knowledge and expertise point for data-driven work.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExpertiseMember {
    pub user_id: UserId,
    pub name: String,
    /// What they do for the point, e.g. "data-analist".
    pub role: String,
    /// Competences of the organisation's frameworks they bring.
    pub competence_ids: Vec<CompetenceId>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ExpertiseMemberInput {
    /// Required, up to 200 characters.
    #[schema(nullable = false, max_length = 200)]
    pub role: Option<String>,
    /// Competences of this organisation's frameworks, at most 20.
    #[schema(nullable = false)]
    pub competence_ids: Option<Vec<i64>>,
}
