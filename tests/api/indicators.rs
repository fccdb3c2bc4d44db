use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app};

pub async fn define(client: &mut Client, body: Value) -> Value {
    let response = client
        .api(Method::POST, "/api/v1/indicators", Some(body))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()
}

pub async fn admin(app: &TestApp) -> Client {
    app.two_organisations().await;
    app.login("admin@alpha.test", PASSWORD).await
}

pub fn web_success() -> Value {
    json!({"code": "web-success", "name": "Succesratio webformulieren", "unit": "percentage",
           "direction": "higher_is_better", "frequency": "month", "perspective": "resident",
           "baseline_value": 61.5, "baseline_period": "2024-12"})
}

#[tokio::test]
async fn an_indicator_is_defined_with_validated_fields() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let created = define(&mut admin, web_success()).await;
    assert_eq!(created["code"], "WEB-SUCCESS");
    assert_eq!(created["aggregation"], "mean", "the unit's default");
    assert_eq!(created["baseline_period"], "2024-12");

    let before = app.count("indicators").await;
    let invalid = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(json!({"code": "bad code", "name": "", "unit": "litres", "direction": "within_range",
                        "frequency": "month", "range_low": 5, "baseline_value": 1, "baseline_period": "2024-13"})),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names = invalid.error_names();
    assert_eq!(
        names,
        ["code", "name", "unit", "range_high", "baseline_period"]
    );
    let out_of_bounds = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(json!({"code": "X1", "name": "X", "unit": "percentage", "direction": "higher_is_better",
                        "frequency": "year", "max_value": 120, "baseline_value": 101, "baseline_period": "2024"})),
        )
        .await;
    assert_eq!(out_of_bounds.status, StatusCode::BAD_REQUEST);
    let codes = out_of_bounds.error_codes();
    assert_eq!(codes, ["out_of_bounds", "out_of_bounds"]);
    let duplicate = admin
        .api(Method::POST, "/api/v1/indicators", Some(web_success()))
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(app.count("indicators").await, before, "nothing written");
}

#[tokio::test]
async fn code_unit_and_frequency_cannot_change_and_edits_are_audited() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let created = define(&mut admin, web_success()).await;
    let path = format!("/api/v1/indicators/{}", created["id"]);
    let refused = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"code": "OTHER", "unit": "count", "frequency": "year"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["errors"].as_array().unwrap().len(), 3);
    let renamed = admin
        .api(Method::PATCH, &path, Some(json!({"name": "Afgeronde webformulieren", "baseline_value": null, "baseline_period": null})))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(renamed.json()["baseline_value"].is_null());
    let audit = admin
        .get("/api/v1/audit-events?entity_type=indicator&action=update")
        .await
        .json();
    assert_eq!(
        audit["items"][0]["changes"]["before"]["name"],
        "Succesratio webformulieren"
    );
    assert_eq!(
        audit["items"][0]["changes"]["after"]["name"],
        "Afgeronde webformulieren"
    );
}

