//! The Mentoring Forum through the real server, on SQLite and PostgreSQL: events across time
//! zones and daylight saving, RSVPs with a capacity, questions, recordings landing in the
//! library, attendance, the .ics file, reminders, XSS in descriptions, and who may do what.

use crate::common::{TestServer, call, each_engine, ok, signed_in};
use app::backend::infra::db::now_ms;
use app::backend::infra::markdown::{XSS_PAYLOADS, looks_active};
use icalendar::{Component, EventLike};
use serde_json::json;

const COORDINATOR: &str = "coordinator@example.org";
const NOOR: &str = "noor.haddad@example.org"; // Europe/London
const SAM: &str = "mentee@example.org"; // America/New_York

fn event(title: &str, date: &str, time: &str, zone: &str, capacity: &str) -> serde_json::Value {
    json!({
        "id": 0, "title": title, "description": "Bring **one** goal.", "date": date, "time": time,
        "time_zone": zone, "minutes": "90", "join_url": "https://meet.example.org/x",
        "capacity": capacity,
    })
}

fn field_error(body: &serde_json::Value, field: &str) -> bool {
    body.to_string().contains(&format!("\"field\":\"{field}\""))
}

async fn create(s: &TestServer, c: &reqwest::Client, args: serde_json::Value) -> i64 {
    ok(c, s, "save_event", args).await.as_i64().unwrap()
}

#[tokio::test]
async fn coordinators_plan_events_and_bad_fields_are_named() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        for (args, field) in [
            (event("", "2030-01-10", "10:00", "UTC", ""), "title"),
            (event("T", "2030-02-30", "10:00", "UTC", ""), "date"),
            // 02:30 does not happen in New York on the day clocks go forward.
            (
                event("T", "2030-03-10", "02:30", "America/New_York", ""),
                "time",
            ),
            (
                event("T", "2030-01-10", "10:00", "Atlantis/Lost", ""),
                "time_zone",
            ),
            (event("T", "2030-01-10", "10:00", "UTC", "0"), "capacity"),
        ] {
            let (status, body) = call(&coord, &s, "save_event", args).await;
            assert_eq!(status, 422, "{body}");
            assert!(field_error(&body, field), "{field}: {body}");
        }
        let mut bad_link = event("T", "2030-01-10", "10:00", "UTC", "");
        bad_link["join_url"] = json!("javascript:alert(1)");
        let (status, body) = call(&coord, &s, "save_event", bad_link).await;
        assert!(status == 422 && field_error(&body, "join_url"), "{body}");

        let id = create(
            &s,
            &coord,
            event("Goals", "2030-01-10", "10:00", "America/Chicago", ""),
        )
        .await;
        // Changing it keeps the id and shows the new title.
        let mut changed = event(
            "Goals that stick",
            "2030-01-10",
            "11:00",
            "America/Chicago",
            "",
        );
        changed["id"] = json!(id);
        assert_eq!(create(&s, &coord, changed).await, id);
        let detail = ok(&coord, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(detail["title"], "Goals that stick");
        assert_eq!(detail["form"]["time"], "11:00");
        assert_eq!(detail["form"]["time_zone"], "America/Chicago");
        let mut missing = event("X", "2030-01-10", "11:00", "UTC", "");
        missing["id"] = json!(999_999);
        assert_eq!(call(&coord, &s, "save_event", missing).await.0, 404);
        s
    })
    .await;
}

