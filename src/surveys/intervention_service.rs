//! The catalogue of interventions, planning one as an initiative, and
//! what the next wave showed after it.

use super::InstrumentKind;
use super::insight_service::wave_means;
use super::insights::WaveMeans;
use super::interventions::{
    Intervention, InterventionInput, InterventionLink, Movement, PlanInput, intervention_spec,
};
use crate::auth::Actor;
use crate::domain::{InterventionId, Name, Permission, Validator, WaveId};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::portfolio::spec::InitiativeSpec;
use crate::portfolio::{Initiative, InitiativeKind};
use crate::{Error, Result};

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Intervention>> {
    actor.require(Permission::ViewSurveyResults)?;
    state.store().interventions(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: InterventionId) -> Result<Intervention> {
    actor.require(Permission::ViewSurveyResults)?;
    state.store().intervention(actor.organisation_id, id).await
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &InterventionInput,
) -> Result<Intervention> {
    actor.require(Permission::ManageSurveys)?;
    let spec = intervention_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_intervention(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: InterventionId,
    input: &InterventionInput,
) -> Result<Intervention> {
    actor.require(Permission::ManageSurveys)?;
    let before = state
        .store()
        .intervention(actor.organisation_id, id)
        .await?;
    let spec = intervention_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_intervention(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

/// The instrument that measures a dimension: barriers are the pulse's.
pub fn instrument_of(dimension: &str) -> InstrumentKind {
    if dimension.starts_with('b') {
        InstrumentKind::Pulse
    } else {
        InstrumentKind::Scan
    }
}

/// Plans an intervention as a new initiative (kind `intervention`, stage
/// idea) that answers a wave: the one given, or else the latest wave with
/// a result for the intervention's dimension.
pub async fn plan(
    state: &AppState,
    actor: &Actor,
    id: InterventionId,
    input: &PlanInput,
) -> Result<Initiative> {
    actor.require(Permission::ManagePortfolio)?;
    actor.require(Permission::ViewSurveyResults)?;
    let intervention = state
        .store()
        .intervention(actor.organisation_id, id)
        .await?;
    if !intervention.active {
        return Err(Error::conflict("intervention", "inactive_intervention"));
    }
    let kind = instrument_of(&intervention.dimension);
    let waves: Vec<WaveMeans> = wave_means(state, actor)
        .await?
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, w)| w)
        .collect();
    let mut v = Validator::new();
    let baseline = match input.baseline_wave_id {
        Some(wave) => {
            let found = waves.iter().find(|w| w.wave_id == WaveId(wave));
            if found.is_none() {
                v.add("baseline_wave_id", "unknown_choice");
            }
            found
        }
        None => waves
            .iter()
            .rev()
            .find(|w| w.means.contains_key(&intervention.dimension)),
    };
    v.finish(Some(()))?;
    let t = Tr::new(actor.locale);
    let label = super::pages::dimension_label(t, &intervention.dimension);
    let problem = match baseline.and_then(|w| Some((w, w.means.get(&intervention.dimension)?))) {
        Some((wave, mean)) => t.fill(
            "interventions.plan_problem",
            &[
                ("dimension", &label),
                ("mean", &crate::skills::pages::tenths(t, *mean)),
                ("wave", &wave.name),
            ],
        ),
        None => t.fill(
            "interventions.plan_problem_unmeasured",
            &[("dimension", &label)],
        ),
    };
    let spec = InitiativeSpec {
        kind: InitiativeKind::Intervention,
        // Both titles were checked as names when saved.
        title: Name::parse(intervention.title(actor.locale))
            .map_err(|_| Error::Unexpected("an intervention title is not a name".into()))?,
        problem,
        hypothesis: t.fill(
            "interventions.plan_hypothesis",
            &[
                ("intervention", intervention.title(actor.locale)),
                ("dimension", &label),
            ],
        ),
        learning_goals: vec![t.fill("interventions.plan_goal", &[("dimension", &label)])],
        technologies: Vec::new(),
        owner_id: Some(actor.user_id),
        unit_id: None,
        go_live_on: None,
        cost_estimate: None,
        ambition_ids: Vec::new(),
        indicators: Vec::new(),
        lab_id: None,
        from_idea: None,
        expected_version: None,
        intervention: Some(InterventionLink {
            intervention_id: intervention.id,
            dimension: intervention.dimension.clone(),
            baseline_wave_id: baseline.map(|w| w.wave_id),
        }),
    };
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_initiative(&meta, actor.organisation_id, None, &spec)
        .await
}

/// What followed each planned intervention: its dimension in the baseline
/// wave and in the first later wave of the same instrument that showed
/// it (without a baseline: the first that opened once it was planned).
pub fn movements(
    initiatives: &[Initiative],
    waves: &[(InstrumentKind, WaveMeans)],
) -> Vec<Movement> {
    initiatives
        .iter()
        .filter_map(|initiative| {
            let link = initiative.intervention.as_ref()?;
            let kind = instrument_of(&link.dimension);
            let same: Vec<&WaveMeans> = waves
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, w)| w)
                .collect();
            let baseline = link
                .baseline_wave_id
                .and_then(|id| same.iter().position(|w| w.wave_id == id));
            let before = baseline.and_then(|i| same[i].means.get(&link.dimension).copied());
            // `YYYY-MM-DD`, comparable with `opens_on` as text.
            let planned = initiative.created_at.date().to_string();
            let after = same
                .iter()
                .enumerate()
                .filter(|(i, w)| match baseline {
                    Some(b) => *i > b,
                    None => w.opens_on >= planned,
                })
                .find_map(|(_, w)| Some((w.wave_id, *w.means.get(&link.dimension)?)));
            Some(Movement {
                initiative_id: initiative.id,
                title: initiative.title.clone(),
                intervention_id: link.intervention_id,
                dimension: link.dimension.clone(),
                baseline_wave_id: link.baseline_wave_id,
                before,
                after_wave_id: after.map(|(w, _)| w),
                after: after.map(|(_, m)| m),
                change: before.zip(after).map(|(b, (_, a))| a - b),
            })
        })
        .collect()
}
