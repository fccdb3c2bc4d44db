//! Measurement imports from spreadsheets: XLSX through the API, and the
//! upload page with its preview and confirmation.

use axum::http::{Method, StatusCode};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};
use crate::indicators::{admin, define, web_success};

/// A workbook as a Dutch office saves it: a date cell for the month, real
/// numbers, and one text where a number belongs on row 4.
fn workbook(bad_row: bool) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd-mm-jjjj");
    for (column, header) in ["Indicator", "Periode", "Waarde", "Toelichting"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let rows = [(2026, 9, 70.5), (2026, 10, 72.25)];
    for (index, (year, month, value)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, "WEB-SUCCESS").unwrap();
        let day = ExcelDateTime::from_ymd(*year, *month, 1).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &day, &date)
            .unwrap();
        sheet.write_number(row, 2, *value).unwrap();
    }
    sheet.write_string(2, 3, "na livegang").unwrap();
    if bad_row {
        sheet.write_string(3, 0, "WEB-SUCCESS").unwrap();
        sheet.write_string(3, 1, "2026-11").unwrap();
        sheet.write_string(3, 2, "veel").unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_workbook_imports_with_date_cells_and_names_its_bad_row() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let token = admin.csrf_token().await;
    let refused = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some(xlsx),
            workbook(true),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        refused.errors(),
        [("rows[4].value".into(), "number".into())]
    );
    assert_eq!(app.count("measurements").await, 0, "nothing half-written");

    let done = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some(xlsx),
            workbook(false),
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let report = done.json();
    assert_eq!(report["created"], 2);
    assert_eq!(
        report["changes"][1],
        json!({"row": 3, "indicator": "WEB-SUCCESS", "period": "2026-10", "dimensions": {}, "value": 72.25, "previous_value": null})
    );
    let id = admin.get("/api/v1/indicators").await.json()["items"][0]["id"].clone();
    let history = admin
        .get(&format!("/api/v1/indicators/{id}/measurements"))
        .await
        .json();
    assert_eq!(history["items"][0]["note"], "na livegang");
    assert_eq!(history["items"][0]["source"], "import");
}

#[tokio::test]
async fn the_upload_page_previews_then_imports_on_confirmation() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    let mut recorder = app.login("programme_lead@alpha.test", PASSWORD).await;
    let form = recorder.get("/indicators/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        form.body
            .contains("<label class=\"utrecht-form-label\" for=\"file\">")
    );

    let file = "indicator;periode;waarde\nWEB-SUCCESS;2026-10;72,5\nWEB-SUCCESS;2026-11;73\n";
    let preview = recorder
        .post_file("/indicators/import", true, "metingen.csv", file.as_bytes())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("metingen.csv: 2 regels. 2 nieuwe waarden"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("72,5"), "values shown the Dutch way");
    assert_eq!(
        app.count("measurements").await,
        0,
        "a preview writes nothing"
    );
    let action_start = preview.body.find("action=\"/indicators/import/").unwrap();
    let action: String = preview.body[action_start + 8..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();

    // Nobody else can confirm this upload, not even an admin of the same
    // organisation, and certainly not another organisation.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("measurements").await, 0);

    let confirmed = recorder.post_form(&action, &[]).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    assert_eq!(app.count("measurements").await, 2);
    let list = recorder.get("/indicators").await;
    assert!(list.body.contains("De metingen zijn geïmporteerd."));
    assert_eq!(
        recorder.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND,
        "an upload imports once"
    );
}

