//! All SQL lives here. One `Store` API serves SQLite (embedded default) and
//! PostgreSQL (several app servers on one database). The SQL text is shared:
//! both accept `$n` placeholders, `RETURNING`, `ON CONFLICT` and `TRUE`; only
//! the migrations differ per backend. `on_pool!` expands each query once per
//! backend, so every query is type-checked against both drivers.

mod append;
pub(crate) mod audit;
pub(crate) mod audit_chain;
mod backup;
mod board_reports;
mod data_assets;
mod effects;
mod funding;
mod governance;
mod idea_campaigns;
pub(crate) mod idea_comments;
mod ideas;
mod indicators;
mod interventions;
pub(crate) mod invitations;
mod learning;
mod login_failures;
pub(crate) mod notifications;
mod organisations;
mod partners;
mod portfolio;
mod second_factor;
mod services;
mod sessions;
mod skills;
mod sso;
mod steering;
mod strategic_assets;
mod survey_waves;
mod surveys;
mod tokens;
mod units;
mod uploads;
pub(crate) mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use audit::{AuditFilter, AuditMeta, Change};
pub use board_reports::NewReport;
pub use indicators::{IndicatorFilter, IndicatorSort, RollupRow};
pub use invitations::Invitation;
pub use organisations::PendingInvitation;
pub use second_factor::{PendingLogin, SecondFactorRow};
pub use sessions::NewSession;
pub use skills::EmployeeFilter;
pub use sso::{Admission, Admitted, StoredConnection, WaitingSsoLogin};
pub use survey_waves::OpenInvitation;
pub use tokens::NewToken;
pub use units::UnitState;
pub use uploads::{Upload, UploadPurpose};
pub use users::Credentials;

use crate::Result;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the concrete pool of either backend.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($p) => $body,
            $crate::store::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
}

/// How to open the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub url: String,
    pub max_connections: u32,
    /// PostgreSQL schema to use (tests isolate themselves this way).
    pub postgres_schema: Option<String>,
}

impl Store {
    pub async fn connect(options: &StoreOptions) -> Result<Store> {
        let pool = match Backend::of_url(&options.url) {
            Some(Backend::Sqlite) => {
                let connect = SqliteConnectOptions::from_str(&options.url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                Pool::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(options.max_connections)
                        // An embedded connection cannot go stale, so skip the
                        // ping (a worker-thread round trip) on every acquire.
                        .test_before_acquire(false)
                        .connect_with(connect)
                        .await?,
                )
            }
            Some(Backend::Postgres) => {
                let mut connect = PgConnectOptions::from_str(&options.url)?;
                if let Some(schema) = &options.postgres_schema {
                    connect = connect.options([("search_path", schema.as_str())]);
                }
                Pool::Postgres(
                    PgPoolOptions::new()
                        .max_connections(options.max_connections)
                        .acquire_timeout(Duration::from_secs(10))
                        .connect_with(connect)
                        .await?,
                )
            }
            None => {
                return Err(crate::Error::Unexpected(
                    "database URL must start with sqlite: or postgres://".into(),
                ));
            }
        };
        Ok(Store { pool })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations. On PostgreSQL sqlx takes an advisory lock,
    /// so several servers starting at once do not race.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        let sealed = self.seal_legacy_audit_events().await?;
        if sealed > 0 {
            tracing::info!(
                audit.events = sealed,
                "audit events from before the chain were chained"
            );
        }
        Ok(())
    }

    /// Readiness: can we reach the database at all?
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// (size, idle) of the connection pool, for metrics.
    pub fn pool_usage(&self) -> (u32, usize) {
        on_pool!(self, p => (p.size(), p.num_idle()))
    }

    /// SQLite `PRAGMA integrity_check` / PostgreSQL no-op; used by tests and
    /// operators after a crash.
    pub async fn integrity_ok(&self) -> Result<bool> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(p)
                    .await?;
                Ok(verdict == "ok")
            }
            Pool::Postgres(p) => {
                sqlx::query("SELECT 1").execute(p).await?;
                Ok(true)
            }
        }
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await);
    }
}

/// Maps a unique-constraint violation to a domain conflict on `field`.
fn conflict_on_unique(error: sqlx::Error, field: &str, code: &'static str) -> crate::Error {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            crate::Error::conflict(field, code)
        }
        _ => error.into(),
    }
}

/// Reads a small list kept as JSON text beside the row that owns it.
fn stored_list<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| crate::Error::unreadable("stored list", &e))
}

/// Writes a small list as JSON text for `stored_list` to read back.
fn list_text<T: serde::Serialize>(list: &[T]) -> Result<String> {
    serde_json::to_string(list).map_err(|e| crate::Error::Unexpected(e.to_string()))
}

/// Decodes a stored enum code, treating an unknown value as corruption.
fn decode<T>(value: &str, parse: fn(&str) -> Result<T, &'static str>) -> Result<T> {
    parse(value).map_err(|_| crate::Error::Unexpected(format!("unknown stored value {value:?}")))
}

/// Starts a transaction that will write. On SQLite it takes the write lock
/// up front (`BEGIN IMMEDIATE`): a deferred transaction that reads first
/// and writes later fails at once with `SQLITE_BUSY_SNAPSHOT` when another
/// writer committed in between, which the busy timeout cannot wait out.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;

    /// Starts a read-only transaction that sees one moment throughout,
    /// however much is written meanwhile (SQLite: the WAL snapshot taken at
    /// its first read; PostgreSQL: repeatable read).
    fn begin_snapshot(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }

    fn begin_snapshot(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN DEFERRED")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;

    /// Writers take one lock per schema first, as SQLite's `BEGIN
    /// IMMEDIATE` does: every write ends with its audit event, whose link
    /// in the audit chain needs the chain's head, and taking that first
    /// keeps two writers from waiting on each other's rows (a deadlock)
    /// while one holds the head. Writes are short; reads do not wait.
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        let pool = self.clone();
        async move {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }

    fn begin_snapshot(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }
}
