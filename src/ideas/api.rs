//! The API of the idea platform.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, IdeaQuery};
use super::{Idea, IdeaInput, IdeaOrder, IdeaState, TriageInput};
use crate::domain::{IdeaId, Validator};
use crate::http::AppState;
use crate::http::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use crate::http::problem::ApiError;
use crate::pagination::{Page, PageParams, PageRequest, page_schema};

page_schema!(IdeaPage, Idea);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_ideas, create_idea))
        .routes(routes!(get_idea, update_idea))
        .routes(routes!(support_idea, withdraw_support))
        .routes(routes!(triage_idea))
        .routes(routes!(promote_idea))
}

fn err(actor: &crate::auth::Actor) -> impl Fn(crate::Error) -> ApiError + '_ {
    move |e| ApiError::new(e, actor.locale)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdeaListParams {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Words that must all appear in the title, problem or proposal.
    pub search: Option<String>,
    /// Only ideas in this state: `new`, `under_review`, `accepted`,
    /// `declined` or `parked`.
    pub state: Option<String>,
    /// `newest` (default), `supports` (most first) or `state`.
    pub order: Option<String>,
    /// Only ideas that answer this campaign.
    pub campaign: Option<i64>,
}

/// The organisation's ideas: newest first, or by supports or state;
/// searchable. An author who hid their name shows without it, except to
/// themselves and to those who triage ideas.
#[utoipa::path(get, path = "/ideas", tag = "ideas", operation_id = "listIdeas",
    params(IdeaListParams),
    responses((status = 200, description = "A page of ideas", body = IdeaPage)))]
async fn list_ideas(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<IdeaListParams>,
) -> Result<Json<IdeaPage>, ApiError> {
    let request = PageRequest::from_params(&PageParams {
        page: params.page,
        page_size: params.page_size,
    })
    .map_err(err(&actor))?;
    let mut v = Validator::new();
    let idea_state = params
        .state
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| v.check("state", IdeaState::parse(s)));
    let order = params
        .order
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| v.check("order", IdeaOrder::parse(s)));
    v.finish(Some(())).map_err(err(&actor))?;
    let query = IdeaQuery {
        search: params.search.unwrap_or_default(),
        state: idea_state,
        campaign: params.campaign.map(crate::domain::CampaignId),
        order,
    };
    let all = service::list(&state, &actor, &query)
        .await
        .map_err(err(&actor))?;
    Ok(Json(Page::from_all(all, request).into()))
}

/// Posts an idea: the problem today and the smarter way proposed, with an
/// optional unit, tags and web links. `hide_author` keeps the author's
/// name from colleagues (not from those who triage ideas, nor from the
/// audit log).
#[utoipa::path(post, path = "/ideas", tag = "ideas", operation_id = "createIdea",
    request_body = IdeaInput,
    responses((status = 201, description = "The idea", body = Idea)))]
async fn create_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<IdeaInput>,
) -> Result<(StatusCode, Json<Idea>), ApiError> {
    service::create(&state, &actor, &input)
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(err(&actor))
}

/// One idea, as the caller may see it.
#[utoipa::path(get, path = "/ideas/{id}", tag = "ideas", operation_id = "getIdea",
    params(("id" = i64, Path, description = "Idea id")),
    responses((status = 200, description = "The idea", body = Idea)))]
async fn get_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Idea>, ApiError> {
    service::get(&state, &actor, IdeaId(id))
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// The author changes their idea; absent fields stay. Only while the idea
/// is new and within a day of posting.
#[utoipa::path(patch, path = "/ideas/{id}", tag = "ideas", operation_id = "updateIdea",
    params(("id" = i64, Path, description = "Idea id")),
    request_body = IdeaInput,
    responses(
        (status = 200, description = "The idea", body = Idea),
        (status = 409, description = "The edit window has closed", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<IdeaInput>,
) -> Result<Json<Idea>, ApiError> {
    service::update(&state, &actor, IdeaId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Supports the idea: once per person (supporting again changes nothing);
/// not one's own.
#[utoipa::path(put, path = "/ideas/{id}/support", tag = "ideas", operation_id = "supportIdea",
    params(("id" = i64, Path, description = "Idea id")),
    responses(
        (status = 200, description = "The idea with its supports", body = Idea),
        (status = 409, description = "One's own idea", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn support_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Idea>, ApiError> {
    service::support(&state, &actor, IdeaId(id), true)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Withdraws the caller's support (without one, changes nothing).
#[utoipa::path(delete, path = "/ideas/{id}/support", tag = "ideas", operation_id = "withdrawIdeaSupport",
    params(("id" = i64, Path, description = "Idea id")),
    responses((status = 200, description = "The idea with its supports", body = Idea)))]
async fn withdraw_support(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Idea>, ApiError> {
    service::support(&state, &actor, IdeaId(id), false)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Triage: moves the idea to `under_review`, `accepted`, `declined` or
/// `parked`, as its current state allows (accepted is final; declined and
/// parked ideas can be reviewed again). Declining and parking need a
/// reason, which the author reads.
#[utoipa::path(post, path = "/ideas/{id}/triage", tag = "ideas", operation_id = "triageIdea",
    params(("id" = i64, Path, description = "Idea id")),
    request_body = TriageInput,
    responses(
        (status = 200, description = "The idea in its new state", body = Idea),
        (status = 409, description = "Someone moved it meanwhile", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn triage_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TriageInput>,
) -> Result<Json<Idea>, ApiError> {
    service::triage(&state, &actor, IdeaId(id), &input)
        .await
        .map(Json)
        .map_err(err(&actor))
}

/// Promotes an accepted idea to an experiment in the portfolio (stage
/// idea, owned by the caller, with the idea's problem and proposal); the
/// idea then names the initiative. Once per idea.
#[utoipa::path(post, path = "/ideas/{id}/initiative", tag = "ideas", operation_id = "promoteIdea",
    params(("id" = i64, Path, description = "Idea id")),
    responses(
        (status = 201, description = "The new initiative", body = crate::portfolio::Initiative),
        (status = 409, description = "Not accepted, or promoted already", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn promote_idea(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<crate::portfolio::Initiative>), ApiError> {
    service::promote(&state, &actor, IdeaId(id))
        .await
        .map(|i| (StatusCode::CREATED, Json(i)))
        .map_err(err(&actor))
}
