//! Single sign-on rules: configuring an organisation's connection, and a
//! login from its start at `/login/sso` to the session it opens.

use super::provider::Connection;
use super::settings::{
    ConnectionOptions, ConnectionTest, SsoConnection, SsoInput, SsoSettings, parse_issuer,
};
use super::{CALLBACK_PATH, refusal};
use crate::auth::Actor;
use crate::auth::login::{SessionStart, StartedSession, open_session};
use crate::auth::secret::{constant_time_eq, hash_secret};
use crate::domain::{Email, Name, OrganisationId, Permission, Role, Slug};
use crate::http::AppState;
use crate::store::{Admission, AuditMeta, StoredConnection};
use crate::{Error, Result};

/// How long a login may stay at the provider.
pub const LOGIN_WAIT: time::Duration = time::Duration::minutes(10);

fn secret_context(organisation: OrganisationId) -> String {
    format!("sso-client-secret:{}", organisation.0)
}

fn id_token_context(organisation: OrganisationId) -> String {
    format!("sso-id-token:{}", organisation.0)
}

pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.settings().public_url)
}

pub fn post_logout_redirect_uri(state: &AppState) -> String {
    format!("{}/login", state.settings().public_url)
}

fn view(state: &AppState, slug: &str, stored: Option<StoredConnection>) -> SsoConnection {
    let redirect_uri = redirect_uri(state);
    let post_logout_redirect_uri = post_logout_redirect_uri(state);
    let login_url = format!(
        "{}/login/sso?organisation={slug}",
        state.settings().public_url
    );
    let (configured, client_secret_set, updated_at, options) = match stored {
        Some(c) => (
            true,
            !c.client_secret_sealed.is_empty(),
            Some(c.updated_at),
            c.options,
        ),
        None => (
            false,
            false,
            None,
            ConnectionOptions {
                preset: super::Preset::Generic,
                issuer: String::new(),
                client_id: String::new(),
                scopes: vec!["openid".into(), "profile".into(), "email".into()],
                email_claim: "email".into(),
                groups_claim: None,
                role_rules: Vec::new(),
                default_role: Role::Employee,
                match_by_email: false,
                password_login_off: false,
                enabled: false,
            },
        ),
    };
    SsoConnection {
        configured,
        options,
        client_secret_set,
        redirect_uri,
        post_logout_redirect_uri,
        login_url,
        updated_at,
    }
}

/// The organisation's connection as administrators see it.
pub async fn connection(state: &AppState, actor: &Actor) -> Result<SsoConnection> {
    actor.require(Permission::ManageOrganisation)?;
    let stored = state.store().sso_connection(actor.organisation_id).await?;
    let organisation = state.store().organisation(actor.organisation_id).await?;
    Ok(view(state, &organisation.slug, stored))
}

/// Saves the connection. A new client secret is sealed with the
/// installation's key; switching off passwords needs a working login
/// through the provider first, so administrators cannot lock themselves out.
pub async fn save(state: &AppState, actor: &Actor, input: &SsoInput) -> Result<SsoConnection> {
    actor.require(Permission::ManageOrganisation)?;
    let settings = SsoSettings::parse(input, state.settings().sso_allow_local_http)?;
    let organisation = actor.organisation_id;
    let sealed = match &settings.client_secret {
        Some(secret) => {
            let key = state
                .secret_key()
                .ok_or_else(|| Error::conflict("client_secret", "secret_key_missing"))?;
            Some(key.seal(&secret_context(organisation), secret))
        }
        None => None,
    };
    if settings.options.password_login_off
        && !state
            .store()
            .has_sso_identity(organisation, &settings.options.issuer, actor.user_id)
            .await?
    {
        return Err(Error::invalid("password_login_off", "sso_login_first"));
    }
    let meta = actor.audit(state.clock().now());
    let stored = state
        .store()
        .save_sso_connection(&meta, organisation, &settings, sealed.as_deref())
        .await?;
    let organisation = state.store().organisation(organisation).await?;
    Ok(view(state, &organisation.slug, Some(stored)))
}

/// Reads the issuer's discovery document and keys: the one given, or the
/// saved one.
pub async fn test(state: &AppState, actor: &Actor, issuer: Option<&str>) -> Result<ConnectionTest> {
    actor.require(Permission::ManageOrganisation)?;
    let issuer = match issuer.map(str::trim).filter(|i| !i.is_empty()) {
        Some(given) => parse_issuer(given, state.settings().sso_allow_local_http)
            .map_err(|code| Error::invalid("issuer", code))?,
        None => state
            .store()
            .sso_connection(actor.organisation_id)
            .await?
            .map(|c| c.options.issuer)
            .ok_or_else(|| Error::invalid("issuer", "required"))?,
    };
    Ok(state.identity_providers().test(&issuer).await)
}

