//! Killed mid-write with SIGKILL, Koers loses no write it acknowledged and
//! leaves nothing half-written: the real binary, on the test's database,
//! stopped three times while clients write, then restarted and checked.
//! Three kinds of write: bulk imports of measurements, survey answers by
//! link, and board reports.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::binary::{BinaryDatabase, koers, start};

/// What one client got done before the server died: the writes the server
/// acknowledged, and whether the client ran out of work first (then the
/// kill came too late to interrupt it).
struct Outcome<T> {
    acknowledged: Vec<T>,
    ran_out: bool,
}

/// Starts the server, lets `clients` write for each round's wait, kills it
/// with SIGKILL; three rounds. Returns every acknowledged write.
async fn kill_while_writing<T, F, Fut>(db: &BinaryDatabase, mut clients: F) -> Vec<T>
where
    T: Send + 'static,
    F: FnMut(String) -> Vec<Fut>,
    Fut: Future<Output = Outcome<T>> + Send + 'static,
{
    let mut acknowledged = Vec::new();
    let mut rounds_cut_short = 0;
    for wait_ms in [700_u64, 450, 900] {
        let server = start(&db.url);
        let running: Vec<_> = clients(server.base.clone())
            .into_iter()
            .map(tokio::spawn)
            .collect();
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        server.kill();
        let mut cut_short = false;
        for client in running {
            let outcome = client.await.unwrap();
            cut_short |= !outcome.ran_out;
            acknowledged.extend(outcome.acknowledged);
        }
        rounds_cut_short += usize::from(cut_short);
    }
    // A fast machine may finish a round before its kill; one interrupted
    // round is what the test needs.
    assert!(
        rounds_cut_short >= 1,
        "at least one kill came while the clients were writing"
    );
    acknowledged
}

/// Restarts the server and checks it is ready; the caller checks the data.
async fn restart_ready(db: &BinaryDatabase) -> crate::binary::Server {
    let restarted = start(&db.url);
    let health = reqwest::get(format!("{}/readyz", restarted.base)).await;
    assert!(health.is_ok_and(|r| r.status().is_success()));
    restarted
}

/// After every crash test: the audit chain has no gap or changed link.
fn audit_chain_intact(db: &BinaryDatabase) {
    let verified = koers(&db.url, &["audit", "verify"]);
    assert!(verified.contains("the audit chain is intact"), "{verified}");
}

async fn post_json(base: &str, token: &str, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// Months per batch: each batch is one year of one indicator, all or
/// nothing.
const MONTHS: i64 = 12;

fn year_batch(year: i64) -> Value {
    let items: Vec<Value> = (1..=MONTHS)
        .map(|m| json!({"period": format!("{year}-{m:02}"), "value": year}))
        .collect();
    json!({ "measurements": items })
}

/// Posts one year after another (1900 to 2200, the years a period may
/// have) until the server stops answering.
async fn import_years(base: String, token: String, indicator: i64) -> Outcome<(i64, i64)> {
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
            Err(_) => {
                return Outcome {
                    acknowledged,
                    ran_out: false,
                };
            }
        }
    }
    Outcome {
        acknowledged,
        ran_out: true,
    }
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_import_and_no_half_batch() {
    let db = BinaryDatabase::fresh().await;
    let token = db.organisation("crash", "beheer@crash.test", "Beheer");
    let setup = start(&db.url);
    // One indicator per writer and round.
    let mut indicators = VecDeque::new();
    for n in 0..6 {
        let made = post_json(
            &setup.base,
            &token,
            "/indicators",
            json!({"code": format!("CRASH-{n}"), "name": format!("Crash {n}"),
                   "unit": "count", "direction": "higher_is_better", "frequency": "month"}),
        )
        .await;
        indicators.push_back(made["id"].as_i64().expect("an indicator"));
    }
    setup.kill();

    let acknowledged = kill_while_writing(&db, |base| {
        (0..2)
            .map(|_| {
                let indicator = indicators.pop_front().expect("an indicator per writer");
                import_years(base.clone(), token.clone(), indicator)
            })
            .collect()
    })
    .await;

    // Restarted: every acknowledged year whole, every other year whole or
    // absent, the audit chain intact.
    let restarted = restart_ready(&db).await;
    let stored: Vec<(i64, i64, i64)> = db
        .rows(
            "SELECT indicator_id, CAST(value AS BIGINT), COUNT(*) FROM measurements \
             GROUP BY indicator_id, value ORDER BY 1, 2",
        )
        .await;
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
    month_sums_match(&db).await;
    restarted.kill();
    audit_chain_intact(&db);
}

