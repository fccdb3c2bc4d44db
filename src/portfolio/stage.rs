//! The stage machine of an initiative. Moving between stages takes a gate
//! decision; which decision may lead where is decided here and nowhere
//! else.

code_enum!(
    /// Where an initiative is in the funnel.
    Stage, "stage", {
        Idea => "idea",
        Exploration => "exploration",
        Experiment => "experiment",
        Pilot => "pilot",
        Scaling => "scaling",
        InOperation => "in_operation",
        Stopped => "stopped",
    }
);

code_enum!(
    /// What a gate decided.
    GateOutcome, "gate_outcome", {
        Continue => "continue",
        Pivot => "pivot",
        Scale => "scale",
        Stop => "stop",
    }
);

impl Stage {
    /// The stages of the funnel in order, without `Stopped`.
    pub const FUNNEL: [Stage; 6] = [
        Stage::Idea,
        Stage::Exploration,
        Stage::Experiment,
        Stage::Pilot,
        Stage::Scaling,
        Stage::InOperation,
    ];

    fn rank(self) -> usize {
        Stage::FUNNEL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(usize::MAX)
    }

    fn next(self) -> Option<Stage> {
        Stage::FUNNEL.get(self.rank().checked_add(1)?).copied()
    }

    /// No decision moves an initiative out of these.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::InOperation | Stage::Stopped)
    }

    /// The stages `outcome` may lead to from here, in funnel order.
    pub fn targets(self, outcome: GateOutcome) -> Vec<Stage> {
        if self.is_final() {
            return Vec::new();
        }
        match outcome {
            // One step on while learning: idea → exploration → experiment → pilot.
            GateOutcome::Continue => self
                .next()
                .filter(|n| n.rank() <= Stage::Pilot.rank())
                .into_iter()
                .collect(),
            // From a pilot on, growing is scaling: pilot → scaling → in operation.
            GateOutcome::Scale => self
                .next()
                .filter(|_| self.rank() >= Stage::Pilot.rank())
                .into_iter()
                .collect(),
            // Change course: stay, or go back as far as exploration.
            GateOutcome::Pivot => Stage::FUNNEL
                .iter()
                .copied()
                .filter(|s| {
                    s.rank() >= Stage::Exploration.rank()
                        && s.rank() <= self.rank()
                        && self.rank() >= Stage::Exploration.rank()
                })
                .collect(),
            GateOutcome::Stop => vec![Stage::Stopped],
        }
    }

    /// Whether `outcome` may move an initiative from here to `to`.
    pub fn allows(self, outcome: GateOutcome, to: Stage) -> bool {
        self.targets(outcome).contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::{GateOutcome as G, Stage as S};

    #[test]
    fn continue_steps_one_stage_until_the_pilot() {
        assert!(S::Idea.allows(G::Continue, S::Exploration));
        assert!(S::Experiment.allows(G::Continue, S::Pilot));
        assert!(!S::Idea.allows(G::Continue, S::Experiment), "no skipping");
        assert!(
            !S::Pilot.allows(G::Continue, S::Scaling),
            "scaling is a scale decision"
        );
        assert!(
            !S::Exploration.allows(G::Continue, S::Idea),
            "not backwards"
        );
    }

    #[test]
    fn scale_starts_at_the_pilot() {
        assert!(S::Pilot.allows(G::Scale, S::Scaling));
        assert!(S::Scaling.allows(G::Scale, S::InOperation));
        assert!(!S::Experiment.allows(G::Scale, S::Pilot));
        assert!(!S::Pilot.allows(G::Scale, S::InOperation), "no skipping");
    }

    #[test]
    fn pivot_stays_or_goes_back_to_exploration_at_most() {
        assert_eq!(
            S::Pilot.targets(G::Pivot),
            [S::Exploration, S::Experiment, S::Pilot]
        );
        assert_eq!(S::Exploration.targets(G::Pivot), [S::Exploration]);
        assert!(S::Idea.targets(G::Pivot).is_empty());
        assert!(
            !S::Experiment.allows(G::Pivot, S::Pilot),
            "a pivot does not advance"
        );
    }

    #[test]
    fn stop_from_anywhere_but_the_end() {
        for stage in [S::Idea, S::Exploration, S::Experiment, S::Pilot, S::Scaling] {
            assert!(stage.allows(G::Stop, S::Stopped), "{stage:?}");
        }
        for stage in [S::InOperation, S::Stopped] {
            for outcome in G::ALL {
                assert!(stage.targets(*outcome).is_empty(), "{stage:?} {outcome:?}");
            }
        }
    }
}
