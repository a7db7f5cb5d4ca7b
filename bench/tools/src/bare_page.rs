//! The yardstick for the cost of a page: a bare Leptos 0.8 page (one route, one island button)
//! served by leptos_axum the way Tandem serves its pages, with the same shell's hydration scripts
//! and the same release profile. `bench/run.sh` measures it in the same run as Tandem's pages, so
//! "Tandem's signed-in page costs N× the bare page" compares like with like on any machine.

use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options islands=true />
            </head>
            <body>
                <BareApp />
            </body>
        </html>
    }
}

#[component]
fn BareApp() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route path=path!("/") view=BarePage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn BarePage() -> impl IntoView {
    view! {
        <h1>"A bare page"</h1>
        <Counter />
    }
}

#[island]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    view! { <button on:click=move |_| count.update(|n| *n += 1)>{move || count.get()}</button> }
}

/// Serves the bare page at `addr` until the process is stopped.
pub async fn serve(addr: &str, options: LeptosOptions) -> std::io::Result<()> {
    let routes = generate_route_list(BareApp);
    let app = axum::Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .with_state(options);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
