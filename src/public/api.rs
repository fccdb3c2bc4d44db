use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PublicDashboard, PublicIndicatorDetail, service};
use crate::http::AppState;
use crate::http::extract::{ApiPath, RequestLocale};
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_dashboard))
        .routes(routes!(public_indicator))
}

/// An organisation's public dashboard: its published indicators with their
/// latest value, next target and status. No login; 404 when the
/// organisation does not publish a dashboard.
#[utoipa::path(get, path = "/public-dashboards/{slug}", tag = "public", operation_id = "getPublicDashboard",
    security(()),
    params(("slug" = String, Path, description = "The organisation's short name")),
    responses((status = 200, description = "The dashboard", body = PublicDashboard)))]
async fn public_dashboard(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<PublicDashboard>, ApiError> {
    service::dashboard(&state, &slug)
        .await
        .map(|(dashboard, _)| Json(dashboard))
        .map_err(|e| ApiError::new(e, locale))
}

/// One published indicator with the values and targets of its chart.
#[utoipa::path(get, path = "/public-dashboards/{slug}/indicators/{code}", tag = "public", operation_id = "getPublicIndicator",
    security(()),
    params(
        ("slug" = String, Path, description = "The organisation's short name"),
        ("code" = String, Path, description = "The indicator's code"),
    ),
    responses((status = 200, description = "The indicator", body = PublicIndicatorDetail)))]
async fn public_indicator(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    ApiPath((slug, code)): ApiPath<(String, String)>,
) -> Result<Json<PublicIndicatorDetail>, ApiError> {
    service::indicator(&state, &slug, &code)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, locale))
}
