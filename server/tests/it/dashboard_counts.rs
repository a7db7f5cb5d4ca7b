//! The dashboard's kept counts (migration 0006's triggers) against a recount from the tables, on
//! SQLite and PostgreSQL: after the demo data, after a generated cohort, and after every kind of
//! change (application states, a match ended through the real server function, goal sheets made
//! and moved, goals added, moved and deleted, messages, contacts added, moved and deleted). And
//! the dashboard's flag count in SQL against the matches table's flags in Rust.

use crate::common::{each_engine, ok, signed_in};
use app::backend::infra::db::{Db, now_ms};
use app::backend::infra::tz;
use app::backend::seed::rows;
use serde_json::json;
use std::collections::BTreeMap;

type Part = (i64, String, String);
/// A match, its cohort, its mentee's application's library type and region, and its own copy.
type MatchPart = (i64, i64, Option<String>, Option<String>, String, String);

/// Each match's part of the program, from its mentee's application (what the trigger copies).
async fn parts(db: &Db) -> BTreeMap<i64, Part> {
    let rows: Vec<MatchPart> = sqlx::query_as(
        "SELECT m.id, m.cohort_id, a.library_type, a.region, m.library_type, m.region
         FROM matches m
         LEFT JOIN applications a ON a.cohort_id = m.cohort_id AND a.user_id = m.mentee_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, cohort, lib, region, kept_lib, kept_region)| {
            let part = (cohort, lib.unwrap_or_default(), region.unwrap_or_default());
            assert_eq!(
                (kept_lib, kept_region),
                (part.1.clone(), part.2.clone()),
                "match {id}'s copy of its mentee's library type and region"
            );
            (id, part)
        })
        .collect()
}

fn bump<K: Ord>(map: &mut BTreeMap<K, i64>, key: K, by: i64) {
    *map.entry(key).or_default() += by;
}

/// Recounts everything from the tables, in Rust, and compares with the kept counts.
async fn assert_counts_are_true(db: &Db, when: &str) {
    let parts = parts(db).await;
    let part = |m: i64| parts.get(&m).cloned().expect("the match exists");

    let mut expected: BTreeMap<(Part, String, String), i64> = BTreeMap::new();
    let apps: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT cohort_id, library_type, region, state FROM applications")
            .fetch_all(db)
            .await
            .unwrap();
    for (c, l, r, state) in apps {
        bump(&mut expected, ((c, l, r), "application".into(), state), 1);
    }
    let matches: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.state, s.state FROM matches m LEFT JOIN goal_sheets s ON s.match_id = m.id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (id, state, sheet) in matches {
        if state == "active" {
            let sheet = sheet.unwrap_or_else(|| "draft".into());
            bump(&mut expected, (part(id), "sheet".into(), sheet), 1);
        }
        bump(&mut expected, (part(id), "match".into(), state), 1);
    }
    // A goal bar counts matches with at least one goal at that progress.
    let goals: Vec<(i64, String)> = sqlx::query_as("SELECT DISTINCT match_id, progress FROM goals")
        .fetch_all(db)
        .await
        .unwrap();
    for (m, progress) in goals {
        bump(&mut expected, (part(m), "goal".into(), progress), 1);
    }
    let kept: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT cohort_id, library_type, region, metric, bucket, n FROM dashboard_counts
         WHERE n <> 0",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let kept: BTreeMap<(Part, String, String), i64> = kept
        .into_iter()
        .map(|(c, l, r, metric, bucket, n)| (((c, l, r), metric, bucket), n))
        .collect();
    assert_eq!(kept, expected, "counts by state, {when}");

    // Weeks since Monday 1969-12-29.
    let week_of_day = |day: i64| (day + 3).div_euclid(7);
    let mut weeks: BTreeMap<(Part, i64), (i64, i64)> = BTreeMap::new();
    let messages: Vec<(i64, i64)> = sqlx::query_as("SELECT match_id, created_at FROM messages")
        .fetch_all(db)
        .await
        .unwrap();
    for (m, at) in messages {
        weeks
            .entry((part(m), week_of_day(at.div_euclid(86_400_000))))
            .or_default()
            .0 += 1;
    }
    let contacts: Vec<(i64, String)> = sqlx::query_as("SELECT match_id, on_date FROM contacts")
        .fetch_all(db)
        .await
        .unwrap();
    let mut per_match: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (m, on) in contacts {
        let day = tz::days_between("1970-01-01", &on);
        weeks.entry((part(m), week_of_day(day))).or_default().1 += 1;
        let e = per_match.entry(m).or_insert((0, i64::MIN));
        e.0 += 1;
        e.1 = e.1.max(day);
    }
    let kept: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT cohort_id, library_type, region, week, messages, contacts FROM activity_weeks
         WHERE messages <> 0 OR contacts <> 0",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let kept: BTreeMap<(Part, i64), (i64, i64)> = kept
        .into_iter()
        .map(|(c, l, r, w, msgs, cts)| (((c, l, r), w), (msgs, cts)))
        .collect();
    assert_eq!(kept, weeks, "activity by week, {when}");

    let kept: Vec<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, contacts, last_contact_day FROM matches")
            .fetch_all(db)
            .await
            .unwrap();
    for (id, n, last) in kept {
        let (want_n, want_last) = per_match
            .get(&id)
            .map(|(n, d)| (*n, Some(*d)))
            .unwrap_or((0, None));
        assert_eq!(
            (n, last),
            (want_n, want_last),
            "match {id}'s contacts, {when}"
        );
    }
}

