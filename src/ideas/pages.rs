//! Pages of the idea platform: the list with search and a form to post,
//! and one idea with its support button and, for its author, a form to
//! change it while that is allowed.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::service::{self, EDIT_WINDOW, IdeaQuery};
use super::{Idea, IdeaInput, IdeaOrder, IdeaState};
use crate::domain::{IdeaId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::pagination::{Page, PageParams, PageRequest};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ideas", get(list).post(create))
        .route("/ideas/{id}", get(show).post(save))
        .route("/ideas/{id}/support", post(support))
        .route("/ideas/{id}/triage", post(triage))
        .route("/ideas/{id}/initiative", post(promote))
        .route("/ideas/{id}/comments", post(comment))
        .route("/ideas/{id}/hidden", post(moderate))
        .route(
            "/ideas/{id}/comments/{comment_id}/hidden",
            post(moderate_comment),
        )
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct IdeaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    proposal: String,
    #[serde(default)]
    unit_id: String,
    /// Comma-separated.
    #[serde(default)]
    tags: String,
    /// One per line.
    #[serde(default)]
    links: String,
    hide_author: Option<String>,
    #[serde(default)]
    campaign_id: String,
}

impl IdeaForm {
    fn of(idea: &Idea) -> Self {
        Self {
            title: idea.title.clone(),
            problem: idea.problem.clone(),
            proposal: idea.proposal.clone(),
            unit_id: idea.unit_id.map(|u| u.0.to_string()).unwrap_or_default(),
            tags: idea.tags.join(", "),
            links: idea.links.join("\n"),
            hide_author: idea.author_hidden.then(|| "1".to_owned()),
            campaign_id: idea
                .campaign_id
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
        }
    }

