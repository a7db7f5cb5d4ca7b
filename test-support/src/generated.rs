//! Generated program data for `bench/dashboard.sh`: at scale 1 a cohort of 2,000 participants in
//! 1,000 matches with 200,000 messages, 20,000 contacts and 3,000 goals (scale 10: ten times
//! each). Rows go in as multi-row INSERTs of generated literals (numbers and fixed words only),
//! 500 to a statement, so seeding the large case takes seconds to minutes, not an hour.

use app::backend::auth::sessions;
use app::backend::infra::db::{Db, Engine, now_ms};
use app::error::AppError;

const DAY: i64 = 86_400_000;
const REGIONS: &[&str] = &["Midwest", "Northeast", "South", "West", "Mountain"];
const LIBRARY_TYPES: &[&str] = &["public", "school", "academic", "special", "tribal"];
const SHEETS: &[&str] = &["draft", "submitted", "confirmed", "acknowledged", "amended"];
const PROGRESS: &[&str] = &["not_started", "in_progress", "achieved", "set_aside"];

/// A small deterministic generator, so every run seeds the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below.max(1) as u64) as i64
    }
}

/// Inserts `rows` (each a parenthesised tuple of literals) in chunks, each committed on its own:
/// every row bumps a counter row by trigger, and in one long transaction PostgreSQL could not
/// prune the counter rows' old versions, so each bump would walk a longer chain than the last.
async fn insert(db: &Db, head: &str, rows: Vec<String>) -> Result<(), AppError> {
    for chunk in rows.chunks(500) {
        sqlx::query(&format!("{head} VALUES {}", chunk.join(",")))
            .execute(db)
            .await?;
    }
    Ok(())
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

/// The same shape with `pairs` matches (tests use a few dozen: varied enough to raise every flag).
pub async fn seed_pairs(db: &Db, pairs: i64) -> Result<(i64, String), AppError> {
    let now = now_ms();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let cohort: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, state, applications_open, applications_close, program_start,
                              program_end, mentee_capacity, created_at)
         VALUES ('Dashboard benchmark', 'active', '2026-01-01', '2026-02-01', '2026-03-01',
                 '2027-12-31', $1, $2) RETURNING id",
    )
    .bind(pairs)
    .bind(now)
    .fetch_one(db)
    .await?;
    // Users: mentors then mentees.
    let users = (0..2 * pairs)
        .map(|i| {
            let active = now - rng.next(40) * DAY;
            format!(
                "('bench-{cohort}-{i}@example.org', 'Participant {i}', 'participant', '!', {now}, {now}, {active})"
            )
        })
        .collect();
    insert(
        db,
        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at, last_active_at)",
        users,
    )
    .await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email LIKE $1 ORDER BY id")
        .bind(format!("bench-{cohort}-%"))
        .fetch_all(db)
        .await?;
    let apps = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let role = if (i as i64) < pairs { "mentor" } else { "mentee" };
            let lib = LIBRARY_TYPES[i % LIBRARY_TYPES.len()];
            let region = REGIONS[(i / 3) % REGIONS.len()];
            format!(
                "({cohort}, {id}, '{role}', 'matched', '{lib}', 'Library', 'Librarian', 3, '[]', '{region}',
                  'America/Chicago', '[]', 4, 'Hopes', 1, {now}, {now}, {now})"
            )
        })
        .collect();
    insert(
        db,
        "INSERT INTO applications (cohort_id, user_id, role, state, library_type, library_name,
             job_title, years_experience, interests, region, time_zone, meet_ways, hours_per_month,
             hopes, mentor_capacity, agreed_at, created_at, updated_at)",
        apps,
    )
    .await?;
    let matches = (0..pairs as usize)
        .map(|i| {
            let state = match i % 20 {
                0 => "completed",
                1 => "ended_early",
                _ => "active",
            };
            let started = now - (10 + rng.next(290)) * DAY;
            format!(
                "({cohort}, {}, {}, '{state}', {started}, 200)",
                ids[i],
                ids[i + pairs as usize]
            )
        })
        .collect();
    insert(
        db,
        "INSERT INTO matches (cohort_id, mentor_id, mentee_id, state, started_at, last_message_seq)",
        matches,
    )
    .await?;
    let match_ids: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, mentor_id, mentee_id FROM matches WHERE cohort_id = $1 ORDER BY id",
    )
    .bind(cohort)
    .fetch_all(db)
    .await?;
    let sheets = match_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(i, (m, _, _))| {
            let state = SHEETS[i % SHEETS.len()];
            let amended = if state == "amended" {
                "'mentor'"
            } else {
                "NULL"
            };
            format!("({m}, '{state}', {amended}, 2, {now})")
        })
        .collect();
    insert(
        db,
        "INSERT INTO goal_sheets (match_id, state, amended_by, version, updated_at)",
        sheets,
    )
    .await?;
    let goals = match_ids
        .iter()
        .flat_map(|(m, _, _)| (1..=3).map(move |p| (*m, p)))
        .map(|(m, p)| {
            let progress = PROGRESS[((m + p) % 4) as usize];
            format!("({m}, {p}, 'Goal {p}', '2027-03-01', '{progress}')")
        })
        .collect();
    insert(
        db,
        "INSERT INTO goals (match_id, position, title, target_date, progress)",
        goals,
    )
    .await?;
    let mut contacts = Vec::with_capacity(20 * pairs as usize);
    for (m, mentor, _) in &match_ids {
        for _ in 0..20 {
            let on = app::backend::infra::tz::today_utc(now - rng.next(300) * DAY);
            contacts.push(format!("({m}, {mentor}, 'phone', '{on}', 30, {now})"));
        }
    }
    insert(
        db,
        "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, created_at)",
        contacts,
    )
    .await?;
    let mut messages = Vec::with_capacity(200 * pairs as usize);
    for (m, mentor, mentee) in &match_ids {
        // 200 messages spread over the last 180 days, in order.
        let mut at = now - 180 * DAY;
        for seq in 1..=200 {
            at += rng.next(180 * DAY / 200) + 1;
            let sender = if seq % 2 == 0 { mentor } else { mentee };
            messages.push(format!(
                "({m}, {seq}, {sender}, 'b{m}-{seq}', 'A benchmark message about storytime.', {at})"
            ));
        }
    }
    insert(
        db,
        "INSERT INTO messages (match_id, seq, sender_id, client_id, body, created_at)",
        messages,
    )
    .await?;
    let coordinator: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
         VALUES ($1, 'Bench Coordinator', 'coordinator', '!', $2, $2) RETURNING id",
    )
    .bind(format!("bench-coordinator-{cohort}@example.org"))
    .bind(now)
    .fetch_one(db)
    .await?;
    let token = sessions::create(db, coordinator).await?;
    Ok((cohort, format!("{}={token}", sessions::cookie_name(false))))
}

/// The news benchmark's data: `pairs` generated matches (as above) and a draft issue written by
/// the generated coordinator, through the same code the compose page uses. Returns the issue id
/// and how many participants it will go to, and the coordinator's session cookie.
pub async fn seed_news(db: &Db, pairs: i64) -> Result<(i64, i64, String), AppError> {
    let (cohort, cookie) = seed_pairs(db, pairs).await?;
    let coordinator: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
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
