//! The one-page summary, the failure-factor warnings and the key figures,
//! from what the sections found. Pure: the words come from the locale.

use super::{IndicatorStatus, KeyFigure};
use crate::domain::Money;
use crate::i18n::Tr;

/// What the sections found, for the summary and the warnings.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub indicators: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub off_track: usize,
    pub no_data: usize,
    pub no_target: usize,
    /// Indicators whose expected measurement is missing.
    pub overdue_measurements: usize,
    pub statuses: Vec<IndicatorStatus>,
    pub programmes: usize,
    pub checks: usize,
    pub checks_passed: usize,
    /// "Programme: check — why" for each failed check.
    pub checks_failed: Vec<String>,
    /// Programmes waiting for (renewed) commitment of their executive.
    pub awaiting_commitment: Vec<String>,
    pub open_carry_over: usize,
    /// Estimates made (not refused).
    pub effects_estimated: usize,
    /// Estimates whose 95% interval excludes zero.
    pub effects_clear: usize,
    pub initiatives: i64,
    pub innovation_planned: Money,
    pub innovation_spent: Money,
    /// The largest skill gap at the horizon: "role — competence".
    pub top_gap: Option<String>,
    /// Weak survey dimensions (labels), weakest first.
    pub weak_dimensions: Vec<String>,
    /// The factor management and staff see most differently.
    pub largest_disagreement: Option<String>,
    pub ideas_posted: i64,
    pub ideas_promoted: i64,
    pub decisions: usize,
    pub overdue_actions: usize,
}

fn count(n: usize) -> String {
    n.to_string()
}

/// `key` filled with `count`, in the singular (`<key>_one`) for one.
fn counted(t: Tr, key: &str, n: usize) -> String {
    let singular = format!("{key}_one");
    let key = if n == 1 && t.has(&singular) {
        singular.as_str()
    } else {
        key
    };
    t.fill(key, &[("count", &count(n))])
}

/// Plain sentences: does it work, and what to do next.
pub fn summary(t: Tr, f: &Facts) -> Vec<String> {
    let mut out = Vec::new();
    if f.indicators == 0 {
        out.push(t.get("report.summary.no_indicators").to_owned());
    } else {
        out.push(t.fill(
            "report.summary.indicators",
            &[
                ("total", &count(f.indicators)),
                ("on_track", &count(f.on_track)),
                ("at_risk", &count(f.at_risk)),
                ("off_track", &count(f.off_track)),
                ("unknown", &count(f.no_data + f.no_target)),
            ],
        ));
    }
    if f.programmes == 0 {
        out.push(t.get("report.summary.no_programme").to_owned());
    } else {
        out.push(t.fill(
            "report.summary.governance",
            &[
                ("passed", &count(f.checks_passed)),
                ("total", &count(f.checks)),
            ],
        ));
    }
    if f.effects_estimated == 0 {
        out.push(t.get("report.summary.no_effects").to_owned());
    } else {
        out.push(t.fill(
            "report.summary.effects",
            &[
                ("clear", &count(f.effects_clear)),
                ("total", &count(f.effects_estimated)),
            ],
        ));
    }
    let dutch = t.lang() == "nl";
    if f.initiatives > 0 {
        out.push(t.fill(
            "report.summary.money",
            &[
                ("initiatives", &f.initiatives.to_string()),
                ("spent", &f.innovation_spent.display(dutch)),
                ("planned", &f.innovation_planned.display(dutch)),
            ],
        ));
    }
    if f.ideas_posted > 0 {
        out.push(t.fill(
            "report.summary.ideas",
            &[
                ("posted", &f.ideas_posted.to_string()),
                ("promoted", &f.ideas_promoted.to_string()),
            ],
        ));
    }
    let next = next_steps(t, f);
    if next.is_empty() {
        out.push(t.get("report.summary.keep_course").to_owned());
    } else {
        out.push(t.fill("report.summary.next", &[("steps", &next.join("; "))]));
    }
    out
}

/// The three things most worth doing, most urgent first.
fn next_steps(t: Tr, f: &Facts) -> Vec<String> {
    let mut steps = Vec::new();
    if !f.awaiting_commitment.is_empty() {
        steps.push(t.get("report.next.commitment").to_owned());
    }
    if f.off_track > 0 {
        steps.push(counted(t, "report.next.off_track", f.off_track));
    }
    if f.overdue_actions > 0 {
        steps.push(counted(t, "report.next.overdue_actions", f.overdue_actions));
    }
    if let Some(dimension) = f.weak_dimensions.first() {
        steps.push(t.fill("report.next.weak_dimension", &[("dimension", dimension)]));
    }
    if let Some(gap) = &f.top_gap {
        steps.push(t.fill("report.next.skill_gap", &[("gap", gap)]));
    }
    if f.overdue_measurements > 0 {
        steps.push(counted(
            t,
            "report.next.measurements",
            f.overdue_measurements,
        ));
    }
    steps.truncate(3);
    steps
}

