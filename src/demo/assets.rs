//! Demo data assets, expertise point and strategic assets of Gemeente
//! Voorbeeldstad: fifteen datasets (several with personal data, each with
//! its GDPR basis), four colleagues on the expertise point, and twelve
//! strategic assets linked to the demo ambitions.

use super::DemoContext;
use crate::data_assets::spec::{DataAssetSpec, ExpertiseSpec};
use crate::data_assets::{LegalBasis, Openness, UpdateFrequency};
use crate::domain::{Name, UserId};
use crate::http::AppState;
use crate::strategic_assets::spec::StrategicAssetSpec;
use crate::strategic_assets::{AmbitionLink, AssetKind, Criticality};
use crate::{Error, Result};

use LegalBasis::{LegalObligation, PublicTask};
use Openness::{Closed, Open, Shared};
use UpdateFrequency::{Daily, Monthly, Quarterly, Realtime, Weekly, Yearly};

/// (name, source, personal data basis, completeness, timeliness, openness,
/// frequency, services it serves)
type DemoData = (
    &'static str,
    &'static str,
    Option<LegalBasis>,
    i64,
    i64,
    Openness,
    UpdateFrequency,
    &'static [&'static str],
);

const DATA: &[DemoData] = &[
    (
        "Basisregistratie Personen (BRP)",
        "BRP-koppeling",
        Some(LegalObligation),
        5,
        5,
        Closed,
        Realtime,
        &[
            "Verhuizing doorgeven",
            "Uittreksel BRP",
            "Paspoort en identiteitskaart",
        ],
    ),
    (
        "Basisregistratie Adressen en Gebouwen (BAG)",
        "BAG-beheer",
        None,
        5,
        4,
        Open,
        Daily,
        &["Omgevingsvergunning"],
    ),
    (
        "Zaken van het zaaksysteem",
        "Zaaksysteem",
        Some(PublicTask),
        4,
        5,
        Closed,
        Realtime,
        &[
            "Omgevingsvergunning",
            "Evenementenvergunning",
            "Kapvergunning",
        ],
    ),
    (
        "Klantcontacten KCC",
        "Klantcontactsysteem",
        Some(PublicTask),
        3,
        5,
        Closed,
        Realtime,
        &["Melding openbare ruimte"],
    ),
    (
        "Meldingen openbare ruimte",
        "Meldingenapp",
        Some(PublicTask),
        4,
        5,
        Shared,
        Realtime,
        &["Melding openbare ruimte"],
    ),
    (
        "Uitkeringsadministratie",
        "Sociaal domein-suite",
        Some(LegalObligation),
        5,
        4,
        Closed,
        Daily,
        &[
            "Bijstandsuitkering",
            "Energietoeslag",
            "Individuele inkomenstoeslag",
        ],
    ),
    (
        "Wmo-indicaties",
        "Sociaal domein-suite",
        Some(LegalObligation),
        4,
        3,
        Closed,
        Weekly,
        &["Wmo-maatwerkvoorziening"],
    ),
    (
        "Parkeervergunningen en kentekens",
        "Parkeersysteem",
        Some(PublicTask),
        5,
        5,
        Closed,
        Realtime,
        &["Parkeervergunning bewoners"],
    ),
    (
        "WOZ-waarden",
        "Belastingapplicatie",
        Some(LegalObligation),
        5,
        4,
        Shared,
        Yearly,
        &[
            "Bezwaar WOZ-waarde",
            "Kwijtschelding gemeentelijke belastingen",
        ],
    ),
    (
        "Vulgraad ondergrondse containers",
        "Sensorplatform",
        None,
        3,
        5,
        Open,
        Realtime,
        &["Grofvuil ophalen"],
    ),
    (
        "Wateroverlast-sensoren",
        "Sensorplatform",
        None,
        2,
        5,
        Open,
        Realtime,
        &[],
    ),
    (
        "Staat van het openbaar groen",
        "Beheersysteem openbare ruimte",
        None,
        3,
        2,
        Open,
        Yearly,
        &[],
    ),
    (
        "Websitestatistieken",
        "Webanalyse",
        None,
        4,
        5,
        Shared,
        Daily,
        &[],
    ),
    (
        "Medewerkersgegevens",
        "HR-systeem",
        Some(LegalObligation),
        5,
        4,
        Closed,
        Monthly,
        &[],
    ),
    (
        "Subsidieregister",
        "Financieel systeem",
        Some(PublicTask),
        3,
        3,
        Open,
        Quarterly,
        &["Subsidie verenigingen"],
    ),
];

/// (name, kind, state, gap, (ambition index, criticality) pairs)
type DemoAsset = (
    &'static str,
    AssetKind,
    &'static str,
    &'static str,
    &'static [(usize, Criticality)],
);

