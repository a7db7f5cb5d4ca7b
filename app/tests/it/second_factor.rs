//! Two-step sign-in, on SQLite and on PostgreSQL: setting it up, signing in with a code and with
//! a recovery code, codes used once and throttled like passwords, the policy's rule for
//! coordinators, and another coordinator's audited reset.

use app::backend::auth::policy;
use app::backend::auth::second_factor::{self, STEP_SECONDS, code_at};
use app::backend::auth::sign_in::{self, Client, SignInStep};
use app::backend::auth::users::{self, NewUser};
use app::backend::auth::{passwords, rate_limit};
use app::backend::infra::db::Db;
use app::error::AppError;
use app::model::{Role, UserId};
use test_support::db::each_engine;
use test_support::permits;

const PASSWORD: &str = "correct horse battery";

async fn make(db: &Db, email: &str, role: Role) -> UserId {
    let hash = passwords::hash(PASSWORD.to_string()).await.unwrap();
    users::create(
        db,
        NewUser {
            email,
            name: "Test Person",
            role,
            password_hash: &hash,
            pronouns: "",
            time_zone: "UTC",
            bio: "",
        },
    )
    .await
    .unwrap()
}

fn now_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / STEP_SECONDS
}

fn client(ip: &str) -> Client<'_> {
    Client { ip, device: None }
}

/// Sets up and confirms an authenticator for `id`; returns its secret and recovery codes.
async fn turn_on(db: &Db, id: UserId) -> (String, Vec<String>) {
    let me = permits::signed_in(db, id).await;
    second_factor::start(db, &me, "", "10.1.0.1").await.unwrap();
    let status = second_factor::status(db, &me).await.unwrap();
    let secret = status.setup.expect("a setup waits").secret.replace(' ', "");
    let code = code_at(&secret, now_step() * STEP_SECONDS).unwrap();
    let done = second_factor::confirm(db, &me, &code).await.unwrap();
    (secret, done.recovery_codes)
}

async fn pending_token(db: &Db, email: &str, ip: &str) -> String {
    match sign_in::sign_in_from(db, email, PASSWORD, client(ip))
        .await
        .unwrap()
    {
        SignInStep::CodeNeeded { token } => token,
        SignInStep::Done(_) => panic!("signed in without a code"),
    }
}

