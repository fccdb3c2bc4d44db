//! Demo portfolio: fifteen initiatives of Gemeente Voorbeeldstad across all
//! stages, each moved there by gate decisions of the steering committee,
//! with partners and a future lab that hosts two of them.

use time::Duration;

use super::DemoContext;
use crate::domain::LabId;
use crate::domain::{Frequency, Period};
use crate::http::AppState;
use crate::portfolio::partners::{
    Contribution, LabSpec, MemberSpec, Partner, PartnerKind, PartnerSpec,
};
use crate::portfolio::spec::{GateSpec, InitiativeSpec};
use crate::portfolio::{
    EffectDirection, Evidence, GateOutcome, IndicatorLink, InitiativeKind, Stage,
};
use crate::{Error, Result};

struct DemoInitiative {
    title: &'static str,
    kind: InitiativeKind,
    problem: &'static str,
    hypothesis: &'static str,
    goals: &'static [&'static str],
    technologies: &'static [&'static str],
    stage: Stage,
    /// (indicator code, direction, expected size)
    effects: &'static [(&'static str, EffectDirection, f64)],
    ambition: usize,
    /// What was learned, for stopped ones.
    learning: &'static str,
}

const UP: EffectDirection = EffectDirection::Increase;
const DOWN: EffectDirection = EffectDirection::Decrease;

