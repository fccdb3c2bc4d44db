//! Services for partners and future labs. Reading needs
//! `view_organisation`; defining partners and labs needs
//! `manage_portfolio`; a partner's role in an initiative may also be set by
//! the initiative's owner.

use super::partners::{
    FutureLab, InitiativePartner, LabInput, LabMember, LabMemberInput, Partner, PartnerInput,
    PartnerRoleInput, lab_spec, member_spec, partner_spec, role_spec,
};
use super::service::may_edit;
use crate::Result;
use crate::auth::Actor;
use crate::domain::{InitiativeId, LabId, PartnerId, Permission};
use crate::http::AppState;

pub async fn partners(state: &AppState, actor: &Actor) -> Result<Vec<Partner>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().partners(actor.organisation_id).await
}

/// A partner with its roles in initiatives.
pub async fn partner(
    state: &AppState,
    actor: &Actor,
    id: PartnerId,
) -> Result<(Partner, Vec<InitiativePartner>)> {
    actor.require(Permission::ViewOrganisation)?;
    let partner = state.store().partner(actor.organisation_id, id).await?;
    let roles = state
        .store()
        .partner_roles(actor.organisation_id, None, Some(id))
        .await?;
    Ok((partner, roles))
}

pub async fn create_partner(
    state: &AppState,
    actor: &Actor,
    input: &PartnerInput,
) -> Result<Partner> {
    actor.require(Permission::ManagePortfolio)?;
    let spec = partner_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_partner(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_partner(
    state: &AppState,
    actor: &Actor,
    id: PartnerId,
    input: &PartnerInput,
) -> Result<Partner> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().partner(actor.organisation_id, id).await?;
    actor.require(Permission::ManagePortfolio)?;
    let spec = partner_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_partner(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

pub async fn delete_partner(state: &AppState, actor: &Actor, id: PartnerId) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let partner = state.store().partner(actor.organisation_id, id).await?;
    actor.require(Permission::ManagePortfolio)?;
    let meta = actor.audit(state.clock().now());
    state.store().delete_partner(&meta, &partner).await
}

/// Every partner's role in every initiative of the organisation.
pub async fn all_roles(state: &AppState, actor: &Actor) -> Result<Vec<InitiativePartner>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .partner_roles(actor.organisation_id, None, None)
        .await
}

pub async fn initiative_partners(
    state: &AppState,
    actor: &Actor,
    initiative: InitiativeId,
) -> Result<Vec<InitiativePartner>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .initiative(actor.organisation_id, initiative)
        .await?;
    state
        .store()
        .partner_roles(actor.organisation_id, Some(initiative), None)
        .await
}

pub async fn set_role(
    state: &AppState,
    actor: &Actor,
    initiative: InitiativeId,
    partner: PartnerId,
    input: &PartnerRoleInput,
) -> Result<InitiativePartner> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state
        .store()
        .initiative(actor.organisation_id, initiative)
        .await?;
    let partner = state
        .store()
        .partner(actor.organisation_id, partner)
        .await?;
    may_edit(actor, &initiative)?;
    let role = role_spec(input)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_partner_role(&meta, initiative.id, &partner, &role)
        .await
}

pub async fn remove_role(
    state: &AppState,
    actor: &Actor,
    initiative: InitiativeId,
    partner: PartnerId,
) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state
        .store()
        .initiative(actor.organisation_id, initiative)
        .await?;
    let partner = state
        .store()
        .partner(actor.organisation_id, partner)
        .await?;
    may_edit(actor, &initiative)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .remove_partner_role(&meta, actor.organisation_id, initiative.id, partner.id)
        .await
}

pub async fn labs(state: &AppState, actor: &Actor) -> Result<Vec<FutureLab>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().labs(actor.organisation_id).await
}

pub async fn lab(state: &AppState, actor: &Actor, id: LabId) -> Result<FutureLab> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().lab(actor.organisation_id, id).await
}

pub async fn create_lab(state: &AppState, actor: &Actor, input: &LabInput) -> Result<FutureLab> {
    actor.require(Permission::ManagePortfolio)?;
    let spec = lab_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_lab(&meta, actor.organisation_id, None, &spec)
        .await
}

pub async fn update_lab(
    state: &AppState,
    actor: &Actor,
    id: LabId,
    input: &LabInput,
) -> Result<FutureLab> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().lab(actor.organisation_id, id).await?;
    actor.require(Permission::ManagePortfolio)?;
    let spec = lab_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_lab(&meta, actor.organisation_id, Some(&before), &spec)
        .await
}

pub async fn set_member(
    state: &AppState,
    actor: &Actor,
    lab: LabId,
    partner: PartnerId,
    input: &LabMemberInput,
) -> Result<LabMember> {
    actor.require(Permission::ViewOrganisation)?;
    let lab = state.store().lab(actor.organisation_id, lab).await?;
    let partner = state
        .store()
        .partner(actor.organisation_id, partner)
        .await?;
    actor.require(Permission::ManagePortfolio)?;
    let spec = member_spec(input)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .set_lab_member(&meta, &lab, &partner, &spec)
        .await
}

pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    lab: LabId,
    partner: PartnerId,
) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let lab = state.store().lab(actor.organisation_id, lab).await?;
    let partner = state
        .store()
        .partner(actor.organisation_id, partner)
        .await?;
    actor.require(Permission::ManagePortfolio)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .remove_lab_member(&meta, &lab, partner.id)
        .await
}
