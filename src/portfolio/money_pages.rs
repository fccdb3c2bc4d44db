//! The money panel of an initiative page: budget against spend per source,
//! the funding lines and the spend ledger, with the forms that add to them.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;

use super::funding::{FundingInput, FundingSource, FundingStatus, SpendInput};
use super::pages::{ShowForms, show_failed};
use super::service;
use crate::domain::{InitiativeId, Money};
use crate::governance::pages::Choice;
use crate::http::AppState;
use crate::http::extract::{PageContext, PageForm, PagePath};
use crate::http::page::{PageError, see_other};
use crate::i18n::Tr;

/// What was typed in the two money forms, kept when one fails.
#[derive(Debug, Default, Clone)]
pub struct MoneyForms {
    pub funding_source: String,
    pub funder: String,
    pub scheme: String,
    pub funding_status: String,
    pub funding_year: String,
    pub funding_amount: String,
    pub funding_note: String,
    pub spent_on: String,
    pub spend_amount: String,
    pub spend_source: String,
    pub spend_description: String,
}

impl MoneyForms {
    fn read(fields: &HashMap<String, String>) -> Self {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        MoneyForms {
            funding_source: field("funding_source"),
            funder: field("funder"),
            scheme: field("scheme"),
            funding_status: field("funding_status"),
            funding_year: field("funding_year"),
            funding_amount: field("funding_amount"),
            funding_note: field("funding_note"),
            spent_on: field("spent_on"),
            spend_amount: field("spend_amount"),
            spend_source: field("spend_source"),
            spend_description: field("spend_description"),
        }
    }
}

pub struct TotalsRow {
    pub source: &'static str,
    pub planned: String,
    pub applied: String,
    pub spent: String,
    pub remaining: String,
    pub overspent: bool,
}

pub struct LineRow {
    pub year: i64,
    pub source: &'static str,
    pub funder: String,
    pub status: &'static str,
    pub amount: String,
}

pub struct SpendRow {
    pub spent_on: String,
    pub source: &'static str,
    pub description: String,
    pub amount: String,
}

pub struct MoneyPanel {
    pub totals: Vec<TotalsRow>,
    pub innovation_planned: String,
    pub innovation_spent: String,
    pub operating_planned: String,
    pub operating_spent: String,
    pub lines: Vec<LineRow>,
    pub spend: Vec<SpendRow>,
    pub forms: MoneyForms,
    pub sources: Vec<Choice>,
    pub spend_sources: Vec<Choice>,
    pub statuses: Vec<Choice>,
}

fn source_choices(t: Tr, selected: &str) -> Vec<Choice> {
    FundingSource::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_owned(),
            label: t.get(s.label_key()).to_owned(),
            selected: s.code() == selected,
        })
        .collect()
}

pub async fn money_panel(
    state: &AppState,
    page: &PageContext,
    id: InitiativeId,
    forms: MoneyForms,
) -> Result<MoneyPanel, PageError> {
    let t = page.t;
    let dutch = t.lang() == "nl";
    let show = |m: Money| m.display(dutch);
    let (lines, spend, summary) = service::funding(state, &page.actor, id)
        .await
        .map_err(|e| page.error(e))?;
    let forms = if forms.funding_year.is_empty() && forms.spent_on.is_empty() {
        let today = crate::governance::service::today_label(state);
        MoneyForms {
            funding_year: today.get(..4).unwrap_or_default().to_owned(),
            spent_on: today,
            ..forms
        }
    } else {
        forms
    };
    Ok(MoneyPanel {
        totals: summary
            .by_source
            .iter()
            .map(|s| TotalsRow {
                source: t.get(s.source.label_key()),
                planned: show(s.planned),
                applied: show(s.applied),
                spent: show(s.spent),
                remaining: show(s.remaining),
                overspent: s.remaining < Money::ZERO,
            })
            .collect(),
        innovation_planned: show(summary.innovation_planned),
        innovation_spent: show(summary.innovation_spent),
        operating_planned: show(summary.operating_planned),
        operating_spent: show(summary.operating_spent),
        lines: lines
            .iter()
            .map(|l| LineRow {
                year: l.year,
                source: t.get(l.source.label_key()),
                funder: [l.funder.as_str(), l.scheme.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
                status: t.get(l.status.label_key()),
                amount: show(l.amount),
            })
            .collect(),
        spend: spend
            .iter()
            .map(|s| SpendRow {
                spent_on: s.spent_on.clone(),
                source: t.get(s.source.label_key()),
                description: s.description.clone(),
                amount: show(s.amount),
            })
            .collect(),
        sources: source_choices(t, &forms.funding_source),
        spend_sources: source_choices(t, &forms.spend_source),
        statuses: FundingStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().to_owned(),
                label: t.get(s.label_key()).to_owned(),
                selected: s.code() == forms.funding_status
                    || (forms.funding_status.is_empty() && *s == FundingStatus::Applied),
            })
            .collect(),
        forms,
    })
}

/// The API names the fields plainly; the page prefixes them, since the
/// two money forms share the page with the gate form.
fn page_field(form: &str, field: &str) -> Option<String> {
    match (form, field) {
        ("funding", "source" | "status" | "year" | "amount" | "note") => {
            Some(format!("funding_{field}"))
        }
        ("spend", "amount" | "source" | "description") => Some(format!("spend_{field}")),
        _ => None,
    }
}

pub async fn add_funding(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let forms = MoneyForms::read(&fields);
    let input = FundingInput {
        source: FundingSource::parse(&forms.funding_source).ok(),
        funder: Some(forms.funder.clone()),
        scheme: Some(forms.scheme.clone()),
        status: FundingStatus::parse(&forms.funding_status)
            .ok()
            .filter(|_| forms.funding_source == FundingSource::ExternalCofinancing.code()),
        year: Some(forms.funding_year.trim().parse().unwrap_or(0)),
        amount: Some(forms.funding_amount.clone()),
        note: Some(forms.funding_note.clone()),
    };
    match service::add_funding(&state, &page.actor, InitiativeId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.funding_added").await?;
            Ok(see_other(&format!("/initiatives/{id}#money")))
        }
        Err(error) => {
            let error = error.rename_fields(|f| page_field("funding", f));
            let forms = ShowForms {
                money: forms,
                ..ShowForms::default()
            };
            show_failed(&state, &page, id, forms, "funding", error).await
        }
    }
}

pub async fn add_spend(
    State(state): State<AppState>,
    page: PageContext,
    PagePath(id): PagePath<i64>,
    PageForm(fields): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let forms = MoneyForms::read(&fields);
    let input = SpendInput {
        spent_on: Some(forms.spent_on.clone()),
        amount: Some(forms.spend_amount.clone()),
        source: FundingSource::parse(&forms.spend_source).ok(),
        description: Some(forms.spend_description.clone()),
    };
    match service::add_spend(&state, &page.actor, InitiativeId(id), &input).await {
        Ok(_) => {
            page.flash(&state, "flash.spend_added").await?;
            Ok(see_other(&format!("/initiatives/{id}#money")))
        }
        Err(error) => {
            let error = error.rename_fields(|f| page_field("spend", f));
            let forms = ShowForms {
                money: forms,
                ..ShowForms::default()
            };
            show_failed(&state, &page, id, forms, "spend", error).await
        }
    }
}
