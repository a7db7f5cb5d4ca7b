//! Text that is too long is refused beside its field with how long it is, by the one check every
//! form shares (`infra::fields::text`), and nothing is saved. SQLite and PostgreSQL, through the
//! real server functions.

use crate::common::{call, each_engine, signed_in};
use app::model::{BIO_MAX, HOPES_MAX};
use serde_json::{Value, json};

fn refused_with_count(status: u16, body: &Value, field: &str, max: usize, has: usize) {
    assert_eq!(status, 422, "{field}: {body}");
    assert_eq!(body["Validation"]["field"], field, "{body}");
    assert_eq!(
        body["Validation"]["message"],
        format!("Use at most {max} characters (this has {has})."),
        "{body}"
    );
}

#[tokio::test]
async fn a_bio_one_character_too_long_is_refused_with_its_count() {
    each_engine(|s| async move {
        let mentee = signed_in(&s, "mentee@example.org").await;
        let profile = |bio: String| {
            json!({ "name": "Ruth Cole", "pronouns": "", "time_zone": "America/Chicago", "bio": bio })
        };
        // Counted in characters, not bytes: "é" is two bytes.
        let (status, body) =
            call(&mentee, &s, "update_profile", profile("é".repeat(BIO_MAX + 1))).await;
        refused_with_count(status, &body, "bio", BIO_MAX, BIO_MAX + 1);
        let bio: String =
            sqlx::query_scalar("SELECT bio FROM users WHERE email = 'mentee@example.org'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        assert!(bio.chars().count() <= BIO_MAX, "nothing was saved");
        // At the limit, and with spaces around it that are trimmed, it is kept.
        let (status, body) = call(
            &mentee,
            &s,
            "update_profile",
            profile(format!("  {}  ", "é".repeat(BIO_MAX))),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        s
    })
    .await;
}

#[tokio::test]
async fn an_application_whose_hopes_are_too_long_creates_nothing() {
    each_engine(|s| async move {
        let page = call(&s.browser(), &s, "apply_page", json!({})).await.1;
        let cohort = page["open"]["cohort_id"].as_i64().unwrap();
        let form = json!({ "form": {
            "cohort_id": cohort, "role": "mentee", "name": "Ruth Cole", "email": "ruth@example.org",
            "password": "a-long-password", "library_type": "public",
            "library_name": "Maple Street Library", "job_title": "Children's librarian",
            "years_experience": "1", "interests": ["Storytime"], "interests_other": "",
            "region": "Ohio", "time_zone": "America/New_York", "meet_ways": ["video"],
            "hours_per_month": "4", "hopes": "a".repeat(HOPES_MAX + 5), "mentor_capacity": "",
            "gender": "", "race_ethnicity": "", "wants_shared_identity": false, "agree": true
        }});
        let (status, body) = call(&s.browser(), &s, "submit_application", form).await;
        refused_with_count(status, &body, "hopes", HOPES_MAX, HOPES_MAX + 5);
        let accounts: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'ruth@example.org'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        assert_eq!(accounts, 0);
        s
    })
    .await;
}
