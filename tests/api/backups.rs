//! Backups of one organisation: round trips on either backend and across
//! them, refusals that leave nothing behind, the online copy of SQLite,
//! the commands, and the workbook export.

use std::sync::Arc;

use axum::http::StatusCode;
use calamine::Reader as _;
use koers::backup::{Archive, Value, service};
use koers::store::AuditMeta;

use crate::helpers::{PASSWORD, TestApp, spawn_app, test_settings};

fn meta(app: &TestApp) -> AuditMeta {
    AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "test".into(),
        client_address: None,
        at: app.state.clock().now(),
    }
}

/// Where two archives first differ, in words (archives are too large to
/// print whole).
fn difference(a: &Archive, b: &Archive) -> Option<String> {
    if a.organisation != b.organisation {
        return Some(format!(
            "organisation: {:?} / {:?}",
            a.organisation, b.organisation
        ));
    }
    if a.users != b.users {
        return Some("users differ".into());
    }
    if a.tables.len() != b.tables.len() {
        return Some("a different number of tables".into());
    }
    for (x, y) in a.tables.iter().zip(&b.tables) {
        if x.name != y.name || x.columns != y.columns || x.rows.len() != y.rows.len() {
            return Some(format!("{} / {}: shape", x.name, y.name));
        }
        for (i, (r, q)) in x.rows.iter().zip(&y.rows).enumerate() {
            if r != q {
                return Some(format!("{} row {i}: {r:?} / {q:?}", x.name));
            }
        }
    }
    (a != b).then(|| "header differs".into())
}

fn rows_of<'a>(archive: &'a Archive, table: &str) -> &'a [Vec<Value>] {
    &archive
        .tables
        .iter()
        .find(|t| t.name == table)
        .unwrap_or_else(|| panic!("no {table}"))
        .rows
}

async fn demo() -> (TestApp, Archive) {
    let app = spawn_app().await;
    assert!(koers::demo::load(&app.state).await.unwrap());
    let archive = service::backup(app.state.store(), koers::demo::SLUG)
        .await
        .unwrap();
    (app, archive)
}

#[tokio::test]
async fn a_backup_restored_elsewhere_and_backed_up_again_is_the_same_file() {
    let (app, archive) = demo().await;
    let bytes = service::to_bytes(&archive).unwrap();
    assert!(rows_of(&archive, "measurements").len() > 100);
    assert!(rows_of(&archive, "skill_assessments").len() > 100);
    assert!(!archive.users.rows.is_empty());

    // Another installation on the same backend.
    let other = spawn_app().await;
    let read = service::from_bytes(&bytes).unwrap();
    let restored = service::restore(other.state.store(), &meta(&other), &read, None)
        .await
        .unwrap();
    let again = service::backup_of(other.state.store(), restored)
        .await
        .unwrap();
    let diff = difference(&again, &archive);
    assert!(diff.is_none(), "{diff:?}");
    assert!(
        service::to_bytes(&again).unwrap() == bytes,
        "the same bytes"
    );

    // The people can log in there and see their organisation's data.
    let mut lead = other
        .login(
            &koers::demo::email_for(koers::domain::Role::ProgrammeLead),
            koers::demo::PASSWORD,
        )
        .await;
    let indicators = lead.get("/api/v1/indicators").await;
    assert_eq!(indicators.status, StatusCode::OK);
    assert!(indicators.json()["total"].as_i64().unwrap() >= 10);

    // The same installation, under another slug: everything the same but
    // the slug, and the original untouched.
    let copy = service::restore(app.state.store(), &meta(&app), &read, Some("kopie"))
        .await
        .unwrap();
    let mut copied = service::backup_of(app.state.store(), copy).await.unwrap();
    assert_eq!(copied.organisation["slug"], Value::Text("kopie".into()));
    copied
        .organisation
        .insert("slug".into(), Value::Text(koers::demo::SLUG.into()));
    // Survey links belong to one organisation: the copy's are new.
    let links = |a: &Archive| -> Vec<Value> {
        let table = a
            .tables
            .iter()
            .find(|t| t.name == "survey_invitations")
            .unwrap();
        let at = table
            .columns
            .iter()
            .position(|c| c == "token_hash")
            .unwrap();
        table.rows.iter().map(|r| r[at].clone()).collect()
    };
    let (theirs, ours) = (links(&copied), links(&archive));
    assert!(!ours.is_empty());
    assert!(theirs.iter().all(|link| !ours.contains(link)));
    let mut expected = archive.clone();
    for a in [&mut copied, &mut expected] {
        let table = a
            .tables
            .iter_mut()
            .find(|t| t.name == "survey_invitations")
            .unwrap();
        let at = table
            .columns
            .iter()
            .position(|c| c == "token_hash")
            .unwrap();
        for row in &mut table.rows {
            row[at] = Value::Null;
        }
    }
    let diff = difference(&copied, &expected);
    assert!(diff.is_none(), "{diff:?}");
    let original = service::backup(app.state.store(), koers::demo::SLUG)
        .await
        .unwrap();
    assert!(difference(&original, &archive).is_none());
}

