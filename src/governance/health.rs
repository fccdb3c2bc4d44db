//! Governance health: checks on the conditions the source article names for
//! a transformation led from the top. Each check passes, warns or fails, with
//! the reason and where to fix it. Pure: the service gathers the facts.

use std::collections::HashSet;

use serde::Serialize;

use super::funding::{BudgetLine, BudgetSource, CarryOverItem};
use super::spec::show_day;
use super::steering::{BodyKind, DecisionAction, GovernanceBody};
use super::{Ambition, CoCreationSession, Commitment, ExecutiveTerm, Programme, current_term};
use crate::domain::IndicatorId;
use crate::i18n::Tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warning,
    Fail,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warning => "warning",
            Verdict::Fail => "fail",
        }
    }
}

/// How far back executive changes count as a continuity risk.
pub const CHANGE_WINDOW_DAYS: i64 = 730;

/// One check's outcome. `reason` is a locale key under `health.reason`,
/// filled with `args`.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthCheck {
    pub check: &'static str,
    pub verdict: Verdict,
    pub reason: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Where on the site to fix it.
    pub fix: String,
}

impl HealthCheck {
    pub fn title(&self, t: Tr) -> &'static str {
        t.get(&format!("health.check.{}", self.check))
    }

    /// The reason in words. A count of one reads better in the singular,
    /// so `<reason>_one` is used when the locale has it.
    pub fn explain(&self, t: Tr) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let key = format!("health.reason.{}", self.reason);
        let singular = format!("{key}_one");
        let key = if args.contains(&("count", "1")) && t.has(&singular) {
            singular
        } else {
            key
        };
        t.fill(&key, &args)
    }
}

/// Everything the checks look at, for one programme.
pub struct Facts<'a> {
    pub programme: &'a Programme,
    pub terms: &'a [ExecutiveTerm],
    pub ambitions: &'a [Ambition],
    /// Indicators of the organisation that have a target in force.
    pub targeted: &'a HashSet<IndicatorId>,
    pub sessions: &'a [CoCreationSession],
    pub bodies: &'a [GovernanceBody],
    /// Open follow-up actions past their due date.
    pub overdue_actions: &'a [DecisionAction],
    pub budget_lines: &'a [BudgetLine],
    pub carry_over: &'a [CarryOverItem],
    /// Today, as days since 1970-01-01.
    pub today: i64,
}

/// Grace after a missed meeting date before the check warns, in days.
pub const MEETING_GRACE_DAYS: i64 = 7;
/// An action this many days past due makes the check fail.
pub const LONG_OVERDUE_DAYS: i64 = 30;

pub fn evaluate(facts: &Facts) -> Vec<HealthCheck> {
    let base = format!("/programmes/{}", facts.programme.id);
    vec![
        executive_confirmed(facts, &base),
        mandate_and_budget(facts, &base),
        executive_changes(facts, &base),
        steering_body_met(facts, &base),
        vision_co_created(facts, &base),
        ambitions_measured(facts, &base),
        decision_actions_on_time(facts, &base),
        innovation_budget_separate(facts, &base),
        carry_over_planned(facts, &base),
    ]
}

fn innovation_budget_separate(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/funding");
    let year = i64::from(
        crate::domain::Period::from_day_number(crate::domain::Frequency::Day, facts.today)
            .start()
            .year(),
    );
    let innovation = |l: &BudgetLine| l.source != BudgetSource::OperatingBudget;
    let this_year: Vec<&BudgetLine> = facts
        .budget_lines
        .iter()
        .filter(|l| l.year == year)
        .collect();
    let args = vec![("year", year.to_string())];
    let (verdict, reason) = if this_year.iter().any(|l| innovation(l) && l.amount > 0.0) {
        (Verdict::Pass, "innovation_budget")
    } else if !this_year.is_empty() {
        (Verdict::Fail, "only_operating_budget")
    } else if facts.budget_lines.iter().any(innovation) {
        (Verdict::Warning, "no_budget_this_year")
    } else {
        (Verdict::Fail, "no_innovation_budget")
    };
    check("innovation_budget_separate", verdict, reason, args, fix)
}

