//! `tandem-bench`: the benchmarks' own commands, kept out of the `tandem` binary. The scripts in
//! `bench/` call it; each command prints the figures or the ids the script reads.

mod bare_page;
mod matching;

use app::backend::infra::config::Config;
use clap::{Parser, Subcommand};
use server::startup;

#[derive(Parser)]
#[command(
    name = "tandem-bench",
    about = "Data generators and timers for Tandem's benchmarks (bench/*.sh)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Give the demo's first match (mentee@example.org) a year of data: 3 goals, 40 progress
    /// notes, 50 contacts, 20 activities. Used by bench/run.sh for the match home.
    SeedYear,
    /// Generate a cohort for the dashboard benchmark: at scale 1, 2,000 participants in 1,000
    /// matches with 200,000 messages, 20,000 contacts and 3,000 goals. Prints the cohort id and
    /// a coordinator's session cookie. Used by bench/dashboard.sh.
    SeedDashboard {
        #[arg(long, default_value_t = 1)]
        scale: i64,
    },
    /// Generate participants for the news benchmark: `pairs` matches of a generated cohort (about
    /// nine in ten active) and a draft news issue. Prints the issue id, how many participants it
    /// goes to, and a coordinator's session cookie. Used by bench/news.sh.
    SeedNews {
        #[arg(long, default_value_t = 1112)]
        pairs: i64,
    },
    /// Serve a bare Leptos page (one route, one island button) at `addr`, with the options of
    /// `Leptos.toml`, until stopped: the yardstick for Tandem's pages in bench/run.sh.
    BarePage {
        #[arg(long, default_value = "127.0.0.1:3299")]
        addr: String,
    },
    /// Time the matching on generated applicants (no database): ranking for one mentee, and the
    /// optimal proposal for a whole cohort. Used by bench/run.sh.
    Matching {
        #[arg(long, default_value_t = 500)]
        mentees: usize,
        #[arg(long, default_value_t = 300)]
        mentors: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Also time the server's own work on a database (loading the cohort, scoring, assigning):
        /// a fresh SQLite file when not given, or this (empty, migratable) database.
        #[arg(long)]
        database_url: Option<String>,
    },
}

/// The server's allocator (server/src/main.rs), so the bare page is measured as Tandem is.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What went wrong, as one sentence.
#[derive(Debug)]
struct BenchError(String);

impl std::fmt::Display for BenchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail(e: impl std::fmt::Display) -> BenchError {
    BenchError(e.to_string())
}

#[tokio::main]
async fn main() {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("tandem-bench: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), BenchError> {
    let open = || async {
        let config = Config::from_env().map_err(fail)?;
        startup::open_database(&config).await.map_err(fail)
    };
    match cli.command {
        Command::Matching {
            mentees,
            mentors,
            runs,
            database_url,
        } => {
            bench_matching(mentees, mentors, runs);
            bench_matching_db(mentees, mentors, runs, database_url).await
        }
        Command::BarePage { addr } => {
            let conf = leptos::config::get_configuration(Some("Leptos.toml")).map_err(fail)?;
            bare_page::serve(&addr, conf.leptos_options)
                .await
                .map_err(fail)
        }
        Command::SeedYear => {
            let (pool, _) = open().await?;
            let id = app::backend::seed::demo::seed_year_of_work(&pool)
                .await
                .map_err(fail)?;
            println!("{id}");
            Ok(())
        }
        Command::SeedDashboard { scale } => {
            let (pool, engine) = open().await?;
            let (cohort, cookie) = test_support::generated::seed(&pool, scale.max(1))
                .await
                .map_err(fail)?;
            test_support::generated::settle(&pool, engine)
                .await
                .map_err(fail)?;
            println!("{cohort} {cookie}");
            Ok(())
        }
        Command::SeedNews { pairs } => {
            let (pool, engine) = open().await?;
            let (issue, recipients, cookie) =
                test_support::generated::seed_news(&pool, pairs.max(1))
                    .await
                    .map_err(fail)?;
            test_support::generated::settle(&pool, engine)
                .await
                .map_err(fail)?;
            println!("{issue} {recipients} {cookie}");
            Ok(())
        }
    }
}

/// Median and maximum of a set of timings.
fn stats(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[v.len() - 1])
}

