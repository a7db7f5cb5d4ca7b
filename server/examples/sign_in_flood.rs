//! The sign-in flood's load generator (run by `bench/flood.sh` against a release `tandem serve`
//! that trusts 127.0.0.1 as its proxy).
//!
//!   sign_in_flood --base URL --clients 200 --seconds 20
//!       `clients` sign-ins in flight at all times, each for an unknown email from an address of
//!       its own (a new /24 each time, as a botnet's would be), so that nothing stops them before
//!       the password hash. Meanwhile `/healthz` is asked every 50 ms. Prints the answers per
//!       second by status (422: checked, 503: told to retry) and the health check's latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

#[derive(Default)]
struct Counts {
    checked: AtomicU64,
    busy: AtomicU64,
    other: AtomicU64,
    failed: AtomicU64,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("sign_in_flood: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let base = arg(&args, "--base", "http://127.0.0.1:3000");
    let clients: usize = arg(&args, "--clients", "200")
        .parse()
        .map_err(|_| "--clients")?;
    let seconds: u64 = arg(&args, "--seconds", "20")
        .parse()
        .map_err(|_| "--seconds")?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())?;
    let counts = Arc::new(Counts::default());
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, base, counts, stop, next) = (
            client.clone(),
            base.clone(),
            counts.clone(),
            stop.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let answer = client
                    .post(format!("{base}/api/sign_in"))
                    .header("origin", &base)
                    .header(
                        "x-forwarded-for",
                        format!("10.{}.{}.7", (n / 250) % 250, n % 250),
                    )
                    .json(&serde_json::json!({
                        "email": format!("flood-{n}@example.org"),
                        "password": "a guess at a password",
                    }))
                    .send()
                    .await;
                let counter = match answer.map(|r| r.status().as_u16()) {
                    Ok(422) => &counts.checked,
                    Ok(503) => &counts.busy,
                    Ok(_) => &counts.other,
                    Err(_) => &counts.failed,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    let mut health = Vec::new();
    let mut health_failed = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        let t = Instant::now();
        match client.get(format!("{base}/healthz")).send().await {
            Ok(r) if r.status() == 200 => health.push(t.elapsed()),
            _ => health_failed += 1,
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    health.sort();
    let pct = |p: f64| -> f64 {
        health
            .get(((health.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let per_second = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / elapsed;
    println!(
        "sign-ins: {:.0}/s checked (422), {:.0}/s told to retry (503), {} other, {} failed",
        per_second(&counts.checked),
        per_second(&counts.busy),
        counts.other.load(Ordering::Relaxed),
        counts.failed.load(Ordering::Relaxed),
    );
    println!(
        "/healthz: {} answered, {} failed; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (budget p99 < 100 ms)",
        health.len(),
        health_failed,
        pct(0.50),
        pct(0.99),
        pct(1.0),
    );
    Ok(())
}
