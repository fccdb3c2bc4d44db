//! Several `koers serve` processes on one database share sessions: nothing
//! about a login lives in one process's memory.

use std::sync::Arc;

use reqwest::redirect::Policy;

use crate::helpers::{PASSWORD, csrf_from, fresh_database, test_settings};

async fn start_server(url: &str, schema: Option<String>) -> String {
    let mut settings = test_settings(url);
    settings.listen = "127.0.0.1:0".parse().unwrap();
    let state =
        koers::startup::prepare_state(settings, Arc::new(koers::clock::SystemClock), schema)
            .await
            .unwrap();
    let app = koers::startup::Application::build(state).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

#[tokio::test]
async fn a_session_started_on_one_server_works_on_another() {
    let (url, schema, _dir) = fresh_database().await;
    let first = start_server(&url, schema.clone()).await;
    let second = start_server(&url, schema.clone()).await;

    // Seed through the first server's database.
    let seed_state = koers::startup::prepare_state(
        test_settings(&url),
        Arc::new(koers::clock::SystemClock),
        schema,
    )
    .await
    .unwrap();
    let meta = koers::store::AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "test".into(),
        client_address: None,
        at: time::OffsetDateTime::now_utc(),
    };
    let organisation = koers::organisations::service::create(
        &seed_state,
        &meta,
        "Gemeente Gedeeld",
        "gedeeld",
        "municipality",
    )
    .await
    .unwrap();
    let input = koers::users::NewMemberInput {
        email: Some("admin@gedeeld.test".into()),
        name: Some("Admin".into()),
        role: Some("admin".into()),
        locale: None,
    };
    let hash = koers::auth::password::hash_password(
        koers::auth::password::HashCost::TESTING,
        &koers::domain::Password::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    let member = koers::users::NewMember {
        password_hash: Some(hash),
        ..koers::users::NewMember::parse(&input).unwrap()
    };
    seed_state
        .store()
        .add_member(&meta, organisation.id, &member)
        .await
        .unwrap();

    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let login_page = client.get(format!("{first}/login")).send().await.unwrap();
    let pre_cookie = login_page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let token = csrf_from(&login_page.text().await.unwrap());
    let login = client
        .post(format!("{first}/login"))
        .header("cookie", &pre_cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("csrf_token", token.as_str()),
                ("email", "admin@gedeeld.test"),
                ("password", PASSWORD),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let session = login
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    // The other server knows the session, for pages and for form posts.
    let page = client
        .get(format!("{second}/units"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let csrf = csrf_from(&html);
    let created = client
        .post(format!("{second}/units"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("csrf_token", csrf.as_str()),
                ("name", "Gemaakt op server twee"),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let listed = client
        .get(format!("{first}/api/v1/units"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = listed.json().await.unwrap();
    assert_eq!(body["items"][0]["name"], "Gemaakt op server twee");

    // Logging out on one ends the session on both.
    let logout = client
        .post(format!("{second}/logout"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("csrf_token", csrf.as_str())]).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    let after = client
        .get(format!("{first}/"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303);
}
