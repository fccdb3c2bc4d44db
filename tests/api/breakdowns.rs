//! Breakdowns (dimensions) of measurements and indicators computed by a
//! formula over other indicators.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, spawn_app};
use crate::indicators::{admin, define};

fn applications() -> Value {
    json!({"code": "AANVRAGEN", "name": "Aanvragen", "unit": "count", "direction": "higher_is_better",
           "frequency": "month", "aggregation": "sum",
           "dimensions": [{"name": "Kanaal", "values": ["online", "telefoon", "balie"]}]})
}

async fn record(client: &mut Client, id: &Value, items: Value) -> crate::helpers::TestResponse {
    client
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{id}/measurements"),
            Some(json!({ "measurements": items })),
        )
        .await
}

#[tokio::test]
async fn breakdowns_are_recorded_checked_and_a_formula_computes_the_digital_share() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let apps = define(&mut admin, applications()).await;
    assert_eq!(
        apps["dimensions"],
        json!([{"name": "kanaal", "values": ["online", "telefoon", "balie"]}])
    );
    let id = apps["id"].clone();
    let recorded = record(
        &mut admin,
        &id,
        json!([
            {"period": "2026-10", "value": 1000},
            {"period": "2026-10", "value": 600, "dimensions": {"kanaal": "Online"}},
            {"period": "2026-10", "value": 300, "dimensions": {"kanaal": "telefoon"}},
            {"period": "2026-11", "value": 1000},
            {"period": "2026-11", "value": 650, "dimensions": {"kanaal": "online"}}
        ]),
    )
    .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert_eq!(recorded.json()["created"], 5);

    let wrong = record(
        &mut admin,
        &id,
        json!([
            {"period": "2026-12", "value": 1, "dimensions": {"kleur": "rood"}},
            {"period": "2026-12", "value": 1, "dimensions": {"kanaal": "post"}},
            {"period": "2026-11", "value": 2, "dimensions": {"kanaal": "online"}},
            {"period": "2026-11", "value": 3, "dimensions": {"kanaal": "online"}}
        ]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong.errors(),
        [
            (
                "measurements[0].dimensions.kleur".to_owned(),
                "unknown_dimension".to_owned()
            ),
            (
                "measurements[1].dimensions.kanaal".to_owned(),
                "unknown_dimension_value".to_owned()
            ),
            (
                "measurements[3].period".to_owned(),
                "duplicate_period".to_owned()
            ),
        ]
    );

    let share = define(
        &mut admin,
        json!({"code": "DIGI-AANDEEL", "name": "Digitaal aandeel", "unit": "percentage",
               "direction": "higher_is_better", "frequency": "month",
               "formula": "aanvragen[kanaal=online] / AANVRAGEN * 100"}),
    )
    .await;
    let share_id = share["id"].clone();
    let overview = admin.get("/api/v1/indicators?search=digi").await.json();
    assert_eq!(
        overview["items"][0]["latest"],
        json!({"period": "2026-11", "value": 65.0})
    );
    let history = admin
        .get(&format!("/api/v1/indicators/{share_id}/measurements"))
        .await
        .json();
    assert_eq!(history["total"], 2);
    assert_eq!(
        (
            &history["items"][1]["value"],
            &history["items"][1]["source"]
        ),
        (&json!(60.0), &json!("formula"))
    );
    let refused = record(
        &mut admin,
        &share_id,
        json!([{"period": "2026-11", "value": 70}]),
    )
    .await;
    assert_eq!(
        refused.errors(),
        [(
            "measurements[0].value".to_owned(),
            "computed_indicator".to_owned()
        )]
    );

    // The detail pages: breakdowns in the history, the formula in the facts,
    // no recording form for a computed indicator.
    let page = admin.get(&format!("/indicators/{id}")).await.body;
    assert!(page.contains("kanaal: online"), "{page}");
    assert!(page.contains("id=\"dimension_kanaal\""), "{page}");
    assert!(page.contains("Uitsplitsing van 2026-11"), "{page}");
    assert!(
        page.contains(">65%<"),
        "online share of November's total: {page}"
    );
    let share_page = admin.get(&format!("/indicators/{share_id}")).await.body;
    assert!(share_page.contains("aanvragen[kanaal=online] / AANVRAGEN * 100"));
    assert!(!share_page.contains("/measurements\" novalidate"));
    let csv = admin
        .get(&format!("/api/v1/indicators/{id}/export"))
        .await
        .body;
    assert!(
        csv.starts_with("\u{feff}indicator;periode;waarde;toelichting;kanaal\n"),
        "{csv}"
    );
    assert!(csv.contains("AANVRAGEN;2026-10;600;;online\n"), "{csv}");
}