#[tokio::test]
async fn times_follow_each_viewer_across_daylight_saving() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        // Planned at noon in New York on 2030-03-11, the day after its clocks went forward
        // (UTC-4 now) while London has not changed yet (UTC+0 until March 31): 16:00 UTC.
        let id = create(
            &s,
            &coord,
            event("Spring", "2030-03-11", "12:00", "America/New_York", ""),
        )
        .await;
        let noor = signed_in(&s, NOOR).await;
        let seen = ok(&noor, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(
            seen["when"], "Monday, March 11, 2030, 4:00 PM – 5:30 PM GMT",
            "{seen}"
        );
        assert_eq!(
            seen["host_when"],
            "Monday, March 11, 2030, 12:00 PM – 1:30 PM EDT"
        );
        let sam = signed_in(&s, SAM).await;
        let seen = ok(&sam, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(
            seen["when"],
            "Monday, March 11, 2030, 12:00 PM – 1:30 PM EDT"
        );
        assert_eq!(seen["host_when"], "", "same zone: no second time");
        // The same wall-clock time a week earlier is an hour later in UTC (EST, UTC-5).
        let winter = create(
            &s,
            &coord,
            event("Winter", "2030-03-04", "12:00", "America/New_York", ""),
        )
        .await;
        let seen = ok(&noor, &s, "forum_event", json!({ "id": winter })).await;
        assert_eq!(seen["when"], "Monday, March 4, 2030, 5:00 PM – 6:30 PM GMT");

        // The .ics says the instant in UTC, so any calendar puts it at the right local time.
        let ics = ics_of(&s, &noor, id).await;
        let e = ics_event(&ics);
        assert_eq!(
            e.property_value("DTSTART"),
            Some("20300311T160000Z"),
            "{ics}"
        );
        assert_eq!(e.property_value("DTEND"), Some("20300311T173000Z"));
        let ics = ics_of(&s, &noor, winter).await;
        assert_eq!(
            ics_event(&ics).property_value("DTSTART"),
            Some("20300304T170000Z")
        );
        s
    })
    .await;
}

async fn ics_of(s: &TestServer, c: &reqwest::Client, id: i64) -> String {
    let r = c
        .get(s.url(&format!("/forum/{id}/event.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar"),
        "{:?}",
        r.headers()
    );
    r.text().await.unwrap()
}

fn ics_event(text: &str) -> icalendar::Event {
    use icalendar::{Calendar, CalendarComponent};
    let calendar: Calendar = text.parse().expect("a valid iCalendar file");
    calendar
        .components
        .into_iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .expect("one event")
}

#[tokio::test]
async fn the_ics_file_describes_the_event() {
    each_engine(|s| async move {

        let coord = signed_in(&s, COORDINATOR).await;
        let mut args = event("Goals; commas, and \"quotes\"", "2030-05-02", "09:15", "Europe/Berlin", "");
        args["description"] = json!("Line one\nLine two with a long sentence that goes on well past the seventy-five octets an iCalendar line may hold.");
        let id = create(&s, &coord, args).await;
        let noor = signed_in(&s, NOOR).await;
        let text = ics_of(&s, &noor, id).await;
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 75), "lines are folded:\n{text}");
        let e = ics_event(&text);
        assert_eq!(e.get_summary(), Some("Goals; commas, and \"quotes\""));
        assert!(e.get_description().unwrap().contains("well past the seventy-five octets"));
        assert!(e.get_description().unwrap().contains("Join: https://meet.example.org/x"));
        assert_eq!(e.property_value("DTSTART"), Some("20300502T071500Z"), "Berlin is UTC+2 in May");
        assert_eq!(e.get_location(), Some("https://meet.example.org/x"));
        assert!(e.get_uid().unwrap().starts_with(&format!("forum-event-{id}@")));
        // Visitors get nothing; a missing event is a 404.
        let r = s.browser().get(s.url(&format!("/forum/{id}/event.ics"))).send().await.unwrap();
        assert_eq!(r.status(), 401);
        let r = noor.get(s.url("/forum/999999/event.ics")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        s
    })
    .await;
}

