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
            Some(json!({"name": "rapportage", "expires_in_days": 30, "access": "write"})),
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
            Some(
                json!({"name": "", "expires_in_days": 9999, "access": "admin",
                "modules": ["indicators", "everything"]}),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            ("name".to_owned(), "required".to_owned()),
            ("expires_in_days".to_owned(), "expiry_days".to_owned()),
            ("access".to_owned(), "unknown_choice".to_owned()),
            ("modules".to_owned(), "unknown_choice".to_owned()),
        ]
    );
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

/// A token of `admin@alpha.test` with this scope.
async fn scoped_token(app: &crate::helpers::TestApp, scope: serde_json::Value) -> String {
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let mut body = json!({"name": "scoped"});
    body.as_object_mut()
        .unwrap()
        .extend(scope.as_object().unwrap().clone());
    let created = admin.api(Method::POST, "/api/v1/tokens", Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_read_only_token_limited_to_one_module_reads_that_module_only() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let secret = scoped_token(&app, json!({"modules": ["indicators"]})).await;
    let mut script = app.token_client(&secret);
    assert_eq!(
        script.get("/api/v1/indicators").await.status,
        StatusCode::OK
    );
    let write = script
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(crate::indicators::web_success()),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "read is the default");
    assert_eq!(
        write.json()["type"],
        "https://koers.example/problems/insufficient-scope"
    );
    assert_eq!(
        write.header("www-authenticate"),
        "Bearer error=\"insufficient_scope\""
    );
    assert_eq!(app.count("indicators").await, 0, "nothing written");
    let elsewhere = script.get("/api/v1/programmes").await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    // A narrow token cannot widen itself by making another token.
    let more = script
        .api(Method::POST, "/api/v1/tokens", Some(json!({"name": "x"})))
        .await;
    assert_eq!(more.status, StatusCode::FORBIDDEN);
    let listed = app
        .login("admin@alpha.test", PASSWORD)
        .await
        .get("/api/v1/tokens")
        .await
        .json();
    assert_eq!(listed["items"][0]["access"], "read");
    assert_eq!(listed["items"][0]["modules"], json!(["indicators"]));

    // Nor can a write token that may manage tokens but is limited otherwise.
    let token_maker = scoped_token(&app, json!({"access": "write", "modules": ["tokens"]})).await;
    let mut token_maker = app.token_client(&token_maker);
    assert_eq!(
        token_maker.get("/api/v1/tokens").await.status,
        StatusCode::OK
    );
    let wider = token_maker
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "wider", "access": "write"})),
        )
        .await;
    assert_eq!(wider.status, StatusCode::FORBIDDEN, "{}", wider.body);
    // The organisation export holds every module's lists: its own module.
    let export = script.get("/api/v1/organisation-export?format=xlsx").await;
    assert_eq!(export.status, StatusCode::FORBIDDEN);
    let exporter = scoped_token(&app, json!({"modules": ["exports"]})).await;
    let export = app
        .token_client(&exporter)
        .get("/api/v1/organisation-export?format=xlsx")
        .await;
    assert_eq!(export.status, StatusCode::OK);

    let writer = scoped_token(&app, json!({"access": "write", "modules": ["indicators"]})).await;
    let mut writer = app.token_client(&writer);
    let made = writer
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(crate::indicators::web_success()),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
}

/// Every operation in the API document, as (method, path with ids filled
/// in, module).
async fn operations(app: &crate::helpers::TestApp) -> Vec<(Method, String, String)> {
    let document = app.client().get("/api/v1/openapi.json").await.json();
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let tag = operation["tags"][0].as_str().unwrap_or("").to_owned();
            // Any number will do: the scope is checked before the handler.
            let concrete: String = path
                .split('/')
                .map(|part| if part.starts_with('{') { "1" } else { part })
                .collect::<Vec<_>>()
                .join("/");
            out.push((method, format!("/api/v1{concrete}"), tag));
        }
    }
    out
}

#[tokio::test]
async fn every_operation_belongs_to_a_module_and_refuses_tokens_outside_their_scope() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let operations = operations(&app).await;
    assert!(operations.len() > 200, "{}", operations.len());
    for (method, path, tag) in &operations {
        assert!(
            tag == "public" || koers::tokens::scope::MODULES.contains(&tag.as_str()),
            "{method} {path} has no module a token can be limited to: {tag:?}"
        );
    }
    let read_all = scoped_token(&app, json!({"access": "read"})).await;
    let mut read_all = app.token_client(&read_all);
    let mut refused = 0;
    for (method, path, tag) in &operations {
        if tag == "public" || *method == Method::GET {
            continue;
        }
        let response = read_all.api(method.clone(), path, Some(json!({}))).await;
        assert_eq!(
            (
                response.status,
                response.json()["type"].as_str().unwrap_or("").to_owned()
            ),
            (
                StatusCode::FORBIDDEN,
                "https://koers.example/problems/insufficient-scope".to_owned()
            ),
            "read-only token on {method} {path}"
        );
        refused += 1;
    }
    assert!(refused > 100, "{refused}");
    // A write token limited to one module is refused everywhere else, and
    // is let through (whatever the handler then says) inside its module.
    for module in ["indicators", "reports"] {
        let narrow = scoped_token(&app, json!({"access": "write", "modules": [module]})).await;
        let mut narrow = app.token_client(&narrow);
        for (method, path, tag) in &operations {
            if tag == module {
                let inside = narrow.api(method.clone(), path, Some(json!({}))).await;
                assert_ne!(
                    inside.json()["type"],
                    "https://koers.example/problems/insufficient-scope",
                    "{module} token on its own {method} {path}"
                );
                continue;
            }
            if tag == "public" {
                continue;
            }
            let response = narrow.api(method.clone(), path, Some(json!({}))).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{module} token on {method} {path}"
            );
            assert_eq!(
                response.json()["type"],
                "https://koers.example/problems/insufficient-scope",
                "{module} token on {method} {path}"
            );
        }
    }
    assert_eq!(app.count("indicators").await, 0, "nothing written");
}

#[tokio::test]
async fn the_token_page_makes_a_scoped_token_and_explains_a_wrong_choice() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let page = admin.get("/account/tokens").await;
    assert!(page.body.contains("name=\"module_indicators\""));
    assert!(page.body.contains("<select"), "access is a choice");
    let bad = admin
        .post_form(
            "/account/tokens",
            &[
                ("name", "kapot"),
                ("expires_in_days", "30"),
                ("access", "root"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("id=\"access-error\""),
        "message beside the field"
    );
    assert_eq!(app.count("api_tokens").await, 0);
    let made = admin
        .post_form(
            "/account/tokens",
            &[
                ("name", "dashboard"),
                ("expires_in_days", "30"),
                ("access", "read"),
                ("module_indicators", "1"),
                ("module_ideas", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let listed = admin.get("/api/v1/tokens").await.json();
    assert_eq!(
        listed["items"][0]["modules"],
        json!(["indicators", "ideas"])
    );
    assert!(
        made.body.contains("Alleen lezen · Indicatoren, Ideeën"),
        "the list shows the scope"
    );
}
