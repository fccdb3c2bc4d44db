//! A report against the one made before it: which key figures moved and
//! which indicators changed status. Pure.

use serde::Serialize;

use super::BoardReport;

/// One key figure then and now.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FigureChange {
    pub key: String,
    pub label: String,
    /// As shown in the earlier report; absent when it did not have it.
    pub before: Option<String>,
    pub after: String,
    /// Now minus then.
    pub change: Option<f64>,
    /// `better`, `worse`, `same` or `neutral` (no direction is better).
    pub verdict: &'static str,
}

/// An indicator whose status differs between the two reports.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub code: String,
    pub name: String,
    /// Status codes; `before` absent for an indicator that is new.
    pub before: Option<String>,
    pub before_label: Option<String>,
    pub after: String,
    pub after_label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub figures: Vec<FigureChange>,
    pub statuses: Vec<StatusChange>,
}

fn verdict(change: f64, higher_is_better: Option<bool>) -> &'static str {
    if change.abs() < 1e-9 {
        return "same";
    }
    match higher_is_better {
        None => "neutral",
        Some(up) if up == (change > 0.0) => "better",
        Some(_) => "worse",
    }
}

/// `now` against `before`, in `now`'s words.
pub fn compare(before: &BoardReport, now: &BoardReport) -> Comparison {
    let figures = now
        .figures
        .iter()
        .map(|figure| {
            let then = before.figures.iter().find(|f| f.key == figure.key);
            let change = then.map(|t| figure.value - t.value);
            FigureChange {
                key: figure.key.clone(),
                label: figure.label.clone(),
                before: then.map(|t| t.shown.clone()),
                after: figure.shown.clone(),
                change,
                verdict: change.map_or("neutral", |c| verdict(c, figure.higher_is_better)),
            }
        })
        .collect();
    let statuses = now
        .statuses
        .iter()
        .filter_map(|status| {
            let then = before.statuses.iter().find(|s| s.code == status.code);
            if then.is_some_and(|t| t.status == status.status) {
                return None;
            }
            Some(StatusChange {
                code: status.code.clone(),
                name: status.name.clone(),
                before: then.map(|t| t.status.clone()),
                before_label: then.map(|t| t.status_label.clone()),
                after: status.status.clone(),
                after_label: status.status_label.clone(),
            })
        })
        .collect();
    Comparison { figures, statuses }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{IndicatorStatus, KeyFigure};

    fn report(figures: &[(&str, f64, Option<bool>)], statuses: &[(&str, &str)]) -> BoardReport {
        BoardReport {
            format: 1,
            title: String::new(),
            organisation: String::new(),
            period: String::new(),
            period_label: String::new(),
            from: String::new(),
            to: String::new(),
            language: "en".into(),
            as_of: String::new(),
            made_on: String::new(),
            made_by: String::new(),
            summary: vec![],
            sections: vec![],
            figures: figures
                .iter()
                .map(|(key, value, up)| KeyFigure {
                    key: (*key).into(),
                    label: (*key).into(),
                    value: *value,
                    shown: value.to_string(),
                    higher_is_better: *up,
                })
                .collect(),
            statuses: statuses
                .iter()
                .map(|(code, status)| IndicatorStatus {
                    code: (*code).into(),
                    name: (*code).into(),
                    status: (*status).into(),
                    status_label: (*status).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn figures_are_judged_by_their_direction() {
        let before = report(
            &[
                ("on", 3.0, Some(true)),
                ("off", 1.0, Some(false)),
                ("n", 5.0, None),
            ],
            &[],
        );
        let now = report(
            &[
                ("on", 4.0, Some(true)),
                ("off", 2.0, Some(false)),
                ("n", 5.0, None),
                ("new", 1.0, Some(true)),
            ],
            &[],
        );
        let c = compare(&before, &now);
        let v: Vec<_> = c
            .figures
            .iter()
            .map(|f| (f.key.as_str(), f.verdict))
            .collect();
        assert_eq!(
            v,
            [
                ("on", "better"),
                ("off", "worse"),
                ("n", "same"),
                ("new", "neutral")
            ]
        );
        assert_eq!(c.figures[3].before, None);
        assert_eq!(c.figures[1].change, Some(1.0));
    }

    #[test]
    fn only_changed_or_new_statuses_are_listed() {
        let before = report(&[], &[("A", "on_track"), ("B", "at_risk")]);
        let now = report(
            &[],
            &[("A", "on_track"), ("B", "off_track"), ("C", "no_data")],
        );
        let c = compare(&before, &now);
        let v: Vec<_> = c
            .statuses
            .iter()
            .map(|s| (s.code.as_str(), s.before.as_deref(), s.after.as_str()))
            .collect();
        assert_eq!(
            v,
            [("B", Some("at_risk"), "off_track"), ("C", None, "no_data")]
        );
    }
}
