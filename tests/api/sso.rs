//! Single sign-on with OpenID Connect against the mock provider in
//! `oidc_mock.rs`: configuration, the code flow, people found or made,
//! roles from groups, refusals, logout, and one organisation's connection
//! never serving another.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app_with};
use crate::oidc_mock::{CLIENT_ID, CLIENT_SECRET, Mischief, MockProvider};

const KEY: &str = "hjK4mSXy0GDc5sPD3hVt7o1vK4JDTFp0Ld8t6HXxnFQ=";

async fn app_with_key() -> TestApp {
    spawn_app_with(|s| s.secret_key = Some(KEY.into())).await
}

fn connection(provider: &MockProvider) -> Value {
    json!({
        "preset": "keycloak",
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "role_rules": "koers-admins = admin\nkoers-hr = hr",
        "default_role": "viewer",
        "enabled": true,
    })
}

async fn configure(app: &TestApp, provider: &MockProvider, extra: Value) -> Client {
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let mut body = connection(provider);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let saved = admin
        .api(Method::PUT, "/api/v1/organisation/sso", Some(body))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    admin
}

/// Where a page that continues to the provider sends the browser: its
/// link, which the immediate refresh also names.
fn continue_target(page: &crate::helpers::TestResponse) -> String {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let marker = "id=\"continue-link\" href=\"";
    let start = page.body.find(marker).expect("a continue link") + marker.len();
    let end = page.body[start..].find('"').unwrap() + start;
    assert!(
        page.body.contains("http-equiv=\"refresh\""),
        "continues by itself"
    );
    page.body[start..end].replace("&#38;", "&")
}

/// Starts a login at Koers: the provider's authorization address.
async fn provider_start(client: &mut Client, slug: &str) -> String {
    let page = client.get(&format!("/login/sso?organisation={slug}")).await;
    continue_target(&page)
}

/// Runs the browser's part: Koers → provider → Koers callback.
async fn sso_login(client: &mut Client, slug: &str) -> crate::helpers::TestResponse {
    let provider_url = provider_start(client, slug).await;
    callback(client, &provider_url).await
}

/// The provider's answer: the path on Koers it sends the browser back to.
async fn provider_answer(provider_url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let at_provider = http.get(provider_url).send().await.unwrap();
    assert_eq!(at_provider.status().as_u16(), 303);
    let back = at_provider.headers()["location"].to_str().unwrap();
    back.strip_prefix("http://koers.test")
        .expect("back to Koers")
        .to_owned()
}

async fn callback(client: &mut Client, provider_url: &str) -> crate::helpers::TestResponse {
    let path = provider_answer(provider_url).await;
    client.get(&path).await
}

