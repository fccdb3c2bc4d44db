//! Pages of the skills module: the strategic workforce view (`/skills`),
//! the heatmap, one's own levels and self-assessment, an employee's page
//! for their unit lead and HR, role profiles, frameworks and the
//! employees register.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::gaps::{Cell, CellStatus};
use super::privacy::Access;
use super::service;
use super::spec::parse_fte;
use super::{
    AssessmentInput, AssessmentSource, AssessmentsInput, Competence, CompetenceInput, Employee,
    EmployeeInput, EmployeeSkills, Framework, FrameworkInput, Requirement, RoleProfile,
    RoleProfileInput,
};
use crate::domain::{CompetenceId, EmployeeId, FrameworkId, Permission, RoleProfileId};
use crate::governance::pages::{Choice, form_failure};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::{FormErrors, relabel};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::pagination::{PageParams, PageRequest};
use crate::store::EmployeeFilter;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/skills", get(overview))
        .route("/skills/heatmap", get(heatmap))
        .route("/skills/me", get(me).post(assess_me))
        .route("/skills/employees", get(employees).post(create_employee))
        .route(
            "/skills/employees/{id}",
            get(employee).post(assess_employee),
        )
        .route("/skills/employees/{id}/edit", post(save_employee))
        .route("/skills/roles", get(roles).post(create_role))
        .route("/skills/roles/{id}", get(role).post(save_role))
        .route("/skills/roles/{id}/delete", post(delete_role))
        .route("/skills/frameworks", get(frameworks).post(create_framework))
        .route(
            "/skills/frameworks/{id}/competences",
            post(create_competence),
        )
        .route("/skills/competences/{id}/delete", post(delete_competence))
}

pub(super) fn bad_request(page: impl IntoResponse) -> Response {
    (StatusCode::BAD_REQUEST, page).into_response()
}

/// One decimal, in the reader's notation.
pub fn tenths(t: Tr, x: f64) -> String {
    let text = format!("{x:.1}");
    match t.locale {
        crate::domain::Locale::Nl => text.replace('.', ","),
        crate::domain::Locale::En => text,
    }
}

/// A competence as a column or row heading.
pub struct CompetenceLabel {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub area: String,
}

fn labels(competences: &[Competence]) -> Vec<CompetenceLabel> {
    competences
        .iter()
        .map(|c| CompetenceLabel {
            id: c.id.0,
            code: c.code.clone(),
            name: c.name.clone(),
            area: c.area.clone(),
        })
        .collect()
}

fn competence_name(competences: &[Competence], id: CompetenceId) -> String {
    competences
        .iter()
        .find(|c| c.id == id)
        .map(|c| format!("{} {}", c.code, c.name))
        .unwrap_or_default()
}

