//! Demo people and skills: a framework of future work skills beside
//! DigComp, eight role profiles (three in information management) with
//! levels now and for 2028, about 300 synthetic employees across the teams
//! and their assessments in two rounds, the second showing some progress,
//! and learning actions between and after the rounds. The demo's
//! employee, unit lead and HR accounts have records of their own.

use std::collections::HashMap;

use time::Duration;

use super::DemoContext;
use super::indicators::wobble;
use crate::domain::{CompetenceId, Frequency, Name, Period, Role, RoleProfileId, UnitId, UserId};
use crate::http::AppState;
use crate::skills::spec::{
    AssessmentSpec, CompetenceSpec, EmployeeSpec, FrameworkSpec, LearningActionSpec,
    RoleProfileSpec, RoundSpec,
};
use crate::skills::{AssessmentSource, LearningKind, LearningStatus, Requirement};
use crate::{Error, Result};

fn name(text: &str) -> Result<Name> {
    Name::parse(text).map_err(|_| Error::Unexpected(format!("demo name {text}")))
}

/// Our own future work skills (code, name), on a three-level scale.
const FUTURE_SKILLS: &[(&str, &str)] = &[
    ("TV.1", "Datagedreven werken"),
    ("TV.2", "Wendbaar (agile) werken"),
    ("TV.3", "Werken met AI"),
    ("TV.4", "Informatiebeheer en archivering"),
];

struct DemoRole {
    name: &'static str,
    information_management: bool,
    fte_now: f64,
    fte_needed: f64,
    /// (competence code, level now, level in 2028)
    needs: &'static [(&'static str, i64, i64)],
    /// The teams where people in this role work.
    teams: &'static [&'static str],
    people: usize,
}

const ROLES: &[DemoRole] = &[
    DemoRole {
        name: "Klantcontactmedewerker",
        information_management: false,
        fte_now: 38.0,
        fte_needed: 32.0,
        needs: &[
            ("1.1", 3, 4),
            ("2.1", 4, 5),
            ("2.6", 3, 4),
            ("4.2", 3, 4),
            ("TV.3", 1, 2),
        ],
        teams: &["Klantcontactcentrum", "Burgerzaken"],
        people: 70,
    },
    DemoRole {
        name: "Vergunningverlener",
        information_management: false,
        fte_now: 24.0,
        fte_needed: 24.0,
        needs: &[("1.2", 4, 5), ("1.3", 3, 4), ("4.2", 3, 4), ("TV.1", 1, 2)],
        teams: &["Vergunningen en Handhaving", "Ruimtelijke Ontwikkeling"],
        people: 50,
    },
    DemoRole {
        name: "Consulent werk en inkomen",
        information_management: false,
        fte_now: 30.0,
        fte_needed: 30.0,
        needs: &[("1.1", 3, 4), ("2.1", 4, 4), ("4.2", 4, 5), ("TV.1", 1, 2)],
        teams: &["Werk en Inkomen", "Jeugd en Wmo", "Schuldhulpverlening"],
        people: 60,
    },
    DemoRole {
        name: "Beleidsadviseur",
        information_management: false,
        fte_now: 26.0,
        fte_needed: 24.0,
        needs: &[
            ("1.2", 5, 6),
            ("2.4", 4, 5),
            ("5.2", 3, 5),
            ("TV.1", 2, 3),
            ("TV.2", 1, 2),
        ],
        teams: &[
            "Openbare Ruimte",
            "Mobiliteit",
            "Programmabureau Digitale Transformatie",
        ],
        people: 50,
    },
    DemoRole {
        name: "Informatiebeheerder",
        information_management: true,
        fte_now: 6.0,
        fte_needed: 10.0,
        needs: &[("1.3", 5, 6), ("3.3", 4, 5), ("4.2", 5, 6), ("TV.4", 2, 3)],
        teams: &["Informatiebeheer"],
        people: 12,
    },
    DemoRole {
        name: "Data-analist",
        information_management: true,
        fte_now: 3.0,
        fte_needed: 7.0,
        needs: &[
            ("1.3", 5, 6),
            ("3.4", 4, 6),
            ("5.3", 4, 5),
            ("TV.1", 3, 3),
            ("TV.3", 2, 3),
        ],
        teams: &["Informatievoorziening en ICT"],
        people: 8,
    },
    DemoRole {
        name: "Applicatiebeheerder",
        information_management: true,
        fte_now: 9.0,
        fte_needed: 9.0,
        needs: &[("4.1", 5, 6), ("5.1", 5, 6), ("3.4", 3, 4), ("TV.2", 2, 3)],
        teams: &["Informatievoorziening en ICT"],
        people: 14,
    },
    DemoRole {
        name: "HR-adviseur",
        information_management: false,
        fte_now: 8.0,
        fte_needed: 8.0,
        needs: &[("2.4", 4, 5), ("4.2", 4, 5), ("5.4", 3, 5), ("TV.1", 1, 2)],
        teams: &["HR", "Financiën"],
        people: 30,
    },
];

