//! The API of the intervention catalogue, and planning one as an
//! initiative.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::intervention_service;
use super::interventions::{Intervention, InterventionInput, PlanInput};
use crate::domain::InterventionId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};
use crate::portfolio::Initiative;

page_schema!(InterventionPage, Intervention);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_interventions, create_intervention))
        .routes(routes!(get_intervention, update_intervention))
        .routes(routes!(plan_intervention))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

/// The organisation's catalogue of interventions, by dimension: the
/// built-in entries and its own.
#[utoipa::path(get, path = "/interventions", tag = "surveys", operation_id = "listInterventions",
    params(PageParams),
    responses((status = 200, description = "A page of interventions", body = InterventionPage)))]
async fn list_interventions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<InterventionPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = intervention_service::list(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds an intervention for a factor (`s1`…`f5`) or barrier (`b1`…`b10`).
#[utoipa::path(post, path = "/interventions", tag = "surveys", operation_id = "createIntervention",
    request_body = InterventionInput,
    responses(
        (status = 201, description = "The intervention", body = Intervention),
        (status = 409, description = "An intervention by this Dutch title exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_intervention(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<InterventionInput>,
) -> Result<(StatusCode, Json<Intervention>), ApiError> {
    intervention_service::create(&state, &actor, &input)
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(err(&actor))
}

/// One intervention of the catalogue.
#[utoipa::path(get, path = "/interventions/{id}", tag = "surveys", operation_id = "getIntervention",
    params(("id" = i64, Path, description = "Intervention id")),
    responses((status = 200, description = "The intervention", body = Intervention)))]
async fn get_intervention(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Intervention>, ApiError> {
    intervention_service::get(&state, &actor, InterventionId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Changes an intervention; absent fields stay. `active: false` stops it
/// being offered for planning.
#[utoipa::path(patch, path = "/interventions/{id}", tag = "surveys", operation_id = "updateIntervention",
    params(("id" = i64, Path, description = "Intervention id")),
    request_body = InterventionInput,
    responses(
        (status = 200, description = "The intervention", body = Intervention),
        (status = 409, description = "An intervention by this Dutch title exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_intervention(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<InterventionInput>,
) -> Result<Json<Intervention>, ApiError> {
    intervention_service::update(&state, &actor, InterventionId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Plans the intervention: a new initiative of kind `intervention` in the
/// portfolio (stage idea, owned by the caller), linked to the
/// intervention's dimension and to the wave it answers — the one given,
/// or else the latest wave with a result for that dimension. The survey
/// insights then show that dimension in the next wave.
#[utoipa::path(post, path = "/interventions/{id}/plans", tag = "surveys", operation_id = "planIntervention",
    params(("id" = i64, Path, description = "Intervention id")),
    request_body = PlanInput,
    responses(
        (status = 201, description = "The new initiative", body = Initiative),
        (status = 409, description = "The intervention is switched off", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn plan_intervention(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<(StatusCode, Json<Initiative>), ApiError> {
    intervention_service::plan(&state, &actor, InterventionId(id), &input)
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(err(&actor))
}
