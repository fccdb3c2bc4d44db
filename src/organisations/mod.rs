//! Organisations (tenants), their settings and the caller's memberships.

pub mod api;
pub mod pages;
pub mod service;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{Name, OrganisationId, OrganisationKind, Role, Slug, Validator};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub slug: String,
    pub kind: OrganisationKind,
    /// Whether `/p/{slug}` shows the published indicators to everyone.
    pub public_dashboard: bool,
    /// Administrators must log in with a second factor (TOTP).
    pub admins_need_second_factor: bool,
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

/// A validated new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: Name,
    pub slug: Slug,
    pub kind: OrganisationKind,
}

/// A new organisation with its first admin, as it arrives (platform
/// administrators only).
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewOrganisationInput {
    #[schema(required = true, nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Lower-case letters, digits and single hyphens; 2–50 characters.
    #[schema(
        required = true,
        nullable = false,
        min_length = 2,
        max_length = 50,
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    )]
    pub slug: Option<String>,
    #[schema(required = true, nullable = false, value_type = OrganisationKind)]
    pub kind: Option<String>,
    /// Email address of the organisation's first admin.
    #[schema(required = true, nullable = false, format = Email, max_length = 254)]
    pub admin_email: Option<String>,
    #[schema(required = true, nullable = false, min_length = 1, max_length = 200)]
    pub admin_name: Option<String>,
}

/// A new organisation, its first admin, and the admin's invitation link
/// when they have no password yet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedOrganisation {
    pub organisation: Organisation,
    pub admin: crate::users::Member,
    pub invitation: Option<crate::users::InvitationLink>,
}

impl NewOrganisation {
    pub fn parse(name: &str, slug: &str, kind: &str, v: &mut Validator) -> Option<Self> {
        let name = v.check("name", Name::parse(name));
        let slug = v.check("slug", Slug::parse(slug));
        let kind = v.check("kind", OrganisationKind::parse(kind));
        Some(NewOrganisation {
            name: name?,
            slug: slug?,
            kind: kind?,
        })
    }
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
    /// Publish a dashboard of the published indicators at `/p/{slug}`.
    #[schema(nullable = false)]
    pub public_dashboard: Option<bool>,
    /// Require administrators to log in with a second factor (TOTP).
    #[schema(nullable = false)]
    pub admins_need_second_factor: Option<bool>,
}

/// Validated changes to an organisation.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<Name>,
    pub kind: Option<OrganisationKind>,
    pub public_dashboard: Option<bool>,
    pub admins_need_second_factor: Option<bool>,
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
        v.finish(Some(OrganisationChanges {
            name,
            kind,
            public_dashboard: input.public_dashboard,
            admins_need_second_factor: input.admins_need_second_factor,
        }))
    }
}
