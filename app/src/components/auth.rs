//! Who is signed in, as context for every component. The resource refetches after a sign-out
//! and whenever a page bumps `changed` (signing in, applying, saving the profile), so the
//! navigation follows without a reload.
//!
//! Only the sign-out action lives here, since the header's form uses it on every page. The
//! others belong to the pages that submit them (sign-in, profile): an action made here is
//! compiled into the WASM main module that every page downloads, with its request and answer
//! types (bench/README.md, the main module).

use crate::api::account::{SignOut, get_current_user};
use crate::components::data::{Data, load};
use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Data<Result<Option<CurrentUser>, AppError>>,
    pub sign_out: ServerAction<SignOut>,
    /// Bumped after a success that changes who is signed in or what the header shows of them
    /// (`components::form::refresh_after`): the header's `user` and the pages keyed on it reload.
    pub changed: RwSignal<usize>,
}

pub fn provide_auth() {
    let sign_out = crate::components::form::action::<SignOut>();
    let changed = RwSignal::new(0usize);
    let user = load(
        move || (changed.get(), sign_out.version().get()),
        |_| get_current_user(),
    );
    provide_context(Auth {
        user,
        sign_out,
        changed,
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
