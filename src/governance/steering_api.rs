use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::steering::{
    ActionInput, BodyInput, Decision, DecisionAction, DecisionFilter, DecisionInput,
    DecisionStatus, GovernanceBody, Meeting, MeetingInput,
};
use super::steering_service as service;
use crate::domain::{BodyId, DecisionActionId, DecisionId, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(BodyPage, GovernanceBody);
page_schema!(MeetingPage, Meeting);
page_schema!(DecisionPage, Decision);
page_schema!(DecisionActionPage, DecisionAction);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bodies, create_body))
        .routes(routes!(get_body, update_body))
        .routes(routes!(list_meetings, record_meeting))
        .routes(routes!(list_decisions, create_decision))
        .routes(routes!(get_decision, update_decision))
        .routes(routes!(list_actions, create_action))
        .routes(routes!(update_action))
}

/// The governance bodies of a programme, by kind and name.
#[utoipa::path(get, path = "/programmes/{id}/bodies", tag = "governance", operation_id = "listBodies",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of bodies", body = BodyPage)))]
async fn list_bodies(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<BodyPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::bodies(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Sets up a governance body (steering committee, programme office, …).
#[utoipa::path(post, path = "/programmes/{id}/bodies", tag = "governance", operation_id = "createBody",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = BodyInput,
    responses(
        (status = 201, description = "The new body", body = GovernanceBody),
        (status = 409, description = "The programme already has a body by this name", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_body(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BodyInput>,
) -> Result<(StatusCode, Json<GovernanceBody>), ApiError> {
    service::create_body(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|b| (StatusCode::CREATED, Json(b)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One governance body with its members and latest meeting date.
#[utoipa::path(get, path = "/bodies/{id}", tag = "governance", operation_id = "getBody",
    params(("id" = i64, Path, description = "Body id")),
    responses((status = 200, description = "The body", body = GovernanceBody)))]
async fn get_body(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<GovernanceBody>, ApiError> {
    service::body(&state, &actor, BodyId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a body's kind, name, cadence or members.
#[utoipa::path(patch, path = "/bodies/{id}", tag = "governance", operation_id = "updateBody",
    params(("id" = i64, Path, description = "Body id")),
    request_body = BodyInput,
    responses(
        (status = 200, description = "The body", body = GovernanceBody),
        (status = 409, description = "The programme already has a body by this name", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_body(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BodyInput>,
) -> Result<Json<GovernanceBody>, ApiError> {
    service::update_body(&state, &actor, BodyId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// A body's meetings, newest first.
#[utoipa::path(get, path = "/bodies/{id}/meetings", tag = "governance", operation_id = "listMeetings",
    params(("id" = i64, Path, description = "Body id"), PageParams),
    responses((status = 200, description = "A page of meetings", body = MeetingPage)))]
async fn list_meetings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<MeetingPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::meetings(&state, &actor, BodyId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Records a meeting: date, attendees, agenda and minutes.
#[utoipa::path(post, path = "/bodies/{id}/meetings", tag = "governance", operation_id = "recordMeeting",
    params(("id" = i64, Path, description = "Body id")),
    request_body = MeetingInput,
    responses((status = 201, description = "The meeting", body = Meeting)))]
async fn record_meeting(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    service::record_meeting(&state, &actor, BodyId(id), &input)
        .await
        .map(|m| (StatusCode::CREATED, Json(m)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only decisions with this status.
    #[param(value_type = Option<DecisionStatus>)]
    pub status: Option<String>,
    /// Only decisions taken by this body.
    pub body_id: Option<i64>,
    /// Part of the title or rationale.
    pub search: Option<String>,
    /// Only decisions with an open action past its due date.
    pub overdue: Option<bool>,
}

impl DecisionListParams {
    pub fn filter(&self) -> Result<DecisionFilter, crate::Error> {
        let mut v = crate::domain::Validator::new();
        let status = self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| v.check("status", DecisionStatus::parse(s)));
        v.finish(Some(DecisionFilter {
            status,
            body: self.body_id.map(BodyId),
            search: self.search.clone().unwrap_or_default(),
            overdue_only: self.overdue.unwrap_or(false),
        }))
    }
}

/// A programme's decision log, newest first, with counts of open and
/// overdue follow-up actions.
#[utoipa::path(get, path = "/programmes/{id}/decisions", tag = "governance", operation_id = "listDecisions",
    params(("id" = i64, Path, description = "Programme id"), DecisionListParams),
    responses((status = 200, description = "A page of decisions", body = DecisionPage)))]
async fn list_decisions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<DecisionListParams>,
) -> Result<Json<DecisionPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request =
        PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)).map_err(err)?;
    let filter = params.filter().map_err(err)?;
    let page = service::decisions(&state, &actor, ProgrammeId(id), &filter, request)
        .await
        .map_err(err)?;
    Ok(Json(page.into()))
}

/// Records a decision, linked to the ambitions and indicators it concerns.
#[utoipa::path(post, path = "/programmes/{id}/decisions", tag = "governance", operation_id = "createDecision",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = DecisionInput,
    responses((status = 201, description = "The decision", body = Decision)))]
async fn create_decision(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    service::create_decision(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|d| (StatusCode::CREATED, Json(d)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One decision.
#[utoipa::path(get, path = "/decisions/{id}", tag = "governance", operation_id = "getDecision",
    params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, description = "The decision", body = Decision)))]
async fn get_decision(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Decision>, ApiError> {
    service::decision(&state, &actor, DecisionId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a decision: its text, status, body or links.
#[utoipa::path(patch, path = "/decisions/{id}", tag = "governance", operation_id = "updateDecision",
    params(("id" = i64, Path, description = "Decision id")),
    request_body = DecisionInput,
    responses((status = 200, description = "The decision", body = Decision)))]
async fn update_decision(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<Decision>, ApiError> {
    service::update_decision(&state, &actor, DecisionId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// A decision's follow-up actions by due date.
#[utoipa::path(get, path = "/decisions/{id}/actions", tag = "governance", operation_id = "listDecisionActions",
    params(("id" = i64, Path, description = "Decision id"), PageParams),
    responses((status = 200, description = "A page of actions", body = DecisionActionPage)))]
async fn list_actions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<DecisionActionPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::actions(&state, &actor, DecisionId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a follow-up action (owner, due date) to a decision.
#[utoipa::path(post, path = "/decisions/{id}/actions", tag = "governance", operation_id = "createDecisionAction",
    params(("id" = i64, Path, description = "Decision id")),
    request_body = ActionInput,
    responses((status = 201, description = "The action", body = DecisionAction)))]
async fn create_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Result<(StatusCode, Json<DecisionAction>), ApiError> {
    service::create_action(&state, &actor, DecisionId(id), &input)
        .await
        .map(|a| (StatusCode::CREATED, Json(a)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Updates a follow-up action, e.g. marks it done. Its owner may do so too.
#[utoipa::path(patch, path = "/decision-actions/{id}", tag = "governance", operation_id = "updateDecisionAction",
    params(("id" = i64, Path, description = "Action id")),
    request_body = ActionInput,
    responses((status = 200, description = "The action", body = DecisionAction)))]
async fn update_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Result<Json<DecisionAction>, ApiError> {
    service::update_action(&state, &actor, DecisionActionId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
