//! The strategic-asset register (factor S2): what the transformation
//! relies on — people and skills, data, technology and platforms,
//! partnerships, knowledge, physical assets such as sensor networks — who
//! owns each, its state and gap, and how critical it is for which
//! ambition. The view per ambition shows what each ambition depends on.

pub mod api;
pub(crate) mod pages;
pub mod service;
pub mod spec;
pub mod transfer;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{AmbitionId, StrategicAssetId, UserId};

code_enum!(
    /// What kind of asset it is.
    AssetKind, "asset_kind", {
        PeopleSkills => "people_skills",
        Data => "data",
        Technology => "technology",
        Partnership => "partnership",
        Knowledge => "knowledge",
        Physical => "physical",
    }
);

code_enum!(
    /// How much an ambition depends on an asset.
    Criticality, "criticality", {
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

/// An ambition the asset matters for, and how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AmbitionLink {
    pub ambition_id: AmbitionId,
    pub criticality: Criticality,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StrategicAsset {
    pub id: StrategicAssetId,
    pub name: String,
    pub kind: AssetKind,
    pub owner_id: Option<UserId>,
    pub description: String,
    /// Where it stands today.
    pub current_state: String,
    /// What is missing for the ambitions.
    pub gap: String,
    pub ambitions: Vec<AmbitionLink>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct AmbitionLinkInput {
    #[schema(nullable = false)]
    pub ambition_id: Option<i64>,
    /// `high`, `medium` or `low`.
    #[schema(nullable = false)]
    pub criticality: Option<String>,
}

/// A strategic asset as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct StrategicAssetInput {
    /// 1–200 characters, unique. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// `people_skills`, `data`, `technology`, `partnership`, `knowledge`
    /// or `physical`. Required.
    #[schema(nullable = false)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub current_state: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub gap: Option<String>,
    /// Replaces the list; each ambition once.
    #[schema(nullable = false)]
    pub ambitions: Option<Vec<AmbitionLinkInput>>,
}

/// One ambition with the assets it depends on, most critical first.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AmbitionDependencies {
    pub ambition_id: AmbitionId,
    pub title: String,
    pub programme: String,
    pub assets: Vec<Dependency>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Dependency {
    pub asset_id: StrategicAssetId,
    pub name: String,
    pub kind: AssetKind,
    pub criticality: Criticality,
    pub gap: String,
}
