//! Who may do what, and what each person's home holds, on SQLite and on PostgreSQL.

use app::backend::auth::policy::{self, Action, access};
use app::backend::match_work::facts::{self, MatchFacts};
use app::backend::{auth::users, match_work::home, seed::demo};
use app::error::AppError;
use app::model::{CohortId, CurrentUser, MatchId, MatchState, Party, Role, UserId};
use test_support::db::each_engine;

fn person(role: Role) -> CurrentUser {
    CurrentUser {
        id: UserId(1),
        email: "p@example.org".into(),
        name: "P".into(),
        role,
        pronouns: String::new(),
        time_zone: "UTC".into(),
        bio: String::new(),
        // Coordinators have two-step sign-in, as they must to act as one; the test of that
        // rule below takes it away.
        second_factor: role == Role::Coordinator,
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
        policy::signed_in(Some(participant.clone())).map(|u| u.id().get()),
        Ok(1)
    );
}

/// A match whose mentor is user 10 and mentee user 11, as the policy reads it.
fn match_facts() -> MatchFacts {
    MatchFacts {
        match_id: MatchId(7),
        cohort_id: CohortId(1),
        cohort_name: "2026–2027".into(),
        mentor_id: UserId(10),
        mentee_id: UserId(11),
        state: MatchState::Active,
        started_at: 0,
        program_start: "2026-09-01".into(),
        program_end: "2027-06-30".into(),
        due_days: 30,
        end_requests: 0,
        revision: 0,
        mentor_updated_at: 0,
        mentee_updated_at: 0,
        catalogue_at: 0,
    }
}

fn with_id(id: i64, role: Role) -> CurrentUser {
    CurrentUser {
        id: UserId(id),
        ..person(role)
    }
}

