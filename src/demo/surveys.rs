//! Demo surveys: two waves of the staff pulse survey for the whole
//! organisation, half a year apart, the second still open. Scores differ
//! per unit (the contact centre finds the ICT lacking, the information
//! teams are at ease with new technology), and ICT-service fit and
//! future skills rise a little between the waves, after an ICT user panel
//! was planned as an intervention on the spring result. A closed wave of
//! the management scan shows management rosier than staff on the
//! barriers to execution and the legacy of earlier programmes.

use std::collections::HashMap;

use time::Duration;

use super::DemoContext;
use super::indicators::wobble;
use crate::auth::secret::{hash_secret, random_id, random_secret};
use crate::domain::{Frequency, Name, Period, UnitId};
use crate::http::AppState;
use crate::surveys::InstrumentKind;
use crate::surveys::waves::{AnswerSpec, WaveSpec};
use crate::{Error, Result};

/// The mean the organisation starts from per barrier, first wave.
const BASE: [(&str, f64); 10] = [
    ("b1", 3.4),
    ("b2", 3.7),
    ("b3", 2.9),
    ("b4", 2.7),
    ("b5", 3.1),
    ("b6", 3.0),
    ("b7", 2.6),
    ("b8", 3.0),
    ("b9", 2.4),
    ("b10", 2.7),
];

/// Where a unit differs from the organisation (unit, barrier, shift).
const UNIT_SHIFTS: [(&str, &str, f64); 6] = [
    ("Klantcontactcentrum", "b10", -0.8),
    ("Klantcontactcentrum", "b6", -0.5),
    ("Informatievoorziening en ICT", "b1", 0.9),
    ("Informatiebeheer", "b1", 0.6),
    ("Vergunningen en Handhaving", "b3", -0.6),
    ("Werk en Inkomen", "b9", -0.5),
];

/// What changed by the second wave (barrier, shift).
const SECOND_WAVE: [(&str, f64); 3] = [("b10", 0.5), ("b8", 0.3), ("b7", 0.2)];

const OPEN_ANSWERS: [&str; 6] = [
    "Zorg dat de laptops en het zaaksysteem snel genoeg zijn.",
    "Meer tijd om nieuwe programma's echt te leren.",
    "Vertel eerlijk wat er met onze functies gebeurt.",
    "Laat teams van verschillende afdelingen vaker samen aan één probleem werken.",
    "Een vast aanspreekpunt voor vragen over data zou helpen.",
    "Eerst de oude ICT-problemen oplossen, dan pas iets nieuws.",
];

