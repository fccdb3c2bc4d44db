//! Gap analysis, pure: from the kept gap sums per unit, role profile and
//! competence to the heatmap (units × competences), the gaps per role and
//! the priority list; every group smaller than the threshold is hidden,
//! and so is any group that could be worked out by subtracting the groups
//! that are shown from their total.
//!
//! A gap is the shortfall to the required level, `max(0, required −
//! level)`, averaged over the people assessed whose role needs the
//! competence: being above the level in one competence does not make up
//! for being below it in another.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::{CompetenceId, RoleProfileId, UnitId};

/// The kept sums of one group: people of one unit (directly) in one role,
/// for one competence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GapSum {
    pub unit: Option<UnitId>,
    pub role: RoleProfileId,
    pub competence: CompetenceId,
    pub people: i64,
    /// Σ shortfall to the level needed now.
    pub gap_now: i64,
    /// Σ shortfall to the level needed at the horizon.
    pub gap_horizon: i64,
    /// How many have any shortfall now.
    pub short_now: i64,
    pub short_horizon: i64,
}

/// Sums over a group of people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Totals {
    people: i64,
    gap_now: i64,
    gap_horizon: i64,
    short_now: i64,
    short_horizon: i64,
}

impl Totals {
    fn add(&mut self, s: &GapSum) {
        self.people += s.people;
        self.gap_now += s.gap_now;
        self.gap_horizon += s.gap_horizon;
        self.short_now += s.short_now;
        self.short_horizon += s.short_horizon;
    }

    fn merge(&mut self, o: &Totals) {
        self.people += o.people;
        self.gap_now += o.gap_now;
        self.gap_horizon += o.gap_horizon;
        self.short_now += o.short_now;
        self.short_horizon += o.short_horizon;
    }
}

/// One cell of a gap view.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cell {
    /// `shown`, `hidden` (too few people to stay anonymous) or `empty`
    /// (nobody assessed needs this competence).
    pub status: CellStatus,
    /// The people counted; absent when hidden.
    pub people: Option<i64>,
    /// Mean shortfall to the level needed now, in levels.
    pub gap_now: Option<f64>,
    /// Mean shortfall to the level needed at the horizon.
    pub gap_horizon: Option<f64>,
    /// How many have a shortfall now.
    pub short_now: Option<i64>,
    /// How many have a shortfall at the horizon.
    pub short_horizon: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    Shown,
    Hidden,
    Empty,
}

impl Cell {
    fn of(totals: &Totals, hidden: bool) -> Cell {
        let blank = |status| Cell {
            status,
            people: None,
            gap_now: None,
            gap_horizon: None,
            short_now: None,
            short_horizon: None,
        };
        if totals.people == 0 {
            return blank(CellStatus::Empty);
        }
        if hidden {
            return blank(CellStatus::Hidden);
        }
        let n = totals.people as f64;
        Cell {
            status: CellStatus::Shown,
            people: Some(totals.people),
            gap_now: Some(totals.gap_now as f64 / n),
            gap_horizon: Some(totals.gap_horizon as f64 / n),
            short_now: Some(totals.short_now),
            short_horizon: Some(totals.short_horizon),
        }
    }
}

