use std::collections::HashMap;

use super::Unit;
use crate::domain::UnitId;

/// A unit in tree order, with its depth and full path.
#[derive(Debug, Clone)]
pub struct UnitNode {
    pub unit: Unit,
    pub depth: usize,
    pub path: String,
}

/// Steps to render a tree as nested lists without recursion in templates.
#[derive(Debug, Clone)]
pub enum TreeEvent {
    ListStart,
    ItemStart(Box<UnitNode>),
    ItemEnd,
    ListEnd,
}

/// Orders units depth-first, siblings by name. Units whose parent is
/// missing (should not happen) are treated as top-level.
pub fn ordered(units: &[Unit]) -> Vec<UnitNode> {
    let ids: std::collections::HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<UnitId>, Vec<&Unit>> = HashMap::new();
    for unit in units {
        let parent = unit.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(unit);
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(&Unit, usize, String)> = children
        .get(&None)
        .map(|roots| {
            roots
                .iter()
                .rev()
                .map(|u| (*u, 0, u.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    while let Some((unit, depth, path)) = stack.pop() {
        if let Some(kids) = children.get(&Some(unit.id)) {
            for kid in kids.iter().rev() {
                stack.push((kid, depth + 1, format!("{path} › {}", kid.name)));
            }
        }
        out.push(UnitNode {
            unit: unit.clone(),
            depth,
            path,
        });
    }
    out
}

/// The ids of `root` and everything below it.
pub fn subtree(units: &[Unit], root: UnitId) -> std::collections::HashSet<UnitId> {
    let mut found = std::collections::HashSet::from([root]);
    let mut changed = true;
    while changed {
        changed = false;
        for unit in units {
            if let Some(parent) = unit.parent_id
                && found.contains(&parent)
                && found.insert(unit.id)
            {
                changed = true;
            }
        }
    }
    found
}

/// Nested-list events for nodes in tree order.
pub fn events(nodes: Vec<UnitNode>) -> Vec<TreeEvent> {
    let mut out = Vec::new();
    let mut open_depth: Option<usize> = None;
    for node in nodes {
        let depth = node.depth;
        match open_depth {
            None => out.push(TreeEvent::ListStart),
            Some(previous) if depth > previous => out.push(TreeEvent::ListStart),
            Some(previous) => {
                out.push(TreeEvent::ItemEnd);
                for _ in depth..previous {
                    out.push(TreeEvent::ListEnd);
                    out.push(TreeEvent::ItemEnd);
                }
            }
        }
        out.push(TreeEvent::ItemStart(Box::new(node)));
        open_depth = Some(depth);
    }
    if let Some(depth) = open_depth {
        out.push(TreeEvent::ItemEnd);
        for _ in 0..depth {
            out.push(TreeEvent::ListEnd);
            out.push(TreeEvent::ItemEnd);
        }
        out.push(TreeEvent::ListEnd);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrganisationId;

    fn unit(id: i64, parent: Option<i64>, name: &str) -> Unit {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        Unit {
            id: UnitId(id),
            organisation_id: OrganisationId(1),
            parent_id: parent.map(UnitId),
            name: name.into(),
            archived_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn orders_depth_first_and_balances_lists() {
        let units = vec![
            unit(1, None, "Sociaal Domein"),
            unit(2, None, "Dienstverlening"),
            unit(3, Some(2), "Team Burgerzaken"),
            unit(4, Some(3), "Balie"),
            unit(5, Some(2), "KCC"),
        ];
        let nodes = ordered(&units);
        let names: Vec<_> = nodes
            .iter()
            .map(|n| (n.unit.name.as_str(), n.depth))
            .collect();
        assert_eq!(
            names,
            [
                ("Dienstverlening", 0),
                ("KCC", 1),
                ("Team Burgerzaken", 1),
                ("Balie", 2),
                ("Sociaal Domein", 0)
            ]
        );
        assert_eq!(nodes[3].path, "Dienstverlening › Team Burgerzaken › Balie");
        let events = events(nodes);
        let starts = events
            .iter()
            .filter(|e| matches!(e, TreeEvent::ListStart))
            .count();
        let ends = events
            .iter()
            .filter(|e| matches!(e, TreeEvent::ListEnd))
            .count();
        let items = events
            .iter()
            .filter(|e| matches!(e, TreeEvent::ItemStart(_)))
            .count();
        let item_ends = events
            .iter()
            .filter(|e| matches!(e, TreeEvent::ItemEnd))
            .count();
        assert_eq!((starts, ends, items, item_ends), (3, 3, 5, 5));
        assert_eq!(
            subtree(&units, UnitId(2)),
            [2, 3, 4, 5].map(UnitId).into_iter().collect()
        );
    }
}