const DEMO: &[DemoInitiative] = &[
    DemoInitiative {
        title: "Energietoeslag automatisch toekennen",
        kind: InitiativeKind::ServiceImprovement,
        problem: "Huishoudens met recht op de energietoeslag vragen die niet aan.",
        hypothesis: "Met gegevens die de gemeente al heeft, kan de toeslag zonder aanvraag worden toegekend.",
        goals: &[
            "Bereiken we meer rechthebbenden?",
            "Blijft het aantal bezwaren laag?",
        ],
        technologies: &["process_automation", "open_data"],
        stage: Stage::InOperation,
        effects: &[("KOSTEN-AANVRAAG", DOWN, 4.0)],
        ambition: 0,
        learning: "",
    },
    DemoInitiative {
        title: "Parkeervergunning als digitale pas",
        kind: InitiativeKind::Experiment,
        problem: "Bewoners wachten dagen op een papieren vergunning.",
        hypothesis: "Een digitale pas in de app maakt de vergunning direct bruikbaar.",
        goals: &[
            "Gebruiken bewoners de digitale pas?",
            "Kan handhaving de pas scannen?",
        ],
        technologies: &["platforms"],
        stage: Stage::Pilot,
        effects: &[("WEB-SUCCES", UP, 5.0)],
        ambition: 0,
        learning: "",
    },
    DemoInitiative {
        title: "Vulgraadsensoren in ondergrondse afvalcontainers",
        kind: InitiativeKind::Experiment,
        problem: "Containers worden op vaste dagen geleegd, vol of niet.",
        hypothesis: "Legen op vulgraad bespaart ritten en voorkomt bijplaatsingen.",
        goals: &[
            "Hoeveel ritten besparen we?",
            "Dalen de meldingen over volle containers?",
        ],
        technologies: &["sensors_iot"],
        stage: Stage::Scaling,
        effects: &[],
        ambition: 3,
        learning: "",
    },
    DemoInitiative {
        title: "Satellietbeelden voor de staat van het openbaar groen",
        kind: InitiativeKind::Experiment,
        problem: "Inspecties van bomen en plantsoenen kosten veel tijd.",
        hypothesis: "Satellietbeelden tonen droogte en ziekte eerder dan een inspectieronde.",
        goals: &[
            "Ziet het beeld wat de inspecteur ziet?",
            "Hoe vaak is een beeld bruikbaar?",
        ],
        technologies: &["satellite_imagery", "ai"],
        stage: Stage::Experiment,
        effects: &[],
        ambition: 3,
        learning: "",
    },
    DemoInitiative {
        title: "Chatassistent bij het klantcontactcentrum",
        kind: InitiativeKind::Experiment,
        problem: "Veel telefoontjes gaan over eenvoudige vragen.",
        hypothesis: "Een chatassistent beantwoordt eenvoudige vragen direct, zodat medewerkers tijd hebben voor lastige.",
        goals: &[
            "Welk deel van de vragen lost de assistent op?",
            "Vinden inwoners het antwoord betrouwbaar?",
        ],
        technologies: &["ai"],
        stage: Stage::Pilot,
        effects: &[("KCC-FCR", UP, 3.0), ("KCC-30S", UP, 5.0)],
        ambition: 1,
        learning: "",
    },
    DemoInitiative {
        title: "Terugbelafspraak in piekuren",
        kind: InitiativeKind::ServiceImprovement,
        problem: "In piekuren wachten bellers lang.",
        hypothesis: "Een terugbelafspraak spreidt de drukte.",
        goals: &["Kiezen bellers voor terugbellen?"],
        technologies: &["platforms"],
        stage: Stage::InOperation,
        effects: &[("KCC-30S", UP, 8.0)],
        ambition: 1,
        learning: "",
    },
    DemoInitiative {
        title: "Telefoondata voor drukte in het centrum",
        kind: InitiativeKind::Experiment,
        problem: "Evenementen en markten zorgen voor onverwachte drukte.",
        hypothesis: "Geanonimiseerde telefoondata voorspellen drukte een dag vooruit.",
        goals: &[
            "Is de voorspelling goed genoeg?",
            "Past het binnen de privacyregels?",
        ],
        technologies: &["phone_data"],
        stage: Stage::Exploration,
        effects: &[],
        ambition: 3,
        learning: "",
    },
    DemoInitiative {
        title: "Wmo-aanvraag digitaal starten",
        kind: InitiativeKind::Project,
        problem: "Aanvragen komen onvolledig binnen en vertragen het besluit.",
        hypothesis: "Een digitaal formulier met vragen op maat levert volledige aanvragen op.",
        goals: &["Komen aanvragen vaker volledig binnen?"],
        technologies: &["process_automation"],
        stage: Stage::Experiment,
        effects: &[("WMO-TERMIJN", UP, 6.0)],
        ambition: 2,
        learning: "",
    },
    DemoInitiative {
        title: "Vooroverleg-check voor omgevingsvergunningen",
        kind: InitiativeKind::Experiment,
        problem: "Aanvragen moeten vaak worden aangevuld.",
        hypothesis: "Een check vooraf op de bekende gebreken verkort de doorlooptijd.",
        goals: &["Welke gebreken herkent de check?"],
        technologies: &["ai"],
        stage: Stage::Exploration,
        effects: &[("OMGV-DOORLOOP", DOWN, 5.0)],
        ambition: 2,
        learning: "",
    },
    DemoInitiative {
        title: "Buurtdashboard met open data",
        kind: InitiativeKind::Project,
        problem: "Bewoners vinden cijfers over hun buurt niet.",
        hypothesis: "Een buurtdashboard vergroot betrokkenheid bij buurtplannen.",
        goals: &["Welke cijfers zoeken bewoners?"],
        technologies: &["open_data"],
        stage: Stage::Idea,
        effects: &[],
        ambition: 3,
        learning: "",
    },
    DemoInitiative {
        title: "Digitale balie met videobellen",
        kind: InitiativeKind::Experiment,
        problem: "Niet iedereen kan naar het gemeentehuis komen.",
        hypothesis: "Videobellen vervangt een deel van de baliebezoeken.",
        goals: &["Hoeveel inwoners kiezen voor videobellen?"],
        technologies: &["platforms"],
        stage: Stage::Stopped,
        effects: &[("INW-TEVREDEN", UP, 0.3)],
        ambition: 1,
        learning: "Weinig inwoners kozen voor video; wie niet kan komen, wil vooral een huisbezoek. Dat nemen we mee in de dienstverlening aan huis.",
    },
    DemoInitiative {
        title: "Verhuisaangiften automatisch verwerken",
        kind: InitiativeKind::Project,
        problem: "Eenvoudige verhuizingen worden met de hand gecontroleerd.",
        hypothesis: "Regels vangen de eenvoudige gevallen af; medewerkers doen de rest.",
        goals: &[
            "Welk deel gaat zonder handwerk?",
            "Blijft de kwaliteit gelijk?",
        ],
        technologies: &["process_automation"],
        stage: Stage::Scaling,
        effects: &[("KOSTEN-AANVRAAG", DOWN, 2.0)],
        ambition: 0,
        learning: "",
    },
    DemoInitiative {
        title: "Sensoren voor wateroverlast in straten",
        kind: InitiativeKind::Experiment,
        problem: "Bij hevige buien lopen straten onder voordat iemand het meldt.",
        hypothesis: "Sensoren in de riolering waarschuwen op tijd, samen met het waterschap.",
        goals: &[
            "Waarschuwen de sensoren op tijd?",
            "Werkt de samenwerking met het waterschap?",
        ],
        technologies: &["sensors_iot", "open_data"],
        stage: Stage::Pilot,
        effects: &[],
        ambition: 3,
        learning: "",
    },
    DemoInitiative {
        title: "Klantreis van webformulieren in kaart",
        kind: InitiativeKind::Intervention,
        problem: "We weten niet waar inwoners afhaken.",
        hypothesis: "Meten per stap laat zien welke vragen het afhaken veroorzaken.",
        goals: &["Waar haken inwoners af?"],
        technologies: &["open_data"],
        stage: Stage::Idea,
        effects: &[("WEB-SUCCES", UP, 3.0)],
        ambition: 0,
        learning: "",
    },
    DemoInitiative {
        title: "AI-samenvattingen van bezwaarschriften",
        kind: InitiativeKind::Experiment,
        problem: "Behandelaars lezen lange bezwaarschriften volledig door.",
        hypothesis: "Een samenvatting vooraf bespaart leestijd.",
        goals: &[
            "Zijn de samenvattingen juist?",
            "Mag dit binnen de AVG en de AI-verordening?",
        ],
        technologies: &["ai"],
        stage: Stage::Stopped,
        effects: &[],
        ambition: 2,
        learning: "De samenvattingen misten te vaak het juridisch relevante punt; een mens moet alles toch lezen. Het risico op onjuiste besluiten weegt zwaarder dan de tijdwinst.",
    },
];