const ASSETS: &[DemoAsset] = &[
    (
        "Datateam en expertisepunt",
        AssetKind::PeopleSkills,
        "Drie analisten, één privacy-adviseur.",
        "Geen capaciteit voor het sociaal domein.",
        &[(0, Criticality::Medium), (2, Criticality::High)],
    ),
    (
        "Digitale vaardigheden van baliemedewerkers",
        AssetKind::PeopleSkills,
        "Wisselend; de helft volgde de training.",
        "Inwoners helpen bij DigiD-aanvragen.",
        &[(0, Criticality::High), (1, Criticality::Medium)],
    ),
    (
        "Basisregistraties",
        AssetKind::Data,
        "Op orde en gekoppeld.",
        "Kwaliteit BAG-koppeling met het zaaksysteem.",
        &[(0, Criticality::High), (2, Criticality::Medium)],
    ),
    (
        "Klantcontactgegevens",
        AssetKind::Data,
        "Per kanaal in aparte systemen.",
        "Geen klantbeeld over kanalen heen.",
        &[(1, Criticality::High), (3, Criticality::Low)],
    ),
    (
        "Zaaksysteem",
        AssetKind::Technology,
        "Contract loopt tot 2027.",
        "Statusinformatie voor inwoners ontbreekt.",
        &[(0, Criticality::High), (2, Criticality::High)],
    ),
    (
        "DigiD- en eHerkenning-aansluiting",
        AssetKind::Technology,
        "Aangesloten, niveau substantieel.",
        "",
        &[(0, Criticality::High)],
    ),
    (
        "Mijn Voorbeeldstad (portaal)",
        AssetKind::Technology,
        "In aanbesteding.",
        "Nog geen persoonlijke berichtenbox.",
        &[(0, Criticality::Medium), (3, Criticality::Medium)],
    ),
    (
        "Sensornetwerk openbare ruimte",
        AssetKind::Physical,
        "120 sensoren in het centrum.",
        "Geen dekking in de wijken.",
        &[(3, Criticality::Low)],
    ),
    (
        "Regionale samenwerking Digitaal Samen",
        AssetKind::Partnership,
        "Met vier buurgemeenten.",
        "",
        &[(0, Criticality::Medium), (2, Criticality::Low)],
    ),
    (
        "Common Ground-componenten",
        AssetKind::Technology,
        "Eerste componenten in gebruik.",
        "Koppeling met het zaaksysteem.",
        &[(2, Criticality::Medium)],
    ),
    (
        "Kennis van klantreizen",
        AssetKind::Knowledge,
        "Vijf klantreizen in kaart.",
        "Geen vaste werkwijze.",
        &[(1, Criticality::Medium), (3, Criticality::High)],
    ),
    (
        "Innovatiebudget",
        AssetKind::Knowledge,
        "Jaarlijks vastgesteld.",
        "Geen meerjarige dekking voor opschalen.",
        &[],
    ),
];

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let organisation = context.organisation.id;
    let meta = &context.meta;
    let name = |text: &str| Name::parse(text).map_err(|_| Error::Unexpected("demo asset".into()));
    let services = store.services(organisation).await?;
    let mut members: Vec<(String, UserId)> = store.member_emails(organisation).await?;
    members.sort();
    let steward = |n: usize| members.get(n % members.len().max(1)).map(|(_, id)| *id);
    for (n, (asset, source, basis, completeness, timeliness, openness, frequency, used_by)) in
        DATA.iter().enumerate()
    {
        let spec = DataAssetSpec {
            name: name(asset)?,
            description: String::new(),
            steward_id: steward(n),
            source_system: (*source).to_owned(),
            personal_data: basis.is_some(),
            legal_basis: *basis,
            completeness: *completeness,
            timeliness: *timeliness,
            openness: *openness,
            update_frequency: *frequency,
            service_ids: services
                .iter()
                .filter(|s| used_by.contains(&s.name.as_str()))
                .map(|s| s.id)
                .collect(),
            initiative_ids: Vec::new(),
            indicator_ids: Vec::new(),
        };
        store
            .save_data_asset(meta, organisation, None, &spec)
            .await?;
    }
    let competences = store.competences(organisation).await?;
    let data_literacy: Vec<_> = competences
        .iter()
        .filter(|c| c.code.starts_with('1'))
        .map(|c| c.id)
        .collect();
    for (n, role) in [
        "Data-analist",
        "Privacy-adviseur",
        "Informatiemanager",
        "Datagedreven werken, coach",
    ]
    .iter()
    .enumerate()
    {
        let Some((_, user)) = members.get(n) else {
            break;
        };
        let spec = ExpertiseSpec {
            role: (*role).to_owned(),
            competence_ids: data_literacy.iter().skip(n % 2).take(2).copied().collect(),
        };
        store
            .set_expertise_member(meta, organisation, *user, Some(&spec))
            .await?;
    }
    let ambitions = store.all_ambitions(organisation).await?;
    for (n, (asset, kind, current, gap, links)) in ASSETS.iter().enumerate() {
        let spec = StrategicAssetSpec {
            name: name(asset)?,
            kind: *kind,
            owner_id: steward(n + 3),
            description: String::new(),
            current_state: (*current).to_owned(),
            gap: (*gap).to_owned(),
            ambitions: links
                .iter()
                .filter_map(|(index, criticality)| {
                    ambitions.get(*index).map(|(id, ..)| AmbitionLink {
                        ambition_id: *id,
                        criticality: *criticality,
                    })
                })
                .collect(),
        };
        store
            .save_strategic_asset(meta, organisation, None, &spec)
            .await?;
    }
    Ok(())
}
