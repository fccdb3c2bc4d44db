//! The second step of logging in: the code from the authenticator app, or
//! a recovery code, for a login whose password was right.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar};

use super::with_cookie;
use crate::Error;
use crate::auth::login::complete_login;
use crate::http::AppState;
use crate::http::authenticate::{SESSION_COOKIE, session_cookie};
use crate::http::extract::{PageForm, Visitor};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

/// Names the login waiting for its code; only sent to `/login`.
pub const PENDING_COOKIE: &str = "koers_pending";

pub fn router() -> Router<AppState> {
    Router::new().route("/login/code", get(code_page).post(submit_code))
}

pub fn pending_cookie(value: String, secure: bool, max_age: time::Duration) -> Cookie<'static> {
    crate::http::authenticate::login_cookie(PENDING_COOKIE, "/login", value, secure, Some(max_age))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/code.html")]
struct CodePage {
    shell: Shell,
    errors: FormErrors,
}

#[derive(Debug, Default, serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn code_page(visitor: Visitor, jar: CookieJar) -> Response {
    if visitor.session.is_some() {
        return see_other("/");
    }
    if jar.get(PENDING_COOKIE).is_none() {
        return see_other("/login");
    }
    CodePage {
        shell: visitor.shell(visitor.t.get("second_factor.login_title")),
        errors: FormErrors::default(),
    }
    .into_response()
}

async fn submit_code(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    PageForm(form): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    let Some(pending) = jar.get(PENDING_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(see_other("/login"));
    };
    let previous = jar
        .get(SESSION_COOKIE)
        .map(|c| crate::auth::secret::hash_secret(c.value()));
    let secure = state.settings().cookie_secure;
    let outcome = complete_login(
        &state,
        &pending,
        &form.code,
        &visitor.client_address,
        previous.as_deref(),
    )
    .await;
    match outcome {
        Ok(started) => {
            let session = session_cookie(started.cookie_value, secure, None);
            let gone = pending_cookie(String::new(), secure, time::Duration::ZERO);
            Ok(with_cookie(with_cookie(see_other("/"), &session), &gone))
        }
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::BAD_REQUEST,
            CodePage {
                shell: visitor.shell(t.get("second_factor.login_title")),
                errors: FormErrors::new(&errors, t),
            },
        )
            .into_response()),
        // Waited too long or tried too often: start again with the password.
        Err(Error::Unauthenticated) => {
            let gone = pending_cookie(String::new(), secure, time::Duration::ZERO);
            Ok(with_cookie(see_other("/login?again=1"), &gone))
        }
        Err(other) => Err(PageError::new(other, t.locale)),
    }
}
