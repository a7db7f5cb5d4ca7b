//! Start-up: configuration, database, the Leptos options, and the listening socket, each failing
//! with one sentence a person can act on.

use app::backend::chat::hub::Hub;
use app::backend::infra::config::{Config, ConfigError};
use app::backend::infra::db::{self, DbError};
use app::backend::mail::outbox::{MailError, Mailer};
use app::backend::state::AppState;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Db(#[from] DbError),
    #[error("The site settings in {path} could not be read: {reason}")]
    Leptos { path: String, reason: String },
    #[error(
        "{addr} is already in use. Stop the program that holds it, or set TANDEM_ADDR to another address."
    )]
    AddrInUse { addr: SocketAddr },
    #[error("Cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("Mail is misconfigured: {0}")]
    Mail(#[from] MailError),
    #[error("{0}")]
    App(String),
}

/// The Leptos options from `Leptos.toml` (LEPTOS_* variables override it, as cargo-leptos sets
/// them), with the address from Tandem's own configuration.
pub fn leptos_options(config: &Config) -> Result<LeptosOptions, StartError> {
    let path = std::env::var("TANDEM_LEPTOS_TOML").unwrap_or_else(|_| "Leptos.toml".into());
    let conf = leptos::config::get_configuration(Some(&path)).map_err(|e| StartError::Leptos {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut options = conf.leptos_options;
    options.site_addr = config.addr;
    Ok(options)
}

pub async fn open_database(config: &Config) -> Result<(db::Db, db::Engine), StartError> {
    // Each SQLite connection is a thread of its own that every query hops to and back; on a small
    // office machine a few are faster than many (measured on the match home: TANDEM_DB_POOL in
    // bench/README.md). PostgreSQL connections are cheap to share and can run queries in parallel.
    let size = std::env::var("TANDEM_DB_POOL")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(match db::Engine::from_url(&config.database_url) {
            Ok(db::Engine::Sqlite) => 4,
            _ => 16,
        });
    let (pool, engine) = db::connect(&config.database_url, size).await?;
    db::migrate(&pool, engine).await?;
    let moved = app::backend::mail::prefs::hash_earlier_tokens(&pool)
        .await
        .map_err(|e| StartError::App(format!("Could not update the unsubscribe links: {e}")))?;
    if moved > 0 {
        tracing::info!(
            moved,
            "earlier unsubscribe links' secrets are now stored hashed"
        );
    }
    Ok((pool, engine))
}

/// The shared state. Must run inside the Tokio runtime: on PostgreSQL it starts the live hub's
/// LISTEN task.
pub fn state(config: Config, pool: db::Db, engine: db::Engine, options: LeptosOptions) -> AppState {
    let live = Arc::new(Hub::new(&pool, engine));
    live.start_listener(&config.database_url);
    AppState {
        db: pool,
        engine,
        config: Arc::new(config),
        leptos_options: options,
        homes: Arc::default(),
        written: Arc::default(),
        live,
    }
}

pub async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            StartError::AddrInUse { addr }
        } else {
            StartError::Bind { addr, source }
        }
    })
}

/// Serves until Ctrl-C or SIGTERM, then lets the workers finish their pass.
pub async fn serve(listener: TcpListener, state: AppState) -> Result<(), StartError> {
    let pkg = std::path::Path::new(state.leptos_options.site_root.as_ref())
        .join(state.leptos_options.site_pkg_dir.as_ref());
    let pkg_for_task = pkg.clone();
    let written =
        tokio::task::spawn_blocking(move || crate::static_files::precompress(&pkg_for_task))
            .await
            .unwrap_or(0);
    tracing::info!(dir = %pkg.display(), written, "static bundle precompressed");
    // After precompressing, so the copies include the .br and .gz files the old pages ask for.
    let bundles = crate::previous_bundle::Bundles::in_data_dir(&state.config.data_dir);
    let pkg_for_task = pkg.clone();
    match tokio::task::spawn_blocking(move || {
        bundles.update(&pkg_for_task, std::time::SystemTime::now())
    })
    .await
    {
        Ok(Ok((retired, deleted))) => {
            tracing::info!(
                retired,
                deleted,
                "previous builds' bundle files kept for a day"
            )
        }
        // Serving still works; pages open before an upgrade may have to reload.
        Ok(Err(e)) => tracing::warn!(error = %e, "could not keep the previous build's bundle"),
        Err(e) => tracing::warn!(error = %e, "keeping the previous build's bundle stopped"),
    }

    let mailer = Mailer::from_config(&state.config)?;
    let workers = app::backend::jobs::Workers::start(&state, mailer);

    let app = crate::router::router(state);
    crate::connections::serve(listener, app, shutdown_signal()).await;
    tracing::info!("stopped taking requests; stopping the workers");
    workers.stop(WORKER_GRACE).await;
    Ok(())
}

/// How long the workers may take to finish their pass once the server stops.
const WORKER_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
