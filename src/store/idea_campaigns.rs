//! Campaigns: themed calls for ideas. Scoped by organisation.

use time::OffsetDateTime;

use super::BeginWrite as _;
use super::audit::write_audit;
use super::{AuditMeta, Change, Store, conflict_on_unique, on_pool};
use crate::Result;
use crate::domain::{CampaignId, OrganisationId, UserId};
use crate::governance::spec::show_day;
use crate::ideas::campaigns::{CampaignRecord, CampaignSpec};

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    title: String,
    description: String,
    owner_user_id: i64,
    owner_name: String,
    opens_on: i64,
    closes_on: i64,
    idea_count: i64,
    created_at: OffsetDateTime,
}

impl From<CampaignRow> for CampaignRecord {
    fn from(r: CampaignRow) -> Self {
        CampaignRecord {
            id: CampaignId(r.id),
            title: r.title,
            description: r.description,
            owner_id: UserId(r.owner_user_id),
            owner_name: r.owner_name,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            idea_count: r.idea_count,
            created_at: r.created_at,
        }
    }
}

macro_rules! campaign_select {
    () => {
        "SELECT c.id, c.title, c.description, c.owner_user_id, u.name AS owner_name, c.opens_on, c.closes_on, \
         (SELECT COUNT(*) FROM ideas i WHERE i.organisation_id = c.organisation_id AND i.campaign_id = c.id) AS idea_count, \
         c.created_at FROM idea_campaigns c JOIN users u ON u.id = c.owner_user_id "
    };
}

fn audited(spec: &CampaignSpec) -> serde_json::Value {
    serde_json::json!({
        "title": spec.title.as_str(), "description": spec.description, "owner_user_id": spec.owner_id,
        "opens_on": show_day(spec.opens_on), "closes_on": show_day(spec.closes_on),
    })
}

fn audited_record(record: &CampaignRecord) -> serde_json::Value {
    serde_json::json!({
        "title": record.title, "description": record.description, "owner_user_id": record.owner_id,
        "opens_on": show_day(record.opens_on), "closes_on": show_day(record.closes_on),
    })
}

impl Store {
    /// The organisation's campaigns, the latest to open first.
    pub async fn idea_campaigns(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<CampaignRecord>> {
        let rows: Vec<CampaignRow> = on_pool!(self, p => sqlx::query_as(concat!(
            campaign_select!(), "WHERE c.organisation_id = $1 ORDER BY c.opens_on DESC, c.id DESC"
        ))
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(CampaignRecord::from).collect())
    }

    pub async fn idea_campaign(
        &self,
        organisation: OrganisationId,
        id: CampaignId,
    ) -> Result<CampaignRecord> {
        let row: CampaignRow = on_pool!(self, p => sqlx::query_as(concat!(
            campaign_select!(), "WHERE c.organisation_id = $1 AND c.id = $2"
        ))
        .bind(organisation)
        .bind(id)
        .fetch_one(p)
        .await?);
        Ok(row.into())
    }

    /// Starts a campaign or changes one (`before`); a title in use is a
    /// conflict.
    pub async fn save_idea_campaign(
        &self,
        meta: &AuditMeta,
        organisation: OrganisationId,
        before: Option<&CampaignRecord>,
        spec: &CampaignSpec,
    ) -> Result<CampaignRecord> {
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = match before {
                None => sqlx::query_scalar(
                    "INSERT INTO idea_campaigns (organisation_id, title, description, owner_user_id, opens_on, \
                     closes_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(organisation)
                .bind(spec.title.as_str())
                .bind(&spec.description)
                .bind(spec.owner_id)
                .bind(spec.opens_on)
                .bind(spec.closes_on)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "title", "taken"))?,
                Some(before) => sqlx::query_scalar(
                    "UPDATE idea_campaigns SET title = $3, description = $4, owner_user_id = $5, opens_on = $6, \
                     closes_on = $7, updated_at = $8 WHERE organisation_id = $1 AND id = $2 RETURNING id",
                )
                .bind(organisation)
                .bind(before.id)
                .bind(spec.title.as_str())
                .bind(&spec.description)
                .bind(spec.owner_id)
                .bind(spec.opens_on)
                .bind(spec.closes_on)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict_on_unique(e, "title", "taken"))?,
            };
            let change = match before {
                None => Change::new("create", "idea_campaign", id, None, Some(audited(spec))),
                Some(before) => Change::new("update", "idea_campaign", id, Some(audited_record(before)), Some(audited(spec))),
            };
            if !change.is_empty_update() {
                write_audit!(&mut *tx, meta, &change)?;
            }
            tx.commit().await?;
            id
        });
        self.idea_campaign(organisation, CampaignId(id)).await
    }
}
