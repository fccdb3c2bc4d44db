//! Portfolio services. Reading needs `view_organisation`; defining and
//! editing initiatives needs `manage_portfolio` (an initiative's owner may
//! always edit it); gate decisions need `manage_governance`.

use std::collections::{HashMap, HashSet};

use super::balance::PortfolioBalance;
use super::export::ExportRow;
use super::funding::{
    FundingInput, FundingLine, FundingSummary, InitiativeMoney, SpendEntry, SpendInput,
    funding_spec, spend_spec,
};
use super::spec::{self, Known};
use super::{GateDecision, GateInput, Initiative, InitiativeFilter, InitiativeInput};
use crate::Result;
use crate::auth::Actor;
use crate::domain::{AmbitionId, IndicatorId, InitiativeId, Permission, Role, UnitId, UserId};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};

/// Every initiative that passes `filter`, by title.
pub async fn all(
    state: &AppState,
    actor: &Actor,
    filter: &InitiativeFilter,
) -> Result<Vec<Initiative>> {
    actor.require(Permission::ViewOrganisation)?;
    let mut all = state.store().initiatives(actor.organisation_id).await?;
    all.retain(|i| filter.matches(i));
    Ok(all)
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &InitiativeFilter,
    page: PageRequest,
) -> Result<Page<Initiative>> {
    Ok(Page::from_all(all(state, actor, filter).await?, page))
}

pub async fn get(state: &AppState, actor: &Actor, id: InitiativeId) -> Result<Initiative> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().initiative(actor.organisation_id, id).await
}

/// The ambitions, indicators and active units of the organisation, which
/// an initiative may link to.
async fn known_sets(
    state: &AppState,
    actor: &Actor,
) -> Result<(
    HashSet<AmbitionId>,
    HashMap<IndicatorId, spec::KnownIndicator>,
    HashSet<UnitId>,
)> {
    let store = state.store();
    let organisation = actor.organisation_id;
    let ambitions = store
        .all_ambitions(organisation)
        .await?
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    let indicators = store
        .all_indicators(organisation)
        .await?
        .into_iter()
        .map(|i| (i.id, spec::KnownIndicator::of(&i)))
        .collect();
    let units = store
        .list_units(organisation)
        .await?
        .into_iter()
        .filter(|u| !u.is_archived())
        .map(|u| u.id)
        .collect();
    Ok((ambitions, indicators, units))
}

async fn save(
    state: &AppState,
    actor: &Actor,
    before: Option<&Initiative>,
    input: &InitiativeInput,
) -> Result<Initiative> {
    let (ambitions, indicators, units) = known_sets(state, actor).await?;
    // The owner must be an active member; an owner already on record stays
    // acceptable when other fields change.
    let mut members: HashSet<UserId> = before.and_then(|b| b.owner_id).into_iter().collect();
    if let Some(Some(owner)) = input.owner_id
        && crate::governance::steering_service::member_name(state, actor, Some(owner))
            .await?
            .is_some()
    {
        members.insert(UserId(owner));
    }
    let labs = state
        .store()
        .labs(actor.organisation_id)
        .await?
        .into_iter()
        .map(|lab| lab.id)
        .collect();
    let known = Known {
        ambitions: &ambitions,
        indicators: &indicators,
        units: &units,
        members: &members,
        labs: &labs,
    };
    let spec = spec::initiative_spec(input, before, &known)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_initiative(&meta, actor.organisation_id, before, &spec)
        .await
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &InitiativeInput,
) -> Result<Initiative> {
    actor.require(Permission::ManagePortfolio)?;
    save(state, actor, None, input).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
    input: &InitiativeInput,
) -> Result<Initiative> {
    actor.require(Permission::ViewOrganisation)?;
    let before = state.store().initiative(actor.organisation_id, id).await?;
    may_edit(actor, &before)?;
    save(state, actor, Some(&before), input).await
}

pub async fn gate_decisions(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
) -> Result<Vec<GateDecision>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().initiative(actor.organisation_id, id).await?;
    state
        .store()
        .gate_decisions(actor.organisation_id, id)
        .await
}

/// Takes a gate decision: validates the move against the stage machine and
/// the evidence against every learning goal, then moves the initiative.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
    input: &GateInput,
) -> Result<GateDecision> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state.store().initiative(actor.organisation_id, id).await?;
    actor.require(Permission::ManageGovernance)?;
    let bodies = state.store().body_names(actor.organisation_id).await?;
    let spec = spec::gate_spec(&initiative, input, &bodies, state.today().day_number())?;
    let meta = actor.audit(state.clock().now());
    state.store().record_gate(&meta, &initiative, &spec).await
}

