//! The service catalogue (factor S4): the products and services the
//! organisation delivers, how digital each one is on our maturity scale
//! (0 information only … 5 proactive; `docs/maturity-scale.md`), the
//! channels it is offered through, and links to the indicators and
//! initiatives that concern it. Channel volumes are measurements of an
//! indicator with a `kanaal` breakdown, so that targets, imports and charts
//! work as for any indicator.
//!
//! `spec.rs` validates, `service.rs` holds the rules, `views.rs` computes
//! the catalogue's views (maturity distribution, channel shift, volume
//! still offline), `api.rs` and `pages.rs` present them.

pub mod api;
pub(crate) mod import_pages;
pub(crate) mod pages;
pub mod registers;
pub mod service;
pub mod spec;
pub mod transfer;
pub mod views;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{IndicatorId, InitiativeId, ServiceId, UnitId};

/// The highest maturity level.
pub const MATURITY_MAX: i64 = 5;

code_enum!(
    /// Who a service is for.
    TargetGroup, "target_group", {
        Residents => "residents",
        Businesses => "businesses",
        Institutions => "institutions",
    }
);

code_enum!(
    /// How a service can be requested or received.
    Channel, "channel", {
        Online => "online",
        Phone => "phone",
        Counter => "counter",
        Post => "post",
        App => "app",
    }
);

impl Channel {
    /// The value of the `kanaal` breakdown of a volume indicator.
    pub fn dimension_value(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Phone => "telefoon",
            Channel::Counter => "balie",
            Channel::Post => "post",
            Channel::App => "app",
        }
    }

    pub fn from_dimension_value(value: &str) -> Option<Channel> {
        Channel::ALL
            .iter()
            .copied()
            .find(|c| c.dimension_value() == value)
    }

    /// Online and app are digital; the rest is not.
    pub fn is_digital(self) -> bool {
        matches!(self, Channel::Online | Channel::App)
    }
}

/// The name of the breakdown of volume indicators.
pub const CHANNEL_DIMENSION: &str = "kanaal";

/// A service as the catalogue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub description: String,
    pub target_groups: Vec<TargetGroup>,
    /// The law or regulation it rests on, in words.
    pub legal_basis: String,
    pub owner_unit_id: Option<UnitId>,
    /// The lead time the law sets, in days.
    pub lead_time_days: Option<i64>,
    pub channels: Vec<Channel>,
    /// 0 (information only) to 5 (proactive or automatic, personalised).
    #[schema(minimum = 0, maximum = 5)]
    pub maturity: i64,
    /// What is automated, or could be.
    pub automation: String,
    /// How it is, or could be, personalised.
    pub personalisation: String,
    /// The indicator that holds its volumes per channel.
    pub volume_indicator_id: Option<IndicatorId>,
    pub indicator_ids: Vec<IndicatorId>,
    pub initiative_ids: Vec<InitiativeId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A service as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ServiceInput {
    /// 1–200 characters, unique in the organisation. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    /// `residents`, `businesses`, `institutions`.
    #[schema(nullable = false)]
    pub target_groups: Option<Vec<String>>,
    #[schema(nullable = false, max_length = 500)]
    pub legal_basis: Option<String>,
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub owner_unit_id: Option<Option<i64>>,
    /// Days, 0–3650; null for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 3650)]
    pub lead_time_days: Option<Option<i64>>,
    /// `online`, `phone`, `counter`, `post`, `app`.
    #[schema(nullable = false)]
    pub channels: Option<Vec<String>>,
    /// 0–5. Required.
    #[schema(nullable = false, minimum = 0, maximum = 5)]
    pub maturity: Option<i64>,
    #[schema(nullable = false, max_length = 4000)]
    pub automation: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub personalisation: Option<String>,
    /// Indicators of this organisation the service concerns.
    #[schema(nullable = false)]
    pub indicator_ids: Option<Vec<i64>>,
    /// Initiatives of this organisation that change the service.
    #[schema(nullable = false)]
    pub initiative_ids: Option<Vec<i64>>,
}
