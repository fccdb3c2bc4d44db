use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::funding::{FundingInput, FundingLine, FundingSummary, SpendEntry, SpendInput};
use super::{
    GateDecision, GateInput, Initiative, InitiativeFilter, InitiativeInput, InitiativeKind, Stage,
    service,
};
use crate::domain::{AmbitionId, InitiativeId, LabId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::export::{ExportFile, ExportParams};
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(InitiativePage, Initiative);
page_schema!(GateDecisionPage, GateDecision);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_initiatives, create_initiative))
        .routes(routes!(get_initiative, update_initiative))
        .routes(routes!(list_gate_decisions, decide))
        .routes(routes!(list_funding, add_funding))
        .routes(routes!(list_spend, add_spend))
        .routes(routes!(funding_summary))
        .routes(routes!(portfolio_funding))
        .routes(routes!(portfolio_balance))
        .routes(routes!(portfolio_export))
}

/// How initiatives and money spread over stages, technologies, ambitions
/// and funding sources. Every initiative counts, stopped ones too; one
/// with several tags or ambitions counts under each.
#[utoipa::path(get, path = "/portfolio-balance", tag = "portfolio", operation_id = "getPortfolioBalance",
    responses((status = 200, description = "The balance", body = super::balance::PortfolioBalance)))]
async fn portfolio_balance(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<super::balance::PortfolioBalance>, ApiError> {
    service::balance(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The initiatives that pass the filters as a spreadsheet: stage, tags,
/// ambitions, lab, partners and money (Dutch headers, `;` and decimal
/// comma for Dutch readers).
#[utoipa::path(get, path = "/portfolio-export", tag = "portfolio", operation_id = "exportPortfolio",
    params(InitiativeListParams, ExportParams),
    responses((status = 200, description = "The file", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn portfolio_export(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<InitiativeListParams>,
    ApiQuery(export): ApiQuery<ExportParams>,
) -> Result<ExportFile, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let filter = params.filter().map_err(err)?;
    let rows = service::export_rows(&state, &actor, &filter)
        .await
        .map_err(err)?;
    super::export::write(
        &rows,
        export.format.unwrap_or_default(),
        crate::i18n::Tr::new(actor.locale),
    )
    .map_err(err)
}

page_schema!(FundingLinePage, FundingLine);
page_schema!(SpendPage, SpendEntry);

/// An initiative's funding lines by year.
#[utoipa::path(get, path = "/initiatives/{id}/funding-lines", tag = "portfolio", operation_id = "listFundingLines",
    params(("id" = i64, Path, description = "Initiative id"), PageParams),
    responses((status = 200, description = "A page of funding lines", body = FundingLinePage)))]
async fn list_funding(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<FundingLinePage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let (lines, ..) = service::funding(&state, &actor, InitiativeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(lines, request).into()))
}

/// Adds a funding line: innovation budget, operating budget, or external
/// co-financing with funder, scheme and the application's status.
#[utoipa::path(post, path = "/initiatives/{id}/funding-lines", tag = "portfolio", operation_id = "addFundingLine",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = FundingInput,
    responses((status = 201, description = "The funding line", body = FundingLine)))]
async fn add_funding(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FundingInput>,
) -> Result<(StatusCode, Json<FundingLine>), ApiError> {
    service::add_funding(&state, &actor, InitiativeId(id), &input)
        .await
        .map(|l| (StatusCode::CREATED, Json(l)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// An initiative's spend ledger by date.
#[utoipa::path(get, path = "/initiatives/{id}/spend", tag = "portfolio", operation_id = "listSpend",
    params(("id" = i64, Path, description = "Initiative id"), PageParams),
    responses((status = 200, description = "A page of spend entries", body = SpendPage)))]
async fn list_spend(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<SpendPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let (_, spend, _) = service::funding(&state, &actor, InitiativeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(spend, request).into()))
}

/// Records spend, charged to one funding source.
#[utoipa::path(post, path = "/initiatives/{id}/spend", tag = "portfolio", operation_id = "addSpend",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = SpendInput,
    responses((status = 201, description = "The spend entry", body = SpendEntry)))]
async fn add_spend(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SpendInput>,
) -> Result<(StatusCode, Json<SpendEntry>), ApiError> {
    service::add_spend(&state, &actor, InitiativeId(id), &input)
        .await
        .map(|s| (StatusCode::CREATED, Json(s)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Budget against spend per source for one initiative, innovation money
/// apart from the operating budget.
#[utoipa::path(get, path = "/initiatives/{id}/funding-summary", tag = "portfolio", operation_id = "getFundingSummary",
    params(("id" = i64, Path, description = "Initiative id")),
    responses((status = 200, description = "The totals", body = FundingSummary)))]
async fn funding_summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FundingSummary>, ApiError> {
    service::funding(&state, &actor, InitiativeId(id))
        .await
        .map(|(_, _, summary)| Json(summary))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Budget against spend per source for the whole portfolio.
#[utoipa::path(get, path = "/portfolio-funding", tag = "portfolio", operation_id = "getPortfolioFunding",
    responses((status = 200, description = "The totals", body = FundingSummary)))]
