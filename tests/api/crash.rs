//! Killed mid-write with SIGKILL, Koers loses no write it acknowledged and
//! leaves nothing half-written: the real binary, on the test's database,
//! stopped three times while two clients import measurements in batches.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::helpers::fresh_database;

/// Months per batch: each batch is one year of one indicator, all or
/// nothing.
const MONTHS: i64 = 12;

pub struct Server {
    pub child: Child,
    pub base: String,
    // Kept open: the server may still write to it.
    _stdout: BufReader<ChildStdout>,
}

/// Runs a `koers` command on the database at `url`; its standard output.
pub fn koers(url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("KOERS_DATABASE_URL", url)
        .env_remove("KOERS_CONFIG")
        .output()
        .expect("run koers");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn start(url: &str) -> Server {
    start_with(url, &[], Stdio::null())
}

/// `koers serve` on a free port of 127.0.0.1, with extra environment and
/// its log output going to `stderr`.
pub fn start_with(url: &str, env: &[(&str, &str)], stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KOERS_DATABASE_URL", url)
        .env("KOERS_EFFECTS_REFRESH_MINUTES", "0")
        .envs(env.iter().copied())
        .env_remove("KOERS_CONFIG")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start koers serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the address line");
    let base = line
        .split_whitespace()
        .last()
        .expect("an address")
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    Server {
        child,
        base,
        _stdout: stdout,
    }
}

fn year_batch(year: i64) -> serde_json::Value {
    let items: Vec<serde_json::Value> = (1..=MONTHS)
        .map(|m| serde_json::json!({"period": format!("{year}-{m:02}"), "value": year}))
        .collect();
    serde_json::json!({ "measurements": items })
}

/// Posts one year after another (1900 to 2200, the years a period may
/// have) until the server stops answering; returns the (indicator, year)
/// batches it acknowledged.
async fn import_years(base: String, token: String, indicator: i64) -> Vec<(i64, i64)> {
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    for year in 1900..=2200 {
        let sent = client
            .post(format!("{base}/api/v1/indicators/{indicator}/measurements"))
            .bearer_auth(&token)
            .json(&year_batch(year))
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => acknowledged.push((indicator, year)),
            Ok(response) => panic!("year {year}: {}", response.status()),
            Err(_) => break,
        }
    }
    acknowledged
}

/// (indicator, year, measurements of that year) as stored.
async fn stored_years(url: &str, schema: &Option<String>) -> Vec<(i64, i64, i64)> {
    let sql = "SELECT indicator_id, CAST(value AS BIGINT), COUNT(*) FROM measurements \
               GROUP BY indicator_id, value ORDER BY 1, 2";
    match schema {
        Some(schema) => {
            let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("SET search_path TO {schema}")))
                .execute(&mut connection)
                .await
                .unwrap();
            sqlx::query_as(sql)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        }
        None => {
            let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(url)
                .await
                .unwrap();
            let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&mut connection)
                .await
                .unwrap();
            assert_eq!(verdict, "ok", "SQLite's integrity check after SIGKILL");
            sqlx::query_as(sql)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        }
    }
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_write_and_no_half_batch() {
    let (url, schema, _dir) = fresh_database().await;
    let url = match &schema {
        Some(schema) => format!("{url}?options=-c%20search_path%3D{schema}"),
        None => url,
    };
    koers(&url, &["migrate"]);
    koers(
        &url,
        &[
            "org",
            "create",
            "--name",
            "Gemeente Crash",
            "--slug",
            "crash",
        ],
    );
    koers(
        &url,
        &[
            "user",
            "create",
            "--email",
            "beheer@crash.test",
            "--name",
            "Beheer",
            "--org",
            "crash",
            "--role",
            "admin",
        ],
    );
    let token = koers(
        &url,
        &[
            "token",
            "create",
            "--org",
            "crash",
            "--user",
            "beheer@crash.test",
            "--access",
            "write",
        ],
    );
    let server = start(&url);
    // One indicator per writer and round.
    let mut indicators = Vec::new();
    for n in 0..6 {
        let made: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/api/v1/indicators", server.base))
            .bearer_auth(&token)
            .json(
                &serde_json::json!({"code": format!("CRASH-{n}"), "name": format!("Crash {n}"),
                                       "unit": "count", "direction": "higher_is_better",
                                       "frequency": "month"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        indicators.push(made["id"].as_i64().expect("an indicator"));
    }
    let mut server = Some(server);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut rounds_cut_short = 0;
    for (round, wait_ms) in [(0_i64, 700_u64), (1, 450), (2, 900)] {
        let running = server.take().unwrap_or_else(|| start(&url));
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let indicator = indicators[(round * 2 + w) as usize];
                tokio::spawn(import_years(running.base.clone(), token.clone(), indicator))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        let mut child = running.child;
        child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
        child.wait().expect("reaped");
        let mut cut_short = false;
        for writer in writers {
            let done = writer.await.unwrap();
            cut_short |= done.len() < 301;
            acknowledged.lock().unwrap().extend(done);
        }
        rounds_cut_short += usize::from(cut_short);
    }

    assert!(
        rounds_cut_short >= 1,
        "at least one kill came while the clients were writing"
    );

    // Restarted: every acknowledged year whole, every other year whole or
    // absent, the audit chain intact.
    let restarted = start(&url);
    let health = reqwest::get(format!("{}/readyz", restarted.base)).await;
    assert!(health.is_ok_and(|r| r.status().is_success()));
    let stored = stored_years(&url, &schema).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 3,
        "the writers got some batches in before each kill: {acknowledged:?}"
    );
    for (indicator, year) in &acknowledged {
        assert!(
            stored.contains(&(*indicator, *year, MONTHS)),
            "acknowledged year {year} of indicator {indicator} is whole"
        );
    }
    for (indicator, year, count) in &stored {
        assert_eq!(
            *count, MONTHS,
            "year {year} of indicator {indicator} is whole, not half-written"
        );
    }
    let mut restarted = restarted;
    restarted.child.kill().expect("stop");
    restarted.child.wait().expect("reaped");
    let verified = koers(&url, &["audit", "verify"]);
    assert!(verified.contains("the audit chain is intact"), "{verified}");
}