async fn role_of(admin: &mut Client, email: &str) -> Option<String> {
    let people = admin
        .api(Method::GET, &format!("/api/v1/users?search={email}"), None)
        .await;
    people.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == email)
        .map(|p| p["role"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_first_login_creates_the_person_with_a_role_from_groups_and_logout_reaches_the_provider()
{
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    let mut admin = configure(&app, &provider, json!({})).await;

    provider.log_in_as(json!({"sub": "u-100", "email": "nieuw@alpha.test", "name": "Nieuwe Collega", "groups": ["koers-hr", "iedereen"]}));
    let mut person = app.client();
    let done = sso_login(&mut person, "alpha").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/");
    let me = person.api(Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(
        role_of(&mut admin, "nieuw@alpha.test").await.as_deref(),
        Some("hr")
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sso_identities WHERE subject = 'u-100'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'sso_identity_linked'")
            .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM users WHERE email = 'nieuw@alpha.test' AND password_hash IS NULL"
        )
        .await,
        1
    );

    // The next login finds the person by subject, even with a new address,
    // and the groups decide the role again: no rule matches, so the default.
    provider
        .log_in_as(json!({"sub": "u-100", "email": "ander@alpha.test", "groups": ["iedereen"]}));
    let mut again = app.client();
    assert_eq!(
        sso_login(&mut again, "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        role_of(&mut admin, "nieuw@alpha.test").await.as_deref(),
        Some("viewer")
    );
    assert_eq!(app.count("sso_identities").await, 1);
    // A token without the groups claim says nothing about groups: the role
    // stays.
    provider.log_in_as(json!({"sub": "u-100", "email": "ander@alpha.test"}));
    assert_eq!(
        sso_login(&mut app.client(), "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        role_of(&mut admin, "nieuw@alpha.test").await.as_deref(),
        Some("viewer")
    );

    // Logging out ends the Koers session and sends the browser to the
    // provider's logout with the ID token as hint.
    let token = again.csrf_token().await;
    let out = again
        .post_form_raw("/logout", &[("csrf_token", &token)])
        .await;
    let target = continue_target(&out);
    assert!(
        target.starts_with(&format!("{}/logout?", provider.issuer)),
        "{target}"
    );
    assert!(target.contains("id_token_hint="), "{target}");
    assert!(
        target.contains("post_logout_redirect_uri=http%3A%2F%2Fkoers.test%2Flogin"),
        "{target}"
    );
    reqwest::get(&target).await.unwrap();
    assert_eq!(provider.logouts().len(), 1);
    assert_eq!(again.get("/").await.status, StatusCode::SEE_OTHER);
    // The first browser's session is its own and still works.
    assert_eq!(
        person.api(Method::GET, "/api/v1/me", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_tampered_id_token_or_a_wrong_nonce_is_refused_and_nobody_is_let_in() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    configure(&app, &provider, json!({})).await;
    provider.log_in_as(
        json!({"sub": "u-200", "email": "indringer@alpha.test", "groups": ["koers-admins"]}),
    );
    let users_before = app.count("users").await;
    let sessions_before = app.count("sessions").await;

    for (mischief, message) in [
        (Mischief::TamperedPayload, "kon niet worden gecontroleerd"),
        (Mischief::WrongNonce, "hoort niet bij dit inloggen"),
    ] {
        provider.misbehave(mischief);
        let mut browser = app.client();
        let refused = sso_login(&mut browser, "alpha").await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{mischief:?}");
        assert!(
            refused.body.contains(message),
            "{mischief:?}: {}",
            refused.body
        );
        assert!(
            !browser.cookies.contains_key("koers_session")
                || browser.get("/").await.status == StatusCode::SEE_OTHER
        );
    }
    assert_eq!(app.count("users").await, users_before);
    assert_eq!(app.count("sso_identities").await, 0);
    assert_eq!(app.count("sessions").await, sessions_before);

    provider.misbehave(Mischief::None);
    assert_eq!(
        sso_login(&mut app.client(), "alpha").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn answers_that_do_not_belong_to_this_browser_or_come_late_are_refused() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    configure(&app, &provider, json!({})).await;
    provider.log_in_as(json!({"sub": "u-300", "email": "laat@alpha.test"}));

    // Another browser cannot use this browser's answer (no state cookie).
    let mut browser = app.client();
    let start = provider_start(&mut browser, "alpha").await;
    let mut stranger = app.client();
    let foreign = callback(&mut stranger, start.as_str()).await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED);
    assert!(foreign.body.contains("te lang"), "{}", foreign.body);

    // An answer is used once: the same callback twice fails the second time.
    let mut browser = app.client();
    let start = provider_start(&mut browser, "alpha").await;
    let back = provider_answer(&start).await;
    let state_cookie = browser.cookies["koers_sso"].clone();
    assert_eq!(browser.get(&back).await.status, StatusCode::SEE_OTHER);
    browser.cookies.insert("koers_sso".into(), state_cookie);
    assert_eq!(browser.get(&back).await.status, StatusCode::UNAUTHORIZED);

    // Ten minutes at the provider is the limit.
    let mut slow = app.client();
    let start = provider_start(&mut slow, "alpha").await;
    app.clock.advance(time::Duration::minutes(11));
    assert_eq!(
        callback(&mut slow, start.as_str()).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The provider's own error, and an answer from another issuer.
    let mut cancelled = app.client();
    let start = provider_start(&mut cancelled, "alpha").await;
    let state = start
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let refused = cancelled
        .get(&format!(
            "/login/sso/callback?state={state}&error=access_denied"
        ))
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("niet afgerond"), "{}", refused.body);
    let mut mixed_up = app.client();
    let start = provider_start(&mut mixed_up, "alpha").await;
    let back = provider_answer(&start).await;
    let foreign_issuer = back.replace(
        &koers_encode(&provider.issuer),
        "https%3A%2F%2Fevil.example",
    );
    assert_eq!(
        mixed_up.get(&foreign_issuer).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE email = 'laat@alpha.test'")
            .await,
        1
    );
}

fn koers_encode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn existing_accounts_are_linked_by_email_only_when_the_connection_allows_it() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    let mut admin = configure(&app, &provider, json!({"role_rules": ""})).await;
    provider.log_in_as(json!({"sub": "u-400", "email": "employee@alpha.test"}));
    let refused = sso_login(&mut app.client(), "alpha").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.body.contains("bestaat al een Koers-account"),
        "{}",
        refused.body
    );

    let allow = admin.api(Method::PUT, "/api/v1/organisation/sso", Some(json!({
        "issuer": provider.issuer, "client_id": CLIENT_ID, "enabled": true, "match_by_email": true,
    }))).await;
    assert_eq!(allow.status, StatusCode::OK, "{}", allow.body);
    assert_eq!(
        allow.json()["client_secret_set"],
        true,
        "the secret is kept"
    );
    // An address the provider says is unverified is not enough.
    provider.log_in_as(
        json!({"sub": "u-400", "email": "employee@alpha.test", "email_verified": false}),
    );
    assert_eq!(
        sso_login(&mut app.client(), "alpha").await.status,
        StatusCode::UNAUTHORIZED
    );
    provider
        .log_in_as(json!({"sub": "u-400", "email": "employee@alpha.test", "email_verified": true}));
    let mut linked = app.client();
    assert_eq!(
        sso_login(&mut linked, "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    let me = linked.api(Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["email"], "employee@alpha.test");
    assert_eq!(
        role_of(&mut admin, "employee@alpha.test").await.as_deref(),
        Some("employee"),
        "no rules: role kept"
    );

    // A switched-off membership is refused.
    let id = app
        .scalar("SELECT id FROM users WHERE email = 'employee@alpha.test'")
        .await;
    let off = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let refused = sso_login(&mut app.client(), "alpha").await;
    assert!(refused.body.contains("staat uit"), "{}", refused.body);
    // A token without an email address cannot make a new account.
    provider.log_in_as(json!({"sub": "u-401"}));
    let refused = sso_login(&mut app.client(), "alpha").await;
    assert!(
        refused.body.contains("e-mailadres niet door"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn password_login_is_switched_off_only_after_the_admin_used_single_sign_on() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    let mut admin = configure(&app, &provider, json!({"match_by_email": true})).await;
    let early = admin.api(Method::PUT, "/api/v1/organisation/sso", Some(json!({
        "issuer": provider.issuer, "client_id": CLIENT_ID, "enabled": true, "password_login_off": true,
    }))).await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert_eq!(early.error_codes(), ["sso_login_first"]);

    provider.log_in_as(
        json!({"sub": "admin-1", "email": "admin@alpha.test", "groups": ["koers-admins"]}),
    );
    let mut admin_sso = app.client();
    assert_eq!(
        sso_login(&mut admin_sso, "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    // A session opened by single sign-on is not held up by the local
    // second-factor rule (the provider does the second factor); a password
    // session of the same administrator is.
    let require = admin_sso
        .api(
            Method::PATCH,
            "/api/v1/organisation",
            Some(json!({"admins_need_second_factor": true})),
        )
        .await;
    assert_eq!(require.status, StatusCode::OK, "{}", require.body);
    assert_eq!(admin_sso.get("/admin/sso").await.status, StatusCode::OK);
    let held = admin.api(Method::GET, "/api/v1/organisation", None).await;
    assert_eq!(held.status, StatusCode::FORBIDDEN);
    assert!(
        held.body.contains("second-factor-required"),
        "{}",
        held.body
    );

    let off = admin_sso.api(Method::PUT, "/api/v1/organisation/sso", Some(json!({
        "issuer": provider.issuer, "client_id": CLIENT_ID, "enabled": true, "match_by_email": true,
        "role_rules": "koers-admins = admin", "groups_claim": "groups", "password_login_off": true,
    }))).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    // Password sessions in the organisation end at once.
    assert_eq!(admin.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(admin_sso.get("/").await.status, StatusCode::OK);

    // A right password gets the same answer as a wrong one: it does not
    // tell a guesser which was right. The login page offers single sign-on.
    let mut member = app.client();
    let refused = member.login("viewer@alpha.test", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("niet bekend"), "{}", refused.body);
    assert!(refused.body.contains("id=\"sso-login-form\""));
    assert_eq!(member.get("/").await.status, StatusCode::SEE_OTHER);
    let wrong = member.login("viewer@alpha.test", "wrong password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // Members of another organisation are not touched; someone in both
    // organisations logs in with a password into the one that allows it,
    // and cannot switch into the one that does not.
    app.login("admin@beta.test", PASSWORD).await;
    let beta = app
        .state
        .store()
        .organisation_by_slug("beta")
        .await
        .unwrap();
    app.add_member(&beta, "hr@alpha.test", "hr").await;
    let mut both = app.login("hr@alpha.test", PASSWORD).await;
    let me = both.api(Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["organisation"], "Provincie Beta");
    let token = both.csrf_token().await;
    let switch = both
        .post_form_raw(
            "/organisation/switch",
            &[("csrf_token", &token), ("organisation", "alpha")],
        )
        .await;
    assert_eq!(switch.status, StatusCode::FORBIDDEN);
    let me = both.api(Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["organisation"], "Provincie Beta");
}

#[tokio::test]
async fn a_single_sign_on_session_stays_in_its_organisation_without_platform_powers() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    configure(
        &app,
        &provider,
        json!({"match_by_email": true, "role_rules": ""}),
    )
    .await;
    // A platform administrator's account, and an account that is also a
    // member of beta, are not this organisation's alone: alpha's provider
    // may not link them.
    app.execute("UPDATE users SET is_platform_admin = TRUE WHERE email = 'viewer@alpha.test'")
        .await
        .unwrap();
    provider.log_in_as(json!({"sub": "v-1", "email": "viewer@alpha.test"}));
    let refused = sso_login(&mut app.client(), "alpha").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let beta = app
        .state
        .store()
        .organisation_by_slug("beta")
        .await
        .unwrap();
    app.add_member(&beta, "unit_lead@alpha.test", "viewer")
        .await;
    provider.log_in_as(json!({"sub": "u-1", "email": "unit_lead@alpha.test"}));
    let refused = sso_login(&mut app.client(), "alpha").await;
    assert!(
        refused.body.contains("bestaat al een Koers-account"),
        "{}",
        refused.body
    );
    // Nor does it speak for an address that has an account elsewhere only.
    provider.log_in_as(json!({"sub": "b-1", "email": "admin@beta.test"}));
    assert_eq!(
        sso_login(&mut app.client(), "alpha").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count("sso_identities").await, 0);

    // A person made just in time who is later also added to beta: their
    // single sign-on session stays in alpha.
    provider.log_in_as(json!({"sub": "n-1", "email": "nieuw@alpha.test"}));
    let mut person = app.client();
    assert_eq!(
        sso_login(&mut person, "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    app.add_member(&beta, "nieuw@alpha.test", "admin").await;
    let token = person.csrf_token().await;
    let switch = person
        .post_form_raw(
            "/organisation/switch",
            &[("csrf_token", &token), ("organisation", "beta")],
        )
        .await;
    assert_eq!(switch.status, StatusCode::FORBIDDEN);
    let me = person.api(Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["organisation"], "Gemeente Alpha");
    // And it does not change the account's own login security.
    let security = person.get("/account/security").await;
    assert!(
        security.body.contains("id=\"second-factor-via-sso\""),
        "{}",
        security.body
    );
    let setup = person
        .post_form_raw("/account/security/setup", &[("csrf_token", &token)])
        .await;
    assert_eq!(setup.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("second_factors").await, 0);

    // An account linked earlier that later gets platform powers does not
    // get them through single sign-on.
    provider.log_in_as(json!({"sub": "p-1", "email": "employee@alpha.test"}));
    let mut employee = app.client();
    assert_eq!(
        sso_login(&mut employee, "alpha").await.status,
        StatusCode::SEE_OTHER
    );
    app.execute("UPDATE users SET is_platform_admin = TRUE WHERE email = 'employee@alpha.test'")
        .await
        .unwrap();
    assert_eq!(
        employee.get("/platform/organisations").await.status,
        StatusCode::FORBIDDEN
    );
    let mut by_password = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        by_password.get("/platform/organisations").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_connection_is_validated_its_secret_sealed_and_never_shown() {
    let app = spawn_app_with(|_| {}).await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let blank = admin
        .api(Method::GET, "/api/v1/organisation/sso", None)
        .await;
    assert_eq!(blank.json()["configured"], false);
    assert_eq!(
        blank.json()["redirect_uri"],
        "http://koers.test/login/sso/callback"
    );
    // Without a key the secret cannot be stored.
    let no_key = admin
        .api(
            Method::PUT,
            "/api/v1/organisation/sso",
            Some(connection(&provider)),
        )
        .await;
    assert_eq!(no_key.status, StatusCode::CONFLICT);
    assert_eq!(no_key.error_codes(), ["secret_key_missing"]);
    assert_eq!(app.count("sso_connections").await, 0);

    let app = app_with_key().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let audit_before = app.audit_count().await;
    let bad = admin
        .api(
            Method::PUT,
            "/api/v1/organisation/sso",
            Some(json!({
                "issuer": "http://sso.example.nl", "client_id": "", "scopes": "openid <x>",
                "role_rules": "beheer = baas", "default_role": "admin", "password_login_off": true,
            })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    for field in [
        "issuer",
        "client_id",
        "scopes",
        "role_rules",
        "default_role",
        "password_login_off",
    ] {
        assert!(
            bad.error_names().contains(&field.to_owned()),
            "{field}: {}",
            bad.body
        );
    }
    let unknown = admin
        .api(
            Method::PUT,
            "/api/v1/organisation/sso",
            Some(json!({"issuer": provider.issuer, "colour": "blue"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("sso_connections").await, 0);
    assert_eq!(app.audit_count().await, audit_before);

    let saved = admin
        .api(
            Method::PUT,
            "/api/v1/organisation/sso",
            Some(connection(&provider)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(!saved.body.contains(CLIENT_SECRET));
    assert_eq!(
        saved.json()["groups_claim"],
        "groups",
        "the Keycloak preset fills it"
    );
    assert_eq!(
        saved.json()["scopes"],
        json!(["openid", "profile", "email"])
    );
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM sso_connections WHERE client_secret_sealed LIKE 'v1:%' AND client_secret_sealed NOT LIKE '%{CLIENT_SECRET}%'")).await, 1);
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'sso_connection' AND changes NOT LIKE '%{CLIENT_SECRET}%'")).await, 1);
    // The stored secret goes only to the provider it was given for.
    let moved = admin
        .api(
            Method::PUT,
            "/api/v1/organisation/sso",
            Some(json!({"issuer": "https://elders.example.nl", "client_id": CLIENT_ID})),
        )
        .await;
    assert_eq!(moved.error_codes(), ["secret_for_new_provider"]);
    // Replacing the secret shows in the audit log as a new version only.
    let mut replaced = connection(&provider);
    replaced["client_secret"] = json!("a-new-secret");
    assert_eq!(
        admin
            .api(Method::PUT, "/api/v1/organisation/sso", Some(replaced))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'sso_connection' AND changes LIKE '%client_secret_version%' AND changes NOT LIKE '%a-new-secret%' AND changes NOT LIKE '%v1:%'").await, 2);
    let read = admin
        .api(Method::GET, "/api/v1/organisation/sso", None)
        .await;
    assert!(!read.body.contains(CLIENT_SECRET));
    assert_eq!(read.json()["client_secret_set"], true);
    assert_eq!(
        read.json()["login_url"],
        "http://koers.test/login/sso?organisation=alpha"
    );

    // Only administrators, and each organisation sees only its own.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    assert_eq!(
        viewer
            .api(Method::GET, "/api/v1/organisation/sso", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        viewer
            .api(
                Method::PUT,
                "/api/v1/organisation/sso",
                Some(connection(&provider))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.api(Method::GET, "/api/v1/organisation/sso", None)
            .await
            .json()["configured"],
        false
    );
    // Beta has no single sign-on: its slug does not lead to alpha's provider.
    let mut browser = app.client();
    let refused = browser.get("/login/sso?organisation=beta").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("biedt geen single sign-on"),
        "{}",
        refused.body
    );
    let unknown = browser.get("/login/sso?organisation=gamma").await;
    assert!(
        unknown.body.contains("Geen organisatie heeft deze code"),
        "{}",
        unknown.body
    );
    // A beta admin's login at alpha's provider does not admit them to beta.
    provider.log_in_as(json!({"sub": "beta-admin", "email": "admin@beta.test"}));
    let mut wanderer = app.client();
    let refused = sso_login(&mut wanderer, "alpha").await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "email taken without matching"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'admin@beta.test'").await, 1);
}

#[tokio::test]
async fn test_connection_reports_what_the_provider_offers_and_the_admin_page_works() {
    let app = app_with_key().await;
    app.two_organisations().await;
    let provider = MockProvider::start().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let found = admin
        .api(
            Method::POST,
            "/api/v1/organisation/sso/test",
            Some(json!({"issuer": provider.issuer})),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let found = found.json();
    assert_eq!(found["ok"], true);
    assert_eq!(found["signing_keys"], 1);
    assert_eq!(found["pkce_s256"], true);
    assert_eq!(
        found["end_session_endpoint"],
        format!("{}/logout", provider.issuer)
    );
    let gone = admin
        .api(
            Method::POST,
            "/api/v1/organisation/sso/test",
            Some(json!({"issuer": "http://127.0.0.1:9"})),
        )
        .await
        .json();
    assert_eq!(gone["ok"], false);
    assert!(gone["problem"].as_str().unwrap().len() > 5);
    let nothing_saved = admin
        .api(
            Method::POST,
            "/api/v1/organisation/sso/test",
            Some(json!({})),
        )
        .await;
    assert_eq!(nothing_saved.error_codes(), ["required"]);

    // The page: errors beside the fields, then a save, then a test.
    let page = admin.get("/admin/sso").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("http://koers.test/login/sso/callback"));
    let bad = admin
        .post_form(
            "/admin/sso",
            &[
                ("preset", "entra_id"),
                ("issuer", "niet een adres"),
                ("client_id", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"issuer-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"client_id-error\""));
    assert!(
        bad.body.contains("value=\"niet een adres\""),
        "typed values come back"
    );
    let saved = admin
        .post_form(
            "/admin/sso",
            &[
                ("preset", "entra_id"),
                ("issuer", &provider.issuer),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("default_role", "employee"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get("/admin/sso").await;
    assert!(page.body.contains("opgeslagen"));
    assert!(!page.body.contains(CLIENT_SECRET));
    let tested = admin
        .post_form("/admin/sso/test", &[("issuer", &provider.issuer)])
        .await;
    assert_eq!(tested.status, StatusCode::OK);
    assert!(tested.body.contains("id=\"sso-test\""));
    assert!(tested.body.contains(&format!("{}/token", provider.issuer)));
    let viewer_page = app
        .login("viewer@alpha.test", PASSWORD)
        .await
        .get("/admin/sso")
        .await;
    assert_eq!(viewer_page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_malformed_key_stops_the_start_with_a_clear_message() {
    let (url, schema, _dir) = crate::helpers::fresh_database().await;
    let mut settings = crate::helpers::test_settings(&url);
    settings.secret_key = Some("too-short".into());
    let clock = std::sync::Arc::new(koers::clock::ManualClock::new(
        time::macros::datetime!(2026-11-27 09:00 UTC),
    ));
    let refused = koers::startup::prepare_state(settings, clock, schema).await;
    let Err(error) = refused else {
        panic!("a malformed key must stop the start");
    };
    let message = error.to_string();
    assert!(message.contains("KOERS_SECRET_KEY"), "{message}");
    assert!(message.contains("koers secret-key"), "{message}");
}
