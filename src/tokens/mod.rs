//! API tokens: act as one member of one organisation from scripts and
//! integrations. Only a hash is stored; the secret is shown once.

pub mod api;
pub mod pages;
pub mod service;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{TokenId, UserId};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: TokenId,
    #[serde(skip)]
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the secret, to recognise it by.
    pub prefix: String,
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
}

/// A token just made: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub token: ApiToken,
    /// The secret; send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}
