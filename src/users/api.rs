use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    InvitationLink, Member, MemberChangesInput, NewMemberInput, Profile, ProfileInput, service,
};
use crate::domain::UserId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{PageRequest, page_schema};

page_schema!(MemberPage, Member);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, add_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(create_invitation))
        .routes(routes!(get_me, update_me))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Part of a name or email address.
    pub search: Option<String>,
}

/// A new member and, when they have no password yet, their invitation link.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddedMember {
    pub member: Member,
    pub invitation: Option<InvitationLink>,
}

/// Members of the caller's organisation, by name.
#[utoipa::path(get, path = "/users", tag = "users", operation_id = "listUsers",
    params(UserListParams),
    responses((status = 200, description = "A page of members", body = MemberPage)))]
async fn list_users(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<UserListParams>,
) -> Result<Json<MemberPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request =
        PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)).map_err(err)?;
    let page = service::list(
        &state,
        &actor,
        params.search.as_deref().unwrap_or(""),
        request,
    )
    .await
    .map_err(err)?;
    Ok(Json(page.into()))
}

/// Adds a person to the organisation (admins). A new account gets an
/// invitation link to set a password.
#[utoipa::path(post, path = "/users", tag = "users", operation_id = "addUser",
    request_body = NewMemberInput,
    responses(
        (status = 201, description = "The new member", body = AddedMember),
        (status = 409, description = "Already a member", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn add_user(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewMemberInput>,
) -> Result<(StatusCode, Json<AddedMember>), ApiError> {
    service::add(&state, &actor, &input)
        .await
        .map(|(member, invitation)| {
            (
                StatusCode::CREATED,
                Json(AddedMember { member, invitation }),
            )
        })
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One member.
#[utoipa::path(get, path = "/users/{id}", tag = "users", operation_id = "getUser",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The member", body = Member)))]
async fn get_user(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Member>, ApiError> {
    service::get(&state, &actor, UserId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a member's role or deactivates them (admins). The last active
/// admin cannot be demoted or deactivated.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", operation_id = "updateUser",
    params(("id" = i64, Path, description = "User id")),
    request_body = MemberChangesInput,
    responses(
        (status = 200, description = "The updated member", body = Member),
        (status = 409, description = "The last admin would be lost", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_user(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MemberChangesInput>,
) -> Result<Json<Member>, ApiError> {
    service::update(&state, &actor, UserId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// A fresh invitation link for a member (admins); earlier links stop working.
#[utoipa::path(post, path = "/users/{id}/invitations", tag = "users", operation_id = "createInvitation",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 201, description = "The invitation link", body = InvitationLink),
        (status = 409, description = "The member is deactivated", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_invitation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<InvitationLink>), ApiError> {
    service::invite(&state, &actor, UserId(id))
        .await
        .map(|link| (StatusCode::CREATED, Json(link)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The caller's own account.
#[utoipa::path(get, path = "/me", tag = "users", operation_id = "getMe",
    responses((status = 200, description = "The caller", body = Profile)))]
async fn get_me(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Profile>, ApiError> {
    service::profile(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes the caller's name or language.
#[utoipa::path(patch, path = "/me", tag = "users", operation_id = "updateMe",
    request_body = ProfileInput,
    responses((status = 200, description = "The updated account", body = Profile)))]
async fn update_me(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<Profile>, ApiError> {
    service::update_profile(&state, &actor, &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