const FIRST_NAMES: &[&str] = &[
    "Anne", "Bas", "Chantal", "Daan", "Esra", "Frank", "Gerda", "Hamza", "Ilse", "Jeroen", "Kim",
    "Lars", "Maria", "Noor", "Omar", "Petra", "Quinten", "Rik", "Sara", "Tim", "Ufuk", "Vera",
    "Wouter", "Yara", "Zeynep",
];
const LAST_NAMES: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
];

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let day = |d: time::Date| Period::containing(Frequency::Day, d).day_number();

    let framework = store
        .save_framework(
            meta,
            organisation,
            None,
            &FrameworkSpec {
                name: name("Toekomstvaardigheden")?,
                description: "Vaardigheden die de gemeente de komende jaren van iedereen vraagt."
                    .into(),
                levels: vec!["Basis".into(), "Gevorderd".into(), "Expert".into()],
            },
        )
        .await?;
    for (code, title) in FUTURE_SKILLS {
        store
            .save_competence(
                meta,
                &framework,
                None,
                &CompetenceSpec {
                    code: (*code).into(),
                    area: "Toekomstvaardigheden".into(),
                    name: name(title)?,
                    description: String::new(),
                },
            )
            .await?;
    }
    let competences: HashMap<String, CompetenceId> = store
        .competences(organisation)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();
    let horizon = day(
        time::Date::from_calendar_date(2028, time::Month::December, 31)
            .map_err(|_| Error::Unexpected("demo horizon".into()))?,
    );
    let mut roles: Vec<(RoleProfileId, &DemoRole)> = Vec::new();
    for role in ROLES {
        let requirements = role
            .needs
            .iter()
            .map(|(code, now, later)| {
                let id = competences
                    .get(*code)
                    .copied()
                    .ok_or_else(|| Error::Unexpected(format!("demo competence {code}")))?;
                Ok(Requirement {
                    competence_id: id,
                    level_now: *now,
                    level_horizon: *later,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let saved = store
            .save_role_profile(
                meta,
                organisation,
                None,
                &RoleProfileSpec {
                    name: name(role.name)?,
                    description: String::new(),
                    information_management: role.information_management,
                    fte_now: role.fte_now,
                    fte_needed: role.fte_needed,
                    horizon_on: horizon,
                    requirements,
                },
            )
            .await?;
        roles.push((saved.id, role));
    }

    let first = today - Duration::days(240);
    let second = today - Duration::days(30);
    for (title, on) in [("Nulmeting", first), ("Tweede meting", second)] {
        store
            .create_round(
                meta,
                organisation,
                &RoundSpec {
                    name: name(title)?,
                    starts_on: day(on),
                },
            )
            .await?;
    }

    let unit = |team: &str| -> Option<UnitId> {
        context
            .units
            .iter()
            .find(|(n, _)| n == team)
            .map(|(_, id)| *id)
    };
    let users: HashMap<Role, UserId> = store
        .list_members(
            organisation,
            "",
            crate::pagination::PageRequest::new(1, 100)?,
        )
        .await?
        .items
        .into_iter()
        .map(|m| (m.role, m.id))
        .collect();
    let mut number = 1000;
    for (role_id, role) in &roles {
        for i in 0..role.people {
            number += 1;
            let seed = number as u64;
            let team = role.teams[i % role.teams.len()];
            let person = format!(
                "{} {}",
                FIRST_NAMES[(seed as usize * 7) % FIRST_NAMES.len()],
                LAST_NAMES[(seed as usize * 13 + i) % LAST_NAMES.len()]
            );
            // The demo accounts: the employee works at the contact centre,
            // the unit lead leads Dienstverlening, HR sits in HR.
            let (person, user, team) = match (role.name, i) {
                ("Klantcontactmedewerker", 0) => (
                    "Pieter Jansen".to_owned(),
                    users.get(&Role::Employee).copied(),
                    "Klantcontactcentrum",
                ),
                ("Klantcontactmedewerker", 1) => (
                    "Fatima Yilmaz".to_owned(),
                    users.get(&Role::UnitLead).copied(),
                    "Dienstverlening",
                ),
                ("HR-adviseur", 0) => (
                    "Anouk Visser".to_owned(),
                    users.get(&Role::Hr).copied(),
                    "HR",
                ),
                _ => (person, None, team),
            };
            let employee = store
                .save_employee(
                    meta,
                    organisation,
                    None,
                    &EmployeeSpec {
                        number: format!("P{number}"),
                        name: name(&person)?,
                        user_id: user,
                        unit_id: unit(team),
                        role_profile_id: Some(*role_id),
                        active: true,
                    },
                )
                .await?;
            // Pieter has not assessed himself yet: the browser journey
            // does that.
            if user == users.get(&Role::Employee).copied() {
                continue;
            }
            let mut first_round = Vec::new();
            let mut second_round = Vec::new();
            for (step, (code, now, _)) in role.needs.iter().enumerate() {
                let Some(&competence) = competences.get(*code) else {
                    continue;
                };
                let top = if code.starts_with("TV.") { 3 } else { 8 };
                // Around one level short of today's need, spread ±2.
                let noise = wobble(seed, step as u64);
                let level = (*now as f64 - 0.8 + 1.6 * noise)
                    .round()
                    .clamp(1.0, top as f64) as i64;
                first_round.push(AssessmentSpec {
                    competence_id: competence,
                    level,
                    evidence: String::new(),
                });
                // Some grew by the second round (the AI and data courses).
                let grew = wobble(seed, 100 + step as u64) > 0.2 || code.starts_with("TV.");
                second_round.push(AssessmentSpec {
                    competence_id: competence,
                    level: if grew { (level + 1).min(top) } else { level },
                    evidence: String::new(),
                });
            }
            let source = AssessmentSource::Employee;
            store
                .record_assessments(
                    meta,
                    &employee,
                    source,
                    &first_round,
                    day(first + Duration::days(10)),
                )
                .await?;
            // About three in four took part in the second round.
            if wobble(seed, 999) > -0.5 {
                store
                    .record_assessments(
                        meta,
                        &employee,
                        source,
                        &second_round,
                        day(second + Duration::days(7)),
                    )
                    .await?;
            }
        }
    }

    // Two courses between the rounds, one under way, one still ahead.
    let role_id = |wanted: &str| {
        roles
            .iter()
            .find(|(_, r)| r.name == wanted)
            .map(|(id, _)| *id)
    };
    let actions = [
        (
            "Werken met AI in het klantcontact",
            LearningKind::Training,
            "TV.3",
            None,
            role_id("Klantcontactmedewerker"),
            first + Duration::days(60),
            LearningStatus::Done,
        ),
        (
            "Datagedreven werken: coaching in het werk",
            LearningKind::Coaching,
            "TV.1",
            None,
            role_id("Beleidsadviseur"),
            first + Duration::days(120),
            LearningStatus::Done,
        ),
        (
            "Informatiebeheer op orde",
            LearningKind::Training,
            "TV.4",
            unit("Informatiebeheer"),
            None,
            second + Duration::days(10),
            LearningStatus::Underway,
        ),
        (
            "Veilig omgaan met persoonsgegevens",
            LearningKind::Training,
            "4.2",
            None,
            None,
            today + Duration::days(45),
            LearningStatus::Planned,
        ),
    ];
    for (title, kind, code, unit_id, role_profile_id, on, status) in actions {
        let competence_id = competences
            .get(code)
            .copied()
            .ok_or_else(|| Error::Unexpected(format!("demo competence {code}")))?;
        store
            .save_learning_action(
                meta,
                organisation,
                None,
                &LearningActionSpec {
                    title: name(title)?,
                    kind,
                    competence_id,
                    unit_id,
                    role_profile_id,
                    planned_on: day(on),
                    status,
                },
            )
            .await?;
    }
    Ok(())
}
