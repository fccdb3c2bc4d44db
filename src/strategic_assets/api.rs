//! The API of the strategic-asset register.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AmbitionDependencies, StrategicAsset, StrategicAssetInput, service};
use crate::domain::StrategicAssetId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(StrategicAssetPage, StrategicAsset);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_strategic_assets))
        .routes(routes!(import_strategic_assets))
        .routes(routes!(list_assets, create_asset))
        .routes(routes!(get_asset, update_asset))
        .routes(routes!(by_ambition))
}

/// The organisation's strategic assets by name, each with the ambitions it
/// matters for.
#[utoipa::path(get, path = "/strategic-assets", tag = "services", operation_id = "listStrategicAssets",
    params(PageParams),
    responses((status = 200, description = "A page of strategic assets", body = StrategicAssetPage)))]
async fn list_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<StrategicAssetPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::list(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Registers a strategic asset: its kind, owner, state, gap and how
/// critical it is for which ambitions.
#[utoipa::path(post, path = "/strategic-assets", tag = "services", operation_id = "createStrategicAsset",
    request_body = StrategicAssetInput,
    responses(
        (status = 201, description = "The asset", body = StrategicAsset),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<StrategicAssetInput>,
) -> Result<(StatusCode, Json<StrategicAsset>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|a| (StatusCode::CREATED, Json(a)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One strategic asset.
#[utoipa::path(get, path = "/strategic-assets/{id}", tag = "services", operation_id = "getStrategicAsset",
    params(("id" = i64, Path, description = "Strategic asset id")),
    responses((status = 200, description = "The asset", body = StrategicAsset)))]
async fn get_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StrategicAsset>, ApiError> {
    service::get(&state, &actor, StrategicAssetId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a strategic asset; absent fields stay, a given list of
/// ambitions replaces the old one.
#[utoipa::path(patch, path = "/strategic-assets/{id}", tag = "services", operation_id = "updateStrategicAsset",
    params(("id" = i64, Path, description = "Strategic asset id")),
    request_body = StrategicAssetInput,
    responses(
        (status = 200, description = "The asset", body = StrategicAsset),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StrategicAssetInput>,
) -> Result<Json<StrategicAsset>, ApiError> {
    service::update(&state, &actor, StrategicAssetId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Per ambition, the assets it depends on, most critical first; ambitions
/// without any are listed with an empty list.
#[utoipa::path(get, path = "/strategic-assets-by-ambition", tag = "services", operation_id = "strategicAssetsByAmbition",
    responses((status = 200, description = "The ambitions and what they depend on", body = [AmbitionDependencies])))]
async fn by_ambition(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<AmbitionDependencies>>, ApiError> {
    service::by_ambition(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The strategic-asset register as a spreadsheet (CSV or XLSX), headed in
/// the caller's language, with the ambitions each matters for.
#[utoipa::path(get, path = "/strategic-assets-export", tag = "services", operation_id = "exportStrategicAssets",
    params(crate::indicators::export::ExportParams),
    responses((status = 200, description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn export_strategic_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(export): ApiQuery<crate::indicators::export::ExportParams>,
) -> Result<crate::indicators::export::ExportFile, ApiError> {
    service::export(&state, &actor, export.format.unwrap_or_default())
        .await
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Imports the register from a CSV or XLSX file. Columns (Dutch or
/// English headings, or the codes): `name` (required), `kind` (required
/// for a new asset; code or label), `owner` (the member's e-mail address),
/// `current_state`, `gap`, `description`. A known name updates that
/// asset, a new one adds it; a column left out leaves that field alone;
/// the ambitions stay. All or nothing: every error names its row and
/// column. With `dry_run=true` nothing is written.
#[utoipa::path(post, path = "/strategic-asset-imports", tag = "services", operation_id = "importStrategicAssets",
    params(crate::indicators::api::ImportParams),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ), description = "The file"),
    responses((status = 200, description = "What the import did (or would do)", body = crate::data_assets::service::RegisterImportReport)))]
async fn import_strategic_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<crate::indicators::api::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<crate::data_assets::service::RegisterImportReport>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let bytes = body.map_err(|_| err(crate::Error::invalid("file", "file_unreadable")))?;
    service::import(&state, &actor, &bytes, params.dry_run.unwrap_or(false))
        .await
        .map(Json)
        .map_err(err)
}
