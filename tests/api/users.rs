use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn an_admin_adds_a_person_who_sets_a_password_through_the_invitation() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let added = admin
        .api(Method::POST, "/api/v1/users", Some(json!({"email": "Nieuw@Alpha.test", "name": "Nina Nieuw", "role": "programme_lead"})))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let added = added.json();
    assert_eq!(added["member"]["email"], "nieuw@alpha.test");
    assert_eq!(added["member"]["has_password"], false);
    let url = added["invitation"]["url"].as_str().unwrap();
    let path = url.strip_prefix("http://koers.test").unwrap().to_owned();

    let mut newcomer = app.client();
    let page = newcomer.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Gemeente Alpha"));
    let mismatch = newcomer
        .post_form(
            &path,
            &[
                ("password", "een lang genoeg wachtwoord"),
                ("password_confirmation", "iets anders"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert!(mismatch.body.contains("id=\"password_confirmation-error\""));
    let short = newcomer
        .post_form(
            &path,
            &[("password", "kort"), ("password_confirmation", "kort")],
        )
        .await;
    assert!(short.body.contains("id=\"password-error\""));
    let accepted = newcomer
        .post_form(
            &path,
            &[
                ("password", "een lang genoeg wachtwoord"),
                ("password_confirmation", "een lang genoeg wachtwoord"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    // The link works once.
    assert_eq!(newcomer.get(&path).await.status, StatusCode::NOT_FOUND);
    let mut logged_in = app
        .login("nieuw@alpha.test", "een lang genoeg wachtwoord")
        .await;
    assert_eq!(
        logged_in.get("/api/v1/me").await.json()["role"],
        "programme_lead"
    );
}

#[tokio::test]
async fn adding_validates_all_fields_and_refuses_duplicates() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let before = app.count("users").await;
    let invalid = admin
        .api(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "geen-adres", "name": "", "role": "baas"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names = invalid.error_names();
    assert_eq!(names, ["email", "name", "role"]);
    assert_eq!(app.count("users").await, before);
    let duplicate = admin
        .api(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "viewer@alpha.test", "name": "Dubbel", "role": "viewer"})),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["errors"][0]["code"], "already_member");
}

#[tokio::test]
async fn a_person_from_another_organisation_is_added_without_exposing_their_account() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let added = beta
        .api(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "executive@alpha.test", "name": "Andere Naam", "role": "viewer"})),
        )
        .await
        .json();
    // Their existing name and password stay; no invitation is needed.
    assert_eq!(added["member"]["name"], "Test executive");
    assert!(added["invitation"].is_null());
}

#[tokio::test]
async fn roles_change_deactivation_ends_access_and_the_last_admin_stays() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let list = admin.get("/api/v1/users?search=viewer").await.json();
    let viewer_id = list["items"][0]["id"].as_i64().unwrap();
    let me = admin.get("/api/v1/me").await.json();
    let admin_id = me["id"].as_i64().unwrap();

    let promoted = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{viewer_id}"),
            Some(json!({"role": "unit_lead"})),
        )
        .await
        .json();
    assert_eq!(promoted["role"], "unit_lead");
    assert_eq!(viewer.get("/api/v1/me").await.json()["role"], "unit_lead");

    let deactivated = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{viewer_id}"),
            Some(json!({"active": false})),
        )
        .await
        .json();
    assert_eq!(deactivated["active"], false);
    assert_eq!(
        viewer.get("/").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    assert_eq!(
        app.client()
            .login("viewer@alpha.test", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let last = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{admin_id}"),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert_eq!(last.json()["errors"][0]["code"], "last_admin");

    let audit = admin
        .get("/api/v1/audit-events?entity_type=membership&action=update")
        .await
        .json();
    assert_eq!(audit["total"], 2);
    assert_eq!(audit["items"][0]["changes"]["before"]["active"], true);
    assert_eq!(audit["items"][0]["changes"]["after"]["active"], false);
}

#[tokio::test]
async fn people_pages_search_and_edit() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let list = admin.get("/admin/users?search=unit_lead").await;
    assert!(list.body.contains("unit_lead@alpha.test"));
    assert!(!list.body.contains("viewer@alpha.test"));
    let added = admin
        .post_form(
            "/admin/users",
            &[
                ("name", "Piet Pagina"),
                ("email", "piet@alpha.test"),
                ("role", "employee"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    assert!(
        added.body.contains("http://koers.test/invitation/"),
        "invitation link shown once"
    );
    let invalid = admin
        .post_form(
            "/admin/users",
            &[("name", ""), ("email", "x"), ("role", "employee")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(
        invalid.body.contains("id=\"email-error\"") && invalid.body.contains("id=\"name-error\"")
    );
    let mut unit_lead = app.login("unit_lead@alpha.test", PASSWORD).await;
    let readonly = unit_lead.get("/admin/users").await;
    assert_eq!(readonly.status, StatusCode::OK);
    assert!(
        !readonly
            .body
            .contains("method=\"post\" action=\"/admin/users\""),
        "unit leads see people but cannot add"
    );
}

#[tokio::test]
async fn everyone_edits_their_own_profile_and_language() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let saved = viewer
        .post_form("/account", &[("name", "Vera Viewer"), ("locale", "en")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = viewer.get("/account").await;
    assert!(
        page.body.contains("lang=\"en\"") && page.body.contains("Your account has been saved.")
    );
    let bad = viewer
        .api(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "fr", "name": ""})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        bad.json()["title"],
        "Invalid input",
        "problem texts follow the user's language"
    );
}
