use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            sqlx::Type, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A tenant: one municipality, province, water board or agency.
    OrganisationId
);
id_type!(
    /// A person who can log in; may belong to several organisations.
    UserId
);
id_type!(
    /// An organisational unit (department, team) within one organisation.
    UnitId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// One entry in the audit log.
    AuditEventId
);
id_type!(
    /// A measurable, customer-centric outcome of one organisation.
    IndicatorId
);
id_type!(
    /// One value of an indicator for a period.
    MeasurementId
);
id_type!(
    /// A dated target of an indicator (one revision).
    TargetId
);
id_type!(
    /// A file uploaded for an import, waiting for its preview to be confirmed.
    UploadId
);
id_type!(
    /// A transformation programme of one organisation (several allowed).
    ProgrammeId
);
id_type!(
    /// An ambition under a programme's vision.
    AmbitionId
);
id_type!(
    /// One term of a programme's accountable executive.
    ExecutiveTermId
);
id_type!(
    /// A session in which a programme's vision was made or revised.
    CoCreationSessionId
);
id_type!(
    /// A governance body of a programme: steering committee, board, …
    BodyId
);
id_type!(
    /// A meeting of a governance body.
    MeetingId
);
id_type!(
    /// An entry in a programme's decision log.
    DecisionId
);
id_type!(
    /// A follow-up action of a decision.
    DecisionActionId
);
id_type!(
    /// A line of a programme's innovation (or operating) budget.
    BudgetLineId
);
id_type!(
    /// A goal carried over from an earlier programme.
    CarryOverId
);
id_type!(
    /// An initiative in the innovation portfolio.
    InitiativeId
);
id_type!(
    /// A gate decision that moved an initiative between stages.
    GateDecisionId
);
id_type!(
    /// An organisation that works with us on initiatives or in a lab.
    PartnerId
);
id_type!(
    /// A future lab: a collaboration of organisations hosting initiatives.
    LabId
);
id_type!(
    /// A competence framework: DigComp 2.2 (built in) or the organisation's own.
    FrameworkId
);
id_type!(
    /// One competence within a framework.
    CompetenceId
);
id_type!(
    /// A role profile (functieprofiel) with its required levels and FTE plan.
    RoleProfileId
);
id_type!(
    /// An employee in the skills register (not necessarily a Koers user).
    EmployeeId
);
id_type!(
    /// One assessment of one competence of one employee.
    AssessmentId
);
id_type!(
    /// An assessment round: the period from its start to the next round's.
    RoundId
);
id_type!(
    /// A training or coaching for a group, aimed at one competence.
    LearningActionId
);
id_type!(
    /// A readiness scan or pulse survey of one organisation.
    InstrumentId
);
id_type!(
    /// One unchangeable version of an instrument's items.
    SurveyVersionId
);
id_type!(
    /// One statement or question of a survey version.
    SurveyItemId
);
id_type!(
    /// One round of asking a survey to an audience between two dates.
    WaveId
);
id_type!(
    /// One entry of an organisation's catalogue of interventions.
    InterventionId
);
id_type!(
    /// An employee's idea for a smarter way of working.
    IdeaId
);
id_type!(
    /// A themed call for ideas with a period and an owner.
    CampaignId
);
id_type!(
    /// A comment on an idea.
    IdeaCommentId
);
id_type!(
    /// One in-app notification for one person.
    NotificationId
);
id_type!(
    /// A product or service the organisation delivers.
    ServiceId
);
id_type!(
    /// A dataset in the data-asset register.
    DataAssetId
);
id_type!(
    /// An asset the transformation relies on.
    StrategicAssetId
);
id_type!(
    /// A board report: an unchanging snapshot of one period.
    BoardReportId
);
