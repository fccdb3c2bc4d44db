use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    BatchResult, Indicator, IndicatorInput, IndicatorSummary, Measurement, MeasurementBatch,
    Status, Target, TargetInput, service,
};
use crate::domain::{Frequency, IndicatorId, Perspective, UserId, ValueUnit};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};
use crate::store::{IndicatorFilter, IndicatorSort};

page_schema!(IndicatorPage, IndicatorSummary);
page_schema!(MeasurementPage, Measurement);
page_schema!(TargetPage, Target);
page_schema!(RollupPage, super::Rollup);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators, create_indicator))
        .routes(routes!(get_indicator, update_indicator))
        .routes(routes!(list_measurements, record_measurements))
        .routes(routes!(list_targets, add_target))
        .routes(routes!(import_measurements))
        .routes(routes!(export_measurements))
        .routes(routes!(rollup_measurements))
        // Spreadsheet exports can be large; the default limit is 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check and count only; write nothing.
    pub dry_run: Option<bool>,
}

/// Imports measurements from a CSV or XLSX file (columns `indicator`,
/// `period`, `value`, optional `note`; Dutch headers `periode`, `waarde`,
/// `toelichting` too). CSV may be `;`, `,` or tab separated, with decimal
/// comma or point, UTF-8 with or without BOM; in XLSX the first sheet is
/// read and date cells are understood. All or nothing: one bad row imports
/// nothing, and every error names its row (`rows[7].value`). With
/// `dry_run=true` nothing is written and the report lists what would change.
#[utoipa::path(post, path = "/measurement-imports", tag = "indicators", operation_id = "importMeasurements",
    params(ImportParams),
    request_body(content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ), description = "The file"),
    responses((status = 200, description = "What the import did (or would do)", body = super::import::ImportReport)))]
async fn import_measurements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<super::import::ImportReport>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let bytes = body.map_err(|_| err(crate::Error::invalid("file", "file_unreadable")))?;
    service::import_file(&state, &actor, &bytes, params.dry_run.unwrap_or(false))
        .await
        .map(Json)
        .map_err(err)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only this perspective.
    #[param(value_type = Option<Perspective>)]
    pub perspective: Option<String>,
    /// Only indicators owned by this user id.
    pub owner_id: Option<i64>,
    /// Part of the code or name.
    pub search: Option<String>,
    /// Only this kind of value.
    #[param(value_type = Option<ValueUnit>)]
    pub unit: Option<String>,
    /// Only indicators with this status today.
    #[param(value_type = Option<Status>)]
    pub status: Option<String>,
    /// `code` (default), `name`, or `status` (off track first).
    #[param(value_type = Option<String>, pattern = "^(code|name|status)$")]
    pub sort: Option<String>,
    /// Only indicators linked to this ambition.
    pub ambition_id: Option<i64>,
}

/// An optional query value: absent and empty are the same.
fn given(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl IndicatorListParams {
    pub fn filter(&self) -> Result<IndicatorFilter, crate::Error> {
        let mut v = crate::domain::Validator::new();
        let perspective = given(self.perspective.as_ref())
            .and_then(|p| v.check("perspective", Perspective::parse(p)));
        let unit = given(self.unit.as_ref()).and_then(|u| v.check("unit", ValueUnit::parse(u)));
        let status = given(self.status.as_ref()).and_then(|s| v.check("status", Status::parse(s)));
        let sort = given(self.sort.as_ref())
            .and_then(|s| v.check("sort", IndicatorSort::parse(s)))
            .unwrap_or_default();
        v.finish(Some(IndicatorFilter {
            perspective,
            unit,
            owner: self.owner_id.map(UserId),
            search: self.search.clone().unwrap_or_default(),
            status,
            sort,
            published_only: false,
            ambition: self.ambition_id.map(crate::domain::AmbitionId),
        }))
    }
}

/// Indicators with their latest value and next target, by code.
#[utoipa::path(get, path = "/indicators", tag = "indicators", operation_id = "listIndicators",
    params(IndicatorListParams),
    responses((status = 200, description = "A page of indicators", body = IndicatorPage)))]
async fn list_indicators(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<IndicatorListParams>,
) -> Result<Json<IndicatorPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request =
        PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)).map_err(err)?;
    let filter = params.filter().map_err(err)?;
    let page = service::list(&state, &actor, &filter, request)
        .await
        .map_err(err)?;
    Ok(Json(page.into()))
}

