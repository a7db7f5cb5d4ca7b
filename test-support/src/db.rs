//! A fresh, migrated database per test, on SQLite always and on PostgreSQL too when
//! `TANDEM_TEST_POSTGRES_URL` names a server (CI points it at the local one). Each PostgreSQL
//! database gets a random name. The database is removed by `close`, or when the `TestDb` is
//! dropped without it (a test that panicked), so a failing run leaves nothing behind.

use app::backend::infra::db::{self, Db, Engine};
use rand::Rng;
use sqlx::Connection;

pub struct TestDb {
    pub db: Db,
    pub engine: Engine,
    pub url: String,
    /// `None` once cleaned up.
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Cleanup {
    async fn run(self) {
        match self {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    admin.close().await.ok();
                }
            }
        }
    }
}

fn random_suffix() -> String {
    let n: u64 = rand::thread_rng().r#gen();
    format!("{n:016x}")
}

/// The engines this run covers.
pub fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Sqlite];
    if postgres_admin_url().is_some() {
        v.push(Engine::Postgres);
    } else if std::env::var("TANDEM_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        // The test script sets this so a run can never pass on SQLite alone by accident.
        panic!("TANDEM_REQUIRE_POSTGRES=1 but TANDEM_TEST_POSTGRES_URL is not set");
    }
    v
}

fn postgres_admin_url() -> Option<String> {
    std::env::var("TANDEM_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

impl TestDb {
    pub async fn new(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(format!("tandem-test-{}", random_suffix()));
                std::fs::create_dir_all(&dir).expect("create temp dir");
                let url = format!("sqlite://{}/test.db", dir.display());
                let (db, engine) = db::connect(&url, 4).await.expect("open sqlite");
                db::migrate(&db, engine).await.expect("migrate sqlite");
                TestDb {
                    db,
                    engine,
                    url,
                    cleanup: Some(Cleanup::SqliteDir(dir)),
                }
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url().expect("TANDEM_TEST_POSTGRES_URL");
                let name = format!("tandem_test_{}", random_suffix());
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .expect("connect to postgres");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("postgres url");
                url.set_path(&format!("/{name}"));
                let url = url.to_string();
                // Owned from here on, so a failed migration still drops the database.
                let cleanup = Cleanup::Postgres { admin_url, name };
                let (db, engine) = db::connect(&url, 4).await.expect("open postgres");
                let t = TestDb {
                    db,
                    engine,
                    url,
                    cleanup: Some(cleanup),
                };
                db::migrate(&t.db, t.engine)
                    .await
                    .expect("migrate postgres");
                t
            }
        }
    }

    /// Closes the pool and removes the database.
    pub async fn close(mut self) {
        self.db.close().await;
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.run().await;
        }
    }
}

impl Drop for TestDb {
    /// A test that panicked never reached `close`: remove its database here. Drop cannot await,
    /// and the test's runtime may be unwinding, so the PostgreSQL drop runs on a runtime of its
    /// own on another thread.
    fn drop(&mut self) {
        let Some(cleanup) = self.cleanup.take() else {
            return;
        };
        let done = std::thread::spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt.block_on(cleanup.run()),
                Err(e) => eprintln!("test database left behind: no runtime to drop it ({e})"),
            }
        });
        let _ = done.join();
    }
}

/// Runs `test` once per engine on a fresh database, naming the engine if it panics.
pub async fn each_engine<F, Fut>(test: F)
where
    F: Fn(Db, Engine) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for engine in engines() {
        eprintln!("-- on {engine:?}");
        let t = TestDb::new(engine).await;
        test(t.db.clone(), engine).await;
        t.close().await;
    }
}
