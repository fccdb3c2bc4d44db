//! Organisational units (departments, teams): a tree per organisation.

pub mod api;
pub mod pages;
pub mod service;
mod tree;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{OrganisationId, UnitId};

pub use tree::{TreeEvent, UnitNode};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: UnitId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub parent_id: Option<UnitId>,
    pub name: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub archived_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Unit {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

/// A new unit as it arrives.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUnitInput {
    /// 1–200 characters, unique among its active siblings.
    #[schema(required = true, nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// The parent unit; absent or null for a top-level unit.
    pub parent_id: Option<i64>,
}

/// Changes to a unit; absent fields stay as they are. `parent_id: null`
/// moves the unit to the top level.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct UnitChangesInput {
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    #[schema(nullable = false)]
    pub archived: Option<bool>,
}
