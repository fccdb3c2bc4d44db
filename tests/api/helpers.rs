//! Test harness: every test gets its own database (a temporary SQLite file,
//! or its own PostgreSQL schema when `KOERS_TEST_DATABASE_URL` is set), a
//! manual clock, and an in-process router. `serve()` also puts it on a real
//! socket on port 0.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use koers::clock::ManualClock;
use koers::config::Settings;
use koers::http::AppState;
use koers::store::Backend;
use serde_json::Value;
use time::macros::datetime;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub database_url: String,
    pub schema: Option<String>,
    _dir: Option<TempDir>,
}

/// A directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn unique_name(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        koers::auth::secret::random_secret()
            .to_lowercase()
            .replace(['-', '_'], "")[..16]
            .to_owned()
    )
}

/// Where this test's data lives: (url, postgres schema, temp dir).
pub async fn fresh_database() -> (String, Option<String>, Option<TempDir>) {
    match std::env::var("KOERS_TEST_DATABASE_URL") {
        Ok(url) if Backend::of_url(&url) == Some(Backend::Postgres) => {
            let schema = unique_name("t");
            let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                .await
                .expect("connect to the test PostgreSQL server");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut connection)
                .await
                .expect("create test schema");
            (url, Some(schema), None)
        }
        _ => {
            let dir = std::env::temp_dir().join(unique_name("koers-test"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let url = format!("sqlite://{}", dir.join("koers.db").display());
            (url, None, Some(TempDir(dir)))
        }
    }
}

pub fn test_settings(database_url: &str) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        database_max_connections: 4,
        hash_cost: koers::auth::password::HashCost::TESTING,
        trust_forwarded_for: true,
        public_url: "http://koers.test".to_owned(),
        // The mock identity provider listens on 127.0.0.1 over http.
        sso_allow_local_http: true,
        ..Settings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// An app with some settings changed from the tests' defaults.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let (database_url, schema, dir) = fresh_database().await;
    let clock = Arc::new(ManualClock::new(datetime!(2026-11-27 09:00 UTC)));
    let mut settings = test_settings(&database_url);
    change(&mut settings);
    let state = koers::startup::prepare_state(settings, clock.clone(), schema.clone())
        .await
        .expect("prepare state");
    let router = koers::http::app(state.clone());
    TestApp {
        state,
        router,
        clock,
        database_url,
        schema,
        _dir: dir,
    }
}

/// What came back from one request.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent, for binary files.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `name` of every error in a problem document, in order.
    pub fn error_names(&self) -> Vec<String> {
        self.errors().into_iter().map(|(name, _)| name).collect()
    }

    /// The `code` of every error in a problem document, in order.
    pub fn error_codes(&self) -> Vec<String> {
        self.errors().into_iter().map(|(_, code)| code).collect()
    }

    /// (name, code) of every error in a problem document, in order.
    pub fn errors(&self) -> Vec<(String, String)> {
        self.json()["errors"]
            .as_array()
            .expect("a problem document with errors")
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.header("location")
    }
}

/// A client with a cookie jar, talking to the router in-process.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
    pub forwarded_for: String,
    pub accept_language: Option<String>,
}

