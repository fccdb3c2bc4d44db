//! Is an indicator on track? Judged from the latest values against the
//! target that applies next, projecting the recent trend (a least-squares
//! line through the recent window) to the target date. The reasoning is
//! kept as numbers so pages can say it in words.

use serde::Serialize;
use time::Date;

use super::{Indicator, Target};
use crate::domain::{Direction, Frequency, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
    /// There are measurements but no target to judge them by.
    NoTarget,
    NoData,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::NoTarget => "no_target",
            Status::NoData => "no_data",
        }
    }

    pub const ALL: [Status; 5] = [
        Status::OffTrack,
        Status::AtRisk,
        Status::NoData,
        Status::NoTarget,
        Status::OnTrack,
    ];

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == input.trim())
            .ok_or("unknown_choice")
    }

    /// Worst first: what needs attention sorts to the top.
    pub fn urgency(self) -> u8 {
        match self {
            Status::OffTrack => 0,
            Status::AtRisk => 1,
            Status::NoData => 2,
            Status::NoTarget => 3,
            Status::OnTrack => 4,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Status::OnTrack => "status.on_track",
            Status::AtRisk => "status.at_risk",
            Status::OffTrack => "status.off_track",
            Status::NoTarget => "status.no_target",
            Status::NoData => "status.no_data",
        }
    }
}

/// Why: which reasoning applies, with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reasoning {
    NoData,
    NoTarget,
    /// The latest value already meets the target.
    Reached {
        latest: f64,
        target: f64,
    },
    /// The target date has passed and the latest value does not meet it.
    Missed {
        latest: f64,
        target: f64,
    },
    /// Too few values for a trend; the latest value falls short.
    TooFewValues {
        latest: f64,
        target: f64,
    },
    /// The trend projected to the target date.
    Projected {
        projected: f64,
        target: f64,
    },
    /// For a good range: inside or outside it.
    InRange {
        latest: f64,
        low: f64,
        high: f64,
    },
    OutOfRange {
        latest: f64,
        low: f64,
        high: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatusAssessment {
    pub status: Status,
    pub reasoning: Reasoning,
    /// The date the assessment looks at (the target's), `YYYY-MM-DD`.
    #[serde(skip)]
    pub target_date: Option<Date>,
    /// An expected measurement is missing.
    pub overdue: bool,
}

/// How far back (in days) the values for the trend window reach.
pub fn lookback_days(frequency: Frequency) -> i64 {
    match frequency {
        Frequency::Day => 45,
        Frequency::Week => 120,
        Frequency::Month => 400,
        Frequency::Quarter => 600,
        Frequency::Year => 1600,
    }
}

/// How many recent periods the trend looks at.
fn window(frequency: Frequency) -> usize {
    match frequency {
        Frequency::Day => 30,
        Frequency::Week => 13,
        Frequency::Month => 12,
        Frequency::Quarter => 6,
        Frequency::Year => 4,
    }
}

/// `points` are the indicator's values in period order (oldest first).
pub fn assess(
    indicator: &Indicator,
    points: &[(Period, f64)],
    target: Option<&Target>,
    today: Date,
) -> StatusAssessment {
    let overdue = is_overdue(indicator.frequency, points.last().map(|p| p.0), today);
    let judged = |status, reasoning, target_date| StatusAssessment {
        status,
        reasoning,
        target_date,
        overdue,
    };
    let Some(&(_, latest)) = points.last() else {
        return judged(Status::NoData, Reasoning::NoData, None);
    };
    if indicator.direction == Direction::WithinRange
        && let (Some(low), Some(high)) = (indicator.range_low, indicator.range_high)
    {
        let margin = (high - low) * 0.1;
        let status = if (low..=high).contains(&latest) {
            Status::OnTrack
        } else if latest >= low - margin && latest <= high + margin {
            Status::AtRisk
        } else {
            Status::OffTrack
        };
        let reasoning = if status == Status::OnTrack {
            Reasoning::InRange { latest, low, high }
        } else {
            Reasoning::OutOfRange { latest, low, high }
        };
        return judged(status, reasoning, None);
    }
    let Some(target) = target else {
        return judged(Status::NoTarget, Reasoning::NoTarget, None);
    };
    let Ok(target_date) = Period::parse(Frequency::Day, &target.date).map(|p| p.start()) else {
        return judged(Status::NoTarget, Reasoning::NoTarget, None);
    };
    let better = |a: f64, b: f64| match indicator.direction {
        Direction::LowerIsBetter => a <= b,
        _ => a >= b,
    };
    let goal = target.value;
    if better(latest, goal) {
        return judged(
            Status::OnTrack,
            Reasoning::Reached {
                latest,
                target: goal,
            },
            Some(target_date),
        );
    }
    if target_date <= today {
        return judged(
            Status::OffTrack,
            Reasoning::Missed {
                latest,
                target: goal,
            },
            Some(target_date),
        );
    }
    let recent = &points[points.len().saturating_sub(window(indicator.frequency))..];
    let Some(projected) = project(recent, target_date) else {
        return judged(
            Status::AtRisk,
            Reasoning::TooFewValues {
                latest,
                target: goal,
            },
            Some(target_date),
        );
    };
    let status = if better(projected, goal) {
        Status::OnTrack
    } else {
        // Short of the target at the target date: at risk while the trend
        // closes at least half of today's gap, off track otherwise.
        let gap_now = (goal - latest).abs();
        let gap_then = (goal - projected).abs();
        let improving = better(projected, latest);
        if improving && gap_then <= gap_now * 0.5 {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    };
    judged(
        status,
        Reasoning::Projected {
            projected,
            target: goal,
        },
        Some(target_date),
    )
}

/// The least-squares line through `points` (x = first day of the period),
/// evaluated at `date`; `None` with fewer than three points.
fn project(points: &[(Period, f64)], date: Date) -> Option<f64> {
    if points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let xs: Vec<f64> = points.iter().map(|(p, _)| p.day_number() as f64).collect();
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, v)| v).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, (_, y)) in xs.iter().zip(points) {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x) * (x - mean_x);
    }
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let at = Period::containing(Frequency::Day, date).day_number() as f64;
    Some(mean_y + slope * (at - mean_x))
}

