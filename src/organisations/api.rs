use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    CreatedOrganisation, Membership, NewOrganisationInput, Organisation, OrganisationInput, service,
};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson};
use crate::http::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_organisation, update_organisation))
        .routes(routes!(list_memberships))
        .routes(routes!(list_organisations, create_organisation))
}

crate::pagination::page_schema!(OrganisationPage, Organisation);

/// Every organisation of the installation (platform administrators).
#[utoipa::path(get, path = "/organisations", tag = "organisation", operation_id = "listOrganisations",
    params(crate::pagination::PageParams),
    responses((status = 200, description = "A page of organisations", body = OrganisationPage)))]
async fn list_organisations(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    crate::http::extract::ApiQuery(params): crate::http::extract::ApiQuery<
        crate::pagination::PageParams,
    >,
) -> Result<Json<OrganisationPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = crate::pagination::PageRequest::from_params(&params).map_err(err)?;
    let page = service::list_all(&state, &actor, request)
        .await
        .map_err(err)?;
    Ok(Json(page.into()))
}

/// Creates an organisation with its first admin (platform administrators).
/// A new admin account gets an invitation link to set a password.
#[utoipa::path(post, path = "/organisations", tag = "organisation", operation_id = "createOrganisation",
    request_body = NewOrganisationInput,
    responses(
        (status = 201, description = "The organisation, its admin and invitation", body = CreatedOrganisation),
        (status = 409, description = "The short name is taken", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_organisation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewOrganisationInput>,
) -> Result<(axum::http::StatusCode, Json<CreatedOrganisation>), ApiError> {
    service::create_with_admin(&state, &actor, &input)
        .await
        .map(|created| (axum::http::StatusCode::CREATED, Json(created)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The caller's current organisation.
#[utoipa::path(get, path = "/organisation", tag = "organisation", operation_id = "getOrganisation",
    responses((status = 200, description = "The organisation", body = Organisation)))]
async fn get_organisation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Organisation>, ApiError> {
    service::current(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes the organisation's settings (admins).
#[utoipa::path(patch, path = "/organisation", tag = "organisation", operation_id = "updateOrganisation",
    request_body = OrganisationInput,
    responses((status = 200, description = "The updated organisation", body = Organisation)))]
async fn update_organisation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Json<Organisation>, ApiError> {
    service::update(&state, &actor, &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The organisations the caller belongs to. Never more than a handful, so
/// one page holds them all.
#[utoipa::path(get, path = "/memberships", tag = "organisation", operation_id = "listMemberships",
    params(crate::pagination::PageParams),
    responses((status = 200, description = "The caller's memberships", body = MembershipPage)))]
async fn list_memberships(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    crate::http::extract::ApiQuery(params): crate::http::extract::ApiQuery<
        crate::pagination::PageParams,
    >,
) -> Result<Json<MembershipPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = crate::pagination::PageRequest::from_params(&params).map_err(err)?;
    let all = service::memberships(&state, &actor).await.map_err(err)?;
    Ok(Json(crate::pagination::Page::from_all(all, request).into()))
}

crate::pagination::page_schema!(MembershipPage, Membership);
