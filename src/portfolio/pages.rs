//! Portfolio pages: the list with filters, the funnel board, an initiative
//! with its timeline and gate form, and the initiative form.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::api::InitiativeListParams;
use super::{
    EffectDirection, Evidence, GateDecision, GateInput, GateOutcome, IndicatorLink, Initiative,
    InitiativeInput, InitiativeKind, Stage, TECHNOLOGIES, service,
};
use crate::domain::{IndicatorId, InitiativeId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::pagination::{Page, PageRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portfolio", get(list))
        .route("/portfolio/board", get(board))
        .route("/portfolio/balance", get(super::balance_pages::balance))
        .route("/portfolio/export", get(export))
        .route("/initiatives", post(create))
        .route("/initiatives/new", get(new))
        .route("/initiatives/{id}", get(show))
        .route("/initiatives/{id}/edit", get(edit).post(save))
        .route("/initiatives/{id}/gate-decisions", post(decide))
        .route("/initiatives/{id}/comparisons", post(save_comparisons))
        .route(
            "/initiatives/{id}/funding-lines",
            post(super::money_pages::add_funding),
        )
        .route(
            "/initiatives/{id}/spend",
            post(super::money_pages::add_spend),
        )
}

/// A technology tag in words: the common ones translated, own tags as typed.
pub fn technology_label(t: Tr, tag: &str) -> String {
    if TECHNOLOGIES.contains(&tag) {
        t.get(&format!("technology.{tag}")).to_owned()
    } else {
        tag.to_owned()
    }
}

fn choices<T: Copy>(
    t: Tr,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    first: Option<&str>,
    selected: &str,
) -> Vec<Choice> {
    let mut list: Vec<Choice> = first
        .map(|label| Choice {
            value: String::new(),
            label: label.to_owned(),
            selected: selected.is_empty(),
        })
        .into_iter()
        .collect();
    list.extend(all.iter().map(|v| Choice {
        value: code(*v).to_owned(),
        label: t.get(label(*v)).to_owned(),
        selected: code(*v) == selected,
    }));
    list
}

pub fn stage_badge(stage: Stage) -> &'static str {
    match stage {
        Stage::InOperation => "utrecht-status-badge--success",
        Stage::Stopped => "utrecht-status-badge--neutral",
        Stage::Pilot | Stage::Scaling => "utrecht-status-badge--active",
        _ => "utrecht-status-badge--warning",
    }
}

pub struct InitiativeRow {
    pub initiative: Initiative,
    pub kind: &'static str,
    pub stage: &'static str,
    pub badge: &'static str,
    pub technologies: String,
}