/// Overdue when the last complete period has no value (or nothing at all).
fn is_overdue(frequency: Frequency, latest: Option<Period>, today: Date) -> bool {
    let current = Period::containing(frequency, today);
    let last_complete = Period::containing(frequency, current.start() - time::Duration::days(1));
    latest.is_none_or(|latest| latest < last_complete)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::{Aggregation, IndicatorId, Perspective, TargetId, ValueUnit};
    use time::macros::date;

    pub(in crate::indicators) fn indicator(direction: Direction) -> Indicator {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        Indicator {
            id: IndicatorId(1),
            code: "X".into(),
            name: "X".into(),
            description: String::new(),
            perspective: Perspective::Resident,
            unit: ValueUnit::Percentage,
            min_value: None,
            max_value: None,
            direction,
            range_low: Some(40.0),
            range_high: Some(60.0),
            frequency: Frequency::Month,
            aggregation: Aggregation::Mean,
            baseline_value: None,
            baseline_period: None,
            owner_id: None,
            responsible_unit_id: None,
            data_source: String::new(),
            published: false,
            dimensions: Vec::new(),
            formula: None,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn target(date: &str, value: f64) -> Target {
        Target {
            id: TargetId(1),
            date: date.into(),
            value,
            reason: String::new(),
            created_by: None,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            superseded_at: None,
        }
    }

    fn monthly(values: &[f64]) -> Vec<(Period, f64)> {
        let mut period = Period::parse(Frequency::Month, "2026-01").unwrap();
        let mut out = Vec::new();
        for value in values {
            out.push((period, *value));
            period = period.next();
        }
        out
    }

    const TODAY: Date = date!(2026 - 07 - 15);

    #[test]
    fn a_steady_climb_that_reaches_the_target_is_on_track() {
        let points = monthly(&[60.0, 61.0, 62.0, 63.0, 64.0, 65.0]);
        let result = assess(
            &indicator(Direction::HigherIsBetter),
            &points,
            Some(&target("2027-01-01", 70.0)),
            TODAY,
        );
        assert_eq!(result.status, Status::OnTrack);
        let Reasoning::Projected { projected, .. } = result.reasoning else {
            panic!("{result:?}")
        };
        // +1 a month from 65 on 1 June: about 72 on 1 January.
        assert!((projected - 72.1).abs() < 0.5, "{projected}");
        assert!(!result.overdue);
    }

    #[test]
    fn a_slow_climb_is_at_risk_and_a_decline_off_track() {
        let slow = monthly(&[60.0, 60.5, 61.0, 61.5, 62.0, 62.5]);
        let result = assess(
            &indicator(Direction::HigherIsBetter),
            &slow,
            Some(&target("2027-01-01", 68.0)),
            TODAY,
        );
        assert_eq!(result.status, Status::AtRisk, "{result:?}");
        let falling = monthly(&[65.0, 64.0, 63.0, 62.0, 61.0, 60.0]);
        let result = assess(
            &indicator(Direction::HigherIsBetter),
            &falling,
            Some(&target("2027-01-01", 70.0)),
            TODAY,
        );
        assert_eq!(result.status, Status::OffTrack);
    }

    #[test]
    fn lower_is_better_reverses_the_comparisons() {
        let points = monthly(&[60.0, 57.0, 54.0, 51.0, 48.0, 45.0]);
        let result = assess(
            &indicator(Direction::LowerIsBetter),
            &points,
            Some(&target("2027-01-01", 30.0)),
            TODAY,
        );
        assert_eq!(result.status, Status::OnTrack, "{result:?}");
        let reached = assess(
            &indicator(Direction::LowerIsBetter),
            &points,
            Some(&target("2027-01-01", 46.0)),
            TODAY,
        );
        assert!(matches!(reached.reasoning, Reasoning::Reached { .. }));
    }

    #[test]
    fn missed_targets_missing_data_and_ranges() {
        let points = monthly(&[60.0, 61.0, 62.0, 63.0, 64.0, 65.0]);
        let missed = assess(
            &indicator(Direction::HigherIsBetter),
            &points,
            Some(&target("2026-06-30", 70.0)),
            TODAY,
        );
        assert_eq!(missed.status, Status::OffTrack);
        assert!(matches!(missed.reasoning, Reasoning::Missed { .. }));
        let none = assess(
            &indicator(Direction::HigherIsBetter),
            &[],
            Some(&target("2027-01-01", 70.0)),
            TODAY,
        );
        assert_eq!((none.status, none.overdue), (Status::NoData, true));
        let no_target = assess(&indicator(Direction::HigherIsBetter), &points, None, TODAY);
        assert_eq!(no_target.status, Status::NoTarget);
        let few = assess(
            &indicator(Direction::HigherIsBetter),
            &points[..2],
            Some(&target("2027-01-01", 70.0)),
            TODAY,
        );
        assert!(matches!(few.reasoning, Reasoning::TooFewValues { .. }));
        assert!(few.overdue, "February is long past; June has no value");
        let range = indicator(Direction::WithinRange);
        assert_eq!(
            assess(&range, &monthly(&[50.0]), None, TODAY).status,
            Status::OnTrack
        );
        assert_eq!(
            assess(&range, &monthly(&[61.0]), None, TODAY).status,
            Status::AtRisk
        );
        assert_eq!(
            assess(&range, &monthly(&[75.0]), None, TODAY).status,
            Status::OffTrack
        );
    }
}
