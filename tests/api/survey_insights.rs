//! Reading the waves together (trends, management against staff, weak
//! points) and the interventions planned on them.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app};
use crate::survey_waves::{id_of, links, post_csv, setup};

async fn instrument(client: &mut Client, kind: &str) -> (i64, HashMap<String, i64>) {
    let list = client.get("/api/v1/survey-instruments").await.json();
    let instrument = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap()
        .clone();
    let id = instrument["id"].as_i64().unwrap();
    let version = client
        .get(&format!(
            "/api/v1/survey-instruments/{id}/versions/{}",
            instrument["current_version"]
        ))
        .await
        .json();
    let items = version["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_owned(),
                i["id"].as_i64().unwrap(),
            )
        })
        .collect();
    (id, items)
}

/// A wave of the whole organisation in which five people answer the
/// given items with the given scores.
async fn wave_with_answers(
    app: &TestApp,
    hr: &mut Client,
    instrument: i64,
    name: &str,
    scores: &[(i64, &str)],
) -> i64 {
    let wave = id_of(
        hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": instrument, "name": name, "opens_on": "2026-11-20", "closes_on": "2026-12-10"}),
    )
    .await;
    let handed = links(
        &post_csv(hr, &format!("/api/v1/survey-waves/{wave}/invitations"))
            .await
            .body,
    );
    let fields: Vec<(String, String)> = scores
        .iter()
        .map(|(item, score)| (format!("item-{item}"), (*score).to_owned()))
        .collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    for link in &handed[..5] {
        let mut respondent = app.client();
        respondent.get(link).await;
        let sent = respondent.post_form(link, &fields).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    wave
}

struct Waves {
    hr: Client,
    first: i64,
    second: i64,
}

/// Two pulse waves (B1 from 2 to 4; B9 2 in the second) and a scan (S1 2,
/// F3 4, F4 3).
async fn three_waves(app: &TestApp) -> Waves {
    let (mut hr, _, _) = setup(app).await;
    let (pulse, p) = instrument(&mut hr, "pulse").await;
    let (scan, s) = instrument(&mut hr, "scan").await;
    let first = wave_with_answers(
        app,
        &mut hr,
        pulse,
        "Voorjaar",
        &[(p["B1.1"], "2"), (p["B2.1"], "3")],
    )
    .await;
    let second = wave_with_answers(
        app,
        &mut hr,
        pulse,
        "Najaar",
        &[(p["B1.1"], "4"), (p["B9.1"], "2")],
    )
    .await;
    wave_with_answers(
        app,
        &mut hr,
        scan,
        "Scan",
        &[(s["S1.1"], "2"), (s["F3.1"], "4"), (s["F4.1"], "3")],
    )
    .await;
    Waves { hr, first, second }
}

fn row<'a>(trend: &'a Value, dimension: &str) -> &'a Value {
    trend["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension"] == dimension)
        .unwrap()
}

