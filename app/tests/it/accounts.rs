//! Accounts, sessions, sign-in throttling and password resets, on SQLite and on PostgreSQL.

use app::backend::auth::users::{self, NewUser};
use app::backend::infra::config::Config;
use app::backend::infra::db::{Db, now_ms};
use app::backend::{
    auth::passwords, auth::rate_limit, auth::resets, auth::sessions, auth::sign_in, seed::demo,
};
use app::error::AppError;
use app::model::{Role, UserId};
use test_support::db::each_engine;

/// The address the password-change tests come from.
const IP: &str = "10.0.0.6";

async fn make_user(db: &Db, email: &str, password: &str) -> UserId {
    let hash = passwords::hash(password.to_string()).await.unwrap();
    users::create(
        db,
        NewUser {
            email,
            name: "Test Person",
            role: Role::Participant,
            password_hash: &hash,
            pronouns: "",
            time_zone: "UTC",
            bio: "",
        },
    )
    .await
    .unwrap()
}

fn test_config() -> Config {
    Config::from_lookup(|k| match k {
        "TANDEM_PUBLIC_URL" => Some("http://tandem.test".into()),
        _ => None,
    })
    .unwrap()
}

#[tokio::test]
async fn sign_in_accepts_the_right_password_and_refuses_others_alike() {
    each_engine(|db, _| async move {
        make_user(&db, "Ada@Example.org", "correct horse").await;
        let ok = sign_in::sign_in(&db, "  ada@example.ORG ", "correct horse", "10.0.0.1")
            .await
            .unwrap();
        assert_eq!(ok.email, "ada@example.org");

        let wrong = sign_in::sign_in(&db, "ada@example.org", "wrong horse", "10.0.0.1")
            .await
            .unwrap_err();
        let unknown = sign_in::sign_in(&db, "nobody@example.org", "wrong horse", "10.0.0.1")
            .await
            .unwrap_err();
        assert_eq!(wrong, AppError::Refused(sign_in::WRONG_CREDENTIALS.into()));
        assert_eq!(
            wrong, unknown,
            "an unknown email must look like a wrong password"
        );

        let empty = sign_in::sign_in(&db, "", "x", "10.0.0.1")
            .await
            .unwrap_err();
        assert_eq!(
            empty.for_field("email").as_deref(),
            Some("Enter your email address.")
        );
    })
    .await;
}

