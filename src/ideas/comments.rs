//! Comments on ideas: colleagues ask, add and improve. Comments carry
//! their author's name (only the idea itself can be posted without one).
//! A moderator can hide a comment with a reason; colleagues then see that
//! it was hidden, not what it said.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::IdeaAuthor;
use super::moderation::{self, check_rate};
use crate::auth::Actor;
use crate::domain::{IdeaCommentId, IdeaId, Permission, Validator};
use crate::http::AppState;
use crate::notifications::NotificationKind;
use crate::notifications::mail::{Audience, send_idea_news};
use crate::store::idea_comments::Posting;
use crate::{Error, Result};

/// The longest comment, in characters.
pub const COMMENT_MAX: usize = 2000;

/// A comment as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentRecord {
    pub id: IdeaCommentId,
    pub idea_id: IdeaId,
    pub author_id: crate::domain::UserId,
    pub author_name: String,
    pub body: String,
    pub hidden_reason: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A comment as one reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Comment {
    pub id: IdeaCommentId,
    pub idea_id: IdeaId,
    pub author: IdeaAuthor,
    /// Whether the reader wrote it.
    pub mine: bool,
    /// Empty when a moderator hid it and the reader is neither its author
    /// nor a moderator.
    pub body: String,
    /// Whether a moderator hid it.
    pub hidden: bool,
    /// Why it was hidden, for its author and moderators.
    pub hidden_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct CommentInput {
    /// 1–2000 characters. Required.
    #[schema(nullable = false, max_length = 2000)]
    pub body: Option<String>,
}

fn view(actor: &Actor, record: CommentRecord) -> Comment {
    let mine = record.author_id == actor.user_id;
    let insider = mine || actor.can(Permission::TriageIdeas);
    let hidden = record.hidden_reason.is_some();
    Comment {
        id: record.id,
        idea_id: record.idea_id,
        author: IdeaAuthor {
            user_id: record.author_id,
            name: record.author_name,
        },
        mine,
        body: if hidden && !insider {
            String::new()
        } else {
            record.body
        },
        hidden,
        hidden_reason: if insider { record.hidden_reason } else { None },
        created_at: record.created_at,
    }
}

/// The idea's comments, oldest first (404 when the reader may not see the
/// idea).
pub async fn list(state: &AppState, actor: &Actor, idea: IdeaId) -> Result<Vec<Comment>> {
    super::service::get(state, actor, idea).await?;
    Ok(state
        .store()
        .idea_comments(actor.organisation_id, idea)
        .await?
        .into_iter()
        .map(|c| view(actor, c))
        .collect())
}

/// Adds a comment; the idea's author hears of it.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    idea: IdeaId,
    input: &CommentInput,
) -> Result<Comment> {
    actor.require(Permission::ShareIdeas)?;
    let target = super::service::get(state, actor, idea).await?;
    let mut v = Validator::new();
    let body = v.text("body", input.body.as_deref().unwrap_or(""), COMMENT_MAX);
    if body.is_empty() {
        v.add("body", "required");
    }
    v.finish(Some(()))?;
    check_rate(state, actor, Posting::Comment).await?;
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .add_idea_comment(&meta, actor.organisation_id, idea, actor.user_id, &body)
        .await?;
    send_idea_news(
        state,
        Audience {
            organisation: actor.organisation_id,
            idea,
            author_only: true,
            except: actor.user_id,
        },
        NotificationKind::IdeaComment,
        &target.title,
        "",
    );
    Ok(view(actor, record))
}

/// A moderator hides a comment with a reason, or shows it again.
pub async fn moderate(
    state: &AppState,
    actor: &Actor,
    idea: IdeaId,
    id: IdeaCommentId,
    hide: Option<&moderation::HideInput>,
) -> Result<Comment> {
    actor.require(Permission::TriageIdeas)?;
    let comment = state
        .store()
        .idea_comment(actor.organisation_id, idea, id)
        .await?;
    let reason = match hide {
        Some(input) => Some(moderation::reason(input)?),
        None => None,
    };
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .moderate_idea_comment(&meta, &comment, actor.organisation_id, reason.as_deref())
        .await?;
    if record.idea_id != idea {
        return Err(Error::NotFound);
    }
    Ok(view(actor, record))
}
