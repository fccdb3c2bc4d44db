use time::OffsetDateTime;

use super::BeginWrite as _;
use super::{Store, decode, on_pool};
use crate::Result;
use crate::auth::SessionContext;
use crate::domain::{Locale, OrganisationId, Role, UserId};

/// A session about to be stored. Only the hash of the cookie value is kept,
/// so a copy of the database does not hand out live sessions.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub csrf_token: String,
    pub at: OffsetDateTime,
    /// The provider's ID token (sealed), when opened by single sign-on.
    pub sso_id_token: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    organisation_id: i64,
    csrf_token: String,
    flash: Option<String>,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    user_name: String,
    email: String,
    locale: String,
    is_platform_admin: bool,
    role: String,
    organisation_name: String,
    organisation_slug: String,
    membership_count: i64,
    second_factor_required: bool,
    via_sso: bool,
}

impl Store {
    /// Stores a new session; `replaces` (the pre-login session, if any) is
    /// deleted in the same transaction so the id rotates at login.
    pub async fn create_session(&self, session: &NewSession, replaces: Option<&str>) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if let Some(old) = replaces {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, organisation_id, csrf_token, created_at, last_seen_at, sso_id_token) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(&session.id_hash)
            .bind(session.user_id)
            .bind(session.organisation_id)
            .bind(&session.csrf_token)
            .bind(session.at)
            .bind(session.sso_id_token.as_deref())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Everything a request needs about its session in one round trip:
    /// session, user, membership and organisation. `None` when the session
    /// is unknown or the person or membership is no longer active.
    pub async fn session_context(&self, id_hash: &str) -> Result<Option<SessionContext>> {
        let row: Option<SessionRow> = on_pool!(self, p => sqlx::query_as(
            concat!(
            "SELECT s.user_id, s.organisation_id, s.csrf_token, s.flash, s.created_at, s.last_seen_at, \
             u.name AS user_name, u.email, u.locale, m.role, \
             o.name AS organisation_name, o.slug AS organisation_slug, \
             (s.sso_id_token IS NOT NULL) AS via_sso, \
             (u.is_platform_admin AND s.sso_id_token IS NULL) AS is_platform_admin, \
             (CASE WHEN s.sso_id_token IS NULL THEN \
                (SELECT COUNT(*) FROM memberships mm WHERE mm.user_id = s.user_id AND mm.active) \
              ELSE 1 END) AS membership_count, ",
            // A session opened through the organisation's identity provider
            // leaves the second factor to that provider.
            "(s.sso_id_token IS NULL AND ",
            super::second_factor::second_factor_required!(),
            ") AS second_factor_required",
            " FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             JOIN memberships m ON m.user_id = s.user_id AND m.organisation_id = s.organisation_id \
             JOIN organisations o ON o.id = s.organisation_id \
             WHERE s.id_hash = $1 AND u.active AND m.active"
        ),
        )
        .bind(id_hash)
        .fetch_optional(p)
        .await?);
        row.map(|row| {
            Ok(SessionContext {
                id_hash: id_hash.to_owned(),
                user_id: UserId(row.user_id),
                organisation_id: OrganisationId(row.organisation_id),
                csrf_token: row.csrf_token,
                flash: row.flash,
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                user_name: row.user_name,
                email: row.email,
                locale: decode(&row.locale, Locale::parse)?,
                is_platform_admin: row.is_platform_admin,
                role: decode(&row.role, Role::parse)?,
                organisation_name: row.organisation_name,
                organisation_slug: row.organisation_slug,
                membership_count: row.membership_count,
                second_factor_required: row.second_factor_required,
                via_sso: row.via_sso,
            })
        })
        .transpose()
    }

    pub async fn touch_session(&self, id_hash: &str, at: OffsetDateTime) -> Result<()> {
        on_pool!(self, p => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(at)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Ends a session; gives its organisation and, for a session opened by
    /// single sign-on, the sealed ID token (to log out at the provider).
    pub async fn delete_session(
        &self,
        id_hash: &str,
    ) -> Result<Option<(OrganisationId, Option<String>)>> {
        let row: Option<(i64, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "DELETE FROM sessions WHERE id_hash = $1 RETURNING organisation_id, sso_id_token",
        )
        .bind(id_hash)
        .fetch_optional(p)
        .await?);
        Ok(row.map(|(organisation, token)| (OrganisationId(organisation), token)))
    }

    /// Removes sessions idle since `idle_before` or started before
    /// `started_before`.
    pub async fn delete_expired_sessions(
        &self,
        idle_before: OffsetDateTime,
        started_before: OffsetDateTime,
    ) -> Result<u64> {
        let done = on_pool!(self, p => sqlx::query(
            "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
        )
        .bind(idle_before)
        .bind(started_before)
        .execute(p)
        .await?
        .rows_affected());
        Ok(done)
    }

    /// Sets (or with `None` clears) the one-time message shown on the next page.
    pub async fn set_flash(&self, id_hash: &str, flash: Option<&str>) -> Result<()> {
        on_pool!(self, p => sqlx::query("UPDATE sessions SET flash = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(flash)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Moves a password session to another organisation; `false` (and no
    /// change) for a single sign-on session, which stays in the
    /// organisation whose provider opened it, or when the target has
    /// switched off password login.
    pub async fn switch_session_organisation(
        &self,
        id_hash: &str,
        organisation: OrganisationId,
    ) -> Result<bool> {
        let moved = on_pool!(self, p => sqlx::query(
            "UPDATE sessions SET organisation_id = $2 WHERE id_hash = $1 AND sso_id_token IS NULL \
             AND NOT EXISTS (SELECT 1 FROM sso_connections c WHERE c.organisation_id = $2 \
                             AND c.enabled AND c.password_login_off)",
        )
        .bind(id_hash)
        .bind(organisation)
        .execute(p)
        .await?
        .rows_affected());
        Ok(moved == 1)
    }
}
