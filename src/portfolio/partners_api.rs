use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::partners::{
    FutureLab, InitiativePartner, LabInput, LabMember, LabMemberInput, Partner, PartnerInput,
    PartnerRoleInput,
};
use super::partners_service as service;
use crate::domain::{InitiativeId, LabId, PartnerId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(PartnerPage, Partner);
page_schema!(InitiativePartnerPage, InitiativePartner);
page_schema!(FutureLabPage, FutureLab);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_partners, create_partner))
        .routes(routes!(get_partner, update_partner, delete_partner))
        .routes(routes!(list_partner_roles))
        .routes(routes!(list_initiative_partners))
        .routes(routes!(set_partner_role, remove_partner_role))
        .routes(routes!(list_labs, create_lab))
        .routes(routes!(get_lab, update_lab))
        .routes(routes!(set_lab_member, remove_lab_member))
}

/// The organisation's partners by name.
#[utoipa::path(get, path = "/partners", tag = "portfolio", operation_id = "listPartners",
    params(PageParams),
    responses((status = 200, description = "A page of partners", body = PartnerPage)))]
async fn list_partners(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<PartnerPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::partners(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a partner organisation: government, company, knowledge institution
/// or civil society.
#[utoipa::path(post, path = "/partners", tag = "portfolio", operation_id = "createPartner",
    request_body = PartnerInput,
    responses(
        (status = 201, description = "The partner", body = Partner),
        (status = 409, description = "A partner by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<PartnerInput>,
) -> Result<(StatusCode, Json<Partner>), ApiError> {
    service::create_partner(&state, &actor, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One partner organisation.
#[utoipa::path(get, path = "/partners/{id}", tag = "portfolio", operation_id = "getPartner",
    params(("id" = i64, Path, description = "Partner id")),
    responses((status = 200, description = "The partner", body = Partner)))]
async fn get_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Partner>, ApiError> {
    service::partner(&state, &actor, PartnerId(id))
        .await
        .map(|(p, _)| Json(p))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Renames a partner or changes its kind.
#[utoipa::path(patch, path = "/partners/{id}", tag = "portfolio", operation_id = "updatePartner",
    params(("id" = i64, Path, description = "Partner id")),
    request_body = PartnerInput,
    responses(
        (status = 200, description = "The partner", body = Partner),
        (status = 409, description = "A partner by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PartnerInput>,
) -> Result<Json<Partner>, ApiError> {
    service::update_partner(&state, &actor, PartnerId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Removes a partner that has no role in any initiative and no lab
/// membership.
#[utoipa::path(delete, path = "/partners/{id}", tag = "portfolio", operation_id = "deletePartner",
    params(("id" = i64, Path, description = "Partner id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The partner still has roles or memberships", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::delete_partner(&state, &actor, PartnerId(id))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// A partner's roles in initiatives.
#[utoipa::path(get, path = "/partners/{id}/roles", tag = "portfolio", operation_id = "listPartnerRoles",
    params(("id" = i64, Path, description = "Partner id"), PageParams),
    responses((status = 200, description = "A page of roles", body = InitiativePartnerPage)))]
async fn list_partner_roles(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<InitiativePartnerPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let (_, roles) = service::partner(&state, &actor, PartnerId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(roles, request).into()))
}

/// The partners of an initiative with their roles, by name.
#[utoipa::path(get, path = "/initiatives/{id}/partners", tag = "portfolio", operation_id = "listInitiativePartners",
    params(("id" = i64, Path, description = "Initiative id"), PageParams),
    responses((status = 200, description = "A page of partners with roles", body = InitiativePartnerPage)))]
async fn list_initiative_partners(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<InitiativePartnerPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::initiative_partners(&state, &actor, InitiativeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Gives a partner a role in an initiative, or changes its role.
#[utoipa::path(put, path = "/initiatives/{id}/partners/{partner_id}", tag = "portfolio", operation_id = "setPartnerRole",
    params(("id" = i64, Path, description = "Initiative id"), ("partner_id" = i64, Path, description = "Partner id")),
    request_body = PartnerRoleInput,
    responses((status = 200, description = "The partner's role", body = InitiativePartner)))]
async fn set_partner_role(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, partner)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<PartnerRoleInput>,
) -> Result<Json<InitiativePartner>, ApiError> {
    service::set_role(&state, &actor, InitiativeId(id), PartnerId(partner), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Ends a partner's role in an initiative; removing twice changes nothing.
#[utoipa::path(delete, path = "/initiatives/{id}/partners/{partner_id}", tag = "portfolio", operation_id = "removePartnerRole",
    params(("id" = i64, Path, description = "Initiative id"), ("partner_id" = i64, Path, description = "Partner id")),
    responses((status = 204, description = "Removed")))]
async fn remove_partner_role(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, partner)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    service::remove_role(&state, &actor, InitiativeId(id), PartnerId(partner))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The organisation's future labs with members and hosted initiatives.
#[utoipa::path(get, path = "/future-labs", tag = "portfolio", operation_id = "listFutureLabs",
    params(PageParams),
    responses((status = 200, description = "A page of labs", body = FutureLabPage)))]
async fn list_labs(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FutureLabPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::labs(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Sets up a future lab; partners join it as members.
#[utoipa::path(post, path = "/future-labs", tag = "portfolio", operation_id = "createFutureLab",
    request_body = LabInput,
    responses(
        (status = 201, description = "The lab", body = FutureLab),
        (status = 409, description = "A lab by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_lab(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<LabInput>,
) -> Result<(StatusCode, Json<FutureLab>), ApiError> {
    service::create_lab(&state, &actor, &input)
        .await
        .map(|l| (StatusCode::CREATED, Json(l)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One future lab with its members and hosted initiatives.
#[utoipa::path(get, path = "/future-labs/{id}", tag = "portfolio", operation_id = "getFutureLab",
    params(("id" = i64, Path, description = "Lab id")),
    responses((status = 200, description = "The lab", body = FutureLab)))]
async fn get_lab(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FutureLab>, ApiError> {
    service::lab(&state, &actor, LabId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a lab's name, theme or description.
#[utoipa::path(patch, path = "/future-labs/{id}", tag = "portfolio", operation_id = "updateFutureLab",
    params(("id" = i64, Path, description = "Lab id")),
    request_body = LabInput,
    responses(
        (status = 200, description = "The lab", body = FutureLab),
        (status = 409, description = "A lab by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_lab(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<LabInput>,
) -> Result<Json<FutureLab>, ApiError> {
    service::update_lab(&state, &actor, LabId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Makes a partner a member of the lab, or changes what it contributes.
#[utoipa::path(put, path = "/future-labs/{id}/members/{partner_id}", tag = "portfolio", operation_id = "setLabMember",
    params(("id" = i64, Path, description = "Lab id"), ("partner_id" = i64, Path, description = "Partner id")),
    request_body = LabMemberInput,
    responses((status = 200, description = "The member", body = LabMember)))]
async fn set_lab_member(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, partner)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<LabMemberInput>,
) -> Result<Json<LabMember>, ApiError> {
    service::set_member(&state, &actor, LabId(id), PartnerId(partner), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Ends a partner's membership of the lab; removing twice changes nothing.
#[utoipa::path(delete, path = "/future-labs/{id}/members/{partner_id}", tag = "portfolio", operation_id = "removeLabMember",
    params(("id" = i64, Path, description = "Lab id"), ("partner_id" = i64, Path, description = "Partner id")),
    responses((status = 204, description = "Removed")))]
async fn remove_lab_member(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, partner)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    service::remove_member(&state, &actor, LabId(id), PartnerId(partner))
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::new(e, actor.locale))
}
