//! The idea platform's own figures, per quarter: how many ideas each unit
//! posts, what share of them became an experiment, and how long a
//! decision takes. `compute` is pure; `record` keeps them as indicators
//! (codes in `CODES`) so that the organisation can set targets and steer
//! on them like on any other indicator.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use super::IdeaRecord;
use crate::auth::Actor;
use crate::domain::{
    Aggregation, Direction, Frequency, IndicatorCode, Name, Permission, Perspective, UnitId,
    ValueUnit,
};
use crate::http::AppState;
use crate::indicators::{BatchResult, Dimension, Indicator, IndicatorSpec, MeasurementSpec};
use crate::{Error, Result};

/// Ideas posted in a quarter, per unit.
pub const CODE_POSTED: &str = "IDEEEN";
/// Share of a quarter's ideas that became an experiment, in percent.
pub const CODE_PROMOTED: &str = "IDEEEN_EXPERIMENT";
/// Median days from posting to the decision, for decisions in a quarter.
pub const CODE_DECISION_DAYS: &str = "IDEEEN_BESLISTIJD";
/// The breakdown of `CODE_POSTED`.
pub const UNIT_DIMENSION: &str = "eenheid";

/// One unit's ideas in a quarter.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitCount {
    /// Absent for ideas without a unit.
    pub unit_id: Option<UnitId>,
    pub posted: i64,
}

/// The figures of one quarter.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuarterFigures {
    /// E.g. `2026-Q3`.
    pub period: String,
    /// Ideas posted in the quarter (hidden ones not counted).
    pub posted: i64,
    pub per_unit: Vec<UnitCount>,
    /// Of the ideas posted in the quarter, those that became an
    /// experiment so far.
    pub promoted: i64,
    /// `promoted / posted` in percent; absent without ideas.
    pub promoted_share: Option<f64>,
    /// Ideas accepted or declined in the quarter.
    pub decided: i64,
    /// The median days from posting to that decision.
    pub median_days_to_decision: Option<f64>,
}

/// The figures of every quarter from the first idea to today.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IdeaFigures {
    /// Oldest first.
    pub quarters: Vec<QuarterFigures>,
}

fn quarter(at: OffsetDateTime) -> crate::domain::Period {
    crate::domain::Period::containing(Frequency::Quarter, at.date())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Figures per quarter up to and including `today`'s. Ideas a moderator
/// hid do not count.
pub fn compute(ideas: &[IdeaRecord], today: OffsetDateTime) -> IdeaFigures {
    let shown: Vec<&IdeaRecord> = ideas.iter().filter(|i| i.hidden_reason.is_none()).collect();
    let Some(first) = shown.iter().map(|i| quarter(i.created_at)).min() else {
        return IdeaFigures {
            quarters: Vec::new(),
        };
    };
    let last = quarter(today).max(first);
    let mut quarters = Vec::new();
    let mut period = first;
    loop {
        let posted: Vec<&&IdeaRecord> = shown
            .iter()
            .filter(|i| quarter(i.created_at) == period)
            .collect();
        let mut per_unit: BTreeMap<Option<UnitId>, i64> = BTreeMap::new();
        for idea in &posted {
            *per_unit.entry(idea.unit_id).or_default() += 1;
        }
        let promoted = posted.iter().filter(|i| i.initiative_id.is_some()).count();
        let days: Vec<f64> = shown
            .iter()
            .filter_map(|i| i.decided_at.map(|d| (i.created_at, d)))
            .filter(|(_, decided)| quarter(*decided) == period)
            .map(|(created, decided)| (decided - created).as_seconds_f64() / 86_400.0)
            .collect();
        let count = i64::try_from(posted.len()).unwrap_or(i64::MAX);
        quarters.push(QuarterFigures {
            period: period.label(),
            posted: count,
            per_unit: per_unit
                .into_iter()
                .map(|(unit_id, posted)| UnitCount { unit_id, posted })
                .collect(),
            promoted: i64::try_from(promoted).unwrap_or(i64::MAX),
            promoted_share: (count > 0).then(|| promoted as f64 * 100.0 / count as f64),
            decided: i64::try_from(days.len()).unwrap_or(i64::MAX),
            median_days_to_decision: median(days).map(|d| (d * 10.0).round() / 10.0),
        });
        if period >= last {
            break;
        }
        period = period.next();
    }
    IdeaFigures { quarters }
}

pub async fn get(state: &AppState, actor: &Actor) -> Result<IdeaFigures> {
    actor.require(Permission::ViewOrganisation)?;
    let ideas = state.store().ideas(actor.organisation_id).await?;
    Ok(compute(&ideas, state.clock().now()))
}

/// What recording the figures did to one indicator.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordedIndicator {
    pub code: String,
    pub indicator_id: crate::domain::IndicatorId,
    /// Whether the indicator was made now.
    pub created: bool,
    pub measurements: BatchResult,
}

