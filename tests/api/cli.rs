//! The `koers` binary's installation commands, run as a user would.

use std::process::Command;

fn koers(database: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("KOERS_DATABASE_URL", database)
        .env_remove("KOERS_CONFIG")
        .output()
        .expect("run koers")
}

#[tokio::test]
async fn org_user_and_token_commands_set_up_an_installation() {
    let (url, schema, _dir) = crate::helpers::fresh_database().await;
    // The binary has no schema option; on PostgreSQL give it its own search path.
    let url = match &schema {
        Some(schema) => format!("{url}?options=-c%20search_path%3D{schema}"),
        None => url,
    };
    let migrate = koers(&url, &["migrate"]);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let org = koers(
        &url,
        &[
            "org",
            "create",
            "--name",
            "Waterschap Voorbeeld",
            "--slug",
            "ws-voorbeeld",
            "--kind",
            "water_board",
        ],
    );
    assert!(
        org.status.success(),
        "{}",
        String::from_utf8_lossy(&org.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&org.stdout).trim(), "ws-voorbeeld");

    let bad = koers(
        &url,
        &["org", "create", "--name", "", "--slug", "Niet Goed"],
    );
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(
        message.contains("name") && message.contains("slug"),
        "{message}"
    );

    let user = koers(
        &url,
        &[
            "user",
            "create",
            "--email",
            "beheer@ws.example",
            "--name",
            "Beheer",
            "--org",
            "ws-voorbeeld",
            "--role",
            "admin",
        ],
    );
    assert!(
        user.status.success(),
        "{}",
        String::from_utf8_lossy(&user.stderr)
    );

    let token = koers(
        &url,
        &[
            "token",
            "create",
            "--org",
            "ws-voorbeeld",
            "--user",
            "beheer@ws.example",
            "--name",
            "ci",
        ],
    );
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let secret = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    assert!(
        secret.starts_with("koers_") && !secret.contains('\n'),
        "prints only the token: {secret:?}"
    );

    // The token works against a server on the same database.
    let settings = crate::helpers::test_settings(&url);
    let state = koers::startup::prepare_state(
        settings,
        std::sync::Arc::new(koers::clock::SystemClock),
        None,
    )
    .await
    .unwrap();
    let router = koers::http::app(state);
    let response = tower::ServiceExt::oneshot(
        router,
        axum::http::Request::get("/api/v1/organisation")
            .header("authorization", format!("Bearer {secret}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), axum::http::StatusCode::OK);

    let unknown = koers(
        &url,
        &[
            "token",
            "create",
            "--org",
            "ws-voorbeeld",
            "--user",
            "nobody@ws.example",
        ],
    );
    assert!(!unknown.status.success());
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["org", "create", "--help"],
        vec!["user", "create", "--help"],
        vec!["token", "create", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_koers"))
            .args(&args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}
