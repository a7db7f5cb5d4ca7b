//! The goal sheet contract, progress, contacts, activities and the catalogue through the real
//! server functions: the whole path of a sheet, the stale-save conflict, bad input reported by
//! field, and the refusals for visitors, the other match and the wrong role. SQLite and
//! PostgreSQL.

use crate::common::{TestServer, call, each_engine, match_of, ok, run, signed_in};
use serde_json::{Value, json};

const COORDINATOR: &str = "coordinator@example.org";
/// The demo's first match starts with an empty sheet; the second is acknowledged.
const MENTOR: &str = "mentor@example.org";
const MENTEE: &str = "mentee@example.org";
const OTHER_MENTEE: &str = "priya.nair@example.org";

/// The refusal sentence of a 422 answer.
async fn refused(c: &reqwest::Client, s: &TestServer, f: &str, args: Value) -> String {
    let (status, body) = call(c, s, f, args).await;
    assert_eq!(status, 422, "{f} should be refused: {body}");
    body["Refused"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "{}: {}",
                body["Validation"]["field"], body["Validation"]["message"]
            )
        })
}

fn goal(id: i64, title: &str, date: &str) -> Value {
    json!({ "id": id, "title": title, "why": "It matters to my branch.",
            "measure": "We will both say so.", "target_date": date, "tags": "storytime, outreach" })
}

async fn home(c: &reqwest::Client, s: &TestServer, id: i64) -> Value {
    ok(
        c,
        s,
        "load_match_home",
        json!({ "match_id": id, "full": true }),
    )
    .await
}

fn version(h: &Value) -> i64 {
    h["sheet"]["version"].as_i64().unwrap()
}

