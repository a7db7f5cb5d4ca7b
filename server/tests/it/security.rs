//! Stored text never becomes markup, and every answer carries the browser's own defences.
//!
//! - Every form that shows stored text in a `<textarea>` gets payloads that try to end the
//!   textarea and start a script; the server's page is parsed with a real HTML parser (html5ever,
//!   as browsers parse) and must hold no element the payload made, with the textarea's value
//!   exactly what was stored.
//! - The security headers on a public page, a cached public page, a signed-in page, a server
//!   function and an export; a cached page carries a fresh nonce each time.
//!
//! SQLite and PostgreSQL.

use crate::common;
use crate::common::{TestServer, each_engine, match_of, ok, signed_in};
use scraper::{Html, Selector};
use serde_json::json;

const COORDINATOR: &str = "coordinator@example.org";
const MENTOR: &str = "mentor@example.org";
const MENTEE: &str = "mentee@example.org";

/// Each tries to close the textarea and make an element; the last must show as typed.
const PAYLOADS: &[&str] = &[
    "</textarea><script>window.__pwned=1</script>",
    "</textarea><img src=x onerror=\"window.__pwned=2\">",
    "</TEXTAREA ><svg onload=window.__pwned=3>",
    "Keep <b>this</b> & &amp; as typed",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

/// The page holds no element a payload made, and `textarea` shows exactly `stored`.
fn assert_inert(html: &str, textarea: &str, stored: &str, what: &str) {
    let doc = Html::parse_document(html);
    let made: Vec<String> = doc
        .select(&selector("*"))
        .filter(|el| {
            let e = el.value();
            let text = el.text().collect::<String>();
            // Leptos's own scripts carry stored text as data (with `<` escaped); a script the
            // payload made holds just its code.
            let payload_script = e.name() == "script" && text.trim().starts_with("window.__pwned");
            let handler = e.attrs().any(|(name, _)| name.starts_with("on"));
            let bold = e.name() == "b" && text == "this";
            payload_script || handler || bold
        })
        .map(|el| el.html())
        .collect();
    assert!(
        made.is_empty(),
        "{what}: the payload made elements: {made:?}"
    );
    let boxes: Vec<_> = doc.select(&selector(textarea)).collect();
    assert_eq!(boxes.len(), 1, "{what}: one {textarea} on the page");
    assert_eq!(
        boxes[0].text().collect::<String>(),
        stored,
        "{what}: the textarea shows what was stored"
    );
}

async fn page(c: &reqwest::Client, s: &TestServer, path: &str) -> String {
    let r = c.get(s.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

async fn stored(s: &TestServer, sql: &str, id: i64) -> String {
    sqlx::query_scalar::<_, String>(sql)
        .bind(id)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn stored_text_in_every_textarea_stays_text() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        let match_id = match_of(&s, MENTEE).await;
        let mentee_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(MENTEE)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        let mut sheet_version = 0;
        let (mut event, mut issue, mut resource, mut activity) = (0, 0, 0, 0);

        for payload in PAYLOADS {
            // The goal sheet, as the partner opens it: "Why it matters" and "How we will know".
            let saved = ok(
                &mentee,
                &s,
                "save_goal_sheet",
                json!({
                    "match_id": match_id, "version": sheet_version,
                    "goals": [{ "id": 0, "title": "Learn more about school librarianship.",
                        "why": payload, "measure": format!("{payload} measured"),
                        "target_date": "2027-03-31", "tags": "" }],
                }),
            )
            .await;
            sheet_version = saved["Saved"]["version"].as_i64().unwrap();
            let html = page(&mentor, &s, &format!("/match/{match_id}/goals")).await;
            let goal: i64 = sqlx::query_scalar("SELECT id FROM goals WHERE match_id = $1")
                .bind(match_id)
                .fetch_one(&s.state.db)
                .await
                .unwrap();
            let why = stored(&s, "SELECT why FROM goals WHERE id = $1", goal).await;
            let measure = stored(&s, "SELECT measure FROM goals WHERE id = $1", goal).await;
            assert_eq!(why, *payload);
            assert_inert(&html, "textarea#f-goal1_why", &why, "goal why");
            assert_inert(&html, "textarea#f-goal1_measure", &measure, "goal measure");

            // One's own bio on the profile.
            ok(&mentee, &s, "update_profile", json!({
                "name": "Sam Lee", "pronouns": "", "time_zone": "America/New_York", "bio": payload,
            }))
            .await;
            let html = page(&mentee, &s, "/profile").await;
            let bio = stored(&s, "SELECT bio FROM users WHERE id = $1", mentee_id).await;
            assert_inert(&html, "textarea#f-bio", &bio, "bio");

            // An event's description, on the coordinators' edit form.
            event = ok(
                &coord,
                &s,
                "save_event",
                json!({
                    "id": event, "title": "Storytime webinar", "description": payload,
                    "date": "2030-01-10", "time": "10:00", "time_zone": "UTC", "minutes": "60",
                    "join_url": "https://meet.example.org/x", "capacity": "",
                }),
            )
            .await
            .as_i64()
            .unwrap();
            let html = page(&coord, &s, &format!("/forum/{event}")).await;
            let text = stored(&s, "SELECT description_md FROM events WHERE id = $1", event).await;
            assert_inert(
                &html,
                "textarea[name=description]",
                &text,
                "event description",
            );

            // The three Markdown parts of a news issue.
            issue = ok(
                &coord,
                &s,
                "save_issue",
                json!({
                    "id": issue, "title": "December", "news": payload, "events": payload,
                    "activity_id": 0, "question": "What surprised you?", "goals": payload,
                }),
            )
            .await
            .as_i64()
            .unwrap();
            let html = page(&coord, &s, &format!("/news/{issue}/edit")).await;
            for (name, column) in [
                ("news", "news_md"),
                ("events", "events_md"),
                ("goals", "goals_md"),
            ] {
                let sql = format!("SELECT {column} FROM news_issues WHERE id = $1");
                let text = stored(&s, &sql, issue).await;
                assert_inert(&html, &format!("textarea[name={name}]"), &text, name);
            }

            // A resource's note, on the library's edit form.
            resource = ok(
                &coord,
                &s,
                "save_resource",
                json!({
                    "id": resource, "title": "A toolkit", "url": "https://t.example.org/",
                    "kind": "toolkit", "tags": "", "note": payload,
                }),
            )
            .await
            .as_i64()
            .unwrap();
            let html = page(&coord, &s, "/resources").await;
            let text = stored(&s, "SELECT note_md FROM resources WHERE id = $1", resource).await;
            assert_inert(
                &html,
                &format!("textarea#f-note-{resource}"),
                &text,
                "resource note",
            );

            // An activity of the catalogue.
            activity = ok(
                &coord,
                &s,
                "save_activity",
                json!({
                    "id": activity, "kind": "build", "title": "A zine", "description": payload,
                }),
            )
            .await
            .as_i64()
            .unwrap();
            let html = page(&coord, &s, "/coordinator/activities").await;
            let text = stored(
                &s,
                "SELECT description FROM activities WHERE id = $1",
                activity,
            )
            .await;
            assert_inert(
                &html,
                &format!("textarea#f-description-{activity}"),
                &text,
                "activity",
            );
        }
        s
    })
    .await;
}

#[tokio::test]
async fn a_textarea_keeps_a_leading_blank_line() {
    each_engine(|s| async move {
        let mentee = signed_in(&s, MENTEE).await;
        let mentee_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(MENTEE)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        // Stored directly: the profile form trims what it is sent.
        sqlx::query("UPDATE users SET bio = $1 WHERE id = $2")
            .bind("\nafter a blank line")
            .bind(mentee_id)
            .execute(&s.state.db)
            .await
            .unwrap();
        let html = page(&mentee, &s, "/profile").await;
        assert_inert(&html, "textarea#f-bio", "\nafter a blank line", "bio");
        s
    })
    .await;
}

/// The policy, the sniffing and framing refusals and the Referer rule every answer carries.
fn assert_defences(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self' ws://127.0.0.1:",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: {directive} missing in {csp}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(
        h["referrer-policy"], "strict-origin-when-cross-origin",
        "{what}"
    );
    assert!(
        h.get("strict-transport-security").is_none(),
        "{what}: no HSTS over plain http"
    );
}