/// The matching server functions' work on a real database: load the waiting applicants, score,
/// rank or assign.
async fn bench_matching_db(
    mentees: usize,
    mentors: usize,
    runs: usize,
    url: Option<String>,
) -> Result<(), BenchError> {
    use app::backend::{auth::policy, auth::users, infra::db, program::matching};
    use app::model::Role;
    use std::time::Instant;
    let fail = |e: &dyn std::fmt::Display| BenchError(format!("benchmark database: {e}"));
    let dir = std::env::temp_dir().join(format!("tandem-bench-{}", std::process::id()));
    let url = match url {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| fail(&e))?;
            format!("sqlite://{}/bench.db", dir.display())
        }
    };
    let (pool, engine) = db::connect(&url, 4).await.map_err(|e| fail(&e))?;
    db::migrate(&pool, engine).await.map_err(|e| fail(&e))?;
    let (cohort, mentee) = crate::matching::seed_cohort(&pool, mentees, mentors)
        .await
        .map_err(|e| fail(&e))?;
    // The matching page is a coordinator's: the benchmark asks the policy for the same permit.
    let coordinator = users::create(
        &pool,
        users::NewUser {
            email: "bench-coordinator@example.org",
            name: "Bench Coordinator",
            role: Role::Coordinator,
            password_hash: "!",
            pronouns: "",
            time_zone: "UTC",
            bio: "",
        },
    )
    .await
    .map_err(|e| fail(&e))?;
    app::backend::auth::second_factor::turn_on_with(
        &pool,
        coordinator,
        &app::backend::auth::second_factor::new_secret(),
    )
    .await
    .map_err(|e| fail(&e))?;
    let by = users::current(&pool, coordinator)
        .await
        .and_then(|u| policy::coordinator(Some(u)))
        .map_err(|e| fail(&e))?;
    let mut suggest = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        matching::suggest(&pool, &by, cohort, mentee)
            .await
            .map_err(|e| fail(&e))?;
        suggest.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut propose = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        matching::propose(&pool, &by, cohort)
            .await
            .map_err(|e| fail(&e))?;
        propose.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (s50, smax) = stats(&mut suggest);
    let (p50, pmax) = stats(&mut propose);
    println!("suggest_mentors on {engine:?}          p50 {s50:8.1} ms  max {smax:8.1} ms");
    println!("propose_matches on {engine:?}          p50 {p50:8.1} ms  max {pmax:8.1} ms");
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn bench_matching(mentees: usize, mentors: usize, runs: usize) {
    use crate::matching::{bench_profiles, bench_propose, bench_rank};
    use std::time::Instant;
    let mentee_profiles = bench_profiles(mentees, 1);
    let mentor_profiles = bench_profiles(mentors, 2);
    let places: usize = (0..mentors).map(|j| 1 + j % 3).sum();
    println!(
        "Matching benchmark: {mentees} mentees, {mentors} mentors with {places} places, {runs} runs"
    );
    let mut rank = Vec::new();
    for me in mentee_profiles.iter().take(200) {
        let t = Instant::now();
        std::hint::black_box(bench_rank(me, &mentor_profiles));
        rank.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut propose = Vec::new();
    let mut result = (0, 0);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        result = std::hint::black_box(bench_propose(&mentee_profiles, &mentor_profiles));
        propose.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (r50, rmax) = stats(&mut rank);
    let (p50, pmax) = stats(&mut propose);
    println!("rank mentors for one mentee      p50 {r50:8.3} ms  max {rmax:8.3} ms");
    println!(
        "propose the whole cohort         p50 {p50:8.1} ms  max {pmax:8.1} ms  (total score {}, {} placed)",
        result.0, result.1
    );
}