#[tokio::test]
async fn a_backup_moves_between_sqlite_and_postgresql_unchanged() {
    let Ok(url) = std::env::var("KOERS_TEST_DATABASE_URL") else {
        eprintln!("skipped: runs with KOERS_TEST_DATABASE_URL set to PostgreSQL (.ci/run does)");
        return;
    };
    if !url.starts_with("postgres") {
        return;
    }
    // This run's app is on PostgreSQL; the other installation is SQLite.
    let (app, archive) = demo().await;
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("koers-move"));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = koers::startup::prepare_state(
        test_settings(&format!("sqlite://{}", dir.join("koers.db").display())),
        Arc::new(koers::clock::ManualClock::new(app.state.clock().now())),
        None,
    )
    .await
    .unwrap();
    let there = service::restore(sqlite.store(), &meta(&app), &archive, None)
        .await
        .unwrap();
    let from_sqlite = service::backup_of(sqlite.store(), there).await.unwrap();
    let diff = difference(&from_sqlite, &archive);
    assert!(diff.is_none(), "PostgreSQL → SQLite: {diff:?}");
    // And back up to a new PostgreSQL installation.
    let back = spawn_app().await;
    let here = service::restore(back.state.store(), &meta(&back), &from_sqlite, None)
        .await
        .unwrap();
    let again = service::backup_of(back.state.store(), here).await.unwrap();
    let diff = difference(&again, &archive);
    assert!(diff.is_none(), "SQLite → PostgreSQL: {diff:?}");
    sqlite.store().close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_restore_that_cannot_complete_leaves_nothing_behind() {
    let (app, archive) = demo().await;
    let organisations = app.count("organisations").await;
    let users = app.count("users").await;
    // The slot is taken.
    let taken = service::restore(app.state.store(), &meta(&app), &archive, None).await;
    assert!(matches!(taken, Err(koers::Error::Conflict(_))), "{taken:?}");
    // A broken archive: a reference to a row that is not in it, late in
    // the order, after the organisation and many rows were written.
    let mut broken = archive.clone();
    let supports = broken
        .tables
        .iter_mut()
        .find(|t| t.name == "idea_supports")
        .unwrap();
    let idea = supports
        .columns
        .iter()
        .position(|c| c == "idea_id")
        .unwrap();
    supports.rows[0][idea] = Value::Int(999_999);
    let failed = service::restore(app.state.store(), &meta(&app), &broken, Some("kapot")).await;
    assert!(failed.is_err());
    assert_eq!(app.count("organisations").await, organisations);
    assert_eq!(app.count("users").await, users);
    // Not an archive, or one of another version: refused plainly.
    let not = service::from_bytes(b"{\"hello\": 1}").unwrap_err();
    assert!(
        matches!(not, koers::Error::Invalid(ref f) if f[0].code == "archive_format"),
        "{not:?}"
    );
    let mut newer = archive.clone();
    newer.version += 1;
    let refused = service::from_bytes(&service::to_bytes(&newer).unwrap()).unwrap_err();
    assert!(matches!(refused, koers::Error::Invalid(ref f) if f[0].code == "archive_version"));
    let mut future = archive.clone();
    future.schema += 1;
    let refused = service::restore(app.state.store(), &meta(&app), &future, Some("toekomst"))
        .await
        .unwrap_err();
    assert!(matches!(refused, koers::Error::Invalid(ref f) if f[0].code == "archive_version"));
    assert_eq!(app.count("organisations").await, organisations);
}

