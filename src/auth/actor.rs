use time::OffsetDateTime;

use crate::domain::{Locale, OrganisationId, Permission, Role, TokenId, UserId};
use crate::store::AuditMeta;

/// The acting member: a person in one organisation with one role. Every
/// service call takes one; every query it makes is scoped by
/// `organisation_id`.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub role: Role,
    /// How the actor appears in the audit log (their email address).
    pub label: String,
    pub locale: Locale,
    pub is_platform_admin: bool,
    pub client_address: Option<String>,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    pub fn require(&self, permission: Permission) -> crate::Result<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(crate::Error::Forbidden)
        }
    }

    pub fn audit(&self, at: OffsetDateTime) -> AuditMeta {
        AuditMeta {
            organisation_id: Some(self.organisation_id),
            actor_user_id: Some(self.user_id),
            actor_label: self.label.clone(),
            client_address: self.client_address.clone(),
            at,
        }
    }
}

/// A logged-in browser session with what the page shell shows.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub id_hash: String,
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub csrf_token: String,
    pub flash: Option<String>,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub user_name: String,
    pub email: String,
    pub locale: Locale,
    pub is_platform_admin: bool,
    pub role: Role,
    pub organisation_name: String,
    pub organisation_slug: String,
    /// Active memberships; the organisation switcher shows when above one.
    pub membership_count: i64,
    /// Opened through the organisation's identity provider: bound to that
    /// organisation, without platform powers, and not allowed to change
    /// the account's own login security.
    pub via_sso: bool,
    /// An administrator of an organisation that requires a second factor,
    /// without one yet: only the security page is open to them.
    pub second_factor_required: bool,
}

impl SessionContext {
    pub fn actor(&self, client_address: Option<String>) -> Actor {
        Actor {
            user_id: self.user_id,
            organisation_id: self.organisation_id,
            role: self.role,
            label: self.email.clone(),
            locale: self.locale,
            is_platform_admin: self.is_platform_admin,
            client_address,
        }
    }
}

/// A request authenticated with an API token.
#[derive(Debug, Clone)]
pub struct TokenContext {
    pub token_id: TokenId,
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub last_used_at: Option<OffsetDateTime>,
    pub email: String,
    pub locale: Locale,
    pub is_platform_admin: bool,
    pub role: Role,
    pub scope: crate::tokens::Scope,
    /// The owner is an administrator without the second factor their
    /// organisation requires: the token is refused until they set it up.
    pub second_factor_required: bool,
}

impl TokenContext {
    pub fn actor(&self, client_address: Option<String>) -> Actor {
        Actor {
            user_id: self.user_id,
            organisation_id: self.organisation_id,
            role: self.role,
            label: self.email.clone(),
            locale: self.locale,
            is_platform_admin: self.is_platform_admin,
            client_address,
        }
    }
}