/// Defines an indicator (admins and programme leads).
#[utoipa::path(post, path = "/indicators", tag = "indicators", operation_id = "createIndicator",
    request_body = IndicatorInput,
    responses(
        (status = 201, description = "The new indicator", body = Indicator),
        (status = 409, description = "The code is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_indicator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<IndicatorInput>,
) -> Result<(StatusCode, Json<Indicator>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|indicator| (StatusCode::CREATED, Json(indicator)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One indicator.
#[utoipa::path(get, path = "/indicators/{id}", tag = "indicators", operation_id = "getIndicator",
    params(("id" = i64, Path, description = "Indicator id")),
    responses((status = 200, description = "The indicator", body = Indicator)))]
async fn get_indicator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Indicator>, ApiError> {
    service::get(&state, &actor, IndicatorId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes an indicator; `code`, `unit` and `frequency` stay as they are.
#[utoipa::path(patch, path = "/indicators/{id}", tag = "indicators", operation_id = "updateIndicator",
    params(("id" = i64, Path, description = "Indicator id")),
    request_body = IndicatorInput,
    responses(
        (status = 200, description = "The updated indicator", body = Indicator),
        (status = 409, description = "Changed by someone else since the `version` sent (`edit_conflict`); nothing written",
            body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_indicator(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<IndicatorInput>,
) -> Result<Json<Indicator>, ApiError> {
    service::update(&state, &actor, IndicatorId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// An indicator's measurements, newest period first.
#[utoipa::path(get, path = "/indicators/{id}/measurements", tag = "indicators", operation_id = "listMeasurements",
    params(("id" = i64, Path, description = "Indicator id"), PageParams),
    responses((status = 200, description = "A page of measurements", body = MeasurementPage)))]
async fn list_measurements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<MeasurementPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let page = service::measurements(&state, &actor, IndicatorId(id), request)
        .await
        .map_err(err)?;
    Ok(Json(page.into()))
}

/// All of an indicator's measurements as a spreadsheet, oldest first, in
/// the columns the import reads (`indicator`, `period`, `value`, `note`;
/// Dutch headers, `;` and decimal comma for Dutch readers).
#[utoipa::path(get, path = "/indicators/{id}/export", tag = "indicators", operation_id = "exportMeasurements",
    params(("id" = i64, Path, description = "Indicator id"), super::export::ExportParams),
    responses((status = 200, description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn export_measurements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<super::export::ExportParams>,
) -> Result<super::export::ExportFile, ApiError> {
    service::export(
        &state,
        &actor,
        IndicatorId(id),
        params.format.unwrap_or_default(),
    )
    .await
    .map_err(|e| ApiError::new(e, actor.locale))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupParams {
    /// `month` (default), `quarter` or `year`.
    #[param(value_type = Option<String>, pattern = "^(month|quarter|year)$")]
    pub frequency: Option<String>,
    /// Page number over the indicators (by code), starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Indicators per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
}

/// Recorded totals rolled up into months, quarters or years, per indicator
/// combined by its own aggregation (sum, mean or last), a page of indicators
/// at a time. For reporting tools that want monthly figures from daily data.
#[utoipa::path(get, path = "/measurement-rollups", tag = "indicators", operation_id = "rollupMeasurements",
    params(RollupParams),
    responses((status = 200, description = "A page of indicators with their rolled-up values", body = RollupPage)))]
async fn rollup_measurements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<RollupParams>,
) -> Result<Json<RollupPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let mut v = crate::domain::Validator::new();
    let into = v.check(
        "frequency",
        Frequency::parse(params.frequency.as_deref().unwrap_or("month")),
    );
    if into.is_some_and(|f| f < Frequency::Month) {
        v.add("frequency", "rollup_frequency");
    }
    let into = into.unwrap_or(Frequency::Month);
    let request = match PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)) {
        Ok(request) => Some(request),
        Err(crate::Error::Invalid(fields)) => {
            for field in fields {
                v.add(&field.field, field.code);
            }
            None
        }
        Err(other) => return Err(err(other)),
    };
    let request = v.finish(request).map_err(err)?;
    service::rollup(&state, &actor, into, request)
        .await
        .map(|page| Json(page.into()))
        .map_err(err)
}

/// Records up to 1,000 measurements, all or nothing. Idempotent by period:
/// a period that has a value is updated (the old value stays in the audit
/// log), the same value again changes nothing.
#[utoipa::path(post, path = "/indicators/{id}/measurements", tag = "indicators", operation_id = "recordMeasurements",
    params(("id" = i64, Path, description = "Indicator id")),
    request_body = MeasurementBatch,
    responses((status = 200, description = "What the batch did", body = BatchResult)))]
async fn record_measurements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(batch): ApiJson<MeasurementBatch>,
) -> Result<Json<BatchResult>, ApiError> {
    service::record(&state, &actor, IndicatorId(id), &batch, "api")
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Every target of an indicator with its revisions, by date.
#[utoipa::path(get, path = "/indicators/{id}/targets", tag = "indicators", operation_id = "listTargets",
    params(("id" = i64, Path, description = "Indicator id"), PageParams),
    responses((status = 200, description = "Targets and revisions", body = TargetPage)))]
async fn list_targets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<TargetPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::targets(&state, &actor, IndicatorId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Sets a target for a date. A second target for the same date revises the
/// first (which stays on record) and needs a reason.
#[utoipa::path(post, path = "/indicators/{id}/targets", tag = "indicators", operation_id = "addTarget",
    params(("id" = i64, Path, description = "Indicator id")),
    request_body = TargetInput,
    responses((status = 201, description = "The new target", body = Target)))]
async fn add_target(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TargetInput>,
) -> Result<(StatusCode, Json<Target>), ApiError> {
    service::add_target(&state, &actor, IndicatorId(id), &input)
        .await
        .map(|target| (StatusCode::CREATED, Json(target)))
        .map_err(|e| ApiError::new(e, actor.locale))
}
