//! Validation of initiatives and gate decisions.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{
    Evidence, GateInput, GateOutcome, IndicatorLink, Initiative, InitiativeInput, InitiativeKind,
    Stage,
};
use crate::domain::{
    AmbitionId, BodyId, Frequency, IndicatorId, LabId, Money, Name, UnitId, UserId, Validator,
};

pub const TEXT_MAX: usize = 4_000;
pub const GOALS_MAX: usize = 10;
pub const TAGS_MAX: usize = 10;

/// What an initiative may refer to within its organisation.
pub struct Known<'a> {
    pub ambitions: &'a HashSet<AmbitionId>,
    /// Every indicator, with what a comparison series is checked against.
    pub indicators: &'a HashMap<IndicatorId, KnownIndicator>,
    pub units: &'a HashSet<UnitId>,
    pub members: &'a HashSet<UserId>,
    pub labs: &'a HashSet<LabId>,
}

#[derive(Debug, Clone)]
pub struct InitiativeSpec {
    pub kind: InitiativeKind,
    pub title: Name,
    pub problem: String,
    pub hypothesis: String,
    pub learning_goals: Vec<String>,
    pub technologies: Vec<String>,
    pub owner_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    pub go_live_on: Option<i64>,
    pub cost_estimate: Option<Money>,
    pub ambition_ids: Vec<AmbitionId>,
    pub indicators: Vec<IndicatorLink>,
    pub lab_id: Option<LabId>,
    /// Only set when planning an intervention; kept as it was on changes.
    pub intervention: Option<crate::surveys::interventions::InterventionLink>,
    /// Only set when promoting an accepted idea: links it, in the same
    /// transaction.
    pub from_idea: Option<crate::domain::IdeaId>,
    /// On a change: the version the caller read, if they said.
    pub expected_version: Option<i64>,
}

/// What a comparison series is checked against: how often it is measured
/// and, for a computed indicator, the codes its formula reads.
#[derive(Debug, Clone)]
pub struct KnownIndicator {
    pub frequency: Frequency,
    pub code: String,
    pub inputs: BTreeSet<String>,
}

impl KnownIndicator {
    pub fn of(indicator: &crate::indicators::Indicator) -> KnownIndicator {
        let inputs = indicator
            .formula
            .as_deref()
            .and_then(|text| crate::indicators::formula::Formula::parse(text).ok())
            .map(|formula| formula.references().into_iter().map(|r| r.code).collect())
            .unwrap_or_default();
        KnownIndicator {
            frequency: indicator.frequency,
            code: indicator.code.to_ascii_uppercase(),
            inputs,
        }
    }

    /// Whether one is computed from the other (directly): an effect on one
    /// then shows in both.
    pub fn computed_with(&self, other: &KnownIndicator) -> bool {
        self.inputs.contains(&other.code) || other.inputs.contains(&self.code)
    }
}

/// Why `link`'s comparison series cannot serve, if it cannot: it must be
/// another indicator of the organisation, measured as often, that the
/// initiative does not itself aim to move and that is not computed from
/// (or into) the indicator (its effect would leak into the counterfactual).
fn control_problem(
    link: &IndicatorLink,
    links: &[IndicatorLink],
    known: &Known,
) -> Option<&'static str> {
    let control = link.control_indicator_id?;
    let Some(comparison) = known.indicators.get(&control) else {
        return Some("unknown_indicator");
    };
    let target = known.indicators.get(&link.indicator_id)?;
    if control == link.indicator_id {
        Some("control_is_target")
    } else if links.iter().any(|l| l.indicator_id == control) {
        Some("control_is_affected")
    } else if target.frequency != comparison.frequency {
        Some("control_frequency")
    } else if target.computed_with(comparison) {
        Some("control_computed_with_target")
    } else {
        None
    }
}

