//! Two-step login: setting up TOTP, logging in with a code or a recovery
//! code (each once), the limits on the waiting login, the organisation's
//! requirement for administrators, and switching it off.

use axum::http::{Method, StatusCode};
use koers::auth::totp;
use serde_json::json;
use time::Duration;

use crate::helpers::{Client, PASSWORD, TestApp, csrf_from, spawn_app};

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).map(|i| i + start.len()).unwrap();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// The current code of the app holding `secret`, `steps` steps from now.
fn code(app: &TestApp, secret: &str, steps: i64) -> String {
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .unwrap();
    let step = totp::step_of(koers::clock::Clock::now(app.clock.as_ref()).unix_timestamp()) + steps;
    totp::code_at_step(&key, step.unsigned_abs(), totp::DIGITS)
}

/// Posts a form with the token of the security page (the only page open
/// to an administrator who must still set up the second factor).
async fn post_security(
    client: &mut Client,
    path: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::TestResponse {
    let page = client.get("/account/security").await;
    let token = csrf_from(&page.body);
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form_raw(path, &all).await
}

/// Sets up the second factor for a logged-in client: its secret and its
/// recovery codes.
async fn set_up(app: &TestApp, client: &mut Client) -> (String, Vec<String>) {
    let started = post_security(client, "/account/security/setup", &[]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let secret = between(&started.body, "id=\"totp-secret\">", "<").to_owned();
    assert!(
        started.body.contains("src=\"data:image/svg+xml;base64,"),
        "a QR code"
    );
    let wrong = post_security(client, "/account/security/confirm", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains("id=\"code-error\""),
        "message beside the field"
    );
    assert!(wrong.body.contains(&secret), "the same setup, shown again");
    let now = code(app, &secret, 0);
    let done = post_security(client, "/account/security/confirm", &[("code", &now)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let list = between(&done.body, "id=\"recovery-codes\">", "</ul>");
    let codes: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), totp::RECOVERY_CODES);
    (secret, codes)
}

/// Logs in with the password; the login then waits for its code.
async fn password_step(app: &TestApp, email: &str) -> Client {
    let mut client = app.client();
    let response = client.login(email, PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), "/login/code");
    assert!(
        !client.cookies.contains_key("koers_session"),
        "no session yet"
    );
    client
}

#[tokio::test]
async fn a_person_with_a_second_factor_logs_in_with_a_code_that_works_once() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let off = employee.get("/account/security").await;
    assert!(off.body.contains("Inloggen in twee stappen staat uit."));
    let (secret, recovery) = set_up(&app, &mut employee).await;
    let events = app
        .scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor_on'")
        .await;
    assert_eq!(events, 1);
    // Administrators see who has it on.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let people = admin.get("/api/v1/users?page_size=100").await.json();
    let on: Vec<&str> = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["second_factor"] == true)
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(on, ["employee@alpha.test"]);

    // The code used to confirm does not open a login: each code works once.
    app.clock.advance(Duration::seconds(1));
    let mut replay = password_step(&app, "employee@alpha.test").await;
    let used = replay
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(used.status, StatusCode::BAD_REQUEST, "a used code");

    app.clock.advance(Duration::seconds(30));
    let mut client = password_step(&app, "employee@alpha.test").await;
    assert_eq!(
        client.get("/").await.status,
        StatusCode::SEE_OTHER,
        "not logged in yet"
    );
    let empty = client.post_form("/login/code", &[("code", "")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("id=\"code-error\""));
    let right = client
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/");
    assert!(!client.cookies.contains_key("koers_pending"));
    assert_eq!(client.get("/account").await.status, StatusCode::OK);

    // A recovery code works once, typed in any case.
    let mut lost_phone = password_step(&app, "employee@alpha.test").await;
    let typed = recovery[0].to_uppercase();
    let first = lost_phone
        .post_form("/login/code", &[("code", &typed)])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let mut again = password_step(&app, "employee@alpha.test").await;
    let second = again
        .post_form("/login/code", &[("code", &recovery[0])])
        .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST, "spent");
    let status = client.get("/account/security").await;
    assert!(status.body.contains("Ongebruikte herstelcodes: 9."));
}

