use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{BeginWrite as _, Store, on_pool};
use crate::Result;
use crate::audit::AuditEvent;
use crate::domain::{AuditEventId, OrganisationId, UserId};
use crate::pagination::{Page, PageRequest};

/// Who did something, where and when: written beside every change.
#[derive(Debug, Clone)]
pub struct AuditMeta {
    pub organisation_id: Option<OrganisationId>,
    pub actor_user_id: Option<UserId>,
    pub actor_label: String,
    pub client_address: Option<String>,
    pub at: OffsetDateTime,
}

/// What changed: the action, the entity and the fields before and after.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    pub fn created(
        entity_type: &'static str,
        id: impl ToString,
        after: &impl serde::Serialize,
    ) -> Self {
        Self::new("create", entity_type, id, None, Some(to_value(after)))
    }

    pub fn deleted(
        entity_type: &'static str,
        id: impl ToString,
        before: &impl serde::Serialize,
    ) -> Self {
        Self::new("delete", entity_type, id, Some(to_value(before)), None)
    }

    /// An update that records only the fields whose value changed.
    pub fn updated(
        entity_type: &'static str,
        id: impl ToString,
        before: &impl serde::Serialize,
        after: &impl serde::Serialize,
    ) -> Self {
        let (before, after) = changed_fields(to_value(before), to_value(after));
        Self::new("update", entity_type, id, Some(before), Some(after))
    }

    pub fn event(action: &'static str, entity_type: &'static str, id: impl ToString) -> Self {
        Self::new(action, entity_type, id, None, None)
    }

    pub fn new(
        action: &'static str,
        entity_type: &'static str,
        id: impl ToString,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Self {
        Self {
            action,
            entity_type,
            entity_id: id.to_string(),
            before,
            after,
        }
    }

    /// Did the update change anything at all?
    pub fn is_empty_update(&self) -> bool {
        self.action == "update"
            && self
                .after
                .as_ref()
                .and_then(Value::as_object)
                .is_some_and(Map::is_empty)
    }

    pub(super) fn changes_json(&self) -> String {
        serde_json::json!({ "before": self.before, "after": self.after }).to_string()
    }
}

fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn changed_fields(before: Value, after: Value) -> (Value, Value) {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => {
            let mut old = Map::new();
            let mut new = Map::new();
            for (key, value) in after {
                let previous = before.get(&key).cloned().unwrap_or(Value::Null);
                // Bookkeeping that moves with every change is not a change.
                if previous != value && key != "updated_at" && key != "version" {
                    old.insert(key.clone(), previous);
                    new.insert(key, value);
                }
            }
            (Value::Object(old), Value::Object(new))
        }
        (before, after) => (before, after),
    }
}

/// Inserts one audit event on the given connection or transaction, so that
/// it commits or rolls back together with the change it describes.
/// The event gets its link in the audit chain in the same transaction.
macro_rules! write_audit {
    ($conn:expr, $meta:expr, $change:expr) => {{
        async {
            let conn = $conn;
            let meta: &$crate::store::AuditMeta = $meta;
            let change: &$crate::store::Change = $change;
            let at = $crate::store::audit_chain::to_micros(meta.at);
            let changes = change.changes_json();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO audit_events (organisation_id, actor_user_id, actor_label, action, \
                 entity_type, entity_id, occurred_at, client_address, changes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(meta.organisation_id)
            .bind(meta.actor_user_id)
            .bind(&meta.actor_label)
            .bind(change.action)
            .bind(change.entity_type)
            .bind(&change.entity_id)
            .bind(at)
            .bind(&meta.client_address)
            .bind(&changes)
            .fetch_one(&mut *conn)
            .await?;
            $crate::store::audit_chain::chain_event!(
                &mut *conn,
                id,
                meta.organisation_id.map(|o| o.0),
                meta.actor_user_id.map(|u| u.0),
                &meta.actor_label,
                change.action,
                change.entity_type,
                &change.entity_id,
                at,
                meta.client_address.as_deref(),
                &changes
            )?;
            Ok::<u64, sqlx::Error>(1)
        }
        .await
    }};
}
pub(crate) use write_audit;

/// Filters for browsing the audit log; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    actor_label: String,
    action: String,
    entity_type: String,
    entity_id: String,
    occurred_at: OffsetDateTime,
    client_address: Option<String>,
    changes: String,
}

macro_rules! audit_where {
    () => {
        "WHERE organisation_id = $1 \
         AND ($2 = '' OR entity_type = $2) \
         AND ($3 = '' OR action = $3) \
         AND ($4 = '' OR LOWER(actor_label) LIKE '%' || LOWER($4) || '%')"
    };
}

const AUDIT_LIST: &str = concat!(
    "SELECT id, actor_label, action, entity_type, entity_id, occurred_at, client_address, changes \
     FROM audit_events ",
    audit_where!(),
    " ORDER BY id DESC LIMIT $5 OFFSET $6"
);
const AUDIT_COUNT: &str = concat!("SELECT COUNT(*) FROM audit_events ", audit_where!());

impl Store {
    /// Records an event that is not part of a data change (login, logout).
    pub async fn record_event(&self, meta: &AuditMeta, change: &Change) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            write_audit!(&mut *tx, meta, change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn list_audit_events(
        &self,
        organisation: OrganisationId,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEvent>> {
        let entity = filter.entity_type.clone().unwrap_or_default();
        let action = filter.action.clone().unwrap_or_default();
        let actor = filter.actor.clone().unwrap_or_default();
        let (rows, total) = on_pool!(self, p => {
            let rows: Vec<AuditRow> = sqlx::query_as(AUDIT_LIST)
                .bind(organisation)
                .bind(&entity)
                .bind(&action)
                .bind(&actor)
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(p)
                .await?;
            let total: i64 = sqlx::query_scalar(AUDIT_COUNT)
                .bind(organisation)
                .bind(&entity)
                .bind(&action)
                .bind(&actor)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(|row| AuditEvent {
                id: AuditEventId(row.id),
                actor: row.actor_label,
                action: row.action,
                entity_type: row.entity_type,
                entity_id: row.entity_id,
                occurred_at: row.occurred_at,
                client_address: row.client_address,
                changes: serde_json::from_str(&row.changes).unwrap_or(Value::Null),
            })
            .collect();
        Ok(Page::new(items, page, total))
    }

    /// The distinct entity types in an organisation's log, for the filter.
    pub async fn audit_entity_types(&self, organisation: OrganisationId) -> Result<Vec<String>> {
        let types = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT entity_type FROM audit_events WHERE organisation_id = $1 ORDER BY entity_type",
        )
        .bind(organisation)
        .fetch_all(p)
        .await?);
        Ok(types)
    }
}