async fn portfolio_funding(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<FundingSummary>, ApiError> {
    service::portfolio_funding(&state, &actor)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InitiativeListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only initiatives in this stage.
    #[param(value_type = Option<Stage>)]
    pub stage: Option<String>,
    /// Only initiatives of this kind.
    #[param(value_type = Option<InitiativeKind>)]
    pub kind: Option<String>,
    /// Only initiatives with this technology tag.
    pub technology: Option<String>,
    /// Only initiatives linked to this ambition.
    pub ambition_id: Option<i64>,
    /// Only initiatives hosted by this future lab.
    pub lab_id: Option<i64>,
    /// Part of the title, problem or hypothesis.
    pub search: Option<String>,
}

fn given(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl InitiativeListParams {
    pub fn filter(&self) -> Result<InitiativeFilter, crate::Error> {
        let mut v = crate::domain::Validator::new();
        let stage = given(self.stage.as_ref()).and_then(|s| v.check("stage", Stage::parse(s)));
        let kind =
            given(self.kind.as_ref()).and_then(|k| v.check("kind", InitiativeKind::parse(k)));
        v.finish(Some(InitiativeFilter {
            stage,
            kind,
            technology: given(self.technology.as_ref()).map(str::to_owned),
            ambition: self.ambition_id.map(AmbitionId),
            lab: self.lab_id.map(LabId),
            search: self.search.clone().unwrap_or_default(),
        }))
    }
}

/// The portfolio's initiatives by title, with filters and search.
#[utoipa::path(get, path = "/initiatives", tag = "portfolio", operation_id = "listInitiatives",
    params(InitiativeListParams),
    responses((status = 200, description = "A page of initiatives", body = InitiativePage)))]
async fn list_initiatives(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<InitiativeListParams>,
) -> Result<Json<InitiativePage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request =
        PageRequest::new(params.page.unwrap_or(1), params.page_size.unwrap_or(25)).map_err(err)?;
    let filter = params.filter().map_err(err)?;
    let page = service::list(&state, &actor, &filter, request)
        .await
        .map_err(err)?;
    Ok(Json(page.into()))
}

/// Adds an initiative; it starts as an idea.
#[utoipa::path(post, path = "/initiatives", tag = "portfolio", operation_id = "createInitiative",
    request_body = InitiativeInput,
    responses((status = 201, description = "The initiative", body = Initiative)))]
async fn create_initiative(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<InitiativeInput>,
) -> Result<(StatusCode, Json<Initiative>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// One initiative with its links.
#[utoipa::path(get, path = "/initiatives/{id}", tag = "portfolio", operation_id = "getInitiative",
    params(("id" = i64, Path, description = "Initiative id")),
    responses((status = 200, description = "The initiative", body = Initiative)))]
async fn get_initiative(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Initiative>, ApiError> {
    service::get(&state, &actor, InitiativeId(id))
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// Changes an initiative; its stage changes only through gate decisions.
#[utoipa::path(patch, path = "/initiatives/{id}", tag = "portfolio", operation_id = "updateInitiative",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = InitiativeInput,
    responses(
        (status = 200, description = "The initiative", body = Initiative),
        (status = 409, description = "Changed by someone else since the `version` sent (`edit_conflict`); nothing written",
         body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_initiative(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<InitiativeInput>,
) -> Result<Json<Initiative>, ApiError> {
    service::update(&state, &actor, InitiativeId(id), &input)
        .await
        .map(Json)
        .map_err(|e| ApiError::new(e, actor.locale))
}

/// The gate decisions that moved an initiative, oldest first.
#[utoipa::path(get, path = "/initiatives/{id}/gate-decisions", tag = "portfolio", operation_id = "listGateDecisions",
    params(("id" = i64, Path, description = "Initiative id"), PageParams),
    responses((status = 200, description = "A page of gate decisions", body = GateDecisionPage)))]
async fn list_gate_decisions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<GateDecisionPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::gate_decisions(&state, &actor, InitiativeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Takes a gate decision: continue (one stage on, up to the pilot), scale
/// (pilot → scaling → in operation), pivot (stay or go back, at most to
/// exploration) or stop (with what was learned). Evidence is required for
/// every learning goal.
#[utoipa::path(post, path = "/initiatives/{id}/gate-decisions", tag = "portfolio", operation_id = "takeGateDecision",
    params(("id" = i64, Path, description = "Initiative id")),
    request_body = GateInput,
    responses(
        (status = 201, description = "The decision; the initiative has moved", body = GateDecision),
        (status = 409, description = "The initiative is in operation or stopped, or moved meanwhile", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn decide(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<GateInput>,
) -> Result<(StatusCode, Json<GateDecision>), ApiError> {
    service::decide(&state, &actor, InitiativeId(id), &input)
        .await
        .map(|d| (StatusCode::CREATED, Json(d)))
        .map_err(|e| ApiError::new(e, actor.locale))
}
