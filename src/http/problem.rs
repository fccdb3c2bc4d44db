//! API errors as `application/problem+json` (RFC 9457), one shape for
//! every route.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;
use crate::domain::Locale;
use crate::i18n::Tr;

/// One failing field in a problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvalidParam {
    /// The input field, as named in the request.
    pub name: String,
    /// A stable, machine-readable reason.
    pub code: String,
    /// The reason in the caller's language.
    pub detail: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every failing field at once (validation problems only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidParam>,
}

/// An error on its way out of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    pub locale: Locale,
}

impl ApiError {
    pub fn new(error: Error, locale: Locale) -> Self {
        Self { error, locale }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self::new(error, Locale::Nl)
    }
}

pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Invalid(_) => StatusCode::BAD_REQUEST,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Forbidden | Error::OutOfScope | Error::SecondFactorRequired => StatusCode::FORBIDDEN,
        Error::Unauthenticated | Error::SsoRefused(_) => StatusCode::UNAUTHORIZED,
        Error::Throttled { .. } | Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn slug_of(error: &Error) -> &'static str {
    match error {
        Error::NotFound => "not-found",
        Error::Invalid(_) => "invalid-input",
        Error::Conflict(_) => "conflict",
        Error::Forbidden => "forbidden",
        Error::OutOfScope => "insufficient-scope",
        Error::SecondFactorRequired => "second-factor-required",
        Error::Unauthenticated => "unauthenticated",
        Error::SsoRefused(_) => "sso-refused",
        Error::Throttled { .. } => "too-many-attempts",
        Error::RateLimited { .. } => "too-many-posts",
        Error::Unexpected(_) => "unexpected",
    }
}

impl Problem {
    pub fn from_error(error: &Error, t: Tr) -> Self {
        let status = status_of(error);
        let slug = slug_of(error);
        let errors: Vec<InvalidParam> = match error {
            Error::Invalid(fields) => fields
                .iter()
                .map(|f| InvalidParam {
                    name: f.field.clone(),
                    code: f.code.to_owned(),
                    detail: t.get(&format!("validation.{}", f.code)).to_owned(),
                })
                .collect(),
            Error::Conflict(f) => vec![InvalidParam {
                name: f.field.clone(),
                code: f.code.to_owned(),
                detail: t.get(&format!("validation.{}", f.code)).to_owned(),
            }],
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("https://koers.example/problems/{slug}"),
            title: t.get(&format!("problem.{slug}.title")).to_owned(),
            status: status.as_u16(),
            detail: t.get(&format!("problem.{slug}.detail")).to_owned(),
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Error::Unexpected(reason) = &self.error {
            // Logged once, here at the boundary; the body says nothing more.
            tracing::error!(error.reason = %reason, "request failed");
        }
        let problem = Problem::from_error(&self.error, Tr::new(self.locale));
        let status = status_of(&self.error);
        let mut response = (status, axum::Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Error::Throttled { retry_after_secs } | Error::RateLimited { retry_after_secs } =
            self.error
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        if matches!(self.error, Error::OutOfScope) {
            // RFC 6750: the token is valid but does not reach this far.
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"insufficient_scope\""),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
