//! The API for the organisation's data export.

use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::export::{ExportFile, ExportFormat};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_organisation))
}

/// `?format=xlsx` for the workbook, or `?format=csv&sheet=indicators` for
/// one list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationExportParams {
    /// `xlsx` (default): every list as a sheet; `csv`: the one `sheet`.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<ExportFormat>,
    /// For CSV: the list, e.g. `people`, `indicators`, `measurements`.
    pub sheet: Option<String>,
}

/// The organisation's data for administrators: an XLSX workbook with one
/// sheet per list (readable headings, ids to join them by), or one list as
/// CSV. Individual skill levels, survey answers and invitations, and
/// notifications are left out: they are personal data administrators do
/// not read.
#[utoipa::path(get, path = "/organisation-export", tag = "exports", operation_id = "exportOrganisation",
    params(OrganisationExportParams),
    responses((status = 200, description = "The file", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
    ))))]
async fn export_organisation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<OrganisationExportParams>,
) -> Result<ExportFile, ApiError> {
    super::export::export(
        &state,
        &actor,
        params.format.unwrap_or(ExportFormat::Xlsx),
        params.sheet.as_deref(),
    )
    .await
    .map_err(|e| ApiError::new(e, actor.locale))
}
