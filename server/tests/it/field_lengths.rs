//! Text that is too long is refused beside its field with how long it is, by the one check every
//! form shares (`infra::fields::text`), and nothing is saved. SQLite and PostgreSQL, through the
//! real server functions.

use crate::common::{
    accounts_with_email, application_form, call, each_engine, open_cohort_id, signed_in,
};
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
        let mut form = application_form(
            open_cohort_id(&s).await,
            "mentee",
            "Ruth Cole",
            "ruth@example.org",
        );
        form["form"]["hopes"] = json!("a".repeat(HOPES_MAX + 5));
        let (status, body) = call(&s.browser(), &s, "submit_application", form).await;
        refused_with_count(status, &body, "hopes", HOPES_MAX, HOPES_MAX + 5);
        assert_eq!(accounts_with_email(&s, "ruth@example.org").await, 0);
        s
    })
    .await;
}
