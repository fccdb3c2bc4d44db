//! Effect estimates of initiatives on their indicators: computed on
//! demand, kept, refreshed when measurements change, shown with intervals,
//! per euro and with their refusals.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};
use crate::indicators::{define, web_success};

/// Three years of monthly values from 2022-01 with a step of +8 from
/// 2024-01 (and a deterministic wiggle).
fn measurements(months: usize) -> Value {
    let items: Vec<Value> = (0..months)
        .map(|i| {
            let period = format!("{}-{:02}", 2022 + i / 12, i % 12 + 1);
            let wiggle = ((i * 7919) % 11) as f64 / 4.0;
            let step = if i >= 24 { 8.0 } else { 0.0 };
            json!({"period": period, "value": 60.0 + wiggle + step})
        })
        .collect();
    json!({ "measurements": items })
}

async fn record(client: &mut Client, indicator: i64, body: Value) {
    let recorded = client
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{indicator}/measurements"),
            Some(body),
        )
        .await;
    assert!(recorded.status.is_success(), "{}", recorded.body);
}

async fn initiative(client: &mut Client, indicator: i64, go_live: Option<&str>) -> i64 {
    let made = client
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(
                json!({"kind": "service_improvement", "title": format!("Initiatief {go_live:?}"),
                        "go_live_on": go_live,
                        "indicators": [{"indicator_id": indicator, "direction": "increase"}]}),
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_effect_is_estimated_kept_refreshed_and_shown_with_its_interval_and_cost() {
    let app = spawn_app().await;
    let (alpha, _) = app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let indicator = define(&mut lead, web_success()).await["id"]
        .as_i64()
        .unwrap();
    record(&mut lead, indicator, measurements(34)).await;
    let id = initiative(&mut lead, indicator, Some("2024-01-01")).await;
    lead.api(
        Method::POST,
        &format!("/api/v1/initiatives/{id}/spend"),
        Some(
            json!({"spent_on": "2024-02-01", "amount": "20000", "source": "innovation_budget",
                    "description": "Bouw"}),
        ),
    )
    .await;

    let effects = lead
        .get(&format!("/api/v1/initiatives/{id}/effects"))
        .await
        .json();
    assert_eq!(effects["total"], 1, "{effects}");
    let estimate = &effects["items"][0];
    assert!(estimate["refusal"].is_null(), "{estimate}");
    let (lo, hi) = (
        estimate["average"]["lo95"].as_f64().unwrap(),
        estimate["average"]["hi95"].as_f64().unwrap(),
    );
    assert!(
        lo > 0.0 && lo < 8.0 && hi > 8.0,
        "the step of 8 within ({lo}, {hi})"
    );
    assert_eq!(estimate["post_periods"], 10);
    assert_eq!(estimate["spent"], "20000.00");
    let cumulative = estimate["cumulative"]["estimate"].as_f64().unwrap();
    let per = estimate["per_thousand_euro"]["estimate"].as_f64().unwrap();
    assert!((per - cumulative / 20.0).abs() < 1e-9);
    assert_eq!(estimate["points"].as_array().unwrap().len(), 34);
    assert_eq!(app.count("effect_estimates").await, 1);

    // New measurements: the background refresh brings the kept estimate
    // up to date before anyone asks.
    record(&mut lead, indicator, measurements(36)).await;
    let kept_post_periods = || async {
        let (_, result) = app
            .state
            .store()
            .stored_effect(
                alpha.id,
                koers::domain::InitiativeId(id),
                koers::domain::IndicatorId(indicator),
            )
            .await
            .unwrap()
            .unwrap();
        serde_json::from_str::<Value>(&result).unwrap()["post_periods"].clone()
    };
    assert_eq!(kept_post_periods().await, 10, "stale until refreshed");
    assert_eq!(koers::effects::refresh::refresh_all(&app.state).await, 1);
    assert_eq!(kept_post_periods().await, 12);
    let refreshed = lead
        .get(&format!("/api/v1/indicators/{indicator}/effects"))
        .await
        .json();
    assert_eq!(refreshed["items"][0]["post_periods"], 12, "{refreshed}");
    assert_eq!(app.count("effect_estimates").await, 1);

    // Pages say it in words, with the chart and the ranking.
    let page = lead.get(&format!("/initiatives/{id}")).await;
    assert!(
        page.body
            .contains("hoger dan verwacht zonder het initiatief"),
        "{}",
        page.body
    );
    assert!(page.body.contains("koers-effect__band"));
    let indicator_page = lead.get(&format!("/indicators/{indicator}")).await;
    assert!(indicator_page.body.contains("Effect op indicatoren"));
    let ranking = lead.get("/portfolio/effects").await;
    assert_eq!(ranking.status, StatusCode::OK);
    assert!(ranking.body.contains(&format!("/initiatives/{id}#effects")));
    let api = lead.get("/api/v1/effects").await.json();
    assert_eq!(api["total"], 1);
}

#[tokio::test]
async fn no_go_live_no_estimate_and_too_little_history_is_refused_in_words() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let indicator = define(&mut lead, web_success()).await["id"]
        .as_i64()
        .unwrap();
    record(&mut lead, indicator, measurements(30)).await;
    let waiting = initiative(&mut lead, indicator, None).await;
    let none = lead
        .get(&format!("/api/v1/initiatives/{waiting}/effects"))
        .await
        .json();
    assert_eq!(none["total"], 0);
    let page = lead.get(&format!("/initiatives/{waiting}")).await;
    assert!(page.body.contains("nog geen livegang"), "{}", page.body);

    let early = initiative(&mut lead, indicator, Some("2022-06-01")).await;
    let refused = lead
        .get(&format!("/api/v1/initiatives/{early}/effects"))
        .await
        .json();
    assert_eq!(refused["items"][0]["refusal"], "too_few_pre_periods");
    assert!(refused["items"][0]["average"].is_null());
    let page = lead.get(&format!("/initiatives/{early}")).await;
    assert!(page.body.contains("Te weinig metingen vóór de livegang"));
    let late = initiative(&mut lead, indicator, Some("2030-01-01")).await;
    let refused = lead
        .get(&format!("/api/v1/initiatives/{late}/effects"))
        .await
        .json();
    assert_eq!(refused["items"][0]["refusal"], "no_post_period");
}

/// Monthly values from 2022-01 that share the target's wiggle (the common
/// shocks a comparison series should carry), with a step from 2024-01.
fn comparison(months: usize, step: f64) -> Value {
    let items: Vec<Value> = (0..months)
        .map(|i| {
            let period = format!("{}-{:02}", 2022 + i / 12, i % 12 + 1);
            let wiggle = ((i * 7919) % 11) as f64 / 4.0;
            let own = ((i * 104_729) % 5) as f64 / 20.0;
            let step = if i >= 24 { step } else { 0.0 };
            json!({"period": period, "value": 30.0 + wiggle + own + step})
        })
        .collect();
    json!({ "measurements": items })
}

/// The first estimate an effects endpoint lists.
async fn first_estimate(client: &mut Client, path: &str) -> Value {
    client.get(path).await.json()["items"][0].clone()
}

fn with_code(mut body: Value, code: &str, frequency: &str) -> Value {
    body["code"] = json!(code);
    body["name"] = json!(format!("Reeks {code}"));
    body["frequency"] = json!(frequency);
    if frequency == "quarter" {
        body["baseline_period"] = json!("2024-Q4");
    }
    body
}

#[tokio::test]
async fn a_comparison_series_is_checked_followed_and_watched() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let target = define(&mut lead, web_success()).await["id"]
        .as_i64()
        .unwrap();
    let control = define(&mut lead, with_code(web_success(), "VERGELIJK", "month")).await["id"]
        .as_i64()
        .unwrap();
    let quarterly = define(&mut lead, with_code(web_success(), "KWARTAAL", "quarter")).await["id"]
        .as_i64()
        .unwrap();
    let also_moved = define(&mut lead, with_code(web_success(), "OOK", "month")).await["id"]
        .as_i64()
        .unwrap();
    let mut doubled = with_code(web_success(), "DUBBEL", "month");
    doubled["formula"] = json!("WEB-SUCCESS * 2");
    let computed = define(&mut lead, doubled).await["id"].as_i64().unwrap();
    record(&mut lead, target, measurements(36)).await;
    record(&mut lead, control, comparison(36, 0.0)).await;
    let id = initiative(&mut lead, target, Some("2024-01-01")).await;
    let alone = first_estimate(&mut lead, &format!("/api/v1/initiatives/{id}/effects")).await;
    assert_eq!(alone["used_control"], false);
    assert!(alone["control_indicator_id"].is_null());

    // Refused choices say why, per link, and change nothing.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let foreign = define(&mut beta, web_success()).await["id"]
        .as_i64()
        .unwrap();
    let link = |control: i64| {
        json!({"indicators": [
            {"indicator_id": target, "direction": "increase", "control_indicator_id": control},
            {"indicator_id": also_moved, "direction": "increase"}]})
    };
    for (choice, code) in [
        (target, "control_is_target"),
        (also_moved, "control_is_affected"),
        (quarterly, "control_frequency"),
        (computed, "control_computed_with_target"),
        (foreign, "unknown_indicator"),
    ] {
        let refused = lead
            .api(
                Method::PATCH,
                &format!("/api/v1/initiatives/{id}"),
                Some(link(choice)),
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(
            refused.errors(),
            [(
                "indicators[0].control_indicator_id".to_owned(),
                code.to_owned()
            )]
        );
    }
    let kept = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert_eq!(kept["indicators"].as_array().unwrap().len(), 1, "{kept}");
    assert!(kept["indicators"][0]["control_indicator_id"].is_null());

    // On the page: a wrong choice gets a message beside its field.
    let page = lead.get(&format!("/initiatives/{id}")).await;
    assert!(page.body.contains(&format!("id=\"control_{target}\"")));
    assert!(
        !page.body.contains("Reeks KWARTAAL</option>"),
        "only series measured as often are offered"
    );
    let field = format!("control_{target}");
    let wrong = lead
        .post_form(
            &format!("/initiatives/{id}/comparisons"),
            &[(&field, &target.to_string())],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong
            .body
            .contains(&format!("id=\"control_{target}-error\"")),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("niet zijn eigen vergelijkingsreeks"));
    let unreadable = lead
        .post_form(
            &format!("/initiatives/{id}/comparisons"),
            &[(&field, "abc")],
        )
        .await;
    assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
    assert!(
        unreadable
            .body
            .contains(&format!("id=\"control_{target}-error\""))
    );
    assert!(
        !page.body.contains("Reeks DUBBEL</option>"),
        "a series computed from the indicator is not offered"
    );

    // A good choice: the estimate follows the comparison series, sharper.
    let audit_before = app.count("audit_events").await;
    let saved = lead
        .post_form(
            &format!("/initiatives/{id}/comparisons"),
            &[(&field, &control.to_string())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(app.count("audit_events").await, audit_before + 1);
    let compared = first_estimate(&mut lead, &format!("/api/v1/initiatives/{id}/effects")).await;
    assert_eq!(compared["control_indicator_id"], control, "{compared}");
    assert_eq!(compared["used_control"], true);
    let width =
        |e: &Value| e["average"]["hi95"].as_f64().unwrap() - e["average"]["lo95"].as_f64().unwrap();
    assert!(
        width(&compared) < width(&alone),
        "the shared shocks are explained: {} vs {}",
        width(&compared),
        width(&alone)
    );
    assert!(
        !compared["warnings"]
            .as_array()
            .unwrap()
            .contains(&json!("control_moved"))
    );
    let page = lead.get(&format!("/initiatives/{id}")).await;
    assert!(
        page.body.contains("Vergeleken met VERGELIJK"),
        "{}",
        page.body
    );
    let indicator_page = lead.get(&format!("/indicators/{target}")).await;
    assert!(indicator_page.body.contains("Vergeleken met VERGELIJK"));

    // Saving the initiative's own form keeps the comparison series.
    let edit = lead
        .post_form(
            &format!("/initiatives/{id}/edit"),
            &[
                ("kind", "service_improvement"),
                ("title", "Nieuwe titel"),
                ("go_live_on", "2024-01-01"),
                (&format!("effect_{target}"), "increase"),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
    let kept = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert_eq!(kept["title"], "Nieuwe titel");
    assert_eq!(kept["indicators"][0]["control_indicator_id"], control);
    // A form without the field (a link the page did not show) keeps it.
    let untouched = lead
        .post_form(&format!("/initiatives/{id}/comparisons"), &[])
        .await;
    assert_eq!(untouched.status, StatusCode::SEE_OTHER);
    let kept = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert_eq!(kept["indicators"][0]["control_indicator_id"], control);

    // When the comparison series steps at go-live too, the reader is told.
    record(&mut lead, control, comparison(36, 8.0)).await;
    let moved = first_estimate(&mut lead, &format!("/api/v1/indicators/{target}/effects")).await;
    assert!(
        moved["warnings"]
            .as_array()
            .unwrap()
            .contains(&json!("control_moved")),
        "{moved}"
    );
    let page = lead.get(&format!("/initiatives/{id}")).await;
    assert!(page.body.contains("Ook de vergelijkingsreeks veranderde"));

    // A comparison series that stops at go-live is left out, and said so.
    let stopped = define(&mut lead, with_code(web_success(), "GESTOPT", "month")).await["id"]
        .as_i64()
        .unwrap();
    // Two years of values, none after go-live.
    record(&mut lead, stopped, comparison(24, 0.0)).await;
    let patched = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{id}"),
            Some(
                json!({"indicators": [{"indicator_id": target, "direction": "increase",
                                          "control_indicator_id": stopped}]}),
            ),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let left_out = first_estimate(&mut lead, &format!("/api/v1/initiatives/{id}/effects")).await;
    assert_eq!(left_out["used_control"], false);
    assert_eq!(left_out["post_periods"], 12, "no own measurement dropped");
    assert_eq!(left_out["warnings"], json!(["control_incomplete"]));
    assert_eq!(left_out["average"], alone["average"]);

    // Linking the comparison series as an expected effect on the edit
    // form drops it as a comparison instead of blocking the form.
    let relinked = lead
        .post_form(
            &format!("/initiatives/{id}/edit"),
            &[
                ("kind", "service_improvement"),
                ("title", "Nieuwe titel"),
                ("go_live_on", "2024-01-01"),
                (&format!("effect_{target}"), "increase"),
                (&format!("effect_{stopped}"), "increase"),
            ],
        )
        .await;
    assert_eq!(relinked.status, StatusCode::SEE_OTHER, "{}", relinked.body);
    let relinked = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert_eq!(relinked["indicators"].as_array().unwrap().len(), 2);
    assert!(relinked["indicators"][0]["control_indicator_id"].is_null());
    lead.api(
        Method::PATCH,
        &format!("/api/v1/initiatives/{id}"),
        Some(
            json!({"indicators": [{"indicator_id": target, "direction": "increase",
                                      "control_indicator_id": control}]}),
        ),
    )
    .await;

    // Choosing none again.
    let cleared = lead
        .post_form(&format!("/initiatives/{id}/comparisons"), &[(&field, "")])
        .await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    let plain = first_estimate(&mut lead, &format!("/api/v1/initiatives/{id}/effects")).await;
    assert!(plain["control_indicator_id"].is_null());
    assert_eq!(plain["average"], alone["average"]);

    // Beta sees none of it and cannot choose for alpha.
    let foreign_page = beta
        .post_form(
            &format!("/initiatives/{id}/comparisons"),
            &[(&field, &control.to_string())],
        )
        .await;
    assert_eq!(foreign_page.status, StatusCode::NOT_FOUND);
    let viewer_try = {
        let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
        viewer
            .post_form(
                &format!("/initiatives/{id}/comparisons"),
                &[(&field, &control.to_string())],
            )
            .await
    };
    assert_eq!(viewer_try.status, StatusCode::FORBIDDEN);
    let still = lead.get(&format!("/api/v1/initiatives/{id}")).await.json();
    assert!(still["indicators"][0]["control_indicator_id"].is_null());
}