/// Which nodes of a tree to hide. Node 0 is the root; `parent[i]` is the
/// parent of node `i > 0`; `own[i]` counts the people directly at node `i`
/// (for the root: those at no node below it). A node with fewer than `k`
/// people is hidden. Then, for every shown node, its people split into its
/// children and its own people (never shown apart); when the parts that
/// are not shown hold between 1 and `k − 1` people together, their sum
/// could be had by subtraction, so the smallest shown child is hidden too
/// (or the node itself, when no child is shown), until no such node is
/// left.
pub fn hidden_nodes(parent: &[Option<usize>], own: &[i64], k: i64) -> Vec<bool> {
    let n = own.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    // Subtree sums, children before parents.
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![0usize];
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().copied());
    }
    let mut total = own.to_vec();
    for &i in order.iter().rev() {
        if let Some(p) = parent[i] {
            total[p] += total[i];
        }
    }
    let mut hidden: Vec<bool> = total.iter().map(|&t| t > 0 && t < k).collect();
    loop {
        let mut changed = false;
        for &node in &order {
            if hidden[node] || total[node] == 0 {
                continue;
            }
            let unseen: i64 = own[node]
                + children[node]
                    .iter()
                    .filter(|&&c| hidden[c])
                    .map(|&c| total[c])
                    .sum::<i64>();
            if unseen > 0 && unseen < k {
                let smallest = children[node]
                    .iter()
                    .copied()
                    .filter(|&c| !hidden[c] && total[c] > 0)
                    .min_by_key(|&c| (total[c], c));
                match smallest {
                    Some(c) => hidden[c] = true,
                    None => hidden[node] = true,
                }
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// A unit of the organisation as the heatmap needs it.
#[derive(Debug, Clone)]
pub struct UnitNode {
    pub id: UnitId,
    pub parent: Option<UnitId>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HeatmapRow {
    /// Absent for the row of the whole organisation.
    pub unit_id: Option<UnitId>,
    pub name: String,
    /// 0 for the organisation, 1 for a top-level unit, and so on.
    pub depth: usize,
    /// One per competence, in the order of `competence_ids`.
    pub cells: Vec<Cell>,
}

/// Units × competences; every unit's row counts its whole subtree.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Heatmap {
    pub competence_ids: Vec<CompetenceId>,
    pub rows: Vec<HeatmapRow>,
    /// Groups smaller than this are hidden.
    pub min_group_size: i64,
}

/// The organisation's units as the nodes of a tree for `hidden_nodes`:
/// node 0 is the organisation, node i + 1 is `ordered[i]`, depth first so
/// that rows read as a tree.
pub struct UnitTree {
    /// Units with their depth (1 for top level).
    pub ordered: Vec<(UnitNode, usize)>,
    /// The parent node of every node; `None` for the organisation.
    pub parent: Vec<Option<usize>>,
    /// A unit's node.
    pub index: HashMap<UnitId, usize>,
}

impl UnitTree {
    pub fn of(units: &[UnitNode]) -> UnitTree {
        let ordered = tree_order(units);
        let index: HashMap<UnitId, usize> = ordered
            .iter()
            .enumerate()
            .map(|(i, (u, _))| (u.id, i + 1))
            .collect();
        let parent: Vec<Option<usize>> = std::iter::once(None)
            .chain(
                ordered
                    .iter()
                    .map(|(u, _)| Some(u.parent.and_then(|p| index.get(&p).copied()).unwrap_or(0))),
            )
            .collect();
        UnitTree {
            ordered,
            parent,
            index,
        }
    }

    /// The node of a unit; the organisation's for none or an unknown one.
    pub fn node_of(&self, unit: Option<UnitId>) -> usize {
        unit.and_then(|u| self.index.get(&u).copied()).unwrap_or(0)
    }
}

/// Builds the heatmap. `units` may hold archived units (their people still
/// count); `organisation` names the top row. Competences appear in the
/// order given.
pub fn heatmap(
    organisation: &str,
    units: &[UnitNode],
    competences: &[CompetenceId],
    sums: &[GapSum],
    k: i64,
) -> Heatmap {
    let UnitTree {
        ordered,
        parent,
        index,
    } = UnitTree::of(units);
    let node_of = |unit: Option<UnitId>| unit.and_then(|u| index.get(&u).copied()).unwrap_or(0);
    let nodes = parent.len();
    let mut columns: Vec<Vec<Cell>> = Vec::with_capacity(competences.len());
    for &competence in competences {
        let mut own = vec![Totals::default(); nodes];
        for s in sums.iter().filter(|s| s.competence == competence) {
            own[node_of(s.unit)].add(s);
        }
        let people: Vec<i64> = own.iter().map(|t| t.people).collect();
        let hidden = hidden_nodes(&parent, &people, k);
        let mut total = own.clone();
        for i in (1..nodes).rev() {
            if let Some(p) = parent[i] {
                let child = total[i];
                total[p].merge(&child);
            }
        }
        columns.push(
            total
                .iter()
                .zip(&hidden)
                .map(|(t, &h)| Cell::of(t, h))
                .collect(),
        );
    }
    let mut rows = Vec::with_capacity(nodes);
    for node in 0..nodes {
        let (unit_id, name, depth) = match node {
            0 => (None, organisation.to_owned(), 0),
            _ => {
                let (unit, depth) = &ordered[node - 1];
                (Some(unit.id), unit.name.clone(), *depth)
            }
        };
        rows.push(HeatmapRow {
            unit_id,
            name,
            depth,
            cells: columns.iter().map(|column| column[node].clone()).collect(),
        });
    }
    Heatmap {
        competence_ids: competences.to_vec(),
        rows,
        min_group_size: k,
    }
}

/// Units depth first, children by name, with their depth (1 for top level).
/// A unit whose parent is unknown counts as top level.
fn tree_order(units: &[UnitNode]) -> Vec<(UnitNode, usize)> {
    let known: std::collections::HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    let mut by_parent: HashMap<Option<UnitId>, Vec<&UnitNode>> = HashMap::new();
    for u in units {
        let parent = u.parent.filter(|p| known.contains(p));
        by_parent.entry(parent).or_default().push(u);
    }
    for list in by_parent.values_mut() {
        list.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(&UnitNode, usize)> = by_parent
        .get(&None)
        .map(|l| l.iter().rev().map(|u| (*u, 1)).collect())
        .unwrap_or_default();
    while let Some((u, depth)) = stack.pop() {
        out.push((u.clone(), depth));
        if let Some(children) = by_parent.get(&Some(u.id)) {
            stack.extend(children.iter().rev().map(|c| (*c, depth + 1)));
        }
    }
    out
}

/// The gaps of one role profile in one competence.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoleGap {
    pub role_profile_id: RoleProfileId,
    pub competence_id: CompetenceId,
    pub cell: Cell,
}

/// Gaps per role profile and competence. The organisation's total per
/// competence is the parent of the roles' groups: when the total is shown,
/// a single small hidden role could be had by subtraction, so the same
/// rule as in the heatmap applies.
pub fn role_gaps(
    roles: &[RoleProfileId],
    competences: &[CompetenceId],
    sums: &[GapSum],
    k: i64,
) -> Vec<RoleGap> {
    let mut out = Vec::new();
    for &competence in competences {
        let mut own = vec![Totals::default(); roles.len() + 1];
        for s in sums.iter().filter(|s| s.competence == competence) {
            match roles.iter().position(|&r| r == s.role) {
                Some(i) => own[i + 1].add(s),
                // A role not asked for still belongs to the total.
                None => own[0].add(s),
            }
        }
        let parent: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..roles.len()).map(|_| Some(0)))
            .collect();
        let people: Vec<i64> = own.iter().map(|t| t.people).collect();
        let hidden = hidden_nodes(&parent, &people, k);
        for (i, &role) in roles.iter().enumerate() {
            out.push(RoleGap {
                role_profile_id: role,
                competence_id: competence,
                cell: Cell::of(&own[i + 1], hidden[i + 1]),
            });
        }
    }
    out
}

/// All the given competences together for the whole organisation: the
/// mean shortfall per person and competence needed. `shown_hidden[i]` says
/// whether the organisation's cell of competence `i` is hidden where it is
/// shown (the heatmap's top row); the total is hidden too when those
/// hidden cells hold between 1 and `k − 1` people, as their sum could be
/// had by subtracting the shown cells from it.
pub fn overall(
    competences: &[CompetenceId],
    sums: &[GapSum],
    shown_hidden: &[bool],
    k: i64,
) -> Cell {
    let mut total = Totals::default();
    let mut unseen = 0;
    for (i, &competence) in competences.iter().enumerate() {
        let mut own = Totals::default();
        for s in sums.iter().filter(|s| s.competence == competence) {
            own.add(s);
        }
        if shown_hidden.get(i).copied().unwrap_or(true) {
            unseen += own.people;
        }
        total.merge(&own);
    }
    let hidden = total.people < k || (unseen > 0 && unseen < k);
    Cell::of(&total, hidden)
}

/// One line of the priority list.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Priority {
    pub role_profile_id: RoleProfileId,
    pub competence_id: CompetenceId,
    /// Mean shortfall at the horizon, in levels.
    pub gap_horizon: f64,
    /// How many of the people assessed have a shortfall at the horizon.
    pub people_short: i64,
    /// FTE the role needs at the horizon.
    pub fte_needed: f64,
    /// Mean shortfall × FTE needed: the ranking key.
    pub score: f64,
}

