//! The API of survey instruments and their versions.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Instrument, Version, VersionInput, service};
use crate::domain::InstrumentId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(InstrumentPage, Instrument);
page_schema!(VersionPage, Version);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_instruments))
        .routes(routes!(get_instrument, change_items))
        .routes(routes!(list_versions))
        .routes(routes!(get_version))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

/// An instrument with the items of its current version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentWithItems {
    #[serde(flatten)]
    pub instrument: Instrument,
    pub version: Version,
}

/// The organisation's readiness scan and pulse survey.
#[utoipa::path(get, path = "/survey-instruments", tag = "surveys", operation_id = "listSurveyInstruments",
    params(PageParams),
    responses((status = 200, description = "A page of instruments", body = InstrumentPage)))]
async fn list_instruments(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<InstrumentPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::instruments(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// An instrument with the items of its current version.
#[utoipa::path(get, path = "/survey-instruments/{id}", tag = "surveys", operation_id = "getSurveyInstrument",
    params(("id" = i64, Path, description = "Instrument id")),
    responses((status = 200, description = "The instrument", body = InstrumentWithItems)))]
async fn get_instrument(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InstrumentWithItems>, ApiError> {
    service::version(&state, &actor, InstrumentId(id), None)
        .await
        .map(|(instrument, version)| {
            Json(InstrumentWithItems {
                instrument,
                version,
            })
        })
        .map_err(err(&actor))
}

/// Replaces the item list, which makes a new version (the old one stays
/// as it was, for the waves that used it). Keep an item by its key,
/// restore a built-in one by its key, or add one of your own with a
/// dimension and a text. Sending the current list again changes nothing.
#[utoipa::path(put, path = "/survey-instruments/{id}", tag = "surveys", operation_id = "changeSurveyItems",
    params(("id" = i64, Path, description = "Instrument id")),
    request_body = VersionInput,
    responses(
        (status = 200, description = "The instrument with its (new) current version", body = InstrumentWithItems),
        (status = 409, description = "Another change came first", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn change_items(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<VersionInput>,
) -> Result<Json<InstrumentWithItems>, ApiError> {
    service::change_items(&state, &actor, InstrumentId(id), &input)
        .await
        .map(|(instrument, version)| {
            Json(InstrumentWithItems {
                instrument,
                version,
            })
        })
        .map_err(err(&actor))
}

/// The versions of an instrument, newest first (without their items).
#[utoipa::path(get, path = "/survey-instruments/{id}/versions", tag = "surveys", operation_id = "listSurveyVersions",
    params(("id" = i64, Path, description = "Instrument id"), PageParams),
    responses((status = 200, description = "A page of versions", body = VersionPage)))]
async fn list_versions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<VersionPage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = service::versions(&state, &actor, InstrumentId(id))
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// One version of an instrument with its items.
#[utoipa::path(get, path = "/survey-instruments/{id}/versions/{number}", tag = "surveys", operation_id = "getSurveyVersion",
    params(("id" = i64, Path, description = "Instrument id"), ("number" = i64, Path, description = "Version number")),
    responses((status = 200, description = "The version", body = Version)))]
async fn get_version(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
) -> Result<Json<Version>, ApiError> {
    service::version(&state, &actor, InstrumentId(id), Some(number))
        .await
        .map(|(_, version)| Json(version))
        .map_err(err(&actor))
}