/// The permits the backend requires come only from these grants: each refuses whom its rule
/// refuses, and a granted match permit names the holder's side.
#[test]
fn grants_hand_out_permits_only_to_whom_the_rules_allow() {
    let mentor = with_id(10, Role::Participant);
    let mentee = with_id(11, Role::Participant);
    let other = with_id(12, Role::Participant);
    let coordinator = with_id(1, Role::Coordinator);
    let f = match_facts();

    assert_eq!(
        policy::signed_in(None).err(),
        Some(AppError::Unauthenticated)
    );
    assert_eq!(
        policy::coordinator(None).err(),
        Some(AppError::Unauthenticated)
    );
    assert_eq!(
        policy::coordinator(Some(mentor.clone())).err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(
        policy::coordinator(Some(coordinator.clone()))
            .map(|c| c.id().get())
            .ok(),
        Some(1)
    );
    assert!(matches!(
        policy::participant(Some(coordinator.clone())),
        Err(AppError::Refused(_))
    ));
    assert_eq!(
        policy::participant(Some(mentee.clone()))
            .map(|p| p.id().get())
            .ok(),
        Some(11)
    );

    // Reading a match: its partners and coordinators; never the other match, never a visitor.
    let read = |who: Option<CurrentUser>| policy::on_match::<access::Read>(who, f.clone());
    assert_eq!(read(None).err(), Some(AppError::Unauthenticated));
    assert_eq!(read(Some(other.clone())).err(), Some(AppError::Forbidden));
    assert_eq!(
        read(Some(mentor.clone())).map(|p| p.party()).ok(),
        Some(Party::Mentor)
    );
    assert_eq!(
        read(Some(mentee.clone())).map(|p| p.party()).ok(),
        Some(Party::Mentee)
    );
    assert_eq!(
        read(Some(coordinator.clone())).map(|p| p.party()).ok(),
        Some(Party::Coordinator)
    );

    // Working on it and talking in it: the two partners only (a coordinator never reads the chat).
    for who in [&other, &coordinator] {
        assert_eq!(
            policy::on_match::<access::Work>(Some(who.clone()), f.clone()).err(),
            Some(AppError::Forbidden)
        );
        assert_eq!(
            policy::on_match::<access::Talk>(Some(who.clone()), f.clone()).err(),
            Some(AppError::Forbidden)
        );
    }
    let talk = policy::on_match::<access::Talk>(Some(mentor.clone()), f.clone()).unwrap();
    assert_eq!((talk.match_id().get(), talk.partner_id().get()), (7, 11));

    // Submitting: the mentee only. Reviewing: coordinators only.
    assert!(matches!(
        policy::on_match::<access::Submit>(Some(mentor.clone()), f.clone()),
        Err(AppError::Refused(_))
    ));
    assert!(policy::on_match::<access::Submit>(Some(mentee.clone()), f.clone()).is_ok());
    assert_eq!(
        policy::on_match::<access::Review>(Some(mentee.clone()), f.clone()).err(),
        Some(AppError::Forbidden)
    );
    assert!(policy::on_match::<access::Review>(Some(coordinator.clone()), f).is_ok());

    // A signed-in permit carries the coordinating grant only where the rulebook gives it: a
    // coordinator without two-step sign-in reads the community as a participant does.
    let unenrolled = CurrentUser {
        second_factor: false,
        ..coordinator.clone()
    };
    let signed = |who: &CurrentUser| policy::signed_in(Some(who.clone())).unwrap();
    assert!(signed(&coordinator).coordinator().is_some());
    assert!(signed(&unenrolled).coordinator().is_none());
    assert!(signed(&mentor).coordinator().is_none());

    // Open actions: anyone, with their signed-in permit when they have one. Applying is refused
    // to coordinators (they run the program), by the rulebook rather than the server function.
    let apply = |who: Option<CurrentUser>| {
        policy::open::<policy::open::SubmitApplication>(who).map(|p| p.who().map(|u| u.id.get()))
    };
    assert_eq!(apply(None), Ok(None));
    assert_eq!(apply(Some(mentee.clone())), Ok(Some(11)));
    assert_eq!(
        apply(Some(coordinator.clone())),
        Err(AppError::Refused(
            "Coordinators run the program and cannot apply to it.".into()
        ))
    );
    assert!(policy::open::<policy::open::Apply>(Some(coordinator.clone())).is_ok());
    assert!(policy::open::<policy::open::Authenticate>(None).is_ok());

    // Homes: a coordinator's needs the coordinating grant, like every coordinator page.
    assert!(matches!(
        policy::home(Some(coordinator.clone())),
        Ok(policy::Home::Coordinator(_))
    ));
    assert!(matches!(
        policy::home(Some(mentor.clone())),
        Ok(policy::Home::Participant(_))
    ));
    assert_eq!(
        policy::home(Some(unenrolled)).err(),
        Some(AppError::SecondFactorNeeded)
    );
    assert_eq!(policy::home(None).err(), Some(AppError::Unauthenticated));
    assert!(
        policy::maybe_participant(Some(coordinator))
            .unwrap()
            .is_none()
    );
    assert!(policy::maybe_participant(Some(mentor)).unwrap().is_some());
    assert!(policy::maybe_participant(None).unwrap().is_none());
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

        let seen_by_mentor = home::my_match_homes(
            &db,
            &Default::default(),
            &policy::signed_in(Some(mentor.to_current())).unwrap(),
            &facts::of_partner(&db, mentor.id).await.unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(seen_by_mentor.len(), 1);
        assert_eq!(seen_by_mentor[0].summary.my_role.as_str(), "mentor");
        assert_eq!(seen_by_mentor[0].summary.partner.name, mentee.name);

        let seen_by_mentee = home::my_match_homes(
            &db,
            &Default::default(),
            &policy::signed_in(Some(mentee.to_current())).unwrap(),
            &facts::of_partner(&db, mentee.id).await.unwrap(),
        )
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
        let theirs = home::my_match_homes(
            &db,
            &Default::default(),
            &policy::signed_in(Some(other.to_current())).unwrap(),
            &facts::of_partner(&db, other.id).await.unwrap(),
        )
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
        let cohorts = app::backend::program::overview::cohorts(
            &db,
            &test_support::permits::coordinator(&db).await,
        )
        .await
        .unwrap();
        // The program year in progress, and the intake taking applications (newest first).
        assert_eq!(cohorts.len(), 2);
        assert_eq!(
            (cohorts[0].state.as_str(), cohorts[0].active_matches),
            ("open", 1)
        );
        let c = &cohorts[1];
        assert_eq!((c.mentors, c.mentees, c.active_matches), (4, 4, 4));
        assert_eq!(c.state.as_str(), "active");
        let matches = app::backend::program::overview::recent_matches(
            &db,
            &test_support::permits::coordinator(&db).await,
            50,
        )
        .await
        .unwrap();
        assert_eq!(matches.len(), 5);
        // Ending a match takes it out of the active count.
        sqlx::query("UPDATE matches SET state = 'ended_early' WHERE id = $1")
            .bind(matches[0].match_id)
            .execute(&db)
            .await
            .unwrap();
        let year = app::backend::program::overview::cohorts(
            &db,
            &test_support::permits::coordinator(&db).await,
        )
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
