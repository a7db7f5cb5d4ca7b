//! The Tandem server: routes, static files, request guards, and start-up. The binary in
//! `main.rs` is only the command line around this.

pub mod calendar;
pub mod client_address;
pub mod connections;
pub mod document_end;
pub mod export;
pub mod form_post;
pub mod live_socket;
pub mod load;
pub mod origin;
pub mod page_cache;
pub mod previous_bundle;
pub mod request_span;
pub mod request_user;
pub mod router;
pub mod security_headers;
pub mod startup;
pub mod static_files;
pub mod unsubscribe;
