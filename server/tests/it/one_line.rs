//! Fields meant to hold one line (names, pronouns, titles, an email's subject, the apply form's
//! short answers) refuse line breaks, tabs and other control characters beside the field: a name
//! sits in the partner's emails, where `Ruth\r\nVisit https://evil.example/login` would be a line
//! of its own. SQLite and PostgreSQL, through the real server functions.

use crate::common::{
    TestServer, accounts_with_email, application_form, call, each_engine, match_of, open_cohort_id,
    signed_in,
};
use serde_json::{Value, json};

const INJECTED: &str = "Ruth\r\nVisit https://evil.example/login";

async fn name_of(s: &TestServer, email: &str) -> String {
    sqlx::query_scalar("SELECT name FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

fn refused_beside(status: u16, body: &Value, field: &str) {
    assert_eq!(status, 422, "{field}: {body}");
    assert_eq!(body["Validation"]["field"], field, "{body}");
    assert!(
        body["Validation"]["message"]
            .as_str()
            .unwrap()
            .contains("one line"),
        "{body}"
    );
}

#[tokio::test]
async fn a_profiles_name_and_pronouns_keep_to_one_line() {
    each_engine(|s| async move {
        let mentee = signed_in(&s, "mentee@example.org").await;
        let before = name_of(&s, "mentee@example.org").await;
        let profile = |name: &str, pronouns: &str| {
            json!({ "name": name, "pronouns": pronouns, "time_zone": "America/Chicago", "bio": "" })
        };
        for (name, pronouns, field) in [
            (INJECTED, "", "name"),
            ("Ruth\nCole", "", "name"),
            ("Ruth\u{2028}Cole", "", "name"),
            ("Ruth\u{0}Cole", "", "name"),
            ("Ruth Cole", "she/\ther", "pronouns"),
        ] {
            let (status, body) = call(&mentee, &s, "update_profile", profile(name, pronouns)).await;
            refused_beside(status, &body, field);
        }
        assert_eq!(name_of(&s, "mentee@example.org").await, before, "nothing was saved");
        // Letters from any language, apostrophes and hyphens are one line, and welcome.
        let (status, body) =
            call(&mentee, &s, "update_profile", profile("Zoë O’Brien-Núñez", "they/them")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(name_of(&s, "mentee@example.org").await, "Zoë O’Brien-Núñez");
        s
    })
    .await;
}

#[tokio::test]
async fn applying_refuses_a_name_or_short_answer_with_a_line_break_and_creates_nothing() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let form = |name: &str| {
            let mut f = application_form(cohort, "mentee", name, "ruth@example.org");
            // A long answer may hold line breaks; only the one-line fields refuse them.
            f["form"]["hopes"] = json!("To grow.\nAnd to learn.");
            f
        };
        let (status, body) = call(&s.browser(), &s, "submit_application", form(INJECTED)).await;
        refused_beside(status, &body, "name");
        for field in ["library_name", "job_title", "region", "gender"] {
            let mut f = form("Ruth Cole");
            f["form"][field] = json!("Line one\rLine two");
            let (status, body) = call(&s.browser(), &s, "submit_application", f).await;
            refused_beside(status, &body, field);
        }
        assert_eq!(accounts_with_email(&s, "ruth@example.org").await, 0);
        s
    })
    .await;
}

#[tokio::test]
async fn a_coordinators_subject_line_and_cohort_name_keep_to_one_line() {
    each_engine(|s| async move {
        let m = match_of(&s, "mentee@example.org").await;
        let c = signed_in(&s, "coordinator@example.org").await;
        let (status, body) = call(
            &c,
            &s,
            "email_partners",
            json!({ "match_id": m, "subject": "Checking in\r\nBcc: all@example.org", "body": "Hello" }),
        )
        .await;
        refused_beside(status, &body, "subject");
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject LIKE '%Bcc%'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(queued, 0);
        let cohort = json!({ "form": { "name": "2028\nIntake", "applications_open": "2027-12-01",
            "applications_close": "2027-12-31", "program_start": "2028-02-01",
            "program_end": "2028-12-01", "mentee_capacity": "20", "goal_sheet_due_days": "" } });
        let (status, body) = call(&c, &s, "create_cohort", cohort).await;
        refused_beside(status, &body, "name");
        s
    })
    .await;
}