fn row(t: Tr, initiative: Initiative) -> InitiativeRow {
    InitiativeRow {
        kind: t.get(initiative.kind.label_key()),
        stage: t.get(initiative.stage.label_key()),
        badge: stage_badge(initiative.stage),
        technologies: initiative
            .technologies
            .iter()
            .map(|tag| technology_label(t, tag))
            .collect::<Vec<_>>()
            .join(", "),
        initiative,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/list.html")]
struct ListPage {
    shell: Shell,
    rows: Page<InitiativeRow>,
    stages: Vec<Choice>,
    kinds: Vec<Choice>,
    technologies: Vec<Choice>,
    ambitions: Vec<Choice>,
    search: String,
    filtered: bool,
    pager_query: String,
    no_error: Option<&'static str>,
    can_manage: bool,
}

async fn filter_choices(
    state: &AppState,
    page: &PageContext,
    params: &InitiativeListParams,
) -> Result<
    (
        super::InitiativeFilter,
        Vec<Choice>,
        Vec<Choice>,
        Vec<Choice>,
        Vec<Choice>,
    ),
    PageError,
> {
    let t = page.t;
    let filter = params.filter().unwrap_or_default();
    let stage = filter.stage.map_or("", Stage::code);
    let kind = filter.kind.map_or("", InitiativeKind::code);
    let technology = filter.technology.clone().unwrap_or_default();
    let ambition = filter.ambition.map(|a| a.0.to_string()).unwrap_or_default();
    let all = service::all(state, &page.actor, &Default::default())
        .await
        .map_err(|e| page.error(e))?;
    let mut tags: BTreeSet<String> = TECHNOLOGIES.iter().map(|t| (*t).to_owned()).collect();
    tags.extend(all.iter().flat_map(|i| i.technologies.iter().cloned()));
    let mut technology_choices = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.all_technologies").to_owned(),
        selected: technology.is_empty(),
    }];
    technology_choices.extend(tags.into_iter().map(|tag| Choice {
        label: technology_label(t, &tag),
        selected: tag == technology,
        value: tag,
    }));
    let ambitions = crate::governance::service::all_ambitions(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let mut ambition_choices = vec![Choice {
        value: String::new(),
        label: t.get("ambitions.all").to_owned(),
        selected: ambition.is_empty(),
    }];
    ambition_choices.extend(ambitions.into_iter().map(|(id, title, programme)| Choice {
        selected: id.0.to_string() == ambition,
        value: id.0.to_string(),
        label: format!("{title} ({programme})"),
    }));
    Ok((
        filter,
        choices(
            t,
            Stage::ALL,
            Stage::code,
            Stage::label_key,
            Some(t.get("portfolio.all_stages")),
            stage,
        ),
        choices(
            t,
            InitiativeKind::ALL,
            InitiativeKind::code,
            InitiativeKind::label_key,
            Some(t.get("portfolio.all_kinds")),
            kind,
        ),
        technology_choices,
        ambition_choices,
    ))
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(params): PageQuery<InitiativeListParams>,
) -> Result<Response, PageError> {
    let t = page.t;
    let (filter, stages, kinds, technologies, ambitions) =
        filter_choices(&state, &page, &params).await?;
    let request = PageRequest::new(
        params.page.unwrap_or(1).max(1),
        params.page_size.unwrap_or(25).clamp(1, 100),
    )
    .unwrap_or_default();
    let rows = service::list(&state, &page.actor, &filter, request)
        .await
        .map_err(|e| page.error(e))?
        .map(|i| row(t, i));
    let page_size = request.page_size().to_string();
    let ambition = filter.ambition.map(|a| a.0.to_string()).unwrap_or_default();
    let pager_query = serde_urlencoded::to_string([
        ("page_size", page_size.as_str()),
        ("stage", filter.stage.map_or("", Stage::code)),
        ("kind", filter.kind.map_or("", InitiativeKind::code)),
        ("technology", filter.technology.as_deref().unwrap_or("")),
        ("ambition_id", ambition.as_str()),
        ("search", filter.search.as_str()),
    ])
    .map(|q| format!("{q}&"))
    .unwrap_or_default();
    Ok(ListPage {
        shell: page.shell(t.get("portfolio.title"), "portfolio"),
        rows,
        stages,
        kinds,
        technologies,
        ambitions,
        filtered: filter.stage.is_some()
            || filter.kind.is_some()
            || filter.technology.is_some()
            || filter.ambition.is_some()
            || !filter.search.trim().is_empty(),
        search: filter.search,
        pager_query,
        no_error: None,
        can_manage: page.actor.can(Permission::ManagePortfolio),
    }
    .into_response())
}

/// The filtered portfolio as a CSV or XLSX download.
async fn export(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(params): PageQuery<InitiativeListParams>,
    PageQuery(format): PageQuery<crate::indicators::export::ExportParams>,
) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let filter = params.filter().map_err(err)?;
    let rows = service::export_rows(&state, &page.actor, &filter)
        .await
        .map_err(err)?;
    let file =
        super::export::write(&rows, format.format.unwrap_or_default(), page.t).map_err(err)?;
    Ok(file.into_response())
}

/// One column of the funnel board.
pub struct Column {
    pub stage: Stage,
    pub label: &'static str,
    pub cards: Vec<Card>,
}

