//! The second factor's rows: TOTP secrets, recovery codes and logins that
//! wait for their code. Person-level, not organisation-level: one person
//! has one authenticator app for every organisation they belong to.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, on_pool};
use crate::Result;
use crate::domain::UserId;

/// A person's TOTP secret; unconfirmed while being set up.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecondFactorRow {
    pub secret: String,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_used_step: i64,
}

/// A login that passed the password and waits for the second factor.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingLogin {
    pub user_id: i64,
    pub email: String,
    pub created_at: OffsetDateTime,
    /// Tries taken so far (right or wrong).
    pub failures: i64,
}

/// SQL condition for "an administrator whose organisation requires a
/// second factor and who has none", over a membership `m` and its
/// organisation `o`; the session and the token lookups both answer it.
macro_rules! second_factor_required {
    () => {
        "(m.role = 'admin' AND o.admins_need_second_factor AND NOT EXISTS \
          (SELECT 1 FROM second_factors f WHERE f.user_id = m.user_id AND f.confirmed_at IS NOT NULL))"
    };
}
pub(crate) use second_factor_required;

/// Inside a write transaction: the person's recovery codes become `hashes`
/// (a macro, as the transaction's type differs per backend).
macro_rules! replace_codes {
    ($tx:ident, $user:expr, $hashes:expr) => {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind($user)
            .execute(&mut *$tx)
            .await?;
        for hash in $hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind($user)
                .bind(hash)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

impl Store {
    pub async fn second_factor(&self, user: UserId) -> Result<Option<SecondFactorRow>> {
        let row = on_pool!(self, p => sqlx::query_as(
            "SELECT secret, confirmed_at, last_used_step FROM second_factors WHERE user_id = $1",
        )
        .bind(user)
        .fetch_optional(p)
        .await?);
        Ok(row)
    }

    /// Starts (or restarts) setting up: a new unconfirmed secret. A
    /// confirmed factor is never replaced here.
    pub async fn begin_second_factor(
        &self,
        user: UserId,
        secret: &str,
        at: OffsetDateTime,
    ) -> Result<String> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM second_factors WHERE user_id = $1 AND confirmed_at IS NULL")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user)
            .bind(secret)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            // Two set-ups at once: both show the secret that was stored.
            let stored: String = sqlx::query_scalar("SELECT secret FROM second_factors WHERE user_id = $1")
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(stored)
        })
    }

    /// Confirms the factor with the step of its first code and stores a
    /// fresh set of recovery codes, in one transaction.
    pub async fn confirm_second_factor(
        &self,
        meta: &AuditMeta,
        user: UserId,
        step: i64,
        recovery_hashes: &[String],
    ) -> Result<bool> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let confirmed = sqlx::query(
                "UPDATE second_factors SET confirmed_at = $2, last_used_step = $3 \
                 WHERE user_id = $1 AND confirmed_at IS NULL",
            )
            .bind(user)
            .bind(meta.at)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if confirmed != 1 {
                return Ok(false);
            }
            replace_codes!(tx, user, recovery_hashes);
            write_audit!(&mut *tx, meta, &Change::event("second_factor_on", "user", user))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records that the code of `step` was used; false when that step (or
    /// a later one) was used already, so a code works once only.
    pub async fn use_code_step(&self, user: UserId, step: i64) -> Result<bool> {
        let changed = on_pool!(self, p => sqlx::query(
            "UPDATE second_factors SET last_used_step = $2 \
             WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_used_step < $2",
        )
        .bind(user)
        .bind(step)
        .execute(p)
        .await?
        .rows_affected());
        Ok(changed == 1)
    }

    /// Spends a recovery code; false when it is unknown or spent.
    pub async fn use_recovery_code(
        &self,
        user: UserId,
        hash: &str,
        at: OffsetDateTime,
    ) -> Result<bool> {
        let changed = on_pool!(self, p => sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user)
        .bind(hash)
        .bind(at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(changed == 1)
    }

    pub async fn unused_recovery_codes(&self, user: UserId) -> Result<i64> {
        let count: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user)
        .fetch_one(p)
        .await?);
        Ok(count)
    }

    /// A new set of recovery codes; the old ones stop working.
    pub async fn replace_recovery_codes(
        &self,
        meta: &AuditMeta,
        user: UserId,
        hashes: &[String],
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            replace_codes!(tx, user, hashes);
            write_audit!(&mut *tx, meta, &Change::event("recovery_codes_renewed", "user", user))?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn remove_second_factor(&self, meta: &AuditMeta, user: UserId) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM second_factors WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            write_audit!(&mut *tx, meta, &Change::event("second_factor_off", "user", user))?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Remembers a login waiting for its code; old ones are cleared.
    pub async fn create_pending_login(
        &self,
        id_hash: &str,
        user: UserId,
        email: &str,
        at: OffsetDateTime,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            // One waiting login per person: a new password step replaces it.
            sqlx::query("DELETE FROM pending_logins WHERE created_at < $1 OR user_id = $2")
                .bind(forget_before)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO pending_logins (id_hash, user_id, email, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id_hash)
                .bind(user)
                .bind(email)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn pending_login(&self, id_hash: &str) -> Result<Option<PendingLogin>> {
        let row = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, email, created_at, failures FROM pending_logins WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(p)
        .await?);
        Ok(row)
    }

    /// Takes one of the waiting login's `max` tries; false when none is left.
    pub async fn take_code_try(&self, id_hash: &str, max: i64) -> Result<bool> {
        let taken = on_pool!(self, p => sqlx::query(
            "UPDATE pending_logins SET failures = failures + 1 WHERE id_hash = $1 AND failures < $2",
        )
        .bind(id_hash)
        .bind(max)
        .execute(p)
        .await?
        .rows_affected());
        Ok(taken == 1)
    }

    pub async fn delete_pending_login(&self, id_hash: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query("DELETE FROM pending_logins WHERE id_hash = $1")
            .bind(id_hash)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}

impl Store {
    /// The addresses a person logged in from before (from the audit log).
    pub async fn login_addresses(&self, user: UserId) -> Result<Vec<String>> {
        let rows: Vec<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT client_address FROM audit_events \
             WHERE action = 'login' AND actor_user_id = $1 AND client_address IS NOT NULL",
        )
        .bind(user)
        .fetch_all(p)
        .await?);
        Ok(rows)
    }

    /// Audit events of one action in the organisation since `since`.
    pub async fn count_events_since(
        &self,
        organisation: crate::domain::OrganisationId,
        action: &str,
        since: OffsetDateTime,
    ) -> Result<i64> {
        let count: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE organisation_id = $1 AND action = $2 AND occurred_at >= $3",
        )
        .bind(organisation)
        .bind(action)
        .bind(since)
        .fetch_one(p)
        .await?);
        Ok(count)
    }

    /// Installation-wide audit events (no organisation) of one action
    /// since `since`, newest first, at most 20: when and from which address.
    /// These are signals about addresses rather than accounts.
    pub async fn installation_events_since(
        &self,
        action: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<(OffsetDateTime, Option<String>)>> {
        let rows: Vec<(OffsetDateTime, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT occurred_at, client_address FROM audit_events \
             WHERE organisation_id IS NULL AND action = $1 AND occurred_at >= $2 \
             ORDER BY id DESC LIMIT 20",
        )
        .bind(action)
        .bind(since)
        .fetch_all(p)
        .await?);
        Ok(rows)
    }
}