#[tokio::test]
async fn participants_answer_ask_and_coordinators_mark() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let id = create(
            &s,
            &coord,
            event("Small room", "2030-06-01", "10:00", "UTC", "1"),
        )
        .await;
        let noor = signed_in(&s, NOOR).await;
        let sam = signed_in(&s, SAM).await;

        // The list shows it upcoming, in the reader's zone.
        let list = ok(&noor, &s, "forum_events", json!({})).await;
        assert_eq!(list["zone"], "Europe/London");
        assert!(
            list["upcoming"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["id"] == id)
        );
        assert!(
            list["past"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["has_recording"] == true),
            "the demo's past webinar"
        );

        let (status, body) = call(
            &noor,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "sometimes" }),
        )
        .await;
        assert!(status == 422 && field_error(&body, "answer"), "{body}");
        ok(
            &noor,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "going" }),
        )
        .await;
        // One place, taken: Sam may say maybe, not going-to-come.
        let (status, body) = call(
            &sam,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "going" }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("full"), "{body}");
        ok(
            &sam,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "maybe" }),
        )
        .await;
        // Noor changing her mind frees the place.
        ok(
            &noor,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "not_going" }),
        )
        .await;
        ok(
            &sam,
            &s,
            "rsvp",
            json!({ "event_id": id, "answer": "going" }),
        )
        .await;
        let seen = ok(&sam, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(
            (seen["going"].as_i64(), seen["my_answer"].as_str()),
            (Some(1), Some("going"))
        );

        let (status, body) = call(
            &noor,
            &s,
            "ask_question",
            json!({ "event_id": id, "question": "  " }),
        )
        .await;
        assert!(status == 422 && field_error(&body, "question"), "{body}");
        ok(
            &noor,
            &s,
            "ask_question",
            json!({ "event_id": id, "question": "How do we restart a stalled goal?" }),
        )
        .await;
        ok(
            &sam,
            &s,
            "ask_question",
            json!({ "event_id": id, "question": "What if we disagree?" }),
        )
        .await;
        // Each participant sees their own questions; the coordinator sees all, with names.
        let mine = ok(&noor, &s, "forum_event", json!({ "id": id })).await;
        let qs = mine["questions"].as_array().unwrap();
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0]["body"], "How do we restart a stalled goal?");
        let all = ok(&coord, &s, "forum_event", json!({ "id": id })).await;
        let qs = all["questions"].as_array().unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0]["asker"], "Noor Haddad");
        let qid = qs[0]["id"].as_i64().unwrap();
        ok(
            &coord,
            &s,
            "mark_question",
            json!({ "question_id": qid, "answered": true }),
        )
        .await;
        let mine = ok(&noor, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(mine["questions"][0]["answered"], true);
        assert_eq!(all["attendees"].as_array().unwrap().len(), 2);
        assert!(
            mine["attendees"].as_array().unwrap().is_empty(),
            "attendance is for coordinators"
        );
        assert!(mine["form"].is_null());

        // Attendance: only those who answered can be marked.
        let sam_id = all["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "Sam Lee")
            .unwrap()["user_id"]
            .as_i64()
            .unwrap();
        let marked = ok(
            &coord,
            &s,
            "mark_attendance",
            json!({ "event_id": id, "attended": [sam_id.to_string(), "999999"] }),
        )
        .await;
        assert_eq!(marked, 1);
        let all = ok(&coord, &s, "forum_event", json!({ "id": id })).await;
        let sam_row = all["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "Sam Lee")
            .unwrap()
            .clone();
        assert_eq!(sam_row["attended"], true);
        s
    })
    .await;
}

