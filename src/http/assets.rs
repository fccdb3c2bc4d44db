//! Front-end assets, embedded in the binary: nothing is fetched at run time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (path under /assets/, content type, bytes)
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "koers.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/koers.css"),
    ),
    (
        "vendor/utrecht-component-library.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/vendor/utrecht-component-library.css"),
    ),
    (
        "vendor/design-tokens.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/vendor/design-tokens.css"),
    ),
    (
        "vendor/htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/htmx.min.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/favicon.svg"),
    ),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, bytes)) => {
            ([(header::CONTENT_TYPE, *content_type)], *bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