/// A login on its way to the provider: where to send the browser, and the
/// state value the browser keeps in a cookie until it comes back.
pub struct LoginStart {
    pub provider_url: String,
    pub state: String,
}

/// The organisation's enabled connection with its secret opened.
struct ActiveConnection {
    stored: StoredConnection,
    client_secret: String,
}

async fn active_connection(
    state: &AppState,
    organisation: OrganisationId,
) -> Result<ActiveConnection> {
    let stored = state
        .store()
        .sso_connection(organisation)
        .await?
        .filter(|c| c.options.enabled)
        .ok_or(Error::SsoRefused(refusal::NOT_AVAILABLE))?;
    let key = state.secret_key().ok_or_else(|| {
        tracing::warn!("single sign-on configured but no KOERS_SECRET_KEY to open its secret");
        Error::SsoRefused(refusal::NOT_AVAILABLE)
    })?;
    let client_secret = key
        .open(&secret_context(organisation), &stored.client_secret_sealed)
        .map_err(|e| {
            tracing::warn!(error = %e, "client secret does not open");
            Error::SsoRefused(refusal::NOT_AVAILABLE)
        })?;
    Ok(ActiveConnection {
        stored,
        client_secret,
    })
}

/// Starts a login with the provider of the organisation named by `slug`.
pub async fn begin(state: &AppState, slug: &str) -> Result<LoginStart> {
    let slug = Slug::parse(slug).map_err(|code| Error::invalid("organisation", code))?;
    let organisation = match state.store().organisation_by_slug(slug.as_str()).await {
        Ok(organisation) => organisation,
        Err(Error::NotFound) => {
            return Err(Error::invalid("organisation", "sso_unknown_organisation"));
        }
        Err(other) => return Err(other),
    };
    let active = match active_connection(state, organisation.id).await {
        Err(Error::SsoRefused(_)) => {
            return Err(Error::invalid("organisation", "sso_not_available"));
        }
        other => other?,
    };
    let redirect_uri = redirect_uri(state);
    let connection = Connection {
        issuer: &active.stored.options.issuer,
        client_id: &active.stored.options.client_id,
        client_secret: &active.client_secret,
        scopes: &active.stored.options.scopes,
        redirect_uri: &redirect_uri,
    };
    let started = state.identity_providers().start(&connection).await?;
    let now = state.clock().now();
    state
        .store()
        .create_sso_login(
            &hash_secret(&started.state),
            organisation.id,
            &started.nonce,
            &started.pkce_verifier,
            now,
            now - LOGIN_WAIT,
        )
        .await?;
    Ok(LoginStart {
        provider_url: started.url,
        state: started.state,
    })
}

/// The provider's answer at the callback, as it arrives.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CallbackQuery {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    /// The issuer that answered (RFC 9207), when the provider says.
    pub iss: Option<String>,
}