#[tokio::test]
async fn the_goal_sheet_contract_from_draft_to_an_amendment() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        let coordinator = signed_in(&s, COORDINATOR).await;

        let h = home(&mentee, &s, id).await;
        assert_eq!(h["sheet"]["state"], "draft");
        assert_eq!(version(&h), 0);
        assert_eq!(h["viewer"], "mentee");
        assert!(h["sheet"]["overdue"].as_bool().unwrap(), "the demo match began 60 days ago");

        // Both start from the same empty sheet; the mentor saves first.
        let saved = ok(&mentor, &s, "save_goal_sheet", json!({ "match_id": id, "version": 0,
            "goals": [goal(0, "Learn more about school librarianship.", "2027-03-31")] })).await;
        assert_eq!(saved["Saved"]["version"], 1);
        // The mentee's save on the stale copy is refused, with the mentor's words in the answer.
        let stale = ok(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 0,
            "goals": [goal(0, "Make new contacts.", "2027-03-31")] })).await;
        let theirs = &stale["Conflict"]["theirs"];
        assert_eq!(theirs["goals"][0]["title"], "Learn more about school librarianship.");
        assert_eq!(theirs["updated_by"], "Maria Alvarez");
        assert_eq!(theirs["version"], 1);
        // Knowing that, the mentee saves on version 1, keeping the mentor's goal and adding one.
        let h = home(&mentee, &s, id).await;
        let first = h["sheet"]["goals"][0]["id"].as_i64().unwrap();
        let saved = ok(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 1,
            "goals": [goal(first, "Learn more about school librarianship.", "2027-03-31"),
                      goal(0, "Make new contacts.", "2027-04-30")] })).await;
        assert_eq!(saved["Saved"]["version"], 2);

        // Only the mentee submits; nothing is confirmed or acknowledged before its turn.
        let why = refused(&mentor, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 2 })).await;
        assert_eq!(why, "Only the mentee submits the goal sheet.");
        let why = refused(&mentor, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 2 })).await;
        assert_eq!(why, "The mentee has not submitted the goal sheet yet.");
        let why = refused(&coordinator, &s, "acknowledge_goal_sheet", json!({ "match_id": id, "version": 2 })).await;
        assert!(why.starts_with("Only a goal sheet the mentee submitted"), "{why}");

        ok(&mentee, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 2 })).await;
        let why = refused(&mentee, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 2 })).await;
        assert_eq!(why, "The goal sheet has already been submitted.");
        let h = home(&mentor, &s, id).await;
        assert_eq!(h["next_steps"][0], "Confirm the goal sheet your mentee submitted.");
        ok(&mentor, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 3 })).await;
        let why = refused(&mentor, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 4 })).await;
        assert_eq!(why, "The goal sheet has already been confirmed.");

        // The coordinator returns it with a comment: back to draft, the comment shown.
        let why = refused(&coordinator, &s, "return_goal_sheet", json!({ "match_id": id, "version": 4, "comment": "  " })).await;
        assert_eq!(why, "\"comment\": \"Say what the match should change.\"");
        ok(&coordinator, &s, "return_goal_sheet", json!({ "match_id": id, "version": 4,
            "comment": "Say how you will know the second goal is met." })).await;
        let h = home(&mentee, &s, id).await;
        assert_eq!(h["sheet"]["state"], "draft");
        assert_eq!(h["sheet"]["return_comment"], "Say how you will know the second goal is met.");
        assert!(h["next_steps"][0].as_str().unwrap().starts_with("Your coordinator returned the goal sheet"));

        // Fixed, submitted, confirmed, acknowledged.
        let second = h["sheet"]["goals"][1]["id"].as_i64().unwrap();
        let mut fixed = goal(second, "Make new contacts.", "2027-04-30");
        fixed["measure"] = json!("Three colleagues I can call by April.");
        ok(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 5,
            "goals": [goal(first, "Learn more about school librarianship.", "2027-03-31"), fixed] })).await;
        ok(&mentee, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 6 })).await;
        ok(&mentor, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 7 })).await;
        ok(&coordinator, &s, "acknowledge_goal_sheet", json!({ "match_id": id, "version": 8 })).await;
        let h = home(&coordinator, &s, id).await;
        assert_eq!(h["sheet"]["state"], "acknowledged");
        assert!(!h["sheet"]["overdue"].as_bool().unwrap());

        // After acknowledgement a change is an amendment the partner confirms; the history says
        // who changed what.
        ok(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 9,
            "goals": [goal(first, "Learn more about school librarianship.", "2027-05-28"), goal(second, "Make new contacts.", "2027-04-30")] })).await;
        let h = home(&mentor, &s, id).await;
        assert_eq!(h["sheet"]["state"], json!({ "amended": { "by": "mentee" } }));
        assert_eq!(h["next_steps"][0], "Confirm the changes Sam Lee made to the goal sheet.");
        let latest = &h["sheet"]["history"][0];
        assert_eq!(latest["actor_name"], "Sam Lee");
        assert_eq!(latest["action"], "amended");
        assert_eq!(latest["changes"][0], "Goal 1, target date: “2027-03-31” → “2027-05-28”.");
        let why = refused(&mentee, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 10 })).await;
        assert_eq!(why, "Your partner confirms your change, not you.");
        ok(&mentor, &s, "confirm_goal_sheet", json!({ "match_id": id, "version": 10 })).await;
        let h = home(&mentee, &s, id).await;
        assert_eq!(h["sheet"]["state"], "acknowledged");
        let actions: Vec<&str> = h["sheet"]["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["confirmed the changes", "amended", "acknowledged", "confirmed", "submitted", "edited", "returned", "confirmed", "submitted", "edited", "edited"]);

        // Progress with a dated note from either partner.
        ok(&mentor, &s, "record_progress", json!({ "match_id": id, "goal_id": first,
            "progress": "in_progress", "note": "Visited a school library together.", "on_date": "2026-11-01" })).await;
        let h = home(&mentee, &s, id).await;
        let g = &h["sheet"]["goals"][0];
        assert_eq!(g["progress"], "in_progress");
        assert_eq!(g["notes"][0]["author_name"], "Maria Alvarez");
        assert_eq!(g["notes"][0]["on_date"], "2026-11-01");
        let why = refused(&mentee, &s, "record_progress", json!({ "match_id": id, "goal_id": first,
            "progress": "finished", "note": "", "on_date": "2026-11-01" })).await;
        assert_eq!(why, "\"progress\": \"Choose where this goal stands.\"");

        // The history's times and the partner's clock carry machine-readable datetimes (a
        // <time> whose text is "2026-11-01 13:42 UTC" or "1:42 PM" is invalid HTML without one).
        let page = |path: String| {
            let mentee = mentee.clone();
            let url = s.url(&path);
            async move { mentee.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let sheet_html = page(format!("/match/{id}/goals")).await;
        let stamps = time_datetimes(&sheet_html);
        assert!(!stamps.is_empty(), "the history shows times");
        for at in &stamps {
            // YYYY-MM-DDTHH:MMZ
            let b = at.as_bytes();
            assert!(b.len() == 17 && b[10] == b'T' && b[16] == b'Z', "{at}");
        }
        let home_html = page(format!("/match/{id}")).await;
        let clock = time_datetimes(&home_html);
        assert_eq!(clock.len(), 1, "the partner card's clock");
        assert!(clock[0].len() == 5 && clock[0].as_bytes()[2] == b':', "{}", clock[0]);
        assert!(!home_html.contains("<time>") && !sheet_html.contains("<time>"));
        s
    })
    .await;
}

