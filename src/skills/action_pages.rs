//! Pages of learning actions: the list with what each action's group did
//! between the rounds around it, one action with its group round by round,
//! and the gap workbook download.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::gaps::{Cell, CellStatus};
use super::pages::{bad_request, tenths};
use super::trend::{ActionEffect, Trend};
use super::{
    Competence, LearningAction, LearningActionInput, LearningKind, LearningStatus, RoleProfile,
    actions, service,
};
use crate::domain::{LearningActionId, Permission};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::{FormErrors, relabel};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::pagination::{PageParams, PageRequest};
use crate::units::Unit;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/skills/actions", get(list).post(create))
        .route("/skills/actions/{id}", get(show).post(save))
        .route("/skills/actions/{id}/delete", post(delete))
        .route("/skills/export", get(export))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub competence_id: String,
    /// `""` (everyone), `unit-<id>` or `role-<id>`.
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub planned_on: String,
    #[serde(default)]
    pub status: String,
}

impl ActionForm {
    fn of(a: &LearningAction) -> Self {
        Self {
            title: a.title.clone(),
            kind: a.kind.code().to_owned(),
            competence_id: a.competence_id.0.to_string(),
            group: group_value(a),
            planned_on: a.planned_on.clone(),
            status: a.status.code().to_owned(),
        }
    }

    fn input(&self) -> Result<LearningActionInput, crate::Error> {
        let (unit_id, role_profile_id) = match self.group.split_once('-') {
            Some(("unit", id)) => (id.parse().ok(), None),
            Some(("role", id)) => (None, id.parse().ok()),
            _ if self.group.is_empty() => (None, None),
            _ => return Err(crate::Error::invalid("group", "unknown_choice")),
        };
        Ok(LearningActionInput {
            title: Some(self.title.clone()),
            kind: choice("kind", &self.kind, LearningKind::parse)?,
            competence_id: match self.competence_id.trim() {
                "" => None,
                id => {
                    Some(id.parse().map_err(|_| {
                        crate::Error::invalid("competence_id", "unknown_competence")
                    })?)
                }
            },
            unit_id: Some(unit_id),
            role_profile_id: Some(role_profile_id),
            planned_on: Some(self.planned_on.clone()),
            status: choice("status", &self.status, LearningStatus::parse)?,
        })
    }
}

/// An optional choice of a closed set: empty is absent, anything else
/// must be one of the codes.
fn choice<T>(
    field: &str,
    text: &str,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, crate::Error> {
    match text.trim() {
        "" => Ok(None),
        t => parse(t)
            .map(Some)
            .map_err(|code| crate::Error::invalid(field, code)),
    }
}

fn group_value(a: &LearningAction) -> String {
    match (a.unit_id, a.role_profile_id) {
        (Some(unit), _) => format!("unit-{unit}"),
        (None, Some(role)) => format!("role-{role}"),
        (None, None) => String::new(),
    }
}

/// What the lists and forms need to name competences, units and roles.
struct Names {
    competences: Vec<Competence>,
    units: Vec<Unit>,
    roles: Vec<RoleProfile>,
}

impl Names {
    async fn load(state: &AppState, page: &PageContext) -> Result<Names, PageError> {
        let err = |e| page.error(e);
        Ok(Names {
            competences: service::competences(state, &page.actor)
                .await
                .map_err(err)?,
            units: state
                .store()
                .list_units(page.actor.organisation_id)
                .await
                .map_err(err)?,
            roles: service::role_profiles(state, &page.actor)
                .await
                .map_err(err)?,
        })
    }

    fn competence(&self, a: &LearningAction) -> String {
        self.competences
            .iter()
            .find(|c| c.id == a.competence_id)
            .map(|c| format!("{} {}", c.code, c.name))
            .unwrap_or_default()
    }

    fn group(&self, t: Tr, a: &LearningAction) -> String {
        match (a.unit_id, a.role_profile_id) {
            (Some(unit), _) => self
                .units
                .iter()
                .find(|u| u.id == unit)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            (None, Some(role)) => self
                .roles
                .iter()
                .find(|r| r.id == role)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            (None, None) => t.get("skills.whole_organisation").to_owned(),
        }
    }

    fn kind_choices(t: Tr, selected: &str) -> Vec<Choice> {
        let mut list = vec![Choice {
            value: String::new(),
            label: t.get("skills.choose").to_owned(),
            selected: selected.is_empty(),
        }];
        list.extend(LearningKind::ALL.iter().map(|k| Choice {
            value: k.code().to_owned(),
            label: t.get(k.label_key()).to_owned(),
            selected: k.code() == selected,
        }));
        list
    }

    fn status_choices(t: Tr, selected: &str) -> Vec<Choice> {
        LearningStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().to_owned(),
                label: t.get(s.label_key()).to_owned(),
                selected: s.code() == selected || (selected.is_empty() && s.code() == "planned"),
            })
            .collect()
    }

    /// The competences some role needs first: only their gaps are measured.
    fn competence_choices(&self, t: Tr, selected: &str) -> Vec<Choice> {
        let needed = |c: &Competence| {
            self.roles
                .iter()
                .any(|r| r.requirements.iter().any(|q| q.competence_id == c.id))
        };
        let mut list = vec![Choice {
            value: String::new(),
            label: t.get("skills.choose").to_owned(),
            selected: selected.is_empty(),
        }];
        let ordered = self
            .competences
            .iter()
            .filter(|c| needed(c))
            .chain(self.competences.iter().filter(|c| !needed(c)));
        list.extend(ordered.map(|c| Choice {
            value: c.id.0.to_string(),
            label: format!("{} {}", c.code, c.name),
            selected: c.id.0.to_string() == selected,
        }));
        list
    }

    fn group_choices(&self, t: Tr, selected: &str) -> Vec<Choice> {
        let mut list = vec![Choice {
            value: String::new(),
            label: t.get("skills.whole_organisation").to_owned(),
            selected: selected.is_empty(),
        }];
        let unit_label = t.get("skills.group_unit");
        list.extend(self.units.iter().filter(|u| !u.is_archived()).map(|u| {
            let value = format!("unit-{}", u.id);
            Choice {
                selected: value == selected,
                value,
                label: format!("{unit_label}: {}", u.name),
            }
        }));
        let role_label = t.get("skills.group_role");
        list.extend(self.roles.iter().map(|r| {
            let value = format!("role-{}", r.id);
            Choice {
                selected: value == selected,
                value,
                label: format!("{role_label}: {}", r.name),
            }
        }));
        list
    }
}

