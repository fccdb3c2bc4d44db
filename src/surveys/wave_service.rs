//! Wave services: creating waves, handing out one-time invitation links
//! (and new links as reminders), the live response rate, and answering by
//! link without an account.

use std::collections::{HashMap, HashSet};

use super::catalog::OPEN;
use super::waves::{AnswerSpec, OPEN_ANSWER_MAX, Progress, Wave, WaveInput, WaveStatus, wave_spec};
use super::{Item, Version};
use crate::auth::Actor;
use crate::auth::secret::{hash_secret, random_id, random_secret};
use crate::domain::{OrganisationId, Permission, SurveyItemId, UnitId, UserId, Validator, WaveId};
use crate::http::AppState;
use crate::skills::Employee;
use crate::store::OpenInvitation;
use crate::{Error, Result};

fn today(state: &AppState) -> i64 {
    state.today().day_number()
}

pub async fn waves(state: &AppState, actor: &Actor) -> Result<Vec<Wave>> {
    actor.require(Permission::ViewSurveyResults)?;
    state
        .store()
        .waves(actor.organisation_id, today(state))
        .await
}

pub async fn wave(state: &AppState, actor: &Actor, id: WaveId) -> Result<Wave> {
    actor.require(Permission::ViewSurveyResults)?;
    state
        .store()
        .wave(actor.organisation_id, id, today(state))
        .await
}

pub async fn create_wave(state: &AppState, actor: &Actor, input: &WaveInput) -> Result<Wave> {
    actor.require(Permission::ManageSurveys)?;
    let spec = wave_spec(input)?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let mut v = Validator::new();
    let instrument = match store.instrument(organisation, spec.instrument_id).await {
        Ok(instrument) => Some(instrument),
        Err(Error::NotFound) => {
            v.add("instrument_id", "unknown_choice");
            None
        }
        Err(e) => return Err(e),
    };
    let units: HashSet<UnitId> = store
        .list_units(organisation)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    if spec.unit_ids.iter().any(|u| !units.contains(u)) {
        v.add("unit_ids", "unknown_unit");
    }
    let instrument = v.finish(instrument)?;
    let version = store
        .instrument_version(&instrument, instrument.current_version)
        .await?;
    let meta = actor.audit(state.clock().now());
    store
        .create_wave(&meta, organisation, version.id, &spec, today(state))
        .await
}

/// A link handed out, for the invitations CSV or a letter.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub url: String,
    /// The address of the employee's account, when they have one.
    pub email: Option<String>,
}

/// What a link names besides its token: unit names and account addresses.
struct Addressbook {
    units: HashMap<UnitId, String>,
    emails: HashMap<UserId, String>,
}

impl Addressbook {
    async fn load(state: &AppState, organisation: OrganisationId) -> Result<Self> {
        let store = state.store();
        Ok(Self {
            units: store
                .list_units(organisation)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
            emails: store
                .member_emails(organisation)
                .await?
                .into_iter()
                .map(|(email, user)| (user, email))
                .collect(),
        })
    }

    fn link(&self, state: &AppState, employee: &Employee, token: &str) -> Link {
        Link {
            number: employee.number.clone(),
            name: employee.name.clone(),
            unit: employee
                .unit_id
                .and_then(|u| self.units.get(&u).cloned())
                .unwrap_or_default(),
            url: link_url(state, token),
            email: employee.user_id.and_then(|u| self.emails.get(&u).cloned()),
        }
    }
}

fn link_url(state: &AppState, token: &str) -> String {
    format!("{}/s/{token}", state.settings().public_url)
}

/// The units a wave asks: its units with every unit below them, or all.
async fn audience(state: &AppState, actor: &Actor, wave: &Wave) -> Result<Option<HashSet<UnitId>>> {
    if wave.unit_ids.is_empty() {
        return Ok(None);
    }
    let units = state.store().list_units(actor.organisation_id).await?;
    let parent: HashMap<UnitId, Option<UnitId>> =
        units.iter().map(|u| (u.id, u.parent_id)).collect();
    let within = |mut at: UnitId| {
        let mut seen = HashSet::new();
        loop {
            if wave.unit_ids.contains(&at) {
                return true;
            }
            match parent.get(&at) {
                Some(Some(up)) if seen.insert(at) => at = *up,
                _ => return false,
            }
        }
    };
    Ok(Some(
        units.iter().map(|u| u.id).filter(|u| within(*u)).collect(),
    ))
}

