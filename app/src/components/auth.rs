//! Who is signed in, as context for every component. The resource refetches whenever a sign-in,
//! sign-out or profile change completes, so the navigation follows without a reload.

use crate::api::account::{ChangePassword, SignIn, SignOut, UpdateProfile, get_current_user};
use crate::components::data::{Data, load};
use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Data<Result<Option<CurrentUser>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub update_profile: ServerAction<UpdateProfile>,
    pub change_password: ServerAction<ChangePassword>,
}

pub fn provide_auth() {
    let sign_in = crate::components::form::action::<SignIn>();
    let sign_out = crate::components::form::action::<SignOut>();
    let update_profile = crate::components::form::action::<UpdateProfile>();
    let change_password = crate::components::form::action::<ChangePassword>();
    let user = load(
        move || {
            (
                sign_in.version().get(),
                sign_out.version().get(),
                update_profile.version().get(),
            )
        },
        |_| get_current_user(),
    );
    provide_context(Auth {
        user,
        sign_in,
        sign_out,
        update_profile,
        change_password,
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
