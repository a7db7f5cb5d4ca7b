//! The chat's storage under contention and the unread-messages email, on SQLite and PostgreSQL.

use app::backend::auth::policy::{OnMatch, access};
use app::backend::chat::store::{self, EMAIL_AFTER_MS, EMAIL_EVERY_MS};
use app::backend::infra::config::Config;
use app::backend::infra::db::{Db, now_ms};
use app::backend::mail::outbox::{self, Mailer};
use app::backend::{auth::sessions, match_work::facts, seed::demo};
use test_support::db::each_engine;
use test_support::permits;

/// The two partners' chat permits, from the policy, the way the chat's requests get them.
async fn talkers(db: &Db, f: &facts::MatchFacts) -> (OnMatch<access::Talk>, OnMatch<access::Talk>) {
    (
        permits::on_match(db, f, f.mentor_id).await,
        permits::on_match(db, f, f.mentee_id).await,
    )
}

async fn demo_match(db: &Db) -> facts::MatchFacts {
    demo::seed_if_empty(db).await.unwrap();
    let id: app::model::MatchId = sqlx::query_scalar(
        "SELECT m.id FROM matches m JOIN users u ON u.id = m.mentee_id
         WHERE u.email = 'mentee@example.org'",
    )
    .fetch_one(db)
    .await
    .unwrap();
    facts::of_match(db, id).await.unwrap()
}