async fn exec(db: &Db, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(db).await.unwrap();
}

#[tokio::test]
async fn kept_counts_equal_a_recount_after_every_kind_of_change() {
    each_engine(|s| async move {
        let db = &s.state.db;
        assert_counts_are_true(db, "after the demo data").await;
        let (cohort, _) = test_support::generated::seed_pairs(db, 40).await.unwrap();
        assert_counts_are_true(db, "after a generated cohort").await;

        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM matches WHERE cohort_id = $1 AND state = 'active' ORDER BY id")
                .bind(cohort)
                .fetch_all(db)
                .await
                .unwrap();
        // Applications change state, and a mentor's part of the program (a match keeps the copy
        // of its mentee's made when it was matched).
        exec(
            db,
            "UPDATE applications SET state = 'withdrawn' WHERE id = (SELECT MAX(id) FROM applications WHERE cohort_id = $1)",
            &[cohort],
        )
        .await;
        exec(
            db,
            "UPDATE applications SET region = 'Far North' WHERE id = (SELECT MIN(id) FROM applications WHERE cohort_id = $1)",
            &[cohort],
        )
        .await;
        // A match ends through the coordinators' real server function.
        let c = signed_in(&s, "coordinator@example.org").await;
        ok(
            &c,
            &s,
            "end_match",
            json!({ "match_id": ids[1], "reason": "Moved away from the program's region." }),
        )
        .await;
        // Goal sheets: one made where there was none, one moved on.
        let without: i64 = sqlx::query_scalar(
            "SELECT MIN(m.id) FROM matches m LEFT JOIN goal_sheets s ON s.match_id = m.id
             WHERE m.cohort_id = $1 AND m.state = 'active' AND s.match_id IS NULL",
        )
        .bind(cohort)
        .fetch_one(db)
        .await
        .unwrap();
        exec(
            db,
            "INSERT INTO goal_sheets (match_id, state, version, updated_at) VALUES ($1, 'submitted', 1, 0)",
            &[without],
        )
        .await;
        exec(
            db,
            "UPDATE goal_sheets SET state = 'confirmed' WHERE match_id = $1",
            &[without],
        )
        .await;
        // Goals: progress moved, one deleted, one added.
        exec(
            db,
            "UPDATE goals SET progress = 'achieved' WHERE match_id = $1",
            &[ids[2]],
        )
        .await;
        exec(
            db,
            "DELETE FROM goals WHERE id = (SELECT MIN(id) FROM goals WHERE match_id = $1)",
            &[ids[3]],
        )
        .await;
        exec(
            db,
            "INSERT INTO goals (match_id, position, title, target_date, progress)
             VALUES ($1, 9, 'One more', '2027-01-01', 'in_progress')",
            &[ids[3]],
        )
        .await;
        // Several goals of one match in one statement (row triggers that see the whole
        // statement's rows must still count the match once), a move to the same progress, and
        // all of a match's goals deleted at once.
        exec(
            db,
            "INSERT INTO goals (match_id, position, title, target_date, progress)
             VALUES ($1, 10, 'A', '2027-01-01', 'set_aside'), ($1, 11, 'B', '2027-01-01', 'set_aside'),
                    ($1, 12, 'C', '2027-01-01', 'set_aside')",
            &[ids[5]],
        )
        .await;
        exec(
            db,
            "UPDATE goals SET progress = progress WHERE match_id = $1",
            &[ids[5]],
        )
        .await;
        exec(db, "DELETE FROM goals WHERE match_id = $1", &[ids[2]]).await;
        // Messages and contacts: added, moved to another week, deleted.
        let mentor: i64 = sqlx::query_scalar("SELECT mentor_id FROM matches WHERE id = $1")
            .bind(ids[4])
            .fetch_one(db)
            .await
            .unwrap();
        exec(
            db,
            "INSERT INTO messages (match_id, seq, sender_id, client_id, body, created_at)
             VALUES ($1, 1000, $2, 'extra', 'One more', $3)",
            &[ids[4], mentor, now_ms()],
        )
        .await;
        sqlx::query(
            "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, created_at)
             VALUES ($1, $2, 'video', $3, 20, 0)",
        )
        .bind(ids[4])
        .bind(mentor)
        .bind(tz::today_utc(now_ms()))
        .execute(db)
        .await
        .unwrap();
        exec(
            db,
            "UPDATE contacts SET on_date = '2026-01-05' WHERE id = (SELECT MIN(id) FROM contacts WHERE match_id = $1)",
            &[ids[5]],
        )
        .await;
        exec(
            db,
            "DELETE FROM contacts WHERE match_id = $1",
            &[ids[6]],
        )
        .await;
        // Partners' activity moves the inactive flag: one never signed in, one did just now.
        exec(
            db,
            "UPDATE users SET last_active_at = 0 WHERE id = (SELECT mentee_id FROM matches WHERE id = $1)",
            &[ids[7]],
        )
        .await;
        exec(
            db,
            "UPDATE users SET last_active_at = $1 WHERE id IN (SELECT mentor_id FROM matches WHERE cohort_id = $2)",
            &[now_ms(), cohort],
        )
        .await;
        assert_counts_are_true(db, "after changes of every kind").await;

        // The dashboard's flag count (SQL) and the matches table's flags (Rust) agree, for the
        // whole varied cohort and for each library type.
        let dash = |lib: &str| json!({ "filter": { "cohort_id": cohort, "library_type": lib, "region": "" } });
        let table = |lib: &str, flag: &str| {
            json!({ "query": { "cohort_id": cohort, "library_type": lib, "region": "", "state": "active",
                               "flag": flag, "search": "", "sort": "", "page": 1 } })
        };
        let mut flagged_somewhere = 0;
        for lib in ["", "public", "school", "academic"] {
            let d = ok(&c, &s, "load_dashboard", dash(lib)).await;
            let any = ok(&c, &s, "match_table", table(lib, "any")).await;
            let overdue = ok(&c, &s, "match_table", table(lib, "sheet_overdue")).await;
            assert_eq!(d["needing_attention"], any["total"], "flagged, library type {lib:?}");
            assert_eq!(d["sheets_overdue"], overdue["total"], "overdue, library type {lib:?}");
            flagged_somewhere += any["total"].as_i64().unwrap();
        }
        // The generated cohort raises each flag somewhere, so the comparison above means something.
        for flag in ["no_contact", "low_pace", "sheet_overdue", "inactive"] {
            let t = ok(&c, &s, "match_table", table("", flag)).await;
            assert!(t["total"].as_i64().unwrap() > 0, "no match has {flag}");
        }
        assert!(flagged_somewhere > 0);
        s
    })
    .await;
}

