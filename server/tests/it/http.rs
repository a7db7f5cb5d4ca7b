//! The HTTP surface as a browser meets it: pages, server functions with cookies, the Origin
//! check, health, and static files. Runs on SQLite and on PostgreSQL.

use crate::common;
use crate::common::{each_engine, html_of, plain_browser, post_form};
use serde_json::Value;

async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("{base}/api/sign_in"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn health_and_public_pages_render_on_the_server() {
    each_engine(|s| async move {
        let health = reqwest::get(s.url("/healthz")).await.unwrap();
        assert_eq!(health.status(), 200);
        assert_eq!(health.text().await.unwrap(), "ok");

        for (path, needle) in [
            ("/", "Mentoring for children"),
            ("/working-with-a-match", "The goal sheet acts as a contract"),
            ("/activities", "mock Newbery or Caldecott"),
            (
                "/goals",
                "Make new contacts and network within the profession.",
            ),
            ("/resources", "Mentoring Forum webinars"),
            ("/apply", "Applications for 2027 Winter Intake are open"),
            ("/sign-in", "Forgot your password?"),
        ] {
            let resp = reqwest::get(s.url(path)).await.unwrap();
            assert_eq!(resp.status(), 200, "{path}");
            let html = resp.text().await.unwrap();
            assert!(html.contains(needle), "{path} lacks {needle:?}");
            assert!(
                html.contains("Skip to content"),
                "{path} lacks the skip link"
            );
            assert!(html.contains("<html lang=\"en\""), "{path}");
        }
        let missing = reqwest::get(s.url("/no-such-page")).await.unwrap();
        assert_eq!(missing.status(), 404);
        assert!(
            missing
                .text()
                .await
                .unwrap()
                .contains("We could not find that page")
        );
        s
    })
    .await;
}

#[tokio::test]
async fn state_changing_requests_need_our_own_origin() {
    each_engine(|s| async move {
        let bare = reqwest::Client::new();
        let missing = bare
            .post(s.url("/api/sign_in"))
            .json(&serde_json::json!({ "email": "mentor@example.org", "password": "demo-password-1" }))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403);
        let body: Value = missing.json().await.unwrap();
        assert!(
            body["Refused"]
                .as_str()
                .unwrap()
                .contains("did not say which site")
        );

        let foreign = bare
            .post(s.url("/api/sign_in"))
            .header("origin", "https://evil.example")
            .json(&serde_json::json!({ "email": "mentor@example.org", "password": "demo-password-1" }))
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 403);
        assert!(
            foreign.headers().get("set-cookie").is_none(),
            "no session for a foreign origin"
        );
        let body: Value = foreign.json().await.unwrap();
        assert!(body["Refused"].as_str().unwrap().contains("another site"));
        s
    })
    .await;
}

