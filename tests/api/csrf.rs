use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn forms_without_a_valid_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let units_before = app.count("units").await;
    let missing = admin
        .post_form_raw("/units", &[("name", "Geen token")])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = admin
        .post_form_raw(
            "/units",
            &[("csrf_token", "forged"), ("name", "Vals token")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("units").await, units_before);
    // With the token it works.
    let ok = admin.post_form("/units", &[("name", "Met token")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(app.count("units").await, units_before + 1);
}

#[tokio::test]
async fn the_login_form_needs_its_token_too() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.client();
    let response = client
        .post_form_raw(
            "/login",
            &[("email", "admin@alpha.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(!client.cookies.contains_key("koers_session"));
}

#[tokio::test]
async fn every_state_changing_page_route_refuses_a_missing_token() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    for path in [
        "/logout",
        "/organisation/switch",
        "/admin/organisation",
        "/units",
        "/units/1",
        "/admin/users",
        "/admin/users/1",
        "/admin/users/1/invitation",
        "/account",
        "/account/tokens",
        "/account/tokens/1/revoke",
        "/invitation/abc",
        "/login",
    ] {
        let response = admin.post_form_raw(path, &[("name", "x")]).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn cookie_authenticated_api_writes_need_the_csrf_header_but_tokens_do_not() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let body = json!({"name": "Via API"}).to_string().into_bytes();
    let refused = admin
        .send(
            Method::POST,
            "/api/v1/units",
            Some("application/json"),
            body.clone(),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    let accepted = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Via API"})),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);

    let token = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "script", "access": "write"})),
        )
        .await
        .json();
    let mut script = app.token_client(token["secret"].as_str().unwrap());
    let created = script
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Via token"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}
