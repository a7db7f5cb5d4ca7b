//! Generated applicants for `tandem-bench matching`: the score and assignment alone, and the
//! server functions' work end to end on a real database.

use app::backend::infra::db::{Db, list_to_text, now_ms};
use app::backend::infra::tz;
use app::backend::program::matching::{assign, score, score::Profile};

use app::error::AppError;
use app::model::*;

/// A small deterministic generator, so every run measures the same cohort.
fn generator(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    }
}

/// Generated profiles for the benchmark: `n` people with varied answers.
pub fn bench_profiles(n: usize, seed: u64) -> Vec<Profile> {
    let zones = TIME_ZONES;
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    (0..n)
        .map(|_| Profile {
            library_type: LIBRARY_TYPES[next(5) as usize].0.into(),
            years_experience: next(30) as i64,
            interests: INTERESTS
                .iter()
                .filter(|_| next(4) == 0)
                .map(|s| s.to_string())
                .collect(),
            region: format!("Region {}", next(8)),
            utc_offset_minutes: tz::offset_minutes(zones[next(zones.len() as u64) as usize], 0),
            meet_ways: MEET_WAYS
                .iter()
                .filter(|_| next(2) == 0)
                .map(|(v, _)| v.to_string())
                .collect(),
            gender: String::new(),
            race_ethnicity: String::new(),
            wants_shared_identity: false,
        })
        .collect()
}

/// Scores and assigns generated mentees and mentors (capacity 1 to 3) as the proposal does.
/// Returns (total score, placed mentees).
pub fn bench_propose(mentees: &[Profile], mentors: &[Profile]) -> (i64, usize) {
    let scores: Vec<Vec<i64>> = mentees
        .iter()
        .map(|me| mentors.iter().map(|mr| score::score(me, mr).0).collect())
        .collect();
    let capacity: Vec<i64> = (0..mentors.len()).map(|j| 1 + (j % 3) as i64).collect();
    let (total, a) = assign::assign(&scores, &capacity);
    (total, a.iter().filter(|x| x.is_some()).count())
}

/// Ranks generated mentors for one generated mentee, as the suggestions do.
pub fn bench_rank(mentee: &Profile, mentors: &[Profile]) -> usize {
    let mut s: Vec<i64> = mentors.iter().map(|m| score::score(mentee, m).0).collect();
    s.sort_unstable_by(|a, b| b.cmp(a));
    s.len()
}

/// Stores a cohort of generated applicants, all accepted, mentors with 1 to 3 places. Returns
/// the cohort and one mentee's application id.
pub async fn seed_cohort(db: &Db, mentees: usize, mentors: usize) -> Result<(i64, i64), AppError> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let cohort: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (name, state, applications_open, applications_close, program_start,
                              program_end, mentee_capacity, created_at)
         VALUES ('Benchmark cohort', 'matching', '2027-01-01', '2027-02-01', '2027-03-01',
                 '2028-02-01', $1, $2) RETURNING id",
    )
    .bind(mentees as i64)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let mut first_mentee = 0;
    let people = bench_profiles(mentees, 1)
        .into_iter()
        .map(|p| ("mentee", p))
        .chain(
            bench_profiles(mentors, 2)
                .into_iter()
                .map(|p| ("mentor", p)),
        );
    let mut zone = generator(3);
    for (i, (role, p)) in people.enumerate() {
        let time_zone = TIME_ZONES[zone(TIME_ZONES.len() as u64) as usize];
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, time_zone, created_at, updated_at)
             VALUES ($1, $2, 'participant', '!', $3, $4, $4) RETURNING id",
        )
        .bind(format!("bench{i}@example.org"))
        .bind(format!("Applicant {i}"))
        .bind(time_zone)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (cohort_id, user_id, role, state, library_type, library_name,
                 job_title, years_experience, interests, region, time_zone, meet_ways,
                 hours_per_month, hopes, mentor_capacity, agreed_at, created_at, updated_at)
             VALUES ($1, $2, $3, 'accepted', $4, 'Library', 'Librarian', $5, $6, $7, $8, $9, 4,
                     'Hopes', $10, $11, $11, $11) RETURNING id",
        )
        .bind(cohort)
        .bind(user)
        .bind(role)
        .bind(&p.library_type)
        .bind(p.years_experience)
        .bind(list_to_text(&p.interests))
        .bind(&p.region)
        .bind(time_zone)
        .bind(list_to_text(&p.meet_ways))
        .bind(if role == "mentor" {
            1 + (i % 3) as i64
        } else {
            0
        })
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if first_mentee == 0 {
            first_mentee = id;
        }
    }
    tx.commit().await?;
    Ok((cohort, first_mentee))
}
