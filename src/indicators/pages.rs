use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::api::IndicatorListParams;
use super::{
    Indicator, IndicatorInput, IndicatorSummary, Measurement, MeasurementInput, Reasoning, Status,
    StatusAssessment, Target, TargetInput, service,
};
use crate::Error;
use crate::domain::{
    Aggregation, Direction, FieldError, Frequency, IndicatorId, Permission, Perspective, Role,
    ValueUnit,
};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath, PageQuery};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::organisations::pages::Choice;
use crate::pagination::{Page, PageRequest};
use crate::store::IndicatorSort;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(list).post(create))
        .route("/indicators/new", get(new))
        .route("/indicators/{id}", get(show))
        .route("/indicators/{id}/edit", get(edit).post(save))
        .route("/indicators/{id}/measurements", post(record))
        .route("/indicators/{id}/targets", post(add_target))
        .route("/indicators/{id}/export", get(export))
}

/// A number as people type it: `12.5` or the Dutch `12,5`; empty is none.
fn number(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(value) if value.is_finite() => Some(value),
        _ => {
            errors.push(FieldError::new(field, "number"));
            None
        }
    }
}

/// Shows a number the Dutch way in Dutch, the English way in English.
pub fn show_number(t: Tr, value: f64) -> String {
    let text = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let mut text = format!("{value:.2}");
        while text.ends_with('0') {
            text.pop();
        }
        // 45.999 rounds to "46.00": no dangling separator.
        if text.ends_with('.') {
            text.pop();
        }
        text
    };
    if t.lang() == "nl" {
        text.replace('.', ",")
    } else {
        text
    }
}

fn choices<T: Copy>(
    t: Tr,
    all: &[T],
    code: fn(T) -> &'static str,
    label_key: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|item| Choice {
            value: code(*item),
            label: t.get(label_key(*item)),
            selected: code(*item) == selected,
        })
        .collect()
}

// ---- overview ----

pub struct SummaryRow {
    pub sparkline: Option<String>,
    pub summary: IndicatorSummary,
    pub latest: String,
    pub target: String,
    pub badge: &'static str,
}

/// One overview row, ready to show.
pub fn summary_row(t: Tr, summary: IndicatorSummary) -> SummaryRow {
    SummaryRow {
        sparkline: super::chart::sparkline(&summary.recent),
        badge: badge(summary.assessment.status),
        latest: summary
            .latest
            .as_ref()
            .map(|l| format!("{} ({})", show_number(t, l.value), l.period))
            .unwrap_or_else(|| t.get("indicators.no_data").to_owned()),
        target: summary
            .next_target
            .as_ref()
            .map(|target| format!("{} ({})", show_number(t, target.value), target.date))
            .unwrap_or_else(|| "—".to_owned()),
        summary,
    }
}

/// The chart's text alternative in one sentence: from when to when, from
/// what to what.
pub fn chart_description(t: Tr, history: &[(crate::domain::Period, f64)]) -> String {
    match (history.first(), history.last()) {
        (Some(first), Some(last)) => t.fill(
            "chart.description",
            &[
                ("first", &first.0.label()),
                ("last", &last.0.label()),
                ("from", &show_number(t, first.1)),
                ("to", &show_number(t, last.1)),
            ],
        ),
        _ => String::new(),
    }
}

/// A date the way the page's language writes it: 1-1-2027 or 2027-01-01.
fn show_date(t: Tr, date: time::Date) -> String {
    if t.lang() == "nl" {
        format!("{}-{}-{}", date.day(), u8::from(date.month()), date.year())
    } else {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }
}

/// The utrecht status badge modifier for a status.
pub fn badge(status: Status) -> &'static str {
    match status {
        Status::OnTrack => "utrecht-status-badge--success",
        Status::AtRisk => "utrecht-status-badge--warning",
        Status::OffTrack => "utrecht-status-badge--danger",
        Status::NoTarget | Status::NoData => "utrecht-status-badge--neutral",
    }
}

