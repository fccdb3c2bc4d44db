//! Validation of bodies, meetings, decisions and actions.

use std::collections::HashSet;

use super::Participant;
use super::spec::{TEXT_MAX, VISION_MAX};
use super::steering::{
    ActionInput, ActionStatus, BodyInput, BodyKind, Decision, DecisionAction, DecisionInput,
    DecisionStatus, GovernanceBody, MeetingInput,
};
use crate::domain::{AmbitionId, BodyId, IndicatorId, Name, UserId, Validator};

pub const MEMBERS_MAX: usize = 100;

/// Names with optional roles, each checked; `field[i].name` on error.
pub fn people(v: &mut Validator, field: &str, list: &[Participant]) -> Vec<Participant> {
    if list.len() > MEMBERS_MAX {
        v.add(field, "too_many_values");
    }
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let name = v
                .check(&format!("{field}[{i}].name"), Name::parse(&p.name))
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default();
            let role = if p.role.trim().is_empty() {
                String::new()
            } else {
                v.check(&format!("{field}[{i}].role"), Name::parse(&p.role))
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default()
            };
            Participant { name, role }
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct BodySpec {
    pub kind: BodyKind,
    pub name: Name,
    pub cadence_weeks: Option<i64>,
    pub members: Vec<Participant>,
}

pub fn body_spec(input: &BodyInput, existing: Option<&GovernanceBody>) -> crate::Result<BodySpec> {
    let mut v = Validator::new();
    let kind = input.kind.or(existing.map(|b| b.kind));
    if kind.is_none() {
        v.add("kind", "required");
    }
    let name = input
        .name
        .clone()
        .or_else(|| existing.map(|b| b.name.clone()))
        .unwrap_or_default();
    let name = v.check("name", Name::parse(&name));
    let cadence_weeks = match input.cadence_weeks {
        Some(c) => c,
        None => existing.and_then(|b| b.cadence_weeks),
    };
    if cadence_weeks.is_some_and(|c| !(1..=104).contains(&c)) {
        v.add("cadence_weeks", "out_of_bounds");
    }
    let members = match &input.members {
        Some(list) => people(&mut v, "members", list),
        None => existing.map(|b| b.members.clone()).unwrap_or_default(),
    };
    let spec = match (kind, name) {
        (Some(kind), Some(name)) => Some(BodySpec {
            kind,
            name,
            cadence_weeks,
            members,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct MeetingSpec {
    pub held_on: i64,
    pub attendees: Vec<String>,
    pub agenda: String,
    pub minutes: String,
}

pub fn meeting_spec(input: &MeetingInput, today: i64) -> crate::Result<MeetingSpec> {
    let mut v = Validator::new();
    let held_on = v.day("held_on", input.held_on.as_deref().unwrap_or(""));
    if held_on.is_some_and(|d| d > today) {
        v.add("held_on", "in_future");
    }
    if input.attendees.len() > MEMBERS_MAX {
        v.add("attendees", "too_many_values");
    }
    let attendees = input
        .attendees
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            v.check(&format!("attendees[{i}]"), Name::parse(a))
                .map(|n| n.as_str().to_owned())
        })
        .collect();
    let agenda = v.text("agenda", input.agenda.as_deref().unwrap_or(""), TEXT_MAX);
    let minutes = v.text(
        "minutes",
        input.minutes.as_deref().unwrap_or(""),
        VISION_MAX,
    );
    v.finish(held_on.map(|held_on| MeetingSpec {
        held_on,
        attendees,
        agenda,
        minutes,
    }))
}

/// What a decision may refer to: the programme's bodies and ambitions and
/// the organisation's indicators.
pub struct Known<'a> {
    pub bodies: &'a HashSet<BodyId>,
    pub ambitions: &'a HashSet<AmbitionId>,
    pub indicators: &'a HashSet<IndicatorId>,
}

#[derive(Debug, Clone)]
pub struct DecisionSpec {
    pub title: Name,
    pub rationale: String,
    pub decided_on: i64,
    pub status: DecisionStatus,
    pub body_id: Option<BodyId>,
    pub ambition_ids: Vec<AmbitionId>,
    pub indicator_ids: Vec<IndicatorId>,
}

pub fn decision_spec(
    input: &DecisionInput,
    existing: Option<&Decision>,
    known: &Known,
) -> crate::Result<DecisionSpec> {
    let mut v = Validator::new();
    let title = input
        .title
        .clone()
        .or_else(|| existing.map(|d| d.title.clone()))
        .unwrap_or_default();
    let title = v.check("title", Name::parse(&title));
    let rationale = input
        .rationale
        .clone()
        .or_else(|| existing.map(|d| d.rationale.clone()))
        .unwrap_or_default();
    let rationale = v.text("rationale", &rationale, TEXT_MAX);
    let decided_on = input
        .decided_on
        .clone()
        .or_else(|| existing.map(|d| d.decided_on.clone()))
        .unwrap_or_default();
    let decided_on = v.day("decided_on", &decided_on);
    let status = input
        .status
        .or(existing.map(|d| d.status))
        .unwrap_or(DecisionStatus::Taken);
    let body_id = match input.body_id {
        Some(body) => body.map(BodyId),
        None => existing.and_then(|d| d.body_id),
    };
    if body_id.is_some_and(|b| !known.bodies.contains(&b)) {
        v.add("body_id", "unknown_body");
    }
    let mut ambition_ids: Vec<AmbitionId> = match &input.ambition_ids {
        Some(ids) => ids.iter().copied().map(AmbitionId).collect(),
        None => existing.map(|d| d.ambition_ids.clone()).unwrap_or_default(),
    };
    if ambition_ids.iter().any(|a| !known.ambitions.contains(a)) {
        v.add("ambition_ids", "unknown_ambition");
    }
    ambition_ids.sort();
    ambition_ids.dedup();
    let mut indicator_ids: Vec<IndicatorId> = match &input.indicator_ids {
        Some(ids) => ids.iter().copied().map(IndicatorId).collect(),
        None => existing
            .map(|d| d.indicator_ids.clone())
            .unwrap_or_default(),
    };
    if indicator_ids.iter().any(|i| !known.indicators.contains(i)) {
        v.add("indicator_ids", "unknown_indicator");
    }
    indicator_ids.sort();
    indicator_ids.dedup();
    let spec = match (title, decided_on) {
        (Some(title), Some(decided_on)) => Some(DecisionSpec {
            title,
            rationale,
            decided_on,
            status,
            body_id,
            ambition_ids,
            indicator_ids,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct ActionSpec {
    pub description: String,
    pub owner_id: Option<UserId>,
    pub owner_name: String,
    pub due_on: i64,
    pub status: ActionStatus,
    pub completed_on: Option<i64>,
}

/// `member_name` is the name of the member `owner_id` points at, when the
/// service found an active one.
pub fn action_spec(
    input: &ActionInput,
    existing: Option<&DecisionAction>,
    member_name: Option<&str>,
    today: i64,
) -> crate::Result<ActionSpec> {
    let mut v = Validator::new();
    let description = input
        .description
        .clone()
        .or_else(|| existing.map(|a| a.description.clone()))
        .unwrap_or_default();
    let description = v.text("description", &description, 1000);
    if description.is_empty() {
        v.add("description", "required");
    }
    let owner_id = match input.owner_id {
        Some(owner) => owner.map(UserId),
        None => existing.and_then(|a| a.owner_id),
    };
    let typed = input
        .owner_name
        .clone()
        .or_else(|| existing.map(|a| a.owner_name.clone()))
        .unwrap_or_default();
    let owner_name = if owner_id.is_some() && member_name.is_none() {
        v.add("owner_id", "unknown_member");
        String::new()
    } else if let Some(name) = member_name.filter(|_| input.owner_id.is_some()) {
        name.to_owned()
    } else {
        v.check("owner_name", Name::parse(&typed))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()
    };
    let due_on = input
        .due_on
        .clone()
        .or_else(|| existing.map(|a| a.due_on.clone()))
        .unwrap_or_default();
    let due_on = v.day("due_on", &due_on);
    let status = input
        .status
        .or(existing.map(|a| a.status))
        .unwrap_or(ActionStatus::Open);
    let completed_on = match (status, existing) {
        (ActionStatus::Done, Some(a)) if a.status == ActionStatus::Done => a
            .completed_on
            .as_deref()
            .and_then(|d| Validator::new().day("completed_on", d)),
        (ActionStatus::Done, _) => Some(today),
        _ => None,
    };
    v.finish(due_on.map(|due_on| ActionSpec {
        description,
        owner_id,
        owner_name,
        due_on,
        status,
        completed_on,
    }))
}
