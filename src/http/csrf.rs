//! Cross-site request forgery protection for every state-changing request.
//! Forms echo a `csrf_token` field; cookie-authenticated API calls send an
//! `X-CSRF-Token` header; bearer-token calls carry no ambient credentials and
//! need neither.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::extract::{FromRequest as _, Multipart};
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::authenticate::{Auth, RequestMeta};
use crate::auth::secret::constant_time_eq;

/// Forms are small; anything larger is refused before parsing.
const MAX_FORM_BYTES: usize = 1024 * 1024;
/// File uploads (spreadsheets of measurements) may be larger.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

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
    let multipart = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("multipart/form-data"))
        .map(str::to_owned);
    let limit = if multipart.is_some() {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let Ok(bytes) = to_bytes(body, limit).await else {
        return super::page::refused(locale, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
    };
    let presented = match multipart {
        Some(content_type) => multipart_token(&content_type, bytes.clone()).await,
        None => serde_urlencoded::from_bytes::<TokenField>(&bytes)
            .map(|field| field.csrf_token)
            .unwrap_or_default(),
    };
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

/// The `csrf_token` field of a multipart form, wherever it sits in the body.
async fn multipart_token(content_type: &str, bytes: axum::body::Bytes) -> String {
    let Ok(request) = Request::builder()
        .header(CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
    else {
        return String::new();
    };
    let Ok(mut form) = Multipart::from_request(request, &()).await else {
        return String::new();
    };
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf_token") {
            return field.text().await.unwrap_or_default();
        }
    }
    String::new()
}
