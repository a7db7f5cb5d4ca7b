//! `tandem`: the command line. Each command prints one clear sentence on failure and exits non-zero.

use app::backend::infra::config::Config;
use app::backend::{auth::passwords, auth::users, seed::demo};
use app::model::Role;
use clap::{Parser, Subcommand};
use server::startup::{self, StartError};
use std::io::{BufRead, IsTerminal};

#[derive(Parser)]
#[command(
    name = "tandem",
    version,
    about = "Tandem: a mentoring program, from application to the last day of the year."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve {
        /// Load demo data when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create a coordinator account. Asks for the password, or reads one line from standard input.
    CreateCoordinator {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Load demo data into an empty database.
    SeedDemo,
    /// Give the demo's first match (mentee@example.org) a year of data: 3 goals, 40 progress
    /// notes, 50 contacts, 20 activities. Used by bench/run.sh for the match home.
    SeedBenchYear,
    /// Generate a cohort for the dashboard benchmark: at scale 1, 2,000 participants in 1,000
    /// matches with 200,000 messages, 20,000 contacts and 3,000 goals. Prints the cohort id and
    /// a coordinator's session cookie. Used by bench/dashboard.sh.
    SeedBenchDashboard {
        #[arg(long, default_value_t = 1)]
        scale: i64,
    },
    /// Generate participants for the news benchmark: `pairs` matches of a generated cohort (about
    /// nine in ten active) and a draft news issue. Prints the issue id, how many participants it
    /// goes to, and a coordinator's session cookie. Used by bench/news.sh.
    SeedBenchNews {
        #[arg(long, default_value_t = 1112)]
        pairs: i64,
    },
    /// Time the matching on generated applicants (no database): ranking for one mentee, and the
    /// optimal proposal for a whole cohort. Used by bench/run.sh.
    BenchMatching {
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

/// mimalloc instead of glibc's malloc: under load on the match home, perf showed about a fifth
/// of the server's time in glibc's malloc and free across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("tandem: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    if let Command::BenchMatching {
        mentees,
        mentors,
        runs,
        database_url,
    } = cli.command
    {
        bench_matching(mentees, mentors, runs);
        return bench_matching_db(mentees, mentors, runs, database_url).await;
    }
    let config = Config::from_env()?;
    match cli.command {
        Command::Serve { demo } => {
            let options = startup::leptos_options(&config)?;
            // Bind before migrating: a taken port is reported before any work is done.
            let listener = startup::bind(config.addr).await?;
            let (pool, engine) = startup::open_database(&config).await?;
            if demo {
                seed(&pool).await?;
            }
            let public = config.public_url.to_string();
            let state = startup::state(config, pool, engine, options);
            println!("Tandem is running at {public}");
            if demo {
                print_demo_sign_ins();
            }
            startup::serve(listener, state).await
        }
        Command::Migrate => {
            startup::open_database(&config).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::BenchMatching { .. } => Ok(()),
        Command::SeedBenchYear => {
            let (pool, _) = startup::open_database(&config).await?;
            let id = app::backend::seed::demo::seed_year_of_work(&pool)
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            println!("{id}");
            Ok(())
        }
        Command::SeedBenchDashboard { scale } => {
            let (pool, engine) = startup::open_database(&config).await?;
            let (cohort, cookie) = server::bench_data::seed(&pool, scale.max(1))
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            server::bench_data::settle(&pool, engine)
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            println!("{cohort} {cookie}");
            Ok(())
        }
        Command::SeedBenchNews { pairs } => {
            let (pool, engine) = startup::open_database(&config).await?;
            let (issue, recipients, cookie) = server::bench_data::seed_news(&pool, pairs.max(1))
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            server::bench_data::settle(&pool, engine)
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            println!("{issue} {recipients} {cookie}");
            Ok(())
        }
        Command::SeedDemo => {
            let (pool, _) = startup::open_database(&config).await?;
            seed(&pool).await?;
            print_demo_sign_ins();
            Ok(())
        }
        Command::CreateCoordinator { email, name } => {
            let (pool, _) = startup::open_database(&config).await?;
            let password = read_password()?;
            passwords::validate("password", &password)
                .map_err(|e| StartError::App(e.to_string()))?;
            let hash = passwords::hash(password)
                .await
                .map_err(|e| StartError::App(e.to_string()))?;
            users::create(
                &pool,
                users::NewUser {
                    email: &email,
                    name: &name,
                    role: Role::Coordinator,
                    password_hash: &hash,
                    pronouns: "",
                    time_zone: "America/Chicago",
                    bio: "",
                },
            )
            .await
            .map_err(|e| StartError::App(e.to_string()))?;
            println!(
                "Coordinator {} <{}> created.",
                name.trim(),
                users::normalize_email(&email)
            );
            Ok(())
        }
    }
}

async fn seed(pool: &app::backend::infra::db::Db) -> Result<(), StartError> {
    match demo::seed_if_empty(pool).await {
        Ok(true) => {
            println!("Demo data loaded.");
            Ok(())
        }
        Ok(false) => {
            println!("The database already has accounts; demo data was not loaded.");
            Ok(())
        }
        Err(e) => Err(StartError::App(format!("Loading demo data failed: {e}"))),
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
) -> Result<(), StartError> {
    use app::backend::{infra::db, program::matching};
    use std::time::Instant;
    let fail = |e: &dyn std::fmt::Display| StartError::App(format!("benchmark database: {e}"));
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
    let (cohort, mentee) = matching::bench::seed_cohort(&pool, mentees, mentors)
        .await
        .map_err(|e| fail(&e))?;
    let mut suggest = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        matching::suggest(&pool, cohort, mentee)
            .await
            .map_err(|e| fail(&e))?;
        suggest.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut propose = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        matching::propose(&pool, cohort)
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
    use app::backend::program::matching::bench::{bench_profiles, bench_propose, bench_rank};
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

fn print_demo_sign_ins() {
    println!("Demo sign-ins (password {}):", demo::DEMO_PASSWORD);
    for (role, email) in demo::DEMO_SIGN_INS {
        println!("  {role:<12} {email}");
    }
}

fn read_password() -> Result<String, StartError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first =
            rpassword::prompt_password("Password: ").map_err(|e| StartError::App(e.to_string()))?;
        let second = rpassword::prompt_password("Password again: ")
            .map_err(|e| StartError::App(e.to_string()))?;
        if first != second {
            return Err(StartError::App("The two passwords differ.".into()));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| StartError::App(format!("Could not read the password: {e}")))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}
