//! In-app notifications: what happened to ideas a person wrote or
//! supports. Each is read by its one recipient only. When a mail server is
//! configured the same news also goes out by mail (`mail.rs`).

pub mod api;
pub mod mail;
pub(crate) mod pages;
pub mod service;

use serde::Serialize;
use time::OffsetDateTime;

use crate::domain::NotificationId;

code_enum!(
    /// What a notification reports.
    NotificationKind, "notification_kind", {
        IdeaState => "idea_state",
        IdeaPromoted => "idea_promoted",
        IdeaHidden => "idea_hidden",
        IdeaComment => "idea_comment",
    }
);

/// A notification as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationRecord {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// The idea it is about.
    pub subject_id: i64,
    /// The idea's title when it happened.
    pub title: String,
    /// The new state's code for `idea_state`; empty otherwise.
    pub detail: String,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

/// A notification as its recipient reads it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// The idea it is about.
    pub idea_id: i64,
    /// What happened, in a sentence in the reader's language.
    pub text: String,
    /// Where to read more.
    pub link: String,
    pub read: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What happened, in one sentence.
pub fn sentence(t: crate::i18n::Tr, kind: NotificationKind, title: &str, detail: &str) -> String {
    let state = crate::ideas::IdeaState::parse(detail)
        .map(|s| t.get(s.label_key()))
        .unwrap_or_default();
    t.fill(
        &format!("notifications.{}", kind.code()),
        &[("title", title), ("state", state)],
    )
}
