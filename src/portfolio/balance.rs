//! The balance of the portfolio: how initiatives and money spread over
//! stages, technologies, ambitions and funding sources, so that a
//! programme lead sees at a glance where the portfolio is thin or heavy.
//! Every initiative counts, stopped ones too (their money was spent); an
//! initiative with several tags or ambitions counts under each of them.

use std::collections::BTreeSet;

use serde::Serialize;

use super::funding::{FundingLine, FundingSummary, InitiativeMoney, SpendEntry};
use super::{Initiative, Stage, TECHNOLOGIES};
use crate::domain::{AmbitionId, Money};

/// One group of the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BalanceRow {
    /// A stage code, a technology tag, an ambition id, or `none` for
    /// initiatives without an ambition.
    pub key: String,
    /// The ambition's title; empty for other groups.
    pub name: String,
    pub initiatives: i64,
    /// Own money and granted co-financing.
    #[schema(value_type = String)]
    pub planned: Money,
    #[schema(value_type = String)]
    pub spent: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PortfolioBalance {
    pub initiatives: i64,
    /// Every stage in order, empty ones too.
    pub by_stage: Vec<BalanceRow>,
    /// The common technologies (empty ones too), then the organisation's
    /// own tags alphabetically.
    pub by_technology: Vec<BalanceRow>,
    /// Every ambition given (empty ones too), then `none`.
    pub by_ambition: Vec<BalanceRow>,
    pub by_source: FundingSummary,
}

fn group<'a>(
    key: String,
    name: String,
    members: impl Iterator<Item = &'a (Initiative, Money, Money)>,
) -> BalanceRow {
    let mut row = BalanceRow {
        key,
        name,
        initiatives: 0,
        planned: Money::from_cents(0),
        spent: Money::from_cents(0),
    };
    for (_, planned, spent) in members {
        row.initiatives += 1;
        row.planned = row.planned + *planned;
        row.spent = row.spent + *spent;
    }
    row
}

