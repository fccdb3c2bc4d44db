//! Results of a wave, pure: the mean score per dimension for the whole
//! organisation and per unit (each unit with the units below it), and the
//! open answers. A cell is shown only for at least `k` respondents, and
//! is hidden too when its respondents could be had by subtracting shown
//! cells from their total (the rule of `skills::gaps::hidden_nodes`, per
//! dimension). Open answers are shown only when the wave has `k`
//! respondents, and with their unit only when that unit has `k`.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::UnitId;
use crate::skills::gaps::{CellStatus, UnitNode, UnitTree, hidden_nodes};

/// The sums the store keeps per unit (directly) and dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionSum {
    pub unit: Option<UnitId>,
    pub dimension: String,
    /// Responses with at least one score in the dimension.
    pub respondents: i64,
    pub score_sum: i64,
    pub scores: i64,
}

/// One result cell: a mean score from 1 to 5.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreCell {
    /// `shown`, `hidden` (too few respondents to stay anonymous) or
    /// `empty` (nobody answered).
    pub status: CellStatus,
    pub respondents: Option<i64>,
    /// The mean of the scores given, 1 (strongly disagree) to 5.
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ResultRow {
    /// Absent for the whole organisation.
    pub unit_id: Option<UnitId>,
    pub name: String,
    pub depth: usize,
    /// One per dimension, in the order of `dimensions`.
    pub cells: Vec<ScoreCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OpenAnswer {
    /// `open` for the open question; for a comment on a scan statement,
    /// the statement's factor.
    pub dimension: String,
    pub text: String,
    /// The respondent's unit; absent for units with fewer than `k`
    /// respondents.
    pub unit_id: Option<UnitId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Results {
    pub min_group_size: i64,
    /// Everyone who answered anything.
    pub respondents: i64,
    /// The scored dimensions, in the instrument's order.
    pub dimensions: Vec<String>,
    /// The organisation first, then its units as a tree.
    pub rows: Vec<ResultRow>,
    /// Empty unless the wave has `k` respondents.
    pub open_answers: Vec<OpenAnswer>,
}

/// What the results are computed from.
pub struct ResultsInput<'a> {
    pub organisation: &'a str,
    pub units: &'a [UnitNode],
    pub dimensions: &'a [String],
    pub sums: &'a [DimensionSum],
    /// Respondents per unit (directly), whatever they answered.
    pub respondents: &'a [(Option<UnitId>, i64)],
    /// (unit, dimension, text) of every open answer and comment.
    pub open: &'a [(Option<UnitId>, String, String)],
    pub k: i64,
}

fn cell(respondents: i64, score_sum: i64, scores: i64, hidden: bool) -> ScoreCell {
    if respondents == 0 || scores == 0 {
        return ScoreCell {
            status: CellStatus::Empty,
            respondents: None,
            mean: None,
        };
    }
    if hidden {
        return ScoreCell {
            status: CellStatus::Hidden,
            respondents: None,
            mean: None,
        };
    }
    #[allow(clippy::cast_precision_loss)]
    let mean = score_sum as f64 / scores as f64;
    ScoreCell {
        status: CellStatus::Shown,
        respondents: Some(respondents),
        mean: Some(mean),
    }
}

pub fn results(input: &ResultsInput<'_>) -> Results {
    let tree = UnitTree::of(input.units);
    let nodes = tree.parent.len();
    let mut columns = Vec::with_capacity(input.dimensions.len());
    for dimension in input.dimensions {
        let mut own = vec![(0i64, 0i64, 0i64); nodes];
        for s in input.sums.iter().filter(|s| &s.dimension == dimension) {
            let node = &mut own[tree.node_of(s.unit)];
            node.0 += s.respondents;
            node.1 += s.score_sum;
            node.2 += s.scores;
        }
        let people: Vec<i64> = own.iter().map(|o| o.0).collect();
        let hidden = hidden_nodes(&tree.parent, &people, input.k);
        let mut total = own.clone();
        for i in (1..nodes).rev() {
            if let Some(p) = tree.parent[i] {
                let child = total[i];
                total[p].0 += child.0;
                total[p].1 += child.1;
                total[p].2 += child.2;
            }
        }
        columns.push(
            total
                .iter()
                .zip(&hidden)
                .map(|(t, &h)| cell(t.0, t.1, t.2, h))
                .collect::<Vec<_>>(),
        );
    }
    let rows = (0..nodes)
        .map(|node| {
            let (unit_id, name, depth) = match node {
                0 => (None, input.organisation.to_owned(), 0),
                _ => {
                    let (unit, depth) = &tree.ordered[node - 1];
                    (Some(unit.id), unit.name.clone(), *depth)
                }
            };
            ResultRow {
                unit_id,
                name,
                depth,
                cells: columns.iter().map(|c| c[node].clone()).collect(),
            }
        })
        .collect();
    let by_unit: HashMap<Option<UnitId>, i64> = input.respondents.iter().copied().collect();
    let respondents: i64 = by_unit.values().sum();
    let open_answers = if respondents >= input.k {
        input
            .open
            .iter()
            .map(|(unit, dimension, text)| OpenAnswer {
                dimension: dimension.clone(),
                text: text.clone(),
                unit_id: unit.filter(|_| by_unit.get(unit).copied().unwrap_or(0) >= input.k),
            })
            .collect()
    } else {
        Vec::new()
    };
    Results {
        min_group_size: input.k,
        respondents,
        dimensions: input.dimensions.to_vec(),
        rows,
        open_answers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>, name: &str) -> UnitNode {
        UnitNode {
            id: UnitId(id),
            parent: parent.map(UnitId),
            name: name.into(),
        }
    }

    fn sum(unit: i64, dimension: &str, scores: &[i64]) -> DimensionSum {
        DimensionSum {
            unit: Some(UnitId(unit)),
            dimension: dimension.into(),
            respondents: scores.len() as i64,
            score_sum: scores.iter().sum(),
            scores: scores.len() as i64,
        }
    }

    #[test]
    fn means_per_dimension_with_small_units_hidden_also_against_subtraction() {
        let units = [
            unit(1, None, "Noord"),
            unit(2, None, "Zuid"),
            unit(3, None, "West"),
        ];
        let dimensions = vec!["b1".to_owned(), "b2".to_owned()];
        // b1: Noord 5 (mean 3.0), Zuid 6 (mean 4.0), West 2 → West hidden,
        // and then Noord too (the smallest shown), or the total minus Noord
        // and Zuid would give West's two answers away.
        // b2: only Noord and Zuid answered: both shown.
        let sums = [
            sum(1, "b1", &[3, 3, 3, 3, 3]),
            sum(2, "b1", &[4, 4, 4, 4, 4, 4]),
            sum(3, "b1", &[1, 2]),
            sum(1, "b2", &[5, 5, 5, 5, 5]),
            sum(2, "b2", &[1, 1, 1, 1, 1, 1]),
        ];
        let respondents = [
            (Some(UnitId(1)), 5),
            (Some(UnitId(2)), 6),
            (Some(UnitId(3)), 2),
        ];
        let open = [
            (
                Some(UnitId(2)),
                "open".to_owned(),
                "Meer uitleg graag.".to_owned(),
            ),
            (
                Some(UnitId(3)),
                "open".to_owned(),
                "Laptop te traag.".to_owned(),
            ),
        ];
        let r = results(&ResultsInput {
            organisation: "Org",
            units: &units,
            dimensions: &dimensions,
            sums: &sums,
            respondents: &respondents,
            open: &open,
            k: 5,
        });
        let row = |name: &str| r.rows.iter().find(|row| row.name == name).unwrap();
        // The organisation: (15 + 24 + 3) / 13.
        assert_eq!(row("Org").cells[0].mean, Some(42.0 / 13.0));
        assert_eq!(row("Zuid").cells[0].mean, Some(4.0));
        assert_eq!(row("West").cells[0].status, CellStatus::Hidden);
        assert_eq!(row("Noord").cells[0].status, CellStatus::Hidden);
        assert_eq!(row("Noord").cells[1].mean, Some(5.0));
        assert_eq!(row("West").cells[1].status, CellStatus::Empty);
        assert_eq!(r.respondents, 13);
        // Open answers: West's without its unit.
        assert_eq!(r.open_answers[0].unit_id, Some(UnitId(2)));
        assert_eq!(r.open_answers[1].unit_id, None);
    }

    #[test]
    fn below_k_respondents_nothing_is_shown() {
        let units = [unit(1, None, "Noord")];
        let dimensions = vec!["b1".to_owned()];
        let sums = [sum(1, "b1", &[2, 4, 5, 1])];
        let r = results(&ResultsInput {
            organisation: "Org",
            units: &units,
            dimensions: &dimensions,
            sums: &sums,
            respondents: &[(Some(UnitId(1)), 4)],
            open: &[(Some(UnitId(1)), "open".to_owned(), "Iets".to_owned())],
            k: 5,
        });
        assert!(
            r.rows
                .iter()
                .all(|row| row.cells[0].status == CellStatus::Hidden)
        );
        assert!(r.open_answers.is_empty());
    }
}