/// An initiative on the board, with the gate decisions it can take next.
pub struct Card {
    pub row: InitiativeRow,
    pub outcomes: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/board.html")]
struct BoardPage {
    shell: Shell,
    columns: Vec<Column>,
    can_decide: bool,
}

async fn board(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let all = service::all(&state, &page.actor, &Default::default())
        .await
        .map_err(|e| page.error(e))?;
    let mut columns: Vec<Column> = Stage::ALL
        .iter()
        .map(|stage| Column {
            stage: *stage,
            label: t.get(stage.label_key()),
            cards: Vec::new(),
        })
        .collect();
    for initiative in all {
        // Forward first: the usual next step is the preselected one.
        let outcomes = [
            GateOutcome::Continue,
            GateOutcome::Scale,
            GateOutcome::Pivot,
            GateOutcome::Stop,
        ]
        .iter()
        .filter(|o| !initiative.stage.targets(**o).is_empty())
        .map(|o| Choice {
            value: o.code().to_owned(),
            label: t.get(o.label_key()).to_owned(),
            selected: false,
        })
        .collect();
        if let Some(column) = columns.iter_mut().find(|c| c.stage == initiative.stage) {
            column.cards.push(Card {
                row: row(t, initiative),
                outcomes,
            });
        }
    }
    Ok(BoardPage {
        shell: page.shell(t.get("portfolio.board_title"), "portfolio"),
        columns,
        can_decide: page.actor.can(Permission::ManageGovernance),
    }
    .into_response())
}

// ---- the initiative form ----

/// Checkbox and select names on the form: `ambition_<id>`, `technology_<tag>`,
/// `effect_<indicator>` (increase/decrease) and `size_<indicator>`.
#[derive(Debug, Default, Clone)]
pub struct InitiativeForm {
    pub kind: String,
    pub title: String,
    pub problem: String,
    pub hypothesis: String,
    pub learning_goals: String,
    pub own_technologies: String,
    pub owner_id: String,
    pub unit_id: String,
    pub go_live_on: String,
    pub cost_estimate: String,
    pub lab_id: String,
    pub technologies: BTreeSet<String>,
    pub ambitions: BTreeSet<i64>,
    pub effects: HashMap<i64, (String, String)>,
    /// The version the form was opened on (empty for a new initiative).
    pub version: String,
}

impl InitiativeForm {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let mut form = InitiativeForm {
            version: field("version"),
            kind: field("kind"),
            title: field("title"),
            problem: field("problem"),
            hypothesis: field("hypothesis"),
            learning_goals: field("learning_goals"),
            own_technologies: field("own_technologies"),
            owner_id: field("owner_id"),
            unit_id: field("unit_id"),
            go_live_on: field("go_live_on"),
            cost_estimate: field("cost_estimate"),
            lab_id: field("lab_id"),
            ..InitiativeForm::default()
        };
        for (key, value) in fields {
            if let Some(tag) = key.strip_prefix("technology_") {
                form.technologies.insert(tag.to_owned());
            } else if let Some(id) = key.strip_prefix("ambition_").and_then(|i| i.parse().ok()) {
                form.ambitions.insert(id);
            } else if let Some(id) = key.strip_prefix("effect_").and_then(|i| i.parse().ok())
                && !value.is_empty()
            {
                let size = fields
                    .get(&format!("size_{id}"))
                    .cloned()
                    .unwrap_or_default();
                form.effects.insert(id, (value.clone(), size));
            }
        }
        form
    }

    fn of(initiative: &Initiative) -> Self {
        InitiativeForm {
            version: initiative.version.to_string(),
            kind: initiative.kind.code().to_owned(),
            title: initiative.title.clone(),
            problem: initiative.problem.clone(),
            hypothesis: initiative.hypothesis.clone(),
            learning_goals: initiative.learning_goals.join("\n"),
            own_technologies: initiative
                .technologies
                .iter()
                .filter(|t| !TECHNOLOGIES.contains(&t.as_str()))
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            owner_id: initiative
                .owner_id
                .map(|o| o.0.to_string())
                .unwrap_or_default(),
            unit_id: initiative
                .unit_id
                .map(|u| u.0.to_string())
                .unwrap_or_default(),
            go_live_on: initiative.go_live_on.clone().unwrap_or_default(),
            cost_estimate: initiative
                .cost_estimate
                .map(|c| c.to_plain())
                .unwrap_or_default(),
            lab_id: initiative
                .lab_id
                .map(|l| l.0.to_string())
                .unwrap_or_default(),
            technologies: initiative
                .technologies
                .iter()
                .filter(|t| TECHNOLOGIES.contains(&t.as_str()))
                .cloned()
                .collect(),
            ambitions: initiative.ambition_ids.iter().map(|a| a.0).collect(),
            effects: initiative
                .indicators
                .iter()
                .map(|l| {
                    (
                        l.indicator_id.0,
                        (
                            l.direction.code().to_owned(),
                            l.expected_size.map(|s| s.to_string()).unwrap_or_default(),
                        ),
                    )
                })
                .collect(),
        }
    }

