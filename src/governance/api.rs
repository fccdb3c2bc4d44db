use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    Ambition, AmbitionInput, CoCreationInput, CoCreationSession, ConfirmationInput, ExecutiveInput,
    ExecutiveTerm, HealthCheck, Programme, ProgrammeInput, ProgrammeSummary, Verdict, service,
};
use crate::domain::{AmbitionId, ExecutiveTermId, IndicatorId, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::i18n::Tr;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(ProgrammePage, ProgrammeSummary);
page_schema!(AmbitionPage, Ambition);
page_schema!(ExecutiveTermPage, ExecutiveTerm);
page_schema!(CoCreationSessionPage, CoCreationSession);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_programmes, create_programme))
        .routes(routes!(get_programme, update_programme))
        .routes(routes!(list_ambitions, create_ambition))
        .routes(routes!(get_ambition, update_ambition, delete_ambition))
        .routes(routes!(link_indicator, unlink_indicator))
        .routes(routes!(list_executives, record_executive))
        .routes(routes!(confirm_executive))
        .routes(routes!(
            list_co_creation_sessions,
            record_co_creation_session
        ))
        .routes(routes!(programme_health))
}

/// One governance health check, explained in the caller's language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HealthCheckView {
    /// Stable code of the check, e.g. `executive_confirmed`.
    pub check: &'static str,
    pub title: &'static str,
    pub verdict: Verdict,
    /// Stable code of the reason, e.g. `renewed_commitment_needed`.
    pub reason_code: &'static str,
    pub reason: String,
    /// Where on the site to put it right.
    pub fix_url: String,
}

impl HealthCheckView {
    pub fn of(check: &HealthCheck, t: Tr) -> Self {
        HealthCheckView {
            check: check.check,
            title: check.title(t),
            verdict: check.verdict,
            reason_code: check.reason,
            reason: check.explain(t),
            fix_url: check.fix.clone(),
        }
    }
}

/// A programme's governance health.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeHealth {
    pub programme_id: ProgrammeId,
    /// The worst verdict of all checks.
    pub verdict: Verdict,
    pub checks: Vec<HealthCheckView>,
}

/// Programmes: active first, then drafts, then closed ones.
#[utoipa::path(get, path = "/programmes", tag = "governance", operation_id = "listProgrammes",
    params(PageParams),
    responses((status = 200, description = "A page of programmes", body = ProgrammePage)))]
async fn list_programmes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ProgrammePage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::list(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Starts a programme (admins, executives, programme leads).
#[utoipa::path(post, path = "/programmes", tag = "governance", operation_id = "createProgramme",
    request_body = ProgrammeInput,
    responses(
        (status = 201, description = "The new programme", body = Programme),
        (status = 409, description = "The name is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_programme(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<(StatusCode, Json<Programme>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One programme with its accountable executive and commitment.
#[utoipa::path(get, path = "/programmes/{id}", tag = "governance", operation_id = "getProgramme",
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, description = "The programme", body = ProgrammeSummary)))]
async fn get_programme(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgrammeSummary>, ApiError> {
    service::get(&state, &actor, ProgrammeId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a programme's name, vision, horizon or status.
#[utoipa::path(patch, path = "/programmes/{id}", tag = "governance", operation_id = "updateProgramme",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = ProgrammeInput,
    responses(
        (status = 200, description = "The programme", body = Programme),
        (status = 409, description = "The name is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_programme(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<Json<Programme>, ApiError> {
    service::update(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// A programme's ambitions in order, each with its linked indicators.
#[utoipa::path(get, path = "/programmes/{id}/ambitions", tag = "governance", operation_id = "listAmbitions",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of ambitions", body = AmbitionPage)))]
async fn list_ambitions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<AmbitionPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::ambitions(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds an ambition to a programme (last, or at `position`).
#[utoipa::path(post, path = "/programmes/{id}/ambitions", tag = "governance", operation_id = "createAmbition",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = AmbitionInput,
    responses((status = 201, description = "The new ambition", body = Ambition)))]
async fn create_ambition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AmbitionInput>,
) -> Result<(StatusCode, Json<Ambition>), ApiError> {
    service::create_ambition(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|a| (StatusCode::CREATED, Json(a)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One ambition with its linked indicators.
#[utoipa::path(get, path = "/ambitions/{id}", tag = "governance", operation_id = "getAmbition",
    params(("id" = i64, Path, description = "Ambition id")),
    responses((status = 200, description = "The ambition", body = Ambition)))]
async fn get_ambition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Ambition>, ApiError> {
    service::ambition(&state, &actor, AmbitionId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes an ambition's title, description or place in the list.
#[utoipa::path(patch, path = "/ambitions/{id}", tag = "governance", operation_id = "updateAmbition",
    params(("id" = i64, Path, description = "Ambition id")),
    request_body = AmbitionInput,
    responses((status = 200, description = "The ambition", body = Ambition)))]
async fn update_ambition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AmbitionInput>,
) -> Result<Json<Ambition>, ApiError> {
    service::update_ambition(&state, &actor, AmbitionId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Removes an ambition and its indicator links (the indicators stay).
#[utoipa::path(delete, path = "/ambitions/{id}", tag = "governance", operation_id = "deleteAmbition",
    params(("id" = i64, Path, description = "Ambition id")),
    responses((status = 200, description = "The removed ambition", body = Ambition)))]
async fn delete_ambition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Ambition>, ApiError> {
    service::delete_ambition(&state, &actor, AmbitionId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Links an indicator to an ambition; linking twice changes nothing.
#[utoipa::path(put, path = "/ambitions/{id}/indicators/{indicator_id}", tag = "governance", operation_id = "linkIndicator",
    params(("id" = i64, Path, description = "Ambition id"), ("indicator_id" = i64, Path, description = "Indicator id")),
    responses((status = 200, description = "The ambition with its links", body = Ambition)))]
async fn link_indicator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, indicator)): ApiPath<(i64, i64)>,
) -> Result<Json<Ambition>, ApiError> {
    service::link_indicator(&state, &actor, AmbitionId(id), IndicatorId(indicator))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Unlinks an indicator from an ambition.
#[utoipa::path(delete, path = "/ambitions/{id}/indicators/{indicator_id}", tag = "governance", operation_id = "unlinkIndicator",
    params(("id" = i64, Path, description = "Ambition id"), ("indicator_id" = i64, Path, description = "Indicator id")),
    responses((status = 200, description = "The ambition with its links", body = Ambition)))]
