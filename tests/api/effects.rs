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
    app.two_organisations().await;
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

    // New measurements refresh the kept estimate.
    record(&mut lead, indicator, measurements(36)).await;
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
