use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{NewOrganisationInput, Organisation, OrganisationInput, service};
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
        .route("/platform/organisations", get(platform).post(create))
}

#[derive(Template, WebTemplate)]
#[template(path = "platform/organisations.html")]
struct PlatformPage {
    shell: Shell,
    organisations: crate::pagination::Page<Organisation>,
    form: NewOrganisationInput,
    kinds: Vec<Choice>,
    created: Option<super::CreatedOrganisation>,
    errors: FormErrors,
    /// Bursts of failed logins from one address in the past week (they
    /// belong to no organisation): when, and the address.
    address_signals: Vec<(String, String)>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct PlatformQuery {
    page: Option<u32>,
}

async fn platform_page(
    state: &AppState,
    page: &PageContext,
    number: u32,
    form: NewOrganisationInput,
    created: Option<super::CreatedOrganisation>,
    errors: FormErrors,
) -> Result<PlatformPage, PageError> {
    let request = crate::pagination::PageRequest::new(number.max(1), 25).unwrap_or_default();
    let organisations = service::list_all(state, &page.actor, request)
        .await
        .map_err(|e| page.error(e))?;
    let kind = form
        .kind
        .clone()
        .unwrap_or_else(|| "municipality".to_owned());
    let address_signals = state
        .store()
        .installation_events_since(
            crate::auth::signals::ACTION,
            state.clock().now() - time::Duration::days(7),
        )
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .map(|(at, address)| (crate::home::format_time(at), address.unwrap_or_default()))
        .collect();
    Ok(PlatformPage {
        address_signals,
        shell: page.shell(page.t.get("platform.title"), "platform"),
        organisations,
        kinds: kind_choices(page.t, &kind),
        form,
        created,
        errors,
    })
}

async fn platform(
    State(state): State<AppState>,
    page: PageContext,
    crate::http::extract::PageQuery(query): crate::http::extract::PageQuery<PlatformQuery>,
) -> Result<Response, PageError> {
    let body = platform_page(
        &state,
        &page,
        query.page.unwrap_or(1),
        NewOrganisationInput::default(),
        None,
        FormErrors::default(),
    )
    .await?;
    Ok(body.into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(input): PageForm<NewOrganisationInput>,
) -> Result<Response, PageError> {
    match service::create_with_admin(&state, &page.actor, &input).await {
        Ok(created) => {
            let mut body = platform_page(
                &state,
                &page,
                1,
                NewOrganisationInput::default(),
                Some(created),
                FormErrors::default(),
            )
            .await?;
            body.shell.flash = Some(page.t.get("flash.organisation_created").to_owned());
            Ok((axum::http::StatusCode::CREATED, body).into_response())
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let body = platform_page(&state, &page, 1, input, None, errors).await?;
                Ok((axum::http::StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

fn kind_choices(t: crate::i18n::Tr, selected: &str) -> Vec<Choice> {
    OrganisationKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code(),
            label: t.get(&format!("organisation_kind.{}", k.code())),
            selected: k.code() == selected,
        })
        .collect()
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
    public_dashboard: bool,
    admins_need_second_factor: bool,
    errors: FormErrors,
    /// The lists a CSV export can be made of.
    sheets: Vec<&'static str>,
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
        kinds: kind_choices(t, &kind),
        public_dashboard: input
            .public_dashboard
            .unwrap_or(organisation.public_dashboard),
        admins_need_second_factor: input
            .admins_need_second_factor
            .unwrap_or(organisation.admins_need_second_factor),
        organisation,
        errors,
        sheets: crate::backup::export::sheet_names(),
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

/// The settings form: a ticked checkbox arrives as `public_dashboard=1`,
/// an unticked one not at all.
#[derive(Debug, Default, serde::Deserialize)]
struct SettingsForm {
    name: Option<String>,
    kind: Option<String>,
    public_dashboard: Option<String>,
    admins_need_second_factor: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    let input = OrganisationInput {
        name: form.name,
        kind: form.kind,
        public_dashboard: Some(form.public_dashboard.is_some()),
        admins_need_second_factor: Some(form.admins_need_second_factor.is_some()),
    };
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