/// A cell's mean gap (now, or to the horizon level) as text, or why there
/// is none.
fn gap_text(t: Tr, cell: &Cell, horizon: bool) -> String {
    let gap = if horizon {
        cell.gap_horizon
    } else {
        cell.gap_now
    };
    match cell.status {
        CellStatus::Shown => tenths(t, gap.unwrap_or(0.0)),
        CellStatus::Hidden => t.get("skills.cell_hidden_short").to_owned(),
        CellStatus::Empty => "–".to_owned(),
    }
}

/// A change in levels with its sign, a minus as typeset.
fn signed(t: Tr, change: f64) -> String {
    let sign = if change > 0.0 { "+" } else { "" };
    format!("{sign}{}", tenths(t, change)).replace('-', "\u{2212}")
}

/// "nu 1,4 → 0,9 (−0,5); horizon 2,1 → 1,2 (−0,9)" or why it cannot be
/// read yet.
fn effect_text(t: Tr, trend: &Trend, effect: Option<&ActionEffect>) -> String {
    let Some(effect) = effect else {
        return t.get("skills.effect_no_rounds").to_owned();
    };
    let cell_of = |round| {
        trend
            .rounds
            .iter()
            .position(|r| Some(r.round_id) == round)
            .and_then(|i| effect.cells.get(i))
    };
    match (
        cell_of(effect.before_round_id),
        cell_of(effect.after_round_id),
    ) {
        (Some(before), Some(after)) => {
            let part = |horizon: bool, change: Option<f64>| {
                let change = change.map_or_else(String::new, |c| format!(" ({})", signed(t, c)));
                format!(
                    "{} → {}{change}",
                    gap_text(t, before, horizon),
                    gap_text(t, after, horizon)
                )
            };
            t.fill(
                "skills.effect_both",
                &[
                    ("now", &part(false, effect.change_now)),
                    ("horizon", &part(true, effect.change_horizon)),
                ],
            )
        }
        (_, None) => t.get("skills.effect_no_round_after").to_owned(),
        (None, Some(_)) => t.get("skills.effect_no_round_before").to_owned(),
    }
}

pub struct ActionRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub competence: String,
    pub group: String,
    pub planned_on: String,
    pub status: String,
    pub effect: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/actions.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ActionRow>,
    total: i64,
    page: u32,
    page_count: u32,
    previous: Option<String>,
    next: Option<String>,
    can_manage: bool,
    form: ActionForm,
    kinds: Vec<Choice>,
    competences: Vec<Choice>,
    groups: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

