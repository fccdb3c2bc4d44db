//! Money of an initiative: funding lines per source and year, and the spend
//! ledger. Innovation money and the regular operating budget are kept
//! apart; external co-financing counts once it is granted. All amounts are
//! whole cents, so every total is exact.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{InitiativeId, Money, Name, OrganisationId, Validator};

code_enum!(
    /// Where an initiative's money comes from.
    FundingSource, "funding_source", {
        InnovationBudget => "innovation_budget",
        OperatingBudget => "operating_budget",
        ExternalCofinancing => "external_cofinancing",
    }
);

code_enum!(
    /// Where a co-financing application stands.
    FundingStatus, "funding_status", {
        Applied => "applied",
        Granted => "granted",
        Refused => "refused",
    }
);

impl FundingSource {
    /// Money for innovation, as opposed to the regular operating budget.
    pub fn is_innovation(self) -> bool {
        self != FundingSource::OperatingBudget
    }
}

/// Identifies a funding line or a spend entry.
pub type LineId = i64;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundingLine {
    pub id: LineId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub initiative_id: InitiativeId,
    pub source: FundingSource,
    /// For co-financing: who pays, e.g. "Europese Unie".
    pub funder: String,
    /// For co-financing: the scheme, e.g. "EFRO".
    pub scheme: String,
    /// `granted` for own money; for co-financing as the application stands.
    pub status: FundingStatus,
    pub year: i64,
    #[schema(value_type = String)]
    pub amount: Money,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SpendEntry {
    pub id: LineId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub initiative_id: InitiativeId,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    #[schema(value_type = String)]
    pub amount: Money,
    /// The source the spend is charged to.
    pub source: FundingSource,
    pub description: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct FundingInput {
    #[schema(nullable = false)]
    pub source: Option<FundingSource>,
    /// Required for co-financing.
    #[schema(nullable = false, max_length = 200)]
    pub funder: Option<String>,
    /// Required for co-financing.
    #[schema(nullable = false, max_length = 200)]
    pub scheme: Option<String>,
    /// For co-financing; default `applied`. Own money is always `granted`.
    #[schema(nullable = false)]
    pub status: Option<FundingStatus>,
    /// 2000–2100.
    #[schema(nullable = false, minimum = 2000, maximum = 2100)]
    pub year: Option<i64>,
    /// Euro as a decimal string, more than zero, e.g. "250000.00".
    #[schema(nullable = false)]
    pub amount: Option<String>,
    #[schema(nullable = false, max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct SpendInput {
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`), not in the future.
    #[schema(nullable = false)]
    pub spent_on: Option<String>,
    /// Euro as a decimal string, more than zero.
    #[schema(nullable = false)]
    pub amount: Option<String>,
    #[schema(nullable = false)]
    pub source: Option<FundingSource>,
    /// 1–500 characters.
    #[schema(nullable = false, min_length = 1, max_length = 500)]
    pub description: Option<String>,
}

/// Planned against spent for one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SourceTotals {
    pub source: FundingSource,
    /// Own money and granted co-financing.
    #[schema(value_type = String)]
    pub planned: Money,
    /// Co-financing applied for and not yet decided.
    #[schema(value_type = String)]
    pub applied: Money,
    #[schema(value_type = String)]
    pub spent: Money,
    /// Planned minus spent; negative when overspent.
    #[schema(value_type = String)]
    pub remaining: Money,
}

/// Budget against spend per source, with innovation money and the operating
/// budget apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FundingSummary {
    pub by_source: Vec<SourceTotals>,
    /// Innovation budget and granted co-financing.
    #[schema(value_type = String)]
    pub innovation_planned: Money,
    #[schema(value_type = String)]
    pub innovation_spent: Money,
    #[schema(value_type = String)]
    pub operating_planned: Money,
    #[schema(value_type = String)]
    pub operating_spent: Money,
}

impl FundingSummary {
    pub fn of(lines: &[FundingLine], spend: &[SpendEntry]) -> FundingSummary {
        let by_source: Vec<SourceTotals> = FundingSource::ALL
            .iter()
            .map(|source| {
                let mine = lines.iter().filter(|l| l.source == *source);
                let planned: Money = mine
                    .clone()
                    .filter(|l| l.status == FundingStatus::Granted)
                    .map(|l| l.amount)
                    .sum();
                let applied: Money = mine
                    .filter(|l| l.status == FundingStatus::Applied)
                    .map(|l| l.amount)
                    .sum();
                let spent: Money = spend
                    .iter()
                    .filter(|s| s.source == *source)
                    .map(|s| s.amount)
                    .sum();
                SourceTotals {
                    source: *source,
                    planned,
                    applied,
                    spent,
                    remaining: planned - spent,
                }
            })
            .collect();
        let sum = |innovation: bool, pick: fn(&SourceTotals) -> Money| -> Money {
            by_source
                .iter()
                .filter(|t| t.source.is_innovation() == innovation)
                .map(pick)
                .sum()
        };
        FundingSummary {
            innovation_planned: sum(true, |t| t.planned),
            innovation_spent: sum(true, |t| t.spent),
            operating_planned: sum(false, |t| t.planned),
            operating_spent: sum(false, |t| t.spent),
            by_source,
        }
    }
}

/// One initiative's money: own money and granted co-financing (planned),
/// co-financing applied for and not yet decided, and spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitiativeMoney {
    pub planned: Money,
    pub applied: Money,
    pub spent: Money,
}

impl InitiativeMoney {
    pub fn of(id: InitiativeId, lines: &[FundingLine], spend: &[SpendEntry]) -> InitiativeMoney {
        let lines = || lines.iter().filter(|l| l.initiative_id == id);
        InitiativeMoney {
            planned: lines()
                .filter(|l| l.status == FundingStatus::Granted)
                .map(|l| l.amount)
                .sum(),
            applied: lines()
                .filter(|l| l.status == FundingStatus::Applied)
                .map(|l| l.amount)
                .sum(),
            spent: spend
                .iter()
                .filter(|s| s.initiative_id == id)
                .map(|s| s.amount)
                .sum(),
        }
    }
}

fn amount(v: &mut Validator, input: Option<&str>) -> Option<Money> {
    let money = v.check("amount", Money::parse(input.unwrap_or("")))?;
    if money.is_positive() {
        Some(money)
    } else {
        v.add("amount", "out_of_bounds");
        None
    }
}

#[derive(Debug, Clone)]
pub struct FundingSpec {
    pub source: FundingSource,
    pub funder: String,
    pub scheme: String,
    pub status: FundingStatus,
    pub year: i64,
    pub amount: Money,
    pub note: String,
}

pub fn funding_spec(input: &FundingInput) -> crate::Result<FundingSpec> {
    let mut v = Validator::new();
    if input.source.is_none() {
        v.add("source", "required");
    }
    let funder = v.line("funder", input.funder.as_deref().unwrap_or(""), 200);
    let scheme = v.line("scheme", input.scheme.as_deref().unwrap_or(""), 200);
    let external = input.source == Some(FundingSource::ExternalCofinancing);
    if external {
        if funder.is_empty() {
            v.add("funder", "required");
        }
        if scheme.is_empty() {
            v.add("scheme", "required");
        }
    }
    let status = if external {
        input.status.unwrap_or(FundingStatus::Applied)
    } else {
        if input.status.is_some_and(|s| s != FundingStatus::Granted) {
            v.add("status", "own_money_is_granted");
        }
        FundingStatus::Granted
    };
    let year = input.year;
    match year {
        None => v.add("year", "required"),
        Some(y) if !(2000..=2100).contains(&y) => v.add("year", "out_of_bounds"),
        _ => {}
    }
    let amount = amount(&mut v, input.amount.as_deref());
    let note = v.line("note", input.note.as_deref().unwrap_or(""), 1000);
    let spec = match (input.source, year, amount) {
        (Some(source), Some(year), Some(amount)) => Some(FundingSpec {
            source,
            funder,
            scheme,
            status,
            year,
            amount,
            note,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[derive(Debug, Clone)]
pub struct SpendSpec {
    pub spent_on: i64,
    pub amount: Money,
    pub source: FundingSource,
    pub description: String,
}

pub fn spend_spec(input: &SpendInput, today: i64) -> crate::Result<SpendSpec> {
    let mut v = Validator::new();
    let spent_on = v
        .check(
            "spent_on",
            crate::domain::Period::parse(
                crate::domain::Frequency::Day,
                input.spent_on.as_deref().unwrap_or(""),
            ),
        )
        .map(|p| p.day_number());
    if spent_on.is_some_and(|d| d > today) {
        v.add("spent_on", "in_future");
    }
    let amount = amount(&mut v, input.amount.as_deref());
    if input.source.is_none() {
        v.add("source", "required");
    }
    let description = v
        .check(
            "description",
            Name::parse(input.description.as_deref().unwrap_or("")),
        )
        .map(|n| n.as_str().to_owned());
    let spec = match (spent_on, amount, input.source, description) {
        (Some(spent_on), Some(amount), Some(source), Some(description)) => Some(SpendSpec {
            spent_on,
            amount,
            source,
            description,
        }),
        _ => None,
    };
    v.finish(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(source: FundingSource, status: FundingStatus, cents: i64) -> FundingLine {
        FundingLine {
            id: 1,
            organisation_id: OrganisationId(1),
            initiative_id: InitiativeId(1),
            source,
            funder: String::new(),
            scheme: String::new(),
            status,
            year: 2026,
            amount: Money::from_cents(cents),
            note: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn spent(source: FundingSource, cents: i64) -> SpendEntry {
        SpendEntry {
            id: 1,
            organisation_id: OrganisationId(1),
            initiative_id: InitiativeId(1),
            spent_on: "2026-05-01".into(),
            amount: Money::from_cents(cents),
            source,
            description: "x".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn an_initiative_s_money_splits_granted_applied_and_spent_and_ignores_others() {
        let mut other = line(
            FundingSource::InnovationBudget,
            FundingStatus::Granted,
            99_999,
        );
        other.initiative_id = InitiativeId(2);
        let lines = [
            line(
                FundingSource::InnovationBudget,
                FundingStatus::Granted,
                1_001,
            ),
            line(
                FundingSource::ExternalCofinancing,
                FundingStatus::Applied,
                2_002,
            ),
            line(
                FundingSource::ExternalCofinancing,
                FundingStatus::Refused,
                4_004,
            ),
            other,
        ];
        let spend = [spent(FundingSource::InnovationBudget, 303)];
        let money = InitiativeMoney::of(InitiativeId(1), &lines, &spend);
        assert_eq!(
            (
                money.planned.cents(),
                money.applied.cents(),
                money.spent.cents()
            ),
            (1_001, 2_002, 303)
        );
    }
    #[test]
    fn totals_are_exact_and_keep_innovation_apart() {
        use FundingSource as S;
        use FundingStatus as St;
        let lines = [
            line(S::InnovationBudget, St::Granted, 10),
            line(S::InnovationBudget, St::Granted, 20),
            line(S::ExternalCofinancing, St::Granted, 5_000_000),
            line(S::ExternalCofinancing, St::Applied, 700),
            line(S::ExternalCofinancing, St::Refused, 999),
            line(S::OperatingBudget, St::Granted, 3_000),
        ];
        let spend = [
            spent(S::InnovationBudget, 45),
            spent(S::OperatingBudget, 1_000),
        ];
        let summary = FundingSummary::of(&lines, &spend);
        assert_eq!(summary.innovation_planned, Money::from_cents(5_000_030));
        assert_eq!(summary.innovation_spent, Money::from_cents(45));
        assert_eq!(summary.operating_planned, Money::from_cents(3_000));
        assert_eq!(summary.operating_spent, Money::from_cents(1_000));
        let innovation = &summary.by_source[0];
        assert_eq!(
            innovation.remaining,
            Money::from_cents(-15),
            "overspent shows negative"
        );
        assert_eq!(summary.by_source[2].applied, Money::from_cents(700));
        assert_eq!(
            summary.by_source[2].planned,
            Money::from_cents(5_000_000),
            "refused is not counted"
        );
    }
}
