//! The audit log is append-only and chained: changing, removing or
//! slipping in an event is found by `koers audit verify`.

use std::process::Command;

use axum::http::Method;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// The database URL the `koers` binary needs to see this test's data.
fn binary_url(app: &TestApp) -> String {
    match &app.schema {
        Some(schema) => format!("{}?options=-c%20search_path%3D{schema}", app.database_url),
        None => app.database_url.clone(),
    }
}

fn verify(app: &TestApp) -> (bool, String) {
    verify_with(app, &[])
}

fn verify_with(app: &TestApp, extra: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(["audit", "verify"])
        .args(extra)
        .env("KOERS_DATABASE_URL", binary_url(app))
        .env_remove("KOERS_CONFIG")
        .output()
        .expect("run koers");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Runs tampering SQL around the append-only triggers, as someone with
/// direct access to the database could.
async fn tamper(app: &TestApp, sql: &str) {
    let postgres = app.schema.is_some();
    let statements: Vec<String> = if postgres {
        vec![
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only".into(),
            "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only".into(),
            "ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_forward".into(),
            "ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_event_id_fkey".into(),
            sql.into(),
            "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only".into(),
            "ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only".into(),
            "ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_forward".into(),
        ]
    } else {
        vec![
            "DROP TRIGGER IF EXISTS audit_events_no_update".into(),
            "DROP TRIGGER IF EXISTS audit_events_no_delete".into(),
            "DROP TRIGGER IF EXISTS audit_chain_no_update".into(),
            "DROP TRIGGER IF EXISTS audit_chain_no_delete".into(),
            "DROP TRIGGER IF EXISTS audit_chain_head_forward".into(),
            sql.into(),
        ]
    };
    for statement in statements {
        app.execute(&statement).await.expect("tampering runs");
    }
}

/// An event written straight into the table, around Koers.
const SLIP_IN: &str = "INSERT INTO audit_events (organisation_id, actor_label, action, entity_type, \
     entity_id, occurred_at, changes) SELECT organisation_id, actor_label, action, entity_type, \
     entity_id, occurred_at, changes FROM audit_events WHERE id = 1";

async fn some_history(app: &TestApp) {
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    for name in ["Team A", "Team B", "Team C"] {
        let made = admin
            .api(Method::POST, "/api/v1/units", Some(json!({"name": name})))
            .await;
        assert!(made.status.is_success(), "{}", made.body);
    }
}

#[tokio::test]
async fn every_event_is_chained_and_the_log_refuses_changes() {
    let app = spawn_app().await;
    app.two_organisations().await;
    some_history(&app).await;
    // Concurrent writers from two organisations: one chain, no fork.
    let mut writers = Vec::new();
    for (email, n) in [("admin@alpha.test", 0), ("admin@beta.test", 1)] {
        let mut client = app.login(email, PASSWORD).await;
        writers.push(tokio::spawn(async move {
            for i in 0..10 {
                let name = format!("Parallel {n}-{i}");
                let made = client
                    .api(Method::POST, "/api/v1/units", Some(json!({"name": name})))
                    .await;
                assert!(made.status.is_success(), "{}", made.body);
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let events = app.count("audit_events").await;
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert!(report.intact(), "{:?}", report.problems);
    assert_eq!(report.links, events);
    assert_eq!(report.head_seq, events);
    let (ok, out) = verify(&app);
    assert!(ok, "{out}");
    assert!(out.contains("the audit chain is intact"), "{out}");
    assert!(
        out.contains(&report.head_hash),
        "the head hash to keep elsewhere: {out}"
    );
    // A link written down earlier must still be there, unchanged.
    let kept = format!("{}:{}", report.head_seq, report.head_hash);
    assert!(verify_with(&app, &["--anchor", &kept]).0);
    let wrong = format!("{}:{}", report.head_seq, "0".repeat(64));
    let (ok, out) = verify_with(&app, &["--anchor", &wrong]);
    assert!(!ok && out.contains("is not the one written down"), "{out}");
    let beyond = format!("{}:{}", events + 50, report.head_hash);
    let (ok, out) = verify_with(&app, &["--anchor", &beyond]);
    assert!(
        !ok && out.contains("is gone: the chain was cut back"),
        "{out}"
    );

    // The database itself refuses to change or remove an event.
    assert!(
        app.execute("UPDATE audit_events SET actor_label = 'iemand anders'")
            .await
            .is_err()
    );
    assert!(app.execute("DELETE FROM audit_events").await.is_err());
    assert!(app.execute("DELETE FROM audit_chain").await.is_err());
    assert!(
        app.execute("UPDATE audit_chain_head SET seq = 0")
            .await
            .is_err(),
        "the head does not move back"
    );
    assert!(
        app.execute("UPDATE audit_chain_head SET legacy_sealed = (1 = 0)")
            .await
            .is_err(),
        "the one-time chaining of older events is not switched on again"
    );
    assert_eq!(app.count("audit_events").await, events);
}

#[tokio::test]
async fn a_changed_removed_or_slipped_in_event_breaks_the_chain() {
    let app = spawn_app().await;
    app.two_organisations().await;
    some_history(&app).await;
    assert!(verify(&app).0);
    let events = app.count("audit_events").await;
    let middle = app
        .scalar(&format!(
            "SELECT event_id FROM audit_chain WHERE seq = {}",
            events / 2
        ))
        .await;

    // Changed.
    tamper(
        &app,
        &format!("UPDATE audit_events SET actor_label = 'iemand anders' WHERE id = {middle}"),
    )
    .await;
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert_eq!(
        report.problems,
        [format!(
            "link {}: event {middle} was changed after it was written",
            events / 2
        )]
    );
    let (ok, out) = verify(&app);
    assert!(!ok, "a broken chain fails the command: {out}");
    assert!(out.contains("was changed after it was written"), "{out}");

    // Slipped in, around Koers.
    tamper(&app, SLIP_IN).await;
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(report.problems[1].ends_with("has no link: it was written around Koers"));

    // Removed: the event and its link, from the middle.
    let earlier = app
        .scalar("SELECT event_id FROM audit_chain WHERE seq = 2")
        .await;
    tamper(&app, "DELETE FROM audit_chain WHERE seq = 2").await;
    tamper(
        &app,
        &format!("DELETE FROM audit_events WHERE id = {earlier}"),
    )
    .await;
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert!(
        report
            .problems
            .contains(&"links 2 to 2 are missing: events were removed".to_owned()),
        "{:?}",
        report.problems
    );
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.starts_with("link 3 does not follow")),
        "the gap is reported once, not again as a broken link: {:?}",
        report.problems
    );

    // The newest removed with its link: the head tells.
    let newest = app
        .scalar(&format!(
            "SELECT event_id FROM audit_chain WHERE seq = {events}"
        ))
        .await;
    tamper(
        &app,
        &format!("DELETE FROM audit_chain WHERE seq = {events}"),
    )
    .await;
    tamper(
        &app,
        &format!("DELETE FROM audit_events WHERE id = {newest}"),
    )
    .await;
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("newest events were removed")),
        "{:?}",
        report.problems
    );
}

#[tokio::test]
async fn events_from_before_the_chain_are_chained_once_at_the_next_start() {
    let app = spawn_app().await;
    app.two_organisations().await;
    some_history(&app).await;
    // As an installation upgraded from before the chain: events, no links.
    tamper(&app, "DELETE FROM audit_chain").await;
    tamper(
        &app,
        &format!(
            "UPDATE audit_chain_head SET seq = 0, last_hash = '{}', legacy_sealed = (1 = 0)",
            "0".repeat(64)
        ),
    )
    .await;
    assert!(
        !app.state
            .store()
            .verify_audit_chain(None)
            .await
            .unwrap()
            .intact()
    );
    app.state.store().migrate().await.unwrap();
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert!(report.intact(), "{:?}", report.problems);
    assert_eq!(report.links, app.count("audit_events").await);

    // Only once: an event slipped in later stays unlinked at every start.
    tamper(&app, SLIP_IN).await;
    app.state.store().migrate().await.unwrap();
    let report = app.state.store().verify_audit_chain(None).await.unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
}
