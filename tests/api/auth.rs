use axum::http::StatusCode;
use time::Duration;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_member_logs_in_sees_their_organisation_and_logs_out() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.client();
    let before = client.get("/").await;
    assert_eq!(before.status, StatusCode::SEE_OTHER);
    assert_eq!(before.location(), "/login");

    let response = client.login("Admin@Alpha.test ", PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let cookie = response.header("set-cookie");
    assert!(
        cookie.contains("koers_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "no TLS in tests: {cookie}");

    let start = client.get("/").await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("Gemeente Alpha"));
    assert_eq!(start.header("cache-control"), "no-store");

    let logout = client.post_form("/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.login("admin@alpha.test", PASSWORD).await;
    let first = client.cookies["koers_session"].clone();
    // Logging in again from the same browser replaces the old session.
    let again = client.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let second = client.cookies["koers_session"].clone();
    assert_ne!(first, second);
    let mut stale = app.client();
    stale.cookies.insert("koers_session".into(), first);
    assert_eq!(stale.get("/").await.status, StatusCode::SEE_OTHER);
    assert!(
        client
            .get("/account")
            .await
            .body
            .contains("employee@alpha.test")
    );
}

#[tokio::test]
async fn wrong_password_shows_a_message_and_writes_no_session() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let sessions_before = app.count("sessions").await;
    let mut client = app.client();
    let response = client
        .login("admin@alpha.test", "not the password at all")
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert!(response.body.contains("role=\"alert\""));
    assert!(!client.cookies.contains_key("koers_session"));
    assert_eq!(app.count("sessions").await, sessions_before);
    // Unknown accounts look the same.
    let unknown = client
        .login("nobody@alpha.test", "not the password at all")
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_form_validates_every_field_at_once() {
    let app = spawn_app().await;
    let mut client = app.client();
    let response = client.login("not-an-email", "").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.body.contains("id=\"email-error\""),
        "{}",
        response.body
    );
    assert!(response.body.contains("id=\"password-error\""));
    assert!(response.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_account() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.client();
    for _ in 0..5 {
        let response = client.login("admin@alpha.test", "wrong wrong wrong").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, with a clear message.
    let refused = client.login("admin@alpha.test", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("15 minuten"), "{}", refused.body);
    assert_eq!(refused.header("retry-after"), "900");
    // Another account from another address is not affected.
    let mut elsewhere = app.client();
    elsewhere.forwarded_for = "198.51.100.7".into();
    assert_eq!(
        elsewhere
            .login("employee@alpha.test", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // After the window the account can log in again.
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        client.login("admin@alpha.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_address() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.client();
    for i in 0..20 {
        let response = client
            .login(&format!("guess{i}@alpha.test"), "wrong wrong wrong")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        client.login("viewer@alpha.test", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout_and_the_absolute_timeout() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut client = app.login("admin@alpha.test", PASSWORD).await;
    app.clock.advance(Duration::minutes(59));
    assert_eq!(client.get("/").await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(61));
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);

    let mut busy = app.login("admin@alpha.test", PASSWORD).await;
    for _ in 0..13 {
        app.clock.advance(Duration::minutes(55));
        assert_eq!(busy.get("/").await.status, StatusCode::OK);
    }
    app.clock.advance(Duration::minutes(10));
    // More than 12 hours after login, even an active session ends.
    assert_eq!(busy.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn pages_need_login_and_respect_roles() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    for path in ["/admin/audit", "/admin/users", "/admin/organisation"] {
        assert_eq!(
            employee.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let start = employee.get("/").await;
    assert!(
        !start.body.contains("href=\"/admin/audit\""),
        "navigation hides what the role cannot use"
    );
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    for path in [
        "/",
        "/units",
        "/admin/audit",
        "/admin/users",
        "/admin/organisation",
        "/account",
        "/account/tokens",
    ] {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_login_page_speaks_the_browsers_language_and_lists_demo_accounts_only_in_demo_mode() {
    let app = spawn_app().await;
    let mut client = app.client();
    let dutch = client.get("/login").await;
    assert!(dutch.body.contains("lang=\"nl\"") && dutch.body.contains("Inloggen"));
    assert!(!dutch.body.contains("Demo-accounts"));
    client.accept_language = Some("en-GB,en;q=0.9".into());
    let english = client.get("/login").await;
    assert!(english.body.contains("lang=\"en\"") && english.body.contains("Log in to Koers"));
}