/// The assessment in words, e.g. "At the current pace 71 by 1-1-2027,
/// target 80."
pub fn explain(t: Tr, assessment: &StatusAssessment) -> String {
    let n = |v: f64| show_number(t, v);
    let date = assessment
        .target_date
        .map(|d| show_date(t, d))
        .unwrap_or_default();
    let mut text = match assessment.reasoning {
        Reasoning::NoData => t.get("status.why_no_data").to_owned(),
        Reasoning::NoTarget => t.get("status.why_no_target").to_owned(),
        Reasoning::Reached { latest, target } => t.fill(
            "status.why_reached",
            &[("latest", &n(latest)), ("target", &n(target))],
        ),
        Reasoning::Missed { latest, target } => t.fill(
            "status.why_missed",
            &[
                ("latest", &n(latest)),
                ("target", &n(target)),
                ("date", &date),
            ],
        ),
        Reasoning::TooFewValues { latest, target } => t.fill(
            "status.why_too_few",
            &[("latest", &n(latest)), ("target", &n(target))],
        ),
        Reasoning::Projected { projected, target } => t.fill(
            "status.why_projected",
            &[
                ("projected", &n(projected)),
                ("target", &n(target)),
                ("date", &date),
            ],
        ),
        Reasoning::InRange { latest, low, high } => t.fill(
            "status.why_in_range",
            &[("latest", &n(latest)), ("low", &n(low)), ("high", &n(high))],
        ),
        Reasoning::OutOfRange { latest, low, high } => t.fill(
            "status.why_out_of_range",
            &[("latest", &n(latest)), ("low", &n(low)), ("high", &n(high))],
        ),
    };
    if assessment.overdue {
        text.push(' ');
        text.push_str(t.get("status.why_overdue"));
    }
    text
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/list.html")]
struct ListPage {
    shell: Shell,
    rows: Page<SummaryRow>,
    perspectives: Vec<IdChoice>,
    units: Vec<IdChoice>,
    owners: Vec<IdChoice>,
    statuses: Vec<IdChoice>,
    sorts: Vec<IdChoice>,
    ambitions: Vec<IdChoice>,
    search: String,
    filtered: bool,
    /// Filters cannot be wrong on this page (unknown values are ignored).
    no_error: Option<&'static str>,
    pager_query: String,
    can_manage: bool,
    can_record: bool,
}

/// A choice list headed by "all" (the empty value).
fn filter_choices(
    all_label: &str,
    options: impl IntoIterator<Item = (String, String)>,
    selected: &str,
) -> Vec<IdChoice> {
    let mut list = vec![IdChoice {
        value: String::new(),
        label: all_label.to_owned(),
        selected: selected.is_empty(),
    }];
    list.extend(options.into_iter().map(|(value, label)| IdChoice {
        selected: value == selected,
        value,
        label,
    }));
    list
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(params): PageQuery<IndicatorListParams>,
) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let filter = params.filter().unwrap_or_default();
    let request = PageRequest::new(
        params.page.unwrap_or(1).max(1),
        params.page_size.unwrap_or(25).clamp(1, 100),
    )
    .unwrap_or_default();
    let summaries = service::list(&state, &page.actor, &filter, request)
        .await
        .map_err(err)?;
    let rows = summaries.map(|summary| summary_row(t, summary));
    let members = state
        .store()
        .list_members(
            page.actor.organisation_id,
            "",
            PageRequest::new(1, 100).map_err(err)?,
        )
        .await
        .map_err(err)?;
    let perspective = filter.perspective.map_or("", Perspective::code);
    let unit = filter.unit.map_or("", ValueUnit::code);
    let owner = filter.owner.map(|o| o.0.to_string()).unwrap_or_default();
    let status = filter.status.map_or("", Status::code);
    let ambition = filter.ambition.map(|a| a.0.to_string()).unwrap_or_default();
    let all_ambitions = crate::governance::service::all_ambitions(&state, &page.actor)
        .await
        .map_err(err)?;
    let sort = filter.sort.code();
    let labelled = |code: &'static str, key: &'static str| (code.to_owned(), t.get(key).to_owned());
    let page_size = request.page_size().to_string();
    let pager_query = serde_urlencoded::to_string([
        ("page_size", page_size.as_str()),
        ("perspective", perspective),
        ("unit", unit),
        ("owner_id", owner.as_str()),
        ("status", status),
        ("ambition_id", ambition.as_str()),
        ("sort", sort),
        ("search", filter.search.as_str()),
    ])
    .map(|q| format!("{q}&"))
    .unwrap_or_default();
    Ok(ListPage {
        shell: page.shell(t.get("indicators.title"), "indicators"),
        rows,
        perspectives: filter_choices(
            t.get("indicators.all_perspectives"),
            Perspective::ALL
                .iter()
                .map(|p| labelled(p.code(), p.label_key())),
            perspective,
        ),
        units: filter_choices(
            t.get("indicators.all_units"),
            ValueUnit::ALL
                .iter()
                .map(|u| labelled(u.code(), u.label_key())),
            unit,
        ),
        owners: filter_choices(
            t.get("indicators.all_owners"),
            members
                .items
                .iter()
                .filter(|m| m.role != Role::Viewer)
                .map(|m| (m.id.0.to_string(), m.name.clone())),
            &owner,
        ),
        statuses: filter_choices(
            t.get("indicators.all_statuses"),
            Status::ALL
                .iter()
                .map(|s| labelled(s.code(), s.label_key())),
            status,
        ),
        ambitions: filter_choices(
            t.get("ambitions.all"),
            all_ambitions
                .into_iter()
                .map(|(id, title, programme)| (id.0.to_string(), format!("{title} ({programme})"))),
            &ambition,
        ),
        sorts: IndicatorSort::ALL
            .iter()
            .map(|s| IdChoice {
                value: s.code().to_owned(),
                label: t
                    .get(&format!("indicators.sort_by.{}", s.code()))
                    .to_owned(),
                selected: s.code() == sort,
            })
            .collect(),
        filtered: !(perspective.is_empty()
            && unit.is_empty()
            && owner.is_empty()
            && status.is_empty()
            && ambition.is_empty()
            && filter.search.trim().is_empty()),
        search: filter.search,
        no_error: None,
        pager_query,
        can_manage: page.actor.can(Permission::ManageIndicators),
        can_record: page.actor.role != Role::Viewer,
    }
    .into_response())
}