    fn input(&self) -> IdeaInput {
        IdeaInput {
            title: Some(self.title.clone()),
            problem: Some(self.problem.clone()),
            proposal: Some(self.proposal.clone()),
            unit_id: Some(self.unit_id.trim().parse().ok()),
            tags: Some(
                self.tags
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            links: Some(
                self.links
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            hide_author: Some(self.hide_author.is_some()),
            campaign_id: Some(self.campaign_id.trim().parse().ok()),
        }
    }
}

/// Field errors of list items (`tags[2]`, `links[0]`) go beside their box.
fn relabel(error: crate::Error) -> crate::Error {
    crate::http::form::relabel(error, |field| {
        ["tags", "links"]
            .iter()
            .find(|f| field.starts_with(&format!("{f}[")))
            .map(|f| (*f).to_owned())
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
    #[serde(default)]
    search: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    order: String,
    #[serde(default)]
    campaign: String,
}

pub struct IdeaRow {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub supports: i64,
    pub author: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ideas/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<IdeaRow>,
    total: i64,
    page: u32,
    page_count: u32,
    previous: Option<String>,
    next: Option<String>,
    search: String,
    no_error: Option<&'static str>,
    states: Vec<Choice>,
    orders: Vec<Choice>,
    can_share: bool,
    units: Vec<Choice>,
    campaigns: Vec<Choice>,
    /// Campaigns open today, for the notice above the list.
    open_campaigns: Vec<super::campaigns::Campaign>,
    /// The campaign the list is filtered on.
    campaign: Option<super::campaigns::Campaign>,
    form: IdeaForm,
    errors: FormErrors,
}

/// The campaigns an idea may answer: those open today, and the one it
/// answers already.
async fn campaign_choices(
    state: &AppState,
    page: &PageContext,
    selected: &str,
) -> Result<(Vec<Choice>, Vec<super::campaigns::Campaign>), PageError> {
    let all = super::campaigns::list(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let choices = std::iter::once(Choice {
        value: String::new(),
        label: page.t.get("ideas.no_campaign").to_owned(),
        selected: selected.is_empty(),
    })
    .chain(
        all.iter()
            .filter(|c| {
                c.status == super::campaigns::CampaignStatus::Open || c.id.0.to_string() == selected
            })
            .map(|c| Choice {
                value: c.id.0.to_string(),
                label: c.title.clone(),
                selected: c.id.0.to_string() == selected,
            }),
    )
    .collect();
    let open = all
        .into_iter()
        .filter(|c| c.status == super::campaigns::CampaignStatus::Open)
        .collect();
    Ok((choices, open))
}

fn author_text(t: Tr, idea: &Idea) -> String {
    match &idea.author {
        Some(author) if idea.author_hidden => {
            format!("{} ({})", author.name, t.get("ideas.name_hidden_short"))
        }
        Some(author) => author.name.clone(),
        None => t.get("ideas.name_hidden").to_owned(),
    }
}

fn choices<T: Copy + PartialEq>(
    t: Tr,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    any: &str,
    selected: &str,
) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: t.get(any).to_owned(),
        selected: selected.is_empty(),
    })
    .chain(all.iter().map(|v| Choice {
        value: code(*v).to_owned(),
        label: t.get(label(*v)).to_owned(),
        selected: code(*v) == selected,
    }))
    .collect()
}

async fn unit_choices(
    state: &AppState,
    page: &PageContext,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(|e| page.error(e))?;
    Ok(std::iter::once(Choice {
        value: String::new(),
        label: page.t.get("ideas.no_unit").to_owned(),
        selected: selected.is_empty(),
    })
    .chain(units.iter().filter(|u| !u.is_archived()).map(|u| Choice {
        value: u.id.0.to_string(),
        label: u.name.clone(),
        selected: u.id.0.to_string() == selected,
    }))
    .collect())
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    query: ListQuery,
    form: IdeaForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let request = PageRequest::from_params(&PageParams {
        page: query.page,
        page_size: Some(25),
    })
    .map_err(err)?;
    let campaign_id = query
        .campaign
        .trim()
        .parse()
        .ok()
        .map(crate::domain::CampaignId);
    let filter = IdeaQuery {
        search: query.search.clone(),
        state: IdeaState::parse(&query.state).ok(),
        campaign: campaign_id,
        order: IdeaOrder::parse(&query.order).ok(),
    };
    let all = service::list(state, &page.actor, &filter)
        .await
        .map_err(err)?;
    let list = Page::from_all(all, request);
    let rows = list
        .items
        .iter()
        .map(|i| IdeaRow {
            id: i.id.0,
            title: i.title.clone(),
            state: t.get(i.state.label_key()).to_owned(),
            supports: i.supports,
            author: author_text(t, i),
        })
        .collect();
    let link = |n: u32| {
        let params = serde_urlencoded::to_string([
            ("page", n.to_string()),
            ("search", query.search.clone()),
            ("state", query.state.clone()),
            ("order", query.order.clone()),
            ("campaign", query.campaign.clone()),
        ])
        .unwrap_or_default();
        format!("/ideas?{params}")
    };
    let mut form = form;
    if form.campaign_id.is_empty() && errors.is_empty() {
        form.campaign_id = query.campaign.trim().to_owned();
    }
    let (campaigns, open) = campaign_choices(state, page, &form.campaign_id).await?;
    let campaign = match campaign_id {
        Some(id) => super::campaigns::get(state, &page.actor, id).await.ok(),
        None => None,
    };
    Ok(ListPage {
        shell: page.shell(t.get("ideas.title"), "ideas"),
        rows,
        total: list.total,
        previous: list.has_previous().then(|| link(list.page - 1)),
        next: list.has_next().then(|| link(list.page + 1)),
        page: list.page,
        page_count: list.page_count(),
        search: query.search.clone(),
        no_error: None,
        states: choices(
            t,
            IdeaState::ALL,
            IdeaState::code,
            IdeaState::label_key,
            "ideas.any_state",
            &query.state,
        ),
        orders: choices(
            t,
            IdeaOrder::ALL,
            IdeaOrder::code,
            IdeaOrder::label_key,
            "ideas.default_order",
            &query.order,
        ),
        can_share: page.actor.can(Permission::ShareIdeas),
        units: unit_choices(state, page, &form.unit_id).await?,
        campaign,
        campaigns,
        open_campaigns: open,
        form,
        errors,
    })
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        query,
        IdeaForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<IdeaForm>,
) -> Result<Response, PageError> {
    match service::create(&state, &page.actor, &form.input()).await {
        Ok(idea) => {
            page.flash(&state, "flash.idea_posted").await?;
            Ok(see_other(&format!("/ideas/{}", idea.id)))
        }
        Err(error) => {
            let errors = form_failure(relabel(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, ListQuery::default(), form, errors).await?,
            )
                .into_response())
        }
    }
}

/// The forms on the idea page as last sent (after a failure), else empty.
#[derive(Debug, Default)]
struct ShowForms {
    edit: Option<IdeaForm>,
    triage: Option<TriageForm>,
    comment: String,
    hide_reason: String,
}

pub struct CommentRow {
    pub comment: super::comments::Comment,
    pub when: String,
}

/// A gate decision of the initiative the idea became.
pub struct DecisionRow {
    pub date: String,
    pub from: String,
    pub to: String,
    pub outcome: String,
    pub by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ideas/show.html")]
struct ShowPage {
    shell: Shell,
    idea: Idea,
    state: String,
    author: String,
    unit: String,
    can_support: bool,
    can_edit: bool,
    can_comment: bool,
    can_moderate: bool,
    /// The campaign it answers: (id, title).
    campaign: Option<(i64, String)>,
    /// The initiative it became: (title, stage).
    became: Option<(String, String)>,
    decisions: Vec<DecisionRow>,
    effect_cards: Vec<crate::effects::pages::EffectCard>,
    comments: Vec<CommentRow>,
    comment: String,
    hide_reason: String,
    /// The states triage may move it to (empty: no triage form).
    next_states: Vec<Choice>,
    can_promote: bool,
    triage: TriageForm,
    units: Vec<Choice>,
    campaigns: Vec<Choice>,
    form: IdeaForm,
    errors: FormErrors,
}

/// What became of the idea: the initiative's title and stage, its gate
/// decisions and, once it went live, its estimated effects.
async fn became(
    state: &AppState,
    page: &PageContext,
    idea: &Idea,
) -> Result<
    (
        Option<(String, String)>,
        Vec<DecisionRow>,
        Vec<crate::effects::pages::EffectCard>,
    ),
    PageError,
> {
    let t = page.t;
    let err = |e| page.error(e);
    let Some(id) = idea.initiative_id else {
        return Ok((None, Vec::new(), Vec::new()));
    };
    let initiative = state
        .store()
        .initiative(page.actor.organisation_id, id)
        .await
        .map_err(err)?;
    let decisions = crate::portfolio::service::gate_decisions(state, &page.actor, id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|d| DecisionRow {
            date: d.decided_on.clone(),
            from: t.get(d.from_stage.label_key()).to_owned(),
            to: t.get(d.to_stage.label_key()).to_owned(),
            outcome: t.get(d.outcome.label_key()).to_owned(),
            by: d.decided_by,
        })
        .collect();
    let estimates = crate::effects::service::for_initiative(state, &page.actor, id)
        .await
        .map_err(err)?;
    let cards = if estimates.is_empty() {
        Vec::new()
    } else {
        let indicators = crate::indicators::service::all(state, &page.actor)
            .await
            .map_err(err)?;
        crate::effects::pages::initiative_cards(t, &estimates, &indicators)
    };
    Ok((
        Some((
            initiative.title,
            t.get(initiative.stage.label_key()).to_owned(),
        )),
        decisions,
        cards,
    ))
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: i64,
    forms: ShowForms,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let idea = service::get(state, &page.actor, IdeaId(id))
        .await
        .map_err(err)?;
    let form = forms.edit.unwrap_or_else(|| IdeaForm::of(&idea));
    let units = unit_choices(state, page, &form.unit_id).await?;
    let unit = idea
        .unit_id
        .and_then(|u| units.iter().find(|c| c.value == u.0.to_string()))
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let (campaigns, _) = campaign_choices(state, page, &form.campaign_id).await?;
    let campaign = match idea.campaign_id {
        Some(c) => super::campaigns::get(state, &page.actor, c)
            .await
            .ok()
            .map(|c| (c.id.0, c.title)),
        None => None,
    };
    let can_edit = idea.mine
        && idea.state == IdeaState::New
        && state.clock().now() - idea.created_at <= EDIT_WINDOW;
    let (became, decisions, effect_cards) = became(state, page, &idea).await?;
    let comments = super::comments::list(state, &page.actor, idea.id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|c| CommentRow {
            when: crate::home::format_time(c.created_at),
            comment: c,
        })
        .collect();
    let triager = page.actor.can(Permission::TriageIdeas);
    let triage = forms.triage.unwrap_or_default();
    let next_states = if triager {
        idea.state
            .next()
            .iter()
            .map(|s| Choice {
                value: s.code().to_owned(),
                label: t.get(s.label_key()).to_owned(),
                selected: s.code() == triage.state,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        became,
        decisions,
        effect_cards,
        comments,
        comment: forms.comment,
        hide_reason: forms.hide_reason,
        campaign,
        can_promote: triager
            && page.actor.can(Permission::ManagePortfolio)
            && idea.state == IdeaState::Accepted
            && idea.initiative_id.is_none(),
        can_moderate: triager,
        can_comment: page.actor.can(Permission::ShareIdeas),
        next_states,
        triage,
        shell: page.shell(&idea.title, "ideas"),
        state: t.get(idea.state.label_key()).to_owned(),
        author: author_text(t, &idea),
        unit,
        can_support: page.actor.can(Permission::ShareIdeas) && !idea.mine,
        can_edit,
        units,
        campaigns,
        idea,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    mut page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let shown = show_page(
        &state,
        &page,
        id,
        ShowForms::default(),
        FormErrors::default(),
    )
    .await?;
    // Reading the idea reads what one was told about it; the header's
    // count follows.
    let marked = crate::notifications::service::read_about_idea(&state, &page.actor, IdeaId(id))
        .await
        .map_err(|e| page.error(e))?;
    if marked > 0 {
        page.unread = (page.unread - i64::try_from(marked).unwrap_or(0)).max(0);
        let mut shown = shown;
        shown.shell = page.shell(&shown.idea.title, "ideas");
        return Ok(shown.into_response());
    }
    Ok(shown.into_response())
}

/// Answers a failed form with the idea page, the form as sent, and the
/// messages beside its fields.
async fn failed(
    state: &AppState,
    page: &PageContext,
    id: i64,
    forms: ShowForms,
    error: crate::Error,
) -> Result<Response, PageError> {
    let errors = form_failure(error, page)?;
    Ok((
        StatusCode::BAD_REQUEST,
        show_page(state, page, id, forms, errors).await?,
    )
        .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<IdeaForm>,
) -> Result<Response, PageError> {
    match service::update(&state, &page.actor, IdeaId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.idea_saved").await?;
            Ok(see_other(&format!("/ideas/{id}")))
        }
        Err(error) => {
            let forms = ShowForms {
                edit: Some(form),
                ..ShowForms::default()
            };
            failed(&state, &page, id, forms, relabel(error)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SupportForm {
    #[serde(default)]
    on: String,
}

async fn support(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<SupportForm>,
) -> Result<Response, PageError> {
    service::support(&state, &page.actor, IdeaId(id), form.on == "1")
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!("/ideas/{id}")))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    reason: String,
}

async fn triage(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<TriageForm>,
) -> Result<Response, PageError> {
    let input = super::TriageInput {
        state: Some(form.state.clone()),
        reason: Some(form.reason.clone()),
    };
    match service::triage(&state, &page.actor, IdeaId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.idea_triaged").await?;
            Ok(see_other(&format!("/ideas/{id}")))
        }
        Err(error) => {
            let forms = ShowForms {
                triage: Some(form),
                ..ShowForms::default()
            };
            failed(&state, &page, id, forms, error).await
        }
    }
}

async fn promote(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let initiative = service::promote(&state, &page.actor, IdeaId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.idea_promoted").await?;
    Ok(see_other(&format!("/initiatives/{}", initiative.id)))
}

#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

async fn comment(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CommentForm>,
) -> Result<Response, PageError> {
    let input = super::comments::CommentInput {
        body: Some(form.body.clone()),
    };
    match super::comments::create(&state, &page.actor, IdeaId(id), &input).await {
        Ok(comment) => {
            page.flash(&state, "flash.comment_posted").await?;
            Ok(see_other(&format!("/ideas/{id}#comment-{}", comment.id)))
        }
        Err(error) => {
            let forms = ShowForms {
                comment: form.body,
                ..ShowForms::default()
            };
            failed(&state, &page, id, forms, error).await
        }
    }
}

/// Hiding (with a reason) or showing again, from a moderator's form.
#[derive(Debug, Default, Deserialize)]
pub struct ModerationForm {
    #[serde(default)]
    hide: String,
    #[serde(default)]
    reason: String,
}

/// The idea's own moderation form names its reason apart from triage's.
#[derive(Debug, Default, Deserialize)]
pub struct IdeaModerationForm {
    #[serde(default)]
    hide: String,
    #[serde(default)]
    hide_reason: String,
}

impl ModerationForm {
    fn input(&self) -> Option<super::moderation::HideInput> {
        (self.hide == "1").then(|| super::moderation::HideInput {
            reason: Some(self.reason.clone()),
        })
    }
}

async fn moderate(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<IdeaModerationForm>,
) -> Result<Response, PageError> {
    let form = ModerationForm {
        hide: form.hide,
        reason: form.hide_reason,
    };
    let input = form.input();
    match super::moderation::moderate_idea(&state, &page.actor, IdeaId(id), input.as_ref()).await {
        Ok(_) => {
            page.flash(&state, "flash.idea_moderated").await?;
            Ok(see_other(&format!("/ideas/{id}")))
        }
        Err(error) => {
            let forms = ShowForms {
                hide_reason: form.reason,
                ..ShowForms::default()
            };
            let error = error.rename_fields(|f| (f == "reason").then(|| "hide_reason".to_owned()));
            failed(&state, &page, id, forms, error).await
        }
    }
}

async fn moderate_comment(
    State(state): State<AppState>,
    page: PageContext,
    PagePath((id, comment)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<ModerationForm>,
) -> Result<Response, PageError> {
    let input = form.input();
    let done = super::comments::moderate(
        &state,
        &page.actor,
        IdeaId(id),
        crate::domain::IdeaCommentId(comment),
        input.as_ref(),
    )
    .await;
    match done {
        Ok(_) => {
            page.flash(&state, "flash.comment_moderated").await?;
            Ok(see_other(&format!("/ideas/{id}#comment-{comment}")))
        }
        Err(error) => {
            let error = error
                .rename_fields(|f| (f == "reason").then(|| format!("comment-{comment}-reason")));
            failed(&state, &page, id, ShowForms::default(), error).await
        }
    }
}