    /// The input, or the field that could not be read.
    fn input(&self) -> Result<InitiativeInput, crate::Error> {
        let mut technologies: Vec<String> = TECHNOLOGIES
            .iter()
            .filter(|t| self.technologies.contains(**t))
            .map(|t| (*t).to_owned())
            .collect();
        technologies.extend(
            self.own_technologies
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
        let mut indicators = Vec::new();
        let mut ids: Vec<&i64> = self.effects.keys().collect();
        ids.sort();
        for id in ids {
            let (direction, size) = &self.effects[id];
            let direction = EffectDirection::parse(direction)
                .map_err(|code| crate::Error::invalid("indicators", code))?;
            let size = size.trim();
            let expected_size = if size.is_empty() {
                None
            } else {
                Some(
                    crate::indicators::import::parse_number(size)
                        .ok_or_else(|| crate::Error::invalid("indicators", "number"))?,
                )
            };
            indicators.push(IndicatorLink {
                indicator_id: IndicatorId(*id),
                direction,
                expected_size,
                control_indicator_id: None,
            });
        }
        let number = |text: &str| text.trim().parse::<i64>().ok();
        Ok(InitiativeInput {
            version: self.version.trim().parse().ok(),
            kind: InitiativeKind::parse(&self.kind).ok(),
            title: Some(self.title.clone()),
            problem: Some(self.problem.clone()),
            hypothesis: Some(self.hypothesis.clone()),
            learning_goals: Some(
                self.learning_goals
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            technologies: Some(technologies),
            owner_id: Some(number(&self.owner_id)),
            unit_id: Some(number(&self.unit_id)),
            go_live_on: Some(Some(self.go_live_on.clone())),
            cost_estimate: Some(Some(self.cost_estimate.clone())),
            ambition_ids: Some(self.ambitions.iter().copied().collect()),
            indicators: Some(indicators),
            lab_id: Some(number(&self.lab_id)),
        })
    }
}

pub struct TagChoice {
    pub tag: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

pub struct AmbitionChoice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

pub struct EffectChoice {
    pub id: i64,
    pub label: String,
    pub directions: Vec<Choice>,
    pub size: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    action: String,
    back: String,
    form: InitiativeForm,
    kinds: Vec<Choice>,
    owners: Vec<Choice>,
    units: Vec<Choice>,
    labs: Vec<Choice>,
    tags: Vec<TagChoice>,
    ambitions: Vec<AmbitionChoice>,
    effects: Vec<EffectChoice>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    page: &PageContext,
    existing: Option<&Initiative>,
    form: InitiativeForm,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let everything = PageRequest::new(1, 100).map_err(err)?;
    let members = state
        .store()
        .list_members(page.actor.organisation_id, "", everything)
        .await
        .map_err(err)?;
    let units = crate::units::service::tree(state, &page.actor, false)
        .await
        .map_err(err)?;
    let ambitions = crate::governance::service::all_ambitions(state, &page.actor)
        .await
        .map_err(err)?;
    let indicators =
        crate::indicators::service::list(state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let mut owners = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.no_owner").to_owned(),
        selected: form.owner_id.is_empty(),
    }];
    owners.extend(members.items.iter().filter(|m| m.active).map(|m| Choice {
        value: m.id.0.to_string(),
        label: m.name.clone(),
        selected: m.id.0.to_string() == form.owner_id,
    }));
    let mut unit_choices = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.no_unit").to_owned(),
        selected: form.unit_id.is_empty(),
    }];
    unit_choices.extend(units.iter().map(|n| Choice {
        value: n.unit.id.0.to_string(),
        label: n.path.clone(),
        selected: n.unit.id.0.to_string() == form.unit_id,
    }));
    let mut labs = vec![Choice {
        value: String::new(),
        label: t.get("labs.none").to_owned(),
        selected: form.lab_id.is_empty(),
    }];
    labs.extend(
        super::partners_service::labs(state, &page.actor)
            .await
            .map_err(err)?
            .into_iter()
            .map(|lab| Choice {
                selected: lab.id.0.to_string() == form.lab_id,
                value: lab.id.0.to_string(),
                label: lab.name,
            }),
    );
    let tags = TECHNOLOGIES
        .iter()
        .map(|tag| TagChoice {
            tag,
            label: t.get(&format!("technology.{tag}")),
            checked: form.technologies.contains(*tag),
        })
        .collect();
    let ambition_choices = ambitions
        .into_iter()
        .map(|(id, title, programme)| AmbitionChoice {
            id: id.0,
            label: format!("{title} ({programme})"),
            checked: form.ambitions.contains(&id.0),
        })
        .collect();
    let effects = indicators
        .items
        .iter()
        .map(|s| {
            let id = s.indicator.id.0;
            let (direction, size) = form.effects.get(&id).cloned().unwrap_or_default();
            EffectChoice {
                id,
                label: format!("{} — {}", s.indicator.code, s.indicator.name),
                directions: choices(
                    t,
                    EffectDirection::ALL,
                    EffectDirection::code,
                    EffectDirection::label_key,
                    Some(t.get("portfolio.no_effect")),
                    &direction,
                ),
                size,
            }
        })
        .collect();
    let (heading, action, back) = match existing {
        Some(i) => (
            t.get("portfolio.edit_title").to_owned(),
            format!("/initiatives/{}/edit", i.id),
            format!("/initiatives/{}", i.id),
        ),
        None => (
            t.get("portfolio.new_title").to_owned(),
            "/initiatives".to_owned(),
            "/portfolio".to_owned(),
        ),
    };
    Ok(FormPage {
        shell: page.shell(&heading, "portfolio"),
        kinds: choices(
            t,
            InitiativeKind::ALL,
            InitiativeKind::code,
            InitiativeKind::label_key,
            None,
            if form.kind.is_empty() {
                "experiment"
            } else {
                &form.kind
            },
        ),
        heading,
        action,
        back,
        owners,
        units: unit_choices,
        labs,
        tags,
        ambitions: ambition_choices,
        effects,
        form,
        errors,
    })
}

