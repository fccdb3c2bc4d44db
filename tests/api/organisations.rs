use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn admins_change_organisation_settings_others_cannot() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let saved = admin
        .post_form(
            "/admin/organisation",
            &[("name", "Gemeente Alphen"), ("kind", "municipality")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get("/api/v1/organisation").await.json()["name"],
        "Gemeente Alphen"
    );
    let invalid = admin
        .post_form("/admin/organisation", &[("name", ""), ("kind", "kingdom")])
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(
        invalid.body.contains("id=\"name-error\"") && invalid.body.contains("id=\"kind-error\"")
    );
    let mut executive = app.login("executive@alpha.test", PASSWORD).await;
    let refused = executive
        .api(
            Method::PATCH,
            "/api/v1/organisation",
            Some(json!({"name": "Overgenomen"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get("/api/v1/organisation").await.json()["name"],
        "Gemeente Alphen"
    );
}

#[tokio::test]
async fn the_demo_organisation_has_a_unit_tree_and_one_account_per_role() {
    let app = spawn_app().await;
    assert!(koers::demo::load(&app.state).await.unwrap());
    assert!(
        !koers::demo::load(&app.state).await.unwrap(),
        "loads only into an empty database"
    );
    for role in koers::domain::Role::ALL {
        let email = koers::demo::email_for(role);
        let mut client = app.client();
        let response = client.login(&email, koers::demo::PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{email}");
        let me = client.get("/api/v1/me").await.json();
        assert_eq!(me["role"], role.code());
        assert_eq!(me["organisation"], "Gemeente Voorbeeldstad");
    }
    let mut admin = app
        .login("admin@voorbeeldstad.example", koers::demo::PASSWORD)
        .await;
    let units = admin.get("/api/v1/units?page_size=100").await.json();
    assert!(units["total"].as_i64().unwrap() >= 15);
    let indicators = admin.get("/api/v1/indicators?page_size=100").await.json();
    // Twelve steering indicators and the volumes per channel of eight
    // services in the catalogue.
    assert_eq!(indicators["total"], 20);
    let volumes = indicators["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"].as_str().unwrap().starts_with("VOLUME_"))
        .count();
    assert_eq!(volumes, 8);
    let counts_without_target = ["AANVRAGEN", "WEB-GESTART", "WEB-AFGEROND"];
    for item in indicators["items"].as_array().unwrap() {
        if item["code"].as_str().unwrap().starts_with("VOLUME_") {
            continue;
        }
        assert!(
            item["latest"]["value"].is_number(),
            "{} has history",
            item["code"]
        );
        let code = item["code"].as_str().unwrap();
        assert!(
            item["next_target"]["value"].is_number() || counts_without_target.contains(&code),
            "{code} has a target"
        );
        let history = admin
            .get(&format!(
                "/api/v1/indicators/{}/measurements?page_size=1",
                item["id"]
            ))
            .await
            .json();
        assert!(
            history["total"].as_i64().unwrap() >= 12,
            "{}: three years of history",
            item["code"]
        );
    }
    // The digital share is computed from the channel breakdown, and the
    // organisation shows its published indicators to residents.
    let share = admin
        .get("/api/v1/indicators?search=DIGI-AANDEEL")
        .await
        .json();
    let latest = share["items"][0]["latest"]["value"].as_f64().unwrap();
    assert!((55.0..75.0).contains(&latest), "digital share {latest}");
    let channels = admin
        .get("/api/v1/indicators?search=AANVRAGEN")
        .await
        .json();
    let history = admin
        .get(&format!(
            "/api/v1/indicators/{}/measurements?page_size=4",
            channels["items"][0]["id"]
        ))
        .await
        .json();
    assert_eq!(
        history["total"],
        4 * 36,
        "a total and three channels a month"
    );
    let public = app
        .client()
        .get("/api/v1/public-dashboards/voorbeeldstad")
        .await
        .json();
    assert_eq!(public["indicators"].as_array().unwrap().len(), 6);
    let tree = admin.get("/units").await.body;
    for name in [
        "Dienstverlening",
        "Sociaal Domein",
        "Ruimte",
        "Bedrijfsvoering",
        "Burgerzaken",
    ] {
        assert!(tree.contains(name), "{name}");
    }
    // Two waves of the pulse survey, the first closed with results that
    // show, the second still open; between them a closed management scan.
    let waves = admin.get("/api/v1/survey-waves").await.json();
    assert_eq!(waves["total"], 3);
    let status: Vec<&str> = waves["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["open", "closed", "closed"]);
    let spring = waves["items"][2]["id"].as_i64().unwrap();
    // Management sees the barriers rosier than staff; the ICT user panel
    // planned on the spring result shows ICT fit rising in autumn.
    let insights = admin.get("/api/v1/survey-insights").await.json();
    let first = &insights["disagreements"][0];
    assert!(first["difference"].as_f64().unwrap() > 0.5, "{insights}");
    let panel = &insights["interventions"][0];
    assert_eq!(panel["dimension"], "b10");
    assert_eq!(panel["baseline_wave_id"], spring);
    assert!(panel["change"].as_f64().unwrap() > 0.2, "{panel}");
    // Forty ideas in every state, two of which became demo initiatives.
    let ideas = admin.get("/api/v1/ideas?page_size=100").await.json();
    assert_eq!(ideas["total"], 40);
    let items = ideas["items"].as_array().unwrap();
    for state in ["new", "under_review", "accepted", "declined", "parked"] {
        assert!(items.iter().any(|i| i["state"] == state), "{state}");
    }
    assert_eq!(
        items
            .iter()
            .filter(|i| i["initiative_id"].is_number())
            .count(),
        2
    );
    assert!(items.iter().any(|i| i["author_hidden"] == true));
    assert!(items.iter().any(|i| i["supports"].as_i64().unwrap() > 1));
    // A campaign runs; ideas spread over quarters; one idea and one comment
    // were hidden by a moderator.
    let campaigns = admin.get("/api/v1/idea-campaigns").await.json();
    assert!(
        campaigns
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "open")
    );
    assert!(
        campaigns
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "closed")
    );
    assert_eq!(items.iter().filter(|i| i["hidden"] == true).count(), 1);
    assert!(app.count("idea_comments").await >= 8);
    let figures = admin.get("/api/v1/idea-figures").await.json();
    let quarters = figures["quarters"].as_array().unwrap();
    assert!(quarters.len() >= 3, "{figures}");
    assert!(
        quarters
            .iter()
            .any(|q| q["median_days_to_decision"].is_number())
    );
    // Thirty services over the maturity scale; the channel shift moves to
    // online.
    let catalogue = admin.get("/api/v1/service-catalogue").await.json();
    assert_eq!(catalogue["services"], 30);
    let levels = catalogue["distribution"].as_array().unwrap();
    assert!(
        levels.iter().all(|l| l["services"].as_i64().unwrap() > 0),
        "{catalogue}"
    );
    let shift = catalogue["channel_shift"].as_array().unwrap();
    assert!(shift.len() >= 6, "{catalogue}");
    let first = shift[0]["digital_share"].as_f64().unwrap();
    let last = shift[shift.len() - 1]["digital_share"].as_f64().unwrap();
    assert!(last > first + 10.0, "{first} → {last}");
    assert!(!catalogue["largest_offline"].as_array().unwrap().is_empty());
    // Fifteen data assets, an expertise point, twelve strategic assets on
    // the ambitions.
    let data = admin.get("/api/v1/data-assets?page_size=100").await.json();
    assert_eq!(data["total"], 15);
    assert!(
        data["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["personal_data"] == false || d["legal_basis"].is_string())
    );
    assert_eq!(
        admin
            .get("/api/v1/data-experts")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        admin
            .get("/api/v1/strategic-assets?page_size=100")
            .await
            .json()["total"],
        12
    );
    let per_ambition = admin
        .get("/api/v1/strategic-assets-by-ambition")
        .await
        .json();
    assert!(
        per_ambition
            .as_array()
            .unwrap()
            .iter()
            .all(|a| !a["assets"].as_array().unwrap().is_empty())
    );
    let results = admin
        .get(&format!("/api/v1/survey-waves/{spring}/results"))
        .await
        .json();
    assert!(results["respondents"].as_i64().unwrap() > 150, "{results}");
    let ict = results["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d == "b10")
        .unwrap();
    let mean = |name: &str| {
        results["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["cells"][ict]["mean"]
            .as_f64()
    };
    // The contact centre finds the ICT worse than the organisation does.
    assert!(mean("Klantcontactcentrum").unwrap() < mean("Gemeente Voorbeeldstad").unwrap());
}

#[tokio::test]
async fn demo_mode_lists_the_demo_accounts_on_the_login_page() {
    let (url, schema, _dir) = crate::helpers::fresh_database().await;
    let settings = koers::config::Settings {
        demo: true,
        ..crate::helpers::test_settings(&url)
    };
    let state = koers::startup::prepare_state(
        settings,
        std::sync::Arc::new(koers::clock::SystemClock),
        schema,
    )
    .await
    .unwrap();
    koers::demo::load(&state).await.unwrap();
    let router = koers::http::app(state);
    let response = tower::ServiceExt::oneshot(
        router,
        axum::http::Request::get("/login")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("executive@voorbeeldstad.example"));
    assert!(html.contains(koers::demo::PASSWORD));
}

/// Concurrent writes that read before they write must wait for each other,
/// not fail with "database is locked" (found by Schemathesis on SQLite).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_all_succeed() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let token = admin
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "load", "access": "write"})),
        )
        .await
        .json();
    let secret = token["secret"].as_str().unwrap().to_owned();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..24 {
        let mut client = app.token_client(&secret);
        tasks.spawn(async move {
            let (path, body) = match i % 3 {
                0 => (
                    "/api/v1/organisation",
                    json!({"name": format!("Gemeente Alpha {i}")}),
                ),
                1 => ("/api/v1/me", json!({"name": format!("Admin {i}")})),
                _ => ("/api/v1/units", json!({"name": format!("Team {i}")})),
            };
            let method = if i % 3 == 2 {
                Method::POST
            } else {
                Method::PATCH
            };
            let response = client.api(method, path, Some(body)).await;
            (response.status, response.body)
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.unwrap();
        assert!(status.is_success(), "{status}: {body}");
    }
    assert_eq!(app.count("units").await, 8);
}
