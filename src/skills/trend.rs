//! The gaps over assessment rounds, pure: per round the whole
//! organisation's mean shortfall per competence and over all competences,
//! and for each learning action its group's shortfall in its competence,
//! round by round. Every cell passes the same small-group rules as the
//! heatmap and the role gaps of that round.
//!
//! What a learning action did is read as a before/after comparison: the
//! last round that started on or before its planned date against the
//! newest round after it. That is a description, not proof of cause:
//! people also learn without the action, and groups change.

use serde::Serialize;

use super::gaps::{self, Cell, CellStatus, GapSum, UnitNode};
use super::{LearningAction, Round};
use crate::domain::{CompetenceId, LearningActionId, RoleProfileId, RoundId};

/// One round of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoundGaps {
    pub round_id: RoundId,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// False for the current round, whose figures follow new assessments.
    pub fixed: bool,
    /// All competences together: the mean shortfall per person and
    /// competence needed (`people` counts those pairs).
    pub overall: Cell,
    /// The whole organisation per competence, in the order of
    /// `competence_ids`.
    pub competences: Vec<Cell>,
}

/// A learning action's group, round by round.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ActionEffect {
    pub learning_action_id: LearningActionId,
    /// The group's cell in the action's competence, one per round.
    pub cells: Vec<Cell>,
    /// The last round that started on or before the planned date.
    pub before_round_id: Option<RoundId>,
    /// The newest round that started after the planned date.
    pub after_round_id: Option<RoundId>,
    /// Mean shortfall now after minus before, in levels (negative: the gap
    /// shrank). Absent unless both rounds are shown.
    pub change_now: Option<f64>,
    /// The same for the shortfall to the level needed at the horizon.
    pub change_horizon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub competence_ids: Vec<CompetenceId>,
    /// Oldest first; rounds that have not started are left out.
    pub rounds: Vec<RoundGaps>,
    pub actions: Vec<ActionEffect>,
    pub min_group_size: i64,
}

/// What the trend is computed over.
pub struct TrendInput<'a> {
    pub organisation: &'a str,
    pub units: &'a [UnitNode],
    pub roles: &'a [RoleProfileId],
    /// The competences some role needs, in the order to show them.
    pub competences: &'a [CompetenceId],
    /// Each round that has started with its gap sums, oldest first.
    pub rounds: &'a [(Round, Vec<GapSum>)],
    pub actions: &'a [LearningAction],
    pub k: i64,
}

pub fn trend(input: &TrendInput<'_>) -> Trend {
    let mut rounds = Vec::with_capacity(input.rounds.len());
    // Per round: every action's cell.
    let mut action_cells: Vec<Vec<Cell>> = vec![Vec::new(); input.actions.len()];
    for (round, sums) in input.rounds {
        let map = gaps::heatmap(
            input.organisation,
            input.units,
            input.competences,
            sums,
            input.k,
        );
        let role_gaps = gaps::role_gaps(input.roles, input.competences, sums, input.k);
        let top = map
            .rows
            .first()
            .map(|r| r.cells.clone())
            .unwrap_or_default();
        let hidden: Vec<bool> = top.iter().map(|c| c.status == CellStatus::Hidden).collect();
        for (cells, action) in action_cells.iter_mut().zip(input.actions) {
            let column = input
                .competences
                .iter()
                .position(|&c| c == action.competence_id);
            let cell = column.and_then(|i| match (action.unit_id, action.role_profile_id) {
                (Some(unit), _) => map
                    .rows
                    .iter()
                    .find(|r| r.unit_id == Some(unit))
                    .map(|r| r.cells[i].clone()),
                (None, Some(role)) => role_gaps
                    .iter()
                    .find(|g| g.role_profile_id == role && g.competence_id == action.competence_id)
                    .map(|g| g.cell.clone()),
                (None, None) => top.get(i).cloned(),
            });
            cells.push(cell.unwrap_or_else(empty));
        }
        rounds.push(RoundGaps {
            round_id: round.id,
            name: round.name.clone(),
            starts_on: round.starts_on.clone(),
            fixed: round.fixed,
            overall: gaps::overall(input.competences, sums, &hidden, input.k),
            competences: top,
        });
    }
    let actions = input
        .actions
        .iter()
        .zip(action_cells)
        .map(|(action, cells)| effect(action, &rounds, cells))
        .collect();
    Trend {
        competence_ids: input.competences.to_vec(),
        rounds,
        actions,
        min_group_size: input.k,
    }
}

fn empty() -> Cell {
    Cell {
        status: CellStatus::Empty,
        people: None,
        gap_now: None,
        gap_horizon: None,
        short_now: None,
        short_horizon: None,
    }
}