/// Role gaps at the horizon ranked by mean shortfall × FTE needed, largest
/// first; hidden and empty groups and zero gaps are left out.
pub fn priorities(gaps: &[RoleGap], fte_needed: &HashMap<RoleProfileId, f64>) -> Vec<Priority> {
    let mut list: Vec<Priority> = gaps
        .iter()
        .filter_map(|g| {
            let gap = g.cell.gap_horizon.filter(|&x| x > 0.0)?;
            let fte = fte_needed.get(&g.role_profile_id).copied().unwrap_or(0.0);
            Some(Priority {
                role_profile_id: g.role_profile_id,
                competence_id: g.competence_id,
                gap_horizon: gap,
                people_short: g.cell.short_horizon.unwrap_or(0),
                fte_needed: fte,
                score: gap * fte,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.gap_horizon.total_cmp(&a.gap_horizon))
            .then(a.role_profile_id.cmp(&b.role_profile_id))
            .then(a.competence_id.cmp(&b.competence_id))
    });
    list
}

/// One role's FTE now against what the horizon needs.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WorkforceLine {
    pub role_profile_id: RoleProfileId,
    pub information_management: bool,
    pub fte_now: f64,
    pub fte_needed: f64,
    /// Needed minus now: positive when people must be found or trained.
    pub fte_gap: f64,
}