/// The failure factors of the source article, read from what was found
/// (F1 continuity at the top, F2 money outside the operating budget, F3
/// execution barriers, F4 after-effects of earlier programmes), plus the
/// steering basics.
pub fn warnings(t: Tr, f: &Facts) -> Vec<String> {
    let mut out = Vec::new();
    for programme in &f.awaiting_commitment {
        out.push(t.fill("report.warning.commitment", &[("programme", programme)]));
    }
    out.extend(f.checks_failed.iter().cloned());
    if f.initiatives > 0 && f.innovation_planned.cents() == 0 {
        out.push(t.get("report.warning.no_innovation_money").to_owned());
    }
    if !f.weak_dimensions.is_empty() {
        out.push(t.fill(
            "report.warning.weak_dimensions",
            &[("dimensions", &f.weak_dimensions.join(", "))],
        ));
    }
    if let Some(factor) = &f.largest_disagreement {
        out.push(t.fill("report.warning.disagreement", &[("factor", factor)]));
    }
    if f.open_carry_over > 0 {
        out.push(counted(t, "report.warning.carry_over", f.open_carry_over));
    }
    if f.off_track > 0 {
        out.push(counted(t, "report.warning.off_track", f.off_track));
    }
    if f.overdue_actions > 0 {
        out.push(counted(
            t,
            "report.warning.overdue_actions",
            f.overdue_actions,
        ));
    }
    out
}

#[allow(clippy::cast_precision_loss)]
fn figure(t: Tr, key: &str, value: f64, shown: String, up: Option<bool>) -> KeyFigure {
    KeyFigure {
        key: key.to_owned(),
        label: t.get(&format!("report.figure.{key}")).to_owned(),
        value,
        shown,
        higher_is_better: up,
    }
}

/// The numbers a later report compares against.
#[allow(clippy::cast_precision_loss)]
pub fn figures(t: Tr, f: &Facts) -> Vec<KeyFigure> {
    let n = |key: &str, v: usize, up: Option<bool>| figure(t, key, v as f64, v.to_string(), up);
    let dutch = t.lang() == "nl";
    vec![
        n("indicators_on_track", f.on_track, Some(true)),
        n("indicators_at_risk", f.at_risk, Some(false)),
        n("indicators_off_track", f.off_track, Some(false)),
        n("checks_passed", f.checks_passed, Some(true)),
        n("effects_clear", f.effects_clear, Some(true)),
        figure(
            t,
            "innovation_spent",
            f.innovation_spent.cents() as f64 / 100.0,
            f.innovation_spent.display(dutch),
            None,
        ),
        figure(
            t,
            "ideas_posted",
            f.ideas_posted as f64,
            f.ideas_posted.to_string(),
            Some(true),
        ),
        n("weak_dimensions", f.weak_dimensions.len(), Some(false)),
        n("overdue_actions", f.overdue_actions, Some(false)),
        n("open_carry_over", f.open_carry_over, Some(false)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Locale;

    #[test]
    fn an_empty_organisation_is_told_plainly_what_is_missing() {
        let t = Tr::new(Locale::En);
        let text = summary(t, &Facts::default()).join(" ");
        assert!(text.contains(t.get("report.summary.no_indicators")));
        assert!(text.contains(t.get("report.summary.no_programme")));
        assert!(text.contains(t.get("report.summary.keep_course")));
        assert!(warnings(t, &Facts::default()).is_empty());
    }

    #[test]
    fn next_steps_put_commitment_first_and_stop_at_three() {
        let t = Tr::new(Locale::En);
        let facts = Facts {
            indicators: 4,
            off_track: 2,
            overdue_actions: 1,
            awaiting_commitment: vec!["Digitaal 2030".into()],
            weak_dimensions: vec!["B3".into()],
            ..Facts::default()
        };
        let steps = next_steps(t, &facts);
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[0], t.get("report.next.commitment"));
        let warnings = warnings(t, &facts);
        assert!(warnings[0].contains("Digitaal 2030"));
        assert!(warnings.iter().any(|w| w.contains("B3")));
    }

    #[test]
    fn figures_carry_their_direction() {
        let t = Tr::new(Locale::Nl);
        let facts = Facts {
            off_track: 3,
            innovation_spent: Money::from_cents(123_400),
            ..Facts::default()
        };
        let figures = figures(t, &facts);
        let off = figures
            .iter()
            .find(|f| f.key == "indicators_off_track")
            .unwrap();
        assert_eq!((off.value, off.higher_is_better), (3.0, Some(false)));
        let spent = figures
            .iter()
            .find(|f| f.key == "innovation_spent")
            .unwrap();
        assert!((spent.value - 1234.0).abs() < 1e-9);
    }
}
