//! How well a mentor suits a mentee: a score with its reasons spelled out, so a coordinator can
//! see why a suggestion ranks where it does. Scores are never negative, which keeps "assign
//! everyone" and "maximise the total" the same goal for the assignment.

/// What the score looks at, read from an application.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub library_type: String,
    pub years_experience: i64,
    pub interests: Vec<String>,
    pub region: String,
    /// UTC offset in minutes now, None for an unknown zone.
    pub utc_offset_minutes: Option<i32>,
    pub meet_ways: Vec<String>,
    pub gender: String,
    pub race_ethnicity: String,
    pub wants_shared_identity: bool,
}

const PER_SHARED_INTEREST: i64 = 10;
const MAX_INTERESTS: i64 = 40;
const SAME_LIBRARY_TYPE: i64 = 15;
const PER_SHARED_WAY: i64 = 5;
const MAX_WAYS: i64 = 15;
const SAME_REGION: i64 = 5;
const SHARED_IDENTITY: i64 = 10;

fn same(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}

fn shared<'a>(a: &'a [String], b: &[String]) -> Vec<&'a str> {
    a.iter()
        .filter(|x| b.contains(x))
        .map(String::as_str)
        .collect()
}

/// Points for the mentor's experience over the mentee's: a few years ahead is ideal.
fn experience_points(mentor_years: i64, mentee_years: i64) -> (i64, String) {
    let gap = mentor_years - mentee_years;
    match gap {
        i64::MIN..=0 => (
            0,
            format!(
                "Mentor has no more experience than the mentee ({mentor_years} vs {mentee_years} years)"
            ),
        ),
        1..=2 => (5, format!("Small experience gap ({gap} years)")),
        3..=15 => (15, format!("Sensible experience gap ({gap} years)")),
        _ => (8, format!("Wide experience gap ({gap} years)")),
    }
}

fn time_zone_points(a: Option<i32>, b: Option<i32>) -> (i64, String) {
    let (Some(a), Some(b)) = (a, b) else {
        return (0, "Time zone unknown".into());
    };
    let hours = (a - b).abs() as f64 / 60.0;
    if hours == 0.0 {
        (15, "Same time zone".into())
    } else if hours <= 1.0 {
        (10, "One hour apart".into())
    } else if hours <= 3.0 {
        (5, format!("{hours} hours apart"))
    } else {
        (0, format!("{hours} hours apart"))
    }
}

