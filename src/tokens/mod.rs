//! API tokens: act as one member of one organisation from scripts and
//! integrations. Only a hash is stored; the secret is shown once.

pub mod api;
pub mod pages;
pub mod scope;
pub mod service;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{TokenId, UserId};
pub use scope::{Access, Scope};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: TokenId,
    #[serde(skip)]
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the secret, to recognise it by.
    pub prefix: String,
    /// `read`: GET only; `write`: whatever the owner's role allows.
    pub access: Access,
    /// The modules (API tags) the token is limited to; empty for all.
    pub modules: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewTokenInput {
    /// What the token is for, 1–200 characters.
    #[schema(required = true, nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Days until the token expires, 1–730; absent for no expiry.
    #[schema(nullable = false, minimum = 1, maximum = 730)]
    pub expires_in_days: Option<i64>,
    /// `read` (GET only, the default) or `write`.
    #[schema(nullable = false, value_type = Option<Access>)]
    pub access: Option<String>,
    /// Modules (API tags) to limit the token to; absent or empty for all:
    /// organisation, units, users, tokens, audit, indicators, governance,
    /// portfolio, effects, skills, surveys, ideas, notifications,
    /// services, reports.
    #[schema(nullable = false)]
    pub modules: Option<Vec<String>>,
}

/// A token just made: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub token: ApiToken,
    /// The secret; send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}
