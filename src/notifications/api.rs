//! The caller's own notifications.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Notification, service};
use crate::domain::NotificationId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{PageParams, PageRequest, page_schema};

page_schema!(NotificationPage, Notification);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_all_read))
        .routes(routes!(mark_read))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only those not read yet.
    pub unread: Option<bool>,
}

/// How many notifications a call marked read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Marked {
    pub marked: u64,
}

/// The caller's notifications, newest first: state changes of ideas they
/// wrote or support, promotions, comments on and moderation of their own.
#[utoipa::path(get, path = "/notifications", tag = "notifications", operation_id = "listNotifications",
    params(NotificationParams),
    responses((status = 200, description = "A page of notifications", body = NotificationPage)))]
async fn list_notifications(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<NotificationParams>,
) -> Result<Json<NotificationPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&PageParams {
        page: params.page,
        page_size: params.page_size,
    })
    .map_err(err)?;
    service::list(&state, &actor, params.unread.unwrap_or(false), request)
        .await
        .map(|page| Json(page.into()))
        .map_err(err)
}

/// Marks all of the caller's notifications read.
#[utoipa::path(post, path = "/notifications/read", tag = "notifications", operation_id = "markAllNotificationsRead",
    responses((status = 200, description = "How many were unread", body = Marked)))]
async fn mark_all_read(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Marked>, ApiError> {
    service::mark_all_read(&state, &actor)
        .await
        .map(|marked| Json(Marked { marked }))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Marks one of the caller's notifications read (again changes nothing).
#[utoipa::path(put, path = "/notifications/{id}/read", tag = "notifications", operation_id = "markNotificationRead",
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204, description = "Read")))]
async fn mark_read(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::mark_read(&state, &actor, NotificationId(id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::new(e, actor.locale))
}
