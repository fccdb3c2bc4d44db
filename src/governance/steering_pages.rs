//! Pages for governance bodies and their meetings, and the decision log
//! with follow-up actions.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{Choice, form_failure, parse_people, people_text};
use super::steering::{
    ActionInput, ActionStatus, BodyInput, BodyKind, Decision, DecisionAction, DecisionInput,
    DecisionStatus, GovernanceBody, Meeting, MeetingInput,
};
use super::steering_api::DecisionListParams;
use super::steering_service as service;
use super::{ProgrammeSummary, service as programmes};
use crate::domain::{BodyId, DecisionActionId, DecisionId, Permission, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::pagination::{Page, PageRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes/{id}/bodies", get(bodies).post(create_body))
        .route("/bodies/{id}", get(body).post(save_body))
        .route("/bodies/{id}/meetings", post(record_meeting))
        .route(
            "/programmes/{id}/decisions",
            get(decisions).post(create_decision),
        )
        .route("/decisions/{id}", get(decision).post(save_decision))
        .route("/decisions/{id}/actions", post(add_action))
        .route("/decision-actions/{id}", post(set_action_status))
}

fn kind_choices(t: Tr, selected: &str) -> Vec<Choice> {
    BodyKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().to_owned(),
            label: t.get(k.label_key()).to_owned(),
            selected: k.code() == selected,
        })
        .collect()
}

fn status_choices(t: Tr, all_label: Option<&str>, selected: &str) -> Vec<Choice> {
    let mut list: Vec<Choice> = all_label
        .map(|label| Choice {
            value: String::new(),
            label: label.to_owned(),
            selected: selected.is_empty(),
        })
        .into_iter()
        .collect();
    list.extend(DecisionStatus::ALL.iter().map(|s| Choice {
        value: s.code().to_owned(),
        label: t.get(s.label_key()).to_owned(),
        selected: s.code() == selected,
    }));
    list
}

fn body_choices(bodies: &[GovernanceBody], none_label: &str, selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: none_label.to_owned(),
        selected: selected.is_empty(),
    }];
    list.extend(bodies.iter().map(|b| Choice {
        value: b.id.0.to_string(),
        label: b.name.clone(),
        selected: b.id.0.to_string() == selected,
    }));
    list
}

/// A number typed in a form: empty is `None`, anything unreadable is 0 so
/// that validation names the field.
fn optional_number(text: &str) -> Option<i64> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.parse().unwrap_or(0))
}

// ---- bodies ----

#[derive(Debug, Default, Clone, Deserialize)]
struct BodyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    cadence_weeks: String,
    #[serde(default)]
    members: String,
}

impl BodyForm {
    fn input(&self) -> BodyInput {
        BodyInput {
            kind: BodyKind::parse(&self.kind).ok(),
            name: Some(self.name.clone()),
            cadence_weeks: Some(optional_number(&self.cadence_weeks)),
            members: Some(parse_people(&self.members)),
        }
    }

    fn of(body: &GovernanceBody) -> Self {
        BodyForm {
            kind: body.kind.code().to_owned(),
            name: body.name.clone(),
            cadence_weeks: body
                .cadence_weeks
                .map(|c| c.to_string())
                .unwrap_or_default(),
            members: people_text(&body.members),
        }
    }
}

fn body_errors(error: crate::Error) -> crate::Error {
    error.rename_fields(|f| f.starts_with("members[").then(|| "members".to_owned()))
}

pub struct BodyRow {
    pub body: GovernanceBody,
    pub kind: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/bodies.html")]
struct BodiesPage {
    shell: Shell,
    summary: ProgrammeSummary,
    rows: Vec<BodyRow>,
    can_manage: bool,
    form: BodyForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

async fn bodies_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    form: BodyForm,
    errors: FormErrors,
) -> Result<BodiesPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let summary = programmes::get(state, &page.actor, id).await.map_err(err)?;
    let rows = service::bodies(state, &page.actor, id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|body| BodyRow {
            kind: t.get(body.kind.label_key()),
            body,
        })
        .collect();
    let kind = if form.kind.is_empty() {
        BodyKind::SteeringCommittee.code().to_owned()
    } else {
        form.kind.clone()
    };
    Ok(BodiesPage {
        shell: page.shell(t.get("bodies.title"), "programmes"),
        summary,
        rows,
        can_manage: page.actor.can(Permission::ManageGovernance),
        kinds: kind_choices(t, &kind),
        form,
        errors,
    })
}