fn label(day: time::Date) -> String {
    Period::containing(Frequency::Day, day).label()
}

/// The gate outcomes that lead from an idea to `target`.
fn path_to(target: Stage) -> Vec<(GateOutcome, Stage)> {
    let mut steps = Vec::new();
    let mut at = Stage::Idea;
    let stop_after = if target == Stage::Stopped {
        Some(Stage::Experiment)
    } else {
        None
    };
    let goal = stop_after.unwrap_or(target);
    while at != goal {
        let (outcome, next) = if at.targets(GateOutcome::Continue).is_empty() {
            (GateOutcome::Scale, at.targets(GateOutcome::Scale))
        } else {
            (GateOutcome::Continue, at.targets(GateOutcome::Continue))
        };
        let Some(next) = next.first().copied() else {
            break;
        };
        steps.push((outcome, next));
        at = next;
    }
    if stop_after.is_some() {
        steps.push((GateOutcome::Stop, Stage::Stopped));
    }
    steps
}

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let today = state.clock().now().date();
    let indicators = store.all_indicators(organisation).await?;
    let ambitions = store.all_ambitions(organisation).await?;
    let committee = store
        .body_names(organisation)
        .await?
        .into_iter()
        .find(|(_, name)| name.starts_with("Stuurgroep"));
    let dutch = crate::i18n::Tr::new(crate::domain::Locale::Nl);
    let (lab, partners) = load_lab(state, context).await?;
    let mut saved = Vec::new();
    for (index, demo) in DEMO.iter().enumerate() {
        let spec = InitiativeSpec {
            kind: demo.kind,
            title: crate::domain::Name::parse(demo.title)
                .map_err(|_| Error::Unexpected("demo title".into()))?,
            problem: demo.problem.into(),
            hypothesis: demo.hypothesis.into(),
            learning_goals: demo.goals.iter().map(|g| (*g).to_owned()).collect(),
            technologies: demo.technologies.iter().map(|t| (*t).to_owned()).collect(),
            owner_id: None,
            unit_id: None,
            go_live_on: matches!(demo.stage, Stage::InOperation | Stage::Scaling).then(|| {
                Period::containing(
                    Frequency::Day,
                    today - Duration::days(90 + 30 * index as i64),
                )
                .day_number()
            }),
            cost_estimate: None,
            ambition_ids: ambitions
                .get(demo.ambition)
                .map(|(a, ..)| *a)
                .into_iter()
                .collect(),
            indicators: demo
                .effects
                .iter()
                .filter_map(|(code, direction, size)| {
                    let indicator = indicators.iter().find(|i| i.code == *code)?;
                    Some(IndicatorLink {
                        indicator_id: indicator.id,
                        direction: *direction,
                        expected_size: Some(*size),
                        control_indicator_id: None,
                    })
                })
                .collect(),
            lab_id: LAB_HOSTS.contains(&demo.title).then_some(lab),
            intervention: None,
            from_idea: None,
            expected_version: None,
        };
        let mut initiative = store
            .save_initiative(meta, organisation, None, &spec)
            .await?;
        let steps = path_to(demo.stage);
        let count = steps.len() as i64;
        for (step, (outcome, to)) in steps.into_iter().enumerate() {
            // Spread the decisions over the past year, the last a few weeks ago.
            let days_ago = 20 + (count - step as i64) * 60 + index as i64;
            let decided = label(today - Duration::days(days_ago));
            let gate = GateSpec {
                from_stage: initiative.stage,
                to_stage: to,
                outcome,
                evidence: demo
                    .goals
                    .iter()
                    .map(|goal| Evidence {
                        goal: (*goal).to_owned(),
                        evidence: format!(
                            "Uitkomst van de fase {}: zie het verslag van de stuurgroep.",
                            dutch.get(initiative.stage.label_key()).to_lowercase()
                        ),
                    })
                    .collect(),
                criteria: "Doorgaan als de leerdoelen positief zijn beantwoord; stoppen als de kosten niet opwegen tegen het effect."
                    .into(),
                body_id: committee.as_ref().map(|(id, _)| *id),
                decided_by: committee
                    .as_ref()
                    .map_or_else(|| "Programmamanager".to_owned(), |(_, name)| name.clone()),
                decided_on: Period::parse(Frequency::Day, &decided)
                    .map_err(|_| Error::Unexpected("demo date".into()))?
                    .day_number(),
                learning: if outcome == GateOutcome::Stop {
                    demo.learning.into()
                } else {
                    String::new()
                },
                expected_version: None,
            };
            store.record_gate(meta, &initiative, &gate).await?;
            initiative.stage = to;
            initiative.version += 1;
        }
        load_money(state, context, &initiative, index).await?;
        saved.push(initiative);
    }
    for (title, partner, role) in ROLES {
        let initiative = saved.iter().find(|i| i.title == *title);
        let partner = partners.iter().find(|p| p.name == *partner);
        if let (Some(initiative), Some(partner)) = (initiative, partner) {
            store
                .set_partner_role(meta, initiative.id, partner, role)
                .await?;
        }
    }
    Ok(())
}

