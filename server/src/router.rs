//! The whole HTTP surface in one function, so tests drive exactly what `tandem serve` serves.

use app::backend::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = routes().clone();
    let pkg_dir = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let bundles = crate::previous_bundle::Bundles::in_data_dir(&state.config.data_dir);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::backend::context::RequestCache::of_request());
            crate::security_headers::provide_nonce_from_request();
        }
    };
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Who is asking, read before a page renders: only on the pages (and their server
        // functions, which it leaves alone), not on files, the socket or the plain routes below.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::request_user::read_ahead,
        ))
        .route("/healthz", get(healthz))
        .route("/ws", get(crate::live_socket::upgrade))
        .route(
            "/coordinator/export/matches.csv",
            get(crate::export::matches_csv),
        )
        .route(
            "/coordinator/export/applications.csv",
            get(crate::export::applications_csv),
        )
        .route(
            "/coordinator/export/goals.csv",
            get(crate::export::goals_csv),
        )
        .route("/forum/{id}/event.ics", get(crate::calendar::event_ics))
        // GET is the Leptos page with its button; POST is the mail reader's one click.
        .route(
            "/unsubscribe/{kind}/{token}",
            axum::routing::post(crate::unsubscribe::one_click),
        )
        .nest(
            "/pkg",
            crate::static_files::pkg_router(&pkg_dir, bundles.retired_dir()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context.clone(), shell))
        // Inside the page cache, which then keeps pages already tidied.
        .layer(axum::middleware::from_fn(crate::document_end::tidy))
        .layer(axum::middleware::from_fn(crate::request_span::record_route))
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), crate::page_cache::PageCache::default()),
            crate::page_cache::serve,
        ))
        .with_state(state.clone());
    // Plain form posts wrap the whole router, not each route (a layer on a Router runs inside
    // the route it matched): a refused post is answered by its page's GET, so it must be routed
    // again. Inside the Origin check, so plain posts meet it as server functions do; outside the
    // page cache, which must never answer a post's page.
    let with_form_posts = tower::Layer::layer(
        &axum::middleware::from_fn_with_state(
            crate::form_post::FormPosts {
                state: state.clone(),
                context: std::sync::Arc::new(context),
            },
            crate::form_post::handle,
        ),
        pages,
    );
    Router::new()
        .fallback_service(with_form_posts)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::origin::check,
        ))
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(
                    crate::load::overloaded,
                ))
                .load_shed()
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    crate::load::MAX_IN_FLIGHT,
                ))
                .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
                    crate::load::BODY_WITHIN,
                ))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    crate::load::ANSWER_WITHIN,
                )),
        )
        // Its nonce must be in the request before the page cache and Leptos see it, and its
        // headers go on every answer, refusals included.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security_headers::apply,
        ))
        // Before anything that keys a limit or a record on who is asking.
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::client_address::attach,
        ))
        // Outermost: every answer, refusals included, is inside the request's span and carries
        // its id (layers added later wrap those added earlier).
        .layer(tower_http::request_id::PropagateRequestIdLayer::new(
            http::HeaderName::from_static(crate::request_span::REQUEST_ID),
        ))
        .layer(crate::request_span::layer())
        .layer(tower_http::request_id::SetRequestIdLayer::new(
            http::HeaderName::from_static(crate::request_span::REQUEST_ID),
            crate::request_span::NextRequestId::default(),
        ))
}

/// The route list, walked once per process. Walking it sets a process-wide flag in leptos that
/// parks every resource first polled meanwhile, forever (leptos-rs/leptos#4773): a second router
/// built while another serves pages (tests start many servers in one process) stalled responses.
/// Public so tests can walk every page path through the same list.
pub fn routes() -> &'static Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