fn effect(action: &LearningAction, rounds: &[RoundGaps], cells: Vec<Cell>) -> ActionEffect {
    // ISO dates compare as text.
    let before = rounds
        .iter()
        .rposition(|r| r.starts_on.as_str() <= action.planned_on.as_str());
    let after = rounds
        .iter()
        .rposition(|r| r.starts_on.as_str() > action.planned_on.as_str());
    let change = |gap: fn(&Cell) -> Option<f64>| {
        before.zip(after).and_then(|(b, a)| {
            let then = gap(cells.get(b)?)?;
            let now = gap(cells.get(a)?)?;
            Some(now - then)
        })
    };
    let change_now = change(|c| c.gap_now);
    let change_horizon = change(|c| c.gap_horizon);
    ActionEffect {
        learning_action_id: action.id,
        before_round_id: before.map(|i| rounds[i].round_id),
        after_round_id: after.map(|i| rounds[i].round_id),
        change_now,
        change_horizon,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OrganisationId, UnitId};
    use crate::skills::{LearningKind, LearningStatus};

    fn sum(unit: i64, role: i64, competence: i64, people: i64, gap_now: i64) -> GapSum {
        GapSum {
            unit: Some(UnitId(unit)),
            role: RoleProfileId(role),
            competence: CompetenceId(competence),
            people,
            gap_now,
            gap_horizon: gap_now + people,
            short_now: people.min(gap_now),
            short_horizon: people,
        }
    }

    fn round(id: i64, starts_on: &str, fixed: bool) -> Round {
        Round {
            id: RoundId(id),
            name: format!("Ronde {id}"),
            starts_on: starts_on.into(),
            fixed,
        }
    }

    fn action(id: i64, unit: Option<i64>, role: Option<i64>, planned_on: &str) -> LearningAction {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        LearningAction {
            id: LearningActionId(id),
            organisation_id: OrganisationId(1),
            title: "Cursus".into(),
            kind: LearningKind::Training,
            competence_id: CompetenceId(7),
            unit_id: unit.map(UnitId),
            role_profile_id: role.map(RoleProfileId),
            planned_on: planned_on.into(),
            status: LearningStatus::Done,
            created_at: at,
            updated_at: at,
        }
    }

    fn units() -> Vec<UnitNode> {
        ["Noord", "Zuid"]
            .iter()
            .enumerate()
            .map(|(i, name)| UnitNode {
                id: UnitId(i as i64 + 1),
                parent: None,
                name: (*name).into(),
            })
            .collect()
    }

    #[test]
    fn an_action_is_read_before_and_after_its_date_in_its_own_group() {
        // Noord (unit 1), role 1: six people, shortfall 12 then 6. Zuid
        // (unit 2), role 2: five people, 5 then 5.
        let rounds = vec![
            (
                round(1, "2026-01-10", true),
                vec![sum(1, 1, 7, 6, 12), sum(2, 2, 7, 5, 5)],
            ),
            (
                round(2, "2026-06-01", false),
                vec![sum(1, 1, 7, 6, 6), sum(2, 2, 7, 5, 5)],
            ),
        ];
        let actions = vec![
            action(1, Some(1), None, "2026-03-15"),
            action(2, None, Some(2), "2026-03-15"),
            action(3, None, None, "2026-03-15"),
            action(4, None, None, "2026-09-01"),
        ];
        let result = trend(&TrendInput {
            organisation: "Org",
            units: &units(),
            roles: &[RoleProfileId(1), RoleProfileId(2)],
            competences: &[CompetenceId(7)],
            rounds: &rounds,
            actions: &actions,
            k: 5,
        });
        assert_eq!(result.rounds.len(), 2);
        // The organisation: 17 / 11, then 11 / 11.
        assert_eq!(result.rounds[0].competences[0].gap_now, Some(17.0 / 11.0));
        assert_eq!(result.rounds[1].overall.gap_now, Some(1.0));
        let noord = &result.actions[0];
        assert_eq!(noord.cells[0].gap_now, Some(2.0));
        assert_eq!(noord.cells[1].gap_now, Some(1.0));
        assert_eq!(noord.before_round_id, Some(RoundId(1)));
        assert_eq!(noord.after_round_id, Some(RoundId(2)));
        assert_eq!(noord.change_now, Some(-1.0));
        // The test sums put each person one level further from the horizon.
        assert_eq!(noord.change_horizon, Some(-1.0));
        // The role group of Zuid did not change.
        assert_eq!(result.actions[1].change_now, Some(0.0));
        // The whole organisation.
        assert_eq!(result.actions[2].change_now, Some(1.0 - 17.0 / 11.0));
        // An action after the newest round has no "after" yet.
        assert_eq!(result.actions[3].after_round_id, None);
        assert_eq!(result.actions[3].change_now, None);
    }

    #[test]
    fn a_small_group_stays_hidden_in_every_round_and_has_no_change() {
        // Zuid has four people: hidden in both rounds, so is Noord (the
        // organisation minus Noord would give Zuid away).
        let rounds = vec![
            (
                round(1, "2026-01-10", true),
                vec![sum(1, 1, 7, 6, 12), sum(2, 1, 7, 4, 4)],
            ),
            (
                round(2, "2026-06-01", false),
                vec![sum(1, 1, 7, 6, 6), sum(2, 1, 7, 4, 0)],
            ),
        ];
        let actions = vec![action(1, Some(2), None, "2026-03-15")];
        let result = trend(&TrendInput {
            organisation: "Org",
            units: &units(),
            roles: &[RoleProfileId(1)],
            competences: &[CompetenceId(7)],
            rounds: &rounds,
            actions: &actions,
            k: 5,
        });
        let zuid = &result.actions[0];
        assert!(zuid.cells.iter().all(|c| c.status == CellStatus::Hidden));
        assert_eq!(zuid.change_now, None);
        // The organisation as a whole (ten people) is shown.
        assert_eq!(result.rounds[1].overall.gap_now, Some(0.6));
    }
}
