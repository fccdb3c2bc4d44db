//! What the waves say together, pure: the trend of each dimension over the
//! waves of an instrument, where management (scan) and staff (pulse) see a
//! factor differently, and which factors are weak. Only organisation-wide
//! means are used, and only where the wave showed them (at least `k`
//! respondents).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::WaveId;

/// The barriers of the pulse survey that give the staff's view of a
/// factor of the scan. A barrier may speak to more than one factor.
pub const STAFF_VIEW: [(&str, &[&str]); 5] = [
    ("s2", &["b4", "b5", "b8"]),
    ("s6", &["b7"]),
    ("f3", &["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"]),
    ("f4", &["b9"]),
    ("f5", &["b10"]),
];

/// Below this mean (on 1–5) a dimension counts as weak.
pub const WEAK_BELOW: f64 = 3.0;

/// One wave's organisation-wide means.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveMeans {
    pub wave_id: WaveId,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub opens_on: String,
    /// Per dimension; absent where hidden or unanswered.
    pub means: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SurveyTrendWave {
    pub wave_id: WaveId,
    pub name: String,
    pub opens_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SurveyTrendRow {
    pub dimension: String,
    /// One per wave, in the order of `waves`; absent where not shown.
    pub means: Vec<Option<f64>>,
    /// The last shown mean minus the one shown before it.
    pub change: Option<f64>,
}

/// The waves of one instrument, oldest first, and each dimension's means.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SurveyTrend {
    pub waves: Vec<SurveyTrendWave>,
    pub rows: Vec<SurveyTrendRow>,
}

/// `waves` oldest first; `dimensions` in the instrument's order.
pub fn trend(waves: &[WaveMeans], dimensions: &[String]) -> SurveyTrend {
    let rows = dimensions
        .iter()
        .map(|dimension| {
            let means: Vec<Option<f64>> = waves
                .iter()
                .map(|w| w.means.get(dimension).copied())
                .collect();
            let shown: Vec<f64> = means.iter().flatten().copied().collect();
            let change = match shown.as_slice() {
                [.., before, last] => Some(last - before),
                _ => None,
            };
            SurveyTrendRow {
                dimension: dimension.clone(),
                means,
                change,
            }
        })
        .collect();
    SurveyTrend {
        waves: waves
            .iter()
            .map(|w| SurveyTrendWave {
                wave_id: w.wave_id,
                name: w.name.clone(),
                opens_on: w.opens_on.clone(),
            })
            .collect(),
        rows,
    }
}

/// A factor as management and staff score it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Disagreement {
    pub factor: String,
    /// The scan's mean for the factor.
    pub management: f64,
    /// The mean of the pulse barriers that speak to it.
    pub staff: f64,
    /// Management minus staff: above zero, management sees it rosier.
    pub difference: f64,
    /// The barriers the staff mean is made of (those shown).
    pub barriers: Vec<String>,
}

/// Factors both instruments speak to, the largest difference first.
pub fn disagreements(scan: &WaveMeans, pulse: &WaveMeans) -> Vec<Disagreement> {
    let mut found: Vec<Disagreement> = STAFF_VIEW
        .iter()
        .filter_map(|(factor, barriers)| {
            let management = *scan.means.get(*factor)?;
            let shown: Vec<(&str, f64)> = barriers
                .iter()
                .filter_map(|b| pulse.means.get(*b).map(|m| (*b, *m)))
                .collect();
            if shown.is_empty() {
                return None;
            }
            #[allow(clippy::cast_precision_loss)]
            let staff = shown.iter().map(|(_, m)| m).sum::<f64>() / shown.len() as f64;
            Some(Disagreement {
                factor: (*factor).to_owned(),
                management,
                staff,
                difference: management - staff,
                barriers: shown.iter().map(|(b, _)| (*b).to_owned()).collect(),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.difference
            .abs()
            .total_cmp(&a.difference.abs())
            .then_with(|| a.factor.cmp(&b.factor))
    });
    found
}

/// A dimension whose latest shown mean is below `WEAK_BELOW`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WeakDimension {
    pub dimension: String,
    pub mean: f64,
    pub wave_id: WaveId,
}

/// The weak dimensions of the latest wave, weakest first.
pub fn weak_dimensions(latest: &WaveMeans) -> Vec<WeakDimension> {
    let mut weak: Vec<WeakDimension> = latest
        .means
        .iter()
        // Compared as shown, to one decimal: a 2.97 reads 3.0 and is not weak.
        .filter(|(_, mean)| (**mean * 10.0).round() / 10.0 < WEAK_BELOW)
        .map(|(dimension, mean)| WeakDimension {
            dimension: dimension.clone(),
            mean: *mean,
            wave_id: latest.wave_id,
        })
        .collect();
    weak.sort_by(|a, b| a.mean.total_cmp(&b.mean));
    weak
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(id: i64, means: &[(&str, f64)]) -> WaveMeans {
        WaveMeans {
            wave_id: WaveId(id),
            name: format!("Wave {id}"),
            opens_on: format!("2026-0{id}-01"),
            means: means.iter().map(|(d, m)| ((*d).to_owned(), *m)).collect(),
        }
    }

    #[test]
    fn the_trend_compares_the_last_two_shown_means() {
        let waves = [
            wave(1, &[("b1", 2.5), ("b2", 3.0)]),
            wave(2, &[("b1", 3.0)]),
            wave(3, &[("b1", 3.5), ("b2", 2.0)]),
        ];
        let dims = vec!["b1".to_owned(), "b2".to_owned(), "b3".to_owned()];
        let t = trend(&waves, &dims);
        assert_eq!(t.waves.len(), 3);
        assert_eq!(t.rows[0].means, [Some(2.5), Some(3.0), Some(3.5)]);
        assert_eq!(t.rows[0].change, Some(0.5));
        // A wave that hid b2 is skipped: 2.0 − 3.0.
        assert_eq!(t.rows[1].means, [Some(3.0), None, Some(2.0)]);
        assert_eq!(t.rows[1].change, Some(-1.0));
        assert_eq!(t.rows[2].change, None);
    }

    #[test]
    fn disagreements_put_the_largest_difference_first_either_way() {
        let scan = wave(1, &[("f3", 4.0), ("f4", 2.0), ("f5", 3.0), ("s1", 4.0)]);
        let pulse = wave(2, &[("b1", 2.0), ("b2", 3.0), ("b9", 3.5), ("b10", 3.0)]);
        let found = disagreements(&scan, &pulse);
        let factors: Vec<&str> = found.iter().map(|d| d.factor.as_str()).collect();
        // f3: 4.0 vs mean(2.0, 3.0) = +1.5; f4: 2.0 vs 3.5 = −1.5; f5: 0.
        // s1 has no staff view; s2 and s6 have no barriers shown.
        assert_eq!(factors, ["f3", "f4", "f5"]);
        assert_eq!(found[0].staff, 2.5);
        assert_eq!(found[0].barriers, ["b1", "b2"]);
        assert_eq!(found[1].difference, -1.5);
    }

    #[test]
    fn weak_dimensions_are_below_three_weakest_first() {
        let latest = wave(1, &[("b1", 2.9), ("b2", 3.0), ("b3", 1.5), ("b4", 2.96)]);
        let weak = weak_dimensions(&latest);
        let dims: Vec<&str> = weak.iter().map(|w| w.dimension.as_str()).collect();
        assert_eq!(dims, ["b3", "b1"]);
    }
}
