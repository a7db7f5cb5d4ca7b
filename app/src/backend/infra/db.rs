//! One pool type for both engines (sqlx's Any driver), the migrations for each, and the few
//! conversions the portable SQL needs (times are BIGINT milliseconds since the epoch).

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub type Db = AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL is not understood: {0}. Use sqlite://path/to/file.db or postgres://user@host/db."
    )]
    BadUrl(String),
    #[error("Cannot create the folder {0} for the database: {1}")]
    Folder(String, std::io::Error),
    #[error("Cannot open the database: {0}")]
    Connect(sqlx::Error),
    #[error(
        "The database cannot be written ({0}). Check the file's permissions and free disk space."
    )]
    ReadOnly(sqlx::Error),
    #[error("Migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Engine, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(DbError::BadUrl(format!(
                "'{url}' names no engine Tandem knows"
            )))
        }
    }
}

/// Begins a transaction that will write: `db.begin_write()` instead of `db.begin()`.
///
/// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`). A plain `BEGIN` reads from a
/// snapshot, and if another connection writes before this one's first write, SQLite refuses that
/// write at once with `SQLITE_BUSY_SNAPSHOT` (517, "database is locked"), without waiting out the
/// busy timeout: a read-then-write transaction failed whenever another request wrote in between.
/// PostgreSQL's `BEGIN` waits for the rows it writes by itself.
pub trait BeginWrite {
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for Db {
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        if self.connect_options().database_url.scheme() == "sqlite" {
            self.begin_with("BEGIN IMMEDIATE").await
        } else {
            self.begin().await
        }
    }
}

/// Milliseconds since the epoch: how every timestamp is stored.
pub fn now_ms() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Opens a pool for `url`, creating the SQLite file (and its folder) if needed, and checks that
/// the database accepts writes so a read-only file fails at start, not at the first sign-in.
pub async fn connect(url: &str, max_connections: u32) -> Result<(Db, Engine), DbError> {
    install_default_drivers();
    let engine = Engine::from_url(url)?;
    let url = match engine {
        Engine::Sqlite => prepare_sqlite_url(url)?,
        Engine::Postgres => {
            url::Url::parse(url).map_err(|e| DbError::BadUrl(e.to_string()))?;
            url.to_string()
        }
    };
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // Checking a connection before each use is a round trip to the SQLite worker thread per
        // query, for a file that cannot drop a connection; a PostgreSQL server can.
        .test_before_acquire(engine == Engine::Postgres)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    // WAL lets readers go on while one writer writes; the busy timeout makes a
                    // second writer wait instead of failing at once.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Configuration(_) => DbError::BadUrl(e.to_string()),
            _ if is_read_only(&e) => DbError::ReadOnly(e),
            _ => DbError::Connect(e),
        })?;
    Ok((pool, engine))
}

fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path.is_empty() {
        return Err(DbError::BadUrl("the SQLite file path is empty".into()));
    }
    let parent = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let (false, Some(parent)) = (path == ":memory:", parent) {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
    }
    let query = match query {
        Some(q) if q.contains("mode=") => q.to_string(),
        Some(q) => format!("{q}&mode=rwc"),
        None => "mode=rwc".to_string(),
    };
    let full = format!("sqlite://{path}?{query}");
    // Let sqlx parse it now so a malformed URL is reported as such.
    sqlx::sqlite::SqliteConnectOptions::from_str(&full)
        .map_err(|e| DbError::BadUrl(e.to_string()))?;
    Ok(full)
}

/// Runs this engine's migrations, then proves the database takes writes.
pub async fn migrate(pool: &Db, engine: Engine) -> Result<(), DbError> {
    let result = match engine {
        Engine::Sqlite => sqlx::migrate!("./migrations/sqlite").run(pool).await,
        Engine::Postgres => sqlx::migrate!("./migrations/postgres").run(pool).await,
    };
    match result {
        Ok(()) => {}
        Err(sqlx::migrate::MigrateError::Execute(e)) if is_read_only(&e) => {
            return Err(DbError::ReadOnly(e));
        }
        Err(e) => return Err(e.into()),
    }
    sqlx::query("UPDATE app_meta SET value = value WHERE key = 'schema'")
        .execute(pool)
        .await
        .map_err(DbError::ReadOnly)?;
    Ok(())
}

/// True when a database error is a unique-constraint violation (both engines report the kind).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// True when the database refused a write because it is read-only (SQLite's SQLITE_READONLY
/// family, PostgreSQL's read_only_sql_transaction).
pub fn is_read_only(err: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = err else {
        return false;
    };
    match db.code() {
        Some(code) if code == "25006" => true,
        Some(code) => code.parse::<i32>().is_ok_and(|c| c & 0xff == 8),
        None => false,
    }
}

/// Lists are stored as JSON text (the Any driver has no array type); these two are the only
/// places that convert.
pub fn list_to_text(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub fn text_to_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Flags are BIGINT 0/1 (a SQLite BOOLEAN does not decode through Any).
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}
