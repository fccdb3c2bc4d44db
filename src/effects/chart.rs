//! The effect chart: what was measured against the band of what was
//! expected without the initiative, with the go-live line. Geometry here,
//! drawn as SVG by templates/effects/chart.html (no script).

use super::assess::EffectPoint;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

pub struct Tick {
    pub at: String,
    pub label: String,
}

pub struct EffectChart {
    /// `x,y …` of the measured values (gaps leave the line to the next).
    pub observed: String,
    /// `x,y …` of the expected values after go-live.
    pub expected: String,
    /// The 95% band's outline as one polygon.
    pub band: String,
    pub go_live_x: String,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub plot_left: String,
    pub plot_right: String,
    pub plot_top: String,
    pub plot_bottom: String,
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// `None` without an expected band (a refused estimate) or values.
pub fn build(points: &[EffectPoint], show: impl Fn(f64) -> String) -> Option<EffectChart> {
    let first_after = points.iter().position(|p| p.expected.is_some())?;
    let mut values: Vec<f64> = points.iter().filter_map(|p| p.observed).collect();
    for p in points.iter().filter_map(|p| p.expected) {
        values.extend([p.lo95, p.hi95]);
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let pad = ((hi - lo) * 0.08).max(0.5);
    let (y_min, y_max) = (lo - pad, hi + pad);
    let n = points.len().max(2) as f64 - 1.0;
    let sx = |i: usize| LEFT + i as f64 / n * (WIDTH - LEFT - RIGHT);
    let sy = |y: f64| TOP + (y_max - y) / (y_max - y_min) * (HEIGHT - TOP - BOTTOM);
    let observed = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.observed.map(|v| format!("{},{}", fmt(sx(i)), fmt(sy(v)))))
        .collect::<Vec<_>>()
        .join(" ");
    let after: Vec<(usize, super::assess::Range)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.expected.map(|e| (i, e)))
        .collect();
    let expected = after
        .iter()
        .map(|(i, e)| format!("{},{}", fmt(sx(*i)), fmt(sy(e.estimate))))
        .collect::<Vec<_>>()
        .join(" ");
    let upper = after
        .iter()
        .map(|(i, e)| format!("{},{}", fmt(sx(*i)), fmt(sy(e.hi95))));
    let lower = after
        .iter()
        .rev()
        .map(|(i, e)| format!("{},{}", fmt(sx(*i)), fmt(sy(e.lo95))));
    let band = upper.chain(lower).collect::<Vec<_>>().join(" ");
    // Go-live sits between the last period before and the first after.
    let go_live = if first_after == 0 {
        sx(0)
    } else {
        (sx(first_after - 1) + sx(first_after)) / 2.0
    };
    let y_ticks = (0..=4)
        .map(|k| {
            let value = y_min + (y_max - y_min) * f64::from(k) / 4.0;
            Tick {
                at: fmt(sy(value)),
                label: show((value * 10.0).round() / 10.0),
            }
        })
        .collect();
    let x_ticks = [0, first_after, points.len() - 1]
        .iter()
        .map(|&i| Tick {
            at: fmt(sx(i)),
            label: points[i].period.clone(),
        })
        .collect();
    Some(EffectChart {
        observed,
        expected,
        band,
        go_live_x: fmt(go_live),
        y_ticks,
        x_ticks,
        plot_left: fmt(LEFT),
        plot_right: fmt(WIDTH - RIGHT),
        plot_top: fmt(TOP),
        plot_bottom: fmt(HEIGHT - BOTTOM),
    })
}
