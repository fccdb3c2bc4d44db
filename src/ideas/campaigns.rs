//! Campaigns: themed calls for ideas ("Slimmer werken aan de balie") with
//! a period and an owner. While one is open the start page invites every
//! employee to answer it; ideas name the campaign they answer.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::Actor;
use crate::domain::{CampaignId, Name, Permission, UserId, Validator};
use crate::governance::spec::show_day;
use crate::http::AppState;
use crate::{Error, Result};

pub const DESCRIPTION_MAX: usize = 4000;

code_enum!(
    /// Where a campaign stands on a given day.
    CampaignStatus, "campaign_status", {
        Planned => "planned",
        Open => "open",
        Closed => "closed",
    }
);

/// A campaign as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRecord {
    pub id: CampaignId,
    pub title: String,
    pub description: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub opens_on: i64,
    pub closes_on: i64,
    pub idea_count: i64,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Campaign {
    pub id: CampaignId,
    pub title: String,
    /// What the campaign asks for.
    pub description: String,
    pub owner_id: UserId,
    pub owner_name: String,
    /// `YYYY-MM-DD`, the first day ideas are asked for.
    pub opens_on: String,
    /// `YYYY-MM-DD`, the last day.
    pub closes_on: String,
    pub status: CampaignStatus,
    /// Ideas that answer it (those a moderator hid included).
    pub idea_count: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A campaign as it arrives; on a change, absent fields stay.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct CampaignInput {
    /// 1–200 characters, unique in the organisation. Required.
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(nullable = false, max_length = 4000)]
    pub description: Option<String>,
    /// An active member; the caller when left out.
    #[schema(nullable = false)]
    pub owner_id: Option<i64>,
    /// `YYYY-MM-DD`. Required.
    #[schema(nullable = false)]
    pub opens_on: Option<String>,
    /// `YYYY-MM-DD`, on or after `opens_on`. Required.
    #[schema(nullable = false)]
    pub closes_on: Option<String>,
}

/// A checked campaign.
#[derive(Debug, Clone)]
pub struct CampaignSpec {
    pub title: Name,
    pub description: String,
    pub owner_id: UserId,
    pub opens_on: i64,
    pub closes_on: i64,
}

fn status(today: i64, record: &CampaignRecord) -> CampaignStatus {
    if today < record.opens_on {
        CampaignStatus::Planned
    } else if today > record.closes_on {
        CampaignStatus::Closed
    } else {
        CampaignStatus::Open
    }
}

fn view(today: i64, record: CampaignRecord) -> Campaign {
    Campaign {
        status: status(today, &record),
        id: record.id,
        title: record.title,
        description: record.description,
        owner_id: record.owner_id,
        owner_name: record.owner_name,
        opens_on: show_day(record.opens_on),
        closes_on: show_day(record.closes_on),
        idea_count: record.idea_count,
        created_at: record.created_at,
    }
}

pub fn campaign_spec(
    input: &CampaignInput,
    before: Option<&CampaignRecord>,
    default_owner: UserId,
) -> Result<CampaignSpec> {
    let mut v = Validator::new();
    let title = v.check(
        "title",
        Name::parse(
            input
                .title
                .as_deref()
                .or(before.map(|b| b.title.as_str()))
                .unwrap_or(""),
        ),
    );
    let description = v.text(
        "description",
        input
            .description
            .as_deref()
            .or(before.map(|b| b.description.as_str()))
            .unwrap_or(""),
        DESCRIPTION_MAX,
    );
    let day = |v: &mut Validator, field: &str, given: &Option<String>, kept: Option<i64>| match (
        given, kept,
    ) {
        (Some(text), _) => v.day(field, text),
        (None, Some(kept)) => Some(kept),
        (None, None) => v.day(field, ""),
    };
    let opens_on = day(
        &mut v,
        "opens_on",
        &input.opens_on,
        before.map(|b| b.opens_on),
    );
    let closes_on = day(
        &mut v,
        "closes_on",
        &input.closes_on,
        before.map(|b| b.closes_on),
    );
    if let (Some(opens), Some(closes)) = (opens_on, closes_on)
        && closes < opens
    {
        v.add("closes_on", "ends_before_start");
    }
    let owner_id = input
        .owner_id
        .map(UserId)
        .or(before.map(|b| b.owner_id))
        .unwrap_or(default_owner);
    let fields = title.zip(opens_on).zip(closes_on);
    v.finish(fields.map(|((title, opens_on), closes_on)| CampaignSpec {
        title,
        description,
        owner_id,
        opens_on,
        closes_on,
    }))
}

