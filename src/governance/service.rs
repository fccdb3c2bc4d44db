//! Governance services: the one place the pages and the API go through.
//! Reading needs `view_organisation`; changing needs `manage_governance`,
//! except that an executive with an account confirms the programme
//! themselves.

use super::health::{self, Facts};
use super::spec::{self, show_day};
use super::{
    Ambition, AmbitionInput, CoCreationInput, CoCreationSession, Commitment, ConfirmationInput,
    ExecutiveInput, ExecutiveTerm, HealthCheck, Programme, ProgrammeInput, ProgrammeSummary,
    current_term,
};
use crate::auth::Actor;
use crate::domain::{
    AmbitionId, ExecutiveTermId, Frequency, IndicatorId, Period, Permission, ProgrammeId, UserId,
};
use crate::http::AppState;
use crate::{Error, Result};

/// Every programme of the organisation: active first, then drafts, then
/// closed ones.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ProgrammeSummary>> {
    actor.require(Permission::ViewOrganisation)?;
    let programmes = state.store().list_programmes(actor.organisation_id).await?;
    let mut summaries = Vec::with_capacity(programmes.len());
    for programme in programmes {
        let terms = state
            .store()
            .executive_terms(actor.organisation_id, programme.id)
            .await?;
        summaries.push(summarise(programme, &terms));
    }
    Ok(summaries)
}

fn summarise(programme: Programme, terms: &[ExecutiveTerm]) -> ProgrammeSummary {
    ProgrammeSummary {
        programme,
        commitment: Commitment::of(terms),
        executive: current_term(terms).cloned(),
    }
}

pub async fn get(state: &AppState, actor: &Actor, id: ProgrammeId) -> Result<ProgrammeSummary> {
    actor.require(Permission::ViewOrganisation)?;
    let programme = state.store().programme(actor.organisation_id, id).await?;
    let terms = state
        .store()
        .executive_terms(actor.organisation_id, id)
        .await?;
    Ok(summarise(programme, &terms))
}

pub async fn create(state: &AppState, actor: &Actor, input: &ProgrammeInput) -> Result<Programme> {
    actor.require(Permission::ManageGovernance)?;
    let spec = spec::programme_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .create_programme(&meta, actor.organisation_id, &spec)
        .await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: ProgrammeId,
    input: &ProgrammeInput,
) -> Result<Programme> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().programme(actor.organisation_id, id).await?;
    let spec = spec::programme_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state.store().update_programme(&meta, &before, &spec).await
}

pub async fn ambitions(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<Ambition>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .ambitions(actor.organisation_id, programme)
        .await
}

pub async fn ambition(state: &AppState, actor: &Actor, id: AmbitionId) -> Result<Ambition> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().ambition(actor.organisation_id, id).await
}

pub async fn create_ambition(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &AmbitionInput,
) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let spec = spec::ambition_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_ambition(&meta, actor.organisation_id, programme, None, &spec, None)
        .await
}

pub async fn update_ambition(
    state: &AppState,
    actor: &Actor,
    id: AmbitionId,
    input: &AmbitionInput,
) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().ambition(actor.organisation_id, id).await?;
    let spec = spec::ambition_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_ambition(
            &meta,
            actor.organisation_id,
            before.programme_id,
            Some(&before),
            &spec,
            None,
        )
        .await
}

/// Saves an ambition and sets exactly which indicators it is linked to, in
/// one transaction (the ambition form does both at once).
pub async fn save_ambition_with_links(
    state: &AppState,
    actor: &Actor,
    id: AmbitionId,
    input: &AmbitionInput,
    indicators: &[IndicatorId],
) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().ambition(actor.organisation_id, id).await?;
    let spec = spec::ambition_spec(input, Some(&before))?;
    let known: std::collections::HashSet<IndicatorId> = state
        .store()
        .indicator_ids(actor.organisation_id)
        .await?
        .into_iter()
        .collect();
    if indicators.iter().any(|i| !known.contains(i)) {
        return Err(Error::invalid("indicator_ids", "unknown_indicator"));
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_ambition(
            &meta,
            actor.organisation_id,
            before.programme_id,
            Some(&before),
            &spec,
            Some(indicators),
        )
        .await
}

