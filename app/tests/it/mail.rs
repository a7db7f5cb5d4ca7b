//! The outbox: file delivery, no double sending, and retries with backoff when SMTP is down.
//! The SMTP case talks to a real closed port on loopback: the connection is genuinely refused.

use app::backend::infra::config::Config;
use app::backend::infra::db::now_ms;
use app::backend::mail::outbox::{self, Mailer};
use std::time::Duration;
use test_support::db::each_engine;
use test_support::smtp_sink::SmtpSink;

fn files_config(dir: &std::path::Path) -> Config {
    let dir = dir.display().to_string();
    Config::from_lookup(move |k| match k {
        "TANDEM_DATA_DIR" => Some(dir.clone()),
        _ => None,
    })
    .unwrap()
}

#[tokio::test]
async fn queued_mail_is_written_to_the_outbox_folder_once() {
    each_engine(|db, _| async move {
        let dir = std::env::temp_dir().join(format!("tandem-outbox-{}", now_ms()));
        let config = files_config(&dir);
        let mailer = Mailer::from_config(&config).unwrap();
        let id = outbox::enqueue(&db, "zoe@example.org", "Hello", "A plain body.\n")
            .await
            .unwrap();
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            1
        );
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            0,
            "nothing is sent twice"
        );
        let file = config.outbox_dir().join(format!("{id:08}.eml"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("To: zoe@example.org"), "{text}");
        assert!(text.contains("Subject: Hello"));
        assert!(text.contains("A plain body."));
        let state: String = sqlx::query_scalar("SELECT state FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(state, "sent");
        let _ = std::fs::remove_dir_all(dir);
    })
    .await;
}

#[tokio::test]
async fn failed_smtp_delivery_stays_queued_with_backoff() {
    each_engine(|db, _| async move {
        // A port with nothing listening: bind, note the port, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = Config::from_lookup(|k| match k {
            "SMTP_HOST" => Some("127.0.0.1".into()),
            "SMTP_PORT" => Some(port.to_string()),
            "SMTP_SECURITY" => Some("none".into()),
            _ => None,
        })
        .unwrap();
        let mailer = Mailer::from_config(&config).unwrap();
        let id = outbox::enqueue(&db, "zoe@example.org", "Hello", "Body")
            .await
            .unwrap();
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            0
        );
        let (state, attempts, next, err): (String, i64, i64, Option<String>) = sqlx::query_as(
            "SELECT state, attempts, next_attempt_at, last_error FROM outbox WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!((state.as_str(), attempts), ("queued", 1));
        assert!(next > now_ms() + 20_000, "retried later, not at once");
        assert!(err.is_some());
        // Not due yet: a second pass leaves it alone.
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            0
        );
        let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(attempts, 1);
        assert_eq!(outbox::backoff_ms(1), 30_000);
        assert_eq!(outbox::backoff_ms(2), 60_000);
        assert_eq!(outbox::backoff_ms(50), 60 * 60 * 1000);
    })
    .await;
}

fn smtp_config(port: u16) -> Config {
    Config::from_lookup(|k| match k {
        "SMTP_HOST" => Some("127.0.0.1".into()),
        "SMTP_PORT" => Some(port.to_string()),
        "SMTP_SECURITY" => Some("none".into()),
        "TANDEM_MAIL_FROM" => Some("Program <program@example.org>".into()),
        _ => None,
    })
    .unwrap()
}

#[tokio::test]
async fn mail_goes_out_through_a_real_smtp_conversation() {
    each_engine(|db, _| async move {
        let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let mailer = Mailer::from_config(&smtp_config(sink.addr.port())).unwrap();
        let id = outbox::enqueue(
            &db,
            "yan@example.org",
            "Your match",
            "Meet Maria: https://tandem.example/home\n",
        )
        .await
        .unwrap();
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            1
        );
        assert!(sink.wait_for(1, Duration::from_secs(10)).await);
        let m = &sink.messages()[0];
        assert_eq!(m.from, "program@example.org");
        assert_eq!(m.to, vec!["yan@example.org".to_string()]);
        assert_eq!(m.header("Subject").as_deref(), Some("Your match"));
        assert_eq!(
            m.header("Message-ID"),
            Some(format!("<outbox-{id}@tandem>"))
        );
        // Both parts: the text as written, and HTML made from it with the link clickable.
        assert!(
            m.header("Content-Type")
                .unwrap()
                .starts_with("multipart/alternative"),
            "{}",
            m.data
        );
        assert!(m.data.contains("Content-Type: text/plain"));
        assert!(m.data.contains("Meet Maria"));
        let flat = m.data.replace("=\n", "").replace("=3D", "=");
        assert!(
            flat.contains("<a href=\"https://tandem.example/home\""),
            "{flat}"
        );
        // Account mail has no unsubscribe: it cannot be turned off.
        assert_eq!(m.header("List-Unsubscribe"), None);
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            0,
            "sent once only"
        );
        assert_eq!(sink.count(), 1);
    })
    .await;
}

