use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::service;
use crate::http::AppState;
use crate::http::extract::{PagePath, Visitor};
use crate::http::page::PageError;
use crate::http::shell::Shell;
use crate::indicators::chart::Chart;
use crate::indicators::pages::{SummaryRow, badge, explain, show_number, summary_row};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{slug}", get(dashboard))
        .route("/p/{slug}/{code}", get(indicator))
}

#[derive(Template, WebTemplate)]
#[template(path = "public/dashboard.html")]
struct DashboardPage {
    shell: Shell,
    organisation: String,
    slug: String,
    rows: Vec<SummaryRow>,
}

async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(slug): PagePath<String>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    let (dashboard, summaries) = service::dashboard(&state, &slug)
        .await
        .map_err(|e| PageError::new(e, t.locale))?;
    let title = t.fill("public.title", &[("organisation", &dashboard.organisation)]);
    Ok(DashboardPage {
        shell: visitor.shell(&title),
        organisation: dashboard.organisation,
        slug: dashboard.slug,
        rows: summaries.into_iter().map(|s| summary_row(t, s)).collect(),
    }
    .into_response())
}

pub struct ValueRow {
    pub period: String,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/indicator.html")]
struct IndicatorPage {
    shell: Shell,
    organisation: String,
    slug: String,
    name: String,
    description: String,
    status_badge: &'static str,
    status_label: &'static str,
    status_text: String,
    chart: Option<Chart>,
    chart_title: String,
    chart_desc: String,
    values: Vec<ValueRow>,
    targets: Vec<ValueRow>,
    data_source: String,
}

async fn indicator(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((slug, code)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let t = visitor.t;
    let detail = service::indicator(&state, &slug, &code)
        .await
        .map_err(|e| PageError::new(e, t.locale))?;
    let summary = &detail.summary;
    let indicator = &summary.indicator;
    let history: Vec<(crate::domain::Period, f64)> = detail
        .values
        .iter()
        .filter_map(|v| {
            crate::domain::Period::parse(indicator.frequency, &v.period)
                .ok()
                .map(|p| (p, v.value))
        })
        .collect();
    let current: Vec<&crate::indicators::Target> = detail.current_targets.iter().collect();
    let chart =
        crate::indicators::chart::build(indicator, &history, &current, &[], |v| show_number(t, v));
    let chart_title = t.fill("chart.title", &[("name", &indicator.name)]);
    let chart_desc = crate::indicators::pages::chart_description(t, &history);
    Ok(IndicatorPage {
        shell: visitor.shell(&indicator.name),
        organisation: detail.organisation.clone(),
        slug: slug.trim().to_owned(),
        name: indicator.name.clone(),
        description: indicator.description.clone(),
        status_badge: badge(summary.assessment.status),
        status_label: t.get(summary.assessment.status.label_key()),
        status_text: explain(t, &summary.assessment),
        chart,
        chart_title,
        chart_desc,
        values: detail
            .values
            .iter()
            .rev()
            .map(|v| ValueRow {
                period: v.period.clone(),
                value: show_number(t, v.value),
            })
            .collect(),
        targets: detail
            .targets
            .iter()
            .map(|v| ValueRow {
                period: v.date.clone(),
                value: show_number(t, v.value),
            })
            .collect(),
        data_source: indicator.data_source.clone(),
    }
    .into_response())
}
