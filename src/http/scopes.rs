//! Holds API tokens to their scope. The module of every operation is its
//! tag in the OpenAPI document, read once at start-up; a token call whose
//! method or module lies outside the token's scope is refused with 403
//! before any handler runs.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use utoipa::openapi::OpenApi;

use super::authenticate::{Auth, RequestMeta};
use crate::Error;

/// (method, path as in the API document) → the operation's module.
#[derive(Debug, Default)]
pub struct OperationModules(HashMap<(Method, String), String>);

impl OperationModules {
    pub fn of(openapi: &OpenApi) -> Self {
        let mut map = HashMap::new();
        for (path, item) in &openapi.paths.paths {
            let operations = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
                (Method::HEAD, &item.head),
                (Method::OPTIONS, &item.options),
            ];
            for (method, operation) in operations {
                let tag = operation
                    .as_ref()
                    .and_then(|o| o.tags.as_ref())
                    .and_then(|tags| tags.first());
                if let Some(tag) = tag {
                    map.insert((method, path.clone()), tag.clone());
                }
            }
        }
        OperationModules(map)
    }

    /// The module of the operation at `path` (relative to `/api/v1`).
    pub fn module(&self, method: &Method, path: &str) -> Option<&str> {
        // HEAD is answered by the GET handler.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.0
            .get(&(method.clone(), path.to_owned()))
            .map(String::as_str)
    }
}

pub async fn enforce(
    State(modules): State<Arc<OperationModules>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(meta) = request.extensions().get::<RequestMeta>() else {
        return next.run(request).await;
    };
    let Auth::Token(token) = &meta.auth else {
        return next.run(request).await;
    };
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().strip_prefix("/api/v1").unwrap_or(p.as_str()))
        .unwrap_or_default();
    let module = modules.module(request.method(), path);
    // A limited token may not make tokens: the new one could be wider.
    let widens = module == Some("tokens")
        && request.method() == Method::POST
        && token.scope != crate::tokens::Scope::full();
    if token.scope.allows(request.method(), module) && !widens {
        next.run(request).await
    } else {
        // Always the API: inside the nested router the path has lost its
        // `/api/v1` prefix, so `error_response` could not tell.
        super::problem::ApiError::new(Error::OutOfScope, token.locale).into_response()
    }
}
