//! Governance bodies, meetings, the decision log and follow-up actions,
//! and the health checks they feed.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};
use crate::indicators::{define, web_success};

async fn programme(client: &mut Client) -> Value {
    let response = client
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "Alpha Digitaal", "starts_on": "2026-01-01", "ends_on": "2028-12-31"})),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()
}

async fn check(client: &mut Client, programme: &Value, name: &str) -> (String, String) {
    let health = client
        .get(&format!("/api/v1/programmes/{}/health", programme["id"]))
        .await
        .json();
    let found = health["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap()
        .clone();
    (
        found["verdict"].as_str().unwrap().to_owned(),
        found["reason_code"].as_str().unwrap().to_owned(),
    )
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[tokio::test]
async fn a_steering_committee_is_checked_against_its_cadence() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = programme(&mut lead).await;
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("fail", "no_steering_body")
    );
    let bodies = format!("/api/v1/programmes/{}/bodies", programme["id"]);
    let bad = lead
        .api(
            Method::POST,
            &bodies,
            Some(json!({"name": "", "cadence_weeks": 0, "members": [{"name": "", "role": "voorzitter"}]})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            pair("kind", "required"),
            pair("name", "required"),
            pair("cadence_weeks", "out_of_bounds"),
            pair("members[0].name", "required"),
        ]
    );
    assert_eq!(app.count("governance_bodies").await, 0);
    let body = lead
        .api(
            Method::POST,
            &bodies,
            Some(json!({"kind": "steering_committee", "name": "Stuurgroep Digitaal", "cadence_weeks": 6,
                        "members": [{"name": "M. Smit", "role": "voorzitter"}, {"name": "J. Bakker", "role": "programmamanager"}]})),
        )
        .await;
    assert_eq!(body.status, StatusCode::CREATED, "{}", body.body);
    let body = body.json();
    assert_eq!(body["members"][0]["role"], "voorzitter");
    assert!(body["last_met_on"].is_null());
    let twice = lead
        .api(
            Method::POST,
            &bodies,
            Some(json!({"kind": "board", "name": "Stuurgroep Digitaal"})),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("fail", "never_met")
    );

    let meetings = format!("/api/v1/bodies/{}/meetings", body["id"]);
    let future = lead
        .api(
            Method::POST,
            &meetings,
            Some(json!({"held_on": "2026-12-01"})),
        )
        .await;
    assert_eq!(future.errors(), [pair("held_on", "in_future")]);
    // The test clock stands at 2026-11-27: 2026-09-01 is more than twice six weeks ago.
    lead.api(
        Method::POST,
        &meetings,
        Some(json!({"held_on": "2026-09-01", "attendees": ["M. Smit"]})),
    )
    .await;
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("fail", "meeting_overdue")
    );
    lead.api(
        Method::POST,
        &meetings,
        Some(json!({"held_on": "2026-10-01", "agenda": "Voortgang"})),
    )
    .await;
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("warning", "meeting_late")
    );
    let made = lead
        .api(
            Method::POST,
            &meetings,
            Some(json!({"held_on": "20-11-2026", "attendees": ["M. Smit", "J. Bakker"], "minutes": "Besloten: door."})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("pass", "met_within_cadence")
    );
    let listed = lead.get(&meetings).await.json();
    assert_eq!(listed["total"], 3);
    assert_eq!(listed["items"][0]["held_on"], "2026-11-20");
    let read = lead
        .get(&format!("/api/v1/bodies/{}", body["id"]))
        .await
        .json();
    assert_eq!(read["last_met_on"], "2026-11-20");
    let changed = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/bodies/{}", body["id"]),
            Some(json!({"cadence_weeks": null})),
        )
        .await
        .json();
    assert!(changed["cadence_weeks"].is_null());
    assert_eq!(
        changed["members"].as_array().unwrap().len(),
        2,
        "members kept"
    );
    assert_eq!(
        check(&mut lead, &programme, "steering_body_met").await,
        pair("warning", "no_cadence")
    );
}

