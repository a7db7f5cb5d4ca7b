//! Demo content for the forum, the library and the news: an upcoming webinar, a past one with
//! its recording, a few resources and last month's issue, written through the same code the
//! coordinators' pages use. Also the forum's demo participant, who belongs to no match (the
//! forum and news browser tests sign in as her; the match accounts belong to other tests).

use crate::backend::auth::policy;
use crate::backend::auth::users::{self, NewUser};
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::{community::forum, community::news, community::resources, infra::tz};
use crate::error::AppError;
use crate::model::{Role, UserId};

pub const FORUM_PARTICIPANT: &str = "noor.haddad@example.org";

pub async fn seed(db: &Db, coordinator_id: UserId, hash: &str) -> Result<(), AppError> {
    let coordinator = policy::coordinator(Some(users::current(db, coordinator_id).await?))?;
    users::create(
        db,
        NewUser {
            email: FORUM_PARTICIPANT,
            name: "Noor Haddad",
            role: Role::Participant,
            password_hash: hash,
            pronouns: "she/her",
            time_zone: "Europe/London",
            bio: "Children's librarian in Leeds, following the program's forum from across the ocean.",
        },
    )
    .await?;
    let today = tz::today_utc(now_ms());
    let upcoming = forum::save(
        db,
        &coordinator,
        0,
        &forum::EventInput {
            title: "Setting goals that stick",
            description: "How matches turn a goal sheet into a year of work: **small steps**, \
                          regular check-ins and what to do when a goal stalls.\n\n\
                          - Bring one goal you are working on\n- Questions are welcome in advance",
            date: &tz::add_days(&today, 12),
            time: "13:00",
            time_zone: "America/Chicago",
            minutes: "60",
            join_url: "https://meet.example.org/forum-goals",
            capacity: "40",
        },
    )
    .await?;
    let past = forum::save(
        db,
        &coordinator,
        0,
        &forum::EventInput {
            title: "Communication across distance",
            description: "Keeping a match going by phone, video and chat when you are three time zones apart.",
            date: &tz::add_days(&today, -20),
            time: "12:00",
            time_zone: "America/New_York",
            minutes: "60",
            join_url: "https://meet.example.org/forum-distance",
            capacity: "",
        },
    )
    .await?;
    forum::save_recording(
        db,
        &coordinator,
        past,
        "https://video.example.org/forum/communication-across-distance",
    )
    .await?;
    let _ = upcoming;
    let library = [
        (
            "The mentoring relationship: a guide for new mentors",
            "https://www.example.org/guides/new-mentors",
            "article",
            "mentoring, getting started",
            "A short guide to the **first three months**.",
        ),
        (
            "Goal sheet template",
            "https://www.example.org/templates/goal-sheet",
            "template",
            "goals, templates",
            "The program's goal sheet as a printable template.",
        ),
        (
            "Leading from the middle",
            "https://www.example.org/books/leading-from-the-middle",
            "book",
            "leadership",
            "On leading a team before you have the title.",
        ),
        (
            "Storytime toolkit",
            "https://www.example.org/toolkits/storytime",
            "toolkit",
            "early literacy, programs",
            "Songs, rhymes and a planning sheet for inclusive storytimes.",
        ),
    ];
    for (title, url, kind, tags, note) in library {
        resources::save(
            db,
            &coordinator,
            0,
            &resources::ResourceInput {
                title,
                url,
                kind,
                tags,
                note,
            },
        )
        .await?;
    }
    let issue = news::save(
        db,
        &coordinator,
        0,
        &news::IssueInput {
            title: "November news",
            news: "Welcome to the program year! Every match has met at least once, and most goal \
                   sheets are in.\n\nThe **Mentoring Forum** recording on communication across \
                   distance is now in Resources.",
            events: "",
            activity_id: 0,
            question: "What is one thing your partner said that changed how you work?",
            goals: "Look back at your goals and note one step you took this month.",
        },
    )
    .await?;
    // Published as last month's issue, without mailing anyone (it is demo history).
    sqlx::query("UPDATE news_issues SET state = 'published', published_at = $1 WHERE id = $2")
        .bind(now_ms() - 30 * 24 * 60 * 60 * 1000)
        .bind(issue)
        .execute(db)
        .await?;
    Ok(())
}
