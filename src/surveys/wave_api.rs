//! The API of survey waves: create and list them, hand out invitation
//! links (and new links as reminders) as CSV, and follow the response
//! rate. Answering is for respondents, through their link's page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::delivery::{self, Delivery, Occasion};
use super::wave_service::{self, Link};
use super::waves::{Progress, Wave, WaveInput};
use crate::domain::WaveId;
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::indicators::export::ExportFile;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(WavePage, Wave);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_waves, create_wave))
        .routes(routes!(get_wave))
        .routes(routes!(create_invitations))
        .routes(routes!(create_reminders))
        .routes(routes!(mail_invitations))
        .routes(routes!(mail_reminders))
        .routes(routes!(get_results))
        .routes(routes!(get_insights))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

/// A wave with its live response rate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WaveWithProgress {
    #[serde(flatten)]
    pub wave: Wave,
    pub progress: Progress,
}

/// The organisation's waves, newest first.
#[utoipa::path(get, path = "/survey-waves", tag = "surveys", operation_id = "listSurveyWaves",
    params(PageParams),
    responses((status = 200, description = "A page of waves", body = WavePage)))]
async fn list_waves(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<WavePage>, ApiError> {
    let request = PageRequest::from_params(&params).map_err(err(&actor))?;
    let all = wave_service::waves(&state, &actor)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Plans a wave: the instrument's version in use today, asked to the
/// employees of the chosen units (with the units below them) between two
/// dates.
#[utoipa::path(post, path = "/survey-waves", tag = "surveys", operation_id = "createSurveyWave",
    request_body = WaveInput,
    responses(
        (status = 201, description = "The wave", body = Wave),
        (status = 409, description = "A wave by this name exists", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_wave(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<WaveInput>,
) -> Result<(StatusCode, Json<Wave>), ApiError> {
    wave_service::create_wave(&state, &actor, &input)
        .await
        .map(|w| (StatusCode::CREATED, Json(w)))
        .map_err(err(&actor))
}

/// A wave with how many were invited and answered, overall and per unit.
#[utoipa::path(get, path = "/survey-waves/{id}", tag = "surveys", operation_id = "getSurveyWave",
    params(("id" = i64, Path, description = "Wave id")),
    responses((status = 200, description = "The wave", body = WaveWithProgress)))]
async fn get_wave(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WaveWithProgress>, ApiError> {
    let wave = wave_service::wave(&state, &actor, WaveId(id))
        .await
        .map_err(err(&actor))?;
    let progress = wave_service::progress(&state, &actor, wave.id)
        .await
        .map_err(err(&actor))?;
    Ok(Json(WaveWithProgress { wave, progress }))
}

/// The links as a CSV for a mail merge: number, name, unit, link.
pub fn links_csv(links: &[Link], filename: &str) -> Result<ExportFile, crate::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let failed = |_| crate::Error::Unexpected("writing the links CSV failed".into());
    writer
        .write_record(["number", "name", "unit", "link"])
        .map_err(failed)?;
    for link in links {
        writer
            .write_record([&link.number, &link.name, &link.unit, &link.url])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| crate::Error::Unexpected("writing the links CSV failed".into()))?;
    Ok(ExportFile {
        filename: filename.to_owned(),
        content_type: "text/csv; charset=utf-8",
        bytes,
    })
}

/// Invites every active employee of the wave's audience who has no
/// invitation yet. Answers with their one-time links as CSV (`;`-separated:
/// number, name, unit, link): Koers keeps only a hash of each link, so
/// this is the only time they can be had. Refused once the wave closed.
#[utoipa::path(post, path = "/survey-waves/{id}/invitations", tag = "surveys", operation_id = "createSurveyInvitations",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "The new links", content((String = "text/csv"))),
        (status = 409, description = "The wave has closed", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_invitations(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<ExportFile, ApiError> {
    let links = wave_service::invite(&state, &actor, WaveId(id))
        .await
        .map_err(err(&actor))?;
    links_csv(&links, &format!("uitnodigingen-{id}.csv")).map_err(err(&actor))
}

/// New links for everyone who has not answered yet (their earlier links
/// stop working), as CSV like the invitations.
#[utoipa::path(post, path = "/survey-waves/{id}/reminders", tag = "surveys", operation_id = "createSurveyReminders",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "The new links", content((String = "text/csv"))),
        (status = 409, description = "The wave has closed", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_reminders(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<ExportFile, ApiError> {
    let links = wave_service::remind(&state, &actor, WaveId(id))
        .await
        .map_err(err(&actor))?;
    links_csv(&links, &format!("herinneringen-{id}.csv")).map_err(err(&actor))
}

/// Invites every active employee of the wave's audience who has no
/// invitation yet by e-mail, each at the address of their account. The
/// links that could not be mailed come back, once, to be handed out some
/// other way. Refused, before any link is made, when no mail server is
/// configured.
#[utoipa::path(post, path = "/survey-waves/{id}/invitation-mails", tag = "surveys", operation_id = "mailSurveyInvitations",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "What was mailed, and the links that were not", body = Delivery),
        (status = 409, description = "The wave has closed, or no mail server is configured", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn mail_invitations(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Delivery>, ApiError> {
    delivery::mail(&state, &actor, WaveId(id), Occasion::Invitation)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Mails a new link to everyone who has not answered yet (their earlier
/// links stop working); links that could not be mailed come back once.
#[utoipa::path(post, path = "/survey-waves/{id}/reminder-mails", tag = "surveys", operation_id = "mailSurveyReminders",
    params(("id" = i64, Path, description = "Wave id")),
    responses(
        (status = 200, description = "What was mailed, and the links that were not", body = Delivery),
        (status = 409, description = "The wave has closed, or no mail server is configured", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn mail_reminders(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Delivery>, ApiError> {
    delivery::mail(&state, &actor, WaveId(id), Occasion::Reminder)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// A wave's results: the mean score per dimension for the organisation
/// and per unit (with the units below it), and the open answers. Groups
/// below the organisation's threshold are hidden, also where subtracting
/// shown groups from their total would reveal them; open answers appear
/// only when the wave has that many respondents, and without their unit
/// for smaller units.
#[utoipa::path(get, path = "/survey-waves/{id}/results", tag = "surveys", operation_id = "getSurveyResults",
    params(("id" = i64, Path, description = "Wave id")),
    responses((status = 200, description = "The results", body = super::results::Results)))]
async fn get_results(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<super::results::Results>, ApiError> {
    wave_service::results(&state, &actor, WaveId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// What the waves say together: each dimension's organisation-wide mean
/// over the waves of the scan and of the pulse survey (oldest first, with
/// the change between the last two shown), where management's scan and
/// the staff's barriers differ most (management minus staff, largest
/// difference first), and the factors and barriers below 3 in the latest
/// waves. Only means the waves showed (at least the organisation's
/// threshold of respondents) are used.
#[utoipa::path(get, path = "/survey-insights", tag = "surveys", operation_id = "getSurveyInsights",
    responses((status = 200, description = "Trends, disagreements and weak points", body = super::insight_service::Insights)))]
async fn get_insights(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<super::insight_service::Insights>, ApiError> {
    super::insight_service::insights(&state, &actor)
        .await
        .map(Json)
        .map_err(err(&actor))
}
