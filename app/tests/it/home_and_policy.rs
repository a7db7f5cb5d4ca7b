//! Who may do what, and what each person's home holds, on SQLite and on PostgreSQL.

use app::backend::auth::policy::{self, Action};
use app::backend::{auth::users, match_work::home, seed::demo};
use app::error::AppError;
use app::model::{CurrentUser, Role};
use test_support::db::each_engine;

fn person(role: Role) -> CurrentUser {
    CurrentUser {
        id: 1,
        email: "p@example.org".into(),
        name: "P".into(),
        role,
        pronouns: String::new(),
        time_zone: "UTC".into(),
        bio: String::new(),
    }
}

#[test]
fn policy_refuses_visitors_and_keeps_the_overview_to_coordinators() {
    let participant = person(Role::Participant);
    let coordinator = person(Role::Coordinator);
    for action in [
        Action::ManageOwnAccount,
        Action::ViewOwnHome,
        Action::ViewProgramOverview,
    ] {
        assert_eq!(
            policy::check(None, action),
            Err(AppError::Unauthenticated),
            "{action:?}"
        );
    }
    assert_eq!(
        policy::check(Some(&participant), Action::ViewProgramOverview),
        Err(AppError::Forbidden)
    );
    assert_eq!(
        policy::check(Some(&coordinator), Action::ViewProgramOverview),
        Ok(())
    );
    assert_eq!(
        policy::check(Some(&participant), Action::ViewOwnHome),
        Ok(())
    );
    assert_eq!(policy::check(None, Action::Authenticate), Ok(()));
    assert_eq!(
        policy::require(Some(&participant), Action::ManageOwnAccount).map(|u| u.id),
        Ok(1)
    );
}

#[tokio::test]
async fn each_participant_sees_only_their_own_partner() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let mentor = users::find_by_email(&db, "mentor@example.org")
            .await
            .unwrap()
            .unwrap();
        let mentee = users::find_by_email(&db, "mentee@example.org")
            .await
            .unwrap()
            .unwrap();

        let seen_by_mentor = home::my_match_homes(&db, &Default::default(), &mentor.to_current())
            .await
            .unwrap();
        assert_eq!(seen_by_mentor.len(), 1);
        assert_eq!(seen_by_mentor[0].summary.my_role.as_str(), "mentor");
        assert_eq!(seen_by_mentor[0].summary.partner.name, mentee.name);

        let seen_by_mentee = home::my_match_homes(&db, &Default::default(), &mentee.to_current())
            .await
            .unwrap();
        assert_eq!(seen_by_mentee.len(), 1);
        assert_eq!(seen_by_mentee[0].summary.my_role.as_str(), "mentee");
        assert_eq!(seen_by_mentee[0].summary.partner.name, mentor.name);
        assert_eq!(
            seen_by_mentee[0].summary.match_id,
            seen_by_mentor[0].summary.match_id
        );

        // Someone in another match never sees this pair.
        let other = users::find_by_email(&db, "priya.nair@example.org")
            .await
            .unwrap()
            .unwrap();
        let theirs = home::my_match_homes(&db, &Default::default(), &other.to_current())
            .await
            .unwrap();
        assert!(theirs.iter().all(|m| {
            m.summary.partner.name != mentor.name && m.summary.partner.name != mentee.name
        }));
    })
    .await;
}

#[tokio::test]
async fn the_overview_counts_the_demo_cohort() {
    each_engine(|db, _| async move {
        demo::seed_if_empty(&db).await.unwrap();
        let cohorts = home::cohorts(&db).await.unwrap();
        // The program year in progress, and the intake taking applications (newest first).
        assert_eq!(cohorts.len(), 2);
        assert_eq!(
            (cohorts[0].state.as_str(), cohorts[0].active_matches),
            ("open", 1)
        );
        let c = &cohorts[1];
        assert_eq!((c.mentors, c.mentees, c.active_matches), (4, 4, 4));
        assert_eq!(c.state.as_str(), "active");
        let matches = home::recent_matches(&db, 50).await.unwrap();
        assert_eq!(matches.len(), 5);
        // Ending a match takes it out of the active count.
        sqlx::query("UPDATE matches SET state = 'ended_early' WHERE id = $1")
            .bind(matches[0].match_id)
            .execute(&db)
            .await
            .unwrap();
        let year = home::cohorts(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.name == "2026–2027 Mentoring Program")
            .unwrap();
        assert_eq!(
            year.active_matches,
            4 - i64::from(matches[0].cohort_name == year.name)
        );
    })
    .await;
}
