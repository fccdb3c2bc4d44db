//! Demo services: thirty products of Gemeente Voorbeeldstad at realistic
//! maturity levels (most requests online with DigiD, a few still on paper,
//! two proactive), eight of them with eighteen months of volumes per
//! channel showing the shift to online, and links to the demo indicators
//! and initiatives.

use std::collections::BTreeMap;

use super::DemoContext;
use crate::domain::{Frequency, IndicatorId, InitiativeId, Name, Period};
use crate::http::AppState;
use crate::indicators::MeasurementSpec;
use crate::services::spec::ServiceSpec;
use crate::services::{CHANNEL_DIMENSION, Channel, TargetGroup};
use crate::{Error, Result};

use Channel::{App, Counter, Online, Phone, Post};
use TargetGroup::{Businesses, Institutions, Residents};

/// A demo service's volumes: requests a month, and the share online at
/// the start and the end of the eighteen months.
type Volumes = Option<(f64, f64, f64)>;

struct DemoService {
    name: &'static str,
    unit: &'static str,
    groups: &'static [TargetGroup],
    legal_basis: &'static str,
    lead_time: Option<i64>,
    channels: &'static [Channel],
    maturity: i64,
    automation: &'static str,
    indicators: &'static [&'static str],
    initiative: Option<&'static str>,
    volumes: Volumes,
}

const fn s(
    name: &'static str,
    unit: &'static str,
    groups: &'static [TargetGroup],
    legal_basis: &'static str,
    lead_time: Option<i64>,
    channels: &'static [Channel],
    maturity: i64,
) -> DemoService {
    DemoService {
        name,
        unit,
        groups,
        legal_basis,
        lead_time,
        channels,
        maturity,
        automation: "",
        indicators: &[],
        initiative: None,
        volumes: None,
    }
}