/// Guessing the current password on the change form is throttled like sign-in: after five wrong
/// guesses even the right one waits, and the guesses count against signing in too.
#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_sign_in() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "gu@example.org", "right password").await;
        for _ in 0..rate_limit::PER_ACCOUNT {
            let wrong = sign_in::change_password(
                &db,
                &test_support::permits::signed_in(&db, id).await,
                "a guess",
                "new password 1",
                "new password 1",
                IP,
            )
            .await
            .unwrap_err();
            assert!(wrong.for_field("current_password").is_some(), "{wrong:?}");
        }
        let limited = sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "right password",
            "new password 1",
            "new password 1",
            IP,
        )
        .await
        .unwrap_err();
        assert!(matches!(limited, AppError::RateLimited(_)), "{limited:?}");
        let at_sign_in = sign_in::sign_in(&db, "gu@example.org", "right password", "10.0.0.7")
            .await
            .unwrap_err();
        assert!(
            matches!(at_sign_in, AppError::RateLimited(_)),
            "{at_sign_in:?}"
        );
        // Once the window has passed, the owner changes it, and the count starts again.
        sqlx::query("UPDATE login_failures SET at = $1")
            .bind(now_ms() - rate_limit::WINDOW_MS - 1)
            .execute(&db)
            .await
            .unwrap();
        sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "right password",
            "new password 1",
            "new password 1",
            IP,
        )
        .await
        .unwrap();
        sign_in::sign_in(&db, "gu@example.org", "new password 1", IP)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_then_released() {
    each_engine(|db, _| async move {
        make_user(&db, "bo@example.org", "right password").await;
        for _ in 0..rate_limit::PER_ACCOUNT {
            sign_in::sign_in(&db, "bo@example.org", "nope nope", "10.0.0.2").await.unwrap_err();
        }
        // Even the right password waits while the account is throttled...
        let limited = sign_in::sign_in(&db, "bo@example.org", "right password", "10.0.0.2").await.unwrap_err();
        assert!(matches!(limited, AppError::RateLimited(ref m) if m.contains("Too many sign-in attempts")), "{limited:?}");
        // ...but not for good: once the window has passed, the owner gets in.
        sqlx::query("UPDATE login_failures SET at = $1")
            .bind(now_ms() - rate_limit::WINDOW_MS - 1)
            .execute(&db)
            .await
            .unwrap();
        sign_in::sign_in(&db, "bo@example.org", "right password", "10.0.0.2").await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_throttled() {
    each_engine(|db, _| async move {
        for i in 0..rate_limit::PER_ADDRESS {
            sign_in::sign_in(
                &db,
                &format!("guess{i}@example.org"),
                "whatever1",
                "10.9.9.9",
            )
            .await
            .unwrap_err();
        }
        let err = sign_in::sign_in(&db, "another@example.org", "whatever1", "10.9.9.9")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::RateLimited(_)), "{err:?}");
        // Another address is unaffected.
        let other = sign_in::sign_in(&db, "another@example.org", "whatever1", "10.1.1.1")
            .await
            .unwrap_err();
        assert!(matches!(other, AppError::Refused(_)));
    })
    .await;
}

/// Many addresses of one network (a /24, a /64) guessing share one limit, and the networks
/// next to it are not held back.
#[tokio::test]
async fn one_network_guessing_from_many_addresses_is_throttled() {
    assert_eq!(rate_limit::network_key("10.5.5.200"), "net:10.5.5.0/24");
    assert_eq!(
        rate_limit::network_key("::ffff:10.5.5.1"),
        "net:10.5.5.0/24"
    );
    assert_eq!(
        rate_limit::network_key("2001:db8:1:2:3:4:5:6"),
        "net:2001:db8:1:2::/64"
    );
    each_engine(|db, _| async move {
        // Earlier failures from 60 addresses of 10.5.5.0/24, one each.
        for i in 0..rate_limit::PER_NETWORK {
            let keys = rate_limit::untrusted(&format!("n{i}@example.org"), &format!("10.5.5.{i}"));
            let attempt = rate_limit::claim(&db, &keys).await.unwrap();
            attempt.failed(&db).await.unwrap();
        }
        let err = sign_in::sign_in(&db, "fresh@example.org", "whatever1", "10.5.5.250")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::RateLimited(_)), "{err:?}");
        let next_door = sign_in::sign_in(&db, "fresh@example.org", "whatever1", "10.5.6.1")
            .await
            .unwrap_err();
        assert!(matches!(next_door, AppError::Refused(_)), "{next_door:?}");
    })
    .await;
}

#[tokio::test]
async fn sessions_resolve_expire_and_end_with_the_account() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "cy@example.org", "password one").await;
        let token = sessions::create(&db, id).await.unwrap();
        assert_eq!(token.len(), 43, "256 bits, base64url without padding");
        assert_eq!(
            sessions::resolve(&db, &token).await.unwrap().unwrap().id,
            id
        );
        // The database holds only the hash.
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_ne!(stored, token);

        // Idle too long: gone.
        sqlx::query("UPDATE sessions SET last_seen_at = $1")
            .bind(now_ms() - sessions::IDLE_MS - 1)
            .execute(&db)
            .await
            .unwrap();
        assert!(sessions::resolve(&db, &token).await.unwrap().is_none());

        // Past the absolute lifetime, however active.
        let token = sessions::create(&db, id).await.unwrap();
        sqlx::query("UPDATE sessions SET created_at = $1")
            .bind(now_ms() - sessions::ABSOLUTE_MS - 1)
            .execute(&db)
            .await
            .unwrap();
        assert!(sessions::resolve(&db, &token).await.unwrap().is_none());

        // Sign-out ends one session; disabling ends all.
        let a = sessions::create(&db, id).await.unwrap();
        let b = sessions::create(&db, id).await.unwrap();
        sessions::end(&db, &a).await.unwrap();
        assert!(sessions::resolve(&db, &a).await.unwrap().is_none());
        assert!(sessions::resolve(&db, &b).await.unwrap().is_some());
        users::set_disabled(&db, id, true).await.unwrap();
        assert!(sessions::resolve(&db, &b).await.unwrap().is_none());
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(n, 0);
        let refused = sign_in::sign_in(&db, "cy@example.org", "password one", "10.0.0.3")
            .await
            .unwrap_err();
        assert!(matches!(refused, AppError::Refused(ref m) if m.contains("disabled")));
    })
    .await;
}

