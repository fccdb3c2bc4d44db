use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn every_write_leaves_one_audit_event_without_secrets() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let before = app.audit_count().await;
    admin
        .api(Method::POST, "/api/v1/units", Some(json!({"name": "Team"})))
        .await;
    admin
        .api(
            Method::PATCH,
            "/api/v1/organisation",
            Some(json!({"name": "Gemeente Alpha-Dorp"})),
        )
        .await;
    let token = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "geheim", "access": "write"})),
        )
        .await
        .json();
    admin
        .api(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "x@alpha.test", "name": "X", "role": "viewer"})),
        )
        .await;
    // unit, organisation, token, membership + invitation
    assert_eq!(app.audit_count().await, before + 5);
    let log = admin.get("/api/v1/audit-events?page_size=100").await;
    assert!(!log.body.contains(token["secret"].as_str().unwrap()));
    assert!(!log.body.contains("token_hash") && !log.body.contains("password_hash"));
    let organisation = admin
        .get("/api/v1/audit-events?entity_type=organisation&action=update")
        .await
        .json();
    assert_eq!(
        organisation["items"][0]["changes"]["before"]["name"],
        "Gemeente Alpha"
    );
    assert_eq!(
        organisation["items"][0]["changes"]["after"]["name"],
        "Gemeente Alpha-Dorp"
    );
}

#[tokio::test]
async fn an_unchanged_save_writes_no_event() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let before = app.audit_count().await;
    let same = admin
        .api(
            Method::PATCH,
            "/api/v1/organisation",
            Some(json!({"name": "Gemeente Alpha"})),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn the_audit_page_filters_and_only_admins_see_it() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    admin
        .post_form("/units", &[("name", "Zichtbaar in log")])
        .await;
    let page = admin.get("/admin/audit?entity_type=unit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zichtbaar in log"));
    assert!(!page.body.contains(">login<"), "filtered to units");
    let by_actor = admin.get("/admin/audit?actor=nobody").await;
    assert!(by_actor.body.contains("Geen gebeurtenissen gevonden."));
    let mut executive = app.login("executive@alpha.test", PASSWORD).await;
    assert_eq!(
        executive.get("/api/v1/audit-events").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        executive.get("/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
}