/// A dimension value for a unit: its name without the characters a
/// breakdown value cannot hold, cut to the allowed length.
fn unit_value(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "=;[]".contains(c) { ' ' } else { c })
        .collect();
    clean.trim().chars().take(60).collect()
}

struct Definition {
    code: &'static str,
    unit: ValueUnit,
    direction: Direction,
    aggregation: Aggregation,
    key: &'static str,
}

const DEFINITIONS: [Definition; 3] = [
    Definition {
        code: CODE_POSTED,
        unit: ValueUnit::Count,
        direction: Direction::HigherIsBetter,
        aggregation: Aggregation::Sum,
        key: "posted",
    },
    Definition {
        code: CODE_PROMOTED,
        unit: ValueUnit::Percentage,
        direction: Direction::HigherIsBetter,
        aggregation: Aggregation::Mean,
        key: "promoted",
    },
    Definition {
        code: CODE_DECISION_DAYS,
        unit: ValueUnit::Days,
        direction: Direction::LowerIsBetter,
        aggregation: Aggregation::Mean,
        key: "decision_days",
    },
];

fn spec_of(
    t: crate::i18n::Tr,
    definition: &Definition,
    dimensions: Vec<Dimension>,
) -> Result<IndicatorSpec> {
    let unexpected = |what: &str| Error::Unexpected(format!("idea figure {what} invalid"));
    Ok(IndicatorSpec {
        code: IndicatorCode::parse(definition.code).map_err(|_| unexpected("code"))?,
        name: Name::parse(t.get(&format!("ideas.figures.{}_name", definition.key)))
            .map_err(|_| unexpected("name"))?,
        description: t
            .get(&format!("ideas.figures.{}_description", definition.key))
            .to_owned(),
        perspective: Perspective::Employee,
        unit: definition.unit,
        min_value: None,
        max_value: None,
        direction: definition.direction,
        range: None,
        frequency: Frequency::Quarter,
        aggregation: definition.aggregation,
        baseline: None,
        owner: None,
        responsible_unit: None,
        data_source: t.get("ideas.figures.data_source").to_owned(),
        published: false,
        dimensions,
        formula: None,
        expected_version: None,
    })
}