impl TestApp {
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            bearer: None,
            forwarded_for: "192.0.2.10".to_owned(),
            accept_language: None,
        }
    }

    pub fn token_client(&self, token: &str) -> Client {
        Client {
            bearer: Some(token.to_owned()),
            ..self.client()
        }
    }

    /// Logs in through the login form and returns the client.
    pub async fn login(&self, email: &str, password: &str) -> Client {
        let mut client = self.client();
        let response = client.login(email, password).await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login of {email} failed: {}",
            response.body
        );
        client
    }

    /// Creates a member directly through the store (with a password).
    pub async fn add_member(
        &self,
        organisation: &koers::organisations::Organisation,
        email: &str,
        role: &str,
    ) -> i64 {
        let meta = koers::store::AuditMeta {
            organisation_id: Some(organisation.id),
            actor_user_id: None,
            actor_label: "test".into(),
            client_address: None,
            at: self.state.clock().now(),
        };
        let input = koers::users::NewMemberInput {
            email: Some(email.into()),
            name: Some(format!("Test {role}")),
            role: Some(role.into()),
            locale: Some("nl".into()),
        };
        let password = koers::domain::Password::parse(PASSWORD).unwrap();
        let hash = koers::auth::password::hash_password(self.state.settings().hash_cost, &password)
            .await
            .unwrap();
        let member = koers::users::NewMember {
            password_hash: Some(hash),
            ..koers::users::NewMember::parse(&input).unwrap()
        };
        self.state
            .store()
            .add_member(&meta, organisation.id, &member)
            .await
            .unwrap()
            .id
            .0
    }

    pub async fn create_organisation(
        &self,
        name: &str,
        slug: &str,
    ) -> koers::organisations::Organisation {
        let meta = koers::store::AuditMeta {
            organisation_id: None,
            actor_user_id: None,
            actor_label: "test".into(),
            client_address: None,
            at: self.state.clock().now(),
        };
        koers::organisations::service::create(&self.state, &meta, name, slug, "municipality")
            .await
            .unwrap()
    }

    /// Two organisations: "alpha" with one member per role
    /// (`<role>@alpha.test`) and "beta" with an admin (`admin@beta.test`).
    pub async fn two_organisations(
        &self,
    ) -> (
        koers::organisations::Organisation,
        koers::organisations::Organisation,
    ) {
        let alpha = self.create_organisation("Gemeente Alpha", "alpha").await;
        for role in [
            "admin",
            "executive",
            "programme_lead",
            "unit_lead",
            "employee",
            "viewer",
            "hr",
        ] {
            self.add_member(&alpha, &format!("{role}@alpha.test"), role)
                .await;
        }
        let beta = self.create_organisation("Provincie Beta", "beta").await;
        self.add_member(&beta, "admin@beta.test", "admin").await;
        (alpha, beta)
    }

    pub async fn audit_count(&self) -> i64 {
        self.count("audit_events").await
    }

    /// Rows in a table, across all organisations (for "nothing written").
    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) FROM {table}")).await
    }

    /// One number from the test's database, bypassing the app.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let sql = sql.to_owned();
        match &self.schema {
            Some(_) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut self.pg_connection().await)
                .await
                .unwrap(),
            None => {
                let mut connection =
                    <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&mut connection)
                    .await
                    .unwrap()
            }
        }
    }

    /// Runs one statement straight on the test's database; the database's
    /// own refusal comes back as the error text.
    pub async fn execute(&self, sql: &str) -> Result<u64, String> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        let done = match &self.schema {
            Some(_) => sqlx::query(sql)
                .execute(&mut self.pg_connection().await)
                .await
                .map(|r| r.rows_affected()),
            None => {
                let mut connection =
                    <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                sqlx::query(sql)
                    .execute(&mut connection)
                    .await
                    .map(|r| r.rows_affected())
            }
        };
        done.map_err(|e| e.to_string())
    }

    /// A connection to the test's PostgreSQL schema.
    async fn pg_connection(&self) -> sqlx::PgConnection {
        pg_connection_to(
            &self.database_url,
            self.schema.as_deref().unwrap_or("public"),
        )
        .await
    }

    /// The column names of a table, in order, as the database has them.
    pub async fn columns(&self, table: &str) -> Vec<String> {
        match &self.schema {
            Some(schema) => {
                let mut connection =
                    <sqlx::PgConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                sqlx::query_scalar(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                )
                .bind(schema)
                .bind(table)
                .fetch_all(&mut connection)
                .await
                .unwrap()
            }
            None => {
                let mut connection =
                    <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(&mut connection)
                    .await
                    .unwrap()
            }
        }
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf_token field");
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

impl Client {
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(language) = &self.accept_language {
            builder = builder.header(header::ACCEPT_LANGUAGE, language);
        }
        builder = builder.header("x-forwarded-for", &self.forwarded_for);
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        for (name, value) in extra {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(Body::from(body)).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None, Vec::new(), &[]).await
    }

    /// Posts a form as a browser would: with the page's anti-forgery token.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Posts exactly these fields (no token added).
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await
    }

    /// Posts a multipart form with one file, as a browser uploads it; with
    /// `csrf` the page's anti-forgery token goes along.
    pub async fn post_file(
        &mut self,
        path: &str,
        csrf: bool,
        filename: &str,
        content: &[u8],
    ) -> TestResponse {
        let boundary = "----koers-test-boundary-7d3f";
        let mut body = Vec::new();
        if csrf {
            let token = self.csrf_token().await;
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send(Method::POST, path, Some(&content_type), body, &[])
            .await
    }

    /// The anti-forgery token this client's pages carry.
    pub async fn csrf_token(&mut self) -> String {
        let page = if self.cookies.contains_key("koers_session") {
            self.get("/account").await
        } else {
            self.get("/login").await
        };
        csrf_from(&page.body)
    }

    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn api(&mut self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        let mut extra = Vec::new();
        let token;
        if self.bearer.is_none()
            && self.cookies.contains_key("koers_session")
            && method != Method::GET
        {
            token = self.csrf_token().await;
            extra.push(("x-csrf-token", token.as_str()));
        }
        match body {
            Some(body) => {
                self.send(
                    method,
                    path,
                    Some("application/json"),
                    body.to_string().into_bytes(),
                    &extra,
                )
                .await
            }
            None => self.send(method, path, None, Vec::new(), &extra).await,
        }
    }
}

/// A connection of its own to a test's PostgreSQL schema.
pub async fn pg_connection_to(url: &str, schema: &str) -> sqlx::PgConnection {
    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("SET search_path TO {schema}")))
        .execute(&mut connection)
        .await
        .unwrap();
    connection
}
