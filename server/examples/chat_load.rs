//! The chat benchmark's load generator (run by `bench/chat.sh` against a release `tandem serve`).
//!
//!   chat_load seed  --database-url URL --matches 500 --sessions 2 --out pairs.txt
//!       500 active matches (1,000 participants) with two sessions each (two devices), written
//!       as "match_id mentor_cookie mentee_cookie mentor_cookie mentee_cookie" lines. The live
//!       run uses each person's first session; the idle run spreads its sockets over all of them,
//!       since the server holds at most a few sockets per session.
//!   chat_load live  --send-base URL --socket-base URL --pairs pairs.txt --rate 100 --seconds 30
//!       Both partners of every match connected; messages sent through `send_message` at `rate`
//!       per second in total; delivery = from the send call to the partner's socket frame.
//!   chat_load idle  --socket-base URL --pairs pairs.txt --sockets 10000
//!       Opens that many authenticated sockets, waits until each is live, prints READY, and holds
//!       them until killed (the script reads the server's memory meanwhile).

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Pending = Arc<Mutex<HashMap<String, Instant>>>;

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("seed") => seed(&args).await,
        Some("live") => live(&args).await,
        Some("idle") => idle(&args).await,
        _ => Err("usage: chat_load seed|live|idle …".to_string()),
    };
    if let Err(e) = result {
        eprintln!("chat_load: {e}");
        std::process::exit(1);
    }
}

async fn seed(args: &[String]) -> Result<(), String> {
    use app::backend::{auth::sessions, infra::db, seed::rows};
    let url = arg(args, "--database-url", "");
    let matches: usize = arg(args, "--matches", "500")
        .parse()
        .map_err(|_| "--matches")?;
    let per_person: usize = arg(args, "--sessions", "1")
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or("--sessions")?;
    let out = arg(args, "--out", "pairs.txt");
    let (pool, engine) = db::connect(&url, 4).await.map_err(|e| e.to_string())?;
    db::migrate(&pool, engine)
        .await
        .map_err(|e| e.to_string())?;
    let now = db::now_ms();
    let e = |e: app::error::AppError| e.to_string();
    let cohort = rows::insert_one(
        &pool,
        rows::Cohort::running("Chat benchmark", matches as i64),
    )
    .await
    .map_err(e)?;
    // Mentor and mentee of each match, side by side.
    let people: Vec<rows::Person> = (0..matches)
        .flat_map(|m| {
            ["mentor", "mentee"].map(|role| {
                rows::Person::participant(
                    format!("chat-{role}-{m}@example.org"),
                    format!("Chat {role} {m}"),
                )
            })
        })
        .collect();
    let ids = rows::insert(&pool, &people).await.map_err(e)?;
    let pairs: Vec<rows::Match> = ids
        .chunks(2)
        .map(|p| rows::Match::active(cohort, p[0], p[1], now))
        .collect();
    let match_ids = rows::insert(&pool, &pairs).await.map_err(e)?;
    let mut lines = String::new();
    for (id, pair) in match_ids.iter().zip(ids.chunks(2)) {
        let mut cookies = Vec::with_capacity(2 * per_person);
        for _ in 0..per_person {
            for &user in pair {
                let token = sessions::create(&pool, app::model::UserId(user))
                    .await
                    .map_err(e)?;
                cookies.push(format!("{}={token}", sessions::cookie_name(false)));
            }
        }
        lines.push_str(&format!("{id} {}\n", cookies.join(" ")));
    }
    std::fs::write(&out, lines).map_err(|e| e.to_string())?;
    println!("seeded {matches} matches into {out}");
    Ok(())
}

struct Pair {
    match_id: i64,
    /// Mentor's and mentee's cookies, then again for each further session.
    cookies: Vec<String>,
}

