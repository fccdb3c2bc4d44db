//! Validation of governance input: every failing field is reported at once.

use super::{
    AmbitionInput, CoCreationInput, ConfirmationInput, ExecutiveInput, Participant, Programme,
    ProgrammeInput, ProgrammeStatus,
};
use crate::domain::{Frequency, Name, Period, UserId, Validator};

pub const VISION_MAX: usize = 20_000;
pub const TEXT_MAX: usize = 4_000;
pub const PARTICIPANTS_MAX: usize = 200;

/// `YYYY-MM-DD` of a stored day.
pub fn show_day(day: i64) -> String {
    Period::from_day_number(Frequency::Day, day).label()
}

#[derive(Debug, Clone)]
pub struct ProgrammeSpec {
    pub name: Name,
    pub vision: String,
    pub starts_on: i64,
    pub ends_on: i64,
    pub status: ProgrammeStatus,
}

pub fn programme_spec(
    input: &ProgrammeInput,
    existing: Option<&Programme>,
) -> crate::Result<ProgrammeSpec> {
    let mut v = Validator::new();
    let pick = |new: &Option<String>, old: Option<&str>| -> String {
        new.clone()
            .or_else(|| old.map(str::to_owned))
            .unwrap_or_default()
    };
    let name = v.check(
        "name",
        Name::parse(&pick(&input.name, existing.map(|p| p.name.as_str()))),
    );
    let vision = v.text(
        "vision",
        &pick(&input.vision, existing.map(|p| p.vision.as_str())),
        VISION_MAX,
    );
    let starts_on = v.day(
        "starts_on",
        &pick(&input.starts_on, existing.map(|p| p.starts_on.as_str())),
    );
    let ends_on = v.day(
        "ends_on",
        &pick(&input.ends_on, existing.map(|p| p.ends_on.as_str())),
    );
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end <= start
    {
        v.add("ends_on", "ends_before_start");
    }
    let status = input
        .status
        .or(existing.map(|p| p.status))
        .unwrap_or(ProgrammeStatus::Active);
    let spec = match (name, starts_on, ends_on) {
        (Some(name), Some(starts_on), Some(ends_on)) => Some(ProgrammeSpec {
            name,
            vision,
            starts_on,
            ends_on,
            status,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct AmbitionSpec {
    pub title: Name,
    pub description: String,
    pub position: Option<i64>,
}

pub fn ambition_spec(
    input: &AmbitionInput,
    existing: Option<&super::Ambition>,
) -> crate::Result<AmbitionSpec> {
    let mut v = Validator::new();
    let title = input
        .title
        .clone()
        .or_else(|| existing.map(|a| a.title.clone()))
        .unwrap_or_default();
    let title = v.check("title", Name::parse(&title));
    let description = input
        .description
        .clone()
        .or_else(|| existing.map(|a| a.description.clone()))
        .unwrap_or_default();
    let description = v.text("description", &description, TEXT_MAX);
    if input.position.is_some_and(|p| p < 1) {
        v.add("position", "out_of_bounds");
    }
    let spec = title.map(|title| AmbitionSpec {
        title,
        description,
        position: input.position,
    });
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct ExecutiveSpec {
    pub user_id: Option<UserId>,
    pub name: String,
    pub title: String,
    pub portfolio: String,
    pub mandate: String,
    pub budget_amount: Option<f64>,
    pub budget_period: String,
    pub starts_on: i64,
}

/// `member_name` is the name of the member `input.user_id` points at, when
/// the service found one; `None` with a `user_id` means "not a member".
pub fn executive_spec(
    input: &ExecutiveInput,
    member_name: Option<&str>,
    current_start: Option<i64>,
) -> crate::Result<ExecutiveSpec> {
    let mut v = Validator::new();
    let typed = input.name.clone().unwrap_or_default();
    let name = if input.user_id.is_some() && member_name.is_none() {
        v.add("user_id", "unknown_member");
        None
    } else if typed.trim().is_empty() {
        match member_name {
            Some(n) => Some(n.to_owned()),
            None => {
                v.add("name", "required");
                None
            }
        }
    } else {
        v.check("name", Name::parse(&typed))
            .map(|n| n.as_str().to_owned())
    };
    let title = v.line(
        "title",
        input.title.as_deref().unwrap_or(""),
        Name::MAX_CHARS,
    );
    let portfolio = v.line(
        "portfolio",
        input.portfolio.as_deref().unwrap_or(""),
        Name::MAX_CHARS,
    );
    let mandate = v.text("mandate", input.mandate.as_deref().unwrap_or(""), TEXT_MAX);
    let budget_period = v.line(
        "budget_period",
        input.budget_period.as_deref().unwrap_or(""),
        Name::MAX_CHARS,
    );
    if input
        .budget_amount
        .is_some_and(|a| !a.is_finite() || a < 0.0)
    {
        v.add("budget_amount", "out_of_bounds");
    }
    let starts_on = v.day("starts_on", input.starts_on.as_deref().unwrap_or(""));
    if let (Some(start), Some(current)) = (starts_on, current_start)
        && start <= current
    {
        v.add("starts_on", "before_current_term");
    }
    let spec = match (name, starts_on) {
        (Some(name), Some(starts_on)) => Some(ExecutiveSpec {
            user_id: input.user_id.map(UserId),
            name,
            title,
            portfolio,
            mandate,
            budget_amount: input.budget_amount,
            budget_period,
            starts_on,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct ConfirmationSpec {
    pub confirmed_on: i64,
    pub note: String,
}

pub fn confirmation_spec(
    input: &ConfirmationInput,
    term_start: i64,
    today: i64,
) -> crate::Result<ConfirmationSpec> {
    let mut v = Validator::new();
    let confirmed_on = v.day("confirmed_on", input.confirmed_on.as_deref().unwrap_or(""));
    match confirmed_on {
        Some(d) if d < term_start => v.add("confirmed_on", "before_term"),
        Some(d) if d > today => v.add("confirmed_on", "in_future"),
        _ => {}
    }
    let note = v.text("note", input.note.as_deref().unwrap_or(""), TEXT_MAX);
    if note.is_empty() {
        v.add("note", "required");
    }
    v.finish(confirmed_on.map(|confirmed_on| ConfirmationSpec { confirmed_on, note }))
}

#[derive(Debug, Clone)]
pub struct CoCreationSpec {
    pub held_on: i64,
    pub form: String,
    pub participants: Vec<Participant>,
    pub executives_took_part: bool,
    pub outcome: String,
}

pub fn co_creation_spec(input: &CoCreationInput, today: i64) -> crate::Result<CoCreationSpec> {
    let mut v = Validator::new();
    let held_on = v.day("held_on", input.held_on.as_deref().unwrap_or(""));
    if held_on.is_some_and(|d| d > today) {
        v.add("held_on", "in_future");
    }
    let form = v
        .check("form", Name::parse(input.form.as_deref().unwrap_or("")))
        .map(|n| n.as_str().to_owned());
    let mut participants = Vec::new();
    for (i, p) in input.participants.iter().enumerate() {
        let name = v
            .check(&format!("participants[{i}].name"), Name::parse(&p.name))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let role = v.line(&format!("participants[{i}].role"), &p.role, Name::MAX_CHARS);
        participants.push(Participant { name, role });
    }
    if input.participants.is_empty() {
        v.add("participants", "required");
    } else if input.participants.len() > PARTICIPANTS_MAX {
        v.add("participants", "too_many_values");
    }
    let outcome = v.text("outcome", input.outcome.as_deref().unwrap_or(""), TEXT_MAX);
    let spec = match (held_on, form) {
        (Some(held_on), Some(form)) => Some(CoCreationSpec {
            held_on,
            form,
            participants,
            executives_took_part: input.executives_took_part,
            outcome,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_ends_after_it_starts() {
        let input = ProgrammeInput {
            name: Some("Digitaal 2028".into()),
            starts_on: Some("01-01-2026".into()),
            ends_on: Some("2025-12-31".into()),
            ..ProgrammeInput::default()
        };
        let Err(crate::Error::Invalid(errors)) = programme_spec(&input, None) else {
            panic!("accepted an end before the start");
        };
        assert_eq!(errors[0].field, "ends_on");
        assert_eq!(errors[0].code, "ends_before_start");
    }

    #[test]
    fn a_new_executive_starts_after_the_current_one() {
        let input = ExecutiveInput {
            name: Some("J. de Vries".into()),
            starts_on: Some("2026-03-01".into()),
            budget_amount: Some(-1.0),
            ..ExecutiveInput::default()
        };
        let current = Validator::new().day("x", "2026-03-01");
        let Err(crate::Error::Invalid(errors)) = executive_spec(&input, None, current) else {
            panic!("accepted a bad executive");
        };
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("budget_amount", "out_of_bounds"),
                ("starts_on", "before_current_term")
            ]
        );
    }
}
