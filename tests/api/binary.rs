//! The real `koers` binary on the test's database: for the tests that kill
//! it, read its log or run its commands.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::helpers::{TempDir, fresh_database};

/// A database for the binary: its URL (on PostgreSQL with the test's
/// schema as search path, since the binary knows no schema setting), the
/// schema, and the temp dir that keeps a SQLite file alive.
pub struct BinaryDatabase {
    pub url: String,
    pub schema: Option<String>,
    _dir: Option<TempDir>,
}

impl BinaryDatabase {
    /// A fresh, migrated database.
    pub async fn fresh() -> Self {
        let (url, schema, dir) = fresh_database().await;
        let url = match &schema {
            Some(schema) => format!("{url}?options=-c%20search_path%3D{schema}"),
            None => url,
        };
        koers(&url, &["migrate"]);
        BinaryDatabase {
            url,
            schema,
            _dir: dir,
        }
    }

    /// Makes an organisation with one administrator; a write token acting
    /// as them.
    pub fn organisation(&self, slug: &str, admin_email: &str, admin_name: &str) -> String {
        let name = format!("Gemeente {slug}");
        koers(
            &self.url,
            &["org", "create", "--name", &name, "--slug", slug],
        );
        koers(
            &self.url,
            &[
                "user",
                "create",
                "--email",
                admin_email,
                "--name",
                admin_name,
                "--org",
                slug,
                "--role",
                "admin",
            ],
        );
        koers(
            &self.url,
            &[
                "token",
                "create",
                "--org",
                slug,
                "--user",
                admin_email,
                "--access",
                "write",
            ],
        )
    }

    /// Rows of a query, straight from the database (SQLite after its
    /// integrity check, which must say ok).
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: Send + Unpin,
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        match &self.schema {
            Some(_) => {
                let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .unwrap();
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&mut connection)
                    .await
                    .unwrap()
            }
            None => {
                let mut connection =
                    <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                        .await
                        .unwrap();
                let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(&mut connection)
                    .await
                    .unwrap();
                assert_eq!(verdict, "ok", "SQLite's integrity check");
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&mut connection)
                    .await
                    .unwrap()
            }
        }
    }
}

pub struct Server {
    pub child: Child,
    pub base: String,
    // Kept open: the server may still write to it.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Stops the server the hard way: SIGKILL, no shutdown.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
        self.child.wait().expect("reaped");
    }
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

pub fn start(url: &str) -> Server {
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
