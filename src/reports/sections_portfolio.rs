//! The portfolio funnel with money by source, and the idea pipeline.

use super::gather::{Context, table};
use super::summary::Facts;
use super::{Block, Section, chart};
use crate::Result;
use crate::ideas::IdeaState;

pub async fn portfolio(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let dutch = cx.dutch();
    let section = Section::new("portfolio", t.get("report.section.portfolio"));
    let balance = crate::portfolio::service::balance(cx.state, cx.actor).await?;
    let money = &balance.by_source;
    facts.initiatives = balance.initiatives;
    facts.innovation_planned = money.innovation_planned;
    facts.innovation_spent = money.innovation_spent;
    if balance.initiatives == 0 {
        return Ok(section.missing(t.get("report.missing.portfolio")));
    }
    let mut section = section;
    let stages: Vec<(String, i64)> = balance
        .by_stage
        .iter()
        .map(|row| {
            (
                t.get(&format!("stage.{}", row.key)).to_owned(),
                row.initiatives,
            )
        })
        .collect();
    let title = t.get("report.portfolio.funnel_title").to_owned();
    if let Some(svg) = chart::bars(&title, &stages) {
        let description = stages
            .iter()
            .map(|(stage, n)| format!("{stage}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        section.blocks.push(Block::Chart {
            title,
            description,
            svg,
        });
    }
    section.blocks.push(table(
        t.get("report.portfolio.stage_caption").to_owned(),
        &[
            t.get("report.column.stage"),
            t.get("report.column.initiatives"),
            t.get("report.column.planned"),
            t.get("report.column.spent"),
        ],
        &[false, true, true, true],
        balance
            .by_stage
            .iter()
            .map(|row| {
                vec![
                    t.get(&format!("stage.{}", row.key)).to_owned(),
                    row.initiatives.to_string(),
                    row.planned.display(dutch),
                    row.spent.display(dutch),
                ]
            })
            .collect(),
    ));
    section.blocks.push(table(
        t.get("report.portfolio.money_caption").to_owned(),
        &[
            t.get("report.column.source"),
            t.get("report.column.planned"),
            t.get("report.column.applied"),
            t.get("report.column.spent"),
            t.get("report.column.remaining"),
        ],
        &[false, true, true, true, true],
        money
            .by_source
            .iter()
            .map(|s| {
                vec![
                    t.get(s.source.label_key()).to_owned(),
                    s.planned.display(dutch),
                    s.applied.display(dutch),
                    s.spent.display(dutch),
                    s.remaining.display(dutch),
                ]
            })
            .collect(),
    ));
    section.blocks.push(Block::Paragraph {
        text: t.fill(
            "report.portfolio.apart",
            &[
                ("innovation", &money.innovation_spent.display(dutch)),
                ("operating", &money.operating_spent.display(dutch)),
            ],
        ),
    });
    Ok(section)
}

pub async fn ideas(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let section = Section::new("ideas", t.get("report.section.ideas"));
    let ideas: Vec<_> = crate::ideas::service::list(cx.state, cx.actor, &Default::default())
        .await?
        .into_iter()
        .filter(|i| !i.hidden)
        .collect();
    if ideas.is_empty() {
        return Ok(section.missing(t.get("report.missing.ideas")));
    }
    let mut section = section;
    let figures = crate::ideas::figures::get(cx.state, cx.actor).await?;
    let (from, to) = (
        crate::domain::Period::containing(crate::domain::Frequency::Quarter, cx.from).label(),
        crate::domain::Period::containing(crate::domain::Frequency::Quarter, cx.to).label(),
    );
    let quarters: Vec<_> = figures
        .quarters
        .iter()
        .filter(|q| q.period >= from && q.period <= to)
        .collect();
    facts.ideas_posted = quarters.iter().map(|q| q.posted).sum();
    facts.ideas_promoted = quarters.iter().map(|q| q.promoted).sum();
    let dash = || "—".to_owned();
    if quarters.is_empty() {
        section.blocks.push(Block::Paragraph {
            text: t.get("report.ideas.none_in_period").to_owned(),
        });
    } else {
        section.blocks.push(table(
            t.get("report.ideas.quarter_caption").to_owned(),
            &[
                t.get("report.column.quarter"),
                t.get("report.column.posted"),
                t.get("report.column.promoted"),
                t.get("report.column.decided"),
                t.get("report.column.median_days"),
            ],
            &[false, true, true, true, true],
            quarters
                .iter()
                .map(|q| {
                    vec![
                        q.period.clone(),
                        q.posted.to_string(),
                        q.promoted_share.map_or_else(
                            || q.promoted.to_string(),
                            |share| format!("{} ({share:.0}%)", q.promoted),
                        ),
                        q.decided.to_string(),
                        q.median_days_to_decision
                            .map_or_else(dash, |d| crate::skills::pages::tenths(t, d)),
                    ]
                })
                .collect(),
        ));
    }
    section.blocks.push(table(
        t.get("report.ideas.pipeline_caption").to_owned(),
        &[t.get("report.column.state"), t.get("report.column.ideas")],
        &[false, true],
        IdeaState::ALL
            .iter()
            .map(|state| {
                vec![
                    t.get(state.label_key()).to_owned(),
                    ideas
                        .iter()
                        .filter(|i| i.state == *state)
                        .count()
                        .to_string(),
                ]
            })
            .collect(),
    ));
    Ok(section)
}