#[tokio::test]
async fn the_form_and_the_import_record_breakdowns() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let apps = define(&mut admin, applications()).await;
    let id = apps["id"].clone();
    let saved = admin
        .post_form(
            &format!("/indicators/{id}/measurements"),
            &[
                ("period", "2026-11"),
                ("value", "640"),
                ("note", ""),
                ("dimension_kanaal", "online"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let bad = admin
        .post_form(
            &format!("/indicators/{id}/measurements"),
            &[
                ("period", "2026-11"),
                ("value", "1"),
                ("note", ""),
                ("dimension_kanaal", "post"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("id=\"dimension_kanaal-error\""),
        "{}",
        bad.body
    );

    let token = admin.csrf_token().await;
    let file = "indicator;periode;kanaal;waarde\nAANVRAGEN;2026-11;online;650\nAANVRAGEN;2026-11;;1000\nAANVRAGEN;2026-11;balie;x\nAANVRAGEN;2026-11;fax;3\n";
    let refused = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some("text/csv"),
            file.as_bytes().to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(
        refused.errors(),
        [
            ("rows[4].value".to_owned(), "number".to_owned()),
            (
                "rows[5].dimensions.kanaal".to_owned(),
                "unknown_dimension_value".to_owned()
            ),
        ]
    );
    let good =
        "indicator;periode;kanaal;waarde\nAANVRAGEN;2026-11;online;650\nAANVRAGEN;2026-11;;1000\n";
    let report = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some("text/csv"),
            good.as_bytes().to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await
        .json();
    assert_eq!(
        (report["updated"].clone(), report["created"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        report["changes"][0]["dimensions"],
        json!({"kanaal": "online"})
    );
    assert_eq!(report["changes"][0]["previous_value"], 640.0);
}

#[tokio::test]
async fn formulas_and_dimensions_are_refused_with_reasons() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let apps = define(&mut admin, applications()).await;
    define(
        &mut admin,
        json!({"code": "SHARE", "name": "Aandeel", "unit": "percentage", "direction": "higher_is_better",
               "frequency": "month", "formula": "AANVRAGEN[kanaal=online] / AANVRAGEN * 100"}),
    )
    .await;
    define(
        &mut admin,
        json!({"code": "WEEKLY", "name": "Wekelijks", "unit": "count", "direction": "higher_is_better", "frequency": "week"}),
    )
    .await;
    let attempt = |formula: &str| {
        json!({"code": "X", "name": "X", "unit": "count", "direction": "higher_is_better",
               "frequency": "month", "formula": formula})
    };
    for (formula, code) in [
        ("ONBEKEND * 2", "formula_unknown_indicator"),
        ("SHARE / 2", "formula_nested"),
        ("WEEKLY + AANVRAGEN", "formula_frequency"),
        ("AANVRAGEN[kanaal=fax]", "unknown_dimension_value"),
        ("AANVRAGEN +", "formula_syntax"),
        ("100", "formula_without_indicator"),
    ] {
        let response = admin
            .api(Method::POST, "/api/v1/indicators", Some(attempt(formula)))
            .await;
        assert_eq!(
            response.errors(),
            [("formula".to_owned(), code.to_owned())],
            "{formula}"
        );
    }
    let mut with_dims = attempt("AANVRAGEN / 2");
    with_dims["dimensions"] = json!([{"name": "wijk", "values": ["noord"]}]);
    let response = admin
        .api(Method::POST, "/api/v1/indicators", Some(with_dims))
        .await;
    assert_eq!(
        response.errors(),
        [("formula".to_owned(), "formula_with_dimensions".to_owned())]
    );
    let reserved = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(json!({"code": "Y", "name": "Y", "unit": "count", "direction": "higher_is_better",
                        "frequency": "month", "dimensions": [{"name": "waarde", "values": ["a"]}, {"name": "kanaal", "values": []}]})),
        )
        .await;
    assert_eq!(
        reserved.errors(),
        [
            (
                "dimensions[0].name".to_owned(),
                "dimension_reserved".to_owned()
            ),
            ("dimensions[1].values".to_owned(), "required".to_owned())
        ]
    );

    // Values in use stay; new ones may be added. A recorded indicator does
    // not become a formula.
    let id = apps["id"].clone();
    record(
        &mut admin,
        &id,
        json!([{"period": "2026-11", "value": 5, "dimensions": {"kanaal": "balie"}}]),
    )
    .await;
    let path = format!("/api/v1/indicators/{id}");
    let shrink = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"dimensions": [{"name": "kanaal", "values": ["online"]}]})),
        )
        .await;
    assert_eq!(
        shrink.errors(),
        [("dimensions".to_owned(), "dimension_in_use".to_owned())]
    );
    let grow = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"dimensions": [{"name": "kanaal", "values": ["online", "telefoon", "balie", "app"]}]})),
        )
        .await;
    assert_eq!(grow.status, StatusCode::OK, "{}", grow.body);
    let to_formula = admin
        .api(
            Method::PATCH,
            &path,
            Some(json!({"dimensions": [], "formula": "WEEKLY * 1"})),
        )
        .await;
    assert!(
        to_formula
            .error_codes()
            .contains(&"formula_frequency".to_owned()),
        "{}",
        to_formula.body
    );
}