fn carry_over_planned(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/carry-over");
    let open: Vec<&CarryOverItem> = facts
        .carry_over
        .iter()
        .filter(|c| c.status.is_open())
        .collect();
    let unplanned: Vec<&str> = open
        .iter()
        .filter(|c| c.plan.trim().is_empty())
        .map(|c| c.goal.as_str())
        .collect();
    let (verdict, reason) = if open.is_empty() {
        (Verdict::Pass, "no_open_carry_over")
    } else if unplanned.is_empty() {
        (Verdict::Pass, "carry_over_planned")
    } else {
        (Verdict::Warning, "carry_over_without_plan")
    };
    check(
        "carry_over_planned",
        verdict,
        reason,
        vec![
            ("count", open.len().to_string()),
            ("unplanned", unplanned.len().to_string()),
            ("goals", unplanned.join("; ")),
        ],
        fix,
    )
}

fn day_of(label: &str) -> Option<i64> {
    crate::domain::Period::parse(crate::domain::Frequency::Day, label)
        .ok()
        .map(|p| p.day_number())
}

fn steering_body_met(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/bodies");
    let steering: Vec<&GovernanceBody> = facts
        .bodies
        .iter()
        .filter(|b| b.kind == BodyKind::SteeringCommittee)
        .collect();
    if steering.is_empty() {
        return check(
            "steering_body_met",
            Verdict::Fail,
            "no_steering_body",
            vec![],
            fix,
        );
    }
    // The worst of the steering bodies decides.
    steering
        .into_iter()
        .map(|body| {
            let name = ("name", body.name.clone());
            let fix = format!("/bodies/{}", body.id);
            let Some(weeks) = body.cadence_weeks else {
                return check(
                    "steering_body_met",
                    Verdict::Warning,
                    "no_cadence",
                    vec![name],
                    fix,
                );
            };
            let Some(last) = body.last_met_on.as_deref().and_then(day_of) else {
                return check(
                    "steering_body_met",
                    Verdict::Fail,
                    "never_met",
                    vec![name],
                    fix,
                );
            };
            let since = facts.today - last;
            let args = vec![
                name,
                ("date", body.last_met_on.clone().unwrap_or_default()),
                ("weeks", weeks.to_string()),
            ];
            let (verdict, reason) = if since <= weeks * 7 + MEETING_GRACE_DAYS {
                (Verdict::Pass, "met_within_cadence")
            } else if since <= weeks * 14 {
                (Verdict::Warning, "meeting_late")
            } else {
                (Verdict::Fail, "meeting_overdue")
            };
            check("steering_body_met", verdict, reason, args, fix)
        })
        .max_by_key(|c| c.verdict as u8)
        .unwrap_or_else(|| {
            check(
                "steering_body_met",
                Verdict::Fail,
                "no_steering_body",
                vec![],
                base.to_owned(),
            )
        })
}

fn decision_actions_on_time(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/decisions?overdue=1");
    let count = facts.overdue_actions.len();
    let longest = facts
        .overdue_actions
        .iter()
        .filter_map(|a| day_of(&a.due_on))
        .map(|due| facts.today - due)
        .max()
        .unwrap_or(0);
    let (verdict, reason) = match count {
        0 => (Verdict::Pass, "no_overdue_actions"),
        _ if longest > LONG_OVERDUE_DAYS => (Verdict::Fail, "actions_long_overdue"),
        _ => (Verdict::Warning, "actions_overdue"),
    };
    check(
        "decision_actions_on_time",
        verdict,
        reason,
        vec![("count", count.to_string()), ("days", longest.to_string())],
        fix,
    )
}

