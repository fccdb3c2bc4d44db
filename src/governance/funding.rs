//! Money outside the operating budget, and goals carried over from earlier
//! programmes: the budget lines of a programme per year and source, and the
//! carry-over register. Types, validation and services.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::Result;
use crate::auth::Actor;
use crate::domain::{
    BudgetLineId, CarryOverId, Name, OrganisationId, Permission, ProgrammeId, UserId, Validator,
};
use crate::http::AppState;

code_enum!(
    /// Where the money comes from. Operating budget lines are recorded to
    /// be shown apart, never counted as innovation money.
    BudgetSource, "budget_source", {
        InnovationFund => "innovation_fund",
        ExternalCofinancing => "external_cofinancing",
        OperatingBudget => "operating_budget",
    }
);

code_enum!(
    /// Where a carried-over goal stands.
    CarryOverStatus, "carry_over_status", {
        Open => "open",
        InProgress => "in_progress",
        Resolved => "resolved",
        Dropped => "dropped",
    }
);

impl CarryOverStatus {
    /// Still to be dealt with.
    pub fn is_open(self) -> bool {
        matches!(self, CarryOverStatus::Open | CarryOverStatus::InProgress)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetLine {
    pub id: BudgetLineId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    pub year: i64,
    /// Euro.
    pub amount: f64,
    pub source: BudgetSource,
    /// For external co-financing: who pays, e.g. "Rijk" or "Provincie".
    pub funder: String,
    /// For external co-financing: the scheme, e.g. "Regio Deal".
    pub scheme: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CarryOverItem {
    pub id: CarryOverId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    /// The goal that was not met.
    pub goal: String,
    /// The earlier programme it comes from.
    pub origin: String,
    /// What not meeting it causes, e.g. lagging IT functionality.
    pub consequence: String,
    pub owner_id: Option<UserId>,
    pub owner_name: String,
    /// How it will be dealt with; empty when there is no plan yet.
    pub plan: String,
    pub status: CarryOverStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A budget line as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct BudgetLineInput {
    /// 2000–2100. Required on create.
    #[schema(nullable = false, minimum = 2000, maximum = 2100)]
    pub year: Option<i64>,
    /// Euro, more than zero. Required on create.
    #[schema(nullable = false, minimum = 0)]
    pub amount: Option<f64>,
    /// Required on create.
    #[schema(nullable = false)]
    pub source: Option<BudgetSource>,
    /// Required for external co-financing.
    #[schema(nullable = false, max_length = 200)]
    pub funder: Option<String>,
    /// Required for external co-financing.
    #[schema(nullable = false, max_length = 200)]
    pub scheme: Option<String>,
    #[schema(nullable = false, max_length = 1000)]
    pub note: Option<String>,
}

/// A carried-over goal as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct CarryOverInput {
    /// Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 1000)]
    pub goal: Option<String>,
    /// Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub origin: Option<String>,
    #[schema(nullable = false, max_length = 1000)]
    pub consequence: Option<String>,
    /// A member of the organisation; `null` for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    #[schema(nullable = false, max_length = 200)]
    pub owner_name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub plan: Option<String>,
    /// Default `open`.
    #[schema(nullable = false)]
    pub status: Option<CarryOverStatus>,
}

#[derive(Debug, Clone)]
pub struct BudgetLineSpec {
    pub year: i64,
    pub amount: f64,
    pub source: BudgetSource,
    pub funder: String,
    pub scheme: String,
    pub note: String,
}

pub fn budget_line_spec(
    input: &BudgetLineInput,
    existing: Option<&BudgetLine>,
) -> Result<BudgetLineSpec> {
    let mut v = Validator::new();
    let year = input.year.or(existing.map(|l| l.year));
    match year {
        None => v.add("year", "required"),
        Some(y) if !(2000..=2100).contains(&y) => v.add("year", "out_of_bounds"),
        _ => {}
    }
    let amount = input.amount.or(existing.map(|l| l.amount));
    match amount {
        None => v.add("amount", "required"),
        Some(a) if !a.is_finite() || a <= 0.0 => v.add("amount", "out_of_bounds"),
        _ => {}
    }
    let source = input.source.or(existing.map(|l| l.source));
    if source.is_none() {
        v.add("source", "required");
    }
    let pick = |new: &Option<String>, old: Option<&String>| {
        new.clone().or_else(|| old.cloned()).unwrap_or_default()
    };
    let funder = v.text(
        "funder",
        &pick(&input.funder, existing.map(|l| &l.funder)),
        200,
    );
    let scheme = v.text(
        "scheme",
        &pick(&input.scheme, existing.map(|l| &l.scheme)),
        200,
    );
    let note = v.text("note", &pick(&input.note, existing.map(|l| &l.note)), 1000);
    if source == Some(BudgetSource::ExternalCofinancing) {
        if funder.is_empty() {
            v.add("funder", "required");
        }
        if scheme.is_empty() {
            v.add("scheme", "required");
        }
    }
    let spec = match (year, amount, source) {
        (Some(year), Some(amount), Some(source)) => Some(BudgetLineSpec {
            year,
            amount,
            source,
            funder,
            scheme,
            note,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct CarryOverSpec {
    pub goal: String,
    pub origin: String,
    pub consequence: String,
    pub owner_id: Option<UserId>,
    pub owner_name: String,
    pub plan: String,
    pub status: CarryOverStatus,
}

pub fn carry_over_spec(
    input: &CarryOverInput,
    existing: Option<&CarryOverItem>,
    member_name: Option<&str>,
) -> Result<CarryOverSpec> {
    let mut v = Validator::new();
    let pick = |new: &Option<String>, old: Option<&String>| {
        new.clone().or_else(|| old.cloned()).unwrap_or_default()
    };
    let goal = v.text("goal", &pick(&input.goal, existing.map(|c| &c.goal)), 1000);
    if goal.is_empty() {
        v.add("goal", "required");
    }
    let origin = v
        .check(
            "origin",
            Name::parse(&pick(&input.origin, existing.map(|c| &c.origin))),
        )
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let consequence = v.text(
        "consequence",
        &pick(&input.consequence, existing.map(|c| &c.consequence)),
        1000,
    );
    let owner_id = match input.owner_id {
        Some(owner) => owner.map(UserId),
        None => existing.and_then(|c| c.owner_id),
    };
    let typed = pick(&input.owner_name, existing.map(|c| &c.owner_name));
    let owner_name = if owner_id.is_some() && member_name.is_none() {
        v.add("owner_id", "unknown_member");
        String::new()
    } else if let Some(name) = member_name {
        name.to_owned()
    } else {
        v.text("owner_name", &typed, 200)
    };
    let plan = v.text("plan", &pick(&input.plan, existing.map(|c| &c.plan)), 4000);
    let status = input
        .status
        .or(existing.map(|c| c.status))
        .unwrap_or(CarryOverStatus::Open);
    let spec = CarryOverSpec {
        goal,
        origin,
        consequence,
        owner_id,
        owner_name,
        plan,
        status,
    };
    v.finish(Some(spec))
}

pub async fn budget_lines(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<BudgetLine>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .budget_lines(actor.organisation_id, programme)
        .await
}

pub async fn budget_line(state: &AppState, actor: &Actor, id: BudgetLineId) -> Result<BudgetLine> {
    actor.require(Permission::ViewOrganisation)?;
    state.store().budget_line(actor.organisation_id, id).await
}

pub async fn create_budget_line(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &BudgetLineInput,
) -> Result<BudgetLine> {
    actor.require(Permission::ManageGovernance)?;
    let programme = state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let spec = budget_line_spec(input, None)?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_budget_line(&meta, &programme, None, &spec)
        .await
}

pub async fn update_budget_line(
    state: &AppState,
    actor: &Actor,
    id: BudgetLineId,
    input: &BudgetLineInput,
) -> Result<BudgetLine> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().budget_line(actor.organisation_id, id).await?;
    let programme = state
        .store()
        .programme(actor.organisation_id, before.programme_id)
        .await?;
    let spec = budget_line_spec(input, Some(&before))?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_budget_line(&meta, &programme, Some(&before), &spec)
        .await
}

pub async fn delete_budget_line(
    state: &AppState,
    actor: &Actor,
    id: BudgetLineId,
) -> Result<BudgetLine> {
    actor.require(Permission::ManageGovernance)?;
    let before = state.store().budget_line(actor.organisation_id, id).await?;
    let meta = actor.audit(state.clock().now());
    state.store().delete_budget_line(&meta, &before).await?;
    Ok(before)
}

pub async fn carry_over_items(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<Vec<CarryOverItem>> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    state
        .store()
        .carry_over_items(actor.organisation_id, programme)
        .await
}

pub async fn carry_over_item(
    state: &AppState,
    actor: &Actor,
    id: CarryOverId,
) -> Result<CarryOverItem> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .carry_over_item(actor.organisation_id, id)
        .await
}

pub async fn create_carry_over(
    state: &AppState,
    actor: &Actor,
    programme: ProgrammeId,
    input: &CarryOverInput,
) -> Result<CarryOverItem> {
    actor.require(Permission::ManageGovernance)?;
    let programme = state
        .store()
        .programme(actor.organisation_id, programme)
        .await?;
    let member =
        super::steering_service::member_name(state, actor, input.owner_id.flatten()).await?;
    let spec = carry_over_spec(input, None, member.as_deref())?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_carry_over(&meta, &programme, None, &spec)
        .await
}

pub async fn update_carry_over(
    state: &AppState,
    actor: &Actor,
    id: CarryOverId,
    input: &CarryOverInput,
) -> Result<CarryOverItem> {
    actor.require(Permission::ManageGovernance)?;
    let before = state
        .store()
        .carry_over_item(actor.organisation_id, id)
        .await?;
    let programme = state
        .store()
        .programme(actor.organisation_id, before.programme_id)
        .await?;
    let owner = match input.owner_id {
        Some(owner) => owner,
        None => before.owner_id.map(|o| o.0),
    };
    let member = super::steering_service::member_name(state, actor, owner).await?;
    let spec = carry_over_spec(input, Some(&before), member.as_deref())?;
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .save_carry_over(&meta, &programme, Some(&before), &spec)
        .await
}