/// The strategic workforce plan in FTE, information management apart.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Workforce {
    pub lines: Vec<WorkforceLine>,
    pub fte_now: f64,
    pub fte_needed: f64,
    pub information_management_now: f64,
    pub information_management_needed: f64,
}

/// FTE are kept to one decimal; sums are rounded back to it so that 0.1 +
/// 0.2 shows as 0.3.
fn tenths(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn workforce(roles: &[super::RoleProfile]) -> Workforce {
    let lines: Vec<WorkforceLine> = roles
        .iter()
        .map(|r| WorkforceLine {
            role_profile_id: r.id,
            information_management: r.information_management,
            fte_now: r.fte_now,
            fte_needed: r.fte_needed,
            fte_gap: tenths(r.fte_needed - r.fte_now),
        })
        .collect();
    let sum = |f: fn(&WorkforceLine) -> f64, im: bool| {
        tenths(
            lines
                .iter()
                .filter(|l| !im || l.information_management)
                .map(f)
                .sum(),
        )
    };
    Workforce {
        fte_now: sum(|l| l.fte_now, false),
        fte_needed: sum(|l| l.fte_needed, false),
        information_management_now: sum(|l| l.fte_now, true),
        information_management_needed: sum(|l| l.fte_needed, true),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(unit: Option<i64>, role: i64, competence: i64, levels: &[(i64, i64)]) -> GapSum {
        // (level, required now); the horizon asks one level more.
        let mut s = GapSum {
            unit: unit.map(UnitId),
            role: RoleProfileId(role),
            competence: CompetenceId(competence),
            people: 0,
            gap_now: 0,
            gap_horizon: 0,
            short_now: 0,
            short_horizon: 0,
        };
        for &(level, required) in levels {
            let now = (required - level).max(0);
            let horizon = (required + 1 - level).max(0);
            s.people += 1;
            s.gap_now += now;
            s.gap_horizon += horizon;
            s.short_now += i64::from(now > 0);
            s.short_horizon += i64::from(horizon > 0);
        }
        s
    }

    fn unit(id: i64, parent: Option<i64>, name: &str) -> UnitNode {
        UnitNode {
            id: UnitId(id),
            parent: parent.map(UnitId),
            name: name.into(),
        }
    }

    #[test]
    fn a_mean_gap_counts_shortfalls_only() {
        // Levels 2, 5, 3, 4, 1 against 4 now: shortfalls 2, 0, 1, 0, 3 =
        // 6 / 5 = 1.2; against 5 at the horizon: 3, 0, 2, 1, 4 = 10 / 5.
        let sums = [sum(
            Some(1),
            1,
            7,
            &[(2, 4), (5, 4), (3, 4), (4, 4), (1, 4)],
        )];
        let map = heatmap("Org", &[unit(1, None, "A")], &[CompetenceId(7)], &sums, 5);
        let cell = &map.rows[1].cells[0];
        assert_eq!(cell.status, CellStatus::Shown);
        assert_eq!(cell.people, Some(5));
        assert_eq!(cell.gap_now, Some(1.2));
        assert_eq!(cell.gap_horizon, Some(2.0));
        assert_eq!(cell.short_now, Some(3));
        assert_eq!(cell.short_horizon, Some(4));
        // The organisation row is the same group.
        assert_eq!(map.rows[0].cells[0], *cell);
    }

    #[test]
    fn the_overall_gap_pools_competences_and_hides_what_subtraction_would_reveal() {
        // Competence 7: five people, shortfalls 6 now; competence 8: two
        // people, shortfalls 1 + 2 = 3.
        let sums = [
            sum(None, 1, 7, &[(2, 4), (5, 4), (3, 4), (4, 4), (1, 4)]),
            sum(None, 1, 8, &[(3, 4), (2, 4)]),
        ];
        let both = [CompetenceId(7), CompetenceId(8)];
        // Competence 8 is hidden where shown: the total minus competence 7
        // would give its two people away.
        let cell = overall(&both, &sums, &[false, true], 5);
        assert_eq!(cell.status, CellStatus::Hidden);
        // Were both shown, the total is 9 shortfalls over 7 pairs.
        let cell = overall(&both, &sums, &[false, false], 5);
        assert_eq!(cell.people, Some(7));
        assert_eq!(cell.gap_now, Some(9.0 / 7.0));
        // Competence 7 alone is its own total.
        let cell = overall(&both[..1], &sums, &[false], 5);
        assert_eq!(cell.gap_now, Some(1.2));
        // Fewer pairs than the threshold: hidden.
        assert_eq!(
            overall(&both[1..], &sums, &[false], 5).status,
            CellStatus::Hidden
        );
        assert_eq!(overall(&[], &sums, &[], 5).status, CellStatus::Empty);
    }

    #[test]
    fn small_groups_are_hidden() {
        let hidden = hidden_nodes(&[None, Some(0), Some(0)], &[0, 5, 4], 5);
        // Node 2 has 4 people: hidden; then the root (9 shown) minus node 1
        // (5 shown) would give node 2, so node 1 is hidden too.
        assert_eq!(hidden, vec![false, true, true]);
    }

    #[test]
    fn a_parent_total_does_not_reveal_its_own_few_people() {
        // The root has 3 people of its own and two children of 6 and 7:
        // root 16 − 6 − 7 = its own 3, so the smaller child (6) is hidden;
        // then 3 + 6 = 9 unseen people together, which is allowed.
        let hidden = hidden_nodes(&[None, Some(0), Some(0)], &[3, 6, 7], 5);
        assert_eq!(hidden, vec![false, true, false]);
        // With k = 10 the unseen 9 is still too few, so the other child
        // goes too; then the root's 16 is all unseen and allowed.
        let hidden = hidden_nodes(&[None, Some(0), Some(0)], &[3, 6, 7], 10);
        assert_eq!(hidden, vec![false, true, true]);
    }

    #[test]
    fn a_parent_with_only_a_small_part_unseen_and_no_child_to_hide_is_hidden() {
        // Node 1 (shown, 7) has own 2 and one child of 5 (node 2). Unseen
        // at node 1: its own 2 → hide node 2; unseen 7 at node 1 is fine.
        // At the root: own 0, child node 1 shown: nothing unseen.
        let hidden = hidden_nodes(&[None, Some(0), Some(1)], &[0, 2, 5], 5);
        assert_eq!(hidden, vec![false, false, true]);
        // A shown node whose only unseen people are its own few and whose
        // children are all hidden already: it hides itself.
        let hidden = hidden_nodes(&[None, Some(0), Some(1), Some(0)], &[0, 3, 4, 9], 5);
        // Node 2 (4) hidden; node 1 (7): unseen 3 + 4 = 7, fine. Root: 16,
        // children 1 (7) and 3 (9) shown, own 0: fine.
        assert_eq!(hidden, vec![false, false, true, false]);
    }

    #[test]
    fn no_hidden_cell_of_the_heatmap_can_be_had_by_subtraction() {
        // Two departments; the first has two teams (6 and 3 people) and 1
        // person of its own; the second 8 people. Team A2 is too small;
        // Dept A minus Team A1 would give Team A2 with that one person (4
        // people), so Team A1 is hidden as well.
        let units = [
            unit(1, None, "Dept A"),
            unit(2, Some(1), "Team A1"),
            unit(3, Some(1), "Team A2"),
            unit(4, None, "Dept B"),
        ];
        let c = CompetenceId(1);
        let sums = [
            sum(Some(2), 1, 1, &[(1, 3); 6]),
            sum(Some(3), 1, 1, &[(2, 3); 3]),
            sum(Some(1), 1, 1, &[(3, 3); 1]),
            sum(Some(4), 1, 1, &[(1, 2); 8]),
        ];
        let map = heatmap("Org", &units, &[c], &sums, 5);
        let status: Vec<(String, CellStatus)> = map
            .rows
            .iter()
            .map(|r| (r.name.clone(), r.cells[0].status))
            .collect();
        assert_eq!(
            status,
            vec![
                ("Org".into(), CellStatus::Shown),
                ("Dept A".into(), CellStatus::Shown),
                ("Team A1".into(), CellStatus::Hidden),
                ("Team A2".into(), CellStatus::Hidden),
                ("Dept B".into(), CellStatus::Shown),
            ]
        );
        // Dept A: 10 people, gaps 6×2 + 3×1 + 0 = 15.
        assert_eq!(map.rows[1].cells[0].people, Some(10));
        assert_eq!(map.rows[1].cells[0].gap_now, Some(1.5));
        // The organisation: 18 people, gaps 15 + 8 = 23.
        assert_eq!(map.rows[0].cells[0].gap_now, Some(23.0 / 18.0));
        // With two people of its own, Team A2 and those two make five:
        // Team A1 may stay.
        let mut sums = sums;
        sums[2] = sum(Some(1), 1, 1, &[(3, 3); 2]);
        let map = heatmap("Org", &units, &[c], &sums, 5);
        assert_eq!(map.rows[2].cells[0].status, CellStatus::Shown);
        assert_eq!(map.rows[3].cells[0].status, CellStatus::Hidden);
    }

    #[test]
    fn rows_read_as_a_tree() {
        let units = [
            unit(3, Some(1), "b team"),
            unit(1, None, "Zuid"),
            unit(2, Some(1), "a team"),
            unit(4, None, "Noord"),
        ];
        let map = heatmap("Org", &units, &[], &[], 5);
        let names: Vec<(&str, usize)> = map
            .rows
            .iter()
            .map(|r| (r.name.as_str(), r.depth))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Org", 0),
                ("Noord", 1),
                ("Zuid", 1),
                ("a team", 2),
                ("b team", 2)
            ]
        );
    }

    #[test]
    fn role_gaps_hide_a_small_role_and_one_more() {
        let sums = [
            sum(Some(1), 1, 1, &[(1, 3); 6]),
            sum(Some(2), 1, 1, &[(1, 3); 2]),
            sum(Some(1), 2, 1, &[(2, 3); 3]),
            sum(Some(1), 3, 1, &[(3, 4); 9]),
        ];
        let roles = [RoleProfileId(1), RoleProfileId(2), RoleProfileId(3)];
        let gaps = role_gaps(&roles, &[CompetenceId(1)], &sums, 5);
        let status: Vec<CellStatus> = gaps.iter().map(|g| g.cell.status).collect();
        // Role 1: 8 people, shown at first; role 2: 3, hidden; then role 1
        // (the smaller shown) is hidden so that role 2 stays unknown.
        assert_eq!(
            status,
            vec![CellStatus::Hidden, CellStatus::Hidden, CellStatus::Shown]
        );
        assert_eq!(gaps[2].cell.gap_now, Some(1.0));
    }

    #[test]
    fn the_workforce_plan_sums_in_tenths_with_information_management_apart() {
        let role = |id: i64, im: bool, now: f64, needed: f64| super::super::RoleProfile {
            id: RoleProfileId(id),
            organisation_id: crate::domain::OrganisationId(1),
            name: format!("R{id}"),
            description: String::new(),
            information_management: im,
            fte_now: now,
            fte_needed: needed,
            horizon_on: "2028-12-31".into(),
            requirements: Vec::new(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        let plan = workforce(&[
            role(1, true, 0.1, 2.0),
            role(2, true, 0.2, 1.5),
            role(3, false, 10.0, 8.0),
        ]);
        assert_eq!(plan.information_management_now, 0.3);
        assert_eq!(plan.information_management_needed, 3.5);
        assert_eq!(plan.fte_now, 10.3);
        assert_eq!(plan.fte_needed, 11.5);
        assert_eq!(plan.lines[0].fte_gap, 1.9);
        assert_eq!(plan.lines[2].fte_gap, -2.0);
    }

    #[test]
    fn priorities_rank_by_gap_times_fte() {
        let sums = [
            // Role 1: mean horizon gap (3+3+3+3+3)/5 = 3, 2 FTE → 6.
            sum(Some(1), 1, 1, &[(1, 3); 5]),
            // Role 2: mean horizon gap 1, 10 FTE → 10.
            sum(Some(1), 2, 1, &[(3, 3); 5]),
            // Role 3: no gap at all: left out.
            sum(Some(1), 3, 1, &[(5, 3); 5]),
        ];
        let roles = [RoleProfileId(1), RoleProfileId(2), RoleProfileId(3)];
        let gaps = role_gaps(&roles, &[CompetenceId(1)], &sums, 5);
        let fte = HashMap::from([
            (RoleProfileId(1), 2.0),
            (RoleProfileId(2), 10.0),
            (RoleProfileId(3), 50.0),
        ]);
        let list = priorities(&gaps, &fte);
        let ranked: Vec<(i64, f64)> = list
            .iter()
            .map(|p| (p.role_profile_id.0, p.score))
            .collect();
        assert_eq!(ranked, vec![(2, 10.0), (1, 6.0)]);
        assert_eq!(list[1].people_short, 5);
    }
}
