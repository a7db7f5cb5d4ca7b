//! Demo data: one cohort in its program year, a coordinator, mentors, mentees and their matches,
//! so every page has something real to show. Loaded only into an empty database.

use crate::backend::auth::{second_factor, users};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::seed::rows;
use crate::backend::{auth::passwords, infra::tz};
use crate::error::AppError;
use crate::model::{ApplicationState, CohortState, MatchId, MatchRole, Role, UserId};

pub const DEMO_PASSWORD: &str = "demo-password-1";
/// The demo coordinator's authenticator secret (base32), printed with the demo sign-ins: add it
/// to an authenticator app to sign in as the coordinator, who must have two-step sign-in. Known
/// to everyone, as the demo password is: demo data is never a real program's.
pub const DEMO_TOTP_SECRET: &str = "TANDEMDEMOCOORDINATORTOTPSECRETX";

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
    let coordinator_id = rows::insert_one(
        db,
        rows::Person {
            email: "coordinator@example.org".into(),
            name: "Jordan Avery".into(),
            role: Role::Coordinator,
            password_hash: &hash,
            pronouns: "she/her",
            time_zone: "America/Chicago",
            bio: "Coordinator of the mentoring program.",
            last_active_at: 0,
        },
    )
    .await?;
    second_factor::turn_on_with(db, UserId(coordinator_id), DEMO_TOTP_SECRET).await?;
    let mentor_ids = rows::insert(db, &people(MENTORS, &hash)).await?;
    let mentee_ids = rows::insert(db, &people(MENTEES, &hash)).await?;
    let now = now_ms();
    let cohort_id = rows::insert_one(
        db,
        cohort(
            "2026–2027 Mentoring Program",
            CohortState::Active,
            ("2026-05-01", "2026-06-30"),
            ("2026-09-01", "2027-06-30"),
        ),
    )
    .await?;
    let day = 24 * 60 * 60 * 1000;
    let mut applications = Vec::new();
    let mut matches = Vec::new();
    for (i, ((mentor, mentee), answers)) in mentor_ids
        .iter()
        .zip(&mentee_ids)
        .zip(&ACTIVE_ANSWERS)
        .enumerate()
    {
        let (mentor, mentee) = (*mentor, *mentee);
        let mut as_mentor = answers.0.application(cohort_id, mentor, MatchRole::Mentor);
        as_mentor.time_zone = MENTORS[i].time_zone;
        (as_mentor.mentor_capacity, as_mentor.active_mentees) = (2, 1);
        let mut as_mentee = answers.1.application(cohort_id, mentee, MatchRole::Mentee);
        as_mentee.time_zone = MENTEES[i].time_zone;
        applications.extend([as_mentor, as_mentee]);
        matches.push(rows::Match::active(
            cohort_id,
            mentor,
            mentee,
            now - (60 - i as i64) * day,
        ));
    }
    rows::insert(db, &applications).await?;
    let match_ids = rows::insert(db, &matches).await?;
    seed_match_work(db, &match_ids).await?;
    seed_intake(db, &hash).await?;
    crate::backend::seed::community::seed(db, UserId(coordinator_id), &hash).await?;
    Ok(true)
}

/// The demo's participants as rows, all with the demo password.
fn people<'a>(list: &'a [Person], hash: &'a str) -> Vec<rows::Person<'a>> {
    list.iter()
        .map(|p| rows::Person {
            email: p.email.into(),
            name: p.name.into(),
            role: Role::Participant,
            password_hash: hash,
            pronouns: p.pronouns,
            time_zone: p.time_zone,
            bio: p.bio,
            last_active_at: 0,
        })
        .collect()
}

/// A demo cohort: its application window and its program year.
fn cohort<'a>(
    name: &'a str,
    state: CohortState,
    window: (&'a str, &'a str),
    program: (&'a str, &'a str),
) -> rows::Cohort<'a> {
    rows::Cohort {
        name,
        state,
        applications_open: window.0,
        applications_close: window.1,
        program_start: program.0,
        program_end: program.1,
        mentee_capacity: 40,
        goal_sheet_due_days: 30,
    }
}

