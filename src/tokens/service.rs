use time::Duration;

use super::scope::MODULES;
use super::{Access, ApiToken, CreatedToken, NewTokenInput, Scope};
use crate::Result;
use crate::auth::Actor;
use crate::auth::secret::{hash_secret, random_secret};
use crate::domain::{Name, Permission, TokenId, Validator};
use crate::http::AppState;
use crate::store::NewToken;

/// Secrets start with this, so leaked tokens are easy to search for.
pub const SECRET_PREFIX: &str = "koers_";
const MAX_DAYS: i64 = 730;

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ApiToken>> {
    actor.require(Permission::ManageOwnTokens)?;
    state
        .store()
        .list_tokens(actor.organisation_id, actor.user_id)
        .await
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &NewTokenInput,
) -> Result<CreatedToken> {
    actor.require(Permission::ManageOwnTokens)?;
    let mut v = Validator::new();
    let name = v.check("name", Name::parse(input.name.as_deref().unwrap_or("")));
    let days = match input.expires_in_days {
        Some(days) if !(1..=MAX_DAYS).contains(&days) => {
            v.add("expires_in_days", "expiry_days");
            None
        }
        other => other,
    };
    let access = match input.access.as_deref().map(str::trim) {
        None | Some("") => Access::Read,
        Some(text) => Access::parse(text).unwrap_or_else(|_| {
            v.add("access", "unknown_choice");
            Access::Read
        }),
    };
    let mut modules: Vec<String> = Vec::new();
    for module in input.modules.iter().flatten().map(|m| m.trim()) {
        if !MODULES.contains(&module) {
            v.add("modules", "unknown_choice");
        } else if !modules.iter().any(|m| m == module) {
            modules.push(module.to_owned());
        }
    }
    let name = v.finish(name)?;
    let now = state.clock().now();
    let secret = format!("{SECRET_PREFIX}{}", random_secret());
    let prefix: String = secret.chars().take(SECRET_PREFIX.len() + 6).collect();
    let token_hash = hash_secret(&secret);
    let meta = actor.audit(now);
    let token = state
        .store()
        .create_token(
            &meta,
            &NewToken {
                organisation_id: actor.organisation_id,
                user_id: actor.user_id,
                name: &name,
                token_hash: &token_hash,
                prefix: &prefix,
                expires_at: days.map(|d| now + Duration::days(d)),
                scope: &Scope { access, modules },
            },
        )
        .await?;
    Ok(CreatedToken { token, secret })
}

pub async fn revoke(state: &AppState, actor: &Actor, id: TokenId) -> Result<ApiToken> {
    actor.require(Permission::ManageOwnTokens)?;
    let token = state
        .store()
        .token(actor.organisation_id, actor.user_id, id)
        .await?;
    let meta = actor.audit(state.clock().now());
    state.store().revoke_token(&meta, &token).await
}
