//! Skill gaps at the horizon, and the readiness scan and pulse survey.

use super::gather::{Context, table};
use super::summary::Facts;
use super::{Block, Section};
use crate::Result;
use crate::i18n::Tr;
use crate::skills::pages::tenths;
use crate::surveys::insights::SurveyTrend;
use crate::surveys::pages::dimension_label;

/// How many skill gaps the report names.
const TOP_GAPS: usize = 5;

pub async fn skills(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let section = Section::new("skills", t.get("report.section.skills"));
    let analysis = crate::skills::service::gap_analysis(cx.state, cx.actor).await?;
    let roles = crate::skills::service::role_profiles(cx.state, cx.actor).await?;
    if roles.is_empty() {
        return Ok(section.missing(t.get("report.missing.skills")));
    }
    let competences = crate::skills::service::competences(cx.state, cx.actor).await?;
    let mut section = section;
    let name_of_role = |id| {
        roles
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    let name_of_competence = |id| {
        competences
            .iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} {}", c.code, c.name))
            .unwrap_or_default()
    };
    let top: Vec<_> = analysis.priorities.iter().take(TOP_GAPS).collect();
    if let Some(first) = top.first() {
        facts.top_gap = Some(format!(
            "{} — {}",
            name_of_role(first.role_profile_id),
            name_of_competence(first.competence_id)
        ));
    }
    if top.is_empty() {
        section.blocks.push(Block::Paragraph {
            text: t.get("report.skills.no_gaps").to_owned(),
        });
        return Ok(section);
    }
    section.blocks.push(Block::Paragraph {
        text: t.get("report.skills.intro").to_owned(),
    });
    section.blocks.push(table(
        t.get("report.skills.caption").to_owned(),
        &[
            t.get("report.column.role"),
            t.get("report.column.competence"),
            t.get("report.column.gap"),
            t.get("report.column.people_short"),
            t.get("report.column.fte_needed"),
        ],
        &[false, false, true, true, true],
        top.iter()
            .map(|p| {
                vec![
                    name_of_role(p.role_profile_id),
                    name_of_competence(p.competence_id),
                    tenths(t, p.gap_horizon),
                    p.people_short.to_string(),
                    tenths(t, p.fte_needed),
                ]
            })
            .collect(),
    ));
    Ok(section)
}

/// A trend as a table: one column per wave opened by the period's end.
fn trend_table(t: Tr, caption: String, trend: &SurveyTrend, until: &str) -> Option<Block> {
    let keep: Vec<usize> = trend
        .waves
        .iter()
        .enumerate()
        .filter(|(_, w)| w.opens_on.as_str() <= until)
        .map(|(i, _)| i)
        .collect();
    if keep.is_empty() || trend.rows.is_empty() {
        return None;
    }
    let mut headers: Vec<String> = vec![t.get("report.column.dimension").to_owned()];
    headers.extend(
        keep.iter()
            .map(|i| format!("{} ({})", trend.waves[*i].name, trend.waves[*i].opens_on)),
    );
    headers.push(t.get("report.column.change").to_owned());
    let rows = trend
        .rows
        .iter()
        .map(|row| {
            let shown: Vec<Option<f64>> = keep.iter().map(|i| row.means[*i]).collect();
            let values: Vec<f64> = shown.iter().flatten().copied().collect();
            let change = match values.as_slice() {
                [.., before, last] => crate::surveys::insight_pages::signed(t, last - before),
                _ => String::new(),
            };
            let mut cells = vec![dimension_label(t, &row.dimension)];
            cells.extend(
                shown
                    .iter()
                    .map(|m| m.map_or_else(|| "–".to_owned(), |m| tenths(t, m))),
            );
            cells.push(change);
            cells
        })
        .collect();
    let mut numeric = vec![false];
    numeric.extend(std::iter::repeat_n(true, keep.len() + 1));
    Some(Block::Table {
        caption,
        headers,
        rows,
        numeric,
    })
}

pub async fn surveys(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let section = Section::new("surveys", t.get("report.section.surveys"));
    let insights = crate::surveys::insight_service::insights(cx.state, cx.actor).await?;
    let until = super::gather::day_text(cx.to);
    let scan = trend_table(
        t,
        t.get("report.surveys.scan_caption").to_owned(),
        &insights.scan,
        &until,
    );
    let pulse = trend_table(
        t,
        t.get("report.surveys.pulse_caption").to_owned(),
        &insights.pulse,
        &until,
    );
    if scan.is_none() && pulse.is_none() {
        return Ok(section.missing(t.get("report.missing.surveys")));
    }
    let mut section = section;
    section.blocks.push(Block::Paragraph {
        text: t.get("report.surveys.intro").to_owned(),
    });
    for (table, none) in [
        (scan, "report.surveys.no_scan"),
        (pulse, "report.surveys.no_pulse"),
    ] {
        section
            .blocks
            .push(table.unwrap_or_else(|| Block::Paragraph {
                text: t.get(none).to_owned(),
            }));
    }
    // The latest waves speak for the period only when they opened in it
    // (or before); a report on an earlier period leaves them out.
    let latest_in_period = |trend: &SurveyTrend| {
        trend
            .waves
            .last()
            .is_some_and(|w| w.opens_on.as_str() <= until.as_str())
    };
    let weak_waves: Vec<_> = insights
        .scan
        .waves
        .iter()
        .chain(&insights.pulse.waves)
        .filter(|w| w.opens_on.as_str() <= until.as_str())
        .map(|w| w.wave_id)
        .collect();
    let weak: Vec<_> = insights
        .weak
        .iter()
        .filter(|w| weak_waves.contains(&w.wave_id))
        .collect();
    let disagreements = if latest_in_period(&insights.scan) && latest_in_period(&insights.pulse) {
        insights.disagreements.as_slice()
    } else {
        &[]
    };
    facts.weak_dimensions = weak
        .iter()
        .map(|w| dimension_label(t, &w.dimension))
        .collect();
    if let Some(first) = disagreements.first() {
        facts.largest_disagreement = Some(dimension_label(t, &first.factor));
    }
    if !disagreements.is_empty() {
        section.blocks.push(table(
            t.get("report.surveys.disagreement_caption").to_owned(),
            &[
                t.get("report.column.factor"),
                t.get("report.column.management"),
                t.get("report.column.staff"),
                t.get("report.column.difference"),
            ],
            &[false, true, true, true],
            disagreements
                .iter()
                .take(3)
                .map(|d| {
                    vec![
                        dimension_label(t, &d.factor),
                        tenths(t, d.management),
                        tenths(t, d.staff),
                        tenths(t, d.difference),
                    ]
                })
                .collect(),
        ));
    }
    if !weak.is_empty() {
        section.blocks.push(Block::Warnings {
            items: weak
                .iter()
                .map(|w| {
                    t.fill(
                        "report.surveys.weak",
                        &[
                            ("dimension", &dimension_label(t, &w.dimension)),
                            ("mean", &tenths(t, w.mean)),
                        ],
                    )
                })
                .collect(),
        });
    }
    Ok(section)
}
