//! The demo organisation "Gemeente Voorbeeldstad", loaded by
//! `koers serve --demo` into an empty database. Each capability adds its
//! demo data as one more step in `load`.

use crate::domain::{Direction, Frequency, Name, Period, Role, UnitId, ValueUnit};
use crate::http::AppState;
use crate::indicators::{IndicatorInput, MeasurementSpec, TargetSpec};
use crate::organisations::Organisation;
use crate::store::AuditMeta;
use crate::users::NewMember;
use crate::{Error, Result};

pub const SLUG: &str = "voorbeeldstad";
/// Shown on the login page in demo mode only.
pub const PASSWORD: &str = "demo-koers-2026";
pub const ROLES: [Role; 6] = Role::ALL;

pub fn email_for(role: Role) -> String {
    format!("{}@{SLUG}.example", role.code())
}

fn person_for(role: Role) -> &'static str {
    match role {
        Role::Admin => "Sanne de Vries",
        Role::Executive => "Karim El Amrani",
        Role::ProgrammeLead => "Joost Bakker",
        Role::UnitLead => "Fatima Yilmaz",
        Role::Employee => "Pieter Jansen",
        Role::Viewer => "Lotte van Dijk",
    }
}

/// Departments with their teams.
const UNITS: &[(&str, &[&str])] = &[
    (
        "Dienstverlening",
        &[
            "Klantcontactcentrum",
            "Burgerzaken",
            "Vergunningen en Handhaving",
        ],
    ),
    (
        "Sociaal Domein",
        &["Werk en Inkomen", "Jeugd en Wmo", "Schuldhulpverlening"],
    ),
    (
        "Ruimte",
        &["Openbare Ruimte", "Ruimtelijke Ontwikkeling", "Mobiliteit"],
    ),
    (
        "Bedrijfsvoering",
        &[
            "Informatievoorziening en ICT",
            "Informatiebeheer",
            "HR",
            "Financiën",
        ],
    ),
    ("Programmabureau Digitale Transformatie", &[]),
];

/// Everything later steps need to add their own demo data.
pub struct DemoContext {
    pub organisation: Organisation,
    pub meta: AuditMeta,
    pub units: Vec<(String, UnitId)>,
}

/// Loads the demo unless the database already holds organisations.
/// Returns whether anything was loaded.
pub async fn load(state: &AppState) -> Result<bool> {
    if !state.store().list_organisations().await?.is_empty() {
        return Ok(false);
    }
    let meta = AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "demo".to_owned(),
        client_address: None,
        at: state.clock().now(),
    };
    let organisation = crate::organisations::service::create(
        state,
        &meta,
        "Gemeente Voorbeeldstad",
        SLUG,
        "municipality",
    )
    .await?;
    let meta = AuditMeta {
        organisation_id: Some(organisation.id),
        ..meta
    };
    let mut context = DemoContext {
        organisation,
        meta,
        units: Vec::new(),
    };
    load_units(state, &mut context).await?;
    load_people(state, &context).await?;
    load_indicators(state, &context).await?;
    Ok(true)
}

/// (code, name, unit, direction, frequency, start value, end value,
/// seasonal swing, noise, target, owner's role, responsible unit)
type DemoIndicator = (
    &'static str,
    &'static str,
    ValueUnit,
    Direction,
    Frequency,
    f64,
    f64,
    f64,
    f64,
    f64,
    Role,
    &'static str,
);