/// The initiatives the future lab hosts.
const LAB_HOSTS: [&str; 2] = [
    "Sensoren voor wateroverlast in straten",
    "Satellietbeelden voor de staat van het openbaar groen",
];

/// (name, kind, lab contributions with what they mean; empty when the
/// partner is not in the lab)
type DemoPartner = (
    &'static str,
    PartnerKind,
    &'static [Contribution],
    &'static str,
);

const PARTNERS: [DemoPartner; 5] = [
    (
        "Waterschap De Stroom",
        PartnerKind::Government,
        &[Contribution::Money, Contribution::Data],
        "Peilmetingen en rioolgegevens, en € 40.000 per jaar",
    ),
    (
        "Universiteit Voorbeeldstad",
        PartnerKind::KnowledgeInstitution,
        &[Contribution::People, Contribution::Facilities],
        "Twee promovendi en het rekencentrum voor de beeldanalyse",
    ),
    (
        "SensorWerk B.V.",
        PartnerKind::Company,
        &[Contribution::People, Contribution::Facilities],
        "Sensoren in bruikleen en een monteur, twee dagen per week",
    ),
    (
        "Afvalbedrijf Regio Voorbeeldstad",
        PartnerKind::Company,
        &[],
        "",
    ),
    (
        "Stichting Digitaal Samen",
        PartnerKind::CivilSociety,
        &[],
        "",
    ),
];

/// (initiative, partner, role)
const ROLES: [(&str, &str, &str); 6] = [
    (
        "Sensoren voor wateroverlast in straten",
        "Waterschap De Stroom",
        "Levert meetgegevens en beoordeelt de alarmering",
    ),
    (
        "Sensoren voor wateroverlast in straten",
        "SensorWerk B.V.",
        "Plaatst en onderhoudt de sensoren",
    ),
    (
        "Satellietbeelden voor de staat van het openbaar groen",
        "Universiteit Voorbeeldstad",
        "Ontwikkelt en toetst de beeldanalyse",
    ),
    (
        "Vulgraadsensoren in ondergrondse afvalcontainers",
        "Afvalbedrijf Regio Voorbeeldstad",
        "Past de inzamelroutes aan op de vulgraad",
    ),
    (
        "Chatassistent bij het klantcontactcentrum",
        "Universiteit Voorbeeldstad",
        "Evalueert de antwoorden onafhankelijk",
    ),
    (
        "Wmo-aanvraag digitaal starten",
        "Stichting Digitaal Samen",
        "Test het formulier met inwoners die minder digitaal vaardig zijn",
    ),
];

