//! The API of the data-asset register and the expertise point.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{DataAsset, DataAssetInput, ExpertiseMember, ExpertiseMemberInput, service};
use crate::domain::{DataAssetId, UserId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(DataAssetPage, DataAsset);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_data_assets))
        .routes(routes!(import_data_assets))
        .routes(routes!(list_data_assets, create_data_asset))
        .routes(routes!(get_data_asset, update_data_asset))
        .routes(routes!(list_experts))
        .routes(routes!(set_expert, remove_expert))
}

/// The organisation's data assets by name.
#[utoipa::path(get, path = "/data-assets", tag = "services", operation_id = "listDataAssets",
    params(PageParams),
    responses((status = 200, description = "A page of data assets", body = DataAssetPage)))]
async fn list_data_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<DataAssetPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::list(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Registers a data asset: steward, source, personal data and its GDPR
/// basis, quality (1–5), openness and update frequency, and what uses it.
#[utoipa::path(post, path = "/data-assets", tag = "services", operation_id = "createDataAsset",
    request_body = DataAssetInput,
    responses(
        (status = 201, description = "The data asset", body = DataAsset),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_data_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<DataAssetInput>,
) -> Result<(StatusCode, Json<DataAsset>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|a| (StatusCode::CREATED, Json(a)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One data asset.
#[utoipa::path(get, path = "/data-assets/{id}", tag = "services", operation_id = "getDataAsset",
    params(("id" = i64, Path, description = "Data asset id")),
    responses((status = 200, description = "The data asset", body = DataAsset)))]
async fn get_data_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DataAsset>, ApiError> {
    service::get(&state, &actor, DataAssetId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a data asset; absent fields stay, given link lists replace.
#[utoipa::path(patch, path = "/data-assets/{id}", tag = "services", operation_id = "updateDataAsset",
    params(("id" = i64, Path, description = "Data asset id")),
    request_body = DataAssetInput,
    responses(
        (status = 200, description = "The data asset", body = DataAsset),
        (status = 409, description = "The name is in use", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_data_asset(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DataAssetInput>,
) -> Result<Json<DataAsset>, ApiError> {
    service::update(&state, &actor, DataAssetId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The knowledge and expertise point for data-driven work: its members,
/// their role and the competences they bring.
#[utoipa::path(get, path = "/data-experts", tag = "services", operation_id = "listDataExperts",
    responses((status = 200, description = "The members", body = [ExpertiseMember])))]
async fn list_experts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<ExpertiseMember>>, ApiError> {
    service::expertise(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Puts a member on the expertise point, or changes their role and
/// competences.
#[utoipa::path(put, path = "/data-experts/{user_id}", tag = "services", operation_id = "setDataExpert",
    params(("user_id" = i64, Path, description = "User id of a member")),
    request_body = ExpertiseMemberInput,
    responses((status = 200, description = "The member", body = ExpertiseMember)))]
async fn set_expert(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(user): ApiPath<i64>,
    ApiJson(input): ApiJson<ExpertiseMemberInput>,
) -> Result<Json<ExpertiseMember>, ApiError> {
    service::set_expert(&state, &actor, UserId(user), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Takes a member off the expertise point.
#[utoipa::path(delete, path = "/data-experts/{user_id}", tag = "services", operation_id = "removeDataExpert",
    params(("user_id" = i64, Path, description = "User id of a member")),
    responses((status = 204, description = "Removed")))]
async fn remove_expert(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(user): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::remove_expert(&state, &actor, UserId(user))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The data-asset register as a spreadsheet (CSV or XLSX), headed in the
/// caller's language.
#[utoipa::path(get, path = "/data-assets-export", tag = "services", operation_id = "exportDataAssets",
    params(crate::indicators::export::ExportParams),
    responses((status = 200, description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn export_data_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(export): ApiQuery<crate::indicators::export::ExportParams>,
) -> Result<crate::indicators::export::ExportFile, ApiError> {
    service::export(&state, &actor, export.format.unwrap_or_default())
        .await
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Imports the register from a CSV or XLSX file. Columns (Dutch or
/// English headings, or the codes): `name` (required), `steward` (the
/// member's e-mail address), `source_system`, `personal_data` (yes/no),
/// `legal_basis`, `completeness` and `timeliness` (1–5), `openness`,
/// `update_frequency` (codes or labels), `description`. A known name
/// updates that asset, a new one adds it; a column left out leaves that
/// field alone; links stay. All or nothing: every error names its row and
/// column. With `dry_run=true` nothing is written.
#[utoipa::path(post, path = "/data-asset-imports", tag = "services", operation_id = "importDataAssets",
    params(crate::indicators::api::ImportParams),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ), description = "The file"),
    responses((status = 200, description = "What the import did (or would do)", body = service::RegisterImportReport)))]
async fn import_data_assets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<crate::indicators::api::ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<service::RegisterImportReport>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let bytes = body.map_err(|_| err(crate::Error::invalid("file", "file_unreadable")))?;
    service::import(&state, &actor, &bytes, params.dry_run.unwrap_or(false))
        .await
        .map(Json)
        .map_err(err)
}
