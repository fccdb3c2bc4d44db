use axum::http::{Method, StatusCode};
use serde_json::json;
use time::Duration;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn tokens_act_as_their_owner_until_revoked_or_expired() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let created = employee
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "rapportage", "expires_in_days": 30})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let created = created.json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("koers_"));

    let mut script = app.token_client(&secret);
    let me = script.get("/api/v1/me").await.json();
    assert_eq!(me["email"], "employee@alpha.test");
    // The token has the owner's rights, no more.
    let forbidden = script
        .api(Method::POST, "/api/v1/units", Some(json!({"name": "x"})))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // The secret is never shown again and only its hash is stored.
    let listed = employee.get("/api/v1/tokens").await;
    assert!(!listed.body.contains(&secret));
    assert!(listed.json()["items"][0]["last_used_at"].is_string());

    app.clock.advance(Duration::days(31));
    assert_eq!(
        script.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "expired"
    );

    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let second = employee
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "tweede"})),
        )
        .await
        .json();
    let mut script = app.token_client(second["secret"].as_str().unwrap());
    assert_eq!(script.get("/api/v1/me").await.status, StatusCode::OK);
    let revoked = employee
        .api(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", second["token"]["id"]),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(
        script.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
    // Revoking again changes nothing and logs nothing.
    let events = app.audit_count().await;
    let again = employee
        .api(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", second["token"]["id"]),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["revoked_at"], revoked.json()["revoked_at"]);
    assert_eq!(app.audit_count().await, events);
}

#[tokio::test]
async fn token_input_is_validated() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let bad = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "", "expires_in_days": 9999})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let codes = bad.error_codes();
    assert_eq!(codes, ["required", "expiry_days"]);
    assert_eq!(app.count("api_tokens").await, 0);
}

#[tokio::test]
async fn the_tokens_page_creates_shows_once_and_revokes() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    assert!(
        viewer
            .get("/account/tokens")
            .await
            .body
            .contains("Je hebt nog geen API-tokens.")
    );
    let created = viewer
        .post_form(
            "/account/tokens",
            &[("name", "Excel-koppeling"), ("expires_in_days", "90")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(created.body.contains("id=\"new-token-secret\">koers_"));
    let again = viewer.get("/account/tokens").await;
    assert!(!again.body.contains("id=\"new-token-secret\""));
    let id = viewer.get("/api/v1/tokens").await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let revoked = viewer
        .post_form(&format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert!(
        viewer
            .get("/account/tokens")
            .await
            .body
            .contains("Ingetrokken")
    );
    let invalid = viewer
        .post_form(
            "/account/tokens",
            &[("name", ""), ("expires_in_days", "veel")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(
        invalid.body.contains("id=\"expires_in_days-error\"")
            && invalid.body.contains("id=\"name-error\"")
    );
}
