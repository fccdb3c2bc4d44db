//! Snapshots of what clients depend on: the shape of errors, the list of
//! operations, an audit event. Ids and times are redacted.

use axum::http::Method;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn validation_problem() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let response = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "", "parent_id": -1})),
        )
        .await;
    insta::assert_json_snapshot!(response.json());
}

#[tokio::test]
async fn api_operations() {
    let app = spawn_app().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let mut statuses: Vec<&String> =
                operation["responses"].as_object().unwrap().keys().collect();
            statuses.sort();
            operations.push(format!(
                "{} {path} {} {statuses:?}",
                method.to_uppercase(),
                operation["operationId"].as_str().unwrap()
            ));
        }
    }
    operations.sort();
    insta::assert_snapshot!(operations.join("\n"));
}

#[tokio::test]
async fn audit_event_of_a_rename() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let unit = admin
        .api(Method::POST, "/api/v1/units", Some(json!({"name": "Oud"})))
        .await
        .json();
    admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{}", unit["id"]),
            Some(json!({"name": "Nieuw"})),
        )
        .await;
    let events = admin
        .get("/api/v1/audit-events?entity_type=unit&page_size=1")
        .await
        .json();
    insta::assert_json_snapshot!(events, {
        ".items[].id" => "[id]",
        ".items[].entity_id" => "[id]",
        ".items[].occurred_at" => "[time]",
    });
}
