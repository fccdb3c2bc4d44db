//! Comments on ideas, moderation (hiding an idea or a comment with a
//! reason) and the counts rate limits look at. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::notifications::notify_idea_author;
use super::{AuditMeta, Change, Store, on_pool};
use crate::Result;
use crate::domain::{IdeaCommentId, IdeaId, OrganisationId, UserId};
use crate::ideas::comments::CommentRecord;
use crate::notifications::NotificationKind;

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    idea_id: i64,
    author_user_id: i64,
    author_name: String,
    body: String,
    hidden_reason: Option<String>,
    created_at: OffsetDateTime,
}

impl From<CommentRow> for CommentRecord {
    fn from(r: CommentRow) -> Self {
        CommentRecord {
            id: IdeaCommentId(r.id),
            idea_id: IdeaId(r.idea_id),
            author_id: UserId(r.author_user_id),
            author_name: r.author_name,
            body: r.body,
            hidden_reason: r.hidden_reason,
            created_at: r.created_at,
        }
    }
}

macro_rules! comment_select {
    () => {
        "SELECT c.id, c.idea_id, c.author_user_id, u.name AS author_name, c.body, c.hidden_reason, c.created_at \
         FROM idea_comments c JOIN users u ON u.id = c.author_user_id "
    };
}

/// What someone posted recently, for rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posting {
    Idea,
    Comment,
}

impl Store {
    /// An idea's comments, oldest first.
    pub async fn idea_comments(
        &self,
        organisation: OrganisationId,
        idea: IdeaId,
    ) -> Result<Vec<CommentRecord>> {
        let rows: Vec<CommentRow> = on_pool!(self, p => sqlx::query_as(concat!(
            comment_select!(),
            "WHERE c.organisation_id = $1 AND c.idea_id = $2 ORDER BY c.created_at, c.id"
        ))
        .bind(organisation)
        .bind(idea)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(CommentRecord::from).collect())
    }

    pub async fn idea_comment(
        &self,
        organisation: OrganisationId,
        idea: IdeaId,
        id: IdeaCommentId,
    ) -> Result<CommentRecord> {
        let row: CommentRow = on_pool!(self, p => sqlx::query_as(concat!(
            comment_select!(),
            "WHERE c.organisation_id = $1 AND c.idea_id = $2 AND c.id = $3"
        ))
        .bind(organisation)
        .bind(idea)
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok(row.into())
    }

    /// Adds a comment and tells the idea's author.
    pub async fn add_idea_comment(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        idea: IdeaId,
        author: UserId,
        body: &str,
    ) -> Result<CommentRecord> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO idea_comments (organisation_id, idea_id, author_user_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(organisation)
            .bind(idea)
            .bind(author)
            .bind(body)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("create", "idea_comment", id, None,
                Some(serde_json::json!({ "idea_id": idea, "body": body })));
            write_audit!(&mut *tx, meta, &change)?;
            notify_idea_author!(&mut *tx, meta, idea, NotificationKind::IdeaComment, "")?;
            tx.commit().await?;
            id
        });
        self.idea_comment(organisation, idea, IdeaCommentId(id))
            .await
    }

    /// Hides an idea with a reason (`Some`) or shows it again (`None`),
    /// and tells the author when it is hidden.
    pub async fn moderate_idea(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        idea: IdeaId,
        hidden_reason: Option<&str>,
    ) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let before: Option<String> = sqlx::query_scalar(
                "SELECT hidden_reason FROM ideas WHERE organisation_id = $1 AND id = $2",
            )
            .bind(organisation)
            .bind(idea)
            .fetch_one(&mut *tx)
            .await?;
            if before.as_deref() != hidden_reason {
                sqlx::query("UPDATE ideas SET hidden_reason = $3 WHERE organisation_id = $1 AND id = $2")
                    .bind(organisation)
                    .bind(idea)
                    .bind(hidden_reason)
                    .execute(&mut *tx)
                    .await?;
                let action = if hidden_reason.is_some() { "hide" } else { "show" };
                let change = Change::new(action, "idea", idea,
                    Some(serde_json::json!({ "hidden_reason": before })),
                    Some(serde_json::json!({ "hidden_reason": hidden_reason })));
                write_audit!(&mut *tx, meta, &change)?;
                if hidden_reason.is_some() {
                    notify_idea_author!(&mut *tx, meta, idea, NotificationKind::IdeaHidden, "")?;
                }
            }
            tx.commit().await?;
            Ok::<(), crate::Error>(())
        })
    }

    /// Hides a comment with a reason (`Some`) or shows it again (`None`).
    pub async fn moderate_idea_comment(
        &self,
        meta: &AuditMeta,
        comment: &CommentRecord,
        organisation: OrganisationId,
        hidden_reason: Option<&str>,
    ) -> Result<CommentRecord> {
        if comment.hidden_reason.as_deref() != hidden_reason {
            on_pool!(self, p => {
                let mut tx = p.begin_write().await?;
                sqlx::query(
                    "UPDATE idea_comments SET hidden_reason = $3 WHERE organisation_id = $1 AND id = $2",
                )
                .bind(organisation)
                .bind(comment.id)
                .bind(hidden_reason)
                .execute(&mut *tx)
                .await?;
                let action = if hidden_reason.is_some() { "hide" } else { "show" };
                let change = Change::new(action, "idea_comment", comment.id,
                    Some(serde_json::json!({ "hidden_reason": comment.hidden_reason })),
                    Some(serde_json::json!({ "hidden_reason": hidden_reason })));
                write_audit!(&mut *tx, meta, &change)?;
                tx.commit().await?;
                Ok::<(), crate::Error>(())
            })?;
        }
        self.idea_comment(organisation, comment.idea_id, comment.id)
            .await
    }

    /// How many ideas or comments a person posted since `since`, and when
    /// the earliest of those was (to say when posting is possible again).
    pub async fn recent_postings(
        &self,
        organisation: OrganisationId,
        user: UserId,
        posting: Posting,
        since: OffsetDateTime,
    ) -> Result<(i64, Option<OffsetDateTime>)> {
        let query = match posting {
            Posting::Idea => {
                "SELECT COUNT(*), MIN(created_at) FROM ideas \
                 WHERE organisation_id = $1 AND author_user_id = $2 AND created_at > $3"
            }
            Posting::Comment => {
                "SELECT COUNT(*), MIN(created_at) FROM idea_comments \
                 WHERE organisation_id = $1 AND author_user_id = $2 AND created_at > $3"
            }
        };
        Ok(on_pool!(self, p => sqlx::query_as(query)
            .bind(organisation)
            .bind(user)
            .bind(since)
            .fetch_one(p)
            .await?))
    }
}
