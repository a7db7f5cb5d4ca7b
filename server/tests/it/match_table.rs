//! Match health for coordinators through the real server, on SQLite and PostgreSQL: the figures
//! and flags of a small fixed cohort checked against hand-computed values, the filters and
//! orders, the CSV export (quoting, a non-ASCII name, formula neutralising), and the refusals.

use crate::common::{TestServer, call, each_engine, ok, signed_in};
use app::backend::infra::db::{Db, now_ms};
use app::backend::seed::rows;
use app::model::{ApplicationState, MatchRole};
use serde_json::{Value, json};

const DAY: i64 = 86_400_000;

async fn user(db: &Db, email: &str, name: &str, last_active_at: i64) -> i64 {
    rows::insert_one(
        db,
        rows::Person {
            last_active_at,
            ..rows::Person::participant(email.into(), name.into())
        },
    )
    .await
    .unwrap()
}

async fn mentee_application(db: &Db, cohort: i64, user: i64, library_type: &str, region: &str) {
    let application = rows::Application {
        library_type,
        years_experience: 1,
        region: region.into(),
        ..rows::Application::plain(cohort, user, MatchRole::Mentee, ApplicationState::Matched)
    };
    rows::insert_one(db, application).await.unwrap();
}

async fn a_match(db: &Db, cohort: i64, mentor: i64, mentee: i64, days_ago: i64) -> i64 {
    rows::insert_one(
        db,
        rows::Match::active(cohort, mentor, mentee, now_ms() - days_ago * DAY),
    )
    .await
    .unwrap()
}

async fn contact(db: &Db, match_id: i64, author: i64, days_ago: i64) {
    let on = app::backend::infra::tz::today_utc(now_ms() - days_ago * DAY);
    sqlx::query(
        "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, created_at)
         VALUES ($1, $2, 'phone', $3, 30, $4)",
    )
    .bind(match_id)
    .bind(author)
    .bind(on)
    .bind(now_ms())
    .execute(db)
    .await
    .unwrap();
}

async fn message(db: &Db, match_id: i64, sender: i64, seq: i64, days_ago: i64) {
    sqlx::query(
        "INSERT INTO messages (match_id, seq, sender_id, client_id, body, created_at)
         VALUES ($1, $2, $3, $4, 'hello', $5)",
    )
    .bind(match_id)
    .bind(seq)
    .bind(sender)
    .bind(format!("h-{seq}"))
    .bind(now_ms() - days_ago * DAY)
    .execute(db)
    .await
    .unwrap();
}

/// Three matches in a cohort of their own:
/// 1. healthy: 90 days, 6 contacts (last 5 days ago), 3 messages in 30 days and 2 older,
///    both active yesterday, sheet acknowledged; the mentee's name has a comma, quotes and ë.
/// 2. struggling: 90 days, 1 contact 40 days ago, sheet still a draft (due after 30 days), the
///    mentor never signed in, the mentee 25 days ago; the mentor's name looks like a formula.
/// 3. new: 10 days, nothing yet.
async fn fixture(s: &TestServer) -> (i64, [i64; 3]) {
    let db = &s.state.db;
    let now = now_ms();
    let cohort = rows::insert_one(db, rows::Cohort::running("Health fixture", 10))
        .await
        .unwrap();
    let ann = user(db, "ann@h.example", "Ann Able", now - DAY).await;
    let zoe = user(db, "zoe@h.example", "Zoë, \"Z\" Quinn", now - DAY).await;
    let eve = user(
        db,
        "eve@h.example",
        "=HYPERLINK(\"http://evil.example\")",
        0,
    )
    .await;
    let bo = user(db, "bo@h.example", "Bo Brown", now - 25 * DAY).await;
    let cy = user(db, "cy@h.example", "Cy Cole", now - DAY).await;
    let di = user(db, "di@h.example", "Di Dunn", now - DAY).await;
    mentee_application(db, cohort, zoe, "public", "Midwest").await;
    mentee_application(db, cohort, bo, "school", "West").await;
    mentee_application(db, cohort, di, "public", "West").await;
    let healthy = a_match(db, cohort, ann, zoe, 90).await;
    let struggling = a_match(db, cohort, eve, bo, 90).await;
    let new = a_match(db, cohort, cy, di, 10).await;
    for d in [80, 65, 50, 35, 20, 5] {
        contact(db, healthy, ann, d).await;
    }
    for (seq, d) in [(1, 60), (2, 45), (3, 20), (4, 10), (5, 1)] {
        message(db, healthy, if seq % 2 == 0 { ann } else { zoe }, seq, d).await;
    }
    sqlx::query(
        "INSERT INTO goal_sheets (match_id, state, version, updated_at) VALUES ($1, 'acknowledged', 3, $2)",
    )
    .bind(healthy)
    .bind(now)
    .execute(db)
    .await
    .unwrap();
    contact(db, struggling, bo, 40).await;
    (cohort, [healthy, struggling, new])
}