/// The monthly sums the charts read agree with the measurements (all
/// monthly here, so one measurement per month): nothing written to one
/// and not the other.
pub async fn month_sums_match(db: &BinaryDatabase) {
    let astray: Vec<(i64,)> = db
        .rows(
            "SELECT COUNT(*) FROM measurements m LEFT JOIN measurement_months s \
             ON s.indicator_id = m.indicator_id AND s.month_start = m.period_start \
             WHERE m.dimension_key = '' AND (s.count IS NULL OR s.count <> 1 OR s.total <> m.value \
             OR s.last_value <> m.value)",
        )
        .await;
    assert_eq!(astray[0].0, 0, "every measurement has its month's sum");
    let orphans: Vec<(i64,)> = db
        .rows(
            "SELECT COUNT(*) FROM measurement_months s WHERE s.count > 0 AND NOT EXISTS \
             (SELECT 1 FROM measurements m WHERE m.indicator_id = s.indicator_id \
             AND m.period_start = s.month_start AND m.dimension_key = '')",
        )
        .await;
    assert_eq!(orphans[0].0, 0, "no month's sum without its measurement");
}

#[tokio::test]
async fn a_command_line_import_killed_midway_leaves_nothing_behind() {
    let db = BinaryDatabase::fresh().await;
    let token = db.organisation("cli", "beheer@cli.test", "Beheer");
    let setup = start(&db.url);
    let mut codes = Vec::new();
    for n in 0..20 {
        let code = format!("GROOT-{n}");
        post_json(
            &setup.base,
            &token,
            "/indicators",
            json!({"code": code, "name": format!("Groot {n}"), "unit": "count",
                   "direction": "higher_is_better", "frequency": "month"}),
        )
        .await;
        codes.push(code);
    }
    setup.kill();
    // 20 indicators × 300 years of months: 72,000 rows in one transaction.
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("koers-import"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("metingen.csv");
    let mut csv = String::from("indicator,period,value\n");
    for code in &codes {
        for year in 1901..=2200 {
            for month in 1..=12 {
                csv.push_str(&format!("{code},{year}-{month:02},{year}\n"));
            }
        }
    }
    std::fs::write(&file, csv).unwrap();
    let file = file.to_str().unwrap().to_owned();
    let import = |url: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_koers"))
            .args(["import", "measurements", &file, "--org", "cli"])
            .env("KOERS_DATABASE_URL", url)
            .env_remove("KOERS_CONFIG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the import")
    };
    let mut killed_midway = 0;
    for wait_ms in [150_u64, 400, 800] {
        let mut running = import(&db.url);
        std::thread::sleep(Duration::from_millis(wait_ms));
        let finished = running.try_wait().unwrap().is_some();
        running.kill().ok();
        running.wait().unwrap();
        let stored: Vec<(i64,)> = db.rows("SELECT COUNT(*) FROM measurements").await;
        if !finished {
            killed_midway += 1;
        }
        assert!(
            stored[0].0 == 0 || stored[0].0 == 72_000,
            "all or nothing after a kill: {} rows",
            stored[0].0
        );
        if stored[0].0 == 72_000 {
            break;
        }
    }
    assert!(killed_midway >= 1, "a kill came while importing");
    // Run to the end: everything, once, with its sums.
    let status = import(&db.url).wait().unwrap();
    assert!(status.success());
    let stored: Vec<(i64,)> = db.rows("SELECT COUNT(*) FROM measurements").await;
    assert_eq!(stored[0].0, 72_000);
    month_sums_match(&db).await;
    std::fs::remove_dir_all(&dir).ok();
    audit_chain_intact(&db);
}

/// The names of a survey page's questions: (field name, is open text).
fn questions(html: &str) -> Vec<(String, bool)> {
    let mut found: Vec<(String, bool)> = Vec::new();
    for (at, _) in html.match_indices("name=\"item-") {
        let rest = &html[at + "name=\"".len()..];
        let name = rest[..rest.find('"').unwrap()].to_owned();
        let tag_start = html[..at].rfind('<').unwrap();
        let open = html[tag_start..].starts_with("<textarea");
        if !found.iter().any(|(n, _)| *n == name) {
            found.push((name, open));
        }
    }
    found
}