async fn list_page(
    state: &AppState,
    page: &PageContext,
    query: ListQuery,
    form: ActionForm,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let request = PageRequest::from_params(&PageParams {
        page: query.page,
        page_size: Some(50),
    })
    .map_err(err)?;
    let list = actions::learning_actions(state, &page.actor, request)
        .await
        .map_err(err)?;
    let trend = actions::gap_trend(state, &page.actor).await.map_err(err)?;
    let names = Names::load(state, page).await?;
    let rows = list
        .items
        .iter()
        .map(|a| ActionRow {
            id: a.id.0,
            title: a.title.clone(),
            kind: t.get(a.kind.label_key()).to_owned(),
            competence: names.competence(a),
            group: names.group(t, a),
            planned_on: a.planned_on.clone(),
            status: t.get(a.status.label_key()).to_owned(),
            effect: effect_text(
                t,
                &trend,
                trend.actions.iter().find(|e| e.learning_action_id == a.id),
            ),
        })
        .collect();
    let link = |n: u32| format!("/skills/actions?page={n}");
    Ok(ListPage {
        shell: page.shell(t.get("skills.actions_title"), "skills"),
        rows,
        total: list.total,
        previous: list.has_previous().then(|| link(list.page - 1)),
        next: list.has_next().then(|| link(list.page + 1)),
        page: list.page,
        page_count: list.page_count(),
        can_manage: page.actor.can(Permission::ManageSkills),
        kinds: Names::kind_choices(t, &form.kind),
        competences: names.competence_choices(t, &form.competence_id),
        groups: names.group_choices(t, &form.group),
        statuses: Names::status_choices(t, &form.status),
        form,
        errors,
    })
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    Ok(list_page(
        &state,
        &page,
        query,
        ActionForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// The group is one field on the form, a unit or a role in the service.
fn place_group_errors(error: crate::Error) -> crate::Error {
    relabel(error, |field| {
        matches!(field, "unit_id" | "role_profile_id").then(|| "group".to_owned())
    })
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let result = match form.input() {
        Ok(input) => actions::create_learning_action(&state, &page.actor, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(action) => {
            page.flash(&state, "flash.learning_action_created").await?;
            Ok(see_other(&format!("/skills/actions/{}", action.id)))
        }
        Err(error) => {
            let errors = form_failure(place_group_errors(error), &page)?;
            Ok(bad_request(
                list_page(&state, &page, ListQuery::default(), form, errors).await?,
            ))
        }
    }
}

pub struct RoundRow {
    pub name: String,
    pub starts_on: String,
    pub gap: String,
    pub gap_horizon: String,
    pub people: String,
    /// `before`, `after` or empty: where the round stands to the action.
    pub marker: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/action.html")]
struct ShowPage {
    shell: Shell,
    action: LearningAction,
    kind: String,
    status: String,
    competence: String,
    group: String,
    effect: String,
    rounds: Vec<RoundRow>,
    min_group_size: i64,
    can_manage: bool,
    form: ActionForm,
    kinds: Vec<Choice>,
    competences: Vec<Choice>,
    groups: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: LearningActionId,
    form: Option<ActionForm>,
    errors: FormErrors,
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let action = actions::learning_action(state, &page.actor, id)
        .await
        .map_err(err)?;
    let trend = actions::gap_trend(state, &page.actor).await.map_err(err)?;
    let names = Names::load(state, page).await?;
    let effect = trend.actions.iter().find(|e| e.learning_action_id == id);
    let rounds = trend
        .rounds
        .iter()
        .enumerate()
        .map(|(i, round)| {
            let cell = effect.and_then(|e| e.cells.get(i));
            let marker = match effect {
                Some(e) if e.before_round_id == Some(round.round_id) => "before",
                Some(e) if e.after_round_id == Some(round.round_id) => "after",
                _ => "",
            };
            RoundRow {
                name: round.name.clone(),
                starts_on: round.starts_on.clone(),
                gap: cell.map_or_else(|| "–".to_owned(), |c| gap_text(t, c, false)),
                gap_horizon: cell.map_or_else(|| "–".to_owned(), |c| gap_text(t, c, true)),
                people: cell
                    .and_then(|c| c.people)
                    .map_or_else(String::new, |n| n.to_string()),
                marker: marker.to_owned(),
            }
        })
        .collect();
    let form = form.unwrap_or_else(|| ActionForm::of(&action));
    Ok(ShowPage {
        shell: page.shell(&action.title, "skills"),
        kind: t.get(action.kind.label_key()).to_owned(),
        status: t.get(action.status.label_key()).to_owned(),
        competence: names.competence(&action),
        group: names.group(t, &action),
        effect: effect_text(t, &trend, effect),
        rounds,
        min_group_size: trend.min_group_size,
        can_manage: page.actor.can(Permission::ManageSkills),
        kinds: Names::kind_choices(t, &form.kind),
        competences: names.competence_choices(t, &form.competence_id),
        groups: names.group_choices(t, &form.group),
        statuses: Names::status_choices(t, &form.status),
        form,
        errors,
        action,
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
        LearningActionId(id),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = LearningActionId(id);
    let result = match form.input() {
        Ok(input) => actions::update_learning_action(&state, &page.actor, id, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.learning_action_saved").await?;
            Ok(see_other(&format!("/skills/actions/{id}")))
        }
        Err(error) => {
            let errors = form_failure(place_group_errors(error), &page)?;
            Ok(bad_request(
                show_page(&state, &page, id, Some(form), errors).await?,
            ))
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    actions::delete_learning_action(&state, &page.actor, LearningActionId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.learning_action_deleted").await?;
    Ok(see_other("/skills/actions"))
}

async fn export(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    super::export::workbook(&state, &page.actor)
        .await
        .map(IntoResponse::into_response)
        .map_err(|e| page.error(e))
}
