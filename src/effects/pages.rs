//! Effect estimates in words and pictures: the cards on initiative and
//! indicator pages, and the portfolio ranking at /portfolio/effects.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::assess::{EffectEstimate, Range};
use super::chart::{self, EffectChart};
use super::service;
use crate::http::AppState;
use crate::http::extract::PageContext;
use crate::http::page::PageError;
use crate::http::shell::Shell;
use crate::i18n::Tr;
use crate::indicators::Indicator;
use crate::indicators::pages::show_number;
use crate::portfolio::Initiative;

pub fn router() -> Router<AppState> {
    Router::new().route("/portfolio/effects", get(ranking))
}

/// One estimate as a card.
pub struct EffectCard {
    /// The other side of the pair: the indicator on an initiative page,
    /// the initiative on an indicator page.
    pub heading: String,
    pub href: String,
    /// Why there is no estimate, in words; empty when there is one.
    pub refusal: String,
    pub sentence: String,
    pub evidence: String,
    pub per_euro: String,
    pub assumptions: String,
    /// Which comparison series the estimate follows, in words; or empty.
    pub comparison: String,
    pub warnings: Vec<&'static str>,
    pub chart: Option<EffectChart>,
    pub chart_title: String,
    pub chart_desc: String,
}

fn range_text(t: Tr, r: &Range) -> (String, String, String) {
    (
        show_number(t, r.estimate),
        show_number(t, r.lo95),
        show_number(t, r.hi95),
    )
}

/// Rounds for reading: three significant digits are plenty for a sentence.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 2 - value.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits.max(0));
    (value * factor).round() / factor
}

fn rounded(r: &Range) -> Range {
    Range {
        estimate: round(r.estimate),
        lo95: round(r.lo95),
        hi95: round(r.hi95),
    }
}

pub fn card(
    t: Tr,
    estimate: &EffectEstimate,
    indicator: &Indicator,
    heading: String,
    href: String,
) -> EffectCard {
    let unit = t.get(indicator.unit.label_key()).to_lowercase();
    let name = &indicator.name;
    let chart_title = t.fill("effects.chart_title", &[("name", name)]);
    let mut card = EffectCard {
        heading,
        href,
        refusal: String::new(),
        sentence: String::new(),
        evidence: String::new(),
        per_euro: String::new(),
        assumptions: String::new(),
        comparison: String::new(),
        warnings: estimate
            .warnings
            .iter()
            .map(|w| t.get(w.label_key()))
            .collect(),
        chart: None,
        chart_title,
        chart_desc: String::new(),
    };
    let (Some(average), None) = (estimate.average.as_ref(), estimate.refusal.as_ref()) else {
        let code = estimate.refusal.as_deref().unwrap_or("no_fit");
        card.refusal = t.fill(
            &format!("effect_refusal.{code}"),
            &[("date", &estimate.go_live_on)],
        );
        return card;
    };
    let a = rounded(average);
    let (size, lo, hi) = (
        show_number(t, a.estimate.abs()),
        show_number(t, a.lo95),
        show_number(t, a.hi95),
    );
    let key = if a.estimate >= 0.0 {
        "effects.sentence_higher"
    } else {
        "effects.sentence_lower"
    };
    card.sentence = t.fill(
        key,
        &[
            ("date", &estimate.go_live_on),
            ("name", name),
            ("size", &size),
            ("unit", &unit),
            ("lo", &lo),
            ("hi", &hi),
        ],
    );
    let probability = estimate.probability_nonzero.unwrap_or(0.0);
    card.evidence = if average.excludes_zero() {
        t.fill(
            "effects.evidence",
            &[("p", &show_number(t, (probability * 1000.0).floor() / 10.0))],
        )
    } else {
        t.get("effects.no_evidence").to_owned()
    };
    card.per_euro = match &estimate.per_thousand_euro {
        Some(r) => {
            let (e, lo, hi) = range_text(t, &rounded(r));
            t.fill(
                "effects.per_euro",
                &[
                    ("estimate", &e),
                    ("lo", &lo),
                    ("hi", &hi),
                    ("unit", &unit),
                    ("spent", &estimate.spent.display(t.lang() == "nl")),
                ],
            )
        }
        None => t.get("effects.no_spend").to_owned(),
    };
    card.assumptions = t.fill(
        "effects.assumptions",
        &[
            ("pre", &estimate.pre_periods.to_string()),
            ("post", &estimate.post_periods.to_string()),
            (
                "season",
                if estimate.seasonal {
                    t.get("effects.with_season")
                } else {
                    ""
                },
            ),
            (
                "ar",
                &show_number(t, round(estimate.autocorrelation.unwrap_or(0.0))),
            ),
        ],
    );
    card.chart = chart::build(&estimate.points, |v| show_number(t, v));
    card.chart_desc = card.sentence.clone();
    card
}