fn today(state: &AppState) -> i64 {
    state.today().day_number()
}

/// Every campaign, the latest to open first.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Campaign>> {
    actor.require(Permission::ViewOrganisation)?;
    let today = today(state);
    Ok(state
        .store()
        .idea_campaigns(actor.organisation_id)
        .await?
        .into_iter()
        .map(|c| view(today, c))
        .collect())
}

/// The campaigns open today (for the start page and the idea form).
pub async fn open(state: &AppState, actor: &Actor) -> Result<Vec<Campaign>> {
    Ok(list(state, actor)
        .await?
        .into_iter()
        .filter(|c| c.status == CampaignStatus::Open)
        .collect())
}

pub async fn get(state: &AppState, actor: &Actor, id: CampaignId) -> Result<Campaign> {
    actor.require(Permission::ViewOrganisation)?;
    let record = state
        .store()
        .idea_campaign(actor.organisation_id, id)
        .await?;
    Ok(view(today(state), record))
}

async fn check_owner(state: &AppState, actor: &Actor, owner: UserId) -> Result<()> {
    match state.store().member(actor.organisation_id, owner).await {
        Ok(member) if member.active => Ok(()),
        Ok(_) | Err(Error::NotFound) => Err(Error::invalid("owner_id", "unknown_member")),
        Err(other) => Err(other),
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &CampaignInput) -> Result<Campaign> {
    actor.require(Permission::TriageIdeas)?;
    let spec = campaign_spec(input, None, actor.user_id)?;
    check_owner(state, actor, spec.owner_id).await?;
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .save_idea_campaign(&meta, actor.organisation_id, None, &spec)
        .await?;
    Ok(view(today(state), record))
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: CampaignId,
    input: &CampaignInput,
) -> Result<Campaign> {
    actor.require(Permission::TriageIdeas)?;
    let before = state
        .store()
        .idea_campaign(actor.organisation_id, id)
        .await?;
    let spec = campaign_spec(input, Some(&before), actor.user_id)?;
    if spec.owner_id != before.owner_id {
        check_owner(state, actor, spec.owner_id).await?;
    }
    let meta = actor.audit(state.clock().now());
    let record = state
        .store()
        .save_idea_campaign(&meta, actor.organisation_id, Some(&before), &spec)
        .await?;
    Ok(view(today(state), record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_needs_a_title_and_dates_in_order() {
        let input = CampaignInput {
            opens_on: Some("2026-12-01".into()),
            closes_on: Some("2026-11-01".into()),
            ..CampaignInput::default()
        };
        let Err(Error::Invalid(errors)) = campaign_spec(&input, None, UserId(1)) else {
            panic!("expected invalid");
        };
        let fields: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [("title", "required"), ("closes_on", "ends_before_start")]
        );
    }

    #[test]
    fn status_follows_the_days() {
        let record = CampaignRecord {
            id: CampaignId(1),
            title: "Balie".into(),
            description: String::new(),
            owner_id: UserId(1),
            owner_name: "A".into(),
            opens_on: 10,
            closes_on: 20,
            idea_count: 0,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        assert_eq!(status(9, &record), CampaignStatus::Planned);
        assert_eq!(status(10, &record), CampaignStatus::Open);
        assert_eq!(status(20, &record), CampaignStatus::Open);
        assert_eq!(status(21, &record), CampaignStatus::Closed);
    }
}
