//! Matching under contention, and the demo's matching work, on SQLite and on PostgreSQL.

use app::backend::infra::config::Config;
use app::backend::{program::matching, seed::demo};
use app::error::AppError;
use app::model::Pair;
use test_support::db::each_engine;
use test_support::permits::coordinator;

fn config() -> Config {
    Config::from_lookup(|_| None).unwrap()
}

async fn app_id(db: &app::backend::infra::db::Db, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn intake(db: &app::backend::infra::db::Db) -> i64 {
    sqlx::query_scalar("SELECT id FROM cohorts WHERE name = '2027 Winter Intake'")
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_coordinators_matching_one_mentee_at_once() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let cohort = intake(&db).await;
        let coordinator = coordinator(&db).await;
        let mentee = app_id(&db, "jun.park@example.org").await;
        let amara = app_id(&db, "amara.diallo@example.org").await;
        let carlos = app_id(&db, "carlos.mendoza@example.org").await;
        let config = config();
        for round in 0..5 {
            // Both try at the same moment, each with a different mentor.
            let a = [Pair { mentee_application_id: mentee, mentor_application_id: amara }];
            let b = [Pair { mentee_application_id: mentee, mentor_application_id: carlos }];
            let (ra, rb) = tokio::join!(
                matching::create_matches(&db, &config, &coordinator, cohort, &a),
                matching::create_matches(&db, &config, &coordinator, cohort, &b),
            );
            let wins = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "round {round}: {ra:?} {rb:?}");
            let loser = if ra.is_ok() { rb } else { ra };
            match loser {
                Err(AppError::Refused(msg)) => assert!(msg.contains("Jun Park"), "{msg}"),
                other => panic!("expected a plain refusal, got {other:?}"),
            }
            // Exactly one match, and only the winner's mentor counts a mentee.
            let active: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM matches m JOIN applications a ON a.user_id = m.mentee_id AND a.cohort_id = m.cohort_id
                 WHERE a.id = $1 AND m.state = 'active'",
            )
            .bind(mentee)
            .fetch_one(&db)
            .await
            .unwrap();
            assert_eq!(active, 1);
            let counted: i64 = sqlx::query_scalar(
                "SELECT CAST(SUM(active_mentees) AS BIGINT) FROM applications WHERE id IN ($1, $2)",
            )
            .bind(amara)
            .bind(carlos)
            .fetch_one(&db)
            .await
            .unwrap();
            assert_eq!(counted, 1, "nothing half-written by the loser");
            // Undo for the next round.
            let m: app::model::MatchId = sqlx::query_scalar("SELECT id FROM matches WHERE state = 'active' ORDER BY id DESC LIMIT 1")
                .fetch_one(&db)
                .await
                .unwrap();
            app::backend::program::lifecycle::end_early(&db, &coordinator, m, "test round").await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn a_mentor_at_capacity_gets_no_one_more_and_a_batch_is_all_or_nothing() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let cohort = intake(&db).await;
        let carlos = app_id(&db, "carlos.mendoza@example.org").await; // capacity 1
        let jun = app_id(&db, "jun.park@example.org").await;
        let fatima = app_id(&db, "fatima.hassan@example.org").await;
        let config = config();
        let pairs = [
            Pair {
                mentee_application_id: jun,
                mentor_application_id: carlos,
            },
            Pair {
                mentee_application_id: fatima,
                mentor_application_id: carlos,
            },
        ];
        let err = matching::create_matches(&db, &config, &coordinator(&db).await, cohort, &pairs)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Refused(m) if m.contains("Carlos Mendoza has no room")),
            "{err:?}"
        );
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matches WHERE cohort_id = $1")
            .bind(cohort)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(
            n, 1,
            "only the demo's own match: the first pair was rolled back"
        );
        let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(outbox, 0, "no introduction for a match that was not made");
    })
    .await;
}

#[tokio::test]
async fn the_demo_gives_the_matching_view_real_work() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let cohort = intake(&db).await;
        let board = matching::view(&db, &coordinator(&db).await, cohort)
            .await
            .unwrap();
        assert_eq!(board.mentees.len(), 4, "accepted mentees waiting");
        // Ruth has one of two places left; Amara 2, Carlos 1, Naomi 3.
        let room: i64 = board.mentors.iter().map(|m| m.room).sum();
        assert_eq!(room, 7);
        let states: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT state FROM applications WHERE cohort_id = $1 ORDER BY state",
        )
        .bind(cohort)
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(
            states,
            [
                "accepted",
                "declined",
                "matched",
                "submitted",
                "waitlisted",
                "withdrawn"
            ]
        );
        let proposal = matching::propose(&db, &coordinator(&db).await, cohort)
            .await
            .unwrap();
        assert_eq!(proposal.pairs.len(), 4);
        assert!(proposal.unplaced.is_empty());
        assert_eq!(
            proposal.total_score,
            proposal.pairs.iter().map(|p| p.score).sum::<i64>()
        );
        // No mentor is given more than their room.
        for m in &board.mentors {
            let given = proposal
                .pairs
                .iter()
                .filter(|p| p.mentor.application_id == m.application_id)
                .count() as i64;
            assert!(given <= m.room);
        }
    })
    .await;
}