const INDICATORS: &[DemoIndicator] = &[
    (
        "WEB-SUCCES",
        "Succesratio webformulieren (afgerond / gestart)",
        ValueUnit::Percentage,
        Direction::HigherIsBetter,
        Frequency::Month,
        58.0,
        74.0,
        1.5,
        1.2,
        85.0,
        Role::ProgrammeLead,
        "Dienstverlening",
    ),
    (
        "KCC-FCR",
        "Vragen in één keer opgelost door het klantcontactcentrum",
        ValueUnit::Percentage,
        Direction::HigherIsBetter,
        Frequency::Month,
        68.0,
        76.0,
        1.0,
        1.5,
        80.0,
        Role::UnitLead,
        "Klantcontactcentrum",
    ),
    (
        "KCC-30S",
        "Telefoon binnen 30 seconden opgenomen",
        ValueUnit::Percentage,
        Direction::HigherIsBetter,
        Frequency::Month,
        62.0,
        71.0,
        4.0,
        2.0,
        80.0,
        Role::UnitLead,
        "Klantcontactcentrum",
    ),
    (
        "WMO-TERMIJN",
        "Wmo-besluiten binnen de wettelijke termijn",
        ValueUnit::Percentage,
        Direction::HigherIsBetter,
        Frequency::Month,
        81.0,
        88.0,
        2.0,
        1.8,
        95.0,
        Role::ProgrammeLead,
        "Jeugd en Wmo",
    ),
    (
        "OMGV-DOORLOOP",
        "Gemiddelde doorlooptijd omgevingsvergunning",
        ValueUnit::Days,
        Direction::LowerIsBetter,
        Frequency::Month,
        62.0,
        49.0,
        3.0,
        2.5,
        40.0,
        Role::ProgrammeLead,
        "Vergunningen en Handhaving",
    ),
    (
        "DIGI-AANDEEL",
        "Aanvragen digitaal ingediend",
        ValueUnit::Percentage,
        Direction::HigherIsBetter,
        Frequency::Month,
        45.0,
        66.0,
        1.0,
        1.5,
        75.0,
        Role::ProgrammeLead,
        "Dienstverlening",
    ),
    (
        "INW-TEVREDEN",
        "Tevredenheid inwoners over digitale dienstverlening (1–10)",
        ValueUnit::Score,
        Direction::HigherIsBetter,
        Frequency::Quarter,
        6.6,
        7.2,
        0.1,
        0.1,
        7.5,
        Role::ProgrammeLead,
        "Dienstverlening",
    ),
    (
        "MDW-ICT",
        "Tevredenheid medewerkers over ICT-voorzieningen (1–10)",
        ValueUnit::Score,
        Direction::HigherIsBetter,
        Frequency::Quarter,
        6.1,
        6.8,
        0.1,
        0.15,
        7.5,
        Role::Admin,
        "Informatievoorziening en ICT",
    ),
];