/// The `datetime` of every `<time datetime="…">` in a page.
fn time_datetimes(html: &str) -> Vec<String> {
    html.split("<time datetime=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn bad_goals_are_reported_beside_their_fields_and_nothing_is_saved() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentee = signed_in(&s, MENTEE).await;
        let blank = json!({ "id": 0, "title": "", "why": "", "measure": "", "target_date": "", "tags": "" });
        let long = "x".repeat(151);
        let cases = [
            (json!([blank.clone(), blank.clone(), blank.clone()]), "goals", "Write at least one goal: one is required."),
            (json!([goal(0, "a", "2027-01-04"), goal(0, "b", "2027-01-04"), goal(0, "c", "2027-01-04"), goal(0, "d", "2027-01-04")]), "goals", "A goal sheet holds at most three goals. Remove one to add another."),
            (json!([goal(0, "a", "2027-01-04"), goal(0, "", "2027-01-04")]), "goal2_title", "Give this goal a title."),
            (json!([goal(0, "a", "2028-01-04")]), "goal1_target_date", "Choose a date within the program, 2026-09-01 to 2027-06-30."),
            (json!([goal(0, "a", "31/01/2027")]), "goal1_target_date", "Enter the date as YYYY-MM-DD."),
            (json!([goal(0, &long, "2027-01-04")]), "goal1_title", "Use at most 150 characters (this has 151)."),
            (json!([{ "id": 0, "title": "a", "why": "", "measure": "", "target_date": "2027-01-04", "tags": "a,b,c,d,e,f" }]), "goal1_tags", "Use at most 5 tags."),
        ];
        for (goals, field, message) in cases {
            let (status, body) = call(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 0, "goals": goals })).await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["Validation"]["field"], field, "{body}");
            assert_eq!(body["Validation"]["message"], message);
        }
        let h = home(&mentee, &s, id).await;
        assert_eq!(version(&h), 0, "nothing was saved");
        let why = refused(&mentee, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 0 })).await;
        assert_eq!(why, "\"goals\": \"Write at least one goal: one is required.\"");
        s
    })
    .await;
}

#[tokio::test]
async fn visitors_the_other_match_and_the_wrong_role_are_refused() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let visitor = s.browser();
        let stranger = signed_in(&s, OTHER_MENTEE).await;
        let coordinator = signed_in(&s, COORDINATOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        let calls = [
            ("load_match_home", json!({ "match_id": id, "full": true })),
            ("save_goal_sheet", json!({ "match_id": id, "version": 0, "goals": [goal(0, "a", "2027-01-04")] })),
            ("submit_goal_sheet", json!({ "match_id": id, "version": 0 })),
            ("confirm_goal_sheet", json!({ "match_id": id, "version": 0 })),
            ("acknowledge_goal_sheet", json!({ "match_id": id, "version": 0 })),
            ("return_goal_sheet", json!({ "match_id": id, "version": 0, "comment": "x" })),
            ("record_progress", json!({ "match_id": id, "goal_id": 1, "progress": "achieved", "note": "", "on_date": "2026-11-01" })),
            ("log_contact", json!({ "match_id": id, "way": "phone", "on_date": "2026-11-01", "minutes": "30", "note": "" })),
            ("plan_activity", json!({ "match_id": id, "activity_id": 1, "goal_id": 0, "state": "planned", "on_date": "2026-12-01", "note": "" })),
            ("mark_activity_done", json!({ "match_id": id, "match_activity_id": 1, "on_date": "2026-11-01" })),
        ];
        for (f, args) in &calls {
            assert_eq!(call(&visitor, &s, f, args.clone()).await.0, 401, "visitor: {f}");
            assert_eq!(call(&stranger, &s, f, args.clone()).await.0, 403, "other match: {f}");
        }
        // A coordinator reads and reviews but never writes a match's sheet, contacts or activities.
        for f in ["save_goal_sheet", "submit_goal_sheet", "confirm_goal_sheet", "record_progress", "log_contact", "plan_activity", "mark_activity_done"] {
            let args = calls.iter().find(|(n, _)| *n == f).unwrap().1.clone();
            assert_eq!(call(&coordinator, &s, f, args).await.0, 403, "coordinator: {f}");
        }
        ok(&coordinator, &s, "load_match_home", json!({ "match_id": id, "full": true })).await;
        // Partners never acknowledge, return, or edit the catalogue.
        for f in ["acknowledge_goal_sheet", "return_goal_sheet"] {
            let args = calls.iter().find(|(n, _)| *n == f).unwrap().1.clone();
            assert_eq!(call(&mentee, &s, f, args).await.0, 403, "mentee: {f}");
        }
        let edit = json!({ "id": 0, "kind": "build", "title": "A zine", "description": "" });
        assert_eq!(call(&mentee, &s, "save_activity", edit.clone()).await.0, 403);
        assert_eq!(call(&visitor, &s, "save_activity", edit.clone()).await.0, 401);
        assert_eq!(call(&mentee, &s, "edit_catalogue", json!({})).await.0, 403);
        assert_eq!(call(&visitor, &s, "edit_catalogue", json!({})).await.0, 401);
        // The catalogue itself is public.
        let list = ok(&visitor, &s, "list_activities", json!({})).await;
        assert!(list.as_array().unwrap().iter().any(|a| a["title"] == "A mock Newbery or Caldecott election"));
        // A missing match is not found for someone signed in, and needs sign-in for a visitor.
        assert_eq!(call(&mentee, &s, "load_match_home", json!({ "match_id": 999_999, "full": false })).await.0, 404);
        assert_eq!(call(&visitor, &s, "load_match_home", json!({ "match_id": 999_999, "full": false })).await.0, 401);
        s
    })
    .await;
}