async fn count(db: &Db, sql: &str, id: UserId) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_participant_turns_it_on_and_signs_in_with_a_code_or_a_recovery_code_once() {
    each_engine(|db, _| async move {
        let id = make(&db, "pat@example.org", Role::Participant).await;
        let me = permits::signed_in(&db, id).await;
        second_factor::start(&db, &me, "", "10.1.0.1").await.unwrap();
        let wrong = second_factor::confirm(&db, &me, "000000").await;
        assert!(wrong.is_err_and(|e| e.for_field("code").is_some()));
        assert_eq!(count(&db, "SELECT second_factor FROM users WHERE id = $1", id).await, 0);
        let old_session = app::backend::auth::sessions::create(&db, id).await.unwrap();

        let status = second_factor::status(&db, &me).await.unwrap();
        let setup = status.setup.unwrap();
        assert!(setup.link.starts_with("otpauth://totp/Tandem:pat%40example.org?"), "{}", setup.link);
        // Version 2 or larger (25+ modules) with the quiet zone, drawn as runs of dark modules.
        assert!(setup.qr.size >= 33, "{}", setup.qr.size);
        assert!(setup.qr.path.starts_with("M4,4h7v1h-7z"), "the finder pattern first");
        let secret = setup.secret.replace(' ', "");
        let code = code_at(&secret, now_step() * STEP_SECONDS).unwrap();
        let done = second_factor::confirm(&db, &me, &code).await.unwrap();
        assert_eq!(done.recovery_codes.len(), 10);
        assert!(
            app::backend::auth::sessions::resolve(&db, &old_session).await.unwrap().is_none(),
            "sessions that did not pass the second step end"
        );
        assert!(app::backend::auth::sessions::resolve(&db, &done.session).await.unwrap().is_some());
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM outbox WHERE subject = 'Your Tandem two-step sign-in changed' AND to_addr = (SELECT email FROM users WHERE id = $1)", id).await,
            1
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_on' AND actor_id = $1", id).await,
            1
        );
        let stored: i64 = count(&db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND code_hash LIKE '%-%'", id).await;
        assert_eq!(stored, 0, "recovery codes are stored hashed");

        // The password alone makes no session; the confirming code cannot be used again.
        let sessions_before = count(&db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", id).await;
        let token = pending_token(&db, "pat@example.org", "10.1.0.2").await;
        assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", id).await, sessions_before);
        let replay = sign_in::second_step(&db, Some(&token), &code, "10.1.0.2").await;
        assert!(replay.is_err_and(|e| e.for_field("code").is_some()), "a code is accepted once");
        let next = code_at(&secret, (now_step() + 1) * STEP_SECONDS).unwrap();
        let signed = sign_in::second_step(&db, Some(&token), &next, "10.1.0.2").await.unwrap();
        assert_eq!(signed.user.id, id);
        let used = sign_in::second_step(&db, Some(&token), &next, "10.1.0.2").await;
        assert!(matches!(used, Err(AppError::Refused(_))), "the half-done sign-in ended");

        // A recovery code, typed in lower case without dashes, works once.
        let recovery = done.recovery_codes[3].to_lowercase().replace('-', "");
        let token = pending_token(&db, "pat@example.org", "10.1.0.2").await;
        sign_in::second_step(&db, Some(&token), &recovery, "10.1.0.2").await.unwrap();
        let token = pending_token(&db, "pat@example.org", "10.1.0.2").await;
        let again = sign_in::second_step(&db, Some(&token), &recovery, "10.1.0.2").await;
        assert!(again.is_err_and(|e| e.for_field("code").is_some()));
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.recovery_code_used' AND actor_id = $1", id).await,
            1
        );
        let me = permits::signed_in(&db, id).await;
        assert_eq!(second_factor::status(&db, &me).await.unwrap().recovery_codes_left, 9);

        // Off again, with a recovery code: the password alone signs in.
        let off_code = done.recovery_codes[0].clone();
        second_factor::turn_off(&db, &me, &off_code, "10.1.0.1").await.unwrap();
        assert!(matches!(
            sign_in::sign_in_from(&db, "pat@example.org", PASSWORD, client("10.1.0.2")).await.unwrap(),
            SignInStep::Done(_)
        ));
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords() {
    each_engine(|db, _| async move {
        let id = make(&db, "tia@example.org", Role::Participant).await;
        let (secret, _) = turn_on(&db, id).await;
        let token = pending_token(&db, "tia@example.org", "10.2.0.1").await;
        for _ in 0..rate_limit::PER_ACCOUNT {
            let wrong = sign_in::second_step(&db, Some(&token), "999999", "10.2.0.1").await;
            assert!(wrong.is_err_and(|e| e.for_field("code").is_some()));
        }
        let right = code_at(&secret, (now_step() + 1) * STEP_SECONDS).unwrap();
        let limited = sign_in::second_step(&db, Some(&token), &right, "10.2.0.1").await;
        assert!(matches!(limited, Err(AppError::RateLimited(_))), "{:?}", limited.err());
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_failed' AND subject = 'user:' || CAST($1 AS TEXT)", id).await,
            rate_limit::PER_ACCOUNT
        );
        // A stolen session gets no more guesses at the code than the sign-in form.
        let me = permits::signed_in(&db, id).await;
        let guess = second_factor::renew_recovery_codes(&db, &me, "999999", "10.2.0.9").await;
        assert!(matches!(guess, Err(AppError::RateLimited(_))), "{guess:?}");
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_acts_as_one_only_with_two_step_sign_in() {
    each_engine(|db, _| async move {
        let id = make(&db, "cora@example.org", Role::Coordinator).await;
        let who = users::current(&db, id).await.unwrap();
        assert_eq!(
            policy::coordinator(Some(who.clone())).err(),
            Some(AppError::SecondFactorNeeded)
        );
        assert!(
            policy::signed_in(Some(who)).is_ok(),
            "their own account stays open, to set it up"
        );
        let me = permits::signed_in(&db, id).await;
        assert!(second_factor::status(&db, &me).await.unwrap().required);
        turn_on(&db, id).await;
        let who = users::current(&db, id).await.unwrap();
        assert!(policy::coordinator(Some(who)).is_ok());
        // And keeps it: a coordinator cannot turn it off.
        let me = permits::signed_in(&db, id).await;
        let off = second_factor::turn_off(&db, &me, "123456", "10.3.0.1").await;
        assert!(matches!(off, Err(AppError::Refused(_))));
    })
    .await;
}

#[tokio::test]
async fn another_coordinator_resets_a_lost_second_step_on_the_record() {
    each_engine(|db, _| async move {
        let first = make(&db, "first@example.org", Role::Coordinator).await;
        turn_on(&db, first).await;
        let lost = make(&db, "lost@example.org", Role::Coordinator).await;
        turn_on(&db, lost).await;
        let session = app::backend::auth::sessions::create(&db, lost).await.unwrap();
        let by = permits::coordinator(&db).await;
        assert_eq!(by.id(), first);

        let own = second_factor::reset_by(&db, &by, "first@example.org").await;
        assert!(own.is_err_and(|e| e.for_field("email").is_some()));
        second_factor::reset_by(&db, &by, "Lost@Example.org").await.unwrap();
        assert_eq!(count(&db, "SELECT second_factor FROM users WHERE id = $1", lost).await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1", lost).await, 0);
        assert!(app::backend::auth::sessions::resolve(&db, &session).await.unwrap().is_none());
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_reset' AND actor_id = $1", first).await,
            1
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM outbox WHERE to_addr = (SELECT email FROM users WHERE id = $1) AND body_text LIKE '%reset by Test Person%'", lost).await,
            1
        );
        // Their password alone signs them in, to the setup: coordinator pages wait for it.
        let step = sign_in::sign_in_from(&db, "lost@example.org", PASSWORD, client("10.4.0.1")).await.unwrap();
        let SignInStep::Done(signed) = step else { panic!("asked for a code after the reset") };
        assert!(signed.user.to_current().needs_second_factor());
        let again = second_factor::reset_by(&db, &by, "lost@example.org").await;
        assert!(again.is_err_and(|e| e.for_field("email").is_some()));
    })
    .await;
}
