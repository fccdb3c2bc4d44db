//! Presenting errors and redirects to people using the HTML pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::Error;
use crate::domain::Locale;
use crate::i18n::Tr;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    status: u16,
    title: String,
    detail: String,
}

/// An error on its way out of an HTML page.
#[derive(Debug)]
pub struct PageError {
    pub error: Error,
    pub locale: Locale,
}

impl PageError {
    pub fn new(error: Error, locale: Locale) -> Self {
        Self { error, locale }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match &self.error {
            Error::Unauthenticated => return Redirect::to("/login").into_response(),
            Error::SecondFactorRequired => {
                return Redirect::to("/account/security").into_response();
            }
            Error::Unexpected(reason) => tracing::error!(error.reason = %reason, "page failed"),
            _ => {}
        }
        let status = super::problem::status_of(&self.error);
        let problem = super::problem::Problem::from_error(&self.error, Tr::new(self.locale));
        error_page(self.locale, status, problem.title, problem.detail)
    }
}

pub fn error_page(locale: Locale, status: StatusCode, title: String, detail: String) -> Response {
    let page = ErrorPage {
        t: Tr::new(locale),
        status: status.as_u16(),
        title,
        detail,
    };
    (status, page).into_response()
}

/// A refused form (bad or missing anti-forgery token, oversized body).
pub fn refused(locale: Locale, status: StatusCode) -> Response {
    let t = Tr::new(locale);
    error_page(
        locale,
        status,
        t.get("problem.form-refused.title").to_owned(),
        t.get("problem.form-refused.detail").to_owned(),
    )
}

/// After a successful form post: 303 so a reload does not post again.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}
