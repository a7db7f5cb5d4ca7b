//! Test support: a fresh, migrated database per test, on SQLite always and on PostgreSQL too
//! when `TANDEM_TEST_POSTGRES_URL` names a server (CI points it at the local one). Each
//! PostgreSQL database gets a random name and is dropped afterwards.

use crate::backend::infra::db::{self, Db, Engine};
use rand::Rng;
use sqlx::Connection;

pub struct TestDb {
    pub db: Db,
    pub engine: Engine,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
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
                    cleanup: Cleanup::SqliteDir(dir),
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
                let (db, engine) = db::connect(&url, 4).await.expect("open postgres");
                db::migrate(&db, engine).await.expect("migrate postgres");
                TestDb {
                    db,
                    engine,
                    url,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }

    /// Closes the pool and removes the database.
    pub async fn close(self) {
        self.db.close().await;
        match self.cleanup {
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
