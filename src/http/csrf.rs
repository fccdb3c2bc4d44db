//! Cross-site request forgery protection for every state-changing request.
//! Forms echo a `csrf_token` field; cookie-authenticated API calls send an
//! `X-CSRF-Token` header; bearer-token calls carry no ambient credentials and
//! need neither.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::authenticate::{Auth, RequestMeta};
use crate::auth::secret::constant_time_eq;

/// Forms are small; anything larger is refused before parsing.
const MAX_FORM_BYTES: usize = 1024 * 1024;

#[derive(serde::Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

pub async fn verify_csrf(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(meta) = request.extensions().get::<RequestMeta>().cloned() else {
        return next.run(request).await;
    };
    let locale = meta.locale();
    if request.uri().path().starts_with("/api/") {
        let Auth::Session(session) = &meta.auth else {
            return next.run(request).await;
        };
        let presented = request
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if constant_time_eq(presented, &session.csrf_token) {
            return next.run(request).await;
        }
        return super::problem::ApiError::new(crate::Error::Forbidden, locale).into_response();
    }

    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return super::page::refused(locale, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
    };
    let presented = serde_urlencoded::from_bytes::<TokenField>(&bytes)
        .map(|field| field.csrf_token)
        .unwrap_or_default();
    if presented.is_empty() || !constant_time_eq(&presented, &meta.csrf_token) {
        tracing::info!(
            csrf.outcome = "refused",
            "state-changing form without a valid token"
        );
        return super::page::refused(locale, axum::http::StatusCode::FORBIDDEN);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
