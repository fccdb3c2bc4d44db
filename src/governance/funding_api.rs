use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::funding::{self as service, BudgetLine, BudgetLineInput, CarryOverInput, CarryOverItem};
use crate::domain::{BudgetLineId, CarryOverId, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(BudgetLinePage, BudgetLine);
page_schema!(CarryOverPage, CarryOverItem);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_budget_lines, create_budget_line))
        .routes(routes!(
            get_budget_line,
            update_budget_line,
            delete_budget_line
        ))
        .routes(routes!(list_carry_over, create_carry_over))
        .routes(routes!(get_carry_over, update_carry_over))
}

/// A programme's budget lines by year: innovation money (own fund, external
/// co-financing) and, shown apart, the regular operating budget.
#[utoipa::path(get, path = "/programmes/{id}/budget-lines", tag = "governance", operation_id = "listBudgetLines",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of budget lines", body = BudgetLinePage)))]
async fn list_budget_lines(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<BudgetLinePage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::budget_lines(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Adds a budget line to a programme.
#[utoipa::path(post, path = "/programmes/{id}/budget-lines", tag = "governance", operation_id = "createBudgetLine",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = BudgetLineInput,
    responses((status = 201, description = "The budget line", body = BudgetLine)))]
async fn create_budget_line(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BudgetLineInput>,
) -> Result<(StatusCode, Json<BudgetLine>), ApiError> {
    service::create_budget_line(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|l| (StatusCode::CREATED, Json(l)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One budget line.
#[utoipa::path(get, path = "/budget-lines/{id}", tag = "governance", operation_id = "getBudgetLine",
    params(("id" = i64, Path, description = "Budget line id")),
    responses((status = 200, description = "The budget line", body = BudgetLine)))]
async fn get_budget_line(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BudgetLine>, ApiError> {
    service::budget_line(&state, &actor, BudgetLineId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a budget line.
#[utoipa::path(patch, path = "/budget-lines/{id}", tag = "governance", operation_id = "updateBudgetLine",
    params(("id" = i64, Path, description = "Budget line id")),
    request_body = BudgetLineInput,
    responses((status = 200, description = "The budget line", body = BudgetLine)))]
async fn update_budget_line(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BudgetLineInput>,
) -> Result<Json<BudgetLine>, ApiError> {
    service::update_budget_line(&state, &actor, BudgetLineId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Removes a budget line entered in error.
#[utoipa::path(delete, path = "/budget-lines/{id}", tag = "governance", operation_id = "deleteBudgetLine",
    params(("id" = i64, Path, description = "Budget line id")),
    responses((status = 200, description = "The removed line", body = BudgetLine)))]
async fn delete_budget_line(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BudgetLine>, ApiError> {
    service::delete_budget_line(&state, &actor, BudgetLineId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Goals of earlier programmes that were not met, carried into this one;
/// open ones first.
#[utoipa::path(get, path = "/programmes/{id}/carry-over-items", tag = "governance", operation_id = "listCarryOverItems",
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, description = "A page of carried-over goals", body = CarryOverPage)))]
async fn list_carry_over(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<CarryOverPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::carry_over_items(&state, &actor, ProgrammeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Records a goal carried over from an earlier programme.
#[utoipa::path(post, path = "/programmes/{id}/carry-over-items", tag = "governance", operation_id = "createCarryOverItem",
    params(("id" = i64, Path, description = "Programme id")),
    request_body = CarryOverInput,
    responses((status = 201, description = "The carried-over goal", body = CarryOverItem)))]
async fn create_carry_over(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CarryOverInput>,
) -> Result<(StatusCode, Json<CarryOverItem>), ApiError> {
    service::create_carry_over(&state, &actor, ProgrammeId(id), &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One carried-over goal.
#[utoipa::path(get, path = "/carry-over-items/{id}", tag = "governance", operation_id = "getCarryOverItem",
    params(("id" = i64, Path, description = "Carry-over id")),
    responses((status = 200, description = "The carried-over goal", body = CarryOverItem)))]
async fn get_carry_over(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CarryOverItem>, ApiError> {
    service::carry_over_item(&state, &actor, CarryOverId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes a carried-over goal: owner, plan, status.
#[utoipa::path(patch, path = "/carry-over-items/{id}", tag = "governance", operation_id = "updateCarryOverItem",
    params(("id" = i64, Path, description = "Carry-over id")),
    request_body = CarryOverInput,
    responses((status = 200, description = "The carried-over goal", body = CarryOverItem)))]
async fn update_carry_over(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CarryOverInput>,
) -> Result<Json<CarryOverItem>, ApiError> {
    service::update_carry_over(&state, &actor, CarryOverId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}
