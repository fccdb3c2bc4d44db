//! Ambitions with their indicators' status and charts, and the effects of
//! initiatives per euro.

use std::collections::HashSet;

use super::gather::{Context, table};
use super::summary::Facts;
use super::{Block, IndicatorStatus, Section, chart};
use crate::Result;
use crate::governance::ProgrammeStatus;
use crate::indicators::pages::{explain, show_number};
use crate::indicators::service::Standing;
use crate::indicators::{Indicator, IndicatorSummary, Status};
use crate::pagination::PageRequest;

/// Every indicator with its status, read page by page.
async fn all_indicators(cx: &Context<'_>) -> Result<Vec<IndicatorSummary>> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let found = crate::indicators::service::list(
            cx.state,
            cx.actor,
            &Default::default(),
            PageRequest::new(page, 100)?,
        )
        .await?;
        let total = found.total;
        all.extend(found.items);
        if i64::from(page) * 100 >= total {
            return Ok(all);
        }
        page += 1;
    }
}

/// An indicator as it stood on the report's day.
struct Stood {
    indicator: Indicator,
    standing: Standing,
}

async fn stood(cx: &Context<'_>, indicators: Vec<IndicatorSummary>) -> Result<Vec<Stood>> {
    let mut out = Vec::with_capacity(indicators.len());
    for summary in indicators {
        let standing = crate::indicators::service::standing_on(
            cx.state,
            cx.actor,
            &summary.indicator,
            cx.as_of,
        )
        .await?;
        out.push(Stood {
            indicator: summary.indicator,
            standing,
        });
    }
    Ok(out)
}

fn count_statuses(indicators: &[Stood], facts: &mut Facts, cx: &Context<'_>) {
    let t = cx.t;
    facts.indicators = indicators.len();
    for i in indicators {
        let assessment = &i.standing.assessment;
        match assessment.status {
            Status::OnTrack => facts.on_track += 1,
            Status::AtRisk => facts.at_risk += 1,
            Status::OffTrack => facts.off_track += 1,
            Status::NoData => facts.no_data += 1,
            Status::NoTarget => facts.no_target += 1,
        }
        if assessment.overdue {
            facts.overdue_measurements += 1;
        }
        facts.statuses.push(IndicatorStatus {
            code: i.indicator.code.clone(),
            name: i.indicator.name.clone(),
            status: assessment.status.code().to_owned(),
            status_label: t.get(assessment.status.label_key()).to_owned(),
        });
    }
}

fn status_table(cx: &Context<'_>, caption: String, indicators: &[&Stood]) -> Block {
    let t = cx.t;
    let rows = indicators
        .iter()
        .map(|i| {
            let standing = &i.standing;
            vec![
                format!("{} — {}", i.indicator.code, i.indicator.name),
                standing
                    .values
                    .last()
                    .map(|(p, v)| format!("{} ({})", show_number(t, *v), p.label()))
                    .unwrap_or_else(|| "—".to_owned()),
                standing
                    .target
                    .as_ref()
                    .map(|target| format!("{} ({})", show_number(t, target.value), target.date))
                    .unwrap_or_else(|| "—".to_owned()),
                t.get(standing.assessment.status.label_key()).to_owned(),
                explain(t, &standing.assessment),
            ]
        })
        .collect();
    table(
        caption,
        &[
            t.get("report.column.indicator"),
            t.get("report.column.latest"),
            t.get("report.column.target"),
            t.get("report.column.status"),
            t.get("report.column.explanation"),
        ],
        &[false, true, true, false, false],
        rows,
    )
}

/// An indicator's values up to the report's day, as a chart.
fn indicator_chart(cx: &Context<'_>, stood: &Stood) -> Option<Block> {
    let t = cx.t;
    let indicator = &stood.indicator;
    let values: Vec<(String, f64)> = stood
        .standing
        .values
        .iter()
        .map(|(p, v)| (p.label(), *v))
        .collect();
    let title = t.fill("report.chart.indicator_title", &[("name", &indicator.name)]);
    let target = stood.standing.target.as_ref().map(|target| target.value);
    let svg = chart::line(&title, &values, target, |v| show_number(t, v))?;
    let (first, last) = (&values[0], &values[values.len() - 1]);
    let description = t.fill(
        "report.chart.indicator_description",
        &[
            ("count", &values.len().to_string()),
            ("from", &first.0),
            ("to", &last.0),
            ("first", &show_number(t, first.1)),
            ("last", &show_number(t, last.1)),
            (
                "target",
                &target.map_or_else(|| "—".to_owned(), |v| show_number(t, v)),
            ),
        ],
    );
    Some(Block::Chart {
        title,
        description,
        svg,
    })
}