#[tokio::test]
async fn concurrent_sends_get_gapless_numbers_and_a_repeated_client_id_stores_once() {
    each_engine(|db, _| async move {
        let f = demo_match(&db).await;
        let (mentor, mentee) = talkers(&db, &f).await;
        // Twenty sends from both partners at once: numbers 1..=20, each used once.
        let sends = (0..20).map(|n| {
            let db = db.clone();
            let sender = if n % 2 == 0 { &mentor } else { &mentee }.clone();
            async move {
                store::send(&db, &sender, &format!("c-{n}"), "hello")
                    .await
                    .unwrap()
                    .0
                    .seq
            }
        });
        let mut seqs: Vec<i64> = futures_join_all(sends).await;
        seqs.sort();
        assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
        // The same client id from two tabs at once: one row, both told the same number.
        let (a, b) = tokio::join!(
            store::send(&db, &mentor, "same", "once"),
            store::send(&db, &mentor, "same", "once"),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.0.seq, b.0.seq);
        assert!(a.1 != b.1, "exactly one of the two stored it");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE match_id = $1")
            .bind(f.match_id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(n, 21);
        // Read marks move forward only, and never past the last message.
        assert!(store::mark_read(&db, &mentee, 10).await.unwrap());
        assert!(!store::mark_read(&db, &mentee, 5).await.unwrap());
        assert!(store::mark_read(&db, &mentee, 999).await.unwrap());
        assert_eq!(
            store::read_seq(&db, f.match_id, f.mentee_id).await.unwrap(),
            21
        );
    })
    .await;
}

/// Runs futures at once and collects their results in order (no extra crate for one helper).
async fn futures_join_all<F: std::future::Future<Output = i64> + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<i64> {
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn outbox_for(db: &Db, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body_text FROM outbox WHERE to_addr = $1 ORDER BY id")
        .bind(to)
        .fetch_all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn unread_messages_email_goes_once_in_a_while_to_those_away_who_want_it() {
    each_engine(|db, _| async move {
        let f = demo_match(&db).await;
        let (mentor, as_mentee) = talkers(&db, &f).await;
        let url = "http://tandem.example";
        let mentee = "mentee@example.org";
        store::send(&db, &mentor, "e-1", "Call on Tuesday?")
            .await
            .unwrap();
        store::send(&db, &mentor, "e-2", "Or Wednesday.")
            .await
            .unwrap();
        let t0 = now_ms();

        // Too soon: the messages have not waited long enough.
        assert_eq!(store::queue_unread_emails(&db, url, t0).await.unwrap(), 0);
        // Half an hour later, the mentee (away, wants email) gets one; the mentor, whose own
        // messages they are, gets none.
        let later = t0 + EMAIL_AFTER_MS + 1000;
        assert_eq!(
            store::queue_unread_emails(&db, url, later).await.unwrap(),
            1
        );
        let mail = outbox_for(&db, mentee).await;
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].0, "2 unread messages in your Tandem chat");
        assert!(
            mail[0].1.contains("http://tandem.example/profile"),
            "{}",
            mail[0].1
        );
        assert!(
            !mail[0].1.contains("Tuesday"),
            "the email never quotes the chat"
        );
        assert!(outbox_for(&db, "mentor@example.org").await.is_empty());
        // Not again for the same messages, nor within the next few hours.
        assert_eq!(
            store::queue_unread_emails(&db, url, later + 60_000)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store::queue_unread_emails(&db, url, later + EMAIL_EVERY_MS + 1)
                .await
                .unwrap(),
            0
        );

        // A new message, hours later, while still away: one more email, at most once per
        // window even when two instances run the pass at the same moment.
        // (Hours pass: the last email is moved back in time, as the clock cannot be.)
        sqlx::query("UPDATE users SET chat_emailed_at = $1 WHERE id = $2")
            .bind(now_ms() - EMAIL_EVERY_MS - 1000)
            .bind(f.mentee_id)
            .execute(&db)
            .await
            .unwrap();
        store::send(&db, &mentor, "e-3", "Still there?")
            .await
            .unwrap();
        let next = now_ms() + EMAIL_AFTER_MS + 5000;
        let (a, b) = tokio::join!(
            store::queue_unread_emails(&db, url, next),
            store::queue_unread_emails(&db, url, next),
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(outbox_for(&db, mentee).await.len(), 2);

        // Someone who has been on the site meanwhile is not emailed...
        store::send(&db, &as_mentee, "e-4", "Here!").await.unwrap();
        let later2 = now_ms() + EMAIL_AFTER_MS + 1000;
        sessions::create(&db, f.mentor_id).await.unwrap();
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE user_id = $2")
            .bind(later2)
            .bind(f.mentor_id)
            .execute(&db)
            .await
            .unwrap();
        assert_eq!(
            store::queue_unread_emails(&db, url, later2).await.unwrap(),
            0
        );
        store::mark_read(&db, &mentor, 99).await.unwrap();
        // ...nor someone who turned it off (the same situation with it on does email), nor
        // once the messages are read.
        store::send(&db, &mentor, "e-5", "Ping").await.unwrap();
        let much_later = now_ms() + EMAIL_AFTER_MS + 1000;
        let forget_last_email = || async {
            sqlx::query("UPDATE users SET chat_emailed_at = 0 WHERE id = $1")
                .bind(f.mentee_id)
                .execute(&db)
                .await
                .unwrap();
        };
        forget_last_email().await;
        store::set_email_enabled(&db, &permits::signed_in(&db, f.mentee_id).await, false)
            .await
            .unwrap();
        assert_eq!(
            store::queue_unread_emails(&db, url, much_later)
                .await
                .unwrap(),
            0
        );
        store::set_email_enabled(&db, &permits::signed_in(&db, f.mentee_id).await, true)
            .await
            .unwrap();
        assert_eq!(
            store::queue_unread_emails(&db, url, much_later)
                .await
                .unwrap(),
            1
        );
        forget_last_email().await;
        store::mark_read(&db, &as_mentee, 99).await.unwrap();
        assert_eq!(
            store::queue_unread_emails(&db, url, much_later)
                .await
                .unwrap(),
            0
        );
        assert_eq!(outbox_for(&db, mentee).await.len(), 3);
        assert!(outbox_for(&db, "mentor@example.org").await.is_empty());

        // The queued emails go out through the outbox as files, once each.
        let dir = std::env::temp_dir().join(format!("tandem-chat-mail-{}", now_ms()));
        let config = Config::from_lookup(|k| match k {
            "TANDEM_DATA_DIR" => Some(dir.display().to_string()),
            _ => None,
        })
        .unwrap();
        let mailer = Mailer::from_config(&config).unwrap();
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            3
        );
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            0
        );
        let files = std::fs::read_dir(config.outbox_dir()).unwrap().count();
        assert_eq!(files, 3);
        let _ = std::fs::remove_dir_all(dir);
    })
    .await;
}
