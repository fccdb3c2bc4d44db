//! The portfolio balance page: initiatives and money per stage,
//! technology, ambition and funding source.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::balance::BalanceRow;
use super::pages::technology_label;
use super::service;
use crate::domain::Money;
use crate::http::AppState;
use crate::http::extract::PageContext;
use crate::http::page::PageError;
use crate::http::shell::Shell;

/// One line of a balance table, ready to show.
pub struct Line {
    pub label: String,
    /// Where the group's initiatives are listed, if there is such a list.
    pub href: String,
    pub initiatives: i64,
    /// Share of all initiatives, in whole percents.
    pub share: i64,
    pub planned: String,
    pub spent: String,
}

pub struct Table {
    pub id: &'static str,
    pub caption: &'static str,
    pub group: &'static str,
    pub lines: Vec<Line>,
}

pub struct SourceLine {
    pub label: &'static str,
    pub planned: String,
    pub applied: String,
    pub spent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portfolio/balance.html")]
struct BalancePage {
    shell: Shell,
    total: i64,
    tables: Vec<Table>,
    sources: Vec<SourceLine>,
    innovation_planned: String,
    innovation_spent: String,
    operating_planned: String,
    operating_spent: String,
}

fn share(part: i64, total: i64) -> i64 {
    if total == 0 {
        0
    } else {
        (part * 100 + total / 2) / total
    }
}

pub async fn balance(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<Response, PageError> {
    let t = page.t;
    let dutch = t.lang() == "nl";
    let show = |m: Money| m.display(dutch);
    let balance = service::balance(&state, &page.actor)
        .await
        .map_err(|e| page.error(e))?;
    let total = balance.initiatives;
    let lines = |rows: &[BalanceRow], label: &dyn Fn(&BalanceRow) -> (String, String)| {
        rows.iter()
            .map(|row| {
                let (label, href) = label(row);
                Line {
                    label,
                    href,
                    initiatives: row.initiatives,
                    share: share(row.initiatives, total),
                    planned: show(row.planned),
                    spent: show(row.spent),
                }
            })
            .collect::<Vec<_>>()
    };
    let query = |name: &str, value: &str| {
        serde_urlencoded::to_string([(name, value)])
            .map(|q| format!("/portfolio?{q}"))
            .unwrap_or_default()
    };
    let tables = vec![
        Table {
            id: "by-stage",
            caption: t.get("balance.by_stage"),
            group: t.get("portfolio.stage"),
            lines: lines(&balance.by_stage, &|row| {
                let label = super::Stage::parse(&row.key)
                    .map(|s| t.get(s.label_key()).to_owned())
                    .unwrap_or_else(|_| row.key.clone());
                (label, query("stage", &row.key))
            }),
        },
        Table {
            id: "by-technology",
            caption: t.get("balance.by_technology"),
            group: t.get("portfolio.technology"),
            lines: lines(&balance.by_technology, &|row| {
                (technology_label(t, &row.key), query("technology", &row.key))
            }),
        },
        Table {
            id: "by-ambition",
            caption: t.get("balance.by_ambition"),
            group: t.get("ambitions.heading"),
            lines: lines(&balance.by_ambition, &|row| {
                if row.key == "none" {
                    (t.get("balance.no_ambition").to_owned(), String::new())
                } else {
                    (row.name.clone(), query("ambition_id", &row.key))
                }
            }),
        },
    ];
    let summary = &balance.by_source;
    Ok(BalancePage {
        shell: page.shell(t.get("balance.title"), "portfolio"),
        total,
        tables,
        sources: summary
            .by_source
            .iter()
            .map(|s| SourceLine {
                label: t.get(s.source.label_key()),
                planned: show(s.planned),
                applied: show(s.applied),
                spent: show(s.spent),
            })
            .collect(),
        innovation_planned: show(summary.innovation_planned),
        innovation_spent: show(summary.innovation_spent),
        operating_planned: show(summary.operating_planned),
        operating_spent: show(summary.operating_spent),
    }
    .into_response())
}
