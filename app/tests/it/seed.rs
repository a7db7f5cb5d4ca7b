//! The seed rows every seeder shares (`backend::seed::rows`): ids come back in the rows' order
//! across statement boundaries, every column lands, and the demo built on them is whole.

use app::backend::seed::{demo, rows};
use app::model::{ApplicationState, MatchRole, MatchState, Role};
use test_support::db::each_engine;

#[tokio::test]
async fn rows_come_back_with_their_ids_in_order_past_a_statement_boundary() {
    each_engine(|db, _| async move {
        // 1,201 people: three statements (500, 500, 201).
        let people: Vec<rows::Person> = (0..1201)
            .map(|i| rows::Person {
                last_active_at: 1_000 + i,
                ..rows::Person::participant(format!("p{i}@rows.example"), format!("Person {i}"))
            })
            .collect();
        let ids = rows::insert(&db, &people).await.unwrap();
        assert_eq!(ids.len(), 1201);
        for (i, id) in ids
            .iter()
            .enumerate()
            .step_by(97)
            .chain([(1200, &ids[1200])])
        {
            let (email, active, role): (String, i64, Role) =
                sqlx::query_as("SELECT email, last_active_at, role FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_one(&db)
                    .await
                    .unwrap();
            assert_eq!(
                (email.as_str(), active, role),
                (
                    format!("p{i}@rows.example").as_str(),
                    1_000 + i as i64,
                    Role::Participant
                )
            );
        }

        let cohort = rows::insert_one(&db, rows::Cohort::running("Rows", 3))
            .await
            .unwrap();
        let application = rows::Application {
            interests: vec!["Storytime".into(), "Teens".into()],
            mentor_capacity: 2,
            ..rows::Application::plain(
                cohort,
                ids[0],
                MatchRole::Mentor,
                ApplicationState::Accepted,
            )
        };
        let app_id = rows::insert_one(&db, application).await.unwrap();
        let (role, state, interests, capacity): (MatchRole, ApplicationState, String, i64) =
            sqlx::query_as(
                "SELECT role, state, interests, mentor_capacity FROM applications WHERE id = $1",
            )
            .bind(app_id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(
            (role, state, interests.as_str(), capacity),
            (
                MatchRole::Mentor,
                ApplicationState::Accepted,
                r#"["Storytime","Teens"]"#,
                2
            )
        );

        let matched = rows::insert(
            &db,
            &[
                rows::Match::active(cohort, ids[0], ids[1], 5),
                rows::Match {
                    state: MatchState::Completed,
                    ..rows::Match::active(cohort, ids[2], ids[3], 6)
                },
            ],
        )
        .await
        .unwrap();
        let stored: Vec<(i64, i64, MatchState, i64)> = sqlx::query_as(
            "SELECT id, mentor_id, state, started_at FROM matches WHERE cohort_id = $1 ORDER BY id",
        )
        .bind(cohort)
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(
            stored,
            vec![
                (matched[0], ids[0], MatchState::Active, 5),
                (matched[1], ids[2], MatchState::Completed, 6)
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn the_demo_seeds_once_with_its_people_cohorts_and_matches() {
    each_engine(|db, _| async move {
        assert!(demo::seed_if_empty(&db).await.unwrap());
        assert!(
            !demo::seed_if_empty(&db).await.unwrap(),
            "a second run adds nothing"
        );
        let counts: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM cohorts),
                    (SELECT COUNT(*) FROM matches),
                    (SELECT COUNT(*) FROM applications),
                    (SELECT COUNT(*) FROM users WHERE role = 'coordinator')",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        // Two cohorts; four matches in the running one and one in the intake; an application for
        // each of the eight matched people and the fourteen applicants.
        assert_eq!(counts, (2, 5, 22, 1));
        // The matched mentee's application carries the time zone of the person.
        let zone: String = sqlx::query_scalar(
            "SELECT a.time_zone FROM applications a JOIN users u ON u.id = a.user_id
             WHERE u.email = 'tomas.reyes@example.org'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(zone, "America/Phoenix");
    })
    .await;
}