pub async fn delete_ambition(state: &AppState, actor: &Actor, id: AmbitionId) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().ambition(actor.organisation_id, id).await?;
    let meta = actor.audit(state.clock().now());
    state.store().delete_ambition(&meta, &before).await?;
    Ok(before)
}

/// Links an indicator of the same organisation; linking twice is harmless.
pub async fn link_indicator(
    state: &AppState,
    actor: &Actor,
    id: AmbitionId,
    indicator: IndicatorId,
) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    let ambition = state.store().ambition(actor.organisation_id, id).await?;
    match state
        .store()
        .indicator(actor.organisation_id, indicator)
        .await
    {
        Ok(_) => {}
        Err(Error::NotFound) => return Err(Error::invalid("indicator_id", "unknown_indicator")),
        Err(e) => return Err(e),
    }
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .link_indicator(&meta, &ambition, indicator)
        .await?;
    state.store().ambition(actor.organisation_id, id).await
}

pub async fn unlink_indicator(
    state: &AppState,
    actor: &Actor,
    id: AmbitionId,
    indicator: IndicatorId,
) -> Result<Ambition> {
    actor.require(Permission::ManageGovernance)?;
    let ambition = state.store().ambition(actor.organisation_id, id).await?;
    let meta = actor.audit(state.clock().now());
    if !state
        .store()
        .unlink_indicator(&meta, &ambition, indicator)
        .await?
    {
        return Err(Error::NotFound);
    }
    state.store().ambition(actor.organisation_id, id).await
}

/// The ambitions an indicator serves: (ambition, title, programme, name).
pub async fn ambitions_of_indicator(
    state: &AppState,
    actor: &Actor,
    indicator: IndicatorId,
) -> Result<Vec<(AmbitionId, String, ProgrammeId, String)>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .ambitions_of_indicator(actor.organisation_id, indicator)
        .await
}

/// Every ambition with its programme's name, for filters.
pub async fn all_ambitions(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<(AmbitionId, String, String)>> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().all_ambitions(actor.organisation_id).await
}

pub async fn executives(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<ExecutiveTerm>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .executive_terms(actor.organisation_id, programme)
        .await
}

