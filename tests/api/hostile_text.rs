//! Known cross-site scripting payloads typed into the text fields of every
//! module come back on every page as text, never as markup: the test
//! stores them, walks the site as its administrator following every link,
//! and looks for any of them unescaped.

use std::collections::{BTreeSet, VecDeque};

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, spawn_app};

/// Payloads that break out of text, of an attribute, of a textarea, or
/// hide script in a link; the last one is Markdown.
const PAYLOADS: [&str; 6] = [
    "<script>alert('xss-1')</script>",
    "\"><img src=x onerror=alert('xss-2')>",
    "'><svg onload=alert('xss-3')>",
    "</textarea><script>alert('xss-4')</script>",
    "x\" autofocus onfocus=\"alert('xss-5')",
    "[klik](javascript:alert('xss-6')) <iframe src=\"javascript:alert('xss-7')\"></iframe>",
];

/// A tag's name and its attributes (name, value), read as a browser does:
/// values in quotes may hold spaces.
fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut chars = inner.chars().peekable();
    let name: String = chars
        .by_ref()
        .take_while(|c| !c.is_whitespace() && *c != '/')
        .collect();
    let mut attributes = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let mut attribute = String::new();
        while let Some(c) = chars.peek().copied() {
            if c.is_whitespace() || c == '=' || c == '/' {
                break;
            }
            attribute.push(c);
            chars.next();
        }
        if attribute.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(quote @ ('"' | '\'')) => {
                    chars.next();
                    value = chars.by_ref().take_while(|c| *c != quote).collect();
                }
                _ => {
                    while let Some(c) = chars.peek().copied() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        attributes.push((attribute.to_lowercase(), value));
    }
    (name.to_lowercase(), attributes)
}

/// What is wrong with a tag, if it is one a payload made: an event
/// handler attribute (the pages have none: the content-security policy
/// forbids inline script), a `javascript:` address, an inline script, or an
/// element only a payload brings.
fn injected(tag: &str) -> Option<&'static str> {
    let (name, attributes) = parse_tag(tag);
    let has = |wanted: &str| attributes.iter().any(|(n, _)| n == wanted);
    if attributes.iter().any(|(n, _)| n.starts_with("on")) {
        Some("an event handler")
    } else if attributes
        .iter()
        .any(|(_, v)| v.trim().to_lowercase().starts_with("javascript:"))
    {
        Some("a javascript: address")
    } else if name == "script" && !has("src") {
        Some("an inline script")
    } else if name == "iframe"
        || (name == "img" && attributes.iter().any(|(n, v)| n == "src" && v == "x"))
    {
        Some("an element from a payload")
    } else if has("autofocus") && !["input", "textarea", "select"].contains(&name.as_str()) {
        Some("autofocus on an element that is no field")
    } else {
        None
    }
}

/// Every tag of a page, from `<` and a letter to the next `>` (text and
/// attribute values carry `<` and `>` only escaped).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let end = after.find('>').map_or(rest.len(), |e| at + 1 + e + 1);
            out.push(&rest[at..end]);
            rest = &rest[end..];
        } else {
            rest = after;
        }
    }
    out
}

fn payload(n: usize) -> String {
    PAYLOADS[n % PAYLOADS.len()].to_owned()
}

async fn made(client: &mut Client, path: &str, body: Value) -> i64 {
    let response = client.api(Method::POST, path, Some(body)).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{path}: {}",
        response.body
    );
    response.json()["id"].as_i64().unwrap()
}

/// The site-internal links of a page, with `&amp;` read back.
fn links(html: &str) -> Vec<String> {
    html.match_indices("href=\"/")
        .map(|(at, _)| {
            let rest = &html[at + "href=\"".len()..];
            rest[..rest.find('"').unwrap_or(rest.len())].replace("&amp;", "&")
        })
        .collect()
}

fn walkable(link: &str) -> bool {
    let path = link.split(['?', '#']).next().unwrap_or(link);
    !(path.starts_with("/assets")
        || path.starts_with("/api/")
        || path == "/logout"
        || [".pdf", ".csv", ".xlsx", ".json", ".zip", ".svg", ".png"]
            .iter()
            .any(|end| path.ends_with(end)))
}