/// Every inline script of a page carries `nonce`, and no other nonce stands in the page.
fn assert_scripts_carry(html: &str, nonce: &str, what: &str) {
    let doc = Html::parse_document(html);
    let inline: Vec<_> = doc
        .select(&selector("script"))
        .filter(|s| s.value().attr("src").is_none())
        .collect();
    assert!(!inline.is_empty(), "{what}: the hydration script is inline");
    for script in inline {
        assert_eq!(
            script.value().attr("nonce"),
            Some(nonce),
            "{what}: {}",
            script.html()
        );
    }
}

fn no_store(r: &reqwest::Response) -> bool {
    r.headers()
        .get("cache-control")
        .is_some_and(|v| v.to_str().unwrap().contains("no-store"))
}

#[tokio::test]
async fn every_answer_carries_the_browsers_defences() {
    each_engine(|s| async move {
        let visitor = reqwest::Client::new();
        // A public page twice: rendered, then from the page cache, each with its own nonce.
        let mut seen = Vec::new();
        for expected in ["miss", "hit", "hit"] {
            let r = visitor.get(s.url("/sign-in")).send().await.unwrap();
            assert_eq!(r.headers()["x-tandem-cache"], expected);
            assert_defences(&r, "public page");
            assert!(!no_store(&r), "a visitor's public page may be kept");
            let nonce = common::csp_nonce(&r);
            let html = r.text().await.unwrap();
            assert_scripts_carry(&html, &nonce, expected);
            for old in &seen {
                assert!(!html.contains(old), "a cached page reuses nonce {old}");
            }
            seen.push(nonce);
        }
        assert_eq!(seen.len(), 3);

        // Signed-in pages, server functions and exports are never stored.
        let mentee = signed_in(&s, MENTEE).await;
        let r = mentee.get(s.url("/home")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_defences(&r, "signed-in page");
        assert!(no_store(&r), "a signed-in page is personal");
        let nonce = common::csp_nonce(&r);
        assert_scripts_carry(&r.text().await.unwrap(), &nonce, "signed-in page");
        let r = mentee.get(s.url("/sign-in")).send().await.unwrap();
        assert_eq!(
            r.headers().get("x-tandem-cache"),
            None,
            "a signed-in browser skips the cache"
        );
        assert!(no_store(&r));

        let r = mentee
            .post(s.url("/api/current_user"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_defences(&r, "server function");
        assert!(no_store(&r), "a server function's answer is personal");

        let coord = signed_in(&s, COORDINATOR).await;
        let r = coord
            .get(s.url("/coordinator/export/matches.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_defences(&r, "export");
        assert!(no_store(&r), "an export is personal");

        // Refusals carry them too; the bundle keeps its year-long caching when signed in.
        let r = reqwest::Client::new()
            .post(s.url("/api/sign_in"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert_defences(&r, "refusal");
        std::fs::write(s.site.path().join("pkg/tandem.css"), "body{}").unwrap();
        let r = mentee.get(s.url("/pkg/tandem.css")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        s
    })
    .await;
}

#[tokio::test]
async fn https_deployments_get_strict_transport_security() {
    let s = TestServer::start_with(
        app::backend::infra::db::Engine::Sqlite,
        &[("TANDEM_PUBLIC_URL", "https://tandem.example.org")],
    )
    .await;
    let r = reqwest::get(s.url("/")).await.unwrap();
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("connect-src 'self' wss://tandem.example.org;"),
        "{csp}"
    );
    s.stop().await;
}
