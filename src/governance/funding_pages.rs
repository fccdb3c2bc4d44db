//! Pages for a programme's budget lines and its carry-over register.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::funding::{
    self as service, BudgetLine, BudgetLineInput, BudgetSource, CarryOverInput, CarryOverItem,
    CarryOverStatus,
};
use super::pages::{Choice, euro, form_failure, parse_amount};
use super::{ProgrammeSummary, service as programmes};
use crate::domain::{BudgetLineId, CarryOverId, Permission, ProgrammeId};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::form::FormErrors;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::i18n::Tr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes/{id}/funding", get(funding).post(add_line))
        .route("/budget-lines/{id}", get(line).post(save_line))
        .route("/budget-lines/{id}/delete", post(remove_line))
        .route("/programmes/{id}/carry-over", get(register).post(add_item))
        .route("/carry-over/{id}", get(item).post(save_item))
}

fn source_choices(t: Tr, selected: &str) -> Vec<Choice> {
    BudgetSource::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_owned(),
            label: t.get(s.label_key()).to_owned(),
            selected: s.code() == selected,
        })
        .collect()
}

#[derive(Debug, Default, Clone, Deserialize)]
struct LineForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    funder: String,
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    note: String,
}

impl LineForm {
    /// The input, or the field that could not be read as a number.
    fn input(&self) -> Result<BudgetLineInput, crate::Error> {
        let year = self.year.trim();
        let year = if year.is_empty() {
            None
        } else {
            Some(
                year.parse()
                    .map_err(|_| crate::Error::invalid("year", "number"))?,
            )
        };
        let amount = parse_amount("amount", &self.amount)?;
        Ok(BudgetLineInput {
            year,
            amount,
            source: BudgetSource::parse(&self.source).ok(),
            funder: Some(self.funder.clone()),
            scheme: Some(self.scheme.clone()),
            note: Some(self.note.clone()),
        })
    }

    fn of(line: &BudgetLine) -> Self {
        LineForm {
            year: line.year.to_string(),
            amount: format!("{:.0}", line.amount),
            source: line.source.code().to_owned(),
            funder: line.funder.clone(),
            scheme: line.scheme.clone(),
            note: line.note.clone(),
        }
    }
}

pub struct LineRow {
    pub line: BudgetLine,
    pub source: &'static str,
    pub amount: String,
    pub innovation: bool,
}

/// One year's lines with the innovation and operating totals apart.
pub struct YearGroup {
    pub year: i64,
    pub rows: Vec<LineRow>,
    pub innovation_total: String,
    pub operating_total: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/funding.html")]
struct FundingPage {
    shell: Shell,
    summary: ProgrammeSummary,
    years: Vec<YearGroup>,
    can_manage: bool,
    form: LineForm,
    sources: Vec<Choice>,
    errors: FormErrors,
}

async fn funding_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    form: LineForm,
    errors: FormErrors,
) -> Result<FundingPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let summary = programmes::get(state, &page.actor, id).await.map_err(err)?;
    let lines = service::budget_lines(state, &page.actor, id)
        .await
        .map_err(err)?;
    let mut by_year: BTreeMap<i64, Vec<BudgetLine>> = BTreeMap::new();
    for line in lines {
        by_year.entry(line.year).or_default().push(line);
    }
    let years = by_year
        .into_iter()
        .map(|(year, lines)| {
            let total = |innovation: bool| {
                lines
                    .iter()
                    .filter(|l| (l.source != BudgetSource::OperatingBudget) == innovation)
                    .map(|l| l.amount)
                    .sum::<f64>()
            };
            YearGroup {
                year,
                innovation_total: euro(t, Some(total(true))),
                operating_total: euro(t, Some(total(false))),
                rows: lines
                    .into_iter()
                    .map(|line| LineRow {
                        source: t.get(line.source.label_key()),
                        amount: euro(t, Some(line.amount)),
                        innovation: line.source != BudgetSource::OperatingBudget,
                        line,
                    })
                    .collect(),
            }
        })
        .collect();
    let form = if form.source.is_empty() {
        LineForm {
            source: BudgetSource::InnovationFund.code().to_owned(),
            year: programmes::today_label(state)
                .get(..4)
                .unwrap_or_default()
                .to_owned(),
            ..form
        }
    } else {
        form
    };
    Ok(FundingPage {
        shell: page.shell(t.get("funding.title"), "programmes"),
        summary,
        years,
        can_manage: page.actor.can(Permission::ManageGovernance),
        sources: source_choices(t, &form.source),
        form,
        errors,
    })
}