#[test]
fn cookies_are_http_only_lax_and_host_prefixed_behind_https() {
    let plain = sessions::set_cookie(false, "tok", Role::Participant);
    assert!(plain.starts_with("tandem_session=tok;"));
    assert!(
        plain.contains("HttpOnly") && plain.contains("SameSite=Lax") && plain.contains("Path=/")
    );
    assert!(!plain.contains("Secure"));
    let secure = sessions::set_cookie(true, "tok", Role::Participant);
    assert!(secure.starts_with("__Host-tandem_session=tok;") && secure.contains("; Secure"));
    assert_eq!(
        sessions::token_from_cookie_header("a=1; tandem_session=xyz; b=2", false).as_deref(),
        Some("xyz")
    );
    assert_eq!(
        sessions::token_from_cookie_header("tandem_session=xyz", true),
        None
    );
}

/// A coordinator sees every applicant's private answers: their session ends after 8 idle hours
/// and 7 days at most, where a participant's lasts 7 idle days and 30 in all.
#[tokio::test]
async fn coordinators_sessions_end_after_a_working_day_idle_and_a_week_in_all() {
    each_engine(|db, _| async move {
        let participant = make_user(&db, "pa@example.org", "password one").await;
        let coordinator = make_user(&db, "co@example.org", "password two").await;
        sqlx::query("UPDATE users SET role = 'coordinator' WHERE id = $1")
            .bind(coordinator)
            .execute(&db)
            .await
            .unwrap();
        let set_session = |user: UserId, idle_ms: i64, age_ms: i64| {
            let db = db.clone();
            async move {
                let token = sessions::create(&db, user).await.unwrap();
                sqlx::query(
                    "UPDATE sessions SET last_seen_at = $1, created_at = $2 WHERE token_hash = $3",
                )
                .bind(now_ms() - idle_ms)
                .bind(now_ms() - age_ms)
                .bind(sessions::hash_token(&token))
                .execute(&db)
                .await
                .unwrap();
                sessions::resolve(&db, &token).await.unwrap().is_some()
            }
        };
        const HOUR: i64 = 60 * 60 * 1000;
        // Idle for 8 hours and a minute: the coordinator is signed out, the participant is not.
        assert!(set_session(participant, 8 * HOUR + 60_000, 8 * HOUR + 60_000).await);
        assert!(!set_session(coordinator, 8 * HOUR + 60_000, 8 * HOUR + 60_000).await);
        // Active all along, but a week and a minute old: the same.
        assert!(set_session(participant, 60_000, 7 * 24 * HOUR + 60_000).await);
        assert!(!set_session(coordinator, 60_000, 7 * 24 * HOUR + 60_000).await);
        // Within both limits, a coordinator stays signed in.
        assert!(set_session(coordinator, 7 * HOUR, 6 * 24 * HOUR).await);
        // The ended sessions were deleted, not just refused.
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(coordinator)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(left, 1);
    })
    .await;
}

#[test]
fn a_coordinators_cookie_is_forgotten_after_a_week() {
    let coordinator = sessions::set_cookie(false, "tok", Role::Coordinator);
    assert!(coordinator.contains("Max-Age=604800"), "{coordinator}");
    let participant = sessions::set_cookie(false, "tok", Role::Participant);
    assert!(participant.contains("Max-Age=2592000"), "{participant}");
}

