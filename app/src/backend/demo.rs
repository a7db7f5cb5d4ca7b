//! Demo data: one cohort in its program year, a coordinator, mentors, mentees and their matches,
//! so every page has something real to show. Loaded only into an empty database.

use crate::backend::db::{Db, now_ms};
use crate::backend::passwords;
use crate::backend::users::{self, NewUser};
use crate::error::AppError;
use crate::model::Role;

pub const DEMO_PASSWORD: &str = "demo-password-1";

pub const DEMO_SIGN_INS: &[(&str, &str)] = &[
    ("coordinator", "coordinator@example.org"),
    ("mentor", "mentor@example.org"),
    ("mentee", "mentee@example.org"),
];

struct Person {
    email: &'static str,
    name: &'static str,
    pronouns: &'static str,
    time_zone: &'static str,
    bio: &'static str,
}

const MENTORS: &[Person] = &[
    Person {
        email: "mentor@example.org",
        name: "Maria Alvarez",
        pronouns: "she/her",
        time_zone: "America/Chicago",
        bio: "Youth services manager at a mid-sized public library. Twenty years of storytimes, summer reading and, lately, budgets.",
    },
    Person {
        email: "dev.okafor@example.org",
        name: "Dev Okafor",
        pronouns: "he/him",
        time_zone: "America/New_York",
        bio: "School librarian for grades K-5; runs a mock Caldecott every winter.",
    },
    Person {
        email: "hannah.berg@example.org",
        name: "Hannah Berg",
        pronouns: "she/her",
        time_zone: "America/Denver",
        bio: "Outreach librarian who takes books to farms, clinics and laundromats.",
    },
    Person {
        email: "li.chen@example.org",
        name: "Li Chen",
        pronouns: "they/them",
        time_zone: "America/Los_Angeles",
        bio: "Children's collection development for a county system of 22 branches.",
    },
];

const MENTEES: &[Person] = &[
    Person {
        email: "mentee@example.org",
        name: "Sam Lee",
        pronouns: "they/them",
        time_zone: "America/New_York",
        bio: "First-year children's librarian at a branch library; loves early literacy and wants to run better programs for ages 6 to 12.",
    },
    Person {
        email: "priya.nair@example.org",
        name: "Priya Nair",
        pronouns: "she/her",
        time_zone: "America/Chicago",
        bio: "Library school student and part-time library assistant, curious about school librarianship.",
    },
    Person {
        email: "tomas.reyes@example.org",
        name: "Tomás Reyes",
        pronouns: "he/him",
        time_zone: "America/Phoenix",
        bio: "Bilingual storytime presenter moving into a supervisory role.",
    },
    Person {
        email: "grace.kim@example.org",
        name: "Grace Kim",
        pronouns: "she/her",
        time_zone: "America/Los_Angeles",
        bio: "Teen and tween librarian building a diverse graphic novel collection.",
    },
];

/// Seeds the demo when the database has no users. Returns whether it did anything.
pub async fn seed_if_empty(db: &Db) -> Result<bool, AppError> {
    if users::count(db).await? > 0 {
        return Ok(false);
    }
    // One hash for every demo account: they share a password, and argon2 is slow on purpose.
    let hash = passwords::hash(DEMO_PASSWORD.to_string()).await?;
    users::create(
        db,
        NewUser {
            email: "coordinator@example.org",
            name: "Jordan Avery",
            role: Role::Coordinator,
            password_hash: &hash,
            pronouns: "she/her",
            time_zone: "America/Chicago",
            bio: "Coordinator of the mentoring program.",
        },
    )
    .await?;
    let mut mentor_ids = Vec::new();
    for p in MENTORS {
        mentor_ids.push(create_participant(db, p, &hash).await?);
    }
    let mut mentee_ids = Vec::new();
    for p in MENTEES {
        mentee_ids.push(create_participant(db, p, &hash).await?);
    }
    let now = now_ms();
    let cohort_id: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, state, program_start, program_end, goal_sheet_due_days, created_at)
         VALUES ($1, 'active', $2, $3, 30, $4) RETURNING id",
    )
    .bind("2026–2027 Mentoring Program")
    .bind("2026-09-01")
    .bind("2027-06-30")
    .bind(now)
    .fetch_one(db)
    .await?;
    let day = 24 * 60 * 60 * 1000;
    for (i, (mentor, mentee)) in mentor_ids.iter().zip(&mentee_ids).enumerate() {
        sqlx::query(
            "INSERT INTO matches (cohort_id, mentor_id, mentee_id, state, started_at) VALUES ($1, $2, $3, 'active', $4)",
        )
        .bind(cohort_id)
        .bind(*mentor)
        .bind(*mentee)
        .bind(now - (60 - i as i64) * day)
        .execute(db)
        .await?;
    }
    Ok(true)
}

async fn create_participant(db: &Db, p: &Person, hash: &str) -> Result<i64, AppError> {
    users::create(
        db,
        NewUser {
            email: p.email,
            name: p.name,
            role: Role::Participant,
            password_hash: hash,
            pronouns: p.pronouns,
            time_zone: p.time_zone,
            bio: p.bio,
        },
    )
    .await
}
