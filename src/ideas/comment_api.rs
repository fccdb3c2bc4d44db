//! The API for comments on ideas and for moderation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Idea;
use super::comments::{self, Comment, CommentInput};
use super::moderation::{self, HideInput};
use crate::domain::{IdeaCommentId, IdeaId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath};
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_comments, create_comment))
        .routes(routes!(hide_comment, show_comment))
        .routes(routes!(hide_idea, show_idea))
}

/// The idea's comments, oldest first. A comment a moderator hid shows
/// without its text, except to its author and moderators.
#[utoipa::path(get, path = "/ideas/{id}/comments", tag = "ideas", operation_id = "listIdeaComments",
    params(("id" = i64, Path, description = "Idea id")),
    responses((status = 200, description = "The comments", body = [Comment])))]
async fn list_comments(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Comment>>, ApiError> {
    comments::list(&state, &actor, IdeaId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Comments on an idea (up to 2000 characters, at most 30 comments an
/// hour per person); the idea's author is notified.
#[utoipa::path(post, path = "/ideas/{id}/comments", tag = "ideas", operation_id = "createIdeaComment",
    params(("id" = i64, Path, description = "Idea id")),
    request_body = CommentInput,
    responses(
        (status = 201, description = "The comment", body = Comment),
        (status = 429, description = "Too many comments in the last hour", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_comment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    comments::create(&state, &actor, IdeaId(id), &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Moderation: hides a comment with a reason (kept in the audit log).
#[utoipa::path(put, path = "/ideas/{id}/comments/{comment_id}/hidden", tag = "ideas", operation_id = "hideIdeaComment",
    params(("id" = i64, Path, description = "Idea id"), ("comment_id" = i64, Path, description = "Comment id")),
    request_body = HideInput,
    responses((status = 200, description = "The comment, hidden", body = Comment)))]
async fn hide_comment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, comment)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<HideInput>,
) -> Result<Json<Comment>, ApiError> {
    comments::moderate(
        &state,
        &actor,
        IdeaId(id),
        IdeaCommentId(comment),
        Some(&input),
    )
    .await
    .map(Json)
    .map_err(|e| ApiError::new(e, actor.locale))
}

/// Moderation: shows a hidden comment again.
#[utoipa::path(delete, path = "/ideas/{id}/comments/{comment_id}/hidden", tag = "ideas", operation_id = "showIdeaComment",
    params(("id" = i64, Path, description = "Idea id"), ("comment_id" = i64, Path, description = "Comment id")),
    responses((status = 200, description = "The comment, shown", body = Comment)))]
async fn show_comment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, comment)): ApiPath<(i64, i64)>,
) -> Result<Json<Comment>, ApiError> {
    comments::moderate(&state, &actor, IdeaId(id), IdeaCommentId(comment), None)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Moderation: hides an idea with a reason. Colleagues no longer see it;
/// its author does, with the reason, and is notified.
#[utoipa::path(put, path = "/ideas/{id}/hidden", tag = "ideas", operation_id = "hideIdea",
    params(("id" = i64, Path, description = "Idea id")),
    request_body = HideInput,
    responses((status = 200, description = "The idea, hidden", body = Idea)))]
async fn hide_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<HideInput>,
) -> Result<Json<Idea>, ApiError> {
    moderation::moderate_idea(&state, &actor, IdeaId(id), Some(&input))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Moderation: shows a hidden idea again.
#[utoipa::path(delete, path = "/ideas/{id}/hidden", tag = "ideas", operation_id = "showIdea",
    params(("id" = i64, Path, description = "Idea id")),
    responses((status = 200, description = "The idea, shown", body = Idea)))]
async fn show_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Idea>, ApiError> {
    moderation::moderate_idea(&state, &actor, IdeaId(id), None)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