// ---- define and edit ----

/// The indicator form as it arrives: text everywhere.
#[derive(Debug, Default, Clone, Deserialize)]
struct IndicatorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    perspective: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    min_value: String,
    #[serde(default)]
    max_value: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    range_low: String,
    #[serde(default)]
    range_high: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    aggregation: String,
    #[serde(default)]
    baseline_value: String,
    #[serde(default)]
    baseline_period: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    responsible_unit_id: String,
    #[serde(default)]
    data_source: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    published: Option<String>,
    /// `kanaal: online, telefoon, balie`, one dimension per line.
    #[serde(default)]
    dimensions: String,
    #[serde(default)]
    formula: String,
    /// The version the form was opened on (empty for a new indicator).
    #[serde(default)]
    version: String,
}

impl IndicatorForm {
    fn of(indicator: &Indicator, t: Tr) -> Self {
        let num = |v: Option<f64>| v.map(|v| show_number(t, v)).unwrap_or_default();
        IndicatorForm {
            code: indicator.code.clone(),
            name: indicator.name.clone(),
            description: indicator.description.clone(),
            perspective: indicator.perspective.code().to_owned(),
            unit: indicator.unit.code().to_owned(),
            min_value: num(indicator.min_value),
            max_value: num(indicator.max_value),
            direction: indicator.direction.code().to_owned(),
            range_low: num(indicator.range_low),
            range_high: num(indicator.range_high),
            frequency: indicator.frequency.code().to_owned(),
            aggregation: indicator.aggregation.code().to_owned(),
            baseline_value: num(indicator.baseline_value),
            baseline_period: indicator.baseline_period.clone().unwrap_or_default(),
            owner_id: indicator
                .owner_id
                .map(|o| o.0.to_string())
                .unwrap_or_default(),
            responsible_unit_id: indicator
                .responsible_unit_id
                .map(|u| u.0.to_string())
                .unwrap_or_default(),
            data_source: indicator.data_source.clone(),
            published: indicator.published.then(|| "1".to_owned()),
            dimensions: super::dimensions::to_lines(&indicator.dimensions),
            formula: indicator.formula.clone().unwrap_or_default(),
            version: indicator.version.to_string(),
        }
    }

    /// The input for the service and any number fields that did not parse.
    fn input(&self, creating: bool) -> (IndicatorInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut num = |field: &str, text: &str| Some(number(field, text, &mut errors));
        let id = |text: &str| Some(text.trim().parse::<i64>().ok());
        let input = IndicatorInput {
            code: creating.then(|| self.code.clone()),
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            perspective: Some(self.perspective.clone()),
            unit: creating.then(|| self.unit.clone()),
            min_value: num("min_value", &self.min_value),
            max_value: num("max_value", &self.max_value),
            direction: Some(self.direction.clone()),
            range_low: num("range_low", &self.range_low),
            range_high: num("range_high", &self.range_high),
            frequency: creating.then(|| self.frequency.clone()),
            aggregation: Some(self.aggregation.clone()).filter(|a| !a.is_empty()),
            baseline_value: num("baseline_value", &self.baseline_value),
            baseline_period: Some(
                Some(self.baseline_period.clone()).filter(|p| !p.trim().is_empty()),
            ),
            owner_id: id(&self.owner_id),
            responsible_unit_id: id(&self.responsible_unit_id),
            data_source: Some(self.data_source.clone()),
            published: Some(self.published.is_some()),
            dimensions: Some(super::dimensions::from_lines(&self.dimensions)),
            formula: Some(Some(self.formula.trim().to_owned()).filter(|f| !f.is_empty())),
            version: self.version.trim().parse().ok(),
        };
        (input, errors)
    }
}