const DAY: i64 = 86_400_000;

/// A participant last active `idle_days` ago (None: never).
async fn person(db: &Db, tag: &str, idle_days: Option<i64>) -> i64 {
    let email = format!("{tag}@onsets.example");
    rows::insert_one(
        db,
        rows::Person {
            last_active_at: idle_days.map_or(0, |d| now_ms() - d * DAY),
            ..rows::Person::participant(email.clone(), email)
        },
    )
    .await
    .unwrap()
}

struct Case {
    name: &'static str,
    days_matched: i64,
    contacts_days_ago: &'static [i64],
    sheet: &'static str,
    mentee_idle: Option<i64>,
    flagged: bool,
    overdue: bool,
}

/// Each flag alone, on both sides of where it comes on, so the dashboard's count in SQL (from the
/// kept onsets) and the table's flags in Rust must agree on every rule, not just on matches that
/// break several at once.
#[tokio::test]
async fn each_flag_alone_comes_on_the_same_day_in_sql_and_in_rust() {
    const SIX: &[i64] = &[85, 70, 55, 40, 20, 5];
    let cases = &[
        Case {
            name: "healthy: six contacts in 90 days",
            days_matched: 90,
            contacts_days_ago: SIX,
            sheet: "acknowledged",
            mentee_idle: Some(1),
            flagged: false,
            overdue: false,
        },
        Case {
            name: "last contact 30 days ago",
            days_matched: 90,
            contacts_days_ago: &[85, 75, 65, 55, 45, 30],
            sheet: "acknowledged",
            mentee_idle: Some(1),
            flagged: false,
            overdue: false,
        },
        Case {
            name: "last contact 31 days ago",
            days_matched: 90,
            contacts_days_ago: &[85, 75, 65, 55, 45, 31],
            sheet: "acknowledged",
            mentee_idle: Some(1),
            flagged: true,
            overdue: false,
        },
        Case {
            name: "five contacts in 90 days",
            days_matched: 90,
            contacts_days_ago: &[80, 60, 40, 20, 5],
            sheet: "acknowledged",
            mentee_idle: Some(1),
            flagged: true,
            overdue: false,
        },
        Case {
            name: "sheet a draft on its due day",
            days_matched: 30,
            contacts_days_ago: &[20, 5],
            sheet: "draft",
            mentee_idle: Some(1),
            flagged: false,
            overdue: false,
        },
        Case {
            name: "sheet a draft the day after",
            days_matched: 31,
            contacts_days_ago: &[20, 10, 5],
            sheet: "draft",
            mentee_idle: Some(1),
            flagged: true,
            overdue: true,
        },
        Case {
            name: "sheet only submitted, late",
            days_matched: 90,
            contacts_days_ago: SIX,
            sheet: "submitted",
            mentee_idle: Some(1),
            flagged: true,
            overdue: true,
        },
        Case {
            name: "mentee idle 21 days",
            days_matched: 90,
            contacts_days_ago: SIX,
            sheet: "confirmed",
            mentee_idle: Some(21),
            flagged: false,
            overdue: false,
        },
        Case {
            name: "mentee idle 22 days",
            days_matched: 90,
            contacts_days_ago: SIX,
            sheet: "confirmed",
            mentee_idle: Some(22),
            flagged: true,
            overdue: false,
        },
        Case {
            name: "mentee never signed in, 21 days",
            days_matched: 21,
            contacts_days_ago: &[3],
            sheet: "draft",
            mentee_idle: None,
            flagged: false,
            overdue: false,
        },
        Case {
            name: "mentee never signed in, 22 days",
            days_matched: 22,
            contacts_days_ago: &[3],
            sheet: "draft",
            mentee_idle: None,
            flagged: true,
            overdue: false,
        },
    ];
    each_engine(|s| async move {
        let db = &s.state.db;
        let now = now_ms();
        let cohort = rows::insert_one(db, rows::Cohort::running("Onsets", 20)).await.unwrap();
        let mut expected_flagged = Vec::new();
        let mut names = BTreeMap::new();
        for (i, case) in cases.iter().enumerate() {
            let mentor = person(db, &format!("mentor{i}"), Some(1)).await;
            let mentee = person(db, &format!("mentee{i}"), case.mentee_idle).await;
            let m = rows::insert_one(db, rows::Match::active(cohort, mentor, mentee, now - case.days_matched * DAY))
                .await
                .unwrap();
            for d in case.contacts_days_ago {
                sqlx::query(
                    "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, created_at)
                     VALUES ($1, $2, 'phone', $3, 30, $4)",
                )
                .bind(m)
                .bind(mentor)
                .bind(tz::today_utc(now - d * DAY))
                .bind(now)
                .execute(db)
                .await
                .unwrap();
            }
            exec(
                db,
                &format!(
                    "INSERT INTO goal_sheets (match_id, state, version, updated_at) VALUES ($1, '{}', 1, 0)",
                    case.sheet
                ),
                &[m],
            )
            .await;
            names.insert(m, case.name);
            if case.flagged {
                expected_flagged.push(m);
            }
        }
        let c = signed_in(&s, "coordinator@example.org").await;
        let table = ok(
            &c,
            &s,
            "match_table",
            json!({ "query": { "cohort_id": cohort, "library_type": "", "region": "", "state": "active",
                               "flag": "any", "search": "", "sort": "", "page": 1 } }),
        )
        .await;
        let mut flagged: Vec<i64> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["match_id"].as_i64().unwrap())
            .collect();
        flagged.sort();
        let named = |ids: &[i64]| ids.iter().map(|m| names[m]).collect::<Vec<_>>();
        assert_eq!(named(&flagged), named(&expected_flagged), "the table's flags (Rust)");
        let d = ok(
            &c,
            &s,
            "load_dashboard",
            json!({ "filter": { "cohort_id": cohort, "library_type": "", "region": "" } }),
        )
        .await;
        assert_eq!(d["needing_attention"], expected_flagged.len(), "the dashboard's count (SQL)");
        let overdue = cases.iter().filter(|c| c.overdue).count();
        assert_eq!(d["sheets_overdue"], overdue);

        // That load merged the past days' counts. Changes to matches counted on merged days still
        // count right: a contact today clears "last contact 31 days ago", and a flagged match ends.
        let id_of = |name: &str| *names.iter().find(|(_, n)| **n == name).unwrap().0;
        let cleared = id_of("last contact 31 days ago");
        let ended = id_of("five contacts in 90 days");
        let mentor: i64 = sqlx::query_scalar("SELECT mentor_id FROM matches WHERE id = $1")
            .bind(cleared)
            .fetch_one(db)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, created_at)
             VALUES ($1, $2, 'video', $3, 30, $4)",
        )
        .bind(cleared)
        .bind(mentor)
        .bind(tz::today_utc(now_ms()))
        .bind(now_ms())
        .execute(db)
        .await
        .unwrap();
        exec(db, "UPDATE matches SET state = 'ended_early' WHERE id = $1", &[ended]).await;
        let merged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM onset_days WHERE day = -1")
            .fetch_one(db)
            .await
            .unwrap();
        assert!(merged > 0, "the load merged past days");
        let d = ok(
            &c,
            &s,
            "load_dashboard",
            json!({ "filter": { "cohort_id": cohort, "library_type": "", "region": "" } }),
        )
        .await;
        assert_eq!(d["needing_attention"], expected_flagged.len() - 2);
        let table = ok(
            &c,
            &s,
            "match_table",
            json!({ "query": { "cohort_id": cohort, "library_type": "", "region": "", "state": "active",
                               "flag": "any", "search": "", "sort": "", "page": 1 } }),
        )
        .await;
        assert_eq!(table["total"], expected_flagged.len() - 2);
        s
    })
    .await;
}
