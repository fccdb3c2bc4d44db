//! The service catalogue: the maturity scale and its checks, links to
//! indicators and initiatives in both directions, volumes per channel and
//! the catalogue's views, the pages, rights and bad input.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app};

fn passport() -> Value {
    json!({"name": "Paspoort", "description": "Een paspoort aanvragen en ophalen.",
           "target_groups": ["residents"], "legal_basis": "Paspoortwet",
           "channels": ["online", "counter"], "maturity": 3, "lead_time_days": 35})
}

#[tokio::test]
async fn services_are_checked_against_the_scale_and_linked_both_ways() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/services",
            Some(
                json!({"name": "", "maturity": 7, "channels": ["fax"], "lead_time_days": 5000,
                        "owner_unit_id": 999_999}),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(
        bad.error_names(),
        ["name", "channels[0]", "maturity", "lead_time_days"]
    );
    let contradiction = lead
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Loket", "maturity": 3, "channels": ["counter"]})),
        )
        .await;
    assert_eq!(contradiction.error_codes(), ["digital_channel_needed"]);
    let unknown_unit = lead
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Loket", "maturity": 0, "owner_unit_id": 999_999})),
        )
        .await;
    assert_eq!(unknown_unit.error_codes(), ["unknown_unit"]);
    assert_eq!(app.count("services").await, 0);

    // Links only to this organisation's indicators and initiatives.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let foreign = beta
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(json!({"code": "VREEMD", "name": "Vreemd", "unit": "count",
                        "direction": "higher_is_better", "frequency": "month"})),
        )
        .await
        .json();
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let own = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(
                json!({"code": "WACHTTIJD", "name": "Wachttijd balie", "unit": "days",
                        "direction": "lower_is_better", "frequency": "month"}),
            ),
        )
        .await
        .json();
    let initiative = lead
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(json!({"kind": "experiment", "title": "Paspoort thuisbezorgd"})),
        )
        .await;
    assert_eq!(
        initiative.status,
        StatusCode::CREATED,
        "{}",
        initiative.body
    );
    let initiative = initiative.json();
    let mut body = passport();
    body["indicator_ids"] = json!([own["id"], foreign["id"]]);
    body["initiative_ids"] = json!([initiative["id"], 999_999]);
    let refused = lead.api(Method::POST, "/api/v1/services", Some(body)).await;
    assert_eq!(
        refused.errors(),
        [
            (
                "indicator_ids[1]".to_owned(),
                "unknown_indicator".to_owned()
            ),
            (
                "initiative_ids[1]".to_owned(),
                "unknown_initiative".to_owned()
            )
        ]
    );
    let mut body = passport();
    body["indicator_ids"] = json!([own["id"]]);
    body["initiative_ids"] = json!([initiative["id"]]);
    let audit = app.audit_count().await;
    let made = lead.api(Method::POST, "/api/v1/services", Some(body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(app.audit_count().await, audit + 1);
    let made = made.json();
    assert_eq!(made["maturity"], 3);
    assert_eq!(made["channels"], json!(["online", "counter"]));
    assert_eq!(made["indicator_ids"], json!([own["id"]]));
    let id = made["id"].as_i64().unwrap();
    let again = lead
        .api(Method::POST, "/api/v1/services", Some(passport()))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_codes(), ["taken"]);

    // The other direction: the indicator and the initiative name it.
    let indicator_page = lead.get(&format!("/indicators/{}", own["id"])).await.body;
    assert!(indicator_page.contains("id=\"indicator-services\""));
    assert!(indicator_page.contains(&format!("/services/{id}")));
    let initiative_page = lead
        .get(&format!("/initiatives/{}", initiative["id"]))
        .await
        .body;
    assert!(initiative_page.contains(&format!("/services/{id}")));

    // Rights: unit leads keep services too; employees and executives read.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee
            .api(
                Method::PATCH,
                &format!("/api/v1/services/{id}"),
                Some(json!({"maturity": 4}))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        employee.get(&format!("/api/v1/services/{id}")).await.status,
        StatusCode::OK
    );
    let mut unit_lead = app.login("unit_lead@alpha.test", PASSWORD).await;
    let raised = unit_lead
        .api(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(json!({"maturity": 4, "initiative_ids": []})),
        )
        .await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.body);
    let raised = raised.json();
    assert_eq!(raised["maturity"], 4);
    assert_eq!(raised["initiative_ids"], json!([]));
    assert_eq!(raised["indicator_ids"], json!([own["id"]]));
    assert_eq!(raised["legal_basis"], "Paspoortwet");
    let filtered = employee.get("/api/v1/services?maturity=4").await.json();
    assert_eq!(filtered["total"], 1);
    assert_eq!(
        employee.get("/api/v1/services?maturity=3").await.json()["total"],
        0
    );
}