/// A year under way for three of the four demo matches, written through the same code the pages
/// use: one acknowledged sheet with progress, contacts and activities; one submitted; one draft.
/// The first match (mentor@ and mentee@) starts empty, so a visitor can try the whole contract.
async fn seed_match_work(db: &Db, match_ids: &[i64]) -> Result<(), AppError> {
    use crate::backend::auth::policy::{self, access};
    use crate::backend::match_work::{activities, contacts, facts, goal_sheets};
    use crate::model::{GoalInput, SaveOutcome};
    let today = tz::today_utc(now_ms());
    let goal = |title: &str, why: &str, measure: &str, date: &str, tags: &str| GoalInput {
        id: 0,
        title: title.into(),
        why: why.into(),
        measure: measure.into(),
        target_date: date.into(),
        tags: tags.into(),
    };
    let catalogue = activities::catalogue(db).await?;
    for (i, &match_id) in match_ids.iter().enumerate().skip(1) {
        let f = facts::of_match(db, MatchId(match_id)).await?;
        let goals = match i {
            1 => vec![
                goal(
                    "Make new contacts and network within the profession.",
                    "I am the only children's librarian in my system.",
                    "Three new colleagues I can call for advice by spring.",
                    "2027-04-30",
                    "networking",
                ),
                goal(
                    "Work together to come up with six crafts for the Bookbag program (ages 6 to 12).",
                    "Our after-school crowd has outgrown the old crafts.",
                    "Six tested crafts with supply lists, shared with my branch.",
                    "2027-02-26",
                    "programming, ages 6 to 12",
                ),
            ],
            2 => vec![goal(
                "Learn more about school librarianship.",
                "I may move to a school library next year.",
                "A visit to my mentor's school and a list of questions answered.",
                "2027-03-31",
                "school libraries",
            )],
            _ => vec![goal(
                "Discuss the qualities that make an effective manager or director.",
                "",
                "",
                "2027-05-28",
                "",
            )],
        };
        let mentee = users::current(db, f.mentee_id).await?;
        let mentor = users::current(db, f.mentor_id).await?;
        let as_mentee = policy::on_match::<access::Submit>(Some(mentee), f.clone())?;
        let as_mentor = policy::on_match::<access::Work>(Some(mentor), f.clone())?;
        let saved = goal_sheets::save(db, &as_mentee.worker(), 0, &goals).await?;
        let SaveOutcome::Saved { version } = saved else {
            continue;
        };
        if i <= 2 {
            goal_sheets::submit(db, &as_mentee, version).await?;
        }
        if i == 1 {
            goal_sheets::confirm(db, &as_mentor, version + 1).await?;
            let coordinator: UserId =
                sqlx::query_scalar("SELECT id FROM users WHERE email = 'coordinator@example.org'")
                    .fetch_one(db)
                    .await?;
            let reviewer = policy::on_match::<access::Review>(
                Some(users::current(db, coordinator).await?),
                f.clone(),
            )?;
            goal_sheets::acknowledge(db, &reviewer, version + 2).await?;
            let sheet = goal_sheets::view(db, &f, false).await?;
            if let Some(first) = sheet.goals.first() {
                goal_sheets::record_progress(
                    db,
                    &as_mentee.worker(),
                    first.id,
                    "in_progress",
                    "Met two school librarians at the regional workshop.",
                    &tz::add_days(&today, -12),
                )
                .await?;
            }
            let mentee_work = as_mentee.worker();
            for (days_ago, way, minutes, who) in [
                (40, "video", 45, &as_mentor),
                (26, "phone", 30, &mentee_work),
                (12, "chat", 20, &mentee_work),
                (3, "phone", 35, &as_mentor),
            ] {
                contacts::log(
                    db,
                    who,
                    contacts::ContactInput {
                        way,
                        on_date: &tz::add_days(&today, -days_ago),
                        minutes,
                        note: "",
                    },
                )
                .await?;
            }
            for (n, state, days) in [(0usize, "done", -20i64), (4, "planned", 14)] {
                if let Some(a) = catalogue.get(n) {
                    activities::plan(
                        db,
                        &mentee_work,
                        activities::PlanInput {
                            activity_id: a.id,
                            goal_id: sheet.goals.get(1).map_or(0, |g| g.id),
                            state,
                            on_date: &tz::add_days(&today, days),
                            note: "",
                        },
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// Answers for an application: library type, library, role, years, interests, region, ways.
struct Answers(
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

impl Answers {
    /// These answers as `user_id`'s application to `cohort_id` in `role`, accepted and matched.
    fn application(&self, cohort_id: i64, user_id: i64, role: MatchRole) -> rows::Application<'_> {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        rows::Application {
            library_type: self.0,
            library_name: self.1,
            job_title: self.2,
            years_experience: self.3,
            interests: list(self.4),
            region: self.5.into(),
            meet_ways: list(self.6),
            hopes: match role {
                MatchRole::Mentor => {
                    "To help a newer colleague find their footing, and to keep learning myself."
                }
                MatchRole::Mentee => {
                    "A colleague to think with about programs, my first budget and where my career goes next."
                }
            },
            ..rows::Application::plain(cohort_id, user_id, role, ApplicationState::Matched)
        }
    }
}

const ACTIVE_ANSWERS: [(Answers, Answers); 4] = [
    (
        Answers(
            "public",
            "Riverside Public Library",
            "Youth services manager",
            20,
            &["Storytime", "Management", "Programming for ages 6 to 12"],
            "Illinois",
            &["phone", "video", "chat"],
        ),
        Answers(
            "public",
            "Eastside Branch Library",
            "Children's librarian",
            1,
            &[
                "Early literacy",
                "Programming for ages 6 to 12",
                "Storytime",
            ],
            "New York",
            &["video", "chat"],
        ),
    ),
    (
        Answers(
            "school",
            "Lincoln Elementary School",
            "School librarian",
            12,
            &["School librarianship", "Technology"],
            "Georgia",
            &["email", "video"],
        ),
        Answers(
            "school",
            "Library school",
            "Student and library assistant",
            0,
            &["School librarianship"],
            "Illinois",
            &["email", "chat"],
        ),
    ),
    (
        Answers(
            "public",
            "High Plains Regional Library",
            "Outreach librarian",
            9,
            &["Outreach", "Equity, diversity and inclusion"],
            "Colorado",
            &["phone", "conference"],
        ),
        Answers(
            "public",
            "Desert Valley Library",
            "Storytime presenter",
            4,
            &["Storytime", "Management"],
            "Arizona",
            &["phone", "video"],
        ),
    ),
    (
        Answers(
            "public",
            "County Library System",
            "Collection development librarian",
            15,
            &["Collection development", "Teens"],
            "California",
            &["email", "chat"],
        ),
        Answers(
            "public",
            "Harbor City Library",
            "Teen and tween librarian",
            3,
            &["Teens", "Collection development"],
            "California",
            &["chat", "video"],
        ),
    ),
];

/// The intake now open: people in every application state, and accepted people waiting to be
/// matched, so the review and matching views have real work in them.
async fn seed_intake(db: &Db, hash: &str) -> Result<(), AppError> {
    let today = tz::today_utc(now_ms());
    let program_start = tz::add_days(&today, 60);
    let (open, close) = (tz::add_days(&today, -30), tz::add_days(&today, 45));
    let program_end = tz::add_days(&program_start, 300);
    let cohort_id = rows::insert_one(
        db,
        cohort(
            "2027 Winter Intake",
            CohortState::Open,
            (&open, &close),
            (&program_start, &program_end),
        ),
    )
    .await?;
    let people: Vec<rows::Person> = INTAKE
        .iter()
        .map(|a| rows::Person {
            email: a.email.into(),
            name: a.name.into(),
            role: Role::Participant,
            password_hash: hash,
            pronouns: a.pronouns,
            time_zone: a.time_zone,
            bio: "",
            last_active_at: 0,
        })
        .collect();
    let user_ids = rows::insert(db, &people).await?;
    let mut applications = Vec::new();
    let mut matched = Vec::new();
    for (a, &user_id) in INTAKE.iter().zip(&user_ids) {
        let is_mentor = a.role == MatchRole::Mentor;
        let is_matched = a.state == ApplicationState::Matched;
        applications.push(rows::Application {
            state: a.state,
            time_zone: a.time_zone,
            mentor_capacity: if is_mentor { a.capacity } else { 0 },
            active_mentees: i64::from(is_matched && is_mentor),
            ..a.answers.application(cohort_id, user_id, a.role)
        });
        if is_matched {
            matched.push(user_id);
        }
    }
    rows::insert(db, &applications).await?;
    if let [mentor, mentee] = matched[..] {
        rows::insert_one(db, rows::Match::active(cohort_id, mentor, mentee, now_ms())).await?;
    }
    Ok(())
}

struct Applicant {
    email: &'static str,
    name: &'static str,
    pronouns: &'static str,
    time_zone: &'static str,
    role: MatchRole,
    state: ApplicationState,
    capacity: i64,
    answers: Answers,
}

const INTAKE: &[Applicant] = &[
    Applicant {
        email: "ruth.okonkwo@example.org",
        name: "Ruth Okonkwo",
        pronouns: "she/her",
        time_zone: "America/New_York",
        role: MatchRole::Mentor,
        state: ApplicationState::Matched,
        capacity: 2,
        answers: Answers(
            "public",
            "Brookline Public Library",
            "Head of children's services",
            18,
            &["Storytime", "Early literacy", "Management"],
            "Massachusetts",
            &["phone", "video"],
        ),
    },
    Applicant {
        email: "ben.fischer@example.org",
        name: "Ben Fischer",
        pronouns: "he/him",
        time_zone: "America/New_York",
        role: MatchRole::Mentee,
        state: ApplicationState::Matched,
        capacity: 0,
        answers: Answers(
            "public",
            "Quincy Branch",
            "Library associate",
            2,
            &["Storytime", "Early literacy"],
            "Massachusetts",
            &["video", "chat"],
        ),
    },
    Applicant {
        email: "amara.diallo@example.org",
        name: "Amara Diallo",
        pronouns: "she/her",
        time_zone: "America/Chicago",
        role: MatchRole::Mentor,
        state: ApplicationState::Accepted,
        capacity: 2,
        answers: Answers(
            "school",
            "Oak Park Middle School",
            "Teacher librarian",
            14,
            &[
                "School librarianship",
                "Teens",
                "Equity, diversity and inclusion",
            ],
            "Illinois",
            &["email", "video", "chat"],
        ),
    },
    Applicant {
        email: "carlos.mendoza@example.org",
        name: "Carlos Mendoza",
        pronouns: "he/him",
        time_zone: "America/Denver",
        role: MatchRole::Mentor,
        state: ApplicationState::Accepted,
        capacity: 1,
        answers: Answers(
            "public",
            "Front Range Library District",
            "Outreach coordinator",
            11,
            &["Outreach", "Advocacy", "Programming for ages 6 to 12"],
            "Colorado",
            &["phone", "conference"],
        ),
    },
    Applicant {
        email: "naomi.watts@example.org",
        name: "Naomi Watts",
        pronouns: "she/her",
        time_zone: "America/Los_Angeles",
        role: MatchRole::Mentor,
        state: ApplicationState::Accepted,
        capacity: 3,
        answers: Answers(
            "academic",
            "State University Curriculum Library",
            "Children's literature librarian",
            22,
            &["Collection development", "Technology", "Early literacy"],
            "Oregon",
            &["email", "video"],
        ),
    },
    Applicant {
        email: "jun.park@example.org",
        name: "Jun Park",
        pronouns: "he/him",
        time_zone: "America/Chicago",
        role: MatchRole::Mentee,
        state: ApplicationState::Accepted,
        capacity: 0,
        answers: Answers(
            "school",
            "Evanston Elementary",
            "New school librarian",
            1,
            &["School librarianship", "Teens"],
            "Illinois",
            &["email", "chat"],
        ),
    },
    Applicant {
        email: "fatima.hassan@example.org",
        name: "Fatima Hassan",
        pronouns: "she/her",
        time_zone: "America/Denver",
        role: MatchRole::Mentee,
        state: ApplicationState::Accepted,
        capacity: 0,
        answers: Answers(
            "public",
            "Boulder Creek Library",
            "Children's library assistant",
            3,
            &["Outreach", "Programming for ages 6 to 12"],
            "Colorado",
            &["phone", "video"],
        ),
    },
    Applicant {
        email: "lena.novak@example.org",
        name: "Lena Novak",
        pronouns: "she/her",
        time_zone: "America/Los_Angeles",
        role: MatchRole::Mentee,
        state: ApplicationState::Accepted,
        capacity: 0,
        answers: Answers(
            "public",
            "Sunset District Library",
            "Children's librarian",
            2,
            &["Collection development", "Early literacy"],
            "California",
            &["email", "video"],
        ),
    },
    Applicant {
        email: "omar.farouk@example.org",
        name: "Omar Farouk",
        pronouns: "he/him",
        time_zone: "America/New_York",
        role: MatchRole::Mentee,
        state: ApplicationState::Accepted,
        capacity: 0,
        answers: Answers(
            "special",
            "Children's Hospital Family Library",
            "Family library coordinator",
            5,
            &["Technology", "Advocacy"],
            "New York",
            &["video", "chat"],
        ),
    },
    Applicant {
        email: "ivy.thompson@example.org",
        name: "Ivy Thompson",
        pronouns: "she/her",
        time_zone: "America/Chicago",
        role: MatchRole::Mentee,
        state: ApplicationState::Submitted,
        capacity: 0,
        answers: Answers(
            "public",
            "Prairie Library",
            "Library page",
            0,
            &["Storytime", "Teens"],
            "Iowa",
            &["chat"],
        ),
    },
    Applicant {
        email: "marcus.bell@example.org",
        name: "Marcus Bell",
        pronouns: "he/him",
        time_zone: "America/New_York",
        role: MatchRole::Mentor,
        state: ApplicationState::Submitted,
        capacity: 2,
        answers: Answers(
            "public",
            "Capitol Hill Library",
            "Branch manager",
            16,
            &["Management", "Advocacy"],
            "District of Columbia",
            &["phone", "email"],
        ),
    },
    Applicant {
        email: "sofia.rossi@example.org",
        name: "Sofia Rossi",
        pronouns: "she/her",
        time_zone: "America/Phoenix",
        role: MatchRole::Mentee,
        state: ApplicationState::Waitlisted,
        capacity: 0,
        answers: Answers(
            "other",
            "Museum education center",
            "Education assistant",
            2,
            &["Programming for ages 6 to 12"],
            "Arizona",
            &["video"],
        ),
    },
    Applicant {
        email: "derek.nguyen@example.org",
        name: "Derek Nguyen",
        pronouns: "he/him",
        time_zone: "America/Los_Angeles",
        role: MatchRole::Mentee,
        state: ApplicationState::Declined,
        capacity: 0,
        answers: Answers(
            "academic",
            "Community College Library",
            "Reference librarian",
            8,
            &["Technology"],
            "Washington",
            &["email"],
        ),
    },
    Applicant {
        email: "ella.brooks@example.org",
        name: "Ella Brooks",
        pronouns: "she/her",
        time_zone: "America/New_York",
        role: MatchRole::Mentee,
        state: ApplicationState::Withdrawn,
        capacity: 0,
        answers: Answers(
            "public",
            "Harbor Library",
            "Children's librarian",
            1,
            &["Storytime"],
            "Maine",
            &["phone"],
        ),
    },
];

/// A full year of work for the demo's first match (mentee@example.org), for the match home
/// benchmark: 3 goals, 40 progress notes, 50 contacts and 20 activities. Written straight to the
/// tables (the dates spread over the last year, before the match's own start would allow).
/// Returns the match id.
pub async fn seed_year_of_work(db: &Db) -> Result<i64, AppError> {
    let (match_id, mentor, mentee): (i64, i64, i64) = sqlx::query_as(
        "SELECT m.id, m.mentor_id, m.mentee_id FROM matches m JOIN users u ON u.id = m.mentee_id
         WHERE u.email = 'mentee@example.org'",
    )
    .fetch_one(db)
    .await?;
    let now = now_ms();
    let today = tz::today_utc(now);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO goal_sheets (match_id, state, version, updated_by, updated_at)
         VALUES ($1, 'acknowledged', 4, $2, $3)",
    )
    .bind(match_id)
    .bind(mentee)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut goal_ids = Vec::new();
    for (i, title) in [
        "Make new contacts and network within the profession.",
        "Learn more about school librarianship.",
        "Discuss the qualities that make an effective manager or director.",
    ]
    .iter()
    .enumerate()
    {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO goals (match_id, position, title, why, measure, target_date, tags, progress)
             VALUES ($1, $2, $3, 'Why it matters to my library.', 'How we will know.', '2027-05-28',
                     '[\"benchmark\"]', 'in_progress') RETURNING id",
        )
        .bind(match_id)
        .bind(i as i64 + 1)
        .bind(*title)
        .fetch_one(&mut *tx)
        .await?;
        goal_ids.push(id);
    }
    for n in 0..40i64 {
        sqlx::query(
            "INSERT INTO progress_notes (goal_id, match_id, author_id, progress, note, on_date, at)
             VALUES ($1, $2, $3, 'in_progress', 'A step forward on this goal, noted after our call.', $4, $5)",
        )
        .bind(goal_ids[(n % 3) as usize])
        .bind(match_id)
        .bind(if n % 2 == 0 { mentee } else { mentor })
        .bind(tz::add_days(&today, -(n * 9)))
        .bind(now - n * 9 * 86_400_000)
        .execute(&mut *tx)
        .await?;
    }
    for n in 0..50i64 {
        sqlx::query(
            "INSERT INTO contacts (match_id, author_id, way, on_date, minutes, note, created_at)
             VALUES ($1, $2, $3, $4, 30, 'Talked through the month and what comes next.', $5)",
        )
        .bind(match_id)
        .bind(if n % 2 == 0 { mentee } else { mentor })
        .bind(["phone", "video", "chat", "email"][(n % 4) as usize])
        .bind(tz::add_days(&today, -(n * 7)))
        .bind(now - n * 7 * 86_400_000)
        .execute(&mut *tx)
        .await?;
    }
    let activities: Vec<i64> = sqlx::query_scalar("SELECT id FROM activities ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    for n in 0..20i64 {
        sqlx::query(
            "INSERT INTO match_activities (match_id, activity_id, goal_id, state, on_date, note,
                                           author_id, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'Notes on how it went.', $6, $7)",
        )
        .bind(match_id)
        .bind(activities[(n as usize) % activities.len().max(1)])
        .bind(goal_ids[(n % 3) as usize])
        .bind(if n < 4 { "planned" } else { "done" })
        .bind(tz::add_days(&today, if n < 4 { n * 10 } else { -(n * 15) }))
        .bind(mentee)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(match_id)
}
