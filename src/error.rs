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
    #[error("not authenticated")]
    Unauthenticated,
    #[error("too many failed attempts")]
    Throttled { retry_after_secs: u64 },
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
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Error::NotFound,
            other => Error::Unexpected(format!("database: {other}")),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Error::Unexpected(format!("migration: {error}"))
    }
}
