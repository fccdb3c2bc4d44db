use time::OffsetDateTime;

use super::BeginWrite as _;
use super::{Store, on_pool};
use crate::Result;

impl Store {
    /// Failed logins since `since` for this account and for this address.
    /// Kept in the database so that throttling holds across app servers.
    pub async fn recent_login_failures(
        &self,
        email: &str,
        client_address: &str,
        since: OffsetDateTime,
    ) -> Result<(i64, i64)> {
        let counts: (i64, i64) = on_pool!(self, p => sqlx::query_as(
            "SELECT \
             (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND failed_at >= $3), \
             (SELECT COUNT(*) FROM login_failures WHERE client_address = $2 AND failed_at >= $3)",
        )
        .bind(email)
        .bind(client_address)
        .bind(since)
        .fetch_one(p)
        .await?);
        Ok(counts)
    }

    pub async fn record_login_failure(
        &self,
        email: &str,
        client_address: &str,
        at: OffsetDateTime,
        forget_before: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
                .bind(forget_before)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO login_failures (email, client_address, failed_at) VALUES ($1, $2, $3)")
                .bind(email)
                .bind(client_address)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A successful login clears the account's failures.
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}
