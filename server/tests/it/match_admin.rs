//! A coordinator's work on one match (private notes, an email to both partners, ending it) and
//! the audit log, through the real server on SQLite and PostgreSQL, with the refusals: a visitor,
//! the match's own partners (notes are private from them) and another match's participant.

use crate::common::{call, each_engine, match_of, ok, signed_in};
use serde_json::json;

#[tokio::test]
async fn coordinators_keep_private_notes_that_partners_never_see() {
    each_engine(|s| async move {
        let m = match_of(&s, "mentee@example.org").await;
        let c = signed_in(&s, "coordinator@example.org").await;
        assert_eq!(
            ok(&c, &s, "match_notes", json!({ "match_id": m })).await,
            json!([])
        );

        // An empty note is refused beside its field; nothing is stored.
        let (status, body) = call(
            &c,
            &s,
            "add_match_note",
            json!({ "match_id": m, "body": "  " }),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "note");
        let (status, _) = call(
            &c,
            &s,
            "add_match_note",
            json!({ "match_id": m, "body": "x".repeat(4001) }),
        )
        .await;
        assert_eq!(status, 422);

        ok(
            &c,
            &s,
            "add_match_note",
            json!({ "match_id": m, "body": "Mentor is on leave until March." }),
        )
        .await;
        ok(
            &c,
            &s,
            "add_match_note",
            json!({ "match_id": m, "body": "Check in after the leave <b>ends</b>." }),
        )
        .await;
        let notes = ok(&c, &s, "match_notes", json!({ "match_id": m })).await;
        let bodies: Vec<&str> = notes
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["body"].as_str().unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                "Mentor is on leave until March.",
                "Check in after the leave <b>ends</b>."
            ]
        );
        assert_eq!(notes[0]["author_name"], "Jordan Avery");

        // The coordinator's view of the match shows them (as text); no one else may read or add.
        let html = c
            .get(s.url(&format!("/match/{m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Coordinator notes"), "the panel");
        assert!(html.contains("Mentor is on leave until March."));
        assert!(
            html.contains("&lt;b&gt;ends&lt;/b&gt;"),
            "a note is text, not markup"
        );

        let mentee = signed_in(&s, "mentee@example.org").await;
        let mentor = signed_in(&s, "mentor@example.org").await;
        let other = signed_in(&s, "grace.kim@example.org").await;
        for (who, client, expected) in [
            ("visitor", &s.browser(), 401),
            ("the match's mentee", &mentee, 403),
            ("the match's mentor", &mentor, 403),
            ("another match's mentee", &other, 403),
        ] {
            let (status, body) = call(client, &s, "match_notes", json!({ "match_id": m })).await;
            assert_eq!(status, expected, "{who} reads notes");
            assert!(!body.to_string().contains("leave"), "{who}");
            let (status, _) = call(
                client,
                &s,
                "add_match_note",
                json!({ "match_id": m, "body": "mine" }),
            )
            .await;
            assert_eq!(status, expected, "{who} adds a note");
        }
        let page = mentee
            .get(s.url(&format!("/match/{m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("Coordinator notes") && !page.contains("on leave"));
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM match_notes")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(stored, 2);

        // A match that does not exist.
        let (status, _) = call(
            &c,
            &s,
            "add_match_note",
            json!({ "match_id": 999_999, "body": "x" }),
        )
        .await;
        assert_eq!(status, 404);
        s
    })
    .await;
}

#[tokio::test]
async fn emailing_both_partners_queues_one_mail_each_and_is_on_the_audit_log() {
    each_engine(|s| async move {
        let m = match_of(&s, "mentee@example.org").await;
        let c = signed_in(&s, "coordinator@example.org").await;
        let (status, body) = call(
            &c,
            &s,
            "email_partners",
            json!({ "match_id": m, "subject": "", "body": "Hello" }),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "subject");
        let (status, body) = call(
            &c,
            &s,
            "email_partners",
            json!({ "match_id": m, "subject": "Checking in", "body": " " }),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "message");

        for (client, expected) in [
            (s.browser(), 401),
            (signed_in(&s, "mentee@example.org").await, 403),
            (signed_in(&s, "grace.kim@example.org").await, 403),
        ] {
            let (status, _) = call(
                &client,
                &s,
                "email_partners",
                json!({ "match_id": m, "subject": "Spoofed", "body": "Hi" }),
            )
            .await;
            assert_eq!(status, expected);
        }

        let sent = ok(
            &c,
            &s,
            "email_partners",
            json!({ "match_id": m, "subject": "Checking in", "body": "How is the goal sheet going?" }),
        )
        .await;
        assert_eq!(sent, 2);
        let mail: Vec<(String, String)> = sqlx::query_as(
            "SELECT to_addr, body_text FROM outbox WHERE subject = 'Checking in' ORDER BY to_addr",
        )
        .fetch_all(&s.state.db)
        .await
        .unwrap();
        let to: Vec<&str> = mail.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(to, ["mentee@example.org", "mentor@example.org"]);
        assert!(mail.iter().all(|(_, b)| b.contains("How is the goal sheet going?")));
        let spoofed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject = 'Spoofed'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(spoofed, 0);

        // The audit log shows it, newest first, with who and what; the match is a link.
        let log = ok(&c, &s, "audit_log", json!({ "action": "", "before": null })).await;
        let first = &log["entries"][0];
        assert_eq!(first["action"], "match.email");
        assert_eq!(first["actor_name"], "Jordan Avery");
        assert_eq!(first["subject_href"], format!("/match/{m}"));
        assert_eq!(first["detail"], "Checking in");
        s
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_lists_who_did_what_filters_and_pages() {
    each_engine(|s| async move {
        let db = &s.state.db;
        let m = match_of(&s, "mentee@example.org").await;
        let c = signed_in(&s, "coordinator@example.org").await;
        ok(
            &c,
            &s,
            "end_match",
            json!({ "match_id": m, "reason": "The mentee changed careers." }),
        )
        .await;
        // Enough older entries for more than one page.
        let coordinator: app::model::UserId =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'coordinator@example.org'")
                .fetch_one(db)
                .await
                .unwrap();
        for i in 0..60 {
            app::backend::infra::audit::record(
                db,
                coordinator,
                app::model::audit::AuditAction::CohortState,
                &format!("cohort:{i}"),
                "open",
            )
            .await
            .unwrap();
        }
        let ended = ok(
            &c,
            &s,
            "audit_log",
            json!({ "action": "match.end_early", "before": null }),
        )
        .await;
        let entries = ended["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["detail"], "The mentee changed careers.");
        assert_eq!(entries[0]["actor_name"], "Jordan Avery");
        let actions = ended["actions"].to_string();
        assert!(
            actions.contains("match.end_early") && actions.contains("cohort.state"),
            "{actions}"
        );

        let first = ok(&c, &s, "audit_log", json!({ "action": "", "before": null })).await;
        assert_eq!(first["entries"].as_array().unwrap().len(), 50);
        let older = first["older"].as_i64().expect("a next page");
        let second = ok(
            &c,
            &s,
            "audit_log",
            json!({ "action": "", "before": older }),
        )
        .await;
        let ids = |p: &serde_json::Value| -> Vec<i64> {
            p["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap())
                .collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert!(a.windows(2).all(|w| w[0] > w[1]), "newest first");
        assert!(
            b.iter().all(|id| *id < *a.last().unwrap()),
            "the next page is older, no overlap"
        );
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(db)
            .await
            .unwrap();
        assert_eq!((a.len() + b.len()) as i64, total.min(100));

        // The page, rendered on the server, and the refusals.
        let html = c
            .get(s.url("/coordinator/audit?action=match.end_early"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Ended a match early") && html.contains("The mentee changed careers.")
        );
        for (client, expected) in [
            (s.browser(), 401),
            (signed_in(&s, "mentee@example.org").await, 403),
        ] {
            let (status, body) = call(
                &client,
                &s,
                "audit_log",
                json!({ "action": "", "before": null }),
            )
            .await;
            assert_eq!(status, expected);
            assert!(!body.to_string().contains("careers"));
        }
        s
    })
    .await;
}