fn check(
    check: &'static str,
    verdict: Verdict,
    reason: &'static str,
    args: Vec<(&'static str, String)>,
    fix: String,
) -> HealthCheck {
    HealthCheck {
        check,
        verdict,
        reason,
        args,
        fix,
    }
}

fn executive_confirmed(facts: &Facts, base: &str) -> HealthCheck {
    let new_executive = format!("{base}/executives/new");
    let Some(term) = current_term(facts.terms) else {
        return check(
            "executive_confirmed",
            Verdict::Fail,
            "no_executive",
            vec![],
            new_executive,
        );
    };
    let confirm = format!("{base}/executives/{}/confirm", term.id);
    let name = ("name", term.name.clone());
    match Commitment::of(facts.terms) {
        Commitment::Confirmed => check(
            "executive_confirmed",
            Verdict::Pass,
            "confirmed",
            vec![
                name,
                ("date", term.confirmed_on.clone().unwrap_or_default()),
            ],
            format!("{base}#executive"),
        ),
        Commitment::RenewedCommitmentNeeded => check(
            "executive_confirmed",
            Verdict::Fail,
            "renewed_commitment_needed",
            vec![name, ("date", term.starts_on.clone())],
            confirm,
        ),
        Commitment::AwaitingConfirmation | Commitment::NoExecutive => check(
            "executive_confirmed",
            Verdict::Warning,
            "awaiting_confirmation",
            vec![name],
            confirm,
        ),
    }
}

fn mandate_and_budget(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/executives/new");
    let Some(term) = current_term(facts.terms) else {
        return check(
            "mandate_and_budget",
            Verdict::Fail,
            "no_executive",
            vec![],
            fix,
        );
    };
    let has_mandate = !term.mandate.trim().is_empty();
    let has_budget = term.budget_amount.is_some_and(|a| a > 0.0);
    let (verdict, reason) = match (has_mandate, has_budget) {
        (true, true) => (Verdict::Pass, "mandate_and_budget"),
        (true, false) => (Verdict::Warning, "budget_missing"),
        (false, true) => (Verdict::Warning, "mandate_missing"),
        (false, false) => (Verdict::Fail, "mandate_and_budget_missing"),
    };
    check(
        "mandate_and_budget",
        verdict,
        reason,
        vec![("name", term.name.clone())],
        fix,
    )
}

fn executive_changes(facts: &Facts, base: &str) -> HealthCheck {
    let since = show_day(facts.today - CHANGE_WINDOW_DAYS);
    let first = facts.terms.iter().map(|t| &t.starts_on).min();
    // A change is a term that had a predecessor: every start but the first.
    let changes = facts
        .terms
        .iter()
        .filter(|t| Some(&t.starts_on) != first)
        .filter(|t| t.starts_on >= since)
        .count();
    let (verdict, reason) = match changes {
        0 => (Verdict::Pass, "no_changes"),
        1 => (Verdict::Warning, "one_change"),
        _ => (Verdict::Fail, "several_changes"),
    };
    check(
        "executive_changes",
        verdict,
        reason,
        vec![("count", changes.to_string())],
        format!("{base}#executive"),
    )
}

fn vision_co_created(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}/sessions/new");
    if facts.programme.vision.trim().is_empty() {
        return check(
            "vision_co_created",
            Verdict::Fail,
            "no_vision",
            vec![],
            format!("{base}/edit"),
        );
    }
    let with_executives = facts
        .sessions
        .iter()
        .filter(|s| s.executives_took_part)
        .map(|s| s.held_on.clone())
        .max();
    match (facts.sessions.is_empty(), with_executives) {
        (true, _) => check(
            "vision_co_created",
            Verdict::Fail,
            "no_sessions",
            vec![],
            fix,
        ),
        (false, None) => check(
            "vision_co_created",
            Verdict::Warning,
            "without_executives",
            vec![("count", facts.sessions.len().to_string())],
            fix,
        ),
        (false, Some(last)) => check(
            "vision_co_created",
            Verdict::Pass,
            "co_created",
            vec![("count", facts.sessions.len().to_string()), ("date", last)],
            format!("{base}#sessions"),
        ),
    }
}

