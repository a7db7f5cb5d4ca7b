//! Generated applicants for `tandem-bench matching`: the score and assignment alone, and the
//! server functions' work end to end on a real database.

use app::backend::infra::db::Db;
use app::backend::infra::tz;
use app::backend::program::matching::{assign, score, score::Profile};
use app::backend::seed::rows;
use app::error::AppError;
use app::model::*;
use test_support::generated::Draw;

/// Generated profiles for the benchmark: `n` people with varied answers.
pub fn bench_profiles(n: usize, seed: u64) -> Vec<Profile> {
    let mut draw = Draw::seeded(seed);
    (0..n)
        .map(|_| Profile {
            library_type: draw.pick(LIBRARY_TYPES).0.into(),
            years_experience: draw.below(30),
            interests: INTERESTS
                .iter()
                .filter(|_| draw.one_in(4))
                .map(|s| s.to_string())
                .collect(),
            region: format!("Region {}", draw.below(8)),
            utc_offset_minutes: tz::offset_minutes(draw.pick::<&str>(TIME_ZONES), 0),
            meet_ways: MEET_WAYS
                .iter()
                .filter(|_| draw.one_in(2))
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
    let cohort = rows::insert_one(
        db,
        rows::Cohort {
            state: CohortState::Matching,
            applications_open: "2027-01-01",
            applications_close: "2027-02-01",
            program_start: "2027-03-01",
            program_end: "2028-02-01",
            ..rows::Cohort::running("Benchmark cohort", mentees as i64)
        },
    )
    .await?;
    let applicants: Vec<(MatchRole, Profile)> = bench_profiles(mentees, 1)
        .into_iter()
        .map(|p| (MatchRole::Mentee, p))
        .chain(
            bench_profiles(mentors, 2)
                .into_iter()
                .map(|p| (MatchRole::Mentor, p)),
        )
        .collect();
    let mut zone = Draw::seeded(3);
    let zones: Vec<&str> = applicants.iter().map(|_| *zone.pick(TIME_ZONES)).collect();
    let people: Vec<rows::Person> = zones
        .iter()
        .enumerate()
        .map(|(i, time_zone)| rows::Person {
            time_zone,
            ..rows::Person::participant(format!("bench{i}@example.org"), format!("Applicant {i}"))
        })
        .collect();
    let users = rows::insert(db, &people).await?;
    let applications: Vec<rows::Application> = applicants
        .iter()
        .zip(&users)
        .zip(&zones)
        .enumerate()
        .map(|(i, (((role, p), &user), time_zone))| rows::Application {
            library_type: &p.library_type,
            years_experience: p.years_experience,
            interests: p.interests.clone(),
            region: p.region.clone(),
            time_zone,
            meet_ways: p.meet_ways.clone(),
            mentor_capacity: match role {
                MatchRole::Mentor => 1 + (i % 3) as i64,
                MatchRole::Mentee => 0,
            },
            ..rows::Application::plain(cohort, user, *role, ApplicationState::Accepted)
        })
        .collect();
    let ids = rows::insert(db, &applications).await?;
    Ok((cohort, ids.first().copied().unwrap_or(0)))
}
