//! No request may read or change another organisation's data.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn members_of_another_organisation_get_404_for_every_resource_through_api_and_pages() {
    let app = spawn_app().await;
    let (alpha_organisation, _) = app.two_organisations().await;
    let mut alpha = app.login("admin@alpha.test", PASSWORD).await;
    let unit = alpha
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Geheim"})),
        )
        .await
        .json();
    let unit_id = unit["id"].as_i64().unwrap();
    let token = alpha
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "alpha", "access": "write"})),
        )
        .await
        .json();
    let token_id = token["token"]["id"].as_i64().unwrap();
    let indicator = alpha
        .api(Method::POST, "/api/v1/indicators", Some(json!({"code": "GEHEIM", "name": "Geheim", "unit": "count", "direction": "higher_is_better", "frequency": "month"})))
        .await
        .json();
    let indicator_id = indicator["id"].as_i64().unwrap();
    alpha
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{indicator_id}/measurements"),
            Some(json!({"measurements": [{"period": "2026-01", "value": 7}]})),
        )
        .await;
    let users = alpha.get("/api/v1/users?search=employee").await.json();
    let user_id = users["items"][0]["id"].as_i64().unwrap();
    let programme = alpha
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(json!({"name": "Geheim", "starts_on": "2026-01-01", "ends_on": "2027-01-01"})),
        )
        .await
        .json();
    let programme_id = programme["id"].as_i64().unwrap();
    let ambition = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/ambitions"),
            Some(json!({"title": "Geheim"})),
        )
        .await
        .json();
    let ambition_id = ambition["id"].as_i64().unwrap();
    alpha
        .api(
            Method::PUT,
            &format!("/api/v1/ambitions/{ambition_id}/indicators/{indicator_id}"),
            None,
        )
        .await;
    let term = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/executives"),
            Some(json!({"name": "Geheim", "starts_on": "2026-01-01"})),
        )
        .await
        .json();
    let term_id = term["id"].as_i64().unwrap();
    let body = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/bodies"),
            Some(json!({"kind": "steering_committee", "name": "Geheim"})),
        )
        .await
        .json();
    let body_id = body["id"].as_i64().unwrap();
    let decision = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/decisions"),
            Some(json!({"title": "Geheim", "decided_on": "2026-01-01"})),
        )
        .await
        .json();
    let decision_id = decision["id"].as_i64().unwrap();
    let action = alpha
        .api(
            Method::POST,
            &format!("/api/v1/decisions/{decision_id}/actions"),
            Some(json!({"description": "Geheim", "owner_name": "X", "due_on": "2026-02-01"})),
        )
        .await
        .json();
    let action_id = action["id"].as_i64().unwrap();
    let line = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/budget-lines"),
            Some(json!({"year": 2026, "amount": 1000, "source": "innovation_fund"})),
        )
        .await
        .json();
    let line_id = line["id"].as_i64().unwrap();
    let item = alpha
        .api(
            Method::POST,
            &format!("/api/v1/programmes/{programme_id}/carry-over-items"),
            Some(json!({"goal": "Geheim", "origin": "Oud"})),
        )
        .await
        .json();
    let item_id = item["id"].as_i64().unwrap();
    let initiative = alpha
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(json!({"kind": "experiment", "title": "Geheim"})),
        )
        .await
        .json();
    let initiative_id = initiative["id"].as_i64().unwrap();
    let partner = alpha
        .api(
            Method::POST,
            "/api/v1/partners",
            Some(json!({"name": "Geheim", "kind": "company"})),
        )
        .await
        .json();
    let partner_id = partner["id"].as_i64().unwrap();
    let lab = alpha
        .api(
            Method::POST,
            "/api/v1/future-labs",
            Some(json!({"name": "Geheim"})),
        )
        .await
        .json();
    let lab_id = lab["id"].as_i64().unwrap();
    let member = alpha
        .api(
            Method::PUT,
            &format!("/api/v1/future-labs/{lab_id}/members/{partner_id}"),
            Some(json!({"contributions": ["data"]})),
        )
        .await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.body);
    let role = alpha
        .api(
            Method::PUT,
            &format!("/api/v1/initiatives/{initiative_id}/partners/{partner_id}"),
            Some(json!({"role": "Geheim"})),
        )
        .await;
    assert_eq!(role.status, StatusCode::OK, "{}", role.body);
    let framework = alpha
        .api(
            Method::POST,
            "/api/v1/competence-frameworks",
            Some(json!({"name": "Geheim", "levels": ["a", "b"]})),
        )
        .await
        .json();
    let framework_id = framework["id"].as_i64().unwrap();
    let competence = alpha
        .api(
            Method::POST,
            &format!("/api/v1/competence-frameworks/{framework_id}/competences"),
            Some(json!({"code": "G1", "name": "Geheim"})),
        )
        .await
        .json();
    let competence_id = competence["id"].as_i64().unwrap();
    let role_profile = alpha
        .api(
            Method::POST,
            "/api/v1/role-profiles",
            Some(json!({"name": "Geheim", "fte_now": 1, "fte_needed": 2, "horizon_on": "2028-01-01",
                        "requirements": [{"competence_id": competence_id, "level_now": 1, "level_horizon": 2}]})),
        )
        .await
        .json();
    let role_profile_id = role_profile["id"].as_i64().unwrap();
    let employee = alpha
        .api(
            Method::POST,
            "/api/v1/employees",
            Some(json!({"number": "G1", "name": "Geheim", "role_profile_id": role_profile_id})),
        )
        .await
        .json();
    let employee_id = employee["id"].as_i64().unwrap();
    let learning = alpha
        .api(
            Method::POST,
            "/api/v1/learning-actions",
            Some(
                json!({"title": "Geheim", "kind": "training", "competence_id": competence_id,
                        "role_profile_id": role_profile_id, "planned_on": "2027-01-01"}),
            ),
        )
        .await
        .json();
    let learning_id = learning["id"].as_i64().unwrap();
    let instruments = alpha.get("/api/v1/survey-instruments").await.json();
    let instrument_id = instruments["items"][0]["id"].as_i64().unwrap();
    let wave = alpha
        .api(
            Method::POST,
            "/api/v1/survey-waves",
            Some(
                json!({"instrument_id": instrument_id, "name": "Geheim", "opens_on": "2026-11-01",
                        "closes_on": "2026-12-31"}),
            ),
        )
        .await
        .json();
    let wave_id = wave["id"].as_i64().unwrap();
    let intervention = alpha
        .api(
            Method::POST,
            "/api/v1/interventions",
            Some(json!({"dimension": "b3", "title_nl": "Geheim plan"})),
        )
        .await
        .json();
    let intervention_id = intervention["id"].as_i64().unwrap();
    let idea = alpha
        .api(
            Method::POST,
            "/api/v1/ideas",
            Some(json!({"title": "Geheim idee", "problem": "x", "proposal": "y"})),
        )
        .await
        .json();
    let idea_id = idea["id"].as_i64().unwrap();
    let campaign = alpha
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(json!({"title": "Geheime campagne", "opens_on": "2020-01-01", "closes_on": "2099-12-31"})),
        )
        .await
        .json();
    let campaign_id = campaign["id"].as_i64().unwrap();
    let comment = alpha
        .api(
            Method::POST,
            &format!("/api/v1/ideas/{idea_id}/comments"),
            Some(json!({"body": "Geheime reactie"})),
        )
        .await
        .json();
    let comment_id = comment["id"].as_i64().unwrap();
    let notification_id = app
        .scalar(&format!(
            "INSERT INTO notifications (organisation_id, user_id, kind, subject_id, title, detail, created_at) \
             SELECT organisation_id, author_user_id, 'idea_comment', id, title, '', '2026-01-01T00:00:00+00:00' \
             FROM ideas WHERE id = {idea_id} RETURNING id"
        ))
        .await;
    let service = alpha
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({"name": "Geheime dienst", "maturity": 0})),
        )
        .await
        .json();
    let service_id = service["id"].as_i64().unwrap();
    let data_asset = alpha
        .api(
            Method::POST,
            "/api/v1/data-assets",
            Some(json!({"name": "Geheime data", "completeness": 3, "timeliness": 3, "openness": "closed",
                        "update_frequency": "daily"})),
        )
        .await
        .json();
    let data_asset_id = data_asset["id"].as_i64().unwrap();
    let strategic = alpha
        .api(
            Method::POST,
            "/api/v1/strategic-assets",
            Some(json!({"name": "Geheim middel", "kind": "data"})),
        )
        .await
        .json();
    let strategic_id = strategic["id"].as_i64().unwrap();
    let report = alpha
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-Q3"})),
        )
        .await
        .json();
    let report_id = report["id"].as_i64().unwrap();
    let alpha_user = alpha.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    alpha
        .api(
            Method::PUT,
            &format!("/api/v1/data-experts/{alpha_user}"),
            Some(json!({"role": "Geheime rol"})),
        )
        .await;
    let audit_before = app.audit_count().await;
    let units_before = app.count("units").await;

    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let beta_token = beta
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "beta", "access": "write"})),
        )
        .await
        .json();
    let mut beta_script = app.token_client(beta_token["secret"].as_str().unwrap());
    let audit_before = audit_before + 2; // beta's own login and token

    // An API path with alpha's record for every parameter.
    let alpha_api_path = |path: &str| -> String {
        if !path.contains("{id}") {
            return format!(
                "/api/v1{}",
                path.replace("{user_id}", &alpha_user.to_string())
            );
        }
        let id = if path.starts_with("/units") {
            unit_id
        } else if path.starts_with("/users") {
            user_id
        } else if path.starts_with("/tokens") {
            token_id
        } else if path.starts_with("/indicators") {
            indicator_id
        } else if path.starts_with("/programmes") {
            programme_id
        } else if path.starts_with("/ambitions") {
            ambition_id
        } else if path.starts_with("/bodies") {
            body_id
        } else if path.starts_with("/decisions") {
            decision_id
        } else if path.starts_with("/decision-actions") {
            action_id
        } else if path.starts_with("/budget-lines") {
            line_id
        } else if path.starts_with("/carry-over-items") {
            item_id
        } else if path.starts_with("/initiatives") {
            initiative_id
        } else if path.starts_with("/partners") {
            partner_id
        } else if path.starts_with("/future-labs") {
            lab_id
        } else if path.starts_with("/competence-frameworks") {
            framework_id
        } else if path.starts_with("/competences") {
            competence_id
        } else if path.starts_with("/role-profiles") {
            role_profile_id
        } else if path.starts_with("/employees") {
            employee_id
        } else if path.starts_with("/learning-actions") {
            learning_id
        } else if path.starts_with("/survey-instruments") {
            instrument_id
        } else if path.starts_with("/survey-waves") {
            wave_id
        } else if path.starts_with("/interventions") {
            intervention_id
        } else if path.starts_with("/ideas") {
            idea_id
        } else if path.starts_with("/idea-campaigns") {
            campaign_id
        } else if path.starts_with("/notifications") {
            notification_id
        } else if path.starts_with("/services") {
            service_id
        } else if path.starts_with("/data-assets") {
            data_asset_id
        } else if path.starts_with("/strategic-assets") {
            strategic_id
        } else if path.starts_with("/board-reports") {
            report_id
        } else {
            panic!("no alpha resource known for {path}; extend this test");
        };
        format!(
            "/api/v1{}",
            path.replace("{id}", &id.to_string())
                .replace("{term_id}", &term_id.to_string())
                .replace("{indicator_id}", &indicator_id.to_string())
                .replace("{partner_id}", &partner_id.to_string())
                .replace("{comment_id}", &comment_id.to_string())
                .replace("{user_id}", &alpha_user.to_string())
                .replace("{number}", "1")
        )
    };
    // A body that would pass most operations' validation, so that a refusal
    // is about who asks, not about what they sent.
    let write_body = |method: &Method| {
        (*method == Method::PATCH || *method == Method::POST || *method == Method::PUT).then(|| {
            json!({"name": "overgenomen", "role": "viewer", "active": false, "date": "2030-01-01",
                   "value": 1, "measurements": [{"period": "2026-02", "value": 1}],
                   "title": "overgenomen", "starts_on": "2026-06-01", "confirmed_on": "2026-06-01",
                   "note": "x", "held_on": "2026-06-01", "form": "x",
                   "participants": [{"name": "x", "role": ""}],
                   "decided_on": "2026-06-01", "description": "x", "owner_name": "x",
                   "due_on": "2026-06-01", "year": 2026, "goal": "x", "origin": "x",
                   "contributions": ["money"], "body": "x", "reason": "x"})
        })
    };
    // Walk every API path with an id from the OpenAPI document, every method.
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let mut walked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.contains("{id}") {
            continue;
        }
        let concrete = alpha_api_path(path);
        for method in item.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let body = write_body(&method);
            let response = beta_script.api(method.clone(), &concrete, body).await;
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "{method} {concrete}: {}",
                response.body
            );
            walked += 1;
        }
    }
    assert!(walked >= 6, "walked only {walked} operations");
    // Paths keyed by a person: alpha's expert cannot be changed or removed.
    for method in [Method::PUT, Method::DELETE] {
        let response = beta_script
            .api(
                method.clone(),
                &format!("/api/v1/data-experts/{alpha_user}"),
                Some(json!({"role": "overgenomen"})),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} data-expertise"
        );
    }

    // Pages too.
    for path in [
        format!("/units/{unit_id}"),
        format!("/admin/users/{user_id}"),
        format!("/programmes/{programme_id}"),
        format!("/programmes/{programme_id}/edit"),
        format!("/programmes/{programme_id}/executives/new"),
        format!("/programmes/{programme_id}/executives/{term_id}/confirm"),
        format!("/programmes/{programme_id}/sessions/new"),
        format!("/ambitions/{ambition_id}"),
        format!("/programmes/{programme_id}/bodies"),
        format!("/programmes/{programme_id}/decisions"),
        format!("/bodies/{body_id}"),
        format!("/decisions/{decision_id}"),
        format!("/programmes/{programme_id}/funding"),
        format!("/programmes/{programme_id}/carry-over"),
        format!("/budget-lines/{line_id}"),
        format!("/carry-over/{item_id}"),
        format!("/initiatives/{initiative_id}"),
        format!("/initiatives/{initiative_id}/edit"),
        format!("/partners/{partner_id}"),
        format!("/future-labs/{lab_id}"),
        format!("/skills/employees/{employee_id}"),
        format!("/skills/roles/{role_profile_id}"),
        format!("/skills/actions/{learning_id}"),
        format!("/surveys/instruments/{instrument_id}"),
        format!("/surveys/waves/{wave_id}"),
        format!("/surveys/interventions/{intervention_id}"),
        format!("/ideas/{idea_id}"),
        format!("/ideas/campaigns/{campaign_id}"),
        format!("/services/{service_id}"),
        format!("/data-assets/{data_asset_id}"),
        format!("/strategic-assets/{strategic_id}"),
        format!("/reports/{report_id}"),
        format!("/reports/{report_id}/report.pdf"),
        format!("/reports/{report_id}/report.html"),
    ] {
        assert_eq!(
            beta.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in [
        format!("/units/{unit_id}"),
        format!("/admin/users/{user_id}"),
        format!("/admin/users/{user_id}/invitation"),
        format!("/account/tokens/{token_id}/revoke"),
        format!("/indicators/{indicator_id}/edit"),
        format!("/indicators/{indicator_id}/measurements"),
        format!("/indicators/{indicator_id}/targets"),
        format!("/programmes/{programme_id}/edit"),
        format!("/programmes/{programme_id}/ambitions"),
        format!("/programmes/{programme_id}/executives/new"),
        format!("/programmes/{programme_id}/executives/{term_id}/confirm"),
        format!("/programmes/{programme_id}/sessions/new"),
        format!("/ambitions/{ambition_id}"),
        format!("/ambitions/{ambition_id}/delete"),
        format!("/programmes/{programme_id}/bodies"),
        format!("/programmes/{programme_id}/decisions"),
        format!("/bodies/{body_id}"),
        format!("/bodies/{body_id}/meetings"),
        format!("/decisions/{decision_id}"),
        format!("/decisions/{decision_id}/actions"),
        format!("/decision-actions/{action_id}"),
        format!("/programmes/{programme_id}/funding"),
        format!("/programmes/{programme_id}/carry-over"),
        format!("/budget-lines/{line_id}"),
        format!("/budget-lines/{line_id}/delete"),
        format!("/carry-over/{item_id}"),
        format!("/initiatives/{initiative_id}/edit"),
        format!("/initiatives/{initiative_id}/gate-decisions"),
        format!("/initiatives/{initiative_id}/comparisons"),
        format!("/initiatives/{initiative_id}/partners"),
        format!("/initiatives/{initiative_id}/partners/{partner_id}/remove"),
        format!("/partners/{partner_id}"),
        format!("/partners/{partner_id}/delete"),
        format!("/future-labs/{lab_id}"),
        format!("/future-labs/{lab_id}/members"),
        format!("/future-labs/{lab_id}/members/{partner_id}/remove"),
        format!("/skills/employees/{employee_id}"),
        format!("/skills/employees/{employee_id}/edit"),
        format!("/skills/roles/{role_profile_id}"),
        format!("/skills/frameworks/{framework_id}/competences"),
        format!("/skills/actions/{learning_id}"),
        format!("/skills/actions/{learning_id}/delete"),
        format!("/skills/roles/{role_profile_id}/delete"),
        format!("/skills/competences/{competence_id}/delete"),
        format!("/surveys/instruments/{instrument_id}/items"),
        format!("/surveys/instruments/{instrument_id}/remove"),
        format!("/surveys/instruments/{instrument_id}/restore"),
        format!("/surveys/waves/{wave_id}/invitations"),
        format!("/surveys/waves/{wave_id}/reminders"),
        format!("/surveys/waves/{wave_id}/invitation-mails"),
        format!("/surveys/waves/{wave_id}/reminder-mails"),
        format!("/surveys/interventions/{intervention_id}"),
        format!("/surveys/interventions/{intervention_id}/plan"),
        format!("/ideas/{idea_id}"),
        format!("/ideas/{idea_id}/support"),
        format!("/ideas/{idea_id}/triage"),
        format!("/ideas/{idea_id}/initiative"),
        format!("/ideas/{idea_id}/comments"),
        format!("/ideas/{idea_id}/hidden"),
        format!("/ideas/{idea_id}/comments/{comment_id}/hidden"),
        format!("/ideas/campaigns/{campaign_id}"),
        format!("/services/{service_id}"),
        format!("/services/{service_id}/volume-indicator"),
        format!("/data-assets/{data_asset_id}"),
        format!("/data-assets/expertise/{alpha_user}/remove"),
        format!("/strategic-assets/{strategic_id}"),
    ] {
        let response = beta
            .post_form(&path, &[("name", "overgenomen"), ("role", "viewer")])
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // Every page route with an id, read from the source so that a new page
    // is walked without anyone remembering to list it: as beta, GET and POST
    // answer 404 (or 405 where the route has no such method), never alpha's
    // data.
    let id_for = |route: &str| -> Option<i64> {
        let prefixes: [(&str, i64); 28] = [
            ("/account/tokens/", token_id),
            ("/admin/users/", user_id),
            ("/ambitions/", ambition_id),
            ("/bodies/", body_id),
            ("/budget-lines/", line_id),
            ("/carry-over/", item_id),
            ("/data-assets/", data_asset_id),
            ("/decision-actions/", action_id),
            ("/decisions/", decision_id),
            ("/future-labs/", lab_id),
            ("/ideas/campaigns/", campaign_id),
            ("/ideas/", idea_id),
            ("/indicators/", indicator_id),
            ("/initiatives/", initiative_id),
            ("/partners/", partner_id),
            ("/programmes/", programme_id),
            ("/reports/", report_id),
            ("/services/", service_id),
            ("/skills/actions/", learning_id),
            ("/skills/competences/", competence_id),
            ("/skills/employees/", employee_id),
            ("/skills/frameworks/", framework_id),
            ("/skills/roles/", role_profile_id),
            ("/strategic-assets/", strategic_id),
            ("/surveys/instruments/", instrument_id),
            ("/surveys/interventions/", intervention_id),
            ("/surveys/waves/", wave_id),
            ("/units/", unit_id),
        ];
        prefixes
            .iter()
            .find(|(prefix, _)| route.starts_with(prefix))
            .map(|(_, id)| *id)
    };
    // Routes whose parameter is not an organisation's record.
    let not_a_record = [
        "/assets/{*path}",               // static files
        "/invitation/{token}",           // a secret link, checked by its hash
        "/s/{token}",                    // a survey link, checked by its hash
        "/p/{slug}",                     // the published dashboard, public by choice
        "/p/{slug}/{code}",              // one published indicator
        "/indicators/import/{id}",       // a person's own upload buffer (tests/api/imports.rs)
        "/skills/employees/import/{id}", // a person's own upload buffer
    ];
    let mut page_routes = Vec::new();
    collect_page_routes(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut page_routes,
    );
    page_routes.sort();
    page_routes.dedup();
    // A page route with alpha's record for every parameter.
    let alpha_page_path = |route: &str| -> String {
        if !route.contains('{') {
            return route.to_owned();
        }
        let id = id_for(route)
            .unwrap_or_else(|| panic!("no alpha record known for page {route}; extend this test"));
        let concrete = route
            .replace("{id}", &id.to_string())
            .replace("{partner_id}", &partner_id.to_string())
            .replace("{comment_id}", &comment_id.to_string())
            .replace("{user_id}", &alpha_user.to_string())
            .replace("{term}", &term_id.to_string());
        assert!(!concrete.contains('{'), "unknown parameter in {route}");
        concrete
    };
    let mut walked_pages = 0;
    for route in page_routes
        .iter()
        .filter(|r| r.contains('{') && !not_a_record.contains(&r.as_str()))
    {
        let concrete = alpha_page_path(route);
        let got = beta.get(&concrete).await.status;
        let posted = beta
            .post_form(&concrete, &[("name", "overgenomen"), ("role", "viewer")])
            .await
            .status;
        for (method, status) in [("GET", got), ("POST", posted)] {
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
                "{method} {concrete} as another organisation: {status}"
            );
        }
        assert!(
            got == StatusCode::NOT_FOUND || posted == StatusCode::NOT_FOUND,
            "{concrete}: neither GET nor POST reached the route"
        );
        // The control: the page exists for its own organisation, so the 404
        // above is the tenancy check and not a wrong id.
        if got == StatusCode::NOT_FOUND {
            let own = alpha.get(&concrete).await.status;
            assert_ne!(own, StatusCode::NOT_FOUND, "GET {concrete} as alpha");
        }
        walked_pages += 1;
    }
    assert!(walked_pages >= 70, "walked only {walked_pages} pages");

    // Switching into an organisation one does not belong to is not found either.
    let switch = beta
        .post_form("/organisation/switch", &[("organisation", "alpha")])
        .await;
    assert_eq!(switch.status, StatusCode::NOT_FOUND);

    // Lists show only beta's own data.
    let units = beta_script.get("/api/v1/units").await.json();
    assert_eq!(units["total"], 0);
    for list in [
        "/api/v1/programmes",
        "/api/v1/initiatives",
        "/api/v1/indicators",
        "/api/v1/partners",
        "/api/v1/future-labs",
        "/api/v1/employees",
        "/api/v1/role-profiles",
    ] {
        assert_eq!(beta_script.get(list).await.json()["total"], 0, "{list}");
    }
    // Beta has its own DigComp and nothing of alpha's framework.
    let frameworks = beta_script
        .get("/api/v1/competence-frameworks")
        .await
        .json();
    assert_eq!(frameworks["total"], 1);
    assert_eq!(
        beta_script
            .get("/api/v1/competences?page_size=100")
            .await
            .json()["total"],
        21
    );
    assert!(!beta.get("/skills/frameworks").await.body.contains("Geheim"));
    assert!(!beta.get("/skills/heatmap").await.body.contains("Geheim"));
    let users = beta_script.get("/api/v1/users").await.json();
    assert_eq!(users["total"], 1);
    let audit = beta_script
        .get("/api/v1/audit-events?page_size=100")
        .await
        .json();
    for event in audit["items"].as_array().unwrap() {
        assert_ne!(
            event["entity_id"],
            unit_id.to_string(),
            "alpha's events leaked: {event}"
        );
    }
    assert!(!beta.get("/units").await.body.contains("Geheim"));
    assert_eq!(
        beta_script.get("/api/v1/indicators").await.json()["total"],
        0
    );
    assert!(!beta.get("/indicators").await.body.contains("GEHEIM"));
    assert!(
        beta_script
            .get("/api/v1/idea-campaigns")
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        beta_script.get("/api/v1/notifications").await.json()["total"],
        0
    );
    assert!(!beta.get("/ideas/campaigns").await.body.contains("Geheim"));
    assert!(!beta.get("/").await.body.contains("Geheime campagne"));
    let figures = beta_script.get("/api/v1/idea-figures").await.json();
    assert!(
        figures["quarters"].as_array().unwrap().is_empty(),
        "{figures}"
    );

    // Nothing of alpha's changed.
    assert_eq!(app.count("units").await, units_before);
    assert_eq!(app.audit_count().await, audit_before);
    let still = alpha.get(&format!("/api/v1/units/{unit_id}")).await.json();
    assert_eq!(still["name"], "Geheim");
    let member = alpha.get(&format!("/api/v1/users/{user_id}")).await.json();
    assert_eq!(member["active"], true);
    let experts = alpha.get("/api/v1/data-experts").await.json();
    assert_eq!(experts[0]["role"], "Geheime rol");
    let tokens = alpha.get("/api/v1/tokens").await.json();
    assert!(tokens["items"][0]["revoked_at"].is_null());

    // Members of alpha without the right: a viewer, who may only read, and
    // the administrator's read-only token. Every write operation of the API
    // and every page form answers 403 and changes nothing, except what is
    // every member's own business, named here with why.
    let read_token = alpha
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "alleen lezen", "access": "read"})),
        )
        .await
        .json();
    let mut reader = app.token_client(read_token["secret"].as_str().unwrap());
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let own_business = [
        "POST /tokens",             // one's own API tokens
        "DELETE /tokens/{id}",      // only one's own: alpha's admin's token is not found
        "PATCH /me",                // one's own name and language
        "POST /notifications/read", // one's own notifications
    ];
    // Operations whose input is strict (unknown fields refused): a body
    // they can read, so that the answer is about the right.
    let readable_body = |operation: &str, method: &Method| match operation {
        "PUT /organisation/sso" => Some(
            json!({"issuer": "https://idp.voorbeeld.nl", "client_id": "koers", "enabled": false}),
        ),
        "POST /organisation/sso/test" => Some(json!({"issuer": "https://idp.voorbeeld.nl"})),
        _ => write_body(method),
    };
    // A person's own records (their skills) are not found for anyone else
    // who may not see them, rather than forbidden: their existence is
    // personal data too.
    let someone_elses = [
        "POST /employees/{id}/assessments",
        "PUT /notifications/{id}/read", // alpha's administrator's notification
    ];
    let audit_roles = app.audit_count().await;
    // Nothing written means the organisation's whole backup is the same
    // afterwards, audited or not.
    let store = app.state.store().clone();
    let backup = || koers::backup::service::backup_of(&store, alpha_organisation.id);
    let archive_before = backup().await.unwrap();
    let mut refused_operations = 0;
    let mut unexpected = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            if method == Method::GET || method == Method::HEAD {
                continue;
            }
            let concrete = alpha_api_path(path);
            let operation = format!("{method} {path}");
            let as_reader = reader
                .api(
                    method.clone(),
                    &concrete,
                    readable_body(&operation, &method),
                )
                .await;
            if as_reader.status != StatusCode::FORBIDDEN {
                unexpected.push(format!(
                    "{operation} with a read-only token: {}",
                    as_reader.status
                ));
            }
            if own_business.contains(&operation.as_str()) {
                continue;
            }
            let as_viewer = viewer
                .api(
                    method.clone(),
                    &concrete,
                    readable_body(&operation, &method),
                )
                .await;
            let expected = if someone_elses.contains(&operation.as_str()) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            if as_viewer.status != expected {
                unexpected.push(format!(
                    "{operation} as a viewer: {} {}",
                    as_viewer.status, as_viewer.body
                ));
            }
            refused_operations += 1;
        }
    }
    assert!(
        refused_operations >= 100,
        "walked only {refused_operations} write operations"
    );
    let own_pages = [
        "/login",                  // anyone may sign in
        "/login/code",             // with their second factor
        "/logout",                 // and out
        "/account",                // one's own name and language
        "/account/password",       // one's own password
        "/account/security/setup", // one's own second factor
        "/account/security/confirm",
        "/account/security/recovery-codes",
        "/account/security/remove",
        "/account/tokens",             // one's own API tokens
        "/account/tokens/{id}/revoke", // only one's own: alpha's admin's is not found
        "/organisation/switch",        // to an organisation one belongs to
        "/notifications/read",         // one's own notifications
        "/skills/me",                  // one's own skills (the viewer has no record)
        "/openapi.json",               // served under /api/v1, walked above
    ];
    // As in the API: a person's skill record is not found for others.
    let someone_elses_pages = ["/skills/employees/{id}"];
    // Enough for each form to reach the service, where the right is
    // checked: alpha's own records for the choices.
    let partner = partner_id.to_string();
    let person = alpha_user.to_string();
    let form_fields = [
        ("name", "overgenomen"),
        ("role", "viewer"),
        ("status", "done"),
        ("partner_id", partner.as_str()),
        ("user_id", person.as_str()),
        ("fte_now", "1"),
        ("fte_needed", "2"),
    ];
    let mut refused_pages = 0;
    for route in page_routes
        .iter()
        .filter(|r| !not_a_record.contains(&r.as_str()) && !own_pages.contains(&r.as_str()))
    {
        let concrete = alpha_page_path(route);
        let posted = viewer.post_form(&concrete, &form_fields).await.status;
        if someone_elses_pages.contains(&route.as_str()) {
            if posted != StatusCode::NOT_FOUND {
                unexpected.push(format!("POST {route} as a viewer: {posted}"));
            }
            continue;
        }
        if posted == StatusCode::METHOD_NOT_ALLOWED {
            continue; // a page to read
        }
        if posted != StatusCode::FORBIDDEN {
            unexpected.push(format!("POST {route} as a viewer: {posted}"));
        }
        refused_pages += 1;
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(
        backup().await.unwrap() == archive_before,
        "nothing of alpha's changed"
    );
    assert!(
        refused_pages >= 60,
        "walked only {refused_pages} page forms"
    );
    assert_eq!(
        app.audit_count().await,
        audit_roles,
        "nothing changed by members without the right"
    );
    // The control: the same clients get through where the viewer may act,
    // so the 403s above are the rights, not a broken token or form.
    let own = viewer
        .api(Method::PATCH, "/api/v1/me", Some(json!({"name": "Kijker"})))
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let read = viewer.post_form("/notifications/read", &[]).await;
    assert_eq!(read.status, StatusCode::SEE_OTHER, "{}", read.body);
    assert_eq!(
        reader.get("/api/v1/indicators").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_person_in_two_organisations_switches_between_them() {
    let app = spawn_app().await;
    let (_, beta) = app.two_organisations().await;
    app.add_member(&beta, "employee@alpha.test", "viewer").await;
    let mut person = app.login("employee@alpha.test", PASSWORD).await;
    let start = person.get("/").await;
    assert!(
        start.body.contains("id=\"organisation-switch\""),
        "switcher shown for two memberships"
    );
    let memberships = person.get("/api/v1/memberships").await.json();
    assert_eq!(memberships["total"], 2);
    let before = person.get("/api/v1/organisation").await.json();
    let switched = person
        .post_form("/organisation/switch", &[("organisation", "beta")])
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let after = person.get("/api/v1/organisation").await.json();
    assert_ne!(before["slug"], after["slug"]);
    assert_eq!(after["slug"], "beta");
    let me = person.get("/api/v1/me").await.json();
    assert_eq!(me["role"], "viewer");
}

/// Every path given to `.route("…"` in the source files under `dir` that
/// are not API modules (`api.rs`, `*_api.rs`).
fn collect_page_routes(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_page_routes(&path, out);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name == "api.rs" || name.ends_with("_api.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = rest[at + ".route(".len()..].trim_start();
            if let Some(quoted) = rest.strip_prefix('"')
                && let Some(end) = quoted.find('"')
            {
                let route = &quoted[..end];
                if route.starts_with('/') && !route.starts_with("/api/") {
                    out.push(route.to_owned());
                }
            }
        }
    }
}
