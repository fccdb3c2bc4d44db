//! The board report (bestuursrapportage): a snapshot of what every module
//! says about one period, built once, kept unchanged, and shown as a page,
//! a downloadable HTML document and a PDF.
//!
//! A report is stored as the data it was built from, already in the words
//! of its language, so that showing it later (or in another format) never
//! reads today's data again.

pub mod api;
pub mod chart;
pub mod compare;
pub mod gather;
pub mod pages;
pub mod pdf;
pub mod sections_governance;
pub mod sections_people;
pub mod sections_portfolio;
pub mod sections_results;
pub mod service;
pub mod summary;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{BoardReportId, Frequency, Locale, Period, UserId};

/// The shape of the stored content. Bump it when the shape changes in a way
/// older snapshots cannot be read as.
pub const FORMAT: u32 = 1;

/// One report as built: everything the page, the HTML and the PDF show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BoardReport {
    pub format: u32,
    pub title: String,
    pub organisation: String,
    /// The period's canonical code, e.g. `2026-Q3`.
    pub period: String,
    /// The period in words, e.g. `3e kwartaal 2026`.
    pub period_label: String,
    /// `YYYY-MM-DD`: first and last day of the period.
    pub from: String,
    pub to: String,
    /// `nl` or `en`.
    pub language: String,
    /// The day the statuses were read (`YYYY-MM-DD`): the period's last day,
    /// or the day the report was made while the period runs.
    pub as_of: String,
    /// The day it was made (`YYYY-MM-DD`): governance checks, the
    /// portfolio, money, effects and skill gaps are as they stood then.
    pub made_on: String,
    pub made_by: String,
    /// The one-page summary: plain sentences, what works and what to do.
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
    /// Numbers the comparison with an earlier report looks at.
    pub figures: Vec<KeyFigure>,
    /// Every indicator's status, for the comparison.
    pub statuses: Vec<IndicatorStatus>,
}

/// One chapter of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Section {
    /// A stable anchor, e.g. `governance`.
    pub key: String,
    pub title: String,
    /// Why the section has nothing to show, in plain words.
    pub missing: Option<String>,
    pub blocks: Vec<Block>,
}

/// A piece of a section. The renderers know each kind; nothing in here is
/// markup, so user text can never become HTML or Typst code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// Short statements that need attention.
    Warnings {
        items: Vec<String>,
    },
    Table {
        caption: String,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Per column: right-aligned numbers.
        numeric: Vec<bool>,
    },
    Chart {
        title: String,
        /// What the chart shows, for those who cannot see it.
        description: String,
        /// Self-contained SVG made by `chart.rs` (never user markup).
        svg: String,
    },
}

/// A number to compare across reports, e.g. indicators off track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeyFigure {
    pub key: String,
    pub label: String,
    pub value: f64,
    pub shown: String,
    /// Whether a higher value is better (`Some(true)`), worse, or neither.
    pub higher_is_better: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorStatus {
    pub code: String,
    pub name: String,
    /// The status code, e.g. `off_track`.
    pub status: String,
    pub status_label: String,
}

/// A stored report as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportRecord {
    pub id: BoardReportId,
    pub period: String,
    pub language: Locale,
    pub made_by: UserId,
    pub made_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub made_at: OffsetDateTime,
    /// SHA-256 of the stored content: the same hash, the same report.
    pub content_sha256: String,
}

/// A stored report with its content.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredReport {
    #[serde(flatten)]
    pub record: ReportRecord,
    pub content: BoardReport,
}

/// What making a report asks for.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// A month (`2026-07`), quarter (`2026-Q3`) or year (`2026`).
    #[serde(default)]
    pub period: String,
    /// `nl` or `en`; the caller's language when absent.
    #[serde(default)]
    pub language: Option<String>,
}

/// Reads a report period: a quarter, a month or a year.
pub fn parse_period(input: &str) -> Result<Period, &'static str> {
    if input.trim().is_empty() {
        return Err("required");
    }
    [Frequency::Quarter, Frequency::Month, Frequency::Year]
        .into_iter()
        .find_map(|f| Period::parse(f, input).ok())
        .ok_or("period_format")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_quarters_months_or_years() {
        assert_eq!(parse_period("2026-Q3").unwrap().label(), "2026-Q3");
        assert_eq!(parse_period("q3 2026").unwrap().label(), "2026-Q3");
        assert_eq!(parse_period("2026-07").unwrap().label(), "2026-07");
        assert_eq!(parse_period("2026").unwrap().label(), "2026");
        assert_eq!(parse_period(" ").unwrap_err(), "required");
        assert_eq!(parse_period("2026-W30").unwrap_err(), "period_format");
        assert_eq!(parse_period("soon").unwrap_err(), "period_format");
    }
}
