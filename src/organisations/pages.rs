use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{Organisation, OrganisationInput, service};
use crate::domain::OrganisationKind;
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/organisation", get(show).post(save))
        .route("/organisation/switch", post(switch))
}

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/organisation.html")]
struct SettingsPage {
    shell: Shell,
    organisation: Organisation,
    name: String,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

fn settings_page(
    page: &PageContext,
    organisation: Organisation,
    input: &OrganisationInput,
    errors: FormErrors,
) -> SettingsPage {
    let t = page.t;
    let kind = input
        .kind
        .clone()
        .unwrap_or_else(|| organisation.kind.code().to_owned());
    SettingsPage {
        shell: page.shell(t.get("organisation.title"), "organisation"),
        name: input
            .name
            .clone()
            .unwrap_or_else(|| organisation.name.clone()),
        kinds: OrganisationKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code(),
                label: t.get(&format!("organisation_kind.{}", k.code())),
                selected: k.code() == kind,
            })
            .collect(),
        organisation,
        errors,
    }
}

async fn show(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    page.actor
        .require(crate::domain::Permission::ManageOrganisation)
        .map_err(|e| page.error(e))?;
    let organisation = service::current(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    Ok(settings_page(
        &page,
        organisation,
        &OrganisationInput::default(),
        FormErrors::default(),
    )
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(input): PageForm<OrganisationInput>,
) -> Result<Response, PageError> {
    match service::update(&state, &page.actor, &input).await {
        Ok(_) => {
            page.flash(&state, "flash.organisation_saved").await?;
            Ok(see_other("/admin/organisation"))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let organisation = service::current(&state, &page.actor)
                    .await
                    .map_err(|e| page.error(e))?;
                let body = settings_page(&page, organisation, &input, errors);
                Ok((axum::http::StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

#[derive(serde::Deserialize)]
struct SwitchForm {
    organisation: String,
}

async fn switch(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<SwitchForm>,
) -> Result<Response, PageError> {
    service::switch(
        &state,
        &page.actor,
        &page.session.id_hash,
        &form.organisation,
    )
    .await
    .map_err(|e| page.error(e))?;
    Ok(see_other("/"))
}
