//! Works out each request's client address once (`app::backend::infra::client_address`) and
//! puts it in the request, where the sign-in limits and the audit log read it.

use app::backend::infra::client_address::{self, ClientAddress};
use app::backend::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

pub async fn attach(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = client_address::resolve(
            peer.ip(),
            req.headers(),
            &state.config.trusted_proxies,
            state.config.proxy_header,
        );
        req.extensions_mut().insert(ClientAddress(client));
    }
    next.run(req).await
}