#[tokio::test]
async fn a_recording_is_offered_and_listed_in_resources() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let id = create(
            &s,
            &coord,
            event("Recorded", "2030-06-01", "10:00", "UTC", ""),
        )
        .await;
        let (status, body) = call(
            &coord,
            &s,
            "save_recording",
            json!({ "event_id": id, "recording_url": "not a link" }),
        )
        .await;
        assert!(
            status == 422 && field_error(&body, "recording_url"),
            "{body}"
        );
        ok(
            &coord,
            &s,
            "save_recording",
            json!({ "event_id": id, "recording_url": "https://video.example.org/recorded" }),
        )
        .await;
        let noor = signed_in(&s, NOOR).await;
        let seen = ok(&noor, &s, "forum_event", json!({ "id": id })).await;
        assert_eq!(seen["recording_url"], "https://video.example.org/recorded");
        let lib = ok(
            &noor,
            &s,
            "resources",
            json!({ "query": "", "kind": "recording", "tag": "", "bookmarked": false }),
        )
        .await;
        let found: Vec<_> = lib["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["event_id"] == id)
            .collect();
        assert_eq!(found.len(), 1, "{lib}");
        assert_eq!(found[0]["title"], "Recorded");
        assert_eq!(found[0]["url"], "https://video.example.org/recorded");
        // A new link updates the one entry; clearing it takes the entry down.
        ok(
            &coord,
            &s,
            "save_recording",
            json!({ "event_id": id, "recording_url": "https://video.example.org/v2" }),
        )
        .await;
        let lib = ok(
            &noor,
            &s,
            "resources",
            json!({ "query": "", "kind": "recording", "tag": "", "bookmarked": false }),
        )
        .await;
        let urls: Vec<_> = lib["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["event_id"] == id)
            .map(|r| r["url"].clone())
            .collect();
        assert_eq!(urls, vec![json!("https://video.example.org/v2")]);
        ok(
            &coord,
            &s,
            "save_recording",
            json!({ "event_id": id, "recording_url": "" }),
        )
        .await;
        let lib = ok(
            &noor,
            &s,
            "resources",
            json!({ "query": "", "kind": "recording", "tag": "", "bookmarked": false }),
        )
        .await;
        assert!(
            !lib["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["event_id"] == id)
        );
        s
    })
    .await;
}

#[tokio::test]
async fn who_may_do_what_in_the_forum() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let id = create(
            &s,
            &coord,
            event("Policy", "2030-06-01", "10:00", "UTC", ""),
        )
        .await;
        let visitor = s.browser();
        let noor = signed_in(&s, NOOR).await;
        let q = json!({ "event_id": id, "question": "?" });
        // A visitor: nothing.
        for (f, args) in [
            ("forum_events", json!({})),
            ("forum_event", json!({ "id": id })),
            ("rsvp", json!({ "event_id": id, "answer": "going" })),
            ("ask_question", q.clone()),
            ("save_event", event("X", "2030-01-01", "10:00", "UTC", "")),
        ] {
            assert_eq!(call(&visitor, &s, f, args).await.0, 401, "{f}");
        }
        // A participant: no planning, marking or recordings.
        for (f, args) in [
            ("save_event", event("X", "2030-01-01", "10:00", "UTC", "")),
            (
                "mark_question",
                json!({ "question_id": 1, "answered": true }),
            ),
            (
                "save_recording",
                json!({ "event_id": id, "recording_url": "https://x.example.org/" }),
            ),
            ("mark_attendance", json!({ "event_id": id, "attended": [] })),
        ] {
            assert_eq!(call(&noor, &s, f, args).await.0, 403, "{f}");
        }
        // A coordinator runs the event but does not RSVP or ask.
        assert_eq!(
            call(
                &coord,
                &s,
                "rsvp",
                json!({ "event_id": id, "answer": "going" })
            )
            .await
            .0,
            422
        );
        assert_eq!(call(&coord, &s, "ask_question", q).await.0, 422);
        // A past event takes no more answers or questions.
        let past = create(&s, &coord, event("Over", "2020-06-01", "10:00", "UTC", "")).await;
        assert_eq!(
            call(
                &noor,
                &s,
                "rsvp",
                json!({ "event_id": past, "answer": "going" })
            )
            .await
            .0,
            422
        );
        assert_eq!(
            call(&noor, &s, "forum_event", json!({ "id": 999_999 }))
                .await
                .0,
            404
        );
        // The pages themselves: a visitor sees a sign-in prompt, not the event.
        let html = visitor
            .get(s.url(&format!("/forum/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("Bring <strong>one</strong> goal"),
            "a visitor never sees the description"
        );
        s
    })
    .await;
}

