//! Survey waves: invitations by one-time link, answering without an
//! account, the response rate, and what the database keeps apart.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app, spawn_app_with};
use crate::mail_sink::MailSink;

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

pub(crate) async fn id_of(client: &mut Client, path: &str, body: Value) -> i64 {
    let made = client.api(Method::POST, path, Some(body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{path}: {}", made.body);
    made.json()["id"].as_i64().unwrap()
}

pub(crate) async fn pulse_id(client: &mut Client) -> i64 {
    let list = client.get("/api/v1/survey-instruments").await.json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "pulse")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Noord with six active employees and one who left, Zuid with two, one
/// without a unit; HR's client.
pub(crate) async fn setup(app: &TestApp) -> (Client, i64, i64) {
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let noord = id_of(&mut admin, "/api/v1/units", json!({"name": "Noord"})).await;
    let zuid = id_of(&mut admin, "/api/v1/units", json!({"name": "Zuid"})).await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    for i in 0..6 {
        id_of(
            &mut hr,
            "/api/v1/employees",
            json!({"number": format!("N{i}"), "name": format!("Noord {i}"), "unit_id": noord}),
        )
        .await;
    }
    id_of(
        &mut hr,
        "/api/v1/employees",
        json!({"number": "N9", "name": "Vertrokken", "unit_id": noord, "active": false}),
    )
    .await;
    for i in 0..2 {
        id_of(
            &mut hr,
            "/api/v1/employees",
            json!({"number": format!("Z{i}"), "name": format!("Zuid {i}"), "unit_id": zuid}),
        )
        .await;
    }
    id_of(
        &mut hr,
        "/api/v1/employees",
        json!({"number": "X1", "name": "Zonder eenheid"}),
    )
    .await;
    (hr, noord, zuid)
}

/// The links of a CSV of invitations, as paths.
pub(crate) fn links(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let url = line.rsplit(';').next().unwrap();
            format!("/s/{}", url.rsplit("/s/").next().unwrap())
        })
        .collect()
}

pub(crate) async fn post_csv(client: &mut Client, path: &str) -> crate::helpers::TestResponse {
    client.api(Method::POST, path, None).await
}