async fn bodies(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(bodies_page(
        &state,
        &page,
        ProgrammeId(id),
        BodyForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create_body(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<BodyForm>,
) -> Result<Response, PageError> {
    match service::create_body(&state, &page.actor, ProgrammeId(id), &form.input()).await {
        Ok(body) => {
            page.flash(&state, "flash.body_created").await?;
            Ok(see_other(&format!("/bodies/{}", body.id)))
        }
        Err(error) => {
            let errors = form_failure(body_errors(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                bodies_page(&state, &page, ProgrammeId(id), form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct MeetingForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    attendees: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    minutes: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/body.html")]
struct BodyPage {
    shell: Shell,
    body: GovernanceBody,
    kind: &'static str,
    programme_name: String,
    meetings: Vec<Meeting>,
    can_manage: bool,
    form: BodyForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
    meeting: MeetingForm,
    /// The two forms have distinct field names and share `errors`; this
    /// says which one failed, for the summary.
    meeting_failed: bool,
}

async fn body_page(
    state: &AppState,
    page: &PageContext,
    id: BodyId,
    form: Option<BodyForm>,
    errors: FormErrors,
    meeting: Option<MeetingForm>,
    meeting_errors: FormErrors,
) -> Result<BodyPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let body = service::body(state, &page.actor, id).await.map_err(err)?;
    let summary = programmes::get(state, &page.actor, body.programme_id)
        .await
        .map_err(err)?;
    let meetings = service::meetings(state, &page.actor, id)
        .await
        .map_err(err)?;
    let form = form.unwrap_or_else(|| BodyForm::of(&body));
    let meeting_form = meeting.clone().unwrap_or_else(|| MeetingForm {
        held_on: programmes::today_label(state),
        attendees: body
            .members
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        ..MeetingForm::default()
    });
    Ok(BodyPage {
        shell: page.shell(&body.name, "programmes"),
        kind: t.get(body.kind.label_key()),
        programme_name: summary.programme.name,
        meetings,
        can_manage: page.actor.can(Permission::ManageGovernance),
        kinds: kind_choices(t, &form.kind),
        form,
        meeting_failed: meeting.is_some() && !meeting_errors.is_empty(),
        errors: if meeting_errors.is_empty() {
            errors
        } else {
            meeting_errors
        },
        meeting: meeting_form,
        body,
    })
}

async fn body(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(body_page(
        &state,
        &page,
        BodyId(id),
        None,
        FormErrors::default(),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn save_body(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<BodyForm>,
) -> Result<Response, PageError> {
    match service::update_body(&state, &page.actor, BodyId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.body_saved").await?;
            Ok(see_other(&format!("/bodies/{id}")))
        }
        Err(error) => {
            let errors = form_failure(body_errors(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                body_page(
                    &state,
                    &page,
                    BodyId(id),
                    Some(form),
                    errors,
                    None,
                    FormErrors::default(),
                )
                .await?,
            )
                .into_response())
        }
    }
}

async fn record_meeting(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MeetingForm>,
) -> Result<Response, PageError> {
    let input = MeetingInput {
        held_on: Some(form.held_on.clone()),
        attendees: form
            .attendees
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        agenda: Some(form.agenda.clone()),
        minutes: Some(form.minutes.clone()),
    };
    let result = service::record_meeting(&state, &page.actor, BodyId(id), &input)
        .await
        .map_err(|e| {
            e.rename_fields(|f| f.starts_with("attendees[").then(|| "attendees".to_owned()))
        });
    match result {
        Ok(_) => {
            page.flash(&state, "flash.meeting_recorded").await?;
            Ok(see_other(&format!("/bodies/{id}#meetings")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                body_page(
                    &state,
                    &page,
                    BodyId(id),
                    None,
                    FormErrors::default(),
                    Some(form),
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

// ---- decisions ----

#[derive(Debug, Default, Clone, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    decided_on: String,
    /// The new-decision form names these `form_status` and `form_body_id`:
    /// the filter above it already has fields called `status` and `body_id`.
    #[serde(default, alias = "form_status")]
    status: String,
    #[serde(default, alias = "form_body_id")]
    body_id: String,
}

impl DecisionForm {
    fn input(&self) -> DecisionInput {
        DecisionInput {
            title: Some(self.title.clone()),
            rationale: Some(self.rationale.clone()),
            decided_on: Some(self.decided_on.clone()),
            status: DecisionStatus::parse(&self.status).ok(),
            body_id: Some(optional_number(&self.body_id)),
            ambition_ids: None,
            indicator_ids: None,
        }
    }
}

pub struct DecisionRow {
    pub decision: Decision,
    pub status: &'static str,
    pub body: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/decisions.html")]
struct DecisionsPage {
    shell: Shell,
    summary: ProgrammeSummary,
    rows: Page<DecisionRow>,
    statuses: Vec<Choice>,
    bodies: Vec<Choice>,
    search: String,
    overdue: bool,
    filtered: bool,
    pager_query: String,
    no_error: Option<&'static str>,
    can_manage: bool,
    form: DecisionForm,
    form_statuses: Vec<Choice>,
    form_bodies: Vec<Choice>,
    errors: FormErrors,
}

async fn decisions_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    params: &DecisionListParams,
    form: DecisionForm,
    errors: FormErrors,
) -> Result<DecisionsPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let summary = programmes::get(state, &page.actor, id).await.map_err(err)?;
    let bodies = service::bodies(state, &page.actor, id).await.map_err(err)?;
    let filter = params.filter().unwrap_or_default();
    let request = PageRequest::new(
        params.page.unwrap_or(1).max(1),
        params.page_size.unwrap_or(25).clamp(1, 100),
    )
    .unwrap_or_default();
    let names: HashMap<BodyId, String> = bodies.iter().map(|b| (b.id, b.name.clone())).collect();
    let rows = service::decisions(state, &page.actor, id, &filter, request)
        .await
        .map_err(err)?
        .map(|decision| DecisionRow {
            status: t.get(decision.status.label_key()),
            body: decision
                .body_id
                .and_then(|b| names.get(&b).cloned())
                .unwrap_or_default(),
            decision,
        });
    let status = filter.status.map_or("", DecisionStatus::code);
    let body = filter.body.map(|b| b.0.to_string()).unwrap_or_default();
    let page_size = request.page_size().to_string();
    let overdue = if filter.overdue_only { "true" } else { "" };
    let pager_query = serde_urlencoded::to_string([
        ("page_size", page_size.as_str()),
        ("status", status),
        ("body_id", body.as_str()),
        ("search", filter.search.as_str()),
        ("overdue", overdue),
    ])
    .map(|q| format!("{q}&"))
    .unwrap_or_default();
    let form = if form.decided_on.is_empty() && errors.is_empty() {
        DecisionForm {
            decided_on: programmes::today_label(state),
            status: DecisionStatus::Taken.code().to_owned(),
            ..form
        }
    } else {
        form
    };
    Ok(DecisionsPage {
        shell: page.shell(t.get("decisions.title"), "programmes"),
        statuses: status_choices(t, Some(t.get("decisions.all_statuses")), status),
        bodies: body_choices(&bodies, t.get("decisions.all_bodies"), &body),
        filtered: !(status.is_empty()
            && body.is_empty()
            && filter.search.trim().is_empty()
            && !filter.overdue_only),
        search: filter.search,
        overdue: filter.overdue_only,
        pager_query,
        no_error: None,
        can_manage: page.actor.can(Permission::ManageGovernance),
        form_statuses: status_choices(t, None, &form.status),
        form_bodies: body_choices(&bodies, t.get("decisions.no_body"), &form.body_id),
        form,
        errors,
        rows,
        summary,
    })
}

async fn decisions(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageQuery(params): PageQuery<DecisionListParams>,
) -> Result<Response, PageError> {
    Ok(decisions_page(
        &state,
        &page,
        ProgrammeId(id),
        &params,
        DecisionForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn create_decision(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    match service::create_decision(&state, &page.actor, ProgrammeId(id), &form.input()).await {
        Ok(decision) => {
            page.flash(&state, "flash.decision_recorded").await?;
            Ok(see_other(&format!("/decisions/{}", decision.id)))
        }
        Err(error) => {
            let error = error
                .rename_fields(|f| matches!(f, "status" | "body_id").then(|| format!("form_{f}")));
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                decisions_page(
                    &state,
                    &page,
                    ProgrammeId(id),
                    &DecisionListParams::default(),
                    form,
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

pub struct LinkChoice {
    pub name: String,
    pub label: String,
    pub checked: bool,
}

pub struct ActionRow {
    pub action: DecisionAction,
    pub status: &'static str,
    pub can_update: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ActionForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    due_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/decision.html")]
struct DecisionPage {
    shell: Shell,
    decision: Decision,
    status: &'static str,
    programme_name: String,
    can_manage: bool,
    form: DecisionForm,
    statuses: Vec<Choice>,
    bodies: Vec<Choice>,
    ambitions: Vec<LinkChoice>,
    indicators: Vec<LinkChoice>,
    errors: FormErrors,
    actions: Vec<ActionRow>,
    action: ActionForm,
    members: Vec<Choice>,
    /// The decision and action forms have distinct field names and share
    /// `errors`; this says which one failed, for the summary.
    action_failed: bool,
}

struct Submitted<'a> {
    form: &'a DecisionForm,
    links: &'a BTreeSet<String>,
}

async fn decision_page(
    state: &AppState,
    page: &PageContext,
    id: DecisionId,
    submitted: Option<Submitted<'_>>,
    errors: FormErrors,
    action: Option<ActionForm>,
    action_errors: FormErrors,
) -> Result<DecisionPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let decision = service::decision(state, &page.actor, id)
        .await
        .map_err(err)?;
    let summary = programmes::get(state, &page.actor, decision.programme_id)
        .await
        .map_err(err)?;
    let bodies = service::bodies(state, &page.actor, decision.programme_id)
        .await
        .map_err(err)?;
    let ambitions = programmes::ambitions(state, &page.actor, decision.programme_id)
        .await
        .map_err(err)?;
    let everything = PageRequest::new(1, 100).map_err(err)?;
    let indicators =
        crate::indicators::service::list(state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let can_manage = page.actor.can(Permission::ManageGovernance);
    // Only the action form needs the member list, and only managers see it
    // (others may not list the people of the organisation).
    let members = if can_manage {
        crate::users::service::list(state, &page.actor, "", everything)
            .await
            .map_err(err)?
            .items
    } else {
        Vec::new()
    };
    let actions = service::actions(state, &page.actor, id)
        .await
        .map_err(err)?;
    let form = submitted.as_ref().map_or_else(
        || DecisionForm {
            title: decision.title.clone(),
            rationale: decision.rationale.clone(),
            decided_on: decision.decided_on.clone(),
            status: decision.status.code().to_owned(),
            body_id: decision
                .body_id
                .map(|b| b.0.to_string())
                .unwrap_or_default(),
        },
        |s| s.form.clone(),
    );
    let checked = |name: &str, linked: bool| match &submitted {
        Some(s) => s.links.contains(name),
        None => linked,
    };
    let ambition_choices = ambitions
        .iter()
        .map(|a| {
            let name = format!("ambition_{}", a.id);
            LinkChoice {
                checked: checked(&name, decision.ambition_ids.contains(&a.id)),
                name,
                label: a.title.clone(),
            }
        })
        .collect();
    let indicator_choices = indicators
        .items
        .iter()
        .map(|s| {
            let name = format!("indicator_{}", s.indicator.id);
            LinkChoice {
                checked: checked(&name, decision.indicator_ids.contains(&s.indicator.id)),
                name,
                label: format!("{} — {}", s.indicator.code, s.indicator.name),
            }
        })
        .collect();
    let action = action.unwrap_or_default();
    let mut member_choices = vec![Choice {
        value: String::new(),
        label: t.get("actions.no_account").to_owned(),
        selected: action.owner_id.is_empty(),
    }];
    member_choices.extend(members.iter().filter(|m| m.active).map(|m| Choice {
        value: m.id.0.to_string(),
        label: m.name.clone(),
        selected: m.id.0.to_string() == action.owner_id,
    }));
    let actions = actions
        .into_iter()
        .map(|a| ActionRow {
            status: t.get(a.status.label_key()),
            can_update: can_manage || a.owner_id == Some(page.actor.user_id),
            action: a,
        })
        .collect();
    Ok(DecisionPage {
        shell: page.shell(&decision.title, "programmes"),
        status: t.get(decision.status.label_key()),
        programme_name: summary.programme.name,
        can_manage,
        statuses: status_choices(t, None, &form.status),
        bodies: body_choices(&bodies, t.get("decisions.no_body"), &form.body_id),
        form,
        ambitions: ambition_choices,
        indicators: indicator_choices,
        action_failed: !action_errors.is_empty(),
        errors: if action_errors.is_empty() {
            errors
        } else {
            action_errors
        },
        actions,
        action,
        members: member_choices,
        decision,
    })
}

async fn decision(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(decision_page(
        &state,
        &page,
        DecisionId(id),
        None,
        FormErrors::default(),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// The decision form with one checkbox per ambition and indicator, so it is
/// read as a map.
async fn save_decision(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let form = DecisionForm {
        title: field("title"),
        rationale: field("rationale"),
        decided_on: field("decided_on"),
        status: field("status"),
        body_id: field("body_id"),
    };
    let ids = |prefix: &str| -> Vec<i64> {
        fields
            .keys()
            .filter_map(|k| k.strip_prefix(prefix)?.parse().ok())
            .collect()
    };
    let input = DecisionInput {
        ambition_ids: Some(ids("ambition_")),
        indicator_ids: Some(ids("indicator_")),
        ..form.input()
    };
    match service::update_decision(&state, &page.actor, DecisionId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.decision_saved").await?;
            Ok(see_other(&format!("/decisions/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            let links: BTreeSet<String> = fields
                .keys()
                .filter(|k| k.starts_with("ambition_") || k.starts_with("indicator_"))
                .cloned()
                .collect();
            let submitted = Submitted {
                form: &form,
                links: &links,
            };
            Ok((
                StatusCode::BAD_REQUEST,
                decision_page(
                    &state,
                    &page,
                    DecisionId(id),
                    Some(submitted),
                    errors,
                    None,
                    FormErrors::default(),
                )
                .await?,
            )
                .into_response())
        }
    }
}

async fn add_action(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let owner = optional_number(&form.owner_id);
    let input = ActionInput {
        description: Some(form.description.clone()),
        owner_id: Some(owner),
        owner_name: Some(form.owner_name.clone()),
        due_on: Some(form.due_on.clone()),
        status: None,
    };
    match service::create_action(&state, &page.actor, DecisionId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.action_added").await?;
            Ok(see_other(&format!("/decisions/{id}#actions")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                decision_page(
                    &state,
                    &page,
                    DecisionId(id),
                    None,
                    FormErrors::default(),
                    Some(form),
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ActionStatusForm {
    #[serde(default)]
    status: String,
}

async fn set_action_status(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionStatusForm>,
) -> Result<Response, PageError> {
    // Another organisation's action is not found, whatever the form holds.
    service::action(&state, &page.actor, DecisionActionId(id))
        .await
        .map_err(|e| page.error(e))?;
    let status = ActionStatus::parse(&form.status)
        .map_err(|code| page.error(crate::Error::invalid("status", code)))?;
    let input = ActionInput {
        status: Some(status),
        ..ActionInput::default()
    };
    let action = service::update_action(&state, &page.actor, DecisionActionId(id), &input)
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.action_saved").await?;
    Ok(see_other(&format!(
        "/decisions/{}#actions",
        action.decision_id
    )))
}
