//! The two migration folders must build the same schema: the same tables, columns, nullability,
//! keys, unique sets, foreign keys, CHECK constraints and the events
//! triggers fire on. Each engine's catalogue is read
//! into one shape and the two shapes compared, so a column added to one folder only fails here.

use app::backend::infra::db::{Db, Engine};
use std::collections::{BTreeMap, BTreeSet};
use test_support::db::{TestDb, engines};

/// What a table is made of, as both engines can report it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name → NOT NULL (a primary key column counts as NOT NULL on both).
    columns: BTreeMap<String, bool>,
    primary_key: BTreeSet<String>,
    /// Each UNIQUE constraint or unique index, as its sorted column list.
    unique: BTreeSet<Vec<String>>,
    /// (column, referenced table, referenced column).
    foreign_keys: BTreeSet<(String, String, String)>,
    checks: usize,
    /// The events triggers fire on (SQLite needs a trigger per event, PostgreSQL does not).
    trigger_events: BTreeSet<String>,
}

async fn sqlite_schema(db: &Db) -> BTreeMap<String, Table> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for (name, sql) in tables {
        let mut t = Table::default();
        let cols: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info(?)")
                .bind(&name)
                .fetch_all(db)
                .await
                .unwrap();
        for (col, not_null, pk) in cols {
            t.columns.insert(col.clone(), not_null != 0 || pk != 0);
            if pk != 0 {
                t.primary_key.insert(col);
            }
        }
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list(?)")
                .bind(&name)
                .fetch_all(db)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            if unique == 0 || origin == "pk" {
                continue;
            }
            let mut cols: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_index_info(?)")
                .bind(&index)
                .fetch_all(db)
                .await
                .unwrap();
            cols.sort();
            t.unique.insert(cols.into_iter().map(|(c,)| c).collect());
        }
        let fks: Vec<(String, String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)")
                .bind(&name)
                .fetch_all(db)
                .await
                .unwrap();
        t.foreign_keys = fks.into_iter().collect();
        t.checks = sql.to_uppercase().matches("CHECK (").count()
            + sql.to_uppercase().matches("CHECK(").count();
        let triggers: Vec<(String,)> =
            sqlx::query_as("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
                .bind(&name)
                .fetch_all(db)
                .await
                .unwrap();
        for (sql,) in triggers {
            let sql = sql.to_uppercase();
            let head = sql.split("BEGIN").next().unwrap_or_default();
            for event in ["INSERT", "UPDATE", "DELETE"] {
                if head.contains(&format!(" {event} ")) {
                    t.trigger_events.insert(event.to_string());
                }
            }
        }
        schema.insert(name, t);
    }
    schema
}

async fn postgres_schema(db: &Db) -> BTreeMap<String, Table> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut schema = BTreeMap::new();
    for (name,) in tables {
        let mut t = Table::default();
        let cols: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&name)
        .fetch_all(db)
        .await
        .unwrap();
        for (col, nullable) in cols {
            t.columns.insert(col, nullable == "NO");
        }
        // Every constraint and unique index with its columns, from the catalogue.
        let constraints: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT c.contype::text, \
                    string_agg(a.attname::text, ',' ORDER BY a.attname), \
                    max(ft.relname::text), \
                    string_agg(fa.attname::text, ',') \
             FROM pg_constraint c \
             JOIN pg_class r ON r.oid = c.conrelid \
             LEFT JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(num, ord) ON true \
             LEFT JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num \
             LEFT JOIN pg_class ft ON ft.oid = c.confrelid \
             LEFT JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[k.ord] \
             WHERE r.relname = $1 AND r.relnamespace = 'public'::regnamespace \
             GROUP BY c.oid, c.contype",
        )
        .bind(&name)
        .fetch_all(db)
        .await
        .unwrap();
        for (kind, cols, foreign_table, foreign_cols) in constraints {
            let cols: Vec<String> = cols.split(',').map(str::to_string).collect();
            match kind.as_str() {
                "p" => t.primary_key = cols.into_iter().collect(),
                "u" => {
                    t.unique.insert(cols);
                }
                "c" => t.checks += 1,
                "f" => {
                    let (Some(table), Some(to)) = (foreign_table, foreign_cols) else {
                        panic!("foreign key on {name} without its target");
                    };
                    t.foreign_keys.insert((cols.join(","), table, to));
                }
                _ => {}
            }
        }
        // Unique indexes made with CREATE UNIQUE INDEX (not backing a constraint).
        let indexes: Vec<(String,)> = sqlx::query_as(
            "SELECT string_agg(a.attname::text, ',' ORDER BY a.attname) \
             FROM pg_index i \
             JOIN pg_class r ON r.oid = i.indrelid \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE r.relname = $1 AND r.relnamespace = 'public'::regnamespace \
               AND i.indisunique AND NOT i.indisprimary \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
             GROUP BY i.indexrelid",
        )
        .bind(&name)
        .fetch_all(db)
        .await
        .unwrap();
        for (cols,) in indexes {
            t.unique
                .insert(cols.split(',').map(str::to_string).collect());
        }
        let triggers: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT event_manipulation::text FROM information_schema.triggers \
             WHERE event_object_schema = 'public' AND event_object_table = $1",
        )
        .bind(&name)
        .fetch_all(db)
        .await
        .unwrap();
        t.trigger_events = triggers.into_iter().map(|(n,)| n).collect();
        schema.insert(name, t);
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_make_the_same_schema() {
    if !engines().contains(&Engine::Postgres) {
        eprintln!("PostgreSQL not configured: nothing to compare SQLite with");
        return;
    }
    let sqlite = TestDb::new(Engine::Sqlite).await;
    let postgres = TestDb::new(Engine::Postgres).await;
    let left = sqlite_schema(&sqlite.db).await;
    let right = postgres_schema(&postgres.db).await;
    sqlite.close().await;
    postgres.close().await;

    assert!(left.len() > 20, "read only {} SQLite tables", left.len());
    let names = |s: &BTreeMap<String, Table>| s.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        names(&left),
        names(&right),
        "the two engines have different tables"
    );
    for (name, table) in &left {
        assert_eq!(
            table, &right[name],
            "table {name} differs (left: SQLite, right: PostgreSQL)"
        );
    }
}