pub struct IdChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/form.html")]
struct FormPage {
    shell: Shell,
    action: String,
    creating: bool,
    form: IndicatorForm,
    perspectives: Vec<Choice>,
    units: Vec<Choice>,
    directions: Vec<Choice>,
    frequencies: Vec<Choice>,
    aggregations: Vec<Choice>,
    owners: Vec<IdChoice>,
    org_units: Vec<IdChoice>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    page: &PageContext,
    existing: Option<&Indicator>,
    form: IndicatorForm,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let members = state
        .store()
        .list_members(
            page.actor.organisation_id,
            "",
            PageRequest::new(1, 100).map_err(err)?,
        )
        .await
        .map_err(err)?;
    let mut owners = vec![IdChoice {
        value: String::new(),
        label: t.get("indicators.no_owner").to_owned(),
        selected: form.owner_id.is_empty(),
    }];
    owners.extend(
        members
            .items
            .iter()
            .filter(|m| m.active && m.role != Role::Viewer)
            .map(|m| IdChoice {
                value: m.id.0.to_string(),
                label: format!("{} ({})", m.name, m.email),
                selected: m.id.0.to_string() == form.owner_id,
            }),
    );
    let tree = crate::units::service::tree(state, &page.actor, false)
        .await
        .map_err(err)?;
    let mut org_units = vec![IdChoice {
        value: String::new(),
        label: t.get("indicators.no_unit").to_owned(),
        selected: form.responsible_unit_id.is_empty(),
    }];
    org_units.extend(tree.iter().map(|n| IdChoice {
        value: n.unit.id.0.to_string(),
        label: n.path.clone(),
        selected: n.unit.id.0.to_string() == form.responsible_unit_id,
    }));
    let (title, action) = match existing {
        Some(indicator) => (
            indicator.name.clone(),
            format!("/indicators/{}/edit", indicator.id),
        ),
        None => (
            t.get("indicators.new_title").to_owned(),
            "/indicators".to_owned(),
        ),
    };
    let unit_default = if form.unit.is_empty() {
        "percentage"
    } else {
        form.unit.as_str()
    };
    let direction_default = if form.direction.is_empty() {
        "higher_is_better"
    } else {
        form.direction.as_str()
    };
    let frequency_default = if form.frequency.is_empty() {
        "month"
    } else {
        form.frequency.as_str()
    };
    let perspective_default = if form.perspective.is_empty() {
        "resident"
    } else {
        form.perspective.as_str()
    };
    let mut aggregations = vec![Choice {
        value: "",
        label: t.get("indicators.aggregation_default"),
        selected: form.aggregation.is_empty(),
    }];
    aggregations.extend(choices(
        t,
        Aggregation::ALL,
        Aggregation::code,
        Aggregation::label_key,
        &form.aggregation,
    ));
    Ok(FormPage {
        shell: page.shell(&title, "indicators"),
        action,
        creating: existing.is_none(),
        perspectives: choices(
            t,
            Perspective::ALL,
            Perspective::code,
            Perspective::label_key,
            perspective_default,
        ),
        units: choices(
            t,
            ValueUnit::ALL,
            ValueUnit::code,
            ValueUnit::label_key,
            unit_default,
        ),
        directions: choices(
            t,
            Direction::ALL,
            Direction::code,
            Direction::label_key,
            direction_default,
        ),
        frequencies: choices(
            t,
            &Frequency::ALL,
            Frequency::code,
            Frequency::label_key,
            frequency_default,
        ),
        aggregations,
        owners,
        org_units,
        form,
        errors,
    })
}

