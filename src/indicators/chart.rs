//! The indicator chart: geometry computed here, drawn as SVG by the
//! template (templates/indicators/chart.html), so the page needs no script.

use super::{Indicator, Target};
use crate::domain::{Frequency, Period};

pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

#[derive(Debug, Clone)]
pub struct Tick {
    pub at: String,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Marker {
    pub x: String,
    pub y: String,
    pub label: String,
}

#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// `x,y x,y …` for the polyline.
    pub line: String,
    pub points: Vec<Marker>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub baseline_y: Option<String>,
    /// Targets in force, by date.
    pub targets: Vec<Marker>,
    /// `x,y …` through the targets in force, when there are two or more.
    pub target_line: Option<String>,
    /// Earlier targets that a revision replaced, drawn hollow so the reader
    /// sees where the bar was moved.
    pub revised_targets: Vec<Marker>,
    /// Initiatives linked to the indicator that went live within the
    /// drawn period, as vertical lines; `y` is unused.
    pub go_lives: Vec<Marker>,
    pub plot_top: String,
    pub plot_left: String,
    pub plot_right: String,
    pub plot_bottom: String,
}

/// A small line of recent values for a table row: `x,y …` in a 100×24 box.
/// Decorative: the row states the latest value and status in words.
pub fn sparkline(values: &[f64]) -> Option<String> {
    if values.len() < 2 {
        return None;
    }
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let span = if high > low { high - low } else { 1.0 };
    let step = 100.0 / (values.len() - 1) as f64;
    Some(
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    22.0 - (v - low) / span * 20.0
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// How far back the chart looks, in days.
pub fn lookback_days(frequency: Frequency) -> i64 {
    match frequency {
        Frequency::Day => 90,
        Frequency::Week => 730,
        Frequency::Month | Frequency::Quarter => 1100,
        Frequency::Year => 3700,
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// A target placed on the time axis: day number, value, date, replaced.
struct TargetPoint {
    day: i64,
    value: f64,
    date: String,
    revised: bool,
}

/// `None` when there is nothing to draw. `targets` may hold revisions that
/// were replaced (`superseded_at` set); they are drawn apart. `go_lives`
/// are (day number, label) of linked initiatives going live; those outside
/// the drawn period are left out (the page lists them all in words).
pub fn build(
    indicator: &Indicator,
    points: &[(Period, f64)],
    targets: &[&Target],
    go_lives: &[(i64, String)],
    show: impl Fn(f64) -> String,
) -> Option<Chart> {
    let (first, last) = (points.first()?, points.last()?);
    let mut target_points: Vec<TargetPoint> = targets
        .iter()
        .filter_map(|t| {
            Period::parse(Frequency::Day, &t.date)
                .ok()
                .map(|p| TargetPoint {
                    day: p.day_number(),
                    value: t.value,
                    date: t.date.clone(),
                    revised: t.superseded_at.is_some(),
                })
        })
        .collect();
    target_points.sort_by_key(|t| t.day);
    let x_min = first.0.day_number() as f64;
    let x_max = target_points
        .iter()
        .map(|t| t.day as f64)
        .fold(last.0.day_number() as f64, f64::max)
        .max(x_min + 1.0);
    let mut values: Vec<f64> = points.iter().map(|p| p.1).collect();
    values.extend(target_points.iter().map(|t| t.value));
    values.extend(indicator.baseline_value);
    let (mut y_min, mut y_max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let pad = ((y_max - y_min) * 0.1).max(y_max.abs() * 0.02).max(0.5);
    y_min -= pad;
    y_max += pad;
    let (low, high) = indicator.bounds();
    if let Some(low) = low {
        y_min = y_min.max(low);
    }
    if let Some(high) = high {
        y_max = y_max.min(high);
    }
    let sx = |x: f64| LEFT + (x - x_min) / (x_max - x_min) * (WIDTH - LEFT - RIGHT);
    let sy = |y: f64| TOP + (y_max - y) / (y_max - y_min) * (HEIGHT - TOP - BOTTOM);
    let markers: Vec<Marker> = points
        .iter()
        .map(|(period, value)| Marker {
            x: fmt(sx(period.day_number() as f64)),
            y: fmt(sy(*value)),
            label: format!("{}: {}", period.label(), show(*value)),
        })
        .collect();
    let line = markers
        .iter()
        .map(|m| format!("{},{}", m.x, m.y))
        .collect::<Vec<_>>()
        .join(" ");
    let y_ticks = (0..=4)
        .map(|i| {
            let value = y_min + (y_max - y_min) * f64::from(i) / 4.0;
            Tick {
                at: fmt(sy(value)),
                label: show((value * 10.0).round() / 10.0),
            }
        })
        .collect();
    let x_ticks = vec![
        Tick {
            at: fmt(sx(x_min)),
            label: first.0.label(),
        },
        Tick {
            at: fmt(sx(last.0.day_number() as f64)),
            label: last.0.label(),
        },
    ];
    let marker = |t: &TargetPoint| Marker {
        x: fmt(sx(t.day as f64)),
        y: fmt(sy(t.value)),
        label: format!("{}: {}", t.date, show(t.value)),
    };
    let targets: Vec<Marker> = target_points
        .iter()
        .filter(|t| !t.revised)
        .map(marker)
        .collect();
    let revised_targets = target_points
        .iter()
        .filter(|t| t.revised)
        .map(marker)
        .collect();
    let go_lives = go_lives
        .iter()
        .filter(|(day, _)| (x_min..=x_max).contains(&(*day as f64)))
        .map(|(day, label)| Marker {
            x: fmt(sx(*day as f64)),
            y: String::new(),
            label: label.clone(),
        })
        .collect();
    let target_line = (targets.len() >= 2).then(|| {
        targets
            .iter()
            .map(|m| format!("{},{}", m.x, m.y))
            .collect::<Vec<_>>()
            .join(" ")
    });
    Some(Chart {
        line,
        points: markers,
        y_ticks,
        x_ticks,
        baseline_y: indicator.baseline_value.map(|b| fmt(sy(b))),
        targets,
        target_line,
        revised_targets,
        go_lives,
        plot_top: fmt(TOP),
        plot_left: fmt(LEFT),
        plot_right: fmt(WIDTH - RIGHT),
        plot_bottom: fmt(HEIGHT - BOTTOM),
    })
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn go_lives_inside_the_drawn_period_become_lines() {
        use crate::domain::{Frequency, Period};
        let indicator =
            crate::indicators::status::tests::indicator(crate::domain::Direction::HigherIsBetter);
        let month = |text: &str| Period::parse(Frequency::Month, text).unwrap();
        let day = |text: &str| Period::parse(Frequency::Day, text).unwrap().day_number();
        let points = [(month("2026-01"), 1.0), (month("2026-07"), 2.0)];
        let go_lives = [
            (day("2025-06-01"), "too early".to_owned()),
            (day("2026-04-01"), "Pas live".to_owned()),
            (day("2027-01-01"), "too late".to_owned()),
        ];
        let chart = super::build(&indicator, &points, &[], &go_lives, |v| v.to_string()).unwrap();
        let labels: Vec<&str> = chart.go_lives.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["Pas live"]);
        let x: f64 = chart.go_lives[0].x.parse().unwrap();
        let (left, right): (f64, f64) = (
            chart.points[0].x.parse().unwrap(),
            chart.points[1].x.parse().unwrap(),
        );
        assert!(left < x && x < right, "{left} < {x} < {right}");
    }

    #[test]
    fn sparklines_span_the_box() {
        assert_eq!(sparkline(&[1.0]), None);
        assert_eq!(
            sparkline(&[1.0, 3.0, 2.0]).unwrap(),
            "0.0,22.0 50.0,2.0 100.0,12.0"
        );
        assert_eq!(sparkline(&[5.0, 5.0]).unwrap(), "0.0,22.0 100.0,22.0");
    }
}