fn list(
    v: &mut Validator,
    field: &str,
    items: &[String],
    max_items: usize,
    max_len: usize,
) -> Vec<String> {
    if items.len() > max_items {
        v.add(field, "too_many_values");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = v.text(&format!("{field}[{i}]"), item, max_len);
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

pub fn initiative_spec(
    input: &InitiativeInput,
    existing: Option<&Initiative>,
    known: &Known,
) -> crate::Result<InitiativeSpec> {
    let mut v = Validator::new();
    let kind = input.kind.or(existing.map(|i| i.kind));
    if kind.is_none() {
        v.add("kind", "required");
    }
    let pick = |new: &Option<String>, old: Option<&String>| {
        new.clone().or_else(|| old.cloned()).unwrap_or_default()
    };
    let title = v.check(
        "title",
        Name::parse(&pick(&input.title, existing.map(|i| &i.title))),
    );
    let problem = v.text(
        "problem",
        &pick(&input.problem, existing.map(|i| &i.problem)),
        TEXT_MAX,
    );
    let hypothesis = v.text(
        "hypothesis",
        &pick(&input.hypothesis, existing.map(|i| &i.hypothesis)),
        TEXT_MAX,
    );
    let learning_goals = match &input.learning_goals {
        Some(goals) => list(&mut v, "learning_goals", goals, GOALS_MAX, 500),
        None => existing
            .map(|i| i.learning_goals.clone())
            .unwrap_or_default(),
    };
    let technologies = match &input.technologies {
        Some(tags) => list(&mut v, "technologies", tags, TAGS_MAX, 60),
        None => existing.map(|i| i.technologies.clone()).unwrap_or_default(),
    };
    let owner_id = match input.owner_id {
        Some(owner) => owner.map(UserId),
        None => existing.and_then(|i| i.owner_id),
    };
    if owner_id.is_some_and(|o| !known.members.contains(&o)) {
        v.add("owner_id", "unknown_member");
    }
    let unit_id = match input.unit_id {
        Some(unit) => unit.map(UnitId),
        None => existing.and_then(|i| i.unit_id),
    };
    if unit_id.is_some_and(|u| !known.units.contains(&u)) {
        v.add("unit_id", "unknown_unit");
    }
    let lab_id = match input.lab_id {
        Some(lab) => lab.map(LabId),
        None => existing.and_then(|i| i.lab_id),
    };
    if lab_id.is_some_and(|l| !known.labs.contains(&l)) {
        v.add("lab_id", "unknown_lab");
    }
    let go_live_on = match &input.go_live_on {
        Some(Some(text)) if !text.trim().is_empty() => v.day("go_live_on", text),
        Some(_) => None,
        None => existing
            .and_then(|i| i.go_live_on.as_deref())
            .and_then(|d| v.day("go_live_on", d)),
    };
    let cost_estimate = match &input.cost_estimate {
        Some(Some(text)) if !text.trim().is_empty() => v.check("cost_estimate", Money::parse(text)),
        Some(_) => None,
        None => existing.and_then(|i| i.cost_estimate),
    };
    let mut ambition_ids: Vec<AmbitionId> = match &input.ambition_ids {
        Some(ids) => ids.iter().copied().map(AmbitionId).collect(),
        None => existing.map(|i| i.ambition_ids.clone()).unwrap_or_default(),
    };
    if ambition_ids.iter().any(|a| !known.ambitions.contains(a)) {
        v.add("ambition_ids", "unknown_ambition");
    }
    ambition_ids.sort();
    ambition_ids.dedup();
    let mut indicators: Vec<IndicatorLink> = match &input.indicators {
        Some(links) => links.clone(),
        None => existing.map(|i| i.indicators.clone()).unwrap_or_default(),
    };
    if indicators
        .iter()
        .any(|l| !known.indicators.contains_key(&l.indicator_id))
    {
        v.add("indicators", "unknown_indicator");
    }
    for (i, link) in indicators.iter().enumerate() {
        if let Some(code) = control_problem(link, &indicators, known) {
            v.add(&format!("indicators[{i}].control_indicator_id"), code);
        }
    }
    if indicators
        .iter()
        .any(|l| l.expected_size.is_some_and(|s| !s.is_finite() || s < 0.0))
    {
        v.add("indicators", "out_of_bounds");
    }
    indicators.sort_by_key(|l| l.indicator_id);
    indicators.dedup_by_key(|l| l.indicator_id);
    let spec = match (kind, title) {
        (Some(kind), Some(title)) => Some(InitiativeSpec {
            kind,
            title,
            problem,
            hypothesis,
            learning_goals,
            technologies,
            owner_id,
            unit_id,
            go_live_on,
            cost_estimate,
            ambition_ids,
            indicators,
            lab_id,
            intervention: None,
            from_idea: None,
            expected_version: input.version,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct GateSpec {
    pub from_stage: Stage,
    pub to_stage: Stage,
    pub outcome: GateOutcome,
    pub evidence: Vec<Evidence>,
    pub criteria: String,
    pub body_id: Option<BodyId>,
    pub decided_by: String,
    pub decided_on: i64,
    pub learning: String,
    /// The version the decision was taken on, if the caller said.
    pub expected_version: Option<i64>,
}

/// `bodies` are the governance bodies of the organisation with their names.
pub fn gate_spec(
    initiative: &Initiative,
    input: &GateInput,
    bodies: &[(BodyId, String)],
    today: i64,
) -> crate::Result<GateSpec> {
    let mut v = Validator::new();
    let from = initiative.stage;
    if from.is_final() {
        return Err(crate::Error::conflict("outcome", "stage_final"));
    }
    let outcome = input.outcome;
    let to_stage = match outcome {
        None => {
            v.add("outcome", "required");
            None
        }
        Some(outcome) => {
            let targets = from.targets(outcome);
            match (input.to_stage, targets.as_slice()) {
                (_, []) => {
                    v.add("outcome", "stage_move_not_allowed");
                    None
                }
                (None, [only]) => Some(*only),
                (None, _) => {
                    v.add("to_stage", "required");
                    None
                }
                (Some(to), _) if targets.contains(&to) => Some(to),
                (Some(_), _) => {
                    v.add("to_stage", "stage_move_not_allowed");
                    None
                }
            }
        }
    };
    // Evidence for every learning goal, matched by the goal's text.
    let mut evidence = Vec::with_capacity(initiative.learning_goals.len());
    for (i, goal) in initiative.learning_goals.iter().enumerate() {
        let given = input
            .evidence
            .iter()
            .find(|e| e.goal.trim() == goal.as_str())
            .map(|e| e.evidence.as_str())
            .unwrap_or("");
        let field = format!("evidence[{i}]");
        let text = v.text(&field, given, TEXT_MAX);
        if text.is_empty() {
            v.add(&field, "required");
        }
        evidence.push(Evidence {
            goal: goal.clone(),
            evidence: text,
        });
    }
    let criteria = v.text(
        "criteria",
        input.criteria.as_deref().unwrap_or(""),
        TEXT_MAX,
    );
    if criteria.is_empty() {
        v.add("criteria", "required");
    }
    let body = match input.body_id {
        Some(id) => match bodies.iter().find(|(b, _)| b.0 == id) {
            Some((b, name)) => Some((*b, name.clone())),
            None => {
                v.add("body_id", "unknown_body");
                None
            }
        },
        None => None,
    };
    let typed = v.text("decided_by", input.decided_by.as_deref().unwrap_or(""), 200);
    let decided_by = match (&body, typed.is_empty()) {
        (Some((_, name)), true) => name.clone(),
        (None, true) if input.body_id.is_none() => {
            v.add("decided_by", "required");
            String::new()
        }
        _ => typed,
    };
    let decided_on = v.day("decided_on", input.decided_on.as_deref().unwrap_or(""));
    if decided_on.is_some_and(|d| d > today) {
        v.add("decided_on", "in_future");
    }
    let learning = v.text(
        "learning",
        input.learning.as_deref().unwrap_or(""),
        TEXT_MAX,
    );
    if outcome == Some(GateOutcome::Stop) && learning.is_empty() {
        v.add("learning", "learning_required");
    }
    let spec = match (outcome, to_stage, decided_on) {
        (Some(outcome), Some(to_stage), Some(decided_on)) => Some(GateSpec {
            from_stage: from,
            to_stage,
            outcome,
            evidence,
            criteria,
            body_id: body.map(|(b, _)| b),
            decided_by,
            decided_on,
            learning,
            expected_version: input.version,
        }),
        _ => None,
    };
    v.finish(spec)
}
