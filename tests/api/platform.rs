//! Installation-wide administration: creating organisations with their
//! first admin.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

async fn platform_admin(app: &crate::helpers::TestApp) -> crate::helpers::Client {
    let (alpha, _) = app.two_organisations().await;
    let id = app
        .add_member(&alpha, "platform@alpha.test", "viewer")
        .await;
    let meta = koers::store::AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "test".into(),
        client_address: None,
        at: app.state.clock().now(),
    };
    app.state
        .store()
        .set_platform_admin(&meta, koers::domain::UserId(id), true)
        .await
        .unwrap();
    app.login("platform@alpha.test", PASSWORD).await
}

#[tokio::test]
async fn a_platform_admin_creates_an_organisation_whose_admin_gets_an_invitation() {
    let app = spawn_app().await;
    let mut platform = platform_admin(&app).await;
    let created = platform
        .api(
            Method::POST,
            "/api/v1/organisations",
            Some(
                json!({"name": "Waterschap Nieuw", "slug": "ws-nieuw", "kind": "water_board",
                        "admin_email": "beheer@ws-nieuw.test", "admin_name": "Bea Beheer"}),
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    assert_eq!(created["organisation"]["slug"], "ws-nieuw");
    assert_eq!(created["admin"]["role"], "admin");
    let url = created["invitation"]["url"].as_str().unwrap();
    let path = url.strip_prefix("http://koers.test").unwrap().to_owned();
    let mut newcomer = app.client();
    let accepted = newcomer
        .post_form(
            &path,
            &[
                ("password", "een sterk nieuw wachtwoord"),
                ("password_confirmation", "een sterk nieuw wachtwoord"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let mut admin = app
        .login("beheer@ws-nieuw.test", "een sterk nieuw wachtwoord")
        .await;
    assert_eq!(
        admin.get("/api/v1/organisation").await.json()["name"],
        "Waterschap Nieuw"
    );
    let listed = platform.get("/api/v1/organisations").await.json();
    assert_eq!(listed["total"], 3);
    // The platform page lists them too, and only platform admins see it.
    assert!(
        platform
            .get("/platform/organisations")
            .await
            .body
            .contains("ws-nieuw")
    );
    assert!(
        platform
            .get("/")
            .await
            .body
            .contains("href=\"/platform/organisations\"")
    );
    assert_eq!(
        admin.get("/platform/organisations").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin.get("/api/v1/organisations").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !admin
            .get("/")
            .await
            .body
            .contains("href=\"/platform/organisations\"")
    );
}

#[tokio::test]
async fn creating_an_organisation_is_all_or_nothing() {
    let app = spawn_app().await;
    let mut platform = platform_admin(&app).await;
    let organisations = app.count("organisations").await;
    let users = app.count("users").await;
    let invalid = platform
        .api(Method::POST, "/api/v1/organisations", Some(json!({"name": "", "slug": "Fout!", "kind": "kingdom", "admin_email": "nee", "admin_name": ""})))
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names = invalid.error_names();
    assert_eq!(names, ["name", "slug", "kind", "admin_email", "admin_name"]);
    let taken = platform
        .api(
            Method::POST,
            "/api/v1/organisations",
            Some(
                json!({"name": "Nog een Alpha", "slug": "alpha", "kind": "municipality",
                        "admin_email": "nieuwe-persoon@elders.test", "admin_name": "Nieuw"}),
            ),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["errors"][0]["name"], "slug");
    assert_eq!(app.count("organisations").await, organisations);
    assert_eq!(
        app.count("users").await,
        users,
        "no account was left behind"
    );
    let form = platform
        .post_form(
            "/platform/organisations",
            &[
                ("name", ""),
                ("slug", ""),
                ("kind", "municipality"),
                ("admin_name", ""),
                ("admin_email", ""),
            ],
        )
        .await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST);
    assert!(
        form.body.contains("id=\"slug-error\"") && form.body.contains("id=\"admin_email-error\"")
    );
}

#[tokio::test]
async fn a_burst_of_failed_logins_from_one_address_is_shown_to_platform_admins() {
    let app = spawn_app().await;
    let mut platform = platform_admin(&app).await;
    let quiet = platform.get("/platform/organisations").await;
    assert!(!quiet.body.contains("id=\"address-signals\""));
    // Twenty wrong passwords from one address, four accounts each.
    let mut stuffer = app.client();
    stuffer.forwarded_for = "203.0.113.99".to_owned();
    for n in 0..20 {
        let who = format!("someone{}@example.test", n / 4);
        let _ = stuffer.login(&who, "not the password").await;
    }
    let signals = app
        .scalar(
            "SELECT COUNT(*) FROM audit_events \
             WHERE action = 'security_signal' AND organisation_id IS NULL",
        )
        .await;
    assert_eq!(signals, 1, "one signal when the address reaches its limit");
    let page = platform.get("/platform/organisations").await;
    assert!(page.body.contains("id=\"address-signals\""));
    assert!(page.body.contains("203.0.113.99"));
}
