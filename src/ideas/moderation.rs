//! Moderation and abuse limits: hiding an idea with a reason (kept in the
//! audit log and told to the author), and how much one person may post in
//! an hour.

use serde::Deserialize;
use time::Duration;

use crate::auth::Actor;
use crate::domain::{IdeaId, Permission, Validator};
use crate::http::AppState;
use crate::notifications::NotificationKind;
use crate::notifications::mail::{Audience, send_idea_news};
use crate::store::idea_comments::Posting;
use crate::{Error, Result};

/// Ideas one person may post per hour: enough for a brainstorm, too few
/// to flood colleagues.
pub const IDEAS_PER_HOUR: i64 = 5;
/// Comments one person may post per hour.
pub const COMMENTS_PER_HOUR: i64 = 30;
pub const REASON_MAX: usize = 1000;

/// Why a moderator hides something.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct HideInput {
    /// Required, up to 1000 characters; the author reads it.
    #[schema(nullable = false, max_length = 1000)]
    pub reason: Option<String>,
}

/// The checked reason.
pub fn reason(input: &HideInput) -> Result<String> {
    let mut v = Validator::new();
    let reason = v.text("reason", input.reason.as_deref().unwrap_or(""), REASON_MAX);
    if reason.is_empty() {
        v.add("reason", "required");
    }
    v.finish(Some(reason))
}

/// Refuses a posting beyond the hourly limit, saying when it is possible
/// again.
pub async fn check_rate(state: &AppState, actor: &Actor, posting: Posting) -> Result<()> {
    let now = state.clock().now();
    let window = Duration::hours(1);
    let (count, earliest) = state
        .store()
        .recent_postings(actor.organisation_id, actor.user_id, posting, now - window)
        .await?;
    let limit = match posting {
        Posting::Idea => IDEAS_PER_HOUR,
        Posting::Comment => COMMENTS_PER_HOUR,
    };
    if count < limit {
        return Ok(());
    }
    let free_at = earliest.unwrap_or(now) + window;
    let wait = (free_at - now).whole_seconds().max(1);
    Err(Error::RateLimited {
        retry_after_secs: u64::try_from(wait).unwrap_or(1),
    })
}

/// A moderator hides an idea with a reason, or shows it again. Hidden
/// ideas leave lists and pages for colleagues; the author still sees it,
/// with the reason.
pub async fn moderate_idea(
    state: &AppState,
    actor: &Actor,
    id: IdeaId,
    hide: Option<&HideInput>,
) -> Result<super::Idea> {
    actor.require(Permission::TriageIdeas)?;
    let idea = state.store().idea(actor.organisation_id, id).await?;
    let reason = match hide {
        Some(input) => Some(reason(input)?),
        None => None,
    };
    let meta = actor.audit(state.clock().now());
    state
        .store()
        .moderate_idea(&meta, actor.organisation_id, id, reason.as_deref())
        .await?;
    if reason.is_some() && idea.hidden_reason.is_none() {
        send_idea_news(
            state,
            Audience {
                organisation: actor.organisation_id,
                idea: id,
                author_only: true,
                except: actor.user_id,
            },
            NotificationKind::IdeaHidden,
            &idea.title,
            "",
        );
    }
    super::service::get(state, actor, id).await
}
