//! Permits for tests that call the backend directly. They are asked of the policy, the way a
//! request asks (`app::backend::auth::policy`), so a test holds only what the person it acts as
//! would be given.

use app::backend::auth::policy::{self, Access, Coordinator, OnMatch, SignedIn};
use app::backend::auth::users;
use app::backend::infra::db::Db;
use app::backend::match_work::facts::MatchFacts;
use app::model::UserId;

/// A coordinator's permit: the first coordinator in the database (the demo's, or a generated
/// one).
pub async fn coordinator(db: &Db) -> Coordinator {
    let id: UserId = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE role = 'coordinator'")
        .fetch_one(db)
        .await
        .expect("a coordinator in the test database");
    let who = users::current(db, id).await.expect("the coordinator's row");
    policy::coordinator(Some(who)).expect("the policy grants a coordinator")
}

/// A permit for access `A` to match `f`, as the user `id`: usually `f.mentor_id` or
/// `f.mentee_id`.
pub async fn on_match<A: Access>(db: &Db, f: &MatchFacts, id: UserId) -> OnMatch<A> {
    let who = users::current(db, id).await.expect("the user's row");
    policy::on_match(Some(who), f.clone()).expect("the policy grants this access")
}

/// The signed-in permit of user `id`: their own account, settings and the community's pages.
pub async fn signed_in(db: &Db, id: UserId) -> SignedIn {
    let who = users::current(db, id).await.expect("the user's row");
    policy::signed_in(Some(who)).expect("the policy grants anyone signed in")
}
