//! Pages of the intervention catalogue: the list with a form to add one,
//! one entry to change, and planning it as an initiative.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::catalog::{BARRIERS, FACTORS};
use super::intervention_service;
use super::interventions::{Intervention, InterventionInput, PlanInput};
use super::pages::dimension_label;
use crate::domain::{InterventionId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/interventions", get(list).post(create))
        .route("/surveys/interventions/{id}", get(show).post(save))
        .route("/surveys/interventions/{id}/plan", post(plan))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct InterventionForm {
    #[serde(default)]
    dimension: String,
    #[serde(default)]
    title_nl: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description_nl: String,
    #[serde(default)]
    description_en: String,
    /// Present (as "1") when the box is ticked; only on the edit form.
    active: Option<String>,
}

impl InterventionForm {
    fn of(i: &Intervention) -> Self {
        Self {
            dimension: i.dimension.clone(),
            title_nl: i.title_nl.clone(),
            title_en: i.title_en.clone(),
            description_nl: i.description_nl.clone(),
            description_en: i.description_en.clone(),
            active: i.active.then(|| "1".to_owned()),
        }
    }

    fn input(&self, with_active: bool) -> InterventionInput {
        InterventionInput {
            dimension: Some(self.dimension.clone()),
            title_nl: Some(self.title_nl.clone()),
            title_en: Some(self.title_en.clone()),
            description_nl: Some(self.description_nl.clone()),
            description_en: Some(self.description_en.clone()),
            active: with_active.then_some(self.active.is_some()),
        }
    }
}

fn dimension_choices(t: Tr, selected: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: t.get("surveys.choose").to_owned(),
        selected: selected.is_empty(),
    })
    .chain(FACTORS.iter().chain(BARRIERS.iter()).map(|d| Choice {
        value: (*d).to_owned(),
        label: dimension_label(t, d),
        selected: *d == selected,
    }))
    .collect()
}

pub struct InterventionRow {
    pub id: i64,
    pub dimension: String,
    pub title: String,
    pub description: String,
    pub active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/interventions.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<InterventionRow>,
    can_manage: bool,
    dimensions: Vec<Choice>,
    form: InterventionForm,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: InterventionForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let rows = intervention_service::list(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .map(|i| InterventionRow {
            id: i.id.0,
            dimension: dimension_label(t, &i.dimension),
            title: i.title(t.locale).to_owned(),
            description: i.description(t.locale).to_owned(),
            active: i.active,
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(t.get("interventions.title"), "surveys"),
        rows,
        can_manage: page.actor.can(Permission::ManageSurveys),
        dimensions: dimension_choices(t, &form.dimension),
        form,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        InterventionForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<InterventionForm>,
) -> Result<Response, PageError> {
    match intervention_service::create(&state, &page.actor, &form.input(false)).await {
        Ok(intervention) => {
            page.flash(&state, "flash.intervention_created").await?;
            Ok(see_other(&format!(
                "/surveys/interventions/{}",
                intervention.id
            )))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/intervention.html")]
struct ShowPage {
    shell: Shell,
    intervention: Intervention,
    dimension: String,
    title: String,
    description: String,
    can_manage: bool,
    can_plan: bool,
    dimensions: Vec<Choice>,
    form: InterventionForm,
    errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: i64,
    form: Option<InterventionForm>,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let intervention = intervention_service::get(state, &page.actor, InterventionId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = form.unwrap_or_else(|| InterventionForm::of(&intervention));
    Ok(ShowPage {
        shell: page.shell(intervention.title(t.locale), "surveys"),
        dimension: dimension_label(t, &intervention.dimension),
        title: intervention.title(t.locale).to_owned(),
        description: intervention.description(t.locale).to_owned(),
        can_manage: page.actor.can(Permission::ManageSurveys),
        can_plan: page.actor.can(Permission::ManagePortfolio) && intervention.active,
        dimensions: dimension_choices(t, &form.dimension),
        intervention,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(show_page(&state, &page, id, None, FormErrors::default())
        .await?
        .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<InterventionForm>,
) -> Result<Response, PageError> {
    match intervention_service::update(&state, &page.actor, InterventionId(id), &form.input(true))
        .await
    {
        Ok(_) => {
            page.flash(&state, "flash.intervention_saved").await?;
            Ok(see_other(&format!("/surveys/interventions/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                show_page(&state, &page, id, Some(form), errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    baseline_wave_id: String,
}

async fn plan(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, PageError> {
    let input = PlanInput {
        baseline_wave_id: form.baseline_wave_id.trim().parse().ok(),
    };
    let initiative = intervention_service::plan(&state, &page.actor, InterventionId(id), &input)
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.intervention_planned").await?;
    Ok(see_other(&format!("/initiatives/{}", initiative.id)))
}