#[tokio::test]
async fn script_typed_into_any_text_field_never_runs_on_any_page() {
    let app = spawn_app().await;
    app.two_organisations().await;
    let mut admin = app.login("admin@alpha.test", PASSWORD).await;
    let mut n = 0;
    let mut next = || {
        n += 1;
        payload(n)
    };

    let unit = made(&mut admin, "/api/v1/units", json!({"name": next()})).await;
    let indicator = made(
        &mut admin,
        "/api/v1/indicators",
        json!({"code": "XSS", "name": next(), "description": next(), "unit": "count",
               "direction": "higher_is_better", "frequency": "month"}),
    )
    .await;
    let recorded = admin
        .api(
            Method::POST,
            &format!("/api/v1/indicators/{indicator}/measurements"),
            Some(json!({"measurements": [{"period": "2026-01", "value": 3, "note": next()}]})),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    let programme = made(
        &mut admin,
        "/api/v1/programmes",
        json!({"name": next(), "vision": PAYLOADS.join("\n\n"),
               "starts_on": "2026-01-01", "ends_on": "2027-01-01"}),
    )
    .await;
    made(
        &mut admin,
        &format!("/api/v1/programmes/{programme}/ambitions"),
        json!({"title": next(), "description": next()}),
    )
    .await;
    made(
        &mut admin,
        &format!("/api/v1/programmes/{programme}/decisions"),
        json!({"title": next(), "decided_on": "2026-01-01"}),
    )
    .await;
    made(
        &mut admin,
        &format!("/api/v1/programmes/{programme}/bodies"),
        json!({"kind": "steering_committee", "name": next()}),
    )
    .await;
    made(&mut admin, "/api/v1/future-labs", json!({"name": next()})).await;
    made(
        &mut admin,
        "/api/v1/data-assets",
        json!({"name": next(), "completeness": 3, "timeliness": 3, "openness": "closed",
               "update_frequency": "daily"}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/idea-campaigns",
        json!({"title": next(), "opens_on": "2020-01-01", "closes_on": "2099-12-31"}),
    )
    .await;
    let instruments = admin.get("/api/v1/survey-instruments").await.json();
    made(
        &mut admin,
        "/api/v1/survey-waves",
        json!({"instrument_id": instruments["items"][0]["id"], "name": next(),
               "opens_on": "2026-11-01", "closes_on": "2026-12-31"}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/initiatives",
        json!({"kind": "experiment", "title": next(), "problem": next(),
               "hypothesis": next(), "learning_goals": [next()], "unit_id": unit}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/partners",
        json!({"name": next(), "kind": "company"}),
    )
    .await;
    let idea = made(
        &mut admin,
        "/api/v1/ideas",
        json!({"title": next(), "problem": next(), "proposal": next(), "tags": ["<svg onload=alert(1)>"]}),
    )
    .await;
    let mut employee = app.login("employee@alpha.test", PASSWORD).await;
    made(
        &mut employee,
        &format!("/api/v1/ideas/{idea}/comments"),
        json!({"body": next()}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/services",
        json!({"name": next(), "maturity": 1}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/strategic-assets",
        json!({"name": next(), "kind": "data"}),
    )
    .await;
    let profile = made(
        &mut admin,
        "/api/v1/role-profiles",
        json!({"name": next(), "fte_now": 1, "fte_needed": 2, "horizon_on": "2028-01-01"}),
    )
    .await;
    made(
        &mut admin,
        "/api/v1/employees",
        json!({"number": "X1", "name": next(), "role_profile_id": profile, "unit_id": unit}),
    )
    .await;
    let frameworks = admin.get("/api/v1/competence-frameworks").await.json();
    let competences = admin
        .get(&format!(
            "/api/v1/competences?framework_id={}",
            frameworks["items"][0]["id"]
        ))
        .await
        .json();
    made(
        &mut admin,
        "/api/v1/learning-actions",
        json!({"title": next(), "kind": "training", "competence_id": competences["items"][0]["id"],
               "role_profile_id": profile, "planned_on": "2027-01-01"}),
    )
    .await;

    // A form that comes back with an error shows what was typed, in its
    // fields, still as text.
    for (path, fields) in [
        (
            "/units",
            vec![("name", PAYLOADS[3]), ("parent_id", "999999")],
        ),
        (
            "/ideas",
            vec![
                ("title", PAYLOADS[1]),
                ("problem", PAYLOADS[4]),
                ("proposal", ""),
            ],
        ),
    ] {
        let failed = admin.post_form(path, &fields).await;
        assert_eq!(
            failed.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            failed.body
        );
        for tag in tags(&failed.body) {
            if let Some(fault) = injected(tag) {
                panic!("{path} (form with errors): {fault} in {tag}");
            }
        }
    }

    // Walk everything the administrator can reach from the start page.
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned()]);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut pages_with_payload = 0;
    while let Some(path) = queue.pop_front() {
        assert!(seen.len() < 1500, "the walk did not end");
        if !seen.insert(path.clone()) {
            continue;
        }
        let page = admin.get(&path).await;
        let html_page = page.header("content-type").starts_with("text/html");
        if page.status != StatusCode::OK || !html_page {
            continue;
        }
        for tag in tags(&page.body) {
            if let Some(fault) = injected(tag) {
                panic!("{path}: {fault} in {tag}");
            }
        }
        if page.body.contains("alert(&#x27;xss-") || page.body.contains("alert(&#39;xss-") {
            pages_with_payload += 1;
        }
        for link in links(&page.body) {
            if walkable(&link) && !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    assert!(seen.len() >= 40, "walked only {} pages", seen.len());
    eprintln!(
        "walked {} pages; the payloads showed, as text, on {pages_with_payload}",
        seen.len()
    );
    // The control: the payloads were on the pages, as text.
    assert!(
        pages_with_payload >= 15,
        "the payloads showed on only {pages_with_payload} pages"
    );
}

#[test]
fn the_check_finds_what_an_unescaped_payload_would_make() {
    for (html, fault) in [
        (
            r#"<img src=x onerror=alert('xss-2')>"#,
            Some("an event handler"),
        ),
        (
            r#"<input value="x" autofocus onfocus="alert('xss-5')">"#,
            Some("an event handler"),
        ),
        (
            r#"<a href="javascript:alert('xss-6')">klik</a>"#,
            Some("a javascript: address"),
        ),
        ("<script>alert('xss-1')</script>", Some("an inline script")),
        (
            r#"<iframe src="https://elders.example"></iframe>"#,
            Some("an element from a payload"),
        ),
        // Escaped, as the pages show it: text, not markup.
        (
            r#"<input name="title" value="&#39;&#62;&#60;svg onload=alert(1)&#62;">"#,
            None,
        ),
        (r#"<script src="/assets/app.js" defer></script>"#, None),
        (r#"<p>x" autofocus onfocus="alert(1)</p>"#, None),
    ] {
        let found = tags(html).into_iter().find_map(injected);
        assert_eq!(found, fault, "{html}");
    }
}
