//! Survey instruments: the built-in scan and pulse survey, own items, and
//! versions that never change once made.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

/// The instrument of `kind` with its current items.
async fn instrument(client: &mut Client, kind: &str) -> Value {
    let list = client.get("/api/v1/survey-instruments").await.json();
    let id = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    client
        .get(&format!("/api/v1/survey-instruments/{id}"))
        .await
        .json()
}

fn keys(instrument: &Value) -> Vec<String> {
    instrument["version"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_owned())
        .collect()
}

fn keep(keys: &[String]) -> Vec<Value> {
    keys.iter().map(|k| json!({ "key": k })).collect()
}

#[tokio::test]
async fn every_organisation_has_the_built_in_scan_and_pulse_survey() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let scan = instrument(&mut employee, "scan").await;
    assert_eq!(scan["current_version"], 1);
    let scan_keys = keys(&scan);
    assert_eq!(scan_keys.len(), 22);
    assert_eq!(scan_keys[0], "S1.1");
    let pulse = instrument(&mut employee, "pulse").await;
    let pulse_keys = keys(&pulse);
    assert_eq!(pulse_keys.len(), 16);
    assert_eq!(pulse_keys.last().unwrap(), "OPEN");
    assert_eq!(pulse["version"]["items"][0]["dimension"], "b1");
    // Reading is for everyone; changing is not.
    let id = pulse["id"].as_i64().unwrap();
    let refused = employee
        .api(
            Method::PUT,
            &format!("/api/v1/survey-instruments/{id}"),
            Some(json!({ "items": keep(&pulse_keys) })),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Another organisation's instrument is unknown.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let hidden = beta.get(&format!("/api/v1/survey-instruments/{id}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let untouched = beta
        .api(
            Method::PUT,
            &format!("/api/v1/survey-instruments/{id}"),
            Some(json!({ "items": [{ "key": "B1.1" }] })),
        )
        .await;
    assert_eq!(untouched.status, StatusCode::NOT_FOUND);
    let pages = employee.get("/surveys").await;
    assert_eq!(pages.status, StatusCode::OK);
    assert!(
        pages.body.contains("Pulspeiling voor medewerkers"),
        "{}",
        pages.body
    );
}

#[tokio::test]
async fn a_change_makes_a_new_version_and_leaves_the_old_one_as_it_was() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let pulse = instrument(&mut lead, "pulse").await;
    let id = pulse["id"].as_i64().unwrap();
    let path = format!("/api/v1/survey-instruments/{id}");
    let original = keys(&pulse);

    // Bad input names each item by its place; nothing is written.
    let versions = app.count("survey_versions").await;
    let audit = app.audit_count().await;
    let bad = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({ "items": [
                { "key": "S1.1" },
                { "dimension": "b2" },
                { "key": "B1.1" },
                { "key": "B1.1" },
                { "dimension": "f9", "text_nl": "Onbekend" },
            ]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            pair("items[0].key", "unknown_item"),
            pair("items[1].text_nl", "required"),
            pair("items[3].key", "duplicate_item"),
            pair("items[4].dimension", "unknown_choice"),
        ]
    );
    assert_eq!(app.count("survey_versions").await, versions);
    assert_eq!(app.audit_count().await, audit);

    // The same list again changes nothing.
    let same = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({ "items": keep(&original) })),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(same.json()["current_version"], 1);
    assert_eq!(app.count("survey_versions").await, versions);

    // An own statement: version 2, key E1, audited once.
    let mut items = keep(&original);
    items.insert(
        2,
        json!({ "dimension": "B3", "text_nl": "Mijn afdeling deelt wat ze leert.", "text_en": "My department shares what it learns." }),
    );
    let changed = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({ "items": items, "note": "Eigen stelling over leren" })),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let changed = changed.json();
    assert_eq!(changed["current_version"], 2);
    assert_eq!(changed["version"]["items"][2]["key"], "E1");
    assert_eq!(changed["version"]["items"][2]["dimension"], "b3");
    assert_eq!(app.audit_count().await, audit + 1);
    // Version 1 is as it was.
    let first = lead.get(&format!("{path}/versions/1")).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), original.len());
    let listed = lead.get(&format!("{path}/versions")).await.json();
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["items"][0]["note"], "Eigen stelling over leren");

    // Removing E1 and adding another own item does not reuse its key; a
    // removed built-in item comes back by its key.
    let mut without: Vec<Value> = keep(&original)
        .into_iter()
        .filter(|i| i["key"] != "B1.1")
        .collect();
    without.insert(
        0,
        json!({ "dimension": "b10", "text_nl": "De laptop is snel genoeg." }),
    );
    let third = lead
        .api(Method::PUT, &path, Some(json!({ "items": without })))
        .await
        .json();
    assert_eq!(third["current_version"], 3);
    assert_eq!(third["version"]["items"][0]["key"], "E2");
    assert!(!keys(&third).contains(&"B1.1".to_owned()));
    assert!(!keys(&third).contains(&"E1".to_owned()));
    let mut back = keep(&keys(&third));
    back.insert(1, json!({ "key": "B1.1" }));
    let fourth = lead
        .api(Method::PUT, &path, Some(json!({ "items": back })))
        .await
        .json();
    assert_eq!(fourth["version"]["items"][1]["key"], "B1.1");
    assert_eq!(
        fourth["version"]["items"][1]["text_nl"],
        pulse["version"]["items"][0]["text_nl"]
    );
}

#[tokio::test]
async fn the_instrument_page_adds_removes_and_restores_items() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let pulse = instrument(&mut hr, "pulse").await;
    let id = pulse["id"].as_i64().unwrap();
    let page = hr.get(&format!("/surveys/instruments/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("B10 Aansluiting van de ICT"),
        "{}",
        page.body
    );
    let empty = hr
        .post_form(
            &format!("/surveys/instruments/{id}/items"),
            &[
                ("dimension", "b4"),
                ("text_nl", ""),
                ("text_en", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.body.contains("id=\"text_nl-error\""),
        "{}",
        empty.body
    );
    let added = hr
        .post_form(
            &format!("/surveys/instruments/{id}/items"),
            &[
                ("dimension", "b4"),
                ("text_nl", "Ik mag fouten maken als ik iets nieuws probeer."),
                ("text_en", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let after = instrument(&mut hr, "pulse").await;
    assert_eq!(after["current_version"], 2);
    let own = after["version"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["key"] == "E1")
        .unwrap();
    assert!(
        own < keys(&after).len() - 1,
        "a statement goes before the open question"
    );
    let removed = hr
        .post_form(
            &format!("/surveys/instruments/{id}/remove"),
            &[("key", "B2.2")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let restored = hr
        .post_form(
            &format!("/surveys/instruments/{id}/restore"),
            &[("key", "B2.2")],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER);
    let last = instrument(&mut hr, "pulse").await;
    assert_eq!(last["current_version"], 4);
    let position = |k: &str| keys(&last).iter().position(|x| x == k).unwrap();
    assert_eq!(position("B2.2"), position("B2.1") + 1, "back in its place");
    let old = hr
        .get(&format!("/surveys/instruments/{id}?version=1"))
        .await;
    assert!(
        !old.body.contains("Ik mag fouten maken"),
        "version 1 is as it was"
    );
}
