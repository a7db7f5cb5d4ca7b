//! Generated program data for `bench/dashboard.sh`: at scale 1 a cohort of 2,000 participants in
//! 1,000 matches with 200,000 messages, 20,000 contacts and 3,000 goals (scale 10: ten times
//! each). Cohorts, people, applications and matches are the product's seed rows
//! (`app::backend::seed::rows`, which the demo uses too); the match work (sheets, goals,
//! contacts, messages) is described here and goes through the same multi-row insert, 500 rows to
//! a statement, so seeding the large case takes seconds to minutes, not an hour. `Draw` is the
//! one random source of every generator (here and in `tandem-bench`).

use app::backend::auth::sessions;
use app::backend::infra::db::{Db, Engine, now_ms};
use app::backend::seed::rows::{self, Bound, Row};
use app::error::AppError;
use app::model::{ApplicationState, GoalProgress, MatchRole, MatchState, Role, SheetState, UserId};
use rand::{Rng, SeedableRng, rngs::StdRng};

const DAY: i64 = 86_400_000;
const REGIONS: &[&str] = &["Midwest", "Northeast", "South", "West", "Mountain"];
const LIBRARY_TYPES: &[&str] = &["public", "school", "academic", "special", "tribal"];

/// The one random source of generated data (the dashboard, news and matching benchmarks, and
/// the tests that use them): seeded, so every run generates the same rows. rand's `StdRng`
/// rather than a hand-written generator; `Cargo.lock` pins its algorithm.
pub struct Draw(StdRng);

impl Draw {
    pub fn seeded(seed: u64) -> Self {
        Draw(StdRng::seed_from_u64(seed))
    }

    /// A number in `0..below` (0 when `below` is not positive).
    pub fn below(&mut self, below: i64) -> i64 {
        if below <= 0 {
            0
        } else {
            self.0.gen_range(0..below)
        }
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as i64) as usize]
    }

    /// True once in `n` draws on average.
    pub fn one_in(&mut self, n: i64) -> bool {
        self.below(n) == 0
    }
}

/// Seeds the cohort and returns its id and a coordinator's session cookie.
pub async fn seed(db: &Db, scale: i64) -> Result<(i64, String), AppError> {
    seed_pairs(db, 1000 * scale).await
}

/// Brings the freshly seeded database to the state a database in use is in, since the benchmark
/// measures at once: planner statistics on both engines, and on PostgreSQL the dead row versions
/// that bulk seeding leaves behind (every message and contact bumped a counter row) cleared, as
/// autovacuum keeps them on a live system.
pub async fn settle(db: &Db, engine: Engine) -> Result<(), AppError> {
    let sql = match engine {
        Engine::Sqlite => "ANALYZE",
        Engine::Postgres => "VACUUM FULL ANALYZE",
    };
    sqlx::query(sql).execute(db).await?;
    Ok(())
}

/// A goal sheet in some state.
struct Sheet {
    match_id: i64,
    state: SheetState,
}

impl Row for Sheet {
    const TABLE: &'static str = "goal_sheets";
    const KEY: &'static str = "match_id";
    const COLUMNS: &'static [&'static str] =
        &["match_id", "state", "amended_by", "version", "updated_at"];
    fn bind<'q>(&'q self, q: Bound<'q>) -> Bound<'q> {
        let (state, amended_by) = self.state.to_db();
        q.bind(self.match_id)
            .bind(state)
            .bind(amended_by)
            .bind(2_i64)
            .bind(now_ms())
    }
}

struct Goal {
    match_id: i64,
    position: i64,
    title: String,
    progress: GoalProgress,
}

impl Row for Goal {
    const TABLE: &'static str = "goals";
    const COLUMNS: &'static [&'static str] =
        &["match_id", "position", "title", "target_date", "progress"];
    fn bind<'q>(&'q self, q: Bound<'q>) -> Bound<'q> {
        q.bind(self.match_id)
            .bind(self.position)
            .bind(self.title.as_str())
            .bind("2027-03-01")
            .bind(self.progress)
    }
}

struct Contact {
    match_id: i64,
    author_id: i64,
    on_date: String,
}

impl Row for Contact {
    const TABLE: &'static str = "contacts";
    const COLUMNS: &'static [&'static str] = &[
        "match_id",
        "author_id",
        "way",
        "on_date",
        "minutes",
        "created_at",
    ];
    fn bind<'q>(&'q self, q: Bound<'q>) -> Bound<'q> {
        q.bind(self.match_id)
            .bind(self.author_id)
            .bind(app::model::ContactWay::Phone)
            .bind(self.on_date.as_str())
            .bind(30_i64)
            .bind(now_ms())
    }
}

struct Message {
    match_id: i64,
    seq: i64,
    sender_id: i64,
    at: i64,
}

impl Row for Message {
    const TABLE: &'static str = "messages";
    const COLUMNS: &'static [&'static str] = &[
        "match_id",
        "seq",
        "sender_id",
        "client_id",
        "body",
        "created_at",
    ];
    fn bind<'q>(&'q self, q: Bound<'q>) -> Bound<'q> {
        q.bind(self.match_id)
            .bind(self.seq)
            .bind(self.sender_id)
            .bind(format!("b{}-{}", self.match_id, self.seq))
            .bind("A benchmark message about storytime.")
            .bind(self.at)
    }
}

