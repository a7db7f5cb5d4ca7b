//! The vocabularies (`model::vocabulary`) against the real databases: they bind and decode through
//! the Any driver on both engines, an unknown stored word is an error and not a default, every
//! audit action written can be read back with its label, and each CHECK constraint allows exactly
//! the words of its enum.

use app::backend::auth::users::{self, NewUser};
use app::backend::infra::audit;
use app::backend::infra::db::{Db, Engine};
use app::model::audit::AuditAction;
use app::model::forum::RsvpAnswer;
use app::model::news::NewsState;
use app::model::resources::ResourceKind;
use app::model::{
    ActivityKind, ActivityState, ApplicationState, CohortState, ContactWay, GoalProgress,
    MatchRole, MatchState, Party, Role, SheetState,
};
use std::collections::BTreeSet;
use test_support::db::{TestDb, engines};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    state: MatchState,
    answer: Option<RsvpAnswer>,
}

#[tokio::test]
async fn words_bind_and_decode_through_the_any_driver_on_both_engines() {
    for engine in engines() {
        let t = TestDb::new(engine).await;
        let db = &t.db;
        for &state in MatchState::ALL {
            let back: MatchState = sqlx::query_scalar("SELECT CAST($1 AS TEXT)")
                .bind(state)
                .fetch_one(db)
                .await
                .unwrap();
            assert_eq!(back, state, "{engine:?}");
        }
        let (n, kind): (i64, ActivityKind) =
            sqlx::query_as("SELECT CAST(7 AS BIGINT), CAST($1 AS TEXT)")
                .bind(ActivityKind::Discuss)
                .fetch_one(db)
                .await
                .unwrap();
        assert_eq!((n, kind), (7, ActivityKind::Discuss), "{engine:?}");

        let row: Row = sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) AS id, CAST('ended_early' AS TEXT) AS state,
                    CAST(NULL AS TEXT) AS answer",
        )
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(
            (row.id, row.state, row.answer),
            (1, MatchState::EndedEarly, None),
            "{engine:?}"
        );

        let unknown = sqlx::query_scalar::<_, MatchState>("SELECT CAST('paused' AS TEXT)")
            .fetch_one(db)
            .await;
        let err = unknown.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.contains("'paused' is not a match state"),
            "{engine:?}: an unknown word must fail to decode, got {err:?}"
        );
        t.close().await;
    }
}

#[tokio::test]
async fn every_audit_action_written_is_read_back_with_its_label() {
    for engine in engines() {
        let t = TestDb::new(engine).await;
        let db = &t.db;
        let actor = users::create(
            db,
            NewUser {
                email: "coordinator@example.org",
                name: "Jordan Avery",
                role: Role::Coordinator,
                password_hash: "not a hash: nobody signs in here",
                pronouns: "",
                time_zone: "UTC",
                bio: "",
            },
        )
        .await
        .unwrap();
        // A coordinator's permit needs two-step sign-in.
        app::backend::auth::second_factor::turn_on_with(
            db,
            actor,
            &app::backend::auth::second_factor::new_secret(),
        )
        .await
        .unwrap();
        for &action in AuditAction::ALL {
            audit::record(db, actor, action, "cohort:1", "")
                .await
                .unwrap();
        }
        let by = test_support::permits::coordinator(db).await;
        let page = app::backend::program::audit::page(db, &by, "", None)
            .await
            .unwrap();
        let read: BTreeSet<_> = page.entries.iter().map(|e| e.action).collect();
        let all: BTreeSet<_> = AuditAction::ALL.iter().copied().collect();
        assert_eq!(read, all, "{engine:?}");
        assert_eq!(
            page.actions.iter().copied().collect::<BTreeSet<_>>(),
            all,
            "{engine:?}: the filter offers every action on record"
        );
        let filtered = app::backend::program::audit::page(db, &by, "news.hide_reply", None)
            .await
            .unwrap();
        assert_eq!(filtered.entries.len(), 1, "{engine:?}");
        t.close().await;
    }
    let labels: BTreeSet<_> = AuditAction::ALL.iter().map(|a| a.label()).collect();
    assert_eq!(
        labels.len(),
        AuditAction::ALL.len(),
        "two actions share a label"
    );
    for a in AuditAction::ALL {
        assert!(
            !a.label().is_empty() && a.label() != a.as_str(),
            "{a:?} has no label of its own"
        );
    }
}

/// The words a CHECK constraint allows for `table.column`, read from the live schema.
async fn allowed(db: &Db, engine: Engine, table: &str, column: &str) -> BTreeSet<String> {
    let text: String = match engine {
        Engine::Sqlite => {
            let sql: String = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1",
            )
            .bind(table)
            .fetch_one(db)
            .await
            .unwrap();
            let start = sql
                .find(&format!("CHECK ({column} IN ("))
                .unwrap_or_else(|| panic!("no CHECK on {table}.{column} in SQLite"));
            let rest = &sql[start..];
            rest[..rest.find("))").unwrap_or(rest.len())].to_string()
        }
        Engine::Postgres => {
            let defs: Vec<String> = sqlx::query_scalar(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE contype = 'c' AND conrelid = CAST($1 AS regclass)",
            )
            .bind(table)
            .fetch_all(db)
            .await
            .unwrap();
            defs.into_iter()
                .find(|d| d.starts_with(&format!("CHECK (({column} = ANY")))
                .unwrap_or_else(|| panic!("no CHECK on {table}.{column} in PostgreSQL"))
        }
    };
    text.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn words(list: impl IntoIterator<Item = &'static str>) -> BTreeSet<String> {
    list.into_iter().map(str::to_string).collect()
}

#[tokio::test]
async fn each_check_constraint_allows_exactly_its_vocabulary() {
    let expected: Vec<(&str, &str, BTreeSet<String>)> = vec![
        ("users", "role", words(Role::ALL.iter().map(|w| w.as_str()))),
        (
            "cohorts",
            "state",
            words(CohortState::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "matches",
            "state",
            words(MatchState::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "applications",
            "role",
            words(MatchRole::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "applications",
            "state",
            words(ApplicationState::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "goal_sheets",
            "state",
            words(SheetState::STORED.iter().map(|s| s.stored_name())),
        ),
        (
            "goal_sheets",
            "amended_by",
            words([Party::Mentor.as_str(), Party::Mentee.as_str()]),
        ),
        (
            "goals",
            "progress",
            words(GoalProgress::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "activities",
            "kind",
            words(ActivityKind::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "match_activities",
            "state",
            words(ActivityState::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "contacts",
            "way",
            words(ContactWay::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "event_rsvps",
            "answer",
            words(RsvpAnswer::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "resources",
            "kind",
            words(ResourceKind::ALL.iter().map(|w| w.as_str())),
        ),
        (
            "news_issues",
            "state",
            words(NewsState::ALL.iter().map(|w| w.as_str())),
        ),
    ];
    for engine in engines() {
        let t = TestDb::new(engine).await;
        for (table, column, want) in &expected {
            assert_eq!(
                &allowed(&t.db, engine, table, column).await,
                want,
                "{engine:?}: {table}.{column} allows other words than its enum"
            );
        }
        t.close().await;
    }
}
