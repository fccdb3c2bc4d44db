//! Programme pages: the list, one programme's vision, ambitions, executive
//! and health, and the forms that keep them on record.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::api::{HealthCheckView, worst};
use super::service::{self, ProgrammeOverview};
use super::{
    Ambition, AmbitionInput, CoCreationInput, Commitment, ConfirmationInput, ExecutiveInput,
    ExecutiveTerm, Participant, ProgrammeInput, ProgrammeStatus, ProgrammeSummary, Verdict,
};
use crate::domain::{AmbitionId, ExecutiveTermId, IndicatorId, Permission, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list).post(create))
        .route("/programmes/{id}", get(show))
        .route("/programmes/{id}/edit", get(edit).post(save))
        .route("/programmes/{id}/ambitions", post(add_ambition))
        .route("/ambitions/{id}", get(ambition).post(save_ambition))
        .route("/ambitions/{id}/delete", post(remove_ambition))
        .route(
            "/programmes/{id}/executives/new",
            get(new_executive).post(record_executive),
        )
        .route(
            "/programmes/{id}/executives/{term}/confirm",
            get(confirmation).post(confirm),
        )
        .route(
            "/programmes/{id}/sessions/new",
            get(new_session).post(record_session),
        )
}

/// One option of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn verdict_badge(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "utrecht-status-badge--success",
        Verdict::Warning => "utrecht-status-badge--warning",
        Verdict::Fail => "utrecht-status-badge--danger",
    }
}

pub fn commitment_badge(commitment: Commitment) -> &'static str {
    match commitment {
        Commitment::Confirmed => "utrecht-status-badge--success",
        Commitment::AwaitingConfirmation => "utrecht-status-badge--warning",
        Commitment::RenewedCommitmentNeeded | Commitment::NoExecutive => {
            "utrecht-status-badge--danger"
        }
    }
}

/// A health panel as pages show it.
pub struct HealthPanel {
    pub programme_id: i64,
    pub programme_name: String,
    pub verdict_label: &'static str,
    pub verdict_badge: &'static str,
    pub checks: Vec<HealthRow>,
}

pub struct HealthRow {
    pub view: HealthCheckView,
    pub badge: &'static str,
    pub verdict_label: &'static str,
}

pub fn health_panel(
    t: Tr,
    summary: &ProgrammeSummary,
    checks: &[super::HealthCheck],
) -> HealthPanel {
    let verdict = worst(checks);
    HealthPanel {
        programme_id: summary.programme.id.0,
        programme_name: summary.programme.name.clone(),
        verdict_label: t.get(&format!("health.verdict.{}", verdict.code())),
        verdict_badge: verdict_badge(verdict),
        checks: checks
            .iter()
            .map(|c| HealthRow {
                view: HealthCheckView::of(c, t),
                badge: verdict_badge(c.verdict),
                verdict_label: t.get(&format!("health.verdict.{}", c.verdict.code())),
            })
            .collect(),
    }
}

fn status_choices(t: Tr, selected: &str) -> Vec<Choice> {
    ProgrammeStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_owned(),
            label: t.get(s.label_key()).to_owned(),
            selected: s.code() == selected,
        })
        .collect()
}

/// The programme form as it arrives: text everywhere.
#[derive(Debug, Default, Clone, Deserialize)]
struct ProgrammeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    vision: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    status: String,
}

impl ProgrammeForm {
    fn input(&self) -> ProgrammeInput {
        ProgrammeInput {
            name: Some(self.name.clone()),
            vision: Some(self.vision.clone()),
            starts_on: Some(self.starts_on.clone()),
            ends_on: Some(self.ends_on.clone()),
            status: ProgrammeStatus::parse(&self.status).ok(),
        }
    }
}

