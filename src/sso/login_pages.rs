//! The browser's side of a single sign-on login: `/login/sso` sends it to
//! the organisation's provider, the callback brings it back with a session.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use super::CALLBACK_PATH;
use super::service::{self, CallbackQuery, LOGIN_WAIT};
use crate::Error;
use crate::auth::secret::hash_secret;
use crate::http::AppState;
use crate::http::authenticate::{SESSION_COOKIE, session_cookie};
use crate::http::extract::{PageQuery, Visitor};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::sessions::{ContinuePage, login_body, with_cookie};

/// Holds the state of the login at the provider; only sent back to
/// `/login/sso`, and only on top-level navigation (SameSite=Lax).
const STATE_COOKIE: &str = "koers_sso";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/sso", get(begin))
        .route(CALLBACK_PATH, get(callback))
}

fn state_cookie(value: String, secure: bool, max_age: time::Duration) -> Cookie<'static> {
    crate::http::authenticate::login_cookie(
        STATE_COOKIE,
        "/login/sso",
        value,
        secure,
        Some(max_age),
    )
}

#[derive(Debug, Default, Deserialize)]
struct BeginQuery {
    organisation: Option<String>,
}

async fn begin(
    State(state): State<AppState>,
    visitor: Visitor,
    PageQuery(query): PageQuery<BeginQuery>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    let typed = query.organisation.unwrap_or_default();
    match service::begin(&state, typed.trim()).await {
        Ok(start) => {
            let cookie = state_cookie(start.state, state.settings().cookie_secure, LOGIN_WAIT);
            let continuing = ContinuePage {
                shell: visitor.shell(t.get("sso.login_title")),
                heading: t.get("sso.login_title").to_owned(),
                message: t.get("sso.login_continue").to_owned(),
                target: start.provider_url,
            };
            Ok(with_cookie(continuing.into_response(), &cookie))
        }
        Err(Error::Invalid(errors)) => {
            let mut page = login_body(
                &state,
                &visitor,
                String::new(),
                FormErrors::new(&errors, t),
                None,
                None,
            );
            page.organisation = typed;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(Error::SsoRefused(code)) => Ok(refused(&state, &visitor, code)),
        Err(other) => Err(PageError::new(other, t.locale)),
    }
}

/// The login page with the reason a single sign-on login was refused.
fn refused(state: &AppState, visitor: &Visitor, code: &str) -> Response {
    let alert = visitor.t.get(&format!("sso.refused.{code}")).to_owned();
    let page = login_body(
        state,
        visitor,
        String::new(),
        FormErrors::default(),
        Some(alert),
        None,
    );
    let cleared = state_cookie(
        String::new(),
        state.settings().cookie_secure,
        time::Duration::ZERO,
    );
    with_cookie((StatusCode::UNAUTHORIZED, page).into_response(), &cleared)
}

async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    PageQuery(query): PageQuery<CallbackQuery>,
) -> Result<Response, PageError> {
    let cookie_state = jar.get(STATE_COOKIE).map(|c| c.value().to_owned());
    let previous = jar.get(SESSION_COOKIE).map(|c| hash_secret(c.value()));
    let outcome = service::finish(
        &state,
        cookie_state.as_deref(),
        &query,
        &visitor.client_address,
        previous.as_deref(),
    )
    .await;
    match outcome {
        Ok(started) => {
            let secure = state.settings().cookie_secure;
            let session = session_cookie(started.cookie_value, secure, None);
            let cleared = state_cookie(String::new(), secure, time::Duration::ZERO);
            Ok(with_cookie(with_cookie(see_other("/"), &session), &cleared))
        }
        Err(Error::SsoRefused(code)) => Ok(refused(&state, &visitor, code)),
        Err(other) => Err(PageError::new(other, visitor.t.locale)),
    }
}