#[tokio::test]
async fn the_commands_back_up_restore_and_export_and_never_overwrite() {
    let (url, schema, _dir) = crate::helpers::fresh_database().await;
    let url = match &schema {
        Some(schema) => format!("{url}?options=-c%20search_path%3D{schema}"),
        None => url,
    };
    let koers = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_koers"))
            .args(args)
            .env("KOERS_DATABASE_URL", &url)
            .env_remove("KOERS_CONFIG")
            .output()
            .expect("run koers")
    };
    let ok = |out: std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    ok(koers(&["migrate"]));
    ok(koers(&[
        "org",
        "create",
        "--name",
        "Gemeente Een",
        "--slug",
        "een",
        "--kind",
        "municipality",
    ]));
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("koers-cli-backup"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("een.json");
    let path = file.to_str().unwrap();
    ok(koers(&["backup", "--org", "een", path]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads a backup");
    }
    let again = koers(&["backup", "--org", "een", path]);
    assert!(
        !again.status.success(),
        "an existing file is not overwritten"
    );
    assert_eq!(ok(koers(&["restore", path, "--slug", "twee"])), "twee");
    let taken = koers(&["restore", path, "--slug", "twee"]);
    assert!(!taken.status.success());
    let workbook = dir.join("een.xlsx");
    ok(koers(&[
        "export",
        "--org",
        "een",
        "--format",
        "xlsx",
        workbook.to_str().unwrap(),
    ]));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&workbook).unwrap();
    assert!(book.sheet_names().contains(&"indicators".to_owned()));
    assert!(book.worksheet_range("people").is_ok());
    if schema.is_none() {
        let copy = dir.join("all.db");
        ok(koers(&["backup", "--all", copy.to_str().unwrap()]));
        let check = koers::startup::prepare_state(
            test_settings(&format!("sqlite://{}", copy.display())),
            Arc::new(koers::clock::SystemClock),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            check
                .store()
                .organisation_by_slug("twee")
                .await
                .unwrap()
                .slug,
            "twee"
        );
        check.store().close().await;
    } else {
        let refused = koers(&["backup", "--all", dir.join("all.db").to_str().unwrap()]);
        assert!(!refused.status.success(), "PostgreSQL has its own tools");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_workbook_holds_the_organisations_lists_and_no_personal_data() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let _ = crate::indicators::define(&mut beta, {
        let mut body = crate::indicators::web_success();
        body["name"] = serde_json::json!("Alleen van Beta");
        body
    })
    .await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let _ = crate::indicators::define(&mut admin, crate::indicators::web_success()).await;
    let file = admin.get("/api/v1/organisation-export?format=xlsx").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert!(
        file.header("content-disposition")
            .contains("koers-alpha.xlsx")
    );
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes.clone())).unwrap();
    let names = book.sheet_names();
    assert!(names.contains(&"people".to_owned()) && names.contains(&"indicators".to_owned()));
    for personal in [
        "skill_levels",
        "skill_assessments",
        "survey_answers",
        "notifications",
    ] {
        assert!(!names.contains(&personal.to_owned()), "{personal}");
    }
    let indicators = book.worksheet_range("indicators").unwrap();
    let text: Vec<String> = indicators
        .rows()
        .flatten()
        .map(ToString::to_string)
        .collect();
    assert!(text.contains(&"Succesratio webformulieren".to_owned()));
    assert!(
        !text.iter().any(|c| c == "Alleen van Beta"),
        "another organisation's data"
    );
    assert!(text.contains(&"Code".to_owned()), "readable headings");
    let people = book.worksheet_range("people").unwrap();
    assert_eq!(
        people.height(),
        8,
        "a heading and the seven members of alpha"
    );
    let csv = admin
        .get("/api/v1/organisation-export?format=csv&sheet=indicators")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Succesratio webformulieren"));
    let missing = admin.get("/api/v1/organisation-export?format=csv").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.errors(),
        [("sheet".to_owned(), "required".to_owned())]
    );
    let unknown = admin
        .get("/api/v1/organisation-export?format=csv&sheet=skill_levels")
        .await;
    assert_eq!(
        unknown.errors(),
        [("sheet".to_owned(), "unknown_choice".to_owned())]
    );
    // Each file that left is in the audit log; refusals are not.
    let exports = admin.get("/api/v1/audit-events?action=export").await.json();
    assert_eq!(exports["total"], 2, "{exports}");
    assert!(
        exports["items"][0]["changes"]
            .to_string()
            .contains("koers-alpha-indicators.csv")
    );
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    assert_eq!(
        lead.get("/api/v1/organisation-export").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_workbook_with_a_stored_board_report_opens_and_leaves_the_report_text_out() {
    let app = spawn_app().await;
    assert!(koers::demo::load(&app.state).await.unwrap());
    let mut admin = app
        .login(
            &koers::demo::email_for(koers::domain::Role::Admin),
            koers::demo::PASSWORD,
        )
        .await;
    let made = admin
        .api(
            axum::http::Method::POST,
            "/api/v1/board-reports",
            Some(serde_json::json!({"period": "2026-Q3", "language": "nl"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let sha = made.json()["content_sha256"].as_str().unwrap().to_owned();
    let file = admin.get("/api/v1/organisation-export?format=xlsx").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes.clone())).unwrap();
    let reports = book.worksheet_range("board_reports").unwrap();
    let cells: Vec<String> = reports.rows().flatten().map(ToString::to_string).collect();
    assert!(cells.contains(&sha), "the report's fingerprint is listed");
    assert!(!cells.iter().any(|c| c == "Content"), "{cells:?}");
    assert!(
        cells.iter().all(|c| c.len() < 2_000),
        "no report text in a cell"
    );
}

#[tokio::test]
async fn the_backup_describes_every_table_and_column_of_the_schema() {
    let app = spawn_app().await;
    for table in koers::backup::tables::TABLES {
        let described: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        assert_eq!(app.columns(table.name).await, described, "{}", table.name);
    }
    let users: Vec<String> = app.columns("users").await;
    for (column, _) in koers::backup::tables::USER_COLUMNS {
        assert!(users.contains(&(*column).to_owned()), "users.{column}");
    }
    let tables = if app.schema.is_some() {
        app.scalar(&format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{}' \
             AND table_name <> '_sqlx_migrations'",
            app.schema.as_deref().unwrap()
        ))
        .await
    } else {
        app.scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .await
    };
    let known = koers::backup::tables::TABLES.len() + koers::backup::tables::LEFT_OUT.len();
    assert_eq!(
        tables,
        i64::try_from(known).unwrap(),
        "a table is neither carried by backups nor left out with a reason"
    );
}

/// The restore drill: backups taken while people keep working restore on a
/// fresh installation exactly as they were taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_on_a_fresh_installation_as_it_was() {
    let app = spawn_app().await;
    let (alpha, _) = app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    // Each round makes an indicator and then its measurements: a backup
    // that read the tables at different moments would hold measurements of
    // an indicator it does not have.
    let writer = tokio::spawn(async move {
        for n in 0..30 {
            let made = admin
                .api(
                    axum::http::Method::POST,
                    "/api/v1/indicators",
                    Some(
                        serde_json::json!({"code": format!("DRUK-{n}"), "name": format!("Druk {n}"),
                                            "unit": "count", "direction": "higher_is_better",
                                            "frequency": "month"}),
                    ),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
            let id = made.json()["id"].as_i64().unwrap();
            let items: Vec<serde_json::Value> = (1..=12)
                .map(|m| serde_json::json!({"period": format!("2025-{m:02}"), "value": n}))
                .collect();
            let recorded = admin
                .api(
                    axum::http::Method::POST,
                    &format!("/api/v1/indicators/{id}/measurements"),
                    Some(serde_json::json!({ "measurements": items })),
                )
                .await;
            assert!(recorded.status.is_success(), "{}", recorded.body);
        }
    });
    let mut archives = Vec::new();
    while !writer.is_finished() {
        archives.push(
            service::backup_of(app.state.store(), alpha.id)
                .await
                .unwrap(),
        );
        tokio::task::yield_now().await;
    }
    writer.await.unwrap();
    archives.push(
        service::backup_of(app.state.store(), alpha.id)
            .await
            .unwrap(),
    );
    assert!(
        archives.len() >= 3,
        "backups while writing: {}",
        archives.len()
    );

    // A sample (first, some in between, last) on fresh installations.
    let step = (archives.len() / 4).max(1);
    for archive in archives.iter().step_by(step).chain(archives.last()) {
        let indicators = rows_of(archive, "indicators").len();
        let measurements = rows_of(archive, "measurements").len();
        assert_eq!(
            measurements % 12,
            0,
            "whole imports only: {measurements} measurements of {indicators} indicators"
        );
        let fresh = spawn_app().await;
        let read = service::from_bytes(&service::to_bytes(archive).unwrap()).unwrap();
        let restored = service::restore(fresh.state.store(), &meta(&fresh), &read, None)
            .await
            .unwrap();
        let again = service::backup_of(fresh.state.store(), restored)
            .await
            .unwrap();
        let diff = difference(&again, archive);
        assert!(diff.is_none(), "{diff:?}");
        let report = fresh.state.store().verify_audit_chain(None).await.unwrap();
        assert!(report.intact(), "{:?}", report.problems);
    }
    let last = archives.last().unwrap();
    assert_eq!(rows_of(last, "measurements").len(), 30 * 12);
}

/// Renames every person from outside the app, on a connection of its own,
/// and waits for it: called from inside a backup's read.
fn rename_everyone_meanwhile(url: String, schema: Option<String>) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let sql = "UPDATE users SET name = 'Later hernoemd'";
            match schema {
                Some(schema) => {
                    let mut connection = crate::helpers::pg_connection_to(&url, &schema).await;
                    sqlx::query(sql).execute(&mut connection).await.unwrap();
                }
                None => {
                    let mut connection =
                        <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                            .await
                            .unwrap();
                    sqlx::query(sql).execute(&mut connection).await.unwrap();
                }
            }
        });
    })
    .join()
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_reads_one_moment_even_when_someone_writes_in_between() {
    let app = spawn_app().await;
    let (alpha, _) = app.two_organisations().await;
    let (url, schema) = (app.database_url.clone(), app.schema.clone());
    let snapshot = app
        .state
        .store()
        .organisation_snapshot(alpha.id, koers::backup::tables::order().unwrap(), |read| {
            // Between reading the tables and reading the people.
            rename_everyone_meanwhile(url.clone(), schema.clone());
            koers::backup::pack::referenced_users(read)
        })
        .await
        .unwrap();
    assert!(!snapshot.users.is_empty());
    let names: Vec<String> = snapshot
        .users
        .iter()
        .map(|u| format!("{:?}", u[2]))
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("Later hernoemd")),
        "the backup saw a change made after it began: {names:?}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE name = 'Later hernoemd'")
            .await,
        app.count("users").await,
        "the change itself went through"
    );
}

