//! Programmes, ambitions and their indicators, the accountable executive
//! and the governance health panel, through the API and the pages.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app};
use crate::indicators::{define, web_success};

async fn programme(client: &mut Client) -> Value {
    let response = client
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(
                json!({"name": "Alpha Digitaal 2028", "vision": "# Visie\n\nInwoners **eerst**.",
                        "starts_on": "01-01-2026", "ends_on": "2028-12-31"}),
            ),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()
}

fn check<'a>(health: &'a Value, name: &str) -> &'a Value {
    health["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap()
}

async fn health(client: &mut Client, id: &Value) -> Value {
    client
        .get(&format!("/api/v1/programmes/{id}/health"))
        .await
        .json()
}

async fn setup(app: &TestApp) -> (Client, Value) {
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let created = programme(&mut lead).await;
    (lead, created)
}

#[tokio::test]
async fn a_programme_is_validated_and_every_bad_field_named() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let audit_before = app.audit_count().await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": " ", "starts_on": "2026-13-01", "ends_on": "2025-01-01", "vision": "x\u{0}"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    assert_eq!(
        bad.errors(),
        [
            ("name".to_owned(), "required".to_owned()),
            ("vision".to_owned(), "control_characters".to_owned()),
            ("starts_on".to_owned(), "period_invalid".to_owned()),
        ]
    );
    let backwards = lead
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "X", "starts_on": "2026-01-01", "ends_on": "2025-01-01"})),
        )
        .await;
    assert_eq!(
        backwards.errors(),
        [("ends_on".to_owned(), "ends_before_start".to_owned())]
    );
    assert_eq!(app.count("programmes").await, 0);
    assert_eq!(app.audit_count().await, audit_before);

    let created = programme(&mut lead).await;
    assert_eq!(created["status"], "active");
    assert_eq!(created["starts_on"], "2026-01-01");
    let twice = lead
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "Alpha Digitaal 2028", "starts_on": "2026-01-01", "ends_on": "2027-01-01"})),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let renamed = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/programmes/{}", created["id"]),
            Some(json!({"status": "draft"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json()["status"], "draft");
    assert_eq!(renamed.json()["name"], "Alpha Digitaal 2028");

    // Employees read but do not change.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let listed = employee.get("/api/v1/programmes").await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["commitment"], "no_executive");
    let refused = employee
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "Y", "starts_on": "2026-01-01", "ends_on": "2027-01-01"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_vision_is_rendered_without_raw_html() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    lead.api(
        Method::PATCH,
        &format!("/api/v1/programmes/{}", created["id"]),
        Some(
            json!({"vision": "## Doel\n\n<script>alert('x')</script> [klik](javascript:alert(1))"}),
        ),
    )
    .await;
    let page = lead.get(&format!("/programmes/{}", created["id"])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h3>Doel</h3>"), "{}", page.body);
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("href=\"javascript:"));
    assert!(page.body.contains("javascript:alert(1)"), "shown as text");
}

#[tokio::test]
async fn ambitions_are_ordered_and_linked_to_indicators() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let indicator = define(&mut lead, web_success()).await;
    let path = format!("/api/v1/programmes/{}/ambitions", created["id"]);
    for title in ["Digitaal", "Persoonlijk", "Op tijd"] {
        let made = lead
            .api(Method::POST, &path, Some(json!({"title": title})))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let first = lead
        .api(
            Method::POST,
            &path,
            Some(json!({"title": "Voorop", "position": 1})),
        )
        .await
        .json();
    let listed = lead.get(&path).await.json();
    let titles: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Voorop", "Digitaal", "Persoonlijk", "Op tijd"]);
    let positions: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3, 4]);

    let link = format!(
        "/api/v1/ambitions/{}/indicators/{}",
        first["id"], indicator["id"]
    );
    let linked = lead.api(Method::PUT, &link, None).await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    assert_eq!(linked.json()["indicator_ids"], json!([indicator["id"]]));
    let audit_before = app.audit_count().await;
    let again = lead.api(Method::PUT, &link, None).await;
    assert_eq!(again.json()["indicator_ids"], json!([indicator["id"]]));
    assert_eq!(
        app.audit_count().await,
        audit_before,
        "a second link writes nothing"
    );

    // The overview filters by ambition; the indicator page names it.
    let filtered = lead
        .get(&format!("/api/v1/indicators?ambition_id={}", first["id"]))
        .await
        .json();
    assert_eq!(filtered["total"], 1);
    let other = listed["items"][1]["id"].clone();
    let none = lead
        .get(&format!("/api/v1/indicators?ambition_id={other}"))
        .await
        .json();
    assert_eq!(none["total"], 0);
    let page = lead.get(&format!("/indicators/{}", indicator["id"])).await;
    assert!(page.body.contains("Voorop"));

    let unknown = lead
        .api(
            Method::PUT,
            &format!("/api/v1/ambitions/{}/indicators/999999", first["id"]),
            None,
        )
        .await;
    assert_eq!(
        unknown.errors(),
        [("indicator_id".to_owned(), "unknown_indicator".to_owned())]
    );

    let unlinked = lead.api(Method::DELETE, &link, None).await;
    assert_eq!(unlinked.status, StatusCode::OK);
    assert_eq!(unlinked.json()["indicator_ids"], json!([]));
    let twice = lead.api(Method::DELETE, &link, None).await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);

    // Removing an ambition closes the ranks.
    let removed = lead
        .api(
            Method::DELETE,
            &format!("/api/v1/ambitions/{}", first["id"]),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let listed = lead.get(&path).await.json();
    assert_eq!(listed["total"], 3);
    assert_eq!(listed["items"][0]["position"], 1);
    assert_eq!(listed["items"][0]["title"], "Digitaal");
}