pub struct ProgrammeRow {
    pub summary: ProgrammeSummary,
    pub status: &'static str,
    pub commitment: &'static str,
    pub commitment_badge: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ProgrammeRow>,
    can_manage: bool,
    form: ProgrammeForm,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    form: ProgrammeForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let programmes = service::list(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let rows = programmes
        .into_iter()
        .map(|summary| ProgrammeRow {
            status: t.get(summary.programme.status.label_key()),
            commitment: t.get(&format!("commitment.{}", summary.commitment.code())),
            commitment_badge: commitment_badge(summary.commitment),
            summary,
        })
        .collect();
    let status = if form.status.is_empty() {
        "active".to_owned()
    } else {
        form.status.clone()
    };
    Ok(ListPage {
        shell: page.shell(t.get("programmes.title"), "programmes"),
        rows,
        can_manage: page.actor.can(Permission::ManageGovernance),
        statuses: status_choices(t, &status),
        form,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        ProgrammeForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

pub fn form_failure(error: crate::Error, page: &PageContext) -> Result<FormErrors, PageError> {
    FormErrors::of(&error, page.t).ok_or_else(|| page.error(error))
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<ProgrammeForm>,
) -> Result<Response, PageError> {
    match service::create(&state, &page.actor, &form.input()).await {
        Ok(programme) => {
            page.flash(&state, "flash.programme_created").await?;
            Ok(see_other(&format!("/programmes/{}", programme.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                list_page(&state, &page, form, errors).await?,
            )
                .into_response())
        }
    }
}

pub struct AmbitionRow {
    pub ambition: Ambition,
    pub indicators: Vec<(i64, String, String)>,
}

pub struct TermRow {
    pub term: ExecutiveTerm,
    pub budget: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/show.html")]
struct ShowPage {
    shell: Shell,
    overview: ProgrammeOverview,
    vision_html: String,
    status: &'static str,
    commitment: &'static str,
    commitment_badge: &'static str,
    health: HealthPanel,
    ambitions: Vec<AmbitionRow>,
    terms: Vec<TermRow>,
    current_term: Option<i64>,
    can_manage: bool,
    can_confirm: bool,
    title: String,
    description: String,
    errors: FormErrors,
}

/// An amount in whole euros with thousands grouped: `€ 1.500.000` in
/// Dutch, `€ 1,500,000` in English.
pub fn euro(t: Tr, amount: Option<f64>) -> String {
    amount.map_or_else(String::new, |a| {
        crate::domain::Money::from_cents((a * 100.0).round() as i64).display(t.lang() == "nl")
    })
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    title: String,
    description: String,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let overview = service::overview(state, &page.actor, id)
        .await
        .map_err(err)?;
    let everything = crate::pagination::PageRequest::new(1, 100).map_err(err)?;
    let indicators =
        crate::indicators::service::list(state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let names: HashMap<IndicatorId, (String, String)> = indicators
        .items
        .iter()
        .map(|s| {
            (
                s.indicator.id,
                (
                    s.indicator.code.clone(),
                    t.get(s.assessment.status.label_key()).to_owned(),
                ),
            )
        })
        .collect();
    let ambitions = overview
        .ambitions
        .iter()
        .map(|a| AmbitionRow {
            ambition: a.clone(),
            indicators: a
                .indicator_ids
                .iter()
                .filter_map(|i| names.get(i).map(|(c, s)| (i.0, c.clone(), s.clone())))
                .collect(),
        })
        .collect();
    let current = overview.summary.executive.as_ref().map(|e| e.id);
    let terms = overview
        .terms
        .iter()
        .rev()
        .map(|term| TermRow {
            budget: euro(t, term.budget_amount),
            current: Some(term.id) == current,
            term: term.clone(),
        })
        .collect();
    let can_confirm = overview.summary.executive.as_ref().is_some_and(|e| {
        e.confirmed_on.is_none()
            && match e.user_id {
                Some(user) => user == page.actor.user_id,
                None => page.actor.can(Permission::ManageGovernance),
            }
    });
    Ok(ShowPage {
        shell: page.shell(&overview.summary.programme.name, "programmes"),
        vision_html: crate::markdown::to_html(&overview.summary.programme.vision),
        status: t.get(overview.summary.programme.status.label_key()),
        commitment: t.get(&format!(
            "commitment.{}",
            overview.summary.commitment.code()
        )),
        commitment_badge: commitment_badge(overview.summary.commitment),
        health: health_panel(t, &overview.summary, &overview.health),
        ambitions,
        terms,
        current_term: current.map(|c| c.0),
        can_manage: page.actor.can(Permission::ManageGovernance),
        can_confirm,
        overview,
        title,
        description,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(show_page(
        &state,
        &page,
        ProgrammeId(id),
        String::new(),
        String::new(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/edit.html")]
struct EditPage {
    shell: Shell,
    id: i64,
    form: ProgrammeForm,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn edit(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    page.actor
        .require(Permission::ManageGovernance)
        .map_err(|e| page.error(e))?;
    let summary = service::get(&state, &page.actor, ProgrammeId(id))
        .await
        .map_err(|e| page.error(e))?;
    let p = &summary.programme;
    let form = ProgrammeForm {
        name: p.name.clone(),
        vision: p.vision.clone(),
        starts_on: p.starts_on.clone(),
        ends_on: p.ends_on.clone(),
        status: p.status.code().to_owned(),
    };
    Ok(EditPage {
        shell: page.shell(&p.name, "programmes"),
        id,
        statuses: status_choices(page.t, &form.status),
        form,
        errors: FormErrors::default(),
    }
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ProgrammeForm>,
) -> Result<Response, PageError> {
    match service::update(&state, &page.actor, ProgrammeId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.programme_saved").await?;
            Ok(see_other(&format!("/programmes/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                EditPage {
                    shell: page.shell(&form.name, "programmes"),
                    id,
                    statuses: status_choices(page.t, &form.status),
                    form,
                    errors,
                },
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct AmbitionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    position: String,
}

async fn add_ambition(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<AmbitionForm>,
) -> Result<Response, PageError> {
    let input = AmbitionInput {
        title: Some(form.title.clone()),
        description: Some(form.description.clone()),
        position: None,
    };
    match service::create_ambition(&state, &page.actor, ProgrammeId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.ambition_created").await?;
            Ok(see_other(&format!("/programmes/{id}#ambitions")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                show_page(
                    &state,
                    &page,
                    ProgrammeId(id),
                    form.title,
                    form.description,
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

pub struct IndicatorChoice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/ambition.html")]
struct AmbitionPage {
    shell: Shell,
    ambition: Ambition,
    programme_name: String,
    can_manage: bool,
    title: String,
    description: String,
    position: String,
    indicators: Vec<IndicatorChoice>,
    /// Strategic assets it depends on: (id, name, criticality label).
    assets: Vec<(i64, String, String)>,
    errors: FormErrors,
}

async fn ambition_page(
    state: &AppState,
    page: &PageContext,
    id: AmbitionId,
    submitted: Option<(&AmbitionForm, &BTreeSet<i64>)>,
    errors: FormErrors,
) -> Result<AmbitionPage, PageError> {
    let err = |e| page.error(e);
    let ambition = service::ambition(state, &page.actor, id)
        .await
        .map_err(err)?;
    let programme = service::get(state, &page.actor, ambition.programme_id)
        .await
        .map_err(err)?;
    let everything = crate::pagination::PageRequest::new(1, 100).map_err(err)?;
    let indicators =
        crate::indicators::service::list(state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let linked: BTreeSet<i64> = match submitted {
        Some((_, ids)) => ids.clone(),
        None => ambition.indicator_ids.iter().map(|i| i.0).collect(),
    };
    let choices = indicators
        .items
        .iter()
        .map(|s| IndicatorChoice {
            id: s.indicator.id.0,
            label: format!("{} — {}", s.indicator.code, s.indicator.name),
            checked: linked.contains(&s.indicator.id.0),
        })
        .collect();
    let (title, description, position) = match submitted {
        Some((form, _)) => (
            form.title.clone(),
            form.description.clone(),
            form.position.clone(),
        ),
        None => (
            ambition.title.clone(),
            ambition.description.clone(),
            ambition.position.to_string(),
        ),
    };
    let assets = crate::strategic_assets::service::by_ambition(state, &page.actor)
        .await
        .map_err(err)?
        .into_iter()
        .find(|a| a.ambition_id == ambition.id)
        .map(|a| {
            a.assets
                .into_iter()
                .map(|d| {
                    (
                        d.asset_id.0,
                        d.name,
                        page.t.get(d.criticality.label_key()).to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(AmbitionPage {
        assets,
        shell: page.shell(&ambition.title, "programmes"),
        programme_name: programme.programme.name,
        can_manage: page.actor.can(Permission::ManageGovernance),
        ambition,
        title,
        description,
        position,
        indicators: choices,
        errors,
    })
}

async fn ambition(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(
        ambition_page(&state, &page, AmbitionId(id), None, FormErrors::default())
            .await?
            .into_response(),
    )
}

/// The ambition form: its fields and one `indicator_<id>` checkbox per
/// indicator, so the form is read as a map.
async fn save_ambition(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let form = AmbitionForm {
        title: field("title"),
        description: field("description"),
        position: field("position"),
    };
    let linked: BTreeSet<i64> = fields
        .keys()
        .filter_map(|k| k.strip_prefix("indicator_")?.parse().ok())
        .collect();
    let position = form.position.trim();
    let input = AmbitionInput {
        title: Some(form.title.clone()),
        description: Some(form.description.clone()),
        position: if position.is_empty() {
            None
        } else {
            Some(position.parse().unwrap_or(0))
        },
    };
    let ids: Vec<IndicatorId> = linked.iter().map(|i| IndicatorId(*i)).collect();
    match service::save_ambition_with_links(&state, &page.actor, AmbitionId(id), &input, &ids).await
    {
        Ok(ambition) => {
            page.flash(&state, "flash.ambition_saved").await?;
            Ok(see_other(&format!(
                "/programmes/{}#ambitions",
                ambition.programme_id
            )))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                ambition_page(
                    &state,
                    &page,
                    AmbitionId(id),
                    Some((&form, &linked)),
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

async fn remove_ambition(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let removed = service::delete_ambition(&state, &page.actor, AmbitionId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.ambition_deleted").await?;
    Ok(see_other(&format!(
        "/programmes/{}#ambitions",
        removed.programme_id
    )))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ExecutiveForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    portfolio: String,
    #[serde(default)]
    mandate: String,
    #[serde(default)]
    budget_amount: String,
    #[serde(default)]
    budget_period: String,
    #[serde(default)]
    starts_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/executive.html")]
struct ExecutivePage {
    shell: Shell,
    summary: ProgrammeSummary,
    form: ExecutiveForm,
    members: Vec<Choice>,
    errors: FormErrors,
}

async fn executive_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    form: ExecutiveForm,
    errors: FormErrors,
) -> Result<ExecutivePage, PageError> {
    let err = |e| page.error(e);
    page.actor
        .require(Permission::ManageGovernance)
        .map_err(err)?;
    let summary = service::get(state, &page.actor, id).await.map_err(err)?;
    let everyone = crate::pagination::PageRequest::new(1, 100).map_err(err)?;
    let members = crate::users::service::list(state, &page.actor, "", everyone)
        .await
        .map_err(err)?;
    let mut choices = vec![Choice {
        value: String::new(),
        label: page.t.get("executive.no_account").to_owned(),
        selected: form.user_id.is_empty(),
    }];
    choices.extend(members.items.iter().filter(|m| m.active).map(|m| Choice {
        value: m.id.0.to_string(),
        label: m.name.clone(),
        selected: form.user_id == m.id.0.to_string(),
    }));
    Ok(ExecutivePage {
        shell: page.shell(page.t.get("executive.new_title"), "programmes"),
        summary,
        form,
        members: choices,
        errors,
    })
}

async fn new_executive(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let form = ExecutiveForm {
        starts_on: service::today_label(&state),
        ..ExecutiveForm::default()
    };
    Ok(
        executive_page(&state, &page, ProgrammeId(id), form, FormErrors::default())
            .await?
            .into_response(),
    )
}

/// A typed amount: "1.500.000", "1500000,50" or "1,500,000.50" are all
/// read; anything else is an error on `field`.
pub fn parse_amount(field: &str, text: &str) -> crate::Result<Option<f64>> {
    let text: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    // Dutch thousands: "1.500.000" has several points and no comma.
    let text = if text.matches('.').count() > 1 && !text.contains(',') {
        text.replace('.', "")
    } else {
        text
    };
    crate::indicators::import::parse_number(&text)
        .map(Some)
        .ok_or_else(|| crate::Error::invalid(field, "number"))
}

async fn record_executive(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ExecutiveForm>,
) -> Result<Response, PageError> {
    let amount = parse_amount("budget_amount", &form.budget_amount);
    let input = ExecutiveInput {
        user_id: form.user_id.trim().parse().ok(),
        name: Some(form.name.clone()),
        title: Some(form.title.clone()),
        portfolio: Some(form.portfolio.clone()),
        mandate: Some(form.mandate.clone()),
        budget_amount: amount.as_ref().ok().copied().flatten(),
        budget_period: Some(form.budget_period.clone()),
        starts_on: Some(form.starts_on.clone()),
    };
    let result = match amount {
        Err(error) => Err(error),
        Ok(_) => service::record_executive(&state, &page.actor, ProgrammeId(id), &input).await,
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.executive_recorded").await?;
            Ok(see_other(&format!("/programmes/{id}#executive")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                executive_page(&state, &page, ProgrammeId(id), form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ConfirmationForm {
    #[serde(default)]
    confirmed_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/confirm.html")]
struct ConfirmPage {
    shell: Shell,
    summary: ProgrammeSummary,
    term: ExecutiveTerm,
    on_behalf: bool,
    form: ConfirmationForm,
    errors: FormErrors,
}

async fn confirm_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    term: ExecutiveTermId,
    form: ConfirmationForm,
    errors: FormErrors,
) -> Result<ConfirmPage, PageError> {
    let err = |e| page.error(e);
    let summary = service::get(state, &page.actor, id).await.map_err(err)?;
    let term = service::executives(state, &page.actor, id)
        .await
        .map_err(err)?
        .into_iter()
        .find(|t| t.id == term)
        .ok_or_else(|| page.error(crate::Error::NotFound))?;
    Ok(ConfirmPage {
        shell: page.shell(page.t.get("executive.confirm_title"), "programmes"),
        on_behalf: term.user_id != Some(page.actor.user_id),
        summary,
        term,
        form,
        errors,
    })
}

async fn confirmation(
    State(state): State<AppState>,
    page: PageContext,
    PagePath((id, term)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let form = ConfirmationForm {
        confirmed_on: service::today_label(&state),
        note: String::new(),
    };
    Ok(confirm_page(
        &state,
        &page,
        ProgrammeId(id),
        ExecutiveTermId(term),
        form,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn confirm(
    State(state): State<AppState>,
    page: PageContext,
    PagePath((id, term)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<ConfirmationForm>,
) -> Result<Response, PageError> {
    let input = ConfirmationInput {
        confirmed_on: Some(form.confirmed_on.clone()),
        note: Some(form.note.clone()),
    };
    match service::confirm_executive(
        &state,
        &page.actor,
        ProgrammeId(id),
        ExecutiveTermId(term),
        &input,
    )
    .await
    {
        Ok(_) => {
            page.flash(&state, "flash.executive_confirmed").await?;
            Ok(see_other(&format!("/programmes/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                confirm_page(
                    &state,
                    &page,
                    ProgrammeId(id),
                    ExecutiveTermId(term),
                    form,
                    errors,
                )
                .await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct SessionForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    participants: String,
    executives_took_part: Option<String>,
    #[serde(default)]
    outcome: String,
}

impl SessionForm {
    fn participants(&self) -> Vec<Participant> {
        parse_people(&self.participants)
    }
}

/// People typed one per line: a name, optionally a dash or comma and the role.
pub fn parse_people(text: &str) -> Vec<Participant> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let split = line
                .split_once(" — ")
                .or_else(|| line.split_once(" - "))
                .or_else(|| line.split_once(','));
            match split {
                Some((name, role)) => Participant {
                    name: name.trim().to_owned(),
                    role: role.trim().to_owned(),
                },
                None => Participant {
                    name: line.to_owned(),
                    role: String::new(),
                },
            }
        })
        .collect()
}

/// The reverse of `parse_people`, to fill a text area.
pub fn people_text(people: &[Participant]) -> String {
    people
        .iter()
        .map(|p| {
            if p.role.is_empty() {
                p.name.clone()
            } else {
                format!("{} - {}", p.name, p.role)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/session.html")]
struct SessionPage {
    shell: Shell,
    summary: ProgrammeSummary,
    form: SessionForm,
    errors: FormErrors,
}

async fn session_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    form: SessionForm,
    errors: FormErrors,
) -> Result<SessionPage, PageError> {
    let err = |e| page.error(e);
    page.actor
        .require(Permission::ManageGovernance)
        .map_err(err)?;
    let summary = service::get(state, &page.actor, id).await.map_err(err)?;
    Ok(SessionPage {
        shell: page.shell(page.t.get("sessions.new_title"), "programmes"),
        summary,
        form,
        errors,
    })
}

async fn new_session(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let form = SessionForm {
        held_on: service::today_label(&state),
        ..SessionForm::default()
    };
    Ok(
        session_page(&state, &page, ProgrammeId(id), form, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn record_session(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<SessionForm>,
) -> Result<Response, PageError> {
    let input = CoCreationInput {
        held_on: Some(form.held_on.clone()),
        form: Some(form.form.clone()),
        participants: form.participants(),
        executives_took_part: form.executives_took_part.is_some(),
        outcome: Some(form.outcome.clone()),
    };
    let result = service::record_co_creation(&state, &page.actor, ProgrammeId(id), &input)
        .await
        // The form has one text area for everyone; point all errors there.
        .map_err(|e| {
            e.rename_fields(|f| {
                f.starts_with("participants[")
                    .then(|| "participants".to_owned())
            })
        });
    match result {
        Ok(_) => {
            page.flash(&state, "flash.session_recorded").await?;
            Ok(see_other(&format!("/programmes/{id}#sessions")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                session_page(&state, &page, ProgrammeId(id), form, errors).await?,
            )
                .into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::euro;
    use crate::domain::Locale;
    use crate::i18n::Tr;

    #[test]
    fn euros_are_grouped_per_language() {
        assert_eq!(euro(Tr::new(Locale::Nl), Some(1_500_000.0)), "€ 1.500.000");
        assert_eq!(euro(Tr::new(Locale::En), Some(2_400.4)), "€ 2,400.40");
        assert_eq!(euro(Tr::new(Locale::Nl), Some(950.0)), "€ 950");
        assert_eq!(euro(Tr::new(Locale::Nl), None), "");
    }
}
