//! The goal sheet under contention and the demo's year of work, on SQLite and on PostgreSQL.

use app::backend::auth::policy::access;
use app::backend::auth::users;
use app::backend::infra::db::Db;
use app::backend::match_work::{
    activities,
    facts::{self, MatchFacts},
    goal_sheets,
};
use app::backend::{match_work::match_home, seed::demo};
use app::model::{GoalInput, SaveOutcome, SheetState};
use test_support::db::each_engine;
use test_support::permits::{self, on_match as permit};

async fn coordinator_id(db: &Db) -> app::model::UserId {
    users::find_by_email(db, "coordinator@example.org")
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn facts_for(db: &app::backend::infra::db::Db, mentee_email: &str) -> MatchFacts {
    let id: app::model::MatchId = sqlx::query_scalar(
        "SELECT m.id FROM matches m JOIN users u ON u.id = m.mentee_id WHERE u.email = $1",
    )
    .bind(mentee_email)
    .fetch_one(db)
    .await
    .unwrap();
    facts::of_match(db, id).await.unwrap()
}

fn goal(title: &str) -> GoalInput {
    GoalInput {
        id: 0,
        title: title.into(),
        target_date: "2027-02-01".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn two_partners_saving_the_same_version_at_once_one_wins_the_other_sees_it() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let f = facts_for(&db, "mentee@example.org").await;
        for round in 0..5 {
            let version = goal_sheets::view(&db, &f, true).await.unwrap().version;
            let mentor_goals = vec![goal(&format!("Mentor's words, round {round}"))];
            let mentee_goals = vec![goal(&format!("Mentee's words, round {round}"))];
            let mentor = permit::<access::Work>(&db, &f, f.mentor_id).await;
            let mentee = permit::<access::Work>(&db, &f, f.mentee_id).await;
            let (a, b) = tokio::join!(
                goal_sheets::save(&db, &mentor, version, &mentor_goals),
                goal_sheets::save(&db, &mentee, version, &mentee_goals),
            );
            let outcomes = [a.unwrap(), b.unwrap()];
            let saved = outcomes
                .iter()
                .filter(|o| matches!(o, SaveOutcome::Saved { .. }))
                .count();
            assert_eq!(
                saved, 1,
                "round {round}: exactly one save lands: {outcomes:?}"
            );
            // The loser is shown the winner's text; the sheet holds the winner's words only.
            let sheet = goal_sheets::view(&db, &f, true).await.unwrap();
            assert_eq!(sheet.version, version + 1);
            for o in &outcomes {
                if let SaveOutcome::Conflict { theirs } = o {
                    assert_eq!(theirs.goals, sheet.goals);
                }
            }
            assert_eq!(sheet.goals.len(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn the_demo_year_reads_back_for_each_side() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let f = facts_for(&db, "priya.nair@example.org").await;
        let home = match_home::load(&db, &permit(&db, &f, f.mentee_id).await, true)
            .await
            .unwrap();
        assert_eq!(home.sheet.state, SheetState::Acknowledged);
        assert_eq!(home.sheet.goals.len(), 2);
        assert_eq!(home.sheet.goals[0].notes.len(), 1);
        assert_eq!(home.contact_count, 4);
        assert!(home.pace.on_pace, "{:?}", home.pace);
        assert_eq!(home.activities.len(), 2);
        assert_eq!(
            home.activities[0].state.as_str(),
            "planned",
            "planned ones first"
        );
        assert_eq!(home.summary.partner.name, "Dev Okafor");
        assert!(home.next_steps.is_empty(), "{:?}", home.next_steps);

        let submitted = facts_for(&db, MENTEES[2]).await;
        let mentor = permit::<access::Work>(&db, &submitted, submitted.mentor_id).await;
        let as_mentor = match_home::load(&db, &mentor.reader(), true).await.unwrap();
        assert_eq!(as_mentor.sheet.state, SheetState::Submitted);
        assert_eq!(
            as_mentor.next_steps[0],
            "Confirm the goal sheet your mentee submitted."
        );
        // A step on a copy older than the sheet is refused with a sentence.
        let err = goal_sheets::confirm(&db, &mentor, as_mentor.sheet.version - 1)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("The goal sheet changed since you opened it.")
        );

        let empty = facts_for(&db, "mentee@example.org").await;
        let reviewer = permit(&db, &empty, coordinator_id(&db).await).await;
        let as_coordinator = match_home::load(&db, &reviewer, false).await.unwrap();
        assert!(as_coordinator.sheet.overdue);
        assert!(as_coordinator.next_steps[0].starts_with("The goal sheet is overdue"));
    })
    .await;
}

const MENTEES: [&str; 4] = [
    "mentee@example.org",
    "priya.nair@example.org",
    "tomas.reyes@example.org",
    "grace.kim@example.org",
];

#[tokio::test]
async fn cached_match_homes_follow_every_change_from_any_instance() {
    use app::backend::match_work::match_home::HomeCache;
    use app::backend::{match_work::activities, match_work::contacts};
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        // Two instances' caches over one database.
        let (one, two) = (HomeCache::default(), HomeCache::default());
        let facts = || async { facts_for(&db, "priya.nair@example.org").await };
        let f = facts().await;
        let before = one
            .load(&db, &permit(&db, &f, f.mentee_id).await, false)
            .await
            .unwrap();
        assert_eq!(
            two.load(&db, &permit(&db, &f, f.mentor_id).await, false)
                .await
                .unwrap()
                .contact_count,
            4
        );
        // Read again with nothing changed: the same home, seen from each side.
        let again = one
            .load(&db, &permit(&db, &f, f.mentor_id).await, false)
            .await
            .unwrap();
        assert_eq!(again.summary.partner.name, "Priya Nair");
        assert_eq!(again.sheet, before.sheet);

        // A contact logged (through instance two's code path, any will do).
        contacts::log(
            &db,
            &permit(&db, &f, f.mentee_id).await,
            contacts::ContactInput {
                way: "email",
                on_date: &before.today,
                minutes: 5,
                note: "",
            },
        )
        .await
        .unwrap();
        let f = facts().await;
        assert_eq!(
            one.load(&db, &permit(&db, &f, f.mentee_id).await, false)
                .await
                .unwrap()
                .contact_count,
            5
        );

        // The partner renames themselves; the catalogue gains an activity.
        let profile = users::ProfileUpdate {
            name: "Dev O. Okafor".into(),
            pronouns: String::new(),
            time_zone: "America/Chicago".into(),
            bio: String::new(),
        };
        users::update_profile(&db, &permits::signed_in(&db, f.mentor_id).await, &profile)
            .await
            .unwrap();
        let coordinator = permits::coordinator(&db).await;
        activities::save(&db, &coordinator, 0, "build", "A zine", "")
            .await
            .unwrap();
        let f = facts().await;
        let home = one
            .load(&db, &permit(&db, &f, f.mentee_id).await, false)
            .await
            .unwrap();
        assert_eq!(home.summary.partner.name, "Dev O. Okafor");
        assert!(home.catalogue.iter().any(|a| a.title == "A zine"));

        // A goal sheet step; progress.
        let goal = home.sheet.goals[0].id;
        let mentor = permit(&db, &f, f.mentor_id).await;
        goal_sheets::record_progress(&db, &mentor, goal, "achieved", "", &home.today)
            .await
            .unwrap();
        let f = facts().await;
        let home = two
            .load(&db, &permit(&db, &f, f.mentor_id).await, false)
            .await
            .unwrap();
        assert_eq!(home.sheet.goals[0].progress.as_str(), "achieved");
    })
    .await;
}

