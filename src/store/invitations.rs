use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, on_pool};
use crate::Result;
use crate::domain::{OrganisationId, UserId};

/// An open invitation to set a password.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub email: String,
    pub name: String,
    pub organisation_name: String,
}

/// Inserts an invitation and its audit event inside transaction `$tx`.
macro_rules! insert_invitation {
    ($tx:ident, $meta:expr, $organisation:expr, $user:expr, $token_hash:expr, $expires_at:expr) => {{
        let meta: &$crate::store::AuditMeta = $meta;
        sqlx::query(
            "INSERT INTO invitations (token_hash, organisation_id, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($token_hash)
        .bind($organisation)
        .bind($user)
        .bind(meta.at)
        .bind($expires_at)
        .execute(&mut *$tx)
        .await?;
        $crate::store::audit::write_audit!(
            &mut *$tx,
            meta,
            &$crate::store::Change::event("invite", "membership", $user)
        )?;
    }};
}
pub(crate) use insert_invitation;

impl Store {
    /// Stores a new invitation and withdraws the person's earlier open ones.
    pub async fn create_invitation(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        user: UserId,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            insert_invitation!(tx, meta, organisation, user, token_hash, expires_at);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn open_invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Invitation>> {
        let invitation = on_pool!(self, p => sqlx::query_as(
            "SELECT i.user_id, i.organisation_id, u.email, u.name, o.name AS organisation_name \
             FROM invitations i JOIN users u ON u.id = i.user_id \
             JOIN organisations o ON o.id = i.organisation_id \
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(p)
        .await?);
        Ok(invitation)
    }

    /// Sets the password and closes the invitation, both or neither.
    pub async fn accept_invitation(
        &self,
        meta: &AuditMeta,
        token_hash: &str,
        user: UserId,
        password_hash: &str,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let used = sqlx::query(
                "UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(meta.at)
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(crate::Error::NotFound);
            }
            sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(user)
                .bind(password_hash)
                .bind(meta.at)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::event("accept_invitation", "user", user))?;
            tx.commit().await?;
            Ok(())
        })
    }
}
