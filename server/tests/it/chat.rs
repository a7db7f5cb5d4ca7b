//! The chat and the live connection through the real server, on SQLite and PostgreSQL. Sending
//! is idempotent by client id; history pages by keyset; the socket's handshake refuses visitors,
//! coordinators without two-step sign-in and foreign pages, and a chat opens for its two
//! partners only; a participant hears their unread count and their partner's goal sheet steps
//! on any page, a coordinator what changed and never what was written; a socket catches up after
//! a reconnect with nothing lost or doubled; typing and read marks reach the partner; a silent
//! socket is closed by the heartbeat; and two instances on one PostgreSQL database deliver each
//! other's messages and changes.

use crate::common::{
    PASSWORD, TestServer, Ws, call, each_engine, match_of, ok, plain_browser, post_form,
    session_cookie, signed_in, unenrolled_coordinator, ws_open,
};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const COORDINATOR: &str = "coordinator@example.org";
const MENTOR: &str = "mentor@example.org";
const MENTEE: &str = "mentee@example.org";
const OTHER_MENTEE: &str = "priya.nair@example.org";

async fn stored(s: &TestServer, match_id: i64) -> Vec<(i64, String)> {
    sqlx::query_as::<_, (i64, String)>(
        "SELECT seq, body FROM messages WHERE match_id = $1 ORDER BY seq",
    )
    .bind(match_id)
    .fetch_all(&s.state.db)
    .await
    .unwrap()
}

fn send_args(match_id: i64, client_id: &str, body: &str) -> Value {
    json!({ "match_id": match_id, "client_id": client_id, "body": body })
}

/// The next frame from the server as JSON, skipping pings, within `within` (in all: pings
/// do not extend the wait). The chat badge's `unread` frames, which come with every message, are
/// skipped too: `next_any` reads them.
async fn next_frame(ws: &mut Ws, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let f = next_any(ws, deadline - tokio::time::Instant::now()).await?;
        if f["type"] != "unread" {
            return Some(f);
        }
    }
}

/// The next frame, whatever it is, within `within`.
async fn next_any(ws: &mut Ws, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return Some(serde_json::from_str(&t).unwrap()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(other))) => panic!("unexpected frame {other:?}"),
            Err(_) => return None,
        }
    }
}

async fn send_frame(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.unwrap();
}

/// Says hello, as every page does first.
async fn hello(ws: &mut Ws) {
    send_frame(ws, json!({ "type": "hello" })).await;
}

/// Says hello and opens the chat of `match_id`, holding messages up to `after`: the chat page.
async fn open_chat(ws: &mut Ws, match_id: i64, after: i64) {
    hello(ws).await;
    send_frame(
        ws,
        json!({ "type": "open", "match_id": match_id, "after": after }),
    )
    .await;
}

/// Reads frames until `live`, returning the message numbers received before it.
async fn catch_up(ws: &mut Ws) -> Vec<i64> {
    let mut seqs = Vec::new();
    loop {
        let f = next_frame(ws, Duration::from_secs(10))
            .await
            .expect("the socket should say it is live");
        match f["type"].as_str() {
            Some("message") => seqs.push(f["line"]["seq"].as_i64().unwrap()),
            Some("live") => return seqs,
            other => panic!("unexpected frame before live: {other:?} {f}"),
        }
    }
}

/// The next `message` frame's line, skipping typing and seen frames.
async fn next_message(ws: &mut Ws) -> Value {
    loop {
        let f = next_frame(ws, Duration::from_secs(10))
            .await
            .expect("a message should arrive");
        if f["type"] == "message" {
            return f["line"].clone();
        }
    }
}