/// The mentor's suitability for the mentee, and why.
pub fn score(mentee: &Profile, mentor: &Profile) -> (i64, Vec<String>) {
    let mut total = 0;
    let mut reasons = Vec::new();

    let interests = shared(&mentee.interests, &mentor.interests);
    if !interests.is_empty() {
        total += (interests.len() as i64 * PER_SHARED_INTEREST).min(MAX_INTERESTS);
        reasons.push(format!(
            "Shares {} interest{}: {}",
            interests.len(),
            if interests.len() == 1 { "" } else { "s" },
            interests.join(", ")
        ));
    }
    if same(&mentee.library_type, &mentor.library_type) {
        total += SAME_LIBRARY_TYPE;
        reasons.push(format!("Same library type ({})", mentee.library_type));
    }
    let (points, why) = experience_points(mentor.years_experience, mentee.years_experience);
    total += points;
    reasons.push(why);
    let (points, why) = time_zone_points(mentee.utc_offset_minutes, mentor.utc_offset_minutes);
    total += points;
    reasons.push(why);
    let ways = shared(&mentee.meet_ways, &mentor.meet_ways);
    if ways.is_empty() {
        reasons.push("No way to meet in common".into());
    } else {
        total += (ways.len() as i64 * PER_SHARED_WAY).min(MAX_WAYS);
        reasons.push(format!("Can both meet by {}", ways.join(", ")));
    }
    if same(&mentee.region, &mentor.region) {
        total += SAME_REGION;
        reasons.push(format!("Same region ({})", mentee.region.trim()));
    }
    // Stated wishes: either partner asked for someone who shares their identity.
    if mentee.wants_shared_identity || mentor.wants_shared_identity {
        let mut met = Vec::new();
        if same(&mentee.gender, &mentor.gender) {
            met.push("gender");
        }
        if same(&mentee.race_ethnicity, &mentor.race_ethnicity) {
            met.push("race or ethnicity");
        }
        if met.is_empty() {
            reasons.push("Wish to share identity not met".into());
        } else {
            total += SHARED_IDENTITY * met.len() as i64;
            reasons.push(format!("Wish to share identity met ({})", met.join(", ")));
        }
    }
    (total.max(0), reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kind: &str, years: i64, interests: &[&str], offset: i32, ways: &[&str]) -> Profile {
        Profile {
            library_type: kind.into(),
            years_experience: years,
            interests: interests.iter().map(|s| s.to_string()).collect(),
            region: "Midwest".into(),
            utc_offset_minutes: Some(offset),
            meet_ways: ways.iter().map(|s| s.to_string()).collect(),
            ..Profile::default()
        }
    }

    #[test]
    fn a_close_fit_scores_every_part_and_says_why() {
        let mentee = p(
            "public",
            1,
            &["Storytime", "Teens", "Outreach"],
            -360,
            &["phone", "video"],
        );
        let mentor = p(
            "public",
            10,
            &["Storytime", "Outreach"],
            -360,
            &["video", "chat"],
        );
        let (score, reasons) = score(&mentee, &mentor);
        // 2 interests (20) + type (15) + gap 9 (15) + same zone (15) + one way (5) + region (5).
        assert_eq!(score, 75);
        assert!(reasons.contains(&"Shares 2 interests: Storytime, Outreach".to_string()));
        assert!(reasons.contains(&"Same library type (public)".to_string()));
        assert!(reasons.contains(&"Sensible experience gap (9 years)".to_string()));
        assert!(reasons.contains(&"Same time zone".to_string()));
        assert!(reasons.contains(&"Can both meet by video".to_string()));
    }

    #[test]
    fn a_poor_fit_scores_low_and_never_below_zero() {
        let mut mentee = p("school", 12, &["Teens"], -300, &["phone"]);
        mentee.region = "Northeast".into();
        let mentor = p("academic", 3, &["Technology"], 60, &["email"]);
        let (score, reasons) = score(&mentee, &mentor);
        assert_eq!(score, 0);
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("Mentor has no more experience"))
        );
        assert!(reasons.contains(&"No way to meet in common".to_string()));
        assert!(reasons.contains(&"6 hours apart".to_string()));
    }

    #[test]
    fn gaps_and_distances_are_graded() {
        assert_eq!(experience_points(3, 1).0, 5);
        assert_eq!(experience_points(4, 1).0, 15);
        assert_eq!(experience_points(30, 1).0, 8);
        assert_eq!(time_zone_points(Some(-300), Some(-360)).0, 10);
        assert_eq!(time_zone_points(Some(-300), Some(-480)).0, 5);
        assert_eq!(time_zone_points(None, Some(0)).0, 0);
        // Interests are capped so one dimension cannot swamp the rest.
        let all: Vec<&str> = crate::model::INTERESTS.to_vec();
        let a = p("other", 0, &all, 0, &[]);
        let b = p("public", 0, &all, 0, &[]);
        assert_eq!(score(&a, &b).0, MAX_INTERESTS + 15 + SAME_REGION);
    }

    #[test]
    fn stated_wishes_count_only_when_asked_for() {
        let mut mentee = p("public", 1, &[], 0, &[]);
        let mut mentor = p("public", 8, &[], 0, &[]);
        mentee.gender = "Woman".into();
        mentor.gender = "woman".into();
        let without = score(&mentee, &mentor).0;
        mentee.wants_shared_identity = true;
        let (with, reasons) = score(&mentee, &mentor);
        assert_eq!(with, without + SHARED_IDENTITY);
        assert!(reasons.contains(&"Wish to share identity met (gender)".to_string()));
        mentor.gender = "Man".into();
        let (_, reasons) = score(&mentee, &mentor);
        assert!(reasons.contains(&"Wish to share identity not met".to_string()));
    }
}
