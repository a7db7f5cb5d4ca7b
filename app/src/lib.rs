#![recursion_limit = "256"]
//! Tandem: the product. Compiles to WASM (feature `hydrate`) and to the server (feature `ssr`).

pub mod api;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

mod app;
pub use app::{App, BUILD_META, build_id, shell};