#[tokio::test]
async fn an_indicator_changed_from_an_older_version_is_refused_not_lost() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let created = define(&mut admin, web_success()).await;
    assert_eq!(created["version"], 1);
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/indicators/{id}");
    let first = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "name": "Eerst"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["version"], 2);
    let audit = app.audit_count().await;
    let stale = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "name": "Te laat"})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(
        stale.errors(),
        [("version".to_owned(), "edit_conflict".to_owned())]
    );
    assert_eq!(admin.get(&path).await.json()["name"], "Eerst");
    assert_eq!(app.audit_count().await, audit, "nothing written");
    // The version stays out of the audit log's before and after.
    let events = admin
        .get("/api/v1/audit-events?entity_type=indicator&action=update")
        .await
        .json();
    assert_eq!(events["items"][0]["changes"]["after"]["name"], "Eerst");
    assert!(events["items"][0]["changes"]["after"]["version"].is_null());

    // Two changes from the same version at once: one wins.
    let (mut a, mut b) = (admin.clone(), admin.clone());
    let (ra, rb) = tokio::join!(
        a.api(
            Method::PATCH,
            &path,
            Some(json!({"version": 2, "name": "A"}))
        ),
        b.api(
            Method::PATCH,
            &path,
            Some(json!({"version": 2, "name": "B"}))
        ),
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(admin.get(&path).await.json()["version"], 3);

    // On the page: the form carries its version; a save after someone
    // else's keeps what was typed, says so and links to the saved version.
    let edit = format!("/indicators/{id}/edit");
    let form = admin.get(&edit).await;
    assert!(
        form.body.contains(r#"name="version" value="3""#),
        "{}",
        form.body
    );
    admin
        .api(Method::PATCH, &path, Some(json!({"name": "Tussendoor"})))
        .await;
    let fields = [
        ("version", "3"),
        ("name", "Mijn naam"),
        ("perspective", "resident"),
        ("direction", "higher_is_better"),
        ("aggregation", "mean"),
    ];
    let refused = admin.post_form(&edit, &fields).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains(r#"value="Mijn naam""#));
    assert!(refused.body.contains(r#"name="version" value="4""#));
    assert!(
        refused
            .body
            .contains(&format!(r#"href="/indicators/{id}""#))
    );
    assert!(
        refused
            .body
            .contains("Iemand anders heeft een wijziging opgeslagen")
    );
    assert_eq!(admin.get(&path).await.json()["name"], "Tussendoor");
    // Saving again, now knowing, keeps what was typed.
    let fields = [
        ("version", "4"),
        ("name", "Mijn naam"),
        ("perspective", "resident"),
        ("direction", "higher_is_better"),
        ("aggregation", "mean"),
    ];
    let saved = admin.post_form(&edit, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(admin.get(&path).await.json()["name"], "Mijn naam");
}

#[tokio::test]
async fn measurements_are_validated_idempotent_and_all_or_nothing() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let indicator = define(&mut admin, web_success()).await;
    let path = format!("/api/v1/indicators/{}/measurements", indicator["id"]);
    let first = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"measurements": [
                {"period": "2025-01", "value": 62.0},
                {"period": "02-2025", "value": 63.5, "note": "nieuw formulier"},
            ]})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(
        first.json(),
        json!({"created": 2, "updated": 0, "unchanged": 0})
    );
    let again = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"measurements": [
                {"period": "2025-01", "value": 62.0},
                {"period": "2025-02", "value": 64.0, "note": "gecorrigeerd"},
            ]})),
        )
        .await
        .json();
    assert_eq!(again, json!({"created": 0, "updated": 1, "unchanged": 1}));
    let update = admin
        .get("/api/v1/audit-events?entity_type=measurement&action=update")
        .await
        .json();
    assert_eq!(update["items"][0]["changes"]["before"]["value"], 63.5);
    assert_eq!(update["items"][0]["changes"]["after"]["value"], 64.0);

    let stored = app.count("measurements").await;
    let bad = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"measurements": [
                {"period": "2025-03", "value": 65.0},
                {"period": "2025-W10", "value": 50.0},
                {"period": "2025-04", "value": 101.0},
                {"period": "2025-03", "value": 66.0},
                {"period": "2025-05"},
            ]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let fields = bad.errors();
    assert_eq!(
        fields,
        [
            (
                "measurements[1].period".to_owned(),
                "period_format".to_owned()
            ),
            (
                "measurements[2].value".to_owned(),
                "out_of_bounds".to_owned()
            ),
            (
                "measurements[3].period".to_owned(),
                "duplicate_period".to_owned()
            ),
            ("measurements[4].value".to_owned(), "required".to_owned()),
        ]
    );
    assert_eq!(
        app.count("measurements").await,
        stored,
        "one bad row writes nothing"
    );

    let listed = admin.get(&format!("{path}?page_size=1")).await.json();
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["items"][0]["period"], "2025-02");
    assert_eq!(listed["items"][0]["source"], "api");
    let overview = admin.get("/api/v1/indicators").await.json();
    assert_eq!(
        overview["items"][0]["latest"],
        json!({"period": "2025-02", "value": 64.0})
    );
}

