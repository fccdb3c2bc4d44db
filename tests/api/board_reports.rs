//! Board reports: made for a period, kept unchanged, shown as data, HTML
//! and PDF, compared with the one before; rights and other organisations.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::indicators::{define, web_success};

/// The text of every page of a PDF, and how many pages it has.
fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF lopdf can read");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap_or_default();
    (pages.len(), text)
}

/// What a reader sees of a report, without the charts' markup: enough to
/// notice when a section, sentence or figure changes.
fn outline(report: &Value) -> Value {
    let sections: Vec<Value> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let blocks: Vec<String> = s["blocks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| match b["kind"].as_str().unwrap() {
                    "table" => format!(
                        "table: {} ({} rows) {}",
                        b["caption"].as_str().unwrap(),
                        b["rows"].as_array().unwrap().len(),
                        b["rows"][0]
                    ),
                    "chart" => format!(
                        "chart: {} — {}",
                        b["title"].as_str().unwrap(),
                        b["description"].as_str().unwrap()
                    ),
                    "warnings" => format!("warnings: {}", b["items"]),
                    kind => format!("{kind}: {}", b["text"].as_str().unwrap()),
                })
                .collect();
            json!({"title": s["title"], "missing": s["missing"], "blocks": blocks})
        })
        .collect();
    json!({
        "title": report["title"], "organisation": report["organisation"],
        "period": report["period"], "period_label": report["period_label"],
        "from": report["from"], "to": report["to"], "as_of": report["as_of"],
        "summary": report["summary"], "figures": report["figures"], "sections": sections,
    })
}

async fn alpha(app: &TestApp) -> crate::helpers::Client {
    app.two_organisations().await;
    app.login("executive@alpha.test", PASSWORD).await
}

#[tokio::test]
async fn the_demo_organisations_report_answers_the_boards_questions_in_every_format() {
    let app = spawn_app().await;
    assert!(koers::demo::load(&app.state).await.unwrap());
    let mut executive = app
        .login(
            &koers::demo::email_for(koers::domain::Role::Executive),
            koers::demo::PASSWORD,
        )
        .await;
    let made = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-Q3", "language": "nl"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    let content = &made["content"];
    let keys: Vec<&str> = content["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "governance",
            "ambitions",
            "effects",
            "portfolio",
            "skills",
            "surveys",
            "ideas",
            "decisions",
            "warnings"
        ]
    );
    // The demo has data for every module: no section is missing.
    for section in content["sections"].as_array().unwrap() {
        assert!(section["missing"].is_null(), "{section}");
    }
    assert_eq!(content["period_label"], "3e kwartaal 2026");
    assert_eq!(content["as_of"], "2026-09-30");
    insta::assert_json_snapshot!("demo_board_report_outline", outline(content));

    let id = made["id"].as_i64().unwrap();
    let pdf = executive
        .get(&format!("/api/v1/board-reports/{id}/document?format=pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.header("content-disposition").contains(".pdf"));
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let (pages, text) = pdf_text(&pdf.bytes);
    assert!(
        pages >= 8,
        "a title page, contents and one page per section: {pages}"
    );
    for expected in [
        "Bestuursrapportage",
        "Samenvatting",
        "Inhoud",
        "Sturing",
        "Voorbeeldstad",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the PDF text"
        );
    }
    assert!(
        String::from_utf8_lossy(&pdf.bytes).contains("/StructTreeRoot"),
        "a tagged PDF"
    );

    let html = executive.get(&format!("/reports/{id}/report.html")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.header("content-type").starts_with("text/html"));
    assert!(html.body.starts_with("<!DOCTYPE html>"));
    assert!(html.body.contains("<html lang=\"nl\">"));
    assert!(html.body.contains("@media print"));
    assert!(html.body.contains("<svg"), "the charts are in the file");
    assert!(!html.body.contains("<script"), "no script in the document");

    // The page shows the same report with its downloads.
    let page = executive.get(&format!("/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/reports/{id}/report.pdf")));
    assert!(page.body.contains("id=\"report-governance\""));
}