#[tokio::test]
async fn sending_is_idempotent_validated_and_paged_by_keyset() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;

        // The same client id twice is one message, with the same number.
        let first = ok(
            &mentor,
            &s,
            "send_message",
            send_args(id, "c-1", "  Hello there!  "),
        )
        .await;
        assert_eq!(first["seq"], 1);
        assert_eq!(first["body"], "Hello there!");
        assert_eq!(first["mine"], true);
        let again = ok(
            &mentor,
            &s,
            "send_message",
            send_args(id, "c-1", "Hello there!"),
        )
        .await;
        assert_eq!(again["seq"], 1);
        assert_eq!(stored(&s, id).await.len(), 1);

        // The partner cannot reuse (or learn through) the mentor's client id.
        let (status, err) = call(
            &mentee,
            &s,
            "send_message",
            send_args(id, "c-1", "mine now"),
        )
        .await;
        assert_eq!(status, 422, "{err}");
        assert!(!err.to_string().contains("Hello there"));

        // Bad bodies are refused with a sentence for the field, and nothing is stored.
        for body in ["", "  \n\t ", &"x".repeat(4001)] {
            let (status, err) =
                call(&mentor, &s, "send_message", send_args(id, "c-bad", body)).await;
            assert_eq!(status, 422, "{err}");
            assert_eq!(err["Validation"]["field"], "body", "{err}");
        }
        let (status, _) = call(
            &mentor,
            &s,
            "send_message",
            send_args(id, "<b>", "bad client id"),
        )
        .await;
        assert_eq!(status, 422);
        let longest = ok(
            &mentee,
            &s,
            "send_message",
            send_args(id, "c-long", &"é".repeat(4000)),
        )
        .await;
        assert_eq!(longest["seq"], 2);
        assert_eq!(stored(&s, id).await.len(), 2);

        // Text stays text: markup in a message comes back as the same characters.
        let xss = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let line = ok(&mentee, &s, "send_message", send_args(id, "c-xss", xss)).await;
        assert_eq!(line["body"], xss);

        // 120 more, then page back: 50 newest, then keyset pages with no gap and no overlap.
        for n in 0..120 {
            let who = if n % 2 == 0 { &mentor } else { &mentee };
            ok(
                who,
                &s,
                "send_message",
                send_args(id, &format!("bulk-{n}"), &format!("message {n}")),
            )
            .await;
        }
        let page = ok(&mentor, &s, "load_chat", json!({ "match_id": id })).await;
        let lines = page["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 50);
        assert_eq!(page["has_older"], true);
        assert_eq!(lines.last().unwrap()["seq"], 123);
        assert_eq!(page["partner_name"], "Sam Lee");
        let mut seqs: Vec<i64> = lines.iter().map(|l| l["seq"].as_i64().unwrap()).collect();
        loop {
            let before = seqs[0];
            let older = ok(
                &mentor,
                &s,
                "older_messages",
                json!({ "match_id": id, "before_seq": before }),
            )
            .await;
            let mut got: Vec<i64> = older["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["seq"].as_i64().unwrap())
                .collect();
            assert!(got.len() <= 50);
            got.extend(seqs);
            seqs = got;
            if older["has_older"] == false {
                break;
            }
        }
        assert_eq!(seqs, (1..=123).collect::<Vec<_>>());
        // Each line carries its day and time in the reader's zone.
        assert!(!lines[0]["day"].as_str().unwrap().is_empty());
        assert!(lines[0]["time"].as_str().unwrap().ends_with('M'));
        s
    })
    .await;
}

