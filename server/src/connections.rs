//! Accepting connections and serving HTTP on them, in place of `axum::serve`, which sets no timer
//! and so leaves hyper's header-read timeout off: a client sending its headers a byte at a time
//! (slowloris) would hold a connection and its memory for as long as it liked. Here a client has
//! `HEADER_READ_TIMEOUT` to send a request's headers. Each request also carries its peer's address
//! (`ConnectInfo`), every socket gets TCP_NODELAY, and shutdown lets requests in progress finish.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// Generous for a phone on a poor connection (headers are a few hundred bytes), short enough
/// that holding a connection open costs an attacker a new one every few seconds.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long requests in progress may take to finish once the server is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// After a failed accept (out of file descriptors, most likely), wait before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `app` on `listener` until `shutdown` completes, then gives open connections
/// `SHUTDOWN_GRACE` to finish what they are answering. HTTP/1.1 only, as before: a reverse proxy
/// speaks it to Tandem whatever it speaks to browsers.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    // Every connection holds a receiver; once all are gone, every connection has closed.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Responses written in pieces otherwise wait ~40 ms for the peer's delayed ACK (Nagle).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: http::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            tower::ServiceExt::oneshot(app.clone(), req)
        });
        let connection = builder
            .serve_connection(TokioIo::new(tcp), service)
            .with_upgrades();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                // Sent once, after the last accept: any change means stop.
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            // A client going away mid-request is everyday life, not an error of ours.
            if let Err(e) = ended {
                tracing::debug!(%peer, error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    drop(stopping);
    let _ = stop.send(true);
    tokio::select! {
        () = stop.closed() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("some connections were still open after {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
}
