//! Applying, reviewing, matching and ending matches through the real server functions, with
//! the refusals for visitors, participants and the other match. Runs on SQLite and PostgreSQL.

use crate::common::{
    TestServer, application_form as form, call, each_engine, ok, open_cohort_id, plain_browser,
    signed_in,
};
use serde_json::{Value, json};

const WAITLIST_CONFIRM: &str = app::backend::program::waitlist::CONFIRM_SUBJECT;

async fn outbox_to(s: &TestServer, to: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>("SELECT subject FROM outbox WHERE to_addr = $1 ORDER BY id")
        .bind(to)
        .fetch_all(&s.state.db)
        .await
        .unwrap()
}

/// The token of the newest confirmation link mailed to `to` (read from the queued message).
async fn confirmation_token(s: &TestServer, to: &str) -> String {
    link_token(
        s,
        to,
        app::backend::program::pending_applications::CONFIRM_SUBJECT,
    )
    .await
}

/// The token of the link in the newest message to `to` with `subject`.
async fn link_token(s: &TestServer, to: &str, subject: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE to_addr = $1 AND subject = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .bind(subject)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let start = body.find("token=").expect("a confirmation link") + "token=".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

/// A visitor applies and opens the link mailed to them: the application, as its owner sees it.
async fn apply_and_confirm(s: &TestServer, c: &reqwest::Client, form: Value) -> Value {
    let email = form["form"]["email"].as_str().unwrap().to_string();
    assert_eq!(
        ok(c, s, "submit_application", form).await,
        json!("CheckEmail")
    );
    let token = confirmation_token(s, &email).await;
    ok(c, s, "confirm_application", json!({ "token": token })).await
}

#[tokio::test]
async fn coordinator_functions_refuse_visitors_and_participants() {
    each_engine(|s| async move {
        let calls = [
            ("list_cohorts", json!({})),
            ("create_cohort", json!({ "form": { "name": "X", "applications_open": "2027-01-01",
                "applications_close": "2027-01-31", "program_start": "2027-03-01",
                "program_end": "2027-12-01", "mentee_capacity": "10", "goal_sheet_due_days": "30" } })),
            ("set_cohort_state", json!({ "cohort_id": 1, "to": "closed" })),
            ("list_applications", json!({ "filter": { "cohort_id": null, "role": "", "state": "", "search": "" } })),
            ("get_application", json!({ "id": 1 })),
            ("decide_applications", json!({ "ids": [1], "decision": "declined", "note": "" })),
            ("matching_view", json!({ "cohort_id": 1 })),
            ("suggest_mentors", json!({ "cohort_id": 1, "mentee_application_id": 1 })),
            ("propose_matches", json!({ "cohort_id": 1 })),
            ("confirm_matches", json!({ "cohort_id": 1, "pairs": [] })),
            ("end_match", json!({ "match_id": 1, "reason": "x" })),
            ("decline_end_request", json!({ "request_id": 1 })),
        ];
        let visitor = s.browser();
        let mentee = signed_in(&s, "mentee@example.org").await;
        for (f, args) in &calls {
            let (status, body) = call(&visitor, &s, f, args.clone()).await;
            assert_eq!(status, 401, "visitor {f}: {body}");
            assert_eq!(body, json!("Unauthenticated"), "visitor {f}");
            let (status, body) = call(&mentee, &s, f, args.clone()).await;
            assert_eq!(status, 403, "participant {f}: {body}");
        }
        // Nothing was changed by the refused calls.
        let ended: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matches WHERE state <> 'active'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(ended, 0);
        // Visitors may read Apply but not withdraw or ask to end a match.
        assert_eq!(call(&visitor, &s, "withdraw_application", json!({ "id": 1 })).await.0, 401);
        assert_eq!(
            call(&visitor, &s, "request_end_match", json!({ "match_id": 1, "reason": "x" })).await.0,
            401
        );
        s
    })
    .await;
}

#[tokio::test]
async fn a_visitor_applies_with_a_new_account_and_sees_only_their_own() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let visitor = s.browser();

        // Bad input is refused next to its field, and no account is created.
        let mut bad = form(cohort, "mentee", "Nia Cole", "nia@example.org");
        bad["form"]["library_name"] = json!("");
        let (status, body) = call(&visitor, &s, "submit_application", bad).await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "library_name");
        let mut long = form(cohort, "mentee", "Nia Cole", "nia@example.org");
        long["form"]["hopes"] = json!("x".repeat(2001));
        let (_, body) = call(&visitor, &s, "submit_application", long).await;
        assert_eq!(body["Validation"]["field"], "hopes");
        let mut unagreed = form(cohort, "mentee", "Nia Cole", "nia@example.org");
        unagreed["form"]["agree"] = json!(false);
        let (_, body) = call(&visitor, &s, "submit_application", unagreed).await;
        assert_eq!(body["Validation"]["field"], "agree");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'nia@example.org'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(n, 0);

        // A good application makes nothing yet: the visitor is asked to open the mailed link.
        let answer = ok(&visitor, &s, "submit_application", form(cohort, "mentee", "Nia Cole", "nia@example.org")).await;
        assert_eq!(answer, json!("CheckEmail"));
        assert_eq!(ok(&visitor, &s, "current_user", json!({})).await, Value::Null);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'nia@example.org'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
        assert_eq!(n, 0, "no account before the email is confirmed");
        // The link makes the account, sends the application and signs the visitor in, once.
        let token = confirmation_token(&s, "nia@example.org").await;
        let app = ok(&visitor, &s, "confirm_application", json!({ "token": token })).await;
        assert_eq!(app["state"], "submitted");
        let me = ok(&visitor, &s, "current_user", json!({})).await;
        assert_eq!(me["name"], "Nia Cole");
        let (status, body) = call(&s.browser(), &s, "confirm_application", json!({ "token": token })).await;
        assert_eq!(status, 422);
        assert!(body["Refused"].as_str().unwrap().contains("expired or was already used"), "{body}");
        let page = ok(&visitor, &s, "apply_page", json!({})).await;
        assert_eq!(page["mine"].as_array().unwrap().len(), 1);
        // The applicant's own view carries none of the private answers.
        assert!(!page.to_string().contains("Private-Answer-XYZ"));

        // A second application to the same cohort points to the first.
        let (status, body) = call(&visitor, &s, "submit_application", form(cohort, "mentor", "", "")).await;
        assert_eq!(status, 422);
        assert!(body["Refused"].as_str().unwrap().contains("already applied"), "{body}");

        // Another applicant's application can be neither read nor withdrawn.
        let other_id: i64 = sqlx::query_scalar(
            "SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id WHERE u.email = 'jun.park@example.org'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(call(&visitor, &s, "get_application", json!({ "id": other_id })).await.0, 403);
        assert_eq!(call(&visitor, &s, "withdraw_application", json!({ "id": other_id })).await.0, 403);

        // Withdrawing one's own works once.
        let id = app["id"].clone();
        ok(&visitor, &s, "withdraw_application", json!({ "id": id })).await;
        let (status, _) = call(&visitor, &s, "withdraw_application", json!({ "id": id })).await;
        assert_eq!(status, 422);

        // Outside any window the form is refused with a plain sentence.
        sqlx::query("UPDATE cohorts SET applications_close = '2000-01-01' WHERE id = $1")
            .bind(cohort)
            .execute(&s.state.db)
            .await
            .unwrap();
        let late = s.browser();
        let (status, body) = call(&late, &s, "submit_application", form(cohort, "mentee", "Late Larry", "larry@example.org")).await;
        assert_eq!(status, 422);
        assert!(body["Refused"].as_str().unwrap().contains("not taking applications"));
        let page = ok(&late, &s, "apply_page", json!({})).await;
        assert!(page["open"].is_null());
        s
    })
    .await;
}

