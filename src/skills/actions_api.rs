//! The API of learning actions, the gap trend over assessment rounds and
//! the spreadsheet of the gap views.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::actions;
use super::trend::Trend;
use super::{LearningAction, LearningActionInput};
use crate::domain::LearningActionId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::export::ExportFile;
use crate::pagination::{PageParams, PageRequest, page_schema};

page_schema!(LearningActionPage, LearningAction);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_learning_actions, create_learning_action))
        .routes(routes!(
            get_learning_action,
            update_learning_action,
            delete_learning_action
        ))
        .routes(routes!(get_skill_gap_trend))
        .routes(routes!(export_skill_gaps))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

/// Learning actions, the soonest planned first.
#[utoipa::path(get, path = "/learning-actions", tag = "skills", operation_id = "listLearningActions",
    params(PageParams),
    responses((status = 200, description = "A page of learning actions", body = LearningActionPage)))]
async fn list_learning_actions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<LearningActionPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    actions::learning_actions(&state, &actor, request)
        .await
        .map(|p| Json(p.into()))
        .map_err(err(&actor))
}

/// Plans a training or coaching for a unit, a role profile or the whole
/// organisation, aimed at one competence.
#[utoipa::path(post, path = "/learning-actions", tag = "skills", operation_id = "createLearningAction",
    request_body = LearningActionInput,
    responses((status = 201, description = "The learning action", body = LearningAction)))]
async fn create_learning_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<LearningActionInput>,
) -> Result<(StatusCode, Json<LearningAction>), ApiError> {
    actions::create_learning_action(&state, &actor, &input)
        .await
        .map(|a| (StatusCode::CREATED, Json(a)))
        .map_err(err(&actor))
}

/// One learning action.
#[utoipa::path(get, path = "/learning-actions/{id}", tag = "skills", operation_id = "getLearningAction",
    params(("id" = i64, Path, description = "Learning action id")),
    responses((status = 200, description = "The learning action", body = LearningAction)))]
async fn get_learning_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LearningAction>, ApiError> {
    actions::learning_action(&state, &actor, LearningActionId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Changes a learning action, e.g. its status once it took place.
#[utoipa::path(patch, path = "/learning-actions/{id}", tag = "skills", operation_id = "updateLearningAction",
    params(("id" = i64, Path, description = "Learning action id")),
    request_body = LearningActionInput,
    responses((status = 200, description = "The learning action", body = LearningAction)))]
async fn update_learning_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<LearningActionInput>,
) -> Result<Json<LearningAction>, ApiError> {
    actions::update_learning_action(&state, &actor, LearningActionId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Removes a learning action.
#[utoipa::path(delete, path = "/learning-actions/{id}", tag = "skills", operation_id = "deleteLearningAction",
    params(("id" = i64, Path, description = "Learning action id")),
    responses((status = 204, description = "Removed")))]
async fn delete_learning_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actions::delete_learning_action(&state, &actor, LearningActionId(id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(err(&actor))
}

/// The gaps round by round: the organisation per competence and over all
/// competences, and for each learning action its group before and after
/// its date. A closed round's figures are fixed the first time they are
/// read after the next round started; small groups are hidden as in the
/// heatmap.
#[utoipa::path(get, path = "/skill-gaps/trend", tag = "skills", operation_id = "getSkillGapTrend",
    responses((status = 200, description = "The trend", body = Trend)))]
async fn get_skill_gap_trend(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Trend>, ApiError> {
    actions::gap_trend(&state, &actor)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// The gap views as an Excel workbook: the heatmap now and at the
/// horizon, the priority list, the workforce plan, the trend and the
/// learning actions. Only aggregates: hidden groups stay hidden.
#[utoipa::path(get, path = "/skill-gaps/export", tag = "skills", operation_id = "exportSkillGaps",
    responses((status = 200, description = "The workbook", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn export_skill_gaps(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<ExportFile, ApiError> {
    super::export::workbook(&state, &actor)
        .await
        .map_err(err(&actor))
}
