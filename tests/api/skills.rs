//! People and skills: frameworks, role profiles, the employees register,
//! assessments, who sees an individual, and the gap analysis with small
//! groups hidden.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, spawn_app};

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

async fn created(client: &mut Client, path: &str, body: Value) -> Value {
    let made = client.api(Method::POST, path, Some(body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{path}: {}", made.body);
    made.json()
}

async fn id_of(client: &mut Client, path: &str, body: Value) -> i64 {
    created(client, path, body).await["id"].as_i64().unwrap()
}

/// The id of DigComp competence `code` (e.g. "1.1").
async fn digcomp(client: &mut Client, code: &str) -> i64 {
    let all = client.get("/api/v1/competences?page_size=100").await.json();
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no competence {code}"))["id"]
        .as_i64()
        .unwrap()
}

async fn user_id(client: &mut Client, email: &str) -> i64 {
    let users = client
        .get(&format!("/api/v1/users?search={email}"))
        .await
        .json();
    users["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn digcomp_is_built_in_and_own_frameworks_are_validated_and_audited() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let frameworks = employee.get("/api/v1/competence-frameworks").await.json();
    assert_eq!(frameworks["total"], 1);
    let builtin = &frameworks["items"][0];
    assert_eq!(builtin["builtin"], true);
    assert_eq!(builtin["name"], "DigComp 2.2");
    assert_eq!(builtin["levels"].as_array().unwrap().len(), 8);
    // Named in the reader's language: our own Dutch translation.
    assert_eq!(builtin["levels"][0], "Basis 1");
    let competences = employee
        .get("/api/v1/competences?page_size=100")
        .await
        .json();
    assert_eq!(competences["total"], 21);
    let programming = competences["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "3.4")
        .unwrap();
    assert_eq!(programming["name"], "Programmeren");
    assert_eq!(programming["top_level"], 8);
    let builtin_id = builtin["id"].as_i64().unwrap();
    let refused = employee
        .api(
            Method::POST,
            "/api/v1/competence-frameworks",
            Some(json!({"name": "X", "levels": ["a", "b"]})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let patched = hr
        .api(
            Method::PATCH,
            &format!("/api/v1/competence-frameworks/{builtin_id}"),
            Some(json!({"name": "Mijn DigComp"})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::CONFLICT, "{}", patched.body);
    let frameworks_before = app.count("competence_frameworks").await;
    let bad = hr
        .api(
            Method::POST,
            "/api/v1/competence-frameworks",
            Some(json!({"name": "", "levels": ["Basis"]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [pair("name", "required"), pair("levels", "too_few_levels")]
    );
    assert_eq!(app.count("competence_frameworks").await, frameworks_before);
    let audit = app.audit_count().await;
    let own = id_of(
        &mut hr,
        "/api/v1/competence-frameworks",
        json!({"name": "Toekomstvaardigheden", "levels": ["Basis", "Gevorderd", "Expert"]}),
    )
    .await;
    assert_eq!(app.audit_count().await, audit + 1);
    let path = format!("/api/v1/competence-frameworks/{own}/competences");
    let competence = created(
        &mut hr,
        &path,
        json!({"code": "TV.1", "area": "Toekomst", "name": "Werken met AI"}),
    )
    .await;
    assert_eq!(competence["top_level"], 3);
    let twice = hr
        .api(
            Method::POST,
            &path,
            Some(json!({"code": "TV.1", "name": "Nog eens"})),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let spaced = hr
        .api(
            Method::POST,
            &path,
            Some(json!({"code": "TV 2", "name": "Data"})),
        )
        .await;
    assert_eq!(spaced.errors(), [pair("code", "competence_code")]);
    let into_builtin = hr
        .api(
            Method::POST,
            &format!("/api/v1/competence-frameworks/{builtin_id}/competences"),
            Some(json!({"code": "9.9", "name": "Eigen"})),
        )
        .await;
    assert_eq!(into_builtin.status, StatusCode::CONFLICT);

    // A scale cannot shrink below a level in use.
    let role = id_of(
        &mut hr,
        "/api/v1/role-profiles",
        json!({"name": "Adviseur", "fte_now": 2, "fte_needed": 3, "horizon_on": "2028-12-31",
               "requirements": [{"competence_id": competence["id"], "level_now": 2, "level_horizon": 3}]}),
    )
    .await;
    assert!(role > 0);
    let shrink = hr
        .api(
            Method::PATCH,
            &format!("/api/v1/competence-frameworks/{own}"),
            Some(json!({"levels": ["Basis", "Gevorderd"]})),
        )
        .await;
    assert_eq!(shrink.status, StatusCode::CONFLICT, "{}", shrink.body);
    assert_eq!(shrink.errors(), [pair("levels", "levels_in_use")]);
}

#[tokio::test]
async fn role_profiles_keep_levels_on_each_scale_and_fte_to_one_decimal() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let c11 = digcomp(&mut hr, "1.1").await;
    let bad = hr
        .api(
            Method::POST,
            "/api/v1/role-profiles",
            Some(json!({"name": "Informatiebeheerder", "fte_now": 1.25, "fte_needed": -1,
                        "horizon_on": "2028-02-30",
                        "requirements": [{"competence_id": c11, "level_now": 9, "level_horizon": 4},
                                         {"competence_id": 999999, "level_now": 1, "level_horizon": 1}]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            pair("fte_now", "fte"),
            pair("fte_needed", "fte"),
            pair("horizon_on", "period_invalid"),
            pair("requirements[0].level_now", "level_out_of_scale"),
            pair("requirements[1].competence_id", "unknown_competence"),
        ]
    );
    assert_eq!(app.count("role_profiles").await, 0);
    let role = created(
        &mut hr,
        "/api/v1/role-profiles",
        json!({"name": "Informatiebeheerder", "information_management": true, "fte_now": 4.5,
               "fte_needed": 7, "horizon_on": "2028-12-31",
               "requirements": [{"competence_id": c11, "level_now": 4, "level_horizon": 6}]}),
    )
    .await;
    assert_eq!(role["fte_now"], 4.5);
    assert_eq!(role["requirements"][0]["level_horizon"], 6);
    let mut lead = app.login("programme_lead@alpha.test", PASSWORD).await;
    let refused = lead
        .api(
            Method::PATCH,
            &format!("/api/v1/role-profiles/{}", role["id"]),
            Some(json!({"fte_needed": 9})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// Alpha with units Noord and Zuid (Zuid has a team), a role needing
/// DigComp 1.1 at level 4 now and 5 at the horizon, and HR.
struct Setup {
    hr: Client,
    role: i64,
    c11: i64,
    noord: i64,
    zuid: i64,
    team: i64,
}

async fn setup(app: &TestApp) -> Setup {
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let noord = id_of(&mut admin, "/api/v1/units", json!({"name": "Noord"})).await;
    let zuid = id_of(&mut admin, "/api/v1/units", json!({"name": "Zuid"})).await;
    let team = id_of(
        &mut admin,
        "/api/v1/units",
        json!({"name": "Zuid team", "parent_id": zuid}),
    )
    .await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let c11 = digcomp(&mut hr, "1.1").await;
    let role = id_of(
        &mut hr,
        "/api/v1/role-profiles",
        json!({"name": "Medewerker dienstverlening", "fte_now": 10, "fte_needed": 12,
               "horizon_on": "2028-12-31",
               "requirements": [{"competence_id": c11, "level_now": 4, "level_horizon": 5}]}),
    )
    .await;
    Setup {
        hr,
        role,
        c11,
        noord,
        zuid,
        team,
    }
}

async fn employee(s: &mut Setup, number: &str, unit: i64, level: Option<i64>) -> i64 {
    let id = id_of(
        &mut s.hr,
        "/api/v1/employees",
        json!({"number": number, "name": format!("Medewerker {number}"), "unit_id": unit, "role_profile_id": s.role}),
    )
    .await;
    if let Some(level) = level {
        created(
            &mut s.hr,
            &format!("/api/v1/employees/{id}/assessments"),
            json!({"source": "manager", "assessments": [{"competence_id": s.c11, "level": level}]}),
        )
        .await;
    }
    id
}

fn row<'a>(gaps: &'a Value, name: &str) -> &'a Value {
    gaps["heatmap"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[tokio::test]
async fn the_heatmap_computes_mean_shortfalls_and_hides_small_groups_also_against_subtraction() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let (noord, team) = (s.noord, s.team);
    // Noord: levels 2, 4, 5, 3, 1 → shortfalls to 4: 2, 0, 0, 1, 3 = 6/5;
    // to 5: 3, 1, 0, 2, 4 = 10/5.
    for (i, level) in [2, 4, 5, 3, 1].into_iter().enumerate() {
        employee(&mut s, &format!("N{i}"), noord, Some(level)).await;
    }
    // Zuid team: three people at level 4 → shortfall 0 now, 1 at horizon.
    for i in 0..3 {
        employee(&mut s, &format!("Z{i}"), team, Some(4)).await;
    }
    // One not assessed yet: not counted.
    employee(&mut s, "Z9", team, None).await;
    let gaps = s.hr.get("/api/v1/skill-gaps").await.json();
    assert_eq!(gaps["heatmap"]["competence_ids"], json!([s.c11]));
    let org = &row(&gaps, "Gemeente Alpha")["cells"][0];
    assert_eq!(org["status"], "shown");
    assert_eq!(org["people"], 8);
    assert_eq!(org["gap_now"], 0.75); // 6 / 8
    assert_eq!(org["gap_horizon"], 1.625); // 13 / 8
    assert_eq!(org["short_now"], 3);
    // Zuid (3 people) is too small; the organisation minus Noord would
    // give Zuid away, so Noord is hidden too.
    assert_eq!(row(&gaps, "Zuid")["cells"][0]["status"], "hidden");
    assert_eq!(row(&gaps, "Zuid team")["cells"][0]["status"], "hidden");
    assert_eq!(row(&gaps, "Noord")["cells"][0]["status"], "hidden");
    assert!(row(&gaps, "Zuid")["cells"][0]["people"].is_null());

    // Two more in Zuid team: both units are large enough now.
    for i in 3..5 {
        employee(&mut s, &format!("Z{i}"), team, Some(4)).await;
    }
    let gaps = s.hr.get("/api/v1/skill-gaps").await.json();
    let noord = &row(&gaps, "Noord")["cells"][0];
    assert_eq!(noord["status"], "shown");
    assert_eq!(noord["gap_now"], 1.2);
    assert_eq!(noord["gap_horizon"], 2.0);
    let zuid = &row(&gaps, "Zuid")["cells"][0];
    assert_eq!(zuid["people"], 5);
    assert_eq!(zuid["gap_now"], 0.0);
    assert_eq!(zuid["gap_horizon"], 1.0);
    // Per role and the priority list: 10 people, horizon gap 15/10 × 12 FTE.
    assert_eq!(gaps["role_gaps"][0]["cell"]["gap_horizon"], 1.5);
    assert_eq!(gaps["priorities"][0]["score"], 18.0);
    assert_eq!(gaps["priorities"][0]["people_short"], 9);
    assert_eq!(gaps["workforce"]["fte_now"], 10.0);
    assert_eq!(gaps["workforce"]["fte_needed"], 12.0);

    // A threshold of 6 hides both units again (5 each), and the
    // organisation stays (10).
    let settings =
        s.hr.api(
            Method::PUT,
            "/api/v1/skills-settings",
            Some(json!({"min_group_size": 6})),
        )
        .await;
    assert_eq!(settings.status, StatusCode::OK, "{}", settings.body);
    let gaps = s.hr.get("/api/v1/skill-gaps").await.json();
    assert_eq!(row(&gaps, "Noord")["cells"][0]["status"], "hidden");
    assert_eq!(row(&gaps, "Gemeente Alpha")["cells"][0]["status"], "shown");
    let bad =
        s.hr.api(
            Method::PUT,
            "/api/v1/skills-settings",
            Some(json!({"min_group_size": 2})),
        )
        .await;
    assert_eq!(bad.errors(), [pair("min_group_size", "out_of_bounds")]);
}

#[tokio::test]
async fn kept_gap_sums_follow_moves_role_changes_and_leavers() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let noord = s.noord;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(employee(&mut s, &format!("E{i}"), noord, Some(i % 5 + 1)).await);
    }
    // Move one to Zuid, change the role's levels, let one leave, assess
    // one again.
    let moved =
        s.hr.api(
            Method::PATCH,
            &format!("/api/v1/employees/{}", ids[0]),
            Some(json!({"unit_id": s.zuid})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let changed = s
        .hr
        .api(
            Method::PATCH,
            &format!("/api/v1/role-profiles/{}", s.role),
            Some(json!({"requirements": [{"competence_id": s.c11, "level_now": 3, "level_horizon": 6}]})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    s.hr.api(
        Method::PATCH,
        &format!("/api/v1/employees/{}", ids[1]),
        Some(json!({"active": false})),
    )
    .await;
    created(
        &mut s.hr,
        &format!("/api/v1/employees/{}/assessments", ids[2]),
        json!({"source": "manager", "assessments": [{"competence_id": s.c11, "level": 6}]}),
    )
    .await;
    let kept = s.hr.get("/api/v1/skill-gaps").await.json();
    let organisation = app
        .state
        .store()
        .organisation_by_slug("alpha")
        .await
        .unwrap()
        .id;
    app.state
        .store()
        .rebuild_gap_sums(organisation)
        .await
        .unwrap();
    let rebuilt = s.hr.get("/api/v1/skill-gaps").await.json();
    assert_eq!(kept, rebuilt);
    // Levels 1..5 and 1 for E0..E5; E1 left; E2 now 6. Active: E0 (1, in
    // Zuid), E2 (6), E3 (4), E4 (5), E5 (1): shortfalls to 3: 2, 0, 0, 0, 2.
    let org = &row(&kept, "Gemeente Alpha")["cells"][0];
    assert_eq!(org["people"], 5);
    assert_eq!(org["gap_now"], 0.8);
    // To 6: 5, 0, 2, 1, 5 = 13 / 5.
    assert_eq!(org["gap_horizon"], 2.6);
}

#[tokio::test]
async fn only_the_employee_their_unit_lead_and_hr_see_individual_levels() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let noord = s.noord;
    let employee_user = user_id(&mut s.hr, "employee@alpha.test").await;
    let lead_user = user_id(&mut s.hr, "unit_lead@alpha.test").await;
    let me = id_of(
        &mut s.hr,
        "/api/v1/employees",
        json!({"number": "100", "name": "Pieter", "user_id": employee_user, "unit_id": s.team, "role_profile_id": s.role}),
    )
    .await;
    // The lead leads Zuid, above the employee's team.
    id_of(
        &mut s.hr,
        "/api/v1/employees",
        json!({"number": "200", "name": "Fatima", "user_id": lead_user, "unit_id": s.zuid}),
    )
    .await;
    let elsewhere = employee(&mut s, "300", noord, Some(2)).await;
    let taken =
        s.hr.api(
            Method::POST,
            "/api/v1/employees",
            Some(json!({"number": "101", "name": "Dubbel", "user_id": employee_user})),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.errors(), [pair("user_id", "taken")]);

    // The employee assesses themself, and may not pose as a manager.
    let mut pieter = app.login("employee@alpha.test", PASSWORD).await;
    let as_manager = pieter
        .api(
            Method::POST,
            &format!("/api/v1/employees/{me}/assessments"),
            Some(
                json!({"source": "manager", "assessments": [{"competence_id": s.c11, "level": 8}]}),
            ),
        )
        .await;
    assert_eq!(as_manager.status, StatusCode::FORBIDDEN);
    let before = app.count("skill_assessments").await;
    let bad = pieter
        .api(
            Method::POST,
            &format!("/api/v1/employees/{me}/assessments"),
            Some(json!({"source": "employee", "assessments": [
                {"competence_id": s.c11, "level": 3},
                {"competence_id": s.c11, "level": 4},
                {"competence_id": 123456, "level": 1},
                {"competence_id": s.c11, "level": 0}]})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            pair("assessments[1].competence_id", "duplicate_competence"),
            pair("assessments[2].competence_id", "unknown_competence"),
            pair("assessments[3].competence_id", "duplicate_competence"),
        ]
    );
    assert_eq!(app.count("skill_assessments").await, before);
    let audit = app.audit_count().await;
    let mine = created(
        &mut pieter,
        &format!("/api/v1/employees/{me}/assessments"),
        json!({"source": "employee", "assessments": [{"competence_id": s.c11, "level": 3, "evidence": "cursus"}]}),
    )
    .await;
    assert_eq!(mine["levels"][0]["level"], 3);
    assert_eq!(mine["levels"][0]["self_level"], 3);
    assert_eq!(mine["levels"][0]["required_now"], 4);
    assert_eq!(app.audit_count().await, audit + 1);
    // The audit log says an assessment was made, not its level.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let events = admin
        .get("/api/v1/audit-events?entity_type=employee_skills")
        .await
        .json();
    let event = &events["items"][0];
    assert_eq!(event["action"], "assess");
    let text = event.to_string();
    assert!(!text.contains("\"level\""), "{text}");
    assert!(!text.contains("cursus"), "{text}");
    assert_eq!(
        pieter.get("/api/v1/me/skills").await.json()["history"][0]["evidence"],
        "cursus"
    );
    // Not someone else's.
    assert_eq!(
        pieter
            .get(&format!("/api/v1/employees/{elsewhere}/skills"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The unit lead sees the team below their unit, records a manager
    // assessment there, and sees nobody in Noord.
    let mut lead = app.login("unit_lead@alpha.test", PASSWORD).await;
    let seen = lead.get(&format!("/api/v1/employees/{me}/skills")).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let as_self = lead
        .api(
            Method::POST,
            &format!("/api/v1/employees/{me}/assessments"),
            Some(json!({"source": "employee", "assessments": [{"competence_id": s.c11, "level": 5}]})),
        )
        .await;
    assert_eq!(as_self.status, StatusCode::FORBIDDEN);
    let managed = created(
        &mut lead,
        &format!("/api/v1/employees/{me}/assessments"),
        json!({"source": "manager", "assessments": [{"competence_id": s.c11, "level": 5}]}),
    )
    .await;
    // The newest assessment counts; both are kept.
    assert_eq!(managed["levels"][0]["level"], 5);
    assert_eq!(managed["levels"][0]["self_level"], 3);
    assert_eq!(managed["levels"][0]["manager_level"], 5);
    assert_eq!(managed["history"].as_array().unwrap().len(), 2);
    assert_eq!(
        lead.get(&format!("/api/v1/employees/{elsewhere}/skills"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Administrators and executives see aggregates, never an individual.
    for email in ["admin@alpha.test", "executive@alpha.test"] {
        let mut other = app.login(email, PASSWORD).await;
        assert_eq!(
            other
                .get(&format!("/api/v1/employees/{me}/skills"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{email}"
        );
        assert_eq!(
            other.get("/api/v1/skill-gaps").await.status,
            StatusCode::OK,
            "{email}"
        );
    }
    // The administrator keeps the register: the page shows the record,
    // not the levels.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let record = admin.get(&format!("/skills/employees/{me}")).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(record.body.contains("persoonsgegevens"));
    assert!(!record.body.contains("assessment-form"));
    assert!(!record.body.contains("cursus"));
    // Employees and viewers see no aggregates and no register.
    assert_eq!(
        pieter.get("/api/v1/skill-gaps").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        pieter.get("/api/v1/employees").await.status,
        StatusCode::FORBIDDEN
    );
    // HR sees everyone.
    assert_eq!(
        s.hr.get(&format!("/api/v1/employees/{elsewhere}/skills"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_skills_pages_assess_with_messages_beside_the_fields_and_show_the_heatmap() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let noord = s.noord;
    let employee_user = user_id(&mut s.hr, "employee@alpha.test").await;
    id_of(
        &mut s.hr,
        "/api/v1/employees",
        json!({"number": "100", "name": "Pieter", "user_id": employee_user, "unit_id": s.noord, "role_profile_id": s.role}),
    )
    .await;
    for i in 0..4 {
        employee(&mut s, &format!("N{i}"), noord, Some(4)).await;
    }
    let mut pieter = app.login("employee@alpha.test", PASSWORD).await;
    let page = pieter.get("/skills/me").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nodig voor de functie"), "{}", page.body);
    let level = format!("level-{}", s.c11);
    let evidence = format!("evidence-{}", s.c11);
    let nothing = pieter.post_form("/skills/me", &[]).await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert!(
        nothing
            .body
            .contains("Kies bij minstens één competentie een niveau.")
    );
    let long = "x".repeat(1001);
    let bad = pieter
        .post_form("/skills/me", &[(&level, "9"), (&evidence, &long)])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains(&format!("id=\"{level}-error\"")),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(&format!("id=\"{evidence}-error\"")));
    let saved = pieter
        .post_form("/skills/me", &[(&level, "2"), (&evidence, "")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = pieter.get("/skills/me").await;
    assert!(page.body.contains("Beoordeling opgeslagen."));
    assert!(page.body.contains("2 – Basis 2"));

    // HR sees the heatmap: Noord has five people, mean shortfall 2/5.
    let heatmap = s.hr.get("/skills/heatmap").await;
    assert_eq!(heatmap.status, StatusCode::OK);
    assert!(heatmap.body.contains(">0,4<"), "{}", heatmap.body);
    assert!(heatmap.body.contains("CC BY 4.0"));
    // The employee gets no heatmap.
    assert_eq!(
        pieter.get("/skills/heatmap").await.status,
        StatusCode::FORBIDDEN
    );
    for path in [
        "/skills",
        "/skills/roles",
        "/skills/frameworks",
        "/skills/employees",
    ] {
        let page = s.hr.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    let role = s.hr.get(&format!("/skills/roles/{}", s.role)).await;
    assert_eq!(role.status, StatusCode::OK);
    let audit = app.audit_count().await;
    let profile = format!("/api/v1/role-profiles/{}", s.role);
    let stored_name = s.hr.get(&profile).await.json()["name"].clone();
    assert!(stored_name.is_string());
    let bad_role =
        s.hr.post_form(
            &format!("/skills/roles/{}", s.role),
            &[
                ("name", "Half opgeslagen"),
                ("fte_now", "tien"),
                ("fte_needed", "12"),
                ("horizon_on", "2028-12-31"),
            ],
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_role.body.contains("id=\"fte_now-error\""),
        "{}",
        bad_role.body
    );
    // Nothing of that form was saved: not the new name either.
    assert_eq!(app.audit_count().await, audit);
    let kept = s.hr.get(&profile).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.json()["name"], stored_name);
    // A new role: one message for the field, in the summary too: what was
    // typed is not a number, not also "required".
    let bad_new =
        s.hr.post_form(
            "/skills/roles",
            &[
                ("name", "Nieuw"),
                ("fte_now", "tien"),
                ("fte_needed", "2"),
                ("horizon_on", "2028-12-31"),
            ],
        )
        .await;
    assert_eq!(bad_new.status, StatusCode::BAD_REQUEST);
    assert!(bad_new.body.contains("Vul een aantal fte in"));
    assert!(
        !bad_new.body.contains("Vul dit veld in."),
        "{}",
        bad_new.body
    );
}

#[tokio::test]
async fn rounds_and_own_competences_are_kept_with_clear_errors() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut hr = app.login("hr@alpha.test", PASSWORD).await;
    let bad = hr
        .api(
            Method::POST,
            "/api/v1/assessment-rounds",
            Some(json!({"name": "", "starts_on": "2026-13-01"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.errors(),
        [
            pair("name", "required"),
            pair("starts_on", "period_invalid")
        ]
    );
    assert_eq!(app.count("assessment_rounds").await, 0);
    let audit = app.audit_count().await;
    created(
        &mut hr,
        "/api/v1/assessment-rounds",
        json!({"name": "Nulmeting", "starts_on": "2026-03-01"}),
    )
    .await;
    assert_eq!(app.audit_count().await, audit + 1);
    let same_day = hr
        .api(
            Method::POST,
            "/api/v1/assessment-rounds",
            Some(json!({"name": "Andere", "starts_on": "2026-03-01"})),
        )
        .await;
    assert_eq!(same_day.status, StatusCode::CONFLICT);
    assert_eq!(same_day.errors(), [pair("starts_on", "taken")]);
    let same_name = hr
        .api(
            Method::POST,
            "/api/v1/assessment-rounds",
            Some(json!({"name": "Nulmeting", "starts_on": "2026-09-01"})),
        )
        .await;
    assert_eq!(same_name.errors(), [pair("name", "taken")]);
    created(
        &mut hr,
        "/api/v1/assessment-rounds",
        json!({"name": "Tweede meting", "starts_on": "2026-01-15"}),
    )
    .await;
    let rounds = hr.get("/api/v1/assessment-rounds").await.json();
    assert_eq!(rounds["items"][0]["name"], "Tweede meting", "by start date");
    assert_eq!(rounds["items"][1]["starts_on"], "2026-03-01");
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    let refused = employee
        .api(
            Method::POST,
            "/api/v1/assessment-rounds",
            Some(json!({"name": "X", "starts_on": "2026-05-01"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An own competence is renamed; a code of another competence is taken.
    let own = id_of(
        &mut hr,
        "/api/v1/competence-frameworks",
        json!({"name": "Toekomst", "levels": ["Basis", "Expert"]}),
    )
    .await;
    let path = format!("/api/v1/competence-frameworks/{own}/competences");
    let ai = id_of(
        &mut hr,
        &path,
        json!({"code": "AI", "name": "Werken met AI"}),
    )
    .await;
    id_of(&mut hr, &path, json!({"code": "DATA", "name": "Data"})).await;
    let renamed = hr
        .api(
            Method::PATCH,
            &format!("/api/v1/competences/{ai}"),
            Some(json!({"name": "Werken met AI-assistenten"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json()["code"], "AI");
    assert_eq!(renamed.json()["name"], "Werken met AI-assistenten");
    let clash = hr
        .api(
            Method::PATCH,
            &format!("/api/v1/competences/{ai}"),
            Some(json!({"code": "DATA"})),
        )
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.errors(), [pair("code", "taken")]);
    let settings = hr.get("/api/v1/skills-settings").await.json();
    assert_eq!(settings["min_group_size"], 5);
}

/// Posts a CSV to the employees import as the API takes it.
async fn import_csv(
    client: &mut Client,
    file: &str,
    dry_run: bool,
) -> crate::helpers::TestResponse {
    let token = client.csrf_token().await;
    client
        .send(
            Method::POST,
            &format!("/api/v1/employee-imports?dry_run={dry_run}"),
            Some("text/csv"),
            file.as_bytes().to_vec(),
            &[("x-csrf-token", &token)],
        )
        .await
}

#[tokio::test]
async fn an_employees_import_is_all_or_nothing_and_names_row_and_column() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    // A unit by a name only the other organisation has is unknown here.
    id_of(&mut beta, "/api/v1/units", json!({"name": "Alleen Beta"})).await;
    let noord = s.noord;
    let existing = employee(&mut s, "1001", noord, Some(2)).await;
    let before = app.count("employees").await;
    let audit = app.audit_count().await;

    let bad = "Personeelsnummer;Naam;Eenheid;Functieprofiel;E-mail;Actief\n\
               2001;Nieuwe Collega;Noord;Medewerker dienstverlening;;ja\n\
               2002;Tweede;Alleen Beta;;;\n\
               2003;;Zuid;Onbekend profiel;;misschien\n\
               2001;Dubbel;Noord;;;\n\
               2004;Account;Noord;;admin@beta.test;\n";
    let refused = import_csv(&mut s.hr, bad, false).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        refused.errors(),
        [
            pair("rows[3].unit", "unknown_unit"),
            pair("rows[4].role", "unknown_role_profile"),
            pair("rows[4].active", "yes_or_no"),
            pair("rows[4].name", "required"),
            pair("rows[5].number", "duplicate_number"),
            pair("rows[6].email", "unknown_member"),
        ]
    );
    assert_eq!(app.count("employees").await, before, "nothing half-written");
    assert_eq!(app.audit_count().await, audit);
    let missing = import_csv(&mut s.hr, "naam;eenheid\nIemand;Noord\n", false).await;
    assert_eq!(missing.errors(), [pair("columns.number", "missing_column")]);

    // Not for everyone: an employee may not import the register.
    let mut plain = app.login("employee@alpha.test", PASSWORD).await;
    let forbidden = import_csv(&mut plain, "number;name\n9;X\n", false).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // A dry run counts and writes nothing; the real run moves 1001 to Zuid
    // team (taking their assessed level along) and adds two.
    let good = "number,name,unit,role,email,active\n\
                1001,Medewerker 1001,Zuid team,Medewerker dienstverlening,employee@alpha.test,yes\n\
                2001,Nieuwe Collega,noord,Medewerker dienstverlening,,\n\
                2002,Oud Collega,,,,no\n";
    let dry = import_csv(&mut s.hr, good, true).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let dry = dry.json();
    assert_eq!(
        (
            &dry["rows"],
            &dry["created"],
            &dry["updated"],
            &dry["unchanged"]
        ),
        (&json!(3), &json!(2), &json!(1), &json!(0))
    );
    assert_eq!(app.count("employees").await, before);
    let audit = app.audit_count().await;
    let done = import_csv(&mut s.hr, good, false).await.json();
    assert_eq!(done["dry_run"], false);
    assert_eq!(app.count("employees").await, before + 2);
    assert_eq!(
        app.audit_count().await,
        audit + 3,
        "one entry per employee changed"
    );
    let moved =
        s.hr.get(&format!("/api/v1/employees/{existing}"))
            .await
            .json();
    assert_eq!(moved["unit_id"], s.team);
    assert_eq!(
        moved["user_id"],
        user_id(&mut s.hr, "employee@alpha.test").await
    );
    // The kept gap sums equal a rebuild from scratch: 1001's level now
    // counts in Zuid team.
    let store = app.state.store();
    let organisation = store.organisation_by_slug("alpha").await.unwrap().id;
    let sorted = |mut sums: Vec<koers::skills::gaps::GapSum>| {
        sums.sort_by_key(|g| (g.unit, g.role, g.competence));
        sums
    };
    let kept = sorted(store.gap_sums(organisation).await.unwrap());
    store.rebuild_gap_sums(organisation).await.unwrap();
    assert_eq!(sorted(store.gap_sums(organisation).await.unwrap()), kept);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].unit, Some(koers::domain::UnitId(s.team)));
    // The same file again changes nothing.
    let again = import_csv(&mut s.hr, good, false).await.json();
    assert_eq!(
        (&again["unchanged"], &again["created"]),
        (&json!(3), &json!(0))
    );
    // Another account may not be linked twice.
    let taken = import_csv(
        &mut s.hr,
        "number;e-mail\n2001;employee@alpha.test\n",
        false,
    )
    .await;
    assert_eq!(taken.errors(), [pair("rows[2].email", "taken")]);
    // The other organisation's register is untouched and unseen.
    let theirs = beta.get("/api/v1/employees").await.json();
    assert_eq!(theirs["total"], 0);
}

#[tokio::test]
async fn the_import_page_previews_then_imports_and_shows_problems_by_row() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let before = app.count("employees").await;
    let page = s.hr.get("/skills/employees/import").await;
    assert_eq!(page.status, StatusCode::OK);
    let bad =
        s.hr.post_file(
            "/skills/employees/import",
            true,
            "hr.csv",
            b"nummer;naam;eenheid\n7;A;Nergens\n",
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("eenheid"), "{}", bad.body);
    assert!(
        bad.body
            .contains("<td class=\"utrecht-table__cell\">2</td>"),
        "{}",
        bad.body
    );
    let empty =
        s.hr.post_file("/skills/employees/import", true, "leeg.csv", b"")
            .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("id=\"file-error\""), "{}", empty.body);
    let preview =
        s.hr.post_file(
            "/skills/employees/import",
            true,
            "hr.csv",
            b"nummer;naam;eenheid\n7;A;Noord\n8;B;Zuid\n",
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("2 nieuwe medewerkers"),
        "{}",
        preview.body
    );
    assert_eq!(app.count("employees").await, before);
    let action = preview
        .body
        .split("action=\"/skills/employees/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    // Someone else cannot confirm HR's upload, nor can it be confirmed as
    // a measurements import.
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let other = admin
        .post_form(&format!("/skills/employees/import/{action}"), &[])
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let wrong_kind =
        s.hr.post_form(&format!("/indicators/import/{action}"), &[])
            .await;
    assert_eq!(wrong_kind.status, StatusCode::NOT_FOUND);
    let confirmed =
        s.hr.post_form(&format!("/skills/employees/import/{action}"), &[])
            .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    assert_eq!(app.count("employees").await, before + 2);
}

/// Gives the five people of `unit` (numbers `prefix0`…) manager levels.
async fn assess_all(s: &mut Setup, ids: &[i64], levels: &[i64]) {
    for (id, level) in ids.iter().zip(levels) {
        created(
            &mut s.hr,
            &format!("/api/v1/employees/{id}/assessments"),
            json!({"source": "manager", "assessments": [{"competence_id": s.c11, "level": level}]}),
        )
        .await;
    }
}

#[tokio::test]
async fn learning_actions_show_their_groups_gap_before_and_after_over_fixed_rounds() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let (noord, zuid) = (s.noord, s.zuid);
    created(
        &mut s.hr,
        "/api/v1/assessment-rounds",
        json!({"name": "Nulmeting", "starts_on": "2026-11-01"}),
    )
    .await;
    let mut north = Vec::new();
    for i in 0..5 {
        north.push(employee(&mut s, &format!("N{i}"), noord, None).await);
        employee(&mut s, &format!("Z{i}"), zuid, Some(4)).await;
    }
    // Noord: shortfalls to 4 of 2, 0, 0, 1, 3 = 6 / 5.
    assess_all(&mut s, &north, &[2, 4, 5, 3, 1]).await;

    // Bad input: both a unit and a role, an unknown competence, another
    // organisation's unit; nothing is written.
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let theirs = id_of(&mut beta, "/api/v1/units", json!({"name": "Elders"})).await;
    let before = app.count("learning_actions").await;
    let both =
        s.hr.api(
            Method::POST,
            "/api/v1/learning-actions",
            Some(
                json!({"title": "Cursus", "kind": "training", "competence_id": s.c11,
                        "unit_id": noord, "role_profile_id": s.role, "planned_on": "2026-12-15"}),
            ),
        )
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        both.errors(),
        [pair("role_profile_id", "group_unit_or_role")]
    );
    let empty =
        s.hr.api(Method::POST, "/api/v1/learning-actions", Some(json!({})))
            .await;
    assert_eq!(
        empty.errors(),
        [
            pair("title", "required"),
            pair("kind", "required"),
            pair("competence_id", "required"),
            pair("planned_on", "required"),
        ]
    );
    let foreign =
        s.hr.api(
            Method::POST,
            "/api/v1/learning-actions",
            Some(
                json!({"title": "Cursus", "kind": "coaching", "competence_id": 999_999,
                        "unit_id": theirs, "planned_on": "2026-12-15"}),
            ),
        )
        .await;
    assert_eq!(
        foreign.errors(),
        [
            pair("competence_id", "unknown_competence"),
            pair("unit_id", "unknown_unit")
        ]
    );
    assert_eq!(app.count("learning_actions").await, before);
    let mut plain = app.login("employee@alpha.test", PASSWORD).await;
    let forbidden = plain.get("/api/v1/learning-actions").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let audit = app.audit_count().await;
    let course = created(
        &mut s.hr,
        "/api/v1/learning-actions",
        json!({"title": "Informatievaardigheden", "kind": "training", "competence_id": s.c11,
               "unit_id": noord, "planned_on": "2026-12-15"}),
    )
    .await;
    assert_eq!(course["status"], "planned");
    assert_eq!(app.audit_count().await, audit + 1);
    let course = course["id"].as_i64().unwrap();
    // Another organisation cannot see or change it.
    let hidden = beta
        .get(&format!("/api/v1/learning-actions/{course}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let untouched = beta
        .api(
            Method::DELETE,
            &format!("/api/v1/learning-actions/{course}"),
            None,
        )
        .await;
    assert_eq!(untouched.status, StatusCode::NOT_FOUND);

    // One round so far: no "after" yet.
    let trend = s.hr.get("/api/v1/skill-gaps/trend").await.json();
    assert_eq!(trend["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(trend["rounds"][0]["fixed"], false);
    assert_eq!(trend["rounds"][0]["overall"]["gap_now"], 0.6);
    assert_eq!(trend["actions"][0]["cells"][0]["gap_now"], 1.2);
    assert_eq!(trend["actions"][0]["after_round_id"], Value::Null);

    // The course happens; a second round starts and Noord reaches level 4.
    created(
        &mut s.hr,
        "/api/v1/assessment-rounds",
        json!({"name": "Tweede meting", "starts_on": "2027-01-10"}),
    )
    .await;
    app.clock.advance(time::Duration::days(46));
    // Sessions do not last that long.
    s.hr = app.login("hr@alpha.test", PASSWORD).await;
    let mut plain = app.login("employee@alpha.test", PASSWORD).await;
    assess_all(&mut s, &north, &[4, 4, 5, 4, 4]).await;
    let done =
        s.hr.api(
            Method::PATCH,
            &format!("/api/v1/learning-actions/{course}"),
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let trend = s.hr.get("/api/v1/skill-gaps/trend").await.json();
    assert_eq!(trend["rounds"][0]["fixed"], true);
    assert_eq!(trend["rounds"][1]["fixed"], false);
    let effect = &trend["actions"][0];
    assert_eq!(
        effect["cells"][0]["gap_now"], 1.2,
        "as measured before the second round"
    );
    assert_eq!(effect["cells"][1]["gap_now"], 0.0);
    assert_eq!(effect["change_now"], -1.2);
    let rounds = s.hr.get("/api/v1/assessment-rounds").await.json();
    assert_eq!(rounds["items"][0]["fixed"], true);

    // The workbook holds the aggregates; an employee may not have it.
    let file = s.hr.get("/api/v1/skill-gaps/export").await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-type").contains("spreadsheetml"));
    use calamine::Reader as _;
    let mut workbook =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes.clone())).expect("a workbook");
    assert_eq!(
        workbook.sheet_names(),
        [
            "Heatmap nu",
            "Heatmap horizon",
            "Prioriteiten",
            "Formatie",
            "Meetronden",
            "Leeracties"
        ]
    );
    let actions = workbook.worksheet_range("Leeracties").unwrap();
    assert_eq!(
        actions.get_value((1, 0)),
        Some(&calamine::Data::String("Informatievaardigheden".into()))
    );
    assert_eq!(
        actions.get_value((1, 6)),
        Some(&calamine::Data::Float(-1.2))
    );
    let refused = plain.get("/api/v1/skill-gaps/export").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A fixed round keeps what was measured: moving people later changes
    // the current round only.
    for id in &north {
        s.hr.api(
            Method::PATCH,
            &format!("/api/v1/employees/{id}"),
            Some(json!({"unit_id": zuid})),
        )
        .await;
    }
    let later = s.hr.get("/api/v1/skill-gaps/trend").await.json();
    assert_eq!(later["actions"][0]["cells"][0]["gap_now"], 1.2);
    assert_eq!(later["actions"][0]["cells"][1]["status"], "empty");

    // The pages show the same, with the caveat.
    let list = s.hr.get("/skills/actions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Informatievaardigheden"),
        "{}",
        list.body
    );
    assert!(list.body.contains("1,2 → "), "{}", list.body);
    let page = s.hr.get(&format!("/skills/actions/{course}")).await;
    assert!(page.body.contains("Nulmeting"), "{}", page.body);
    let refused =
        s.hr.post_form(
            "/skills/actions",
            &[
                ("title", ""),
                ("kind", "training"),
                ("competence_id", &s.c11.to_string()),
                ("group", "unit-999999"),
                ("planned_on", "morgen"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    for field in ["title", "planned_on"] {
        assert!(
            refused.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.body
        );
    }
    let unknown_group =
        s.hr.post_form(
            "/skills/actions",
            &[
                ("title", "Coaching"),
                ("kind", "coaching"),
                ("competence_id", &s.c11.to_string()),
                ("group", "unit-999999"),
                ("planned_on", "2027-02-01"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(unknown_group.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown_group.body.contains("id=\"group-error\""),
        "{}",
        unknown_group.body
    );
    let overview = s.hr.get("/skills").await;
    assert!(
        overview.body.contains("id=\"overall-trend\""),
        "{}",
        overview.body
    );

    // Deleting is audited and leaves nothing behind.
    let audit = app.audit_count().await;
    let gone =
        s.hr.api(
            Method::DELETE,
            &format!("/api/v1/learning-actions/{course}"),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.audit_count().await, audit + 1);
    assert_eq!(app.count("learning_actions").await, before);
}

#[tokio::test]
async fn a_round_started_in_between_reopens_the_round_it_shortens() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let noord = s.noord;
    for (name, day) in [("Eerste", "2026-01-05"), ("Derde", "2026-09-01")] {
        created(
            &mut s.hr,
            "/api/v1/assessment-rounds",
            json!({"name": name, "starts_on": day}),
        )
        .await;
    }
    for i in 0..5 {
        employee(&mut s, &format!("N{i}"), noord, Some(2)).await;
    }
    let trend = s.hr.get("/api/v1/skill-gaps/trend").await.json();
    assert_eq!(trend["rounds"][0]["fixed"], true);
    // Assessed on 27 November: after both starts, so the first round had
    // nobody yet.
    assert_eq!(trend["rounds"][0]["overall"]["status"], "empty");
    assert_eq!(trend["rounds"][1]["overall"]["gap_now"], 2.0);
    created(
        &mut s.hr,
        "/api/v1/assessment-rounds",
        json!({"name": "Tweede", "starts_on": "2026-05-01"}),
    )
    .await;
    let rounds = s.hr.get("/api/v1/assessment-rounds").await.json();
    let fixed: Vec<&Value> = rounds["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["fixed"])
        .collect();
    assert_eq!(fixed, [&json!(false), &json!(false), &json!(false)]);
    let trend = s.hr.get("/api/v1/skill-gaps/trend").await.json();
    let names: Vec<&Value> = trend["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(names, [&json!("Eerste"), &json!("Tweede"), &json!("Derde")]);
    assert_eq!(trend["rounds"][0]["fixed"], true);
    assert_eq!(trend["rounds"][1]["fixed"], true);
}

#[tokio::test]
async fn competences_and_role_profiles_are_deleted_only_when_nothing_uses_them() {
    let app = spawn_app().await;
    let mut s = setup(&app).await;
    let noord = s.noord;
    let own = id_of(
        &mut s.hr,
        "/api/v1/competence-frameworks",
        json!({"name": "Eigen", "levels": ["Laag", "Hoog"]}),
    )
    .await;
    let path = format!("/api/v1/competence-frameworks/{own}/competences");
    let spare = id_of(
        &mut s.hr,
        &path,
        json!({"code": "E.1", "name": "Ongebruikt"}),
    )
    .await;
    let used = id_of(&mut s.hr, &path, json!({"code": "E.2", "name": "Gevraagd"})).await;
    let needing = id_of(
        &mut s.hr,
        "/api/v1/role-profiles",
        json!({"name": "Met eis", "fte_now": 1, "fte_needed": 1, "horizon_on": "2028-12-31",
               "requirements": [{"competence_id": used, "level_now": 1, "level_horizon": 2}]}),
    )
    .await;

    // Built in, required, or someone else's: refused, nothing removed.
    let builtin =
        s.hr.api(
            Method::DELETE,
            &format!("/api/v1/competences/{}", s.c11),
            None,
        )
        .await;
    assert_eq!(builtin.status, StatusCode::CONFLICT);
    let required =
        s.hr.api(Method::DELETE, &format!("/api/v1/competences/{used}"), None)
            .await;
    assert_eq!(required.status, StatusCode::CONFLICT);
    assert_eq!(required.errors(), [pair("competence", "in_use")]);
    let mut beta = app.login("admin@beta.test", PASSWORD).await;
    let foreign = beta
        .api(
            Method::DELETE,
            &format!("/api/v1/competences/{spare}"),
            None,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let mut plain = app.login("employee@alpha.test", PASSWORD).await;
    let forbidden = plain
        .api(
            Method::DELETE,
            &format!("/api/v1/competences/{spare}"),
            None,
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let audit = app.audit_count().await;
    let gone =
        s.hr.api(
            Method::DELETE,
            &format!("/api/v1/competences/{spare}"),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.audit_count().await, audit + 1);

    // A role an employee has (even a former one) stays; an unused one goes
    // with its requirements, and then its competence is free.
    employee(&mut s, "R1", noord, Some(3)).await;
    let role = s.role;
    let held =
        s.hr.api(
            Method::DELETE,
            &format!("/api/v1/role-profiles/{role}"),
            None,
        )
        .await;
    assert_eq!(held.errors(), [pair("role_profile", "in_use")]);
    let page =
        s.hr.post_form(&format!("/skills/roles/{role}/delete"), &[])
            .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("id=\"delete-role-error\""),
        "{}",
        page.body
    );
    let requirements = app.count("role_requirements").await;
    let gone =
        s.hr.post_form(&format!("/skills/roles/{needing}/delete"), &[])
            .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(app.count("role_requirements").await, requirements - 1);
    let missing = s.hr.get(&format!("/api/v1/role-profiles/{needing}")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let freed =
        s.hr.post_form(&format!("/skills/competences/{used}/delete"), &[])
            .await;
    assert_eq!(freed.status, StatusCode::SEE_OTHER, "{}", freed.body);
    let page =
        s.hr.post_form(&format!("/skills/competences/{}/delete", s.c11), &[])
            .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    // An own competence in use gets its message beside its button.
    let again = id_of(
        &mut s.hr,
        &path,
        json!({"code": "E.3", "name": "Weer gevraagd"}),
    )
    .await;
    id_of(
        &mut s.hr,
        "/api/v1/role-profiles",
        json!({"name": "Weer met eis", "fte_now": 1, "fte_needed": 1, "horizon_on": "2028-12-31",
               "requirements": [{"competence_id": again, "level_now": 1, "level_horizon": 2}]}),
    )
    .await;
    let page =
        s.hr.post_form(&format!("/skills/competences/{again}/delete"), &[])
            .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body
            .contains(&format!("id=\"delete-competence-{again}-error\"")),
        "{}",
        page.body
    );
}
