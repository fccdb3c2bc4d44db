//! Vision, ambitions and governance: the transformation programme, the
//! ambitions that say what it must achieve (each linked to indicators), the
//! accountable executive as a history of terms, the sessions that shaped the
//! vision, and the health checks that warn when leadership at the top slips.

pub mod api;
pub mod funding;
pub mod funding_api;
pub mod funding_pages;
mod health;
pub mod pages;
pub mod service;
pub(crate) mod spec;
pub mod steering;
pub mod steering_api;
pub mod steering_pages;
pub mod steering_service;
pub(crate) mod steering_spec;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{
    AmbitionId, CoCreationSessionId, ExecutiveTermId, IndicatorId, OrganisationId, ProgrammeId,
    UserId,
};

pub use health::{HealthCheck, Verdict};

/// Where a programme is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatus {
    Draft,
    Active,
    Closed,
}

impl ProgrammeStatus {
    pub const ALL: [ProgrammeStatus; 3] = [
        ProgrammeStatus::Draft,
        ProgrammeStatus::Active,
        ProgrammeStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::Active => "active",
            ProgrammeStatus::Closed => "closed",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ProgrammeStatus::Draft => "programme_status.draft",
            ProgrammeStatus::Active => "programme_status.active",
            ProgrammeStatus::Closed => "programme_status.closed",
        }
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("required");
        }
        Self::ALL
            .into_iter()
            .find(|s| s.code() == input)
            .ok_or("unknown_choice")
    }
}

/// A transformation programme: a vision with a horizon.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Programme {
    pub id: ProgrammeId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub name: String,
    /// Markdown; pages render it without raw HTML.
    pub vision: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    pub status: ProgrammeStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Whether the accountable executive stands behind the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    /// Nobody is on record as accountable.
    NoExecutive,
    /// The first executive has not yet confirmed the programme.
    AwaitingConfirmation,
    /// The executive changed and the new one has not yet confirmed.
    RenewedCommitmentNeeded,
    Confirmed,
}

impl Commitment {
    /// The commitment that a programme's terms (in any order) show.
    pub fn of(terms: &[ExecutiveTerm]) -> Commitment {
        match current_term(terms) {
            None => Commitment::NoExecutive,
            Some(term) if term.confirmed_on.is_some() => Commitment::Confirmed,
            Some(_) if terms.len() > 1 => Commitment::RenewedCommitmentNeeded,
            Some(_) => Commitment::AwaitingConfirmation,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Commitment::NoExecutive => "no_executive",
            Commitment::AwaitingConfirmation => "awaiting_confirmation",
            Commitment::RenewedCommitmentNeeded => "renewed_commitment_needed",
            Commitment::Confirmed => "confirmed",
        }
    }
}

/// The term in force: the open one that started last.
pub fn current_term(terms: &[ExecutiveTerm]) -> Option<&ExecutiveTerm> {
    terms
        .iter()
        .filter(|t| t.ends_on.is_none())
        .max_by(|a, b| (&a.starts_on, a.id).cmp(&(&b.starts_on, b.id)))
}

/// A programme with how its leadership stands, for lists and the API.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeSummary {
    #[serde(flatten)]
    pub programme: Programme,
    pub commitment: Commitment,
    /// The accountable executive in office, if any.
    pub executive: Option<ExecutiveTerm>,
}

/// What the programme must achieve; shown to be reached by its indicators.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ambition {
    pub id: AmbitionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    pub title: String,
    pub description: String,
    /// Order within the programme, from 1.
    pub position: i64,
    /// The indicators that show whether the ambition is reached.
    pub indicator_ids: Vec<IndicatorId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One term of the person who owns the transformation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExecutiveTerm {
    pub id: ExecutiveTermId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    /// Set when the executive has a Koers account; then only they confirm.
    pub user_id: Option<UserId>,
    pub name: String,
    /// For example "wethouder Dienstverlening" or "algemeen directeur".
    pub title: String,
    /// The executive portfolio the transformation is anchored in.
    pub portfolio: String,
    /// The mandate, in words.
    pub mandate: String,
    /// Euro.
    pub budget_amount: Option<f64>,
    /// For example "2026–2028" or "per year".
    pub budget_period: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`; set when a successor took over.
    pub ends_on: Option<String>,
    /// `YYYY-MM-DD`; when the executive confirmed the programme.
    pub confirmed_on: Option<String>,
    pub confirmation_note: String,
    pub confirmed_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Someone who took part in a co-creation session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Participant {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// For example "wethouder", "CDO", "inwoner", "teamleider KCC".
    #[schema(max_length = 200)]
    #[serde(default)]
    pub role: String,
}

/// A session in which the vision was made or revised.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoCreationSession {
    pub id: CoCreationSessionId,
    #[serde(skip)]
    pub organisation_id: OrganisationId,
    pub programme_id: ProgrammeId,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// For example "werksessie met college en MT".
    pub form: String,
    pub participants: Vec<Participant>,
    pub executives_took_part: bool,
    pub outcome: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A programme as it arrives; on a change, absent fields stay as they are.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ProgrammeInput {
    /// 1–200 characters, unique within the organisation. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Markdown, up to 20,000 characters.
    #[schema(nullable = false, max_length = 20000)]
    pub vision: Option<String>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`). Required on create.
    #[schema(nullable = false)]
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`, after `starts_on`. Required on create.
    #[schema(nullable = false)]
    pub ends_on: Option<String>,
    /// Default `active`.
    #[schema(nullable = false)]
    pub status: Option<ProgrammeStatus>,
}

/// An ambition as it arrives; on a change, absent fields stay as they are.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct AmbitionInput {
    /// 1–200 characters. Required on create.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    /// Place in the programme's list, from 1; default: last.
    #[schema(nullable = false, minimum = 1)]
    pub position: Option<i64>,
}

/// A new accountable executive; their predecessor's term ends the day
/// this one starts.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ExecutiveInput {
    /// A member of the organisation, when the executive has an account.
    pub user_id: Option<i64>,
    /// Required unless `user_id` is given (then the member's name is used).
    #[schema(nullable = false, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, max_length = 200)]
    pub title: Option<String>,
    #[schema(nullable = false, max_length = 200)]
    pub portfolio: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub mandate: Option<String>,
    /// Euro, zero or more.
    #[schema(nullable = false, minimum = 0)]
    pub budget_amount: Option<f64>,
    #[schema(nullable = false, max_length = 200)]
    pub budget_period: Option<String>,
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`); not before the current term started.
    #[schema(nullable = false)]
    pub starts_on: Option<String>,
}

/// The executive's confirmation that they stand behind the programme.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct ConfirmationInput {
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`); not before the term started, not in
    /// the future.
    #[schema(nullable = false)]
    pub confirmed_on: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub note: Option<String>,
}

/// A co-creation session as it arrives.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct CoCreationInput {
    /// `YYYY-MM-DD` (or `dd-mm-jjjj`), not in the future.
    #[schema(nullable = false)]
    pub held_on: Option<String>,
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub form: Option<String>,
    /// At least one; at most 200.
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub executives_took_part: bool,
    #[schema(nullable = false, max_length = 4000)]
    pub outcome: Option<String>,
}
