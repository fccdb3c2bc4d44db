//! Domain types that can only be built valid ("parse, don't validate").
//! Form and JSON input become these types through `TryFrom`/`parse`; code
//! that holds one never checks it again.

mod email;
mod ids;
mod indicator;
mod locale;
mod money;
mod name;
mod organisation_kind;
mod password;
mod period;
mod role;
mod slug;
mod validation;

pub use email::Email;
pub use ids::{
    AmbitionId, AssessmentId, AuditEventId, BoardReportId, BodyId, BudgetLineId, CampaignId,
    CarryOverId, CoCreationSessionId, CompetenceId, DataAssetId, DecisionActionId, DecisionId,
    EmployeeId, ExecutiveTermId, FrameworkId, GateDecisionId, IdeaCommentId, IdeaId, IndicatorId,
    InitiativeId, InstrumentId, InterventionId, LabId, LearningActionId, MeasurementId, MeetingId,
    NotificationId, OrganisationId, PartnerId, ProgrammeId, RoleProfileId, RoundId, ServiceId,
    StrategicAssetId, SurveyItemId, SurveyVersionId, TargetId, TokenId, UnitId, UploadId, UserId,
    WaveId,
};
pub use indicator::{Aggregation, Direction, IndicatorCode, Perspective, ValueUnit};
pub use locale::Locale;
pub use money::Money;
pub use name::Name;
pub use organisation_kind::OrganisationKind;
pub use password::Password;
pub use period::{Frequency, Period};
pub use role::{Permission, Role};
pub use slug::Slug;
pub use validation::{CODES as VALIDATION_CODES, FieldError, Validator};