#[tokio::test]
async fn a_bad_upload_lists_every_problem_by_row_and_column() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    let file = "indicator;periode;waarde\nWEB-SUCCESS;2026-10;72,5\nWEB-SUCCESS;2026-11;veel\nONBEKEND;2026-11;1\n";
    let refused = admin
        .post_file("/indicators/import", true, "fout.csv", file.as_bytes())
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let body = &refused.body;
    assert!(body.contains("2 probleem/problemen"), "{body}");
    assert!(
        body.contains("<td class=\"utrecht-table__cell\">3</td>\n        <td class=\"utrecht-table__cell\">waarde</td>"),
        "{body}"
    );
    assert!(body.contains("Vul een getal in"), "{body}");
    assert_eq!(app.count("measurement_uploads").await, 0);
    assert_eq!(app.count("measurements").await, 0);

    let empty = admin
        .post_file("/indicators/import", true, "leeg.csv", b"")
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("id=\"file-error\""), "{}", empty.body);

    // An upload without the anti-forgery token is refused before reading.
    let forged = admin
        .post_file("/indicators/import", false, "metingen.csv", file.as_bytes())
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Viewers cannot import.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    assert_eq!(
        viewer.get("/indicators/import").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_export_imports_again_unchanged_in_both_formats() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let created = define(&mut admin, web_success()).await;
    let id = created["id"].clone();
    admin
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{id}/measurements"),
            Some(json!({"measurements": [
                {"period": "2026-09", "value": 70.5, "note": "na livegang; eerste maand"},
                {"period": "2026-10", "value": 72.25}
            ]})),
        )
        .await;

    let csv = admin
        .get(&format!("/api/v1/indicators/{id}/export?format=csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .contains("filename=\"web-success.csv\"")
    );
    assert_eq!(
        csv.body,
        "\u{feff}indicator;periode;waarde;toelichting\nWEB-SUCCESS;2026-09;70,5;\"na livegang; eerste maand\"\nWEB-SUCCESS;2026-10;72,25;\n"
    );
    let token = admin.csrf_token().await;
    let again = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some("text/csv"),
            csv.body.into_bytes(),
            &[("x-csrf-token", &token)],
        )
        .await
        .json();
    assert_eq!(
        (again["unchanged"].clone(), again["created"].clone()),
        (json!(2), json!(0))
    );

    let xlsx = admin
        .send(
            Method::GET,
            &format!("/indicators/{id}/export?format=xlsx"),
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.header("content-type").contains("spreadsheetml"));
    let token = admin.csrf_token().await;
    let from_excel = admin
        .send(
            Method::POST,
            "/api/v1/measurement-imports",
            Some("application/octet-stream"),
            xlsx.bytes,
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(from_excel.status, StatusCode::OK, "{}", from_excel.body);
    assert_eq!(from_excel.json()["unchanged"], 2, "{}", from_excel.body);

    let bad = admin
        .get(&format!("/api/v1/indicators/{id}/export?format=pdf"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.get(&format!("/api/v1/indicators/{id}/export"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        beta.get(&format!("/indicators/{id}/export")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_import_audits_one_summary_per_indicator_and_every_changed_value() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    let token = admin.csrf_token().await;
    let mut import = async |file: &str| {
        admin
            .send(
                Method::POST,
                "/api/v1/measurement-imports",
                Some("text/csv"),
                file.as_bytes().to_vec(),
                &[("x-csrf-token", &token)],
            )
            .await
            .json()
    };
    let before = app.audit_count().await;
    let first = import("indicator;periode;waarde\nWEB-SUCCESS;2026-08;70\nWEB-SUCCESS;2026-09;71\nWEB-SUCCESS;2026-10;72\n").await;
    assert_eq!(first["created"], 3);
    assert_eq!(app.audit_count().await, before + 1, "one summary event");
    let second =
        import("indicator;periode;waarde\nWEB-SUCCESS;2026-09;71\nWEB-SUCCESS;2026-10;74,5\n")
            .await;
    assert_eq!(
        (second["unchanged"].clone(), second["updated"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        app.audit_count().await,
        before + 2,
        "one event for the changed value"
    );
    let log = admin
        .get("/api/v1/audit-events?entity_type=measurement&action=update")
        .await
        .json();
    assert_eq!(log["items"][0]["changes"]["before"]["value"], 72.0);
    assert_eq!(log["items"][0]["changes"]["after"]["value"], 74.5);
    let summary = admin
        .get("/api/v1/audit-events?entity_type=measurements&action=import")
        .await
        .json();
    assert_eq!(summary["items"][0]["changes"]["after"]["created"], 3);
    assert_eq!(summary["items"][0]["changes"]["after"]["from"], "2026-08");
}

#[tokio::test]
async fn an_upload_left_unconfirmed_for_a_day_is_removed() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    define(&mut admin, web_success()).await;
    let file = b"indicator;periode;waarde\nWEB-SUCCESS;2026-10;72\n";
    let first = admin
        .post_file("/indicators/import", true, "oud.csv", file)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let start = first.body.find("action=\"/indicators/import/").unwrap();
    let action: String = first.body[start + 8..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    app.clock.advance(time::Duration::hours(25));
    // The session has timed out by now too.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    admin
        .post_file("/indicators/import", true, "nieuw.csv", file)
        .await;
    assert_eq!(
        app.count("measurement_uploads").await,
        1,
        "the stale one is gone"
    );
    assert_eq!(
        admin.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("measurements").await, 0);
}
