//! Services for governance bodies, meetings, decisions and their actions.
//! Reading needs `view_organisation`; changing needs `manage_governance`,
//! except that the owner of a follow-up action may update it.

use std::collections::HashSet;

use super::steering::{
    ActionInput, BodyInput, Decision, DecisionAction, DecisionFilter, DecisionInput,
    GovernanceBody, Meeting, MeetingInput,
};
use super::steering_spec::{self, Known};
use crate::auth::Actor;
use crate::domain::{BodyId, DecisionActionId, DecisionId, Permission, ProgrammeId, UserId};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::{Error, Result};

pub async fn bodies(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<GovernanceBody>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state.store().bodies(actor.organisation_id, programme).await
}

pub async fn body(state: &AppState, actor: &Actor, id: BodyId) -> Result<GovernanceBody> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().body(actor.organisation_id, id).await
}

pub async fn create_body(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &BodyInput,
) -> Result<GovernanceBody> {
    actor.require(Permission::ManageGovernance)?;
    let programme = state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let spec = steering_spec::body_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_body(&meta, &programme, None, &spec)
        .await
}

pub async fn update_body(
    state: &AppState,
    actor: &Actor,
    id: BodyId,
    input: &BodyInput,
) -> Result<GovernanceBody> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().body(actor.organisation_id, id).await?;
    let programme = state
        .store()
        .programme(actor.organisation_id, before.programme_id)
        .await?;
    let spec = steering_spec::body_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_body(&meta, &programme, Some(&before), &spec)
        .await
}

pub async fn meetings(state: &AppState, actor: &Actor, body: BodyId) -> Result<Vec<Meeting>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().body(actor.organisation_id, body).await?;
    state.store().meetings(actor.organisation_id, body).await
}

pub async fn record_meeting(
    state: &AppState,
    actor: &Actor,
    body: BodyId,
    input: &MeetingInput,
) -> Result<Meeting> {
    actor.require(Permission::ManageGovernance)?;
    let body = state.store().body(actor.organisation_id, body).await?;
    let spec = steering_spec::meeting_spec(input, state.today().day_number())?;
    let meta = actor.audit(state.clock().now());
    state.store().create_meeting(&meta, &body, &spec).await
}

pub async fn decisions(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    filter: &DecisionFilter,
    page: PageRequest,
) -> Result<Page<Decision>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .decisions(
            actor.organisation_id,
            programme,
            filter,
            state.today().day_number(),
            page,
        )
        .await
}

pub async fn decision(state: &AppState, actor: &Actor, id: DecisionId) -> Result<Decision> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .decision(actor.organisation_id, id, state.today().day_number())
        .await
}

async fn save_decision(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    before: Option<&Decision>,
    input: &DecisionInput,
) -> Result<Decision> {
    let store = state.store();
    let organisation = actor.organisation_id;
    let programme = store.programme(organisation, programme).await?;
    let bodies: HashSet<BodyId> = store
        .bodies(organisation, programme.id)
        .await?
        .iter()
        .map(|b| b.id)
        .collect();
    let ambitions = store
        .ambitions(organisation, programme.id)
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let indicators = store
        .indicator_ids(organisation)
        .await?
        .into_iter()
        .collect();
    let known = Known {
        bodies: &bodies,
        ambitions: &ambitions,
        indicators: &indicators,
    };
    let spec = steering_spec::decision_spec(input, before, &known)?;
    let meta = actor.audit(state.clock().now());
    store
        .save_decision(&meta, &programme, before, &spec, state.today().day_number())
        .await
}

pub async fn create_decision(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &DecisionInput,
) -> Result<Decision> {
    actor.require(Permission::ManageGovernance)?;
    save_decision(state, actor, programme, None, input).await
}

pub async fn update_decision(
    state: &AppState,
    actor: &Actor,
    id: DecisionId,
    input: &DecisionInput,
) -> Result<Decision> {
    actor.require(Permission::ManageGovernance)?;
    let before = state
        .store()
        .decision(actor.organisation_id, id, state.today().day_number())
        .await?;
    save_decision(state, actor, before.programme_id, Some(&before), input).await
}

pub async fn actions(
    state: &AppState,
    actor: &Actor,
    decision: DecisionId,
) -> Result<Vec<DecisionAction>> {
    actor.require(Permission::ViewOrganisation)?;
    let today = state.today().day_number();
    state
        .store()
        .decision(actor.organisation_id, decision, today)
        .await?;
    state
        .store()
        .decision_actions(actor.organisation_id, decision, today)
        .await
}

pub async fn action(
    state: &AppState,
    actor: &Actor,
    id: DecisionActionId,
) -> Result<DecisionAction> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .decision_action(actor.organisation_id, id, state.today().day_number())
        .await
}

/// The name of an active member, or `None` when `user` is absent or not an
/// active member of the organisation.
pub(crate) async fn member_name(
    state: &AppState,
    actor: &Actor,
    user: Option<i64>,
) -> Result<Option<String>> {
    let Some(user) = user else { return Ok(None) };
    match state
        .store()
        .member(actor.organisation_id, UserId(user))
        .await
    {
        Ok(member) if member.active => Ok(Some(member.name)),
        Ok(_) | Err(Error::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn create_action(
    state: &AppState,
    actor: &Actor,
    decision: DecisionId,
    input: &ActionInput,
) -> Result<DecisionAction> {
    actor.require(Permission::ManageGovernance)?;
    let today = state.today().day_number();
    let decision = state
        .store()
        .decision(actor.organisation_id, decision, today)
        .await?;
    let member = member_name(state, actor, input.owner_id.flatten()).await?;
    let spec = steering_spec::action_spec(input, None, member.as_deref(), today)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_decision_action(&meta, &decision, None, &spec, today)
        .await
}

/// Updates an action: governance managers, or the action's own owner.
pub async fn update_action(
    state: &AppState,
    actor: &Actor,
    id: DecisionActionId,
    input: &ActionInput,
) -> Result<DecisionAction> {
    actor.require(Permission::ViewOrganisation)?;
    let today = state.today().day_number();
    let before = state
        .store()
        .decision_action(actor.organisation_id, id, today)
        .await?;
    if before.owner_id != Some(actor.user_id) {
        actor.require(Permission::ManageGovernance)?;
    }
    let decision = state
        .store()
        .decision(actor.organisation_id, before.decision_id, today)
        .await?;
    let owner = match input.owner_id {
        Some(owner) => owner,
        None => before.owner_id.map(|o| o.0),
    };
    let member = member_name(state, actor, owner).await?;
    let spec = steering_spec::action_spec(input, Some(&before), member.as_deref(), today)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_decision_action(&meta, &decision, Some(&before), &spec, today)
        .await
}
