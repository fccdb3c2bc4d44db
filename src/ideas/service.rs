//! Rules of the idea platform: who sees an author, who may change an idea
//! and until when, one support per person.

use std::collections::HashSet;

use time::Duration;

use super::spec::idea_spec;
use super::{Idea, IdeaAuthor, IdeaInput, IdeaOrder, IdeaRecord, IdeaState};
use crate::auth::Actor;
use crate::domain::{IdeaId, Permission, Validator};
use crate::http::AppState;
use crate::notifications::NotificationKind;
use crate::notifications::mail::{Audience, send_idea_news};
use crate::{Error, Result};

/// How long an author may change a new idea after posting it.
pub const EDIT_WINDOW: Duration = Duration::hours(24);

/// The idea as this reader may see it.
fn view(actor: &Actor, record: IdeaRecord, supported: bool) -> Idea {
    let mine = record.author_id == actor.user_id;
    let insider = mine || actor.can(Permission::TriageIdeas);
    let named = !record.author_hidden || insider;
    Idea {
        id: record.id,
        author: named.then_some(IdeaAuthor {
            user_id: record.author_id,
            name: record.author_name,
        }),
        author_hidden: record.author_hidden,
        mine,
        title: record.title,
        problem: record.problem,
        proposal: record.proposal,
        unit_id: record.unit_id,
        tags: record.tags,
        links: record.links,
        state: record.state,
        state_reason: record.state_reason,
        initiative_id: record.initiative_id,
        supports: record.supports,
        supported,
        campaign_id: record.campaign_id,
        hidden: record.hidden_reason.is_some(),
        hidden_reason: if insider { record.hidden_reason } else { None },
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// Whether this reader may see the idea at all: a hidden idea only shows
/// to its author and to moderators.
fn visible(actor: &Actor, record: &IdeaRecord) -> bool {
    record.hidden_reason.is_none()
        || record.author_id == actor.user_id
        || actor.can(Permission::TriageIdeas)
}

/// What a list asks for: a search in title, problem and proposal, a state,
/// a campaign, and an order.
#[derive(Debug, Default, Clone)]
pub struct IdeaQuery {
    pub search: String,
    pub state: Option<IdeaState>,
    pub campaign: Option<crate::domain::CampaignId>,
    pub order: Option<IdeaOrder>,
}

pub async fn list(state: &AppState, actor: &Actor, query: &IdeaQuery) -> Result<Vec<Idea>> {
    actor.require(Permission::ViewOrganisation)?;
    let store = state.store();
    let supported: HashSet<IdeaId> = store
        .supported_ideas(actor.organisation_id, actor.user_id)
        .await?
        .into_iter()
        .collect();
    let words: Vec<String> = query
        .search
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut ideas: Vec<Idea> = store
        .ideas(actor.organisation_id)
        .await?
        .into_iter()
        .filter(|i| visible(actor, i))
        .filter(|i| query.state.is_none_or(|s| i.state == s))
        .filter(|i| query.campaign.is_none_or(|c| i.campaign_id == Some(c)))
        .filter(|i| {
            let text = format!("{} {} {}", i.title, i.problem, i.proposal).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .map(|i| {
            let s = supported.contains(&i.id);
            view(actor, i, s)
        })
        .collect();
    match query.order.unwrap_or(IdeaOrder::Newest) {
        // The store gives them newest first.
        IdeaOrder::Newest => {}
        IdeaOrder::Supports => ideas.sort_by_key(|i| std::cmp::Reverse(i.supports)),
        IdeaOrder::State => {
            ideas.sort_by_key(|i| IdeaState::ALL.iter().position(|s| *s == i.state))
        }
    }
    Ok(ideas)
}

pub async fn get(state: &AppState, actor: &Actor, id: IdeaId) -> Result<Idea> {
    actor.require(Permission::ViewOrganisation)?;
    let record = state.store().idea(actor.organisation_id, id).await?;
    if !visible(actor, &record) {
        return Err(Error::NotFound);
    }
    let supported = state
        .store()
        .supported_ideas(actor.organisation_id, actor.user_id)
        .await?
        .contains(&id);
    Ok(view(actor, record, supported))
}

async fn check_unit(state: &AppState, actor: &Actor, spec: &super::spec::IdeaSpec) -> Result<()> {
    if let Some(unit) = spec.unit_id {
        let known = state
            .store()
            .list_units(actor.organisation_id)
            .await?
            .iter()
            .any(|u| u.id == unit);
        if !known {
            let mut v = Validator::new();
            v.add("unit_id", "unknown_unit");
            return v.finish(None);
        }
    }
    Ok(())
}

/// A new idea may answer a campaign only while that campaign is open; a
/// changed idea may keep the campaign it answered.
async fn check_campaign(
    state: &AppState,
    actor: &Actor,
    spec: &super::spec::IdeaSpec,
    before: Option<&IdeaRecord>,
) -> Result<()> {
    let Some(campaign) = spec.campaign_id else {
        return Ok(());
    };
    if before.is_some_and(|b| b.campaign_id == Some(campaign)) {
        return Ok(());
    }
    let open = super::campaigns::get(state, actor, campaign)
        .await
        .ok()
        .is_some_and(|c| c.status == super::campaigns::CampaignStatus::Open);
    if open {
        Ok(())
    } else {
        Err(Error::invalid("campaign_id", "campaign_not_open"))
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &IdeaInput) -> Result<Idea> {
    actor.require(Permission::ShareIdeas)?;
    let spec = idea_spec(input, None)?;
    check_unit(state, actor, &spec).await?;
    check_campaign(state, actor, &spec, None).await?;
    super::moderation::check_rate(state, actor, crate::store::idea_comments::Posting::Idea).await?;
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .save_idea(&meta, actor.organisation_id, actor.user_id, None, &spec)
        .await?;
    Ok(view(actor, record, false))
}

/// The author changes their idea: only while it is new and within a day
/// of posting, so that supporters back what they read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: IdeaId,
    input: &IdeaInput,
) -> Result<Idea> {
    actor.require(Permission::ShareIdeas)?;
    let before = state.store().idea(actor.organisation_id, id).await?;
    if before.author_id != actor.user_id {
        return Err(Error::Forbidden);
    }
    if before.state != IdeaState::New || state.clock().now() - before.created_at > EDIT_WINDOW {
        return Err(Error::conflict("idea", "edit_window_closed"));
    }
    let spec = idea_spec(input, Some(&before))?;
    check_unit(state, actor, &spec).await?;
    check_campaign(state, actor, &spec, Some(&before)).await?;
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .save_idea(
            &meta,
            actor.organisation_id,
            actor.user_id,
            Some(&before),
            &spec,
        )
        .await?;
    get_view(state, actor, record).await
}

async fn get_view(state: &AppState, actor: &Actor, record: IdeaRecord) -> Result<Idea> {
    let supported = state
        .store()
        .supported_ideas(actor.organisation_id, actor.user_id)
        .await?
        .contains(&record.id);
    Ok(view(actor, record, supported))
}

/// Supports an idea (once; again changes nothing) or withdraws the
/// support. Authors do not support their own ideas.
pub async fn support(state: &AppState, actor: &Actor, id: IdeaId, on: bool) -> Result<Idea> {
    actor.require(Permission::ShareIdeas)?;
    let idea = state.store().idea(actor.organisation_id, id).await?;
    if !visible(actor, &idea) {
        return Err(Error::NotFound);
    }
    if on && idea.author_id == actor.user_id {
        return Err(Error::conflict("idea", "own_idea"));
    }
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .set_support(&meta, actor.organisation_id, id, actor.user_id, on)
        .await?;
    Ok(view(actor, record, on))
}

/// Moves an idea through triage: only to the states its current one
/// allows, and with a reason the author reads when declining or parking.
pub async fn triage(
    state: &AppState,
    actor: &Actor,
    id: IdeaId,
    input: &super::TriageInput,
) -> Result<Idea> {
    actor.require(Permission::TriageIdeas)?;
    let before = state.store().idea(actor.organisation_id, id).await?;
    let mut v = Validator::new();
    let to = match input.state.as_deref().map(str::trim).unwrap_or("") {
        "" => {
            v.add("state", "required");
            None
        }
        given => v.check("state", IdeaState::parse(given)),
    };
    let reason = v.text(
        "reason",
        input.reason.as_deref().unwrap_or(""),
        super::spec::TEXT_MAX,
    );
    if let Some(to) = to {
        if !before.state.next().contains(&to) {
            v.add("state", "state_move_not_allowed");
        } else if matches!(to, IdeaState::Declined | IdeaState::Parked) && reason.is_empty() {
            v.add("reason", "required");
        }
    }
    let to = v.finish(to)?;
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .triage_idea(&meta, &before, to, &reason)
        .await?;
    send_idea_news(
        state,
        Audience {
            organisation: actor.organisation_id,
            idea: id,
            author_only: false,
            except: actor.user_id,
        },
        NotificationKind::IdeaState,
        &record.title,
        to.code(),
    );
    get_view(state, actor, record).await
}

/// Makes an accepted idea an experiment in the portfolio (stage idea),
/// linked both ways: the idea names the initiative, the initiative page
/// names the idea. Once per idea.
pub async fn promote(
    state: &AppState,
    actor: &Actor,
    id: IdeaId,
) -> Result<crate::portfolio::Initiative> {
    actor.require(Permission::TriageIdeas)?;
    actor.require(Permission::ManagePortfolio)?;
    let idea = state.store().idea(actor.organisation_id, id).await?;
    if idea.initiative_id.is_some() {
        return Err(Error::conflict("idea", "already_promoted"));
    }
    if idea.state != IdeaState::Accepted {
        return Err(Error::conflict("idea", "not_accepted"));
    }
    let spec = crate::portfolio::spec::InitiativeSpec {
        kind: crate::portfolio::InitiativeKind::Experiment,
        title: crate::domain::Name::parse(&idea.title)
            .map_err(|_| Error::Unexpected("an idea title is not a name".into()))?,
        problem: idea.problem.clone(),
        hypothesis: idea.proposal.clone(),
        learning_goals: Vec::new(),
        technologies: Vec::new(),
        owner_id: Some(actor.user_id),
        unit_id: idea.unit_id,
        go_live_on: None,
        cost_estimate: None,
        ambition_ids: Vec::new(),
        indicators: Vec::new(),
        lab_id: None,
        intervention: None,
        from_idea: Some(idea.id),
        expected_version: None,
    };
    let meta = actor.audit(state.clock().now());
    let initiative = state
        .store()
        .save_initiative(&meta, actor.organisation_id, None, &spec)
        .await?;
    send_idea_news(
        state,
        Audience {
            organisation: actor.organisation_id,
            idea: id,
            author_only: false,
            except: actor.user_id,
        },
        NotificationKind::IdeaPromoted,
        &idea.title,
        "",
    );
    Ok(initiative)
}