fn name(text: &str) -> Result<Name> {
    Name::parse(text).map_err(|_| Error::Unexpected(format!("demo name {text}")))
}

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let day = |d: time::Date| Period::containing(Frequency::Day, d).day_number();
    let today_number = day(today);
    let instrument = store
        .instruments(organisation)
        .await?
        .into_iter()
        .find(|i| i.kind == InstrumentKind::Pulse)
        .ok_or_else(|| Error::Unexpected("demo pulse survey".into()))?;
    let version = store
        .instrument_version(&instrument, instrument.current_version)
        .await?;
    let unit_names: HashMap<UnitId, &str> = context
        .units
        .iter()
        .map(|(n, id)| (*id, n.as_str()))
        .collect();
    let employees: Vec<_> = store
        .all_employees(organisation)
        .await?
        .into_iter()
        .filter(|e| e.active)
        .collect();
    let waves = [
        (
            "Pulspeiling voorjaar",
            today - Duration::days(200),
            today - Duration::days(186),
            0.68,
            false,
        ),
        (
            "Pulspeiling najaar",
            today - Duration::days(12),
            today + Duration::days(9),
            0.52,
            true,
        ),
    ];
    let mut spring = None;
    for (wave_index, (title, opens, closes, share, second)) in waves.into_iter().enumerate() {
        let spec = WaveSpec {
            instrument_id: instrument.id,
            name: name(title)?,
            opens_on: day(opens),
            closes_on: day(closes),
            unit_ids: Vec::new(),
        };
        let wave = store
            .create_wave(meta, organisation, version.id, &spec, today_number)
            .await?;
        let tokens: Vec<(crate::domain::EmployeeId, i64, String)> = employees
            .iter()
            .map(|e| (e.id, e.unit_id.map_or(0, |u| u.0), random_secret()))
            .collect();
        let rows: Vec<_> = tokens
            .iter()
            .map(|(e, u, t)| (*e, *u, hash_secret(t)))
            .collect();
        store
            .create_invitations(meta, organisation, &wave, &rows)
            .await?;
        for (person, (_, unit, token)) in tokens.iter().enumerate() {
            let seed = (wave_index as u64 + 1) * 10_000 + person as u64;
            if wobble(seed, 1) * 0.5 + 0.5 > share {
                continue;
            }
            let unit_name = unit_names.get(&UnitId(*unit)).copied().unwrap_or("");
            let mut answers = Vec::new();
            for (step, item) in version.items.iter().enumerate() {
                if item.dimension == crate::surveys::catalog::OPEN {
                    if wobble(seed, 500) > 0.6 {
                        let text = OPEN_ANSWERS[(seed as usize + step) % OPEN_ANSWERS.len()];
                        answers.push(AnswerSpec {
                            item_id: item.id,
                            dimension: item.dimension.clone(),
                            score: None,
                            text: Some(text.to_owned()),
                        });
                    }
                    continue;
                }
                let base = BASE
                    .iter()
                    .find(|(d, _)| *d == item.dimension)
                    .map_or(3.0, |(_, b)| *b);
                let shift: f64 = UNIT_SHIFTS
                    .iter()
                    .filter(|(u, d, _)| *u == unit_name && *d == item.dimension)
                    .map(|(_, _, s)| s)
                    .sum();
                let later: f64 = if second {
                    SECOND_WAVE
                        .iter()
                        .filter(|(d, _)| *d == item.dimension)
                        .map(|(_, s)| s)
                        .sum()
                } else {
                    0.0
                };
                let score = (base + shift + later + 1.1 * wobble(seed, 10 + step as u64))
                    .round()
                    .clamp(1.0, 5.0) as i64;
                answers.push(AnswerSpec {
                    item_id: item.id,
                    dimension: item.dimension.clone(),
                    score: Some(score),
                    text: None,
                });
            }
            let hash = hash_secret(token);
            let invitation = store.invitation_by_token(&hash).await?;
            store
                .submit_response(&hash, &invitation, random_id(), &answers)
                .await?;
        }
        if wave_index == 0 {
            spring = Some(wave.id);
        }
    }
    load_scan(state, context, &employees).await?;
    if let Some(spring) = spring {
        plan_intervention(state, context, spring).await?;
    }
    Ok(())
}

/// Management's own view per factor: rosier than staff on the barriers
/// to execution and on what earlier programmes left behind.
const SCAN_BASE: [(&str, f64); 11] = [
    ("s1", 2.6),
    ("s2", 3.4),
    ("s3", 3.2),
    ("s4", 3.0),
    ("s5", 3.9),
    ("s6", 3.7),
    ("f1", 3.8),
    ("f2", 2.3),
    ("f3", 3.7),
    ("f4", 3.4),
    ("f5", 3.1),
];

