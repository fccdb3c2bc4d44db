//! The same news by mail, when a mail server is configured.
//!
//! Mail goes out after the change is committed and apart from the request:
//! a slow or unreachable mail server never holds up or undoes a triage
//! decision. Failures are logged; the in-app notification is the record.

use super::{NotificationKind, sentence};
use crate::domain::{IdeaId, OrganisationId, UserId};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::mail::Letter;

/// Who should hear about a change to an idea.
#[derive(Debug, Clone, Copy)]
pub struct Audience {
    pub organisation: OrganisationId,
    pub idea: IdeaId,
    /// Only the author (e.g. a comment or moderation), not supporters.
    pub author_only: bool,
    /// The person who made the change, who is not told.
    pub except: UserId,
}

/// Mails the news to the idea's followers in their own language; returns
/// at once. Does nothing without a mail server.
pub fn send_idea_news(
    state: &AppState,
    audience: Audience,
    kind: NotificationKind,
    title: &str,
    detail: &str,
) {
    if state.mailer().is_none() {
        return;
    }
    let state = state.clone();
    let title = title.to_owned();
    let detail = detail.to_owned();
    tokio::spawn(async move {
        if let Err(error) = deliver(&state, audience, kind, &title, &detail).await {
            tracing::warn!(%error, idea = audience.idea.0, "idea news not mailed");
        }
    });
}

async fn deliver(
    state: &AppState,
    audience: Audience,
    kind: NotificationKind,
    title: &str,
    detail: &str,
) -> crate::Result<()> {
    let Some(mailer) = state.mailer() else {
        return Ok(());
    };
    let followers = state
        .store()
        .idea_followers(
            audience.organisation,
            audience.idea,
            audience.author_only,
            Some(audience.except),
        )
        .await?;
    let link = format!("{}/ideas/{}", state.settings().public_url, audience.idea);
    for follower in followers {
        let t = Tr::new(follower.locale);
        let news = sentence(t, kind, title, detail);
        let letter = Letter {
            to: follower.email.as_str().to_owned(),
            subject: t.fill("notifications.mail_subject", &[("title", title)]),
            body: t.fill(
                "notifications.mail_body",
                &[("news", news.as_str()), ("link", link.as_str())],
            ),
        };
        // One refused letter does not keep the others back.
        let _ = mailer.send(&letter).await;
    }
    Ok(())
}
