//! The person's own login security: setting up two-step login (TOTP),
//! recovery codes, and switching it off.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::auth::second_factor::{self, Setup, Status};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/security", get(show))
        .route("/account/security/setup", post(start_setup))
        .route("/account/security/confirm", post(confirm))
        .route("/account/security/recovery-codes", post(renew))
        .route("/account/security/remove", post(remove))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/security.html")]
struct SecurityPage {
    shell: Shell,
    status: Status,
    /// "Unused recovery codes: n."
    codes_left: String,
    /// The organisation asks this person (an administrator) for it.
    required: bool,
    /// Logged in through the organisation's provider: the account's own
    /// login security is not changed from such a session.
    via_sso: bool,
    setup: Option<Setup>,
    /// The setup's QR code as a `data:` address for the image.
    qr_src: String,
    /// Shown once, right after they were made.
    recovery_codes: Vec<String>,
    /// Which form the errors belong to: setup, renew or remove.
    errors_for: &'static str,
    errors: FormErrors,
}

#[derive(Debug, Default, serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The renewal form names its field apart: three forms share the page.
#[derive(Debug, Default, serde::Deserialize)]
struct RenewForm {
    #[serde(default, rename = "renew-code")]
    code: String,
}

/// The removal form, likewise.
#[derive(Debug, Default, serde::Deserialize)]
struct RemoveForm {
    #[serde(default, rename = "remove-code")]
    code: String,
}

/// A session opened by an organisation's provider may not change the
/// account's own login security: the account may belong to more
/// organisations than the one whose provider vouched for this session.
fn refuse_sso_session(page: &PageContext) -> Result<(), PageError> {
    if page.session.via_sso {
        Err(page.error(crate::Error::Forbidden))
    } else {
        Ok(())
    }
}

/// The error with its `code` field named as the form names it.
fn for_field(error: crate::Error, field: &'static str) -> crate::Error {
    error.rename_fields(|f| (f == "code").then(|| field.to_owned()))
}

async fn page_of(
    state: &AppState,
    page: &PageContext,
    setup: Option<Setup>,
    recovery_codes: Vec<String>,
    errors_for: &'static str,
    errors: FormErrors,
) -> Result<SecurityPage, PageError> {
    let status = second_factor::status(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let codes_left = page.t.fill(
        "second_factor.codes_left",
        &[("count", &status.recovery_codes_left.to_string())],
    );
    Ok(SecurityPage {
        shell: page.shell(page.t.get("second_factor.title"), "security"),
        codes_left,
        status,
        required: page.session.second_factor_required,
        via_sso: page.session.via_sso,
        qr_src: setup.as_ref().map_or_else(String::new, |s| {
            use base64::Engine as _;
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&s.qr_svg)
            )
        }),
        setup,
        recovery_codes,
        errors_for,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        page_of(&state, &page, None, Vec::new(), "", FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn start_setup(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<Response, PageError> {
    refuse_sso_session(&page)?;
    let setup = second_factor::setup(&state, &page.actor, true)
        .await
        .map_err(|e| page.error(e))?;
    Ok(page_of(
        &state,
        &page,
        Some(setup),
        Vec::new(),
        "",
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// Renders the outcome of a form that takes a code: the recovery codes on
/// success, the form with its message otherwise.
async fn with_code_result(
    state: &AppState,
    page: &PageContext,
    outcome: crate::Result<Vec<String>>,
    form: &'static str,
) -> Result<Response, PageError> {
    match outcome {
        Ok(codes) => {
            let mut body = page_of(state, page, None, codes, "", FormErrors::default()).await?;
            body.shell.flash = Some(page.t.get(&format!("second_factor.done_{form}")).to_owned());
            // A new session state (no longer "required"): show it as such.
            body.required = false;
            Ok((StatusCode::OK, body).into_response())
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let setup = if form == "setup" {
                    Some(
                        second_factor::setup(state, &page.actor, false)
                            .await
                            .map_err(|e| page.error(e))?,
                    )
                } else {
                    None
                };
                let body = page_of(state, page, setup, Vec::new(), form, errors).await?;
                Ok((StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    refuse_sso_session(&page)?;
    let outcome = second_factor::confirm(&state, &page.actor, &form.code).await;
    with_code_result(&state, &page, outcome, "setup").await
}

async fn renew(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<RenewForm>,
) -> Result<Response, PageError> {
    refuse_sso_session(&page)?;
    let outcome = second_factor::renew_recovery_codes(&state, &page.actor, &form.code)
        .await
        .map_err(|e| for_field(e, "renew-code"));
    with_code_result(&state, &page, outcome, "renew").await
}

async fn remove(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<RemoveForm>,
) -> Result<Response, PageError> {
    refuse_sso_session(&page)?;
    match second_factor::remove(&state, &page.actor, &form.code).await {
        Ok(()) => {
            page.flash(&state, "second_factor.done_remove").await?;
            Ok(see_other("/account/security"))
        }
        Err(error) => {
            with_code_result(
                &state,
                &page,
                Err(for_field(error, "remove-code")),
                "remove",
            )
            .await
        }
    }
}