/// Drops a column from an archived table, as an archive written before the
/// column existed would be.
fn without_column(archive: &mut Archive, table: &str, column: &str) {
    let archived = archive.tables.iter_mut().find(|t| t.name == table).unwrap();
    let at = archived.columns.iter().position(|c| c == column).unwrap();
    archived.columns.remove(at);
    for row in &mut archived.rows {
        row.remove(at);
    }
}

#[tokio::test]
async fn a_backup_made_before_an_upgrade_still_restores() {
    let (_app, mut archive) = demo().await;
    without_column(&mut archive, "initiatives", "version");
    without_column(&mut archive, "indicators", "version");
    without_column(
        &mut archive,
        "initiative_indicators",
        "control_indicator_id",
    );
    let other = spawn_app().await;
    let restored = service::restore(other.state.store(), &meta(&other), &archive, None)
        .await
        .unwrap();
    let again = service::backup_of(other.state.store(), restored)
        .await
        .unwrap();
    assert!(rows_of(&again, "initiatives").len() > 10);
    let versions = other
        .scalar("SELECT COUNT(*) FROM initiatives WHERE version = 1")
        .await;
    assert_eq!(versions, other.count("initiatives").await);
    let versions = other
        .scalar("SELECT COUNT(*) FROM indicators WHERE version = 1")
        .await;
    assert_eq!(versions, other.count("indicators").await);
    // A column this version does not know about is still refused.
    let (_app, mut stranger) = demo().await;
    let units = stranger
        .tables
        .iter_mut()
        .find(|t| t.name == "units")
        .unwrap();
    units.columns.push("colour".into());
    for row in &mut units.rows {
        row.push(Value::Null);
    }
    let refused = service::restore(
        other.state.store(),
        &meta(&other),
        &stranger,
        Some("vreemd"),
    )
    .await
    .unwrap_err();
    assert!(
        format!("{refused:?}").contains("archive_version"),
        "{refused:?}"
    );
}
