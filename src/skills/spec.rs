//! Validation of skills input: every failing field is reported at once.

use std::collections::HashMap;

use super::{
    AssessmentInput, AssessmentSource, AssessmentsInput, Competence, CompetenceInput, Employee,
    EmployeeInput, Framework, FrameworkInput, LearningAction, LearningActionInput, LearningKind,
    LearningStatus, Requirement, RoleProfile, RoleProfileInput, RoundInput,
};
use crate::domain::{CompetenceId, Name, RoleProfileId, UnitId, UserId, Validator};

pub const DESCRIPTION_MAX: usize = 4000;
pub const EVIDENCE_MAX: usize = 1000;
pub const LEVELS_MIN: usize = 2;
pub const LEVELS_MAX: usize = 10;
pub const CODE_MAX: usize = 20;
pub const NUMBER_MAX: usize = 40;
pub const FTE_MAX: f64 = 100_000.0;
/// More than DigComp's 21 plus a good set of one's own, less than a
/// request that could keep the server busy.
pub const ASSESSMENTS_MAX: usize = 200;

#[derive(Debug, Clone)]
pub struct FrameworkSpec {
    pub name: Name,
    pub description: String,
    pub levels: Vec<String>,
}

pub fn framework_spec(
    input: &FrameworkInput,
    before: Option<&Framework>,
) -> crate::Result<FrameworkSpec> {
    let mut v = Validator::new();
    if before.is_some_and(|f| f.builtin) {
        v.add("name", "builtin_framework");
        return v.finish(None);
    }
    let name = input
        .name
        .clone()
        .or_else(|| before.map(|f| f.name.clone()))
        .unwrap_or_default();
    let name = v.check("name", Name::parse(&name));
    let description = input
        .description
        .clone()
        .or_else(|| before.map(|f| f.description.clone()))
        .unwrap_or_default();
    let description = v.text("description", &description, DESCRIPTION_MAX);
    let given = input
        .levels
        .clone()
        .or_else(|| before.map(|f| f.levels.clone()))
        .unwrap_or_default();
    let mut levels = Vec::with_capacity(given.len());
    for level in &given {
        match Name::parse(level) {
            Ok(level) => levels.push(level.as_str().to_owned()),
            Err(code) => v.add("levels", code),
        }
    }
    if given.len() < LEVELS_MIN {
        v.add("levels", "too_few_levels");
    } else if given.len() > LEVELS_MAX {
        v.add("levels", "too_many_levels");
    }
    // A scale cannot shrink below levels already required or assessed; the
    // store checks that, as it knows them.
    v.finish(name.map(|name| FrameworkSpec {
        name,
        description,
        levels,
    }))
}

#[derive(Debug, Clone)]
pub struct CompetenceSpec {
    pub code: String,
    pub area: String,
    pub name: Name,
    pub description: String,
}

pub fn competence_spec(
    input: &CompetenceInput,
    before: Option<&Competence>,
) -> crate::Result<CompetenceSpec> {
    let mut v = Validator::new();
    let pick = |given: &Option<String>, stored: fn(&Competence) -> &String| {
        given
            .clone()
            .or_else(|| before.map(|c| stored(c).clone()))
            .unwrap_or_default()
    };
    let code = v.line("code", &pick(&input.code, |c| &c.code), CODE_MAX);
    if code.is_empty() {
        v.add("code", "required");
    } else if code.chars().any(char::is_whitespace) {
        v.add("code", "competence_code");
    }
    let area = v.line("area", &pick(&input.area, |c| &c.area), Name::MAX_CHARS);
    let name = v.check("name", Name::parse(&pick(&input.name, |c| &c.name)));
    let description = v.text(
        "description",
        &pick(&input.description, |c| &c.description),
        DESCRIPTION_MAX,
    );
    v.finish(name.map(|name| CompetenceSpec {
        code,
        area,
        name,
        description,
    }))
}

/// FTE as typed in a form: `12,5` or `12.5`.
pub fn parse_fte(text: &str) -> Result<f64, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("required");
    }
    text.replace(',', ".").parse::<f64>().map_err(|_| "fte")
}

fn check_fte(v: &mut Validator, field: &str, value: Option<f64>) -> Option<f64> {
    match value {
        None => {
            v.add(field, "required");
            None
        }
        Some(x) if !x.is_finite() || !(0.0..=FTE_MAX).contains(&x) => {
            v.add(field, "fte");
            None
        }
        // At most one decimal: 0.1 FTE is about half a day a week.
        Some(x) if ((x * 10.0).round() - x * 10.0).abs() > 1e-6 => {
            v.add(field, "fte");
            None
        }
        Some(x) => Some((x * 10.0).round() / 10.0),
    }
}

