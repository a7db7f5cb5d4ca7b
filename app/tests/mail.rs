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

/// A minimal SMTP server on loopback that accepts one session and hands back what it was sent.
async fn smtp_sink(listener: tokio::net::TcpListener) -> (Vec<String>, String) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (socket, _) = listener.accept().await.unwrap();
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut commands = Vec::new();
    let mut data = String::new();
    write.write_all(b"220 sink.test ESMTP\r\n").await.unwrap();
    while let Some(line) = lines.next_line().await.unwrap() {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        commands.push(line.clone());
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink.test\r\n",
            "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await.unwrap();
                while let Some(l) = lines.next_line().await.unwrap() {
                    if l == "." {
                        break;
                    }
                    data.push_str(&l);
                    data.push('\n');
                }
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"502 not here\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
    (commands, data)
}

#[tokio::test]
async fn mail_goes_out_through_a_real_smtp_conversation() {
    each_engine(|db, _| async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = tokio::spawn(smtp_sink(listener));
        let config = Config::from_lookup(|k| match k {
            "SMTP_HOST" => Some("127.0.0.1".into()),
            "SMTP_PORT" => Some(port.to_string()),
            "SMTP_SECURITY" => Some("none".into()),
            "TANDEM_MAIL_FROM" => Some("Program <program@example.org>".into()),
            _ => None,
        })
        .unwrap();
        let mailer = Mailer::from_config(&config).unwrap();
        let id = mail::enqueue(&db, "yan@example.org", "Your match", "Meet Maria.\n")
            .await
            .unwrap();
        assert_eq!(mail::deliver_due(&db, &mailer).await.unwrap(), 1);
        let (commands, data) = tokio::time::timeout(std::time::Duration::from_secs(10), sink)
            .await
            .unwrap()
            .unwrap();
        assert!(
            commands
                .iter()
                .any(|c| c == "MAIL FROM:<program@example.org>"),
            "{commands:?}"
        );
        assert!(
            commands.iter().any(|c| c == "RCPT TO:<yan@example.org>"),
            "{commands:?}"
        );
        assert!(data.contains("Subject: Your match"), "{data}");
        assert!(
            data.contains(&format!("Message-ID: <outbox-{id}@tandem>")),
            "{data}"
        );
        assert!(data.contains("Meet Maria."));
        assert_eq!(
            mail::deliver_due(&db, &mailer).await.unwrap(),
            0,
            "sent once only"
        );
    })
    .await;
}
