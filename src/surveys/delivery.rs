//! Invitations and reminders by mail: the same one-time links as the CSV,
//! each sent to its employee's address. Links that could not be mailed
//! come back to the sender, who is the only one who can still hand them
//! out (Koers keeps only their hashes).

use serde::Serialize;

use super::wave_service::{self, Link};
use super::waves::Wave;
use crate::auth::Actor;
use crate::domain::{Locale, Permission, WaveId};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::mail::{Letter, Undelivered};
use crate::store::Change;
use crate::{Error, Result};

/// A first invitation or a reminder with a new link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Invitation,
    Reminder,
}

impl Occasion {
    fn key(self) -> &'static str {
        match self {
            Occasion::Invitation => "invitation",
            Occasion::Reminder => "reminder",
        }
    }
}

/// A link that did not reach its employee, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NotMailed {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub link: String,
    pub reason: Undelivered,
}

/// The outcome of one mailing.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// Letters the mail server accepted.
    pub mailed: usize,
    /// The links to hand out some other way.
    pub not_mailed: Vec<NotMailed>,
}

/// The letter for one link, in Dutch and then English: Koers does not
/// know which language an employee without an account reads.
pub fn letter(
    organisation: &str,
    wave: &Wave,
    occasion: Occasion,
    link: &Link,
    to: &str,
) -> Letter {
    let values = [
        ("organisation", organisation),
        ("wave", wave.name.as_str()),
        ("name", link.name.as_str()),
        ("link", link.url.as_str()),
        ("closes_on", wave.closes_on.as_str()),
    ];
    let part = |locale| {
        let t = Tr::new(locale);
        (
            t.fill(&format!("surveys.mail.{}_subject", occasion.key()), &values),
            t.fill(&format!("surveys.mail.{}_body", occasion.key()), &values),
        )
    };
    let (subject_nl, body_nl) = part(Locale::Nl);
    let (subject_en, body_en) = part(Locale::En);
    Letter {
        to: to.to_owned(),
        subject: format!("{subject_nl} / {subject_en}"),
        body: format!("{body_nl}\n\n-----\n\n{body_en}\n"),
    }
}

/// Invites (or reminds) the wave's employees by mail. Refused before any
/// link is made when no mail server is configured.
pub async fn mail(
    state: &AppState,
    actor: &Actor,
    id: WaveId,
    occasion: Occasion,
) -> Result<Delivery> {
    actor.require(Permission::ManageSurveys)?;
    let wave = wave_service::wave(state, actor, id).await?;
    let Some(mailer) = state.mailer() else {
        return Err(Error::conflict("delivery", "mail_not_configured"));
    };
    let links = match occasion {
        Occasion::Invitation => wave_service::invite(state, actor, id).await?,
        Occasion::Reminder => wave_service::remind(state, actor, id).await?,
    };
    let organisation = state
        .store()
        .organisation(actor.organisation_id)
        .await?
        .name;
    let mut delivery = Delivery {
        mailed: 0,
        not_mailed: Vec::new(),
    };
    for link in links {
        let sent = match &link.email {
            None => Err(Undelivered::NoAddress),
            Some(to) => {
                mailer
                    .send(&letter(&organisation, &wave, occasion, &link, to))
                    .await
            }
        };
        match sent {
            Ok(()) => delivery.mailed += 1,
            Err(reason) => delivery.not_mailed.push(NotMailed {
                number: link.number,
                name: link.name,
                unit: link.unit,
                link: link.url,
                reason,
            }),
        }
    }
    if delivery.mailed == 0 && delivery.not_mailed.is_empty() {
        return Ok(delivery);
    }
    let change = Change::new(
        "mail",
        "survey_wave",
        wave.id,
        None,
        Some(serde_json::json!({
            "occasion": occasion.key(),
            "mailed": delivery.mailed,
            "not_mailed": delivery.not_mailed.len(),
        })),
    );
    state
        .store()
        .record_event(&actor.audit(state.clock().now()), &change)
        .await?;
    Ok(delivery)
}
