use axum::http::{Method, StatusCode};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_readiness_answer_without_login() {
    let app = spawn_app().await;
    let mut client = app.client();
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(client.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn openapi_document_is_public_and_describes_the_api() {
    let app = spawn_app().await;
    let response = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response
            .header("content-type")
            .starts_with("application/json")
    );
    assert_eq!(response.header("api-version"), koers::http::API_VERSION);
    let doc = response.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    for path in [
        "/units",
        "/units/{id}",
        "/users",
        "/users/{id}",
        "/tokens",
        "/tokens/{id}",
        "/audit-events",
        "/organisation",
        "/me",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    // Every response of every operation declares API-Version; errors are problem+json.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(
                    response["headers"]["API-Version"].is_object(),
                    "{method} {path} {status} lacks API-Version"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is not problem+json"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = spawn_app().await;
    let mut client = app.client();
    for path in [
        "/login",
        "/api/v1/units",
        "/does-not-exist",
        "/assets/koers.css",
    ] {
        let response = client.get(path).await;
        let csp = response.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert!(!response.header("referrer-policy").is_empty(), "{path}");
    }
    assert_eq!(
        client.get("/login").await.header("cache-control"),
        "no-store"
    );
    assert_eq!(
        client.get("/api/v1/units").await.header("api-version"),
        koers::http::API_VERSION
    );
    assert!(client.get("/login").await.header("api-version").is_empty());
}

#[tokio::test]
async fn unauthenticated_api_calls_get_problem_json_401() {
    let app = spawn_app().await;
    let response = app.client().get("/api/v1/units").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.header("content-type"), "application/problem+json");
    let problem = response.json();
    assert_eq!(problem["status"], 401);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("/unauthenticated")
    );
    assert!(!problem["title"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn trailing_slashes_and_unknown_paths_are_404_not_redirects() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app
        .login("admin@alpha.test", crate::helpers::PASSWORD)
        .await;
    assert_eq!(client.get("/units/").await.status, StatusCode::NOT_FOUND);
    let api = client.get("/api/v1/units/").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert_eq!(
        client.get("/api/v1/nothing-here").await.status,
        StatusCode::NOT_FOUND
    );
    let page = client.get("/nothing-here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<main"));
}

#[tokio::test]
async fn list_endpoints_paginate_and_reject_bad_page_sizes() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app
        .login("admin@alpha.test", crate::helpers::PASSWORD)
        .await;
    for name in ["Een", "Twee", "Drie"] {
        let created = client
            .api(
                Method::POST,
                "/api/v1/units",
                Some(serde_json::json!({"name": name})),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    let page = client.get("/api/v1/units?page=2&page_size=2").await.json();
    assert_eq!(page["total"], 3);
    assert_eq!(page["page"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    for bad in ["page_size=101", "page_size=0", "page=0", "page=abc"] {
        let response = client.get(&format!("/api/v1/units?{bad}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(response.header("content-type"), "application/problem+json");
    }
    for list in [
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/audit-events",
        "/api/v1/memberships",
    ] {
        let body = client
            .get(&format!("{list}?page=1&page_size=1"))
            .await
            .json();
        assert!(
            body["items"].is_array() && body["total"].is_number(),
            "{list}: {body}"
        );
    }
}

#[tokio::test]
async fn metrics_report_requests_by_route() {
    let app = spawn_app().await;
    let mut client = app.client();
    client.get("/login").await;
    let metrics = client.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.body.contains("koers_http_requests_total"),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("route=\"/login\""));
    assert!(metrics.body.contains("koers_db_pool_connections"));
}

#[tokio::test]
async fn accessibility_statement_is_public() {
    let app = spawn_app().await;
    let response = app.client().get("/toegankelijkheid").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains("WCAG") && response.body.contains("2.1"));
}

/// OpenAPI names a schema by its type's name alone, and utoipa keeps one
/// of two types with the same name without a word: responses then get
/// checked against the wrong schema (it happened with `Trend`). Every
/// type that derives `ToSchema`, and every `page_schema!`, has its own name.
#[test]
fn schema_types_have_unique_names() {
    fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut names = Vec::new();
        for (at, _) in text.match_indices("ToSchema") {
            // The derive's type: the first `struct X` or `enum X` after it,
            // unless another attribute block closes first (a manual impl).
            let rest = &text[at..];
            let next = ["pub struct ", "pub enum ", "struct ", "enum "]
                .iter()
                .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
                .min();
            if text[..at].ends_with("impl utoipa::") || !text[..at].contains("derive(") {
                continue;
            }
            if let Some((i, len)) = next {
                let name: String = rest[i + len..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && !name.starts_with('$') {
                    names.push(name);
                }
            }
        }
        for (at, _) in text.match_indices("page_schema!(") {
            let name: String = text[at + "page_schema!(".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != "$name" {
                names.push(name);
            }
        }
        names.sort();
        names.dedup();
        for name in names {
            let place = file.display().to_string();
            if let Some(other) = seen.insert(name.clone(), place.clone()) {
                clashes.push(format!("{name}: {other} and {place}"));
            }
        }
    }
    assert!(seen.len() > 100, "found only {} schema types", seen.len());
    assert!(clashes.is_empty(), "schema names used twice: {clashes:#?}");
}
