//! In-app notifications: written in the transaction of the change they
//! report, read and marked read by their one recipient.

use time::OffsetDateTime;

use super::{Store, decode, on_pool};
use crate::Result;
use crate::domain::{Email, IdeaId, Locale, NotificationId, OrganisationId, UserId};
use crate::notifications::{NotificationKind, NotificationRecord};

/// Notifies an idea's author and supporters (not the one who made the
/// change) inside the caller's transaction; the idea's title is copied so
/// that the notification still reads when the idea changes.
macro_rules! notify_idea_followers {
    ($conn:expr, $meta:expr, $idea:expr, $kind:expr, $detail:expr) => {{
        let meta: &$crate::store::AuditMeta = $meta;
        let kind: $crate::notifications::NotificationKind = $kind;
        let detail: &str = $detail;
        sqlx::query(
            "INSERT INTO notifications (organisation_id, user_id, kind, subject_id, title, detail, created_at) \
             SELECT i.organisation_id, r.user_id, $3, i.id, i.title, $4, $5 FROM ideas i JOIN ( \
               SELECT author_user_id AS user_id FROM ideas WHERE organisation_id = $1 AND id = $2 \
               UNION SELECT user_id FROM idea_supports WHERE organisation_id = $1 AND idea_id = $2 \
             ) r ON TRUE WHERE i.organisation_id = $1 AND i.id = $2 AND ($6 IS NULL OR r.user_id <> $6)",
        )
        .bind(meta.organisation_id)
        .bind($idea)
        .bind(kind.code())
        .bind(detail)
        .bind(meta.at)
        .bind(meta.actor_user_id)
        .execute($conn)
        .await
        .map(|done| done.rows_affected())
    }};
}
pub(crate) use notify_idea_followers;

/// Notifies only an idea's author (e.g. that a moderator hid it).
macro_rules! notify_idea_author {
    ($conn:expr, $meta:expr, $idea:expr, $kind:expr, $detail:expr) => {{
        let meta: &$crate::store::AuditMeta = $meta;
        let kind: $crate::notifications::NotificationKind = $kind;
        let detail: &str = $detail;
        sqlx::query(
            "INSERT INTO notifications (organisation_id, user_id, kind, subject_id, title, detail, created_at) \
             SELECT organisation_id, author_user_id, $3, id, title, $4, $5 FROM ideas \
             WHERE organisation_id = $1 AND id = $2 AND ($6 IS NULL OR author_user_id <> $6)",
        )
        .bind(meta.organisation_id)
        .bind($idea)
        .bind(kind.code())
        .bind(detail)
        .bind(meta.at)
        .bind(meta.actor_user_id)
        .execute($conn)
        .await
        .map(|done| done.rows_affected())
    }};
}
pub(crate) use notify_idea_author;

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    subject_id: i64,
    title: String,
    detail: String,
    created_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
}

/// Someone to tell by mail about an idea, in their own language.
#[derive(Debug, Clone)]
pub struct Follower {
    pub user_id: UserId,
    pub email: Email,
    pub locale: Locale,
}

impl Store {
    /// A page of one person's notifications, newest first, with the total.
    pub async fn notifications(
        &self,
        organisation: OrganisationId,
        user: UserId,
        unread_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<NotificationRecord>, i64)> {
        let (rows, total): (Vec<NotificationRow>, i64) = on_pool!(self, p => {
            let rows = sqlx::query_as(
                "SELECT id, kind, subject_id, title, detail, created_at, read_at FROM notifications \
                 WHERE organisation_id = $1 AND user_id = $2 AND (NOT $3 OR read_at IS NULL) \
                 ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5",
            )
            .bind(organisation)
            .bind(user)
            .bind(unread_only)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
            let total = sqlx::query_scalar(
                "SELECT COUNT(*) FROM notifications WHERE organisation_id = $1 AND user_id = $2 \
                 AND (NOT $3 OR read_at IS NULL)",
            )
            .bind(organisation)
            .bind(user)
            .bind(unread_only)
            .fetch_one(p)
            .await?;
            (rows, total)
        });
        let records = rows
            .into_iter()
            .map(|r| {
                Ok(NotificationRecord {
                    id: NotificationId(r.id),
                    kind: decode(&r.kind, NotificationKind::parse)?,
                    subject_id: r.subject_id,
                    title: r.title,
                    detail: r.detail,
                    created_at: r.created_at,
                    read_at: r.read_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((records, total))
    }

    /// How many notifications a person has not read (shown in the header).
    pub async fn unread_notifications(
        &self,
        organisation: OrganisationId,
        user: UserId,
    ) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE organisation_id = $1 AND user_id = $2 AND read_at IS NULL",
        )
        .bind(organisation)
        .bind(user)
        .fetch_one(p)
        .await?))
    }

    /// Marks notifications read: one (`only`), those about one idea
    /// (`idea`), or all. Returns how many changed; someone else's
    /// notification is never touched.
    pub async fn mark_notifications_read(
        &self,
        organisation: OrganisationId,
        user: UserId,
        only: Option<NotificationId>,
        idea: Option<IdeaId>,
        at: OffsetDateTime,
    ) -> Result<u64> {
        Ok(on_pool!(self, p => sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE organisation_id = $1 AND user_id = $2 AND read_at IS NULL \
             AND ($4 IS NULL OR id = $4) AND ($5 IS NULL OR subject_id = $5)",
        )
        .bind(organisation)
        .bind(user)
        .bind(at)
        .bind(only)
        .bind(idea)
        .execute(p)
        .await?
        .rows_affected()))
    }

    /// Whether a notification belongs to this person (for a clear 404).
    pub async fn notification_exists(
        &self,
        organisation: OrganisationId,
        user: UserId,
        id: NotificationId,
    ) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM notifications WHERE organisation_id = $1 AND user_id = $2 AND id = $3",
        )
        .bind(organisation)
        .bind(user)
        .bind(id)
        .fetch_optional(p)
        .await?);
        Ok(found.is_some())
    }

    /// The author and supporters of an idea with a mail address, except
    /// `except` (who made the change).
    pub async fn idea_followers(
        &self,
        organisation: OrganisationId,
        idea: IdeaId,
        author_only: bool,
        except: Option<UserId>,
    ) -> Result<Vec<Follower>> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT u.id, u.email, u.locale FROM users u WHERE u.id IN ( \
               SELECT author_user_id FROM ideas WHERE organisation_id = $1 AND id = $2 \
               UNION SELECT user_id FROM idea_supports WHERE organisation_id = $1 AND idea_id = $2 AND NOT $3 \
             ) AND ($4 IS NULL OR u.id <> $4) ORDER BY u.id",
        )
        .bind(organisation)
        .bind(idea)
        .bind(author_only)
        .bind(except)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .filter_map(|(id, email, locale)| {
                Some(Follower {
                    user_id: UserId(id),
                    email: Email::parse(&email).ok()?,
                    locale: Locale::parse(&locale).unwrap_or(Locale::Nl),
                })
            })
            .collect())
    }
}
