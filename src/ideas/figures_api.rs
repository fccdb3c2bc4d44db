//! The API for the idea platform's figures.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::figures::{self, IdeaFigures, RecordedIndicator};
use crate::http::AppState;
use crate::http::extract::ApiActor;
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_figures))
        .routes(routes!(record_figures))
}

/// Per quarter: ideas posted (per unit), the share that became an
/// experiment, and the median days from posting to a decision.
#[utoipa::path(get, path = "/idea-figures", tag = "ideas", operation_id = "getIdeaFigures",
    responses((status = 200, description = "The figures, oldest quarter first", body = IdeaFigures)))]
async fn get_figures(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<IdeaFigures>, ApiError> {
    figures::get(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Keeps the figures as quarterly indicators (`IDEEEN` with a breakdown
/// per unit, `IDEEEN_EXPERIMENT`, `IDEEEN_BESLISTIJD`), made the first
/// time; every quarter's values are recorded, changed ones updated.
#[utoipa::path(post, path = "/idea-figures/indicators", tag = "ideas", operation_id = "recordIdeaFigures",
    responses(
        (status = 200, description = "What was recorded per indicator", body = [RecordedIndicator]),
        (status = 409, description = "One of the codes is in use for another kind of indicator", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn record_figures(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<RecordedIndicator>>, ApiError> {
    figures::record(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
