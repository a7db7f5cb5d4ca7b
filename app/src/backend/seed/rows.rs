//! The one way seeders write a program's rows: cohorts, people, applications and matches. The
//! demo (`seed::demo`), the benchmarks' generators and the tests' fixtures
//! (`test_support::generated`, `tandem-bench`) describe rows as these structs and insert them
//! here, so a column is added in one place and every seeder binds its values (no SQL written
//! from data). Other generated tables (messages, contacts, goals) implement [`Row`] where they
//! are generated and go through the same [`insert`].
//!
//! The product's own writes (applying, matching, the lifecycle) do not come here: they validate,
//! audit and notify. A seeder writes rows as a program in that state would hold them.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row as _};

use crate::backend::infra::db::{Db, list_to_text, now_ms};
use crate::error::AppError;
use crate::model::{ApplicationState, CohortState, MatchRole, MatchState, Role};

/// A query the rows of one table bind into.
pub type Bound<'q> = Query<'q, Any, AnyArguments<'q>>;

/// One row of one table, as a seeder writes it.
pub trait Row: Sync {
    /// The table the row goes into.
    const TABLE: &'static str;
    /// The table's key column, which [`insert`] hands back (`goal_sheets` is keyed by its match).
    const KEY: &'static str = "id";
    /// The columns [`Row::bind`] binds, in its order.
    const COLUMNS: &'static [&'static str];
    /// Binds this row's values, one per column.
    fn bind<'q>(&'q self, query: Bound<'q>) -> Bound<'q>;
}

/// Rows a statement: at most 500 (the widest row binds 19 values, so a statement stays far
/// under SQLite's 32,766 and PostgreSQL's 65,535 parameters).
const CHUNK: usize = 500;

/// Inserts `rows` in statements of up to 500 rows and returns their keys in the rows' order.
/// Each statement commits on its own: tables with counter triggers (every message bumps its
/// match's row) would otherwise leave PostgreSQL walking an ever longer chain of row versions in
/// one long transaction.
#[tracing::instrument(skip_all, fields(table = R::TABLE, rows = rows.len()))]
pub async fn insert<R: Row>(db: &Db, rows: &[R]) -> Result<Vec<i64>, AppError> {
    let width = R::COLUMNS.len();
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let values = (0..chunk.len())
            .map(|r| {
                let slots = (1..=width)
                    .map(|c| format!("${}", r * width + c))
                    .collect::<Vec<_>>();
                format!("({})", slots.join(", "))
            })
            .collect::<Vec<_>>();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {} RETURNING {}",
            R::TABLE,
            R::COLUMNS.join(", "),
            values.join(", "),
            R::KEY
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = row.bind(query);
        }
        let mut got = query
            .fetch_all(db)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(R::KEY))
            .collect::<Result<Vec<_>, _>>()?;
        // Ids rise in the order the rows were written, on both engines; RETURNING's own order is
        // not promised, so sort to hand them back in the rows' order. (Rows keyed by another
        // table's id, like goal sheets, are written in that order by every seeder.)
        got.sort_unstable();
        ids.extend(got);
    }
    Ok(ids)
}

/// Inserts one row and returns its id.
pub async fn insert_one<R: Row>(db: &Db, row: R) -> Result<i64, AppError> {
    let ids = insert(db, std::slice::from_ref(&row)).await?;
    ids.first().copied().ok_or_else(|| {
        tracing::error!(
            table = R::TABLE,
            "seed::rows::insert_one: the insert returned no id"
        );
        AppError::Internal
    })
}

/// A cohort with its application window and program year (dates as `YYYY-MM-DD`).
pub struct Cohort<'a> {
    pub name: &'a str,
    pub state: CohortState,
    pub applications_open: &'a str,
    pub applications_close: &'a str,
    pub program_start: &'a str,
    pub program_end: &'a str,
    pub mentee_capacity: i64,
    pub goal_sheet_due_days: i64,
}

impl<'a> Cohort<'a> {
    /// A cohort in its program year (applications closed early in 2026, the year running to the
    /// end of 2027): the shape generated programs use.
    pub fn running(name: &'a str, mentee_capacity: i64) -> Self {
        Cohort {
            name,
            state: CohortState::Active,
            applications_open: "2026-01-01",
            applications_close: "2026-02-01",
            program_start: "2026-03-01",
            program_end: "2027-12-31",
            mentee_capacity,
            goal_sheet_due_days: 30,
        }
    }
}

impl Row for Cohort<'_> {
    const TABLE: &'static str = "cohorts";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "state",
        "applications_open",
        "applications_close",
        "program_start",
        "program_end",
        "mentee_capacity",
        "goal_sheet_due_days",
        "created_at",
    ];
    fn bind<'q>(&'q self, query: Bound<'q>) -> Bound<'q> {
        query
            .bind(self.name)
            .bind(self.state)
            .bind(self.applications_open)
            .bind(self.applications_close)
            .bind(self.program_start)
            .bind(self.program_end)
            .bind(self.mentee_capacity)
            .bind(self.goal_sheet_due_days)
            .bind(now_ms())
    }
}

