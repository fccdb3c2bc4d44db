//! Rules of the data-asset register: who keeps it, what an asset may link
//! to, and who forms the expertise point.

use super::spec::{data_asset_spec, expertise_spec};
use super::{DataAsset, DataAssetInput, ExpertiseMember, ExpertiseMemberInput};
use crate::auth::Actor;
use crate::domain::{DataAssetId, Permission, UserId, Validator};
use crate::http::AppState;
use crate::{Error, Result};

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<DataAsset>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().data_assets(actor.organisation_id).await
}

pub async fn get(state: &AppState, actor: &Actor, id: DataAssetId) -> Result<DataAsset> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().data_asset(actor.organisation_id, id).await
}

/// Whether `user` is an active member of the actor's organisation.
pub(crate) async fn is_member(state: &AppState, actor: &Actor, user: UserId) -> Result<bool> {
    match state.store().member(actor.organisation_id, user).await {
        Ok(member) => Ok(member.active),
        Err(Error::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The steward must be a member; services, initiatives and indicators
/// this organisation's.
async fn check_references(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::DataAssetSpec,
    before: Option<&DataAsset>,
) -> Result<()> {
    let store = state.store();
    let organisation = actor.organisation_id;
    let mut v = Validator::new();
    if let Some(steward) = spec.steward_id
        && before.and_then(|b| b.steward_id) != Some(steward)
        && !is_member(state, actor, steward).await?
    {
        v.add("steward_id", "unknown_member");
    }
    if !spec.service_ids.is_empty() {
        let known = store.services(organisation).await?;
        for (i, id) in spec.service_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("service_ids[{i}]"), "unknown_service");
            }
        }
    }
    if !spec.initiative_ids.is_empty() {
        let known = store.initiatives(organisation).await?;
        for (i, id) in spec.initiative_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("initiative_ids[{i}]"), "unknown_initiative");
            }
        }
    }
    if !spec.indicator_ids.is_empty() {
        let known = store.all_indicators(organisation).await?;
        for (i, id) in spec.indicator_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("indicator_ids[{i}]"), "unknown_indicator");
            }
        }
    }
    v.finish(Some(()))
}

pub async fn create(state: &AppState, actor: &Actor, input: &DataAssetInput) -> Result<DataAsset> {
    actor.require(Permission::ManageServices)?;
    let spec = data_asset_spec(input, None)?;
    check_references(state, actor, &spec, None).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_data_asset(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: DataAssetId,
    input: &DataAssetInput,
) -> Result<DataAsset> {
    actor.require(Permission::ManageServices)?;
    let before = state.store().data_asset(actor.organisation_id, id).await?;
    let spec = data_asset_spec(input, Some(&before))?;
    check_references(state, actor, &spec, Some(&before)).await?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_data_asset(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

pub async fn expertise(state: &AppState, actor: &Actor) -> Result<Vec<ExpertiseMember>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().expertise_members(actor.organisation_id).await
}

/// Puts a member on the expertise point (or changes their role and
/// competences); the competences come from the organisation's frameworks.
pub async fn set_expert(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    input: &ExpertiseMemberInput,
) -> Result<ExpertiseMember> {
    actor.require(Permission::ManageServices)?;
    if !is_member(state, actor, user).await? {
        return Err(Error::NotFound);
    }
    let spec = expertise_spec(input)?;
    if !spec.competence_ids.is_empty() {
        let known = state.store().competences(actor.organisation_id).await?;
        let mut v = Validator::new();
        for (i, id) in spec.competence_ids.iter().enumerate() {
            if !known.iter().any(|k| k.id == *id) {
                v.add(&format!("competence_ids[{i}]"), "unknown_competence");
            }
        }
        v.finish(Some(()))?;
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_expertise_member(&meta, actor.organisation_id, user, Some(&spec))
        .await?;
    expertise(state, actor)
        .await?
        .into_iter()
        .find(|m| m.user_id == user)
        .ok_or(Error::NotFound)
}

/// Takes a member off the expertise point (404 when they are not on it).
pub async fn remove_expert(state: &AppState, actor: &Actor, user: UserId) -> Result<()> {
    actor.require(Permission::ManageServices)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_expertise_member(&meta, actor.organisation_id, user, None)
        .await
}