/// A goal's title and tags, and an activity's title, hold one line: a line break is refused
/// beside the field and nothing is saved.
#[tokio::test]
async fn goal_and_activity_titles_keep_to_one_line() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let f = facts_for(&db, "mentee@example.org").await;
        let mentee = permit::<access::Work>(&db, &f, f.mentee_id).await;
        let version = goal_sheets::view(&db, &f, true).await.unwrap().version;
        let broken = goal("Read more\r\nVisit https://evil.example");
        let err = goal_sheets::save(&db, &mentee, version, &[broken])
            .await
            .unwrap_err();
        assert!(err.for_field("goal1_title").is_some(), "{err:?}");
        let tagged = GoalInput {
            tags: "storytime,\tliteracy".into(),
            ..goal("Read more")
        };
        let err = goal_sheets::save(&db, &mentee, version, &[tagged])
            .await
            .unwrap_err();
        assert!(err.for_field("goal1_tags").is_some(), "{err:?}");
        assert_eq!(
            goal_sheets::view(&db, &f, true).await.unwrap().version,
            version,
            "nothing was saved"
        );

        let coordinator = permits::coordinator(&db).await;
        let err = activities::save(&db, &coordinator, 0, "build", "A zine\nand more", "")
            .await
            .unwrap_err();
        assert!(err.for_field("title").is_some(), "{err:?}");
        // A description may run over several lines.
        activities::save(
            &db,
            &coordinator,
            0,
            "build",
            "A zine",
            "Fold.\nStaple.\nShare.",
        )
        .await
        .unwrap();
    })
    .await;
}
