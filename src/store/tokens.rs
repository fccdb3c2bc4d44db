use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, decode, on_pool};
use crate::Result;
use crate::auth::TokenContext;
use crate::domain::{Locale, Name, OrganisationId, Role, TokenId, UserId};
use crate::tokens::{Access, ApiToken, Scope};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    name: String,
    prefix: String,
    access: String,
    modules: String,
    created_at: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = crate::Error;

    fn try_from(row: TokenRow) -> Result<Self> {
        Ok(ApiToken {
            id: TokenId(row.id),
            user_id: UserId(row.user_id),
            name: row.name,
            prefix: row.prefix,
            access: decode(&row.access, Access::parse)?,
            modules: Scope::modules_from_text(&row.modules),
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenContextRow {
    id: i64,
    user_id: i64,
    organisation_id: i64,
    expires_at: Option<OffsetDateTime>,
    last_used_at: Option<OffsetDateTime>,
    email: String,
    locale: String,
    is_platform_admin: bool,
    role: String,
    access: String,
    modules: String,
    second_factor_required: bool,
}

/// A token about to be stored; the secret itself is never stored.
#[derive(Debug)]
pub struct NewToken<'a> {
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub name: &'a Name,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub expires_at: Option<OffsetDateTime>,
    pub scope: &'a Scope,
}

impl Store {
    pub async fn create_token(&self, meta: &AuditMeta, token: &NewToken<'_>) -> Result<ApiToken> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: TokenRow = sqlx::query_as(
                "INSERT INTO api_tokens (organisation_id, user_id, name, token_hash, prefix, created_at, expires_at, access, modules) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 RETURNING id, user_id, name, prefix, access, modules, created_at, expires_at, last_used_at, revoked_at",
            )
            .bind(token.organisation_id)
            .bind(token.user_id)
            .bind(token.name.as_str())
            .bind(token.token_hash)
            .bind(token.prefix)
            .bind(meta.at)
            .bind(token.expires_at)
            .bind(token.scope.access.code())
            .bind(token.scope.modules_text())
            .fetch_one(&mut *tx)
            .await?;
            let created = ApiToken::try_from(row)?;
            write_audit!(&mut *tx, meta, &Change::created("api_token", created.id, &created))?;
            tx.commit().await?;
            Ok(created)
        })
    }

    pub async fn list_tokens(
        &self,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<Vec<ApiToken>> {
        let rows: Vec<TokenRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, user_id, name, prefix, access, modules, created_at, expires_at, last_used_at, revoked_at \
             FROM api_tokens WHERE organisation_id = $1 AND user_id = $2 ORDER BY id DESC",
        )
        .bind(organisation)
        .bind(user)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(ApiToken::try_from).collect()
    }

    pub async fn token(
        &self,
        organisation: OrganisationId,
        user: UserId,
        id: TokenId,
    ) -> Result<ApiToken> {
        let row: TokenRow = on_pool!(self, p => sqlx::query_as(
            "SELECT id, user_id, name, prefix, access, modules, created_at, expires_at, last_used_at, revoked_at \
             FROM api_tokens WHERE organisation_id = $1 AND user_id = $2 AND id = $3",
        )
        .bind(organisation)
        .bind(user)
        .bind(id)
        .fetch_one(p)
        .await?);
        row.try_into()
    }

    pub async fn revoke_token(&self, meta: &AuditMeta, before: &ApiToken) -> Result<ApiToken> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: TokenRow = sqlx::query_as(
                "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 \
                 RETURNING id, user_id, name, prefix, access, modules, created_at, expires_at, last_used_at, revoked_at",
            )
            .bind(before.id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let after = ApiToken::try_from(row)?;
            let change = Change::updated("api_token", after.id, before, &after);
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            Ok(after)
        })
    }

    /// Resolves a presented token to the acting member, if the token is
    /// known, unrevoked, unexpired and its owner still an active member.
    pub async fn token_context(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<TokenContext>> {
        let row: Option<TokenContextRow> = on_pool!(self, p => sqlx::query_as(
            concat!(
            "SELECT t.id, t.user_id, t.organisation_id, t.expires_at, t.last_used_at, \
             u.email, u.locale, u.is_platform_admin, m.role, t.access, t.modules, ",
            super::second_factor::second_factor_required!(),
            " AS second_factor_required ",
            " FROM api_tokens t \
             JOIN users u ON u.id = t.user_id \
             JOIN memberships m ON m.user_id = t.user_id AND m.organisation_id = t.organisation_id \
             JOIN organisations o ON o.id = t.organisation_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active AND m.active"
        ),
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?);
        let Some(row) = row else { return Ok(None) };
        if row.expires_at.is_some_and(|at| at <= now) {
            return Ok(None);
        }
        Ok(Some(TokenContext {
            token_id: TokenId(row.id),
            user_id: UserId(row.user_id),
            organisation_id: OrganisationId(row.organisation_id),
            last_used_at: row.last_used_at,
            email: row.email,
            locale: decode(&row.locale, Locale::parse)?,
            is_platform_admin: row.is_platform_admin,
            role: decode(&row.role, Role::parse)?,
            scope: Scope {
                access: decode(&row.access, Access::parse)?,
                modules: Scope::modules_from_text(&row.modules),
            },
            second_factor_required: row.second_factor_required,
        }))
    }

    pub async fn mark_token_used(&self, id: TokenId, at: OffsetDateTime) -> Result<()> {
        on_pool!(self, p => sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}