#[tokio::test]
async fn unread_counts_read_marks_and_what_coordinators_see() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        for n in 0..3 {
            ok(
                &mentor,
                &s,
                "send_message",
                send_args(id, &format!("u-{n}"), "Are you free Tuesday?"),
            )
            .await;
        }
        let nav = ok(&mentee, &s, "chat_nav", json!({})).await;
        assert_eq!(nav["unread"], 3);
        assert_eq!(nav["href"], format!("/match/{id}/chat"));
        // The sender's own messages are not unread for them.
        assert_eq!(ok(&mentor, &s, "chat_nav", json!({})).await["unread"], 0);
        // The unread count shows in the navigation of any page, rendered on the server.
        let html = mentee
            .get(s.url("/activities"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("data-unread=\"3\""),
            "no unread badge on /activities"
        );

        // Opening the chat reads it; the sender then sees how far.
        let page = ok(&mentee, &s, "load_chat", json!({ "match_id": id })).await;
        assert_eq!(page["lines"].as_array().unwrap().len(), 3);
        assert_eq!(ok(&mentee, &s, "chat_nav", json!({})).await["unread"], 0);
        let seen = ok(&mentor, &s, "load_chat", json!({ "match_id": id })).await;
        assert_eq!(seen["partner_read_seq"], 3);

        // A coordinator sees the figures, and never the text.
        let coordinator = signed_in(&s, COORDINATOR).await;
        let figures = ok(&coordinator, &s, "chat_activity", json!({ "match_id": id })).await;
        assert_eq!(figures["messages"], 3);
        assert_eq!(figures["last_30_days"], 3);
        assert!(!figures.to_string().contains("Tuesday"));
        let (status, _) = call(&coordinator, &s, "load_chat", json!({ "match_id": id })).await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &coordinator,
            &s,
            "older_messages",
            json!({ "match_id": id, "before_seq": 9 }),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &coordinator,
            &s,
            "send_message",
            send_args(id, "co-1", "hi"),
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(
            ok(&coordinator, &s, "chat_nav", json!({})).await["unread"],
            0
        );
        let home = coordinator
            .get(s.url(&format!("/match/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("data-messages=\"3\""),
            "coordinator's match view shows the count"
        );
        assert!(
            !home.contains("Tuesday"),
            "coordinator's match view never shows the text"
        );

        // Another match's participant and a visitor are refused everything.
        let other = signed_in(&s, OTHER_MENTEE).await;
        let visitor = s.browser();
        for (client, expected) in [(&other, 403), (&visitor, 401)] {
            for (f, args) in [
                ("load_chat", json!({ "match_id": id })),
                ("older_messages", json!({ "match_id": id, "before_seq": 9 })),
                ("send_message", send_args(id, "x-1", "let me in")),
            ] {
                let (status, body) = call(client, &s, f, args).await;
                assert_eq!(status, expected, "{f}: {body}");
            }
        }
        let (status, _) = call(&other, &s, "chat_activity", json!({ "match_id": id })).await;
        assert_eq!(status, 403);
        let (status, _) = call(&visitor, &s, "chat_activity", json!({ "match_id": id })).await;
        assert_eq!(status, 401);
        assert_eq!(stored(&s, id).await.len(), 3);

        // The email setting: on by default, off when unticked, and only for oneself.
        assert_eq!(ok(&mentee, &s, "chat_email_setting", json!({})).await, true);
        assert_eq!(
            ok(&mentee, &s, "set_chat_email", json!({ "on": "" })).await,
            false
        );
        assert_eq!(
            ok(&mentee, &s, "chat_email_setting", json!({})).await,
            false
        );
        let (status, _) = call(&visitor, &s, "set_chat_email", json!({ "on": "on" })).await;
        assert_eq!(status, 401);
        let (status, _) = call(&visitor, &s, "chat_email_setting", json!({})).await;
        assert_eq!(status, 401);
        // A visitor's navigation has no chat and learns nothing.
        let nav = ok(&visitor, &s, "chat_nav", json!({})).await;
        assert_eq!(nav, json!({ "href": "", "unread": 0 }));

        // An ended match's chat can be read, not added to.
        sqlx::query("UPDATE matches SET state = 'completed' WHERE id = $1")
            .bind(id)
            .execute(&s.state.db)
            .await
            .unwrap();
        let (status, body) = call(
            &mentor,
            &s,
            "send_message",
            send_args(id, "late", "one more"),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["Refused"].as_str().unwrap().contains("ended"));
        assert_eq!(
            ok(&mentor, &s, "load_chat", json!({ "match_id": id })).await["active"],
            false
        );
        s
    })
    .await;
}

#[tokio::test]
async fn the_live_socket_admits_people_from_our_pages_and_opens_a_chat_to_its_partners_only() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let base = s.base.clone();
        let mentor = session_cookie(&s, MENTOR).await;
        let other = session_cookie(&s, OTHER_MENTEE).await;
        let coordinator = session_cookie(&s, COORDINATOR).await;
        unenrolled_coordinator(&s, "nova@example.org").await;
        let unenrolled = session_cookie(&s, "nova@example.org").await;
        // Refused before the upgrade: a visitor, a forged session, a coordinator without
        // two-step sign-in, another site's page, a page that sends no Origin.
        assert_eq!(ws_open(&s, None, Some(&base)).await.err(), Some(401));
        assert_eq!(
            ws_open(&s, Some("tandem_session=forged"), Some(&base))
                .await
                .err(),
            Some(401)
        );
        assert_eq!(
            ws_open(&s, Some(&unenrolled), Some(&base)).await.err(),
            Some(403)
        );
        assert_eq!(
            ws_open(&s, Some(&mentor), Some("https://evil.example"))
                .await
                .err(),
            Some(403)
        );
        assert_eq!(ws_open(&s, Some(&mentor), None).await.err(), Some(403));

        // Admitted, but the chat is the partners' only: another match's mentee, a coordinator
        // and a match that does not exist are refused, and hear nothing of it afterwards.
        let mut others = Vec::new();
        for (cookie, match_id) in [(&other, id), (&coordinator, id), (&mentor, 999_999)] {
            let mut ws = ws_open(&s, Some(cookie), Some(&base))
                .await
                .expect("a signed-in person gets in");
            open_chat(&mut ws, match_id, 0).await;
            let f = next_frame(&mut ws, Duration::from_secs(10))
                .await
                .expect("an answer to the open");
            assert_eq!(f["type"], "refused", "{f}");
            assert_eq!(f["match_id"], match_id);
            others.push(ws);
        }
        let mut ws = ws_open(&s, Some(&mentor), Some(&base))
            .await
            .expect("the mentor gets in");
        open_chat(&mut ws, id, 0).await;
        assert_eq!(catch_up(&mut ws).await, Vec::<i64>::new());
        let mentee = signed_in(&s, MENTEE).await;
        ok(
            &mentee,
            &s,
            "send_message",
            send_args(id, "secret-1", "Only for Maria"),
        )
        .await;
        assert_eq!(next_message(&mut ws).await["body"], "Only for Maria");
        ws.send(Message::text(r#"{"type":"typing"}"#))
            .await
            .unwrap();
        for ws in &mut others {
            while let Some(f) = next_any(ws, Duration::from_millis(300)).await {
                assert!(
                    !f.to_string().contains("Only for Maria") && f["type"] != "message",
                    "a refused socket heard {f}"
                );
                assert_ne!(f["type"], "typing");
            }
        }
        s
    })
    .await;
}