#[tokio::test]
async fn a_wave_invites_its_audience_once_and_each_link_answers_once() {
    let app = spawn_app().await;
    let (mut hr, noord, _) = setup(&app).await;
    let pulse = pulse_id(&mut hr).await;

    // Bad input first: every field named, nothing written.
    let bad = hr
        .api(
            Method::POST,
            "/api/v1/survey-waves",
            Some(json!({"closes_on": "gisteren"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            pair("instrument_id", "required"),
            pair("name", "required"),
            pair("opens_on", "required"),
            pair("closes_on", "period_format"),
        ]
    );
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let theirs = id_of(&mut beta, "/api/v1/units", json!({"name": "Elders"})).await;
    let foreign = hr
        .api(
            Method::POST,
            "/api/v1/survey-waves",
            Some(json!({"instrument_id": pulse, "name": "X", "opens_on": "2026-11-20", "closes_on": "2026-12-10", "unit_ids": [theirs]})),
        )
        .await;
    assert_eq!(foreign.errors(), [pair("unit_ids", "unknown_unit")]);
    assert_eq!(app.count("survey_waves").await, 0);
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let refused = employee
        .api(
            Method::POST,
            "/api/v1/survey-waves",
            Some(json!({"instrument_id": pulse, "name": "X", "opens_on": "2026-11-20", "closes_on": "2026-12-10"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let audit = app.audit_count().await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Pulspeiling najaar", "opens_on": "2026-11-20", "closes_on": "2026-12-10", "unit_ids": [noord]}),
    )
    .await;
    assert_eq!(app.audit_count().await, audit + 1);
    let path = format!("/api/v1/survey-waves/{wave}");
    let shown = hr.get(&path).await.json();
    assert_eq!(shown["status"], "open");
    assert_eq!(shown["version"], 1);
    assert_eq!(shown["progress"]["invited"], 0);

    // Six active employees of Noord; asking again adds nobody.
    let first = post_csv(&mut hr, &format!("{path}/invitations")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.header("content-type").starts_with("text/csv"));
    let handed = links(&first.body);
    assert_eq!(handed.len(), 6);
    let again = post_csv(&mut hr, &format!("{path}/invitations")).await;
    assert_eq!(links(&again.body).len(), 0);
    assert_eq!(app.audit_count().await, audit + 3);

    // Answering needs no account; the page says what is kept.
    let mut respondent = app.client();
    let page = respondent.get(&handed[0]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Wat we bewaren"), "{}", page.body);
    let items: Vec<String> = page
        .body
        .match_indices("name=\"item-")
        .map(|(i, _)| {
            let rest = &page.body[i + "name=\"".len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect();
    let first_item = items[0].clone();
    let open_item = items.last().unwrap().clone();
    let nothing = respondent.post_form(&handed[0], &[]).await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    let wrong = respondent
        .post_form(&handed[0], &[(first_item.as_str(), "9")])
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains(&format!("id=\"{first_item}-error\"")),
        "{}",
        wrong.body
    );
    assert_eq!(
        app.count("survey_responses").await,
        0,
        "nothing half-written"
    );
    let sent = respondent
        .post_form(
            &handed[0],
            &[
                (first_item.as_str(), "4"),
                (open_item.as_str(), "Meer tijd om te leren."),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(app.count("survey_responses").await, 1);
    assert_eq!(app.count("survey_answers").await, 2);
    // The link works once.
    let reused = respondent.get(&handed[0]).await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    let twice = respondent
        .post_form(&handed[0], &[(first_item.as_str(), "2")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(app.count("survey_responses").await, 1);
    let unknown = respondent.get("/s/niet-bestaand").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // Answering wrote nothing to the audit log.
    assert_eq!(app.audit_count().await, audit + 3);

    // The response rate moves, per unit.
    let shown = hr.get(&path).await.json();
    assert_eq!(shown["progress"]["invited"], 6);
    assert_eq!(shown["progress"]["answered"], 1);
    assert_eq!(shown["progress"]["units"][0]["unit_id"], noord);

    // Reminders: new links for the five who did not answer; the old ones
    // stop working.
    let reminders = post_csv(&mut hr, &format!("{path}/reminders")).await;
    let fresh = links(&reminders.body);
    assert_eq!(fresh.len(), 5);
    assert_eq!(
        respondent.get(&handed[1]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(respondent.get(&fresh[0]).await.status, StatusCode::OK);

    // Another organisation sees nothing of it.
    assert_eq!(beta.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        post_csv(&mut beta, &format!("{path}/invitations"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Once closed, no more links and no more answers.
    app.clock.advance(time::Duration::days(14));
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    assert_eq!(hr.get(&path).await.json()["status"], "closed");
    assert_eq!(
        post_csv(&mut hr, &format!("{path}/reminders")).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(respondent.get(&fresh[0]).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_database_keeps_answers_apart_from_who_answered() {
    let app = spawn_app().await;
    // A response holds the answers and the unit: no user, no token, no time.
    assert_eq!(
        app.columns("survey_responses").await,
        ["id", "organisation_id", "wave_id", "unit_id"]
    );
    assert_eq!(
        app.columns("survey_answers").await,
        [
            "organisation_id",
            "response_id",
            "item_id",
            "score",
            "answer_text"
        ]
    );
    // An invitation knows who was asked and whether they answered: not
    // what, and not when.
    let invitation = app.columns("survey_invitations").await;
    assert!(
        !invitation
            .iter()
            .any(|c| c.contains("response") || c.contains("answered_at"))
    );
    assert!(invitation.contains(&"answered".to_owned()));

    // Response ids are random, so their order says nothing about who came
    // first.
    let (mut hr, noord, _) = setup(&app).await;
    let pulse = pulse_id(&mut hr).await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Peiling", "opens_on": "2026-11-20", "closes_on": "2026-12-10", "unit_ids": [noord]}),
    )
    .await;
    let handed = links(
        &post_csv(&mut hr, &format!("/api/v1/survey-waves/{wave}/invitations"))
            .await
            .body,
    );
    let mut respondent = app.client();
    for link in &handed[..3] {
        let page = respondent.get(link).await;
        let start = page.body.find("name=\"item-").unwrap() + "name=\"".len();
        let field = page.body[start..][..page.body[start..].find('"').unwrap()].to_owned();
        let sent = respondent.post_form(link, &[(field.as_str(), "3")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("survey_responses").await, 3);
    // The invitation's token column holds a hash, never the link's token.
    let token = handed[0].rsplit('/').next().unwrap();
    assert_eq!(token.len(), 43);
    let hashed = app
        .columns("survey_invitations")
        .await
        .contains(&"token_hash".to_owned());
    assert!(hashed);
}

#[tokio::test]
async fn results_stay_hidden_below_k_and_against_subtraction() {
    let app = spawn_app().await;
    let (mut hr, _, _) = setup(&app).await;
    let pulse = pulse_id(&mut hr).await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Iedereen", "opens_on": "2026-11-20", "closes_on": "2026-12-10"}),
    )
    .await;
    let path = format!("/api/v1/survey-waves/{wave}");
    let csv = post_csv(&mut hr, &format!("{path}/invitations")).await.body;
    // (unit, link) per invitee: six of Noord, two of Zuid, one without.
    let invitees: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(';').collect();
            (
                cells[2].to_owned(),
                format!("/s/{}", cells[3].rsplit("/s/").next().unwrap()),
            )
        })
        .collect();
    assert_eq!(invitees.len(), 9);
    let answer = |link: String, score: &'static str, text: &'static str| {
        let mut client = app.client();
        async move {
            let page = client.get(&link).await;
            let names: Vec<String> = page
                .body
                .match_indices("name=\"item-")
                .map(|(i, _)| {
                    let rest = &page.body[i + "name=\"".len()..];
                    rest[..rest.find('"').unwrap()].to_owned()
                })
                .collect();
            let mut fields = vec![(names[0].clone(), score.to_owned())];
            if !text.is_empty() {
                fields.push((names.last().unwrap().clone(), text.to_owned()));
            }
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let sent = client.post_form(&link, &fields).await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        }
    };
    let noord: Vec<String> = invitees
        .iter()
        .filter(|(u, _)| u == "Noord")
        .map(|(_, l)| l.clone())
        .collect();
    let zuid: Vec<String> = invitees
        .iter()
        .filter(|(u, _)| u == "Zuid")
        .map(|(_, l)| l.clone())
        .collect();
    // Four answers: nothing shows, not even the open answers.
    for link in &noord[..4] {
        answer(link.clone(), "4", "").await;
    }
    let results = hr.get(&format!("{path}/results")).await.json();
    assert_eq!(results["respondents"], 4);
    assert_eq!(results["rows"][0]["cells"][0]["status"], "hidden");
    assert_eq!(results["open_answers"], json!([]));
    // Five in Noord and two in Zuid: the organisation shows 24 / 7; Zuid
    // is hidden, and so is Noord, or the organisation minus Noord would
    // give Zuid's two answers away.
    answer(noord[4].clone(), "4", "Meer tijd om te leren.").await;
    for link in &zuid {
        answer(link.clone(), "2", "Onze laptops zijn traag.").await;
    }
    let results = hr.get(&format!("{path}/results")).await.json();
    assert_eq!(results["dimensions"][0], "b1");
    // The sums kept on answering agree with the answers themselves.
    assert_eq!(
        app.scalar("SELECT CAST(SUM(score_sum) AS BIGINT) FROM survey_result_sums")
            .await,
        app.scalar("SELECT CAST(SUM(score) AS BIGINT) FROM survey_answers")
            .await
    );
    assert_eq!(
        app.scalar("SELECT CAST(SUM(respondents) AS BIGINT) FROM survey_result_sums")
            .await,
        7
    );
    let row = |name: &str| {
        results["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    let org = row("Gemeente Alpha");
    assert_eq!(org["cells"][0]["status"], "shown");
    assert_eq!(org["cells"][0]["respondents"], 7);
    assert_eq!(org["cells"][0]["mean"], 24.0 / 7.0);
    assert_eq!(row("Zuid")["cells"][0]["status"], "hidden");
    assert_eq!(row("Noord")["cells"][0]["status"], "hidden");
    // Open answers now show; Zuid's without its unit.
    let open = results["open_answers"].as_array().unwrap();
    assert_eq!(open.len(), 3);
    assert!(
        open.iter()
            .filter(|a| a["text"] == "Onze laptops zijn traag.")
            .all(|a| a["unit_id"].is_null())
    );
    // The page shows the same.
    let page = hr.get(&format!("/surveys/waves/{wave}")).await;
    assert!(page.body.contains("id=\"results\""), "{}", page.body);
    assert!(page.body.contains("3,4"), "{}", page.body);
    // Results need the permission; another organisation gets nothing.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee.get(&format!("{path}/results")).await.status,
        StatusCode::FORBIDDEN
    );
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.get(&format!("{path}/results")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn invitations_and_reminders_go_out_by_mail_and_unsent_links_come_back() {
    // Without a mail server, mailing is refused before any link is made.
    let app = spawn_app().await;
    let (mut hr, _, _) = setup(&app).await;
    let pulse = pulse_id(&mut hr).await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Per mail", "opens_on": "2026-11-20", "closes_on": "2026-12-10"}),
    )
    .await;
    let refused = post_csv(
        &mut hr,
        &format!("/api/v1/survey-waves/{wave}/invitation-mails"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.error_codes(), ["mail_not_configured"]);
    assert_eq!(app.count("survey_invitations").await, 0);
    let page = hr.get(&format!("/surveys/waves/{wave}")).await;
    assert!(page.body.contains("id=\"mail-off\""));

    let sink = MailSink::start().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(sink.url.clone())).await;
    let (mut hr, noord, _) = setup(&app).await;
    let alpha = app
        .state
        .store()
        .organisation_by_slug("alpha")
        .await
        .unwrap();
    app.add_member(&alpha, "refuse@alpha.test", "employee")
        .await;
    // Two employees with an account (one the server refuses), the rest
    // without.
    for (number, email) in [("M1", "viewer@alpha.test"), ("M2", "refuse@alpha.test")] {
        let user = hr
            .get(&format!("/api/v1/users?search={email}"))
            .await
            .json()["items"][0]["id"]
            .clone();
        id_of(
            &mut hr,
            "/api/v1/employees",
            json!({"number": number, "name": format!("Mail {number}"), "user_id": user, "unit_id": noord}),
        )
        .await;
    }
    let pulse = pulse_id(&mut hr).await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Per mail", "opens_on": "2026-11-20", "closes_on": "2026-12-10", "unit_ids": [noord]}),
    )
    .await;
    let path = format!("/api/v1/survey-waves/{wave}");
    let sent = post_csv(&mut hr, &format!("{path}/invitation-mails")).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let delivery = sent.json();
    assert_eq!(delivery["mailed"], 1);
    // Six in Noord without an address and the refused one come back with
    // their links.
    let unsent = delivery["not_mailed"].as_array().unwrap().clone();
    assert_eq!(unsent.len(), 7);
    let refused: Vec<_> = unsent.iter().filter(|n| n["reason"] == "refused").collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["name"], "Mail M2");
    assert_eq!(
        unsent
            .iter()
            .filter(|n| n["reason"] == "no_address")
            .count(),
        6
    );
    // The letter names the wave and carries a working link.
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, "viewer@alpha.test");
    let letter = messages[0].data.replace("=\n", "");
    assert!(letter.contains("Subject: "), "{letter}");
    let start = letter.find("http://koers.test/s/").unwrap() + "http://koers.test".len();
    let link: String = letter[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/_-".contains(*c))
        .collect();
    let mut respondent = app.client();
    assert_eq!(respondent.get(&link).await.status, StatusCode::OK, "{link}");
    // A link handed back works too.
    let handed = format!(
        "/s/{}",
        unsent[0]["link"]
            .as_str()
            .unwrap()
            .rsplit("/s/")
            .next()
            .unwrap()
    );
    assert_eq!(respondent.get(&handed).await.status, StatusCode::OK);
    // Nobody is invited twice; the audit says how many were mailed.
    let again = post_csv(&mut hr, &format!("{path}/invitation-mails"))
        .await
        .json();
    assert_eq!(again["mailed"], 0);
    assert_eq!(again["not_mailed"], json!([]));
    assert_eq!(sink.messages().len(), 1);
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let audit = admin
        .get("/api/v1/audit-events?entity_type=survey_wave&action=mail")
        .await
        .json();
    assert_eq!(
        audit["items"][0]["changes"]["after"]["mailed"], 1,
        "{audit}"
    );
    assert_eq!(audit["items"][0]["changes"]["after"]["not_mailed"], 7);

    // The mailed employee answers; the reminder goes to nobody else by
    // mail, and their old link stops working.
    let page = respondent.get(&link).await;
    let start = page.body.find("name=\"item-").unwrap() + "name=\"".len();
    let field = page.body[start..][..page.body[start..].find('"').unwrap()].to_owned();
    let answered = respondent.post_form(&link, &[(field.as_str(), "4")]).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let reminded = post_csv(&mut hr, &format!("{path}/reminder-mails"))
        .await
        .json();
    assert_eq!(reminded["mailed"], 0);
    assert_eq!(reminded["not_mailed"].as_array().unwrap().len(), 7);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(respondent.get(&handed).await.status, StatusCode::NOT_FOUND);

    // The page sends and shows the links it could not send; others may
    // not send at all.
    let page = hr.get(&format!("/surveys/waves/{wave}")).await;
    assert!(page.body.contains("/reminder-mails"));
    let shown = hr
        .post_form(&format!("/surveys/waves/{wave}/reminder-mails"), &[])
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("id=\"not-mailed\""));
    assert!(shown.body.contains("http://koers.test/s/"));
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        post_csv(&mut employee, &format!("{path}/reminder-mails"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        post_csv(&mut beta, &format!("{path}/invitation-mails"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