#[tokio::test]
async fn contacts_activities_pace_and_the_catalogue() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let other = match_of(&s, OTHER_MENTEE).await;
        let mentor = signed_in(&s, MENTOR).await;
        let mentee = signed_in(&s, MENTEE).await;
        let coordinator = signed_in(&s, COORDINATOR).await;
        let h = home(&mentee, &s, id).await;
        let today = h["today"].as_str().unwrap().to_string();
        assert!(!h["pace"]["on_pace"].as_bool().unwrap(), "60 days without contact");
        assert_eq!(h["contact_count"], 0);

        let contact = |way: &str, date: &str, minutes: &str| json!({ "match_id": id, "way": way, "on_date": date, "minutes": minutes, "note": "Talked about storytime." });
        let bad = [
            (contact("fax", &today, "30"), "way"),
            (contact("phone", "2099-01-01", "30"), "on_date"),
            (contact("phone", "2020-01-01", "30"), "on_date"),
            (contact("phone", &today, "half an hour"), "minutes"),
            (contact("phone", &today, "0"), "minutes"),
        ];
        for (args, field) in bad {
            let (status, body) = call(&mentee, &s, "log_contact", args).await;
            assert_eq!(status, 422);
            assert_eq!(body["Validation"]["field"], field, "{body}");
        }
        ok(&mentee, &s, "log_contact", contact("video", &today, "45")).await;
        ok(&mentor, &s, "log_contact", contact("phone", &today, "20")).await;
        let h = home(&mentor, &s, id).await;
        assert_eq!(h["contact_count"], 2);
        assert!(h["pace"]["on_pace"].as_bool().unwrap());
        assert_eq!(h["pace"]["last_contact"], today.as_str());
        assert_eq!(h["contacts"][0]["author_name"], "Maria Alvarez");

        // Activities from the catalogue, tied to a goal of this match only.
        let catalogue = ok(&mentee, &s, "list_activities", json!({})).await;
        let activity = catalogue[0]["id"].as_i64().unwrap();
        let theirs = home(&coordinator, &s, other).await;
        let foreign_goal = theirs["sheet"]["goals"][0]["id"].as_i64().unwrap();
        let plan = |goal_id: i64, state: &str, date: &str| json!({ "match_id": id, "activity_id": activity, "goal_id": goal_id, "state": state, "on_date": date, "note": "" });
        let (status, body) = call(&mentee, &s, "plan_activity", plan(foreign_goal, "planned", &today)).await;
        assert_eq!((status, body["Validation"]["field"].as_str()), (422, Some("goal_id")));
        let (status, body) = call(&mentee, &s, "plan_activity", plan(0, "done", "2099-01-01")).await;
        assert_eq!((status, body["Validation"]["field"].as_str()), (422, Some("on_date")));
        let planned = ok(&mentee, &s, "plan_activity", plan(0, "planned", "2099-01-01")).await.as_i64().unwrap();
        ok(&mentor, &s, "mark_activity_done", json!({ "match_id": id, "match_activity_id": planned, "on_date": today })).await;
        let why = refused(&mentor, &s, "mark_activity_done", json!({ "match_id": id, "match_activity_id": planned, "on_date": today })).await;
        assert_eq!(why, "That activity is already done, or is not one of this match's.");
        let h = home(&mentee, &s, id).await;
        assert_eq!(h["activities"][0]["state"], "done");
        assert_eq!(h["activities"][0]["title"], catalogue[0]["title"]);

        // Coordinators curate the catalogue.
        let (status, body) = call(&coordinator, &s, "save_activity", json!({ "id": 0, "kind": "build", "title": " ", "description": "" })).await;
        assert_eq!((status, body["Validation"]["field"].as_str()), (422, Some("title")));
        let new = ok(&coordinator, &s, "save_activity", json!({ "id": 0, "kind": "build", "title": "A zine about your branch", "description": "Make one together." })).await.as_i64().unwrap();
        ok(&coordinator, &s, "save_activity", json!({ "id": new, "kind": "practice", "title": "A zine about your library", "description": "" })).await;
        let list = ok(&mentee, &s, "list_activities", json!({})).await;
        let found = list.as_array().unwrap().iter().find(|a| a["id"] == new).unwrap();
        assert_eq!((found["kind"].as_str(), found["title"].as_str()), (Some("practice"), Some("A zine about your library")));
        s
    })
    .await;
}

