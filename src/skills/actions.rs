//! Learning actions and the gap trend over assessment rounds. Actions are
//! kept with `manage_skills` and read with `view_skill_aggregates`, as
//! their effect is read from aggregates.

use super::gaps::GapSum;
use super::spec::{LearningActionSpec, learning_action_spec};
use super::trend::{self, Trend, TrendInput};
use super::{LearningAction, LearningActionInput, Round};
use crate::auth::Actor;
use crate::domain::{LearningActionId, Permission, RoleProfileId, Validator};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::{Error, Result};

pub async fn learning_actions(
    state: &AppState,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<LearningAction>> {
    actor.require(Permission::ViewSkillAggregates)?;
    state
        .store()
        .learning_actions(actor.organisation_id, page)
        .await
}

pub async fn learning_action(
    state: &AppState,
    actor: &Actor,
    id: LearningActionId,
) -> Result<LearningAction> {
    actor.require(Permission::ViewSkillAggregates)?;
    state
        .store()
        .learning_action(actor.organisation_id, id)
        .await
}

/// Checks that the competence, unit and role profile are the
/// organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &LearningActionSpec,
) -> Result<()> {
    let organisation = actor.organisation_id;
    let store = state.store();
    let mut v = Validator::new();
    match store.competence(organisation, spec.competence_id).await {
        Ok(_) => {}
        Err(Error::NotFound) => v.add("competence_id", "unknown_competence"),
        Err(e) => return Err(e),
    }
    if let Some(unit) = spec.unit_id {
        match store.unit(organisation, unit).await {
            Ok(_) => {}
            Err(Error::NotFound) => v.add("unit_id", "unknown_unit"),
            Err(e) => return Err(e),
        }
    }
    if let Some(role) = spec.role_profile_id {
        match store.role_profile(organisation, role).await {
            Ok(_) => {}
            Err(Error::NotFound) => v.add("role_profile_id", "unknown_role_profile"),
            Err(e) => return Err(e),
        }
    }
    v.finish(Some(()))
}

pub async fn create_learning_action(
    state: &AppState,
    actor: &Actor,
    input: &LearningActionInput,
) -> Result<LearningAction> {
    actor.require(Permission::ManageSkills)?;
    let spec = learning_action_spec(input, None)?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_learning_action(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_learning_action(
    state: &AppState,
    actor: &Actor,
    id: LearningActionId,
    input: &LearningActionInput,
) -> Result<LearningAction> {
    let before = learning_action(state, actor, id).await?;
    actor.require(Permission::ManageSkills)?;
    let spec = learning_action_spec(input, Some(&before))?;
    check_references(state, actor, &spec).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_learning_action(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

pub async fn delete_learning_action(
    state: &AppState,
    actor: &Actor,
    id: LearningActionId,
) -> Result<()> {
    let before = learning_action(state, actor, id).await?;
    actor.require(Permission::ManageSkills)?;
    let meta = actor.audit(state.clock().now());
    state.store().delete_learning_action(&meta, &before).await
}

/// The rounds that have started, each with its gap sums: fixed ones from
/// what was kept when they closed (fixing them first if this is the
/// first read since), the current one from the live sums.
async fn round_sums(state: &AppState, actor: &Actor) -> Result<Vec<(Round, Vec<GapSum>)>> {
    let organisation = actor.organisation_id;
    let store = state.store();
    let today = state.today();
    let mut rounds = store.rounds(organisation).await?;
    rounds.retain(|r| r.starts_on <= today.label());
    let mut out = Vec::with_capacity(rounds.len());
    for (i, mut round) in rounds.iter().cloned().enumerate() {
        match rounds.get(i + 1) {
            Some(next) => {
                if !round.fixed {
                    let ends_on = crate::domain::Period::parse(
                        crate::domain::Frequency::Day,
                        &next.starts_on,
                    )
                    .map_err(|_| Error::Unexpected("a stored round date".into()))?
                    .day_number();
                    store
                        .fix_round(organisation, round.id, ends_on, state.clock().now())
                        .await?;
                    round.fixed = true;
                }
                let sums = store.round_gap_sums(organisation, round.id).await?;
                out.push((round, sums));
            }
            None => out.push((round, store.gap_sums(organisation).await?)),
        }
    }
    Ok(out)
}

/// The gaps round by round and what each learning action's group did.
pub async fn gap_trend(state: &AppState, actor: &Actor) -> Result<Trend> {
    actor.require(Permission::ViewSkillAggregates)?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let k = store.min_group_size(organisation).await?;
    let name = store.organisation(organisation).await?.name;
    let units = super::service::unit_nodes(state, organisation).await?;
    let roles = store.role_profiles(organisation).await?;
    let competences =
        super::service::needed_competences(&store.competences(organisation).await?, &roles);
    let role_ids: Vec<RoleProfileId> = roles.iter().map(|r| r.id).collect();
    let rounds = round_sums(state, actor).await?;
    let actions = store.all_learning_actions(organisation).await?;
    Ok(trend::trend(&TrendInput {
        organisation: &name,
        units: &units,
        roles: &role_ids,
        competences: &competences,
        rounds: &rounds,
        actions: &actions,
        k,
    }))
}