/// The comparison series an estimate was given, in words: followed, or
/// left out because it could not help.
fn comparison_text(t: Tr, estimate: &EffectEstimate, indicators: &[Indicator]) -> String {
    let control = estimate
        .control_indicator_id
        .and_then(|c| indicators.iter().find(|i| i.id == c));
    let (Some(control), None) = (control, &estimate.refusal) else {
        return String::new();
    };
    if estimate
        .warnings
        .contains(&super::assess::EffectWarning::ControlIncomplete)
    {
        // The warning says why it was left out.
        return String::new();
    }
    let key = if estimate.used_control {
        "effects.compared_with"
    } else {
        "effects.comparison_unused"
    };
    t.fill(
        key,
        &[("name", &format!("{} — {}", control.code, control.name))],
    )
}

/// Cards for an initiative page: one per linked indicator. `indicators`
/// holds every indicator of the organisation (targets and comparisons).
pub fn initiative_cards(
    t: Tr,
    estimates: &[EffectEstimate],
    indicators: &[Indicator],
) -> Vec<EffectCard> {
    estimates
        .iter()
        .filter_map(|e| {
            let indicator = indicators.iter().find(|i| i.id == e.indicator_id)?;
            let mut card = card(
                t,
                e,
                indicator,
                format!("{} — {}", indicator.code, indicator.name),
                format!("/indicators/{}", indicator.id),
            );
            card.comparison = comparison_text(t, e, indicators);
            Some(card)
        })
        .collect()
}

/// Cards for an indicator page: one per initiative that went live.
/// `indicators` holds every indicator of the organisation (for the names
/// of comparison series).
pub fn indicator_cards(
    t: Tr,
    estimates: &[EffectEstimate],
    indicator: &Indicator,
    initiatives: &[Initiative],
    indicators: &[Indicator],
) -> Vec<EffectCard> {
    estimates
        .iter()
        .filter_map(|e| {
            let initiative = initiatives.iter().find(|i| i.id == e.initiative_id)?;
            let mut card = card(
                t,
                e,
                indicator,
                initiative.title.clone(),
                format!("/initiatives/{}", initiative.id),
            );
            card.comparison = comparison_text(t, e, indicators);
            Some(card)
        })
        .collect()
}

pub struct RankingRow {
    pub initiative_id: i64,
    pub initiative: String,
    pub indicator_id: i64,
    pub indicator: String,
    pub average: String,
    pub relative: String,
    pub per_euro: String,
    pub spent: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "effects/ranking.html")]
struct RankingPage {
    shell: Shell,
    rows: Vec<RankingRow>,
}

pub fn interval(t: Tr, r: &Range, percent: bool) -> String {
    let r = rounded(&Range {
        estimate: if percent {
            r.estimate * 100.0
        } else {
            r.estimate
        },
        lo95: if percent { r.lo95 * 100.0 } else { r.lo95 },
        hi95: if percent { r.hi95 * 100.0 } else { r.hi95 },
    });
    let suffix = if percent { "%" } else { "" };
    format!(
        "{}{suffix} ({} … {}{suffix})",
        show_number(t, r.estimate),
        show_number(t, r.lo95),
        show_number(t, r.hi95)
    )
}

async fn ranking(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let t = page.t;
    let err = |e| page.error(e);
    let estimates = service::ranking(&state, &page.actor).await.map_err(err)?;
    let initiatives = crate::portfolio::service::all(&state, &page.actor, &Default::default())
        .await
        .map_err(err)?;
    let indicators = crate::indicators::service::all(&state, &page.actor)
        .await
        .map_err(err)?;
    let dutch = t.lang() == "nl";
    let rows = estimates
        .iter()
        .filter_map(|e| {
            let initiative = initiatives.iter().find(|i| i.id == e.initiative_id)?;
            let indicator = indicators.iter().find(|i| i.id == e.indicator_id)?;
            let dash = || "—".to_owned();
            Some(RankingRow {
                initiative_id: initiative.id.0,
                initiative: initiative.title.clone(),
                indicator_id: indicator.id.0,
                indicator: format!("{} — {}", indicator.code, indicator.name),
                average: e.average.map_or_else(dash, |r| interval(t, &r, false)),
                relative: e.relative.map_or_else(dash, |r| interval(t, &r, true)),
                per_euro: e
                    .per_thousand_euro
                    .map_or_else(dash, |r| interval(t, &r, false)),
                spent: e.spent.display(dutch),
                note: match (&e.refusal, &e.average) {
                    (Some(code), _) => t.fill(
                        &format!("effect_refusal.{code}"),
                        &[("date", &e.go_live_on)],
                    ),
                    (None, Some(a)) if !a.excludes_zero() => t.get("effects.not_shown").to_owned(),
                    _ => e
                        .warnings
                        .iter()
                        .map(|w| t.get(w.label_key()))
                        .collect::<Vec<_>>()
                        .join(" "),
                },
            })
        })
        .collect();
    Ok(RankingPage {
        shell: page.shell(t.get("effects.ranking_title"), "portfolio"),
        rows,
    }
    .into_response())
}
