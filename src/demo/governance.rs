//! Demo governance: the programme "Voorbeeldstad Digitaal 2028" with its
//! vision, four ambitions linked to the demo indicators, two co-creation
//! sessions, an executive change in the past year whose renewed commitment
//! has been confirmed, a steering committee with meetings, decisions with
//! their follow-up actions, innovation budget lines and a carry-over item.

use time::Duration;

use super::{DemoContext, email_for};
use crate::domain::{Email, Frequency, IndicatorId, Period, Role};
use crate::governance::funding::{
    BudgetLineInput, BudgetSource, CarryOverInput, CarryOverStatus, budget_line_spec,
    carry_over_spec,
};
use crate::governance::spec::{
    ConfirmationSpec, ambition_spec, co_creation_spec, executive_spec, programme_spec,
};
use crate::governance::steering::{
    ActionInput, ActionStatus, BodyInput, BodyKind, DecisionInput, DecisionStatus, MeetingInput,
};
use crate::governance::steering_spec::{
    Known, action_spec, body_spec, decision_spec, meeting_spec,
};
use crate::governance::{
    AmbitionInput, CoCreationInput, ExecutiveInput, Participant, ProgrammeInput,
};
use crate::http::AppState;
use crate::{Error, Result};

const VISION: &str = "\
# Voorbeeldstad Digitaal 2028

Inwoners en ondernemers regelen hun zaken met de gemeente wanneer het hun \
uitkomt, via het kanaal dat bij hen past — en het lukt in één keer. Wie hulp \
nodig heeft, krijgt een medewerker die meedenkt.

## Waar we op sturen

- **Digitaal waar het kan:** formulieren die inwoners zonder hulp afronden.
- **Persoonlijk waar het moet:** snel contact en een antwoord bij het eerste gesprek.
- **Op tijd:** besluiten binnen de wettelijke termijn.
- **Samen:** medewerkers met goede digitale middelen en vaardigheden.

We meten voortgang met indicatoren die inwoners en medewerkers merken, niet \
met wat we uitgeven.";

/// (title, description, indicator codes)
const AMBITIONS: &[(&str, &str, &[&str])] = &[
    (
        "Inwoners regelen hun zaken digitaal, in één keer goed",
        "Online aanvragen worden zonder hulp afgerond en steeds meer inwoners kiezen zelf voor digitaal.",
        &["WEB-SUCCES", "DIGI-AANDEEL"],
    ),
    (
        "Snel en persoonlijk contact",
        "Wie belt, wordt snel geholpen en heeft na één gesprek antwoord.",
        &["KCC-FCR", "KCC-30S"],
    ),
    (
        "Besluiten binnen de termijn",
        "Wmo-besluiten en omgevingsvergunningen op tijd, zonder onnodig wachten.",
        &["WMO-TERMIJN", "OMGV-DOORLOOP"],
    ),
    (
        "Tevreden inwoners en medewerkers",
        "Inwoners waarderen de digitale dienstverlening; medewerkers hebben ICT die werkt.",
        &["INW-TEVREDEN", "MDW-ICT"],
    ),
];