fn token_from_mail(body: &str) -> String {
    let start = body.find("token=").expect("link in mail") + "token=".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn password_reset_works_once_and_expires() {
    each_engine(|db, _| async move {
        let config = test_config();
        let id = make_user(&db, "di@example.org", "old password").await;
        let old_session = sessions::create(&db, id).await.unwrap();

        // Unknown address: no mail, no hint.
        resets::request(&db, &config, "ghost@example.org")
            .await
            .unwrap();
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(queued, 0);

        resets::request(&db, &config, "DI@example.org")
            .await
            .unwrap();
        let (to, body): (String, String) = sqlx::query_as("SELECT to_addr, body_text FROM outbox")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(to, "di@example.org");
        assert!(
            body.contains("http://tandem.test/reset-password?token="),
            "{body}"
        );
        let token = token_from_mail(&body);

        let short = resets::complete(&db, &token, "short").await.unwrap_err();
        assert_eq!(
            short.for_field("password").as_deref(),
            Some("Use at least 8 characters.")
        );
        let long = resets::complete(&db, &token, &"x".repeat(129))
            .await
            .unwrap_err();
        assert_eq!(
            long.for_field("password").as_deref(),
            Some("Use at most 128 characters.")
        );

        resets::complete(&db, &token, "brand new password")
            .await
            .unwrap();
        assert!(
            sessions::resolve(&db, &old_session)
                .await
                .unwrap()
                .is_none(),
            "reset ends sessions"
        );
        sign_in::sign_in(&db, "di@example.org", "brand new password", "10.0.0.4")
            .await
            .unwrap();

        let reused = resets::complete(&db, &token, "another password")
            .await
            .unwrap_err();
        assert!(
            matches!(reused, AppError::Refused(ref m) if m.contains("already been used")),
            "{reused:?}"
        );
        let bogus = resets::complete(&db, "not-a-token", "another password")
            .await
            .unwrap_err();
        assert!(matches!(bogus, AppError::Refused(ref m) if m.contains("not valid")));

        resets::request(&db, &config, "di@example.org")
            .await
            .unwrap();
        let body: String = sqlx::query_scalar("SELECT body_text FROM outbox ORDER BY id DESC")
            .fetch_one(&db)
            .await
            .unwrap();
        let token = token_from_mail(&body);
        sqlx::query("UPDATE password_resets SET expires_at = $1")
            .bind(now_ms() - 1)
            .execute(&db)
            .await
            .unwrap();
        let expired = resets::complete(&db, &token, "another password")
            .await
            .unwrap_err();
        assert!(
            matches!(expired, AppError::Refused(ref m) if m.contains("expired")),
            "{expired:?}"
        );
        // The password from the successful reset still stands.
        sign_in::sign_in(&db, "di@example.org", "brand new password", "10.0.0.4")
            .await
            .unwrap();
    })
    .await;
}

/// Only the newest reset link works: asking for another ends the older one, using one ends the
/// rest, and so does changing the password.
#[tokio::test]
async fn a_reset_link_ends_when_a_newer_one_is_issued_or_used_or_the_password_changes() {
    each_engine(|db, _| async move {
        let config = test_config();
        let id = make_user(&db, "ev@example.org", "old password").await;
        let link = || {
            let (db, config) = (db.clone(), config.clone());
            async move {
                resets::request(&db, &config, "ev@example.org")
                    .await
                    .unwrap();
                let body: String =
                    sqlx::query_scalar("SELECT body_text FROM outbox ORDER BY id DESC")
                        .fetch_one(&db)
                        .await
                        .unwrap();
                token_from_mail(&body)
            }
        };
        let ended = |e: AppError| matches!(e, AppError::Refused(ref m) if m.contains("expired"));

        // Issuing a newer link ends the older one, before either is used.
        let older = link().await;
        let newer = link().await;
        let e = resets::complete(&db, &older, "older's password")
            .await
            .unwrap_err();
        assert!(ended(e.clone()), "{e:?}");
        resets::complete(&db, &newer, "newer's password")
            .await
            .unwrap();
        sign_in::sign_in(&db, "ev@example.org", "newer's password", IP)
            .await
            .unwrap();

        // A link asked for before a password change does not undo the change.
        sqlx::query("DELETE FROM password_resets")
            .execute(&db)
            .await
            .unwrap();
        let before_change = link().await;
        sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "newer's password",
            "changed password",
            "changed password",
            IP,
        )
        .await
        .unwrap();
        let e = resets::complete(&db, &before_change, "attacker's password")
            .await
            .unwrap_err();
        assert!(ended(e.clone()), "{e:?}");
        sign_in::sign_in(&db, "ev@example.org", "changed password", IP)
            .await
            .unwrap();
    })
    .await;
}

