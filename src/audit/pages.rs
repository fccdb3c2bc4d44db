use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AuditEvent, AuditQuery};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageQuery};
use crate::http::page::PageError;
use crate::http::shell::Shell;
use crate::pagination::Page;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(list))
}

pub struct EventRow {
    pub event: AuditEvent,
    pub when: String,
    pub summary: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct ListPage {
    shell: Shell,
    events: Page<EventRow>,
    entity_types: Vec<String>,
    query: AuditQuery,
    pager_query: String,
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(mut query): PageQuery<AuditQuery>,
) -> Result<Response, PageError> {
    query.page_size = Some(25);
    query.page = Some(query.page.unwrap_or(1).max(1));
    let events = super::list(&state, &page.actor, &query)
        .await
        .map_err(|e| page.error(e))?;
    let entity_types = super::entity_types(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let pager_query = serde_urlencoded::to_string([
        ("entity_type", query.entity_type.clone().unwrap_or_default()),
        ("action", query.action.clone().unwrap_or_default()),
        ("actor", query.actor.clone().unwrap_or_default()),
    ])
    .map(|q| format!("{q}&"))
    .unwrap_or_default();
    let events = events.map(|event| EventRow {
        when: crate::home::format_time(event.occurred_at),
        summary: summarise(&event.changes),
        event,
    });
    Ok(ListPage {
        shell: page.shell(page.t.get("audit.title"), "audit"),
        events,
        entity_types,
        query,
        pager_query,
    }
    .into_response())
}

/// "name: Oud → Nieuw; parent_id: 3 → 5" for the table.
fn summarise(changes: &serde_json::Value) -> String {
    let before = changes.get("before").and_then(|v| v.as_object());
    let after = changes.get("after").and_then(|v| v.as_object());
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match (before, after) {
        (Some(before), Some(after)) => after
            .iter()
            .map(|(key, value)| format!("{key}: {} → {}", show(before.get(key)), show(Some(value))))
            .collect::<Vec<_>>()
            .join("; "),
        (None, Some(after)) => after
            .iter()
            .filter(|(key, _)| !key.ends_with("_at"))
            .map(|(key, value)| format!("{key}: {}", show(Some(value))))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}
