//! Resolves who is asking, once per request, before any handler runs: a
//! session cookie (browser) or a bearer token (API). The result goes into
//! the request extensions as `Auth`; extractors read it from there.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::AppState;
use crate::auth::secret::{hash_secret, random_secret};
use crate::auth::{Actor, SessionContext, TokenContext};

pub const SESSION_COOKIE: &str = "koers_session";
/// Anti-forgery token for forms shown before login (double-submit cookie).
pub const CSRF_COOKIE: &str = "koers_csrf";

/// How often `last_seen_at` is written back: often enough for the idle
/// timeout, rarely enough that reads stay reads.
const TOUCH_INTERVAL: time::Duration = time::Duration::seconds(60);

#[derive(Debug, Clone)]
pub enum Auth {
    Anonymous,
    Session(Box<SessionContext>),
    Token(Box<TokenContext>),
}

/// Facts about the request every handler may need.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub auth: Auth,
    pub client_address: String,
    /// The token forms must echo back: the session's, or before login the
    /// `koers_csrf` cookie's.
    pub csrf_token: String,
    pub locale_from_header: crate::domain::Locale,
}

impl RequestMeta {
    pub fn actor(&self) -> Option<Actor> {
        let address = Some(self.client_address.clone());
        match &self.auth {
            Auth::Anonymous => None,
            Auth::Session(session) => Some(session.actor(address)),
            Auth::Token(token) => Some(token.actor(address)),
        }
    }

    pub fn session(&self) -> Option<&SessionContext> {
        match &self.auth {
            Auth::Session(session) => Some(session),
            _ => None,
        }
    }

    pub fn locale(&self) -> crate::domain::Locale {
        match &self.auth {
            Auth::Anonymous => self.locale_from_header,
            Auth::Session(session) => session.locale,
            Auth::Token(token) => token.locale,
        }
    }
}

pub async fn authenticate(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let client_address = client_address(&state, &request);
    let path = request.uri().path().to_owned();
    let locale_from_header = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(crate::domain::Locale::Nl, crate::domain::Locale::negotiate);

    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);

    let mut clear_session_cookie = false;
    let auth = if let Some(token) = bearer {
        match resolve_token(&state, &token).await {
            Ok(Some(context)) => Auth::Token(Box::new(context)),
            Ok(None) => Auth::Anonymous,
            Err(error) => return super::error_response(&request, error, locale_from_header),
        }
    } else if let Some(cookie) = jar.get(SESSION_COOKIE) {
        match resolve_session(&state, cookie.value()).await {
            Ok(Some(context)) => Auth::Session(Box::new(context)),
            Ok(None) => {
                clear_session_cookie = true;
                Auth::Anonymous
            }
            Err(error) => return super::error_response(&request, error, locale_from_header),
        }
    } else {
        Auth::Anonymous
    };

    // Pages shown before login get their anti-forgery token from a cookie;
    // API calls and static assets never need one.
    let wants_csrf_cookie = !path.starts_with("/api/") && !path.starts_with("/assets/");
    let mut new_csrf_cookie = None;
    let csrf_token = match &auth {
        Auth::Session(session) => session.csrf_token.clone(),
        _ => match jar.get(CSRF_COOKIE) {
            Some(cookie) if !cookie.value().is_empty() => cookie.value().to_owned(),
            _ if wants_csrf_cookie => {
                let token = random_secret();
                new_csrf_cookie = Some(token.clone());
                token
            }
            _ => String::new(),
        },
    };

    request.extensions_mut().insert(RequestMeta {
        auth,
        client_address,
        csrf_token,
        locale_from_header,
    });
    let mut response = next.run(request).await;

    let secure = state.settings().cookie_secure;
    let headers = response.headers_mut();
    if clear_session_cookie && !headers.contains_key(header::SET_COOKIE) {
        let removal = session_cookie(String::new(), secure, Some(time::Duration::ZERO));
        if let Ok(value) = removal.to_string().parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    if let Some(token) = new_csrf_cookie {
        let cookie = Cookie::build((CSRF_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .build();
        if let Ok(value) = cookie.to_string().parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure over TLS.
pub fn session_cookie(
    value: String,
    secure: bool,
    max_age: Option<time::Duration>,
) -> Cookie<'static> {
    login_cookie(SESSION_COOKIE, "/", value, secure, max_age)
}

/// A cookie of the login steps: HttpOnly, SameSite=Lax, only sent to
/// `path`; without `max_age` it lasts as long as the browser session.
pub fn login_cookie(
    name: &'static str,
    path: &'static str,
    value: String,
    secure: bool,
    max_age: Option<time::Duration>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    if let Some(age) = max_age {
        cookie.set_max_age(age);
    }
    cookie
}

async fn resolve_session(
    state: &AppState,
    cookie_value: &str,
) -> crate::Result<Option<SessionContext>> {
    let id_hash = hash_secret(cookie_value);
    let Some(session) = state.store().session_context(&id_hash).await? else {
        return Ok(None);
    };
    let now = state.clock().now();
    let settings = state.settings();
    let idle_expired = now - session.last_seen_at > settings.session_idle;
    let absolute_expired = now - session.created_at > settings.session_absolute;
    if idle_expired || absolute_expired {
        state.store().delete_session(&id_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_INTERVAL {
        state.store().touch_session(&id_hash, now).await?;
    }
    Ok(Some(session))
}

async fn resolve_token(state: &AppState, token: &str) -> crate::Result<Option<TokenContext>> {
    let now = state.clock().now();
    let Some(context) = state
        .store()
        .token_context(&hash_secret(token), now)
        .await?
    else {
        return Ok(None);
    };
    if context
        .last_used_at
        .is_none_or(|at| now - at > TOUCH_INTERVAL)
    {
        state.store().mark_token_used(context.token_id, now).await?;
    }
    Ok(Some(context))
}

fn client_address(state: &AppState, request: &Request) -> String {
    if state.settings().trust_forwarded_for
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return forwarded.trim().to_owned();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}