/// The first part of every `Set-Cookie`, as one `Cookie` header.
fn cookies_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Answers survey links taken from `links` as a respondent would (the page,
/// then the form with every question answered) until the server stops
/// answering or no link is left.
async fn answer_links(base: String, links: Arc<Mutex<VecDeque<String>>>) -> Outcome<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut acknowledged = Vec::new();
    let cut_short = |acknowledged| Outcome {
        acknowledged,
        ran_out: false,
    };
    loop {
        let Some(link) = links.lock().unwrap().pop_front() else {
            return Outcome {
                acknowledged,
                ran_out: true,
            };
        };
        let Ok(page) = client.get(format!("{base}{link}")).send().await else {
            return cut_short(acknowledged);
        };
        assert_eq!(page.status(), 200, "{link}");
        let cookie = cookies_of(&page);
        let Ok(html) = page.text().await else {
            return cut_short(acknowledged);
        };
        let mut form = vec![("csrf_token".to_owned(), crate::helpers::csrf_from(&html))];
        for (name, open) in questions(&html) {
            let answer = if open { "Meer tijd om te leren." } else { "3" };
            form.push((name, answer.to_owned()));
        }
        let sent = client
            .post(format!("{base}{link}"))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&form).unwrap())
            .send()
            .await;
        match sent {
            Ok(response) if response.status() == 303 => acknowledged.push(link),
            Ok(response) => panic!("{link}: {}", response.status()),
            Err(_) => return cut_short(acknowledged),
        }
    }
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_survey_answer_and_no_half_response() {
    let db = BinaryDatabase::fresh().await;
    let token = db.organisation("enquete", "beheer@enquete.test", "Beheer");
    let setup = start(&db.url);
    let base = setup.base.clone();
    let unit = post_json(&base, &token, "/units", json!({"name": "Noord"})).await["id"]
        .as_i64()
        .unwrap();
    for n in 0..300 {
        post_json(
            &base,
            &token,
            "/employees",
            json!({"number": format!("E{n}"), "name": format!("Medewerker {n}"), "unit_id": unit}),
        )
        .await;
    }
    let client = reqwest::Client::new();
    let instruments: Value = client
        .get(format!("{base}/api/v1/survey-instruments"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pulse = instruments["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "pulse")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let wave = post_json(
        &base,
        &token,
        "/survey-waves",
        json!({"instrument_id": pulse, "name": "Peiling", "opens_on": today.to_string(),
               "closes_on": (today + time::Duration::days(30)).to_string()}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let invitations = client
        .post(format!("{base}/api/v1/survey-waves/{wave}/invitations"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let links: VecDeque<String> = crate::survey_waves::links(&invitations).into();
    assert_eq!(links.len(), 300);
    let form = client
        .get(format!("{base}{}", links[0]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let questions_per_form = questions(&form).len() as i64;
    setup.kill();

    let queue = Arc::new(Mutex::new(links));
    let acknowledged = kill_while_writing(&db, |base| {
        (0..2)
            .map(|_| answer_links(base.clone(), queue.clone()))
            .collect()
    })
    .await;
    assert!(
        acknowledged.len() >= 3,
        "some answers got in: {acknowledged:?}"
    );

    let restarted = restart_ready(&db).await;
    // Responses are kept apart from who answered, so they are checked by
    // count: one response per used link, every response whole.
    let used: Vec<(i64,)> = db
        .rows("SELECT CAST(COALESCE(SUM(answered), 0) AS BIGINT) FROM survey_invitations")
        .await;
    let responses: Vec<(i64,)> = db.rows("SELECT COUNT(*) FROM survey_responses").await;
    assert_eq!(used, responses, "a used link for every response");
    assert!(
        responses[0].0 >= acknowledged.len() as i64,
        "every acknowledged answer is there"
    );
    let sizes: Vec<(i64, i64)> = db
        .rows(
            "SELECT answers, COUNT(*) FROM (SELECT r.id, COUNT(a.item_id) AS answers \
             FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id \
             GROUP BY r.id) per_response GROUP BY answers",
        )
        .await;
    assert_eq!(
        sizes,
        [(questions_per_form, responses[0].0)],
        "every response is whole: an answer to each question"
    );
    // Each acknowledged link is marked used, in the database and to the
    // respondent who comes back.
    let used: Vec<(String,)> = db
        .rows("SELECT token_hash FROM survey_invitations WHERE answered = 1")
        .await;
    for link in &acknowledged {
        let token = link.trim_start_matches("/s/");
        let hash = koers::auth::secret::hash_secret(token);
        assert!(used.contains(&(hash,)), "{link} is marked used");
    }
    let client = reqwest::Client::new();
    let again = client
        .get(format!("{}{}", restarted.base, acknowledged[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409, "the link answers once");
    // The running sums the results read are what the answers add up to.
    let kept: Vec<(i64, i64, String, i64, i64, i64)> = db
        .rows(
            "SELECT wave_id, unit_id, dimension, respondents, score_sum, scores \
             FROM survey_result_sums ORDER BY 1, 2, 3",
        )
        .await;
    let recounted: Vec<(i64, i64, String, i64, i64, i64)> = db
        .rows(
            "SELECT r.wave_id, r.unit_id, i.dimension, CAST(COUNT(DISTINCT r.id) AS BIGINT), \
             CAST(SUM(a.score) AS BIGINT), CAST(COUNT(a.score) AS BIGINT) \
             FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id \
             JOIN survey_items i ON i.id = a.item_id WHERE a.score IS NOT NULL \
             GROUP BY r.wave_id, r.unit_id, i.dimension ORDER BY 1, 2, 3",
        )
        .await;
    assert_eq!(kept, recounted, "the result sums match the answers");
    restarted.kill();
    audit_chain_intact(&db);
}

/// Makes one board report after another until the server stops answering.
async fn make_reports(base: String, token: String) -> Outcome<i64> {
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    for _ in 0..2000 {
        let sent = client
            .post(format!("{base}/api/v1/board-reports"))
            .bearer_auth(&token)
            .json(&json!({"period": "2026-Q3", "language": "nl"}))
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {
                let made: Value = response.json().await.unwrap_or_default();
                match made["id"].as_i64() {
                    Some(id) => acknowledged.push(id),
                    // The body was cut off: acknowledged, but with no id
                    // to check.
                    None => break,
                }
            }
            Ok(response) => panic!("report: {}", response.status()),
            Err(_) => break,
        }
    }
    let ran_out = acknowledged.len() == 2000;
    Outcome {
        acknowledged,
        ran_out,
    }
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_board_report_whole() {
    let db = BinaryDatabase::fresh().await;
    let token = db.organisation("verslag", "beheer@verslag.test", "Beheer");
    let acknowledged = kill_while_writing(&db, |base| {
        (0..2)
            .map(|_| make_reports(base.clone(), token.clone()))
            .collect()
    })
    .await;
    assert!(
        acknowledged.len() >= 3,
        "some reports got in: {acknowledged:?}"
    );

    let restarted = restart_ready(&db).await;
    let stored: Vec<(i64, String, String)> = db
        .rows("SELECT id, content, content_sha256 FROM board_reports ORDER BY id")
        .await;
    for (id, content, sha256) in &stored {
        assert_eq!(
            &koers::auth::secret::hash_secret(content),
            sha256,
            "report {id} is whole"
        );
    }
    let audited: Vec<(String,)> = db
        .rows(
            "SELECT entity_id FROM audit_events WHERE entity_type = 'board_report' \
             AND action = 'create' ORDER BY id",
        )
        .await;
    let stored_ids: Vec<String> = stored.iter().map(|(id, _, _)| id.to_string()).collect();
    let audited_ids: Vec<String> = audited.into_iter().map(|(id,)| id).collect();
    assert_eq!(
        stored_ids, audited_ids,
        "one audit entry per report, no more"
    );
    let client = reqwest::Client::new();
    for id in &acknowledged {
        assert!(
            stored_ids.contains(&id.to_string()),
            "acknowledged report {id} is kept"
        );
    }
    for id in acknowledged.iter().take(5) {
        let document = client
            .get(format!(
                "{}/api/v1/board-reports/{id}/document?format=html",
                restarted.base
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(document.status(), 200, "report {id} opens");
    }
    restarted.kill();
    audit_chain_intact(&db);
}