async fn funding(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(funding_page(
        &state,
        &page,
        ProgrammeId(id),
        LineForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn add_line(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LineForm>,
) -> Result<Response, PageError> {
    let result = match form.input() {
        Ok(input) => {
            service::create_budget_line(&state, &page.actor, ProgrammeId(id), &input).await
        }
        Err(e) => {
            // Check the programme first: another organisation's is not found.
            programmes::get(&state, &page.actor, ProgrammeId(id))
                .await
                .map_err(|e| page.error(e))?;
            Err(e)
        }
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.budget_line_added").await?;
            Ok(see_other(&format!("/programmes/{id}/funding")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                funding_page(&state, &page, ProgrammeId(id), form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/budget_line.html")]
struct LinePage {
    shell: Shell,
    line: BudgetLine,
    can_manage: bool,
    form: LineForm,
    sources: Vec<Choice>,
    errors: FormErrors,
}

async fn line_page(
    state: &AppState,
    page: &PageContext,
    id: BudgetLineId,
    form: Option<LineForm>,
    errors: FormErrors,
) -> Result<LinePage, PageError> {
    let line = service::budget_line(state, &page.actor, id)
        .await
        .map_err(|e| page.error(e))?;
    let form = form.unwrap_or_else(|| LineForm::of(&line));
    Ok(LinePage {
        shell: page.shell(page.t.get("funding.edit_title"), "programmes"),
        can_manage: page.actor.can(Permission::ManageGovernance),
        sources: source_choices(page.t, &form.source),
        form,
        errors,
        line,
    })
}

async fn line(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(
        line_page(&state, &page, BudgetLineId(id), None, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn save_line(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LineForm>,
) -> Result<Response, PageError> {
    let before = service::budget_line(&state, &page.actor, BudgetLineId(id))
        .await
        .map_err(|e| page.error(e))?;
    let result = match form.input() {
        Ok(input) => {
            service::update_budget_line(&state, &page.actor, BudgetLineId(id), &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(&state, "flash.budget_line_saved").await?;
            Ok(see_other(&format!(
                "/programmes/{}/funding",
                before.programme_id
            )))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                line_page(&state, &page, BudgetLineId(id), Some(form), errors).await?,
            )
                .into_response())
        }
    }
}

async fn remove_line(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let removed = service::delete_budget_line(&state, &page.actor, BudgetLineId(id))
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.budget_line_deleted").await?;
    Ok(see_other(&format!(
        "/programmes/{}/funding",
        removed.programme_id
    )))
}

// ---- carry-over register ----

fn carry_status_choices(t: Tr, selected: &str) -> Vec<Choice> {
    CarryOverStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_owned(),
            label: t.get(s.label_key()).to_owned(),
            selected: s.code() == selected,
        })
        .collect()
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ItemForm {
    #[serde(default)]
    goal: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    consequence: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    status: String,
}

impl ItemForm {
    fn input(&self) -> CarryOverInput {
        CarryOverInput {
            goal: Some(self.goal.clone()),
            origin: Some(self.origin.clone()),
            consequence: Some(self.consequence.clone()),
            owner_id: None,
            owner_name: Some(self.owner_name.clone()),
            plan: Some(self.plan.clone()),
            status: CarryOverStatus::parse(&self.status).ok(),
        }
    }

    fn of(item: &CarryOverItem) -> Self {
        ItemForm {
            goal: item.goal.clone(),
            origin: item.origin.clone(),
            consequence: item.consequence.clone(),
            owner_name: item.owner_name.clone(),
            plan: item.plan.clone(),
            status: item.status.code().to_owned(),
        }
    }
}

pub struct ItemRow {
    pub item: CarryOverItem,
    pub status: &'static str,
    pub needs_plan: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/carry_over.html")]
struct RegisterPage {
    shell: Shell,
    summary: ProgrammeSummary,
    rows: Vec<ItemRow>,
    can_manage: bool,
    form: ItemForm,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn register_page(
    state: &AppState,
    page: &PageContext,
    id: ProgrammeId,
    form: ItemForm,
    errors: FormErrors,
) -> Result<RegisterPage, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let summary = programmes::get(state, &page.actor, id).await.map_err(err)?;
    let rows = service::carry_over_items(state, &page.actor, id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|item| ItemRow {
            status: t.get(item.status.label_key()),
            needs_plan: item.status.is_open() && item.plan.trim().is_empty(),
            item,
        })
        .collect();
    let status = if form.status.is_empty() {
        CarryOverStatus::Open.code().to_owned()
    } else {
        form.status.clone()
    };
    Ok(RegisterPage {
        shell: page.shell(t.get("carry_over.title"), "programmes"),
        summary,
        rows,
        can_manage: page.actor.can(Permission::ManageGovernance),
        statuses: carry_status_choices(t, &status),
        form,
        errors,
    })
}

async fn register(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(register_page(
        &state,
        &page,
        ProgrammeId(id),
        ItemForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

async fn add_item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, PageError> {
    match service::create_carry_over(&state, &page.actor, ProgrammeId(id), &form.input()).await {
        Ok(_) => {
            page.flash(&state, "flash.carry_over_added").await?;
            Ok(see_other(&format!("/programmes/{id}/carry-over")))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                register_page(&state, &page, ProgrammeId(id), form, errors).await?,
            )
                .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "governance/carry_over_item.html")]
struct ItemPage {
    shell: Shell,
    item: CarryOverItem,
    can_manage: bool,
    form: ItemForm,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn item_page(
    state: &AppState,
    page: &PageContext,
    id: CarryOverId,
    form: Option<ItemForm>,
    errors: FormErrors,
) -> Result<ItemPage, PageError> {
    let item = service::carry_over_item(state, &page.actor, id)
        .await
        .map_err(|e| page.error(e))?;
    let form = form.unwrap_or_else(|| ItemForm::of(&item));
    Ok(ItemPage {
        shell: page.shell(page.t.get("carry_over.edit_title"), "programmes"),
        can_manage: page.actor.can(Permission::ManageGovernance),
        statuses: carry_status_choices(page.t, &form.status),
        form,
        errors,
        item,
    })
}

async fn item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(
        item_page(&state, &page, CarryOverId(id), None, FormErrors::default())
            .await?
            .into_response(),
    )
}

async fn save_item(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, PageError> {
    match service::update_carry_over(&state, &page.actor, CarryOverId(id), &form.input()).await {
        Ok(item) => {
            page.flash(&state, "flash.carry_over_saved").await?;
            Ok(see_other(&format!(
                "/programmes/{}/carry-over",
                item.programme_id
            )))
        }
        Err(error) => {
            let errors = form_failure(error, &page)?;
            Ok((
                StatusCode::BAD_REQUEST,
                item_page(&state, &page, CarryOverId(id), Some(form), errors).await?,
            )
                .into_response())
        }
    }
}
