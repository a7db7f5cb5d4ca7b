//! The Origin check covers every form post that runs a server function, wherever it is sent:
//! each server function's plain-form path (`__form` naming it) is refused from another site's
//! Origin and with no Origin, on every page path, the one-click unsubscribe route included; only
//! a mail reader's keyless one-click post passes without an Origin.
//!
//! SQLite and PostgreSQL.

use crate::common::{
    PASSWORD, TestServer, each_engine, html_of, post_form, session_cookie, signed_in,
};
use serde_json::json;

const MENTEE: &str = "mentee@example.org";
const EVIL: &str = "https://evil.example";

/// Every page path the router serves, with its parameters filled in, and the one-click route.
fn page_paths() -> Vec<String> {
    let mut paths: Vec<String> = server::router::routes()
        .iter()
        .map(|r| {
            r.path()
                .split('/')
                .map(|segment| {
                    if segment.starts_with(':') || segment.starts_with('{') {
                        "1"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    paths.push("/unsubscribe/news/not-a-real-token".into());
    paths.sort();
    paths.dedup();
    paths
}

/// Every server function the server registers.
fn server_functions() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    paths.sort();
    paths
}

async fn name_of(s: &TestServer, email: &str) -> String {
    sqlx::query_scalar("SELECT name FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_keyed_form_post_without_our_origin_is_refused_on_every_page_path() {
    each_engine(|s| async move {
        let cookie = session_cookie(&s, MENTEE).await;
        let name = name_of(&s, MENTEE).await;
        let pages = page_paths();
        let functions = server_functions();
        assert!(pages.len() > 30, "the router's pages: {pages:?}");
        assert!(functions.len() > 60, "the server functions: {functions:?}");
        assert!(functions.contains(&"/api/sign_in"));
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut tried = 0;
        for page in &pages {
            for function in &functions {
                for origin in [Some(EVIL), None] {
                    let mut post = bare
                        .post(s.url(page))
                        .header("cookie", &cookie)
                        .header("accept", "text/html")
                        .form(&[
                            ("__form", *function),
                            ("email", MENTEE),
                            ("password", PASSWORD),
                            ("name", "Pwned By Evil"),
                            ("time_zone", "UTC"),
                        ]);
                    if let Some(o) = origin {
                        post = post.header("origin", o);
                    }
                    let r = post.send().await.unwrap();
                    assert_eq!(
                        r.status(),
                        403,
                        "{function} posted to {page} from {origin:?}"
                    );
                    assert!(
                        r.headers().get("set-cookie").is_none(),
                        "{function} posted to {page} from {origin:?} set a cookie"
                    );
                    tried += 1;
                }
            }
        }
        eprintln!(
            "{tried} posts refused ({} pages × {} functions × 2)",
            pages.len(),
            functions.len()
        );
        assert_eq!(name_of(&s, MENTEE).await, name, "the profile is unchanged");
        // The session was not ended by any of them.
        let me = s.browser();
        let r = me
            .post(s.url("/api/current_user"))
            .header("cookie", &cookie)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let user: serde_json::Value = r.json().await.unwrap();
        assert_eq!(user["email"], MENTEE, "still signed in: {user}");
        s
    })
    .await;
}

/// The three attacks the exemption let through, tried as they were found: a login CSRF, a forced
/// sign-out and a changed profile, each posted to the one-click route from another site.
#[tokio::test]
async fn the_unsubscribe_route_runs_no_form_for_another_site() {
    each_engine(|s| async move {
        let one_click = s.url("/unsubscribe/news/anything");
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();

        // Login CSRF: the victim's browser would be signed into the attacker's account.
        let r = bare
            .post(&one_click)
            .header("origin", EVIL)
            .form(&[
                ("__form", "/api/sign_in"),
                ("email", "mentor@example.org"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.headers().get("set-cookie").is_none(), "no session made");

        // A forced sign-out and a changed profile, with the victim's cookie.
        let cookie = session_cookie(&s, MENTEE).await;
        let name = name_of(&s, MENTEE).await;
        for (fields, what) in [
            (vec![("__form", "/api/sign_out")], "sign-out"),
            (
                vec![
                    ("__form", "/api/update_profile"),
                    ("name", "Pwned By Evil"),
                    ("pronouns", ""),
                    ("time_zone", "UTC"),
                    ("bio", ""),
                ],
                "profile",
            ),
        ] {
            let r = bare
                .post(&one_click)
                .header("origin", EVIL)
                .header("cookie", &cookie)
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{what}");
        }
        assert_eq!(name_of(&s, MENTEE).await, name);
        let r = s
            .browser()
            .post(s.url("/api/current_user"))
            .header("cookie", &cookie)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let user: serde_json::Value = r.json().await.unwrap();
        assert_eq!(user["email"], MENTEE, "still signed in");

        // From Tandem's own page the same form works (the unsubscribe page's button posts there).
        let mentee = signed_in(&s, MENTEE).await;
        // Its handler is registered when a page renders the form (the profile page).
        html_of(&mentee, &s, "/profile").await;
        let (status, _, _) = post_form(
            &mentee,
            &s,
            "/unsubscribe/news/anything",
            &[
                ("__form", "/api/update_profile"),
                ("name", "Sam Lee-Park"),
                ("pronouns", ""),
                ("time_zone", "America/New_York"),
                ("bio", ""),
            ],
        )
        .await;
        // (Its 303 lands back on the unsubscribe page, whose made-up token is not found.)
        assert_ne!(status, 403);
        assert_eq!(name_of(&s, MENTEE).await, "Sam Lee-Park");

        // A mail reader's one-click post (no Origin, no form) still reaches its route, which
        // judges the secret: a made-up one is not found, not refused by the Origin check.
        let r = bare
            .post(&one_click)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_ne!(r.status(), 403);
        s
    })
    .await;
}
