//! The HTTP boundary: state, router, middleware, error presentation,
//! extractors and embedded assets. Feature modules add their own routers.

pub mod access_log;
mod assets;
pub mod authenticate;
pub(crate) mod csrf;
pub mod extract;
pub mod form;
mod headers;
pub mod metrics;
mod openapi;
pub mod page;
pub mod problem;
pub mod scopes;
pub mod shell;
mod state;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use headers::API_VERSION;
pub use state::{AppState, Services};

use crate::domain::Locale;

/// The whole application: pages, API, health, metrics and assets.
pub fn app(state: AppState) -> Router {
    let (api, openapi_json) = openapi::api_router();
    Router::new()
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::render))
        .route("/assets/{*path}", get(assets::serve))
        .merge(crate::home::router())
        .merge(crate::sessions::router())
        .merge(crate::sso::login_pages::router())
        .merge(crate::indicators::pages::router())
        .merge(crate::indicators::import_pages::router())
        .merge(crate::governance::pages::router())
        .merge(crate::governance::steering_pages::router())
        .merge(crate::governance::funding_pages::router())
        .merge(crate::portfolio::pages::router())
        .merge(crate::portfolio::partners_pages::router())
        .merge(crate::effects::pages::router())
        .merge(crate::skills::pages::router())
        .merge(crate::skills::import_pages::router())
        .merge(crate::skills::action_pages::router())
        .merge(crate::surveys::pages::router())
        .merge(crate::surveys::respond_pages::router())
        .merge(crate::surveys::wave_pages::router())
        .merge(crate::surveys::insight_pages::router())
        .merge(crate::surveys::intervention_pages::router())
        .merge(crate::ideas::pages::router())
        .merge(crate::ideas::campaign_pages::router())
        .merge(crate::ideas::figures_pages::router())
        .merge(crate::notifications::pages::router())
        .merge(crate::services::pages::router())
        .merge(crate::services::import_pages::router())
        .merge(crate::data_assets::pages::router())
        .merge(crate::strategic_assets::pages::router())
        .merge(crate::reports::pages::router())
        .merge(crate::public::pages::router())
        .merge(crate::organisations::pages::router())
        .merge(crate::sso::pages::router())
        .merge(crate::units::pages::router())
        .merge(crate::users::pages::router())
        .merge(crate::tokens::pages::router())
        .merge(crate::audit::pages::router())
        .nest(
            "/api/v1",
            api.route(
                "/openapi.json",
                get(move || async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        openapi_json.clone(),
                    )
                }),
            )
            .fallback(api_not_found),
        )
        .fallback(page_not_found)
        .layer(middleware::from_fn(csrf::verify_csrf))
        // Inside authentication: it knows who asked and what came of it.
        .layer(middleware::from_fn(access_log::log_request))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            authenticate::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(middleware::from_fn(metrics::track))
        .with_state(state)
}

async fn alive() -> &'static str {
    "ok"
}

async fn ready(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::warn!(error.reason = %error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

fn request_locale(request: &Request) -> Locale {
    request
        .extensions()
        .get::<authenticate::RequestMeta>()
        .map_or(Locale::Nl, authenticate::RequestMeta::locale)
}

async fn api_not_found(request: Request) -> Response {
    problem::ApiError::new(crate::Error::NotFound, request_locale(&request)).into_response()
}

async fn page_not_found(request: Request) -> Response {
    page::PageError::new(crate::Error::NotFound, request_locale(&request)).into_response()
}

/// Presents an error as problem+json under `/api/`, as a page elsewhere.
pub fn error_response(request: &Request, error: crate::Error, locale: Locale) -> Response {
    if request.uri().path().starts_with("/api/") {
        problem::ApiError::new(error, locale).into_response()
    } else {
        page::PageError::new(error, locale).into_response()
    }
}

/// For PATCH bodies: tells "absent" (`None`) from "null" (`Some(None)`).
pub fn present_or_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
