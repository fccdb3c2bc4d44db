//! Demo governance: the programme "Voorbeeldstad Digitaal 2028" with its
//! vision, four ambitions linked to the demo indicators, two co-creation
//! sessions, and an executive change in the past year whose renewed
//! commitment has been confirmed.

use time::Duration;

use super::{DemoContext, email_for};
use crate::domain::{Email, Frequency, IndicatorId, Period, Role};
use crate::governance::spec::{
    ConfirmationSpec, ambition_spec, co_creation_spec, executive_spec, programme_spec,
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
    Ok(())
}
