//! The API for board reports.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::compare::Comparison;
use super::{ReportInput, ReportRecord, StoredReport, service};
use crate::domain::BoardReportId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::export::ExportFile;
use crate::pagination::{PageParams, PageRequest, page_schema};

page_schema!(BoardReportPage, ReportRecord);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports, make_report))
        .routes(routes!(get_report))
        .routes(routes!(get_document))
        .routes(routes!(get_comparison))
}

/// The formats a report's document comes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    #[default]
    Pdf,
    Html,
}

/// `?format=pdf` or `?format=html`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    /// `pdf` (default) or `html`.
    #[param(value_type = Option<DocumentFormat>)]
    pub format: Option<DocumentFormat>,
}

/// The reports made so far, the newest first (without their content).
#[utoipa::path(get, path = "/board-reports", tag = "reports", operation_id = "listBoardReports",
    params(PageParams),
    responses((status = 200, description = "A page of reports", body = BoardReportPage)))]
async fn list_reports(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<BoardReportPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    service::list(&state, &actor, request)
        .await
        .map(|page| Json(page.into()))
        .map_err(err)
}

/// Makes a board report for a month (`2026-07`), quarter (`2026-Q3`) or
/// year (`2026`) that has begun, in Dutch or English. The report is kept
/// as made and never changes.
#[utoipa::path(post, path = "/board-reports", tag = "reports", operation_id = "makeBoardReport",
    request_body = ReportInput,
    responses(
        (status = 201, description = "The report", body = StoredReport),
        (status = 400, description = "The period or language is not valid", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn make_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<StoredReport>), ApiError> {
    service::make(&state, &actor, &input)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One report with its content: summary, sections, key figures.
#[utoipa::path(get, path = "/board-reports/{id}", tag = "reports", operation_id = "getBoardReport",
    params(("id" = i64, Path, description = "Board report id")),
    responses((status = 200, description = "The report", body = StoredReport)))]
async fn get_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StoredReport>, ApiError> {
    service::get(&state, &actor, BoardReportId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The report as a document: a PDF typeset by Koers itself (tagged, with
/// a table of contents and page numbers) or one HTML file that prints well.
#[utoipa::path(get, path = "/board-reports/{id}/document", tag = "reports", operation_id = "getBoardReportDocument",
    params(("id" = i64, Path, description = "Board report id"), DocumentParams),
    responses((status = 200, description = "The document", content(
        (Vec<u8> = "application/pdf"),
        (String = "text/html"),
    ))))]
async fn get_document(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<DocumentParams>,
) -> Result<ExportFile, ApiError> {
    super::pages::document(
        &state,
        &actor,
        BoardReportId(id),
        params.format.unwrap_or_default(),
    )
    .await
    .map_err(|e| ApiError::new(e, actor.locale))
}

/// How the report compares with the one made before it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportComparison {
    /// The earlier report; absent for the first report.
    pub previous: Option<ReportRecord>,
    pub comparison: Option<Comparison>,
}

/// The report against the one made just before it: key figures then and
/// now (better, worse, the same) and indicators whose status changed.
#[utoipa::path(get, path = "/board-reports/{id}/comparison", tag = "reports", operation_id = "getBoardReportComparison",
    params(("id" = i64, Path, description = "Board report id")),
    responses((status = 200, description = "The comparison", body = ReportComparison)))]
async fn get_comparison(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportComparison>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let now = service::get(&state, &actor, BoardReportId(id))
        .await
        .map_err(err)?;
    let found = service::comparison(&state, &actor, &now)
        .await
        .map_err(err)?;
    Ok(Json(match found {
        Some((previous, comparison)) => ReportComparison {
            previous: Some(previous),
            comparison: Some(comparison),
        },
        None => ReportComparison {
            previous: None,
            comparison: None,
        },
    }))
}
