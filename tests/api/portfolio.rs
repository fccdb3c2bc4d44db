//! The innovation portfolio: initiatives, the stage machine and gate
//! decisions.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};
use crate::indicators::{define, web_success};

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

async fn experiment(client: &mut Client) -> Value {
    let made = client
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(
                json!({"kind": "experiment", "title": "Parkeervergunning als digitale pas",
                        "problem": "Inwoners wachten op een papieren vergunning",
                        "hypothesis": "Een digitale pas halveert de doorlooptijd",
                        "learning_goals": ["Gebruiken inwoners de pas?", "Kan handhaving scannen?"],
                        "technologies": ["platforms", "digitale pas"],
                        "cost_estimate": "40.000"}),
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.json()
}

fn evidence(goals: &[&str], text: &str) -> Value {
    Value::Array(
        goals
            .iter()
            .map(|g| json!({"goal": g, "evidence": text}))
            .collect(),
    )
}

const GOALS: [&str; 2] = ["Gebruiken inwoners de pas?", "Kan handhaving scannen?"];

#[tokio::test]
async fn an_initiative_is_validated_and_starts_as_an_idea() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let bad = lead
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(json!({"title": "", "owner_id": 999999, "unit_id": 999999, "go_live_on": "2026-13-01",
                        "cost_estimate": "veel", "ambition_ids": [999999],
                        "indicators": [{"indicator_id": 999999, "direction": "increase"}]})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            pair("kind", "required"),
            pair("title", "required"),
            pair("owner_id", "unknown_member"),
            pair("unit_id", "unknown_unit"),
            pair("go_live_on", "period_invalid"),
            pair("cost_estimate", "money"),
            pair("ambition_ids", "unknown_ambition"),
            pair("indicators", "unknown_indicator"),
        ]
    );
    assert_eq!(app.count("initiatives").await, 0);
    let made = experiment(&mut lead).await;
    assert_eq!(made["stage"], "idea");
    assert_eq!(
        made["cost_estimate"], "40000.00",
        "exact money as a decimal string"
    );
    assert_eq!(made["technologies"], json!(["platforms", "digitale pas"]));
    let indicator = define(&mut lead, web_success()).await;
    let linked = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/initiatives/{}", made["id"]),
            Some(json!({"indicators": [{"indicator_id": indicator["id"], "direction": "increase", "expected_size": 5}],
                        "stage": "pilot"})),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
    let linked = linked.json();
    assert_eq!(
        linked["stage"], "idea",
        "the stage moves only through gates"
    );
    assert_eq!(linked["indicators"][0]["expected_size"], 5.0);
    assert_eq!(
        linked["title"], "Parkeervergunning als digitale pas",
        "absent fields stay"
    );
    let searched = lead.get("/api/v1/initiatives?search=PAPIEREN").await.json();
    assert_eq!(searched["total"], 1);
    let by_tag = lead.get("/api/v1/initiatives?technology=ai").await.json();
    assert_eq!(by_tag["total"], 0);
    let wrong = lead.get("/api/v1/initiatives?stage=dreaming").await;
    assert_eq!(wrong.errors(), [pair("stage", "unknown_choice")]);
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let refused = employee
        .api(
            Method::POST,
            "/api/v1/initiatives",
            Some(json!({"kind": "project", "title": "X"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn gates_follow_the_stage_machine_with_evidence_for_every_goal() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let made = experiment(&mut lead).await;
    let gates = format!("/api/v1/initiatives/{}/gate-decisions", made["id"]);

    let skip = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "continue", "to_stage": "experiment", "evidence": evidence(&GOALS, "ja"),
                        "criteria": "x", "decided_by": "PM", "decided_on": "2026-11-01"})),
        )
        .await;
    assert_eq!(skip.errors(), [pair("to_stage", "stage_move_not_allowed")]);
    let scale_too_early = lead
        .api(Method::POST, &gates, Some(json!({"outcome": "scale", "criteria": "x", "decided_by": "PM", "decided_on": "2026-11-01", "evidence": evidence(&GOALS, "ja")})))
        .await;
    assert_eq!(
        scale_too_early.errors(),
        [pair("outcome", "stage_move_not_allowed")]
    );
    let no_evidence = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "continue", "evidence": [{"goal": GOALS[0], "evidence": "Ja, 40%"}],
                        "criteria": "", "decided_on": "2027-01-01"})),
        )
        .await;
    assert_eq!(
        no_evidence.errors(),
        [
            pair("evidence[1]", "required"),
            pair("criteria", "required"),
            pair("decided_by", "required"),
            pair("decided_on", "in_future"),
        ]
    );
    assert_eq!(app.count("gate_decisions").await, 0);

    let first = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "continue", "evidence": evidence(&GOALS, "Interviews met 12 inwoners"),
                        "criteria": "Doorgaan als 8 van 12 de pas willen", "decided_by": "Programmamanager",
                        "decided_on": "2026-10-01"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["to_stage"], "exploration");
    lead.api(
        Method::POST,
        &gates,
        Some(json!({"outcome": "continue", "evidence": evidence(&GOALS, "Prototype werkt"),
                    "criteria": "Scannen lukt in 95%", "decided_by": "Programmamanager", "decided_on": "2026-11-01"})),
    )
    .await;
    // Pivot back to exploration, then a stop with what was learned.
    let pivot = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "pivot", "to_stage": "exploration", "evidence": evidence(&GOALS, "Handhaving mist scanners"),
                        "criteria": "Scannen onder 95%", "decided_by": "Programmamanager", "decided_on": "2026-11-10"})),
        )
        .await;
    assert_eq!(pivot.status, StatusCode::CREATED, "{}", pivot.body);
    let no_learning = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "stop", "evidence": evidence(&GOALS, "Te duur"), "criteria": "Kosten",
                        "decided_by": "Stuurgroep", "decided_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(
        no_learning.errors(),
        [pair("learning", "learning_required")]
    );
    let stop = lead
        .api(
            Method::POST,
            &gates,
            Some(json!({"outcome": "stop", "evidence": evidence(&GOALS, "Te duur"), "criteria": "Kosten",
                        "decided_by": "Stuurgroep", "decided_on": "2026-11-20",
                        "learning": "Inwoners willen de pas; handhaving heeft eerst scanners nodig."})),
        )
        .await;
    assert_eq!(stop.status, StatusCode::CREATED, "{}", stop.body);
    let after = lead
        .get(&format!("/api/v1/initiatives/{}", made["id"]))
        .await
        .json();
    assert_eq!(after["stage"], "stopped");
    let again = lead
        .api(
            Method::POST,
            &gates,
            Some(
                json!({"outcome": "continue", "evidence": evidence(&GOALS, "x"), "criteria": "x",
                        "decided_by": "x", "decided_on": "2026-11-21"}),
            ),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let timeline = lead.get(&gates).await.json();
    assert_eq!(timeline["total"], 4);
    let stages: Vec<(&str, &str)> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["from_stage"].as_str().unwrap(),
                d["to_stage"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("idea", "exploration"),
            ("exploration", "experiment"),
            ("experiment", "exploration"),
            ("exploration", "stopped"),
        ]
    );
    // Only governance managers take gate decisions.
    let mut unit_lead = app.login("unit_lead@alpha.test", PASSWORD).await;
    let other = experiment(&mut unit_lead).await;
    let refused = unit_lead
        .api(
            Method::POST,
            &format!("/api/v1/initiatives/{}/gate-decisions", other["id"]),
            Some(json!({"outcome": "continue", "evidence": evidence(&GOALS, "x"), "criteria": "x", "decided_by": "x", "decided_on": "2026-11-01"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_gate_form_names_the_goal_without_evidence() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let made = experiment(&mut lead).await;
    let path = format!("/initiatives/{}/gate-decisions", made["id"]);
    let bad = lead
        .post_form(
            &path,
            &[
                ("outcome", "continue"),
                ("to_stage", ""),
                ("evidence_0", "Ja"),
                ("evidence_1", ""),
                ("criteria", "x"),
                ("body_id", ""),
                ("decided_by", "PM"),
                ("decided_on", "2026-11-01"),
                ("learning", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"evidence_1-error\""), "{}", bad.body);
    let ok = lead
        .post_form(
            &path,
            &[
                ("outcome", "continue"),
                ("to_stage", ""),
                ("evidence_0", "Ja"),
                ("evidence_1", "Ja"),
                ("criteria", "x"),
                ("body_id", ""),
                ("decided_by", "PM"),
                ("decided_on", "2026-11-01"),
                ("learning", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = lead.get(&format!("/initiatives/{}", made["id"])).await;
    assert!(page.body.contains("Idee → Verkenning"), "timeline");
    let board = lead.get("/portfolio/board").await;
    assert!(board.body.contains("Parkeervergunning als digitale pas"));
}

#[tokio::test]
async fn funding_and_spend_add_up_exactly_with_innovation_money_apart() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let made = experiment(&mut lead).await;
    let lines = format!("/api/v1/initiatives/{}/funding-lines", made["id"]);
    let bad = lead
        .api(
            Method::POST,
            &lines,
            Some(json!({"source": "external_cofinancing", "year": 1999, "amount": "0,001"})),
        )
        .await;
    assert_eq!(
        bad.errors(),
        [
            pair("funder", "required"),
            pair("scheme", "required"),
            pair("year", "out_of_bounds"),
            pair("amount", "money"),
        ]
    );
    let own_applied = lead
        .api(
            Method::POST,
            &lines,
            Some(json!({"source": "innovation_budget", "status": "applied", "year": 2026, "amount": "1"})),
        )
        .await;
    assert_eq!(
        own_applied.errors(),
        [pair("status", "own_money_is_granted")]
    );
    assert_eq!(app.count("initiative_funding").await, 0);
    for body in [
        json!({"source": "innovation_budget", "year": 2026, "amount": "0.10"}),
        json!({"source": "innovation_budget", "year": 2026, "amount": "0.20"}),
        json!({"source": "external_cofinancing", "funder": "Europese Unie", "scheme": "EFRO", "status": "granted", "year": 2026, "amount": "1.000.000,00"}),
        json!({"source": "external_cofinancing", "funder": "Rijk", "scheme": "Regio Deal", "year": 2027, "amount": "50000"}),
        json!({"source": "operating_budget", "year": 2026, "amount": "2500"}),
    ] {
        let made = lead.api(Method::POST, &lines, Some(body)).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let spend = format!("/api/v1/initiatives/{}/spend", made["id"]);
    let future = lead
        .api(Method::POST, &spend, Some(json!({"spent_on": "2027-01-01", "amount": "5", "source": "innovation_budget", "description": "x"})))
        .await;
    assert_eq!(future.errors(), [pair("spent_on", "in_future")]);
    lead.api(
        Method::POST,
        &spend,
        Some(json!({"spent_on": "2026-11-01", "amount": "0.35", "source": "innovation_budget", "description": "Workshop"})),
    )
    .await;
    let summary = lead
        .get(&format!(
            "/api/v1/initiatives/{}/funding-summary",
            made["id"]
        ))
        .await
        .json();
    assert_eq!(summary["innovation_planned"], "1000000.30");
    assert_eq!(summary["innovation_spent"], "0.35");
    assert_eq!(summary["operating_planned"], "2500.00");
    assert_eq!(
        summary["by_source"][0]["remaining"], "-0.05",
        "overspent by five cents"
    );
    assert_eq!(summary["by_source"][2]["applied"], "50000.00");
    let portfolio = lead.get("/api/v1/portfolio-funding").await.json();
    assert_eq!(portfolio["innovation_planned"], "1000000.30");
    // Another organisation sees none of it.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    assert_eq!(
        beta.get("/api/v1/portfolio-funding").await.json()["innovation_planned"],
        "0.00"
    );
    assert_eq!(beta.get(&lines).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_initiative_page_adds_funding_and_spend_with_messages_beside_the_fields() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let made = experiment(&mut lead).await;
    let base = format!("/initiatives/{}", made["id"]);
    let bad = lead
        .post_form(
            &format!("{base}/funding-lines"),
            &[
                ("funding_source", "external_cofinancing"),
                ("funder", ""),
                ("scheme", "EFRO"),
                ("funding_status", "applied"),
                ("funding_year", "2026"),
                ("funding_amount", "veel"),
                ("funding_note", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("id=\"funder-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"funding_amount-error\""));
    assert_eq!(app.count("initiative_funding").await, 0);
    let ok = lead
        .post_form(
            &format!("{base}/funding-lines"),
            &[
                ("funding_source", "external_cofinancing"),
                ("funder", "Europese Unie"),
                ("scheme", "EFRO"),
                ("funding_status", "granted"),
                ("funding_year", "2026"),
                ("funding_amount", "125.000,50"),
                ("funding_note", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let spend = lead
        .post_form(
            &format!("{base}/spend"),
            &[
                ("spent_on", "01-11-2026"),
                ("spend_amount", "25.000"),
                ("spend_source", "external_cofinancing"),
                ("spend_description", "Bouw prototype"),
            ],
        )
        .await;
    assert_eq!(spend.status, StatusCode::SEE_OTHER, "{}", spend.body);
    let page = lead.get(&base).await;
    assert!(page.body.contains("€ 125.000,50"), "planned");
    assert!(page.body.contains("€ 100.000,50"), "remaining");
    let summary = lead
        .get(&format!(
            "/api/v1/initiatives/{}/funding-summary",
            made["id"]
        ))
        .await
        .json();
    assert_eq!(summary["by_source"][2]["remaining"], "100000.50");
}

#[tokio::test]
async fn a_change_made_from_an_older_version_is_refused_not_lost() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let made = experiment(&mut lead).await;
    assert_eq!(made["version"], 1);
    let path = format!("/api/v1/initiatives/{}", made["id"]);
    let first = lead
        .api(
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "title": "Eerst"})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["version"], 2);

    // A second change from version 1 would overwrite "Eerst" unseen.
    let audit_before = app.audit_count().await;
    let stale = lead
        .api(
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "title": "Later"})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(
        stale.errors(),
        [("version".to_owned(), "edit_conflict".to_owned())]
    );
    let kept = lead.get(&path).await.json();
    assert_eq!(kept["title"], "Eerst");
    assert_eq!(kept["version"], 2);
    assert_eq!(app.audit_count().await, audit_before, "nothing written");

    // Without a version the change applies to what is stored.
    let blind = lead
        .api(
            Method::PATCH,
            &path,
            Some(json!({"title": "Zonder versie"})),
        )
        .await;
    assert_eq!(blind.json()["version"], 3);

    // Two changes from the same version at once: one wins, one is refused.
    let (mut a, mut b) = (lead.clone(), lead.clone());
    let (ra, rb) = tokio::join!(
        a.api(
            Method::PATCH,
            &path,
            Some(json!({"version": 3, "title": "A"}))
        ),
        b.api(
            Method::PATCH,
            &path,
            Some(json!({"version": 3, "title": "B"}))
        ),
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let after = lead.get(&path).await.json();
    assert_eq!(after["version"], 4);

    // A gate decision changes the initiative too.
    let gate = lead
        .api(
            Method::POST,
            &format!("{path}/gate-decisions"),
            Some(
                json!({"outcome": "continue", "evidence": evidence(&GOALS, "Interviews"),
                        "criteria": "Doorgaan", "decided_by": "Programmamanager",
                        "decided_on": "2026-10-01"}),
            ),
        )
        .await;
    assert_eq!(gate.status, StatusCode::CREATED, "{}", gate.body);
    assert_eq!(lead.get(&path).await.json()["version"], 5);
    // A decision taken on an older version is refused: someone decided
    // (or edited) meanwhile, and it would move the initiative again.
    let audit_before = app.audit_count().await;
    let late = lead
        .api(
            Method::POST,
            &format!("{path}/gate-decisions"),
            Some(
                json!({"outcome": "continue", "evidence": evidence(&GOALS, "Interviews"),
                        "criteria": "Doorgaan", "decided_by": "Programmamanager",
                        "decided_on": "2026-10-01", "version": 4}),
            ),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(
        late.errors(),
        [("outcome".to_owned(), "changed_meanwhile".to_owned())]
    );
    assert_eq!(app.audit_count().await, audit_before, "nothing written");
    let unchanged = lead.get(&path).await.json();
    assert_eq!(unchanged["version"], 5);
    assert_eq!(unchanged["stage"], "exploration");
    // The page's gate form carries the version it shows.
    let shown = lead.get(&format!("/initiatives/{}", made["id"])).await;
    assert!(
        shown.body.contains(r#"name="version" value="5""#),
        "{}",
        shown.body
    );

    // On the page: the form carries the version it was opened on; a save
    // after someone else's keeps what was typed and says what happened.
    let edit = format!("/initiatives/{}/edit", made["id"]);
    let form = lead.get(&edit).await;
    assert!(
        form.body.contains(r#"name="version" value="5""#),
        "{}",
        form.body
    );
    lead.api(Method::PATCH, &path, Some(json!({"title": "Tussendoor"})))
        .await;
    let fields = [
        ("version", "5"),
        ("kind", "experiment"),
        ("title", "Mijn titel"),
    ];
    let refused = lead.post_form(&edit, &fields).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains(r#"id="version""#));
    assert!(
        refused
            .body
            .contains("Iemand anders heeft een wijziging opgeslagen")
    );
    assert!(
        refused.body.contains(r#"value="Mijn titel""#),
        "what was typed stays"
    );
    assert!(refused.body.contains(r#"name="version" value="6""#));
    assert_eq!(lead.get(&path).await.json()["title"], "Tussendoor");
    let again = lead
        .post_form(
            &edit,
            &[
                ("version", "6"),
                ("kind", "experiment"),
                ("title", "Mijn titel"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(lead.get(&path).await.json()["title"], "Mijn titel");
}
