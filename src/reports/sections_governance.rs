//! Governance health, decisions taken and actions overdue.

use super::gather::{Context, table};
use super::summary::Facts;
use super::{Block, Section};
use crate::Result;
use crate::governance::Verdict;
use crate::governance::funding::CarryOverStatus;
use crate::governance::steering::{ActionStatus, DecisionAction, DecisionFilter};
use crate::governance::{Commitment, ProgrammeStatus};
use crate::pagination::PageRequest;

pub async fn governance(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let section = Section::new("governance", t.get("report.section.governance"));
    let programmes: Vec<_> = crate::governance::service::list(cx.state, cx.actor)
        .await?
        .into_iter()
        .filter(|p| p.programme.status == ProgrammeStatus::Active)
        .collect();
    if programmes.is_empty() {
        return Ok(section.missing(t.get("report.missing.governance")));
    }
    let mut section = section;
    facts.programmes = programmes.len();
    for summary in programmes {
        let programme = &summary.programme;
        section.blocks.push(Block::Heading {
            text: programme.name.clone(),
        });
        let executive = match &summary.executive {
            Some(term) => t.fill(
                "report.governance.executive",
                &[("name", &term.name), ("title", &term.title)],
            ),
            None => t.get("report.governance.no_executive").to_owned(),
        };
        let commitment = t
            .get(&format!("commitment.{}", summary.commitment.code()))
            .to_lowercase();
        section.blocks.push(Block::Paragraph {
            text: format!(
                "{executive} {}",
                t.fill("report.governance.commitment", &[("state", &commitment)])
            ),
        });
        if matches!(
            summary.commitment,
            Commitment::AwaitingConfirmation | Commitment::RenewedCommitmentNeeded
        ) {
            facts.awaiting_commitment.push(programme.name.clone());
        }
        let checks = crate::governance::service::health(cx.state, cx.actor, programme.id).await?;
        let mut rows = Vec::new();
        for check in &checks {
            facts.checks += 1;
            match check.verdict {
                Verdict::Pass => facts.checks_passed += 1,
                Verdict::Fail => facts.checks_failed.push(format!(
                    "{}: {} — {}",
                    programme.name,
                    check.title(t),
                    check.explain(t)
                )),
                Verdict::Warning => {}
            }
            rows.push(vec![
                check.title(t).to_owned(),
                t.get(&format!("health.verdict.{}", check.verdict.code()))
                    .to_owned(),
                check.explain(t),
            ]);
        }
        section.blocks.push(table(
            t.fill(
                "report.governance.checks_caption",
                &[("programme", &programme.name)],
            ),
            &[
                t.get("report.column.check"),
                t.get("report.column.verdict"),
                t.get("report.column.explanation"),
            ],
            &[false, false, false],
            rows,
        ));
        let open: Vec<_> =
            crate::governance::funding::carry_over_items(cx.state, cx.actor, programme.id)
                .await?
                .into_iter()
                .filter(|i| {
                    matches!(
                        i.status,
                        CarryOverStatus::Open | CarryOverStatus::InProgress
                    )
                })
                .collect();
        facts.open_carry_over += open.len();
        if !open.is_empty() {
            section.blocks.push(table(
                t.get("report.governance.carry_over_caption").to_owned(),
                &[
                    t.get("report.column.goal"),
                    t.get("report.column.origin"),
                    t.get("report.column.state"),
                ],
                &[false, false, false],
                open.iter()
                    .map(|i| {
                        vec![
                            i.goal.clone(),
                            i.origin.clone(),
                            t.get(i.status.label_key()).to_owned(),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    Ok(section)
}

/// Whether an action was open and past its due date on `day`: open now,
/// or done later than that day.
fn overdue_on(action: &DecisionAction, day: &str) -> bool {
    let open_then = match action.status {
        ActionStatus::Open => true,
        ActionStatus::Done => action
            .completed_on
            .as_deref()
            .is_some_and(|done| done > day),
        ActionStatus::Cancelled => false,
    };
    open_then && action.due_on.as_str() < day
}

pub async fn decisions(cx: &Context<'_>, facts: &mut Facts) -> Result<Section> {
    let t = cx.t;
    let as_of = super::gather::day_text(cx.as_of);
    let section = Section::new("decisions", t.get("report.section.decisions"));
    let programmes = crate::governance::service::list(cx.state, cx.actor).await?;
    if programmes.is_empty() {
        return Ok(section.missing(t.get("report.missing.decisions")));
    }
    let mut section = section;
    let mut taken = Vec::new();
    let mut overdue = Vec::new();
    for summary in &programmes {
        let mut page = 1;
        loop {
            let found = crate::governance::steering_service::decisions(
                cx.state,
                cx.actor,
                summary.programme.id,
                &DecisionFilter::default(),
                PageRequest::new(page, 100)?,
            )
            .await?;
            for decision in &found.items {
                if cx.within(&decision.decided_on) {
                    taken.push(decision.clone());
                }
                if decision.decided_on <= as_of {
                    for action in crate::governance::steering_service::actions(
                        cx.state,
                        cx.actor,
                        decision.id,
                    )
                    .await?
                    .into_iter()
                    .filter(|a| overdue_on(a, &as_of))
                    {
                        overdue.push((decision.title.clone(), action));
                    }
                }
            }
            if i64::from(page) * 100 >= found.total {
                break;
            }
            page += 1;
        }
    }
    taken.sort_by(|a, b| a.decided_on.cmp(&b.decided_on).then(a.id.cmp(&b.id)));
    overdue.sort_by(|a, b| a.1.due_on.cmp(&b.1.due_on).then(a.1.id.cmp(&b.1.id)));
    facts.decisions = taken.len();
    facts.overdue_actions = overdue.len();
    if taken.is_empty() {
        section.blocks.push(Block::Paragraph {
            text: t.get("report.decisions.none_taken").to_owned(),
        });
    } else {
        section.blocks.push(table(
            t.get("report.decisions.taken_caption").to_owned(),
            &[
                t.get("report.column.date"),
                t.get("report.column.decision"),
                t.get("report.column.state"),
                t.get("report.column.open_actions"),
            ],
            &[false, false, false, true],
            taken
                .iter()
                .map(|d| {
                    vec![
                        d.decided_on.clone(),
                        d.title.clone(),
                        t.get(d.status.label_key()).to_owned(),
                        d.open_actions.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    if overdue.is_empty() {
        section.blocks.push(Block::Paragraph {
            text: t.get("report.decisions.none_overdue").to_owned(),
        });
    } else {
        section.blocks.push(table(
            t.get("report.decisions.overdue_caption").to_owned(),
            &[
                t.get("report.column.action"),
                t.get("report.column.owner"),
                t.get("report.column.due"),
                t.get("report.column.decision"),
            ],
            &[false, false, false, false],
            overdue
                .into_iter()
                .map(|(decision, a)| vec![a.description, a.owner_name, a.due_on, decision])
                .collect(),
        ));
    }
    Ok(section)
}