async fn unlink_indicator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, indicator)): ApiPath<(i64, i64)>,
) -> Result<Json<Ambition>, ApiError> {
    service::unlink_indicator(&state, &actor, AmbitionId(id), IndicatorId(indicator))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Every accountable executive the programme has had, oldest first.
#[utoipa::path(get, path = "/programmes/{id}/executives", tag = "governance", operation_id = "listExecutives",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of executive terms", body = ExecutiveTermPage)))]
async fn list_executives(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ExecutiveTermPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::executives(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Records a new accountable executive. The predecessor's term ends the day
/// the new one starts, and the programme needs renewed commitment until the
/// new executive confirms it.
#[utoipa::path(post, path = "/programmes/{id}/executives", tag = "governance", operation_id = "recordExecutive",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = ExecutiveInput,
    responses((status = 201, description = "The new term", body = ExecutiveTerm)))]
async fn record_executive(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ExecutiveInput>,
) -> Result<(StatusCode, Json<ExecutiveTerm>), ApiError> {
    service::record_executive(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|t| (StatusCode::CREATED, Json(t)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The executive in office confirms the programme (date and note). An
/// executive with an account confirms it themselves.
#[utoipa::path(post, path = "/programmes/{id}/executives/{term_id}/confirmation", tag = "governance", operation_id = "confirmExecutive",
    params(("id" = i64, Path, description = "Programme id"), ("term_id" = i64, Path, description = "Executive term id")),
    request_body = ConfirmationInput,
    responses(
        (status = 200, description = "The confirmed term", body = ExecutiveTerm),
        (status = 409, description = "Already confirmed, or the term has ended", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn confirm_executive(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, term)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<ConfirmationInput>,
) -> Result<Json<ExecutiveTerm>, ApiError> {
    service::confirm_executive(
        &state,
        &actor,
        ProgrammeId(id),
        ExecutiveTermId(term),
        &input,
    )
    .await
    .map(Json)
    .map_err(|e| ApiError::new(e, actor.locale))
}

/// The sessions in which the vision was made or revised, newest first.
#[utoipa::path(get, path = "/programmes/{id}/co-creation-sessions", tag = "governance", operation_id = "listCoCreationSessions",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of sessions", body = CoCreationSessionPage)))]
async fn list_co_creation_sessions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<CoCreationSessionPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::co_creation_sessions(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Records a session in which the vision was made or revised.
#[utoipa::path(post, path = "/programmes/{id}/co-creation-sessions", tag = "governance", operation_id = "recordCoCreationSession",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = CoCreationInput,
    responses((status = 201, description = "The session", body = CoCreationSession)))]
async fn record_co_creation_session(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CoCreationInput>,
) -> Result<(StatusCode, Json<CoCreationSession>), ApiError> {
    service::record_co_creation(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|s| (StatusCode::CREATED, Json(s)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The programme's governance health: each check passes, warns or fails,
/// with the reason and where to fix it.
#[utoipa::path(get, path = "/programmes/{id}/health", tag = "governance", operation_id = "getProgrammeHealth",
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, description = "The health checks", body = ProgrammeHealth)))]
async fn programme_health(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgrammeHealth>, ApiError> {
    let checks = service::health(&state, &actor, ProgrammeId(id))
        .await
        .map_err(|e| ApiError::new(e, actor.locale))?;
    let t = Tr::new(actor.locale);
    Ok(Json(ProgrammeHealth {
        programme_id: ProgrammeId(id),
        verdict: worst(&checks),
        checks: checks.iter().map(|c| HealthCheckView::of(c, t)).collect(),
    }))
}

/// The worst verdict among `checks` (pass when there are none).
pub fn worst(checks: &[HealthCheck]) -> Verdict {
    if checks.iter().any(|c| c.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if checks.iter().any(|c| c.verdict == Verdict::Warning) {
        Verdict::Warning
    } else {
        Verdict::Pass
    }
}
