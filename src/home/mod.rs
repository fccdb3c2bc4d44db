//! The start page and the public accessibility statement.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::audit::{AuditEvent, AuditQuery};
use crate::domain::{Permission, Role};
use crate::governance::Verdict;
use crate::governance::pages::HealthPanel;
use crate::http::AppState;
use crate::http::extract::{PageContext, Visitor};
use crate::http::page::PageError;
use crate::http::shell::Shell;
use crate::indicators::Status;
use crate::organisations::Organisation;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(start))
        .route("/toegankelijkheid", get(accessibility))
}

/// Times on pages: day-month-year and 24-hour clock, in UTC, marked so.
pub fn format_time(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[day]-[month]-[year] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

pub struct RecentEvent {
    pub when: String,
    pub event: AuditEvent,
}

/// How many indicators are in each status.
pub struct StatusCount {
    pub label: &'static str,
    pub badge: &'static str,
    pub count: usize,
}

/// An indicator of the person's own that needs attention.
pub struct Attention {
    pub id: i64,
    pub name: String,
    pub badge: &'static str,
    pub status: &'static str,
    pub why: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/start.html")]
struct StartPage {
    /// Governance health of the active programmes, for those who lead.
    health_panels: Vec<HealthPanel>,
    status_counts: Vec<StatusCount>,
    indicator_total: i64,
    attention: Vec<Attention>,
    shell: Shell,
    organisation: Organisation,
    first_name: String,
    role: String,
    unit_count: usize,
    member_count: Option<i64>,
    recent: Vec<RecentEvent>,
    is_admin: bool,
    /// Security signals of the past week, for administrators.
    security_signals: i64,
    security_signals_text: String,
    /// Idea campaigns open today.
    campaigns: Vec<crate::ideas::campaigns::Campaign>,
    can_share_ideas: bool,
}

async fn start(State(state): State<AppState>, page: PageContext) -> Result<Response, PageError> {
    let err = |e| page.error(e);
    let organisation = crate::organisations::service::current(&state, &page.actor)
        .await
        .map_err(err)?;
    let units = crate::units::service::tree(&state, &page.actor, false)
        .await
        .map_err(err)?;
    let member_count = if page.actor.can(Permission::ViewPeople) {
        let first = crate::pagination::PageRequest::new(1, 1).map_err(err)?;
        Some(
            crate::users::service::list(&state, &page.actor, "", first)
                .await
                .map_err(err)?
                .total,
        )
    } else {
        None
    };
    let recent = if page.actor.can(Permission::ViewAudit) {
        let query = AuditQuery {
            page_size: Some(5),
            ..AuditQuery::default()
        };
        crate::audit::list(&state, &page.actor, &query)
            .await
            .map_err(err)?
            .items
            .into_iter()
            .map(|event| RecentEvent {
                when: format_time(event.occurred_at),
                event,
            })
            .collect()
    } else {
        Vec::new()
    };
    // The whole organisation at a glance, and what needs the person's own
    // attention. Organisations have tens of indicators; one page of 100 covers them.
    let everything = crate::pagination::PageRequest::new(1, 100).map_err(err)?;
    let all =
        crate::indicators::service::list(&state, &page.actor, &Default::default(), everything)
            .await
            .map_err(err)?;
    let campaigns = crate::ideas::campaigns::open(&state, &page.actor)
        .await
        .map_err(err)?;
    let t = page.t;
    let status_counts = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::NoTarget,
        Status::NoData,
    ]
    .into_iter()
    .map(|status| StatusCount {
        label: t.get(status.label_key()),
        badge: crate::indicators::pages::badge(status),
        count: all
            .items
            .iter()
            .filter(|i| i.assessment.status == status)
            .count(),
    })
    .filter(|c| c.count > 0)
    .collect();
    let attention = all
        .items
        .iter()
        .filter(|i| i.indicator.owner_id == Some(page.actor.user_id))
        .filter(|i| {
            i.assessment.overdue || matches!(i.assessment.status, Status::OffTrack | Status::AtRisk)
        })
        .map(|i| Attention {
            id: i.indicator.id.0,
            name: i.indicator.name.clone(),
            badge: crate::indicators::pages::badge(i.assessment.status),
            status: t.get(i.assessment.status.label_key()),
            why: crate::indicators::pages::explain(t, &i.assessment),
        })
        .collect();
    let leads = matches!(
        page.actor.role,
        Role::Admin | Role::Executive | Role::ProgrammeLead
    );
    let health_panels = if leads {
        crate::governance::service::active_health(&state, &page.actor)
            .await
            .map_err(err)?
            .iter()
            .map(|(summary, checks)| crate::governance::pages::health_panel(t, summary, checks))
            .collect()
    } else {
        Vec::new()
    };
    let first_name = page
        .session
        .user_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let is_admin = page.actor.can(Permission::ManageOrganisation);
    let security_signals = if is_admin {
        state
            .store()
            .count_events_since(
                page.actor.organisation_id,
                crate::auth::signals::ACTION,
                state.clock().now() - time::Duration::days(7),
            )
            .await
            .map_err(err)?
    } else {
        0
    };
    let security_signals_text = page.t.fill(
        "home.security_signals",
        &[("count", &security_signals.to_string())],
    );
    Ok(StartPage {
        health_panels,
        security_signals,
        security_signals_text,
        status_counts,
        indicator_total: all.total,
        attention,
        shell: page.shell(page.t.get("home.title"), "home"),
        role: page
            .t
            .get(&format!("role.{}", page.actor.role.code()))
            .to_owned(),
        is_admin,
        campaigns,
        can_share_ideas: page.actor.can(Permission::ShareIdeas),
        organisation,
        first_name,
        unit_count: units.len(),
        member_count,
        recent,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "home/accessibility.html")]
struct AccessibilityPage {
    shell: Shell,
}

async fn accessibility(visitor: Visitor) -> Response {
    AccessibilityPage {
        shell: visitor.shell(visitor.t.get("accessibility.title")),
    }
    .into_response()
}