/// A person's account. Seeded accounts share one password hash (or `"!"`, which no password
/// matches): argon2 is slow on purpose.
pub struct Person<'a> {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: &'a str,
    pub pronouns: &'a str,
    pub time_zone: &'a str,
    pub bio: &'a str,
    /// When the person last used Tandem (epoch ms; 0 for never), which the dashboard's flags read.
    pub last_active_at: i64,
}

impl<'a> Person<'a> {
    /// A participant who cannot sign in (`"!"` matches no password), for generated programs.
    pub fn participant(email: String, name: String) -> Self {
        Person {
            email,
            name,
            role: Role::Participant,
            password_hash: "!",
            pronouns: "",
            time_zone: "America/Chicago",
            bio: "",
            last_active_at: 0,
        }
    }
}

impl Row for Person<'_> {
    const TABLE: &'static str = "users";
    const COLUMNS: &'static [&'static str] = &[
        "email",
        "name",
        "role",
        "password_hash",
        "pronouns",
        "time_zone",
        "bio",
        "last_active_at",
        "created_at",
        "updated_at",
    ];
    fn bind<'q>(&'q self, query: Bound<'q>) -> Bound<'q> {
        let now = now_ms();
        query
            .bind(self.email.as_str())
            .bind(self.name.as_str())
            .bind(self.role)
            .bind(self.password_hash)
            .bind(self.pronouns)
            .bind(self.time_zone)
            .bind(self.bio)
            .bind(self.last_active_at)
            .bind(now)
            .bind(now)
    }
}

/// An application to a cohort, with the answers matching reads.
pub struct Application<'a> {
    pub cohort_id: i64,
    pub user_id: i64,
    pub role: MatchRole,
    pub state: ApplicationState,
    pub library_type: &'a str,
    pub library_name: &'a str,
    pub job_title: &'a str,
    pub years_experience: i64,
    pub interests: Vec<String>,
    pub region: String,
    pub time_zone: &'a str,
    pub meet_ways: Vec<String>,
    pub hopes: &'a str,
    pub mentor_capacity: i64,
    pub active_mentees: i64,
}

impl<'a> Application<'a> {
    /// An application with plain answers (a public library, no interests or ways chosen), for
    /// generated programs and fixtures that set only what they test.
    pub fn plain(cohort_id: i64, user_id: i64, role: MatchRole, state: ApplicationState) -> Self {
        Application {
            cohort_id,
            user_id,
            role,
            state,
            library_type: "public",
            library_name: "Library",
            job_title: "Librarian",
            years_experience: 3,
            interests: Vec::new(),
            region: "Midwest".into(),
            time_zone: "America/Chicago",
            meet_ways: Vec::new(),
            hopes: "Hopes",
            mentor_capacity: 0,
            active_mentees: 0,
        }
    }
}

impl Row for Application<'_> {
    const TABLE: &'static str = "applications";
    const COLUMNS: &'static [&'static str] = &[
        "cohort_id",
        "user_id",
        "role",
        "state",
        "library_type",
        "library_name",
        "job_title",
        "years_experience",
        "interests",
        "region",
        "time_zone",
        "meet_ways",
        "hours_per_month",
        "hopes",
        "mentor_capacity",
        "active_mentees",
        "agreed_at",
        "created_at",
        "updated_at",
    ];
    fn bind<'q>(&'q self, query: Bound<'q>) -> Bound<'q> {
        let now = now_ms();
        query
            .bind(self.cohort_id)
            .bind(self.user_id)
            .bind(self.role)
            .bind(self.state)
            .bind(self.library_type)
            .bind(self.library_name)
            .bind(self.job_title)
            .bind(self.years_experience)
            .bind(list_to_text(&self.interests))
            .bind(self.region.as_str())
            .bind(self.time_zone)
            .bind(list_to_text(&self.meet_ways))
            .bind(4_i64)
            .bind(self.hopes)
            .bind(self.mentor_capacity)
            .bind(self.active_mentees)
            .bind(now)
            .bind(now)
            .bind(now)
    }
}

/// A match between a mentor and a mentee.
pub struct Match {
    pub cohort_id: i64,
    pub mentor_id: i64,
    pub mentee_id: i64,
    pub state: MatchState,
    /// When the match began (epoch ms).
    pub started_at: i64,
    /// The sequence number of the match's last chat message (generated messages set it).
    pub last_message_seq: i64,
}

impl Match {
    /// An active match that began at `started_at`, with no messages yet.
    pub fn active(cohort_id: i64, mentor_id: i64, mentee_id: i64, started_at: i64) -> Self {
        Match {
            cohort_id,
            mentor_id,
            mentee_id,
            state: MatchState::Active,
            started_at,
            last_message_seq: 0,
        }
    }
}

impl Row for Match {
    const TABLE: &'static str = "matches";
    const COLUMNS: &'static [&'static str] = &[
        "cohort_id",
        "mentor_id",
        "mentee_id",
        "state",
        "started_at",
        "last_message_seq",
    ];
    fn bind<'q>(&'q self, query: Bound<'q>) -> Bound<'q> {
        query
            .bind(self.cohort_id)
            .bind(self.mentor_id)
            .bind(self.mentee_id)
            .bind(self.state)
            .bind(self.started_at)
            .bind(self.last_message_seq)
    }
}
