//! The idea platform: every employee posts ideas for smarter ways to do
//! their current work, and supports colleagues' ideas once each. An author
//! may hide their name from colleagues; those who triage ideas (and the
//! audit log) still know it.
//!
//! `spec.rs` validates an idea, `service.rs` holds the rules (who sees the
//! author, the edit window, supports), `api.rs` the JSON endpoints.
//! Comments and moderation live in `comments*`/`moderation.rs`, themed
//! calls in `campaigns*`, the platform's own figures in `figures*`.

pub mod api;
pub mod campaign_api;
pub(crate) mod campaign_pages;
pub mod campaigns;
pub mod comment_api;
pub mod comments;
pub mod figures;
pub mod figures_api;
pub(crate) mod figures_pages;
pub mod moderation;
pub(crate) mod pages;
pub mod service;
pub mod spec;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{CampaignId, IdeaId, InitiativeId, OrganisationId, UnitId, UserId};

code_enum!(
    /// Where an idea stands in triage.
    IdeaState, "idea_state", {
        New => "new",
        UnderReview => "under_review",
        Accepted => "accepted",
        Declined => "declined",
        Parked => "parked",
    }
);

/// An idea as the store keeps it, with its author.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaRecord {
    pub id: IdeaId,
    pub organisation_id: OrganisationId,
    pub author_id: UserId,
    pub author_name: String,
    pub author_hidden: bool,
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub unit_id: Option<UnitId>,
    pub tags: Vec<String>,
    pub links: Vec<String>,
    pub state: IdeaState,
    pub state_reason: String,
    pub initiative_id: Option<InitiativeId>,
    pub supports: i64,
    pub campaign_id: Option<CampaignId>,
    /// Why a moderator hid it; `None` while it shows.
    pub hidden_reason: Option<String>,
    /// When it was last accepted or declined.
    pub decided_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl IdeaState {
    /// The states triage may move an idea to from this one. Accepted is
    /// final (what follows is the initiative's); a declined or parked idea
    /// can be looked at again.
    pub fn next(self) -> &'static [IdeaState] {
        use IdeaState::*;
        match self {
            New => &[UnderReview, Accepted, Declined, Parked],
            UnderReview => &[Accepted, Declined, Parked],
            Parked => &[UnderReview, Accepted, Declined],
            Declined => &[UnderReview],
            Accepted => &[],
        }
    }
}

/// A triage decision: the new state and, for declining or parking, the
/// reason the author will read.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct TriageInput {
    /// `under_review`, `accepted`, `declined` or `parked`.
    pub state: Option<String>,
    /// Required when declining or parking.
    pub reason: Option<String>,
}

/// Who wrote an idea, as far as the reader may know.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IdeaAuthor {
    pub user_id: UserId,
    pub name: String,
}

/// An idea as one reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Idea {
    pub id: IdeaId,
    /// Absent when the author hid their name and the reader is neither the
    /// author nor someone who triages ideas.
    pub author: Option<IdeaAuthor>,
    /// Whether the author hid their name from colleagues.
    pub author_hidden: bool,
    /// Whether the reader wrote it.
    pub mine: bool,
    pub title: String,
    /// The problem today.
    pub problem: String,
    /// The smarter way proposed.
    pub proposal: String,
    pub unit_id: Option<UnitId>,
    pub tags: Vec<String>,
    /// Web addresses for more (no attachments).
    pub links: Vec<String>,
    pub state: IdeaState,
    /// Why it was declined or parked (empty otherwise).
    pub state_reason: String,
    /// The initiative it was promoted to.
    pub initiative_id: Option<InitiativeId>,
    pub supports: i64,
    /// Whether the reader supports it.
    pub supported: bool,
    /// The campaign it answers, if any.
    pub campaign_id: Option<CampaignId>,
    /// Whether a moderator hid it from colleagues (only its author and
    /// moderators still see it).
    pub hidden: bool,
    /// Why it was hidden, for the author and moderators.
    pub hidden_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// An idea as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct IdeaInput {
    pub title: Option<String>,
    pub problem: Option<String>,
    pub proposal: Option<String>,
    pub unit_id: Option<Option<i64>>,
    pub tags: Option<Vec<String>>,
    pub links: Option<Vec<String>>,
    /// Hide the author's name from colleagues.
    pub hide_author: Option<bool>,
    /// The open campaign the idea answers; null for none.
    #[serde(default, deserialize_with = "crate::http::present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<Option<i64>>,
}

code_enum!(
    /// How a list of ideas is ordered.
    IdeaOrder, "idea_order", {
        Supports => "supports",
        Newest => "newest",
        State => "state",
    }
);
