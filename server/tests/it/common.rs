//! A real Tandem server on a loopback port, over a fresh database of the chosen engine.

use app::backend::infra::config::Config;
use app::backend::infra::db::Engine;
use leptos::config::LeptosOptions;
use test_support::db::TestDb;

pub struct TestServer {
    pub base: String,
    pub state: app::backend::state::AppState,
    pub site: tempfile::TempDir,
    db: Option<TestDb>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(engine: Engine) -> TestServer {
        TestServer::start_with(engine, &[]).await
    }

    /// Like `start`, with more settings (name, value) as the environment would give them.
    pub async fn start_with(engine: Engine, settings: &[(&str, &str)]) -> TestServer {
        let db = TestDb::new(engine).await;
        app::backend::seed::demo::seed_if_empty(&db.db)
            .await
            .unwrap();
        let mut server = TestServer::serve(db.db.clone(), engine, &db.url, settings).await;
        server.db = Some(db);
        server
    }

    /// A second `tandem serve` on this server's database (as several instances share one
    /// PostgreSQL): its own pool, chat hub and LISTEN connection. The first one cleans up.
    pub async fn another_instance(&self) -> TestServer {
        let url = self
            .db
            .as_ref()
            .expect("the first instance owns the database")
            .url
            .clone();
        let (pool, engine) = app::backend::infra::db::connect(&url, 4).await.unwrap();
        TestServer::serve(pool, engine, &url, &[]).await
    }