fn refuse_closed(wave: &Wave) -> Result<()> {
    if wave.status == WaveStatus::Closed {
        return Err(Error::conflict("wave", "wave_closed"));
    }
    Ok(())
}

/// Invites every active employee of the audience who has no invitation
/// yet and returns their links: the only time these links exist outside
/// the respondent's hands (only their hashes are kept).
pub async fn invite(state: &AppState, actor: &Actor, id: WaveId) -> Result<Vec<Link>> {
    let wave = wave(state, actor, id).await?;
    actor.require(Permission::ManageSurveys)?;
    refuse_closed(&wave)?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let audience = audience(state, actor, &wave).await?;
    let invited: HashSet<_> = store
        .invited_employees(&wave, organisation)
        .await?
        .into_iter()
        .collect();
    let book = Addressbook::load(state, organisation).await?;
    let mut links = Vec::new();
    let mut rows = Vec::new();
    for employee in store.all_employees(organisation).await? {
        let in_audience = match (&audience, employee.unit_id) {
            (None, _) => true,
            (Some(units), Some(unit)) => units.contains(&unit),
            (Some(_), None) => false,
        };
        if !employee.active || !in_audience || invited.contains(&employee.id) {
            continue;
        }
        let token = random_secret();
        rows.push((
            employee.id,
            employee.unit_id.map_or(0, |u| u.0),
            hash_secret(&token),
        ));
        links.push(book.link(state, &employee, &token));
    }
    let meta = actor.audit(state.clock().now());
    store
        .create_invitations(&meta, organisation, &wave, &rows)
        .await?;
    Ok(links)
}

/// New links for everyone who has not answered; their old links stop
/// working. Says nothing about what anyone answered.
pub async fn remind(state: &AppState, actor: &Actor, id: WaveId) -> Result<Vec<Link>> {
    let wave = wave(state, actor, id).await?;
    actor.require(Permission::ManageSurveys)?;
    refuse_closed(&wave)?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let pending = store.unanswered(organisation, wave.id).await?;
    let employees: HashMap<_, _> = store
        .all_employees(organisation)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let book = Addressbook::load(state, organisation).await?;
    let tokens: Vec<(i64, String, String)> = pending
        .iter()
        .map(|(invitation, _)| {
            let token = random_secret();
            (*invitation, hash_secret(&token), token)
        })
        .collect();
    let hashes: Vec<(i64, String)> = tokens.iter().map(|(i, h, _)| (*i, h.clone())).collect();
    let meta = actor.audit(state.clock().now());
    let reminded: HashSet<i64> = store
        .remind(&meta, organisation, wave.id, &hashes)
        .await?
        .into_iter()
        .collect();
    Ok(pending
        .iter()
        .zip(&tokens)
        .filter(|((invitation, _), _)| reminded.contains(invitation))
        .filter_map(|((_, employee), (_, _, token))| {
            Some(book.link(state, employees.get(employee)?, token))
        })
        .collect())
}

pub async fn progress(state: &AppState, actor: &Actor, id: WaveId) -> Result<Progress> {
    let wave = wave(state, actor, id).await?;
    let units = state
        .store()
        .wave_progress(actor.organisation_id, wave.id)
        .await?;
    Ok(Progress::of(units))
}

/// A survey as its invitation opens it.
pub struct OpenSurvey {
    pub invitation: OpenInvitation,
    pub kind: super::InstrumentKind,
    pub version: Version,
}

/// The survey behind a token, for answering. Unknown, used and
/// out-of-date links are told apart, so that the respondent knows why.
pub async fn open_survey(state: &AppState, token: &str) -> Result<OpenSurvey> {
    let invitation = state
        .store()
        .invitation_by_token(&hash_secret(token))
        .await?;
    if invitation.answered {
        return Err(Error::conflict("invitation", "already_answered"));
    }
    let today = today(state);
    if today < invitation.opens_on {
        return Err(Error::conflict("invitation", "wave_not_open"));
    }
    if today > invitation.closes_on {
        return Err(Error::conflict("invitation", "wave_closed"));
    }
    let instrument = state
        .store()
        .instrument(invitation.organisation_id, invitation.instrument_id)
        .await?;
    let versions = state.store().instrument_versions(&instrument).await?;
    let number = versions
        .iter()
        .find(|v| v.id == invitation.version_id)
        .map(|v| v.number)
        .ok_or(Error::NotFound)?;
    let version = state
        .store()
        .instrument_version(&instrument, number)
        .await?;
    Ok(OpenSurvey {
        invitation,
        kind: instrument.kind,
        version,
    })
}

