//! The page that reads the waves together: trends, where management and
//! staff disagree, and the weak factors and barriers to act on.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::insight_service;
use super::insights::SurveyTrend;
use super::pages::dimension_label;
use super::wave_pages::shade;
use crate::http::AppState;
use crate::http::extract::PageContext;
use crate::http::page::PageError;
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::skills::pages::tenths;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/surveys/insights", get(show))
}

/// A trend as the page shows it.
pub struct TrendTable {
    /// (name, date) per wave.
    pub waves: Vec<(String, String)>,
    pub rows: Vec<TrendLine>,
}

/// (dimension label, (mean text, shade) per wave, change text).
pub type TrendLine = (String, Vec<(String, u8)>, String);

/// (dimension label, mean text, (intervention id, title) offered).
pub type WeakLine = (String, String, Vec<(i64, String)>);

/// A change in tenths with its sign; within ±0.04 it reads as none.
pub fn signed(t: Tr, value: f64) -> String {
    let text = tenths(t, value.abs());
    if value > 0.04 {
        format!("+{text}")
    } else if value < -0.04 {
        format!("−{text}")
    } else {
        tenths(t, 0.0)
    }
}

fn table(t: Tr, trend: &SurveyTrend) -> TrendTable {
    TrendTable {
        waves: trend
            .waves
            .iter()
            .map(|w| (w.name.clone(), w.opens_on.clone()))
            .collect(),
        rows: trend
            .rows
            .iter()
            .map(|r| {
                (
                    dimension_label(t, &r.dimension),
                    r.means
                        .iter()
                        .map(|m| match m {
                            Some(m) => (tenths(t, *m), shade(*m)),
                            None => ("–".to_owned(), 0),
                        })
                        .collect(),
                    r.change.map(|c| signed(t, c)).unwrap_or_default(),
                )
            })
            .collect(),
    }
}

/// One disagreement as the page shows it.
pub struct DisagreementLine {
    pub factor: String,
    pub management: String,
    pub staff: String,
    pub difference: String,
    pub rosier: &'static str,
    pub barriers: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/insights.html")]
struct InsightsPage {
    shell: Shell,
    scan: TrendTable,
    pulse: TrendTable,
    disagreements: Vec<DisagreementLine>,
    weak: Vec<WeakLine>,
    movements: Vec<MovementLine>,
}

/// A planned intervention as the page shows it.
pub struct MovementLine {
    pub initiative_id: i64,
    pub title: String,
    pub dimension: String,
    pub before: String,
    pub after: String,
    pub change: String,
}

async fn show(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let insights = insight_service::insights(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let catalogue = super::intervention_service::list(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let disagreements = insights
        .disagreements
        .iter()
        .map(|d| DisagreementLine {
            factor: dimension_label(t, &d.factor),
            management: tenths(t, d.management),
            staff: tenths(t, d.staff),
            difference: signed(t, d.difference),
            rosier: if d.difference > 0.04 {
                "insights.rosier_management"
            } else if d.difference < -0.04 {
                "insights.rosier_staff"
            } else {
                "insights.agree"
            },
            barriers: d
                .barriers
                .iter()
                .map(|b| b.to_uppercase())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(InsightsPage {
        shell: page.shell(t.get("insights.title"), "surveys"),
        scan: table(t, &insights.scan),
        pulse: table(t, &insights.pulse),
        disagreements,
        weak: insights
            .weak
            .iter()
            .map(|w| {
                let offered = catalogue
                    .iter()
                    .filter(|i| i.active && i.dimension == w.dimension)
                    .map(|i| (i.id.0, i.title(t.locale).to_owned()))
                    .collect();
                (dimension_label(t, &w.dimension), tenths(t, w.mean), offered)
            })
            .collect(),
        movements: insights
            .interventions
            .iter()
            .map(|m| MovementLine {
                initiative_id: m.initiative_id.0,
                title: m.title.clone(),
                dimension: dimension_label(t, &m.dimension),
                before: m
                    .before
                    .map(|b| tenths(t, b))
                    .unwrap_or_else(|| "–".to_owned()),
                after: m
                    .after
                    .map(|a| tenths(t, a))
                    .unwrap_or_else(|| t.get("interventions.not_yet").to_owned()),
                change: m.change.map(|c| signed(t, c)).unwrap_or_default(),
            })
            .collect(),
    }
    .into_response())
}
