//! People: members of an organisation with a role, invitations, and one's
//! own profile.

pub mod api;
pub mod pages;
pub mod service;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{Email, Locale, Name, Role, UserId};

/// A person as a member of the caller's organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub locale: Locale,
    pub role: Role,
    /// False once the membership (or the account) is deactivated.
    pub active: bool,
    /// False until the person has set a password (open invitation).
    pub has_password: bool,
    /// Whether the person logs in with a second factor (TOTP).
    pub second_factor: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A validated new member.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub locale: Locale,
    pub password_hash: Option<String>,
}

impl NewMember {
    /// Validates every field at once; no password (the person sets it
    /// through an invitation link).
    pub fn parse(input: &NewMemberInput) -> crate::Result<Self> {
        let mut v = crate::domain::Validator::new();
        let email = v.check("email", Email::parse(input.email.as_deref().unwrap_or("")));
        let name = v.check("name", Name::parse(input.name.as_deref().unwrap_or("")));
        let role = v.check("role", Role::parse(input.role.as_deref().unwrap_or("")));
        let locale = match input.locale.as_deref() {
            None | Some("") => Some(Locale::Nl),
            Some(code) => v.check("locale", Locale::parse(code)),
        };
        v.finish(
            email
                .zip(name)
                .zip(role)
                .zip(locale)
                .map(|(((email, name), role), locale)| NewMember {
                    email,
                    name,
                    role,
                    locale,
                    password_hash: None,
                }),
        )
    }
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMemberInput {
    #[schema(required = true, nullable = false, format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(required = true, nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// admin, executive, programme_lead, unit_lead, employee or viewer.
    #[schema(required = true, nullable = false, value_type = Role)]
    pub role: Option<String>,
    /// nl or en (default nl).
    #[schema(nullable = false, value_type = Option<Locale>)]
    pub locale: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct MemberChangesInput {
    #[schema(nullable = false, value_type = Option<Role>)]
    pub role: Option<String>,
    #[schema(nullable = false)]
    pub active: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ProfileInput {
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, value_type = Option<Locale>)]
    pub locale: Option<String>,
}

/// The caller's own account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub locale: Locale,
    pub role: Role,
    pub organisation: String,
}

/// A link with which an invited person sets their password.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationLink {
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}
