use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AuditEvent, AuditQuery};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::page_schema;

page_schema!(AuditEventPage, AuditEvent);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

/// The organisation's audit log, newest first (admins).
#[utoipa::path(get, path = "/audit-events", tag = "audit", operation_id = "listAuditEvents",
    params(AuditQuery),
    responses((status = 200, description = "A page of audit events", body = AuditEventPage)))]
async fn list_audit_events(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditEventPage>, ApiError> {
    super::list(&state, &actor, &query)
        .await
        .map(|page| Json(page.into()))
        .map_err(|e| ApiError::new(e, actor.locale))
}