/// Finishes a login: the answer must belong to the login this browser
/// started (state in its cookie, taken once, within ten minutes); the code
/// is exchanged with the PKCE verifier; the ID token's signature, issuer,
/// audience, times and nonce are checked; then the person is found or
/// created and a session opened in that organisation.
pub async fn finish(
    state: &AppState,
    cookie_state: Option<&str>,
    query: &CallbackQuery,
    client_address: &str,
    replaces_session: Option<&str>,
) -> Result<StartedSession> {
    let stale = Error::SsoRefused(refusal::STALE);
    let returned_state = query.state.as_deref().unwrap_or("");
    let Some(cookie_state) = cookie_state else {
        return Err(stale);
    };
    if returned_state.is_empty() || !constant_time_eq(cookie_state, returned_state) {
        return Err(stale);
    }
    let Some(waiting) = state
        .store()
        .take_sso_login(&hash_secret(returned_state))
        .await?
    else {
        return Err(stale);
    };
    let now = state.clock().now();
    if now - waiting.created_at > LOGIN_WAIT {
        return Err(stale);
    }
    if let Some(error) = &query.error {
        tracing::info!(
            sso.provider_error = provider_error_code(error),
            "provider answered with an error"
        );
        return Err(Error::SsoRefused(refusal::PROVIDER_ERROR));
    }
    let code = query
        .code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or(Error::SsoRefused(refusal::PROVIDER_ERROR))?;
    let organisation = OrganisationId(waiting.organisation_id);
    let active = active_connection(state, organisation).await?;
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != active.stored.options.issuer)
    {
        // An answer from another provider than the one we sent them to.
        return Err(Error::SsoRefused(refusal::PROVIDER_ERROR));
    }
    let redirect_uri = redirect_uri(state);
    let connection = Connection {
        issuer: &active.stored.options.issuer,
        client_id: &active.stored.options.client_id,
        client_secret: &active.client_secret,
        scopes: &active.stored.options.scopes,
        redirect_uri: &redirect_uri,
    };
    let identity = state
        .identity_providers()
        .finish(&connection, code, &waiting.pkce_verifier, &waiting.nonce)
        .await?;
    let stored = &active.stored;
    let claim_text = |name: &str| {
        identity
            .claims
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let email = claim_text(&stored.options.email_claim).and_then(|e| Email::parse(&e).ok());
    // Providers that do not say (Entra ID) are taken at their word.
    let email_verified = identity
        .claims
        .get("email_verified")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(true);
    let name = claim_text("name")
        .and_then(|n| Name::parse(&n).ok())
        .or_else(|| email.as_ref().and_then(|e| Name::parse(e.as_str()).ok()))
        .or_else(|| Name::parse(&identity.subject).ok())
        .ok_or(Error::SsoRefused(refusal::NO_EMAIL))?;
    // With rules, the provider's groups decide the role at every login
    // (the default role when no rule matches). A token without the groups
    // claim at all (Entra ID's "too many groups", a missing mapper) says
    // nothing about groups: the role stays as it is.
    let mapped_role = match stored.options.groups_claim.as_deref() {
        Some(claim) if !stored.options.role_rules.is_empty() => {
            identity.claims.get(claim).map(|value| {
                SsoSettings::role_for(&stored.options.role_rules, &groups_of(Some(value)))
                    .unwrap_or(stored.options.default_role)
            })
        }
        _ => None,
    };
    let admission = Admission {
        organisation,
        issuer: stored.options.issuer.clone(),
        subject: identity.subject.clone(),
        email,
        email_verified,
        name,
        match_by_email: stored.options.match_by_email,
        default_role: stored.options.default_role,
        mapped_role,
    };
    let meta = AuditMeta {
        organisation_id: Some(organisation),
        actor_user_id: None,
        actor_label: format!(
            "sso:{}",
            identity.subject.chars().take(100).collect::<String>()
        ),
        client_address: Some(client_address.to_owned()),
        at: now,
    };
    let admitted = state.store().admit_sso_identity(&meta, &admission).await?;
    let key = state
        .secret_key()
        .ok_or(Error::SsoRefused(refusal::NOT_AVAILABLE))?;
    open_session(
        state,
        admitted.user,
        &admitted.email,
        client_address,
        replaces_session,
        SessionStart {
            organisation: Some(organisation),
            sso_id_token: Some(key.seal(&id_token_context(organisation), &identity.id_token)),
        },
    )
    .await
}

/// A groups claim is a list of names (or ids); a single string counts as
/// one group.
fn groups_of(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// The provider's logout address for a session that ended, if it has one.
pub async fn provider_logout(
    state: &AppState,
    organisation: OrganisationId,
    sealed_id_token: &str,
) -> Option<String> {
    let key = state.secret_key()?;
    let stored = match state.store().sso_connection(organisation).await {
        Ok(stored) => stored?,
        Err(error) => {
            tracing::warn!(%error, "no provider logout: connection not read");
            return None;
        }
    };
    let id_token = match key.open(&id_token_context(organisation), sealed_id_token) {
        Ok(token) => token,
        Err(error) => {
            tracing::warn!(%error, "no provider logout: the session's ID token does not open");
            return None;
        }
    };
    state
        .identity_providers()
        .logout_url(
            &stored.options.issuer,
            &stored.options.client_id,
            &id_token,
            &post_logout_redirect_uri(state),
        )
        .await
}

/// The error code a provider sent back, when it is one OAuth 2.0 (RFC
/// 6749, 4.1.2.1) or OpenID Connect (Core 1.0, 3.1.2.6) defines; anything
/// else is text a browser typed in and stays out of the log.
fn provider_error_code(error: &str) -> &'static str {
    const KNOWN: [&str; 16] = [
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
    ];
    KNOWN.into_iter().find(|k| *k == error).unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_defined_provider_error_code_reaches_the_log() {
        assert_eq!(provider_error_code("access_denied"), "access_denied");
        assert_eq!(provider_error_code("login_required"), "login_required");
        assert_eq!(
            provider_error_code("access_denied\nINFO fake line jan@voorbeeld.nl"),
            "other"
        );
    }

    #[test]
    fn groups_come_as_a_list_or_one_name() {
        let list = serde_json::json!(["a", "b", 3]);
        assert_eq!(groups_of(Some(&list)), ["a", "b"]);
        let one = serde_json::json!("a");
        assert_eq!(groups_of(Some(&one)), ["a"]);
        assert!(groups_of(None).is_empty());
        assert!(groups_of(Some(&serde_json::json!({"a": 1}))).is_empty());
    }
}
