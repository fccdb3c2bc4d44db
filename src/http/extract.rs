//! Extractors that turn a request into what handlers need: the acting
//! member, the page shell, and input whose rejections are presented the
//! same way as every other error.

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppState;
use super::authenticate::{Auth, RequestMeta};
use super::page::PageError;
use super::problem::ApiError;
use super::shell::Shell;
use crate::Error;
use crate::auth::{Actor, SessionContext};
use crate::domain::{FieldError, Locale};
use crate::i18n::Tr;
use crate::organisations::Membership;

fn meta(parts: &Parts) -> Result<&RequestMeta, Error> {
    parts
        .extensions
        .get::<RequestMeta>()
        .ok_or_else(|| Error::Unexpected("authentication layer missing".into()))
}

fn locale_of(parts: &Parts) -> Locale {
    parts
        .extensions
        .get::<RequestMeta>()
        .map_or(Locale::Nl, RequestMeta::locale)
}

/// The member calling the JSON API (token or session); 401 otherwise.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let meta = meta(parts).map_err(ApiError::from)?;
        let required = match &meta.auth {
            Auth::Session(session) => session.second_factor_required,
            Auth::Token(token) => token.second_factor_required,
            Auth::Anonymous => false,
        };
        if required {
            return Err(ApiError::new(Error::SecondFactorRequired, meta.locale()));
        }
        meta.actor()
            .map(ApiActor)
            .ok_or_else(|| ApiError::new(Error::Unauthenticated, meta.locale()))
    }
}

/// A logged-in person on an HTML page, with what the shell shows.
pub struct PageContext {
    pub actor: Actor,
    pub session: SessionContext,
    pub t: Tr,
    memberships: Vec<Membership>,
    flash: Option<String>,
    /// Notifications not read yet, shown beside the user's name.
    pub unread: i64,
}

impl PageContext {
    pub fn shell(&self, title: &str, section: &str) -> Shell {
        let mut shell = Shell::signed_in(
            self.t,
            title,
            section,
            &self.session,
            &self.memberships,
            &self.actor,
            self.flash.clone(),
        );
        shell.unread = self.unread;
        shell
    }

    pub fn error(&self, error: Error) -> PageError {
        PageError::new(error, self.t.locale)
    }

    /// Leaves a one-time message for the next page.
    pub async fn flash(&self, state: &AppState, key: &str) -> Result<(), PageError> {
        state
            .store()
            .set_flash(&self.session.id_hash, Some(key))
            .await
            .map_err(|e| self.error(e))
    }
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let locale = locale_of(parts);
        let meta = meta(parts).map_err(|e| PageError::new(e, locale))?;
        let Auth::Session(session) = &meta.auth else {
            return Err(PageError::new(Error::Unauthenticated, locale));
        };
        let path = parts.uri.path();
        if session.second_factor_required
            && !path.starts_with("/account/security")
            && path != "/logout"
        {
            return Err(PageError::new(Error::SecondFactorRequired, locale));
        }
        let session = session.as_ref().clone();
        let actor = session.actor(Some(meta.client_address.clone()));
        let t = Tr::new(session.locale);
        let memberships = if session.membership_count > 1 {
            state
                .store()
                .memberships_of(session.user_id)
                .await
                .map_err(|e| PageError::new(e, locale))?
        } else {
            Vec::new()
        };
        let flash = match &session.flash {
            Some(key) => {
                state
                    .store()
                    .set_flash(&session.id_hash, None)
                    .await
                    .map_err(|e| PageError::new(e, locale))?;
                Some(t.get(key).to_owned())
            }
            None => None,
        };
        let unread = state
            .store()
            .unread_notifications(actor.organisation_id, actor.user_id)
            .await
            .map_err(|e| PageError::new(e, locale))?;
        Ok(PageContext {
            actor,
            session,
            t,
            memberships,
            flash,
            unread,
        })
    }
}

/// Anyone, logged in or not, on a public page (login, accessibility).
pub struct Visitor {
    pub t: Tr,
    pub csrf_token: String,
    pub client_address: String,
    pub session: Option<SessionContext>,
}

impl Visitor {
    pub fn shell(&self, title: &str) -> Shell {
        Shell::public(self.t, title, &self.csrf_token, self.session.as_ref())
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let locale = locale_of(parts);
        let meta = meta(parts).map_err(|e| PageError::new(e, locale))?;
        Ok(Visitor {
            t: Tr::new(meta.locale()),
            csrf_token: meta.csrf_token.clone(),
            client_address: meta.client_address.clone(),
            session: meta.session().cloned(),
        })
    }
}

/// JSON body; malformed JSON becomes a 400 problem, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let locale = request
            .extensions()
            .get::<RequestMeta>()
            .map_or(Locale::Nl, RequestMeta::locale);
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::new(json_problem(&rejection), locale)),
        }
    }
}

fn json_problem(rejection: &JsonRejection) -> Error {
    let code = match rejection {
        JsonRejection::MissingJsonContentType(_) => "json_content_type",
        JsonRejection::JsonSyntaxError(_) => "json_syntax",
        _ => "json_shape",
    };
    Error::Invalid(vec![FieldError::new("body", code)])
}

/// Query parameters; bad ones become a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let locale = locale_of(parts);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(_) | _) => Err(ApiError::new(
                Error::Invalid(vec![FieldError::new("query", "query_shape")]),
                locale,
            )),
        }
    }
}

/// Query parameters of a page; bad ones fall back to the defaults.
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned + Default + Send> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageQuery(
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map(|q| q.0)
                .unwrap_or_default(),
        ))
    }
}

/// An urlencoded form body; the anti-forgery token was already checked.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let locale = request
            .extensions()
            .get::<RequestMeta>()
            .map_or(Locale::Nl, RequestMeta::locale);
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(FormRejection::InvalidFormContentType(_) | _) => Err(PageError::new(
                Error::Invalid(vec![FieldError::new("form", "form_shape")]),
                locale,
            )),
        }
    }
}

/// A path parameter; one that does not parse names nothing, so 404.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let locale = locale_of(parts);
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|_| ApiError::new(Error::NotFound, locale))
    }
}

/// A path parameter of a page; one that does not parse is a 404 page.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let locale = locale_of(parts);
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| PagePath(p.0))
            .map_err(|_| PageError::new(Error::NotFound, locale))
    }
}

/// The language a request is answered in (for endpoints without a caller).
pub struct RequestLocale(pub Locale);

impl FromRequestParts<AppState> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(RequestLocale(locale_of(parts)))
    }
}