#[tokio::test]
async fn with_the_mail_server_down_mail_waits_and_goes_once_it_is_back() {
    each_engine(|db, _| async move {
        let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let mailer = Mailer::from_config(&smtp_config(sink.addr.port())).unwrap();
        sink.stop();
        // Ten messages: the worker tries eight at a time.
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(
                outbox::enqueue(&db, &format!("p{i}@example.org"), &format!("M{i}"), "body")
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap(),
            (0, 0)
        );
        // The first failed group ends the pass: the last two were not even tried.
        let attempts: Vec<i64> = sqlx::query_scalar("SELECT attempts FROM outbox ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
        assert_eq!(attempts, vec![1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
        let sink = sink.restart().await.unwrap();
        // Before the retry time only the untried ones go; after it, the others too, once each.
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap()
                .0,
            2
        );
        let later = now_ms() + outbox::backoff_ms(1) + 1000;
        assert_eq!(
            outbox::deliver_due(&db, &mailer, later, 20)
                .await
                .unwrap()
                .0,
            8
        );
        assert_eq!(
            outbox::deliver_due(&db, &mailer, later, 20)
                .await
                .unwrap()
                .0,
            0
        );
        let mut subjects: Vec<String> = sink
            .messages()
            .iter()
            .filter_map(|m| m.header("Subject"))
            .collect();
        let mut first_two = subjects[..2].to_vec();
        first_two.sort();
        assert_eq!(first_two, vec!["M8".to_string(), "M9".to_string()]);
        subjects.sort();
        let expected: Vec<String> = (0..10).map(|i| format!("M{i}")).collect();
        assert_eq!(subjects, expected, "each exactly once");
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(sent as usize, ids.len());
    })
    .await;
}

#[tokio::test]
async fn bulk_mail_keeps_its_pace_and_never_holds_up_account_mail() {
    each_engine(|db, _| async move {
        let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let mailer = Mailer::from_config(&smtp_config(sink.addr.port())).unwrap();
        for i in 0..5 {
            outbox::enqueue_mail(
                &db,
                &outbox::Outgoing {
                    to: &format!("p{i}@example.org"),
                    subject: "News",
                    text: "News text",
                    html: Some("<p>News <strong>html</strong></p>"),
                    unsubscribe_url: Some("https://tandem.example/unsubscribe/news/abc"),
                },
            )
            .await
            .unwrap();
        }
        outbox::enqueue(&db, "reset@example.org", "Reset", "Your link")
            .await
            .unwrap();
        // An allowance of two bulk messages: the account message goes first, then two news.
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 2)
                .await
                .unwrap(),
            (1, 2)
        );
        assert!(sink.wait_for(3, Duration::from_secs(10)).await);
        let first = &sink.messages()[0];
        assert_eq!(first.header("Subject").as_deref(), Some("Reset"));
        let news = &sink.messages()[1];
        assert_eq!(
            news.header("List-Unsubscribe").as_deref(),
            Some("<https://tandem.example/unsubscribe/news/abc>")
        );
        assert_eq!(
            news.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(
            news.data.contains("News <strong>html</strong>"),
            "{}",
            news.data
        );
        assert!(
            news.data
                .contains("To stop these emails: https://tandem.example/unsubscribe/news/abc")
        );
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 0)
                .await
                .unwrap(),
            (0, 0),
            "no allowance, no bulk"
        );
        assert_eq!(
            outbox::deliver_due(&db, &mailer, now_ms(), 20)
                .await
                .unwrap(),
            (0, 3)
        );
    })
    .await;
}
