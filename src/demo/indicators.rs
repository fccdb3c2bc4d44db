//! A dozen customer-centric indicators for Gemeente Voorbeeldstad with
//! three years of plausible monthly or quarterly history: a trend, a
//! seasonal swing and deterministic noise, so every demo looks the same.
//! Two are computed by a formula (the web-form success ratio and the
//! digital share of applications, over a channel breakdown).

use std::collections::BTreeMap;

use super::{DemoContext, email_for};
use crate::domain::{Direction, Email, Frequency, Period, Role, ValueUnit};
use crate::http::AppState;
use crate::indicators::{Dimension, Indicator, IndicatorInput, MeasurementSpec, TargetSpec};
use crate::{Error, Result};

/// A value over time: from `start` to `end` in three years, a seasonal
/// `swing` (peaking in spring) and `noise` either way.
#[derive(Clone, Copy)]
struct Trend {
    start: f64,
    end: f64,
    swing: f64,
    noise: f64,
}

impl Trend {
    fn at(self, seed: u64, step: u64, steps: u64, per_year: u64) -> f64 {
        let progress = step as f64 / steps as f64;
        let season = (std::f64::consts::TAU * (step % per_year) as f64 / per_year as f64).sin();
        self.start
            + (self.end - self.start) * progress
            + self.swing * season
            + self.noise * wobble(seed, step)
    }
}

