//! Two-step sign-in through the real server, on both engines: the demo coordinator signs in with
//! a code, a coordinator without it reaches only the page that sets it up (without JavaScript,
//! by plain form posts), and its server functions refuse whom they must.

use crate::common::{
    PASSWORD, TestServer, call, each_engine, html_of, next_code, plain_browser, post_form,
    signed_in, unenrolled_coordinator,
};
use serde_json::json;

const COORDINATOR: &str = "coordinator@example.org";
const MENTOR: &str = "mentor@example.org";

fn sets_session(r: &reqwest::Response) -> bool {
    r.headers().get_all("set-cookie").iter().any(|v| {
        v.to_str().unwrap().starts_with("tandem_session=")
            && !v.to_str().unwrap().starts_with("tandem_session=;")
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_coordinator_signs_in_with_a_code_after_the_password() {
    each_engine(|s| async move {
        let c = s.browser();
        let r = c
            .post(s.url("/api/sign_in"))
            .json(&json!({ "email": COORDINATOR, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(!sets_session(&r), "no session before the code");
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap(),
            json!("CodeNeeded")
        );
        let (status, _) = call(&c, &s, "my_home", json!({})).await;
        assert_eq!(status, 401, "the password alone opens nothing");

        let (status, body) =
            call(&c, &s, "sign_in_second_factor", json!({ "code": "000000" })).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("not right"), "{body}");
        // Without the half-done sign-in's cookie, the right code is no use.
        let code = next_code(&s, COORDINATOR).await;
        let (status, _) = call(
            &s.browser(),
            &s,
            "sign_in_second_factor",
            json!({ "code": code }),
        )
        .await;
        assert_eq!(status, 422);

        let r = c
            .post(s.url("/api/sign_in_second_factor"))
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(sets_session(&r));
        let (status, _) = call(&c, &s, "list_cohorts", json!({})).await;
        assert_eq!(status, 200);

        // The same code does not sign in a second time.
        let again = s.browser();
        let (status, _) = call(
            &again,
            &s,
            "sign_in",
            json!({ "email": COORDINATOR, "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(&again, &s, "sign_in_second_factor", json!({ "code": code })).await;
        assert_eq!(status, 422, "a used code is refused");
        let failures: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_failed'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(failures, 2, "wrong codes are in the audit log");
        s
    })
    .await;
}

/// A server function's status, called from a no-JavaScript browser's session (which otherwise
/// asks for HTML, and would be redirected).
async fn api_status(c: &reqwest::Client, s: &TestServer, f: &str, args: serde_json::Value) -> u16 {
    c.post(s.url(&format!("/api/{f}")))
        .header("accept", "application/json")
        .json(&args)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Posts a plain form that must succeed; returns where it lands.
async fn post_ok(
    c: &reqwest::Client,
    s: &TestServer,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let (status, location, body) = post_form(c, s, path, fields).await;
    assert_eq!(status, 303, "{path} {fields:?}: {body}");
    location.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coordinator_sets_up_two_step_sign_in_before_coordinator_pages_open_without_javascript() {
    each_engine(|s| async move {
        let email = "nova@example.org";
        unenrolled_coordinator(&s, email).await;
        let plain = plain_browser(&s);
        let landing = post_ok(
            &plain,
            &s,
            "/sign-in",
            &[("__form", "/api/sign_in"), ("email", email), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(landing, "/second-factor", "sign-in leads to the setup");
        let html = html_of(&plain, &s, "/coordinator/applications").await;
        assert!(html.contains("Coordinator pages need two-step sign-in"), "{html}");
        assert!(!html.contains("Jamie"), "no applicant shows");
        let status = api_status(&plain, &s, "list_applications", json!({ "filter": { "cohort_id": null, "role": "", "state": "", "search": "" } })).await;
        assert_eq!(status, 403);
        let status = api_status(&plain, &s, "list_cohorts", json!({})).await;
        assert_eq!(status, 403);

        let html = html_of(&plain, &s, "/second-factor").await;
        assert!(html.contains("coordinator pages open only once two-step sign-in is on"), "{html}");
        post_ok(&plain, &s, "/second-factor", &[("__form", "/api/start_second_factor"), ("current_code", "")]).await;
        let html = html_of(&plain, &s, "/second-factor").await;
        let doc = scraper::Html::parse_document(&html);
        let secret: String = doc
            .select(&scraper::Selector::parse("code.secret").unwrap())
            .next()
            .expect("the key is shown")
            .text()
            .collect::<String>()
            .replace(' ', "");
        assert!(html.contains("<svg"), "the QR code is drawn");
        assert!(html.contains("otpauth://totp/Tandem:nova%40example.org?secret="), "{html}");

        // A wrong code comes back beside the field, and nothing is turned on.
        let (status, _, html) = post_form(
            &plain,
            &s,
            "/second-factor",
            &[("__form", "/api/confirm_second_factor"), ("code", "123456")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("That code does not match"), "{html}");
        let status = api_status(&plain, &s, "list_cohorts", json!({})).await;
        assert_eq!(status, 403);

        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let code = app::backend::auth::second_factor::code_at(&secret, now).unwrap();
        post_ok(&plain, &s, "/second-factor", &[("__form", "/api/confirm_second_factor"), ("code", &code)]).await;
        let html = html_of(&plain, &s, "/second-factor").await;
        assert!(html.contains("Your recovery codes"), "{html}");
        let codes = scraper::Html::parse_document(&html)
            .select(&scraper::Selector::parse(".recovery-codes code").unwrap())
            .count();
        assert_eq!(codes, 10);
        // The browser that set it up stays signed in, and coordinator pages open.
        let status = api_status(&plain, &s, "list_cohorts", json!({})).await;
        assert_eq!(status, 200);
        let html = html_of(&plain, &s, "/second-factor").await;
        assert!(html.contains("Two-step sign-in is on. You have 10 unused recovery codes."), "{html}");
        assert!(!html.contains("Your recovery codes"), "shown only once");
        let mails: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject = 'Your Tandem two-step sign-in changed'",
        )
        .bind(email)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(mails, 1);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_step_functions_refuse_visitors_participants_and_unverified_coordinators() {
    each_engine(|s| async move {
        let visitor = s.browser();
        for (f, args) in [
            ("get_second_factor", json!({})),
            ("start_second_factor", json!({ "current_code": "" })),
            ("confirm_second_factor", json!({ "code": "123456" })),
            ("renew_recovery_codes", json!({ "code": "123456" })),
            ("turn_off_second_factor", json!({ "code": "123456" })),
            ("reset_second_factor", json!({ "email": MENTOR })),
        ] {
            let (status, _) = call(&visitor, &s, f, args).await;
            assert_eq!(status, 401, "visitor: {f}");
        }
        let mentor = signed_in(&s, MENTOR).await;
        let (status, _) = call(
            &mentor,
            &s,
            "reset_second_factor",
            json!({ "email": COORDINATOR }),
        )
        .await;
        assert_eq!(status, 403, "a participant resets nobody's");
        unenrolled_coordinator(&s, "nova@example.org").await;
        let nova = s.browser();
        let (status, _) = call(
            &nova,
            &s,
            "sign_in",
            json!({ "email": "nova@example.org", "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = call(
            &nova,
            &s,
            "reset_second_factor",
            json!({ "email": COORDINATOR }),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        let still: i64 = sqlx::query_scalar("SELECT second_factor FROM users WHERE email = $1")
            .bind(COORDINATOR)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(still, 1);
        s
    })
    .await;
}