fn role_name(roles: &[RoleProfile], id: RoleProfileId) -> String {
    roles
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

/// A heatmap cell as shown: its text, its shade (0–4) and a description
/// for screen readers.
pub struct ShownCell {
    pub text: String,
    pub shade: u8,
    pub title: String,
}

fn show_cell(t: Tr, cell: &Cell, horizon: bool) -> ShownCell {
    match cell.status {
        CellStatus::Empty => ShownCell {
            text: "–".into(),
            shade: 0,
            title: t.get("skills.cell_empty").to_owned(),
        },
        CellStatus::Hidden => ShownCell {
            text: t.get("skills.cell_hidden_short").to_owned(),
            shade: 0,
            title: t.get("skills.cell_hidden").to_owned(),
        },
        CellStatus::Shown => {
            let gap = if horizon {
                cell.gap_horizon
            } else {
                cell.gap_now
            }
            .unwrap_or(0.0);
            let shade = match gap {
                g if g <= 0.0 => 0,
                g if g < 0.5 => 1,
                g if g < 1.0 => 2,
                g if g < 2.0 => 3,
                _ => 4,
            };
            ShownCell {
                text: tenths(t, gap),
                shade,
                title: t
                    .get("skills.cell_people")
                    .replace("{people}", &cell.people.unwrap_or(0).to_string()),
            }
        }
    }
}

// ---- the strategic workforce view ----

pub struct PriorityRow {
    pub role: String,
    pub competence: String,
    pub gap: String,
    pub people: i64,
    pub fte: String,
    pub score: String,
}

pub struct WorkforceRow {
    pub id: i64,
    pub name: String,
    pub information_management: bool,
    pub fte_now: String,
    pub fte_needed: String,
    pub fte_gap: String,
    pub short: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/overview.html")]
struct OverviewPage {
    shell: Shell,
    has_record: bool,
    can_aggregates: bool,
    can_employees: bool,
    team: Vec<(i64, String)>,
    priorities: Vec<PriorityRow>,
    workforce: Vec<WorkforceRow>,
    fte_now: String,
    fte_needed: String,
    im_now: String,
    im_needed: String,
    im_short: bool,
    min_group_size: i64,
    trend: Vec<TrendRow>,
}

/// One assessment round in the strategic view.
pub struct TrendRow {
    pub name: String,
    pub starts_on: String,
    pub gap_now: String,
    pub gap_horizon: String,
    pub fixed: bool,
}

async fn overview(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let record = service::my_record(&state, &page.actor).await.map_err(err)?;
    let can_aggregates = page.actor.can(Permission::ViewSkillAggregates);
    let mut view = OverviewPage {
        shell: page.shell(t.get("skills.title"), "skills"),
        has_record: record.is_some(),
        can_aggregates,
        can_employees: page.actor.can(Permission::ManageEmployees),
        team: service::my_team(&state, &page.actor)
            .await
            .map_err(err)?
            .into_iter()
            .map(|e| (e.id.0, e.name))
            .collect(),
        priorities: Vec::new(),
        workforce: Vec::new(),
        fte_now: String::new(),
        fte_needed: String::new(),
        im_now: String::new(),
        im_needed: String::new(),
        im_short: false,
        min_group_size: 0,
        trend: Vec::new(),
    };
    if can_aggregates {
        let analysis = service::gap_analysis(&state, &page.actor)
            .await
            .map_err(err)?;
        let roles = service::role_profiles(&state, &page.actor)
            .await
            .map_err(err)?;
        let competences = service::competences(&state, &page.actor)
            .await
            .map_err(err)?;
        view.priorities = analysis
            .priorities
            .iter()
            .take(10)
            .map(|p| PriorityRow {
                role: role_name(&roles, p.role_profile_id),
                competence: competence_name(&competences, p.competence_id),
                gap: tenths(t, p.gap_horizon),
                people: p.people_short,
                fte: tenths(t, p.fte_needed),
                score: tenths(t, p.score),
            })
            .collect();
        let w = &analysis.workforce;
        view.workforce = w
            .lines
            .iter()
            .map(|l| WorkforceRow {
                id: l.role_profile_id.0,
                name: role_name(&roles, l.role_profile_id),
                information_management: l.information_management,
                fte_now: tenths(t, l.fte_now),
                fte_needed: tenths(t, l.fte_needed),
                fte_gap: tenths(t, l.fte_gap),
                short: l.fte_gap > 0.0,
            })
            .collect();
        view.fte_now = tenths(t, w.fte_now);
        view.fte_needed = tenths(t, w.fte_needed);
        view.im_now = tenths(t, w.information_management_now);
        view.im_needed = tenths(t, w.information_management_needed);
        view.im_short = w.information_management_needed > w.information_management_now;
        view.min_group_size = analysis.heatmap.min_group_size;
        let trend = super::actions::gap_trend(&state, &page.actor)
            .await
            .map_err(err)?;
        view.trend = trend
            .rounds
            .iter()
            .map(|r| {
                let overall = &r.overall;
                TrendRow {
                    name: r.name.clone(),
                    starts_on: r.starts_on.clone(),
                    gap_now: show_cell(t, overall, false).text,
                    gap_horizon: show_cell(t, overall, true).text,
                    fixed: r.fixed,
                }
            })
            .collect();
    }
    Ok(view.into_response())
}

// ---- the heatmap ----

pub struct HeatRow {
    pub name: String,
    pub depth: usize,
    pub cells: Vec<ShownCell>,
}

pub struct RoleGapRow {
    pub name: String,
    pub cells: Vec<ShownCell>,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/heatmap.html")]
struct HeatmapPage {
    shell: Shell,
    horizon: bool,
    columns: Vec<CompetenceLabel>,
    rows: Vec<HeatRow>,
    role_rows: Vec<RoleGapRow>,
    /// Round names with their start dates, oldest first.
    rounds: Vec<String>,
    /// Per competence, the organisation's cell in each round.
    trend_rows: Vec<RoleGapRow>,
    min_group_size: i64,
}

#[derive(Debug, Default, Deserialize)]
struct HeatmapQuery {
    #[serde(default)]
    view: String,
}

async fn heatmap(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<HeatmapQuery>,
) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let horizon = query.view == "horizon";
    let analysis = service::gap_analysis(&state, &page.actor)
        .await
        .map_err(err)?;
    let competences = service::competences(&state, &page.actor)
        .await
        .map_err(err)?;
    let roles = service::role_profiles(&state, &page.actor)
        .await
        .map_err(err)?;
    let columns: Vec<Competence> = analysis
        .heatmap
        .competence_ids
        .iter()
        .filter_map(|id| competences.iter().find(|c| c.id == *id).cloned())
        .collect();
    let rows = analysis
        .heatmap
        .rows
        .iter()
        .map(|r| HeatRow {
            name: r.name.clone(),
            depth: r.depth,
            cells: r.cells.iter().map(|c| show_cell(t, c, horizon)).collect(),
        })
        .collect();
    let role_rows = roles
        .iter()
        .map(|role| RoleGapRow {
            name: role.name.clone(),
            cells: analysis
                .heatmap
                .competence_ids
                .iter()
                .map(|c| {
                    analysis
                        .role_gaps
                        .iter()
                        .find(|g| g.role_profile_id == role.id && g.competence_id == *c)
                        .map_or_else(
                            || show_cell(t, &empty_cell(), horizon),
                            |g| show_cell(t, &g.cell, horizon),
                        )
                })
                .collect(),
        })
        .collect();
    let trend = super::actions::gap_trend(&state, &page.actor)
        .await
        .map_err(err)?;
    let trend_rows = columns
        .iter()
        .enumerate()
        .map(|(i, c)| RoleGapRow {
            name: format!("{} {}", c.code, c.name),
            cells: trend
                .rounds
                .iter()
                .map(|r| {
                    r.competences.get(i).map_or_else(
                        || show_cell(t, &empty_cell(), horizon),
                        |cell| show_cell(t, cell, horizon),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(HeatmapPage {
        shell: page.shell(t.get("skills.heatmap_title"), "skills"),
        horizon,
        columns: labels(&columns),
        rows,
        role_rows,
        rounds: trend
            .rounds
            .iter()
            .map(|r| format!("{} ({})", r.name, r.starts_on))
            .collect(),
        trend_rows,
        min_group_size: analysis.heatmap.min_group_size,
    }
    .into_response())
}

fn empty_cell() -> Cell {
    Cell {
        status: CellStatus::Empty,
        people: None,
        gap_now: None,
        gap_horizon: None,
        short_now: None,
        short_horizon: None,
    }
}

// ---- one person's levels and the assessment form ----

pub struct LevelRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub area: String,
    pub required_now: String,
    pub required_horizon: String,
    pub current: String,
    pub self_level: String,
    pub manager_level: String,
    pub below: bool,
    pub choices: Vec<Choice>,
    pub evidence: String,
    pub level_error: Option<String>,
    pub evidence_error: Option<String>,
}

pub struct HistoryRow {
    pub date: String,
    pub competence: String,
    pub source: &'static str,
    pub level: String,
    pub evidence: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/person.html")]
struct PersonPage {
    shell: Shell,
    own: bool,
    employee: Option<Employee>,
    unit: String,
    role: String,
    action: String,
    source_label: &'static str,
    required: Vec<LevelRow>,
    others: Vec<LevelRow>,
    history: Vec<HistoryRow>,
    can_edit_record: bool,
    record_only: bool,
    edit: EmployeeForm,
    units: Vec<Choice>,
    roles: Vec<Choice>,
    errors: FormErrors,
}

/// The name of level `level` of a competence's scale.
fn level_label(frameworks: &[Framework], competence: &Competence, level: i64) -> String {
    frameworks
        .iter()
        .find(|f| f.id == competence.framework_id)
        .and_then(|f| f.levels.get(usize::try_from(level - 1).ok()?))
        .map_or_else(|| level.to_string(), |name| format!("{level} – {name}"))
}

#[allow(clippy::too_many_arguments)]
async fn person_page(
    state: &AppState,
    page: &PageContext,
    skills: Option<(EmployeeSkills, Option<Access>)>,
    form: &HashMap<String, String>,
    edit: Option<EmployeeForm>,
    errors: FormErrors,
) -> Result<PersonPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let competences = service::competences(state, &page.actor)
        .await
        .map_err(err)?;
    let frameworks = service::frameworks(state, &page.actor).await.map_err(err)?;
    let roles = service::role_profiles(state, &page.actor)
        .await
        .map_err(err)?;
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let Some((skills, access)) = skills else {
        return Ok(PersonPage {
            shell: page.shell(t.get("skills.me_title"), "skills"),
            own: true,
            employee: None,
            unit: String::new(),
            role: String::new(),
            action: String::new(),
            source_label: "",
            required: Vec::new(),
            others: Vec::new(),
            history: Vec::new(),
            can_edit_record: false,
            record_only: false,
            edit: EmployeeForm::default(),
            units: Vec::new(),
            roles: Vec::new(),
            errors,
        });
    };
    let employee = skills.employee;
    let mut required = Vec::new();
    let mut others = Vec::new();
    // Without access to the levels (the register's keepers), the record only.
    let shown: &[Competence] = if access.is_some() { &competences } else { &[] };
    for c in shown {
        let level = skills.levels.iter().find(|l| l.competence_id == c.id);
        let show =
            |v: Option<i64>| v.map_or_else(|| "–".to_owned(), |v| level_label(&frameworks, c, v));
        let key = format!("level-{}", c.id);
        let typed = form.get(&key).cloned().unwrap_or_default();
        let mut choices = vec![Choice {
            value: String::new(),
            label: t.get("skills.not_assessed_now").to_owned(),
            selected: typed.is_empty(),
        }];
        choices.extend((1..=c.top_level).map(|n| Choice {
            value: n.to_string(),
            label: level_label(&frameworks, c, n),
            selected: typed == n.to_string(),
        }));
        let row = LevelRow {
            id: c.id.0,
            code: c.code.clone(),
            name: c.name.clone(),
            area: c.area.clone(),
            required_now: show(level.and_then(|l| l.required_now)),
            required_horizon: show(level.and_then(|l| l.required_horizon)),
            current: show(level.and_then(|l| l.level)),
            self_level: show(level.and_then(|l| l.self_level)),
            manager_level: show(level.and_then(|l| l.manager_level)),
            below: level.is_some_and(
                |l| matches!((l.level, l.required_now), (Some(have), Some(need)) if have < need),
            ),
            choices,
            evidence: form
                .get(&format!("evidence-{}", c.id))
                .cloned()
                .unwrap_or_default(),
            level_error: errors.get(&key).map(str::to_owned),
            evidence_error: errors.get(&format!("evidence-{}", c.id)).map(str::to_owned),
        };
        if level.is_some_and(|l| l.required_now.is_some() || l.required_horizon.is_some()) {
            required.push(row);
        } else {
            others.push(row);
        }
    }
    let history = skills
        .history
        .iter()
        .map(|a| HistoryRow {
            date: a.assessed_on.clone(),
            competence: competence_name(&competences, a.competence_id),
            source: t.get(a.source.label_key()),
            level: competences
                .iter()
                .find(|c| c.id == a.competence_id)
                .map_or_else(
                    || a.level.to_string(),
                    |c| level_label(&frameworks, c, a.level),
                ),
            evidence: a.evidence.clone(),
        })
        .collect();
    let own = access == Some(Access::Own);
    let action = if own {
        "/skills/me".to_owned()
    } else {
        format!("/skills/employees/{}", employee.id)
    };
    let edit = edit.unwrap_or_else(|| EmployeeForm::of(&employee));
    let title = if own {
        t.get("skills.me_title").to_owned()
    } else {
        employee.name.clone()
    };
    Ok(PersonPage {
        shell: page.shell(&title, "skills"),
        own,
        unit: employee
            .unit_id
            .and_then(|u| units.iter().find(|x| x.id == u))
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        role: employee
            .role_profile_id
            .map(|r| role_name(&roles, r))
            .unwrap_or_default(),
        action,
        source_label: access.map_or("", |a| t.get(a.source().label_key())),
        required,
        others,
        history,
        can_edit_record: page.actor.can(Permission::ManageEmployees),
        record_only: access.is_none(),
        units: unit_choices(t, &units, &edit.unit_id),
        roles: role_choices(t, &roles, &edit.role_profile_id),
        edit,
        employee: Some(employee),
        errors,
    })
}

/// The assessment form as input, and where each input row's errors go.
fn assessment_input(
    form: &HashMap<String, String>,
    competences: &[Competence],
    source: AssessmentSource,
) -> (AssessmentsInput, Vec<i64>) {
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    for c in competences {
        let level = form
            .get(&format!("level-{}", c.id))
            .map(|s| s.trim())
            .unwrap_or("");
        if level.is_empty() {
            continue;
        }
        rows.push(AssessmentInput {
            competence_id: Some(c.id.0),
            // A level that is not a number is out of the scale.
            level: Some(level.parse::<i64>().unwrap_or(0)),
            evidence: form.get(&format!("evidence-{}", c.id)).cloned(),
        });
        ids.push(c.id.0);
    }
    (
        AssessmentsInput {
            source: Some(source),
            assessments: Some(rows),
        },
        ids,
    )
}

/// `list[i].part` as `(i, part)`.
fn indexed<'a>(field: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = field.strip_prefix(list)?.strip_prefix('[')?;
    let (index, part) = rest.split_once("].")?;
    Some((index.parse().ok()?, part))
}

/// Moves `assessments[i].level` errors beside the form's `level-<id>` field.
fn place_errors(error: crate::Error, ids: &[i64]) -> crate::Error {
    relabel(error, |field| {
        if field == "assessments" {
            return Some(
                ids.first()
                    .map_or("assessment-form".into(), |id| format!("level-{id}")),
            );
        }
        let (i, part) = indexed(field, "assessments")?;
        let id = ids.get(i)?;
        Some(match part {
            "evidence" => format!("evidence-{id}"),
            _ => format!("level-{id}"),
        })
    })
}

async fn me(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let record = service::my_record(&state, &page.actor).await.map_err(err)?;
    let skills = match record {
        Some(record) => {
            let (skills, access) = service::employee_skills(&state, &page.actor, record.id)
                .await
                .map_err(err)?;
            Some((skills, Some(access)))
        }
        None => None,
    };
    Ok(person_page(
        &state,
        &page,
        skills,
        &HashMap::new(),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn assess_common(
    state: &AppState,
    page: &PageContext,
    id: EmployeeId,
    form: HashMap<String, String>,
    back: &str,
) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let (_, access) = service::employee_skills(state, &page.actor, id)
        .await
        .map_err(err)?;
    let competences = service::competences(state, &page.actor)
        .await
        .map_err(err)?;
    let (input, ids) = assessment_input(&form, &competences, access.source());
    let result = match input.assessments.as_deref() {
        Some([]) => Err(crate::Error::invalid("assessments", "nothing_assessed")),
        _ => service::assess(state, &page.actor, id, &input).await,
    };
    match result {
        Ok(_) => {
            page.flash(state, "flash.assessment_saved").await?;
            Ok(see_other(back))
        }
        Err(error) => {
            let errors = form_failure(place_errors(error, &ids), page)?;
            let (skills, access) = service::employee_skills(state, &page.actor, id)
                .await
                .map_err(err)?;
            Ok(bad_request(
                person_page(
                    state,
                    page,
                    Some((skills, Some(access))),
                    &form,
                    None,
                    errors,
                )
                .await?,
            ))
        }
    }
}

async fn assess_me(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let record = service::my_record(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?
        .ok_or_else(|| page.error(crate::Error::NotFound))?;
    assess_common(&state, &page, record.id, form, "/skills/me").await
}

async fn employee(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let skills = subject(&state, &page, EmployeeId(id)).await?;
    Ok(person_page(
        &state,
        &page,
        Some(skills),
        &HashMap::new(),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// An employee with their levels for whoever may see them; for the
/// register's keepers without that access (administrators), the record
/// alone.
async fn subject(
    state: &AppState,
    page: &PageContext,
    id: EmployeeId,
) -> Result<(EmployeeSkills, Option<Access>), PageError> {
    match service::employee_skills(state, &page.actor, id).await {
        Ok((skills, access)) => Ok((skills, Some(access))),
        Err(crate::Error::NotFound) if page.actor.can(Permission::ManageEmployees) => {
            let employee = service::employee(state, &page.actor, id)
                .await
                .map_err(|e| page.error(e))?;
            Ok((
                EmployeeSkills {
                    employee,
                    levels: Vec::new(),
                    history: Vec::new(),
                },
                None,
            ))
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn assess_employee(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let back = format!("/skills/employees/{id}");
    assess_common(&state, &page, EmployeeId(id), form, &back).await
}

// ---- the employees register ----

#[derive(Debug, Default, Clone, Deserialize)]
pub struct EmployeeForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub role_profile_id: String,
    #[serde(default)]
    pub active: Option<String>,
}

impl EmployeeForm {
    fn of(e: &Employee) -> Self {
        Self {
            number: e.number.clone(),
            name: e.name.clone(),
            unit_id: e.unit_id.map(|u| u.0.to_string()).unwrap_or_default(),
            role_profile_id: e
                .role_profile_id
                .map(|r| r.0.to_string())
                .unwrap_or_default(),
            active: e.active.then(|| "1".to_owned()),
        }
    }

    fn input(&self) -> Result<EmployeeInput, crate::Error> {
        let id =
            |field: &str, text: &str, code: &'static str| -> Result<Option<i64>, crate::Error> {
                match text.trim() {
                    "" => Ok(None),
                    t => t
                        .parse()
                        .map(Some)
                        .map_err(|_| crate::Error::invalid(field, code)),
                }
            };
        Ok(EmployeeInput {
            number: Some(self.number.clone()),
            name: Some(self.name.clone()),
            user_id: None,
            unit_id: Some(id("unit_id", &self.unit_id, "unknown_unit")?),
            role_profile_id: Some(id(
                "role_profile_id",
                &self.role_profile_id,
                "unknown_role_profile",
            )?),
            active: Some(self.active.is_some()),
        })
    }
}

fn unit_choices(t: Tr, units: &[crate::units::Unit], selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: t.get("skills.no_unit").to_owned(),
        selected: selected.is_empty(),
    }];
    list.extend(units.iter().filter(|u| !u.is_archived()).map(|u| Choice {
        value: u.id.0.to_string(),
        label: u.name.clone(),
        selected: u.id.0.to_string() == selected,
    }));
    list
}

fn role_choices(t: Tr, roles: &[RoleProfile], selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: t.get("skills.no_role").to_owned(),
        selected: selected.is_empty(),
    }];
    list.extend(roles.iter().map(|r| Choice {
        value: r.id.0.to_string(),
        label: r.name.clone(),
        selected: r.id.0.to_string() == selected,
    }));
    list
}

pub struct EmployeeRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub unit: String,
    pub role: String,
    pub active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/employees.html")]
struct EmployeesPage {
    shell: Shell,
    rows: Vec<EmployeeRow>,
    total: i64,
    page: u32,
    page_count: u32,
    search: String,
    previous: Option<String>,
    next: Option<String>,
    form: EmployeeForm,
    units: Vec<Choice>,
    roles: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct EmployeesQuery {
    #[serde(default)]
    search: String,
    page: Option<u32>,
}

async fn employees_page(
    state: &AppState,
    page: &PageContext,
    query: EmployeesQuery,
    form: EmployeeForm,
    errors: FormErrors,
) -> Result<EmployeesPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let request = PageRequest::from_params(&PageParams {
        page: query.page,
        page_size: Some(50),
    })
    .map_err(err)?;
    let filter = EmployeeFilter {
        search: query.search.clone(),
        ..Default::default()
    };
    let list = service::employees(state, &page.actor, &filter, request)
        .await
        .map_err(err)?;
    let units = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let roles = service::role_profiles(state, &page.actor)
        .await
        .map_err(err)?;
    let link = |n: u32| {
        let page = n.to_string();
        let mut pairs = vec![("page", page.as_str())];
        if !query.search.is_empty() {
            pairs.insert(0, ("search", query.search.as_str()));
        }
        format!(
            "/skills/employees?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    Ok(EmployeesPage {
        shell: page.shell(t.get("skills.employees_title"), "skills"),
        previous: list.has_previous().then(|| link(list.page - 1)),
        next: list.has_next().then(|| link(list.page + 1)),
        page: list.page,
        page_count: list.page_count(),
        total: list.total,
        rows: list
            .items
            .iter()
            .map(|e| EmployeeRow {
                id: e.id.0,
                number: e.number.clone(),
                name: e.name.clone(),
                unit: e
                    .unit_id
                    .and_then(|u| units.iter().find(|x| x.id == u))
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
                role: e
                    .role_profile_id
                    .map(|r| role_name(&roles, r))
                    .unwrap_or_default(),
                active: e.active,
            })
            .collect(),
        search: query.search,
        units: unit_choices(t, &units, &form.unit_id),
        roles: role_choices(t, &roles, &form.role_profile_id),
        form,
        errors,
    })
}

async fn employees(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<EmployeesQuery>,
) -> Result<Response, PageError> {
    let form = EmployeeForm {
        active: Some("1".into()),
        ..Default::default()
    };
    Ok(
        employees_page(&state, &page, query, form, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create_employee(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<EmployeeForm>,
) -> Result<Response, PageError> {
    let result = match form.input() {
        Ok(input) => service::create_employee(&state, &page.actor, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(employee) => {
            page.flash(&state, "flash.employee_created").await?;
            Ok(see_other(&format!("/skills/employees/{}", employee.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                employees_page(&state, &page, EmployeesQuery::default(), form, errors).await?,
            ))
        }
    }
}

async fn save_employee(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<EmployeeForm>,
) -> Result<Response, PageError> {
    let result = match form.input() {
        Ok(input) => service::update_employee(&state, &page.actor, EmployeeId(id), &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.employee_saved").await?;
            Ok(see_other(&format!("/skills/employees/{id}")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            let skills = subject(&state, &page, EmployeeId(id)).await?;
            Ok(bad_request(
                person_page(
                    &state,
                    &page,
                    Some(skills),
                    &HashMap::new(),
                    Some(form),
                    errors,
                )
                .await?,
            ))
        }
    }
}

// ---- role profiles ----

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub information_management: Option<String>,
    #[serde(default)]
    pub fte_now: String,
    #[serde(default)]
    pub fte_needed: String,
    #[serde(default)]
    pub horizon_on: String,
}

impl RoleForm {
    fn of(r: &RoleProfile, t: Tr) -> Self {
        Self {
            name: r.name.clone(),
            description: r.description.clone(),
            information_management: r.information_management.then(|| "1".to_owned()),
            fte_now: tenths(t, r.fte_now),
            fte_needed: tenths(t, r.fte_needed),
            horizon_on: r.horizon_on.clone(),
        }
    }

    /// The input, with FTE that do not parse reported beside their field.
    fn input(
        &self,
        requirements: Option<Vec<Requirement>>,
    ) -> (RoleProfileInput, Vec<crate::domain::FieldError>) {
        let mut bad = Vec::new();
        let mut fte = |field: &str, text: &str| match parse_fte(text) {
            Ok(x) => Some(x),
            Err(code) => {
                bad.push(crate::domain::FieldError::new(field, code));
                None
            }
        };
        let fte_now = fte("fte_now", &self.fte_now);
        let fte_needed = fte("fte_needed", &self.fte_needed);
        (
            RoleProfileInput {
                name: Some(self.name.clone()),
                description: Some(self.description.clone()),
                information_management: Some(self.information_management.is_some()),
                fte_now,
                fte_needed,
                horizon_on: Some(self.horizon_on.clone()),
                requirements,
            },
            bad,
        )
    }
}

/// Joins the form's own parse errors with the service's; a field the form
/// could not read keeps only the form's message (the service would add
/// "required" for the value it never got). Any other refusal (no right,
/// not found, a conflict) stands as it is: it comes before what was typed.
fn with_parse_errors(error: crate::Error, bad: Vec<crate::domain::FieldError>) -> crate::Error {
    match error {
        crate::Error::Invalid(errors) => {
            let rest: Vec<_> = errors
                .into_iter()
                .filter(|e| !bad.iter().any(|b| b.field == e.field))
                .collect();
            let mut all = bad;
            all.extend(rest);
            crate::Error::Invalid(all)
        }
        other => other,
    }
}

pub struct RoleRow {
    pub id: i64,
    pub name: String,
    pub information_management: bool,
    pub fte_now: String,
    pub fte_needed: String,
    pub horizon_on: String,
    pub competences: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/roles.html")]
struct RolesPage {
    shell: Shell,
    rows: Vec<RoleRow>,
    can_manage: bool,
    form: RoleForm,
    errors: FormErrors,
}

async fn roles_page(
    state: &AppState,
    page: &PageContext,
    form: RoleForm,
    errors: FormErrors,
) -> Result<RolesPage, PageError> {
    let t = page.t;
    let roles = service::role_profiles(state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    Ok(RolesPage {
        shell: page.shell(t.get("skills.roles_title"), "skills"),
        rows: roles
            .iter()
            .map(|r| RoleRow {
                id: r.id.0,
                name: r.name.clone(),
                information_management: r.information_management,
                fte_now: tenths(t, r.fte_now),
                fte_needed: tenths(t, r.fte_needed),
                horizon_on: r.horizon_on.clone(),
                competences: r.requirements.len(),
            })
            .collect(),
        can_manage: page.actor.can(Permission::ManageSkills),
        form,
        errors,
    })
}

async fn roles(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    Ok(
        roles_page(&state, &page, RoleForm::default(), FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn create_role(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, PageError> {
    let (input, bad) = form.input(None);
    let result = match service::create_role_profile(&state, &page.actor, &input).await {
        Ok(role) if bad.is_empty() => Ok(role),
        Ok(_) => Err(crate::Error::Invalid(bad)),
        Err(e) => Err(with_parse_errors(e, bad)),
    };
    match result {
        Ok(role) => {
            page.flash(&state, "flash.role_profile_created").await?;
            Ok(see_other(&format!("/skills/roles/{}", role.id)))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(roles_page(&state, &page, form, errors).await?))
        }
    }
}

pub struct RequirementRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub now: Vec<Choice>,
    pub horizon: Vec<Choice>,
    pub now_error: Option<String>,
    pub horizon_error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/role.html")]
struct RolePage {
    shell: Shell,
    role: RoleProfile,
    can_manage: bool,
    form: RoleForm,
    requirements: Vec<RequirementRow>,
    errors: FormErrors,
}

async fn role_page(
    state: &AppState,
    page: &PageContext,
    id: RoleProfileId,
    form: Option<(RoleForm, HashMap<String, String>)>,
    errors: FormErrors,
) -> Result<RolePage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let role = service::role_profile(state, &page.actor, id)
        .await
        .map_err(err)?;
    let competences = service::competences(state, &page.actor)
        .await
        .map_err(err)?;
    let frameworks = service::frameworks(state, &page.actor).await.map_err(err)?;
    let (form, raw) = form.unwrap_or_else(|| {
        let raw = role
            .requirements
            .iter()
            .flat_map(|r| {
                [
                    (format!("now-{}", r.competence_id), r.level_now.to_string()),
                    (
                        format!("horizon-{}", r.competence_id),
                        r.level_horizon.to_string(),
                    ),
                ]
            })
            .collect();
        (RoleForm::of(&role, t), raw)
    });
    let choices = |c: &Competence, key: &str| {
        let typed = raw.get(key).cloned().unwrap_or_default();
        let mut list = vec![Choice {
            value: String::new(),
            label: t.get("skills.not_needed").to_owned(),
            selected: typed.is_empty(),
        }];
        list.extend((1..=c.top_level).map(|n| Choice {
            value: n.to_string(),
            label: level_label(&frameworks, c, n),
            selected: typed == n.to_string(),
        }));
        list
    };
    let requirements = competences
        .iter()
        .map(|c| {
            let now = format!("now-{}", c.id);
            let horizon = format!("horizon-{}", c.id);
            RequirementRow {
                id: c.id.0,
                code: c.code.clone(),
                name: c.name.clone(),
                now: choices(c, &now),
                horizon: choices(c, &horizon),
                now_error: errors.get(&now).map(str::to_owned),
                horizon_error: errors.get(&horizon).map(str::to_owned),
            }
        })
        .collect();
    Ok(RolePage {
        shell: page.shell(&role.name, "skills"),
        can_manage: page.actor.can(Permission::ManageSkills),
        form,
        requirements,
        errors,
        role,
    })
}

async fn role(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(role_page(
        &state,
        &page,
        RoleProfileId(id),
        None,
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn save_role(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(raw): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let form = RoleForm {
        name: get("name"),
        description: get("description"),
        information_management: raw.get("information_management").cloned(),
        fte_now: get("fte_now"),
        fte_needed: get("fte_needed"),
        horizon_on: get("horizon_on"),
    };
    let competences = service::competences(&state, &page.actor)
        .await
        .map_err(err)?;
    // A competence is needed when either level is chosen; the other one
    // then defaults to it.
    let mut requirements = Vec::new();
    let mut bad = Vec::new();
    for c in &competences {
        let level = |key: String| -> Result<Option<i64>, String> {
            match raw.get(&key).map(|s| s.trim()).unwrap_or("") {
                "" => Ok(None),
                text => text.parse().map(Some).map_err(|_| key),
            }
        };
        let now = level(format!("now-{}", c.id));
        let horizon = level(format!("horizon-{}", c.id));
        match (now, horizon) {
            (Ok(None), Ok(None)) => {}
            (Ok(now), Ok(horizon)) => {
                let (now, horizon) = (now.or(horizon), horizon.or(now));
                if let (Some(level_now), Some(level_horizon)) = (now, horizon) {
                    requirements.push(Requirement {
                        competence_id: c.id,
                        level_now,
                        level_horizon,
                    });
                }
            }
            (Err(key), _) | (_, Err(key)) => {
                bad.push(crate::domain::FieldError::new(key, "level_out_of_scale"));
            }
        }
    }
    let (input, mut parse_errors) = form.input(Some(requirements.clone()));
    parse_errors.extend(bad);
    // A field that could not be read stops the save before anything is
    // written (the service would keep the stored value in its place and
    // save the rest); the right to change the profile is checked first.
    let result = if parse_errors.is_empty() {
        service::update_role_profile(&state, &page.actor, RoleProfileId(id), &input)
            .await
            .map(|_| ())
    } else {
        page.actor
            .require(Permission::ManageSkills)
            .and(Err(crate::Error::Invalid(parse_errors)))
    };
    match result {
        Ok(()) => {
            page.flash(&state, "flash.role_profile_saved").await?;
            Ok(see_other(&format!("/skills/roles/{id}")))
        }
        Err(error) => {
            // requirements[i].level_now → now-<competence id>
            let error = relabel(error, |field| {
                let (i, part) = indexed(field, "requirements")?;
                let side = if part == "level_horizon" {
                    "horizon"
                } else {
                    "now"
                };
                Some(format!("{side}-{}", requirements.get(i)?.competence_id))
            });
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                role_page(&state, &page, RoleProfileId(id), Some((form, raw)), errors).await?,
            ))
        }
    }
}

// ---- frameworks ----

#[derive(Debug, Default, Clone, Deserialize)]
pub struct FrameworkForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// One level per line, lowest first.
    #[serde(default)]
    pub levels: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CompetenceForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub name: String,
}

pub struct FrameworkView {
    pub framework: Framework,
    pub competences: Vec<CompetenceLabel>,
    /// The add-competence form of this framework, with its errors.
    pub form: CompetenceForm,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "skills/frameworks.html")]
struct FrameworksPage {
    shell: Shell,
    frameworks: Vec<FrameworkView>,
    can_manage: bool,
    form: FrameworkForm,
    errors: FormErrors,
}

async fn frameworks_page(
    state: &AppState,
    page: &PageContext,
    form: FrameworkForm,
    errors: FormErrors,
    competence_form: Option<(FrameworkId, CompetenceForm, FormErrors)>,
) -> Result<FrameworksPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let frameworks = service::frameworks(state, &page.actor).await.map_err(err)?;
    let competences = service::competences(state, &page.actor)
        .await
        .map_err(err)?;
    let mut competence_form = competence_form;
    Ok(FrameworksPage {
        shell: page.shell(t.get("skills.frameworks_title"), "skills"),
        frameworks: frameworks
            .into_iter()
            .map(|f| {
                let own: Vec<Competence> = competences
                    .iter()
                    .filter(|c| c.framework_id == f.id)
                    .cloned()
                    .collect();
                let (form, errors) = match competence_form.take() {
                    Some((id, form, errors)) if id == f.id => (form, errors),
                    other => {
                        competence_form = other;
                        (CompetenceForm::default(), FormErrors::default())
                    }
                };
                FrameworkView {
                    competences: labels(&own),
                    framework: f,
                    form,
                    errors,
                }
            })
            .collect(),
        can_manage: page.actor.can(Permission::ManageSkills),
        form,
        errors,
    })
}

async fn frameworks(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<Response, PageError> {
    Ok(frameworks_page(
        &state,
        &page,
        FrameworkForm::default(),
        FormErrors::default(),
        None,
    )
    .await?
    .into_response())
}

async fn create_framework(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<FrameworkForm>,
) -> Result<Response, PageError> {
    let input = FrameworkInput {
        name: Some(form.name.clone()),
        description: Some(form.description.clone()),
        levels: Some(
            form.levels
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
    };
    match service::create_framework(&state, &page.actor, &input).await {
        Ok(_) => {
            page.flash(&state, "flash.framework_created").await?;
            Ok(see_other("/skills/frameworks"))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                frameworks_page(&state, &page, form, errors, None).await?,
            ))
        }
    }
}

async fn create_competence(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CompetenceForm>,
) -> Result<Response, PageError> {
    let input = CompetenceInput {
        code: Some(form.code.clone()),
        area: Some(form.area.clone()),
        name: Some(form.name.clone()),
        description: None,
    };
    match service::create_competence(&state, &page.actor, FrameworkId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.competence_created").await?;
            Ok(see_other(&format!("/skills/frameworks#framework-{id}")))
        }
        Err(error) => {
            // Field ids are per framework, so that each form's messages sit
            // beside its own fields.
            let error = relabel(error, |field| Some(format!("{field}-{id}")));
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                frameworks_page(
                    &state,
                    &page,
                    FrameworkForm::default(),
                    FormErrors::default(),
                    Some((FrameworkId(id), form, errors)),
                )
                .await?,
            ))
        }
    }
}

async fn delete_role(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    match service::delete_role_profile(&state, &page.actor, RoleProfileId(id)).await {
        Ok(()) => {
            page.flash(&state, "flash.role_deleted").await?;
            Ok(see_other("/skills/roles"))
        }
        Err(error) => {
            // The message sits beside the button that was pressed.
            let error = relabel(error, |_| Some("delete-role".to_owned()));
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                role_page(&state, &page, RoleProfileId(id), None, errors).await?,
            ))
        }
    }
}

async fn delete_competence(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let competence = CompetenceId(id);
    let framework = service::competences(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .find(|c| c.id == competence)
        .map(|c| c.framework_id)
        .ok_or_else(|| page.error(crate::Error::NotFound))?;
    match service::delete_competence(&state, &page.actor, competence).await {
        Ok(()) => {
            page.flash(&state, "flash.competence_deleted").await?;
            Ok(see_other(&format!(
                "/skills/frameworks#framework-{framework}"
            )))
        }
        // The built-in framework has no delete buttons: no form to return to.
        Err(crate::Error::Conflict(e)) if e.code == "builtin_framework" => {
            Err(page.error(crate::Error::Conflict(e)))
        }
        Err(error) => {
            let error = relabel(error, |_| Some(format!("delete-competence-{id}")));
            let errors = form_failure(error, &page)?;
            Ok(bad_request(
                frameworks_page(
                    &state,
                    &page,
                    FrameworkForm::default(),
                    FormErrors::default(),
                    Some((framework, CompetenceForm::default(), errors)),
                )
                .await?,
            ))
        }
    }
}