#[tokio::test]
async fn the_unread_count_and_the_partners_steps_reach_a_participant_on_any_page() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentor_http = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        let cookie = session_cookie(&s, MENTOR).await;
        // The mentor's page (the goal sheet, say): no chat open, only the hello.
        let mut ws = ws_open(&s, Some(&cookie), Some(&s.base)).await.unwrap();
        hello(&mut ws).await;
        let first = next_any(&mut ws, Duration::from_secs(10)).await.unwrap();
        assert_eq!(first["type"], "unread", "{first}");
        assert_eq!(first["badge"]["href"], format!("/match/{id}/chat"));
        let before = first["badge"]["unread"].as_i64().unwrap();

        ok(
            &mentee,
            &s,
            "send_message",
            send_args(id, "u-1", "Are you there?"),
        )
        .await;
        let f = next_any(&mut ws, Duration::from_secs(1))
            .await
            .expect("the count within a second of the send");
        assert_eq!(f["type"], "unread", "{f}");
        assert_eq!(f["badge"]["unread"], before + 1);
        // Read elsewhere (the chat page opened in another tab): the count goes down here too.
        ok(&mentor_http, &s, "load_chat", json!({ "match_id": id })).await;
        let f = next_any(&mut ws, Duration::from_secs(2)).await.unwrap();
        assert_eq!(
            (f["type"].as_str(), f["badge"]["unread"].as_i64()),
            (Some("unread"), Some(0))
        );

        // The mentee submits the goal sheet: the mentor is told, with a link; the mentee's own
        // socket is not.
        let mentee_cookie = session_cookie(&s, MENTEE).await;
        let mut mentee_ws = ws_open(&s, Some(&mentee_cookie), Some(&s.base))
            .await
            .unwrap();
        hello(&mut mentee_ws).await;
        let goal = json!({ "id": 0, "title": "Plan a bilingual storytime.", "why": "Families ask.",
            "measure": "Two sessions held.", "target_date": "2027-04-30", "tags": "" });
        let saved = ok(
            &mentee,
            &s,
            "save_goal_sheet",
            json!({ "match_id": id, "version": 0, "goals": [goal] }),
        )
        .await;
        let version = saved["Saved"]["version"].as_i64().unwrap();
        ok(
            &mentee,
            &s,
            "submit_goal_sheet",
            json!({ "match_id": id, "version": version }),
        )
        .await;
        let f = next_frame(&mut ws, Duration::from_secs(2))
            .await
            .expect("a notice");
        assert_eq!(f["type"], "notice");
        assert_eq!(f["kind"], "goal_sheet_submitted");
        assert_eq!(f["text"], "Sam submitted the goal sheet.");
        assert_eq!(f["href"], format!("/match/{id}/goals"));
        assert!(
            next_frame(&mut mentee_ws, Duration::from_millis(300))
                .await
                .is_none()
        );

        // A news issue: every participant's socket hears of it.
        let coord = signed_in(&s, COORDINATOR).await;
        let issue = ok(
            &coord,
            &s,
            "save_issue",
            json!({
            "id": 0, "title": "Live news", "news": "Hello.", "events": "", "activity_id": 0,
            "question": "", "goals": "" }),
        )
        .await
        .as_i64()
        .unwrap();
        ok(&coord, &s, "publish_issue", json!({ "id": issue })).await;
        for socket in [&mut ws, &mut mentee_ws] {
            let f = next_frame(socket, Duration::from_secs(2))
                .await
                .expect("the news notice");
            assert_eq!(f["kind"], "news");
            assert_eq!(f["href"], format!("/news/{issue}"));
        }
        s
    })
    .await;
}