enum Values {
    /// Recorded values following a trend.
    Recorded(Trend),
    /// A recorded count that is a share (in %) of another demo count.
    ShareOf(&'static str, Trend),
    /// A recorded count with a channel breakdown whose online share (in %)
    /// follows the trend; the rest goes 60/40 to phone and counter.
    WithChannels(Trend, Trend),
    /// Computed by Koers from other indicators.
    Formula(&'static str),
}

struct Demo {
    code: &'static str,
    name: &'static str,
    description: &'static str,
    perspective: &'static str,
    unit: ValueUnit,
    direction: Direction,
    frequency: Frequency,
    values: Values,
    target: Option<f64>,
    owner: Role,
    responsible: &'static str,
    source: &'static str,
    published: bool,
}

const CHANNELS: [&str; 3] = ["online", "telefoon", "balie"];

const fn trend(start: f64, end: f64, swing: f64, noise: f64) -> Trend {
    Trend {
        start,
        end,
        swing,
        noise,
    }
}

const DEMO: &[Demo] = &[
    Demo {
        code: "WEB-GESTART",
        name: "Gestarte webformulieren",
        description: "Aantal keer dat iemand een digitaal formulier op de website begon.",
        perspective: "resident",
        unit: ValueUnit::Count,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Recorded(trend(2400.0, 3100.0, 180.0, 90.0)),
        target: None,
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Formulierenplatform, maandrapport",
        published: false,
    },
    Demo {
        code: "WEB-AFGEROND",
        name: "Afgeronde webformulieren",
        description: "Aantal digitale formulieren dat tot en met verzenden is ingevuld.",
        perspective: "resident",
        unit: ValueUnit::Count,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::ShareOf("WEB-GESTART", trend(58.0, 72.0, 1.5, 1.2)),
        target: None,
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Formulierenplatform, maandrapport",
        published: false,
    },
    Demo {
        code: "WEB-SUCCES",
        name: "Succesratio webformulieren (afgerond / gestart)",
        description: "Welk deel van de gestarte formulieren wordt ook verzonden: een maat voor hoe begrijpelijk onze formulieren zijn.",
        perspective: "resident",
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Formula("WEB-AFGEROND / WEB-GESTART * 100"),
        target: Some(80.0),
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Berekend uit het formulierenplatform",
        published: true,
    },
    Demo {
        code: "KCC-FCR",
        name: "Vragen in één keer opgelost door het klantcontactcentrum",
        description: "Aandeel van de vragen aan het klantcontactcentrum dat zonder terugbellen of doorverwijzen is beantwoord.",
        perspective: "resident",
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Recorded(trend(68.0, 76.0, 2.0, 1.5)),
        target: Some(80.0),
        owner: Role::UnitLead,
        responsible: "Klantcontactcentrum",
        source: "Klantvolgsysteem KCC",
        published: false,
    },
    Demo {
        code: "KCC-30S",
        name: "Telefoon binnen 30 seconden opgenomen",
        description: "Aandeel van de inkomende gesprekken op 14 0xx dat binnen 30 seconden wordt aangenomen.",
        perspective: "resident",
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Recorded(trend(64.0, 70.0, 4.0, 2.0)),
        target: Some(80.0),
        owner: Role::UnitLead,
        responsible: "Klantcontactcentrum",
        source: "Telefooncentrale, wachtrijrapport",
        published: true,
    },
    Demo {
        code: "WMO-TERMIJN",
        name: "Wmo-besluiten binnen de wettelijke termijn",
        description: "Aandeel van de beschikkingen maatschappelijke ondersteuning dat binnen de wettelijke termijn van acht weken is genomen.",
        perspective: "resident",
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Recorded(trend(81.0, 90.0, 2.0, 1.8)),
        target: Some(95.0),
        owner: Role::ProgrammeLead,
        responsible: "Jeugd en Wmo",
        source: "Zaaksysteem sociaal domein",
        published: true,
    },
    Demo {
        code: "OMGV-DOORLOOP",
        name: "Gemiddelde doorlooptijd omgevingsvergunning",
        description: "Gemiddeld aantal kalenderdagen van aanvraag tot besluit bij een reguliere omgevingsvergunning.",
        perspective: "business",
        unit: ValueUnit::Days,
        direction: Direction::LowerIsBetter,
        frequency: Frequency::Month,
        values: Values::Recorded(trend(62.0, 46.0, 3.0, 2.5)),
        target: Some(40.0),
        owner: Role::ProgrammeLead,
        responsible: "Vergunningen en Handhaving",
        source: "Zaaksysteem vergunningen",
        published: true,
    },
    Demo {
        code: "AANVRAGEN",
        name: "Aanvragen bij de gemeente, per kanaal",
        description: "Alle aanvragen van inwoners en ondernemers, uitgesplitst naar online, telefoon en balie.",
        perspective: "resident",
        unit: ValueUnit::Count,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::WithChannels(
            trend(4100.0, 4300.0, 350.0, 120.0),
            trend(45.0, 67.0, 1.5, 1.5),
        ),
        target: None,
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Zaaksysteem, kanaalregistratie",
        published: false,
    },
    Demo {
        code: "DIGI-AANDEEL",
        name: "Aanvragen digitaal ingediend",
        description: "Aandeel van de aanvragen dat online binnenkomt.",
        perspective: "resident",
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Month,
        values: Values::Formula("AANVRAGEN[kanaal=online] / AANVRAGEN * 100"),
        target: Some(75.0),
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Berekend uit de kanaalregistratie",
        published: true,
    },
    Demo {
        code: "KOSTEN-AANVRAAG",
        name: "Kosten per afgehandelde aanvraag",
        description: "Loonkosten en licenties van de afhandeling gedeeld door het aantal afgehandelde aanvragen.",
        perspective: "organisation",
        unit: ValueUnit::Euro,
        direction: Direction::LowerIsBetter,
        frequency: Frequency::Quarter,
        values: Values::Recorded(trend(38.0, 31.5, 0.8, 0.7)),
        target: Some(28.0),
        owner: Role::Executive,
        responsible: "Financiën",
        source: "Financiële administratie en zaaksysteem",
        published: false,
    },
    Demo {
        code: "INW-TEVREDEN",
        name: "Tevredenheid inwoners over digitale dienstverlening (1–10)",
        description: "Gemiddeld rapportcijfer in de doorlopende klanttevredenheidsmeting na een digitaal contact.",
        perspective: "resident",
        unit: ValueUnit::Score,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Quarter,
        values: Values::Recorded(trend(6.6, 7.2, 0.1, 0.1)),
        target: Some(7.5),
        owner: Role::ProgrammeLead,
        responsible: "Dienstverlening",
        source: "Klanttevredenheidsonderzoek (KTO)",
        published: true,
    },
    Demo {
        code: "MDW-ICT",
        name: "Tevredenheid medewerkers over ICT-voorzieningen (1–10)",
        description: "Gemiddeld rapportcijfer van medewerkers voor werkplek, applicaties en ondersteuning.",
        perspective: "employee",
        unit: ValueUnit::Score,
        direction: Direction::HigherIsBetter,
        frequency: Frequency::Quarter,
        values: Values::Recorded(trend(6.1, 6.8, 0.1, 0.15)),
        target: Some(7.5),
        owner: Role::Admin,
        responsible: "Informatievoorziening en ICT",
        source: "Medewerkersonderzoek",
        published: false,
    },
];

/// Deterministic noise in [-1, 1] (splitmix64), so every demo is the same.
pub(super) fn wobble(seed: u64, step: u64) -> f64 {
    let mut z = seed.wrapping_add(step.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn previous(period: Period) -> Period {
    let day_before = period.start() - time::Duration::days(1);
    Period::containing(period.frequency(), day_before)
}

fn round(value: f64, unit: ValueUnit) -> f64 {
    let value = match unit {
        ValueUnit::Count => value.round(),
        _ => (value * 10.0).round() / 10.0,
    };
    let (low, high) = unit.natural_bounds();
    let value = low.map_or(value, |l| value.max(l));
    let value = high.map_or(value, |h| value.min(h));
    if unit == ValueUnit::Score {
        value.clamp(1.0, 10.0)
    } else {
        value
    }
}

fn spec(period: Period, key: &str, value: f64) -> MeasurementSpec {
    MeasurementSpec {
        period,
        dimension_key: key.to_owned(),
        value,
        note: String::new(),
    }
}

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let today = state.clock().now().date();
    // Recorded totals by code and period, for shares of other counts.
    let mut totals: BTreeMap<&str, Vec<(Period, f64)>> = BTreeMap::new();
    for (index, demo) in DEMO.iter().enumerate() {
        let seed = index as u64 + 1;
        let last = Period::containing(demo.frequency, today);
        let per_year: u64 = if demo.frequency == Frequency::Quarter {
            4
        } else {
            12
        };
        let steps = 3 * per_year;
        let mut first = last;
        for _ in 0..steps {
            first = previous(first);
        }
        let periods: Vec<Period> = std::iter::successors(Some(first.next()), |p| Some(p.next()))
            .take_while(|p| *p <= last)
            .collect();
        let value_at = |trend: Trend, step: usize| trend.at(seed, step as u64, steps, per_year);

        let mut batch = Vec::new();
        let mut baseline = None;
        match demo.values {
            Values::Recorded(trend) => {
                for (step, period) in periods.iter().enumerate() {
                    batch.push(spec(*period, "", round(value_at(trend, step), demo.unit)));
                }
                baseline = Some(round(trend.start, demo.unit));
            }
            Values::ShareOf(base, share) => {
                let base_values = totals.get(base).cloned().unwrap_or_default();
                for (step, (period, total)) in base_values.iter().enumerate() {
                    let part = total * value_at(share, step) / 100.0;
                    batch.push(spec(*period, "", round(part, demo.unit)));
                }
            }
            Values::WithChannels(total_trend, online_trend) => {
                for (step, period) in periods.iter().enumerate() {
                    let total = round(value_at(total_trend, step), demo.unit);
                    let online = round(total * value_at(online_trend, step) / 100.0, demo.unit);
                    let phone = round((total - online) * 0.6, demo.unit);
                    let counter = total - online - phone;
                    batch.push(spec(*period, "", total));
                    for (channel, value) in CHANNELS.iter().zip([online, phone, counter]) {
                        batch.push(spec(*period, &format!("kanaal={channel}"), value));
                    }
                }
            }
            Values::Formula(_) => {}
        }
        totals.insert(
            demo.code,
            batch
                .iter()
                .filter(|m| m.dimension_key.is_empty())
                .map(|m| (m.period, m.value))
                .collect(),
        );
        let indicator = define(state, context, demo, first, baseline).await?;
        if !batch.is_empty() {
            state
                .store()
                .upsert_measurements(&context.meta, &indicator, &batch, "import")
                .await?;
        }
        if let Some(value) = demo.target {
            let day = Period::parse(Frequency::Day, &format!("{}-12-31", today.year() + 1))
                .map_err(|_| Error::Unexpected("demo target".into()))?;
            let target = TargetSpec {
                day,
                value,
                reason: String::new(),
            };
            state
                .store()
                .add_target(&context.meta, &indicator, &target)
                .await?;
        }
    }
    Ok(())
}

async fn define(
    state: &AppState,
    context: &DemoContext,
    demo: &Demo,
    first: Period,
    baseline: Option<f64>,
) -> Result<Indicator> {
    let owner = state
        .store()
        .user_id_by_email(
            &Email::parse(&email_for(demo.owner))
                .map_err(|_| Error::Unexpected("demo email".into()))?,
        )
        .await?;
    let responsible = context
        .units
        .iter()
        .find(|(n, _)| n == demo.responsible)
        .map(|(_, id)| id.0);
    let scored = demo.unit == ValueUnit::Score;
    let input = IndicatorInput {
        code: Some(demo.code.to_owned()),
        name: Some(demo.name.to_owned()),
        description: Some(demo.description.to_owned()),
        perspective: Some(demo.perspective.to_owned()),
        unit: Some(demo.unit.code().to_owned()),
        min_value: Some(scored.then_some(1.0)),
        max_value: Some(scored.then_some(10.0)),
        direction: Some(demo.direction.code().to_owned()),
        frequency: Some(demo.frequency.code().to_owned()),
        baseline_value: Some(baseline),
        baseline_period: Some(baseline.map(|_| first.label())),
        owner_id: Some(owner.map(|o| o.0)),
        responsible_unit_id: Some(responsible),
        data_source: Some(demo.source.to_owned()),
        published: Some(demo.published),
        dimensions: Some(match demo.values {
            Values::WithChannels(..) => vec![Dimension {
                name: "kanaal".to_owned(),
                values: CHANNELS.iter().map(|c| (*c).to_owned()).collect(),
            }],
            _ => Vec::new(),
        }),
        formula: Some(match demo.values {
            Values::Formula(text) => Some(text.to_owned()),
            _ => None,
        }),
        ..IndicatorInput::default()
    };
    let spec = crate::indicators::service::spec_for(&input)?;
    state
        .store()
        .create_indicator(&context.meta, context.organisation.id, &spec)
        .await
}