#[tokio::test]
async fn insights_give_trends_the_largest_disagreement_first_and_weak_points() {
    let app = spawn_app().await;
    let mut w = three_waves(&app).await;
    let insights = w.hr.get("/api/v1/survey-insights").await;
    assert_eq!(insights.status, StatusCode::OK, "{}", insights.body);
    let insights = insights.json();
    let pulse = &insights["pulse"];
    assert_eq!(pulse["waves"][0]["name"], "Voorjaar");
    assert_eq!(pulse["waves"][1]["name"], "Najaar");
    assert_eq!(row(pulse, "b1")["means"], json!([2.0, 4.0]));
    assert_eq!(row(pulse, "b1")["change"], 2.0);
    // B2 was asked only in spring: no change to speak of.
    assert_eq!(row(pulse, "b2")["means"], json!([3.0, null]));
    assert_eq!(row(pulse, "b2")["change"], Value::Null);
    // The latest pulse (B1 4, B9 2) against the scan: F4 3 vs 2 (+1) and
    // F3 4 vs 4 (0); S1 has no staff view.
    let factors: Vec<&str> = insights["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["factor"].as_str().unwrap())
        .collect();
    assert_eq!(factors, ["f4", "f3"]);
    assert_eq!(insights["disagreements"][0]["difference"], 1.0);
    assert_eq!(insights["disagreements"][1]["barriers"], json!(["b1"]));
    // Below 3 in the latest waves, weakest first: S1 2 and B9 2.
    let weak: Vec<&str> = insights["weak"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dimension"].as_str().unwrap())
        .collect();
    assert_eq!(weak.len(), 2);
    assert!(weak.contains(&"s1") && weak.contains(&"b9"));

    // The page shows the same, with the catalogue's offer for B9.
    let page = w.hr.get("/surveys/insights").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"disagreements\""), "{}", page.body);
    assert!(page.body.contains("id=\"pulse-trend\""));
    assert!(page.body.contains("+2,0"), "{}", page.body);
    assert!(
        page.body.contains("Terugblik op eerdere programma"),
        "{}",
        page.body
    );
    let _ = (w.first, w.second);

    // Below k nothing counts: a fresh organisation with four answers.
    let app = spawn_app().await;
    let (mut hr, _, _) = setup(&app).await;
    let (pulse, p) = instrument(&mut hr, "pulse").await;
    let wave = id_of(
        &mut hr,
        "/api/v1/survey-waves",
        json!({"instrument_id": pulse, "name": "Klein", "opens_on": "2026-11-20", "closes_on": "2026-12-10"}),
    )
    .await;
    let handed = links(
        &post_csv(&mut hr, &format!("/api/v1/survey-waves/{wave}/invitations"))
            .await
            .body,
    );
    let field = format!("item-{}", p["B1.1"]);
    for link in &handed[..4] {
        let mut respondent = app.client();
        respondent.post_form(link, &[(field.as_str(), "1")]).await;
    }
    let insights = hr.get("/api/v1/survey-insights").await.json();
    assert_eq!(insights["pulse"]["rows"], json!([]));
    assert_eq!(insights["weak"], json!([]));
    // Insights need the permission.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee.get("/api/v1/survey-insights").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_intervention_is_planned_as_an_initiative_and_the_next_wave_shows_what_moved() {
    let app = spawn_app().await;
    let mut w = three_waves(&app).await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    // The built-in catalogue, one entry per barrier at least.
    let catalogue = lead.get("/api/v1/interventions?page_size=100").await.json();
    assert!(catalogue["total"].as_i64().unwrap() >= 16);
    let b1 = catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["builtin_key"] == "I-B1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    // Planning answers the spring wave; HR may not plan initiatives.
    assert_eq!(
        w.hr.api(
            Method::POST,
            &format!("/api/v1/interventions/{b1}/plans"),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let unknown = lead
        .api(
            Method::POST,
            &format!("/api/v1/interventions/{b1}/plans"),
            Some(json!({"baseline_wave_id": 999_999})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
    assert_eq!(unknown.error_names(), ["baseline_wave_id"]);
    let initiatives_before = app.count("initiatives").await;
    let planned = lead
        .api(
            Method::POST,
            &format!("/api/v1/interventions/{b1}/plans"),
            Some(json!({"baseline_wave_id": w.first})),
        )
        .await;
    assert_eq!(planned.status, StatusCode::CREATED, "{}", planned.body);
    let initiative = planned.json();
    assert_eq!(initiative["kind"], "intervention");
    assert_eq!(initiative["stage"], "idea");
    assert_eq!(initiative["intervention"]["dimension"], "b1");
    assert_eq!(initiative["intervention"]["baseline_wave_id"], w.first);
    assert!(
        initiative["problem"].as_str().unwrap().contains("2,0"),
        "{initiative}"
    );
    assert_eq!(app.count("initiatives").await, initiatives_before + 1);
    // The portfolio shows it like any initiative, with the link kept.
    let id = initiative["id"].as_i64().unwrap();
    let again = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert_eq!(again["intervention"]["intervention_id"], b1);
    // Editing the initiative keeps the link.
    let edited = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{id}"),
            Some(json!({"title": "Digitale maatjes in drie teams"})),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.json()["intervention"]["dimension"], "b1");

    // The next wave shows B1 from 2 to 4.
    let insights = w.hr.get("/api/v1/survey-insights").await.json();
    let movement = &insights["interventions"][0];
    assert_eq!(movement["initiative_id"], id);
    assert_eq!(movement["before"], 2.0);
    assert_eq!(movement["after_wave_id"], w.second);
    assert_eq!(movement["change"], 2.0);
    let page = w.hr.get("/surveys/insights").await;
    assert!(page.body.contains("id=\"movements\""), "{}", page.body);

    // Without a wave given, the latest with a result for the dimension.
    let b9 = catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["builtin_key"] == "I-B9")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let latest = lead
        .api(
            Method::POST,
            &format!("/api/v1/interventions/{b9}/plans"),
            Some(json!({})),
        )
        .await
        .json();
    assert_eq!(latest["intervention"]["baseline_wave_id"], w.second);

    // A switched-off entry cannot be planned.
    let off =
        w.hr.api(
            Method::PATCH,
            &format!("/api/v1/interventions/{b1}"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let refused = lead
        .api(
            Method::POST,
            &format!("/api/v1/interventions/{b1}/plans"),
            Some(json!({})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_codes(), ["inactive_intervention"]);

    // The page plans too, and lands on the new initiative.
    let b9_page = lead.get(&format!("/surveys/interventions/{b9}")).await;
    assert!(b9_page.body.contains("/plan\""), "{}", b9_page.body);
    let sent = lead
        .post_form(&format!("/surveys/interventions/{b9}/plan"), &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location().starts_with("/initiatives/"));
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.api(
            Method::POST,
            &format!("/api/v1/interventions/{b9}/plans"),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_catalogue_is_validated_audited_and_editable_by_survey_managers() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let bad = hr
        .api(
            Method::POST,
            "/api/v1/interventions",
            Some(json!({"dimension": "x1", "title_nl": " "})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            ("dimension".to_owned(), "unknown_choice".to_owned()),
            ("title_nl".to_owned(), "required".to_owned())
        ]
    );
    let audit = app.audit_count().await;
    let made = hr
        .api(
            Method::POST,
            "/api/v1/interventions",
            Some(json!({"dimension": "B3", "title_nl": "Koffie met een ander team", "description_nl": "Elke week."})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    assert_eq!(made["dimension"], "b3");
    assert_eq!(made["title_en"], "Koffie met een ander team");
    assert_eq!(made["builtin_key"], Value::Null);
    assert_eq!(app.audit_count().await, audit + 1);
    let taken = hr
        .api(
            Method::POST,
            "/api/v1/interventions",
            Some(json!({"dimension": "b1", "title_nl": "Koffie met een ander team"})),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.error_names(), ["title_nl"]);
    // Others may read but not change.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee
            .api(
                Method::POST,
                "/api/v1/interventions",
                Some(json!({"dimension": "b1", "title_nl": "X"}))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut executive = app.login("executive@alpha.test", PASSWORD).await;
    assert_eq!(
        executive.get("/api/v1/interventions").await.status,
        StatusCode::OK
    );

    // The page: a message beside the field, nothing saved; then a change.
    let before = app.count("interventions").await;
    let page = hr
        .post_form(
            "/surveys/interventions",
            &[("dimension", ""), ("title_nl", "Iets")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("id=\"dimension-error\""),
        "{}",
        page.body
    );
    assert_eq!(app.count("interventions").await, before);
    let id = made["id"].as_i64().unwrap();
    let saved = hr
        .post_form(
            &format!("/surveys/interventions/{id}"),
            &[
                ("dimension", "b3"),
                ("title_nl", "Lunch met een ander team"),
                ("title_en", "Lunch with another team"),
                ("description_nl", "Elke maand."),
                ("description_en", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = hr.get(&format!("/api/v1/interventions/{id}")).await.json();
    assert_eq!(after["title_en"], "Lunch with another team");
    // The box was not ticked: switched off.
    assert_eq!(after["active"], false);
    let list = hr.get("/surveys/interventions").await;
    assert!(list.body.contains("Lunch met een ander team"));
}

#[tokio::test]
async fn scan_statements_take_a_comment_and_the_pulse_takes_none() {
    let app = spawn_app().await;
    let (mut hr, _, _) = setup(&app).await;
    let (scan, s) = instrument(&mut hr, "scan").await;
    let (pulse, p) = instrument(&mut hr, "pulse").await;
    let f3 = s["F3.1"];
    // Five answer the scan, one with a comment, and one comment too long.
    let wave = wave_with_answers(&app, &mut hr, scan, "Scan", &[(f3, "3")]).await;
    let handed = links(
        &post_csv(&mut hr, &format!("/api/v1/survey-waves/{wave}/reminders"))
            .await
            .body,
    );
    let mut respondent = app.client();
    let page = respondent.get(&handed[0]).await;
    assert!(
        page.body.contains(&format!("name=\"comment-{f3}\"")),
        "{}",
        page.body
    );
    let score = format!("item-{f3}");
    let comment = format!("comment-{f3}");
    let long = "x".repeat(2001);
    let refused = respondent
        .post_form(
            &handed[0],
            &[(score.as_str(), "2"), (comment.as_str(), long.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains(&format!("id=\"comment-{f3}-error\"")),
        "{}",
        refused.body
    );
    let sent = respondent
        .post_form(
            &handed[0],
            &[
                (score.as_str(), "2"),
                (comment.as_str(), "Te veel tegelijk."),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let results = hr
        .get(&format!("/api/v1/survey-waves/{wave}/results"))
        .await
        .json();
    let comments = results["open_answers"].as_array().unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["dimension"], "f3");
    assert_eq!(comments[0]["text"], "Te veel tegelijk.");
    let shown = hr.get(&format!("/surveys/waves/{wave}")).await;
    assert!(shown.body.contains("Te veel tegelijk."));

    // The pulse page offers no comment, and one sent anyway is not kept.
    let wave = wave_with_answers(&app, &mut hr, pulse, "Peiling", &[(p["B1.1"], "3")]).await;
    let handed = links(
        &post_csv(&mut hr, &format!("/api/v1/survey-waves/{wave}/reminders"))
            .await
            .body,
    );
    let mut respondent = app.client();
    let page = respondent.get(&handed[0]).await;
    assert!(!page.body.contains("name=\"comment-"));
    let b1 = p["B1.1"];
    let sneaked = format!("comment-{b1}");
    let score = format!("item-{b1}");
    let sent = respondent
        .post_form(
            &handed[0],
            &[(score.as_str(), "4"), (sneaked.as_str(), "Stiekem")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM survey_answers WHERE answer_text = 'Stiekem'")
            .await,
        0
    );
}
