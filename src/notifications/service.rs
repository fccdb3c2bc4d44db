//! Reading one's own notifications and marking them read.

use super::{Notification, sentence};
use crate::auth::Actor;
use crate::domain::{IdeaId, NotificationId, Permission};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::{Error, Result};

pub async fn list(
    state: &AppState,
    actor: &Actor,
    unread_only: bool,
    request: PageRequest,
) -> Result<Page<Notification>> {
    actor.require(Permission::ViewOrganisation)?;
    let (records, total) = state
        .store()
        .notifications(
            actor.organisation_id,
            actor.user_id,
            unread_only,
            request.limit(),
            request.offset(),
        )
        .await?;
    let t = crate::i18n::Tr::new(actor.locale);
    let items = records
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            kind: r.kind,
            idea_id: r.subject_id,
            text: sentence(t, r.kind, &r.title, &r.detail),
            link: format!("/ideas/{}", r.subject_id),
            read: r.read_at.is_some(),
            created_at: r.created_at,
        })
        .collect();
    Ok(Page::new(items, request, total))
}

pub async fn unread(state: &AppState, actor: &Actor) -> Result<i64> {
    state
        .store()
        .unread_notifications(actor.organisation_id, actor.user_id)
        .await
}

/// Marks one notification read; 404 for anyone else's.
pub async fn mark_read(state: &AppState, actor: &Actor, id: NotificationId) -> Result<()> {
    actor.require(Permission::ViewOrganisation)?;
    let store = state.store();
    if !store
        .notification_exists(actor.organisation_id, actor.user_id, id)
        .await?
    {
        return Err(Error::NotFound);
    }
    store
        .mark_notifications_read(
            actor.organisation_id,
            actor.user_id,
            Some(id),
            None,
            state.clock().now(),
        )
        .await?;
    Ok(())
}

/// Marks all of one's notifications read; returns how many were unread.
pub async fn mark_all_read(state: &AppState, actor: &Actor) -> Result<u64> {
    actor.require(Permission::ViewOrganisation)?;
    state
        .store()
        .mark_notifications_read(
            actor.organisation_id,
            actor.user_id,
            None,
            None,
            state.clock().now(),
        )
        .await
}

/// Reading an idea reads what one was told about it.
/// Returns how many were unread.
pub async fn read_about_idea(state: &AppState, actor: &Actor, idea: IdeaId) -> Result<u64> {
    state
        .store()
        .mark_notifications_read(
            actor.organisation_id,
            actor.user_id,
            None,
            Some(idea),
            state.clock().now(),
        )
        .await
}
