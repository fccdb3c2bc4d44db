//! Governance health: checks on the conditions the source article names for
//! a transformation led from the top. Each check passes, warns or fails, with
//! the reason and where to fix it. Pure: the service gathers the facts.

use std::collections::HashSet;

use serde::Serialize;

use super::spec::show_day;
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

    pub fn explain(&self, t: Tr) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        t.fill(&format!("health.reason.{}", self.reason), &args)
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
    /// Today, as days since 1970-01-01.
    pub today: i64,
}

pub fn evaluate(facts: &Facts) -> Vec<HealthCheck> {
    let base = format!("/programmes/{}", facts.programme.id);
    vec![
        executive_confirmed(facts, &base),
        mandate_and_budget(facts, &base),
        executive_changes(facts, &base),
        vision_co_created(facts, &base),
        ambitions_measured(facts, &base),
    ]
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
        super::super::spec::day(&mut crate::domain::Validator::new(), "d", TODAY).unwrap()
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

    struct World {
        programme: Programme,
        terms: Vec<ExecutiveTerm>,
        ambitions: Vec<Ambition>,
        targeted: HashSet<IndicatorId>,
        sessions: Vec<CoCreationSession>,
    }

    impl World {
        fn healthy() -> World {
            World {
                programme: programme("Inwoners regelen hun zaken digitaal."),
                terms: vec![term(1, "2020-05-01", None, Some("2020-06-01"))],
                ambitions: vec![ambition(1, &[10]), ambition(2, &[11, 12])],
                targeted: [IndicatorId(10), IndicatorId(12)].into_iter().collect(),
                sessions: vec![session(false), session(true)],
            }
        }

        fn verdict(&self, name: &str) -> (Verdict, &'static str) {
            let facts = Facts {
                programme: &self.programme,
                terms: &self.terms,
                ambitions: &self.ambitions,
                targeted: &self.targeted,
                sessions: &self.sessions,
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
            "vision_co_created",
            "ambitions_measured",
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
}
