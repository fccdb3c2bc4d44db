//! The page with the idea platform's figures, and the button that keeps
//! them as indicators.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::figures;
use crate::domain::Permission;
use crate::http::AppState;
use crate::http::extract::PageContext;
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ideas/figures", get(show))
        .route("/ideas/figures/indicators", post(record))
}

pub struct QuarterRow {
    pub period: String,
    pub posted: i64,
    pub promoted: String,
    pub decided: i64,
    pub days: String,
}

pub struct UnitRow {
    pub unit: String,
    /// Per quarter, aligned with the quarter rows.
    pub counts: Vec<i64>,
    pub total: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "ideas/figures.html")]
struct FiguresPage {
    shell: Shell,
    quarters: Vec<QuarterRow>,
    units: Vec<UnitRow>,
    can_record: bool,
    /// Indicator ids by code, once recorded.
    recorded: Vec<(String, i64)>,
}

async fn show(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let figures = figures::get(&state, &page.actor).await.map_err(err)?;
    let unit_list = state
        .store()
        .list_units(page.actor.organisation_id)
        .await
        .map_err(err)?;
    let number = |v: Option<f64>, suffix: &str| match v {
        Some(v) => format!(
            "{}{suffix}",
            crate::indicators::pages::show_number(t, (v * 10.0).round() / 10.0)
        ),
        None => "–".to_owned(),
    };
    let quarters = figures
        .quarters
        .iter()
        .map(|q| QuarterRow {
            period: q.period.clone(),
            posted: q.posted,
            promoted: format!("{} ({})", q.promoted, number(q.promoted_share, "%")),
            decided: q.decided,
            days: number(q.median_days_to_decision, ""),
        })
        .collect();
    let mut keys: Vec<Option<crate::domain::UnitId>> = Vec::new();
    for q in &figures.quarters {
        for c in &q.per_unit {
            if !keys.contains(&c.unit_id) {
                keys.push(c.unit_id);
            }
        }
    }
    let mut units: Vec<UnitRow> = keys
        .into_iter()
        .map(|key| {
            let counts: Vec<i64> = figures
                .quarters
                .iter()
                .map(|q| {
                    q.per_unit
                        .iter()
                        .find(|c| c.unit_id == key)
                        .map_or(0, |c| c.posted)
                })
                .collect();
            UnitRow {
                unit: key
                    .and_then(|k| unit_list.iter().find(|u| u.id == k))
                    .map_or_else(|| t.get("ideas.no_unit").to_owned(), |u| u.name.clone()),
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    units.sort_by(|a, b| b.total.cmp(&a.total).then(a.unit.cmp(&b.unit)));
    let recorded = state
        .store()
        .all_indicators(page.actor.organisation_id)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|i| {
            [
                figures::CODE_POSTED,
                figures::CODE_PROMOTED,
                figures::CODE_DECISION_DAYS,
            ]
            .contains(&i.code.as_str())
        })
        .map(|i| (i.name, i.id.0))
        .collect();
    Ok(FiguresPage {
        shell: page.shell(t.get("ideas.figures.title"), "ideas"),
        quarters,
        units,
        can_record: page.actor.can(Permission::ManageIndicators),
        recorded,
    }
    .into_response())
}

async fn record(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    figures::record(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.idea_figures_recorded").await?;
    Ok(see_other("/ideas/figures"))
}
