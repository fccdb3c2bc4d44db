//! The idea platform: posting, the anonymity option, the edit window, one
//! support per person (also under concurrent requests), bad input and
//! isolation between organisations.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app};

fn idea(title: &str) -> Value {
    json!({"title": title, "problem": "Inwoners bellen drie keer over hun aanvraag.",
           "proposal": "Stuur automatisch een bericht bij elke stap.", "tags": ["Balie"]})
}

#[tokio::test]
async fn an_idea_is_posted_validated_and_changed_only_by_its_author_for_a_day() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let bad = author
        .api(
            Method::POST,
            "/api/v1/ideas",
            Some(json!({"title": "", "problem": "x", "proposal": "", "links": ["javascript:alert(1)"],
                        "unit_id": 999_999})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(bad.error_names(), ["title", "proposal", "links[0]"]);
    let audit = app.audit_count().await;
    let unknown_unit = author
        .api(
            Method::POST,
            "/api/v1/ideas",
            Some(json!({"title": "a", "problem": "b", "proposal": "c", "unit_id": 999_999})),
        )
        .await;
    assert_eq!(unknown_unit.error_codes(), ["unknown_unit"]);
    assert_eq!(app.count("ideas").await, 0);

    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Statusberichten")))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    assert_eq!(made["state"], "new");
    assert_eq!(made["tags"], json!(["balie"]));
    assert_eq!(made["mine"], true);
    assert_eq!(made["author"]["name"], "Test employee");
    assert_eq!(app.audit_count().await, audit + 1);
    let id = made["id"].as_i64().unwrap();
    let path = format!("/api/v1/ideas/{id}");

    // The author changes it; a colleague may not; a viewer posts nothing.
    let changed = author
        .api(
            Method::PATCH,
            &path,
            Some(json!({"title": "Statusberichten per stap"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.json()["problem"], idea("x")["problem"]);
    let mut colleague = app.login("hr@alpha.test", PASSWORD).await;
    assert_eq!(
        colleague
            .api(Method::PATCH, &path, Some(json!({"title": "Van mij"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    assert_eq!(viewer.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        viewer
            .api(Method::POST, "/api/v1/ideas", Some(idea("Kijker")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A day later the text stays as supporters read it.
    app.clock.advance(time::Duration::hours(25));
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let late = author
        .api(Method::PATCH, &path, Some(json!({"title": "Te laat"})))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.error_codes(), ["edit_window_closed"]);

    // Another organisation sees nothing of it.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(beta.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(beta.get("/api/v1/ideas").await.json()["total"], 0);
    assert_eq!(
        beta.api(Method::PUT, &format!("{path}/support"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_hidden_author_is_known_only_to_themselves_triage_and_the_audit_log() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let mut body = idea("Anoniem");
    body["hide_author"] = json!(true);
    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(body))
        .await
        .json();
    let path = format!("/api/v1/ideas/{}", made["id"]);
    assert_eq!(made["author"]["name"], "Test employee");
    let mut colleague = app.login("hr@alpha.test", PASSWORD).await;
    let seen = colleague.get(&path).await;
    assert_eq!(seen.json()["author"], Value::Null);
    assert_eq!(seen.json()["author_hidden"], true);
    assert!(!seen.body.contains("Test employee"), "{}", seen.body);
    let list = colleague.get("/api/v1/ideas").await;
    assert!(!list.body.contains("Test employee"));
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    assert_eq!(
        lead.get(&path).await.json()["author"]["name"],
        "Test employee"
    );
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let log = admin
        .get("/api/v1/audit-events?entity_type=idea&action=create")
        .await
        .json();
    assert!(
        log["items"][0]["changes"]["after"]["author_user_id"].is_number(),
        "{log}"
    );
}

#[tokio::test]
async fn each_person_supports_an_idea_once_also_all_at_once() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Steun")))
        .await
        .json();
    let id = made["id"].as_i64().unwrap();
    let support = format!("/api/v1/ideas/{id}/support");
    assert_eq!(
        author.api(Method::PUT, &support, None).await.error_codes(),
        ["own_idea"]
    );
    // Ten requests of one colleague at once: one support.
    let colleague = app.login("hr@alpha.test", PASSWORD).await;
    let requests = (0..10).map(|_| {
        let mut client = colleague.clone();
        let path = support.clone();
        async move { client.api(Method::PUT, &path, None).await.status }
    });
    let statuses = futures_join(requests).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let mut colleague = colleague;
    let seen = colleague.get(&format!("/api/v1/ideas/{id}")).await.json();
    assert_eq!(seen["supports"], 1);
    assert_eq!(seen["supported"], true);
    assert_eq!(app.count("idea_supports").await, 1);
    // A second person; then the first withdraws (twice changes nothing).
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    assert_eq!(
        lead.api(Method::PUT, &support, None).await.json()["supports"],
        2
    );
    for _ in 0..2 {
        let withdrawn = colleague.api(Method::DELETE, &support, None).await;
        assert_eq!(withdrawn.json()["supports"], 1);
    }
    // Ordered by supports, and searched.
    author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Zonder steun")))
        .await;
    let list = lead.get("/api/v1/ideas?order=supports").await.json();
    assert_eq!(list["items"][0]["title"], "Steun");
    let newest = lead.get("/api/v1/ideas").await.json();
    assert_eq!(newest["items"][0]["title"], "Zonder steun");
    let found = lead.get("/api/v1/ideas?search=zonder%20STEUN").await.json();
    assert_eq!(found["total"], 1);
    let bad = lead.get("/api/v1/ideas?order=random&state=done").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_names(), ["state", "order"]);
}

/// Runs the requests concurrently on this runtime.
async fn futures_join<F: std::future::Future<Output = StatusCode> + Send + 'static>(
    requests: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn the_pages_post_support_and_keep_a_hidden_name_hidden() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let page = author.get("/ideas").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nog geen ideeën."));
    // A bad link and no proposal: messages beside the fields, nothing kept.
    let bad = author
        .post_form(
            "/ideas",
            &[
                ("title", "<script>alert(1)</script>"),
                ("problem", "Lange rijen"),
                ("proposal", ""),
                ("links", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"proposal-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"links-error\""), "{}", bad.body);
    assert!(!bad.body.contains("<script>alert(1)</script>"));
    assert_eq!(app.count("ideas").await, 0);
    let posted = author
        .post_form(
            "/ideas",
            &[
                ("title", "<b>Afspraak</b> online"),
                ("problem", "Lange rijen"),
                ("proposal", "Online plannen"),
                ("tags", "balie, online"),
                ("links", "https://example.org/plan"),
                ("hide_author", "1"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let path = posted.location().to_owned();
    let mine = author.get(&path).await;
    assert!(
        mine.body.contains("&#60;b&#62;Afspraak&#60;/b&#62;"),
        "{}",
        mine.body
    );
    assert!(!mine.body.contains("<b>Afspraak"));
    assert!(mine.body.contains("id=\"edit-idea-heading\""));
    assert!(!mine.body.contains("id=\"support-button\""));

    // A colleague sees no name, and supports it once from the page.
    let mut colleague = app.login("hr@alpha.test", PASSWORD).await;
    let seen = colleague.get(&path).await;
    assert!(seen.body.contains("Naam verborgen"));
    assert!(!seen.body.contains("Test employee"));
    let supported = colleague
        .post_form(&format!("{path}/support"), &[("on", "1")])
        .await;
    assert_eq!(supported.status, StatusCode::SEE_OTHER);
    let seen = colleague.get(&path).await;
    assert!(seen.body.contains("Mijn steun intrekken"), "{}", seen.body);
    let list = colleague.get("/ideas?order=supports&state=new").await;
    assert!(list.body.contains("Naam verborgen"));
    assert!(!list.body.contains("Test employee"));
    // The viewer reads but gets no form.
    let mut viewer = app.login("viewer@alpha.test", PASSWORD).await;
    let read = viewer.get("/ideas").await;
    assert!(!read.body.contains("action=\"/ideas\" novalidate"));
    assert!(
        !viewer
            .get(&path)
            .await
            .body
            .contains("id=\"support-button\"")
    );
}

#[tokio::test]
async fn triage_moves_ideas_as_allowed_and_an_accepted_idea_becomes_one_initiative() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Triage")))
        .await
        .json();
    let id = made["id"].as_i64().unwrap();
    let triage = format!("/api/v1/ideas/{id}/triage");
    // Only those who triage; no reason for declining is refused.
    assert_eq!(
        author
            .api(Method::POST, &triage, Some(json!({"state": "accepted"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let no_reason = lead
        .api(Method::POST, &triage, Some(json!({"state": "declined"})))
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert_eq!(no_reason.error_names(), ["reason"]);
    let bad = lead
        .api(Method::POST, &triage, Some(json!({"state": "new"})))
        .await;
    assert_eq!(bad.error_codes(), ["state_move_not_allowed"]);
    // Declined with a reason the author reads; then looked at again.
    let declined = lead
        .api(
            Method::POST,
            &triage,
            Some(json!({"state": "declined", "reason": "Loopt al via het zaaksysteem."})),
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
    let seen = author.get(&format!("/api/v1/ideas/{id}")).await.json();
    assert_eq!(seen["state"], "declined");
    assert_eq!(seen["state_reason"], "Loopt al via het zaaksysteem.");
    assert_eq!(
        lead.api(Method::POST, &triage, Some(json!({"state": "accepted"})))
            .await
            .error_codes(),
        ["state_move_not_allowed"]
    );
    for state in ["under_review", "accepted"] {
        let moved = lead
            .api(Method::POST, &triage, Some(json!({"state": state})))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{state}: {}", moved.body);
    }
    // Accepted is final.
    assert_eq!(
        lead.api(
            Method::POST,
            &triage,
            Some(json!({"state": "parked", "reason": "x"}))
        )
        .await
        .error_codes(),
        ["state_move_not_allowed"]
    );

    // Promotion: once, linked both ways.
    let promote = format!("/api/v1/ideas/{id}/initiative");
    let before = app.count("initiatives").await;
    let initiative = lead.api(Method::POST, &promote, None).await;
    assert_eq!(
        initiative.status,
        StatusCode::CREATED,
        "{}",
        initiative.body
    );
    let initiative = initiative.json();
    assert_eq!(initiative["kind"], "experiment");
    assert_eq!(initiative["title"], "Triage");
    assert_eq!(initiative["hypothesis"], idea("x")["proposal"]);
    let linked = author.get(&format!("/api/v1/ideas/{id}")).await.json();
    assert_eq!(linked["initiative_id"], initiative["id"]);
    let again = lead.api(Method::POST, &promote, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_codes(), ["already_promoted"]);
    assert_eq!(app.count("initiatives").await, before + 1);
    let page = lead
        .get(&format!("/initiatives/{}", initiative["id"]))
        .await;
    assert!(
        page.body.contains(&format!("href=\"/ideas/{id}\"")),
        "{}",
        page.body
    );

    // A new idea cannot be promoted; another organisation cannot triage.
    let other = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Nog nieuw")))
        .await
        .json();
    let refused = lead
        .api(
            Method::POST,
            &format!("/api/v1/ideas/{}/initiative", other["id"]),
            None,
        )
        .await;
    assert_eq!(refused.error_codes(), ["not_accepted"]);
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.api(
            Method::POST,
            &triage,
            Some(json!({"state": "parked", "reason": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_idea_page_triages_and_promotes_and_the_author_sees_where_it_went() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Via de pagina")))
        .await
        .json();
    let path = format!("/ideas/{}", made["id"]);
    assert!(
        !author
            .get(&path)
            .await
            .body
            .contains("id=\"triage-heading\"")
    );
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let no_reason = lead
        .post_form(
            &format!("{path}/triage"),
            &[("state", "parked"), ("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(
        no_reason.body.contains("id=\"reason-error\""),
        "{}",
        no_reason.body
    );
    let accepted = lead
        .post_form(
            &format!("{path}/triage"),
            &[("state", "accepted"), ("reason", "")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert!(lead.get(&path).await.body.contains("id=\"promote-button\""));
    let promoted = lead.post_form(&format!("{path}/initiative"), &[]).await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER, "{}", promoted.body);
    let initiative = promoted.location().to_owned();
    assert!(initiative.starts_with("/initiatives/"));
    let seen = author.get(&path).await;
    assert!(
        seen.body.contains(&format!("href=\"{initiative}\"")),
        "{}",
        seen.body
    );
    assert!(seen.body.contains("Aangenomen"));
    // The idea page names the initiative and its stage.
    assert!(
        seen.body.contains("id=\"idea-initiative-stage\">Idee<"),
        "{}",
        seen.body
    );
}

#[tokio::test]
async fn promoting_at_once_twice_makes_one_initiative() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut author = app.login("employee@alpha.test", PASSWORD).await;
    let made = author
        .api(Method::POST, "/api/v1/ideas", Some(idea("Tegelijk")))
        .await
        .json();
    let id = made["id"].as_i64().unwrap();
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    lead.api(
        Method::POST,
        &format!("/api/v1/ideas/{id}/triage"),
        Some(json!({"state": "accepted"})),
    )
    .await;
    let before = app.count("initiatives").await;
    let requests = (0..4).map(|_| {
        let mut client = lead.clone();
        let path = format!("/api/v1/ideas/{id}/initiative");
        async move { client.api(Method::POST, &path, None).await.status }
    });
    let statuses = futures_join(requests).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT)
    );
    assert_eq!(app.count("initiatives").await, before + 1);
}
