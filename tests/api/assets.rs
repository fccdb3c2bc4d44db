//! The data-asset register with the expertise point, and the strategic
//! assets with the view per ambition: checks, links, rights, pages.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn data_assets_keep_the_gdpr_rules_and_link_only_within_the_organisation() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/data-assets",
            Some(
                json!({"name": "BRP", "personal_data": true, "completeness": 6, "timeliness": 4,
                        "openness": "open", "update_frequency": "hourly"}),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(
        bad.errors(),
        [
            ("legal_basis".to_owned(), "gdpr_basis_required".to_owned()),
            ("completeness".to_owned(), "rating_range".to_owned()),
            ("openness".to_owned(), "personal_data_not_open".to_owned()),
            ("update_frequency".to_owned(), "unknown_choice".to_owned()),
        ]
    );
    let service = lead
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Verhuizen", "maturity": 4, "channels": ["online"]})),
        )
        .await
        .json();
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let foreign = beta
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Vreemd", "maturity": 0})),
        )
        .await
        .json();
    let me = lead.get("/api/v1/me").await.json();
    let body = json!({"name": "Basisregistratie personen", "personal_data": true,
        "legal_basis": "legal_obligation", "completeness": 5, "timeliness": 4, "openness": "closed",
        "update_frequency": "daily", "source_system": "BRP-koppeling", "steward_id": me["id"],
        "service_ids": [service["id"], foreign["id"]]});
    let refused = lead
        .api(Method::POST, "/api/v1/data-assets", Some(body.clone()))
        .await;
    assert_eq!(
        refused.errors(),
        [("service_ids[1]".to_owned(), "unknown_service".to_owned())]
    );
    let mut body = body;
    body["service_ids"] = json!([service["id"]]);
    let made = lead
        .api(Method::POST, "/api/v1/data-assets", Some(body))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    assert_eq!(made["legal_basis"], "legal_obligation");
    assert_eq!(made["steward_id"], me["id"]);
    let id = made["id"].as_i64().unwrap();
    // No personal data any more: the basis goes, open is allowed.
    let changed = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/data-assets/{id}"),
            Some(json!({"personal_data": false, "openness": "open"})),
        )
        .await
        .json();
    assert!(changed["legal_basis"].is_null());
    assert_eq!(changed["service_ids"], json!([service["id"]]));
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee
            .api(
                Method::PATCH,
                &format!("/api/v1/data-assets/{id}"),
                Some(json!({"name": "x"}))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        beta.get(&format!("/api/v1/data-assets/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = employee.get(&format!("/data-assets/{id}")).await.body;
    assert!(page.contains("id=\"asset-links\""));
    let service_page = employee
        .get(&format!("/services/{}", service["id"]))
        .await
        .body;
    assert!(service_page.contains(&format!("/data-assets/{id}")));
    assert!(page.contains("Verhuizen"));
    // Linked to an indicator and an initiative: their pages name it.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let indicator = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(
                json!({"code": "VERHUIS", "name": "Verhuizingen", "unit": "count",
                        "direction": "higher_is_better", "frequency": "month"}),
            ),
        )
        .await
        .json();
    let initiative = lead
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(json!({"kind": "experiment", "title": "Verhuizen zonder formulier"})),
        )
        .await
        .json();
    let linked = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/data-assets/{id}"),
            Some(json!({"indicator_ids": [indicator["id"]], "initiative_ids": [initiative["id"]]})),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    let page = employee
        .get(&format!("/indicators/{}", indicator["id"]))
        .await
        .body;
    assert!(page.contains("id=\"indicator-data-assets\""));
    let page = employee
        .get(&format!("/initiatives/{}", initiative["id"]))
        .await
        .body;
    assert!(page.contains("id=\"initiative-data-assets\""));

    // Out as a spreadsheet, in the reader's language.
    let csv = employee.get("/api/v1/data-assets-export?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body.contains("Basisregistratie personen;"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("Verhuizen; Verhuizen zonder formulier; VERHUIS"),
        "{}",
        csv.body
    );
    assert_eq!(
        beta.get("/api/v1/data-assets-export?format=csv")
            .await
            .body
            .lines()
            .count(),
        1
    );
    // The page form: a message beside the field, nothing written.
    let assets = app.count("data_assets").await;
    let failed = lead
        .post_form(
            "/data-assets",
            &[
                ("name", "Klantcontacten"),
                ("personal_data", "1"),
                ("completeness", "3"),
                ("timeliness", "3"),
                ("openness", "shared"),
                ("update_frequency", "daily"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_REQUEST);
    assert!(failed.body.contains("id=\"legal_basis-error\""));
    assert_eq!(app.count("data_assets").await, assets);
}

#[tokio::test]
async fn the_expertise_point_lists_members_with_competences_of_the_organisation() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let hr = lead.get("/api/v1/users?search=hr").await.json();
    let hr_id = hr["items"][0]["id"].as_i64().unwrap();
    let competences = lead.get("/api/v1/competences?page_size=5").await.json();
    let competence = competences["items"][0]["id"].as_i64().unwrap();
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let foreign = beta.get("/api/v1/competences?page_size=1").await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/data-experts/{hr_id}");
    let bad = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({"role": "", "competence_ids": [competence, foreign]})),
        )
        .await;
    assert_eq!(bad.error_names(), ["role"]);
    let foreign_competence = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({"role": "Data-analist", "competence_ids": [competence, foreign]})),
        )
        .await;
    assert_eq!(
        foreign_competence.errors(),
        [(
            "competence_ids[1]".to_owned(),
            "unknown_competence".to_owned()
        )]
    );
    let set = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({"role": "Data-analist", "competence_ids": [competence]})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let again = lead
        .api(
            Method::PUT,
            &path,
            Some(json!({"role": "Privacy-adviseur"})),
        )
        .await
        .json();
    assert_eq!(again["role"], "Privacy-adviseur");
    let list = lead.get("/api/v1/data-experts").await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Beta's admin is not a member here.
    let beta_me = beta.get("/api/v1/me").await.json();
    assert_eq!(
        lead.api(
            Method::PUT,
            &format!("/api/v1/data-experts/{}", beta_me["id"]),
            Some(json!({"role": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(beta.get("/api/v1/data-experts").await.json(), json!([]));
    let page = lead.get("/data-assets").await.body;
    assert!(page.contains("id=\"experts\""));
    assert!(page.contains("Privacy-adviseur"));
    assert_eq!(
        lead.api(Method::DELETE, &path, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        lead.api(Method::DELETE, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn strategic_assets_show_per_ambition_what_it_depends_on() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let programme = lead
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "Digitaal 2030", "starts_on": "2026-01-01", "ends_on": "2030-12-31"})),
        )
        .await;
    assert_eq!(programme.status, StatusCode::CREATED, "{}", programme.body);
    let programme = programme.json();
    let mut ambitions = Vec::new();
    for title in ["Alles online", "Proactief"] {
        let made = lead
            .api(
                Method::POST,
                &format!("/api/v1/programmes/{}/ambitions", programme["id"]),
                Some(json!({"title": title})),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        ambitions.push(made.json()["id"].as_i64().unwrap());
    }
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/strategic-assets",
            Some(json!({"name": "Datateam", "kind": "people", "ambitions": [
                {"ambition_id": ambitions[0], "criticality": "high"},
                {"ambition_id": 999_999, "criticality": "high"}]})),
        )
        .await;
    assert_eq!(bad.error_codes(), ["unknown_choice"]);
    let unknown = lead
        .api(
            Method::POST,
            "/api/v1/strategic-assets",
            Some(
                json!({"name": "Datateam", "kind": "people_skills", "ambitions": [
                {"ambition_id": ambitions[0], "criticality": "high"},
                {"ambition_id": 999_999, "criticality": "high"}]}),
            ),
        )
        .await;
    assert_eq!(
        unknown.errors(),
        [(
            "ambitions[1].ambition_id".to_owned(),
            "unknown_ambition".to_owned()
        )]
    );
    for (name, kind, links) in [
        (
            "Datateam",
            "people_skills",
            json!([{"ambition_id": ambitions[0], "criticality": "medium"}]),
        ),
        (
            "Zaaksysteem",
            "technology",
            json!([{"ambition_id": ambitions[0], "criticality": "high"}]),
        ),
    ] {
        let made = lead
            .api(
                Method::POST,
                "/api/v1/strategic-assets",
                Some(json!({"name": name, "kind": kind, "gap": "Te weinig capaciteit", "ambitions": links})),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let view = lead
        .get("/api/v1/strategic-assets-by-ambition")
        .await
        .json();
    let online = view
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Alles online")
        .unwrap();
    let names: Vec<&str> = online["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // Most critical first.
    assert_eq!(names, ["Zaaksysteem", "Datateam"]);
    let proactive = view
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Proactief")
        .unwrap();
    assert!(proactive["assets"].as_array().unwrap().is_empty());
    let page = lead.get("/strategic-assets").await.body;
    assert!(page.contains("id=\"asset-dependencies\""));
    let ambition_page = lead.get(&format!("/ambitions/{}", ambitions[0])).await.body;
    assert!(ambition_page.contains("id=\"ambition-assets\""));
    assert!(ambition_page.contains("Zaaksysteem"));
    // Through the page form: linking an ambition by its select.
    let list = lead.get("/api/v1/strategic-assets").await.json();
    let datateam = list["items"][0]["id"].as_i64().unwrap();
    let saved = lead
        .post_form(
            &format!("/strategic-assets/{datateam}"),
            &[
                ("name", "Datateam"),
                ("kind", "people_skills"),
                (&format!("ambition_{}", ambitions[1]), "high"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let view = lead
        .get("/api/v1/strategic-assets-by-ambition")
        .await
        .json();
    let proactive = view
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Proactief")
        .unwrap();
    assert_eq!(proactive["assets"][0]["name"], "Datateam");
    // Deleting the ambition keeps the asset and drops the link.
    let deleted = lead
        .api(
            Method::DELETE,
            &format!("/api/v1/ambitions/{}", ambitions[1]),
            None,
        )
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.body);
    let asset = lead
        .get(&format!("/api/v1/strategic-assets/{datateam}"))
        .await
        .json();
    assert!(asset["ambitions"].as_array().unwrap().is_empty());
    let xlsx = lead
        .get("/api/v1/strategic-assets-export?format=xlsx")
        .await;
    let table = koers::spreadsheet::read(&xlsx.bytes, 100).unwrap();
    assert_eq!(table.headers[0], "Naam");
    assert_eq!(table.rows.len(), 2);
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.cells[5].contains("Alles online: Onmisbaar"))
    );
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee
            .api(
                Method::POST,
                "/api/v1/strategic-assets",
                Some(json!({"name": "x", "kind": "data"}))
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn post_file(
    client: &mut crate::helpers::Client,
    path: &str,
    bytes: &[u8],
) -> crate::helpers::TestResponse {
    let token = client.csrf_token().await;
    client
        .send(
            Method::POST,
            path,
            Some("text/csv"),
            bytes.to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await
}

#[tokio::test]
async fn both_registers_come_in_from_a_spreadsheet_all_or_nothing_and_round_trip() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = "naam;beheerder;bevat persoonsgegevens;volledigheid;actualiteit;openheid;bijgewerkt\n\
               BRP;niemand@alpha.test;ja;5;4;gesloten;dagelijks\n\
               WOZ;;nee;zes;4;open;jaarlijks\n";
    let refused = post_file(&mut lead, "/api/v1/data-asset-imports", bad.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        refused.error_names(),
        [
            "rows[2].steward",
            "rows[2].legal_basis",
            "rows[3].completeness"
        ]
    );
    assert_eq!(app.count("data_assets").await, 0);
    let good = "naam;beheerder;bevat persoonsgegevens;grondslag onder de avg;volledigheid;actualiteit;openheid;bijgewerkt\n\
                BRP;hr@alpha.test;ja;Wettelijke verplichting;5;4;Gesloten;Dagelijks\n\
                WOZ;;nee;;5;4;Open;Jaarlijks\n";
    let done = post_file(&mut lead, "/api/v1/data-asset-imports", good.as_bytes()).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["created"], 2);
    // Out and back in: nothing changes (the steward is read by name).
    let csv = lead.get("/api/v1/data-assets-export?format=csv").await;
    let again = post_file(&mut lead, "/api/v1/data-asset-imports", &csv.bytes).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["unchanged"], 2);

    let strategic = "name,kind,owner,gap\nDatateam,people_skills,hr@alpha.test,Te klein\nSensoren,vliegende auto,,\n";
    let refused = post_file(
        &mut lead,
        "/api/v1/strategic-asset-imports",
        strategic.as_bytes(),
    )
    .await;
    assert_eq!(refused.error_names(), ["rows[3].kind"]);
    let strategic = "name,kind,owner,gap\nDatateam,people_skills,hr@alpha.test,Te klein\nSensoren,Fysieke middelen,,\n";
    let dry = post_file(
        &mut lead,
        "/api/v1/strategic-asset-imports?dry_run=true",
        strategic.as_bytes(),
    )
    .await
    .json();
    assert_eq!(dry["created"], 2);
    assert_eq!(app.count("strategic_assets").await, 0);
    let done = post_file(
        &mut lead,
        "/api/v1/strategic-asset-imports",
        strategic.as_bytes(),
    )
    .await;
    assert_eq!(done.json()["created"], 2);
    let xlsx = lead
        .get("/api/v1/strategic-assets-export?format=xlsx")
        .await;
    let again = post_file(&mut lead, "/api/v1/strategic-asset-imports", &xlsx.bytes).await;
    assert_eq!(again.json()["unchanged"], 2, "{}", again.body);
    // The page: upload, preview, confirm; problems by row and column.
    let file = "naam;soort\nRegionale samenwerking;Samenwerkingsverbanden\n";
    let preview = lead
        .post_file(
            "/strategic-assets/import",
            true,
            "middelen.csv",
            file.as_bytes(),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("1 nieuw"), "{}", preview.body);
    let action = preview
        .body
        .split("action=\"/strategic-assets/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let confirmed = lead
        .post_form(&format!("/strategic-assets/import/{action}"), &[])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("strategic_assets").await, 3);
    let problems = lead
        .post_file(
            "/data-assets/import",
            true,
            "fout.csv",
            "naam;volledigheid\nX;zeven\n".as_bytes(),
        )
        .await;
    assert_eq!(problems.status, StatusCode::BAD_REQUEST);
    assert!(problems.body.contains("volledigheid"), "{}", problems.body);
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        post_file(
            &mut employee,
            "/api/v1/strategic-asset-imports",
            strategic.as_bytes()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}