#[tokio::test]
async fn a_coordinators_socket_hears_what_changed_and_never_what_was_written() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let cookie = session_cookie(&s, COORDINATOR).await;
        let mut ws = ws_open(&s, Some(&cookie), Some(&s.base)).await.unwrap();
        hello(&mut ws).await;
        let mentee = signed_in(&s, MENTEE).await;
        ok(
            &mentee,
            &s,
            "send_message",
            send_args(id, "c-1", "A private word"),
        )
        .await;
        ok(
            &mentee,
            &s,
            "log_contact",
            json!({ "match_id": id, "way": "phone",
            "on_date": "2026-11-02", "minutes": "30", "note": "We talked about storytime." }),
        )
        .await;
        let f = next_any(&mut ws, Duration::from_secs(2))
            .await
            .expect("a change");
        assert_eq!(
            f,
            json!({ "type": "changed", "what": "contact_logged", "match_id": id }),
            "counts and ids only"
        );
        // The chat message said nothing to the coordinator; neither does anything else here.
        assert!(
            next_any(&mut ws, Duration::from_millis(300))
                .await
                .is_none()
        );
        // The same contact form posted without JavaScript tells the dashboards the same.
        let plain = plain_browser(&s);
        let (status, _, _) = post_form(
            &plain,
            &s,
            "/sign-in",
            &[
                ("__form", "/api/sign_in"),
                ("email", MENTEE),
                ("password", PASSWORD),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let mid = id.to_string();
        let (status, _, html) = post_form(
            &plain,
            &s,
            &format!("/match/{id}"),
            &[
                ("__form", "/api/log_contact"),
                ("match_id", &mid),
                ("way", "phone"),
                ("on_date", "2026-11-04"),
                ("minutes", "10"),
                ("note", ""),
            ],
        )
        .await;
        assert_eq!(status, 303, "{html}");
        let f = next_any(&mut ws, Duration::from_secs(2))
            .await
            .expect("a change");
        assert_eq!(
            f,
            json!({ "type": "changed", "what": "contact_logged", "match_id": id })
        );
        s
    })
    .await;
}

