//! The public dashboard shows published indicators to anyone, and nothing
//! else: not when it is off, not other indicators, not notes or owners, not
//! another organisation's data.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};
use crate::indicators::{admin, define, web_success};

#[tokio::test]
async fn only_published_indicators_of_an_opted_in_organisation_are_public() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let owner = admin.get("/api/v1/me").await.json()["id"].clone();
    let mut public = web_success();
    public["owner_id"] = owner;
    public["data_source"] = json!("Formulierenplatform");
    let shown = define(&mut admin, public).await;
    let hidden = define(
        &mut admin,
        json!({"code": "GEHEIM-KPI", "name": "Interne wachtrij", "unit": "count",
               "direction": "lower_is_better", "frequency": "month"}),
    )
    .await;
    for (id, note) in [
        (&shown["id"], "storing bij leverancier Xyzzy"),
        (&hidden["id"], ""),
    ] {
        admin
            .api(
                Method::POST,
                &format!("/api/v1/indicators/{id}/measurements"),
                Some(json!({"measurements": [{"period": "2026-10", "value": 71.5, "note": note}]})),
            )
            .await;
    }
    admin
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{}/targets", shown["id"]),
            Some(json!({"date": "2027-12-31", "value": 85})),
        )
        .await;
    let published = admin
        .api(
            Method::PATCH,
            &format!("/api/v1/indicators/{}", shown["id"]),
            Some(json!({"published": true})),
        )
        .await;
    assert_eq!(published.json()["published"], true);

    // Off by default: the same 404 as an organisation that does not exist.
    let mut anyone = app.client();
    let off = anyone.get("/p/alpha").await;
    let unknown = anyone.get("/p/bestaat-niet").await;
    assert_eq!(
        (off.status, unknown.status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(off.body, unknown.body);
    assert_eq!(
        anyone.get("/api/v1/public-dashboards/alpha").await.status,
        StatusCode::NOT_FOUND
    );

    let on = admin
        .post_form(
            "/admin/organisation",
            &[
                ("name", "Gemeente Alpha"),
                ("kind", "municipality"),
                ("public_dashboard", "1"),
            ],
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);

    let page = anyone.get("/p/alpha").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Succesratio webformulieren"),
        "{}",
        page.body
    );
    assert!(page.body.contains("71,5"));
    for secret in [
        "GEHEIM-KPI",
        "Interne wachtrij",
        "Xyzzy",
        "admin@alpha.test",
    ] {
        assert!(
            !page.body.contains(secret),
            "{secret} leaked: {}",
            page.body
        );
    }
    let detail = anyone.get("/p/alpha/web-success").await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail
            .body
            .contains("<svg viewBox=\"0 0 720 260\" role=\"img\"")
    );
    assert!(detail.body.contains("Formulierenplatform"));
    assert!(!detail.body.contains("Xyzzy"));
    assert_eq!(
        anyone.get("/p/alpha/GEHEIM-KPI").await.status,
        StatusCode::NOT_FOUND
    );

    let api = anyone.get("/api/v1/public-dashboards/alpha").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let body = api.json();
    assert_eq!(body["indicators"].as_array().unwrap().len(), 1);
    let item = &body["indicators"][0];
    assert_eq!(item["code"], "WEB-SUCCESS");
    assert_eq!(
        item["next_target"],
        json!({"date": "2027-12-31", "value": 85.0})
    );
    for field in ["owner_id", "responsible_unit_id", "id", "note", "published"] {
        assert!(item.get(field).is_none(), "{field} is not public");
    }
    let one = anyone
        .get("/api/v1/public-dashboards/alpha/indicators/WEB-SUCCESS")
        .await
        .json();
    assert_eq!(one["values"], json!([{"period": "2026-10", "value": 71.5}]));
    assert!(!api.body.contains("Xyzzy") && !one.to_string().contains("Xyzzy"));

    // Another organisation's dashboard is its own business: beta has not
    // opted in, and alpha's codes mean nothing under beta's name.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let beta_on = beta
        .post_form(
            "/admin/organisation",
            &[
                ("name", "Provincie Beta"),
                ("kind", "province"),
                ("public_dashboard", "1"),
            ],
        )
        .await;
    assert_eq!(beta_on.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anyone.get("/p/beta/WEB-SUCCESS").await.status,
        StatusCode::NOT_FOUND
    );
    let beta_page = anyone.get("/p/beta").await;
    assert!(
        beta_page.body.contains("nog geen indicatoren gepubliceerd"),
        "{}",
        beta_page.body
    );
    assert!(!beta_page.body.contains("Succesratio"));

    // Unpublishing takes it off at once; switching the dashboard off too.
    admin
        .api(
            Method::PATCH,
            &format!("/api/v1/indicators/{}", shown["id"]),
            Some(json!({"published": false})),
        )
        .await;
    assert!(!anyone.get("/p/alpha").await.body.contains("Succesratio"));
    admin
        .post_form(
            "/admin/organisation",
            &[("name", "Gemeente Alpha"), ("kind", "municipality")],
        )
        .await;
    assert_eq!(anyone.get("/p/alpha").await.status, StatusCode::NOT_FOUND);
}
