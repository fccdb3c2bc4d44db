//! The access log: one line per request with who (ids), what (the route
//! pattern), the result and from where (the network), and never a secret
//! or a person's name or address.

use std::process::Stdio;

use crate::binary::{BinaryDatabase, start_with};

#[tokio::test]
async fn every_request_is_logged_without_secrets_or_personal_data() {
    let db = BinaryDatabase::fresh().await;
    let url = db.url.clone();
    let token = db.organisation("log", "persoon@log.test", "Pien Persoon");
    let log_path = std::env::temp_dir().join(format!(
        "koers-access-{}.log",
        std::process::id() as u64 * 1000 + u64::from(rand_suffix())
    ));
    let log_file = std::fs::File::create(&log_path).unwrap();
    let mut server = start_with(
        &url,
        &[("KOERS_LOG_FORMAT", "json"), ("RUST_LOG", "info")],
        Stdio::from(log_file),
    );
    let client = reqwest::Client::new();
    let me = client
        .get(format!(
            "{}/api/v1/organisation?email=persoon@log.test",
            server.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(me.status().is_success());
    let survey = client
        .get(format!("{}/s/geheime-enquetelink-123", server.base))
        .send()
        .await
        .unwrap();
    assert!(survey.status().is_client_error());
    let refused = client
        .get(format!("{}/api/v1/users", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::UNAUTHORIZED);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    drop(db);

    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|l: &serde_json::Value| l["target"] == "koers::http::access_log")
        .collect();
    let line = |route: &str| {
        lines
            .iter()
            .find(|l| l["fields"]["http.route"] == route)
            .unwrap_or_else(|| panic!("no access line for {route}: {log}"))
            .clone()
    };
    let organisation = line("/api/v1/organisation");
    assert_eq!(organisation["fields"]["http.method"], "GET");
    assert_eq!(organisation["fields"]["http.status"], 200);
    assert!(organisation["fields"]["actor.user_id"].as_i64().is_some());
    assert_eq!(organisation["fields"]["actor.via"], "token");
    assert_eq!(organisation["fields"]["origin.network"], "127.0.0.0/24");
    assert!(organisation["timestamp"].is_string());
    assert!(
        line("/s/{token}")["fields"]["http.status"]
            .as_u64()
            .unwrap()
            >= 400
    );
    let anonymous = line("/api/v1/users");
    assert_eq!(anonymous["fields"]["http.status"], 401);
    assert_eq!(anonymous["fields"]["actor.via"], "anonymous");
    for secret in [
        token.as_str(),
        "geheime-enquetelink-123",
        "persoon@log.test",
        "Pien Persoon",
        "127.0.0.1",
    ] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
}

/// A few bits of the clock, to keep log files of parallel runs apart.
fn rand_suffix() -> u16 {
    (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
        % 1000) as u16
}

#[tokio::test]
async fn a_database_error_is_described_by_its_code_not_the_value_it_quotes() {
    let app = crate::helpers::spawn_app().await;
    let failure = match &app.schema {
        // PostgreSQL's data exceptions quote the value that did not fit.
        Some(schema) => {
            let mut connection = crate::helpers::pg_connection_to(&app.database_url, schema).await;
            sqlx::query("SELECT CAST($1 AS BIGINT)")
                .bind("Jan Jansen")
                .execute(&mut connection)
                .await
                .unwrap_err()
        }
        None => {
            let mut connection =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.database_url)
                    .await
                    .unwrap();
            sqlx::query("INSERT INTO organisations (id) VALUES ($1)")
                .bind("Jan Jansen")
                .execute(&mut connection)
                .await
                .unwrap_err()
        }
    };
    let koers::Error::Unexpected(reason) = koers::Error::from(failure) else {
        panic!("an unexpected error")
    };
    assert!(reason.starts_with("database: code "), "{reason}");
    assert!(!reason.contains("Jan Jansen"), "{reason}");
}
