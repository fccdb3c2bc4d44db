use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiToken, CreatedToken, NewTokenInput, service};
use crate::domain::TokenId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(TokenPage, ApiToken);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// The caller's tokens in this organisation, newest first.
#[utoipa::path(get, path = "/tokens", tag = "tokens", operation_id = "listTokens",
    params(PageParams),
    responses((status = 200, description = "A page of tokens", body = TokenPage)))]
async fn list_tokens(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<TokenPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let tokens = service::list(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(tokens, request).into()))
}

/// Makes a token acting as the caller in this organisation. The secret is
/// in this response only.
#[utoipa::path(post, path = "/tokens", tag = "tokens", operation_id = "createToken",
    request_body = NewTokenInput,
    responses((status = 201, description = "The token and its secret", body = CreatedToken)))]
async fn create_token(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewTokenInput>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|created| (StatusCode::CREATED, Json(created)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Revokes one of the caller's tokens; it stops working at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens", operation_id = "revokeToken",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 200, description = "The revoked token", body = ApiToken)))]
async fn revoke_token(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ApiToken>, ApiError> {
    service::revoke(&state, &actor, TokenId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
