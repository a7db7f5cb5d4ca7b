//! Everything a request needs, handed to server functions as Leptos context and to axum
//! handlers as router state.

use crate::backend::infra::config::Config;
use crate::backend::infra::db::{Db, Engine};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub engine: Engine,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Assembled match homes (see `match_home::HomeCache`).
    pub homes: Arc<crate::backend::match_work::match_home::HomeCache>,
    /// Parts of pages kept for the person they were written for (see `infra::written`).
    pub written: Arc<crate::backend::infra::written::WrittenParts>,
    /// The live connections listening on this instance (chat, badges, notices, dashboards), and
    /// the link to the other instances.
    pub live: Arc<crate::backend::chat::hub::Hub>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