#[tokio::test]
async fn targets_are_revised_with_a_reason_and_never_overwritten() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let indicator = define(&mut admin, web_success()).await;
    let path = format!("/api/v1/indicators/{}/targets", indicator["id"]);
    let first = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"date": "31-12-2027", "value": 80})),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let no_reason = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"date": "2027-12-31", "value": 85})),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        no_reason.json()["errors"][0]["code"],
        "reason_required_for_revision"
    );
    let revised = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"date": "2027-12-31", "value": 85, "reason": "Bestuursakkoord 2026"})),
        )
        .await;
    assert_eq!(revised.status, StatusCode::CREATED);
    let all = admin.get(&path).await.json();
    assert_eq!(all["total"], 2);
    let items = all["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|t| t["value"] == 80.0 && t["superseded_at"].is_string())
    );
    assert!(
        items
            .iter()
            .any(|t| t["value"] == 85.0 && t["superseded_at"].is_null())
    );
    let overview = admin.get("/api/v1/indicators").await.json();
    assert_eq!(overview["items"][0]["next_target"]["value"], 85.0);

    // The chart keeps the replaced target visible, hollow, beside the one
    // in force.
    let recorded = admin
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{}/measurements", indicator["id"]),
            Some(json!({"measurements": [{"period": "2026-01", "value": 60}, {"period": "2026-02", "value": 62}]})),
        )
        .await;
    assert!(recorded.status.is_success(), "{}", recorded.body);
    let page = admin
        .get(&format!("/indicators/{}", indicator["id"]))
        .await
        .body;
    assert_eq!(page.matches("koers-chart__target--revised").count(), 1);
    assert!(page.contains("Vervangen doel 2027-12-31"), "{page}");
    let out = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"date": "2028-02-30", "value": 120})),
        )
        .await;
    assert_eq!(out.json()["errors"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn who_may_define_and_who_may_record() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let employee_id =
        admin.get("/api/v1/users?search=employee").await.json()["items"][0]["id"].clone();
    let mut body = web_success();
    body["owner_id"] = employee_id;
    let indicator = define(&mut admin, body).await;
    let path = format!("/api/v1/indicators/{}/measurements", indicator["id"]);
    let one = json!({"measurements": [{"period": "2025-01", "value": 60}]});
    for (role, may_define, may_record) in [
        ("programme_lead", true, true),
        ("unit_lead", false, true),
        ("employee", false, true), // the owner
        ("executive", false, false),
        ("viewer", false, false),
    ] {
        let mut member = app.login(&format!("{role}@alpha.test"), PASSWORD).await;
        let defined = member
            .api(Method::POST, "/api/v1/indicators", Some(json!({"code": format!("X-{role}"), "name": "X", "unit": "count", "direction": "higher_is_better", "frequency": "year"})))
            .await;
        assert_eq!(
            defined.status == StatusCode::CREATED,
            may_define,
            "{role} define: {}",
            defined.body
        );
        let recorded = member.api(Method::POST, &path, Some(one.clone())).await;
        assert_eq!(
            recorded.status == StatusCode::OK,
            may_record,
            "{role} record: {}",
            recorded.body
        );
        assert_eq!(
            member.get("/api/v1/indicators").await.status,
            StatusCode::OK
        );
    }
    let viewer_id = admin.get("/api/v1/users?search=viewer").await.json()["items"][0]["id"].clone();
    let refused = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/indicators/{}", indicator["id"]),
            Some(json!({"owner_id": viewer_id, "responsible_unit_id": 999})),
        )
        .await;
    let codes = refused.error_codes();
    assert_eq!(codes, ["owner_cannot_record", "unknown_unit"]);
}

