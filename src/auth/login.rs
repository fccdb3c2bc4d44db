//! Logging in and out, with throttling per account and per client address.

use time::Duration;

use super::password::verify_password;
use super::secret::{hash_secret, random_secret};
use crate::domain::{Email, Validator};
use crate::http::AppState;
use crate::store::{AuditMeta, Change, NewSession};
use crate::{Error, Result};

/// Raw login form or JSON.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LoginInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// Throttling limits: after this many failures inside the window, further
/// attempts are refused until the window has passed.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    pub per_account: i64,
    pub per_address: i64,
    pub window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

/// A session that was just started; `cookie_value` goes to the browser and
/// nowhere else.
#[derive(Debug)]
pub struct StartedSession {
    pub cookie_value: String,
}

/// What a right password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    Started(StartedSession),
    /// The person has a second factor: the code comes next. `cookie_value`
    /// names the waiting login and goes to the browser only.
    NeedsCode {
        cookie_value: String,
    },
}

/// How long a login waits for its code.
pub const CODE_WAIT: Duration = Duration::minutes(5);
/// Wrong codes before a waiting login is dropped.
const CODE_ATTEMPTS: i64 = 5;

pub async fn login(
    state: &AppState,
    input: &LoginInput,
    client_address: &str,
    replaces_session: Option<&str>,
) -> Result<LoginOutcome> {
    let mut validator = Validator::new();
    let email = validator.check("email", Email::parse(&input.email));
    if input.password.is_empty() {
        validator.add("password", "required");
    }
    let email = validator.finish(email)?;

    let now = state.clock().now();
    let throttle = state.settings().throttle;
    let (account_failures, address_failures) = state
        .store()
        .recent_login_failures(email.as_str(), client_address, now - throttle.window)
        .await?;
    if account_failures >= throttle.per_account || address_failures >= throttle.per_address {
        return Err(Error::Throttled {
            retry_after_secs: throttle.window.whole_seconds().unsigned_abs(),
        });
    }

    let credentials = state.store().credentials(&email).await?;
    let stored_hash = credentials
        .as_ref()
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| state.decoy_hash().to_owned());
    let password_ok = verify_password(stored_hash, input.password.clone()).await?;
    let user = match credentials {
        Some(c) if password_ok && c.active && c.password_hash.is_some() => c.id,
        _ => {
            state
                .store()
                .record_login_failure(email.as_str(), client_address, now, now - throttle.window)
                .await?;
            super::signals::after_failure(
                state,
                email.as_str(),
                client_address,
                (account_failures, address_failures),
            )
            .await?;
            tracing::info!(login.outcome = "failed", "login refused");
            return Err(Error::Unauthenticated);
        }
    };

    if state
        .store()
        .first_password_organisation(user)
        .await?
        .is_none()
    {
        // Every organisation of this person logs in through its provider
        // (or there is none). The same answer as a wrong password, so the
        // answer does not tell whether the password was right; the login
        // page offers single sign-on beside it.
        tracing::info!(login.outcome = "password_login_off", "login refused");
        return Err(Error::Unauthenticated);
    }
    let has_code = state
        .store()
        .second_factor(user)
        .await?
        .is_some_and(|factor| factor.confirmed_at.is_some());
    if has_code {
        let cookie_value = random_secret();
        state
            .store()
            .create_pending_login(
                &hash_secret(&cookie_value),
                user,
                email.as_str(),
                now,
                now - CODE_WAIT,
            )
            .await?;
        return Ok(LoginOutcome::NeedsCode { cookie_value });
    }
    open_session(
        state,
        user,
        email.as_str(),
        client_address,
        replaces_session,
        SessionStart::default(),
    )
    .await
    .map(LoginOutcome::Started)
}