fn day(text: &str) -> Result<i64> {
    Period::parse(Frequency::Day, text)
        .map(|p| p.day_number())
        .map_err(|_| Error::Unexpected(format!("demo date {text}")))
}

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let label = |d: time::Date| Period::containing(Frequency::Day, d).label();
    let start = time::Date::from_calendar_date(today.year() - 1, time::Month::January, 1)
        .map_err(|_| Error::Unexpected("demo start".into()))?;
    let end_year = (today.year() + 2).max(2028);
    let programme = store
        .create_programme(
            meta,
            organisation,
            &programme_spec(
                &ProgrammeInput {
                    name: Some("Voorbeeldstad Digitaal 2028".into()),
                    vision: Some(VISION.into()),
                    starts_on: Some(label(start)),
                    ends_on: Some(format!("{end_year}-12-31")),
                    status: None,
                },
                None,
            )?,
        )
        .await?;

    let indicators = store.all_indicators(organisation).await?;
    for (title, description, codes) in AMBITIONS {
        let spec = ambition_spec(
            &AmbitionInput {
                title: Some((*title).into()),
                description: Some((*description).into()),
                position: None,
            },
            None,
        )?;
        let links: Vec<IndicatorId> = indicators
            .iter()
            .filter(|i| codes.contains(&i.code.as_str()))
            .map(|i| i.id)
            .collect();
        let ambition = store
            .save_ambition(meta, organisation, programme.id, None, &spec, None)
            .await?;
        for indicator in links {
            store.link_indicator(meta, &ambition, indicator).await?;
        }
    }

    let sessions = [
        (
            start + Duration::days(20),
            "Werksessie met college en directie",
            vec![
                ("Marieke Smit", "wethouder Dienstverlening"),
                ("Karim El Amrani", "gemeentesecretaris"),
                ("Joost Bakker", "programmamanager"),
                ("Fatima Yilmaz", "teamleider KCC"),
            ],
            true,
            "Visie en vier ambities vastgesteld; college neemt ze op in het collegeprogramma.",
        ),
        (
            start + Duration::days(48),
            "Inwonerspanel over digitale dienstverlening",
            vec![
                ("Twaalf inwoners", "inwonerspanel"),
                ("Joost Bakker", "programmamanager"),
            ],
            false,
            "Ambitie ‘persoonlijk waar het moet’ aangescherpt: de balie en telefoon blijven.",
        ),
    ];
    for (held, form, people, executives, outcome) in sessions {
        let spec = co_creation_spec(
            &CoCreationInput {
                held_on: Some(label(held)),
                form: Some(form.into()),
                participants: people
                    .into_iter()
                    .map(|(name, role)| Participant {
                        name: name.into(),
                        role: role.into(),
                    })
                    .collect(),
                executives_took_part: executives,
                outcome: Some(outcome.into()),
            },
            day(&label(today))?,
        )?;
        store
            .create_co_creation_session(meta, &programme, &spec)
            .await?;
    }

    // The first accountable executive confirmed at the start; the portfolio
    // moved to another member of the executive some eight months ago and the
    // new executive has since renewed the commitment.
    let first = executive_spec(
        &ExecutiveInput {
            name: Some("Marieke Smit".into()),
            title: Some("wethouder Dienstverlening".into()),
            portfolio: Some("Dienstverlening en Digitalisering".into()),
            mandate: Some(
                "Stuurt het programma namens het college aan en besluit over de inzet van het innovatiebudget."
                    .into(),
            ),
            budget_amount: Some(2_400_000.0),
            budget_period: Some(format!("{}–{end_year}", start.year())),
            starts_on: Some(label(start)),
            ..ExecutiveInput::default()
        },
        None,
        None,
    )?;
    let term = store
        .record_executive(meta, &programme, None, &first)
        .await?;
    let confirmed = ConfirmationSpec {
        confirmed_on: day(&label(start + Duration::days(21)))?,
        note: "Bevestigd in de collegevergadering bij de vaststelling van de visie.".into(),
    };
    store.confirm_executive(meta, &term, &confirmed).await?;

    let successor = store
        .user_id_by_email(
            &Email::parse(&email_for(Role::Executive))
                .map_err(|_| Error::Unexpected("demo email".into()))?,
        )
        .await?;
    let changed = today - Duration::days(240);
    let second = executive_spec(
        &ExecutiveInput {
            user_id: successor.map(|u| u.0),
            title: Some("wethouder Digitalisering en Financiën".into()),
            portfolio: Some("Digitalisering en Financiën".into()),
            mandate: Some(
                "Neemt het programma over na de portefeuillewisseling; mandaat en budget ongewijzigd."
                    .into(),
            ),
            budget_amount: Some(2_400_000.0),
            budget_period: Some(format!("{}–{end_year}", start.year())),
            starts_on: Some(label(changed)),
            ..ExecutiveInput::default()
        },
        Some("Karim El Amrani"),
        Some(day(&label(start))?),
    )?;
    let terms = store.executive_terms(organisation, programme.id).await?;
    let term = store
        .record_executive(meta, &programme, terms.last(), &second)
        .await?;
    let renewed = ConfirmationSpec {
        confirmed_on: day(&label(changed + Duration::days(23)))?,
        note: "Hernieuwd commitment uitgesproken in de stuurgroep en vastgelegd in het collegebesluit."
            .into(),
    };
    store.confirm_executive(meta, &term, &renewed).await?;
    load_steering(state, context, &programme).await?;
    load_funding(state, context, &programme, start.year(), end_year).await
}

