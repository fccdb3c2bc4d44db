//! The idea platform around the ideas: comments, moderation, posting
//! limits, campaigns, notifications (in-app and by mail), what became of a
//! promoted idea, and the platform's own figures as indicators.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app, spawn_app_with};
use crate::mail_sink::MailSink;

fn idea(title: &str) -> Value {
    json!({"title": title, "problem": "Formulieren worden twee keer ingevuld.",
           "proposal": "Vul bekende gegevens vooraf in."})
}

#[tokio::test]
async fn comments_are_checked_and_a_moderator_hides_ideas_and_comments_with_a_reason() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let id = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Vooraf invullen")))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let comments = format!("/api/v1/ideas/{id}/comments");
    let mut colleague = app.login("hr@alpha.test", PASSWORD).await;
    for body in [json!({"body": "  "}), json!({"body": "x".repeat(2001)})] {
        let bad = colleague.api(Method::POST, &comments, Some(body)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        assert_eq!(bad.error_names(), ["body"]);
    }
    assert_eq!(app.count("idea_comments").await, 0);
    let posted = colleague
        .api(
            Method::POST,
            &comments,
            Some(json!({"body": "<script>alert(1)</script> Goed plan"})),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    let comment = posted.json()["id"].as_i64().unwrap();
    // Viewers read along but do not comment.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    assert_eq!(
        viewer
            .api(Method::POST, &comments, Some(json!({"body": "x"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // User text is escaped on the page.
    let page = viewer.get(&format!("/ideas/{id}")).await;
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62; Goed plan")
    );
    assert!(!page.body.contains("<script>alert(1)"));

    // Only moderators hide, and only with a reason.
    let hide_comment = format!("/api/v1/ideas/{id}/comments/{comment}/hidden");
    assert_eq!(
        author
            .api(Method::PUT, &hide_comment, Some(json!({"reason": "x"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let no_reason = lead
        .api(Method::PUT, &hide_comment, Some(json!({"reason": ""})))
        .await;
    assert_eq!(no_reason.error_names(), ["reason"]);
    let hidden = lead
        .api(
            Method::PUT,
            &hide_comment,
            Some(json!({"reason": "Hoort hier niet"})),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
    // Colleagues see that it was hidden, not what it said nor why; its
    // author sees both.
    let seen = viewer.get(&comments).await.json();
    assert_eq!(seen[0]["hidden"], true);
    assert_eq!(seen[0]["body"], "");
    assert!(seen[0]["hidden_reason"].is_null());
    let own = colleague.get(&comments).await.json();
    assert_eq!(own[0]["hidden_reason"], "Hoort hier niet");
    assert!(own[0]["body"].as_str().unwrap().contains("Goed plan"));
    assert!(
        !viewer
            .get(&format!("/ideas/{id}"))
            .await
            .body
            .contains("Goed plan")
    );
    // A comment of another idea is not found under this one.
    let other = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Ander idee")))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        lead.api(
            Method::DELETE,
            &format!("/api/v1/ideas/{other}/comments/{comment}/hidden"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Hiding the idea: gone for colleagues (page, list, support), kept for
    // its author with the reason; the audit log keeps who and why.
    let hide_idea = format!("/api/v1/ideas/{id}/hidden");
    let done = lead
        .api(Method::PUT, &hide_idea, Some(json!({"reason": "Dubbel"})))
        .await;
    assert_eq!(done.json()["hidden"], true);
    assert_eq!(
        viewer.get(&format!("/api/v1/ideas/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        viewer.get(&format!("/ideas/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        colleague
            .api(Method::PUT, &format!("/api/v1/ideas/{id}/support"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(viewer.get("/api/v1/ideas").await.json()["total"], 1);
    let mine = author.get(&format!("/api/v1/ideas/{id}")).await.json();
    assert_eq!(mine["hidden_reason"], "Dubbel");
    assert!(
        author
            .get(&format!("/ideas/{id}"))
            .await
            .body
            .contains("id=\"idea-hidden\"")
    );
    assert_eq!(lead.get("/api/v1/ideas").await.json()["total"], 2);
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let audit = admin
        .get("/api/v1/audit-events?entity_type=idea&action=hide")
        .await
        .json();
    assert_eq!(audit["total"], 1, "{audit}");
    assert!(audit["items"][0]["changes"].to_string().contains("Dubbel"));
    // Shown again.
    let shown = lead.api(Method::DELETE, &hide_idea, None).await.json();
    assert_eq!(shown["hidden"], false);
    assert_eq!(
        viewer.get(&format!("/api/v1/ideas/{id}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn posting_is_limited_per_hour_with_a_clear_answer() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    for n in 0..5 {
        let made = author
            .api(
                Method::POST,
                "/api/v1/ideas",
                Some(idea(&format!("Idee {n}"))),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED);
        app.clock.advance(time::Duration::minutes(10));
    }
    let refused = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Nog een")))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(refused.header("content-type"), "application/problem+json");
    // The first of the five leaves the window 50 minutes after it came.
    assert_eq!(refused.header("retry-after"), "600");
    assert_eq!(refused.json()["title"], "Te veel berichten");
    assert_eq!(app.count("ideas").await, 5);
    // A colleague is not held back; after the window the author may again.
    let mut colleague = app.login("hr@alpha.test", PASSWORD).await;
    assert_eq!(
        colleague
            .api(Method::POST, "/api/v1/ideas", Some(idea("Van een ander")))
            .await
            .status,
        StatusCode::CREATED
    );
    app.clock.advance(time::Duration::minutes(11));
    assert_eq!(
        author
            .api(Method::POST, "/api/v1/ideas", Some(idea("Nog een")))
            .await
            .status,
        StatusCode::CREATED
    );
    // Comments have their own limit.
    let id = author.get("/api/v1/ideas").await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/ideas/{id}/comments");
    for _ in 0..30 {
        let posted = colleague
            .api(Method::POST, &path, Some(json!({"body": "Eens"})))
            .await;
        assert_eq!(posted.status, StatusCode::CREATED);
    }
    let refused = colleague
        .api(Method::POST, &path, Some(json!({"body": "Eens"})))
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("idea_comments").await, 30);
}

#[tokio::test]
async fn campaigns_run_for_a_period_and_ideas_answer_only_open_ones() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(json!({"title": "", "opens_on": "2026-12-01", "closes_on": "2026-11-01", "owner_id": 999_999})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_names(), ["title", "closes_on"]);
    let unknown_owner = lead
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(json!({"title": "Balie", "opens_on": "2026-11-01", "closes_on": "2026-12-31", "owner_id": 999_999})),
        )
        .await;
    assert_eq!(unknown_owner.error_codes(), ["unknown_member"]);
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    assert_eq!(
        employee
            .api(
                Method::POST,
                "/api/v1/idea-campaigns",
                Some(
                    json!({"title": "Balie", "opens_on": "2026-11-01", "closes_on": "2026-12-31"})
                )
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let open = lead
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(
                json!({"title": "Slimmer aan de balie", "description": "Wat kan sneller?",
                        "opens_on": "2026-11-01", "closes_on": "2026-12-31"}),
            ),
        )
        .await;
    assert_eq!(open.status, StatusCode::CREATED, "{}", open.body);
    let open = open.json();
    assert_eq!(open["status"], "open");
    let open_id = open["id"].as_i64().unwrap();
    let planned = lead
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(json!({"title": "Later", "opens_on": "2027-01-01", "closes_on": "2027-02-01"})),
        )
        .await
        .json();
    assert_eq!(planned["status"], "planned");
    let again = lead
        .api(
            Method::POST,
            "/api/v1/idea-campaigns",
            Some(json!({"title": "Later", "opens_on": "2027-01-01", "closes_on": "2027-02-01"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The start page invites everyone while it is open.
    let start = employee.get("/").await.body;
    assert!(start.contains("id=\"open-campaigns\""));
    assert!(start.contains("Slimmer aan de balie"));
    assert!(!start.contains(">Later<"));

    let mut answer = idea("Afspraak online");
    answer["campaign_id"] = json!(open_id);
    let made = employee
        .api(Method::POST, "/api/v1/ideas", Some(answer.clone()))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    answer["campaign_id"] = planned["id"].clone();
    let refused = employee
        .api(Method::POST, "/api/v1/ideas", Some(answer))
        .await;
    assert_eq!(refused.error_codes(), ["campaign_not_open"]);
    let listed = employee
        .get(&format!("/api/v1/ideas?campaign={open_id}"))
        .await
        .json();
    assert_eq!(listed["total"], 1);
    assert_eq!(
        lead.get(&format!("/api/v1/idea-campaigns/{open_id}"))
            .await
            .json()["idea_count"],
        1
    );

    // Closed early: gone from the start page.
    let closed = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/idea-campaigns/{open_id}"),
            Some(json!({"closes_on": "2026-11-20"})),
        )
        .await
        .json();
    assert_eq!(closed["status"], "closed");
    assert!(
        !employee
            .get("/")
            .await
            .body
            .contains("id=\"open-campaigns\"")
    );

    // The pages: a form error beside its field; a campaign started.
    let page = lead
        .post_form(
            "/ideas/campaigns",
            &[
                ("title", "Papierloos"),
                ("opens_on", "2026-11-01"),
                ("closes_on", "2026-10-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("id=\"closes_on-error\""),
        "{}",
        page.body
    );
    let page = lead
        .post_form(
            "/ideas/campaigns",
            &[
                ("title", "Papierloos"),
                ("opens_on", "2026-11-01"),
                ("closes_on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        lead.get("/ideas/campaigns")
            .await
            .body
            .contains("Papierloos")
    );
}

#[tokio::test]
async fn state_changes_notify_author_and_supporters_in_the_app_and_by_mail() {
    let sink = MailSink::start().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(sink.url.clone())).await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let id = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Meldingen")))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut supporter = app.login("hr@alpha.test", PASSWORD).await;
    supporter
        .api(Method::PUT, &format!("/api/v1/ideas/{id}/support"), None)
        .await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    // The lead supports too, and is the one who decides: not told.
    lead.api(Method::PUT, &format!("/api/v1/ideas/{id}/support"), None)
        .await;
    let triaged = lead
        .api(
            Method::POST,
            &format!("/api/v1/ideas/{id}/triage"),
            Some(json!({"state": "accepted"})),
        )
        .await;
    assert_eq!(triaged.status, StatusCode::OK, "{}", triaged.body);

    for (client, expected) in [(&mut author, 1), (&mut supporter, 1), (&mut lead, 0)] {
        let list = client.get("/api/v1/notifications").await.json();
        assert_eq!(list["total"], expected, "{list}");
    }
    let list = author.get("/api/v1/notifications").await.json();
    assert_eq!(list["items"][0]["kind"], "idea_state");
    assert_eq!(list["items"][0]["idea_id"], id);
    assert_eq!(list["items"][0]["read"], false);
    assert!(
        list["items"][0]["text"]
            .as_str()
            .unwrap()
            .contains("„Meldingen”")
    );
    // The header counts it; reading the idea reads the notification.
    let start = author.get("/").await.body;
    assert!(start.contains("id=\"notifications-link\""));
    assert!(start.contains("<span class=\"koers-count\">1"));
    let page = author.get(&format!("/ideas/{id}")).await.body;
    assert!(!page.contains("<span class=\"koers-count\">"));
    assert_eq!(
        author.get("/api/v1/notifications?unread=true").await.json()["total"],
        0
    );

    // Promotion is news too; the supporter marks it read by hand.
    lead.api(
        Method::POST,
        &format!("/api/v1/ideas/{id}/initiative"),
        None,
    )
    .await;
    let unread = supporter
        .get("/api/v1/notifications?unread=true")
        .await
        .json();
    assert_eq!(unread["total"], 2, "{unread}");
    let first = unread["items"][0]["id"].as_i64().unwrap();
    assert_eq!(unread["items"][0]["kind"], "idea_promoted");
    let read = supporter
        .api(
            Method::PUT,
            &format!("/api/v1/notifications/{first}/read"),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    // Someone else's notification is not found.
    assert_eq!(
        author
            .api(
                Method::PUT,
                &format!("/api/v1/notifications/{first}/read"),
                None
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let all = supporter
        .api(Method::POST, "/api/v1/notifications/read", None)
        .await
        .json();
    assert_eq!(all["marked"], 1);

    // By mail, in each person's language, once per change, not to the
    // lead who made it.
    let mut mails = Vec::new();
    for _ in 0..50 {
        mails = sink.messages();
        if mails.len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        [
            "employee@alpha.test",
            "employee@alpha.test",
            "hr@alpha.test",
            "hr@alpha.test"
        ]
    );
    assert!(
        mails
            .iter()
            .all(|m| m.data.contains(&format!("/ideas/{id}")))
    );
    assert!(mails.iter().any(|m| m.data.contains("Aangenomen")));
}

#[tokio::test]
async fn the_idea_page_shows_what_became_of_it_and_the_figures_become_indicators() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let mut unit_admin = app.login("admin@alpha.test", PASSWORD).await;
    let units = unit_admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Balie"})),
        )
        .await
        .json();
    let mut ids = Vec::new();
    for n in 0..3 {
        let mut body = idea(&format!("Figuur {n}"));
        if n < 2 {
            body["unit_id"] = units["id"].clone();
        }
        ids.push(
            author
                .api(Method::POST, "/api/v1/ideas", Some(body))
                .await
                .json()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    app.clock.advance(time::Duration::days(4));
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    for (id, state) in [(ids[0], "accepted"), (ids[1], "declined")] {
        let done = lead
            .api(
                Method::POST,
                &format!("/api/v1/ideas/{id}/triage"),
                Some(json!({"state": state, "reason": "Past niet"})),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    lead.api(
        Method::POST,
        &format!("/api/v1/ideas/{}/initiative", ids[0]),
        None,
    )
    .await;
    let page = author.get(&format!("/ideas/{}", ids[0])).await.body;
    assert!(page.contains("id=\"became-heading\""));
    assert!(page.contains("id=\"idea-no-effect\""));

    let figures = author.get("/api/v1/idea-figures").await.json();
    let quarter = &figures["quarters"][0];
    assert_eq!(quarter["period"], "2026-Q4");
    assert_eq!(quarter["posted"], 3);
    assert_eq!(quarter["promoted"], 1);
    assert!((quarter["promoted_share"].as_f64().unwrap() - 33.333).abs() < 0.01);
    assert_eq!(quarter["decided"], 2);
    assert_eq!(quarter["median_days_to_decision"], 4.0);
    assert_eq!(quarter["per_unit"].as_array().unwrap().len(), 2);

    // Recording needs the right to manage indicators.
    assert_eq!(
        author
            .api(Method::POST, "/api/v1/idea-figures/indicators", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let recorded = admin
        .api(Method::POST, "/api/v1/idea-figures/indicators", None)
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    let recorded = recorded.json();
    assert_eq!(recorded.as_array().unwrap().len(), 3);
    assert_eq!(recorded[0]["code"], "IDEEEN");
    assert_eq!(recorded[0]["created"], true);
    // The total and one value per unit (and one without a unit).
    assert_eq!(recorded[0]["measurements"]["created"], 3);
    let posted_id = recorded[0]["indicator_id"].as_i64().unwrap();
    let indicator = admin
        .get(&format!("/api/v1/indicators/{posted_id}"))
        .await
        .json();
    assert_eq!(indicator["frequency"], "quarter");
    assert_eq!(indicator["dimensions"][0]["name"], "eenheid");
    let decision = &recorded[2];
    assert_eq!(decision["code"], "IDEEEN_BESLISTIJD");
    assert_eq!(decision["measurements"]["created"], 1);
    // Again: nothing new, nothing changed; a new unit widens the breakdown.
    let again = admin
        .api(Method::POST, "/api/v1/idea-figures/indicators", None)
        .await
        .json();
    assert_eq!(again[0]["created"], false);
    assert_eq!(again[0]["measurements"]["unchanged"], 3);
    let other = admin
        .api(
            Method::POST,
            "/api/v1/units",
            Some(json!({"name": "Loket"})),
        )
        .await
        .json();
    let mut body = idea("Nieuwe eenheid");
    body["unit_id"] = other["id"].clone();
    author.api(Method::POST, "/api/v1/ideas", Some(body)).await;
    let widened = admin
        .api(Method::POST, "/api/v1/idea-figures/indicators", None)
        .await;
    assert_eq!(widened.status, StatusCode::OK, "{}", widened.body);
    let widened = widened.json();
    assert_eq!(widened[0]["measurements"]["updated"], 1);
    assert_eq!(widened[0]["measurements"]["created"], 1);
    let indicator = admin
        .get(&format!("/api/v1/indicators/{posted_id}"))
        .await
        .json();
    assert_eq!(
        indicator["dimensions"][0]["values"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The figures page lists them.
    let page = admin.get("/ideas/figures").await.body;
    assert!(page.contains("id=\"figure-indicators\""));
    assert!(page.contains("Gedeelde ideeën"));
}

#[tokio::test]
async fn a_figure_code_taken_by_another_indicator_is_a_conflict() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let made = admin
        .api(
            Method::POST,
            "/api/v1/indicators",
            Some(
                json!({"code": "IDEEEN", "name": "Iets anders", "unit": "euro",
                        "direction": "higher_is_better", "frequency": "month"}),
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let indicators = app.count("indicators").await;
    let refused = admin
        .api(Method::POST, "/api/v1/idea-figures/indicators", None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_codes(), ["figure_code_in_use"]);
    assert_eq!(app.count("indicators").await, indicators);
}
