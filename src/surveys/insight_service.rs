//! Gathers the organisation-wide means of every wave that has opened and
//! reads them together: trends per instrument, management against staff,
//! and the weak factors and barriers of the latest waves.

use serde::Serialize;

use super::catalog::{self, OPEN};
use super::insights::{self, Disagreement, SurveyTrend, WaveMeans, WeakDimension};
use super::waves::WaveStatus;
use super::{InstrumentKind, wave_service};
use crate::Result;
use crate::auth::Actor;
use crate::domain::Permission;
use crate::http::AppState;
use crate::skills::gaps::CellStatus;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Insights {
    /// The management scan's factors over its waves.
    pub scan: SurveyTrend,
    /// The pulse survey's barriers over its waves.
    pub pulse: SurveyTrend,
    /// From the latest scan and pulse waves with results shown.
    pub disagreements: Vec<Disagreement>,
    /// Below 3 in the latest wave of either instrument, weakest first.
    pub weak: Vec<WeakDimension>,
    /// Each intervention planned from here, and what the next wave showed.
    pub interventions: Vec<super::interventions::Movement>,
}

/// The means of each wave that has opened, per instrument, oldest first.
pub async fn wave_means(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<(InstrumentKind, WaveMeans)>> {
    actor.require(Permission::ViewSurveyResults)?;
    let kinds: std::collections::HashMap<_, _> = state
        .store()
        .instruments(actor.organisation_id)
        .await?
        .into_iter()
        .map(|i| (i.id, i.kind))
        .collect();
    let mut waves = wave_service::waves(state, actor).await?;
    waves.retain(|w| w.status != WaveStatus::Planned);
    waves.reverse();
    let mut all = Vec::with_capacity(waves.len());
    for wave in waves {
        let Some(kind) = kinds.get(&wave.instrument_id).copied() else {
            continue;
        };
        let results = wave_service::results(state, actor, wave.id).await?;
        let means = results
            .rows
            .first()
            .map(|organisation| {
                results
                    .dimensions
                    .iter()
                    .zip(&organisation.cells)
                    .filter(|(_, cell)| cell.status == CellStatus::Shown)
                    .filter_map(|(d, cell)| Some((d.clone(), cell.mean?)))
                    .collect()
            })
            .unwrap_or_default();
        all.push((
            kind,
            WaveMeans {
                wave_id: wave.id,
                name: wave.name,
                opens_on: wave.opens_on,
                means,
            },
        ));
    }
    Ok(all)
}

fn of_kind(all: &[(InstrumentKind, WaveMeans)], kind: InstrumentKind) -> Vec<WaveMeans> {
    all.iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, w)| w.clone())
        .collect()
}

fn scored(kind: InstrumentKind, waves: &[WaveMeans]) -> Vec<String> {
    catalog::dimensions(kind)
        .into_iter()
        .filter(|d| *d != OPEN && waves.iter().any(|w| w.means.contains_key(*d)))
        .map(str::to_owned)
        .collect()
}

pub async fn insights(state: &AppState, actor: &Actor) -> Result<Insights> {
    let all = wave_means(state, actor).await?;
    let scan = of_kind(&all, InstrumentKind::Scan);
    let pulse = of_kind(&all, InstrumentKind::Pulse);
    let latest = |waves: &[WaveMeans]| waves.iter().rev().find(|w| !w.means.is_empty()).cloned();
    let (latest_scan, latest_pulse) = (latest(&scan), latest(&pulse));
    let disagreements = match (&latest_scan, &latest_pulse) {
        (Some(s), Some(p)) => insights::disagreements(s, p),
        _ => Vec::new(),
    };
    let mut weak: Vec<WeakDimension> = latest_scan
        .iter()
        .chain(&latest_pulse)
        .flat_map(insights::weak_dimensions)
        .collect();
    weak.sort_by(|a, b| a.mean.total_cmp(&b.mean));
    let initiatives = state.store().initiatives(actor.organisation_id).await?;
    let interventions = super::intervention_service::movements(&initiatives, &all);
    Ok(Insights {
        interventions,
        scan: insights::trend(&scan, &scored(InstrumentKind::Scan, &scan)),
        pulse: insights::trend(&pulse, &scored(InstrumentKind::Pulse, &pulse)),
        disagreements,
        weak,
    })
}