/// The most common passwords and their obvious variations are refused beside the field, when
/// changing a password and when resetting one; a few unrelated words are welcome.
#[tokio::test]
async fn common_passwords_are_refused_beside_the_field() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "cp@example.org", "old password").await;
        for common in [
            "password1",
            "12345678",
            "qwertyuiop",
            "Password123",
            "iloveyou1",
        ] {
            let e = sign_in::change_password(
                &db,
                &test_support::permits::signed_in(&db, id).await,
                "old password",
                common,
                common,
                IP,
            )
            .await
            .unwrap_err();
            let message = e.for_field("new_password").unwrap_or_default();
            assert!(message.contains("easy to guess"), "{common}: {e:?}");
        }
        let config = test_config();
        resets::request(&db, &config, "cp@example.org")
            .await
            .unwrap();
        let body: String = sqlx::query_scalar("SELECT body_text FROM outbox ORDER BY id DESC")
            .fetch_one(&db)
            .await
            .unwrap();
        let token = token_from_mail(&body);
        let e = resets::complete(&db, &token, "12345678").await.unwrap_err();
        assert!(
            e.for_field("password")
                .unwrap_or_default()
                .contains("easy to guess"),
            "{e:?}"
        );
        // The link was not spent by the refusal, and a good password goes through.
        resets::complete(&db, &token, "lantern orchard velvet")
            .await
            .unwrap();
        sign_in::sign_in(&db, "cp@example.org", "lantern orchard velvet", IP)
            .await
            .unwrap();
    })
    .await;
}

/// Sign-ins, wrong passwords, the pause they cause and password changes are on the audit log;
/// a changed or reset password is also told to its owner by email. An unknown email leaves no
/// line (there is no account to attach it to).
#[tokio::test]
async fn security_events_are_audited_and_a_changed_password_is_mailed() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "se@example.org", "old password").await;
        let subject = format!("user:{id}");
        let log = || {
            let (db, subject) = (db.clone(), subject.clone());
            async move {
                sqlx::query_scalar::<_, String>(
                    "SELECT action FROM audit_log WHERE subject = $1 ORDER BY id",
                )
                .bind(subject)
                .fetch_all(&db)
                .await
                .unwrap()
            }
        };
        sign_in::sign_in(&db, "se@example.org", "old password", IP)
            .await
            .unwrap();
        sign_in::sign_in(&db, "nobody@example.org", "old password", IP)
            .await
            .unwrap_err();
        assert_eq!(log().await, ["account.sign_in"]);
        let everyone: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(everyone, 1, "an unknown email leaves no line");

        for _ in 0..rate_limit::PER_ACCOUNT + 1 {
            sign_in::sign_in(&db, "se@example.org", "a guess", "10.0.0.9")
                .await
                .unwrap_err();
        }
        let actions = log().await;
        let failed = actions
            .iter()
            .filter(|a| *a == "account.sign_in_failed")
            .count();
        assert_eq!(failed as i64, rate_limit::PER_ACCOUNT, "{actions:?}");
        assert_eq!(
            actions.iter().filter(|a| *a == "account.locked").count(),
            1,
            "the pause is recorded once: {actions:?}"
        );
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'account.sign_in_failed' LIMIT 1",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert!(detail.contains("10.0.0.9"), "{detail}");

        sqlx::query("DELETE FROM login_failures")
            .execute(&db)
            .await
            .unwrap();
        sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "old password",
            "second password",
            "second password",
            IP,
        )
        .await
        .unwrap();
        let config = test_config();
        resets::request(&db, &config, "se@example.org")
            .await
            .unwrap();
        let body: String = sqlx::query_scalar(
            "SELECT body_text FROM outbox WHERE subject = 'Reset your Tandem password'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        resets::complete(&db, &token_from_mail(&body), "third password here")
            .await
            .unwrap();
        let actions = log().await;
        assert_eq!(
            actions[actions.len() - 2..],
            ["account.password_change", "account.password_reset"]
        );
        let told: Vec<String> = sqlx::query_scalar(
            "SELECT body_text FROM outbox WHERE to_addr = 'se@example.org'
               AND subject = 'Your Tandem password was changed' ORDER BY id",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        assert_eq!(told.len(), 2);
        assert!(told[0].contains("on your account page") && told[1].contains("with a reset link"));
    })
    .await;
}

#[tokio::test]
async fn reset_requests_are_capped_per_hour() {
    each_engine(|db, _| async move {
        let config = test_config();
        make_user(&db, "ed@example.org", "password one").await;
        for _ in 0..5 {
            resets::request(&db, &config, "ed@example.org")
                .await
                .unwrap();
        }
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(queued, 3);
    })
    .await;
}

