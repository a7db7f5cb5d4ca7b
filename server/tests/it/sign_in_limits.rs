//! Sign-in limits through the real server, with clients on several loopback addresses: others'
//! wrong passwords never lock the owner's own browser out, many attempts sent at once are counted
//! before any is checked, and a sign-in from a new browser is told to the owner.

use crate::common::{PASSWORD, TestServer, each_engine};
use app::backend::auth::rate_limit;

const MENTOR: &str = "mentor@example.org";

async fn sign_in(c: &reqwest::Client, s: &TestServer, password: &str) -> u16 {
    c.post(s.url("/api/sign_in"))
        .json(&serde_json::json!({ "email": MENTOR, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn new_browser_mails(s: &TestServer) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject = 'A new sign-in to your Tandem account'",
    )
    .bind(MENTOR)
    .fetch_one(&s.state.db)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owners_browser_passes_a_lock_that_others_caused() {
    each_engine(|s: TestServer| async move {
        // The owner signs in at home, and their browser is remembered.
        let home = s.browser_from("127.0.0.2");
        assert_eq!(sign_in(&home, &s, PASSWORD).await, 200);
        // Someone else guesses until the account is locked.
        let attacker = s.browser_from("127.0.0.3");
        for _ in 0..rate_limit::PER_ACCOUNT {
            assert_eq!(sign_in(&attacker, &s, "a wrong guess").await, 422);
        }
        assert_eq!(sign_in(&attacker, &s, "a wrong guess").await, 429);
        // Any browser the account has not signed in with meets the lock, even with the password.
        assert_eq!(
            sign_in(&s.browser_from("127.0.0.4"), &s, PASSWORD).await,
            429
        );
        // The owner's own browser does not.
        assert_eq!(sign_in(&home, &s, PASSWORD).await, 200);
        // A remembered browser guessing is itself limited, then treated like any other.
        for _ in 0..rate_limit::PER_DEVICE {
            assert_eq!(sign_in(&home, &s, "a wrong guess").await, 422);
        }
        assert_eq!(sign_in(&home, &s, PASSWORD).await, 429);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn attempts_sent_at_once_are_counted_before_they_are_checked() {
    each_engine(|s: TestServer| async move {
        let answers: Vec<_> = (0..40)
            .map(|_| {
                let c = s.browser_from("127.0.0.3");
                let url = s.url("/api/sign_in");
                tokio::spawn(async move {
                    c.post(url)
                        .json(&serde_json::json!({ "email": MENTOR, "password": "a wrong guess" }))
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut checked = 0;
        for answer in answers {
            match answer.await.unwrap() {
                422 => checked += 1,
                429 => {}
                other => panic!("unexpected answer {other}"),
            }
        }
        // Each attempt counts the others already written, so a burst may well see all of them
        // refused; never more than the limit are checked.
        assert!(
            checked <= rate_limit::PER_ACCOUNT,
            "{checked} of 40 wrong passwords sent at once were checked"
        );
        let stored = rate_limit::failures(&s.state.db, &rate_limit::account_key(MENTOR))
            .await
            .unwrap();
        assert_eq!(
            stored, checked,
            "a refused attempt leaves no failure behind"
        );
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_from_a_new_browser_is_told_to_the_owner() {
    each_engine(|s: TestServer| async move {
        // The first browser ever is not news.
        let phone = s.browser_from("127.0.0.2");
        assert_eq!(sign_in(&phone, &s, PASSWORD).await, 200);
        assert_eq!(new_browser_mails(&s).await, 0);
        // A second one is; signing in with it again is not.
        let laptop = s.browser_from("127.0.0.5");
        assert_eq!(sign_in(&laptop, &s, PASSWORD).await, 200);
        assert_eq!(new_browser_mails(&s).await, 1);
        assert_eq!(sign_in(&laptop, &s, PASSWORD).await, 200);
        assert_eq!(sign_in(&phone, &s, PASSWORD).await, 200);
        assert_eq!(new_browser_mails(&s).await, 1);
        let body: String = sqlx::query_scalar(
            "SELECT body_text FROM outbox WHERE subject = 'A new sign-in to your Tandem account'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert!(body.contains("127.0.0.5"), "{body}");
        s
    })
    .await;
}