/// Records a new accountable executive. From then on the programme needs
/// renewed commitment until the new executive confirms it.
pub async fn record_executive(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &ExecutiveInput,
) -> Result<ExecutiveTerm> {
    actor.require(Permission::ManageGovernance)?;
    let programme = state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let terms = state
        .store()
        .executive_terms(actor.organisation_id, programme.id)
        .await?;
    let current = current_term(&terms);
    let member_name = match input.user_id {
        Some(user) => match state
            .store()
            .member(actor.organisation_id, UserId(user))
            .await
        {
            Ok(member) if member.active => Some(member.name),
            Ok(_) | Err(Error::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let current_start = current.and_then(|t| {
        Period::parse(Frequency::Day, &t.starts_on)
            .ok()
            .map(|p| p.day_number())
    });
    let spec = spec::executive_spec(input, member_name.as_deref(), current_start)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .record_executive(&meta, &programme, current, &spec)
        .await
}

/// The executive in office confirms the programme. Someone with an account
/// confirms it themselves; for someone without, a governance manager
/// records the confirmation they gave.
pub async fn confirm_executive(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    term: ExecutiveTermId,
    input: &ConfirmationInput,
) -> Result<ExecutiveTerm> {
    actor.require(Permission::ViewOrganisation)?;
    let terms = state
        .store()
        .executive_terms(actor.organisation_id, programme)
        .await?;
    let before = terms.iter().find(|t| t.id == term).ok_or(Error::NotFound)?;
    match before.user_id {
        Some(user) if user != actor.user_id => return Err(Error::Forbidden),
        Some(_) => {}
        None => actor.require(Permission::ManageGovernance)?,
    }
    if before.ends_on.is_some() {
        return Err(Error::conflict("confirmed_on", "term_ended"));
    }
    if before.confirmed_on.is_some() {
        return Err(Error::conflict("confirmed_on", "already_confirmed"));
    }
    let start = Period::parse(Frequency::Day, &before.starts_on)
        .map(|p| p.day_number())
        .map_err(|_| Error::Unexpected("stored start date".into()))?;
    let spec = spec::confirmation_spec(input, start, state.today().day_number())?;
    let meta = actor.audit(state.clock().now());
    state.store().confirm_executive(&meta, before, &spec).await
}

pub async fn co_creation_sessions(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<CoCreationSession>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .co_creation_sessions(actor.organisation_id, programme)
        .await
}

pub async fn record_co_creation(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &CoCreationInput,
) -> Result<CoCreationSession> {
    actor.require(Permission::ManageGovernance)?;
    let programme = state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let spec = spec::co_creation_spec(input, state.today().day_number())?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .create_co_creation_session(&meta, &programme, &spec)
        .await
}

/// Everything the programme page shows, read once.
pub struct ProgrammeOverview {
    pub summary: ProgrammeSummary,
    pub ambitions: Vec<Ambition>,
    pub terms: Vec<ExecutiveTerm>,
    pub sessions: Vec<CoCreationSession>,
    pub health: Vec<HealthCheck>,
}

pub async fn overview(
    state: &AppState,
    actor: &Actor,
    id: ProgrammeId,
) -> Result<ProgrammeOverview> {
    actor.require(Permission::ViewOrganisation)?;
    let store = state.store();
    let organisation = actor.organisation_id;
    let programme = store.programme(organisation, id).await?;
    let terms = store.executive_terms(organisation, id).await?;
    let ambitions = store.ambitions(organisation, id).await?;
    let sessions = store.co_creation_sessions(organisation, id).await?;
    let targeted = store.targeted_indicators(organisation).await?;
    let bodies = store.bodies(organisation, id).await?;
    let overdue = store
        .overdue_actions(organisation, id, state.today().day_number())
        .await?;
    let budget_lines = store.budget_lines(organisation, id).await?;
    let carry_over = store.carry_over_items(organisation, id).await?;
    let health = health::evaluate(&Facts {
        programme: &programme,
        terms: &terms,
        ambitions: &ambitions,
        targeted: &targeted,
        sessions: &sessions,
        bodies: &bodies,
        overdue_actions: &overdue,
        budget_lines: &budget_lines,
        carry_over: &carry_over,
        today: state.today().day_number(),
    });
    Ok(ProgrammeOverview {
        summary: summarise(programme, &terms),
        ambitions,
        terms,
        sessions,
        health,
    })
}

/// The health checks of one programme.
pub async fn health(state: &AppState, actor: &Actor, id: ProgrammeId) -> Result<Vec<HealthCheck>> {
    Ok(overview(state, actor, id).await?.health)
}

/// The health of every active programme, for the start page.
pub async fn active_health(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<(ProgrammeSummary, Vec<HealthCheck>)>> {
    actor.require(Permission::ViewOrganisation)?;
    let programmes = state.store().list_programmes(actor.organisation_id).await?;
    let mut out = Vec::new();
    for programme in programmes
        .into_iter()
        .filter(|p| p.status == super::ProgrammeStatus::Active)
    {
        let overview = overview(state, actor, programme.id).await?;
        out.push((overview.summary, overview.health));
    }
    Ok(out)
}

/// `YYYY-MM-DD` of today, for forms that default to it.
pub fn today_label(state: &AppState) -> String {
    show_day(state.today().day_number())
}
