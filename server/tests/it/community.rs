//! The coordinator's view of the community's pages (news drafts, the sending progress, previews
//! as a participant, every question with its asker, who is going and who came, the library's
//! edit forms) comes from the policy's coordinating grant, as every other coordinator action does:
//! a coordinator who has not set up two-step sign-in (a new one, or one whose factor another
//! coordinator reset) reads them as a participant would, through the JSON path and the pages.
//!
//! SQLite and PostgreSQL.

use crate::common::{PASSWORD, call, each_engine, html_of, run, signed_in, unenrolled_coordinator};
use app::api::forum::{AskQuestion, ForumEvent, ForumEvents, Rsvp, SaveEvent};
use app::api::news::{LoadNewsArchive, NewsIssue, SaveIssue};
use app::api::resources::{ListResources, SaveResource};
use serde_json::json;

const COORDINATOR: &str = "coordinator@example.org";
const MENTEE: &str = "mentee@example.org";
const NOVA: &str = "nova@example.org";
const DRAFT_TITLE: &str = "Unpublished plans for spring";
const DRAFT_BODY: &str = "The budget for spring is not settled yet.";
const QUESTION: &str = "Could you cover reluctant readers at my branch?";
const NOTE: &str = "Coordinators only: renew the licence in March.";

fn library() -> ListResources {
    ListResources {
        query: String::new(),
        kind: String::new(),
        tag: String::new(),
        bookmarked: false,
    }
}

#[tokio::test]
async fn an_unenrolled_coordinator_reads_the_community_as_a_participant() {
    each_engine(|s| async move {
        // What only coordinators may see: a draft, a participant's question and RSVP, a note's
        // Markdown source.
        let coord = signed_in(&s, COORDINATOR).await;
        let draft = run(
            &coord,
            &s,
            SaveIssue {
                id: 0,
                title: DRAFT_TITLE.into(),
                news: DRAFT_BODY.into(),
                events: String::new(),
                activity_id: 0,
                question: "What surprised you?".into(),
                goals: String::new(),
            },
        )
        .await;
        let event = run(
            &coord,
            &s,
            SaveEvent {
                id: 0,
                title: "Booktalks that land".into(),
                description: "Bring a book.".into(),
                date: "2030-01-10".into(),
                time: "10:00".into(),
                time_zone: "UTC".into(),
                minutes: "60".into(),
                join_url: "https://meet.example.org/x".into(),
                capacity: String::new(),
            },
        )
        .await;
        let resource = run(
            &coord,
            &s,
            SaveResource {
                id: 0,
                title: "A toolkit".into(),
                url: "https://t.example.org/".into(),
                kind: "toolkit".into(),
                tags: String::new(),
                note: NOTE.into(),
            },
        )
        .await;
        let mentee = signed_in(&s, MENTEE).await;
        run(
            &mentee,
            &s,
            Rsvp {
                event_id: event,
                answer: "going".into(),
            },
        )
        .await;
        run(
            &mentee,
            &s,
            AskQuestion {
                event_id: event,
                question: QUESTION.into(),
            },
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
        let issue = |preview_as: Option<i64>| NewsIssue {
            id: published,
            preview_as,
        };

        // The enrolled coordinator sees all of it: what the test below must not find is there.
        let archive = run(&coord, &s, LoadNewsArchive {}).await;
        assert!(archive.can_manage);
        assert!(archive.issues.iter().any(|i| i.title == DRAFT_TITLE));
        let detail = run(&coord, &s, ForumEvent { id: event }).await;
        assert!(detail.questions.iter().any(|q| q.body == QUESTION));
        assert!(detail.attendees.iter().any(|a| a.name == mentee_name));
        let preview = run(&coord, &s, issue(Some(mentee_id))).await;
        assert_eq!(preview.reader_name, mentee_name);

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
        let archive = run(&nova, &s, LoadNewsArchive {}).await;
        assert!(!archive.can_manage);
        assert!(!archive.issues.iter().any(|i| i.title == DRAFT_TITLE));
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
        let own = run(&nova, &s, issue(None)).await;
        assert!(!own.can_manage);
        assert!(own.progress.is_none(), "no sending progress");
        assert!(!run(&nova, &s, ForumEvents {}).await.can_manage);
        let detail = run(&nova, &s, ForumEvent { id: event }).await;
        assert!(detail.questions.is_empty(), "{:?}", detail.questions);
        assert!(detail.attendees.is_empty());
        assert!(detail.form.is_none());
        assert!(!detail.can_manage);
        assert!(!detail.can_take_part, "coordinators run the forum");
        let list = run(&nova, &s, library()).await.unwrap();
        assert!(!list.can_manage);
        let item = list.items.iter().find(|i| i.id == resource).unwrap();
        assert_eq!(item.note_md, "", "the Markdown source is the editors'");

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