/// A future lab with a water board, a university and a company, and the
/// partners that work on single initiatives.
async fn load_lab(state: &AppState, context: &DemoContext) -> Result<(LabId, Vec<Partner>)> {
    let store = state.store();
    let meta = &context.meta;
    let organisation = context.organisation.id;
    let name = |text: &str| {
        crate::domain::Name::parse(text).map_err(|_| Error::Unexpected("demo name".into()))
    };
    let lab = store
        .save_lab(
            meta,
            organisation,
            None,
            &LabSpec {
                name: name("Toekomstlab Water en Klimaat")?,
                theme: "Klimaatadaptatie".into(),
                description: "Gemeente, waterschap, universiteit en bedrijfsleven experimenteren samen met sensoren en satellietbeelden om wateroverlast en hittestress eerder te zien.\nElk lid brengt in wat het het best kan; de gemeente biedt de straten en het groen als proefomgeving.".into(),
            },
        )
        .await?;
    let mut partners = Vec::new();
    for (partner_name, kind, contributions, description) in PARTNERS {
        let partner = store
            .save_partner(
                meta,
                organisation,
                None,
                &PartnerSpec {
                    name: name(partner_name)?,
                    kind,
                },
            )
            .await?;
        if !contributions.is_empty() {
            let spec = MemberSpec {
                contributions: contributions.to_vec(),
                description: description.into(),
            };
            store.set_lab_member(meta, &lab, &partner, &spec).await?;
        }
        partners.push(partner);
    }
    Ok((lab.id, partners))
}

/// Funding from all three sources and some spend, by how far an initiative
/// has come: innovation money once it is explored, co-financing for a few,
/// operating budget once it is in operation.
async fn load_money(
    state: &AppState,
    context: &DemoContext,
    initiative: &crate::portfolio::Initiative,
    index: usize,
) -> Result<()> {
    use crate::portfolio::funding::{FundingInput, FundingSource, FundingStatus, SpendInput};
    let store = state.store();
    let meta = &context.meta;
    let today = state.clock().now().date();
    let year = i64::from(today.year());
    let today_day = Period::containing(Frequency::Day, today).day_number();
    if initiative.stage == Stage::Idea {
        return Ok(());
    }
    let mut lines = vec![FundingInput {
        source: Some(FundingSource::InnovationBudget),
        year: Some(year),
        amount: Some(format!("{}", 20_000 + 5_000 * index)),
        note: Some("Innovatiefonds".into()),
        ..FundingInput::default()
    }];
    match initiative.title.as_str() {
        "Sensoren voor wateroverlast in straten" => lines.push(FundingInput {
            source: Some(FundingSource::ExternalCofinancing),
            funder: Some("Europese Unie".into()),
            scheme: Some("EFRO".into()),
            status: Some(FundingStatus::Granted),
            year: Some(year),
            amount: Some("180000".into()),
            note: Some("Samen met het waterschap".into()),
        }),
        "Satellietbeelden voor de staat van het openbaar groen" => lines.push(FundingInput {
            source: Some(FundingSource::ExternalCofinancing),
            funder: Some("Rijk".into()),
            scheme: Some("Regeling digitale innovatie".into()),
            status: Some(FundingStatus::Applied),
            year: Some(year + 1),
            amount: Some("60000".into()),
            note: None,
        }),
        _ => {}
    }
    if initiative.stage == Stage::InOperation {
        lines.push(FundingInput {
            source: Some(FundingSource::OperatingBudget),
            year: Some(year),
            amount: Some("35000".into()),
            note: Some("Beheer en licenties".into()),
            ..FundingInput::default()
        });
    }
    for input in &lines {
        let spec = crate::portfolio::funding::funding_spec(input)?;
        store.add_funding_line(meta, initiative, &spec).await?;
    }
    let spend = SpendInput {
        spent_on: Some(label(today - Duration::days(30 + index as i64))),
        amount: Some(format!("{},50", 4_000 + 1_250 * index)),
        source: Some(FundingSource::InnovationBudget),
        description: Some("Inhuur en materiaal".into()),
    };
    let spec = crate::portfolio::funding::spend_spec(&spend, today_day)?;
    store.add_spend(meta, initiative, &spec).await?;
    Ok(())
}