/// Keeps the figures as quarterly indicators: makes them the first time,
/// adds new units to the breakdown, and records every quarter's values
/// (changed values are updated, the rest left alone). A code in use for
/// something else is a conflict.
pub async fn record(state: &AppState, actor: &Actor) -> Result<Vec<RecordedIndicator>> {
    actor.require(Permission::ManageIndicators)?;
    let figures = get(state, actor).await?;
    let units = state.store().list_units(actor.organisation_id).await?;
    let unit_name = |id: Option<UnitId>| -> String {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| unit_value(&u.name))
            .unwrap_or_else(|| "-".to_owned())
    };
    let mut unit_values: Vec<String> = Vec::new();
    for q in &figures.quarters {
        for count in &q.per_unit {
            let value = unit_name(count.unit_id);
            if !unit_values.contains(&value) {
                unit_values.push(value);
            }
        }
    }
    // Too many units for a breakdown: the totals still count.
    let breakdown = unit_values.len() <= crate::indicators::dimensions::MAX_VALUES;
    let t = crate::i18n::Tr::new(crate::domain::Locale::Nl);
    let existing = state.store().all_indicators(actor.organisation_id).await?;
    let meta = actor.audit(state.clock().now());
    let mut out = Vec::new();
    for definition in &DEFINITIONS {
        let mut dimensions = Vec::new();
        if definition.code == CODE_POSTED && breakdown && !unit_values.is_empty() {
            dimensions.push(Dimension {
                name: UNIT_DIMENSION.to_owned(),
                values: unit_values.clone(),
            });
        }
        let (indicator, created) = match existing.iter().find(|i| i.code == definition.code) {
            Some(found) => {
                let widened = match widen(state, &meta, found, definition, dimensions.clone()).await
                {
                    // Someone changed the indicator since it was read:
                    // widen what is stored now, once.
                    Err(Error::Conflict(field)) if field.field == "version" => {
                        let now = state
                            .store()
                            .indicator(actor.organisation_id, found.id)
                            .await?;
                        widen(state, &meta, &now, definition, dimensions).await?
                    }
                    other => other?,
                };
                (widened, false)
            }
            None => (
                state
                    .store()
                    .create_indicator(
                        &meta,
                        actor.organisation_id,
                        &spec_of(t, definition, dimensions)?,
                    )
                    .await?,
                true,
            ),
        };
        let mut specs = Vec::new();
        for q in &figures.quarters {
            let period = crate::domain::Period::parse(Frequency::Quarter, &q.period)
                .map_err(|_| Error::Unexpected("quarter label".into()))?;
            let value = match definition.key {
                "posted" => Some(q.posted as f64),
                "promoted" => q.promoted_share,
                _ => q.median_days_to_decision,
            };
            let Some(value) = value else { continue };
            specs.push(MeasurementSpec {
                period,
                dimension_key: String::new(),
                value: (value * 10.0).round() / 10.0,
                note: String::new(),
            });
            if definition.code == CODE_POSTED && !indicator.dimensions.is_empty() {
                for count in &q.per_unit {
                    let given =
                        BTreeMap::from([(UNIT_DIMENSION.to_owned(), unit_name(count.unit_id))]);
                    let key = crate::indicators::dimensions::key(&indicator.dimensions, &given)
                        .map_err(|_| Error::Unexpected("unit breakdown".into()))?;
                    specs.push(MeasurementSpec {
                        period,
                        dimension_key: key,
                        value: count.posted as f64,
                        note: String::new(),
                    });
                }
            }
        }
        let measurements = if specs.is_empty() {
            BatchResult::default()
        } else {
            state
                .store()
                .upsert_measurements(&meta, &indicator, &specs, "ideas")
                .await?
        };
        out.push(RecordedIndicator {
            code: definition.code.to_owned(),
            indicator_id: indicator.id,
            created,
            measurements,
        });
    }
    Ok(out)
}