#[tokio::test]
async fn descriptions_cannot_carry_script() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let mut args = event("XSS", "2030-06-01", "10:00", "UTC", "");
        args["description"] = json!(format!("Safe **bold**\n\n{}", XSS_PAYLOADS.join("\n\n")));
        let id = create(&s, &coord, args).await;
        let noor = signed_in(&s, NOOR).await;
        let detail = ok(&noor, &s, "forum_event", json!({ "id": id })).await;
        let html = detail["description_html"].as_str().unwrap();
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(!looks_active(html), "{html}");
        // The server-rendered page: the description's markup is as inert.
        let page = noor
            .get(s.url(&format!("/forum/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start = page
            .find("event-description")
            .expect("the description on the page");
        let part = &page[start..];
        let part = &part[..part.find("</div>").unwrap()];
        assert!(part.contains("<strong>bold</strong>"), "{part}");
        assert!(!looks_active(part), "{part}");
        s
    })
    .await;
}

#[tokio::test]
async fn reminders_go_once_to_those_going_who_want_them() {
    each_engine(|s| async move {
        let coord = signed_in(&s, COORDINATOR).await;
        let soon = now_ms() + 20 * 60 * 60 * 1000;
        let date = app::backend::infra::tz::today_utc(soon);
        let time = {
            let secs = (soon / 1000) % 86_400;
            format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
        };
        let id = create(&s, &coord, event("Tomorrow", &date, &time, "UTC", "")).await;
        let later = create(&s, &coord, event("Next month", "2030-06-01", "10:00", "UTC", "")).await;
        let noor = signed_in(&s, NOOR).await;
        let sam = signed_in(&s, SAM).await;
        let grace = signed_in(&s, "grace.kim@example.org").await;
        ok(&noor, &s, "rsvp", json!({ "event_id": id, "answer": "going" })).await;
        ok(&noor, &s, "rsvp", json!({ "event_id": later, "answer": "going" })).await;
        ok(&sam, &s, "rsvp", json!({ "event_id": id, "answer": "maybe" })).await;
        ok(&grace, &s, "rsvp", json!({ "event_id": id, "answer": "going" })).await;
        ok(&grace, &s, "set_mail_settings", json!({ "news": "on", "reminders": "" })).await;

        let config = &s.state.config;
        let n = app::backend::community::forum::queue_reminders(&s.state.db, config, now_ms()).await.unwrap();
        assert_eq!(n, 1, "only Noor: Sam said maybe, Grace turned reminders off, the other event is far");
        assert_eq!(app::backend::community::forum::queue_reminders(&s.state.db, config, now_ms()).await.unwrap(), 0, "once");
        let (to, subject, text, bulk, unsubscribe): (String, String, String, i64, String) = sqlx::query_as(
            "SELECT to_addr, subject, body_text, bulk, unsubscribe_url FROM outbox WHERE subject LIKE 'Reminder:%'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(to, NOOR);
        assert_eq!(subject, "Reminder: Tomorrow is tomorrow");
        assert!(text.contains("https://meet.example.org/x"), "{text}");
        assert!(text.contains(&format!("/forum/{id}/event.ics")));
        assert_eq!(bulk, 1);
        assert!(unsubscribe.contains("/unsubscribe/reminders/"), "{unsubscribe}");
        // Moving the event means a new reminder for its new time.
        let mut moved = event("Tomorrow", &date, &time, "UTC", "");
        moved["id"] = json!(id);
        moved["minutes"] = json!("60");
        ok(&coord, &s, "save_event", moved.clone()).await;
        assert_eq!(app::backend::community::forum::queue_reminders(&s.state.db, config, now_ms()).await.unwrap(), 0, "same time: no new reminder");
        let later_time = app::backend::infra::tz::today_utc(soon + 60 * 60 * 1000);
        let secs = ((soon + 60 * 60 * 1000) / 1000) % 86_400;
        moved["date"] = json!(later_time);
        moved["time"] = json!(format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60));
        ok(&coord, &s, "save_event", moved).await;
        assert_eq!(app::backend::community::forum::queue_reminders(&s.state.db, config, now_ms()).await.unwrap(), 1);
        s
    })
    .await;
}
