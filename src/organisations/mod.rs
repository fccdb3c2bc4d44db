//! Organisations (tenants), their settings and the caller's memberships.

pub mod api;
pub mod pages;
pub mod service;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{Name, OrganisationId, OrganisationKind, Role, Validator};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub slug: String,
    pub kind: OrganisationKind,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One organisation the caller belongs to, with their role there.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub role: Role,
}

/// Settings as they arrive from a form or JSON; every field optional.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct OrganisationInput {
    /// Display name, 1–200 characters.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// municipality, province, water_board, agency or other.
    #[schema(nullable = false, value_type = Option<OrganisationKind>)]
    pub kind: Option<String>,
}

/// Validated changes to an organisation.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<Name>,
    pub kind: Option<OrganisationKind>,
}

impl TryFrom<&OrganisationInput> for OrganisationChanges {
    type Error = crate::Error;

    fn try_from(input: &OrganisationInput) -> crate::Result<Self> {
        let mut v = Validator::new();
        let name = match &input.name {
            Some(name) => v.check("name", Name::parse(name)),
            None => None,
        };
        let kind = match &input.kind {
            Some(kind) => v.check("kind", OrganisationKind::parse(kind)),
            None => None,
        };
        v.finish(Some(OrganisationChanges { name, kind }))
    }
}
