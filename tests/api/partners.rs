//! Partners with roles per initiative, future labs with what each member
//! brings, the portfolio balance and the spreadsheet export.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

async fn created(client: &mut Client, path: &str, body: Value) -> Value {
    let made = client.api(Method::POST, path, Some(body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.json()
}

async fn initiative(client: &mut Client, title: &str, tags: &[&str]) -> i64 {
    created(
        client,
        "/api/v1/initiatives",
        json!({"kind": "experiment", "title": title, "technologies": tags}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn partners_are_validated_unique_audited_and_take_roles_in_initiatives() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(Method::POST, "/api/v1/partners", Some(json!({"name": " "})))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [pair("name", "required"), pair("kind", "required")]
    );
    assert_eq!(app.count("partners").await, 0);
    let audit = app.audit_count().await;
    let partner = created(
        &mut lead,
        "/api/v1/partners",
        json!({"name": "Waterschap De Stroom", "kind": "government"}),
    )
    .await;
    assert_eq!(app.audit_count().await, audit + 1);
    let again = lead
        .api(
            Method::POST,
            "/api/v1/partners",
            Some(json!({"name": "Waterschap De Stroom", "kind": "company"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let partner_id = partner["id"].as_i64().unwrap();

    let id = initiative(&mut lead, "Sensoren voor wateroverlast", &["sensors_iot"]).await;
    let role_path = format!("/api/v1/initiatives/{id}/partners/{partner_id}");
    let no_role = lead
        .api(Method::PUT, &role_path, Some(json!({"role": ""})))
        .await;
    assert_eq!(no_role.errors(), [pair("role", "required")]);
    let two_lines = lead
        .api(
            Method::PUT,
            &role_path,
            Some(json!({"role": "levert\ndata"})),
        )
        .await;
    assert_eq!(two_lines.errors(), [pair("role", "control_characters")]);
    assert_eq!(app.count("initiative_partners").await, 0);
    let role = lead
        .api(
            Method::PUT,
            &role_path,
            Some(json!({"role": "Levert meetgegevens"})),
        )
        .await;
    assert_eq!(role.status, StatusCode::OK, "{}", role.body);
    // Setting it again changes the role, not the count.
    lead.api(
        Method::PUT,
        &role_path,
        Some(json!({"role": "Beoordeelt alarmen"})),
    )
    .await;
    let roles = lead
        .get(&format!("/api/v1/initiatives/{id}/partners"))
        .await
        .json();
    assert_eq!(roles["total"], 1);
    assert_eq!(roles["items"][0]["role"], "Beoordeelt alarmen");
    assert_eq!(roles["items"][0]["partner_kind"], "government");
    let of_partner = lead
        .get(&format!("/api/v1/partners/{partner_id}/roles"))
        .await
        .json();
    assert_eq!(of_partner["items"][0]["initiative_id"], id);

    // A partner with a role is not removed; without one it is.
    let in_use = lead
        .api(
            Method::DELETE,
            &format!("/api/v1/partners/{partner_id}"),
            None,
        )
        .await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert_eq!(in_use.errors(), [pair("partner", "partner_in_use")]);
    let removed = lead.api(Method::DELETE, &role_path, None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let twice = lead.api(Method::DELETE, &role_path, None).await;
    assert_eq!(twice.status, StatusCode::NO_CONTENT, "idempotent");
    let gone = lead
        .api(
            Method::DELETE,
            &format!("/api/v1/partners/{partner_id}"),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("partners").await, 0);

    // Viewers read but do not define partners.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let refused = viewer
        .api(
            Method::POST,
            "/api/v1/partners",
            Some(json!({"name": "Bedrijf", "kind": "company"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.get("/api/v1/partners").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_future_lab_has_members_with_contributions_and_hosts_initiatives() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/future-labs",
            Some(json!({"name": "", "theme": "x".repeat(201)})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [pair("name", "required"), pair("theme", "too_long")]
    );
    let lab = created(
        &mut lead,
        "/api/v1/future-labs",
        json!({"name": "Toekomstlab Water", "theme": "Klimaatadaptatie"}),
    )
    .await;
    let lab_id = lab["id"].as_i64().unwrap();
    let university = created(
        &mut lead,
        "/api/v1/partners",
        json!({"name": "Universiteit Voorbeeldstad", "kind": "knowledge_institution"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let member_path = format!("/api/v1/future-labs/{lab_id}/members/{university}");
    let nothing = lead
        .api(
            Method::PUT,
            &member_path,
            Some(json!({"contributions": []})),
        )
        .await;
    assert_eq!(nothing.errors(), [pair("contributions", "required")]);
    let wrong = lead
        .api(
            Method::PUT,
            &member_path,
            Some(json!({"contributions": ["gold"]})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    assert_eq!(app.count("lab_members").await, 0);
    let member = lead
        .api(
            Method::PUT,
            &member_path,
            Some(json!({"contributions": ["facilities", "people", "people"],
                        "description": "Twee promovendi en het rekencentrum"})),
        )
        .await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.body);
    assert_eq!(
        member.json()["contributions"],
        json!(["people", "facilities"])
    );

    let hosted = initiative(
        &mut lead,
        "Satellietbeelden openbaar groen",
        &["satellite_imagery"],
    )
    .await;
    let elsewhere = initiative(&mut lead, "Chatassistent", &["ai"]).await;
    let unknown = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{hosted}"),
            Some(json!({"lab_id": 999999})),
        )
        .await;
    assert_eq!(unknown.errors(), [pair("lab_id", "unknown_lab")]);
    let joined = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{hosted}"),
            Some(json!({"lab_id": lab_id})),
        )
        .await;
    assert_eq!(joined.json()["lab_id"], lab_id);
    let lab = lead
        .get(&format!("/api/v1/future-labs/{lab_id}"))
        .await
        .json();
    assert_eq!(lab["initiative_ids"], json!([hosted]));
    assert_eq!(
        lab["members"][0]["partner_name"],
        "Universiteit Voorbeeldstad"
    );
    let filtered = lead
        .get(&format!("/api/v1/initiatives?lab_id={lab_id}"))
        .await
        .json();
    assert_eq!(filtered["total"], 1);
    assert_ne!(filtered["items"][0]["id"], elsewhere);
    // `null` leaves the lab.
    let left = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{hosted}"),
            Some(json!({"lab_id": null})),
        )
        .await;
    assert!(left.json()["lab_id"].is_null());

    let removed = lead.api(Method::DELETE, &member_path, None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("lab_members").await, 0);

    // Another organisation's partner cannot join, nor its lab host ours.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let theirs = created(
        &mut beta,
        "/api/v1/partners",
        json!({"name": "Bedrijf Beta", "kind": "company"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let foreign = lead
        .api(
            Method::PUT,
            &format!("/api/v1/future-labs/{lab_id}/members/{theirs}"),
            Some(json!({"contributions": ["money"]})),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let foreign_role = lead
        .api(
            Method::PUT,
            &format!("/api/v1/initiatives/{hosted}/partners/{theirs}"),
            Some(json!({"role": "x"})),
        )
        .await;
    assert_eq!(foreign_role.status, StatusCode::NOT_FOUND);
    let beta_lab = created(
        &mut beta,
        "/api/v1/future-labs",
        json!({"name": "Lab Beta"}),
    )
    .await;
    let foreign_lab = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{hosted}"),
            Some(json!({"lab_id": beta_lab["id"]})),
        )
        .await;
    assert_eq!(foreign_lab.errors(), [pair("lab_id", "unknown_lab")]);
    assert_eq!(app.count("lab_members").await, 0);
    assert_eq!(app.count("initiative_partners").await, 0);
}

#[tokio::test]
async fn partner_and_lab_pages_show_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let empty = lead.get("/partners").await;
    assert!(empty.body.contains("Nog geen partners"), "{}", empty.body);
    let bad = lead
        .post_form("/partners", &[("name", ""), ("kind", "")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"name-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"kind-error\""));
    let ok = lead
        .post_form(
            "/partners",
            &[("name", "SensorWerk B.V."), ("kind", "company")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let partner_id: i64 = ok.location().rsplit('/').next().unwrap().parse().unwrap();

    let lab = lead
        .post_form(
            "/future-labs",
            &[
                ("name", "Toekomstlab Water"),
                ("theme", "Klimaat"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(lab.status, StatusCode::SEE_OTHER, "{}", lab.body);
    let lab_path = lab.location().to_owned();
    let no_contribution = lead
        .post_form(
            &format!("{lab_path}/members"),
            &[
                ("partner_id", &partner_id.to_string()),
                ("member_description", ""),
            ],
        )
        .await;
    assert_eq!(no_contribution.status, StatusCode::BAD_REQUEST);
    assert!(
        no_contribution.body.contains("id=\"contributions-error\""),
        "{}",
        no_contribution.body
    );
    let no_partner = lead
        .post_form(
            &format!("{lab_path}/members"),
            &[("contribution_money", "1")],
        )
        .await;
    assert!(no_partner.body.contains("id=\"partner_id-error\""));
    let joined = lead
        .post_form(
            &format!("{lab_path}/members"),
            &[
                ("partner_id", &partner_id.to_string()),
                ("contribution_people", "1"),
                ("contribution_facilities", "1"),
                ("member_description", "Sensoren in bruikleen"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    let page = lead.get(&lab_path).await;
    assert!(page.body.contains("Mensen, Faciliteiten"), "{}", page.body);
    assert!(page.body.contains("Sensoren in bruikleen"));

    let id = initiative(&mut lead, "Sensoren voor wateroverlast", &[]).await;
    let base = format!("/initiatives/{id}");
    let no_role = lead
        .post_form(
            &format!("{base}/partners"),
            &[("partner_id", &partner_id.to_string()), ("role", "")],
        )
        .await;
    assert_eq!(no_role.status, StatusCode::BAD_REQUEST);
    assert!(
        no_role.body.contains("id=\"role-error\""),
        "{}",
        no_role.body
    );
    let with_role = lead
        .post_form(
            &format!("{base}/partners"),
            &[
                ("partner_id", &partner_id.to_string()),
                ("role", "Plaatst de sensoren"),
            ],
        )
        .await;
    assert_eq!(with_role.status, StatusCode::SEE_OTHER);
    let shown = lead.get(&base).await;
    assert!(shown.body.contains("Plaatst de sensoren"));
    let partner_page = lead.get(&format!("/partners/{partner_id}")).await;
    assert!(partner_page.body.contains("Sensoren voor wateroverlast"));
    assert!(partner_page.body.contains("Toekomstlab Water"));
    // In use: the delete button gives way to an explanation, and a forced
    // delete says why beside nothing being lost.
    let forced = lead
        .post_form(&format!("/partners/{partner_id}/delete"), &[])
        .await;
    assert_eq!(forced.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("partners").await, 1);
    let removed = lead
        .post_form(&format!("{base}/partners/{partner_id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("initiative_partners").await, 0);
}

#[tokio::test]
async fn the_balance_counts_initiatives_and_exact_money_per_group_and_the_export_lists_them() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let first = initiative(&mut lead, "Chatassistent", &["ai", "platforms"]).await;
    let second = initiative(&mut lead, "AI-samenvattingen", &["ai", "eigen label"]).await;
    for (id, amount, status) in [
        (first, "1000.10", "granted"),
        (second, "2000.20", "granted"),
        (second, "500", "applied"),
    ] {
        created(
            &mut lead,
            &format!("/api/v1/initiatives/{id}/funding-lines"),
            json!({"source": "external_cofinancing", "funder": "EU", "scheme": "EFRO",
                   "status": status, "year": 2026, "amount": amount}),
        )
        .await;
    }
    created(
        &mut lead,
        &format!("/api/v1/initiatives/{second}/spend"),
        json!({"spent_on": "2026-01-15", "amount": "0.10", "source": "external_cofinancing",
               "description": "Licentie"}),
    )
    .await;
    let balance = lead.get("/api/v1/portfolio-balance").await.json();
    assert_eq!(balance["initiatives"], 2);
    let row = |group: &str, key: &str| -> Value {
        balance[group]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {group}: {balance}"))
    };
    let ai = row("by_technology", "ai");
    assert_eq!(ai["initiatives"], 2);
    assert_eq!(ai["planned"], "3000.30");
    assert_eq!(ai["spent"], "0.10");
    assert_eq!(row("by_technology", "eigen label")["planned"], "2000.20");
    assert_eq!(row("by_technology", "sensors_iot")["initiatives"], 0);
    assert_eq!(row("by_stage", "idea")["initiatives"], 2);
    assert_eq!(row("by_ambition", "none")["initiatives"], 2);
    assert_eq!(
        balance["by_source"]["by_source"][2]["applied"], "500.00",
        "applied money is shown apart, not planned"
    );
    let page = lead.get("/portfolio/balance").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("€ 3.000,30"), "{}", page.body);

    let csv = lead
        .get("/portfolio/export?format=csv&technology=platforms")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("Titel;Soort;Fase"), "{}", lines[0]);
    assert_eq!(
        lines.len(),
        2,
        "one initiative passes the filter: {}",
        csv.body
    );
    assert!(
        lines[1].starts_with("Chatassistent;Experiment;Idee"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(";1000,10;0,00;0,00;"), "{}", lines[1]);
    let api = lead.get("/api/v1/portfolio-export?format=xlsx").await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(api.header("content-type").contains("spreadsheetml"));
    let bad = lead.get("/api/v1/portfolio-export?stage=nowhere").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn partners_and_labs_are_changed_with_the_same_rules_and_unchanged_saves_leave_no_audit() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let first = created(
        &mut lead,
        "/api/v1/partners",
        json!({"name": "SensorWerk B.V.", "kind": "company"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    created(
        &mut lead,
        "/api/v1/partners",
        json!({"name": "Universiteit", "kind": "knowledge_institution"}),
    )
    .await;
    let path = format!("/api/v1/partners/{first}");
    let taken = lead
        .api(Method::PATCH, &path, Some(json!({"name": "Universiteit"})))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let renamed = lead
        .api(Method::PATCH, &path, Some(json!({"name": "SensorWerk"})))
        .await;
    assert_eq!(renamed.json()["name"], "SensorWerk");
    assert_eq!(renamed.json()["kind"], "company", "absent fields stay");

    let lab = created(&mut lead, "/api/v1/future-labs", json!({"name": "Lab A"})).await;
    created(&mut lead, "/api/v1/future-labs", json!({"name": "Lab B"})).await;
    let lab_path = format!("/api/v1/future-labs/{}", lab["id"]);
    let taken = lead
        .api(Method::PATCH, &lab_path, Some(json!({"name": "Lab B"})))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let themed = lead
        .api(
            Method::PATCH,
            &lab_path,
            Some(json!({"theme": "Mobiliteit"})),
        )
        .await;
    assert_eq!(themed.json()["theme"], "Mobiliteit");
    assert_eq!(themed.json()["name"], "Lab A");

    // A role set twice to the same text writes one audit event; a change
    // writes another.
    let id = initiative(&mut lead, "Slimme lantaarnpalen", &[]).await;
    let role_path = format!("/api/v1/initiatives/{id}/partners/{first}");
    let before = app.audit_count().await;
    for role in ["Levert sensoren", "Levert sensoren", "Onderhoudt sensoren"] {
        lead.api(Method::PUT, &role_path, Some(json!({"role": role})))
            .await;
    }
    assert_eq!(app.audit_count().await, before + 2);
    let member_path = format!("/api/v1/future-labs/{}/members/{first}", lab["id"]);
    let before = app.audit_count().await;
    for _ in 0..2 {
        lead.api(
            Method::PUT,
            &member_path,
            Some(json!({"contributions": ["data"], "description": "Meetdata"})),
        )
        .await;
    }
    assert_eq!(app.audit_count().await, before + 1);
}

#[tokio::test]
async fn the_lab_and_partner_edit_forms_show_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let lab = created(&mut lead, "/api/v1/future-labs", json!({"name": "Lab A"})).await;
    let lab_page = format!("/future-labs/{}", lab["id"]);
    let bad = lead
        .post_form(
            &lab_page,
            &[("name", ""), ("theme", ""), ("description", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"name-error\""), "{}", bad.body);
    let ok = lead
        .post_form(
            &lab_page,
            &[
                ("name", "Lab Water"),
                ("theme", "Klimaat"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(lead.get(&lab_page).await.body.contains("Lab Water"));

    let partner = created(
        &mut lead,
        "/api/v1/partners",
        json!({"name": "SensorWerk", "kind": "company"}),
    )
    .await;
    let partner_page = format!("/partners/{}", partner["id"]);
    let page = lead.get(&partner_page).await;
    assert!(
        !page.body.contains("<option value=\"\""),
        "an existing partner has no empty kind to choose"
    );
    let bad = lead
        .post_form(&partner_page, &[("name", " "), ("kind", "company")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"name-error\""), "{}", bad.body);
    let deleted = lead.post_form(&format!("{partner_page}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("partners").await, 0);
}