/// Innovation money per year (own fund, co-financing in the current year),
/// the ICT operating budget shown apart, and one goal carried over from the
/// previous programme.
async fn load_funding(
    state: &AppState,
    context: &DemoContext,
    programme: &crate::governance::Programme,
    first_year: i32,
    last_year: i32,
) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let this_year = state.clock().now().date().year();
    let line =
        |year: i32, amount: f64, source: BudgetSource, funder: &str, scheme: &str, note: &str| {
            budget_line_spec(
                &BudgetLineInput {
                    year: Some(i64::from(year)),
                    amount: Some(amount),
                    source: Some(source),
                    funder: Some(funder.into()),
                    scheme: Some(scheme.into()),
                    note: Some(note.into()),
                },
                None,
            )
        };
    for year in first_year..=last_year {
        let spec = line(
            year,
            600_000.0,
            BudgetSource::InnovationFund,
            "",
            "",
            "Raadsbesluit innovatiefonds",
        )?;
        store.save_budget_line(meta, programme, None, &spec).await?;
        let spec = line(
            year,
            1_800_000.0,
            BudgetSource::OperatingBudget,
            "",
            "",
            "Exploitatie ICT en dienstverlening; niet voor vernieuwing",
        )?;
        store.save_budget_line(meta, programme, None, &spec).await?;
    }
    let spec = line(
        this_year,
        250_000.0,
        BudgetSource::ExternalCofinancing,
        "Provincie",
        "Subsidieregeling digitale dienstverlening",
        "Cofinanciering van het herontwerp van webformulieren",
    )?;
    store.save_budget_line(meta, programme, None, &spec).await?;
    let item = carry_over_spec(
        &CarryOverInput {
            goal: Some("Eén zaaksysteem voor alle aanvragen".into()),
            origin: Some("Dienstverlening Dichtbij 2019–2022".into()),
            consequence: Some(
                "Medewerkers werken in twee systemen; digitale aanvragen komen niet vanzelf in het zaaksysteem."
                    .into(),
            ),
            owner_id: None,
            owner_name: Some("Ruud Verhoeven".into()),
            plan: Some("Aanbesteding dit jaar, overgang in fasen per team volgend jaar.".into()),
            status: Some(CarryOverStatus::InProgress),
        },
        None,
        None,
    )?;
    store.save_carry_over(meta, programme, None, &item).await?;
    Ok(())
}

/// A demo decision: taken `weeks_ago`, about the ambition at index
/// `ambition` and the indicators with these codes.
struct DemoDecision {
    title: &'static str,
    rationale: &'static str,
    weeks_ago: i64,
    status: DecisionStatus,
    ambition: usize,
    codes: &'static [&'static str],
    actions: &'static [DemoAction],
}

/// A follow-up action: description, owner, due in days from today, done.
type DemoAction = (&'static str, &'static str, i64, bool);

