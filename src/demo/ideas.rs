//! Demo ideas: a running stream of about forty ideas from the demo
//! accounts in every state, some posted without a name, with supports
//! between colleagues; two accepted ideas led to demo initiatives.

use super::DemoContext;
use crate::domain::{Name, UserId};
use crate::http::AppState;
use crate::ideas::IdeaState;
use crate::ideas::spec::IdeaSpec;
use crate::{Error, Result};

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
        };
        let mut idea = store
            .save_idea(meta, organisation, author, None, &spec)
            .await?;
        // Later copies stay new, so every state shows and most are fresh.
        let target = if n < IDEAS.len() {
            idea_state
        } else {
            IdeaState::New
        };
        if target != IdeaState::New {
            if target != IdeaState::UnderReview {
                idea = store
                    .triage_idea(meta, &idea, IdeaState::UnderReview, "")
                    .await?;
            }
            idea = store.triage_idea(meta, &idea, target, reason).await?;
        }
        for (k, supporter) in authors.iter().enumerate() {
            if *supporter != author && (n + k) % 3 != 0 && k <= (n * 3 + 1) % authors.len() {
                store
                    .set_support(meta, organisation, idea.id, *supporter, true)
                    .await?;
            }
        }
        let became = PROMOTED
            .iter()
            .find(|(t, _)| *t == title)
            .and_then(|(_, name)| initiatives.iter().find(|i| i.title == *name));
        if let Some(initiative) = became {
            store
                .link_idea(meta, organisation, idea.id, initiative.id)
                .await?;
        }
    }
    Ok(())
}
