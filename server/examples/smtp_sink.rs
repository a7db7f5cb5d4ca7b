//! A loopback SMTP server for bench/news.sh: accepts mail on the given address and exits once
//! it has accepted the expected number of messages, printing how many and when.
//!   smtp_sink 127.0.0.1:2525 2000

use std::time::{Duration, Instant};
use test_support::smtp_sink::SmtpSink;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:2525".into());
    let expect: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let addr = match addr.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("smtp_sink: bad address {addr}: {e}");
            std::process::exit(2);
        }
    };
    let sink = match SmtpSink::start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("smtp_sink: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on {}", sink.addr);
    let mut first: Option<Instant> = None;
    loop {
        let n = sink.count();
        if n > 0 && first.is_none() {
            first = Some(Instant::now());
        }
        if n >= expect {
            let spread = first.map(|f| f.elapsed().as_secs_f64()).unwrap_or(0.0);
            println!("accepted {n} messages ({spread:.1} s from the first to the last)");
            return;
        }
        sink.wait_for(n + 1, Duration::from_secs(1)).await;
    }
}
