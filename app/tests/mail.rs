//! The outbox: file delivery, no double sending, and retries with backoff when SMTP is down.
//! The SMTP case talks to a real closed port on loopback: the connection is genuinely refused.

use app::backend::config::Config;
use app::backend::db::now_ms;
use app::backend::mail::{self, Mailer};
use app::backend::testing::each_engine;

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
        let id = mail::enqueue(&db, "zoe@example.org", "Hello", "A plain body.\n")
            .await
            .unwrap();
        assert_eq!(mail::deliver_due(&db, &mailer).await.unwrap(), 1);
        assert_eq!(
            mail::deliver_due(&db, &mailer).await.unwrap(),
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
        let id = mail::enqueue(&db, "zoe@example.org", "Hello", "Body")
            .await
            .unwrap();
        assert_eq!(mail::deliver_due(&db, &mailer).await.unwrap(), 0);
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
        assert_eq!(mail::deliver_due(&db, &mailer).await.unwrap(), 0);
        let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(attempts, 1);
        assert_eq!(mail::backoff_ms(1), 30_000);
        assert_eq!(mail::backoff_ms(2), 60_000);
        assert_eq!(mail::backoff_ms(50), 60 * 60 * 1000);
    })
    .await;
}
