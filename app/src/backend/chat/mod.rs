//! The live chat between a match: the message store (with the unread-messages email) and the hub
//! that carries live messages to the sockets on this instance and the others.

pub mod hub;
pub mod store;
