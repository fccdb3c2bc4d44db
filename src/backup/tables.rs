//! Which tables hold one organisation's data and what each column is, so
//! a backup can carry them to another installation (where every id is
//! different) and an export can lay them out as sheets.
//!
//! A test compares this list with the database's own schema: a migration
//! that adds a table or a column fails it until the column is described
//! here (or the table is listed in `LEFT_OUT` with the reason).

/// What a column holds, as the backup must treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The owning organisation: set to the new one on restore.
    Organisation,
    /// The row's own id: renumbered on restore.
    Id,
    /// The row's own id, drawn at random rather than counted (so that it
    /// says nothing about who answered when): drawn anew on restore.
    RandomId,
    /// An id of another table (with a foreign key).
    Ref(&'static str),
    /// An id of another table without a foreign key; values that are not
    /// an id of that table (such as 0 for "no unit") stay as they are.
    Soft(&'static str),
    /// A JSON list of ids of another table, kept as text.
    IdList(&'static str),
    Int,
    Real,
    Bool,
    Text,
    /// A timestamp (TEXT on SQLite, TIMESTAMPTZ on PostgreSQL).
    Time,
    /// Text that is a credential (a hash of a survey link): carried by
    /// backups, never shown in exports.
    Secret,
}

impl Kind {
    /// The row's own id, counted or random.
    pub fn is_own_id(self) -> bool {
        matches!(self, Kind::Id | Kind::RandomId)
    }

    /// The table this column points at, if any.
    pub fn target(self) -> Option<&'static str> {
        match self {
            Kind::Ref(t) | Kind::Soft(t) | Kind::IdList(t) => Some(t),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    /// Whether rows have an own id that others point at.
    pub fn has_id(&self) -> bool {
        self.columns.iter().any(|(_, k)| k.is_own_id())
    }
}

const fn table(name: &'static str, columns: &'static [(&'static str, Kind)]) -> Table {
    Table { name, columns }
}

/// Tables not carried, and why.
pub const LEFT_OUT: &[(&str, &str)] = &[
    ("organisations", "the archive's own header"),
    ("users", "carried apart: people are matched by email"),
    ("sessions", "log-ins end with the move"),
    (
        "sso_connections",
        "the client secret is sealed for this installation and organisation: set single sign-on up anew where the organisation lands",
    ),
    (
        "sso_identities",
        "belong to the connection: people are linked again at their first login",
    ),
    ("sso_logins", "logins at the provider, ten minutes at most"),
    (
        "api_tokens",
        "tokens are made anew where the organisation lands",
    ),
    ("invitations", "pending invitation links are made anew"),
    (
        "measurement_uploads",
        "files between preview and confirm, an hour at most",
    ),
    ("login_failures", "installation-wide throttling"),
    (
        "second_factors",
        "a person's authenticator secret stays with the installation; they set it up again",
    ),
    (
        "recovery_codes",
        "belong to the second factor, which is not carried",
    ),
    (
        "pending_logins",
        "logins waiting for their code, five minutes at most",
    ),
    ("effect_estimates", "a cache; recomputed when first read"),
    (
        "audit_chain",
        "the installation's own tamper-evident chain: restored events are chained anew where they land",
    ),
    ("audit_chain_head", "the newest link of that chain"),
];

/// The people columns a backup carries (the platform-administrator flag
/// never travels).
pub const USER_COLUMNS: &[(&str, Kind)] = &[
    ("id", Kind::Id),
    ("email", Kind::Text),
    ("name", Kind::Text),
    ("locale", Kind::Text),
    ("active", Kind::Bool),
    ("password_hash", Kind::Secret),
    ("created_at", Kind::Time),
    ("updated_at", Kind::Time),
];

/// The organisation's own columns.
pub const ORGANISATION_COLUMNS: &[(&str, Kind)] = &[
    ("name", Kind::Text),
    ("slug", Kind::Text),
    ("kind", Kind::Text),
    ("created_at", Kind::Time),
    ("updated_at", Kind::Time),
    ("public_dashboard", Kind::Bool),
    ("min_group_size", Kind::Int),
    ("admins_need_second_factor", Kind::Bool),
];

use Kind::{Bool, IdList, Int, Organisation, Real, Ref, Secret, Soft, Text, Time};

/// Every table of one organisation, alphabetically; `order` sorts them so
/// that each comes after the tables it points at.
pub const TABLES: &[Table] = &[
    table(
        "ambition_indicators",
        &[
            ("organisation_id", Organisation),
            ("ambition_id", Ref("ambitions")),
            ("indicator_id", Ref("indicators")),
            ("linked_at", Time),
        ],
    ),
    table(
        "ambitions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("title", Text),
            ("description", Text),
            ("position", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "assessment_rounds",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("starts_on", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("fixed_at", Time),
        ],
    ),
    table(
        "audit_events",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("actor_user_id", Ref("users")),
            ("actor_label", Text),
            ("action", Text),
            ("entity_type", Text),
            ("entity_id", Text),
            ("occurred_at", Time),
            ("client_address", Text),
            ("changes", Text),
        ],
    ),
    table(
        "board_reports",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("period", Text),
            ("language", Text),
            ("made_by_user_id", Ref("users")),
            ("made_at", Time),
            ("content", Text),
            ("content_sha256", Text),
        ],
    ),
    table(
        "body_meetings",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("body_id", Ref("governance_bodies")),
            ("held_on", Int),
            ("attendees", Text),
            ("agenda", Text),
            ("minutes", Text),
            ("created_at", Time),
        ],
    ),
    table(
        "budget_lines",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("year", Int),
            ("amount", Real),
            ("source", Text),
            ("funder", Text),
            ("scheme", Text),
            ("note", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "carry_over_items",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("goal", Text),
            ("origin", Text),
            ("consequence", Text),
            ("owner_user_id", Ref("users")),
            ("owner_name", Text),
            ("plan", Text),
            ("status", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "co_creation_sessions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("held_on", Int),
            ("form", Text),
            ("participants", Text),
            ("executives_took_part", Bool),
            ("outcome", Text),
            ("created_at", Time),
        ],
    ),
    table(
        "competence_frameworks",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("builtin", Text),
            ("name", Text),
            ("description", Text),
            ("levels", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "competences",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("framework_id", Ref("competence_frameworks")),
            ("code", Text),
            ("area", Text),
            ("name", Text),
            ("description", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "data_assets",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("description", Text),
            ("steward_user_id", Ref("users")),
            ("source_system", Text),
            ("personal_data", Int),
            ("legal_basis", Text),
            ("completeness", Int),
            ("timeliness", Int),
            ("openness", Text),
            ("update_frequency", Text),
            ("service_ids", IdList("services")),
            ("initiative_ids", IdList("initiatives")),
            ("indicator_ids", IdList("indicators")),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "data_expertise_members",
        &[
            ("organisation_id", Organisation),
            ("user_id", Ref("users")),
            ("role", Text),
            ("competence_ids", IdList("competences")),
        ],
    ),
    table(
        "decision_actions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("decision_id", Ref("decisions")),
            ("description", Text),
            ("owner_user_id", Ref("users")),
            ("owner_name", Text),
            ("due_on", Int),
            ("status", Text),
            ("completed_on", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "decision_ambitions",
        &[
            ("organisation_id", Organisation),
            ("decision_id", Ref("decisions")),
            ("ambition_id", Ref("ambitions")),
        ],
    ),
    table(
        "decision_indicators",
        &[
            ("organisation_id", Organisation),
            ("decision_id", Ref("decisions")),
            ("indicator_id", Ref("indicators")),
        ],
    ),
    table(
        "decisions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("body_id", Ref("governance_bodies")),
            ("title", Text),
            ("rationale", Text),
            ("decided_on", Int),
            ("status", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "employees",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("number", Text),
            ("name", Text),
            ("user_id", Ref("users")),
            ("unit_id", Ref("units")),
            ("role_profile_id", Ref("role_profiles")),
            ("active", Bool),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "future_labs",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("theme", Text),
            ("description", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "gate_decisions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("from_stage", Text),
            ("to_stage", Text),
            ("decision", Text),
            ("evidence", Text),
            ("criteria", Text),
            ("body_id", Ref("governance_bodies")),
            ("decided_by", Text),
            ("decided_on", Int),
            ("learning", Text),
            ("created_by", Ref("users")),
            ("created_at", Time),
        ],
    ),
    table(
        "governance_bodies",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("kind", Text),
            ("name", Text),
            ("cadence_weeks", Int),
            ("members", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "idea_campaigns",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("title", Text),
            ("description", Text),
            ("owner_user_id", Ref("users")),
            ("opens_on", Int),
            ("closes_on", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "idea_comments",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("idea_id", Ref("ideas")),
            ("author_user_id", Ref("users")),
            ("body", Text),
            ("hidden_reason", Text),
            ("created_at", Time),
        ],
    ),
    table(
        "idea_supports",
        &[
            ("organisation_id", Organisation),
            ("idea_id", Ref("ideas")),
            ("user_id", Ref("users")),
            ("created_at", Time),
        ],
    ),
    table(
        "ideas",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("author_user_id", Ref("users")),
            ("author_hidden", Int),
            ("title", Text),
            ("problem", Text),
            ("proposal", Text),
            ("unit_id", Ref("units")),
            ("tags", Text),
            ("links", Text),
            ("state", Text),
            ("state_reason", Text),
            ("initiative_id", Ref("initiatives")),
            ("supports", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("campaign_id", Ref("idea_campaigns")),
            ("hidden_reason", Text),
            ("decided_at", Time),
        ],
    ),
    table(
        "indicator_targets",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("indicator_id", Ref("indicators")),
            ("target_day", Int),
            ("value", Real),
            ("reason", Text),
            ("created_by", Ref("users")),
            ("created_at", Time),
            ("superseded_at", Time),
        ],
    ),
    table(
        "indicators",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("code", Text),
            ("name", Text),
            ("description", Text),
            ("perspective", Text),
            ("value_unit", Text),
            ("min_value", Real),
            ("max_value", Real),
            ("direction", Text),
            ("range_low", Real),
            ("range_high", Real),
            ("frequency", Text),
            ("aggregation", Text),
            ("baseline_value", Real),
            ("baseline_period", Int),
            ("owner_user_id", Ref("users")),
            ("responsible_unit_id", Ref("units")),
            ("data_source", Text),
            ("created_at", Time),
            ("updated_at", Time),
            ("published", Bool),
            ("dimensions", Text),
            ("formula", Text),
            ("version", Int),
        ],
    ),
    table(
        "initiative_ambitions",
        &[
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("ambition_id", Ref("ambitions")),
        ],
    ),
    table(
        "initiative_funding",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("source", Text),
            ("funder", Text),
            ("scheme", Text),
            ("status", Text),
            ("year", Int),
            ("amount_cents", Int),
            ("note", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "initiative_indicators",
        &[
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("indicator_id", Ref("indicators")),
            ("direction", Text),
            ("expected_size", Real),
            ("control_indicator_id", Ref("indicators")),
        ],
    ),
    table(
        "initiative_partners",
        &[
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("partner_id", Ref("partners")),
            ("role", Text),
        ],
    ),
    table(
        "initiative_spend",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("initiative_id", Ref("initiatives")),
            ("spent_on", Int),
            ("amount_cents", Int),
            ("source", Text),
            ("description", Text),
            ("created_at", Time),
        ],
    ),
    table(
        "initiatives",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("kind", Text),
            ("title", Text),
            ("problem", Text),
            ("hypothesis", Text),
            ("learning_goals", Text),
            ("technologies", Text),
            ("owner_user_id", Ref("users")),
            ("unit_id", Ref("units")),
            ("go_live_on", Int),
            ("stage", Text),
            ("cost_estimate_cents", Int),
            ("created_at", Time),
            ("updated_at", Time),
            ("lab_id", Ref("future_labs")),
            ("intervention_id", Ref("interventions")),
            ("intervention_dimension", Text),
            ("baseline_wave_id", Ref("survey_waves")),
            ("version", Int),
        ],
    ),
    table(
        "interventions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("builtin_key", Text),
            ("dimension", Text),
            ("title_nl", Text),
            ("title_en", Text),
            ("description_nl", Text),
            ("description_en", Text),
            ("active", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "lab_members",
        &[
            ("organisation_id", Organisation),
            ("lab_id", Ref("future_labs")),
            ("partner_id", Ref("partners")),
            ("contributions", Text),
            ("description", Text),
        ],
    ),
    table(
        "learning_actions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("title", Text),
            ("kind", Text),
            ("competence_id", Ref("competences")),
            ("unit_id", Ref("units")),
            ("role_profile_id", Ref("role_profiles")),
            ("planned_on", Int),
            ("status", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "measurement_months",
        &[
            ("organisation_id", Organisation),
            ("indicator_id", Ref("indicators")),
            ("month_start", Int),
            ("total", Real),
            ("count", Int),
            ("last_day", Int),
            ("last_value", Real),
        ],
    ),
    table(
        "measurements",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("indicator_id", Ref("indicators")),
            ("period_start", Int),
            ("dimension_key", Text),
            ("value", Real),
            ("note", Text),
            ("source", Text),
            ("recorded_by", Ref("users")),
            ("recorded_at", Time),
        ],
    ),
    table(
        "memberships",
        &[
            ("organisation_id", Organisation),
            ("user_id", Ref("users")),
            ("role", Text),
            ("active", Bool),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "notifications",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("user_id", Ref("users")),
            ("kind", Text),
            ("subject_id", Soft("ideas")),
            ("title", Text),
            ("detail", Text),
            ("created_at", Time),
            ("read_at", Time),
        ],
    ),
    table(
        "partners",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("kind", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "programme_executives",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("programme_id", Ref("programmes")),
            ("user_id", Ref("users")),
            ("name", Text),
            ("title", Text),
            ("portfolio", Text),
            ("mandate", Text),
            ("budget_amount", Real),
            ("budget_period", Text),
            ("starts_on", Int),
            ("ends_on", Int),
            ("confirmed_on", Int),
            ("confirmation_note", Text),
            ("confirmed_by", Ref("users")),
            ("created_by", Ref("users")),
            ("created_at", Time),
        ],
    ),
    table(
        "programmes",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("vision", Text),
            ("starts_on", Int),
            ("ends_on", Int),
            ("status", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "role_profiles",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("description", Text),
            ("information_management", Bool),
            ("fte_now", Real),
            ("fte_needed", Real),
            ("horizon_on", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "role_requirements",
        &[
            ("organisation_id", Organisation),
            ("role_profile_id", Ref("role_profiles")),
            ("competence_id", Ref("competences")),
            ("level_now", Int),
            ("level_horizon", Int),
        ],
    ),
    table(
        "service_indicators",
        &[
            ("organisation_id", Organisation),
            ("service_id", Ref("services")),
            ("indicator_id", Ref("indicators")),
        ],
    ),
    table(
        "service_initiatives",
        &[
            ("organisation_id", Organisation),
            ("service_id", Ref("services")),
            ("initiative_id", Ref("initiatives")),
        ],
    ),
    table(
        "services",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("description", Text),
            ("target_groups", Text),
            ("legal_basis", Text),
            ("owner_unit_id", Ref("units")),
            ("lead_time_days", Int),
            ("channels", Text),
            ("maturity", Int),
            ("automation", Text),
            ("personalisation", Text),
            ("volume_indicator_id", Ref("indicators")),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "skill_assessments",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("employee_id", Ref("employees")),
            ("competence_id", Ref("competences")),
            ("source", Text),
            ("level", Int),
            ("evidence", Text),
            ("assessed_on", Int),
            ("recorded_by", Ref("users")),
            ("created_at", Time),
        ],
    ),
    table(
        "skill_gap_counts",
        &[
            ("organisation_id", Organisation),
            ("unit_id", Soft("units")),
            ("role_profile_id", Soft("role_profiles")),
            ("competence_id", Soft("competences")),
            ("people", Int),
            ("gap_now", Int),
            ("gap_horizon", Int),
            ("short_now", Int),
            ("short_horizon", Int),
        ],
    ),
    table(
        "skill_levels",
        &[
            ("organisation_id", Organisation),
            ("employee_id", Ref("employees")),
            ("competence_id", Ref("competences")),
            ("level", Int),
        ],
    ),
    table(
        "skill_round_gaps",
        &[
            ("organisation_id", Organisation),
            ("round_id", Ref("assessment_rounds")),
            ("unit_id", Soft("units")),
            ("role_profile_id", Soft("role_profiles")),
            ("competence_id", Soft("competences")),
            ("people", Int),
            ("gap_now", Int),
            ("gap_horizon", Int),
            ("short_now", Int),
            ("short_horizon", Int),
        ],
    ),
    table(
        "strategic_asset_ambitions",
        &[
            ("organisation_id", Organisation),
            ("asset_id", Ref("strategic_assets")),
            ("ambition_id", Ref("ambitions")),
            ("criticality", Text),
        ],
    ),
    table(
        "strategic_assets",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("name", Text),
            ("kind", Text),
            ("owner_user_id", Ref("users")),
            ("description", Text),
            ("current_state", Text),
            ("gap", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "survey_answers",
        &[
            ("organisation_id", Organisation),
            ("response_id", Ref("survey_responses")),
            ("item_id", Ref("survey_items")),
            ("score", Int),
            ("answer_text", Text),
        ],
    ),
    table(
        "survey_instruments",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("kind", Text),
            ("current_version", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "survey_invitations",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("wave_id", Ref("survey_waves")),
            ("employee_id", Ref("employees")),
            ("unit_id", Soft("units")),
            ("token_hash", Secret),
            ("answered", Int),
            ("reminders", Int),
            ("created_at", Time),
        ],
    ),
    table(
        "survey_items",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("version_id", Ref("survey_versions")),
            ("position", Int),
            ("item_key", Text),
            ("dimension", Text),
            ("text_nl", Text),
            ("text_en", Text),
        ],
    ),
    table(
        "survey_responses",
        &[
            ("id", Kind::RandomId),
            ("organisation_id", Organisation),
            ("wave_id", Ref("survey_waves")),
            ("unit_id", Soft("units")),
        ],
    ),
    table(
        "survey_result_sums",
        &[
            ("organisation_id", Organisation),
            ("wave_id", Ref("survey_waves")),
            ("unit_id", Soft("units")),
            ("dimension", Text),
            ("respondents", Int),
            ("score_sum", Int),
            ("scores", Int),
        ],
    ),
    table(
        "survey_versions",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("instrument_id", Ref("survey_instruments")),
            ("number", Int),
            ("note", Text),
            ("created_at", Time),
        ],
    ),
    table(
        "survey_wave_units",
        &[
            ("organisation_id", Organisation),
            ("wave_id", Ref("survey_waves")),
            ("unit_id", Ref("units")),
        ],
    ),
    table(
        "survey_waves",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("instrument_id", Ref("survey_instruments")),
            ("version_id", Ref("survey_versions")),
            ("name", Text),
            ("opens_on", Int),
            ("closes_on", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
    table(
        "units",
        &[
            ("id", Kind::Id),
            ("organisation_id", Organisation),
            ("parent_id", Ref("units")),
            ("name", Text),
            ("archived_at", Time),
            ("created_at", Time),
            ("updated_at", Time),
        ],
    ),
];

/// The tables in an order where each comes after every table it points at
/// (pointing at itself aside). None when the references form a cycle.
pub fn order() -> Option<Vec<&'static Table>> {
    let mut placed: Vec<&'static Table> = Vec::new();
    let mut left: Vec<&'static Table> = TABLES.iter().collect();
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            t.columns
                .iter()
                .filter_map(|(_, k)| k.target())
                .all(|target| {
                    target == t.name || target == "users" || placed.iter().any(|p| p.name == target)
                })
        })?;
        placed.push(left.remove(ready));
    }
    Some(placed)
}

pub fn find(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_points_at_a_carried_table_and_an_order_exists() {
        for table in TABLES {
            for (column, kind) in table.columns {
                if let Some(target) = kind.target() {
                    assert!(
                        target == "users" || find(target).is_some(),
                        "{}.{column} points at {target}, which is not carried",
                        table.name
                    );
                }
            }
            assert!(
                table.columns.iter().any(|(_, k)| *k == Organisation),
                "{} has no organisation column",
                table.name
            );
        }
        let order = order().expect("no cycle");
        assert_eq!(order.len(), TABLES.len());
        let at = |name: &str| order.iter().position(|t| t.name == name).unwrap();
        assert!(at("units") < at("indicators"));
        assert!(at("initiatives") < at("ideas"));
        assert!(at("survey_waves") < at("initiatives"));
    }
}
