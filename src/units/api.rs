use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{NewUnitInput, Unit, UnitChangesInput, service};
use crate::domain::UnitId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageRequest, page_schema};

page_schema!(UnitPage, Unit);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, update_unit))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Include archived units (default false).
    pub include_archived: Option<bool>,
}

/// Units in tree order (depth-first, siblings by name).
#[utoipa::path(get, path = "/units", tag = "units", operation_id = "listUnits",
    params(UnitListParams),
    responses((status = 200, description = "A page of units", body = UnitPage)))]
async fn list_units(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<UnitListParams>,
) -> Result<Json<UnitPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request =
        PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)).map_err(err)?;
    let nodes = service::tree(&state, &actor, params.include_archived.unwrap_or(false))
        .await
        .map_err(err)?;
    let units = nodes.into_iter().map(|n| n.unit).collect();
    Ok(Json(Page::from_all(units, request).into()))
}

/// Creates a unit (admins).
#[utoipa::path(post, path = "/units", tag = "units", operation_id = "createUnit",
    request_body = NewUnitInput,
    responses(
        (status = 201, description = "The new unit", body = Unit),
        (status = 409, description = "A sibling already has this name", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_unit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewUnitInput>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|unit| (StatusCode::CREATED, Json(unit)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One unit.
#[utoipa::path(get, path = "/units/{id}", tag = "units", operation_id = "getUnit",
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, description = "The unit", body = Unit)))]
async fn get_unit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Unit>, ApiError> {
    service::get(&state, &actor, UnitId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Renames, moves, archives or restores a unit (admins).
#[utoipa::path(patch, path = "/units/{id}", tag = "units", operation_id = "updateUnit",
    params(("id" = i64, Path, description = "Unit id")),
    request_body = UnitChangesInput,
    responses(
        (status = 200, description = "The updated unit", body = Unit),
        (status = 409, description = "Name taken, or the unit still has active sub-units", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_unit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<UnitChangesInput>,
) -> Result<Json<Unit>, ApiError> {
    service::update(&state, &actor, UnitId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
