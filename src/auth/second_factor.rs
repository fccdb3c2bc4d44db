//! Setting up, using and removing the second factor of a local account.
//! The person acts on their own account only; no role is needed.

use super::Actor;
use super::totp;
use crate::domain::UserId;
use crate::http::AppState;
use crate::{Error, Result};

/// Where a person stands with their second factor.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub enabled: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
}

/// A secret being set up: to scan (QR) or type (`secret`) into the app.
#[derive(Debug, Clone)]
pub struct Setup {
    pub secret: String,
    pub uri: String,
    /// The address as a QR code, an SVG image.
    pub qr_svg: String,
}

pub async fn status(state: &AppState, actor: &Actor) -> Result<Status> {
    let factor = state.store().second_factor(actor.user_id).await?;
    let enabled = factor.is_some_and(|f| f.confirmed_at.is_some());
    let recovery_codes_left = if enabled {
        state.store().unused_recovery_codes(actor.user_id).await?
    } else {
        0
    };
    Ok(Status {
        enabled,
        recovery_codes_left,
    })
}

/// The setup in progress, started anew when `restart` or when there is
/// none. Refused when a factor is already on.
pub async fn setup(state: &AppState, actor: &Actor, restart: bool) -> Result<Setup> {
    let store = state.store();
    let existing = store.second_factor(actor.user_id).await?;
    let secret = match existing {
        Some(f) if f.confirmed_at.is_some() => {
            return Err(Error::conflict("code", "second_factor_on"));
        }
        Some(f) if !restart => readable(state, actor.user_id, &f.secret)?,
        _ => {
            let fresh = sealed_form(state, actor.user_id, &totp::new_secret());
            let stored = store
                .begin_second_factor(actor.user_id, &fresh, state.clock().now())
                .await?;
            readable(state, actor.user_id, &stored)?
        }
    };
    let organisation = store.organisation(actor.organisation_id).await?;
    let uri = totp::provisioning_uri(
        &secret,
        &format!("Koers {}", organisation.name),
        &actor.label,
    );
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .map_err(|e| Error::Unexpected(format!("QR code: {e}")))?;
    Ok(Setup {
        secret,
        uri,
        qr_svg,
    })
}

/// Confirms the setup with the first code from the app; returns the
/// recovery codes, shown this once.
pub async fn confirm(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>> {
    let store = state.store();
    let Some(factor) = store.second_factor(actor.user_id).await? else {
        return Err(Error::invalid("code", "second_factor_not_started"));
    };
    if factor.confirmed_at.is_some() {
        return Err(Error::conflict("code", "second_factor_on"));
    }
    if code.trim().is_empty() {
        return Err(Error::invalid("code", "required"));
    }
    let now = state.clock().now();
    let secret = readable(state, actor.user_id, &factor.secret)?;
    let Some(step) = totp::verify(&secret, code, now.unix_timestamp(), 0) else {
        return Err(Error::invalid("code", "code_wrong"));
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|(_, hash)| hash.clone()).collect();
    if !store
        .confirm_second_factor(&actor.audit(now), actor.user_id, step, &hashes)
        .await?
    {
        return Err(Error::conflict("code", "second_factor_on"));
    }
    Ok(codes.into_iter().map(|(code, _)| code).collect())
}

/// A new set of recovery codes, after a valid code; the old set stops.
pub async fn renew_recovery_codes(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<Vec<String>> {
    require_code(state, actor, code).await?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|(_, hash)| hash.clone()).collect();
    state
        .store()
        .replace_recovery_codes(&actor.audit(state.clock().now()), actor.user_id, &hashes)
        .await?;
    Ok(codes.into_iter().map(|(code, _)| code).collect())
}

/// Switches the second factor off, after a valid code.
pub async fn remove(state: &AppState, actor: &Actor, code: &str) -> Result<()> {
    require_code(state, actor, code).await?;
    state
        .store()
        .remove_second_factor(&actor.audit(state.clock().now()), actor.user_id)
        .await
}

async fn require_code(state: &AppState, actor: &Actor, code: &str) -> Result<()> {
    if !status(state, actor).await?.enabled {
        return Err(Error::invalid("code", "second_factor_not_started"));
    }
    if code.trim().is_empty() {
        return Err(Error::invalid("code", "required"));
    }
    // Wrong codes here count as failed logins too: a stolen session cannot
    // guess its way to switching the second factor off.
    let store = state.store();
    let throttle = state.settings().throttle;
    let now = state.clock().now();
    let address = actor.client_address.as_deref().unwrap_or("unknown");
    let (account, by_address) = store
        .recent_login_failures(&actor.label, address, now - throttle.window)
        .await?;
    if account >= throttle.per_account || by_address >= throttle.per_address {
        return Err(Error::Throttled {
            retry_after_secs: throttle.window.whole_seconds().unsigned_abs(),
        });
    }
    if check_code(state, actor.user_id, code).await? {
        Ok(())
    } else {
        store
            .record_login_failure(&actor.label, address, now, now - throttle.window)
            .await?;
        Err(Error::invalid("code", "code_wrong"))
    }
}

/// Whether `typed` is the current code of the person's app (used once)
/// or one of their unused recovery codes (spent now).
pub async fn check_code(state: &AppState, user: UserId, typed: &str) -> Result<bool> {
    let store = state.store();
    let Some(factor) = store.second_factor(user).await? else {
        return Ok(false);
    };
    if factor.confirmed_at.is_none() {
        return Ok(false);
    }
    let now = state.clock().now();
    let digits = typed.chars().filter(|c| !c.is_whitespace()).count();
    if digits == totp::DIGITS as usize
        && typed.trim().chars().all(|c| c.is_ascii_digit() || c == ' ')
    {
        let secret = readable(state, user, &factor.secret)?;
        return match totp::verify(&secret, typed, now.unix_timestamp(), factor.last_used_step) {
            Some(step) => store.use_code_step(user, step).await,
            None => Ok(false),
        };
    }
    store
        .use_recovery_code(user, &totp::recovery_hash(typed), now)
        .await
}

fn secret_context(user: UserId) -> String {
    format!("totp-secret:{}", user.0)
}

/// The secret as stored: sealed when the installation has a key.
fn sealed_form(state: &AppState, user: UserId, secret: &str) -> String {
    match state.secret_key() {
        Some(key) => key.seal(&secret_context(user), secret),
        None => secret.to_owned(),
    }
}

/// The secret from its stored form. Secrets stored before a key was
/// configured stay readable as they are.
fn readable(state: &AppState, user: UserId, stored: &str) -> Result<String> {
    if !stored.starts_with("v1:") {
        return Ok(stored.to_owned());
    }
    let key = state
        .secret_key()
        .ok_or_else(|| Error::Unexpected("a sealed TOTP secret, but no KOERS_SECRET_KEY".into()))?;
    key.open(&secret_context(user), stored)
        .map_err(|e| Error::Unexpected(format!("TOTP secret: {e}")))
}
