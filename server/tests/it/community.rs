//! The coordinator's view of the community's pages (news drafts, the sending progress, previews
//! as a participant, every question with its asker, who is going and who came, the library's
//! edit forms) comes from the policy's coordinating grant, as every other coordinator action does:
//! a coordinator who has not set up two-step sign-in (a new one, or one whose factor another
//! coordinator reset) reads them as a participant would, through the JSON path and the pages.
//!
//! SQLite and PostgreSQL.

use crate::common::{PASSWORD, call, each_engine, html_of, ok, signed_in, unenrolled_coordinator};
use serde_json::json;

const COORDINATOR: &str = "coordinator@example.org";
const MENTEE: &str = "mentee@example.org";
const NOVA: &str = "nova@example.org";
const DRAFT_TITLE: &str = "Unpublished plans for spring";
const DRAFT_BODY: &str = "The budget for spring is not settled yet.";
const QUESTION: &str = "Could you cover reluctant readers at my branch?";
const NOTE: &str = "Coordinators only: renew the licence in March.";

#[tokio::test]
async fn an_unenrolled_coordinator_reads_the_community_as_a_participant() {
    each_engine(|s| async move {
        // What only coordinators may see: a draft, a participant's question and RSVP, a note's
        // Markdown source.
        let coord = signed_in(&s, COORDINATOR).await;
        let draft = ok(
            &coord,
            &s,
            "save_issue",
            json!({
                "id": 0, "title": DRAFT_TITLE, "news": DRAFT_BODY, "events": "",
                "activity_id": 0, "question": "What surprised you?", "goals": "",
            }),
        )
        .await
        .as_i64()
        .unwrap();
        let event = ok(
            &coord,
            &s,
            "save_event",
            json!({
                "id": 0, "title": "Booktalks that land", "description": "Bring a book.",
                "date": "2030-01-10", "time": "10:00", "time_zone": "UTC", "minutes": "60",
                "join_url": "https://meet.example.org/x", "capacity": "",
            }),
        )
        .await
        .as_i64()
        .unwrap();
        let resource = ok(
            &coord,
            &s,
            "save_resource",
            json!({
                "id": 0, "title": "A toolkit", "url": "https://t.example.org/",
                "kind": "toolkit", "tags": "", "note": NOTE,
            }),
        )
        .await
        .as_i64()
        .unwrap();
        let mentee = signed_in(&s, MENTEE).await;
        ok(
            &mentee,
            &s,
            "rsvp",
            json!({ "event_id": event, "answer": "going" }),
        )
        .await;
        ok(
            &mentee,
            &s,
            "ask_question",
            json!({ "event_id": event, "question": QUESTION }),
        )
        .await;
        let (mentee_id, mentee_name): (i64, String) =
            sqlx::query_as("SELECT id, name FROM users WHERE email = $1")
                .bind(MENTEE)
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        let published: i64 =
            sqlx::query_scalar("SELECT MIN(id) FROM news_issues WHERE state = 'published'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();

        // The enrolled coordinator sees all of it: what the test below must not find is there.
        let archive = ok(&coord, &s, "news_archive", json!({})).await;
        assert_eq!(archive["can_manage"], true);
        assert!(archive.to_string().contains(DRAFT_TITLE));
        let detail = ok(&coord, &s, "forum_event", json!({ "id": event })).await;
        assert!(detail.to_string().contains(QUESTION), "{detail}");
        assert!(detail["attendees"].to_string().contains(&mentee_name));
        let preview = ok(
            &coord,
            &s,
            "news_issue",
            json!({ "id": published, "preview_as": mentee_id }),
        )
        .await;
        assert_eq!(preview["reader_name"], mentee_name.as_str());

        // A participant cannot preview the issue as someone else either.
        let (status, _) = call(
            &mentee,
            &s,
            "news_issue",
            json!({ "id": published, "preview_as": mentee_id + 1 }),
        )
        .await;
        assert_eq!(status, 403, "a participant previews as nobody");

        // A coordinator without two-step sign-in: the JSON path.
        unenrolled_coordinator(&s, NOVA).await;
        let nova = s.browser();
        let (status, _) = call(
            &nova,
            &s,
            "sign_in",
            json!({ "email": NOVA, "password": PASSWORD }),
        )
        .await;
        assert_eq!(status, 200);
        let archive = ok(&nova, &s, "news_archive", json!({})).await;
        assert_eq!(archive["can_manage"], false);
        assert!(!archive.to_string().contains(DRAFT_TITLE), "{archive}");
        let (status, body) = call(
            &nova,
            &s,
            "news_issue",
            json!({ "id": draft, "preview_as": null }),
        )
        .await;
        assert_eq!(status, 404, "the draft: {body}");
        assert!(!body.to_string().contains(DRAFT_BODY));
        let (status, body) = call(
            &nova,
            &s,
            "news_issue",
            json!({ "id": published, "preview_as": mentee_id }),
        )
        .await;
        assert_eq!(status, 403, "a preview as a participant: {body}");
        assert_eq!(body, json!("SecondFactorNeeded"));
        let issue = ok(
            &nova,
            &s,
            "news_issue",
            json!({ "id": published, "preview_as": null }),
        )
        .await;
        assert_eq!(issue["can_manage"], false);
        assert!(issue["progress"].is_null(), "no sending progress: {issue}");
        let events = ok(&nova, &s, "forum_events", json!({})).await;
        assert_eq!(events["can_manage"], false);
        let detail = ok(&nova, &s, "forum_event", json!({ "id": event })).await;
        assert!(!detail.to_string().contains(QUESTION), "{detail}");
        assert_eq!(detail["attendees"], json!([]));
        assert!(detail["form"].is_null());
        assert_eq!(detail["can_manage"], false);
        assert_eq!(detail["can_take_part"], false, "coordinators run the forum");
        let library = ok(
            &nova,
            &s,
            "resources",
            json!({ "query": "", "kind": "", "tag": "", "bookmarked": false }),
        )
        .await;
        assert_eq!(library["can_manage"], false);
        let item = library["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == resource)
            .unwrap();
        assert_eq!(item["note_md"], "", "the Markdown source is the editors'");

        // The pages.
        let html = html_of(&nova, &s, "/news").await;
        assert!(!html.contains(DRAFT_TITLE));
        let html = html_of(&nova, &s, &format!("/news/{draft}")).await;
        assert!(
            !html.contains(DRAFT_TITLE) && !html.contains(DRAFT_BODY),
            "{html}"
        );
        let html = html_of(&nova, &s, &format!("/news/{published}?as={mentee_id}")).await;
        assert!(!html.contains(&mentee_name), "no preview as the mentee");
        let html = html_of(&nova, &s, &format!("/forum/{event}")).await;
        assert!(
            html.contains("Booktalks that land"),
            "the event itself shows"
        );
        assert!(
            !html.contains(QUESTION) && !html.contains(&mentee_name),
            "{html}"
        );
        let html = html_of(&nova, &s, "/resources").await;
        assert!(html.contains("A toolkit"));
        assert!(
            !html.contains(&format!("f-note-{resource}")),
            "no edit form"
        );
        s
    })
    .await;
}