#[tokio::test]
async fn the_waitlist_of_interest_hears_when_a_window_opens() {
    each_engine(|s| async move {
        let visitor = s.browser();
        let (status, body) = call(
            &visitor,
            &s,
            "join_waitlist",
            json!({ "email": "not-an-email" }),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "email");
        ok(
            &visitor,
            &s,
            "join_waitlist",
            json!({ "email": "Hopeful@Example.org" }),
        )
        .await;
        ok(
            &visitor,
            &s,
            "join_waitlist",
            json!({ "email": "hopeful@example.org" }),
        )
        .await;
        // Listed once the newest link mailed to the address is opened.
        let token = link_token(&s, "hopeful@example.org", WAITLIST_CONFIRM).await;
        ok(&visitor, &s, "confirm_waitlist", json!({ "token": token })).await;

        let coordinator = signed_in(&s, "coordinator@example.org").await;
        let mut cohort = json!({ "form": { "name": "2028 Intake", "applications_open": "2027-12-01",
            "applications_close": "2027-11-01", "program_start": "2028-02-01",
            "program_end": "2028-12-01", "mentee_capacity": "20", "goal_sheet_due_days": "" } });
        let (status, body) = call(&coordinator, &s, "create_cohort", cohort.clone()).await;
        assert_eq!(status, 422);
        assert_eq!(body["Validation"]["field"], "applications_close");
        cohort["form"]["applications_close"] = json!("2027-12-31");
        let id = ok(&coordinator, &s, "create_cohort", cohort).await;
        let (status, _) = call(
            &coordinator,
            &s,
            "set_cohort_state",
            json!({ "cohort_id": id, "to": "active" }),
        )
        .await;
        assert_eq!(status, 422, "draft cannot jump to active");
        ok(
            &coordinator,
            &s,
            "set_cohort_state",
            json!({ "cohort_id": id, "to": "open" }),
        )
        .await;
        assert_eq!(
            outbox_to(&s, "hopeful@example.org").await,
            vec![WAITLIST_CONFIRM, WAITLIST_CONFIRM, "Applications are open"]
        );
        let cohorts = ok(&coordinator, &s, "list_cohorts", json!({})).await;
        let c = cohorts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        assert_eq!(c["state"], "open");
        assert_eq!(c["goal_sheet_due_days"], 30);
        // The next window is announced on Apply.
        let page = ok(&visitor, &s, "apply_page", json!({})).await;
        assert_eq!(page["next"]["name"], "2028 Intake");
        s
    })
    .await;
}