#[tokio::test]
async fn volumes_per_channel_feed_the_distribution_the_shift_and_the_offline_ranking() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let passport_id = lead
        .api(Method::POST, "/api/v1/services", Some(passport()))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let market = lead
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Standplaats markt", "maturity": 1, "channels": ["post", "counter"]})),
        )
        .await
        .json();
    let overview = lead.get("/api/v1/service-catalogue").await.json();
    let counts: Vec<i64> = overview["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["services"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [0, 1, 0, 1, 0, 0]);
    assert!(overview["channel_shift"].as_array().unwrap().is_empty());

    let tracked = lead
        .api(
            Method::POST,
            &format!("/api/v1/services/{passport_id}/volume-indicator"),
            None,
        )
        .await;
    assert_eq!(tracked.status, StatusCode::CREATED, "{}", tracked.body);
    let indicator = tracked.json();
    assert_eq!(indicator["frequency"], "month");
    assert_eq!(indicator["dimensions"][0]["name"], "kanaal");
    let again = lead
        .api(
            Method::POST,
            &format!("/api/v1/services/{passport_id}/volume-indicator"),
            None,
        )
        .await;
    assert_eq!(again.error_codes(), ["volumes_tracked_already"]);
    let market_volumes = lead
        .api(
            Method::POST,
            &format!("/api/v1/services/{}/volume-indicator", market["id"]),
            None,
        )
        .await
        .json();
    let record = |channel: &str, period: &str, value: f64| json!({"period": period, "value": value, "dimensions": {"kanaal": channel}});
    let recorded = lead
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{}/measurements", indicator["id"]),
            Some(json!({"measurements": [
                record("online", "2026-07", 100.0), record("balie", "2026-07", 300.0),
                record("online", "2026-10", 300.0), record("balie", "2026-10", 100.0),
            ]})),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    lead.api(
        Method::POST,
        &format!("/api/v1/indicators/{}/measurements", market_volumes["id"]),
        Some(json!({"measurements": [record("post", "2026-10", 50.0)]})),
    )
    .await;
    let overview = lead.get("/api/v1/service-catalogue").await.json();
    let shift = overview["channel_shift"].as_array().unwrap();
    assert_eq!(shift.len(), 2);
    assert_eq!(shift[0]["quarter"], "2026-Q3");
    assert_eq!(shift[0]["digital_share"], 25.0);
    assert_eq!(shift[1]["volumes"]["online"], 300.0);
    assert_eq!(shift[1]["volumes"]["post"], 50.0);
    let offline = overview["largest_offline"].as_array().unwrap();
    assert_eq!(offline[0]["name"], "Paspoort");
    assert_eq!(offline[0]["offline"], 400.0);
    assert_eq!(offline[1]["name"], "Standplaats markt");
    // The service page points at its volumes; the indicator names the
    // service.
    let page = lead.get(&format!("/services/{passport_id}")).await.body;
    assert!(page.contains("id=\"volume-indicator\""));
    let indicator_page = lead
        .get(&format!("/indicators/{}", indicator["id"]))
        .await
        .body;
    assert!(indicator_page.contains(&format!("/services/{passport_id}")));
    let catalogue = lead.get("/services").await.body;
    assert!(catalogue.contains("id=\"channel-shift\""));
    assert!(catalogue.contains("id=\"largest-offline\""));
}

