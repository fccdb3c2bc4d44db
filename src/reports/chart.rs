//! The report's charts as self-contained SVG: plain attributes, no styles
//! or scripts, so the same markup works in the page, the downloaded HTML
//! and the PDF.

use std::fmt::Write as _;

const WIDTH: f64 = 640.0;
const LINE_HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;
const INK: &str = "#1f2933";
const GRID: &str = "#c5ccd3";
const SERIES: &str = "#1d4f91";
const TARGET: &str = "#a34700";

/// Escapes text for an SVG attribute or text node.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn open(out: &mut String, height: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{}" font-family="sans-serif" font-size="12">"#,
        escape(label)
    );
}

/// Round values between `low` and `high` for the axis: steps of 1, 2 or 5
/// times a power of ten, three to six of them.
fn ticks(low: f64, high: f64) -> Vec<f64> {
    let rough = (high - low) / 4.0;
    if !rough.is_finite() || rough <= 0.0 {
        return vec![low];
    }
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let mut value = (low / step).ceil() * step;
    let mut out = Vec::new();
    while value <= high + step * 1e-9 && out.len() < 8 {
        // −0 reads oddly.
        out.push(if value.abs() < step * 1e-9 {
            0.0
        } else {
            value
        });
        value += step;
    }
    out
}

/// A line of an indicator's values by period with its next target as a
/// dashed line. `show` writes a number the reader's way. None without
/// values.
pub fn line(
    label: &str,
    points: &[(String, f64)],
    target: Option<f64>,
    show: impl Fn(f64) -> String,
) -> Option<String> {
    let finite: Vec<f64> = points
        .iter()
        .map(|(_, v)| *v)
        .chain(target)
        .filter(|v| v.is_finite())
        .collect();
    if points.is_empty() || finite.is_empty() {
        return None;
    }
    let mut low = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let mut high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if (high - low).abs() < f64::EPSILON {
        low -= 1.0;
        high += 1.0;
    }
    let pad = (high - low) * 0.08;
    let (low, high) = (low - pad, high + pad);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = LINE_HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (high - v) / (high - low);
    #[allow(clippy::cast_precision_loss)]
    let x = |i: usize| {
        if points.len() == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let mut out = String::new();
    open(&mut out, LINE_HEIGHT, label);
    for value in ticks(low, high) {
        let at = y(value);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}" stroke="{GRID}" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            escape(&show(value))
        );
    }
    if let Some(target) = target.filter(|t| t.is_finite()) {
        let at = y(target);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>"#,
            WIDTH - RIGHT
        );
    }
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let _ = write!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{SERIES}" stroke-width="2.5"/>"#,
        path.join(" ")
    );
    for (i, (_, v)) in points.iter().enumerate() {
        let _ = write!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{SERIES}"/>"#,
            x(i),
            y(*v)
        );
    }
    let last = points.len() - 1;
    for (i, anchor) in [(0, "start"), (last, "end")] {
        if i == last && last == 0 {
            continue;
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" fill="{INK}">{}</text>"#,
            x(i),
            LINE_HEIGHT - 12.0,
            escape(&points[i].0)
        );
    }
    out.push_str("</svg>");
    Some(out)
}

/// Horizontal bars, one per (label, count), e.g. the portfolio funnel.
pub fn bars(label: &str, rows: &[(String, i64)]) -> Option<String> {
    let most = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if rows.is_empty() || most <= 0 {
        return None;
    }
    let row_h = 26.0;
    #[allow(clippy::cast_precision_loss)]
    let height = TOP + row_h * rows.len() as f64 + 8.0;
    let label_w = 170.0;
    let bar_w = WIDTH - label_w - 60.0;
    let mut out = String::new();
    open(&mut out, height, label);
    for (i, (name, count)) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let top = TOP + row_h * i as f64;
        #[allow(clippy::cast_precision_loss)]
        let w = bar_w * (*count as f64) / (most as f64);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text><rect x="{label_w}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{SERIES}"/><text x="{:.1}" y="{:.1}" fill="{INK}">{count}</text>"#,
            label_w - 8.0,
            top + 14.0,
            escape(name),
            top + 2.0,
            row_h - 8.0,
            label_w + w + 6.0,
            top + 14.0,
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_escapes_its_labels_and_draws_every_point() {
        let points = vec![
            ("2026-01".to_owned(), 1.0),
            ("<b>".to_owned(), 2.0),
            ("2026-03".to_owned(), 4.0),
        ];
        let svg = line("a & b", &points, Some(3.0), |v| format!("{v:.0}")).unwrap();
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("aria-label=\"a &amp; b\""));
        assert!(svg.contains("&lt;b&gt;") || !svg.contains("<b>"));
        assert!(svg.contains("stroke-dasharray"), "the target is drawn");
        assert!(!svg.contains("style"), "no style attributes (CSP)");
    }

    #[test]
    fn axis_ticks_are_round_numbers_inside_the_range() {
        assert_eq!(ticks(43.69, 77.32), [50.0, 60.0, 70.0]);
        assert_eq!(ticks(-0.3, 0.9), [0.0, 0.5]);
        assert_eq!(ticks(-12.0, 7.0), [-10.0, -5.0, 0.0, 5.0]);
        assert_eq!(ticks(5.0, 5.0), [5.0]);
    }

    #[test]
    fn nothing_to_draw_gives_no_chart() {
        assert!(line("x", &[], None, |v| v.to_string()).is_none());
        assert!(bars("x", &[("a".to_owned(), 0)]).is_none());
        let one = bars("x", &[("a".to_owned(), 2), ("b".to_owned(), 1)]).unwrap();
        assert_eq!(one.matches("<rect").count(), 2);
    }
}
