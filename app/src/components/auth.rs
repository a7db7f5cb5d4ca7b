//! Who is signed in, as context for the components of a page. Pages are rendered on the server,
//! one request each, so the user is read once per page; signing in or out loads another page.
//!
//! Only the sign-out action lives here, since the header's form uses it on every page.

use crate::api::account::{SignOut, get_current_user};
use crate::components::data::{Data, load};
use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Data<Result<Option<CurrentUser>, AppError>>,
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_auth() {
    let sign_out = crate::components::form::action::<SignOut>();
    let user = load(|| (), |_| get_current_user());
    provide_context(Auth { user, sign_out });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