/// Whether the actor may change this initiative: portfolio managers, or its
/// owner (viewers excepted).
pub(crate) fn may_edit(actor: &Actor, initiative: &Initiative) -> Result<()> {
    if initiative.owner_id == Some(actor.user_id) && actor.role != Role::Viewer {
        Ok(())
    } else {
        actor.require(Permission::ManagePortfolio)
    }
}

/// An initiative's funding lines and spend with the totals per source.
pub async fn funding(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
) -> Result<(Vec<FundingLine>, Vec<SpendEntry>, FundingSummary)> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().initiative(actor.organisation_id, id).await?;
    let lines = state
        .store()
        .funding_lines(actor.organisation_id, Some(id))
        .await?;
    let spend = state
        .store()
        .spend_entries(actor.organisation_id, Some(id))
        .await?;
    let summary = FundingSummary::of(&lines, &spend);
    Ok((lines, spend, summary))
}

/// Budget against spend for the whole portfolio.
pub async fn portfolio_funding(state: &AppState, actor: &Actor) -> Result<FundingSummary> {
    actor.require(Permission::ViewOrganisation)?;
    let lines = state
        .store()
        .funding_lines(actor.organisation_id, None)
        .await?;
    let spend = state
        .store()
        .spend_entries(actor.organisation_id, None)
        .await?;
    Ok(FundingSummary::of(&lines, &spend))
}

pub async fn add_funding(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
    input: &FundingInput,
) -> Result<FundingLine> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state.store().initiative(actor.organisation_id, id).await?;
    may_edit(actor, &initiative)?;
    let spec = funding_spec(input)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .add_funding_line(&meta, &initiative, &spec)
        .await
}

pub async fn add_spend(
    state: &AppState,
    actor: &Actor,
    id: InitiativeId,
    input: &SpendInput,
) -> Result<SpendEntry> {
    actor.require(Permission::ViewOrganisation)?;
    let initiative = state.store().initiative(actor.organisation_id, id).await?;
    may_edit(actor, &initiative)?;
    let spec = spend_spec(input, state.today().day_number())?;
    let meta = actor.audit(state.clock().now());
    state.store().add_spend(&meta, &initiative, &spec).await
}

/// How initiatives and money spread over stages, technologies, ambitions
/// and funding sources.
pub async fn balance(state: &AppState, actor: &Actor) -> Result<PortfolioBalance> {
    actor.require(Permission::ViewOrganisation)?;
    let store = state.store();
    let organisation = actor.organisation_id;
    let initiatives = store.initiatives(organisation).await?;
    let lines = store.funding_lines(organisation, None).await?;
    let spend = store.spend_entries(organisation, None).await?;
    let ambitions: Vec<(AmbitionId, String)> = store
        .all_ambitions(organisation)
        .await?
        .into_iter()
        .map(|(id, title, _)| (id, title))
        .collect();
    Ok(PortfolioBalance::of(
        initiatives,
        &lines,
        &spend,
        &ambitions,
    ))
}

/// The initiatives that pass `filter`, with their ambitions, lab, partners
/// and money, for the spreadsheet export.
pub async fn export_rows(
    state: &AppState,
    actor: &Actor,
    filter: &InitiativeFilter,
) -> Result<Vec<ExportRow>> {
    let initiatives = all(state, actor, filter).await?;
    let store = state.store();
    let organisation = actor.organisation_id;
    let lines = store.funding_lines(organisation, None).await?;
    let spend = store.spend_entries(organisation, None).await?;
    let ambitions = store.all_ambitions(organisation).await?;
    let labs = store.labs(organisation).await?;
    let roles = store.partner_roles(organisation, None, None).await?;
    Ok(initiatives
        .into_iter()
        .map(|initiative| {
            let id = initiative.id;
            let money = InitiativeMoney::of(id, &lines, &spend);
            ExportRow {
                ambitions: ambitions
                    .iter()
                    .filter(|(a, ..)| initiative.ambition_ids.contains(a))
                    .map(|(_, title, _)| title.clone())
                    .collect(),
                lab: labs
                    .iter()
                    .find(|l| Some(l.id) == initiative.lab_id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
                partners: roles
                    .iter()
                    .filter(|r| r.initiative_id == id)
                    .map(|r| format!("{} ({})", r.partner_name, r.role))
                    .collect(),
                planned: money.planned,
                applied: money.applied,
                spent: money.spent,
                initiative,
            }
        })
        .collect())
}
