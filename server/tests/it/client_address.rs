//! Behind a reverse proxy, the sign-in limits key on the client the proxy names, and only a
//! trusted proxy can name one: through the real server, with the proxy at 127.0.0.2 and a client
//! connecting directly from 127.0.0.3.

use crate::common::{PASSWORD, TestServer};
use app::backend::auth::rate_limit;
use test_support::db::engines;

const PROXY: &str = "127.0.0.2";
const STRANGER: &str = "127.0.0.3";

async fn sign_in(c: &reqwest::Client, s: &TestServer, forwarded_for: Option<&str>) -> u16 {
    let mut req = c
        .post(s.url("/api/sign_in"))
        .json(&serde_json::json!({ "email": "mentor@example.org", "password": PASSWORD }));
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn use_up(s: &TestServer, address: &str) {
    let key = [(rate_limit::address_key(address), i64::MAX)];
    for _ in 0..rate_limit::PER_ADDRESS {
        let attempt = rate_limit::claim(&s.state.db, &key).await.unwrap();
        attempt.failed(&s.state.db).await.unwrap();
    }
}

async fn failures(s: &TestServer, address: &str) -> i64 {
    rate_limit::failures(&s.state.db, &rate_limit::address_key(address))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_trusted_proxy_names_the_client() {
    for engine in engines() {
        eprintln!("-- on {engine:?}");
        let s = TestServer::start_with(engine, &[("TANDEM_TRUSTED_PROXIES", PROXY)]).await;
        // An attacker behind the proxy has used up its address's sign-ins.
        use_up(&s, "203.0.113.7").await;
        // Through the proxy, the attacker is refused, even writing another address in front of
        // the one the proxy appends.
        let proxy = s.browser_from(PROXY);
        assert_eq!(sign_in(&proxy, &s, Some("203.0.113.7")).await, 429);
        assert_eq!(
            sign_in(&proxy, &s, Some("198.51.100.8, 203.0.113.7")).await,
            429
        );
        // Everyone else behind the same proxy still signs in.
        assert_eq!(sign_in(&proxy, &s, Some("198.51.100.8")).await, 200);
        assert_eq!(
            sign_in(&s.browser_from(PROXY), &s, Some("192.0.2.44")).await,
            200
        );

        // A client that is not a proxy cannot name itself: its failures count against its own
        // address, whatever it forwards.
        let stranger = s.browser_from(STRANGER);
        let r = stranger
            .post(s.url("/api/sign_in"))
            .header("x-forwarded-for", "198.51.100.8")
            .json(
                &serde_json::json!({ "email": "nobody@example.org", "password": "wrong-guess-1" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(failures(&s, STRANGER).await, 1);
        assert_eq!(failures(&s, "198.51.100.8").await, 0);
        use_up(&s, STRANGER).await;
        assert_eq!(sign_in(&stranger, &s, Some("192.0.2.99")).await, 429);
        s.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_trusted_proxy_the_header_is_ignored() {
    for engine in engines() {
        eprintln!("-- on {engine:?}");
        let s = TestServer::start(engine).await;
        use_up(&s, PROXY).await;
        let c = s.browser_from(PROXY);
        assert_eq!(sign_in(&c, &s, Some("198.51.100.8")).await, 429);
        // Another source address is another client.
        assert_eq!(sign_in(&s.browser_from(STRANGER), &s, None).await, 200);
        s.stop().await;
    }
}
