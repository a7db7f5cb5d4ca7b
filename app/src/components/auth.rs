//! The sign-out action, as context for the components of a page: the header's form uses it on
//! every page. Who is signed in is read once per request, before the page renders
//! (`backend::context::RequestCache`), and the header asks `get_current_user` for it.

use crate::api::account::SignOut;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_auth() {
    let sign_out = crate::components::form::action::<SignOut>();
    provide_context(Auth { sign_out });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
