//! The audit log: who changed what, when, from where, before and after.
//! Events are written by the store in the same transaction as the change.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::auth::Actor;
use crate::domain::{AuditEventId, Permission};
use crate::http::AppState;
use crate::pagination::{Page, PageRequest};
use crate::store::AuditFilter;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub id: AuditEventId,
    /// The acting person's email address (or `system`).
    pub actor: String,
    /// create, update, delete, login, logout, invite, …
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub client_address: Option<String>,
    /// `{"before": {...}, "after": {...}}` with the changed fields only.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// Filters as they arrive from the page or API.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page number, starting at 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<u32>,
    /// Only this entity type (unit, membership, organisation, …).
    pub entity_type: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Part of the actor's email address.
    pub actor: Option<String>,
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: &AuditQuery,
) -> crate::Result<Page<AuditEvent>> {
    actor.require(Permission::ViewAudit)?;
    let request = PageRequest::new(query.page.unwrap_or(1), query.page_size.unwrap_or(25))?;
    let non_empty = |s: &Option<String>| {
        s.as_ref()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let filter = AuditFilter {
        entity_type: non_empty(&query.entity_type),
        action: non_empty(&query.action),
        actor: non_empty(&query.actor),
    };
    state
        .store()
        .list_audit_events(actor.organisation_id, &filter, request)
        .await
}

pub async fn entity_types(state: &AppState, actor: &Actor) -> crate::Result<Vec<String>> {
    actor.require(Permission::ViewAudit)?;
    state
        .store()
        .audit_entity_types(actor.organisation_id)
        .await
}