#[tokio::test]
async fn a_socket_goes_live_catches_up_after_a_drop_and_hears_typing_and_reads() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let base = s.base.clone();
        let mentee_http = signed_in(&s, MENTEE).await;
        let mentor_cookie = session_cookie(&s, MENTOR).await;
        let mentee_cookie = session_cookie(&s, MENTEE).await;
        // Another match's socket must hear nothing of this one.
        let other_id = match_of(&s, OTHER_MENTEE).await;
        let other_cookie = session_cookie(&s, OTHER_MENTEE).await;
        let mut other = ws_open(&s, Some(&other_cookie), Some(&base)).await.unwrap();
        open_chat(&mut other, other_id, 0).await;
        catch_up(&mut other).await;

        let mut mentor = ws_open(&s, Some(&mentor_cookie), Some(&base))
            .await
            .unwrap();
        open_chat(&mut mentor, id, 0).await;
        assert!(catch_up(&mut mentor).await.is_empty());

        ok(
            &mentee_http,
            &s,
            "send_message",
            send_args(id, "live-1", "See https://ala.org/alsc!"),
        )
        .await;
        let line = next_message(&mut mentor).await;
        assert_eq!(line["seq"], 1);
        assert_eq!(line["mine"], false);
        assert_eq!(line["body"], "See https://ala.org/alsc!");

        // Typing and reading, relayed from the mentee's socket to the mentor's.
        let mut mentee = ws_open(&s, Some(&mentee_cookie), Some(&base))
            .await
            .unwrap();
        open_chat(&mut mentee, id, 1).await;
        assert!(catch_up(&mut mentee).await.is_empty());
        mentee
            .send(Message::text(r#"{"type":"typing"}"#))
            .await
            .unwrap();
        let f = next_frame(&mut mentor, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(f["type"], "typing");
        // The mentor's own socket does not echo its own typing back (only the partner's).
        mentor
            .send(Message::text(r#"{"type":"typing"}"#))
            .await
            .unwrap();
        let f = next_frame(&mut mentee, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(f["type"], "typing");
        assert!(
            next_frame(&mut mentor, Duration::from_millis(300))
                .await
                .is_none()
        );

        // Drop the mentor's socket; three messages while away arrive on reconnect, once each.
        drop(mentor);
        for n in 2..=4 {
            ok(
                &mentee_http,
                &s,
                "send_message",
                send_args(id, &format!("away-{n}"), "while you were away"),
            )
            .await;
        }
        let mut mentor = ws_open(&s, Some(&mentor_cookie), Some(&base))
            .await
            .unwrap();
        open_chat(&mut mentor, id, 1).await;
        assert_eq!(catch_up(&mut mentor).await, vec![2, 3, 4]);
        mentor
            .send(Message::text(r#"{"type":"read","seq":4}"#))
            .await
            .unwrap();
        // The mentee's socket first gets its own messages 2..4, then the mentor's read mark.
        let mut seen = None;
        while seen.is_none() {
            let f = next_frame(&mut mentee, Duration::from_secs(10))
                .await
                .expect("seen frame");
            if f["type"] == "seen" {
                seen = f["seq"].as_i64();
            }
        }
        assert_eq!(seen, Some(4));
        assert_eq!(
            ok(&mentee_http, &s, "load_chat", json!({ "match_id": id })).await["partner_read_seq"],
            4
        );

        // The other match's socket heard nothing at all.
        assert!(
            next_frame(&mut other, Duration::from_millis(300))
                .await
                .is_none()
        );
        s
    })
    .await;
}

#[tokio::test]
async fn a_socket_that_falls_behind_its_buffer_is_resynced_from_the_table() {
    use app::backend::chat::hub::{CHANNEL_CAPACITY, Event};
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let f = app::backend::match_work::facts::of_match(&s.state.db, app::model::MatchId(id))
            .await
            .unwrap();
        let mentee =
            app::backend::auth::policy::on_match::<app::backend::auth::policy::access::Talk>(
                Some(
                    app::backend::auth::users::current(&s.state.db, f.mentee_id)
                        .await
                        .unwrap(),
                ),
                f.clone(),
            )
            .unwrap();
        let cookie = session_cookie(&s, MENTOR).await;
        let mut ws = ws_open(&s, Some(&cookie), Some(&s.base)).await.unwrap();
        open_chat(&mut ws, id, 0).await;
        catch_up(&mut ws).await;
        // Three messages stored without telling anyone, then a flood of events (without yielding,
        // so the socket's task cannot keep up) that pushes any word of them out of the buffer.
        for n in 1..=3 {
            app::backend::chat::store::send(&s.state.db, &mentee, &format!("quiet-{n}"), "hi")
                .await
                .unwrap();
        }
        for _ in 0..CHANNEL_CAPACITY * 3 {
            s.state.live.deliver_local(
                f.match_id,
                Event::Typing {
                    user_id: f.mentee_id,
                },
            );
        }
        // The socket noticed it lagged and read the table: all three arrive, in order.
        for n in 1..=3 {
            assert_eq!(next_message(&mut ws).await["seq"], n);
        }
        s
    })
    .await;
}

#[tokio::test]
async fn the_heartbeat_closes_a_silent_socket_and_one_whose_session_ended() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        s.state.live.set_heartbeat(Duration::from_millis(200));
        let cookie = session_cookie(&s, MENTOR).await;
        let mut ws = ws_open(&s, Some(&cookie), Some(&s.base)).await.unwrap();
        open_chat(&mut ws, id, 0).await;
        catch_up(&mut ws).await;
        assert_eq!(s.state.live.listened_matches(), 1);
        // Stop reading, so the client never answers the server's pings: a phone gone dark.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            s.state.live.listened_matches(),
            0,
            "the silent socket should be closed"
        );
        // A socket that answers its pings stays open past several beats.
        let mut ws = ws_open(&s, Some(&cookie), Some(&s.base)).await.unwrap();
        open_chat(&mut ws, id, 0).await;
        catch_up(&mut ws).await;
        assert!(
            next_frame(&mut ws, Duration::from_millis(1500))
                .await
                .is_none()
        );
        assert_eq!(s.state.live.listened_matches(), 1);
        // Signed out elsewhere (or disabled): the open socket is closed within a few beats.
        let mentor_id: app::model::UserId =
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(MENTOR)
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        app::backend::auth::sessions::end_all_for_user(&s.state.db, mentor_id)
            .await
            .unwrap();
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match ws.next().await {
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => {}
                }
            }
        })
        .await;
        assert!(closed.is_ok(), "the signed-out socket should be closed");
        s
    })
    .await;
}

