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
fn secret_key_prints_a_new_usable_key_each_time() {
    let key = || {
        let output = Command::new(env!("CARGO_BIN_EXE_koers"))
            .arg("secret-key")
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let (first, second) = (key(), key());
    assert_ne!(first, second);
    let sealed = koers::auth::sealed::SecretKey::parse(&first).unwrap();
    assert_eq!(
        sealed.open("x", &sealed.seal("x", "geheim")).unwrap(),
        "geheim"
    );
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

#[tokio::test]
async fn measurements_import_from_the_command_line() {
    let (url, schema, dir) = crate::helpers::fresh_database().await;
    let url = match &schema {
        Some(schema) => format!("{url}?options=-c%20search_path%3D{schema}"),
        None => url,
    };
    assert!(
        koers(
            &url,
            &[
                "org",
                "create",
                "--name",
                "Gemeente Import",
                "--slug",
                "import"
            ]
        )
        .status
        .success()
    );
    assert!(
        koers(
            &url,
            &[
                "user",
                "create",
                "--email",
                "a@import.test",
                "--name",
                "A",
                "--org",
                "import",
                "--role",
                "admin"
            ]
        )
        .status
        .success()
    );
    let token = String::from_utf8(
        koers(
            &url,
            &[
                "token",
                "create",
                "--access",
                "write",
                "--module",
                "indicators",
                "--org",
                "import",
                "--user",
                "a@import.test",
            ],
        )
        .stdout,
    )
    .unwrap();
    let state = koers::startup::prepare_state(
        crate::helpers::test_settings(&url),
        std::sync::Arc::new(koers::clock::SystemClock),
        None,
    )
    .await
    .unwrap();
    let router = koers::http::app(state);
    let define = axum::http::Request::post("/api/v1/indicators")
        .header("authorization", format!("Bearer {}", token.trim()))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"code":"WMO","name":"Wmo","unit":"percentage","direction":"higher_is_better","frequency":"month"}"#))
        .unwrap();
    assert_eq!(
        tower::ServiceExt::oneshot(router, define)
            .await
            .unwrap()
            .status(),
        201
    );

    let folder = dir
        .as_ref()
        .map_or_else(std::env::temp_dir, |d| d.0.clone());
    let file = folder.join(format!("metingen-{}.csv", std::process::id()));
    std::fs::write(
        &file,
        "indicator;periode;waarde\nWMO;2026-10;88,5\nWMO;2026-11;89\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let dry = koers(
        &url,
        &[
            "import",
            "measurements",
            &path,
            "--org",
            "import",
            "--dry-run",
        ],
    );
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&dry.stdout).trim(),
        "dry run: rows 2, created 2, updated 0, unchanged 0"
    );
    let real = koers(&url, &["import", "measurements", &path, "--org", "import"]);
    assert_eq!(
        String::from_utf8_lossy(&real.stdout).trim(),
        "rows 2, created 2, updated 0, unchanged 0"
    );
    std::fs::write(&file, "indicator;periode;waarde\nWMO;2026-12;101\n").unwrap();
    let bad = koers(&url, &["import", "measurements", &path, "--org", "import"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("rows[2].value"));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn effects_estimate_writes_one_row_per_task_and_refuses_unknown_methods() {
    let dir = crate::helpers::TempDir(
        std::env::temp_dir().join(crate::helpers::unique_name("koers-effects")),
    );
    std::fs::create_dir_all(&dir.0).expect("a temporary folder");
    let series = dir.0.join("series.csv");
    let tasks = dir.0.join("tasks.csv");
    let out = dir.0.join("out.csv");
    let mut rows = String::from("series_id,date,value,control\n");
    for month in 0..36u32 {
        let wiggle = f64::from((month * 7919) % 11) / 4.0;
        let step = if month >= 24 { 8.0 } else { 0.0 };
        rows.push_str(&format!(
            "a,{}-{:02}-01,{},\n",
            2022 + month / 12,
            month % 12 + 1,
            60.0 + wiggle + step
        ));
    }
    std::fs::write(&series, rows).expect("write series");
    std::fs::write(
        &tasks,
        "series_id,freq,intervention_date\na,month,2024-01-01\nmissing,month,2024-01-01\n",
    )
    .expect("write tasks");
    let path = |p: &std::path::Path| p.to_str().expect("a UTF-8 path").to_owned();
    let run = |method: &str| {
        Command::new(env!("CARGO_BIN_EXE_koers"))
            .args([
                "effects",
                "estimate",
                "--series",
                &path(&series),
                "--tasks",
                &path(&tasks),
                "--out",
                &path(&out),
                "--method",
                method,
                "--workers",
                "2",
            ])
            .env_remove("KOERS_CONFIG")
            .output()
            .expect("run koers")
    };
    let done = run("structural");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).contains("1 estimates, 1 refused"));
    let written = std::fs::read_to_string(&out).expect("the output");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "series_id,estimate,lo95,hi95,runtime_s,reason");
    let cells: Vec<&str> = lines[1].split(',').collect();
    let (lo, hi): (f64, f64) = (cells[2].parse().unwrap(), cells[3].parse().unwrap());
    assert!(
        cells[0] == "a" && lo > 0.0 && lo < 8.0 && hi > 8.0,
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("missing,,,,"), "{}", lines[2]);

    let bad = run("guesswork");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("method `guesswork`"));
}