#[tokio::test]
async fn decisions_are_logged_with_links_filters_and_follow_up() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = programme(&mut lead).await;
    let indicator = define(&mut lead, web_success()).await;
    let ambition = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{}/ambitions", programme["id"]),
            Some(json!({"title": "Digitaal"})),
        )
        .await
        .json();
    let body = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{}/bodies", programme["id"]),
            Some(json!({"kind": "steering_committee", "name": "Stuurgroep", "cadence_weeks": 6})),
        )
        .await
        .json();
    let log = format!("/api/v1/programmes/{}/decisions", programme["id"]);
    let bad = lead
        .api(
            Method::POST,
            &log,
            Some(json!({"title": "", "decided_on": "morgen", "body_id": 999999, "ambition_ids": [999999], "indicator_ids": [999999]})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            pair("title", "required"),
            pair("decided_on", "period_format"),
            pair("body_id", "unknown_body"),
            pair("ambition_ids", "unknown_ambition"),
            pair("indicator_ids", "unknown_indicator"),
        ]
    );
    let decision = lead
        .api(
            Method::POST,
            &log,
            Some(json!({"title": "Webformulieren vernieuwen", "rationale": "Succesratio blijft achter",
                        "decided_on": "2026-10-15", "body_id": body["id"],
                        "ambition_ids": [ambition["id"]], "indicator_ids": [indicator["id"]]})),
        )
        .await;
    assert_eq!(decision.status, StatusCode::CREATED, "{}", decision.body);
    let decision = decision.json();
    assert_eq!(decision["status"], "taken");
    assert_eq!(decision["indicator_ids"], json!([indicator["id"]]));
    lead.api(
        Method::POST,
        &log,
        Some(
            json!({"title": "Chatbot verkennen", "decided_on": "2026-11-01", "status": "proposed"}),
        ),
    )
    .await;

    let actions = format!("/api/v1/decisions/{}/actions", decision["id"]);
    let employee_id =
        lead.get("/api/v1/users?search=employee").await.json()["items"][0]["id"].clone();
    let no_owner = lead
        .api(
            Method::POST,
            &actions,
            Some(json!({"description": "Plan maken", "due_on": "2026-12-01"})),
        )
        .await;
    assert_eq!(no_owner.errors(), [pair("owner_name", "required")]);
    let late = lead
        .api(
            Method::POST,
            &actions,
            Some(json!({"description": "Leverancier kiezen", "owner_id": employee_id, "due_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(late.status, StatusCode::CREATED, "{}", late.body);
    let late = late.json();
    assert_eq!(late["owner_name"], "Test employee");
    assert_eq!(late["overdue"], true);
    lead.api(
        Method::POST,
        &actions,
        Some(json!({"description": "Communicatie", "owner_name": "Team Communicatie", "due_on": "2027-01-15"})),
    )
    .await;
    assert_eq!(
        check(&mut lead, &programme, "decision_actions_on_time").await,
        pair("warning", "actions_overdue")
    );

    // Filters: status, body, search, overdue.
    let all = lead.get(&log).await.json();
    assert_eq!(all["total"], 2);
    assert_eq!(
        all["items"][0]["title"], "Chatbot verkennen",
        "newest first"
    );
    let taken = lead.get(&format!("{log}?status=taken")).await.json();
    assert_eq!(taken["total"], 1);
    assert_eq!(taken["items"][0]["open_actions"], 2);
    assert_eq!(taken["items"][0]["overdue_actions"], 1);
    // The log carries each decision's own links, not its neighbour's.
    assert_eq!(all["items"][1]["indicator_ids"], json!([indicator["id"]]));
    assert_eq!(all["items"][1]["ambition_ids"], json!([ambition["id"]]));
    assert_eq!(all["items"][0]["indicator_ids"], json!([]));
    let by_body = lead
        .get(&format!("{log}?body_id={}", body["id"]))
        .await
        .json();
    assert_eq!(by_body["total"], 1);
    let searched = lead.get(&format!("{log}?search=SUCCESRATIO")).await.json();
    assert_eq!(searched["total"], 1);
    let overdue = lead.get(&format!("{log}?overdue=true")).await.json();
    assert_eq!(overdue["total"], 1);
    let wrong = lead.get(&format!("{log}?status=maybe")).await;
    assert_eq!(wrong.errors(), [pair("status", "unknown_choice")]);

    // The owner marks the action done; others without the permission may not.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let read = viewer.get(&format!("/decisions/{}", decision["id"])).await;
    assert!(
        read.body.contains("WEB-SUCCESS — Succesratio"),
        "readers see what it is about"
    );
    assert!(
        !read.body.contains("type=\"checkbox\""),
        "readers get no form"
    );
    let refused = viewer
        .api(
            Method::PATCH,
            &format!("/api/v1/decision-actions/{}", late["id"]),
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut owner = app.login("employee@alpha.test", PASSWORD).await;
    let done = owner
        .api(
            Method::PATCH,
            &format!("/api/v1/decision-actions/{}", late["id"]),
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["completed_on"], "2026-11-27");
    assert_eq!(done.json()["overdue"], false);
    assert_eq!(
        check(&mut lead, &programme, "decision_actions_on_time").await,
        pair("pass", "no_overdue_actions")
    );
    let unlinked = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/decisions/{}", decision["id"]),
            Some(json!({"status": "implemented", "indicator_ids": []})),
        )
        .await
        .json();
    assert_eq!(unlinked["status"], "implemented");
    assert_eq!(unlinked["indicator_ids"], json!([]));
    assert_eq!(
        unlinked["ambition_ids"],
        json!([ambition["id"]]),
        "absent links stay"
    );
}

#[tokio::test]
async fn the_decision_pages_show_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = programme(&mut lead).await;
    let path = format!("/programmes/{}/decisions", programme["id"]);
    let bad = lead
        .post_form(
            &path,
            &[
                ("title", ""),
                ("decided_on", "2026-11-01"),
                ("form_status", "taken"),
                ("form_body_id", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"title-error\""));
    assert_eq!(app.count("decisions").await, 0);
    let ok = lead
        .post_form(
            &path,
            &[
                ("title", "Besluit A"),
                ("decided_on", "01-11-2026"),
                ("form_status", "proposed"),
                ("form_body_id", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let decision_path = ok.location().to_owned();
    let page = lead.get(&decision_path).await;
    assert!(page.body.contains("Voorgesteld"));
    let no_due = lead
        .post_form(
            &format!("{decision_path}/actions"),
            &[
                ("description", "Uitwerken"),
                ("owner_id", ""),
                ("owner_name", "J. Bakker"),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(no_due.status, StatusCode::BAD_REQUEST);
    assert!(no_due.body.contains("id=\"due_on-error\""));
    let listed = lead.get(&path).await;
    assert!(listed.body.contains("Besluit A"));
}

#[tokio::test]
async fn innovation_money_is_kept_apart_and_carried_over_goals_need_a_plan() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = programme(&mut lead).await;
    assert_eq!(
        check(&mut lead, &programme, "innovation_budget_separate").await,
        pair("fail", "no_innovation_budget")
    );
    let lines = format!("/api/v1/programmes/{}/budget-lines", programme["id"]);
    let bad = lead
        .api(
            Method::POST,
            &lines,
            Some(json!({"year": 1999, "amount": 0, "source": "external_cofinancing"})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            pair("year", "out_of_bounds"),
            pair("amount", "out_of_bounds"),
            pair("funder", "required"),
            pair("scheme", "required"),
        ]
    );
    assert_eq!(app.count("budget_lines").await, 0);
    let operating = lead
        .api(
            Method::POST,
            &lines,
            Some(json!({"year": 2026, "amount": 1800000, "source": "operating_budget"})),
        )
        .await;
    assert_eq!(operating.status, StatusCode::CREATED, "{}", operating.body);
    assert_eq!(
        check(&mut lead, &programme, "innovation_budget_separate").await,
        pair("fail", "only_operating_budget")
    );
    let earlier = lead
        .api(
            Method::POST,
            &lines,
            Some(json!({"year": 2025, "amount": 500000, "source": "innovation_fund"})),
        )
        .await
        .json();
    assert_eq!(
        check(&mut lead, &programme, "innovation_budget_separate").await,
        pair("fail", "only_operating_budget"),
        "this year's operating lines still say innovation comes from regular budgets"
    );
    let moved = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/budget-lines/{}", earlier["id"]),
            Some(json!({"year": 2026})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        check(&mut lead, &programme, "innovation_budget_separate").await,
        pair("pass", "innovation_budget")
    );
    let removed = lead
        .api(
            Method::DELETE,
            &format!("/api/v1/budget-lines/{}", operating.json()["id"]),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(lead.get(&lines).await.json()["total"], 1);

    // The page shows innovation money and the operating budget apart.
    let page = lead
        .post_form(
            &format!("/programmes/{}/funding", programme["id"]),
            &[
                ("year", "2026"),
                ("source", "operating_budget"),
                ("amount", "1.200.000"),
                ("funder", ""),
                ("scheme", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = lead
        .get(&format!("/programmes/{}/funding", programme["id"]))
        .await;
    assert!(shown.body.contains("€ 500.000"), "innovation total");
    assert!(shown.body.contains("€ 1.200.000"), "operating total");
    let bad_amount = lead
        .post_form(
            &format!("/programmes/{}/funding", programme["id"]),
            &[
                ("year", "2026"),
                ("source", "innovation_fund"),
                ("amount", "veel"),
                ("funder", ""),
                ("scheme", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(bad_amount.status, StatusCode::BAD_REQUEST);
    assert!(bad_amount.body.contains("id=\"amount-error\""));

    assert_eq!(
        check(&mut lead, &programme, "carry_over_planned").await,
        pair("pass", "no_open_carry_over")
    );
    let items = format!("/api/v1/programmes/{}/carry-over-items", programme["id"]);
    let bad = lead
        .api(
            Method::POST,
            &items,
            Some(json!({"goal": " ", "origin": ""})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [pair("goal", "required"), pair("origin", "required")]
    );
    let item = lead
        .api(
            Method::POST,
            &items,
            Some(json!({"goal": "Eén zaaksysteem", "origin": "Dienstverlening 2020", "consequence": "Dubbel werk"})),
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{}", item.body);
    let item = item.json();
    assert_eq!(item["status"], "open");
    assert_eq!(
        check(&mut lead, &programme, "carry_over_planned").await,
        pair("warning", "carry_over_without_plan")
    );
    let planned = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/carry-over-items/{}", item["id"]),
            Some(json!({"plan": "Aanbesteding 2027", "status": "in_progress"})),
        )
        .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);
    assert_eq!(
        planned.json()["goal"],
        "Eén zaaksysteem",
        "absent fields stay"
    );
    assert_eq!(
        check(&mut lead, &programme, "carry_over_planned").await,
        pair("pass", "carry_over_planned")
    );
}

#[tokio::test]
async fn everyone_in_the_organisation_reads_the_steering_pages() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = programme(&mut lead).await;
    let decision = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{}/decisions", programme["id"]),
            Some(json!({"title": "Besluit", "decided_on": "2026-11-01"})),
        )
        .await
        .json();
    for role in ["employee", "viewer"] {
        let mut reader = app.login(&format!("{role}@alpha.test"), PASSWORD).await;
        for path in [
            format!("/programmes/{}", programme["id"]),
            format!("/programmes/{}/decisions", programme["id"]),
            format!("/decisions/{}", decision["id"]),
            format!("/programmes/{}/bodies", programme["id"]),
            format!("/programmes/{}/funding", programme["id"]),
            format!("/programmes/{}/carry-over", programme["id"]),
        ] {
            let page = reader.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{role} {path}");
        }
    }
}
