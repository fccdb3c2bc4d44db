//! `/admin/sso`: the organisation's single sign-on connection, with a
//! button that tests the issuer without saving.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::settings::role_rules_text;
use super::{ConnectionTest, Preset, SsoConnection, SsoInput, service};
use crate::domain::Role;
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::organisations::pages::Choice;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/sso", get(show).post(save))
        .route("/admin/sso/test", post(test))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/sso.html")]
struct SsoPage {
    shell: Shell,
    connection: SsoConnection,
    presets: Vec<Choice>,
    roles: Vec<Choice>,
    issuer: String,
    issuer_hint: String,
    client_id: String,
    scopes: String,
    email_claim: String,
    groups_claim: String,
    role_rules: String,
    match_by_email: bool,
    password_login_off: bool,
    enabled: bool,
    /// Whether the installation has a key to seal the client secret.
    can_seal: bool,
    errors: FormErrors,
    test: Option<ConnectionTest>,
}

/// The form as posted: unticked checkboxes do not arrive.
#[derive(Debug, Default, Clone, serde::Deserialize)]
struct SsoForm {
    preset: Option<String>,
    issuer: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scopes: Option<String>,
    email_claim: Option<String>,
    groups_claim: Option<String>,
    role_rules: Option<String>,
    default_role: Option<String>,
    match_by_email: Option<String>,
    password_login_off: Option<String>,
    enabled: Option<String>,
}

impl SsoForm {
    fn input(&self) -> SsoInput {
        SsoInput {
            preset: self.preset.clone(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            scopes: self.scopes.clone(),
            email_claim: self.email_claim.clone(),
            groups_claim: self.groups_claim.clone(),
            role_rules: self.role_rules.clone(),
            default_role: self.default_role.clone(),
            match_by_email: Some(self.match_by_email.is_some()),
            password_login_off: Some(self.password_login_off.is_some()),
            enabled: Some(self.enabled.is_some()),
        }
    }

    /// The form filled from the saved connection.
    fn from_saved(c: &SsoConnection) -> Self {
        let tick = |on: bool| on.then(|| "1".to_owned());
        Self {
            preset: Some(c.options.preset.code().to_owned()),
            issuer: Some(c.options.issuer.clone()),
            client_id: Some(c.options.client_id.clone()),
            client_secret: None,
            scopes: Some(c.options.scopes.join(" ")),
            email_claim: Some(c.options.email_claim.clone()),
            groups_claim: Some(c.options.groups_claim.clone().unwrap_or_default()),
            role_rules: Some(role_rules_text(&c.options.role_rules)),
            default_role: Some(c.options.default_role.code().to_owned()),
            match_by_email: tick(c.options.match_by_email),
            password_login_off: tick(c.options.password_login_off),
            enabled: tick(c.options.enabled),
        }
    }
}

fn render(
    state: &AppState,
    page: &PageContext,
    connection: SsoConnection,
    form: &SsoForm,
    errors: FormErrors,
    test: Option<ConnectionTest>,
) -> SsoPage {
    let t = page.t;
    let preset = form
        .preset
        .as_deref()
        .and_then(|p| Preset::parse(p).ok())
        .unwrap_or(Preset::Generic);
    let default_role = form.default_role.as_deref().unwrap_or("employee");
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    SsoPage {
        shell: page.shell(t.get("sso.title"), "organisation"),
        presets: Preset::ALL
            .iter()
            .map(|p| Choice {
                value: p.code(),
                label: t.get(p.label_key()),
                selected: *p == preset,
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .filter(|r| **r != Role::Admin)
            .map(|r| Choice {
                value: r.code(),
                label: t.get(&format!("role.{}", r.code())),
                selected: r.code() == default_role,
            })
            .collect(),
        issuer: text(&form.issuer),
        issuer_hint: t.fill("sso.issuer_hint", &[("example", preset.issuer_example())]),
        client_id: text(&form.client_id),
        scopes: text(&form.scopes),
        email_claim: text(&form.email_claim),
        groups_claim: text(&form.groups_claim),
        role_rules: text(&form.role_rules),
        match_by_email: form.match_by_email.is_some(),
        password_login_off: form.password_login_off.is_some(),
        enabled: form.enabled.is_some(),
        can_seal: state.secret_key().is_some(),
        connection,
        errors,
        test,
    }
}

async fn show(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let connection = service::connection(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let form = SsoForm::from_saved(&connection);
    Ok(render(
        &state,
        &page,
        connection,
        &form,
        FormErrors::default(),
        None,
    )
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<SsoForm>,
) -> Result<Response, PageError> {
    match service::save(&state, &page.actor, &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.sso_saved").await?;
            Ok(see_other("/admin/sso"))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let connection = service::connection(&state, &page.actor)
                    .await
                    .map_err(|e| page.error(e))?;
                let body = render(&state, &page, connection, &form, errors, None);
                Ok((StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

/// Tests the issuer typed in the form (or the saved one); the form comes
/// back as typed, with the result above it.
async fn test(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<SsoForm>,
) -> Result<Response, PageError> {
    let connection = service::connection(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    match service::test(&state, &page.actor, form.issuer.as_deref()).await {
        Ok(result) => Ok(render(
            &state,
            &page,
            connection,
            &form,
            FormErrors::default(),
            Some(result),
        )
        .into_response()),
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let body = render(&state, &page, connection, &form, errors, None);
                Ok((StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}
