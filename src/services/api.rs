//! The API of the service catalogue.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, CatalogueOverview};
use super::{Service, ServiceInput};
use crate::domain::ServiceId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::Indicator;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(ServicePage, Service);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_services, create_service))
        .routes(routes!(get_service, update_service))
        .routes(routes!(track_volumes))
        .routes(routes!(catalogue_overview))
        .routes(routes!(export_services))
        .routes(routes!(import_services))
}

/// The catalogue as a spreadsheet: one row per service with its level,
/// channels, groups, owner and texts, headed in the caller's language.
#[utoipa::path(get, path = "/services-export", tag = "services", operation_id = "exportServices",
    params(crate::indicators::export::ExportParams),
    responses((status = 200, description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn export_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(export): ApiQuery<crate::indicators::export::ExportParams>,
) -> Result<crate::indicators::export::ExportFile, ApiError> {
    service::export(&state, &actor, export.format.unwrap_or_default())
        .await
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Imports the catalogue from a CSV or XLSX file. Columns (Dutch or
/// English headings, or the codes): `name` (required), `maturity` (0–5,
/// required for a new service), `channels` and `target_groups` (comma
/// lists of codes or labels), `owner_unit` (by name), `legal_basis`,
/// `lead_time_days`, `description`, `automation`, `personalisation`. A
/// known name updates that service, a new one adds it; a column left out
/// leaves that field alone. All or nothing: every error names its row and
/// column (`rows[7].maturity`). With `dry_run=true` nothing is written.
#[utoipa::path(post, path = "/service-imports", tag = "services", operation_id = "importServices",
    params(crate::indicators::api::ImportParams),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ), description = "The file"),
    responses((status = 200, description = "What the import did (or would do)", body = super::transfer::ServiceImportReport)))]
async fn import_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<crate::indicators::api::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<super::transfer::ServiceImportReport>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let bytes = body.map_err(|_| err(crate::Error::invalid("file", "file_unreadable")))?;
    service::import(&state, &actor, &bytes, params.dry_run.unwrap_or(false))
        .await
        .map(Json)
        .map_err(err)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only services at this maturity level (0–5).
    #[param(minimum = 0, maximum = 5)]
    pub maturity: Option<i64>,
    /// Words that must all appear in the name or description.
    pub search: Option<String>,
}

/// The organisation's services by name, each with its maturity level
/// (0–5), channels and links.
#[utoipa::path(get, path = "/services", tag = "services", operation_id = "listServices",
    params(ServiceListParams),
    responses((status = 200, description = "A page of services", body = ServicePage)))]
async fn list_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ServiceListParams>,
) -> Result<Json<ServicePage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&PageParams {
        page: params.page,
        page_size: params.page_size,
    })
    .map_err(err)?;
    let words: Vec<String> = params
        .search
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let all = service::list(&state, &actor)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|s| params.maturity.is_none_or(|m| s.maturity == m))
        .filter(|s| {
            let text = format!("{} {}", s.name, s.description).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a service to the catalogue.
#[utoipa::path(post, path = "/services", tag = "services", operation_id = "createService",
    request_body = ServiceInput,
    responses(
        (status = 201, description = "The service", body = Service),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<(StatusCode, Json<Service>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|s| (StatusCode::CREATED, Json(s)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One service.
#[utoipa::path(get, path = "/services/{id}", tag = "services", operation_id = "getService",
    params(("id" = i64, Path, description = "Service id")),
    responses((status = 200, description = "The service", body = Service)))]
async fn get_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Service>, ApiError> {
    service::get(&state, &actor, ServiceId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a service; absent fields stay, given link lists replace the
/// old ones.
#[utoipa::path(patch, path = "/services/{id}", tag = "services", operation_id = "updateService",
    params(("id" = i64, Path, description = "Service id")),
    request_body = ServiceInput,
    responses(
        (status = 200, description = "The service", body = Service),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Result<Json<Service>, ApiError> {
    service::update(&state, &actor, ServiceId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Starts tracking the service's volumes: makes a monthly indicator
/// `VOLUME_{id}` with a breakdown `kanaal` (online, telefoon, balie, post,
/// app) and links it; record its values through the indicator endpoints.
#[utoipa::path(post, path = "/services/{id}/volume-indicator", tag = "services", operation_id = "trackServiceVolumes",
    params(("id" = i64, Path, description = "Service id")),
    responses(
        (status = 201, description = "The volume indicator", body = Indicator),
        (status = 409, description = "Volumes are tracked already", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn track_volumes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<Indicator>), ApiError> {
    service::track_volumes(&state, &actor, ServiceId(id))
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The catalogue's views: services per maturity level and target group,
/// the channel shift per quarter with the digital share, and the services
/// with the largest volume still offline over the last four quarters.
#[utoipa::path(get, path = "/service-catalogue", tag = "services", operation_id = "getServiceCatalogueOverview",
    responses((status = 200, description = "The overview", body = CatalogueOverview)))]
async fn catalogue_overview(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<CatalogueOverview>, ApiError> {
    service::overview(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