/// A closed wave of the management scan, asked to one person per unit
/// (the unit's first employee stands in for its manager).
async fn load_scan(
    state: &AppState,
    context: &DemoContext,
    employees: &[crate::skills::Employee],
) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let day = |d: time::Date| Period::containing(Frequency::Day, d).day_number();
    let instrument = store
        .instruments(organisation)
        .await?
        .into_iter()
        .find(|i| i.kind == InstrumentKind::Scan)
        .ok_or_else(|| Error::Unexpected("demo scan".into()))?;
    let version = store
        .instrument_version(&instrument, instrument.current_version)
        .await?;
    let spec = WaveSpec {
        instrument_id: instrument.id,
        name: name("Scan managementteam najaar")?,
        opens_on: day(today - Duration::days(30)),
        closes_on: day(today - Duration::days(16)),
        unit_ids: Vec::new(),
    };
    let wave = store
        .create_wave(meta, organisation, version.id, &spec, day(today))
        .await?;
    let mut seen = std::collections::HashSet::new();
    let managers: Vec<_> = employees
        .iter()
        .filter(|e| e.unit_id.is_some_and(|u| seen.insert(u)))
        .collect();
    let tokens: Vec<_> = managers
        .iter()
        .map(|e| (e.id, e.unit_id.map_or(0, |u| u.0), random_secret()))
        .collect();
    let rows: Vec<_> = tokens
        .iter()
        .map(|(e, u, t)| (*e, *u, hash_secret(t)))
        .collect();
    store
        .create_invitations(meta, organisation, &wave, &rows)
        .await?;
    for (person, (_, _, token)) in tokens.iter().enumerate() {
        let seed = 90_000 + person as u64;
        // Three in four answer.
        if person % 4 == 3 {
            continue;
        }
        let answers: Vec<AnswerSpec> = version
            .items
            .iter()
            .enumerate()
            .filter_map(|(step, item)| {
                let base = SCAN_BASE.iter().find(|(d, _)| *d == item.dimension)?.1;
                let score = (base + 0.9 * wobble(seed, 10 + step as u64))
                    .round()
                    .clamp(1.0, 5.0) as i64;
                Some(AnswerSpec {
                    item_id: item.id,
                    dimension: item.dimension.clone(),
                    score: Some(score),
                    text: None,
                })
            })
            .collect();
        let hash = hash_secret(token);
        let invitation = store.invitation_by_token(&hash).await?;
        store
            .submit_response(&hash, &invitation, random_id(), &answers)
            .await?;
    }
    Ok(())
}

/// After the spring pulse showed the ICT services lacking, the programme
/// planned an ICT user panel; the autumn pulse shows what moved.
async fn plan_intervention(
    state: &AppState,
    context: &DemoContext,
    spring: crate::domain::WaveId,
) -> Result<()> {
    let store = state.store();
    let organisation = context.organisation.id;
    let Some(panel) = store
        .interventions(organisation)
        .await?
        .into_iter()
        .find(|i| i.builtin_key.as_deref() == Some("I-B10"))
    else {
        return Err(Error::Unexpected("demo intervention I-B10".into()));
    };
    let today = state.clock().now().date();
    let spec = crate::portfolio::spec::InitiativeSpec {
        kind: crate::portfolio::InitiativeKind::Intervention,
        title: name(&panel.title_nl)?,
        problem: "De passendheid van de ICT-voorzieningen scoorde 2,7 in de pulspeiling van het voorjaar; \
                  bij het Klantcontactcentrum nog lager."
            .into(),
        hypothesis: "Met een gebruikerspanel en een sprint op de grootste ergernissen scoort B10 hoger in de \
                     volgende peiling."
            .into(),
        learning_goals: vec!["Stijgt B10 in de najaarspeiling, en hoeveel?".into()],
        technologies: Vec::new(),
        owner_id: None,
        unit_id: context
            .units
            .iter()
            .find(|(n, _)| n == "Informatievoorziening en ICT")
            .map(|(_, id)| *id),
        go_live_on: Some(day_number(today - Duration::days(150))),
        cost_estimate: None,
        ambition_ids: Vec::new(),
        indicators: Vec::new(),
        lab_id: None,
        from_idea: None,
        expected_version: None,
        intervention: Some(crate::surveys::interventions::InterventionLink {
            intervention_id: panel.id,
            dimension: panel.dimension.clone(),
            baseline_wave_id: Some(spring),
        }),
    };
    store
        .save_initiative(&context.meta, organisation, None, &spec)
        .await?;
    Ok(())
}

fn day_number(date: time::Date) -> i64 {
    Period::containing(Frequency::Day, date).day_number()
}