#[tokio::test]
async fn the_ambition_form_sets_its_indicators_in_one_go() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let a = define(&mut lead, web_success()).await;
    let mut second = web_success();
    second["code"] = json!("kcc-fcr");
    let b = define(&mut lead, second).await;
    let ambition = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{}/ambitions", created["id"]),
            Some(json!({"title": "Digitaal"})),
        )
        .await
        .json();
    let form_path = format!("/ambitions/{}", ambition["id"]);
    let a_box = format!("indicator_{}", a["id"]);
    let b_box = format!("indicator_{}", b["id"]);
    let saved = lead
        .post_form(
            &form_path,
            &[
                ("title", "Digitaal eerst"),
                ("description", ""),
                ("position", "1"),
                (&a_box, "1"),
                (&b_box, "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let read = lead
        .get(&format!("/api/v1/ambitions/{}", ambition["id"]))
        .await
        .json();
    assert_eq!(read["title"], "Digitaal eerst");
    assert_eq!(read["indicator_ids"], json!([a["id"], b["id"]]));

    // A bad title keeps the ticks and writes nothing.
    let bad = lead
        .post_form(
            &form_path,
            &[("title", ""), ("position", "1"), (&a_box, "1")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"title-error\""));
    let read = lead
        .get(&format!("/api/v1/ambitions/{}", ambition["id"]))
        .await
        .json();
    assert_eq!(read["indicator_ids"], json!([a["id"], b["id"]]));
    let unticked = lead
        .post_form(
            &form_path,
            &[
                ("title", "Digitaal eerst"),
                ("position", "1"),
                (&b_box, "1"),
            ],
        )
        .await;
    assert_eq!(unticked.status, StatusCode::SEE_OTHER);
    let read = lead
        .get(&format!("/api/v1/ambitions/{}", ambition["id"]))
        .await
        .json();
    assert_eq!(read["indicator_ids"], json!([b["id"]]));
}

#[tokio::test]
async fn an_executive_change_needs_renewed_commitment_until_confirmed() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let id = created["id"].clone();
    let executives = format!("/api/v1/programmes/{id}/executives");
    assert_eq!(
        check(&health(&mut lead, &id).await, "executive_confirmed")["reason_code"],
        "no_executive"
    );

    let first = lead
        .api(
            Method::POST,
            &executives,
            Some(
                json!({"name": "M. Smit", "title": "wethouder Dienstverlening",
                        "mandate": "Stuurt namens het college", "budget_amount": 1500000,
                        "budget_period": "2026-2028", "starts_on": "2026-01-01"}),
            ),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first = first.json();
    let h = health(&mut lead, &id).await;
    assert_eq!(check(&h, "executive_confirmed")["verdict"], "warning");
    assert_eq!(
        check(&h, "executive_confirmed")["reason_code"],
        "awaiting_confirmation"
    );
    assert_eq!(check(&h, "mandate_and_budget")["verdict"], "pass");
    let confirm = format!("{executives}/{}/confirmation", first["id"]);
    let confirmed = lead
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2026-01-20", "note": "Collegebesluit"})),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(
        check(&health(&mut lead, &id).await, "executive_confirmed")["verdict"],
        "pass"
    );

    // The new executive is a member with an account.
    let executive_id =
        lead.get("/api/v1/users?search=executive").await.json()["items"][0]["id"].clone();
    let before_start = lead
        .api(
            Method::POST,
            &executives,
            Some(json!({"user_id": executive_id, "starts_on": "2025-12-01"})),
        )
        .await;
    assert_eq!(
        before_start.errors(),
        [("starts_on".to_owned(), "before_current_term".to_owned())]
    );
    let second = lead
        .api(
            Method::POST,
            &executives,
            Some(json!({"user_id": executive_id, "title": "wethouder Digitalisering",
                        "mandate": "Ongewijzigd", "budget_amount": 1500000, "starts_on": "2026-09-01"})),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let second = second.json();
    assert_eq!(second["name"], "Test executive");
    let terms = lead.get(&executives).await.json();
    assert_eq!(terms["total"], 2);
    assert_eq!(terms["items"][0]["ends_on"], "2026-09-01");
    assert!(terms["items"][1]["ends_on"].is_null());

    let summary = lead.get(&format!("/api/v1/programmes/{id}")).await.json();
    assert_eq!(summary["commitment"], "renewed_commitment_needed");
    let h = health(&mut lead, &id).await;
    assert_eq!(h["verdict"], "fail");
    assert_eq!(check(&h, "executive_confirmed")["verdict"], "fail");
    assert_eq!(
        check(&h, "executive_confirmed")["reason_code"],
        "renewed_commitment_needed"
    );
    assert_eq!(check(&h, "executive_changes")["verdict"], "warning");
    assert!(
        check(&h, "executive_confirmed")["reason"]
            .as_str()
            .unwrap()
            .contains("Hernieuwd commitment is nodig"),
        "{h}"
    );

    // Only the executive confirms; not the programme lead, not the old term.
    let confirm = format!("{executives}/{}/confirmation", second["id"]);
    let by_lead = lead
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2026-09-10", "note": "namens"})),
        )
        .await;
    assert_eq!(by_lead.status, StatusCode::FORBIDDEN);
    let old = lead
        .api(
            Method::POST,
            &format!("{executives}/{}/confirmation", first["id"]),
            Some(json!({"confirmed_on": "2026-09-10", "note": "x"})),
        )
        .await;
    assert_eq!(old.status, StatusCode::CONFLICT);
    let mut executive = app.login("executive@alpha.test", PASSWORD).await;
    let bad = executive
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2026-08-01", "note": ""})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            ("confirmed_on".to_owned(), "before_term".to_owned()),
            ("note".to_owned(), "required".to_owned())
        ]
    );
    let future = executive
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2027-01-01", "note": "x"})),
        )
        .await;
    assert_eq!(
        future.errors(),
        [("confirmed_on".to_owned(), "in_future".to_owned())]
    );
    let ok = executive
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2026-09-15", "note": "In de stuurgroep"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["confirmed_on"], "2026-09-15");
    let again = executive
        .api(
            Method::POST,
            &confirm,
            Some(json!({"confirmed_on": "2026-09-16", "note": "x"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let summary = lead.get(&format!("/api/v1/programmes/{id}")).await.json();
    assert_eq!(summary["commitment"], "confirmed");
    assert_eq!(
        check(&health(&mut lead, &id).await, "executive_confirmed")["verdict"],
        "pass"
    );
}

#[tokio::test]
async fn health_checks_follow_sessions_and_measured_ambitions() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let id = created["id"].clone();
    let h = health(&mut lead, &id).await;
    assert_eq!(check(&h, "vision_co_created")["reason_code"], "no_sessions");
    assert_eq!(
        check(&h, "ambitions_measured")["reason_code"],
        "no_ambitions"
    );
    assert_eq!(
        check(&h, "ambitions_measured")["fix_url"],
        format!("/programmes/{id}#ambitions")
    );

    let sessions = format!("/api/v1/programmes/{id}/co-creation-sessions");
    let bad = lead
        .api(
            Method::POST,
            &sessions,
            Some(json!({"held_on": "2027-01-01", "form": "", "participants": [{"name": " ", "role": "x"}]})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            ("held_on".to_owned(), "in_future".to_owned()),
            ("form".to_owned(), "required".to_owned()),
            ("participants[0].name".to_owned(), "required".to_owned()),
        ]
    );
    let made = lead
        .api(
            Method::POST,
            &sessions,
            Some(json!({"held_on": "2026-02-01", "form": "Inwonerspanel",
                        "participants": [{"name": "Panel", "role": "inwoners"}]})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(
        check(&health(&mut lead, &id).await, "vision_co_created")["reason_code"],
        "without_executives"
    );
    lead.api(
        Method::POST,
        &sessions,
        Some(json!({"held_on": "2026-03-01", "form": "Werksessie college",
                    "participants": [{"name": "M. Smit", "role": "wethouder"}], "executives_took_part": true})),
    )
    .await;
    assert_eq!(
        check(&health(&mut lead, &id).await, "vision_co_created")["verdict"],
        "pass"
    );

    let ambition = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{id}/ambitions"),
            Some(json!({"title": "Digitaal"})),
        )
        .await
        .json();
    assert_eq!(
        check(&health(&mut lead, &id).await, "ambitions_measured")["reason_code"],
        "none_measured"
    );
    let indicator = define(&mut lead, web_success()).await;
    lead.api(
        Method::PUT,
        &format!(
            "/api/v1/ambitions/{}/indicators/{}",
            ambition["id"], indicator["id"]
        ),
        None,
    )
    .await;
    // Linked but without a target, it does not count yet.
    assert_eq!(
        check(&health(&mut lead, &id).await, "ambitions_measured")["verdict"],
        "fail"
    );
    lead.api(
        Method::POST,
        &format!("/api/v1/indicators/{}/targets", indicator["id"]),
        Some(json!({"date": "2027-12-31", "value": 80})),
    )
    .await;
    assert_eq!(
        check(&health(&mut lead, &id).await, "ambitions_measured")["verdict"],
        "pass"
    );
}

#[tokio::test]
async fn programmes_are_invisible_to_other_organisations() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let id = created["id"].clone();
    let ambition = lead
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{id}/ambitions"),
            Some(json!({"title": "Digitaal"})),
        )
        .await
        .json();
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(beta.get("/api/v1/programmes").await.json()["total"], 0);
    for path in [
        format!("/api/v1/programmes/{id}"),
        format!("/api/v1/programmes/{id}/ambitions"),
        format!("/api/v1/programmes/{id}/executives"),
        format!("/api/v1/programmes/{id}/co-creation-sessions"),
        format!("/api/v1/programmes/{id}/health"),
        format!("/api/v1/ambitions/{}", ambition["id"]),
        format!("/programmes/{id}"),
        format!("/ambitions/{}", ambition["id"]),
    ] {
        assert_eq!(
            beta.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let changed = beta
        .api(
            Method::PATCH,
            &format!("/api/v1/programmes/{id}"),
            Some(json!({"name": "Overgenomen"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    let recorded = beta
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{id}/executives"),
            Some(json!({"name": "Indringer", "starts_on": "2026-02-01"})),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::NOT_FOUND);
    // Nor can an organisation link another's indicator to its own ambition.
    let beta_programme = programme(&mut beta).await;
    let beta_ambition = beta
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{}/ambitions", beta_programme["id"]),
            Some(json!({"title": "Eigen"})),
        )
        .await
        .json();
    let alpha_indicator = define(&mut lead, web_success()).await;
    let stolen = beta
        .api(
            Method::PUT,
            &format!(
                "/api/v1/ambitions/{}/indicators/{}",
                beta_ambition["id"], alpha_indicator["id"]
            ),
            None,
        )
        .await;
    assert_eq!(
        stolen.errors(),
        [("indicator_id".to_owned(), "unknown_indicator".to_owned())]
    );
    let deleted = beta
        .api(
            Method::DELETE,
            &format!("/api/v1/ambitions/{}", ambition["id"]),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lead.get(&format!("/api/v1/programmes/{id}")).await.json()["name"],
        "Alpha Digitaal 2028"
    );
}

#[tokio::test]
async fn the_pages_record_an_executive_change_and_its_confirmation() {
    let app = spawn_app().await;
    let (mut lead, created) = setup(&app).await;
    let id = created["id"].clone();
    let form = format!("/programmes/{id}/executives/new");
    let bad = lead
        .post_form(
            &form,
            &[
                ("user_id", ""),
                ("name", ""),
                ("budget_amount", "veel"),
                ("starts_on", "gisteren"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("id=\"budget_amount-error\""),
        "{}",
        bad.body
    );
    assert_eq!(app.count("programme_executives").await, 0);
    let ok = lead
        .post_form(
            &form,
            &[
                ("user_id", ""),
                ("name", "A. de Boer"),
                ("title", "burgemeester"),
                ("portfolio", "Dienstverlening"),
                ("mandate", "Volledig"),
                ("budget_amount", "1.500.000"),
                ("budget_period", "2026"),
                ("starts_on", "01-02-2026"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let terms = lead
        .get(&format!("/api/v1/programmes/{id}/executives"))
        .await
        .json();
    assert_eq!(terms["items"][0]["budget_amount"], 1_500_000.0);
    let term = terms["items"][0]["id"].clone();
    let page = lead.get(&format!("/programmes/{id}")).await;
    assert!(page.body.contains("Wacht op bevestiging"));
    // Without an account, the programme lead records the confirmation.
    let confirmed = lead
        .post_form(
            &format!("/programmes/{id}/executives/{term}/confirm"),
            &[
                ("confirmed_on", "2026-02-10"),
                ("note", "Brief van de burgemeester"),
            ],
        )
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    let page = lead.get(&format!("/programmes/{id}")).await;
    assert!(page.body.contains("Brief van de burgemeester"));
    // The start page of a programme lead shows the health panel.
    let start = lead.get("/").await;
    assert!(
        start.body.contains("Gezondheid van de sturing"),
        "{}",
        start.body
    );
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert!(
        !employee
            .get("/")
            .await
            .body
            .contains("Gezondheid van de sturing")
    );
}