async fn new(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    page.actor
        .require(Permission::ManagePortfolio)
        .map_err(|e| page.error(e))?;
    Ok(form_page(
        &state,
        &page,
        None,
        InitiativeForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// Errors on `learning_goals[3]` or `technologies[1]` belong beside the
/// one text field the form has for each.
fn form_errors(error: crate::Error) -> crate::Error {
    error.rename_fields(|f| {
        if f.starts_with("learning_goals[") {
            Some("learning_goals".to_owned())
        } else if f.starts_with("technologies[") {
            Some("own_technologies".to_owned())
        } else {
            None
        }
    })
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = InitiativeForm::read(&fields);
    let result = match form.input() {
        Ok(input) => service::create(&state, &page.actor, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(initiative) => {
            page.flash(&state, "flash.initiative_created").await?;
            Ok(see_other(&format!("/initiatives/{}", initiative.id)))
        }
        Err(error) => {
            let errors = form_failure(form_errors(error), &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                form_page(&state, &page, None, form, errors).await?,
            )
                .into_response())
        }
    }
}

async fn edit(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let initiative = service::get(&state, &page.actor, InitiativeId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = InitiativeForm::of(&initiative);
    Ok(form_page(
        &state,
        &page,
        Some(&initiative),
        form,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let initiative = service::get(&state, &page.actor, InitiativeId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = InitiativeForm::read(&fields);
    let result = match form.input() {
        Ok(mut input) => {
            // The form does not show comparison series: keep those chosen
            // for indicators that stay linked, unless the comparison series
            // is now linked itself (the initiative aims to move it, so it can
            // no longer show what would have happened without).
            if let Some(links) = input.indicators.as_mut() {
                let linked: Vec<IndicatorId> = links.iter().map(|l| l.indicator_id).collect();
                for link in links.iter_mut() {
                    link.control_indicator_id = initiative
                        .indicators
                        .iter()
                        .find(|l| l.indicator_id == link.indicator_id)
                        .and_then(|l| l.control_indicator_id)
                        .filter(|c| !linked.contains(c));
                }
            }
            service::update(&state, &page.actor, InitiativeId(id), &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.initiative_saved").await?;
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Err(error) => {
            let conflict = matches!(&error, crate::Error::Conflict(f) if f.field == "version");
            let mut form = form;
            let status = if conflict {
                // What was typed stays on the form, now on top of the
                // version someone else saved: saving again is a choice
                // made after seeing the message.
                let current = service::get(&state, &page.actor, InitiativeId(id))
                    .await
                    .map_err(|e| page.error(e))?;
                form.version = current.version.to_string();
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            let errors = form_failure(form_errors(error), &page)?;
            Ok((
                status,
                form_page(&state, &page, Some(&initiative), form, errors).await?,
            )
                .into_response())
        }
    }
}

// ---- one initiative ----

pub struct TimelineEntry {
    pub decision: GateDecision,
    pub outcome: &'static str,
    pub from: &'static str,
    pub to: &'static str,
}

pub struct EffectRow {
    pub id: i64,
    pub label: String,
    pub expected: String,
    pub status: &'static str,
    pub badge: &'static str,
    /// The comparison series' label, or empty.
    pub comparison: String,
    /// The comparison form's field (`control_<indicator id>`) and choices.
    pub control_field: String,
    pub control_choices: Vec<Choice>,
}

/// The gate form as typed; evidence per learning goal as `evidence_<n>`.
#[derive(Debug, Default, Clone)]
pub struct GateForm {
    pub outcome: String,
    pub to_stage: String,
    pub evidence: Vec<String>,
    pub criteria: String,
    pub body_id: String,
    pub decided_by: String,
    pub decided_on: String,
    pub learning: String,
    /// The initiative's version the page showed.
    pub version: String,
}

impl GateForm {
    fn read(fields: &HashMap<String, String>, goals: usize) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        GateForm {
            outcome: field("outcome"),
            to_stage: field("to_stage"),
            evidence: (0..goals)
                .map(|i| field(&format!("evidence_{i}")))
                .collect(),
            criteria: field("criteria"),
            body_id: field("body_id"),
            decided_by: field("decided_by"),
            decided_on: field("decided_on"),
            learning: field("learning"),
            version: field("version"),
        }
    }

    fn input(&self, goals: &[String]) -> GateInput {
        GateInput {
            outcome: GateOutcome::parse(&self.outcome).ok(),
            to_stage: Stage::parse(&self.to_stage).ok(),
            evidence: goals
                .iter()
                .zip(&self.evidence)
                .map(|(goal, evidence)| Evidence {
                    goal: goal.clone(),
                    evidence: evidence.clone(),
                })
                .collect(),
            criteria: Some(self.criteria.clone()),
            body_id: self.body_id.trim().parse().ok(),
            decided_by: Some(self.decided_by.clone()),
            decided_on: Some(self.decided_on.clone()),
            learning: Some(self.learning.clone()),
            version: self.version.trim().parse().ok(),
        }
    }
}

/// What was typed in the forms of an initiative page, kept when one
/// fails.
#[derive(Debug, Default, Clone)]
pub struct ShowForms {
    pub gate: Option<GateForm>,
    /// The comparison series as chosen, per linked indicator.
    pub comparisons: Option<HashMap<i64, String>>,
    pub money: super::money_pages::MoneyForms,
    pub partner: super::partners_pages::RoleForm,
}

pub struct GoalEvidence {
    pub index: usize,
    pub goal: String,
    pub evidence: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/show.html")]
pub struct ShowPage {
    shell: Shell,
    row: InitiativeRow,
    owner: String,
    unit: String,
    cost: String,
    ambitions: Vec<(i64, String)>,
    effects: Vec<EffectRow>,
    timeline: Vec<TimelineEntry>,
    can_edit: bool,
    can_decide: bool,
    gate: GateForm,
    goals: Vec<GoalEvidence>,
    outcomes: Vec<Choice>,
    targets: Vec<Choice>,
    bodies: Vec<Choice>,
    money: super::money_pages::MoneyPanel,
    partners: super::partners_pages::PartnerPanel,
    /// Effect estimates per linked indicator (after go-live).
    effect_cards: Vec<crate::effects::pages::EffectCard>,
    /// The idea it was promoted from.
    from_idea: Option<i64>,
    /// Services the initiative changes.
    services: Vec<(crate::domain::ServiceId, String)>,
    /// Data assets it relies on.
    data_assets: Vec<(crate::domain::DataAssetId, String)>,
    /// Which form failed ("gate", "funding", "spend", "partner" or ""):
    /// the forms have distinct field names and share `errors`.
    failed: &'static str,
    errors: FormErrors,
}

pub async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: InitiativeId,
    forms: ShowForms,
    failed: &'static str,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let ShowForms {
        gate,
        comparisons,
        money: money_forms,
        partner: role_form,
    } = forms;
    let t = page.t;
    let err = |e| page.error(e);
    let initiative = service::get(state, &page.actor, id).await.map_err(err)?;
    let decisions = service::gate_decisions(state, &page.actor, id)
        .await
        .map_err(err)?;
    let everything = PageRequest::new(1, 100).map_err(err)?;
    let indicators =
        crate::indicators::service::list(state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let ambitions = crate::governance::service::all_ambitions(state, &page.actor)
        .await
        .map_err(err)?;
    let owner = match initiative.owner_id {
        Some(owner) => state
            .store()
            .member(page.actor.organisation_id, owner)
            .await
            .map(|m| m.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let unit = match initiative.unit_id {
        Some(unit) => crate::units::service::get(state, &page.actor, unit)
            .await
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let all_indicators = crate::indicators::service::all(state, &page.actor)
        .await
        .map_err(err)?;
    let effects = initiative
        .indicators
        .iter()
        .filter_map(|link| {
            let summary = indicators
                .items
                .iter()
                .find(|s| s.indicator.id == link.indicator_id)?;
            let direction = t.get(link.direction.label_key());
            let chosen = match &comparisons {
                Some(typed) => typed.get(&link.indicator_id.0).cloned().unwrap_or_default(),
                None => link
                    .control_indicator_id
                    .map(|c| c.0.to_string())
                    .unwrap_or_default(),
            };
            Some(EffectRow {
                id: link.indicator_id.0,
                comparison: link
                    .control_indicator_id
                    .and_then(|c| all_indicators.iter().find(|i| i.id == c))
                    .map(|c| format!("{} — {}", c.code, c.name))
                    .unwrap_or_default(),
                control_field: format!("control_{}", link.indicator_id),
                control_choices: comparison_choices(
                    t,
                    &initiative,
                    &summary.indicator,
                    &all_indicators,
                    &chosen,
                ),
                label: format!("{} — {}", summary.indicator.code, summary.indicator.name),
                expected: match link.expected_size {
                    Some(size) => format!(
                        "{direction} {}",
                        crate::indicators::pages::show_number(t, size)
                    ),
                    None => direction.to_owned(),
                },
                status: t.get(summary.assessment.status.label_key()),
                badge: crate::indicators::pages::badge(summary.assessment.status),
            })
        })
        .collect();
    let linked_ambitions = ambitions
        .into_iter()
        .filter(|(a, ..)| initiative.ambition_ids.contains(a))
        .map(|(a, title, _)| (a.0, title))
        .collect();
    let timeline = decisions
        .into_iter()
        .rev()
        .map(|decision| TimelineEntry {
            outcome: t.get(decision.outcome.label_key()),
            from: t.get(decision.from_stage.label_key()),
            to: t.get(decision.to_stage.label_key()),
            decision,
        })
        .collect();
    let gate = gate.unwrap_or_else(|| GateForm {
        decided_on: crate::governance::service::today_label(state),
        evidence: vec![String::new(); initiative.learning_goals.len()],
        ..GateForm::default()
    });
    let goals = initiative
        .learning_goals
        .iter()
        .enumerate()
        .map(|(index, goal)| GoalEvidence {
            index,
            goal: goal.clone(),
            evidence: gate.evidence.get(index).cloned().unwrap_or_default(),
        })
        .collect();
    let stage = initiative.stage;
    let mut outcomes = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.choose").to_owned(),
        selected: gate.outcome.is_empty(),
    }];
    outcomes.extend(
        GateOutcome::ALL
            .iter()
            .filter(|o| !stage.targets(**o).is_empty())
            .map(|o| Choice {
                value: o.code().to_owned(),
                label: t.get(o.label_key()).to_owned(),
                selected: o.code() == gate.outcome,
            }),
    );
    let mut reachable: Vec<Stage> = GateOutcome::ALL
        .iter()
        .flat_map(|o| stage.targets(*o))
        .collect();
    reachable.sort_by_key(|s| Stage::ALL.iter().position(|x| x == s));
    reachable.dedup();
    let mut targets = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.follows_from_outcome").to_owned(),
        selected: gate.to_stage.is_empty(),
    }];
    targets.extend(reachable.iter().map(|s| Choice {
        value: s.code().to_owned(),
        label: t.get(s.label_key()).to_owned(),
        selected: s.code() == gate.to_stage,
    }));
    let body_names = state
        .store()
        .body_names(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let mut bodies = vec![Choice {
        value: String::new(),
        label: t.get("portfolio.no_body").to_owned(),
        selected: gate.body_id.is_empty(),
    }];
    bodies.extend(body_names.into_iter().map(|(id, name)| Choice {
        selected: id.0.to_string() == gate.body_id,
        value: id.0.to_string(),
        label: name,
    }));
    let can_edit = page.actor.can(Permission::ManagePortfolio)
        || (initiative.owner_id == Some(page.actor.user_id)
            && page.actor.role != crate::domain::Role::Viewer);
    let money = super::money_pages::money_panel(state, page, id, money_forms).await?;
    let partners =
        super::partners_pages::partner_panel(state, page, id, initiative.lab_id, role_form).await?;
    let estimates = crate::effects::service::for_initiative(state, &page.actor, id)
        .await
        .map_err(err)?;
    let effect_cards = crate::effects::pages::initiative_cards(t, &estimates, &all_indicators);
    let from_idea = state
        .store()
        .idea_of_initiative(page.actor.organisation_id, id)
        .await
        .map_err(err)?
        .map(|i| i.0);
    let services = crate::services::service::linked_to(state, &page.actor, None, Some(id))
        .await
        .map_err(err)?;
    let data_assets = crate::data_assets::service::linked_to(state, &page.actor, None, Some(id))
        .await
        .map_err(err)?;
    Ok(ShowPage {
        data_assets,
        services,
        from_idea,
        money,
        partners,
        effect_cards,
        failed,
        shell: page.shell(&initiative.title, "portfolio"),
        cost: initiative
            .cost_estimate
            .map(|c| c.display(t.lang() == "nl"))
            .unwrap_or_default(),
        can_decide: page.actor.can(Permission::ManageGovernance) && !stage.is_final(),
        row: row(t, initiative),
        owner,
        unit,
        ambitions: linked_ambitions,
        effects,
        timeline,
        can_edit,
        gate,
        goals,
        outcomes,
        targets,
        bodies,
        errors,
    })
}

/// The initiative page again with status 400: the form that failed as it
/// was typed, its errors beside the fields.
pub async fn show_failed(
    state: &AppState,
    page: &PageContext,
    id: i64,
    forms: ShowForms,
    failed: &'static str,
    error: crate::Error,
) -> Result<Response, PageError> {
    let errors = form_failure(error, page)?;
    let shown = show_page(state, page, InitiativeId(id), forms, failed, errors).await?;
    Ok((StatusCode::BAD_REQUEST, shown).into_response())
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<HashMap<String, String>>,
) -> Result<Response, PageError> {
    // The board's "decide" form opens this page with the outcome chosen.
    let gate = query.get("outcome").map(|outcome| GateForm {
        outcome: outcome.clone(),
        decided_on: crate::governance::service::today_label(&state),
        ..GateForm::default()
    });
    Ok(show_page(
        &state,
        &page,
        InitiativeId(id),
        ShowForms {
            gate,
            ..ShowForms::default()
        },
        "",
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// The indicators that may serve as `target`'s comparison series: measured
/// as often, not one this initiative aims to move, not computed from or
/// into it.
fn comparison_choices(
    t: Tr,
    initiative: &Initiative,
    target: &crate::indicators::Indicator,
    all: &[crate::indicators::Indicator],
    chosen: &str,
) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: t.get("effects.no_comparison").to_owned(),
        selected: chosen.is_empty(),
    }];
    let known_target = super::spec::KnownIndicator::of(target);
    out.extend(
        all.iter()
            .filter(|i| {
                i.frequency == target.frequency
                    && !initiative.indicators.iter().any(|l| l.indicator_id == i.id)
                    && !known_target.computed_with(&super::spec::KnownIndicator::of(i))
            })
            .map(|i| Choice {
                value: i.id.0.to_string(),
                label: format!("{} — {}", i.code, i.name),
                selected: i.id.0.to_string() == chosen,
            }),
    );
    out
}

/// Sets the comparison series of the initiative's expected effects, from
/// `control_<indicator id>` fields (empty: none).
async fn save_comparisons(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let initiative = service::get(&state, &page.actor, InitiativeId(id))
        .await
        .map_err(|e| page.error(e))?;
    // A link the form did not show (no field) keeps its comparison series.
    let typed: HashMap<i64, String> = initiative
        .indicators
        .iter()
        .map(|l| {
            let field = format!("control_{}", l.indicator_id);
            let value = match fields.get(&field) {
                Some(value) => value.trim().to_owned(),
                None => l
                    .control_indicator_id
                    .map(|c| c.0.to_string())
                    .unwrap_or_default(),
            };
            (l.indicator_id.0, value)
        })
        .collect();
    let mut links = initiative.indicators.clone();
    let mut unreadable = crate::domain::Validator::new();
    for link in &mut links {
        let text = &typed[&link.indicator_id.0];
        link.control_indicator_id = match text.parse::<i64>() {
            _ if text.is_empty() => None,
            Ok(control) => Some(IndicatorId(control)),
            Err(_) => {
                unreadable.add(
                    &format!("control_{}", link.indicator_id),
                    "unknown_indicator",
                );
                None
            }
        };
    }
    let order: Vec<i64> = links.iter().map(|l| l.indicator_id.0).collect();
    let result = match unreadable.finish(Some(())) {
        Ok(()) => {
            let input = InitiativeInput {
                indicators: Some(links),
                ..InitiativeInput::default()
            };
            service::update(&state, &page.actor, InitiativeId(id), &input)
                .await
                .map_err(|e| {
                    e.rename_fields(|f| {
                        let index = f
                            .strip_prefix("indicators[")?
                            .strip_suffix("].control_indicator_id")?
                            .parse::<usize>()
                            .ok()?;
                        order.get(index).map(|i| format!("control_{i}"))
                    })
                })
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.comparisons_saved").await?;
            Ok(see_other(&format!("/initiatives/{id}#comparisons")))
        }
        Err(error) => {
            let forms = ShowForms {
                comparisons: Some(typed),
                ..ShowForms::default()
            };
            show_failed(&state, &page, id, forms, "comparisons", error).await
        }
    }
}

async fn decide(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let initiative = service::get(&state, &page.actor, InitiativeId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = GateForm::read(&fields, initiative.learning_goals.len());
    let input = form.input(&initiative.learning_goals);
    match service::decide(&state, &page.actor, InitiativeId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.gate_decided").await?;
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Err(error) => {
            let error = error.rename_fields(|f| {
                f.strip_prefix("evidence[")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .map(|n| format!("evidence_{n}"))
            });
            let forms = ShowForms {
                gate: Some(form),
                ..ShowForms::default()
            };
            show_failed(&state, &page, id, forms, "gate", error).await
        }
    }
}