#[tokio::test]
async fn a_waiting_login_ends_after_five_wrong_codes_or_five_minutes() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let (secret, _) = set_up(&app, &mut employee).await;
    app.clock.advance(Duration::seconds(30));

    let mut guesser = password_step(&app, "employee@alpha.test").await;
    for _ in 0..5 {
        let wrong = guesser
            .post_form("/login/code", &[("code", "123456")])
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    }
    let right = guesser
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(
        right.location(),
        "/login?again=1",
        "dropped, even with the right code"
    );
    assert!(!guesser.cookies.contains_key("koers_session"));

    // The wrong codes count as failed logins: the account is throttled.
    let throttled = app.client().login("employee@alpha.test", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(Duration::minutes(16));

    let mut slow = password_step(&app, "employee@alpha.test").await;
    app.clock.advance(Duration::minutes(6));
    let late = slow
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(late.location(), "/login?again=1");
    let notice = slow.get("/login?again=1").await;
    assert!(notice.body.contains("Log opnieuw in."));
    assert_eq!(app.count("pending_logins").await, 0);
}

#[tokio::test]
async fn an_organisation_can_require_a_second_factor_of_its_administrators() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let earlier = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "eerder"})),
        )
        .await
        .json();
    let mut earlier = app.token_client(earlier["secret"].as_str().unwrap());
    assert_eq!(
        earlier.get("/api/v1/indicators").await.status,
        StatusCode::OK
    );
    let settings = admin.get("/admin/organisation").await;
    assert!(settings.body.contains("name=\"admins_need_second_factor\""));
    let saved = admin
        .api(
            Method::PATCH,
            "/api/v1/organisation",
            Some(json!({"admins_need_second_factor": true})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["admins_need_second_factor"], true);

    // The administrator may now only set it up, and their tokens wait too.
    let home = admin.get("/indicators").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location(), "/account/security");
    let api = admin.get("/api/v1/indicators").await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api.json()["type"],
        "https://koers.example/problems/second-factor-required"
    );
    let page = admin.get("/account/security").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("verplicht inloggen in twee stappen"));
    // Others in the organisation, and admins elsewhere, carry on.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(employee.get("/indicators").await.status, StatusCode::OK);
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(beta.get("/indicators").await.status, StatusCode::OK);

    let refused = earlier.get("/api/v1/indicators").await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a token made before the rule"
    );
    assert_eq!(
        refused.json()["type"],
        "https://koers.example/problems/second-factor-required"
    );
    let (secret, _) = set_up(&app, &mut admin).await;
    assert_eq!(admin.get("/indicators").await.status, StatusCode::OK);
    assert_eq!(
        earlier.get("/api/v1/indicators").await.status,
        StatusCode::OK
    );
    assert_eq!(admin.get("/api/v1/indicators").await.status, StatusCode::OK);

    // Switching it off takes a valid code; the requirement then applies again.
    app.clock.advance(Duration::seconds(30));
    let wrong = post_security(
        &mut admin,
        "/account/security/remove",
        &[("remove-code", "999999")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("id=\"remove-code-error\""));
    let removed = post_security(
        &mut admin,
        "/account/security/remove",
        &[("remove-code", &code(&app, &secret, 0))],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("second_factors").await, 0);
    assert_eq!(app.count("recovery_codes").await, 0);
    assert_eq!(
        admin.get("/indicators").await.location(),
        "/account/security"
    );
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_set() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let (secret, old) = set_up(&app, &mut viewer).await;
    app.clock.advance(Duration::seconds(30));
    let empty = post_security(
        &mut viewer,
        "/account/security/recovery-codes",
        &[("renew-code", "")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("id=\"renew-code-error\""));
    let renewed = post_security(
        &mut viewer,
        "/account/security/recovery-codes",
        &[("renew-code", &code(&app, &secret, 0))],
    )
    .await;
    assert_eq!(renewed.status, StatusCode::OK);
    assert!(renewed.body.contains("id=\"recovery-codes\""));
    let mut lost = password_step(&app, "viewer@alpha.test").await;
    let refused = lost.post_form("/login/code", &[("code", &old[1])]).await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "the old set no longer works"
    );
    // Setting up again while it is on is refused plainly.
    let again = post_security(&mut viewer, "/account/security/setup", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn failed_login_bursts_and_admin_logins_from_new_networks_are_signalled_to_admins() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let signals = |kind: &'static str| {
        format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'security_signal' AND entity_type = '{kind}'"
        )
    };
    // The first login is the baseline; the same network later says nothing.
    let _ = app.login("admin@alpha.test", PASSWORD).await;
    let mut same = app.client();
    same.forwarded_for = "192.0.2.77".to_owned();
    assert_eq!(
        same.login("admin@alpha.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.scalar(&signals("login_location")).await, 0);
    let mut travelling = app.client();
    travelling.forwarded_for = "198.51.100.7".to_owned();
    assert_eq!(
        travelling.login("admin@alpha.test", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.scalar(&signals("login_location")).await, 1);
    let mut again = app.client();
    again.forwarded_for = "198.51.100.9".to_owned();
    let _ = again.login("admin@alpha.test", PASSWORD).await;
    assert_eq!(
        app.scalar(&signals("login_location")).await,
        1,
        "now a known network"
    );
    // Employees are not watched this way.
    let _ = app.login("employee@alpha.test", PASSWORD).await;
    let mut employee = app.client();
    employee.forwarded_for = "203.0.113.5".to_owned();
    let _ = employee.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(app.scalar(&signals("login_location")).await, 1);

    // Five wrong passwords on one account: one signal, in its organisation.
    let mut guesser = app.client();
    guesser.forwarded_for = "203.0.113.66".to_owned();
    for _ in 0..6 {
        let _ = guesser
            .login("unit_lead@alpha.test", "wrong password!")
            .await;
    }
    assert_eq!(app.scalar(&signals("login_failures")).await, 1);
    let alpha_only = app
        .scalar(
            "SELECT COUNT(*) FROM audit_events e JOIN organisations o ON o.id = e.organisation_id \
             WHERE e.action = 'security_signal' AND o.slug = 'alpha'",
        )
        .await;
    assert_eq!(alpha_only, 2);

    // Administrators see them on their start page; others do not.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let home = admin.get("/").await;
    assert!(home.body.contains("id=\"security-signals\""));
    assert!(
        home.body
            .contains("Beveiligingssignalen in de afgelopen week: 2")
    );
    let listed = admin
        .get("/api/v1/audit-events?action=security_signal")
        .await
        .json();
    assert_eq!(listed["total"], 2);
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    assert!(!lead.get("/").await.body.contains("id=\"security-signals\""));
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert!(
        !beta.get("/").await.body.contains("id=\"security-signals\""),
        "another organisation's signals"
    );
}

#[tokio::test]
async fn wrong_codes_over_several_waiting_logins_meet_the_account_throttle() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let (secret, _) = set_up(&app, &mut employee).await;
    app.clock.advance(Duration::seconds(30));
    let mut first = password_step(&app, "employee@alpha.test").await;
    for _ in 0..3 {
        let wrong = first.post_form("/login/code", &[("code", "111111")]).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    }
    // A new password step replaces the waiting login: one per person.
    let mut second = password_step(&app, "employee@alpha.test").await;
    let stale = first
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(stale.location(), "/login?again=1");
    assert_eq!(app.count("pending_logins").await, 1);
    for _ in 0..2 {
        let wrong = second.post_form("/login/code", &[("code", "222222")]).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    }
    let right = second
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five wrong codes in all"
    );
    assert!(!second.cookies.contains_key("koers_session"));
}

#[tokio::test]
async fn with_a_key_configured_the_totp_secret_is_stored_sealed_and_still_works() {
    let key = koers::auth::sealed::SecretKey::generate();
    let app = crate::helpers::spawn_app_with(|s| s.secret_key = Some(key)).await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let (secret, _) = set_up(&app, &mut employee).await;
    let sealed = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM second_factors WHERE secret LIKE 'v1:%' AND secret NOT LIKE '%{secret}%'"
        ))
        .await;
    assert_eq!(sealed, 1, "the secret is not in the database as it is");
    app.clock.advance(Duration::seconds(30));
    let mut client = password_step(&app, "employee@alpha.test").await;
    let right = client
        .post_form("/login/code", &[("code", &code(&app, &secret, 0))])
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}
