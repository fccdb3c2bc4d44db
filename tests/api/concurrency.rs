//! Concurrent writers on the same records, through two `koers serve`
//! processes on one database: no lost update, no duplicate, and a clear
//! conflict for the loser where the write depends on what it read.

use std::time::Duration;

use serde_json::{Value, json};

use crate::binary::{BinaryDatabase, Server, koers, start};

/// Requests alternate between the two servers.
#[derive(Clone)]
struct Pair {
    bases: [String; 2],
    client: reqwest::Client,
}

impl Pair {
    fn new(servers: &[Server; 2]) -> Self {
        Pair {
            bases: [servers[0].base.clone(), servers[1].base.clone()],
            client: reqwest::Client::new(),
        }
    }

    fn base(&self, n: usize) -> &str {
        &self.bases[n % 2]
    }

    async fn send(
        &self,
        n: usize,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base(n)))
            .bearer_auth(token)
            .timeout(Duration::from_secs(30));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// Sends every request at once, request `n` to server `n % 2`; the
/// statuses and bodies in the order given.
async fn all_at_once(
    pair: &Pair,
    requests: Vec<(reqwest::Method, String, String, Option<Value>)>,
) -> Vec<(u16, Value)> {
    let sent: Vec<_> = requests
        .into_iter()
        .enumerate()
        .map(|(n, (method, token, path, body))| {
            let pair = pair.clone();
            tokio::spawn(async move { pair.send(n, method, &token, &path, body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for request in sent {
        answers.push(request.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn two_servers_on_one_database_lose_no_update_and_make_no_duplicate() {
    let db = BinaryDatabase::fresh().await;
    let admin = db.organisation("samen", "beheer@samen.test", "Beheer");
    let colleagues: Vec<String> = (0..6)
        .map(|n| {
            let email = format!("collega{n}@samen.test");
            koers(
                &db.url,
                &[
                    "user",
                    "create",
                    "--email",
                    &email,
                    "--name",
                    &format!("Collega {n}"),
                    "--org",
                    "samen",
                    "--role",
                    "employee",
                ],
            );
            koers(
                &db.url,
                &[
                    "token", "create", "--org", "samen", "--user", &email, "--access", "write",
                ],
            )
        })
        .collect();
    let servers = [start(&db.url), start(&db.url)];
    let pair = Pair::new(&servers);
    use reqwest::Method;

    // Measurement upserts of one period: one row, and every write saw the
    // one before it (the audit log's "before" is the previous "after").
    let (status, indicator) = pair
        .send(
            0,
            Method::POST,
            &admin,
            "/indicators",
            Some(json!({"code": "SAMEN", "name": "Samen", "unit": "count",
                        "direction": "higher_is_better", "frequency": "month"})),
        )
        .await;
    assert_eq!(status, 201, "{indicator}");
    let indicator = indicator["id"].as_i64().unwrap();
    let writes = 16;
    let upserts = (0..writes)
        .map(|n| {
            (
                Method::POST,
                admin.clone(),
                format!("/indicators/{indicator}/measurements"),
                Some(json!({"measurements": [{"period": "2026-01", "value": 100 + n}]})),
            )
        })
        .collect();
    let answers = all_at_once(&pair, upserts).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let rows: Vec<(i64, f64)> = db
        .rows(&format!(
            "SELECT COUNT(*), MAX(value) FROM measurements WHERE indicator_id = {indicator}"
        ))
        .await;
    assert_eq!(rows[0].0, 1, "one row for the period, not one per writer");
    let history: Vec<(String,)> = db
        .rows("SELECT changes FROM audit_events WHERE entity_type = 'measurement' ORDER BY id")
        .await;
    assert_eq!(history.len(), writes as usize, "every write is on record");
    let mut previous: Option<f64> = None;
    let mut seen = Vec::new();
    for (changes,) in &history {
        let changes: Value = serde_json::from_str(changes).unwrap();
        let before = changes["before"]["value"].as_f64();
        assert_eq!(
            before, previous,
            "each write saw the one before: {history:?}"
        );
        let after = changes["after"]["value"].as_f64().unwrap();
        seen.push(after);
        previous = Some(after);
    }
    assert_eq!(
        previous,
        Some(rows[0].1),
        "the stored value is the last write"
    );
    seen.sort_by(f64::total_cmp);
    let sent: Vec<f64> = (0..writes).map(|n| f64::from(100 + n)).collect();
    assert_eq!(seen, sent, "every value sent was written once");
    // The month's running sum, moved by each write's difference, ends at
    // the stored value: no difference lost between the two servers.
    crate::crash::month_sums_match(&db).await;

    // Supports on one idea: each colleague twice at once, counted once.
    let (status, idea) = pair
        .send(
            1,
            Method::POST,
            &admin,
            "/ideas",
            Some(
                json!({"title": "Samen sterker", "problem": "Aanvragen blijven liggen.",
                        "proposal": "Een gedeelde werkbak.", "tags": ["Balie"]}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{idea}");
    let idea = idea["id"].as_i64().unwrap();
    let supports = colleagues
        .iter()
        .chain(colleagues.iter())
        .map(|token| {
            (
                Method::PUT,
                token.clone(),
                format!("/ideas/{idea}/support"),
                None,
            )
        })
        .collect();
    let answers = all_at_once(&pair, supports).await;
    assert!(
        answers.iter().all(|(s, _)| (200..300).contains(s)),
        "{answers:?}"
    );
    let stored: Vec<(i64,)> = db
        .rows(&format!(
            "SELECT COUNT(*) FROM idea_supports WHERE idea_id = {idea}"
        ))
        .await;
    assert_eq!(stored[0].0, 6, "one support per colleague");
    let (_, shown) = pair
        .send(0, Method::GET, &admin, &format!("/ideas/{idea}"), None)
        .await;
    assert_eq!(shown["supports"], 6, "{shown}");

    // Edits of one initiative from the same version: one wins, the others
    // hear of the conflict and write nothing.
    let (status, initiative) = pair
        .send(
            0,
            Method::POST,
            &admin,
            "/initiatives",
            Some(json!({"kind": "experiment", "title": "Digitale pas",
                        "problem": "Wachten op papier", "hypothesis": "Sneller",
                        "learning_goals": ["Werkt het?"]})),
        )
        .await;
    assert_eq!(status, 201, "{initiative}");
    let id = initiative["id"].as_i64().unwrap();
    let audit_before: Vec<(i64,)> = db.rows("SELECT COUNT(*) FROM audit_events").await;
    let edits = (0..8)
        .map(|n| {
            (
                Method::PATCH,
                admin.clone(),
                format!("/initiatives/{id}"),
                Some(json!({"version": 1, "title": format!("Titel {n}")})),
            )
        })
        .collect();
    let answers = all_at_once(&pair, edits).await;
    let won: Vec<_> = answers.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["errors"][0]["code"], "edit_conflict", "{body}");
    }
    let (_, after) = pair
        .send(1, Method::GET, &admin, &format!("/initiatives/{id}"), None)
        .await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["title"], won[0].1["title"]);
    let audit_after: Vec<(i64,)> = db.rows("SELECT COUNT(*) FROM audit_events").await;
    assert_eq!(
        audit_after[0].0,
        audit_before[0].0 + 1,
        "one edit on record"
    );

    // Stage moves of one initiative at once, each taken on the version
    // the deciders saw: one decision, the others refused because it moved
    // meanwhile (without the version, a decision read after the first
    // would rightly move it one stage further).
    let decisions = (0..6)
        .map(|_| {
            (
                Method::POST,
                admin.clone(),
                format!("/initiatives/{id}/gate-decisions"),
                Some(json!({"outcome": "continue",
                            "evidence": [{"goal": "Werkt het?", "evidence": "Gesprekken"}],
                            "criteria": "Doorgaan", "decided_by": "Programmaraad",
                            "decided_on": "2026-10-01", "version": 2})),
            )
        })
        .collect();
    let answers = all_at_once(&pair, decisions).await;
    let taken = answers.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(taken, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["errors"][0]["code"], "changed_meanwhile", "{body}");
    }
    let stored: Vec<(i64,)> = db
        .rows(&format!(
            "SELECT COUNT(*) FROM gate_decisions WHERE initiative_id = {id}"
        ))
        .await;
    assert_eq!(stored[0].0, 1, "one decision kept");
    let (_, after) = pair
        .send(0, Method::GET, &admin, &format!("/initiatives/{id}"), None)
        .await;
    assert_eq!(after["version"], 3, "{after}");

    for server in servers {
        server.kill();
    }
    let verified = koers(&db.url, &["audit", "verify"]);
    assert!(verified.contains("the audit chain is intact"), "{verified}");
}