#[tokio::test]
async fn pages_define_record_and_show_with_dutch_numbers() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    assert!(
        admin
            .get("/indicators")
            .await
            .body
            .contains("Er zijn nog geen indicatoren")
    );
    let invalid = admin
        .post_form(
            "/indicators",
            &[
                ("code", ""),
                ("name", "Doorlooptijd"),
                ("unit", "days"),
                ("direction", "lower_is_better"),
                ("frequency", "quarter"),
                ("min_value", "veel"),
            ],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(
        invalid.body.contains("id=\"code-error\"")
            && invalid.body.contains("id=\"min_value-error\"")
    );
    let created = admin
        .post_form(
            "/indicators",
            &[
                ("code", "omgv-doorloop"),
                ("name", "Doorlooptijd omgevingsvergunning"),
                ("unit", "days"),
                ("direction", "lower_is_better"),
                ("frequency", "quarter"),
                ("perspective", "business"),
                ("baseline_value", "54,5"),
                ("baseline_period", "2024-Q4"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page_path = created.location().to_owned();
    let page = admin.get(&page_path).await;
    assert!(
        page.body.contains("De indicator is aangemaakt.") && page.body.contains("54,5 (2024-Q4)")
    );
    assert!(!page.body.contains("<svg"), "no chart without measurements");
    let recorded = admin
        .post_form(
            &format!("{page_path}/measurements"),
            &[("period", "Q1 2025"), ("value", "48,25"), ("note", "")],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let wrong = admin
        .post_form(
            &format!("{page_path}/measurements"),
            &[("period", "2025-03"), ("value", "-1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.body.contains("id=\"period-error\"") && wrong.body.contains("id=\"value-error\"")
    );
    let target = admin
        .post_form(
            &format!("{page_path}/targets"),
            &[("target_date", "2027-12-31"), ("target_value", "40")],
        )
        .await;
    assert_eq!(target.status, StatusCode::SEE_OTHER);
    let shown = admin.get(&page_path).await.body;
    assert!(shown.contains("48,25") && shown.contains("2025-Q1") && shown.contains("2027-12-31"));
    assert!(
        shown.contains("role=\"img\"")
            && shown.contains("Verloop van Doorlooptijd omgevingsvergunning")
    );
    assert!(
        shown.contains("<title>2025-Q1: 48,25</title>"),
        "each point is labelled"
    );
    assert!(
        shown.contains("class=\"koers-chart__target\""),
        "the target is drawn"
    );
    let overview = admin.get("/indicators").await.body;
    assert!(
        overview.contains("OMGV-DOORLOOP")
            && overview.contains("48,25 (2025-Q1)")
            && overview.contains("40 (2027-12-31)")
    );
    let edit = admin
        .post_form(
            &format!("{page_path}/edit"),
            &[
                ("name", "Doorlooptijd vergunning"),
                ("unit", "days"),
                ("frequency", "quarter"),
                ("direction", "lower_is_better"),
                ("perspective", "business"),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let readonly = viewer.get(&page_path).await.body;
    assert!(
        !readonly.contains("/measurements\" novalidate")
            && !readonly.contains("/targets\" novalidate")
    );
    assert_eq!(
        viewer.get("/indicators/new").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn status_follows_the_trend_to_the_target_and_says_why() {
    let app = spawn_app().await; // the clock stands at 27 November 2026
    let mut admin = admin(&app).await;
    let climbing = define(&mut admin, web_success()).await;
    let base = format!("/api/v1/indicators/{}", climbing["id"]);
    let history: Vec<Value> = (5..=10)
        .map(
            |month| json!({"period": format!("2026-{month:02}"), "value": 55.0 + f64::from(month)}),
        )
        .collect();
    admin
        .api(
            Method::POST,
            &format!("{base}/measurements"),
            Some(json!({"measurements": history})),
        )
        .await;
    admin
        .api(
            Method::POST,
            &format!("{base}/targets"),
            Some(json!({"date": "2027-06-30", "value": 70})),
        )
        .await;

    let mut stalled = web_success();
    stalled["code"] = json!("STALLED");
    let stalled = define(&mut admin, stalled).await;
    let other = format!("/api/v1/indicators/{}", stalled["id"]);
    admin
        .api(
            Method::POST,
            &format!("{other}/measurements"),
            Some(json!({"measurements": [{"period": "2026-08", "value": 50}]})),
        )
        .await;
    admin
        .api(
            Method::POST,
            &format!("{other}/targets"),
            Some(json!({"date": "2027-06-30", "value": 70})),
        )
        .await;

    let overview = admin.get("/api/v1/indicators").await.json();
    let by_code = |code: &str| {
        overview["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code)
            .unwrap()
            .clone()
    };
    let on_track = by_code("WEB-SUCCESS");
    assert_eq!(on_track["assessment"]["status"], "on_track", "{on_track}");
    assert_eq!(on_track["assessment"]["overdue"], false);
    assert_eq!(on_track["assessment"]["reasoning"]["kind"], "projected");
    let projected = on_track["assessment"]["reasoning"]["projected"]
        .as_f64()
        .unwrap();
    assert!((73.0..76.0).contains(&projected), "{projected}");
    let late = by_code("STALLED");
    assert_eq!(late["assessment"]["status"], "at_risk");
    assert_eq!(late["assessment"]["reasoning"]["kind"], "too_few_values");
    assert_eq!(late["assessment"]["overdue"], true, "October has no value");

    let page = admin
        .get(&format!("/indicators/{}", climbing["id"]))
        .await
        .body;
    assert!(
        page.contains("Op koers")
            && page.contains("Bij het huidige tempo")
            && page.contains("op 30-6-2027, doel 70."),
        "{page}"
    );
    let list = admin.get("/indicators").await.body;
    assert!(list.contains("meting ontbreekt") && list.contains("Risico"));
    assert_eq!(
        list.matches("class=\"koers-sparkline\"").count(),
        1,
        "a line needs two values or more"
    );

    // The start page counts statuses; owners see their indicators that need attention.
    let start = admin.get("/").await.body;
    assert!(start.contains("Werkt de transformatie?"));
    assert!(
        !start.contains("Jouw indicatoren die aandacht vragen"),
        "admin owns none"
    );
    let me = admin.get("/api/v1/me").await.json();
    admin
        .api(
            Method::PATCH,
            &other,
            Some(json!({"name": "Stilgevallen formulieren", "owner_id": me["id"]})),
        )
        .await;
    let start = admin.get("/").await.body;
    assert!(
        start.contains("Jouw indicatoren die aandacht vragen")
            && start.contains("Stilgevallen formulieren"),
        "{start}"
    );
}

async fn import(client: &mut Client, csv: &str, dry_run: bool) -> crate::helpers::TestResponse {
    let path = format!("/api/v1/measurement-imports?dry_run={dry_run}");
    client
        .send(
            Method::POST,
            &path,
            Some("text/csv"),
            csv.as_bytes().to_vec(),
            &[],
        )
        .await
}

#[tokio::test]
async fn a_dutch_spreadsheet_imports_all_or_nothing_with_a_dry_run_first() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    define(
        &mut admin,
        json!({"code": "KCC-30S", "name": "Binnen 30 seconden", "unit": "percentage", "direction": "higher_is_better", "frequency": "day"}),
    )
    .await;
    let token = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "import", "access": "write"})),
        )
        .await
        .json();
    let mut script = app.token_client(token["secret"].as_str().unwrap());
    let file = "\u{feff}Indicator;Periode;Waarde;Toelichting\n\
                WEB-SUCCESS;2026-09;71,5;\n\
                web-success;10-2026;72,25;na livegang\n\
                KCC-30S;27-11-2026;68;\n\
                KCC-30S;46352;67,5;Excel-datum\n";
    let before = app.count("measurements").await;
    let dry = import(&mut script, file, true).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let report = dry.json();
    assert_eq!(
        (
            &report["dry_run"],
            &report["rows"],
            &report["created"],
            &report["updated"]
        ),
        (&json!(true), &json!(4), &json!(4), &json!(0))
    );
    assert_eq!(
        report["changes"][1],
        json!({"row": 3, "indicator": "WEB-SUCCESS", "period": "2026-10", "dimensions": {}, "value": 72.25, "previous_value": null})
    );
    assert_eq!(
        report["changes"][3]["period"], "2026-11-26",
        "an Excel day number"
    );
    assert_eq!(
        app.count("measurements").await,
        before,
        "a dry run writes nothing"
    );

    let real = import(&mut script, file, false).await.json();
    assert_eq!(real["created"], 4);
    let again = import(&mut script, file, false).await.json();
    assert_eq!(
        (again["created"].clone(), again["unchanged"].clone()),
        (json!(0), json!(4)),
        "idempotent"
    );
    let days = admin.get("/api/v1/indicators?search=kcc").await.json();
    assert_eq!(
        days["items"][0]["latest"],
        json!({"period": "2026-11-27", "value": 68.0})
    );

    let bad = "indicator,period,value\nWEB-SUCCESS,2026-11,73\nWEB-SUCCESS,2026-12,veel\nONBEKEND,2026-11,1\nWEB-SUCCESS,2026-13,5\n";
    let stored = app.count("measurements").await;
    let refused = import(&mut script, bad, false).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let names = refused.error_names();
    assert_eq!(
        names,
        ["rows[3].value", "rows[4].indicator", "rows[5].period"]
    );
    assert_eq!(
        app.count("measurements").await,
        stored,
        "one bad row imports nothing"
    );

    let missing = import(&mut script, "indicator;waarde\nX;1\n", false).await;
    assert_eq!(missing.json()["errors"][0]["name"], "columns.period");
    assert_eq!(
        import(&mut script, "", false).await.json()["errors"][0]["code"],
        "file_empty"
    );

    // Another organisation's codes are unknown here; viewers may not import.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let beta_token = beta
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "b", "access": "write"})),
        )
        .await
        .json();
    let mut beta_script = app.token_client(beta_token["secret"].as_str().unwrap());
    let foreign = import(
        &mut beta_script,
        "indicator;periode;waarde\nWEB-SUCCESS;2026-11;1\n",
        false,
    )
    .await;
    assert_eq!(foreign.json()["errors"][0]["code"], "unknown_indicator");
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let viewer_token = viewer
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "v", "access": "write"})),
        )
        .await
        .json();
    let mut viewer_script = app.token_client(viewer_token["secret"].as_str().unwrap());
    assert_eq!(
        import(&mut viewer_script, file, false).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Defines a monthly percentage with a target of 80 by mid-2027 and the
/// given history; returns its API path.
async fn with_history(client: &mut Client, code: &str, name: &str, values: &[(u8, f64)]) -> String {
    let mut body = web_success();
    body["code"] = json!(code);
    body["name"] = json!(name);
    let created = define(client, body).await;
    let base = format!("/api/v1/indicators/{}", created["id"]);
    let history: Vec<Value> = values
        .iter()
        .map(|(month, value)| json!({"period": format!("2026-{month:02}"), "value": value}))
        .collect();
    let recorded = client
        .api(
            Method::POST,
            &format!("{base}/measurements"),
            Some(json!({"measurements": history})),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    client
        .api(
            Method::POST,
            &format!("{base}/targets"),
            Some(json!({"date": "2027-06-30", "value": 80})),
        )
        .await;
    base
}

#[tokio::test]
async fn a_value_that_goes_off_track_needs_a_note_on_the_form() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let base = with_history(
        &mut admin,
        "FALLING",
        "Dalend",
        &[(8, 78.0), (9, 79.0), (10, 80.0)],
    )
    .await;
    let page = base.replace("/api/v1", "");
    let before = app.count("measurements").await;

    let refused = admin
        .post_form(
            &format!("{page}/measurements"),
            &[("period", "2026-11"), ("value", "20"), ("note", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("id=\"note-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("raakt de indicator uit koers"));
    assert_eq!(app.count("measurements").await, before, "nothing written");

    // A value that keeps it on course needs no note; an old period filled
    // in afterwards neither.
    let fine = admin
        .post_form(
            &format!("{page}/measurements"),
            &[("period", "2026-11"), ("value", "81"), ("note", "")],
        )
        .await;
    assert_eq!(fine.status, StatusCode::SEE_OTHER, "{}", fine.body);
    let backfill = admin
        .post_form(
            &format!("{page}/measurements"),
            &[("period", "2026-01"), ("value", "20"), ("note", "")],
        )
        .await;
    assert_eq!(backfill.status, StatusCode::SEE_OTHER, "{}", backfill.body);

    let explained = admin
        .post_form(
            &format!("{page}/measurements"),
            &[
                ("period", "2026-12"),
                ("value", "20"),
                ("note", "Storing bij DigiD"),
            ],
        )
        .await;
    assert_eq!(
        explained.status,
        StatusCode::SEE_OTHER,
        "{}",
        explained.body
    );
    assert_eq!(app.count("measurements").await, before + 3);

    // Someone who may not record hears that first, not about notes.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let forbidden = viewer
        .post_form(
            &format!("{page}/measurements"),
            &[("period", "2027-01"), ("value", "20"), ("note", "")],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_overview_filters_by_status_unit_and_owner_and_sorts() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    with_history(
        &mut admin,
        "A-GOOD",
        "Zeker goed",
        &[(8, 79.0), (9, 80.0), (10, 81.0)],
    )
    .await;
    with_history(
        &mut admin,
        "B-BAD",
        "Aandacht nodig",
        &[(8, 30.0), (9, 25.0), (10, 20.0)],
    )
    .await;
    define(
        &mut admin,
        json!({"code": "C-COUNT", "name": "Aantal meldingen", "unit": "count", "direction": "lower_is_better", "frequency": "week"}),
    )
    .await;
    let codes = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };

    let off = admin
        .get("/api/v1/indicators?status=off_track")
        .await
        .json();
    assert_eq!(
        (codes(&off), off["total"].clone()),
        (vec!["B-BAD".to_owned()], json!(1))
    );
    let worst_first = admin.get("/api/v1/indicators?sort=status").await.json();
    assert_eq!(codes(&worst_first), ["B-BAD", "C-COUNT", "A-GOOD"]);
    let paged = admin
        .get("/api/v1/indicators?sort=status&page=2&page_size=2")
        .await
        .json();
    assert_eq!(
        (codes(&paged), paged["total"].clone()),
        (vec!["A-GOOD".to_owned()], json!(3))
    );
    let by_name = admin.get("/api/v1/indicators?sort=name").await.json();
    assert_eq!(codes(&by_name), ["B-BAD", "C-COUNT", "A-GOOD"]);
    let counts = admin.get("/api/v1/indicators?unit=count").await.json();
    assert_eq!(codes(&counts), ["C-COUNT"]);

    let bad = admin
        .get("/api/v1/indicators?status=groen&sort=kleur")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            ("status".to_owned(), "unknown_choice".to_owned()),
            ("sort".to_owned(), "unknown_choice".to_owned())
        ]
    );

    // The same on the page, where the filter keeps its choice.
    let page = admin.get("/indicators?status=off_track").await.body;
    assert!(page.contains("B-BAD") && !page.contains("A-GOOD"), "{page}");
    assert!(
        page.contains("<option value=\"off_track\" selected>"),
        "{page}"
    );
    let first = admin.get("/indicators?sort=name&page_size=1").await.body;
    assert!(
        first.contains("B-BAD") && !first.contains("C-COUNT"),
        "{first}"
    );
    assert!(
        first.contains("?page_size=1&#38;"),
        "the pager keeps the page size: {first}"
    );
    let none = admin
        .get("/indicators?status=on_track&unit=count")
        .await
        .body;
    assert!(none.contains("koers-empty"), "{none}");

    // Nobody owns these yet; owner filters show nothing, not everything.
    let owned = admin.get("/api/v1/indicators?owner_id=1").await.json();
    assert_eq!(owned["total"], 0);
}