#[tokio::test]
async fn an_empty_organisations_report_says_plainly_what_is_missing() {
    let app = spawn_app().await;
    let mut executive = alpha(&app).await;
    let made = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-10", "language": "en"})),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let content = made.json()["content"].clone();
    assert_eq!(content["period_label"], "October 2026");
    assert_eq!(content["from"], "2026-10-01");
    assert_eq!(content["to"], "2026-10-31");
    let missing: Vec<&str> = content["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["missing"].is_null())
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "governance",
            "ambitions",
            "effects",
            "portfolio",
            "skills",
            "surveys",
            "ideas",
            "decisions"
        ]
    );
    let summary = content["summary"].to_string();
    assert!(
        summary.contains("No indicators are on record yet"),
        "{summary}"
    );
    // A year still running is read as of today.
    let year = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026"})),
        )
        .await
        .json();
    assert_eq!(year["content"]["as_of"], "2026-11-27");
    assert_eq!(year["language"], "nl", "the caller's language by default");
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_kept() {
    let app = spawn_app().await;
    let mut executive = alpha(&app).await;
    let audit = app.audit_count().await;
    for (body, expected) in [
        (json!({}), vec![("period", "required")]),
        (
            json!({"period": "2026-W40", "language": "de"}),
            vec![("period", "period_format"), ("language", "unknown_choice")],
        ),
        (
            json!({"period": "2027-Q1"}),
            vec![("period", "report_period_future")],
        ),
    ] {
        let refused = executive
            .api(Method::POST, "/api/v1/board-reports", Some(body))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(
            refused.errors(),
            expected
                .iter()
                .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(app.count("board_reports").await, 0);
    assert_eq!(app.audit_count().await, audit);
    // The page puts the message beside the field.
    let page = executive
        .post_form(
            "/reports",
            &[("period", "volgend jaar"), ("language", "nl")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("id=\"period-error\""), "{}", page.body);
    assert!(page.body.contains("value=\"volgend jaar\""));
    assert_eq!(app.count("board_reports").await, 0);
}

#[tokio::test]
async fn a_report_never_changes_and_the_next_one_shows_what_moved() {
    let app = spawn_app().await;
    let mut executive = alpha(&app).await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let first = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-Q3"})),
        )
        .await
        .json();
    let first_id = first["id"].as_i64().unwrap();
    let none = executive
        .get(&format!("/api/v1/board-reports/{first_id}/comparison"))
        .await
        .json();
    assert_eq!(none, json!({"previous": null, "comparison": null}));

    // An indicator with a name that must stay text everywhere.
    let mut body = web_success();
    body["name"] = json!("<script>alert(1)</script> Webformulieren");
    let indicator = define(&mut admin, body).await;
    let path = format!("/api/v1/indicators/{}/measurements", indicator["id"]);
    let recorded = admin
        .api(
            Method::POST,
            &path,
            Some(json!({"measurements": [{"period": "2026-08", "value": 64.0}, {"period": "2026-09", "value": 66.0}]})),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);

    // The first report is as it was: same content, same fingerprint.
    let again = executive
        .get(&format!("/api/v1/board-reports/{first_id}"))
        .await
        .json();
    assert_eq!(again["content"], first["content"]);
    assert_eq!(again["content_sha256"], first["content_sha256"]);
    let refused = app
        .execute(&format!(
            "UPDATE board_reports SET period = '2020' WHERE id = {first_id}"
        ))
        .await;
    assert!(refused.is_err(), "the database refuses to change a report");

    let second = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-Q3"})),
        )
        .await
        .json();
    let second_id = second["id"].as_i64().unwrap();
    assert_ne!(second["content_sha256"], first["content_sha256"]);
    let compared = executive
        .get(&format!("/api/v1/board-reports/{second_id}/comparison"))
        .await
        .json();
    assert_eq!(compared["previous"]["id"], first_id);
    let statuses = compared["comparison"]["statuses"].as_array().unwrap();
    assert_eq!(statuses.len(), 1, "{compared}");
    assert_eq!(statuses[0]["code"], "WEB-SUCCESS");
    assert!(statuses[0]["before"].is_null(), "a new indicator");

    // User text is escaped in the page and the HTML document.
    let page = executive.get(&format!("/reports/{second_id}")).await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(
        page.body.contains("&#60;script&#62;alert(1)"),
        "escaped on the page"
    );
    let html = executive
        .get(&format!(
            "/api/v1/board-reports/{second_id}/document?format=html"
        ))
        .await;
    assert!(!html.body.contains("<script>alert(1)"));
    // In the PDF it is plain text.
    let pdf = executive
        .get(&format!("/reports/{second_id}/report.pdf"))
        .await;
    let (_, text) = pdf_text(&pdf.bytes);
    assert!(text.contains("alert(1)"), "{text}");

    let list = executive.get("/api/v1/board-reports").await.json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["id"], second_id);
    assert!(list["items"][0].get("content").is_none());
}

#[tokio::test]
async fn reports_are_for_those_who_may_make_them_and_stay_in_their_organisation() {
    let app = spawn_app().await;
    let mut executive = alpha(&app).await;
    let made = executive
        .api(
            Method::POST,
            "/api/v1/board-reports",
            Some(json!({"period": "2026-Q3"})),
        )
        .await
        .json();
    let id = made["id"].as_i64().unwrap();
    for role in ["unit_lead", "employee", "viewer", "hr"] {
        let mut member = app.login(&format!("{role}@alpha.test"), PASSWORD).await;
        let refused = member
            .api(
                Method::POST,
                "/api/v1/board-reports",
                Some(json!({"period": "2026-Q3"})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
        let read = member.get(&format!("/api/v1/board-reports/{id}")).await;
        assert_eq!(read.status, StatusCode::FORBIDDEN, "{role}");
        let nav = member.get("/").await;
        assert!(!nav.body.contains("href=\"/reports\""), "{role}");
    }
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    assert_eq!(
        lead.get(&format!("/api/v1/board-reports/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    for path in [
        format!("/api/v1/board-reports/{id}"),
        format!("/api/v1/board-reports/{id}/document?format=pdf"),
        format!("/api/v1/board-reports/{id}/comparison"),
        format!("/reports/{id}"),
        format!("/reports/{id}/report.pdf"),
        format!("/reports/{id}/report.html"),
    ] {
        assert_eq!(
            beta.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let theirs = beta.get("/api/v1/board-reports").await.json();
    assert_eq!(theirs["total"], 0);
}
