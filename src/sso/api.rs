use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ConnectionTest, SsoConnection, SsoInput, service};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson};
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_sso, put_sso))
        .routes(routes!(test_sso))
}

/// The organisation's single sign-on connection (admins). The client
/// secret is never returned; `client_secret_set` says whether one is stored.
#[utoipa::path(get, path = "/organisation/sso", tag = "organisation", operation_id = "getSingleSignOn",
    responses((status = 200, description = "The connection (configured false when none is saved)", body = SsoConnection)))]
async fn get_sso(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<SsoConnection>, ApiError> {
    service::connection(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Saves the organisation's single sign-on connection (admins). Leave
/// `client_secret` out to keep the stored one. Switching off password
/// login needs the caller to have logged in through the provider once.
#[utoipa::path(put, path = "/organisation/sso", tag = "organisation", operation_id = "putSingleSignOn",
    request_body = SsoInput,
    responses(
        (status = 200, description = "The saved connection", body = SsoConnection),
        (status = 409, description = "No key is configured to seal the client secret", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn put_sso(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<SsoInput>,
) -> Result<Json<SsoConnection>, ApiError> {
    service::save(&state, &actor, &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Which issuer to test; by default the saved one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestInput {
    #[schema(nullable = false, max_length = 500)]
    pub issuer: Option<String>,
}

/// Reads the issuer's discovery document and signing keys and reports
/// what they offer (admins). Nothing is saved.
#[utoipa::path(post, path = "/organisation/sso/test", tag = "organisation", operation_id = "testSingleSignOn",
    request_body = TestInput,
    responses((status = 200, description = "What the provider offers, or what went wrong", body = ConnectionTest)))]
async fn test_sso(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<TestInput>,
) -> Result<Json<ConnectionTest>, ApiError> {
    service::test(&state, &actor, input.issuer.as_deref())
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