fn ambitions_measured(facts: &Facts, base: &str) -> HealthCheck {
    let fix = format!("{base}#ambitions");
    if facts.ambitions.is_empty() {
        return check(
            "ambitions_measured",
            Verdict::Fail,
            "no_ambitions",
            vec![],
            fix,
        );
    }
    let unmeasured: Vec<&str> = facts
        .ambitions
        .iter()
        .filter(|a| !a.indicator_ids.iter().any(|i| facts.targeted.contains(i)))
        .map(|a| a.title.as_str())
        .collect();
    let (verdict, reason) = if unmeasured.is_empty() {
        (Verdict::Pass, "all_measured")
    } else if unmeasured.len() == facts.ambitions.len() {
        (Verdict::Fail, "none_measured")
    } else {
        (Verdict::Warning, "some_unmeasured")
    };
    check(
        "ambitions_measured",
        verdict,
        reason,
        vec![
            ("count", facts.ambitions.len().to_string()),
            ("titles", unmeasured.join(", ")),
        ],
        fix,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        AmbitionId, CoCreationSessionId, ExecutiveTermId, OrganisationId, ProgrammeId,
    };
    use crate::governance::{Participant, ProgrammeStatus};
    use time::OffsetDateTime;

    const TODAY: &str = "2026-11-27";

    fn today() -> i64 {
        crate::domain::Validator::new().day("d", TODAY).unwrap()
    }

    fn programme(vision: &str) -> Programme {
        Programme {
            id: ProgrammeId(7),
            organisation_id: OrganisationId(1),
            name: "Digitaal 2028".into(),
            vision: vision.into(),
            starts_on: "2025-01-01".into(),
            ends_on: "2028-12-31".into(),
            status: ProgrammeStatus::Active,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn term(id: i64, starts: &str, ends: Option<&str>, confirmed: Option<&str>) -> ExecutiveTerm {
        ExecutiveTerm {
            id: ExecutiveTermId(id),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            user_id: None,
            name: format!("Wethouder {id}"),
            title: "wethouder Dienstverlening".into(),
            portfolio: "Dienstverlening".into(),
            mandate: "Stuurt op de digitale transformatie".into(),
            budget_amount: Some(1_500_000.0),
            budget_period: "2025-2028".into(),
            starts_on: starts.into(),
            ends_on: ends.map(Into::into),
            confirmed_on: confirmed.map(Into::into),
            confirmation_note: String::new(),
            confirmed_by: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn ambition(id: i64, indicators: &[i64]) -> Ambition {
        Ambition {
            id: AmbitionId(id),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            title: format!("Ambitie {id}"),
            description: String::new(),
            position: id,
            indicator_ids: indicators.iter().map(|i| IndicatorId(*i)).collect(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn session(executives: bool) -> CoCreationSession {
        CoCreationSession {
            id: CoCreationSessionId(1),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            held_on: "2025-02-10".into(),
            form: "Werksessie".into(),
            participants: vec![Participant {
                name: "A. Jansen".into(),
                role: "CDO".into(),
            }],
            executives_took_part: executives,
            outcome: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn body(kind: BodyKind, weeks: Option<i64>, last: Option<&str>) -> GovernanceBody {
        GovernanceBody {
            id: crate::domain::BodyId(3),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            kind,
            name: "Stuurgroep".into(),
            cadence_weeks: weeks,
            members: vec![],
            last_met_on: last.map(Into::into),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn action(due: &str) -> DecisionAction {
        DecisionAction {
            id: crate::domain::DecisionActionId(1),
            organisation_id: OrganisationId(1),
            decision_id: crate::domain::DecisionId(1),
            description: "Uitwerken".into(),
            owner_id: None,
            owner_name: "J. Bakker".into(),
            due_on: due.into(),
            status: crate::governance::steering::ActionStatus::Open,
            completed_on: None,
            overdue: true,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn line(year: i64, source: BudgetSource) -> BudgetLine {
        BudgetLine {
            id: crate::domain::BudgetLineId(1),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            year,
            amount: 250_000.0,
            source,
            funder: String::new(),
            scheme: String::new(),
            note: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn carried(goal: &str, plan: &str) -> CarryOverItem {
        CarryOverItem {
            id: crate::domain::CarryOverId(1),
            organisation_id: OrganisationId(1),
            programme_id: ProgrammeId(7),
            goal: goal.into(),
            origin: "Dienstverlening 2020".into(),
            consequence: String::new(),
            owner_id: None,
            owner_name: String::new(),
            plan: plan.into(),
            status: crate::governance::funding::CarryOverStatus::Open,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    struct World {
        programme: Programme,
        terms: Vec<ExecutiveTerm>,
        ambitions: Vec<Ambition>,
        targeted: HashSet<IndicatorId>,
        sessions: Vec<CoCreationSession>,
        bodies: Vec<GovernanceBody>,
        overdue: Vec<DecisionAction>,
        budget: Vec<BudgetLine>,
        carry_over: Vec<CarryOverItem>,
    }

    impl World {
        fn healthy() -> World {
            World {
                programme: programme("Inwoners regelen hun zaken digitaal."),
                terms: vec![term(1, "2020-05-01", None, Some("2020-06-01"))],
                ambitions: vec![ambition(1, &[10]), ambition(2, &[11, 12])],
                targeted: [IndicatorId(10), IndicatorId(12)].into_iter().collect(),
                sessions: vec![session(false), session(true)],
                bodies: vec![body(
                    BodyKind::SteeringCommittee,
                    Some(6),
                    Some("2026-11-01"),
                )],
                overdue: vec![],
                budget: vec![
                    line(2026, BudgetSource::InnovationFund),
                    line(2026, BudgetSource::OperatingBudget),
                ],
                carry_over: vec![carried("Zaaksysteem vervangen", "Aanbesteding in 2027")],
            }
        }

        fn verdict(&self, name: &str) -> (Verdict, &'static str) {
            let facts = Facts {
                programme: &self.programme,
                terms: &self.terms,
                ambitions: &self.ambitions,
                targeted: &self.targeted,
                sessions: &self.sessions,
                bodies: &self.bodies,
                overdue_actions: &self.overdue,
                budget_lines: &self.budget,
                carry_over: &self.carry_over,
                today: today(),
            };
            let found = evaluate(&facts)
                .into_iter()
                .find(|c| c.check == name)
                .unwrap();
            (found.verdict, found.reason)
        }
    }

    #[test]
    fn a_healthy_programme_passes_every_check() {
        let world = World::healthy();
        for name in [
            "executive_confirmed",
            "mandate_and_budget",
            "executive_changes",
            "steering_body_met",
            "vision_co_created",
            "ambitions_measured",
            "decision_actions_on_time",
            "innovation_budget_separate",
            "carry_over_planned",
        ] {
            assert_eq!(world.verdict(name).0, Verdict::Pass, "{name}");
        }
    }

    #[test]
    fn executive_confirmation_in_each_state() {
        let mut world = World::healthy();
        world.terms = vec![];
        assert_eq!(
            world.verdict("executive_confirmed"),
            (Verdict::Fail, "no_executive")
        );
        world.terms = vec![term(1, "2026-01-01", None, None)];
        assert_eq!(
            world.verdict("executive_confirmed"),
            (Verdict::Warning, "awaiting_confirmation")
        );
        world.terms = vec![
            term(1, "2020-01-01", Some("2026-03-01"), Some("2020-02-01")),
            term(2, "2026-03-01", None, None),
        ];
        assert_eq!(
            world.verdict("executive_confirmed"),
            (Verdict::Fail, "renewed_commitment_needed")
        );
        world.terms[1].confirmed_on = Some("2026-04-01".into());
        assert_eq!(
            world.verdict("executive_confirmed"),
            (Verdict::Pass, "confirmed")
        );
    }

    #[test]
    fn mandate_and_budget_in_each_state() {
        let mut world = World::healthy();
        world.terms[0].budget_amount = None;
        assert_eq!(
            world.verdict("mandate_and_budget"),
            (Verdict::Warning, "budget_missing")
        );
        world.terms[0].mandate = " ".into();
        assert_eq!(
            world.verdict("mandate_and_budget"),
            (Verdict::Fail, "mandate_and_budget_missing")
        );
        world.terms[0].budget_amount = Some(10.0);
        assert_eq!(
            world.verdict("mandate_and_budget"),
            (Verdict::Warning, "mandate_missing")
        );
        world.terms.clear();
        assert_eq!(
            world.verdict("mandate_and_budget"),
            (Verdict::Fail, "no_executive")
        );
    }

    #[test]
    fn executive_changes_count_only_the_last_24_months() {
        let mut world = World::healthy();
        world.terms = vec![
            term(1, "2019-01-01", Some("2024-06-01"), Some("2019-02-01")),
            term(2, "2024-06-01", Some("2025-01-01"), Some("2024-07-01")),
            term(3, "2025-01-01", None, Some("2025-02-01")),
        ];
        // 2024-06-01 lies more than 730 days before 2026-11-27.
        assert_eq!(
            world.verdict("executive_changes"),
            (Verdict::Warning, "one_change")
        );
        world.terms[1].starts_on = "2025-06-01".into();
        world.terms[2].starts_on = "2026-01-01".into();
        assert_eq!(
            world.verdict("executive_changes"),
            (Verdict::Fail, "several_changes")
        );
        // The first executive ever is not a change, however recent.
        world.terms = vec![term(1, "2026-10-01", None, None)];
        assert_eq!(
            world.verdict("executive_changes"),
            (Verdict::Pass, "no_changes")
        );
    }

    #[test]
    fn co_creation_in_each_state() {
        let mut world = World::healthy();
        world.sessions = vec![session(false)];
        assert_eq!(
            world.verdict("vision_co_created"),
            (Verdict::Warning, "without_executives")
        );
        world.sessions.clear();
        assert_eq!(
            world.verdict("vision_co_created"),
            (Verdict::Fail, "no_sessions")
        );
        world.programme.vision = String::new();
        assert_eq!(
            world.verdict("vision_co_created"),
            (Verdict::Fail, "no_vision")
        );
    }

    #[test]
    fn ambitions_measured_in_each_state() {
        let mut world = World::healthy();
        world.ambitions.push(ambition(3, &[13]));
        assert_eq!(
            world.verdict("ambitions_measured"),
            (Verdict::Warning, "some_unmeasured")
        );
        world.targeted.clear();
        assert_eq!(
            world.verdict("ambitions_measured"),
            (Verdict::Fail, "none_measured")
        );
        world.ambitions.clear();
        assert_eq!(
            world.verdict("ambitions_measured"),
            (Verdict::Fail, "no_ambitions")
        );
    }

    #[test]
    fn steering_body_in_each_state() {
        let mut world = World::healthy();
        // Six weeks plus a week's grace after 2026-10-09 is 2026-11-27.
        world.bodies = vec![body(
            BodyKind::SteeringCommittee,
            Some(6),
            Some("2026-10-09"),
        )];
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Pass, "met_within_cadence")
        );
        world.bodies[0].last_met_on = Some("2026-10-08".into());
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Warning, "meeting_late")
        );
        world.bodies[0].last_met_on = Some("2026-08-01".into());
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Fail, "meeting_overdue")
        );
        world.bodies[0].last_met_on = None;
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Fail, "never_met")
        );
        world.bodies[0].cadence_weeks = None;
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Warning, "no_cadence")
        );
        world.bodies = vec![body(BodyKind::ProgrammeOffice, Some(2), Some("2026-11-20"))];
        assert_eq!(
            world.verdict("steering_body_met"),
            (Verdict::Fail, "no_steering_body")
        );
    }

    #[test]
    fn overdue_actions_in_each_state() {
        let mut world = World::healthy();
        world.overdue = vec![action("2026-11-20")];
        assert_eq!(
            world.verdict("decision_actions_on_time"),
            (Verdict::Warning, "actions_overdue")
        );
        world.overdue.push(action("2026-10-01"));
        assert_eq!(
            world.verdict("decision_actions_on_time"),
            (Verdict::Fail, "actions_long_overdue")
        );
    }

    #[test]
    fn innovation_budget_in_each_state() {
        let mut world = World::healthy();
        world.budget = vec![line(2026, BudgetSource::OperatingBudget)];
        assert_eq!(
            world.verdict("innovation_budget_separate"),
            (Verdict::Fail, "only_operating_budget")
        );
        world.budget = vec![line(2025, BudgetSource::ExternalCofinancing)];
        assert_eq!(
            world.verdict("innovation_budget_separate"),
            (Verdict::Warning, "no_budget_this_year")
        );
        world.budget.clear();
        assert_eq!(
            world.verdict("innovation_budget_separate"),
            (Verdict::Fail, "no_innovation_budget")
        );
    }

    #[test]
    fn carry_over_in_each_state() {
        let mut world = World::healthy();
        world.carry_over.push(carried("Archief digitaliseren", " "));
        assert_eq!(
            world.verdict("carry_over_planned"),
            (Verdict::Warning, "carry_over_without_plan")
        );
        for item in &mut world.carry_over {
            item.status = crate::governance::funding::CarryOverStatus::Resolved;
        }
        assert_eq!(
            world.verdict("carry_over_planned"),
            (Verdict::Pass, "no_open_carry_over")
        );
    }

    #[test]
    fn a_count_of_one_reads_in_the_singular() {
        let one = HealthCheck {
            check: "decision_actions_on_time",
            verdict: Verdict::Warning,
            reason: "actions_overdue",
            args: vec![("count", "1".into()), ("days", "3".into())],
            fix: String::new(),
        };
        let nl = Tr::new(crate::domain::Locale::Nl);
        assert_eq!(one.explain(nl), "1 vervolgactie is over haar datum.");
        let two = HealthCheck {
            args: vec![("count", "2".into()), ("days", "3".into())],
            ..one
        };
        assert_eq!(two.explain(nl), "2 vervolgacties zijn over hun datum.");
    }
}