#[tokio::test]
async fn two_instances_on_one_postgres_deliver_each_others_messages_and_pushes() {
    if !test_support::db::engines().contains(&app::backend::infra::db::Engine::Postgres) {
        eprintln!("skipped: no PostgreSQL configured");
        return;
    }
    let a = TestServer::start(app::backend::infra::db::Engine::Postgres).await;
    let b = a.another_instance().await;
    let id = match_of(&a, MENTEE).await;
    let mentee = signed_in(&a, MENTEE).await;
    let mentor_cookie = session_cookie(&b, MENTOR).await;
    let mut mentor = ws_open(&b, Some(&mentor_cookie), Some(&b.base))
        .await
        .unwrap();
    open_chat(&mut mentor, id, 0).await;
    catch_up(&mut mentor).await;
    // Give instance B's LISTEN a moment to be in place before the first NOTIFY.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for n in 1..=50 {
        ok(
            &mentee,
            &a,
            "send_message",
            send_args(id, &format!("x-{n}"), &format!("across {n}")),
        )
        .await;
    }
    for n in 1..=50 {
        let line = tokio::time::timeout(Duration::from_secs(10), next_message(&mut mentor))
            .await
            .expect("message from the other instance");
        assert_eq!(line["seq"], n);
        assert_eq!(line["body"], format!("across {n}"));
    }
    // Typing crosses too (ids only in the notification).
    let mentee_cookie = session_cookie(&a, MENTEE).await;
    let mut mentee_ws = ws_open(&a, Some(&mentee_cookie), Some(&a.base))
        .await
        .unwrap();
    open_chat(&mut mentee_ws, id, 50).await;
    catch_up(&mut mentee_ws).await;
    mentee_ws
        .send(Message::text(r#"{"type":"typing"}"#))
        .await
        .unwrap();
    let f = next_frame(&mut mentor, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(f["type"], "typing");
    // And the pushes of any page, both ways: a coordinator on B hears a contact logged through
    // A; a mentor on A (no chat open) hears the count of a message sent through B.
    let coordinator_cookie = session_cookie(&b, COORDINATOR).await;
    let mut coordinator = ws_open(&b, Some(&coordinator_cookie), Some(&b.base))
        .await
        .unwrap();
    hello(&mut coordinator).await;
    let mut mentor_page = ws_open(&a, Some(&mentor_cookie), Some(&a.base))
        .await
        .unwrap();
    hello(&mut mentor_page).await;
    let badge = next_any(&mut mentor_page, Duration::from_secs(10))
        .await
        .unwrap();
    let unread = badge["badge"]["unread"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    ok(
        &mentee,
        &a,
        "log_contact",
        json!({ "match_id": id, "way": "phone",
        "on_date": "2026-11-03", "minutes": "20", "note": "" }),
    )
    .await;
    let f = next_any(&mut coordinator, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        (f["type"].as_str(), f["what"].as_str()),
        (Some("changed"), Some("contact_logged"))
    );
    let mentee_b = signed_in(&b, MENTEE).await;
    ok(
        &mentee_b,
        &b,
        "send_message",
        send_args(id, "x-b", "from B"),
    )
    .await;
    let f = next_any(&mut mentor_page, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(f["badge"]["unread"], unread + 1, "{f}");
    drop(mentor);
    drop(mentee_ws);
    b.stop().await;
    a.stop().await;
}

/// What the delivery property test does next.
#[derive(Debug, Clone)]
enum Op {
    /// One partner sends (0 mentor, 1 mentee).
    Send(usize),
    /// Both send at the same instant.
    SendBoth,
    /// A client's connection drops (whatever it had not read yet is lost with it) and it
    /// reconnects saying the last message it holds.
    Reconnect(usize),
    /// A client reads what has arrived.
    Drain(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        6 => Just(Op::Send(0)),
        6 => Just(Op::Send(1)),
        2 => Just(Op::SendBoth),
        2 => (0..2usize).prop_map(Op::Reconnect),
        1 => (0..2usize).prop_map(Op::Drain),
    ]
}

struct Client {
    ws: Ws,
    held: Vec<i64>,
}

impl Client {
    /// Takes every frame already here (or arriving within `wait`), checking each message is the
    /// next number: in order, no gap, nothing twice.
    async fn read(&mut self, wait: Duration) {
        while let Some(f) = next_frame(&mut self.ws, wait).await {
            if f["type"] == "message" {
                let seq = f["line"]["seq"].as_i64().unwrap();
                let expected = self.held.last().copied().unwrap_or(0) + 1;
                assert_eq!(
                    seq, expected,
                    "message {seq} arrived when {expected} was due"
                );
                self.held.push(seq);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_holds_under_random_sends_drops_and_reconnects() {
    use proptest::test_runner::{Config, TestRunner};
    use std::sync::atomic::{AtomicUsize, Ordering};
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let http = [signed_in(&s, MENTOR).await, signed_in(&s, MENTEE).await];
        let cookies = [
            session_cookie(&s, MENTOR).await,
            session_cookie(&s, MENTEE).await,
        ];
        let sent = AtomicUsize::new(0);
        let reconnects = AtomicUsize::new(0);
        let handle = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(Config {
            cases: 3,
            max_shrink_iters: 16,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = proptest::collection::vec(op(), 380..440);
        let result = tokio::task::block_in_place(|| {
            runner.run(&strategy, |plan| {
                handle.block_on(async {
                    let open = |side: usize, after: i64| {
                        let (s, cookie) = (&s, cookies[side].clone());
                        async move {
                            let mut ws = ws_open(s, Some(&cookie), Some(&s.base)).await.unwrap();
                            open_chat(&mut ws, id, after).await;
                            ws
                        }
                    };
                    let mut clients = [
                        Client {
                            ws: open(0, 0).await,
                            held: Vec::new(),
                        },
                        Client {
                            ws: open(1, 0).await,
                            held: Vec::new(),
                        },
                    ];
                    let send = |side: usize| {
                        let n = sent.fetch_add(1, Ordering::Relaxed);
                        let (c, s) = (&http[side], &s);
                        async move {
                            ok(
                                c,
                                s,
                                "send_message",
                                send_args(id, &format!("p-{n}"), &format!("property {n}")),
                            )
                            .await;
                        }
                    };
                    for op in plan {
                        match op {
                            Op::Send(side) => send(side).await,
                            Op::SendBoth => {
                                tokio::join!(send(0), send(1));
                            }
                            Op::Reconnect(side) => {
                                let c = &mut clients[side];
                                c.read(Duration::from_millis(1)).await;
                                let after = c.held.last().copied().unwrap_or(0);
                                c.ws = open(side, after).await;
                                reconnects.fetch_add(1, Ordering::Relaxed);
                            }
                            Op::Drain(side) => clients[side].read(Duration::from_millis(2)).await,
                        }
                    }
                    // Settle: each client must end holding exactly what is stored.
                    let want: Vec<i64> = stored(&s, id)
                        .await
                        .into_iter()
                        .map(|(seq, _)| seq)
                        .collect();
                    for c in clients.iter_mut() {
                        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                        while c.held.len() < want.len() && tokio::time::Instant::now() < deadline {
                            c.read(Duration::from_millis(50)).await;
                        }
                        assert_eq!(c.held, want, "a client's messages differ from the table");
                    }
                    Ok(())
                })
            })
        });
        result.unwrap();
        let (sent, reconnects) = (sent.into_inner(), reconnects.into_inner());
        eprintln!("delivery property: {sent} messages, {reconnects} reconnects");
        assert!(sent >= 1000, "only {sent} messages");
        assert!(reconnects >= 100, "only {reconnects} reconnects");
        s
    })
    .await;
}

/// A participant's page reads their active matches once, for the header's unread count and the
/// match's permit alike (`context::active_matches`): the goal sheet and the count agree, and a
/// match that is not among the reader's own is still refused, page and server function both.
#[tokio::test]
async fn a_match_page_and_its_header_share_one_read_of_the_participants_matches() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        for n in 0..2 {
            ok(
                &mentor,
                &s,
                "send_message",
                send_args(id, &format!("s-{n}"), "Hello"),
            )
            .await;
        }
        let page = |c: reqwest::Client, path: String| {
            let url = s.url(&path);
            async move { c.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let sheet = page(mentee.clone(), format!("/match/{id}/goals")).await;
        assert!(
            sheet.contains("data-unread=\"2\""),
            "no unread count: {sheet}"
        );
        assert!(sheet.contains("id=\"goals-h\""), "no goal sheet: {sheet}");
        assert!(!sheet.contains("You do not have access to that."));

        let other = signed_in(&s, OTHER_MENTEE).await;
        let theirs = page(other.clone(), format!("/match/{id}/goals")).await;
        assert!(
            theirs.contains("You do not have access to that."),
            "{theirs}"
        );
        assert!(!theirs.contains("id=\"goals-h\""));
        assert!(!theirs.contains("data-unread=\"2\""));
        let home = page(other.clone(), format!("/match/{id}")).await;
        assert!(home.contains("You do not have access to that."), "{home}");
        let (status, _) = call(
            &other,
            &s,
            "load_match_home",
            json!({ "match_id": id, "full": true }),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call(&other, &s, "send_message", send_args(id, "x-1", "Hi")).await;
        assert_eq!(status, 403);
        assert_eq!(stored(&s, id).await.len(), 2);
        s
    })
    .await;
}