fn query(cohort: i64, extra: Value) -> Value {
    let mut q = json!({ "cohort_id": cohort, "library_type": "", "region": "", "flag": "",
                        "search": "", "sort": "", "page": 1 });
    for (k, v) in extra.as_object().unwrap() {
        q[k] = v.clone();
    }
    json!({ "query": q })
}

fn ids(table: &Value) -> Vec<i64> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["match_id"].as_i64().unwrap())
        .collect()
}

fn flag_keys(row: &Value) -> Vec<String> {
    row["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn figures_and_flags_match_the_hand_computed_ones() {
    each_engine(|s| async move {
        let (cohort, [healthy, struggling, new]) = fixture(&s).await;
        let c = signed_in(&s, "coordinator@example.org").await;
        let t = ok(&c, &s, "match_table", query(cohort, json!({}))).await;
        assert_eq!(t["total"], 3);
        assert_eq!(t["flagged"], 1);
        assert_eq!(t["pages"], 1);
        // Needs attention first, then by match.
        assert_eq!(ids(&t), [struggling, healthy, new]);
        let rows = t["rows"].as_array().unwrap();
        let (bad, good, young) = (&rows[0], &rows[1], &rows[2]);

        assert_eq!(good["days_matched"], 90);
        assert_eq!(good["days_since_contact"], 5);
        assert_eq!(good["contacts"], 6);
        assert_eq!(good["messages_30_days"], 3);
        assert_eq!(good["library_type"], "public");
        assert_eq!(good["region"], "Midwest");
        assert!(flag_keys(good).is_empty(), "{good}");

        assert_eq!(bad["days_since_contact"], 40);
        assert_eq!(bad["contacts"], 1);
        assert_eq!(bad["messages_30_days"], 0);
        assert_eq!(
            flag_keys(bad),
            [
                "no_contact",
                "low_pace",
                "sheet_overdue",
                "inactive",
                "inactive"
            ]
        );
        let reasons: Vec<&str> = bad["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons[0], "No contact logged in 40 days.");
        assert_eq!(
            reasons[1],
            "1 contact in 3.0 months: 0.3 a month, below the two the program asks for."
        );
        assert_eq!(
            reasons[2],
            "The goal sheet is overdue and not yet acknowledged."
        );
        assert_eq!(
            reasons[3],
            "=HYPERLINK(\"http://evil.example\") has not signed in since being matched."
        );
        assert_eq!(reasons[4], "Bo Brown has not signed in for 25 days.");

        assert_eq!(young["days_matched"], 10);
        assert_eq!(young["days_since_contact"], Value::Null);
        assert!(flag_keys(young).is_empty());

        // Filters: one flag, any flag, library type, region (any case), a name (non-ASCII).
        let only = |t: &Value| ids(t);
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "flag": "no_contact" }))
                )
                .await
            ),
            [struggling]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "flag": "any" }))
                )
                .await
            ),
            [struggling]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "library_type": "school" }))
                )
                .await
            ),
            [struggling]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "region": "midwest" }))
                )
                .await
            ),
            [healthy]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "search": "ZOË" }))
                )
                .await
            ),
            [healthy]
        );
        // Orders.
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "sort": "contact" }))
                )
                .await
            ),
            [new, struggling, healthy]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "sort": "messages" }))
                )
                .await
            ),
            [struggling, new, healthy]
        );
        assert_eq!(
            only(
                &ok(
                    &c,
                    &s,
                    "match_table",
                    query(cohort, json!({ "sort": "name" }))
                )
                .await
            ),
            [struggling, new, healthy]
        );
        // An unknown flag is refused beside the field.
        let (status, body) = call(
            &c,
            &s,
            "match_table",
            query(cohort, json!({ "flag": "nope" })),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["Validation"]["field"], "flag");

        // The page, rendered on the server.
        let html = c
            .get(s.url(&format!("/coordinator/matches?cohort={cohort}&flag=any")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("data-flagged=\"1\""),
            "flag count on the page"
        );
        assert!(html.contains("Bo Brown has not signed in for 25 days."));
        s
    })
    .await;
}