fn services() -> Vec<DemoService> {
    vec![
        DemoService {
            automation: "Aanvraag online met DigiD; de afspraak voor het ophalen volgt automatisch.",
            indicators: &["AANVRAGEN", "DIGI-AANDEEL"],
            volumes: Some((900.0, 0.35, 0.62)),
            ..s(
                "Paspoort en identiteitskaart",
                "Burgerzaken",
                &[Residents],
                "Paspoortwet",
                None,
                &[Online, Counter],
                3,
            )
        },
        DemoService {
            automation: "Volledig digitaal: de adreswijziging wordt zonder tussenkomst verwerkt als er geen signalen zijn.",
            indicators: &["AANVRAGEN", "DIGI-AANDEEL"],
            initiative: Some("Verhuisaangiften automatisch verwerken"),
            volumes: Some((650.0, 0.70, 0.88)),
            ..s(
                "Verhuizing doorgeven",
                "Burgerzaken",
                &[Residents],
                "Wet basisregistratie personen",
                Some(5),
                &[Online, Counter, Post],
                4,
            )
        },
        DemoService {
            volumes: Some((420.0, 0.55, 0.80)),
            ..s(
                "Uittreksel BRP",
                "Burgerzaken",
                &[Residents, Institutions],
                "Wet basisregistratie personen",
                None,
                &[Online, Counter, Post],
                3,
            )
        },
        s(
            "Huwelijk of partnerschap",
            "Burgerzaken",
            &[Residents],
            "Burgerlijk Wetboek boek 1",
            None,
            &[Online, Counter],
            3,
        ),
        s(
            "Aangifte geboorte",
            "Burgerzaken",
            &[Residents],
            "Burgerlijk Wetboek boek 1",
            Some(3),
            &[Online, Counter],
            2,
        ),
        s(
            "Aangifte overlijden",
            "Burgerzaken",
            &[Residents, Institutions],
            "Wet op de lijkbezorging",
            None,
            &[Counter, Phone],
            1,
        ),
        s(
            "Rijbewijs",
            "Burgerzaken",
            &[Residents],
            "Wegenverkeerswet 1994",
            None,
            &[Online, Counter],
            3,
        ),
        s(
            "Verklaring omtrent het gedrag",
            "Burgerzaken",
            &[Residents],
            "Wet justitiële en strafvorderlijke gegevens",
            None,
            &[Online, Counter],
            3,
        ),
        DemoService {
            automation: "De vergunning staat direct op het kenteken; de scanauto controleert.",
            initiative: Some("Parkeervergunning als digitale pas"),
            volumes: Some((300.0, 0.60, 0.93)),
            ..s(
                "Parkeervergunning bewoners",
                "Mobiliteit",
                &[Residents],
                "Parkeerverordening",
                Some(56),
                &[Online, App, Counter],
                4,
            )
        },
        s(
            "Gehandicaptenparkeerkaart",
            "Mobiliteit",
            &[Residents],
            "Reglement verkeersregels en verkeerstekens 1990",
            Some(56),
            &[Online, Post],
            2,
        ),
        DemoService {
            automation: "Klachten worden automatisch naar de juiste aannemer gerouteerd.",
            indicators: &["INW-TEVREDEN"],
            initiative: Some("Sensoren voor wateroverlast in straten"),
            volumes: Some((1100.0, 0.50, 0.78)),
            ..s(
                "Melding openbare ruimte",
                "Openbare Ruimte",
                &[Residents, Businesses],
                "Gemeentewet",
                None,
                &[Online, App, Phone],
                2,
            )
        },
        s(
            "Grofvuil ophalen",
            "Openbare Ruimte",
            &[Residents],
            "Afvalstoffenverordening",
            None,
            &[Online, Phone],
            3,
        ),
        s(
            "Afvalpas",
            "Openbare Ruimte",
            &[Residents],
            "Afvalstoffenverordening",
            None,
            &[Online, Counter, Post],
            2,
        ),
        s(
            "Informatie over afvalinzameling",
            "Openbare Ruimte",
            &[Residents],
            "Afvalstoffenverordening",
            None,
            &[Phone],
            0,
        ),
        s(
            "Kapvergunning",
            "Vergunningen en Handhaving",
            &[Residents, Businesses],
            "Omgevingswet",
            Some(56),
            &[Online],
            3,
        ),
        DemoService {
            indicators: &["OMGV-DOORLOOP"],
            initiative: Some("Vooroverleg-check voor omgevingsvergunningen"),
            volumes: Some((140.0, 0.80, 0.95)),
            ..s(
                "Omgevingsvergunning",
                "Vergunningen en Handhaving",
                &[Residents, Businesses],
                "Omgevingswet",
                Some(56),
                &[Online],
                3,
            )
        },
        s(
            "Evenementenvergunning",
            "Vergunningen en Handhaving",
            &[Businesses, Institutions],
            "Algemene plaatselijke verordening",
            Some(56),
            &[Online, Post],
            2,
        ),
        s(
            "Horeca-exploitatievergunning",
            "Vergunningen en Handhaving",
            &[Businesses],
            "Algemene plaatselijke verordening",
            Some(56),
            &[Post, Counter],
            1,
        ),
        s(
            "Standplaatsvergunning markt",
            "Vergunningen en Handhaving",
            &[Businesses],
            "Marktverordening",
            Some(56),
            &[Post],
            1,
        ),
        DemoService {
            automation: "Aanvraag online; inkomen en vermogen worden opgehaald bij het UWV en de Belastingdienst.",
            indicators: &["KOSTEN-AANVRAAG"],
            volumes: Some((210.0, 0.30, 0.55)),
            ..s(
                "Bijstandsuitkering",
                "Werk en Inkomen",
                &[Residents],
                "Participatiewet",
                Some(56),
                &[Online, Counter, Phone],
                3,
            )
        },
        DemoService {
            automation: "Toegekend zonder aanvraag aan huishoudens die al een uitkering hebben; anderen vragen aan.",
            initiative: Some("Energietoeslag automatisch toekennen"),
            ..s(
                "Energietoeslag",
                "Werk en Inkomen",
                &[Residents],
                "Participatiewet",
                Some(56),
                &[Online, Post],
                5,
            )
        },
        s(
            "Individuele inkomenstoeslag",
            "Werk en Inkomen",
            &[Residents],
            "Participatiewet",
            Some(56),
            &[Online, Post],
            2,
        ),
        DemoService {
            indicators: &["WMO-TERMIJN"],
            initiative: Some("Wmo-aanvraag digitaal starten"),
            volumes: Some((160.0, 0.10, 0.35)),
            ..s(
                "Wmo-maatwerkvoorziening",
                "Jeugd en Wmo",
                &[Residents],
                "Wet maatschappelijke ondersteuning 2015",
                Some(42),
                &[Online, Phone, Counter],
                2,
            )
        },
        s(
            "Jeugdhulp",
            "Jeugd en Wmo",
            &[Residents],
            "Jeugdwet",
            Some(56),
            &[Phone, Counter],
            1,
        ),
        s(
            "Leerlingenvervoer",
            "Jeugd en Wmo",
            &[Residents],
            "Wet op het primair onderwijs",
            Some(56),
            &[Online, Post],
            2,
        ),
        s(
            "Schuldhulpverlening",
            "Schuldhulpverlening",
            &[Residents],
            "Wet gemeentelijke schuldhulpverlening",
            Some(28),
            &[Online, Phone, Counter],
            2,
        ),
        s(
            "Kwijtschelding gemeentelijke belastingen",
            "Financiën",
            &[Residents],
            "Invorderingswet 1990",
            Some(56),
            &[Online, Post],
            5,
        ),
        s(
            "Bezwaar WOZ-waarde",
            "Financiën",
            &[Residents, Businesses],
            "Wet waardering onroerende zaken",
            Some(42),
            &[Online, Post],
            3,
        ),
        s(
            "Subsidie verenigingen",
            "Sociaal Domein",
            &[Institutions],
            "Algemene subsidieverordening",
            Some(56),
            &[Online],
            2,
        ),
        s(
            "Inkoopaanbestedingen",
            "Financiën",
            &[Businesses],
            "Aanbestedingswet 2012",
            None,
            &[Online],
            3,
        ),
    ]
}

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let organisation = context.organisation.id;
    let meta = &context.meta;
    let indicators = store.all_indicators(organisation).await?;
    let initiatives = store.initiatives(organisation).await?;
    let today = meta.at.date();
    for demo in services() {
        let spec = ServiceSpec {
            name: Name::parse(demo.name).map_err(|_| Error::Unexpected("demo service".into()))?,
            description: String::new(),
            target_groups: demo.groups.to_vec(),
            legal_basis: demo.legal_basis.to_owned(),
            owner_unit_id: context
                .units
                .iter()
                .find(|(name, _)| name == demo.unit)
                .map(|(_, id)| *id),
            lead_time_days: demo.lead_time,
            channels: demo.channels.to_vec(),
            maturity: demo.maturity,
            automation: demo.automation.to_owned(),
            personalisation: String::new(),
            indicator_ids: indicators
                .iter()
                .filter(|i| demo.indicators.contains(&i.code.as_str()))
                .map(|i| IndicatorId(i.id.0))
                .collect(),
            initiative_ids: initiatives
                .iter()
                .filter(|i| Some(i.title.as_str()) == demo.initiative)
                .map(|i| InitiativeId(i.id.0))
                .collect(),
        };
        let service = store.save_service(meta, organisation, None, &spec).await?;
        let Some((monthly, start, end)) = demo.volumes else {
            continue;
        };
        let indicator = crate::services::service::start_volumes(state, meta, &service).await?;
        let mut month = Period::containing(Frequency::Month, today);
        let mut months = Vec::new();
        for _ in 0..18 {
            month = Period::from_day_number(Frequency::Month, month.day_number() - 1);
            months.push(month);
        }
        months.reverse();
        let mut specs = Vec::new();
        for (n, period) in months.iter().enumerate() {
            let step = n as f64 / 17.0;
            // A little seasonal swing: busier before summer and in January.
            let season = 1.0 + 0.12 * ((n as f64) * std::f64::consts::PI / 6.0).sin();
            let total = (monthly * season).round();
            let digital = total * (start + (end - start) * step);
            let offline = total - digital;
            let app = if demo.channels.contains(&App) {
                0.3
            } else {
                0.0
            };
            let offline_channels: Vec<Channel> = demo
                .channels
                .iter()
                .copied()
                .filter(|c| !c.is_digital())
                .chain(std::iter::once(Phone))
                .collect();
            let per_offline = offline / offline_channels.len() as f64;
            let mut values: Vec<(Channel, f64)> = vec![(Online, (digital * (1.0 - app)).round())];
            if app > 0.0 {
                values.push((App, (digital * app).round()));
            }
            for channel in offline_channels {
                match values.iter_mut().find(|(c, _)| *c == channel) {
                    Some((_, value)) => *value += per_offline.round(),
                    None => values.push((channel, per_offline.round())),
                }
            }
            for (channel, value) in values {
                let given = BTreeMap::from([(
                    CHANNEL_DIMENSION.to_owned(),
                    channel.dimension_value().to_owned(),
                )]);
                let key = crate::indicators::dimensions::key(&indicator.dimensions, &given)
                    .map_err(|_| Error::Unexpected("demo volume".into()))?;
                specs.push(MeasurementSpec {
                    period: *period,
                    dimension_key: key,
                    value,
                    note: String::new(),
                });
            }
        }
        store
            .upsert_measurements(meta, &indicator, &specs, "import")
            .await?;
    }
    Ok(())
}