/// A coordinator's browser forgets the session cookie after a week, a participant's after 30
/// days: the same lifetimes the server keeps the sessions for.
#[tokio::test]
async fn a_coordinators_cookie_lives_a_week_and_a_participants_a_month() {
    each_engine(|s| async move {
        for (email, max_age) in [
            ("coordinator@example.org", "Max-Age=604800"),
            ("mentee@example.org", "Max-Age=2592000"),
        ] {
            let browser = s.browser();
            let mut resp = sign_in(&browser, &s.base, email, "demo-password-1").await;
            assert_eq!(resp.status(), 200);
            // The coordinator's session comes with the second step (two-step sign-in).
            if email == "coordinator@example.org" {
                let code = common::next_code(&s, email).await;
                resp = browser
                    .post(s.url("/api/sign_in_second_factor"))
                    .json(&serde_json::json!({ "code": code }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
            }
            let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
            assert!(cookie.contains(max_age), "{email}: {cookie}");
        }
        s
    })
    .await;
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session() {
    each_engine(|s| async move {
        let browser = s.browser();
        let resp = sign_in(&browser, &s.base, "mentee@example.org", "demo-password-1").await;
        assert_eq!(resp.status(), 200);
        let cookie = resp
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("tandem_session="), "{cookie}");
        for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let outcome: Value = resp.json().await.unwrap();
        let user = &outcome["SignedIn"];
        assert_eq!(user["email"], "mentee@example.org");
        assert_eq!(user["role"], "participant");
        assert!(user.get("password_hash").is_none());

        let me: Value = browser
            .post(s.url("/api/current_user"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["name"], "Sam Lee");

        let home: Value = browser
            .post(s.url("/api/my_home"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let matches = home["Participant"]["matches"].as_array().unwrap();
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0]["summary"]["partner"]["name"], "Maria Alvarez");

        // The signed-in home renders on the server for this person.
        let page = html_of(&browser, &s, "/home").await;
        assert!(
            page.contains("Maria Alvarez"),
            "home should show the partner"
        );

        let token = cookie.split(';').next().unwrap().to_string();
        let out = browser
            .post(s.url("/api/sign_out"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 200);
        assert!(
            out.headers()
                .get("set-cookie")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );

        // The old token is dead even if someone kept it.
        let replay = reqwest::Client::new()
            .post(s.url("/api/my_home"))
            .json(&serde_json::json!({}))
            .header("origin", &s.base)
            .header("cookie", token)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 401);
        s
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_and_visitors_get_plain_refusals() {
    each_engine(|s| async move {
        let browser = s.browser();
        let wrong = sign_in(&browser, &s.base, "mentor@example.org", "not-the-password").await;
        assert_eq!(wrong.status(), 422);
        assert!(wrong.headers().get("set-cookie").is_none());
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(
            body["Refused"],
            app::backend::auth::sign_in::WRONG_CREDENTIALS
        );

        let visitor = browser
            .post(s.url("/api/my_home"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(visitor.status(), 401);
        assert_eq!(
            visitor.json::<Value>().await.unwrap(),
            Value::String("Unauthenticated".into())
        );

        let profile = browser
            .post(s.url("/api/update_profile"))
            .json(
                &serde_json::json!({ "name": "X", "pronouns": "", "time_zone": "UTC", "bio": "" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(profile.status(), 401);

        let password = browser
            .post(s.url("/api/change_password"))
            .json(&serde_json::json!({
                "current_password": "demo-password-1",
                "new_password": "something else entirely",
                "confirm_password": "something else entirely"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(password.status(), 401);

        let me: Value = browser
            .post(s.url("/api/current_user"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me, Value::Null);
        s
    })
    .await;
}

#[tokio::test]
async fn a_participant_cannot_read_the_program_overview() {
    each_engine(|s| async move {
        let mentor = s.browser();
        sign_in(&mentor, &s.base, "mentor@example.org", "demo-password-1").await;
        let home: Value = mentor
            .post(s.url("/api/my_home"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            home.get("Coordinator").is_none(),
            "a participant gets only their own view"
        );
        let m = &home["Participant"]["matches"][0];
        assert_eq!(m["summary"]["partner"]["name"], "Sam Lee");

        let coordinator = common::signed_in(&s, "coordinator@example.org").await;
        let home: Value = coordinator
            .post(s.url("/api/my_home"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let cohorts = home["Coordinator"]["cohorts"].as_array().unwrap();
        let year = cohorts
            .iter()
            .find(|c| c["name"] == "2026–2027 Mentoring Program")
            .unwrap();
        assert_eq!(year["active_matches"], 4);
        s
    })
    .await;
}

#[tokio::test]
async fn password_reset_through_the_outbox_folder() {
    each_engine(|s| async move {
        let browser = s.browser();
        let resp = browser
            .post(s.url("/api/request_password_reset"))
            .json(&serde_json::json!({ "email": "mentor@example.org" }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let mailer = app::backend::mail::outbox::Mailer::from_config(&s.state.config).unwrap();
        app::backend::mail::outbox::deliver_due(&s.state.db, &mailer, app::backend::infra::db::now_ms(), 20)
            .await
            .unwrap();
        let outbox = s.state.config.outbox_dir();
        let mail = std::fs::read_dir(&outbox)
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .find(|t| t.contains("To: mentor@example.org"))
            .expect("a reset email in the outbox folder");
        // Undo quoted-printable soft breaks before reading the link.
        let flat = mail.replace("=\r\n", "").replace("=3D", "=");
        let start = flat.find("token=").unwrap() + 6;
        let token: String = flat[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        // Delivered, the link is in the person's mail only: the outbox row no longer holds it.
        let (body, html): (String, String) = sqlx::query_as(
            "SELECT body_text, body_html FROM outbox WHERE to_addr = 'mentor@example.org' AND state = 'sent'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert!(!body.contains(&token) && !html.contains(&token), "{body} {html}");
        assert_eq!(body, app::backend::mail::outbox::REMOVED_BODY);

        let mismatch = browser
            .post(s.url("/api/reset_password"))
            .json(&serde_json::json!({ "token": token, "password": "a new password", "confirm": "another one" }))
            .send()
            .await
            .unwrap();
        assert_eq!(mismatch.status(), 422);
        assert_eq!(
            mismatch.json::<Value>().await.unwrap()["Validation"]["field"],
            "confirm"
        );

        let ok = browser
            .post(s.url("/api/reset_password"))
            .json(&serde_json::json!({ "token": token, "password": "a new password", "confirm": "a new password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let again = browser
            .post(s.url("/api/reset_password"))
            .json(&serde_json::json!({ "token": token, "password": "a new password", "confirm": "a new password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 422);
        assert!(
            sign_in(&browser, &s.base, "mentor@example.org", "a new password")
                .await
                .status()
                .is_success()
        );
        s
    })
    .await;
}

#[tokio::test]
async fn static_bundle_is_precompressed_and_cached_for_long() {
    each_engine(|s| async move {
        let pkg = s.site.path().join("pkg");
        std::fs::write(pkg.join("tandem.abc123.wasm"), vec![7u8; 50_000]).unwrap();
        assert_eq!(server::static_files::precompress(&pkg), 2);
        assert_eq!(
            server::static_files::precompress(&pkg),
            0,
            "fresh files are not redone"
        );
        let client = reqwest::Client::new();
        let br = client
            .get(s.url("/pkg/tandem.abc123.wasm"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(br.status(), 200);
        assert_eq!(br.headers()["content-encoding"], "br");
        assert!(
            br.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        let gz = client
            .get(s.url("/pkg/tandem.abc123.wasm"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gz.headers()["content-encoding"], "gzip");
        let plain = client
            .get(s.url("/pkg/tandem.abc123.wasm"))
            .send()
            .await
            .unwrap();
        assert!(plain.headers().get("content-encoding").is_none());
        assert_eq!(plain.bytes().await.unwrap().len(), 50_000);
        s
    })
    .await;
}

#[tokio::test]
async fn the_previous_builds_chunks_are_served_for_a_day_after_an_upgrade() {
    each_engine(|s| async move {
        let pkg = s.site.path().join("pkg");
        let bundles = server::previous_bundle::Bundles::in_data_dir(&s.state.config.data_dir);
        let now = std::time::SystemTime::now();
        // The build a visitor's open page came from, then the upgrade that replaced its chunk.
        std::fs::write(pkg.join("chunk_1.old.wasm"), vec![1u8; 2_000]).unwrap();
        server::static_files::precompress(&pkg);
        bundles.update(&pkg, now).unwrap();
        for f in [
            "chunk_1.old.wasm",
            "chunk_1.old.wasm.br",
            "chunk_1.old.wasm.gz",
        ] {
            std::fs::remove_file(pkg.join(f)).unwrap();
        }
        std::fs::write(pkg.join("chunk_1.new.wasm"), vec![2u8; 2_000]).unwrap();
        bundles.update(&pkg, now).unwrap();

        let client = reqwest::Client::new();
        let get = |name: &str| {
            client
                .get(s.url(&format!("/pkg/{name}")))
                .header("accept-encoding", "br")
                .send()
        };
        let old = get("chunk_1.old.wasm").await.unwrap();
        assert_eq!(old.status(), 200, "the old page's chunk still loads");
        assert_eq!(old.headers()["content-encoding"], "br");
        assert_eq!(get("chunk_1.new.wasm").await.unwrap().status(), 200);
        assert_eq!(get("chunk_1.never.wasm").await.unwrap().status(), 404);

        // A restart more than a day later forgets it.
        let later =
            now + server::previous_bundle::KEEP_RETIRED + std::time::Duration::from_secs(60);
        bundles.update(&pkg, later).unwrap();
        assert_eq!(get("chunk_1.old.wasm").await.unwrap().status(), 404);
        s
    })
    .await;
}

#[tokio::test]
async fn public_pages_are_cached_for_visitors_only() {
    each_engine(|s| async move {
        let first = reqwest::get(s.url("/goals")).await.unwrap();
        assert_eq!(first.headers()["x-tandem-cache"], "miss");
        let first_nonce = common::csp_nonce(&first);
        let first_body = first.text().await.unwrap();
        let second = reqwest::get(s.url("/goals")).await.unwrap();
        assert_eq!(second.headers()["x-tandem-cache"], "hit");
        let second_nonce = common::csp_nonce(&second);
        assert!(
            second.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        // The same page, with this response's own CSP nonce (security.rs checks it in detail).
        assert_ne!(first_nonce, second_nonce);
        assert_eq!(
            second.text().await.unwrap(),
            first_body.replace(&first_nonce, &second_nonce)
        );

        // A signed-in person always gets their own render: their name is in the navigation.
        let browser = s.browser();
        sign_in(&browser, &s.base, "mentor@example.org", "demo-password-1").await;
        let mine = browser.get(s.url("/goals")).send().await.unwrap();
        assert!(mine.headers().get("x-tandem-cache").is_none());
        assert!(mine.text().await.unwrap().contains("My match"));
        // Pages with a query string (a reset token) and private pages are never cached.
        let reset = reqwest::get(s.url("/reset-password?token=abc"))
            .await
            .unwrap();
        assert!(reset.headers().get("x-tandem-cache").is_none());
        let home = reqwest::get(s.url("/home")).await.unwrap();
        assert!(home.headers().get("x-tandem-cache").is_none());
        s
    })
    .await;
}

/// The value of the input with `id` in a page.
fn input_value(html: &str, id: &str) -> Option<String> {
    let page = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
    page.select(&sel)
        .next()
        .map(|e| e.value().attr("value").unwrap_or("").to_string())
}

/// The text of the element with `id` in a page.
fn text_of(html: &str, id: &str) -> String {
    let page = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
    page.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
}

/// Signs in through the sign-in page's plain post, which answers 303 home (through the code
/// step's plain post, for the demo coordinator).
async fn plain_sign_in(c: &reqwest::Client, s: &common::TestServer, email: &str) {
    let (status, mut location, _) = post_form(
        c,
        s,
        "/sign-in",
        &[
            ("__form", "/api/sign_in"),
            ("email", email),
            ("password", common::PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 303, "sign in {email}");
    if location.as_deref() == Some("/sign-in/second-factor") {
        let code = common::next_code(s, email).await;
        let (status, next, _) = post_form(
            c,
            s,
            "/sign-in/second-factor",
            &[("__form", "/api/sign_in_second_factor"), ("code", &code)],
        )
        .await;
        assert_eq!(status, 303, "second step for {email}");
        location = next;
    }
    assert_eq!(location.as_deref(), Some("/home"));
}

#[tokio::test]
async fn forms_work_without_javascript() {
    each_engine(|s| async move {
        let c = plain_browser(&s);
        // A refusal: the same page, the error beside the form, the email typed still there and
        // the password not.
        let (status, _, html) = post_form(
            &c,
            &s,
            "/sign-in",
            &[
                ("__form", "/api/sign_in"),
                ("email", "mentee@example.org"),
                ("password", "not-the-password"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(
            html.contains("That email and password do not match"),
            "{html}"
        );
        assert_eq!(
            input_value(&html, "f-email").as_deref(),
            Some("mentee@example.org")
        );
        assert_eq!(input_value(&html, "f-password").as_deref(), Some(""));
        assert!(!html.contains("not-the-password"));
        // An empty field: its error beside it.
        let (status, _, html) = post_form(
            &c,
            &s,
            "/sign-in",
            &[("__form", "/api/sign_in"), ("email", ""), ("password", "x")],
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(text_of(&html, "f-email-error"), "Enter your email address.");

        // Another site's page cannot post it (the Origin check covers plain posts too).
        let foreign = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(s.url("/sign-in"))
            .header("origin", "https://evil.example")
            .form(&[
                ("__form", "/api/sign_in"),
                ("email", "mentee@example.org"),
                ("password", common::PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 403);

        // A success: 303 home, signed in.
        plain_sign_in(&c, &s, "mentee@example.org").await;
        let home = c.get(s.url("/home")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        assert!(home.text().await.unwrap().contains("Sign out"));

        // Log a contact: refused with the field's error and what was typed, then saved.
        let mid = common::match_of(&s, "mentee@example.org").await.to_string();
        let page = format!("/match/{mid}");
        let (status, _, html) = post_form(
            &c,
            &s,
            &page,
            &[
                ("__form", "/api/log_contact"),
                ("match_id", &mid),
                ("way", "video"),
                ("on_date", "2026-11-20"),
                ("minutes", "half an hour"),
                ("note", "Talked </textarea><b>storytime</b>"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert_eq!(
            text_of(&html, "f-minutes-error"),
            "Enter how many minutes, as a number."
        );
        assert_eq!(
            input_value(&html, "f-minutes").as_deref(),
            Some("half an hour")
        );
        assert_eq!(
            text_of(&html, "f-note"),
            "Talked </textarea><b>storytime</b>"
        );
        assert!(!html.contains("<b>storytime</b>"), "typed text is escaped");
        let (status, location, _) = post_form(
            &c,
            &s,
            &page,
            &[
                ("__form", "/api/log_contact"),
                ("match_id", &mid),
                ("way", "video"),
                ("on_date", "2026-11-20"),
                ("minutes", "45"),
                ("note", "Storytime planning"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some(page.as_str()));
        let html = html_of(&c, &s, &page).await;
        assert!(html.contains("Contact logged."), "the success notice");
        assert!(html.contains("Storytime planning"));
        // The notice is shown once.
        let again = html_of(&c, &s, &page).await;
        assert!(!again.contains("Contact logged."));

        // Chat: a plain post comes back to the chat page with the message in place.
        let chat = format!("/match/{mid}/chat");
        let (status, location, _) = post_form(
            &c,
            &s,
            &chat,
            &[
                ("__form", "/api/send_message"),
                ("match_id", &mid),
                ("client_id", "post-test-1"),
                ("body", "Sent before the page was ready"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some(chat.as_str()));
        let html = html_of(&c, &s, &chat).await;
        assert!(html.contains("Sent before the page was ready"));

        // The same policy as the JSON path: another match's mentee, and a visitor, are refused.
        let other = plain_browser(&s);
        plain_sign_in(&other, &s, "priya.nair@example.org").await;
        let intrusion = [
            ("__form", "/api/send_message"),
            ("match_id", mid.as_str()),
            ("client_id", "post-test-2"),
            ("body", "Not my match"),
        ];
        let (status, _, _) = post_form(&other, &s, &chat, &intrusion).await;
        assert_eq!(status, 403);
        let (status, _, html) = post_form(&plain_browser(&s), &s, &chat, &intrusion).await;
        assert_eq!(status, 401, "{html}");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE body = $1")
            .bind("Not my match")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(count, 0);

        // A success that stays on its page shows its notice there.
        let visitor = plain_browser(&s);
        let (status, location, _) = post_form(
            &visitor,
            &s,
            "/forgot-password",
            &[
                ("__form", "/api/request_password_reset"),
                ("email", "mentee@example.org"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some("/forgot-password"));
        let html = html_of(&visitor, &s, "/forgot-password").await;
        assert!(html.contains("If an account uses that address"), "{html}");

        // A coordinator's form: a cohort moved on from the row's button, and the same post from a
        // participant refused by the same policy.
        let coordinator = plain_browser(&s);
        plain_sign_in(&coordinator, &s, "coordinator@example.org").await;
        let (cohort, state): (i64, String) = sqlx::query_as(
            "SELECT id, state FROM cohorts WHERE state = 'open' ORDER BY id LIMIT 1",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(state, "open");
        let cohort = cohort.to_string();
        let move_on = [
            ("__form", "/api/set_cohort_state"),
            ("cohort_id", cohort.as_str()),
            ("to", "matching"),
        ];
        let (status, location, _) =
            post_form(&coordinator, &s, "/coordinator/cohorts", &move_on).await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some("/coordinator/cohorts"));
        let state_now = || async {
            sqlx::query_scalar::<_, String>("SELECT state FROM cohorts WHERE id = $1")
                .bind(cohort.parse::<i64>().unwrap())
                .fetch_one(&s.state.db)
                .await
                .unwrap()
        };
        assert_eq!(state_now().await, "matching");
        let back = [
            ("__form", "/api/set_cohort_state"),
            ("cohort_id", cohort.as_str()),
            ("to", "open"),
        ];
        let (status, _, _) = post_form(&c, &s, "/coordinator/cohorts", &back).await;
        assert_eq!(status, 403, "a mentee may not");
        assert_eq!(state_now().await, "matching");

        // A form this server has no handler for: the page again with a sentence, never a 405.
        let (status, _, html) = post_form(
            &visitor,
            &s,
            "/sign-in",
            &[("__form", "/api/no_such_function"), ("email", "a@b.c")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("This form could not be sent"));
        assert_eq!(input_value(&html, "f-email").as_deref(), Some(""));
        s
    })
    .await;
}

#[tokio::test]
async fn every_answer_carries_its_own_request_id() {
    each_engine(|s| async move {
        let client = reqwest::Client::new();
        let mut seen = std::collections::BTreeSet::new();
        // A page, a missing page, a refused cross-site post and a static file: refusals too.
        let answers = [
            client.get(s.url("/")).send().await.unwrap(),
            client.get(s.url("/no-such-page")).send().await.unwrap(),
            client
                .post(s.url("/api/sign_out"))
                .header("origin", "https://elsewhere.example")
                .send()
                .await
                .unwrap(),
            client.get(s.url("/healthz")).send().await.unwrap(),
        ];
        for answer in &answers {
            let id = answer
                .headers()
                .get("x-request-id")
                .unwrap_or_else(|| panic!("no request id on {} {}", answer.status(), answer.url()))
                .to_str()
                .unwrap()
                .to_string();
            assert!(seen.insert(id.clone()), "request id {id} given twice");
        }
        assert_eq!(answers[2].status(), 403);

        // An id set by a proxy in front is kept, so its logs and ours name the same request.
        let proxied = client
            .get(s.url("/"))
            .header("x-request-id", "proxy-42")
            .send()
            .await
            .unwrap();
        assert_eq!(proxied.headers()["x-request-id"], "proxy-42");
        s
    })
    .await;
}

/// Who is asking is read before a page renders (`request_user::read_ahead`), so no part of a page
/// waits on a read another part started: many pages asked at once, by several people, each come
/// whole, for the person who asked, well within the answer timeout.
#[tokio::test]
async fn many_signed_in_pages_at_once_each_render_whole_for_their_person() {
    each_engine(|s| async move {
        let id = common::match_of(&s, "mentee@example.org").await;
        let mentee = common::signed_in(&s, "mentee@example.org").await;
        let mentor = common::signed_in(&s, "mentor@example.org").await;
        let coordinator = common::signed_in(&s, "coordinator@example.org").await;
        let (mentee_id, mentor_id, coordinator_id) = (
            common::user_id(&s, "mentee@example.org").await,
            common::user_id(&s, "mentor@example.org").await,
            common::user_id(&s, "coordinator@example.org").await,
        );
        let mut asks = Vec::new();
        for _ in 0..6 {
            for (client, session, path, needle) in [
                (
                    &mentee,
                    format!("{mentee_id}:participant"),
                    "/home".to_string(),
                    "<h1>Welcome, Sam Lee",
                ),
                (
                    &mentee,
                    format!("{mentee_id}:participant"),
                    format!("/match/{id}/goals"),
                    "<h1>Goal sheet",
                ),
                (
                    &mentee,
                    format!("{mentee_id}:participant"),
                    format!("/match/{id}/chat"),
                    "<h1>Chat with Maria Alvarez",
                ),
                (
                    &mentor,
                    format!("{mentor_id}:participant"),
                    format!("/match/{id}"),
                    "<h1>Your match with Sam Lee",
                ),
                (
                    &mentor,
                    format!("{mentor_id}:participant"),
                    "/forum".to_string(),
                    "<h1>",
                ),
                (
                    &coordinator,
                    format!("{coordinator_id}:coordinator"),
                    "/home".to_string(),
                    "<h1>Program overview",
                ),
            ] {
                let url = s.url(&path);
                let client = client.clone();
                asks.push(async move {
                    let r = client.get(url).send().await.unwrap();
                    let status = r.status();
                    let html = r.text().await.unwrap();
                    (path, session, needle, status, html)
                });
            }
        }
        let answers = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            futures_util::future::join_all(asks),
        )
        .await
        .expect("every page answers");
        for (path, session, needle, status, html) in answers {
            assert_eq!(status, 200, "{path}: {html}");
            assert!(html.contains(needle), "{path} lacks {needle}: {html}");
            assert!(
                html.contains(&format!("data-session=\"{session}\"")),
                "{path} was not rendered for {session}: {html}"
            );
            assert!(
                html.contains("</footer>") && html.contains("</html>"),
                "{path} came cut short"
            );
        }
        s
    })
    .await;
}

/// The part of `html` inside `<main …>…</main>`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("the end of main");
    &html[start..end]
}

/// A person's home and match page are written once and sent again while their data stays the
/// same (`infra::written`): never to another person, never stale once the data changes, never
/// with a form's outcome from another request.
#[tokio::test]
async fn a_persons_page_is_written_again_when_its_data_changes_and_never_for_another() {
    each_engine(|s| async move {
        let id = common::match_of(&s, "mentee@example.org").await;
        let mentee = common::signed_in(&s, "mentee@example.org").await;
        let mentor = common::signed_in(&s, "mentor@example.org").await;
        let first = html_of(&mentee, &s, "/home").await;
        assert!(first.contains("<h1>Welcome, Sam Lee"), "{first}");
        assert_eq!(s.state.written.len(), 1, "the mentee's home is kept");
        let again = html_of(&mentee, &s, "/home").await;
        assert_eq!(main_of(&again), main_of(&first), "the same home, sent again");

        // Another person, at the same time: their own page, kept beside the mentee's.
        let theirs = html_of(&mentor, &s, "/home").await;
        assert!(theirs.contains("<h1>Welcome, Maria Alvarez"), "{theirs}");
        assert!(!theirs.contains("Welcome, Sam Lee"));
        assert_eq!(s.state.written.len(), 2);

        // The partner logs a contact: the mentee's next home shows it.
        let home = common::ok(
            &mentor,
            &s,
            "load_match_home",
            serde_json::json!({ "match_id": id, "full": false }),
        )
        .await;
        let today = home["today"].as_str().unwrap().to_string();
        common::ok(
            &mentor,
            &s,
            "log_contact",
            serde_json::json!({ "match_id": id, "way": "phone", "on_date": today, "minutes": "20", "note": "Planned the <b>puppet</b> show." }),
        )
        .await;
        for page in ["/home".to_string(), format!("/match/{id}")] {
            let fresh = html_of(&mentee, &s, &page).await;
            assert!(
                fresh.contains("Planned the &lt;b&gt;puppet&lt;/b&gt; show."),
                "{page}: {fresh}"
            );
        }

        // The same page at another address is written for it (its forms post there).
        let other = html_of(&mentee, &s, "/home?from=mail").await;
        assert!(other.contains("Planned the &lt;b&gt;puppet&lt;/b&gt; show."));

        // A signed-out visitor at the same address gets the sign-in prompt, nothing kept.
        let visitor = common::plain_browser(&s);
        let signed_out = html_of(&visitor, &s, "/home").await;
        assert!(signed_out.contains("Please sign in to see your match."));
        assert!(!signed_out.contains("puppet"));

        // The mentee's session runs out: the page read ahead ends it, and the kept home is not
        // sent with it.
        let mentee_id = common::user_id(&s, "mentee@example.org").await;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE user_id = $2")
            .bind(app::backend::infra::db::now_ms() - app::backend::auth::sessions::IDLE_MS - 1)
            .bind(mentee_id)
            .execute(&s.state.db)
            .await
            .unwrap();
        let expired = html_of(&mentee, &s, "/home").await;
        assert!(expired.contains("Please sign in to see your match."), "{expired}");
        assert!(!expired.contains("puppet"));
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(mentee_id)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(left, 0, "the expired session is ended");
        s
    })
    .await;
}