/// The second step: the code from the authenticator app, or a recovery
/// code, for the login waiting under `pending_cookie`.
pub async fn complete_login(
    state: &AppState,
    pending_cookie: &str,
    code: &str,
    client_address: &str,
    replaces_session: Option<&str>,
) -> Result<StartedSession> {
    let id_hash = hash_secret(pending_cookie);
    let now = state.clock().now();
    let store = state.store();
    let Some(pending) = store.pending_login(&id_hash).await? else {
        return Err(Error::Unauthenticated);
    };
    if now - pending.created_at > CODE_WAIT || pending.failures >= CODE_ATTEMPTS {
        store.delete_pending_login(&id_hash).await?;
        return Err(Error::Unauthenticated);
    }
    if code.trim().is_empty() {
        return Err(Error::invalid("code", "required"));
    }
    let user = crate::domain::UserId(pending.user_id);
    // Wrong codes count as failed logins, so guessing over many waiting
    // logins (or many addresses) meets the same limit as guessing passwords.
    let throttle = state.settings().throttle;
    let before = store
        .recent_login_failures(&pending.email, client_address, now - throttle.window)
        .await?;
    if before.0 >= throttle.per_account || before.1 >= throttle.per_address {
        return Err(Error::Throttled {
            retry_after_secs: throttle.window.whole_seconds().unsigned_abs(),
        });
    }
    // Each try is taken before the code is checked, in one statement, so
    // parallel requests cannot get more than CODE_ATTEMPTS between them.
    if !store.take_code_try(&id_hash, CODE_ATTEMPTS).await? {
        store.delete_pending_login(&id_hash).await?;
        return Err(Error::Unauthenticated);
    }
    if !super::second_factor::check_code(state, user, code).await? {
        store
            .record_login_failure(&pending.email, client_address, now, now - throttle.window)
            .await?;
        super::signals::after_failure(state, &pending.email, client_address, before).await?;
        tracing::info!(login.outcome = "failed", "second factor refused");
        return Err(Error::invalid("code", "code_wrong"));
    }
    store.delete_pending_login(&id_hash).await?;
    open_session(
        state,
        user,
        &pending.email,
        client_address,
        replaces_session,
        SessionStart::default(),
    )
    .await
}

/// Where a new session starts and how it was opened.
#[derive(Debug, Default)]
pub struct SessionStart {
    /// The organisation to start in; by default the person's first that
    /// allows password login.
    pub organisation: Option<crate::domain::OrganisationId>,
    /// The provider's ID token, sealed, for a single sign-on session.
    pub sso_id_token: Option<String>,
}

/// Starts a session (by default in the person's first organisation that
/// allows password login).
pub async fn open_session(
    state: &AppState,
    user: crate::domain::UserId,
    email: &str,
    client_address: &str,
    replaces_session: Option<&str>,
    start: SessionStart,
) -> Result<StartedSession> {
    let now = state.clock().now();
    let memberships = state.store().memberships_of(user).await?;
    let wanted = match start.organisation {
        Some(organisation) => Some(organisation),
        None => state.store().first_password_organisation(user).await?,
    };
    let chosen = wanted.and_then(|organisation| {
        memberships
            .iter()
            .find(|m| m.organisation_id == organisation)
    });
    let Some(first) = chosen else {
        return Err(Error::Unauthenticated);
    };
    super::signals::before_login(state, user, email, client_address).await?;
    let cookie_value = random_secret();
    let session = NewSession {
        id_hash: hash_secret(&cookie_value),
        user_id: user,
        organisation_id: first.organisation_id,
        csrf_token: random_secret(),
        at: now,
        sso_id_token: start.sso_id_token,
    };
    state
        .store()
        .create_session(&session, replaces_session)
        .await?;
    state.store().clear_login_failures(email).await?;
    let meta = AuditMeta {
        organisation_id: Some(first.organisation_id),
        actor_user_id: Some(user),
        actor_label: email.to_owned(),
        client_address: Some(client_address.to_owned()),
        at: now,
    };
    state
        .store()
        .record_event(&meta, &Change::event("login", "session", user))
        .await?;
    Ok(StartedSession { cookie_value })
}

/// Ends the session; for a single sign-on session, gives the provider's
/// logout address when it has one (RP-initiated logout).
pub async fn logout(
    state: &AppState,
    actor: &super::Actor,
    session_hash: &str,
) -> Result<Option<String>> {
    let ended = state.store().delete_session(session_hash).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .record_event(&meta, &Change::event("logout", "session", actor.user_id))
        .await?;
    Ok(match ended {
        Some((organisation, Some(sealed_token))) => {
            crate::sso::service::provider_logout(state, organisation, &sealed_token).await
        }
        _ => None,
    })
}