#[tokio::test]
async fn an_ended_match_can_be_read_but_not_changed() {
    each_engine(|s| async move {
        let id = match_of(&s, MENTEE).await;
        let mentee = signed_in(&s, MENTEE).await;
        let coordinator = signed_in(&s, COORDINATOR).await;
        ok(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 0, "goals": [goal(0, "a", "2027-01-04")] })).await;
        ok(&coordinator, &s, "end_match", json!({ "match_id": id, "reason": "The mentee changed jobs." })).await;
        let h = home(&mentee, &s, id).await;
        assert!(!h["active"].as_bool().unwrap());
        let why = refused(&mentee, &s, "save_goal_sheet", json!({ "match_id": id, "version": 1, "goals": [goal(0, "b", "2027-01-04")] })).await;
        assert_eq!(why, "This match has ended; its goal sheet can no longer change.");
        let why = refused(&mentee, &s, "submit_goal_sheet", json!({ "match_id": id, "version": 1 })).await;
        assert_eq!(why, "This match has ended; its goal sheet can no longer change.");
        let why = refused(&mentee, &s, "log_contact", json!({ "match_id": id, "way": "phone", "on_date": h["today"], "minutes": "5", "note": "" })).await;
        assert_eq!(why, "This match has ended; contacts can no longer be logged.");
        s
    })
    .await;
}

/// A typed call through the real server decodes into the model's `MatchHome`, and it is the home
/// the backend assembles for the same person: the wire loses nothing (vocabularies, options,
/// nested lists) and the server function adds nothing.
#[tokio::test]
async fn a_typed_call_reads_the_match_home_the_backend_assembles() {
    use app::api::match_work::LoadMatchHome;
    use app::backend::auth::policy::access;
    use app::backend::match_work::{facts, match_home};
    use app::model::{MatchHome, Party, SheetState};
    each_engine(|s| async move {
        let id = match_of(&s, OTHER_MENTEE).await;
        let mentee = signed_in(&s, OTHER_MENTEE).await;
        let over_the_wire: MatchHome = run(
            &mentee,
            &s,
            LoadMatchHome {
                match_id: id,
                full: true,
            },
        )
        .await;
        let f = facts::of_match(&s.state.db, app::model::MatchId(id))
            .await
            .unwrap();
        let permit =
            test_support::permits::on_match::<access::Read>(&s.state.db, &f, f.mentee_id).await;
        let direct = match_home::load(&s.state.db, &permit, true).await.unwrap();
        assert_eq!(over_the_wire, direct);
        assert_eq!(over_the_wire.summary.my_role, Party::Mentee);
        assert_eq!(over_the_wire.sheet.state, SheetState::Acknowledged);
        assert_eq!(over_the_wire.contact_count, 4);
        s
    })
    .await;
}
