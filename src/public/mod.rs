//! The public dashboard: an organisation that chooses to can show its
//! published indicators to residents at `/p/{slug}`, without login. Off by
//! default; only indicators marked as published appear, and only what a
//! resident needs (no owners, notes or internal units).

pub mod api;
pub mod pages;
pub mod service;

use serde::Serialize;

use crate::domain::{Direction, Frequency, Perspective, ValueUnit};
use crate::indicators::{IndicatorSummary, LatestValue, Status};

/// A published indicator as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicIndicator {
    pub code: String,
    pub name: String,
    pub description: String,
    pub perspective: Perspective,
    pub unit: ValueUnit,
    pub direction: Direction,
    pub frequency: Frequency,
    pub data_source: String,
    pub latest: Option<LatestValue>,
    pub next_target: Option<PublicTarget>,
    pub status: Status,
}

/// A target as published: when, and how much.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicTarget {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub value: f64,
}

/// One value of a published indicator.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicValue {
    pub period: String,
    pub value: f64,
}

/// The dashboard: the organisation's name and its published indicators.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicDashboard {
    pub organisation: String,
    pub slug: String,
    pub indicators: Vec<PublicIndicator>,
}

/// One published indicator with the values its chart shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicIndicatorDetail {
    pub organisation: String,
    #[serde(flatten)]
    pub indicator: PublicIndicator,
    /// Oldest first.
    pub values: Vec<PublicValue>,
    /// The current targets, by date.
    pub targets: Vec<PublicTarget>,
    #[serde(skip)]
    pub summary: IndicatorSummary,
    #[serde(skip)]
    pub current_targets: Vec<crate::indicators::Target>,
}

impl From<&IndicatorSummary> for PublicIndicator {
    fn from(summary: &IndicatorSummary) -> Self {
        let i = &summary.indicator;
        PublicIndicator {
            code: i.code.clone(),
            name: i.name.clone(),
            description: i.description.clone(),
            perspective: i.perspective,
            unit: i.unit,
            direction: i.direction,
            frequency: i.frequency,
            data_source: i.data_source.clone(),
            latest: summary.latest.clone(),
            next_target: summary.next_target.as_ref().map(|t| PublicTarget {
                date: t.date.clone(),
                value: t.value,
            }),
            status: summary.assessment.status,
        }
    }
}
