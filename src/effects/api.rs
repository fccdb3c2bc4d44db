use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::assess::EffectEstimate;
use super::service;
use crate::domain::{IndicatorId, InitiativeId};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(EffectPage, EffectEstimate);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(initiative_effects))
        .routes(routes!(indicator_effects))
        .routes(routes!(effect_ranking))
}

/// What the initiative did to each indicator it should move: the average
/// and cumulative effect since go-live with 95% intervals, the expected
/// values without the initiative, the effect per 1,000 euro spent, and
/// warnings; or, per indicator, why no estimate can be given (`refusal`).
/// Empty until the initiative has a go-live date.
#[utoipa::path(get, path = "/initiatives/{id}/effects", tag = "effects", operation_id = "listInitiativeEffects",
    params(("id" = i64, Path, description = "Initiative id"), PageParams),
    responses((status = 200, description = "A page of estimates", body = EffectPage)))]
async fn initiative_effects(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<EffectPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::for_initiative(&state, &actor, InitiativeId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// The estimated effect on this indicator of every initiative that went
/// live and should move it.
#[utoipa::path(get, path = "/indicators/{id}/effects", tag = "effects", operation_id = "listIndicatorEffects",
    params(("id" = i64, Path, description = "Indicator id"), PageParams),
    responses((status = 200, description = "A page of estimates", body = EffectPage)))]
async fn indicator_effects(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<EffectPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::for_indicator(&state, &actor, IndicatorId(id))
        .await
        .map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Every estimate of the portfolio ranked by the pessimistic end of the
/// relative effect's interval per 1,000 euro spent (in the direction each
/// initiative should move its indicator); estimates without spend follow,
/// refusals last.
#[utoipa::path(get, path = "/effects", tag = "effects", operation_id = "listEffectRanking",
    params(PageParams),
    responses((status = 200, description = "A page of estimates", body = EffectPage)))]
async fn effect_ranking(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<EffectPage>, ApiError> {
    let err = |e| ApiError::new(e, actor.locale);
    let request = PageRequest::from_params(&params).map_err(err)?;
    let all = service::ranking(&state, &actor).await.map_err(err)?;
    Ok(Json(Page::from_all(all, request).into()))
}
