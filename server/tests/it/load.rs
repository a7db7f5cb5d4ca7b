//! What a flood meets: password hashing past its bound answers 503 with `Retry-After` while
//! `/healthz` keeps answering, a session holds only a few chat sockets, and a client that never
//! finishes its headers is cut off.
//!
//! The hashing flood runs against a `tandem serve` process of its own: the bound is per process,
//! and flooding this test binary's would make the other tests' sign-ins busy.

use crate::common::{TestServer, each_engine, session_cookie, ws_open};
use app::backend::chat::hub::SOCKETS_PER_SESSION;
use std::time::Duration;
use test_support::db::{TestDb, engines};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A `tandem serve` child process over `db`, trusting 127.0.0.1 as its proxy; killed on drop.
struct Process {
    child: std::process::Child,
    base: String,
    _site: tempfile::TempDir,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn tandem_serve(db: &TestDb) -> Process {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("serve")
        .current_dir(root)
        .env("DATABASE_URL", &db.url)
        .env("TANDEM_ADDR", format!("127.0.0.1:{port}"))
        .env("TANDEM_DATA_DIR", site.path().join("data"))
        .env("LEPTOS_SITE_ROOT", site.path())
        .env("TANDEM_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let process = Process {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _site: site,
    };
    let c = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = c.get(format!("{}/healthz", process.base)).send().await
            && r.status() == 200
        {
            return process;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("tandem serve did not start on {}", process.base);
}

/// Sign-ins at once, each for an unknown email from an address of its own (as a botnet behind
/// the trusted proxy): nothing stops them before the password hash.
const FLOOD: usize = 150;

#[tokio::test(flavor = "multi_thread")]
async fn a_hashing_flood_is_answered_busy_and_health_stays_up() {
    for engine in engines() {
        eprintln!("-- on {engine:?}");
        let db = TestDb::new(engine).await;
        let server = tandem_serve(&db).await;
        let c = reqwest::Client::builder()
            .pool_max_idle_per_host(FLOOD)
            .build()
            .unwrap();
        let flood: Vec<_> = (0..FLOOD)
            .map(|i| {
                let req = c
                    .post(format!("{}/api/sign_in", server.base))
                    .header("origin", &server.base)
                    .header("x-forwarded-for", format!("10.{}.{}.1", i / 200, i % 200))
                    .json(&serde_json::json!({
                        "email": format!("nobody-{i}@example.org"),
                        "password": "a guess at a password",
                    }));
                tokio::spawn(async move {
                    let r = req.send().await.unwrap();
                    let retry = r
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_string());
                    (r.status().as_u16(), retry)
                })
            })
            .collect();
        // Meanwhile the health check answers.
        for _ in 0..5 {
            let r = c
                .get(format!("{}/healthz", server.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let mut wrong = 0;
        let mut busy = 0;
        for task in flood {
            match task.await.unwrap() {
                (422, _) => wrong += 1,
                (503, retry) => {
                    assert_eq!(
                        retry.as_deref(),
                        Some("2"),
                        "a busy answer says when to retry"
                    );
                    busy += 1;
                }
                other => panic!("unexpected answer {other:?}"),
            }
        }
        eprintln!("{wrong} checked, {busy} told to retry");
        assert!(wrong >= 1, "some sign-ins were checked");
        assert!(busy >= 1, "past the bound, sign-ins are told to retry");
        drop(server);
        db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_holds_only_a_few_live_sockets() {
    each_engine(|s: TestServer| async move {
        let cookie = session_cookie(&s, "mentee@example.org").await;
        let origin = Some(s.base.as_str());
        let mut open = Vec::new();
        for _ in 0..SOCKETS_PER_SESSION {
            open.push(ws_open(&s, Some(&cookie), origin).await.unwrap());
        }
        assert_eq!(
            ws_open(&s, Some(&cookie), origin).await.err(),
            Some(429),
            "one socket more than the session may hold"
        );
        // Another device (its own session) is not held back by this one's tabs.
        let other = session_cookie(&s, "mentee@example.org").await;
        assert!(ws_open(&s, Some(&other), origin).await.is_ok());
        // A tab closed frees its place.
        let mut closed = open.pop().unwrap();
        closed.close(None).await.unwrap();
        drop(closed);
        let mut reopened = None;
        for _ in 0..50 {
            if let Ok(ws) = ws_open(&s, Some(&cookie), origin).await {
                reopened = Some(ws);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(reopened.is_some(), "a closed socket's place is given back");
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let s = TestServer::start(app::backend::infra::db::Engine::Sqlite).await;
    let mut tcp = tokio::net::TcpStream::connect(s.base.trim_start_matches("http://"))
        .await
        .unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: tandem\r\nX-Slow: ")
        .await
        .unwrap();
    let limit = server::connections::HEADER_READ_TIMEOUT + Duration::from_secs(5);
    let mut answer = Vec::new();
    let read = tokio::time::timeout(limit, tcp.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the connection was still open {limit:?} after its headers began"
    );
    // Whatever was said on the way out, it was not an answer to the request.
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    s.stop().await;
}
