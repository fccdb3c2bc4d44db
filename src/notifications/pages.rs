//! The page listing one's notifications, with "mark all as read".

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Notification, service};
use crate::http::AppState;
use crate::http::extract::{PageContext, PageQuery};
use crate::http::page::{PageError, see_other};
use crate::http::shell::Shell;
use crate::pagination::{Page, PageParams, PageRequest};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(mark_all_read))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
}

pub struct NotificationRow {
    pub notification: Notification,
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/list.html")]
struct ListPage {
    shell: Shell,
    page: Page<NotificationRow>,
    pager_query: String,
    unread: i64,
}

async fn list(
    State(state): State<AppState>,
    page: PageContext,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let request = PageRequest::from_params(&PageParams {
        page: query.page,
        page_size: Some(25),
    })
    .map_err(err)?;
    let list = service::list(&state, &page.actor, false, request)
        .await
        .map_err(err)?;
    let unread = service::unread(&state, &page.actor).await.map_err(err)?;
    Ok(ListPage {
        shell: page.shell(page.t.get("notifications.title"), "notifications"),
        page: list.map(|n| NotificationRow {
            when: crate::home::format_time(n.created_at),
            notification: n,
        }),
        pager_query: String::new(),
        unread,
    }
    .into_response())
}

async fn mark_all_read(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<Response, PageError> {
    service::mark_all_read(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    page.flash(&state, "flash.notifications_read").await?;
    Ok(see_other("/notifications"))
}
