//! Typed ids through sqlx's Any driver on both engines, and through serde: bound as parameters,
//! decoded from columns, tuples and `FromRow` structs, and written as bare numbers in JSON.

use app::model::{CohortId, MatchId, UserId};
use test_support::db::each_engine;

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Pair {
    id: MatchId,
    cohort_id: CohortId,
    mentor_id: UserId,
    mentee_id: UserId,
}

#[tokio::test]
async fn typed_ids_bind_and_decode_through_any_on_both_engines() {
    each_engine(|db, _| async move {
        use app::backend::seed::rows;
        let people: Vec<rows::Person> = (0..2)
            .map(|i| rows::Person::participant(format!("id{i}@ids.example"), format!("Id {i}")))
            .collect();
        let users = rows::insert(&db, &people).await.unwrap();
        let cohort = rows::insert_one(&db, rows::Cohort::running("Ids", 1))
            .await
            .unwrap();
        let m = rows::insert_one(&db, rows::Match::active(cohort, users[0], users[1], 0))
            .await
            .unwrap();
        let (mentor, mentee) = (UserId(users[0]), UserId(users[1]));

        // Bound as a parameter, decoded as a scalar.
        let found: MatchId = sqlx::query_scalar("SELECT id FROM matches WHERE mentor_id = $1")
            .bind(mentor)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(found, MatchId(m));
        // Decoded in a tuple, and optional (a LEFT JOIN's missing id).
        let (who, nobody): (UserId, Option<UserId>) = sqlx::query_as(
            "SELECT m.mentee_id, x.id FROM matches m LEFT JOIN users x ON x.id = -1
             WHERE m.id = $1",
        )
        .bind(MatchId(m))
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!((who, nobody), (mentee, None));
        // Decoded into a FromRow struct.
        let pair: Pair =
            sqlx::query_as("SELECT id, cohort_id, mentor_id, mentee_id FROM matches WHERE id = $1")
                .bind(MatchId(m))
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(
            pair,
            Pair {
                id: MatchId(m),
                cohort_id: CohortId(cohort),
                mentor_id: mentor,
                mentee_id: mentee
            }
        );
        // On the wire: a bare number both ways, so URLs, forms and JSON do not change.
        assert_eq!(serde_json::to_string(&MatchId(m)).unwrap(), m.to_string());
        assert_eq!(serde_json::from_str::<UserId>("42").unwrap(), UserId(42));
        assert_eq!("7".parse::<CohortId>().unwrap(), CohortId(7));
    })
    .await;
}