/// A steering committee every six weeks (last met three weeks ago), a
/// programme office, and decisions with follow-up actions, one of them late.
async fn load_steering(
    state: &AppState,
    context: &DemoContext,
    programme: &crate::governance::Programme,
) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let label = |d: time::Date| Period::containing(Frequency::Day, d).label();
    let today_day = day(&label(today))?;
    let person = |name: &str, role: &str| Participant {
        name: name.into(),
        role: role.into(),
    };
    let committee = store
        .save_body(
            meta,
            programme,
            None,
            &body_spec(
                &BodyInput {
                    kind: Some(BodyKind::SteeringCommittee),
                    name: Some("Stuurgroep Voorbeeldstad Digitaal".into()),
                    cadence_weeks: Some(Some(6)),
                    members: Some(vec![
                        person("Karim El Amrani", "voorzitter, wethouder"),
                        person("Sanne de Vries", "gemeentesecretaris"),
                        person("Joost Bakker", "programmamanager"),
                        person("Fatima Yilmaz", "teamleider KCC"),
                        person("Ruud Verhoeven", "CIO"),
                    ]),
                },
                None,
            )?,
        )
        .await?;
    store
        .save_body(
            meta,
            programme,
            None,
            &body_spec(
                &BodyInput {
                    kind: Some(BodyKind::ProgrammeOffice),
                    name: Some("Programmabureau".into()),
                    cadence_weeks: Some(Some(2)),
                    members: Some(vec![
                        person("Joost Bakker", "programmamanager"),
                        person("Lotte van Dijk", "projectondersteuning"),
                    ]),
                },
                None,
            )?,
        )
        .await?;
    // Every six weeks, the last one three weeks ago.
    for weeks_ago in [45, 39, 33, 27, 21, 15, 9, 3] {
        let held = today - Duration::weeks(weeks_ago);
        let spec = meeting_spec(
            &MeetingInput {
                held_on: Some(label(held)),
                attendees: vec![
                    "Karim El Amrani".into(),
                    "Sanne de Vries".into(),
                    "Joost Bakker".into(),
                ],
                agenda: Some(
                    "Voortgang ambities, indicatoren die uit koers zijn, besluiten".into(),
                ),
                minutes: Some(
                    "Voortgang besproken aan de hand van het Koers-overzicht; acties bijgewerkt."
                        .into(),
                ),
            },
            today_day,
        )?;
        store.create_meeting(meta, &committee, &spec).await?;
    }

    let indicators = store.all_indicators(organisation).await?;
    let ambitions = store.ambitions(organisation, programme.id).await?;
    let indicator = |code: &str| indicators.iter().find(|i| i.code == code).map(|i| i.id);
    let known_bodies = [committee.id].into_iter().collect();
    let known_ambitions = ambitions.iter().map(|a| a.id).collect();
    let known_indicators = indicators.iter().map(|i| i.id).collect();
    let known = Known {
        bodies: &known_bodies,
        ambitions: &known_ambitions,
        indicators: &known_indicators,
    };
    let decisions: [DemoDecision; 4] = [
        DemoDecision {
            title: "Webformulieren herontwerpen met inwoners",
            rationale: "De succesratio van webformulieren blijft achter bij het doel; inwoners haken af bij stap 3.",
            weeks_ago: 33,
            status: DecisionStatus::Implemented,
            ambition: 0,
            codes: &["WEB-SUCCES"],
            actions: &[
                (
                    "Gebruikersonderzoek met tien inwoners",
                    "Joost Bakker",
                    -180,
                    true,
                ),
                ("Nieuwe formulieren live", "Ruud Verhoeven", -60, true),
            ],
        },
        DemoDecision {
            title: "Terugbelafspraak invoeren bij het KCC",
            rationale: "Wachttijden aan de telefoon lopen op in de piekuren; terugbellen spreidt de drukte.",
            weeks_ago: 21,
            status: DecisionStatus::Taken,
            ambition: 1,
            codes: &["KCC-30S", "KCC-FCR"],
            actions: &[
                ("Telefooncentrale instellen", "Ruud Verhoeven", -30, true),
                ("Medewerkers KCC trainen", "Fatima Yilmaz", -10, false),
            ],
        },
        DemoDecision {
            title: "Wmo-aanvragen digitaal laten starten",
            rationale: "Besluiten binnen de termijn vraagt een volledige aanvraag bij de start.",
            weeks_ago: 9,
            status: DecisionStatus::Taken,
            ambition: 2,
            codes: &["WMO-TERMIJN"],
            actions: &[("Digitaal aanvraagformulier Wmo", "Joost Bakker", 45, false)],
        },
        DemoDecision {
            title: "Chatbot voor veelgestelde vragen verkennen",
            rationale: "Voorstel van het KCC; eerst de effecten van terugbellen afwachten.",
            weeks_ago: 3,
            status: DecisionStatus::Proposed,
            ambition: 1,
            codes: &[],
            actions: &[],
        },
    ];
    for DemoDecision {
        title,
        rationale,
        weeks_ago,
        status,
        ambition,
        codes,
        actions,
    } in decisions
    {
        let spec = decision_spec(
            &DecisionInput {
                title: Some(title.into()),
                rationale: Some(rationale.into()),
                decided_on: Some(label(today - Duration::weeks(weeks_ago))),
                status: Some(status),
                body_id: Some(Some(committee.id.0)),
                ambition_ids: Some(
                    ambitions
                        .get(ambition)
                        .map(|a| a.id.0)
                        .into_iter()
                        .collect(),
                ),
                indicator_ids: Some(
                    codes
                        .iter()
                        .filter_map(|c| indicator(c))
                        .map(|i| i.0)
                        .collect(),
                ),
            },
            None,
            &known,
        )?;
        let decision = store
            .save_decision(meta, programme, None, &spec, today_day)
            .await?;
        for (description, owner, due_in, done) in actions {
            let spec = action_spec(
                &ActionInput {
                    description: Some((*description).into()),
                    owner_id: None,
                    owner_name: Some((*owner).into()),
                    due_on: Some(label(today + Duration::days(*due_in))),
                    status: Some(if *done {
                        ActionStatus::Done
                    } else {
                        ActionStatus::Open
                    }),
                },
                None,
                None,
                today_day,
            )?;
            store
                .save_decision_action(meta, &decision, None, &spec, today_day)
                .await?;
        }
    }
    Ok(())
}
