//! The API for idea campaigns.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::campaigns::{self, Campaign, CampaignInput};
use crate::domain::CampaignId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath};
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign))
}

/// The organisation's campaigns (themed calls for ideas), the latest to
/// open first, each with its status today and how many ideas answer it.
#[utoipa::path(get, path = "/idea-campaigns", tag = "ideas", operation_id = "listIdeaCampaigns",
    responses((status = 200, description = "The campaigns", body = [Campaign])))]
async fn list_campaigns(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<Campaign>>, ApiError> {
    campaigns::list(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Starts a campaign: a title, what it asks for, an owner and a period.
#[utoipa::path(post, path = "/idea-campaigns", tag = "ideas", operation_id = "createIdeaCampaign",
    request_body = CampaignInput,
    responses(
        (status = 201, description = "The campaign", body = Campaign),
        (status = 409, description = "The title is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_campaign(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<Campaign>), ApiError> {
    campaigns::create(&state, &actor, &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One campaign.
#[utoipa::path(get, path = "/idea-campaigns/{id}", tag = "ideas", operation_id = "getIdeaCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign", body = Campaign)))]
async fn get_campaign(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Campaign>, ApiError> {
    campaigns::get(&state, &actor, CampaignId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a campaign; absent fields stay (e.g. close it early by moving
/// `closes_on`).
#[utoipa::path(patch, path = "/idea-campaigns/{id}", tag = "ideas", operation_id = "updateIdeaCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    request_body = CampaignInput,
    responses(
        (status = 200, description = "The campaign", body = Campaign),
        (status = 409, description = "The title is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_campaign(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<Json<Campaign>, ApiError> {
    campaigns::update(&state, &actor, CampaignId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