impl PortfolioBalance {
    pub fn of(
        initiatives: Vec<Initiative>,
        lines: &[FundingLine],
        spend: &[SpendEntry],
        ambitions: &[(AmbitionId, String)],
    ) -> PortfolioBalance {
        let counted: Vec<(Initiative, Money, Money)> = initiatives
            .into_iter()
            .map(|i| {
                let money = InitiativeMoney::of(i.id, lines, spend);
                (i, money.planned, money.spent)
            })
            .collect();
        let by_stage = Stage::ALL
            .iter()
            .map(|stage| {
                group(
                    stage.code().to_owned(),
                    String::new(),
                    counted.iter().filter(|(i, ..)| i.stage == *stage),
                )
            })
            .collect();
        let own: BTreeSet<&str> = counted
            .iter()
            .flat_map(|(i, ..)| i.technologies.iter().map(String::as_str))
            .filter(|tag| !TECHNOLOGIES.contains(tag))
            .collect();
        let by_technology = TECHNOLOGIES
            .iter()
            .copied()
            .chain(own)
            .map(|tag| {
                group(
                    tag.to_owned(),
                    String::new(),
                    counted
                        .iter()
                        .filter(|(i, ..)| i.technologies.iter().any(|t| t == tag)),
                )
            })
            .collect();
        let mut by_ambition: Vec<BalanceRow> = ambitions
            .iter()
            .map(|(id, title)| {
                group(
                    id.0.to_string(),
                    title.clone(),
                    counted.iter().filter(|(i, ..)| i.ambition_ids.contains(id)),
                )
            })
            .collect();
        by_ambition.push(group(
            "none".to_owned(),
            String::new(),
            counted.iter().filter(|(i, ..)| {
                !i.ambition_ids
                    .iter()
                    .any(|a| ambitions.iter().any(|(k, _)| k == a))
            }),
        ));
        PortfolioBalance {
            initiatives: i64::try_from(counted.len()).unwrap_or(i64::MAX),
            by_stage,
            by_technology,
            by_ambition,
            by_source: FundingSummary::of(lines, spend),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{InitiativeId, OrganisationId};
    use crate::portfolio::InitiativeKind;
    use crate::portfolio::funding::FundingSource;
    use crate::portfolio::funding::FundingStatus;

    fn initiative(id: i64, stage: Stage, tags: &[&str], ambitions: &[i64]) -> Initiative {
        Initiative {
            id: InitiativeId(id),
            organisation_id: OrganisationId(1),
            kind: InitiativeKind::Experiment,
            title: format!("I{id}"),
            problem: String::new(),
            hypothesis: String::new(),
            learning_goals: vec![],
            technologies: tags.iter().map(|t| (*t).to_owned()).collect(),
            owner_id: None,
            unit_id: None,
            go_live_on: None,
            stage,
            cost_estimate: None,
            ambition_ids: ambitions.iter().copied().map(AmbitionId).collect(),
            indicators: vec![],
            lab_id: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
            version: 1,
            intervention: None,
        }
    }

    fn line(initiative: i64, status: FundingStatus, cents: i64) -> FundingLine {
        FundingLine {
            id: 0,
            organisation_id: OrganisationId(1),
            initiative_id: InitiativeId(initiative),
            source: FundingSource::ExternalCofinancing,
            funder: "EU".into(),
            scheme: "EFRO".into(),
            status,
            year: 2026,
            amount: Money::from_cents(cents),
            note: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn spend(initiative: i64, cents: i64) -> SpendEntry {
        SpendEntry {
            id: 0,
            organisation_id: OrganisationId(1),
            initiative_id: InitiativeId(initiative),
            spent_on: "2026-01-01".into(),
            amount: Money::from_cents(cents),
            source: FundingSource::ExternalCofinancing,
            description: "x".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn groups_count_every_initiative_under_each_tag_and_ambition_with_exact_money() {
        let initiatives = vec![
            initiative(1, Stage::Pilot, &["ai", "sensors_iot"], &[10]),
            initiative(2, Stage::Pilot, &["ai", "digital twin"], &[10, 11]),
            initiative(3, Stage::Stopped, &[], &[]),
        ];
        let lines = [
            line(1, FundingStatus::Granted, 1_000_001),
            line(2, FundingStatus::Granted, 500_010),
            // Applied and refused money is not planned.
            line(2, FundingStatus::Applied, 9_999_999),
            line(3, FundingStatus::Refused, 1_00),
        ];
        let spent = [spend(1, 1_00), spend(2, 2_02), spend(3, 30_03)];
        let ambitions = [
            (AmbitionId(10), "Digitaal eerst".to_owned()),
            (AmbitionId(11), "Data".to_owned()),
            (AmbitionId(12), "Leeg".to_owned()),
        ];
        let balance = PortfolioBalance::of(initiatives, &lines, &spent, &ambitions);
        assert_eq!(balance.initiatives, 3);

        let pilot = balance.by_stage.iter().find(|r| r.key == "pilot").unwrap();
        assert_eq!(
            (
                pilot.initiatives,
                pilot.planned.cents(),
                pilot.spent.cents()
            ),
            (2, 1_500_011, 3_02)
        );
        let stopped = balance
            .by_stage
            .iter()
            .find(|r| r.key == "stopped")
            .unwrap();
        assert_eq!(
            (
                stopped.initiatives,
                stopped.planned.cents(),
                stopped.spent.cents()
            ),
            (1, 0, 30_03)
        );
        assert_eq!(balance.by_stage.len(), Stage::ALL.len());

        let ai = balance
            .by_technology
            .iter()
            .find(|r| r.key == "ai")
            .unwrap();
        assert_eq!((ai.initiatives, ai.planned.cents()), (2, 1_500_011));
        assert_eq!(balance.by_technology.last().unwrap().key, "digital twin");
        assert_eq!(balance.by_technology.len(), TECHNOLOGIES.len() + 1);

        let keys: Vec<(&str, i64)> = balance
            .by_ambition
            .iter()
            .map(|r| (r.key.as_str(), r.initiatives))
            .collect();
        assert_eq!(keys, vec![("10", 2), ("11", 1), ("12", 0), ("none", 1)]);
        assert_eq!(balance.by_ambition[1].name, "Data");
        assert_eq!(balance.by_ambition[1].planned.cents(), 500_010);
    }
}