/// Deterministic noise in [-1, 1] (splitmix64), so every demo is the same.
fn wobble(seed: u64, step: u64) -> f64 {
    let mut z = seed.wrapping_add(step.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Three years of plausible history per indicator, up to last period.
async fn load_indicators(state: &AppState, context: &DemoContext) -> Result<()> {
    let today = state.clock().now().date();
    for (
        index,
        &(
            code,
            name,
            unit,
            direction,
            frequency,
            start,
            end,
            swing,
            noise,
            target,
            owner_role,
            unit_name,
        ),
    ) in INDICATORS.iter().enumerate()
    {
        let owner = state
            .store()
            .user_id_by_email(
                &crate::domain::Email::parse(&email_for(owner_role))
                    .map_err(|_| Error::Unexpected("demo email".into()))?,
            )
            .await?;
        let responsible = context
            .units
            .iter()
            .find(|(n, _)| n == unit_name)
            .map(|(_, id)| *id);
        let last = Period::containing(frequency, today);
        let per_year = if frequency == Frequency::Quarter {
            4
        } else {
            12
        };
        let count = 3 * per_year;
        let mut first = last;
        for _ in 0..count {
            first = previous(first);
        }
        let (low, high) = unit.natural_bounds();
        let clamp = |v: f64| {
            let v = low.map_or(v, |l| v.max(l));
            let v = high.map_or(v, |h| v.min(h));
            if unit == ValueUnit::Score {
                v.clamp(1.0, 10.0)
            } else {
                v
            }
        };
        let input = IndicatorInput {
            code: Some(code.to_owned()),
            name: Some(name.to_owned()),
            description: Some(String::new()),
            perspective: Some(
                match code {
                    "MDW-ICT" => "employee",
                    "OMGV-DOORLOOP" => "business",
                    _ => "resident",
                }
                .to_owned(),
            ),
            unit: Some(unit.code().to_owned()),
            min_value: Some((unit == ValueUnit::Score).then_some(1.0)),
            max_value: Some((unit == ValueUnit::Score).then_some(10.0)),
            direction: Some(direction.code().to_owned()),
            frequency: Some(frequency.code().to_owned()),
            baseline_value: Some(Some(start)),
            baseline_period: Some(Some(first.label())),
            owner_id: Some(owner.map(|o| o.0)),
            responsible_unit_id: Some(responsible.map(|u| u.0)),
            data_source: Some("Demogegevens".to_owned()),
            ..IndicatorInput::default()
        };
        let spec = crate::indicators::service::spec_for(&input)?;
        let indicator = state
            .store()
            .create_indicator(&context.meta, context.organisation.id, &spec)
            .await?;
        let mut batch = Vec::new();
        let mut period = first.next();
        let mut step: u64 = 0;
        while period <= last {
            let progress = step as f64 / f64::from(count);
            let season = (std::f64::consts::TAU * (step % per_year as u64) as f64
                / f64::from(per_year))
            .sin();
            let value = start
                + (end - start) * progress
                + swing * season
                + noise * wobble(index as u64 + 1, step);
            batch.push(MeasurementSpec {
                dimension_key: String::new(),
                period,
                value: clamp((value * 10.0).round() / 10.0),
                note: String::new(),
            });
            period = period.next();
            step += 1;
        }
        state
            .store()
            .upsert_measurements(&context.meta, &indicator, &batch, "import")
            .await?;
        let target = TargetSpec {
            day: Period::parse(Frequency::Day, &format!("{}-12-31", today.year() + 1))
                .map_err(|_| Error::Unexpected("demo target".into()))?,
            value: target,
            reason: String::new(),
        };
        state
            .store()
            .add_target(&context.meta, &indicator, &target)
            .await?;
    }
    Ok(())
}

fn previous(period: Period) -> Period {
    let day_before = period.start() - time::Duration::days(1);
    Period::containing(period.frequency(), day_before)
}

async fn load_units(state: &AppState, context: &mut DemoContext) -> Result<()> {
    let organisation = context.organisation.id;
    for (department, teams) in UNITS {
        let name =
            Name::parse(department).map_err(|_| Error::Unexpected("demo unit name".into()))?;
        let parent = state
            .store()
            .create_unit(&context.meta, organisation, &name, None)
            .await?;
        context.units.push(((*department).to_owned(), parent.id));
        for team in *teams {
            let name = Name::parse(team).map_err(|_| Error::Unexpected("demo unit name".into()))?;
            let unit = state
                .store()
                .create_unit(&context.meta, organisation, &name, Some(parent.id))
                .await?;
            context.units.push(((*team).to_owned(), unit.id));
        }
    }
    Ok(())
}

async fn load_people(state: &AppState, context: &DemoContext) -> Result<()> {
    let password = crate::domain::Password::parse(PASSWORD)
        .map_err(|_| Error::Unexpected("demo password".into()))?;
    let hash = crate::auth::password::hash_password(state.settings().hash_cost, &password).await?;
    for role in ROLES {
        let input = crate::users::NewMemberInput {
            email: Some(email_for(role)),
            name: Some(person_for(role).to_owned()),
            role: Some(role.code().to_owned()),
            locale: Some("nl".to_owned()),
        };
        let member = NewMember {
            password_hash: Some(hash.clone()),
            ..NewMember::parse(&input)?
        };
        let added = state
            .store()
            .add_member(&context.meta, context.organisation.id, &member)
            .await?;
        if role == Role::Admin {
            // The demo's admin also shows the installation-wide pages.
            state
                .store()
                .set_platform_admin(&context.meta, added.id, true)
                .await?;
        }
    }
    Ok(())
}