#[tokio::test]
async fn daily_values_roll_up_into_months_by_each_indicators_aggregation() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let calls = define(
        &mut admin,
        json!({"code": "A-CALLS", "name": "Gesprekken", "unit": "count", "direction": "higher_is_better", "frequency": "day"}),
    )
    .await;
    let answered = define(
        &mut admin,
        json!({"code": "B-ANSWERED", "name": "Binnen 30 s", "unit": "percentage", "direction": "higher_is_better", "frequency": "day"}),
    )
    .await;
    let closing = define(
        &mut admin,
        json!({"code": "C-BACKLOG", "name": "Werkvoorraad", "unit": "count", "direction": "lower_is_better",
               "frequency": "day", "aggregation": "last"}),
    )
    .await;
    define(
        &mut admin,
        json!({"code": "D-QUARTER", "name": "Kwartaal", "unit": "score", "direction": "higher_is_better", "frequency": "quarter"}),
    )
    .await;
    for (id, values) in [
        (&calls["id"], [100.0, 120.0, 50.0]),
        (&answered["id"], [70.0, 80.0, 90.0]),
        (&closing["id"], [30.0, 20.0, 25.0]),
    ] {
        let items: Vec<Value> = ["2026-10-30", "2026-10-31", "2026-11-01"]
            .iter()
            .zip(values)
            .map(|(day, value)| json!({"period": day, "value": value}))
            .collect();
        assert_eq!(
            record(&mut admin, id, json!(items)).await.status,
            StatusCode::OK
        );
    }
    let months = admin
        .get("/api/v1/measurement-rollups?frequency=month")
        .await;
    assert_eq!(months.status, StatusCode::OK, "{}", months.body);
    let months = months.json();
    assert_eq!(months["total"], 4);
    assert_eq!(
        months["items"][0]["values"],
        json!([{"period": "2026-10", "value": 220.0, "count": 2}, {"period": "2026-11", "value": 50.0, "count": 1}])
    );
    assert_eq!(months["items"][1]["values"][0]["value"], 75.0, "a mean");
    assert_eq!(months["items"][2]["values"][0]["value"], 20.0, "the last");
    assert_eq!(
        months["items"][3]["values"],
        json!([]),
        "quarterly has no months"
    );
    // Changes and imports keep the month totals up to date.
    let changed = record(
        &mut admin,
        &calls["id"],
        json!([{"period": "2026-10-31", "value": 150}]),
    )
    .await;
    assert_eq!(changed.json()["updated"], 1);
    let token = admin.csrf_token().await;
    let imported = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some("text/csv"),
            b"indicator;periode;waarde\nA-CALLS;2026-11-02;10\nC-BACKLOG;2026-10-15;99\n".to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(imported.json()["created"], 2, "{}", imported.body);
    let after = admin
        .get("/api/v1/measurement-rollups?page_size=3")
        .await
        .json();
    assert_eq!(
        after["items"][0]["values"],
        json!([{"period": "2026-10", "value": 250.0, "count": 2}, {"period": "2026-11", "value": 60.0, "count": 2}])
    );
    assert_eq!(
        after["items"][2]["values"][0]["value"], 20.0,
        "an earlier day is not the last"
    );
    let quarters = admin
        .get("/api/v1/measurement-rollups?frequency=quarter&page_size=1")
        .await
        .json();
    assert_eq!(
        quarters["items"][0]["values"],
        json!([{"period": "2026-Q4", "value": 310.0, "count": 4}])
    );
    let bad = admin
        .get("/api/v1/measurement-rollups?frequency=day&page_size=500")
        .await;
    assert_eq!(
        bad.errors(),
        [
            ("frequency".to_owned(), "rollup_frequency".to_owned()),
            ("page_size".to_owned(), "page_size".to_owned())
        ]
    );
    let mut beta =
        crate::helpers::TestApp::login(&app, "admin@beta.test", crate::helpers::PASSWORD).await;
    assert_eq!(
        beta.get("/api/v1/measurement-rollups").await.json()["total"],
        0
    );
}
