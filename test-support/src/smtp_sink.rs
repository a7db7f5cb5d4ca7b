//! A small SMTP server for tests and benchmarks: it speaks enough of RFC 5321 for a real client
//! (lettre) to hand it messages over loopback, and keeps what it accepted. It can be stopped and
//! started again on the same port (a mail server that is down, then back), and it can hold the
//! reply to a DATA command (a crash mid-conversation: a message is only accepted once the
//! server has said 250, and a client that goes away before then has sent nothing).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body, dot-unstuffed, lines joined with "\n").
    pub data: String,
}

impl Received {
    /// A header's value (the first one), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\n\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.lines() {
            if let Some(v) = value.as_mut() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_string());
            }
        }
        value
    }
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    accepted: Notify,
    /// Messages accepted before the sink starts holding DATA (usize::MAX: never).
    hold_after: AtomicUsize,
    /// Conversations being held now.
    held: AtomicUsize,
    holding: Notify,
    release: Notify,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl SmtpSink {
    /// Listens on `addr` (port 0: any free port).
    pub async fn start(addr: SocketAddr) -> std::io::Result<SmtpSink> {
        Self::start_with(addr, Arc::default()).await
    }

    async fn start_with(addr: SocketAddr, shared: Arc<Shared>) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        shared
            .hold_after
            .compare_exchange(0, usize::MAX, Ordering::SeqCst, Ordering::SeqCst)
            .ok();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept_tasks = tasks.clone();
        let accept_shared = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = accept_shared.clone();
                let task = tokio::spawn(async move {
                    if let Err(e) = session(socket, shared).await {
                        tracing::debug!(error = %e, "smtp sink session ended");
                    }
                });
                if let Ok(mut t) = accept_tasks.lock() {
                    t.push(task);
                }
            }
        });
        if let Ok(mut t) = tasks.lock() {
            t.push(accept);
        }
        Ok(SmtpSink {
            addr,
            shared,
            tasks,
        })
    }

    /// Closes the port and every open conversation; keeps what was accepted.
    pub fn stop(&self) {
        if let Ok(mut t) = self.tasks.lock() {
            for task in t.drain(..) {
                task.abort();
            }
        }
    }

    /// Listens again on the same address, keeping what was accepted before.
    pub async fn restart(self) -> std::io::Result<SmtpSink> {
        self.stop();
        // The aborted listener closes when its task is dropped; give the runtime a moment.
        for _ in 0..50 {
            match Self::start_with(self.addr, self.shared.clone()).await {
                Ok(s) => return Ok(s),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(e) => return Err(e),
            }
        }
        Self::start_with(self.addr, self.shared.clone()).await
    }

    pub fn messages(&self) -> Vec<Received> {
        self.shared
            .messages
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default()
    }

    pub fn count(&self) -> usize {
        self.shared.messages.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Waits until at least `n` messages have been accepted, or `limit` passes.
    pub async fn wait_for(&self, n: usize, limit: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.shared.accepted.notified();
            if self.count() >= n {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.count() >= n;
            }
        }
    }

    /// After `n` accepted messages, the next DATA gets no answer until `release` (or until the
    /// client goes away, when the message is dropped).
    pub fn hold_after(&self, n: usize) {
        self.shared.hold_after.store(n, Ordering::SeqCst);
    }

    /// Waits until a conversation is being held.
    pub async fn holding(&self) {
        loop {
            // Made before the check: notify_waiters reaches a Notified from its creation.
            let notified = self.shared.holding.notified();
            if self.shared.held.load(Ordering::SeqCst) > 0 {
                return;
            }
            notified.await;
        }
    }

    pub fn release(&self) {
        self.shared.hold_after.store(usize::MAX, Ordering::SeqCst);
        self.shared.release.notify_waiters();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn session(socket: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    socket.set_nodelay(true)?;
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("");
        match verb {
            "EHLO" => {
                write
                    .write_all(b"250-sink.test\r\n250 8BITMIME\r\n")
                    .await?
            }
            "HELO" => write.write_all(b"250 sink.test\r\n").await?,
            "MAIL" => {
                from = address(&line);
                to.clear();
                write.write_all(b"250 OK\r\n").await?;
            }
            "RCPT" => {
                to.push(address(&line));
                write.write_all(b"250 OK\r\n").await?;
            }
            "DATA" => {
                let before = shared.messages.lock().map(|m| m.len()).unwrap_or(0);
                if before >= shared.hold_after.load(Ordering::SeqCst) {
                    let released = shared.release.notified();
                    shared.held.fetch_add(1, Ordering::SeqCst);
                    shared.holding.notify_waiters();
                    released.await;
                    shared.held.fetch_sub(1, Ordering::SeqCst);
                }
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    let Some(l) = lines.next_line().await? else {
                        return Ok(()); // the client went away mid-message: nothing accepted
                    };
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push('\n');
                }
                let received = Received {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                };
                if let Ok(mut m) = shared.messages.lock() {
                    m.push(received);
                }
                shared.accepted.notify_waiters();
                write.write_all(b"250 queued\r\n").await?;
            }
            "RSET" => {
                from.clear();
                to.clear();
                write.write_all(b"250 OK\r\n").await?;
            }
            "NOOP" => write.write_all(b"250 OK\r\n").await?,
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"502 not here\r\n").await?,
        }
    }
    Ok(())
}

/// "MAIL FROM:<a@b>" → "a@b".
fn address(line: &str) -> String {
    line.split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a.to_string())
        .unwrap_or_default()
}
