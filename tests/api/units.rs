use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn invalid_input_lists_every_failing_field_and_writes_nothing() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let units_before = app.count("units").await;
    let audit_before = app.audit_count().await;
    let response = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "   ", "parent_id": 999_999})),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.header("content-type"), "application/problem+json");
    let problem = response.json();
    assert_eq!(problem["status"], 400);
    let fields: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("name", "required"), ("parent_id", "unknown_parent")]
    );
    assert!(!problem["errors"][0]["detail"].as_str().unwrap().is_empty());
    assert_eq!(app.count("units").await, units_before);
    assert_eq!(app.audit_count().await, audit_before);

    let token = admin.csrf_token().await;
    let malformed = admin
        .send(
            Method::POST,
            "/api/v1/units",
            Some("application/json"),
            b"{not json".to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["errors"][0]["code"], "json_syntax");
}

#[tokio::test]
async fn the_form_shows_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let response = admin
        .post_form("/units", &[("name", ""), ("parent_id", "")])
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.body.contains("id=\"name-error\""));
    assert!(response.body.contains("Vul dit veld in."));
    assert!(
        response.body.contains("href=\"#name\""),
        "error summary links to the field"
    );
}

#[tokio::test]
async fn units_form_a_tree_that_can_be_renamed_moved_and_archived_with_audit() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let top = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Dienstverlening"})),
        )
        .await
        .json();
    let top_id = top["id"].as_i64().unwrap();
    let team = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Burgerzaken", "parent_id": top_id})),
        )
        .await
        .json();
    let team_id = team["id"].as_i64().unwrap();
    assert_eq!(team["parent_id"], top_id);

    // A sibling with the same name is a conflict.
    let duplicate = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "burgerzaken", "parent_id": top_id})),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["errors"][0]["code"], "taken");

    // A unit cannot move below itself.
    let cycle = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{top_id}"),
            Some(json!({"parent_id": team_id})),
        )
        .await;
    assert_eq!(cycle.status, StatusCode::BAD_REQUEST);
    assert_eq!(cycle.json()["errors"][0]["code"], "cycle");

    // Rename: the audit log keeps only what changed, before and after.
    let renamed = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{team_id}"),
            Some(json!({"name": "Publiekszaken"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let audit = admin
        .get("/api/v1/audit-events?entity_type=unit&action=update")
        .await
        .json();
    let event = &audit["items"][0];
    assert_eq!(event["entity_id"], team_id.to_string());
    assert_eq!(event["actor"], "admin@alpha.test");
    assert_eq!(event["client_address"], "192.0.2.10");
    assert_eq!(event["changes"]["before"], json!({"name": "Burgerzaken"}));
    assert_eq!(event["changes"]["after"], json!({"name": "Publiekszaken"}));
    assert!(
        event["occurred_at"].as_str().unwrap().ends_with('Z'),
        "RFC 3339 in UTC"
    );

    // Move to the top level with an explicit null.
    let moved = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{team_id}"),
            Some(json!({"parent_id": null})),
        )
        .await
        .json();
    assert!(moved["parent_id"].is_null());

    // A unit with active children cannot be archived; a leaf can.
    let child = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Balie", "parent_id": team_id})),
        )
        .await
        .json();
    let refused = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{team_id}"),
            Some(json!({"archived": true})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let archived = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/units/{}", child["id"]),
            Some(json!({"archived": true})),
        )
        .await
        .json();
    assert!(archived["archived_at"].is_string());
    let listed = admin.get("/api/v1/units").await.json();
    assert_eq!(listed["total"], 2, "archived units are hidden by default");
    let all = admin
        .get("/api/v1/units?include_archived=true")
        .await
        .json();
    assert_eq!(all["total"], 3);

    // Every write left an audit event: 3 creates, rename, move, archive.
    let events = admin
        .get("/api/v1/audit-events?entity_type=unit&page_size=100")
        .await
        .json();
    assert_eq!(events["total"], 6);
}

#[tokio::test]
async fn roles_without_the_right_get_403_and_nothing_changes() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let unit = admin
        .api(Method::POST, "/api/v1/units", Some(json!({"name": "Team"})))
        .await
        .json();
    for role in [
        "executive",
        "programme_lead",
        "unit_lead",
        "employee",
        "viewer",
    ] {
        let mut member = app.login(&format!("{role}@alpha.test"), PASSWORD).await;
        assert_eq!(
            member.get("/api/v1/units").await.status,
            StatusCode::OK,
            "{role} reads units"
        );
        let create = member
            .api(Method::POST, "/api/v1/units", Some(json!({"name": "Nee"})))
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN, "{role}");
        let patch = member
            .api(
                Method::PATCH,
                &format!("/api/v1/units/{}", unit["id"]),
                Some(json!({"name": "Nee"})),
            )
            .await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN, "{role}");
        let page = member.get("/units").await;
        assert!(
            !page.body.contains("action=\"/units\""),
            "{role} sees no create form"
        );
    }
    assert_eq!(app.count("units").await, 1);
}

#[tokio::test]
async fn the_units_page_shows_the_tree_and_edits_through_forms() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let empty = admin.get("/units").await;
    assert!(
        empty
            .body
            .contains("Er zijn nog geen organisatieonderdelen")
    );
    assert_eq!(
        admin
            .post_form("/units", &[("name", "Ruimte"), ("parent_id", "")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = admin.get("/units").await;
    assert!(
        page.body
            .contains("Het organisatieonderdeel is toegevoegd."),
        "flash shown once"
    );
    assert!(
        !admin
            .get("/units")
            .await
            .body
            .contains("Het organisatieonderdeel is toegevoegd.")
    );
    let listed = admin.get("/api/v1/units").await.json();
    let id = listed["items"][0]["id"].as_i64().unwrap();
    let saved = admin
        .post_form(
            &format!("/units/{id}"),
            &[("name", "Ruimte en Wonen"), ("parent_id", "")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        admin
            .get(&format!("/units/{id}"))
            .await
            .body
            .contains("Ruimte en Wonen")
    );
}