/// The same shape with `pairs` matches (tests use a few dozen: varied enough to raise every flag).
pub async fn seed_pairs(db: &Db, pairs: i64) -> Result<(i64, String), AppError> {
    let now = now_ms();
    let mut draw = Draw::seeded(0x9E37_79B9_7F4A_7C15);
    let cohort = rows::insert_one(db, rows::Cohort::running("Dashboard benchmark", pairs)).await?;
    // People: mentors then mentees, each last active some time in the last 40 days.
    let people: Vec<rows::Person> = (0..2 * pairs)
        .map(|i| rows::Person {
            last_active_at: now - draw.below(40) * DAY,
            ..rows::Person::participant(
                format!("bench-{cohort}-{i}@example.org"),
                format!("Participant {i}"),
            )
        })
        .collect();
    let ids = rows::insert(db, &people).await?;
    let (mentors, mentees) = ids.split_at(pairs as usize);
    let applications: Vec<rows::Application> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let role = if (i as i64) < pairs {
                MatchRole::Mentor
            } else {
                MatchRole::Mentee
            };
            rows::Application {
                library_type: LIBRARY_TYPES[i % LIBRARY_TYPES.len()],
                region: REGIONS[(i / 3) % REGIONS.len()].into(),
                mentor_capacity: 1,
                ..rows::Application::plain(cohort, id, role, ApplicationState::Matched)
            }
        })
        .collect();
    rows::insert(db, &applications).await?;
    let matches: Vec<rows::Match> = mentors
        .iter()
        .zip(mentees)
        .enumerate()
        .map(|(i, (&mentor, &mentee))| rows::Match {
            state: match i % 20 {
                0 => MatchState::Completed,
                1 => MatchState::EndedEarly,
                _ => MatchState::Active,
            },
            last_message_seq: 200,
            ..rows::Match::active(cohort, mentor, mentee, now - (10 + draw.below(290)) * DAY)
        })
        .collect();
    let match_ids = rows::insert(db, &matches).await?;
    let pairs_of = || match_ids.iter().zip(mentors.iter().zip(mentees));
    let sheets: Vec<Sheet> = match_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(i, &match_id)| Sheet {
            match_id,
            state: SheetState::STORED[i % SheetState::STORED.len()],
        })
        .collect();
    rows::insert(db, &sheets).await?;
    let goals: Vec<Goal> = match_ids
        .iter()
        .flat_map(|&match_id| {
            (1..=3).map(move |position| Goal {
                match_id,
                position,
                title: format!("Goal {position}"),
                progress: GoalProgress::ALL[((match_id + position) % 4) as usize],
            })
        })
        .collect();
    rows::insert(db, &goals).await?;
    let mut contacts = Vec::with_capacity(20 * pairs as usize);
    for (&match_id, (&mentor, _)) in pairs_of() {
        for _ in 0..20 {
            contacts.push(Contact {
                match_id,
                author_id: mentor,
                on_date: app::backend::infra::tz::today_utc(now - draw.below(300) * DAY),
            });
        }
    }
    rows::insert(db, &contacts).await?;
    let mut messages = Vec::with_capacity(200 * pairs as usize);
    for (&match_id, (&mentor, &mentee)) in pairs_of() {
        // 200 messages spread over the last 180 days, in order.
        let mut at = now - 180 * DAY;
        for seq in 1..=200 {
            at += draw.below(180 * DAY / 200) + 1;
            let sender_id = if seq % 2 == 0 { mentor } else { mentee };
            messages.push(Message {
                match_id,
                seq,
                sender_id,
                at,
            });
        }
    }
    rows::insert(db, &messages).await?;
    let coordinator = rows::insert_one(
        db,
        rows::Person {
            role: Role::Coordinator,
            ..rows::Person::participant(
                format!("bench-coordinator-{cohort}@example.org"),
                "Bench Coordinator".into(),
            )
        },
    )
    .await?;
    // A coordinator's pages need two-step sign-in: on, with a secret nobody needs.
    app::backend::auth::second_factor::turn_on_with(
        db,
        UserId(coordinator),
        &app::backend::auth::second_factor::new_secret(),
    )
    .await?;
    let token = sessions::create(db, UserId(coordinator)).await?;
    Ok((cohort, format!("{}={token}", sessions::cookie_name(false))))
}

/// The news benchmark's data: `pairs` generated matches (as above) and a draft issue written by
/// the generated coordinator, through the same code the compose page uses. Returns the issue id
/// and how many participants it will go to, and the coordinator's session cookie.
pub async fn seed_news(db: &Db, pairs: i64) -> Result<(i64, i64, String), AppError> {
    let (cohort, cookie) = seed_pairs(db, pairs).await?;
    let coordinator: UserId = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(format!("bench-coordinator-{cohort}@example.org"))
        .fetch_one(db)
        .await?;
    let activity: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM activities")
        .fetch_one(db)
        .await?;
    let coordinator = app::backend::auth::policy::coordinator(Some(
        app::backend::auth::users::current(db, coordinator).await?,
    ))?;
    let issue = app::backend::community::news::save(
        db,
        &coordinator,
        0,
        &app::backend::community::news::IssueInput {
            title: "Benchmark news",
            news: "## This month\n\nEvery match has met. The **forum** is on the 12th.\n\n- One\n- Two",
            events: "The state conference is in May.",
            activity_id: activity.unwrap_or(0),
            question: "What surprised you this month?",
            goals: "Where do your goals stand?",
        },
    )
    .await?;
    let recipients: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u WHERE u.role = 'participant' AND u.disabled = 0
           AND EXISTS (SELECT 1 FROM matches m WHERE m.state = 'active'
                       AND (m.mentor_id = u.id OR m.mentee_id = u.id))",
    )
    .fetch_one(db)
    .await?;
    Ok((issue, recipients, cookie))
}