    async fn serve(
        pool: app::backend::infra::db::Db,
        engine: Engine,
        url: &str,
        settings: &[(&str, &str)],
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("pkg")).unwrap();
        let data = site.path().join("data").display().to_string();
        let config = Config::from_lookup(|k| match k {
            "TANDEM_ADDR" => Some(addr.to_string()),
            "TANDEM_DATA_DIR" => Some(data.clone()),
            "DATABASE_URL" => Some(url.to_string()),
            _ => settings
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string()),
        })
        .unwrap();
        let options = LeptosOptions::builder()
            .output_name("tandem")
            .site_root(site.path().display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let state = server::startup::state(config, pool, engine, options);
        let app = server::router::router(state.clone());
        let task = tokio::spawn(server::connections::serve(
            listener,
            app,
            std::future::pending(),
        ));
        TestServer {
            base: format!("http://{addr}"),
            state,
            site,
            db: None,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies and sends this server's Origin, as a browser on its pages does.
    pub fn browser(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("origin", self.base.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// Like `browser`, with its connections coming from `source` (any of 127.0.0.0/8 on
    /// loopback), as a second client or a reverse proxy on another machine would.
    pub fn browser_from(&self, source: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("origin", self.base.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .local_address(source.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap()
    }

    pub async fn stop(mut self) {
        self.task.abort();
        match self.db.take() {
            Some(db) => db.close().await,
            None => self.state.db.close().await,
        }
    }
}

/// Far above any test's real time (seconds), far below CI's limit.
const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

pub async fn each_engine<F, Fut>(test: F)
where
    F: Fn(TestServer) -> Fut,
    Fut: std::future::Future<Output = TestServer>,
{
    for engine in test_support::db::engines() {
        eprintln!("-- on {engine:?}");
        let server = TestServer::start(engine).await;
        // A response that never ends would otherwise hold the whole run until CI gives up.
        let server = tokio::time::timeout(TEST_LIMIT, test(server))
            .await
            .unwrap_or_else(|_| {
                panic!("the test did not finish within {TEST_LIMIT:?} on {engine:?}")
            });
        server.stop().await;
    }
}

/// A browser with JavaScript off (or not yet loaded): it posts forms to their page, follows no
/// redirect by itself, and says it wants HTML.
pub fn plain_browser(s: &TestServer) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", s.url("").parse().unwrap());
    headers.insert("accept", "text/html".parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A page's HTML as this client gets it.
pub async fn html_of(c: &reqwest::Client, s: &TestServer, page: &str) -> String {
    c.get(s.url(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Posts a form to `page` as a browser without JavaScript does: the status, the redirect's
/// target if any, and the body.
pub async fn post_form(
    c: &reqwest::Client,
    s: &TestServer,
    page: &str,
    fields: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let r = c.post(s.url(page)).form(fields).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (status, location, r.text().await.unwrap())
}

/// The demo accounts' password.
pub const PASSWORD: &str = "demo-password-1";

/// A coordinator account without two-step sign-in (as after another coordinator resets it), with
/// the demo password; not signed in.
pub async fn unenrolled_coordinator(s: &TestServer, email: &str) {
    use app::backend::auth::{passwords, users};
    let hash = passwords::hash(PASSWORD.to_string()).await.unwrap();
    users::create(
        &s.state.db,
        users::NewUser {
            email,
            name: "Nova Coordinator",
            role: app::model::Role::Coordinator,
            password_hash: &hash,
            pronouns: "",
            time_zone: "UTC",
            bio: "",
        },
    )
    .await
    .unwrap();
}

/// A browser-like client signed in as `email` (a demo account), with the code from its
/// authenticator when the account asks for one (the demo coordinator's).
pub async fn signed_in(s: &TestServer, email: &str) -> reqwest::Client {
    let c = s.browser();
    let r = c
        .post(s.url("/api/sign_in"))
        .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "sign in {email}");
    let outcome: serde_json::Value = r.json().await.unwrap();
    if outcome == "CodeNeeded" {
        let code = next_code(s, email).await;
        let r = c
            .post(s.url("/api/sign_in_second_factor"))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "second step for {email}");
    }
    c
}

/// The code `email`'s authenticator app would show for their next sign-in: the current 30-second
/// step's, or the next step's when this test already used the current one (the server accepts a
/// step once, and one step ahead for drifting clocks), waiting when both are used.
pub async fn next_code(s: &TestServer, email: &str) -> String {
    use app::backend::auth::second_factor::{STEP_SECONDS, code_at};
    let (secret, last): (String, i64) = sqlx::query_as(
        "SELECT f.secret, f.last_step FROM second_factors f JOIN users u ON u.id = f.user_id \
         WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(&s.state.db)
    .await
    .expect("the account has two-step sign-in");
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let step = (now() / STEP_SECONDS).max(last as u64 + 1);
    while step > now() / STEP_SECONDS + 1 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    code_at(&secret, step * STEP_SECONDS).unwrap()
}

/// Calls a server function and returns its status and JSON body.
pub async fn call(
    c: &reqwest::Client,
    s: &TestServer,
    f: &str,
    args: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = c
        .post(s.url(&format!("/api/{f}")))
        .json(&args)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// Calls server function `F` with its own argument struct, which must succeed, and decodes the
/// answer into its own return type (a model type): a misspelt field or a changed type is a
/// compile error here, where a JSON lookup would quietly read `null`.
pub async fn run<F>(c: &reqwest::Client, s: &TestServer, args: F) -> F::Output
where
    F: leptos::server_fn::ServerFn + serde::Serialize,
    F::Output: serde::de::DeserializeOwned,
{
    let r = c.post(s.url(F::PATH)).json(&args).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert_eq!(status, 200, "{}: {text}", F::PATH);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}: {text}", F::PATH))
}

/// Calls a server function that must succeed, and returns its JSON body.
pub async fn ok(
    c: &reqwest::Client,
    s: &TestServer,
    f: &str,
    args: serde_json::Value,
) -> serde_json::Value {
    let (status, body) = call(c, s, f, args).await;
    assert_eq!(status, 200, "{f}: {body}");
    body
}

/// The id of the account with `email`.
pub async fn user_id(s: &TestServer, email: &str) -> app::model::UserId {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

/// A session cookie for a demo account, made directly (no password hashing), for websocket
/// clients and load.
pub async fn session_cookie(s: &TestServer, email: &str) -> String {
    let id = user_id(s, email).await;
    let token = app::backend::auth::sessions::create(&s.state.db, id)
        .await
        .unwrap();
    format!(
        "{}={token}",
        app::backend::auth::sessions::cookie_name(false)
    )
}

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the live connection (`/ws`) as a browser on this server's pages would (its Origin, the
/// cookie), or with the given Origin (None: no Origin header). An HTTP refusal comes back as its
/// status.
pub async fn ws_open(
    s: &TestServer,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Result<Ws, u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/ws", s.base.replacen("http", "ws", 1));
    let mut req = url.into_client_request().unwrap();
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.parse().unwrap());
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("websocket connect failed: {e}"),
    }
}

/// A whole application form as `submit_application` takes it, for the demo's open window.
pub fn application_form(cohort_id: i64, role: &str, name: &str, email: &str) -> serde_json::Value {
    serde_json::json!({ "form": {
        "cohort_id": cohort_id, "role": role, "name": name, "email": email,
        "password": "a-long-password", "library_type": "public",
        "library_name": "Maple Street Library", "job_title": "Children's librarian",
        "years_experience": if role == "mentor" { "12" } else { "1" },
        "interests": ["Storytime", "Early literacy"], "interests_other": "",
        "region": "Ohio", "time_zone": "America/New_York", "meet_ways": ["video", "chat"],
        "hours_per_month": "4", "hopes": "To grow as a storyteller.",
        "mentor_capacity": if role == "mentor" { "1" } else { "" },
        "gender": "Private-Answer-XYZ", "race_ethnicity": "", "wants_shared_identity": true,
        "agree": true
    }})
}

/// The cohort whose applications are open in the demo data.
pub async fn open_cohort_id(s: &TestServer) -> i64 {
    let page = ok(&s.browser(), s, "apply_page", serde_json::json!({})).await;
    page["open"]["cohort_id"]
        .as_i64()
        .expect("the demo has an open window")
}

/// How many accounts have `email`: 0 after a refused application.
pub async fn accounts_with_email(s: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

/// The id of the demo match whose mentee signs in as `mentee_email`.
pub async fn match_of(s: &TestServer, mentee_email: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT m.id FROM matches m JOIN users u ON u.id = m.mentee_id WHERE u.email = $1",
    )
    .bind(mentee_email)
    .fetch_one(&s.state.db)
    .await
    .unwrap()
}

/// The nonce a response's Content-Security-Policy allows.
pub fn csp_nonce(r: &reqwest::Response) -> String {
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    let start = csp.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap().to_string()
}