#[tokio::test]
async fn the_csv_export_quotes_neutralises_and_follows_the_filters() {
    each_engine(|s| async move {
        let (cohort, [healthy, struggling, _]) = fixture(&s).await;
        let c = signed_in(&s, "coordinator@example.org").await;
        let r = c
            .get(s.url(&format!(
                "/coordinator/export/matches.csv?cohort={cohort}&sort=name"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let body = r.text().await.unwrap();
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 4, "{body}");
        assert!(lines[0].starts_with("match_id,cohort,mentor,mentee,state,"));
        // Quotes doubled inside a quoted cell with a comma; the ë survives as UTF-8.
        let good = lines
            .iter()
            .find(|l| l.starts_with(&format!("{healthy},")))
            .unwrap();
        assert!(good.contains(",\"Zoë, \"\"Z\"\" Quinn\","), "{good}");
        // A name that starts with = is neutralised, in its own cell and inside the flag reasons.
        let bad = lines
            .iter()
            .find(|l| l.starts_with(&format!("{struggling},")))
            .unwrap();
        assert!(
            bad.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\","),
            "{bad}"
        );
        assert!(!bad.contains(",=") && !bad.contains(",\"="), "{bad}");
        // The filters apply: one flag, one row.
        let flagged = c
            .get(s.url(&format!(
                "/coordinator/export/matches.csv?cohort={cohort}&flag=sheet_overdue"
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(flagged.lines().count(), 2);
        s
    })
    .await;
}

async fn csv(c: &reqwest::Client, s: &TestServer, path: &str) -> (u16, String) {
    let r = c.get(s.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn applications_and_goals_export_as_csv_with_the_filters() {
    each_engine(|s| async move {
        let (cohort, [healthy, struggling, _]) = fixture(&s).await;
        let db = &s.state.db;
        // The mentor whose name looks like a formula applies too (school, West).
        let eve: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'eve@h.example'")
            .fetch_one(db)
            .await
            .unwrap();
        let application = rows::Application {
            library_type: "school",
            years_experience: 9,
            region: "West".into(),
            mentor_capacity: 2,
            ..rows::Application::plain(cohort, eve, MatchRole::Mentor, ApplicationState::Accepted)
        };
        rows::insert_one(db, application).await.unwrap();
        for (m, pos, title, progress) in [
            (healthy, 1, "=cmd|' /C calc'!A0", "in_progress"),
            (healthy, 2, "Storytime, \"big\" plans for Zoë", "achieved"),
            (struggling, 1, "Read more picture books", "achieved"),
        ] {
            sqlx::query(
                "INSERT INTO goals (match_id, position, title, target_date, progress)
                 VALUES ($1, $2, $3, '2027-01-01', $4)",
            )
            .bind(m)
            .bind(pos)
            .bind(title)
            .bind(progress)
            .execute(db)
            .await
            .unwrap();
        }
        let c = signed_in(&s, "coordinator@example.org").await;

        let (status, body) = csv(&c, &s, &format!("/coordinator/export/applications.csv?cohort={cohort}")).await;
        assert_eq!(status, 200);
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 5, "{body}");
        assert_eq!(
            lines[0],
            "application_id,cohort,name,email,role,state,library_type,region,submitted_on"
        );
        assert!(body.contains(",\"Zoë, \"\"Z\"\" Quinn\",zoe@h.example,mentee,"), "{body}");
        assert!(body.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",eve@h.example,mentor,accepted,school,West,"), "{body}");
        for (filter, rows) in [
            ("library_type=school", 2),
            ("role=mentor&state=accepted", 1),
            ("region=west", 3),
            ("q=zo%C3%AB", 1),
        ] {
            let (_, body) = csv(&c, &s, &format!("/coordinator/export/applications.csv?cohort={cohort}&{filter}")).await;
            assert_eq!(body.lines().count(), rows + 1, "{filter}: {body}");
        }

        let (status, body) = csv(&c, &s, &format!("/coordinator/export/goals.csv?cohort={cohort}")).await;
        assert_eq!(status, 200);
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 4, "{body}");
        assert!(lines[0].starts_with("match_id,cohort,mentor,mentee,library_type,region,goal,title,"));
        assert!(lines[1].contains(",1,'=cmd|' /C calc'!A0,"), "{}", lines[1]);
        assert!(lines[2].contains(",\"Storytime, \"\"big\"\" plans for Zoë\","), "{}", lines[2]);
        let (_, achieved) = csv(&c, &s, &format!("/coordinator/export/goals.csv?cohort={cohort}&progress=achieved")).await;
        assert_eq!(achieved.lines().count(), 3, "{achieved}");
        let (_, school) = csv(&c, &s, &format!("/coordinator/export/goals.csv?cohort={cohort}&library_type=school")).await;
        assert_eq!(school.lines().count(), 2, "{school}");
        // The dashboard's goal bars open the matches with such goals.
        let t = ok(&c, &s, "match_table", query(cohort, json!({ "goal": "achieved" }))).await;
        let mut with_achieved = ids(&t);
        with_achieved.sort();
        assert_eq!(with_achieved, [healthy, struggling]);

        let mentee = signed_in(&s, "mentee@example.org").await;
        for (client, expected) in [(&s.browser(), 401), (&mentee, 403)] {
            for what in ["applications", "goals"] {
                let (status, body) = csv(client, &s, &format!("/coordinator/export/{what}.csv?cohort={cohort}")).await;
                assert_eq!(status, expected, "{what}");
                assert!(!body.contains("Zoë") && !body.contains("h.example"), "{what}");
            }
        }
        s
    })
    .await;
}

#[tokio::test]
async fn only_coordinators_see_match_table_or_export_it() {
    each_engine(|s| async move {
        let (cohort, _) = fixture(&s).await;
        let visitor = s.browser();
        let mentee = signed_in(&s, "mentee@example.org").await;
        for (client, expected) in [(&visitor, 401), (&mentee, 403)] {
            let (status, _) = call(client, &s, "match_table", query(cohort, json!({}))).await;
            assert_eq!(status, expected);
            let r = client
                .get(s.url(&format!("/coordinator/export/matches.csv?cohort={cohort}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), expected);
            assert!(!r.text().await.unwrap().contains("Zoë"));
        }
        // Signing in records activity for the "not signed in for 21 days" flag.
        let active: i64 = sqlx::query_scalar(
            "SELECT last_active_at FROM users WHERE email = 'mentee@example.org'",
        )
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert!(now_ms() - active < 60_000);
        s
    })
    .await;
}

fn count(list: &Value, label: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {list}"))["value"]
        .as_i64()
        .unwrap()
}

fn dash(cohort: i64, extra: Value) -> Value {
    let mut f = json!({ "cohort_id": cohort, "library_type": "", "region": "" });
    for (k, v) in extra.as_object().unwrap() {
        f[k] = v.clone();
    }
    json!({ "filter": f })
}

#[tokio::test]
async fn the_dashboard_counts_match_the_hand_computed_ones_and_link_to_their_lists() {
    each_engine(|s| async move {
        let (cohort, [healthy, _, _]) = fixture(&s).await;
        for (pos, progress) in [(1, "in_progress"), (2, "in_progress"), (3, "achieved")] {
            sqlx::query(
                "INSERT INTO goals (match_id, position, title, target_date, progress)
                 VALUES ($1, $2, 'A goal', '2027-01-01', $3)",
            )
            .bind(healthy)
            .bind(pos)
            .bind(progress)
            .execute(&s.state.db)
            .await
            .unwrap();
        }
        let c = signed_in(&s, "coordinator@example.org").await;
        let d = ok(&c, &s, "load_dashboard", dash(cohort, json!({}))).await;
        assert_eq!(count(&d["funnel"], "Applied"), 3);
        assert_eq!(count(&d["funnel"], "Accepted"), 3);
        assert_eq!(count(&d["funnel"], "Matched"), 3);
        assert_eq!(count(&d["applications"], "Matched"), 3);
        assert_eq!(count(&d["applications"], "Declined"), 0);
        assert_eq!(count(&d["matches"], "Active"), 3);
        assert_eq!(count(&d["matches"], "Completed"), 0);
        assert_eq!(d["active_matches"], 3);
        assert_eq!(d["needing_attention"], 1);
        assert_eq!(count(&d["sheets"], "Draft"), 2);
        assert_eq!(count(&d["sheets"], "Acknowledged"), 1);
        assert_eq!(d["sheets_overdue"], 1);
        // Two goals in progress, in one match: a goal bar counts matches, as its list shows them.
        assert_eq!(count(&d["goals"], "In progress"), 1);
        assert_eq!(count(&d["goals"], "Achieved"), 1);
        assert_eq!(count(&d["goals"], "Not started"), 0);
        let weeks = d["weeks"].as_array().unwrap();
        assert_eq!(weeks.len(), 26);
        let sum = |k: &str| weeks.iter().map(|w| w[k].as_i64().unwrap()).sum::<i64>();
        assert_eq!((sum("contacts"), sum("messages")), (7, 5));
        // Each bar links to the list behind it, with the filters.
        let active = d["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["label"] == "Active")
            .unwrap();
        assert_eq!(
            active["href"],
            format!("/coordinator/matches?cohort={cohort}&state=active")
        );
        let matched = d["funnel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["label"] == "Matched")
            .unwrap();
        assert_eq!(
            matched["href"],
            format!("/coordinator/applications?cohort={cohort}&state=matched")
        );
        // ...and that list has as many rows as the bar says.
        let drafts = ok(
            &c,
            &s,
            "match_table",
            query(cohort, json!({ "state": "active", "sheet": "draft" })),
        )
        .await;
        assert_eq!(drafts["total"], 2);

        // Filters by library type and region (the mentee's application).
        let school = ok(
            &c,
            &s,
            "load_dashboard",
            dash(cohort, json!({ "library_type": "school" })),
        )
        .await;
        assert_eq!(count(&school["matches"], "Active"), 1);
        assert_eq!(count(&school["funnel"], "Applied"), 1);
        assert_eq!(school["sheets_overdue"], 1);
        assert_eq!(school["needing_attention"], 1);
        let west = ok(
            &c,
            &s,
            "load_dashboard",
            dash(cohort, json!({ "region": "WEST" })),
        )
        .await;
        assert_eq!(count(&west["matches"], "Active"), 2);
        assert_eq!(count(&west["goals"], "In progress"), 0);

        // The page, rendered on the server.
        let html = c
            .get(s.url(&format!("/coordinator/dashboard?cohort={cohort}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = html
            .find("data-figure=\"attention\"")
            .expect("the attention tile");
        assert!(html[at..at + 80].contains(">1<"), "{}", &html[at..at + 80]);
        // Each bar is labelled with its name and its figure in the drawing itself, and the weeks
        // have dated ticks, every fourth week from the first.
        let doc = scraper::Html::parse_document(&html);
        let sel = |css: &str| scraper::Selector::parse(css).unwrap();
        let texts = |css: &str| {
            doc.select(&sel(css))
                .map(|t| t.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        };
        let matches_chart = doc
            .select(&sel("figure[aria-labelledby='chart-matches'] svg.bars"))
            .next()
            .expect("the matches chart");
        let bar_text = |class: &str| {
            matches_chart
                .select(&sel(&format!("text.{class}")))
                .map(|t| t.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
        };
        let labels = bar_text("bar-label");
        let figures = bar_text("bar-figure");
        let active_at = labels.iter().position(|l| l == "Active").expect("Active");
        assert_eq!(figures[active_at], "3", "{labels:?} {figures:?}");
        assert_eq!(labels.len(), figures.len());
        let ticks = texts("svg.week-axis text");
        assert_eq!(ticks.len(), 7, "{ticks:?}");
        let first_week = weeks[0]["starts"].as_str().unwrap();
        let first_tick = doc
            .select(&sel("svg.week-axis text"))
            .next()
            .and_then(|t| t.value().attr("data-week"))
            .unwrap();
        assert_eq!(first_tick, first_week);
        let month = first_week[5..7].parse::<usize>().unwrap();
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        assert_eq!(
            ticks[0],
            format!(
                "{} {}",
                months[month - 1],
                first_week[8..].trim_start_matches('0')
            )
        );

        // Only coordinators.
        let mentee = signed_in(&s, "mentee@example.org").await;
        for (client, expected) in [(&s.browser(), 401), (&mentee, 403)] {
            let (status, _) = call(client, &s, "load_dashboard", dash(cohort, json!({}))).await;
            assert_eq!(status, expected);
        }
        s
    })
    .await;
}

/// How many things the list at `href` (a dashboard link) shows, read off the page the coordinator
/// lands on, so the page's own reading of its address is part of what is checked.
async fn listed(c: &reqwest::Client, s: &TestServer, href: &str) -> i64 {
    let html = c
        .get(s.url(href))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    if html.contains("No match fits these filters.")
        || html.contains("No applications match these filters.")
    {
        return 0;
    }
    let doc = scraper::Html::parse_document(&html);
    let total = scraper::Selector::parse(".status-line[data-total], .hint[data-total]").unwrap();
    let shown = doc
        .select(&total)
        .next()
        .unwrap_or_else(|| panic!("{href}: no count on the page"));
    shown.value().attr("data-total").unwrap().parse().unwrap()
}

/// Every figure on the demo data's dashboard, for the whole program and for each cohort, is the
/// number of things the list behind its link shows. (The funnel's "Accepted" counted the matched
/// applications its list left out; the goal bars counted goals where their lists show matches.)
#[tokio::test]
async fn every_dashboard_figure_agrees_with_the_list_behind_it() {
    each_engine(|s| async move {
        let c = signed_in(&s, "coordinator@example.org").await;
        let cohorts: Vec<i64> = sqlx::query_scalar("SELECT id FROM cohorts ORDER BY id")
            .fetch_all(&s.state.db)
            .await
            .unwrap();
        let mut nonzero = 0;
        let mut listed_attention = 0;
        for cohort in std::iter::once(None).chain(cohorts.into_iter().map(Some)) {
            let filter = json!({ "cohort_id": cohort, "library_type": "", "region": "" });
            let d = ok(&c, &s, "load_dashboard", json!({ "filter": filter })).await;
            let mut figures: Vec<(String, i64, String)> = Vec::new();
            for part in ["funnel", "applications", "matches", "sheets", "goals"] {
                for count in d[part].as_array().unwrap() {
                    figures.push((
                        format!("{part}: {}", count["label"].as_str().unwrap()),
                        count["value"].as_i64().unwrap(),
                        count["href"].as_str().unwrap().to_string(),
                    ));
                }
            }
            for (tile, figure, href) in [
                ("need attention", "needing_attention", "attention_href"),
                ("sheets overdue", "sheets_overdue", "overdue_href"),
            ] {
                figures.push((
                    tile.to_string(),
                    d[figure].as_i64().unwrap(),
                    d[href].as_str().unwrap().to_string(),
                ));
            }
            for (what, figure, href) in figures {
                assert!(!href.is_empty(), "{what} links to its list");
                let shown = listed(&c, &s, &href).await;
                assert_eq!(shown, figure, "cohort {cohort:?}, {what}: {href}");
                // The list's export, with the same filters, holds the same rows.
                if let Some(q) = href.strip_prefix("/coordinator/applications") {
                    let path = format!("/coordinator/export/applications.csv{q}");
                    let (_, body) = csv(&c, &s, &path).await;
                    assert_eq!(body.lines().count() as i64 - 1, figure, "{path}");
                }
                nonzero += usize::from(figure > 0);
            }
            // The list of matches needing attention: the first few of the flagged ones, each
            // with the reasons the matches table gives it.
            let flagged = d["needing_attention"].as_i64().unwrap();
            let attention = d["attention"].as_array().unwrap();
            assert_eq!(attention.len() as i64, flagged.min(5), "cohort {cohort:?}");
            listed_attention += attention.len();
            let query = json!({ "query": { "cohort_id": cohort, "library_type": "", "region": "",
                "flag": "any", "state": "active", "sheet": "", "goal": "", "search": "",
                "sort": "", "page": 1 } });
            let table = ok(&c, &s, "match_table", query).await;
            for a in attention {
                let row = table["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["match_id"] == a["match_id"])
                    .unwrap_or_else(|| panic!("{a} is not among the flagged matches"));
                let reasons: Vec<&Value> = row["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| &f["reason"])
                    .collect();
                assert_eq!(
                    a["reasons"].as_array().unwrap().iter().collect::<Vec<_>>(),
                    reasons
                );
            }
        }
        // The demo data fills most bars, so the agreement is not one of zeros.
        assert!(nonzero > 20, "{nonzero} figures above zero");
        assert!(
            listed_attention > 0,
            "the demo has matches needing attention"
        );
        s
    })
    .await;
}