async fn new(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    page.actor
        .require(Permission::ManageIndicators)
        .map_err(|e| page.error(e))?;
    Ok(form_page(
        &state,
        &page,
        None,
        IndicatorForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

/// Runs `save` unless numbers failed to parse; either way reports every
/// failing field at once.
async fn validated<T>(
    form: &IndicatorForm,
    existing: Option<&Indicator>,
    save: impl AsyncFnOnce(IndicatorInput) -> crate::Result<T>,
) -> crate::Result<T> {
    let (input, mut number_errors) = form.input(existing.is_none());
    if number_errors.is_empty() {
        return save(input).await.map_err(one_dimensions_field);
    }
    if let Err(Error::Invalid(more)) = super::spec::indicator_spec(&input, existing) {
        let known: Vec<String> = number_errors.iter().map(|e| e.field.clone()).collect();
        number_errors.extend(more.into_iter().filter(|e| !known.contains(&e.field)));
    }
    Err(one_dimensions_field(Error::Invalid(number_errors)))
}

/// The form has one text area for every dimension: `dimensions[1].values`
/// is reported there.
fn one_dimensions_field(error: Error) -> Error {
    error.rename_fields(|f| f.starts_with("dimensions").then(|| "dimensions".to_owned()))
}

async fn create(
    State(state): State<AppState>,
    page: PageContext,
    PageForm(form): PageForm<IndicatorForm>,
) -> Result<Response, PageError> {
    // The right first: a number that does not parse is no reason to show
    // the form to someone who may not use it.
    page.actor
        .require(Permission::ManageIndicators)
        .map_err(|e| page.error(e))?;
    let outcome = validated(&form, None, async |input| {
        service::create(&state, &page.actor, &input).await
    })
    .await;
    match outcome {
        Ok(indicator) => {
            page.flash(&state, "flash.indicator_created").await?;
            Ok(see_other(&format!("/indicators/{}", indicator.id)))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => Ok((
                StatusCode::BAD_REQUEST,
                form_page(&state, &page, None, form, errors).await?,
            )
                .into_response()),
            None => Err(page.error(error)),
        },
    }
}

async fn edit(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    page.actor
        .require(Permission::ManageIndicators)
        .map_err(|e| page.error(e))?;
    let indicator = service::get(&state, &page.actor, IndicatorId(id))
        .await
        .map_err(|e| page.error(e))?;
    let form = IndicatorForm::of(&indicator, page.t);
    Ok(
        form_page(&state, &page, Some(&indicator), form, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn save(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<IndicatorForm>,
) -> Result<Response, PageError> {
    let indicator = service::get(&state, &page.actor, IndicatorId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.actor
        .require(Permission::ManageIndicators)
        .map_err(|e| page.error(e))?;
    let outcome = validated(&form, Some(&indicator), async |input| {
        service::update(&state, &page.actor, IndicatorId(id), &input).await
    })
    .await;
    match outcome {
        Ok(_) => {
            page.flash(&state, "flash.indicator_saved").await?;
            Ok(see_other(&format!("/indicators/{id}")))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let mut form = form;
                let status = if matches!(&error, crate::Error::Conflict(f) if f.field == "version")
                {
                    // What was typed stays on the form, now on top of the
                    // version someone else saved: saving again is a choice
                    // made after seeing the message.
                    let current = service::get(&state, &page.actor, IndicatorId(id))
                        .await
                        .map_err(|e| page.error(e))?;
                    form.version = current.version.to_string();
                    StatusCode::CONFLICT
                } else {
                    StatusCode::BAD_REQUEST
                };
                let body = form_page(&state, &page, Some(&indicator), form, errors).await?;
                Ok((status, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

// ---- detail, measurements, targets ----

pub struct MeasurementRow {
    pub measurement: Measurement,
    pub value: String,
    /// `kanaal: online`, or "total" for the total.
    pub breakdown: String,
}

/// A choice list for one dimension on the measurement form.
pub struct DimensionSelect {
    pub id: String,
    pub label: String,
    pub choices: Vec<IdChoice>,
}

pub struct TargetRow {
    pub target: Target,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/show.html")]
struct ShowPage {
    shell: Shell,
    indicator: Indicator,
    facts: Vec<(String, String)>,
    status: Status,
    chart: Option<super::chart::Chart>,
    chart_title: String,
    chart_desc: String,
    status_badge: &'static str,
    status_text: String,
    targets: Vec<TargetRow>,
    measurements: Page<MeasurementRow>,
    pager_query: String,
    can_manage: bool,
    can_record: bool,
    measurement_form: MeasurementForm,
    measurement_errors: FormErrors,
    target_form: TargetForm,
    target_errors: FormErrors,
    period_hint: String,
    dimension_selects: Vec<DimensionSelect>,
    /// The latest period's breakdown, e.g. per channel.
    breakdown: Option<Breakdown>,
    /// Initiatives that should move this indicator; their go-live dates
    /// are marked on the chart.
    initiatives: Vec<crate::portfolio::Initiative>,
    /// What those that went live did to it.
    effect_cards: Vec<crate::effects::pages::EffectCard>,
    /// Services linked to it or holding their volumes in it.
    services: Vec<(crate::domain::ServiceId, String)>,
    /// Data assets it relies on.
    data_assets: Vec<(crate::domain::DataAssetId, String)>,
    /// The ambitions this indicator shows progress on.
    ambitions: Vec<(
        crate::domain::AmbitionId,
        String,
        crate::domain::ProgrammeId,
        String,
    )>,
}

/// The portfolio's initiatives that should move this indicator.
async fn linked_initiatives(
    state: &AppState,
    page: &PageContext,
    indicator: &Indicator,
) -> Result<Vec<crate::portfolio::Initiative>, PageError> {
    let mut all = crate::portfolio::service::all(state, &page.actor, &Default::default())
        .await
        .map_err(|e| page.error(e))?;
    all.retain(|i| i.indicators.iter().any(|l| l.indicator_id == indicator.id));
    Ok(all)
}

pub struct Breakdown {
    pub caption: String,
    pub rows: Vec<BreakdownRow>,
}

pub struct BreakdownRow {
    pub label: String,
    pub value: String,
    /// Share of the period's total, when the total is recorded and the
    /// indicator adds up (sum).
    pub share: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct MeasurementForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
    /// `dimension_<name>` fields (and the anti-forgery token).
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, String>,
}

impl MeasurementForm {
    fn dimensions(&self) -> std::collections::BTreeMap<String, String> {
        self.other
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("dimension_")
                    .map(|n| (n.to_owned(), v.clone()))
            })
            .filter(|(_, v)| !v.trim().is_empty())
            .collect()
    }
}

/// Its fields are prefixed so they do not clash with the measurement form
/// on the same page.
#[derive(Debug, Default, Clone, Deserialize)]
struct TargetForm {
    #[serde(default)]
    target_date: String,
    #[serde(default)]
    target_value: String,
    #[serde(default)]
    target_reason: String,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    page: Option<u32>,
}

fn facts(t: Tr, indicator: &Indicator) -> Vec<(String, String)> {
    let num = |v: f64| show_number(t, v);
    let mut facts = vec![
        (t.get("indicators.code").to_owned(), indicator.code.clone()),
        (
            t.get("indicators.perspective").to_owned(),
            t.get(indicator.perspective.label_key()).to_owned(),
        ),
        (
            t.get("indicators.unit").to_owned(),
            t.get(indicator.unit.label_key()).to_owned(),
        ),
        (
            t.get("indicators.direction").to_owned(),
            t.get(indicator.direction.label_key()).to_owned(),
        ),
        (
            t.get("indicators.frequency").to_owned(),
            t.get(indicator.frequency.label_key()).to_owned(),
        ),
        (
            t.get("indicators.aggregation").to_owned(),
            t.get(indicator.aggregation.label_key()).to_owned(),
        ),
    ];
    if let (Some(low), Some(high)) = (indicator.range_low, indicator.range_high) {
        facts.push((
            t.get("indicators.range").to_owned(),
            format!("{} – {}", num(low), num(high)),
        ));
    }
    let (low, high) = indicator.bounds();
    if low.is_some() || high.is_some() {
        let show = |v: Option<f64>| v.map_or_else(|| "…".to_owned(), num);
        facts.push((
            t.get("indicators.bounds").to_owned(),
            format!("{} – {}", show(low), show(high)),
        ));
    }
    if let (Some(value), Some(period)) = (indicator.baseline_value, &indicator.baseline_period) {
        facts.push((
            t.get("indicators.baseline").to_owned(),
            format!("{} ({period})", num(value)),
        ));
    }
    if let Some(formula) = &indicator.formula {
        facts.push((t.get("indicators.computed").to_owned(), formula.clone()));
    }
    if !indicator.dimensions.is_empty() {
        facts.push((
            t.get("indicators.breakdown_heading").to_owned(),
            super::dimensions::to_lines(&indicator.dimensions).replace('\n', "; "),
        ));
    }
    if !indicator.data_source.is_empty() {
        facts.push((
            t.get("indicators.data_source").to_owned(),
            indicator.data_source.clone(),
        ));
    }
    facts
}

async fn show_page(
    state: &AppState,
    page: &PageContext,
    id: IndicatorId,
    number: u32,
    forms: (MeasurementForm, FormErrors, TargetForm, FormErrors),
) -> Result<ShowPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let indicator = service::get(state, &page.actor, id).await.map_err(err)?;
    let request = PageRequest::new(number.max(1), 25).unwrap_or_default();
    let measurements = service::measurements(state, &page.actor, id, request)
        .await
        .map_err(err)?;
    let targets = service::targets(state, &page.actor, id)
        .await
        .map_err(err)?;
    let is_owner =
        indicator.owner_id == Some(page.actor.user_id) && page.actor.role != Role::Viewer;
    let assessment = service::assess(state, &page.actor, &indicator)
        .await
        .map_err(err)?;
    let history = service::chart_values(state, &page.actor, &indicator)
        .await
        .map_err(err)?;
    let drawn: Vec<&Target> = targets.iter().collect();
    let initiatives = linked_initiatives(state, page, &indicator).await?;
    let go_lives: Vec<(i64, String)> = initiatives
        .iter()
        .filter_map(|i| {
            let day = crate::domain::Period::parse(
                crate::domain::Frequency::Day,
                i.go_live_on.as_deref()?,
            )
            .ok()?
            .day_number();
            Some((day, t.fill("chart.go_live", &[("title", &i.title)])))
        })
        .collect();
    let chart = super::chart::build(&indicator, &history, &drawn, &go_lives, |v| {
        show_number(t, v)
    });
    let chart_title = t.fill("chart.title", &[("name", &indicator.name)]);
    let chart_desc = chart_description(t, &history);
    let breakdown = if indicator.dimensions.is_empty() {
        None
    } else {
        state
            .store()
            .latest_breakdown(page.actor.organisation_id, indicator.id)
            .await
            .map_err(err)?
            .map(|(day, parts, total)| {
                let period = crate::domain::Period::from_day_number(indicator.frequency, day);
                let adds_up = indicator.aggregation == Aggregation::Sum;
                Breakdown {
                    caption: t.fill(
                        "indicators.breakdown_caption",
                        &[("period", &period.label())],
                    ),
                    rows: parts
                        .into_iter()
                        .map(|(key, value)| BreakdownRow {
                            label: super::dimensions::label(&key),
                            value: show_number(t, value),
                            share: match total {
                                Some(total) if adds_up && total > 0.0 => {
                                    format!(
                                        "{}%",
                                        show_number(t, (value / total * 1000.0).round() / 10.0)
                                    )
                                }
                                _ => "—".to_owned(),
                            },
                        })
                        .collect(),
                }
            })
    };
    let (measurement_form, measurement_errors, target_form, target_errors) = forms;
    let ambitions =
        crate::governance::service::ambitions_of_indicator(state, &page.actor, indicator.id)
            .await
            .map_err(err)?;
    let estimates = crate::effects::service::for_indicator(state, &page.actor, indicator.id)
        .await
        .map_err(err)?;
    let with_comparison = estimates.iter().any(|e| e.control_indicator_id.is_some());
    let all_indicators = if with_comparison {
        crate::indicators::service::all(state, &page.actor)
            .await
            .map_err(err)?
    } else {
        Vec::new()
    };
    let effect_cards = crate::effects::pages::indicator_cards(
        t,
        &estimates,
        &indicator,
        &initiatives,
        &all_indicators,
    );
    let services =
        crate::services::service::linked_to(state, &page.actor, Some(indicator.id), None)
            .await
            .map_err(err)?;
    let data_assets =
        crate::data_assets::service::linked_to(state, &page.actor, Some(indicator.id), None)
            .await
            .map_err(err)?;
    Ok(ShowPage {
        data_assets,
        services,
        ambitions,
        effect_cards,
        initiatives,
        shell: page.shell(&indicator.name, "indicators"),
        facts: facts(t, &indicator),
        status: assessment.status,
        chart,
        chart_title,
        chart_desc,
        status_badge: badge(assessment.status),
        status_text: explain(t, &assessment),
        targets: targets
            .into_iter()
            .map(|target| TargetRow {
                value: show_number(t, target.value),
                target,
            })
            .collect(),
        measurements: measurements.map(|measurement| MeasurementRow {
            value: show_number(t, measurement.value),
            breakdown: if measurement.dimensions.is_empty() {
                t.get("indicators.total").to_owned()
            } else {
                measurement
                    .dimensions
                    .iter()
                    .map(|(name, value)| format!("{name}: {value}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            measurement,
        }),
        breakdown,
        dimension_selects: indicator
            .dimensions
            .iter()
            .map(|d| {
                let chosen = measurement_form
                    .other
                    .get(&format!("dimension_{}", d.name))
                    .cloned()
                    .unwrap_or_default();
                DimensionSelect {
                    id: format!("dimension_{}", d.name),
                    label: d.name.clone(),
                    choices: filter_choices(
                        t.get("indicators.dimension_total"),
                        d.values.iter().map(|v| (v.clone(), v.clone())),
                        &chosen,
                    ),
                }
            })
            .collect(),
        pager_query: String::new(),
        can_manage: page.actor.can(Permission::ManageIndicators),
        can_record: indicator.formula.is_none()
            && (is_owner || page.actor.can(Permission::RecordMeasurements)),
        period_hint: t
            .get(&format!(
                "indicators.period_hint_{}",
                indicator.frequency.code()
            ))
            .to_owned(),
        indicator,
        measurement_form,
        measurement_errors,
        target_form,
        target_errors,
    })
}

async fn show(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    let forms = Default::default();
    Ok(show_page(
        &state,
        &page,
        IndicatorId(id),
        query.page.unwrap_or(1),
        forms,
    )
    .await?
    .into_response())
}

async fn record(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MeasurementForm>,
) -> Result<Response, PageError> {
    let mut number_errors = Vec::new();
    let value = number("value", &form.value, &mut number_errors);
    let input = MeasurementInput {
        period: Some(form.period.clone()),
        value,
        note: Some(form.note.clone()),
        dimensions: Some(form.dimensions()),
    };
    let outcome = if number_errors.is_empty() {
        service::record_one(&state, &page.actor, IndicatorId(id), input)
            .await
            .map(|_| ())
            // `dimensions.kanaal` is the form's `dimension_kanaal`.
            .map_err(|error| {
                error.rename_fields(|f| {
                    f.strip_prefix("dimensions.")
                        .map(|name| format!("dimension_{name}"))
                })
            })
    } else {
        Err(Error::Invalid(number_errors))
    };
    match outcome {
        Ok(()) => {
            page.flash(&state, "flash.measurement_saved").await?;
            Ok(see_other(&format!("/indicators/{id}")))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let forms = (form, errors, TargetForm::default(), FormErrors::default());
                let body = show_page(&state, &page, IndicatorId(id), 1, forms).await?;
                Ok((StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

async fn add_target(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<TargetForm>,
) -> Result<Response, PageError> {
    let mut number_errors = Vec::new();
    let value = number("value", &form.target_value, &mut number_errors);
    let input = TargetInput {
        date: Some(form.target_date.clone()),
        value,
        reason: Some(form.target_reason.clone()),
    };
    let outcome = if number_errors.is_empty() {
        service::add_target(&state, &page.actor, IndicatorId(id), &input)
            .await
            .map(|_| ())
    } else {
        Err(Error::Invalid(number_errors))
    };
    let outcome = outcome.map_err(|error| match error {
        Error::Invalid(fields) => Error::Invalid(
            fields
                .into_iter()
                .map(|mut f| {
                    f.field = format!("target_{}", f.field);
                    f
                })
                .collect(),
        ),
        other => other,
    });
    match outcome {
        Ok(()) => {
            page.flash(&state, "flash.target_saved").await?;
            Ok(see_other(&format!("/indicators/{id}")))
        }
        Err(error) => match FormErrors::of(&error, page.t) {
            Some(errors) => {
                let forms = (
                    MeasurementForm::default(),
                    FormErrors::default(),
                    form,
                    errors,
                );
                let body = show_page(&state, &page, IndicatorId(id), 1, forms).await?;
                Ok((StatusCode::BAD_REQUEST, body).into_response())
            }
            None => Err(page.error(error)),
        },
    }
}

async fn export(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageQuery(params): PageQuery<super::export::ExportParams>,
) -> Result<Response, PageError> {
    service::export(
        &state,
        &page.actor,
        IndicatorId(id),
        params.format.unwrap_or_default(),
    )
    .await
    .map(IntoResponse::into_response)
    .map_err(|e| page.error(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Locale;

    #[test]
    fn numbers_read_the_way_each_language_writes_them() {
        let nl = Tr::new(Locale::Nl);
        let en = Tr::new(Locale::En);
        assert_eq!(show_number(nl, 72.25), "72,25");
        assert_eq!(show_number(en, 72.25), "72.25");
        assert_eq!(show_number(nl, 46.0), "46");
        assert_eq!(show_number(nl, 45.999_999), "46");
        assert_eq!(show_number(nl, 70.5), "70,5");
    }
}
