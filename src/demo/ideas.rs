//! Demo ideas: a running stream of forty ideas from the demo accounts
//! over the last nine months in every state, some posted without a name,
//! with supports and comments between colleagues; two accepted ideas led
//! to demo initiatives. A campaign runs now (an earlier one has closed),
//! and a moderator hid one idea and one comment.

use super::DemoContext;
use crate::domain::{Name, UserId};
use crate::http::AppState;
use crate::ideas::IdeaState;
use crate::ideas::campaigns::CampaignSpec;
use crate::ideas::spec::IdeaSpec;
use crate::{Error, Result};
use time::Duration;

/// (title, problem, proposal, tag, state, reason)
type DemoIdea = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    IdeaState,
    &'static str,
);

const IDEAS: [DemoIdea; 12] = [
    (
        "Energietoeslag zonder aanvraag",
        "Inwoners met recht op de toeslag vragen hem vaak niet aan.",
        "Ken de toeslag toe op basis van gegevens die we al hebben.",
        "inkomen",
        IdeaState::Accepted,
        "",
    ),
    (
        "Parkeervergunning op het kenteken",
        "Bewoners wachten op een papieren vergunning.",
        "Koppel de vergunning aan het kenteken en laat de scanauto controleren.",
        "parkeren",
        IdeaState::Accepted,
        "",
    ),
    (
        "Statusbericht bij elke stap",
        "Inwoners bellen om te vragen hoe het met hun aanvraag staat.",
        "Stuur automatisch een bericht bij elke stap in het zaaksysteem.",
        "dienstverlening",
        IdeaState::UnderReview,
        "",
    ),
    (
        "Eén formulier voor verhuizen",
        "Wie verhuist vult drie formulieren in met dezelfde gegevens.",
        "Vraag alles één keer en zet het door naar de afdelingen.",
        "burgerzaken",
        IdeaState::New,
        "",
    ),
    (
        "Vergaderen zonder printen",
        "Stukken worden nog steeds uitgeprint voor elk overleg.",
        "Deel stukken alleen digitaal en annoteer op de tablet.",
        "werkwijze",
        IdeaState::Parked,
        "Wacht op de nieuwe vergaderapp van volgend jaar.",
    ),
    (
        "Chat op de website 's avonds",
        "Vragen komen 's avonds binnen als de balie dicht is.",
        "Zet een chat in die eenvoudige vragen beantwoordt en de rest doorzet.",
        "dienstverlening",
        IdeaState::Declined,
        "Past niet binnen de privacyafspraken van dit jaar; we kijken er in de visie 2028 opnieuw naar.",
    ),
    (
        "Melding openbare ruimte met foto",
        "Meldingen zijn vaag en we rijden vaak voor niets uit.",
        "Laat inwoners een foto en de plek op de kaart meesturen.",
        "openbare ruimte",
        IdeaState::New,
        "",
    ),
    (
        "Leren van klachten per kwartaal",
        "Klachten worden afgehandeld maar niet geanalyseerd.",
        "Bespreek elk kwartaal de vijf meest voorkomende klachten met de teams.",
        "werkwijze",
        IdeaState::UnderReview,
        "",
    ),
    (
        "Samen inwerken over afdelingen",
        "Nieuwe collega's kennen alleen hun eigen afdeling.",
        "Laat nieuwe collega's een week meelopen bij drie andere teams.",
        "mensen",
        IdeaState::New,
        "",
    ),
    (
        "Afspraken online verzetten",
        "Wie een afspraak wil verzetten moet bellen.",
        "Stuur een link waarmee inwoners zelf een nieuw tijdstip kiezen.",
        "burgerzaken",
        IdeaState::New,
        "",
    ),
    (
        "Data-spreekuur voor teams",
        "Teams weten niet wat ze met hun cijfers kunnen.",
        "Houd een wekelijks spreekuur van het datateam.",
        "data",
        IdeaState::Accepted,
        "",
    ),
    (
        "Minder dubbele controles",
        "Aanvragen worden door twee teams op hetzelfde gecontroleerd.",
        "Spreek af wie wat controleert en leg het vast in het proces.",
        "werkwijze",
        IdeaState::New,
        "",
    ),
];

/// Which demo initiative the first two accepted ideas became.
const PROMOTED: [(&str, &str); 2] = [
    (
        "Energietoeslag zonder aanvraag",
        "Energietoeslag automatisch toekennen",
    ),
    (
        "Parkeervergunning op het kenteken",
        "Parkeervergunning als digitale pas",
    ),
];

