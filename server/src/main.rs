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

fn print_demo_sign_ins() {
    println!("Demo sign-ins (password {}):", demo::DEMO_PASSWORD);
    for (role, email) in demo::DEMO_SIGN_INS {
        println!("  {role:<12} {email}");
    }
    println!(
        "The coordinator signs in with a code as well: add the key {} to an authenticator app \
         (or, with oath-toolkit installed: oathtool --totp -b {}).",
        demo::DEMO_TOTP_SECRET,
        demo::DEMO_TOTP_SECRET
    );
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