#[tokio::test]
async fn the_pages_add_and_raise_a_service_with_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let empty = lead.get("/services").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty
            .body
            .contains(">Er staan nog geen diensten in de catalogus.<")
    );
    let failed = lead
        .post_form(
            "/services",
            &[
                ("name", "Rijbewijs"),
                ("maturity", "3"),
                ("channel_counter", "1"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_REQUEST);
    assert!(
        failed.body.contains("id=\"channels-error\""),
        "{}",
        failed.body
    );
    let failed = lead
        .post_form(
            "/services",
            &[("name", "Rijbewijs"), ("lead_time_days", "tien")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_REQUEST);
    assert!(failed.body.contains("id=\"lead_time_days-error\""));
    assert_eq!(app.count("services").await, 0);
    let made = lead
        .post_form(
            "/services",
            &[
                ("name", "Rijbewijs"),
                ("maturity", "2"),
                ("channel_online", "1"),
                ("channel_counter", "1"),
                ("group_residents", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let path = made.location().to_owned();
    let list = lead.get("/services").await.body;
    assert!(list.contains("id=\"level-2-count\">1<"));
    assert!(list.contains("id=\"level-3-count\">0<"));
    let raised = lead
        .post_form(
            &path,
            &[
                ("name", "Rijbewijs"),
                ("maturity", "3"),
                ("channel_online", "1"),
                ("group_residents", "1"),
            ],
        )
        .await;
    assert_eq!(raised.status, StatusCode::SEE_OTHER, "{}", raised.body);
    let list = lead.get("/services").await.body;
    assert!(list.contains("id=\"level-2-count\">0<"));
    assert!(list.contains("id=\"level-3-count\">1<"));
    let shown = lead.get(&path).await.body;
    assert!(shown.contains("3 · Online met DigiD of eHerkenning en status"));
    let scale = lead.get("/services/scale").await;
    assert_eq!(scale.status, StatusCode::OK);
    assert!(scale.body.contains("id=\"maturity-scale\""));
    // Employees see the catalogue without the forms.
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let seen = employee.get(&path).await.body;
    assert!(!seen.contains("id=\"edit-service-heading\""));
    assert_eq!(
        employee
            .post_form(&path, &[("name", "Weg"), ("maturity", "0")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// Posts a file to the services import as the API takes it.
async fn import_file(
    client: &mut crate::helpers::Client,
    bytes: &[u8],
    dry_run: bool,
) -> crate::helpers::TestResponse {
    let token = client.csrf_token().await;
    client
        .send(
            Method::POST,
            &format!("/api/v1/service-imports?dry_run={dry_run}"),
            Some("text/csv"),
            bytes.to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await
}

#[tokio::test]
async fn the_catalogue_goes_out_and_back_in_as_a_spreadsheet_all_or_nothing() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Burgerzaken"})),
        )
        .await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = "naam;niveau;kanalen;eigenaar;termijn\n\
               Paspoort;3;online, balie;Burgerzaken;35\n\
               Rijbewijs;9;fax;Nergens;tien\n\
               Paspoort;1;;;\n";
    let refused = import_file(&mut lead, bad.as_bytes(), false).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        refused.error_names(),
        [
            "rows[3].lead_time_days",
            "rows[3].channels",
            "rows[3].owner_unit",
            "rows[3].maturity",
            "rows[4].name"
        ]
    );
    assert_eq!(app.count("services").await, 0);
    let good = "naam;niveau;kanalen;doelgroepen;eigenaar;termijn;omschrijving\n\
                Paspoort;3;online, balie;Inwoners;Burgerzaken;35;=HYPERLINK(\"http://x\")\n\
                Standplaats;1;post;Ondernemers;;;\n";
    let dry = import_file(&mut lead, good.as_bytes(), true).await.json();
    assert_eq!(
        (dry["created"].as_u64(), dry["dry_run"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(app.count("services").await, 0);
    let done = import_file(&mut lead, good.as_bytes(), false).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["created"], 2);
    let passport = lead.get("/api/v1/services?search=paspoort").await.json();
    assert_eq!(
        passport["items"][0]["channels"],
        json!(["online", "counter"])
    );
    assert_eq!(passport["items"][0]["lead_time_days"], 35);

    // Out as Dutch CSV (formulas made inert) and back in: nothing changes.
    let csv = lead.get("/api/v1/services-export?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.contains("'=HYPERLINK"), "{}", csv.body);
    assert!(csv.body.contains("Online, Balie"));
    let again = import_file(&mut lead, &csv.bytes, false).await.json();
    assert_eq!(again["unchanged"], 2, "{again}");
    // XLSX reads back with the standard reader.
    let xlsx = lead.get("/api/v1/services-export?format=xlsx").await;
    let table = koers::spreadsheet::read(&xlsx.bytes, 100).unwrap();
    assert_eq!(table.headers[0], "naam");
    assert_eq!(table.rows.len(), 2);
    let changed = import_file(&mut lead, &xlsx.bytes, false).await.json();
    assert_eq!(changed["unchanged"], 2, "{changed}");

    // The pages: upload, preview, confirm; employees may not import.
    let file = "name,level,channels\nParkeren,4,\"online, app\"\n";
    let preview = lead
        .post_file("/services/import", true, "diensten.csv", file.as_bytes())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("id=\"import-summary\""));
    let action = preview
        .body
        .split("action=\"/services/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let confirmed = lead
        .post_form(&format!("/services/import/{action}"), &[])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("services").await, 3);
    let problems = lead
        .post_file("/services/import", true, "fout.csv", b"niveau\n1\n")
        .await;
    assert_eq!(problems.status, StatusCode::BAD_REQUEST);
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        import_file(&mut employee, good.as_bytes(), false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