pub async fn load(state: &AppState, context: &DemoContext) -> Result<()> {
    let store = state.store();
    let organisation = context.organisation.id;
    let meta = &context.meta;
    let mut authors: Vec<UserId> = store
        .member_emails(organisation)
        .await?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    authors.sort();
    if authors.is_empty() {
        return Ok(());
    }
    let initiatives = store.initiatives(organisation).await?;
    let now = meta.at;
    let today =
        crate::domain::Period::containing(crate::domain::Frequency::Day, now.date()).day_number();
    let day_title =
        |key: &str| Name::parse(key).map_err(|_| Error::Unexpected("demo campaign".into()));
    let running = store
        .save_idea_campaign(
            meta,
            organisation,
            None,
            &CampaignSpec {
                title: day_title("Slimmer werken aan de balie")?,
                description: "Wat kost aan de balie onnodig tijd, voor inwoners of voor ons? \
                              Deel je idee voor een slimmere werkwijze."
                    .to_owned(),
                owner_id: authors[0],
                opens_on: today - 30,
                closes_on: today + 30,
            },
        )
        .await?;
    store
        .save_idea_campaign(
            meta,
            organisation,
            None,
            &CampaignSpec {
                title: day_title("Minder papier in het archief")?,
                description: "Ideeën om papieren stromen digitaal te maken.".to_owned(),
                owner_id: authors[authors.len() / 2],
                opens_on: today - 200,
                closes_on: today - 140,
            },
        )
        .await?;
    // Forty ideas: the twelve above, and variations of them by other
    // colleagues in other units.
    for n in 0..40 {
        let (title, problem, proposal, tag, idea_state, reason) = IDEAS[n % IDEAS.len()];
        let title = if n < IDEAS.len() {
            title.to_owned()
        } else {
            format!("{title} ({})", n / IDEAS.len() + 1)
        };
        let author = authors[n % authors.len()];
        // Spread over nine months, one every week; decided one to three
        // weeks later.
        let posted_at = now - Duration::days(270 - 6 * i64::try_from(n).unwrap_or(0));
        let posted = crate::store::AuditMeta {
            at: posted_at,
            ..meta.clone()
        };
        let decided = crate::store::AuditMeta {
            at: (posted_at + Duration::days(5 + 3 * (i64::try_from(n).unwrap_or(0) % 5))).min(now),
            ..meta.clone()
        };
        let spec = IdeaSpec {
            title: Name::parse(&title).map_err(|_| Error::Unexpected("demo idea".into()))?,
            problem: problem.to_owned(),
            proposal: proposal.to_owned(),
            unit_id: context
                .units
                .get(n % context.units.len().max(1))
                .map(|(_, id)| *id),
            tags: vec![tag.to_owned()],
            links: Vec::new(),
            author_hidden: n % 5 == 2,
            campaign_id: (posted_at >= now - Duration::days(30)).then_some(running.id),
        };
        let mut idea = store
            .save_idea(&posted, organisation, author, None, &spec)
            .await?;
        // Later copies older than six weeks have been looked at; the most
        // recent are still new.
        let (target, reason) = if n < IDEAS.len() {
            (idea_state, reason)
        } else if posted_at < now - Duration::days(42) {
            LATER[n % LATER.len()]
        } else {
            (IdeaState::New, "")
        };
        if target != IdeaState::New {
            if target != IdeaState::UnderReview {
                idea = store
                    .triage_idea(&decided, &idea, IdeaState::UnderReview, "")
                    .await?;
            }
            idea = store.triage_idea(&decided, &idea, target, reason).await?;
        }
        for (k, supporter) in authors.iter().enumerate() {
            if *supporter != author && (n + k) % 3 != 0 && k <= (n * 3 + 1) % authors.len() {
                store
                    .set_support(&posted, organisation, idea.id, *supporter, true)
                    .await?;
            }
        }
        let became = PROMOTED
            .iter()
            .find(|(t, _)| *t == title)
            .and_then(|(_, name)| initiatives.iter().find(|i| i.title == *name));
        if let Some(initiative) = became {
            store
                .link_idea(&decided, organisation, idea.id, initiative.id)
                .await?;
        }
        if n % 4 == 1 {
            let colleague = authors[(n + 1) % authors.len()];
            let comment = store
                .add_idea_comment(
                    &posted,
                    organisation,
                    idea.id,
                    colleague,
                    COMMENTS[n % COMMENTS.len()],
                )
                .await?;
            if n == 9 {
                store
                    .moderate_idea_comment(
                        &decided,
                        &comment,
                        organisation,
                        Some("Persoonlijke opmerking over een collega."),
                    )
                    .await?;
            }
        }
        if n == 39 {
            store
                .moderate_idea(
                    &decided,
                    organisation,
                    idea.id,
                    Some("Dubbel: hetzelfde idee staat er al."),
                )
                .await?;
        }
    }
    Ok(())
}

/// What triage made of the later copies, in turn.
const LATER: [(IdeaState, &str); 4] = [
    (IdeaState::UnderReview, ""),
    (
        IdeaState::Declined,
        "Dit idee lijkt sterk op een experiment dat al loopt; sluit je daarbij aan.",
    ),
    (
        IdeaState::Parked,
        "Goed idee, maar het past pas na de vervanging van het zaaksysteem volgend jaar.",
    ),
    (IdeaState::Accepted, ""),
];

const COMMENTS: [&str; 4] = [
    "Goed idee. Bij ons team speelt precies hetzelfde.",
    "Is al gekeken of de leverancier dit kan? Dan hoeven we het niet zelf te bouwen.",
    "Ik wil graag meedenken; ik heb dit bij mijn vorige gemeente zien werken.",
    "Let op de privacy: daar moet de functionaris gegevensbescherming naar kijken.",
];