fn read_pairs(path: &str) -> Result<Vec<Pair>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .map(|l| {
            let mut p = l.split_whitespace();
            let match_id = p.next().and_then(|s| s.parse().ok()).ok_or("bad line")?;
            let cookies: Vec<String> = p.map(str::to_string).collect();
            if cookies.len() < 2 || !cookies.len().is_multiple_of(2) {
                return Err("bad line".to_string());
            }
            Ok(Pair { match_id, cookies })
        })
        .collect()
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a live connection as a signed-in page does; with `chat`, as the chat page of `match_id`
/// (ready once it is live), otherwise as any other page (ready once the badge came).
async fn open(base: &str, match_id: i64, cookie: &str, chat: bool) -> Result<Ws, String> {
    let url = format!("{}/ws", base.replacen("http", "ws", 1));
    let mut req = url.into_client_request().map_err(|e| e.to_string())?;
    req.headers_mut()
        .insert("cookie", cookie.parse().map_err(|_| "cookie")?);
    req.headers_mut()
        .insert("origin", base.parse().map_err(|_| "origin")?);
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .map_err(|e| e.to_string())?;
    ws.send(Message::text(r#"{"type":"hello"}"#))
        .await
        .map_err(|e| e.to_string())?;
    let ready = if chat {
        let open = format!(r#"{{"type":"open","match_id":{match_id},"after":0}}"#);
        ws.send(Message::text(open))
            .await
            .map_err(|e| e.to_string())?;
        "\"live\""
    } else {
        "\"unread\""
    };
    // Wait until ready, so every socket is established before the clock starts.
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains(ready) => return Ok(ws),
            Some(Ok(_)) => {}
            other => return Err(format!("socket closed before live: {other:?}")),
        }
    }
}

/// Opens sockets `per_wave` at a time (a real crowd does not arrive in one instant).
async fn open_all(
    base: &str,
    targets: Vec<(i64, String)>,
    per_wave: usize,
    chat: bool,
) -> Result<Vec<Ws>, String> {
    let mut out = Vec::with_capacity(targets.len());
    for wave in targets.chunks(per_wave) {
        let opened = futures_util::future::join_all(
            wave.iter()
                .map(|(id, cookie)| open(base, *id, cookie, chat)),
        )
        .await;
        for ws in opened {
            out.push(ws?);
        }
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn live(args: &[String]) -> Result<(), String> {
    let send_base = arg(args, "--send-base", "http://127.0.0.1:3000");
    let socket_base = arg(args, "--socket-base", &send_base);
    let pairs = read_pairs(&arg(args, "--pairs", "pairs.txt"))?;
    let rate: f64 = arg(args, "--rate", "100").parse().map_err(|_| "--rate")?;
    let seconds: f64 = arg(args, "--seconds", "30")
        .parse()
        .map_err(|_| "--seconds")?;

    let targets: Vec<(i64, String)> = pairs
        .iter()
        .flat_map(|p| p.cookies[..2].iter().map(move |c| (p.match_id, c.clone())))
        .collect();
    let t = Instant::now();
    let sockets = open_all(&socket_base, targets, 100, true).await?;
    println!(
        "{} sockets live in {:.1} s",
        sockets.len(),
        t.elapsed().as_secs_f64()
    );

    // Each receiving socket records when its partner's message arrived.
    let pending: Pending = Arc::default();
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    for mut ws in sockets {
        let pending = pending.clone();
        let latencies = latencies.clone();
        tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                let Message::Text(t) = msg else { continue };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else {
                    continue;
                };
                if v["type"] != "message" || v["line"]["mine"] == true {
                    continue;
                }
                let Some(cid) = v["line"]["client_id"].as_str() else {
                    continue;
                };
                let started = pending.lock().ok().and_then(|mut p| p.remove(cid));
                if let (Some(at), Ok(mut l)) = (started, latencies.lock()) {
                    l.push(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
        });
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| e.to_string())?;
    let total = (rate * seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let send_errors = Arc::new(Mutex::new(0usize));
    let mut calls = Vec::with_capacity(total);
    // Client ids unique to this run: a second run over the same matches with the same ids would
    // be answered with the first run's messages (sending is idempotent) and deliver nothing.
    let run = std::process::id();
    let started = Instant::now();
    for n in 0..total {
        tick.tick().await;
        let pair = &pairs[(n * 7919) % pairs.len()];
        let side = n % 2;
        let cid = format!("bench-{run}-{n}");
        pending
            .lock()
            .map_err(|_| "lock")?
            .insert(cid.clone(), Instant::now());
        let req = http
            .post(format!("{send_base}/api/send_message"))
            .header("cookie", &pair.cookies[side])
            .header("origin", &send_base)
            .json(&serde_json::json!({
                "match_id": pair.match_id, "client_id": cid,
                "body": format!("Benchmark message {n}: shall we talk on Thursday?"),
            }));
        let errors = send_errors.clone();
        calls.push(tokio::spawn(async move {
            let ok = matches!(req.send().await, Ok(r) if r.status().is_success());
            if !ok && let Ok(mut e) = errors.lock() {
                *e += 1;
            }
        }));
    }
    for c in calls {
        let _ = c.await;
    }
    let sent_for = started.elapsed().as_secs_f64();
    // Let the last deliveries land.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut l = latencies.lock().map_err(|_| "lock")?.clone();
    l.sort_by(|a, b| a.total_cmp(b));
    let lost = pending.lock().map_err(|_| "lock")?.len();
    let errors = *send_errors.lock().map_err(|_| "lock")?;
    println!(
        "sent {total} in {sent_for:.1} s ({:.0}/s); delivered {}; undelivered {lost}; send errors {errors}",
        total as f64 / sent_for,
        l.len()
    );
    println!(
        "delivery p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        percentile(&l, 0.50),
        percentile(&l, 0.90),
        percentile(&l, 0.99),
        l.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

async fn idle(args: &[String]) -> Result<(), String> {
    let base = arg(args, "--socket-base", "http://127.0.0.1:3000");
    let pairs = read_pairs(&arg(args, "--pairs", "pairs.txt"))?;
    let count: usize = arg(args, "--sockets", "10000")
        .parse()
        .map_err(|_| "--sockets")?;
    let targets: Vec<(i64, String)> = (0..count)
        .map(|i| {
            // Round r of sockets over all pairs uses each person's session r (mod sessions).
            let p = &pairs[(i / 2) % pairs.len()];
            let sessions = p.cookies.len() / 2;
            let round = i / (2 * pairs.len());
            (
                p.match_id,
                p.cookies[2 * (round % sessions) + i % 2].clone(),
            )
        })
        .collect();
    let t = Instant::now();
    let sockets = open_all(&base, targets, 200, false).await?;
    println!(
        "READY {} sockets live in {:.1} s",
        sockets.len(),
        t.elapsed().as_secs_f64()
    );
    // Hold them, answering pings, until killed.
    let mut tasks = Vec::new();
    for mut ws in sockets {
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(_)) = ws.next().await {}
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(())
}