/// The respondent's answers by item: a score 1–5 for a statement, text for
/// an open question, and an optional comment on a statement (the scan's
/// only: pass none for the pulse survey); anything may be left out, but
/// not everything.
pub fn answers_spec(
    items: &[Item],
    scores: &HashMap<SurveyItemId, String>,
    texts: &HashMap<SurveyItemId, String>,
    comments: &HashMap<SurveyItemId, String>,
) -> Result<Vec<AnswerSpec>> {
    let mut v = Validator::new();
    let mut answers = Vec::new();
    for item in items {
        let field = format!("item-{}", item.id);
        if item.dimension == OPEN {
            let text = v.text(
                &field,
                texts.get(&item.id).map_or("", String::as_str),
                OPEN_ANSWER_MAX,
            );
            if !text.is_empty() {
                answers.push(AnswerSpec {
                    item_id: item.id,
                    dimension: item.dimension.clone(),
                    score: None,
                    text: Some(text),
                });
            }
            continue;
        }
        let score = match scores.get(&item.id).map(|s| s.trim()).unwrap_or("") {
            "" => None,
            given => match given.parse::<i64>() {
                Ok(score) if (1..=5).contains(&score) => Some(score),
                _ => {
                    v.add(&field, "out_of_bounds");
                    None
                }
            },
        };
        let comment = v.text(
            &format!("comment-{}", item.id),
            comments.get(&item.id).map_or("", String::as_str),
            OPEN_ANSWER_MAX,
        );
        if score.is_some() || !comment.is_empty() {
            answers.push(AnswerSpec {
                item_id: item.id,
                dimension: item.dimension.clone(),
                score,
                text: (!comment.is_empty()).then_some(comment),
            });
        }
    }
    if answers.is_empty() && v.is_empty() {
        v.add("answers", "nothing_answered");
    }
    v.finish(Some(answers))
}

/// Keeps a respondent's answers and uses up their link.
pub async fn submit(
    state: &AppState,
    token: &str,
    scores: &HashMap<SurveyItemId, String>,
    texts: &HashMap<SurveyItemId, String>,
    comments: &HashMap<SurveyItemId, String>,
) -> Result<()> {
    let open = open_survey(state, token).await?;
    // Comments are the scan's; the pulse survey asks for none, so that its
    // free text stays in the one open question.
    let none = HashMap::new();
    let comments = if open.kind == super::InstrumentKind::Scan {
        comments
    } else {
        &none
    };
    let answers = answers_spec(&open.version.items, scores, texts, comments)?;
    state
        .store()
        .submit_response(&hash_secret(token), &open.invitation, random_id(), &answers)
        .await
}

/// A wave's results, with every group below the threshold hidden.
pub async fn results(
    state: &AppState,
    actor: &Actor,
    id: WaveId,
) -> Result<super::results::Results> {
    let wave = wave(state, actor, id).await?;
    let organisation = actor.organisation_id;
    let store = state.store();
    let k = store.min_group_size(organisation).await?;
    let name = store.organisation(organisation).await?.name;
    let instrument = store.instrument(organisation, wave.instrument_id).await?;
    let version = store.instrument_version(&instrument, wave.version).await?;
    let dimensions: Vec<String> = super::catalog::dimensions(instrument.kind)
        .into_iter()
        .filter(|d| *d != OPEN && version.items.iter().any(|i| i.dimension == *d))
        .map(str::to_owned)
        .collect();
    let units = crate::skills::service::unit_nodes(state, organisation).await?;
    let sums = store.wave_sums(organisation, wave.id, version.id).await?;
    Ok(super::results::results(&super::results::ResultsInput {
        organisation: &name,
        units: &units,
        dimensions: &dimensions,
        sums: &sums.sums,
        respondents: &sums.respondents,
        open: &sums.open,
        k,
    }))
}