#[tokio::test]
async fn change_password_checks_the_current_one_and_ends_other_sessions() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "fa@example.org", "first password").await;
        let other = sessions::create(&db, id).await.unwrap();
        let wrong = sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "not it",
            "second password",
            "second password",
            IP,
        )
        .await
        .unwrap_err();
        assert!(wrong.for_field("current_password").is_some());
        let differ = sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "first password",
            "second password",
            "second passw0rd",
            IP,
        )
        .await
        .unwrap_err();
        assert!(differ.for_field("confirm_password").is_some());
        let short = sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "first password",
            "2short",
            "2short",
            IP,
        )
        .await
        .unwrap_err();
        assert!(short.for_field("new_password").is_some());
        let fresh = sign_in::change_password(
            &db,
            &test_support::permits::signed_in(&db, id).await,
            "first password",
            "second password",
            "second password",
            IP,
        )
        .await
        .unwrap();
        assert!(sessions::resolve(&db, &other).await.unwrap().is_none());
        assert!(sessions::resolve(&db, &fresh).await.unwrap().is_some());
        sign_in::sign_in(&db, "fa@example.org", "second password", "10.0.0.5")
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn duplicate_email_is_a_field_error() {
    each_engine(|db, _| async move {
        make_user(&db, "gi@example.org", "password one").await;
        let hash = passwords::hash("password two".into()).await.unwrap();
        let err = users::create(
            &db,
            NewUser {
                email: "GI@example.org",
                name: "Someone Else",
                role: Role::Coordinator,
                password_hash: &hash,
                pronouns: "",
                time_zone: "UTC",
                bio: "",
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.for_field("email").as_deref(),
            Some("An account with this email already exists.")
        );
    })
    .await;
}

#[tokio::test]
async fn profile_updates_are_validated_and_saved() {
    each_engine(|db, _| async move {
        let id = make_user(&db, "ho@example.org", "password one").await;
        let mut p = users::ProfileUpdate {
            name: "  Ho Nguyen ".into(),
            pronouns: "he/him".into(),
            time_zone: "Mars/Olympus".into(),
            bio: "Storytime fan.".into(),
        };
        let err = users::update_profile(&db, &test_support::permits::signed_in(&db, id).await, &p)
            .await
            .unwrap_err();
        assert!(err.for_field("time_zone").is_some());
        p.time_zone = "America/Denver".into();
        p.bio = "x".repeat(app::model::BIO_MAX + 1);
        assert!(
            users::update_profile(&db, &test_support::permits::signed_in(&db, id).await, &p)
                .await
                .unwrap_err()
                .for_field("bio")
                .is_some()
        );
        p.bio = "Storytime fan.".into();
        p.name = "   ".into();
        assert!(
            users::update_profile(&db, &test_support::permits::signed_in(&db, id).await, &p)
                .await
                .unwrap_err()
                .for_field("name")
                .is_some()
        );
        p.name = "  Ho Nguyen ".into();
        users::update_profile(&db, &test_support::permits::signed_in(&db, id).await, &p)
            .await
            .unwrap();
        let u = users::find_by_id(&db, id).await.unwrap().unwrap();
        assert_eq!(
            (u.name.as_str(), u.time_zone.as_str()),
            ("Ho Nguyen", "America/Denver")
        );
    })
    .await;
}

#[tokio::test]
async fn demo_data_loads_once_and_every_demo_account_signs_in() {
    each_engine(|db, _| async move {
        assert!(demo::seed_if_empty(&db).await.unwrap());
        assert!(
            !demo::seed_if_empty(&db).await.unwrap(),
            "a second run changes nothing"
        );
        for (_, email) in demo::DEMO_SIGN_INS {
            let client = sign_in::Client {
                ip: "10.0.0.6",
                device: None,
            };
            match sign_in::sign_in_from(&db, email, demo::DEMO_PASSWORD, client)
                .await
                .unwrap()
            {
                sign_in::SignInStep::Done(_) => {}
                // The demo coordinator signs in with a code from the printed key as well.
                sign_in::SignInStep::CodeNeeded { token } => {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs();
                    let code =
                        app::backend::auth::second_factor::code_at(demo::DEMO_TOTP_SECRET, now)
                            .unwrap();
                    sign_in::second_step(&db, Some(&token), &code, "10.0.0.6")
                        .await
                        .unwrap();
                }
            }
        }
    })
    .await;
}