#[derive(Debug, Clone)]
pub struct RoleProfileSpec {
    pub name: Name,
    pub description: String,
    pub information_management: bool,
    pub fte_now: f64,
    pub fte_needed: f64,
    pub horizon_on: i64,
    pub requirements: Vec<Requirement>,
}

/// `competences` maps every competence of the organisation to the top of
/// its scale.
pub fn role_profile_spec(
    input: &RoleProfileInput,
    before: Option<&RoleProfile>,
    competences: &HashMap<CompetenceId, i64>,
) -> crate::Result<RoleProfileSpec> {
    let mut v = Validator::new();
    let name = input
        .name
        .clone()
        .or_else(|| before.map(|r| r.name.clone()))
        .unwrap_or_default();
    let name = v.check("name", Name::parse(&name));
    let description = input
        .description
        .clone()
        .or_else(|| before.map(|r| r.description.clone()))
        .unwrap_or_default();
    let description = v.text("description", &description, DESCRIPTION_MAX);
    let information_management = input
        .information_management
        .or(before.map(|r| r.information_management))
        .unwrap_or(false);
    let fte_now = check_fte(
        &mut v,
        "fte_now",
        input.fte_now.or(before.map(|r| r.fte_now)),
    );
    let fte_needed = check_fte(
        &mut v,
        "fte_needed",
        input.fte_needed.or(before.map(|r| r.fte_needed)),
    );
    let horizon = input
        .horizon_on
        .clone()
        .or_else(|| before.map(|r| r.horizon_on.clone()))
        .unwrap_or_default();
    let horizon_on = v.day("horizon_on", &horizon);
    let given = input
        .requirements
        .clone()
        .or_else(|| before.map(|r| r.requirements.clone()))
        .unwrap_or_default();
    let mut requirements: Vec<Requirement> = Vec::with_capacity(given.len());
    for (i, r) in given.iter().enumerate() {
        let field = |part: &str| format!("requirements[{i}].{part}");
        let Some(&top) = competences.get(&r.competence_id) else {
            v.add(&field("competence_id"), "unknown_competence");
            continue;
        };
        if requirements
            .iter()
            .any(|o| o.competence_id == r.competence_id)
        {
            v.add(&field("competence_id"), "duplicate_competence");
            continue;
        }
        if !(1..=top).contains(&r.level_now) {
            v.add(&field("level_now"), "level_out_of_scale");
        }
        if !(1..=top).contains(&r.level_horizon) {
            v.add(&field("level_horizon"), "level_out_of_scale");
        }
        requirements.push(r.clone());
    }
    let spec = match (name, fte_now, fte_needed, horizon_on) {
        (Some(name), Some(fte_now), Some(fte_needed), Some(horizon_on)) => Some(RoleProfileSpec {
            name,
            description,
            information_management,
            fte_now,
            fte_needed,
            horizon_on,
            requirements,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct EmployeeSpec {
    pub number: String,
    pub name: Name,
    pub user_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    pub role_profile_id: Option<RoleProfileId>,
    pub active: bool,
}

/// Validates an employee's own fields; the service checks that the unit,
/// role profile and account belong to the organisation.
pub fn employee_spec(
    input: &EmployeeInput,
    before: Option<&Employee>,
) -> crate::Result<EmployeeSpec> {
    let mut v = Validator::new();
    let number = input
        .number
        .clone()
        .or_else(|| before.map(|e| e.number.clone()))
        .unwrap_or_default();
    let number = v.line("number", &number, NUMBER_MAX);
    if number.is_empty() {
        v.add("number", "required");
    }
    let name = input
        .name
        .clone()
        .or_else(|| before.map(|e| e.name.clone()))
        .unwrap_or_default();
    let name = v.check("name", Name::parse(&name));
    let pick = |given: Option<Option<i64>>, stored: Option<i64>| match given {
        Some(value) => value,
        None => stored,
    };
    let user_id = pick(input.user_id, before.and_then(|e| e.user_id.map(|u| u.0))).map(UserId);
    let unit_id = pick(input.unit_id, before.and_then(|e| e.unit_id.map(|u| u.0))).map(UnitId);
    let role_profile_id = pick(
        input.role_profile_id,
        before.and_then(|e| e.role_profile_id.map(|r| r.0)),
    )
    .map(RoleProfileId);
    let active = input.active.or(before.map(|e| e.active)).unwrap_or(true);
    v.finish(name.map(|name| EmployeeSpec {
        number,
        name,
        user_id,
        unit_id,
        role_profile_id,
        active,
    }))
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentSpec {
    pub competence_id: CompetenceId,
    pub level: i64,
    pub evidence: String,
}

/// Validates a set of assessments against the organisation's competences
/// (id → top of scale). Each competence at most once.
pub fn assessments_spec(
    input: &AssessmentsInput,
    competences: &HashMap<CompetenceId, i64>,
) -> crate::Result<(AssessmentSource, Vec<AssessmentSpec>)> {
    let mut v = Validator::new();
    let source = input.source;
    if source.is_none() {
        v.add("source", "required");
    }
    let given: &[AssessmentInput] = input.assessments.as_deref().unwrap_or(&[]);
    if given.is_empty() {
        v.add("assessments", "required");
    } else if given.len() > ASSESSMENTS_MAX {
        v.add("assessments", "batch_too_large");
    }
    let mut specs: Vec<AssessmentSpec> = Vec::with_capacity(given.len());
    for (i, a) in given.iter().enumerate().take(ASSESSMENTS_MAX) {
        let field = |part: &str| format!("assessments[{i}].{part}");
        let evidence = v.text(
            &field("evidence"),
            a.evidence.as_deref().unwrap_or(""),
            EVIDENCE_MAX,
        );
        let Some(competence) = a.competence_id.map(CompetenceId) else {
            v.add(&field("competence_id"), "required");
            continue;
        };
        let Some(&top) = competences.get(&competence) else {
            v.add(&field("competence_id"), "unknown_competence");
            continue;
        };
        if specs.iter().any(|s| s.competence_id == competence) {
            v.add(&field("competence_id"), "duplicate_competence");
            continue;
        }
        match a.level {
            None => v.add(&field("level"), "required"),
            Some(level) if !(1..=top).contains(&level) => {
                v.add(&field("level"), "level_out_of_scale");
            }
            Some(level) => specs.push(AssessmentSpec {
                competence_id: competence,
                level,
                evidence,
            }),
        }
    }
    v.finish(source.map(|s| (s, specs)))
}

#[derive(Debug, Clone)]
pub struct RoundSpec {
    pub name: Name,
    pub starts_on: i64,
}

pub fn round_spec(input: &RoundInput) -> crate::Result<RoundSpec> {
    let mut v = Validator::new();
    let name = v.check("name", Name::parse(input.name.as_deref().unwrap_or("")));
    let starts_on = v.day("starts_on", input.starts_on.as_deref().unwrap_or(""));
    v.finish(
        name.zip(starts_on)
            .map(|(name, starts_on)| RoundSpec { name, starts_on }),
    )
}

#[derive(Debug, Clone)]
pub struct LearningActionSpec {
    pub title: Name,
    pub kind: LearningKind,
    pub competence_id: CompetenceId,
    pub unit_id: Option<UnitId>,
    pub role_profile_id: Option<RoleProfileId>,
    pub planned_on: i64,
    pub status: LearningStatus,
}

/// Validates a learning action's own fields; the service checks that the
/// competence, unit and role profile are the organisation's. A group is a
/// unit or a role profile, not both: the gap views show units and roles
/// apart, so only those groups have a trend that stays anonymous.
pub fn learning_action_spec(
    input: &LearningActionInput,
    before: Option<&LearningAction>,
) -> crate::Result<LearningActionSpec> {
    let mut v = Validator::new();
    let title = input
        .title
        .clone()
        .or_else(|| before.map(|a| a.title.clone()))
        .unwrap_or_default();
    let title = v.check("title", Name::parse(&title));
    let kind = input.kind.or(before.map(|a| a.kind));
    if kind.is_none() {
        v.add("kind", "required");
    }
    let competence_id = input
        .competence_id
        .map(CompetenceId)
        .or(before.map(|a| a.competence_id));
    if competence_id.is_none() {
        v.add("competence_id", "required");
    }
    let unit_id = match input.unit_id {
        Some(given) => given.map(UnitId),
        None => before.and_then(|a| a.unit_id),
    };
    let role_profile_id = match input.role_profile_id {
        Some(given) => given.map(RoleProfileId),
        None => before.and_then(|a| a.role_profile_id),
    };
    if unit_id.is_some() && role_profile_id.is_some() {
        v.add("role_profile_id", "group_unit_or_role");
    }
    let planned_on = match (&input.planned_on, before) {
        (Some(text), _) => v.day("planned_on", text),
        (None, Some(before)) => v.day("planned_on", &before.planned_on),
        (None, None) => v.day("planned_on", ""),
    };
    let status = input
        .status
        .or(before.map(|a| a.status))
        .unwrap_or(LearningStatus::Planned);
    let fields = title.zip(kind).zip(competence_id).zip(planned_on);
    v.finish(fields.map(
        |(((title, kind), competence_id), planned_on)| LearningActionSpec {
            title,
            kind,
            competence_id,
            unit_id,
            role_profile_id,
            planned_on,
            status,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(error: crate::Error) -> Vec<(String, String)> {
        let crate::Error::Invalid(errors) = error else {
            panic!("expected invalid input, got {error:?}");
        };
        errors
            .into_iter()
            .map(|e| (e.field, e.code.to_owned()))
            .collect()
    }

    #[test]
    fn a_framework_needs_a_name_and_two_to_ten_levels() {
        let error = framework_spec(&FrameworkInput::default(), None).unwrap_err();
        let found = codes(error);
        assert!(
            found.contains(&("name".into(), "required".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&("levels".into(), "too_few_levels".into())),
            "{found:?}"
        );
        let input = FrameworkInput {
            name: Some("Toekomstvaardigheden".into()),
            description: None,
            levels: Some(vec!["Basis".into(), " Gevorderd ".into(), "Expert".into()]),
        };
        let spec = framework_spec(&input, None).unwrap();
        assert_eq!(spec.levels, vec!["Basis", "Gevorderd", "Expert"]);
        let eleven = FrameworkInput {
            levels: Some((1..=11).map(|i| i.to_string()).collect()),
            ..input
        };
        assert_eq!(
            codes(framework_spec(&eleven, None).unwrap_err()),
            vec![("levels".into(), "too_many_levels".into())]
        );
    }

    #[test]
    fn fte_has_at_most_one_decimal_and_is_not_negative() {
        assert_eq!(parse_fte("12,5"), Ok(12.5));
        assert_eq!(parse_fte("twaalf"), Err("fte"));
        let mut v = Validator::new();
        assert_eq!(check_fte(&mut v, "f", Some(0.3)), Some(0.3));
        assert_eq!(check_fte(&mut v, "f", Some(1.25)), None);
        assert_eq!(check_fte(&mut v, "f", Some(-1.0)), None);
        assert_eq!(check_fte(&mut v, "f", Some(f64::NAN)), None);
        assert_eq!(v.into_errors().len(), 3);
    }

    #[test]
    fn requirements_stay_within_each_competence_scale() {
        let competences = HashMap::from([(CompetenceId(1), 8), (CompetenceId(2), 3)]);
        let input = RoleProfileInput {
            name: Some("Informatiebeheerder".into()),
            fte_now: Some(4.0),
            fte_needed: Some(6.0),
            horizon_on: Some("2028-12-31".into()),
            requirements: Some(vec![
                Requirement {
                    competence_id: CompetenceId(1),
                    level_now: 4,
                    level_horizon: 6,
                },
                Requirement {
                    competence_id: CompetenceId(2),
                    level_now: 2,
                    level_horizon: 4,
                },
                Requirement {
                    competence_id: CompetenceId(9),
                    level_now: 1,
                    level_horizon: 1,
                },
                Requirement {
                    competence_id: CompetenceId(1),
                    level_now: 1,
                    level_horizon: 1,
                },
            ]),
            ..Default::default()
        };
        assert_eq!(
            codes(role_profile_spec(&input, None, &competences).unwrap_err()),
            vec![
                (
                    "requirements[1].level_horizon".into(),
                    "level_out_of_scale".into()
                ),
                (
                    "requirements[2].competence_id".into(),
                    "unknown_competence".into()
                ),
                (
                    "requirements[3].competence_id".into(),
                    "duplicate_competence".into()
                ),
            ]
        );
    }

    #[test]
    fn assessments_name_each_bad_row() {
        let competences = HashMap::from([(CompetenceId(1), 8)]);
        let input = AssessmentsInput {
            source: Some(AssessmentSource::Employee),
            assessments: Some(vec![
                AssessmentInput {
                    competence_id: Some(1),
                    level: Some(9),
                    evidence: None,
                },
                AssessmentInput {
                    competence_id: Some(2),
                    level: Some(1),
                    evidence: None,
                },
                AssessmentInput {
                    competence_id: None,
                    level: Some(1),
                    evidence: None,
                },
            ]),
        };
        assert_eq!(
            codes(assessments_spec(&input, &competences).unwrap_err()),
            vec![
                ("assessments[0].level".into(), "level_out_of_scale".into()),
                (
                    "assessments[1].competence_id".into(),
                    "unknown_competence".into()
                ),
                ("assessments[2].competence_id".into(), "required".into()),
            ]
        );
        let ok = AssessmentsInput {
            source: Some(AssessmentSource::Manager),
            assessments: Some(vec![AssessmentInput {
                competence_id: Some(1),
                level: Some(8),
                evidence: Some(" certificaat ".into()),
            }]),
        };
        let (source, specs) = assessments_spec(&ok, &competences).unwrap();
        assert_eq!(source, AssessmentSource::Manager);
        assert_eq!(specs[0].evidence, "certificaat");
    }
}
