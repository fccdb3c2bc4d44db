use crate::domain::FieldError;

/// Every failure a service can report, in domain terms. The HTTP layer
/// presents it as `application/problem+json` (API) or as a page (HTML).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The request clashes with the current state, e.g. a duplicate name.
    #[error("conflict: {0:?}")]
    Conflict(FieldError),
    #[error("forbidden")]
    Forbidden,
    /// An API token was used outside its scope (read only, or limited to
    /// other modules).
    #[error("outside the token's scope")]
    OutOfScope,
    /// The organisation requires a second factor of its administrators and
    /// this one has none yet: they must set it up before anything else.
    #[error("second factor required")]
    SecondFactorRequired,
    #[error("not authenticated")]
    Unauthenticated,
    /// A single sign-on login was refused; the code (see
    /// `sso::refusal`) says why.
    #[error("single sign-on refused: {0}")]
    SsoRefused(&'static str),
    #[error("too many failed attempts")]
    Throttled { retry_after_secs: u64 },
    /// Someone posted more than the hourly limit allows.
    #[error("posting too often")]
    RateLimited { retry_after_secs: u64 },
    #[error("unexpected: {0}")]
    Unexpected(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: &str, code: &'static str) -> Self {
        Error::Invalid(vec![FieldError::new(field, code)])
    }

    pub fn conflict(field: &str, code: &'static str) -> Self {
        Error::Conflict(FieldError::new(field, code))
    }

    /// The same error with its invalid fields renamed where `rename` says so,
    /// for forms that name fields differently from the API. When renaming
    /// makes two fields one, the first message stays.
    #[must_use]
    pub fn rename_fields(self, rename: impl Fn(&str) -> Option<String>) -> Self {
        let Error::Invalid(fields) = self else {
            return self;
        };
        let mut out: Vec<FieldError> = Vec::with_capacity(fields.len());
        for mut field in fields {
            if let Some(name) = rename(&field.field) {
                field.field = name;
            }
            if !out.iter().any(|f| f.field == field.field) {
                out.push(field);
            }
        }
        Error::Invalid(out)
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Error::NotFound,
            sqlx::Error::Database(db) => Error::Unexpected(describe_database_error(db.as_ref())),
            other => Error::Unexpected(format!("database: {other}")),
        }
    }
}

/// A database error for the log: its code, the constraint and, outside
/// PostgreSQL's data exceptions (class 22, whose messages quote the value
/// that did not fit), the message. Values never get in: PostgreSQL keeps
/// them in the detail, which is left out, and SQLite names only columns.
fn describe_database_error(db: &dyn sqlx::error::DatabaseError) -> String {
    let code = db.code().unwrap_or_default();
    let constraint = db.constraint().unwrap_or("-");
    let message = if code.starts_with("22") && code.len() == 5 {
        "data exception"
    } else {
        db.message()
    };
    format!("database: code {code}, constraint {constraint}: {message}")
}

impl Error {
    /// A document Koers stored itself can no longer be read: where in the
    /// text and what kind of fault, never the text (serde's own message
    /// quotes the value, which may be a name or typed text).
    pub fn unreadable(what: &str, error: &serde_json::Error) -> Self {
        Error::Unexpected(format!(
            "{what} unreadable: {:?} fault at line {}, column {}",
            error.classify(),
            error.line(),
            error.column()
        ))
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Error::Unexpected(format!("migration: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_stored_document_is_described_without_its_text() {
        let fault = serde_json::from_str::<Vec<i64>>(r#"["Jan Jansen"]"#).unwrap_err();
        assert!(fault.to_string().contains("Jan Jansen"), "serde quotes it");
        let Error::Unexpected(reason) = Error::unreadable("stored list", &fault) else {
            panic!("unexpected")
        };
        assert_eq!(
            reason,
            "stored list unreadable: Data fault at line 1, column 13"
        );
    }

    #[test]
    fn renamed_fields_merge_and_other_errors_pass_through() {
        let error = Error::Invalid(vec![
            FieldError::new("dimensions[0].name", "dimension_name"),
            FieldError::new("dimensions[1].values", "required"),
            FieldError::new("name", "required"),
        ]);
        let renamed =
            error.rename_fields(|f| f.starts_with("dimensions").then(|| "dimensions".to_owned()));
        let Error::Invalid(fields) = renamed else {
            panic!("still invalid")
        };
        assert_eq!(
            fields,
            vec![
                FieldError::new("dimensions", "dimension_name"),
                FieldError::new("name", "required")
            ]
        );
        assert!(matches!(
            Error::Forbidden.rename_fields(|_| Some("x".into())),
            Error::Forbidden
        ));
    }
}
