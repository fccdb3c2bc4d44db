//! Login and logout pages.

mod second_step;
mod security_pages;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::Error;
use crate::auth::login::{LoginInput, LoginOutcome, login as start_session, logout as end_session};
use crate::demo;
use crate::http::AppState;
use crate::http::authenticate::session_cookie;
use crate::http::extract::{PageContext, PageForm, PageQuery, Visitor};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .merge(second_step::router())
        .merge(security_pages::router())
}

/// A page that sends the browser on to an identity provider. A redirect
/// would be blocked: our content-security policy lets forms (log in, log
/// out) lead only to Koers itself, so the page continues by itself (an
/// immediate refresh) and offers the link.
#[derive(Template, WebTemplate)]
#[template(path = "auth/continue.html")]
pub(crate) struct ContinuePage {
    pub(crate) shell: Shell,
    pub(crate) heading: String,
    pub(crate) message: String,
    pub(crate) target: String,
}

pub struct DemoAccount {
    pub email: String,
    pub role: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub(crate) struct LoginPage {
    shell: Shell,
    email: String,
    /// The organisation code typed for single sign-on.
    pub(crate) organisation: String,
    errors: FormErrors,
    /// A message for the whole form (wrong password, throttled).
    alert: Option<String>,
    notice: Option<String>,
    demo_accounts: Vec<DemoAccount>,
    demo_password: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    welcome: Option<String>,
    /// Back from the code step that waited too long or failed too often.
    again: Option<String>,
}

pub(crate) fn login_body(
    state: &AppState,
    visitor: &Visitor,
    email: String,
    errors: FormErrors,
    alert: Option<String>,
    notice: Option<String>,
) -> LoginPage {
    let t = visitor.t;
    let demo_accounts = if state.settings().demo {
        demo::ROLES
            .iter()
            .map(|role| DemoAccount {
                email: demo::email_for(*role),
                role: t.get(&format!("role.{}", role.code())).to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    LoginPage {
        shell: visitor.shell(t.get("login.title")),
        email,
        organisation: String::new(),
        errors,
        alert,
        notice,
        demo_accounts,
        demo_password: demo::PASSWORD,
    }
}

async fn login_page(
    State(state): State<AppState>,
    visitor: Visitor,
    PageQuery(query): PageQuery<LoginQuery>,
) -> Response {
    if visitor.session.is_some() {
        return see_other("/");
    }
    let notice = match (query.welcome, query.again) {
        (Some(_), _) => Some(visitor.t.get("login.welcome").to_owned()),
        (None, Some(_)) => Some(visitor.t.get("second_factor.login_again").to_owned()),
        (None, None) => None,
    };
    login_body(
        &state,
        &visitor,
        String::new(),
        FormErrors::default(),
        None,
        notice,
    )
    .into_response()
}

async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: axum_extra::extract::cookie::CookieJar,
    PageForm(input): PageForm<LoginInput>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    let previous = jar
        .get(crate::http::authenticate::SESSION_COOKIE)
        .map(|c| crate::auth::secret::hash_secret(c.value()));
    let outcome = start_session(&state, &input, &visitor.client_address, previous.as_deref()).await;
    let again = |status: StatusCode, errors: FormErrors, alert: Option<String>| {
        let body = login_body(&state, &visitor, input.email.clone(), errors, alert, None);
        (status, body).into_response()
    };
    match outcome {
        Ok(LoginOutcome::Started(started)) => {
            let cookie = session_cookie(started.cookie_value, state.settings().cookie_secure, None);
            Ok(with_cookie(see_other("/"), &cookie))
        }
        Ok(LoginOutcome::NeedsCode { cookie_value }) => {
            let cookie = second_step::pending_cookie(
                cookie_value,
                state.settings().cookie_secure,
                crate::auth::login::CODE_WAIT,
            );
            Ok(with_cookie(see_other("/login/code"), &cookie))
        }
        Err(Error::Invalid(errors)) => Ok(again(
            StatusCode::BAD_REQUEST,
            FormErrors::new(&errors, t),
            None,
        )),
        Err(Error::Unauthenticated) => {
            let alert = t.get("login.failed").to_owned();
            Ok(again(
                StatusCode::UNAUTHORIZED,
                FormErrors::default(),
                Some(alert),
            ))
        }
        Err(Error::Throttled { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60).to_string();
            let alert = t.fill("login.throttled", &[("minutes", &minutes)]);
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                FormErrors::default(),
                Some(alert),
            );
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Ok(response)
        }
        Err(other) => Err(PageError::new(other, t.locale)),
    }
}

async fn logout(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let provider_logout = end_session(&state, &page.actor, &page.session.id_hash)
        .await
        .map_err(|e| page.error(e))?;
    let cookie = session_cookie(
        String::new(),
        state.settings().cookie_secure,
        Some(time::Duration::ZERO),
    );
    // After a single sign-on session, the provider ends its own session
    // too and sends the browser back to the login page.
    let Some(target) = provider_logout else {
        return Ok(with_cookie(see_other("/login"), &cookie));
    };
    let t = page.t;
    let continuing = ContinuePage {
        shell: Shell::public(t, t.get("sso.logout_title"), "", None),
        heading: t.get("sso.logout_title").to_owned(),
        message: t.get("sso.logout_continue").to_owned(),
        target,
    };
    Ok(with_cookie(continuing.into_response(), &cookie))
}

pub(crate) fn with_cookie(
    mut response: Response,
    cookie: &axum_extra::extract::cookie::Cookie<'_>,
) -> Response {
    if let Ok(value) = cookie.to_string().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
