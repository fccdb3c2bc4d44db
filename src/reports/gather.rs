//! Builds a report: asks every module's service for its view of the
//! organisation, as the person making the report may see it, and turns the
//! answers into sections in the report's language.

use time::Date;

use super::summary::{self, Facts};
use super::{Block, BoardReport, FORMAT, Section};
use crate::Result;
use crate::auth::Actor;
use crate::domain::Period;
use crate::http::AppState;
use crate::i18n::Tr;

/// What every section needs.
pub struct Context<'a> {
    pub state: &'a AppState,
    pub actor: &'a Actor,
    pub t: Tr,
    pub from: Date,
    /// The period's last day.
    pub to: Date,
    /// The day statuses are read: the last day, or today while it runs.
    pub as_of: Date,
}

impl Context<'_> {
    pub fn dutch(&self) -> bool {
        self.t.lang() == "nl"
    }

    /// `YYYY-MM-DD` within the period.
    pub fn within(&self, day: &str) -> bool {
        let (from, to) = (day_text(self.from), day_text(self.to));
        day >= from.as_str() && day <= to.as_str()
    }
}

pub fn day_text(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

impl Section {
    pub fn new(key: &str, title: &str) -> Section {
        Section {
            key: key.to_owned(),
            title: title.to_owned(),
            missing: None,
            blocks: Vec::new(),
        }
    }

    pub fn missing(mut self, why: &str) -> Section {
        self.missing = Some(why.to_owned());
        self
    }
}

/// A table block; `numeric` marks right-aligned columns.
pub fn table(caption: String, headers: &[&str], numeric: &[bool], rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        caption,
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        numeric: numeric.to_vec(),
    }
}

/// The period in words: `3e kwartaal 2026`, `Q3 2026`, `juli 2026`, `2026`.
pub fn period_label(t: Tr, period: &Period) -> String {
    let start = period.start();
    let year = start.year().to_string();
    match period.frequency() {
        crate::domain::Frequency::Quarter => {
            let quarter = ((u8::from(start.month()) - 1) / 3 + 1).to_string();
            t.fill(
                "report.period_quarter",
                &[("quarter", &quarter), ("year", &year)],
            )
        }
        crate::domain::Frequency::Month => {
            let month = t.get(&format!("report.month.m{}", u8::from(start.month())));
            format!("{month} {year}")
        }
        _ => year,
    }
}

/// Everything the report says about `period`, in `t`'s language.
pub async fn build(cx: &Context<'_>, period: &Period, made_by: &str) -> Result<BoardReport> {
    let t = cx.t;
    let organisation = crate::organisations::service::current(cx.state, cx.actor)
        .await?
        .name;
    let mut facts = Facts::default();
    let sections = vec![
        super::sections_governance::governance(cx, &mut facts).await?,
        super::sections_results::ambitions(cx, &mut facts).await?,
        super::sections_results::effects(cx, &mut facts).await?,
        super::sections_portfolio::portfolio(cx, &mut facts).await?,
        super::sections_people::skills(cx, &mut facts).await?,
        super::sections_people::surveys(cx, &mut facts).await?,
        super::sections_portfolio::ideas(cx, &mut facts).await?,
        super::sections_governance::decisions(cx, &mut facts).await?,
    ];
    let warnings = summary::warnings(t, &facts);
    let mut warning_section = Section::new("warnings", t.get("report.section.warnings"));
    warning_section.blocks.push(Block::Paragraph {
        text: t.get("report.warnings.intro").to_owned(),
    });
    if warnings.is_empty() {
        warning_section.blocks.push(Block::Paragraph {
            text: t.get("report.warnings.none").to_owned(),
        });
    } else {
        warning_section
            .blocks
            .push(Block::Warnings { items: warnings });
    }
    let mut all = sections;
    all.push(warning_section);
    Ok(BoardReport {
        format: FORMAT,
        title: t.get("report.document_title").to_owned(),
        organisation,
        period: period.label(),
        period_label: period_label(t, period),
        from: day_text(cx.from),
        to: day_text(cx.to),
        language: t.lang().to_owned(),
        as_of: day_text(cx.as_of),
        made_on: day_text(cx.state.today().start()),
        made_by: made_by.to_owned(),
        summary: summary::summary(t, &facts),
        sections: all,
        figures: summary::figures(t, &facts),
        statuses: std::mem::take(&mut facts.statuses),
    })
}
