//! One log line per request, for operators: who (pseudonymous ids), what
//! (method and route pattern), the result (status), from where (the
//! network, not the address) and how long; the time comes with every log
//! line. Never secrets or personal data: the route pattern stands in for
//! the path, so survey and invitation links (secrets in the path) and
//! query strings stay out, and people appear as ids, not names or e-mail
//! addresses. The audit log keeps the full record of changes.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use super::authenticate::{Auth, RequestMeta};

/// (user id, organisation id, how they authenticated) of the request.
fn who(meta: Option<&RequestMeta>) -> (Option<i64>, Option<i64>, &'static str) {
    match meta.map(|m| &m.auth) {
        Some(Auth::Session(session)) => (
            Some(session.user_id.0),
            Some(session.organisation_id.0),
            "session",
        ),
        Some(Auth::Token(token)) => (
            Some(token.user_id.0),
            Some(token.organisation_id.0),
            "token",
        ),
        _ => (None, None, "anonymous"),
    }
}

pub async fn log_request(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let meta = request.extensions().get::<RequestMeta>();
    let (user, organisation, via) = who(meta);
    // Only a real address becomes a network; anything else (a forwarded
    // value with a port, a name) is not written down at all.
    let network = meta
        .filter(|m| m.client_address.parse::<std::net::IpAddr>().is_ok())
        .map_or_else(
            || "unknown".to_owned(),
            |m| crate::auth::signals::network_of(&m.client_address),
        );
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    tracing::info!(
        http.method = %method,
        http.route = %route,
        http.status = status,
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        actor.user_id = user,
        actor.organisation_id = organisation,
        actor.via = via,
        origin.network = %network,
        "request"
    );
    response
}