/// An existing indicator with our code: the same kind of figure, with the
/// breakdown widened to today's units.
async fn widen(
    state: &AppState,
    meta: &crate::store::AuditMeta,
    found: &Indicator,
    definition: &Definition,
    dimensions: Vec<Dimension>,
) -> Result<Indicator> {
    if found.unit != definition.unit
        || found.frequency != Frequency::Quarter
        || found.formula.is_some()
    {
        return Err(Error::conflict("code", "figure_code_in_use"));
    }
    let Some(wanted) = dimensions.into_iter().next() else {
        return Ok(found.clone());
    };
    let mut merged = found.dimensions.clone();
    if let Some(have) = merged.iter_mut().find(|d| d.name == wanted.name) {
        let missing: Vec<String> = wanted
            .values
            .into_iter()
            .filter(|v| !have.values.contains(v))
            .collect();
        if missing.is_empty()
            || have.values.len() + missing.len() > crate::indicators::dimensions::MAX_VALUES
        {
            return Ok(found.clone());
        }
        have.values.extend(missing);
    } else if merged.is_empty() {
        merged.push(wanted);
    } else {
        return Ok(found.clone());
    }
    let spec = crate::indicators::service::spec_with_dimensions(found, merged)?;
    state.store().update_indicator(meta, found, &spec).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IdeaId, InitiativeId, OrganisationId, UserId};
    use time::macros::datetime;

    fn idea(
        id: i64,
        created: OffsetDateTime,
        unit: Option<i64>,
        decided: Option<OffsetDateTime>,
        promoted: bool,
    ) -> IdeaRecord {
        IdeaRecord {
            id: IdeaId(id),
            organisation_id: OrganisationId(1),
            author_id: UserId(1),
            author_name: "A".into(),
            author_hidden: false,
            title: "T".into(),
            problem: "P".into(),
            proposal: "Q".into(),
            unit_id: unit.map(UnitId),
            tags: Vec::new(),
            links: Vec::new(),
            state: super::super::IdeaState::New,
            state_reason: String::new(),
            initiative_id: promoted.then_some(InitiativeId(id)),
            supports: 0,
            campaign_id: None,
            hidden_reason: None,
            decided_at: decided,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn quarters_count_ideas_per_unit_share_promoted_and_median_days_to_decision() {
        let mut hidden = idea(5, datetime!(2026-02-01 9:00 UTC), Some(1), None, false);
        hidden.hidden_reason = Some("spam".into());
        let ideas = [
            idea(
                1,
                datetime!(2026-01-10 9:00 UTC),
                Some(1),
                Some(datetime!(2026-01-20 9:00 UTC)),
                true,
            ),
            idea(
                2,
                datetime!(2026-02-10 9:00 UTC),
                Some(1),
                Some(datetime!(2026-04-10 9:00 UTC)),
                false,
            ),
            idea(3, datetime!(2026-03-10 9:00 UTC), None, None, false),
            idea(
                4,
                datetime!(2026-03-11 9:00 UTC),
                Some(2),
                Some(datetime!(2026-03-15 9:00 UTC)),
                false,
            ),
            hidden,
        ];
        let figures = compute(&ideas, datetime!(2026-07-01 9:00 UTC));
        let labels: Vec<&str> = figures.quarters.iter().map(|q| q.period.as_str()).collect();
        assert_eq!(labels, ["2026-Q1", "2026-Q2", "2026-Q3"]);
        let q1 = &figures.quarters[0];
        assert_eq!(q1.posted, 4);
        assert_eq!(
            q1.per_unit,
            [
                UnitCount {
                    unit_id: None,
                    posted: 1
                },
                UnitCount {
                    unit_id: Some(UnitId(1)),
                    posted: 2
                },
                UnitCount {
                    unit_id: Some(UnitId(2)),
                    posted: 1
                },
            ]
        );
        assert_eq!(q1.promoted, 1);
        assert_eq!(q1.promoted_share, Some(25.0));
        // Decided in Q1 after 10 and 4 days.
        assert_eq!(q1.decided, 2);
        assert_eq!(q1.median_days_to_decision, Some(7.0));
        let q2 = &figures.quarters[1];
        assert_eq!((q2.posted, q2.promoted_share), (0, None));
        assert_eq!(q2.median_days_to_decision, Some(59.0));
        assert_eq!(figures.quarters[2].decided, 0);
    }

    #[test]
    fn no_ideas_no_quarters_and_unit_names_fit_a_breakdown() {
        assert!(
            compute(&[], datetime!(2026-07-01 9:00 UTC))
                .quarters
                .is_empty()
        );
        assert_eq!(unit_value(" Team [A]=B; "), "Team  A  B");
        assert_eq!(unit_value(&"x".repeat(80)).len(), 60);
    }
}