pub async fn ambitions(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let mut section = Section::new("ambitions", t.get("report.section.ambitions"));
    let indicators = stood(cx, all_indicators(cx).await?).await?;
    count_statuses(&indicators, facts, cx);
    let programmes: Vec<_> = crate::governance::service::list(cx.state, cx.actor)
        .await?
        .into_iter()
        .filter(|p| p.programme.status == ProgrammeStatus::Active)
        .collect();
    let mut shown = HashSet::new();
    for summary in &programmes {
        let ambitions =
            crate::governance::service::ambitions(cx.state, cx.actor, summary.programme.id).await?;
        for ambition in ambitions {
            section.blocks.push(Block::Heading {
                text: ambition.title.clone(),
            });
            let linked: Vec<&Stood> = indicators
                .iter()
                .filter(|i| ambition.indicator_ids.contains(&i.indicator.id))
                .collect();
            if linked.is_empty() {
                section.blocks.push(Block::Paragraph {
                    text: t.get("report.ambitions.no_indicators").to_owned(),
                });
                continue;
            }
            section.blocks.push(status_table(
                cx,
                t.fill("report.ambitions.caption", &[("ambition", &ambition.title)]),
                &linked,
            ));
            for indicator in linked {
                // An indicator under two ambitions is drawn once.
                if shown.insert(indicator.indicator.id)
                    && let Some(chart) = indicator_chart(cx, indicator)
                {
                    section.blocks.push(chart);
                }
            }
        }
    }
    let rest: Vec<&Stood> = indicators
        .iter()
        .filter(|i| !shown.contains(&i.indicator.id))
        .collect();
    if !rest.is_empty() {
        section.blocks.push(Block::Heading {
            text: t.get("report.ambitions.other_heading").to_owned(),
        });
        section.blocks.push(status_table(
            cx,
            t.get("report.ambitions.other_caption").to_owned(),
            &rest,
        ));
    }
    if section.blocks.is_empty() {
        return Ok(section.missing(t.get("report.missing.ambitions")));
    }
    Ok(section)
}

pub async fn effects(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let section = Section::new("effects", t.get("report.section.effects"));
    let estimates = crate::effects::service::ranking(cx.state, cx.actor).await?;
    if estimates.is_empty() {
        return Ok(section.missing(t.get("report.missing.effects")));
    }
    let mut section = section;
    let initiatives =
        crate::portfolio::service::all(cx.state, cx.actor, &Default::default()).await?;
    let indicators = crate::indicators::service::all(cx.state, cx.actor).await?;
    let dash = || "—".to_owned();
    let mut rows = Vec::new();
    let mut sentences = Vec::new();
    for e in &estimates {
        let (Some(initiative), Some(indicator)) = (
            initiatives.iter().find(|i| i.id == e.initiative_id),
            indicators.iter().find(|i| i.id == e.indicator_id),
        ) else {
            continue;
        };
        if e.refusal.is_none() && e.average.is_some() {
            facts.effects_estimated += 1;
        }
        let clear = e.refusal.is_none() && e.average.is_some_and(|a| a.excludes_zero());
        if clear {
            facts.effects_clear += 1;
            let card = crate::effects::pages::card(
                t,
                e,
                indicator,
                initiative.title.clone(),
                String::new(),
            );
            sentences.push(format!("{}: {}", initiative.title, card.sentence));
        }
        let note = match (&e.refusal, &e.average) {
            (Some(code), _) => t.fill(
                &format!("effect_refusal.{code}"),
                &[("date", &e.go_live_on)],
            ),
            (None, Some(_)) if !clear => t.get("effects.not_shown").to_owned(),
            _ => String::new(),
        };
        rows.push(vec![
            initiative.title.clone(),
            format!("{} — {}", indicator.code, indicator.name),
            e.average
                .map_or_else(dash, |r| crate::effects::pages::interval(t, &r, false)),
            e.per_thousand_euro
                .map_or_else(dash, |r| crate::effects::pages::interval(t, &r, false)),
            e.spent.display(cx.dutch()),
            note,
        ]);
    }
    section.blocks.push(Block::Paragraph {
        text: t.get("report.effects.intro").to_owned(),
    });
    section.blocks.push(table(
        t.get("report.effects.caption").to_owned(),
        &[
            t.get("report.column.initiative"),
            t.get("report.column.indicator"),
            t.get("report.column.average_effect"),
            t.get("report.column.per_thousand"),
            t.get("report.column.spent"),
            t.get("report.column.note"),
        ],
        &[false, false, true, true, true, false],
        rows,
    ));
    for text in sentences {
        section.blocks.push(Block::Paragraph { text });
    }
    Ok(section)
}
