use serde::Serialize;

/// One failing input field. `code` is stable and machine-readable; the
/// message shown to people is looked up as `validation.<code>` in the
/// locale files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }
}

/// Collects every failing field so that a form or API call reports them all
/// at once instead of one per round trip.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of a failed parse and returns the value if it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, &'static str>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(code) => {
                self.errors.push(FieldError::new(field, code));
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, code: &'static str) {
        self.errors.push(FieldError::new(field, code));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// A list of ids, each once, in the order given (so that an error on
    /// item `i` names the item as sent); more than `max` is an error.
    pub fn ids(&mut self, field: &str, given: &[i64], max: usize) -> Vec<i64> {
        if given.len() > max {
            self.add(field, "too_many_values");
        }
        let mut out: Vec<i64> = Vec::with_capacity(given.len());
        for id in given {
            if !out.contains(id) {
                out.push(*id);
            }
        }
        out
    }

    /// Whether a field has an error already.
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Free text, trimmed, of at most `max` characters; line breaks and
    /// tabs are allowed, other control characters are not. May be empty.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.chars().count() > max {
            self.add(field, "too_long");
        } else if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.add(field, "control_characters");
        }
        trimmed.to_owned()
    }

    /// One line of text, trimmed, of at most `max` characters and without
    /// any control character. May be empty.
    pub fn line(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.chars().count() > max {
            self.add(field, "too_long");
        } else if trimmed.chars().any(char::is_control) {
            self.add(field, "control_characters");
        }
        trimmed.to_owned()
    }

    /// A calendar date (`YYYY-MM-DD` or `dd-mm-jjjj`) as days since
    /// 1970-01-01, the way the store keeps dates.
    pub fn day(&mut self, field: &str, input: &str) -> Option<i64> {
        self.check(field, super::Period::parse(super::Frequency::Day, input))
            .map(|p| p.day_number())
    }

    /// Finishes validation: `Ok(value)` only when nothing failed.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, crate::Error> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(crate::Error::Invalid(self.errors)),
        }
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}

/// Every validation code the services can produce; each needs a
/// `validation.<code>` text in every language (a test checks).
pub const CODES: &[&str] = &[
    "issuer_url",
    "scope_name",
    "claim_name",
    "role_rule",
    "default_role_admin",
    "needs_sso_enabled",
    "sso_login_first",
    "secret_key_missing",
    "secret_for_new_provider",
    "sso_unknown_organisation",
    "sso_not_available",
    "required",
    "too_long",
    "control_characters",
    "email",
    "slug",
    "slug_length",
    "password_too_short",
    "password_mismatch",
    "unknown_choice",
    "page_number",
    "page_size",
    "json_content_type",
    "json_syntax",
    "json_shape",
    "query_shape",
    "form_shape",
    "unknown_parent",
    "parent_archived",
    "cycle",
    "taken",
    "has_active_children",
    "last_admin",
    "already_member",
    "inactive_member",
    "expiry_days",
    "code_wrong",
    "second_factor_on",
    "second_factor_not_started",
    "indicator_code",
    "immutable",
    "out_of_bounds",
    "max_not_above_min",
    "range_invalid",
    "period_format",
    "period_invalid",
    "report_period_future",
    "archive_format",
    "archive_version",
    "file_name",
    "sqlite_only",
    "reason_required_for_revision",
    "owner_cannot_record",
    "unknown_member",
    "unknown_unit",
    "duplicate_period",
    "batch_too_large",
    "number",
    "file_encoding",
    "file_empty",
    "file_unreadable",
    "missing_column",
    "too_many_rows",
    "unknown_indicator",
    "control_is_target",
    "control_is_affected",
    "control_frequency",
    "control_computed_with_target",
    "not_permitted",
    "note_required_off_track",
    "rollup_frequency",
    "computed_indicator",
    "formula_syntax",
    "formula_without_indicator",
    "formula_with_dimensions",
    "formula_unknown_indicator",
    "formula_nested",
    "formula_frequency",
    "formula_self",
    "formula_has_measurements",
    "too_many_dimensions",
    "too_many_values",
    "dimension_name",
    "dimension_reserved",
    "duplicate_dimension",
    "dimension_value",
    "dimension_in_use",
    "unknown_dimension",
    "unknown_dimension_value",
    "ends_before_start",
    "before_current_term",
    "changed_meanwhile",
    "edit_conflict",
    "anchor_format",
    "already_confirmed",
    "term_ended",
    "before_term",
    "in_future",
    "unknown_body",
    "unknown_ambition",
    "money",
    "stage_final",
    "stage_move_not_allowed",
    "learning_required",
    "own_money_is_granted",
    "builtin_framework",
    "too_few_levels",
    "too_many_levels",
    "competence_code",
    "fte",
    "unknown_competence",
    "duplicate_competence",
    "level_out_of_scale",
    "unknown_role_profile",
    "nothing_assessed",
    "levels_in_use",
    "inactive_employee",
    "duplicate_number",
    "ambiguous_unit",
    "yes_or_no",
    "in_use",
    "unknown_learning_action",
    "group_unit_or_role",
    "unknown_item",
    "duplicate_item",
    "no_statement",
    "too_many_items",
    "wave_closed",
    "wave_not_open",
    "already_answered",
    "mail_not_configured",
    "inactive_intervention",
    "not_a_web_address",
    "campaign_not_open",
    "gdpr_basis_required",
    "duplicate_value",
    "rating_range",
    "personal_data_not_open",
    "unknown_service",
    "maturity_range",
    "lead_time_range",
    "digital_channel_needed",
    "unknown_initiative",
    "volumes_tracked_already",
    "figure_code_in_use",
    "edit_window_closed",
    "own_idea",
    "state_move_not_allowed",
    "already_promoted",
    "not_accepted",
    "nothing_answered",
];