#[tokio::test]
async fn review_match_and_end_a_match() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let mentee = s.browser();
        apply_and_confirm(
            &s,
            &mentee,
            form(cohort, "mentee", "Nia Cole", "nia@example.org"),
        )
        .await;
        let mentor = s.browser();
        apply_and_confirm(
            &s,
            &mentor,
            form(cohort, "mentor", "Olu Ade", "olu@example.org"),
        )
        .await;

        let coordinator = signed_in(&s, "coordinator@example.org").await;
        let list = ok(
            &coordinator,
            &s,
            "list_applications",
            json!({ "filter": {
            "cohort_id": cohort, "role": "", "state": "submitted", "search": "" } }),
        )
        .await;
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"Nia Cole") && names.contains(&"Olu Ade"),
            "{names:?}"
        );
        let found = ok(
            &coordinator,
            &s,
            "list_applications",
            json!({ "filter": {
            "cohort_id": null, "role": "mentee", "state": "", "search": "nia" } }),
        )
        .await;
        assert_eq!(found.as_array().unwrap().len(), 1);
        let nia = found[0]["id"].as_i64().unwrap();
        let detail = ok(&coordinator, &s, "get_application", json!({ "id": nia })).await;
        assert_eq!(
            detail["gender"], "Private-Answer-XYZ",
            "coordinators see private answers"
        );
        let olu = list
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "Olu Ade")
            .unwrap()["id"]
            .as_i64()
            .unwrap();

        // Accept both at once; each gets an email. Accepting again is refused, all or nothing.
        let n = ok(
            &coordinator,
            &s,
            "decide_applications",
            json!({ "ids": [nia, olu, nia], "decision": "accepted", "note": "Welcome!" }),
        )
        .await;
        assert_eq!(n, 2);
        assert_eq!(
            outbox_to(&s, "nia@example.org").await,
            vec![
                "Confirm your email to send your Tandem application",
                "Your application was accepted"
            ]
        );
        let (status, _) = call(
            &coordinator,
            &s,
            "decide_applications",
            json!({ "ids": [nia], "decision": "accepted", "note": "" }),
        )
        .await;
        assert_eq!(status, 422);

        // The matching view has them; suggestions are ranked with reasons.
        let board = ok(
            &coordinator,
            &s,
            "matching_view",
            json!({ "cohort_id": cohort }),
        )
        .await;
        assert!(
            board["mentees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["application_id"] == nia)
        );
        assert!(
            board["mentors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["application_id"] == olu)
        );
        let suggestions = ok(
            &coordinator,
            &s,
            "suggest_mentors",
            json!({ "cohort_id": cohort, "mentee_application_id": nia }),
        )
        .await;
        let scores: Vec<i64> = suggestions
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["score"].as_i64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "best first: {scores:?}"
        );
        let top = &suggestions[0];
        assert_eq!(
            top["mentor"]["application_id"], olu,
            "same library, interests, zone and ways"
        );
        assert!(
            top["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_str().unwrap().starts_with("Shares 2 interests"))
        );
        let proposal = ok(
            &coordinator,
            &s,
            "propose_matches",
            json!({ "cohort_id": cohort }),
        )
        .await;
        assert!(!proposal["pairs"].as_array().unwrap().is_empty());
        assert!(
            !proposal.to_string().contains("Private-Answer-XYZ"),
            "private answers stay on the server"
        );

        // Confirm the pair: a match, and an introduction to each partner.
        let ids = ok(
            &coordinator,
            &s,
            "confirm_matches",
            json!({ "cohort_id": cohort,
            "pairs": [{ "mentee_application_id": nia, "mentor_application_id": olu }] }),
        )
        .await;
        let match_id = ids[0].as_i64().unwrap();
        assert!(
            outbox_to(&s, "nia@example.org")
                .await
                .contains(&"Meet your mentor, Olu Ade".to_string())
        );
        assert!(
            outbox_to(&s, "olu@example.org")
                .await
                .contains(&"Meet your mentee, Nia Cole".to_string())
        );
        // The mentor (capacity 1) is now full and the mentee taken.
        let (status, body) = call(
            &coordinator,
            &s,
            "confirm_matches",
            json!({ "cohort_id": cohort,
            "pairs": [{ "mentee_application_id": nia, "mentor_application_id": olu }] }),
        )
        .await;
        assert_eq!(status, 422, "{body}");

        // Both see their partner, with library and local time, and nothing private.
        let home = ok(&mentee, &s, "my_home", json!({})).await;
        let card = &home["Participant"]["matches"][0]["summary"]["partner"];
        assert_eq!(card["name"], "Olu Ade");
        assert_eq!(card["library_name"], "Maple Street Library");
        assert!(card["utc_offset_minutes"].as_i64().unwrap() <= -240);
        assert!(!home.to_string().contains("Private-Answer-XYZ"));
        let home = ok(&mentor, &s, "my_home", json!({})).await;
        assert_eq!(
            home["Participant"]["matches"][0]["summary"]["partner"]["name"],
            "Nia Cole"
        );

        // Someone in another match may not ask to end this one; a partner may, once.
        let other = signed_in(&s, "mentee@example.org").await;
        let (status, _) = call(
            &other,
            &s,
            "request_end_match",
            json!({ "match_id": match_id, "reason": "no" }),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = call(
            &mentee,
            &s,
            "request_end_match",
            json!({ "match_id": match_id, "reason": " " }),
        )
        .await;
        assert_eq!(
            (status, body["Validation"]["field"].clone()),
            (422, json!("reason"))
        );
        ok(
            &mentee,
            &s,
            "request_end_match",
            json!({ "match_id": match_id, "reason": "Our schedules never line up." }),
        )
        .await;
        let (status, _) = call(
            &mentor,
            &s,
            "request_end_match",
            json!({ "match_id": match_id, "reason": "Agreed." }),
        )
        .await;
        assert_eq!(status, 422, "one open request per match");
        let board = ok(
            &coordinator,
            &s,
            "matching_view",
            json!({ "cohort_id": cohort }),
        )
        .await;
        let m = board["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["match_id"] == match_id)
            .unwrap();
        assert_eq!(
            m["pending_request"]["reason"],
            "Our schedules never line up."
        );
        let request_id = m["pending_request"]["id"].clone();
        ok(
            &coordinator,
            &s,
            "decline_end_request",
            json!({ "request_id": request_id }),
        )
        .await;
        let (status, _) = call(
            &coordinator,
            &s,
            "decline_end_request",
            json!({ "request_id": request_id }),
        )
        .await;
        assert_eq!(status, 422);

        // The coordinator ends it; the mentee can be matched again; it is all in the audit log.
        ok(
            &coordinator,
            &s,
            "end_match",
            json!({ "match_id": match_id, "reason": "Schedules." }),
        )
        .await;
        let (status, _) = call(
            &coordinator,
            &s,
            "end_match",
            json!({ "match_id": match_id, "reason": "Again." }),
        )
        .await;
        assert_eq!(status, 422);
        let board = ok(
            &coordinator,
            &s,
            "matching_view",
            json!({ "cohort_id": cohort }),
        )
        .await;
        assert!(
            board["mentees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["application_id"] == nia)
        );
        assert!(
            board["mentors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["application_id"] == olu)
        );
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
            .fetch_all(&s.state.db)
            .await
            .unwrap();
        for a in [
            "application.accepted",
            "match.create",
            "match.request_end",
            "match.keep",
            "match.end_early",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        let home = ok(&mentee, &s, "my_home", json!({})).await;
        assert!(
            home["Participant"]["matches"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        s
    })
    .await;
}

#[tokio::test]
async fn closing_a_cohort_completes_its_matches() {
    each_engine(|s| async move {
        let coordinator = signed_in(&s, "coordinator@example.org").await;
        let cohorts = ok(&coordinator, &s, "list_cohorts", json!({})).await;
        let year = cohorts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["state"] == "active")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        ok(
            &coordinator,
            &s,
            "set_cohort_state",
            json!({ "cohort_id": year, "to": "closed" }),
        )
        .await;
        let states: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT state FROM matches WHERE cohort_id = $1")
                .bind(year)
                .fetch_all(&s.state.db)
                .await
                .unwrap();
        assert_eq!(states, ["completed"]);
        let (status, body) = call(
            &coordinator,
            &s,
            "set_cohort_state",
            json!({ "cohort_id": year, "to": "open" }),
        )
        .await;
        assert_eq!(status, 422, "a closed cohort stays closed: {body}");
        // A completed match is no longer active on the partners' home, but listed as past, and
        // its page can still be read.
        let mentee = signed_in(&s, "mentee@example.org").await;
        let home = ok(&mentee, &s, "my_home", json!({})).await;
        assert!(
            home["Participant"]["matches"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let past = &home["Participant"]["past"][0];
        assert_eq!(past["partner_name"], "Maria Alvarez");
        assert_eq!(past["state"], "completed");
        let page = mentee
            .get(s.url(&format!("/match/{}", past["match_id"])))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("This match is completed."), "{page}");
        let logged: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('cohort.state', 'match.complete')",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(logged, 2);
        s
    })
    .await;
}

/// A coordinator disables a participant's account from their application: the owner is signed
/// out at once and cannot sign in until it is enabled again, both on the audit log. Only
/// coordinators may, and only for participants.
#[tokio::test]
async fn a_coordinator_disables_and_enables_an_account_from_its_application() {
    each_engine(|s| async move {
        let (app_id, user_id): (i64, i64) = sqlx::query_as(
            "SELECT a.id, a.user_id FROM applications a JOIN users u ON u.id = a.user_id
             WHERE u.email = 'mentee@example.org'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        let mentee = signed_in(&s, "mentee@example.org").await;
        let coordinator = signed_in(&s, "coordinator@example.org").await;
        let set = |disabled: bool| json!({ "user_id": user_id, "disabled": disabled });

        // Refused to visitors and participants, and for a coordinator's own kind of account.
        assert_eq!(call(&s.browser(), &s, "set_account_disabled", set(true)).await.0, 401);
        assert_eq!(call(&mentee, &s, "set_account_disabled", set(true)).await.0, 403);
        let coordinator_id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'coordinator@example.org'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        let (status, _) = call(
            &coordinator,
            &s,
            "set_account_disabled",
            json!({ "user_id": coordinator_id, "disabled": true }),
        )
        .await;
        assert_eq!(status, 422);

        // The application's page offers it, rendered on the server.
        let page = coordinator
            .get(s.url(&format!("/coordinator/applications/{app_id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Disable this account"), "{page}");

        ok(&coordinator, &s, "set_account_disabled", set(true)).await;
        assert_eq!(call(&mentee, &s, "my_home", json!({})).await.0, 401, "signed out at once");
        let again = s.browser();
        let (status, body) = call(
            &again,
            &s,
            "sign_in",
            json!({ "email": "mentee@example.org", "password": "demo-password-1" }),
        )
        .await;
        assert_ne!(status, 200, "{body}");
        let detail = ok(&coordinator, &s, "get_application", json!({ "id": app_id })).await;
        assert_eq!(detail["account_disabled"], true);

        ok(&coordinator, &s, "set_account_disabled", set(false)).await;
        signed_in(&s, "mentee@example.org").await;
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE subject = $1 AND action LIKE 'account.%able' ORDER BY id",
        )
        .bind(format!("user:{user_id}"))
        .fetch_all(&s.state.db)
        .await
        .unwrap();
        assert_eq!(actions, ["account.disable", "account.enable"]);
        s
    })
    .await;
}

/// Applying never says whether an address has an account: the answer is the same, the owner of
/// an existing account is mailed how to sign in, and an application to a cohort that is not
/// taking any makes nothing at all (no account that could sign in, read or RSVP).
#[tokio::test]
async fn apply_makes_nothing_before_the_email_is_confirmed_and_tells_no_one_who_has_an_account() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let visitor = s.browser();
        let existing = ok(
            &visitor,
            &s,
            "submit_application",
            form(cohort, "mentee", "Sam", "mentee@example.org"),
        )
        .await;
        let fresh = ok(
            &visitor,
            &s,
            "submit_application",
            form(cohort, "mentee", "Ada Byrne", "ada@example.org"),
        )
        .await;
        assert_eq!(
            existing, fresh,
            "the same answer for an address with an account and one without"
        );
        assert_eq!(existing, json!("CheckEmail"));
        let to_owner = outbox_to(&s, "mentee@example.org").await;
        assert!(
            to_owner
                .iter()
                .any(|m| m == "You already have a Tandem account"),
            "{to_owner:?}"
        );
        assert_eq!(
            outbox_to(&s, "ada@example.org").await,
            ["Confirm your email to send your Tandem application"]
        );
        assert_eq!(
            ok(&visitor, &s, "current_user", json!({})).await,
            Value::Null
        );

        // A cohort that does not exist, or is not taking applications: refused, nothing made.
        for bad_cohort in [cohort + 1000, 0] {
            let (status, body) = call(
                &visitor,
                &s,
                "submit_application",
                form(bad_cohort, "mentee", "Eve", "eve@example.org"),
            )
            .await;
            assert_eq!(status, 422, "{body}");
            assert!(
                body["Refused"]
                    .as_str()
                    .unwrap()
                    .contains("not taking applications"),
                "{body}"
            );
        }
        let made: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users WHERE email = 'eve@example.org') \
                  + (SELECT COUNT(*) FROM outbox WHERE to_addr = 'eve@example.org') \
                  + (SELECT COUNT(*) FROM pending_applications WHERE email = 'eve@example.org')",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(made, 0);
        let (status, _) = call(
            &visitor,
            &s,
            "sign_in",
            json!({ "email": "eve@example.org", "password": "a-long-password" }),
        )
        .await;
        assert_eq!(status, 422, "no account signs in");

        // The form cannot flood an inbox: three emails an address in two days, then silence.
        for _ in 0..3 {
            ok(
                &visitor,
                &s,
                "submit_application",
                form(cohort, "mentee", "Ada Byrne", "ada@example.org"),
            )
            .await;
        }
        assert_eq!(outbox_to(&s, "ada@example.org").await.len(), 3);

        // A link held until after the window closed sends nothing and makes no account.
        let token = confirmation_token(&s, "ada@example.org").await;
        sqlx::query("UPDATE cohorts SET applications_close = '2000-01-01' WHERE id = $1")
            .bind(cohort)
            .execute(&s.state.db)
            .await
            .unwrap();
        let (status, body) = call(
            &visitor,
            &s,
            "confirm_application",
            json!({ "token": token }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'ada@example.org'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        assert_eq!(n, 0);
        s
    })
    .await;
}

/// The emailed link's page works without JavaScript: opening it changes nothing, its button is a
/// plain post that sends the application, and a spent link is refused on the page.
#[tokio::test]
async fn an_application_is_confirmed_without_javascript() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let answer = ok(
            &s.browser(),
            &s,
            "submit_application",
            form(cohort, "mentee", "Ina Plain", "ina@example.org"),
        )
        .await;
        assert_eq!(answer, json!("CheckEmail"));
        let token = confirmation_token(&s, "ina@example.org").await;
        let page = format!("/apply/confirm?token={token}");
        let plain = plain_browser(&s);
        let html = plain
            .get(s.url(&page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Confirm and send my application"), "{html}");
        let none: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'ina@example.org'")
                .fetch_one(&s.state.db)
                .await
                .unwrap();
        assert_eq!(none, 0, "opening the link changes nothing");
        let fields = [
            ("__form", "/api/confirm_application"),
            ("token", token.as_str()),
        ];
        let r = plain.post(s.url(&page)).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let landing = r.headers()["location"].to_str().unwrap().to_string();
        let html = plain
            .get(s.url(&landing))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("your email is confirmed and your application is in"),
            "{html}"
        );
        // Signed in: Apply lists the application.
        let html = plain
            .get(s.url("/apply"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Submitted, waiting for review"), "{html}");
        let r = s
            .browser()
            .post(s.url(&page))
            .header("accept", "text/html")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("expired or was already used")
        );
        s
    })
    .await;
}

/// The waitlist is double opt-in: only addresses whose owner opened the mailed link hear that
/// applications are open, and they hear it as bulk mail they can leave in one click. Sign-ups
/// from one client are limited.
#[tokio::test]
async fn the_waitlist_lists_only_confirmed_addresses_and_its_news_can_be_left() {
    each_engine(|s| async move {
        let visitor = s.browser_from("127.0.0.9");
        for email in ["yes@example.org", "stranger@example.org"] {
            ok(&visitor, &s, "join_waitlist", json!({ "email": email })).await;
        }
        let token = link_token(&s, "yes@example.org", WAITLIST_CONFIRM).await;
        ok(&visitor, &s, "confirm_waitlist", json!({ "token": token })).await;
        let (status, _) = call(&visitor, &s, "confirm_waitlist", json!({ "token": token })).await;
        assert_eq!(status, 422, "a link lists once");
        // The link's page works without JavaScript too: its button is a plain post.
        ok(&visitor, &s, "join_waitlist", json!({ "email": "plain@example.org" })).await;
        let token = link_token(&s, "plain@example.org", WAITLIST_CONFIRM).await;
        let page = format!("/waitlist/confirm?token={token}");
        let plain = plain_browser(&s);
        let html = plain.get(s.url(&page)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Put me on the list"), "{html}");
        let r = plain
            .post(s.url(&page))
            .form(&[("__form", "/api/confirm_waitlist"), ("token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);

        let coordinator = signed_in(&s, "coordinator@example.org").await;
        let id = ok(&coordinator, &s, "create_cohort", json!({ "form": { "name": "2029 Intake",
            "applications_open": "2028-12-01", "applications_close": "2028-12-31",
            "program_start": "2029-02-01", "program_end": "2029-12-01", "mentee_capacity": "20",
            "goal_sheet_due_days": "" } })).await;
        ok(&coordinator, &s, "set_cohort_state", json!({ "cohort_id": id, "to": "open" })).await;
        assert_eq!(outbox_to(&s, "stranger@example.org").await, [WAITLIST_CONFIRM], "never confirmed, never told");
        let (bulk, unsubscribe): (i64, String) = sqlx::query_as(
            "SELECT bulk, unsubscribe_url FROM outbox WHERE to_addr = 'yes@example.org' AND subject = 'Applications are open'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(bulk, 1, "paced like other program mail");
        assert!(outbox_to(&s, "plain@example.org").await.contains(&"Applications are open".to_string()));
        assert!(unsubscribe.starts_with(&format!("{}/unsubscribe/waitlist/", s.base)), "{unsubscribe}");

        // The mail reader's one click: off the list, and the page says so.
        let r = reqwest::Client::new()
            .post(&unsubscribe)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let token = unsubscribe.rsplit('/').next().unwrap();
        let info = ok(&s.browser(), &s, "unsubscribe_info", json!({ "kind": "waitlist", "token": token })).await;
        assert_eq!(info["already_off"], true);
        assert_eq!(info["email"], "y***@example.org");

        // One client may add a few addresses in a quarter of an hour, not a mailing list's worth.
        let limit = app::backend::program::waitlist::JOINS_PER_CLIENT;
        for i in 3..limit {
            ok(&visitor, &s, "join_waitlist", json!({ "email": format!("more{i}@example.org") })).await;
        }
        let (status, body) = call(&visitor, &s, "join_waitlist", json!({ "email": "one-too-many@example.org" })).await;
        assert_eq!(status, 429, "{body}");
        assert!(outbox_to(&s, "one-too-many@example.org").await.is_empty());
        s
    })
    .await;
}

/// Confirming in a browser signed in as someone else ends that session, as signing in does: from
/// then on the browser is the applicant's alone.
#[tokio::test]
async fn confirming_in_a_signed_in_browser_ends_the_earlier_session() {
    each_engine(|s| async move {
        let cohort = open_cohort_id(&s).await;
        let sessions_of = |email: &'static str| {
            let db = s.state.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM sessions se JOIN users u ON u.id = se.user_id WHERE u.email = $1",
                )
                .bind(email)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let shared = signed_in(&s, "mentee@example.org").await;
        let before = sessions_of("mentee@example.org").await;
        ok(&s.browser(), &s, "submit_application", form(cohort, "mentee", "Kai Lee", "kai@example.org")).await;
        let token = confirmation_token(&s, "kai@example.org").await;
        ok(&shared, &s, "confirm_application", json!({ "token": token })).await;
        assert_eq!(ok(&shared, &s, "current_user", json!({})).await["name"], "Kai Lee");
        assert_eq!(sessions_of("mentee@example.org").await, before - 1);
        s
    })
    .await;
}
