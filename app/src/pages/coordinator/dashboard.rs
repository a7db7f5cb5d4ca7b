//! `/coordinator/dashboard`: a cohort at a glance. Each chart is a small SVG drawn here (bars
//! with the exact figure on hover) above a table of the same figures whose labels link to the
//! list behind each bar, for keyboards and screen readers. The counts refresh every 10 seconds,
//! so a sheet submitted or a contact logged elsewhere shows without reloading.

use super::{CohortFilter, FilterSelect, load_error};
use crate::api::dashboard::load_dashboard;
use crate::components::data::load;
use crate::components::enhance::Refresh;
use crate::model::LIBRARY_TYPES;
use crate::model::dashboard::{Count, Dashboard, DashboardFilter, Week};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// How often the figures refresh while the page is open, in seconds.
const REFRESH_EVERY: u32 = 10;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| DashboardFilter {
            cohort_id: q.get("cohort").and_then(|c| c.parse().ok()),
            library_type: q.get("library_type").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
        })
    };
    let data = load(filter, load_dashboard);
    let export = move |what: &str| {
        format!(
            "/coordinator/export/{what}.csv{}",
            query.get().to_query_string()
        )
    };
    let libraries = LIBRARY_TYPES
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<Vec<_>>();
    view! {
        <Title text="Dashboard" />
        <section class="page dashboard">
            <h1>"Dashboard"</h1>
            <form method="get" class="filter-bar" role="search" aria-label="Filter the dashboard">
                <CohortFilter current=Signal::derive(move || filter().cohort_id) />
                <FilterSelect
                    name="library_type"
                    label="Library type"
                    options=libraries
                    current=filter().library_type
                    all="Any library"
                />
                <div class="field">
                    <label for="f-region">"Region"</label>
                    <input id="f-region" name="region" type="text" value=filter().region />
                </div>
                <button type="submit" class="button button-secondary">
                    "Show"
                </button>
            </form>
            <p class="export-links">
                "Export as CSV, with these filters: "
                <a href=move || export("matches") rel="external" download="tandem-matches.csv">
                    "matches"
                </a>", "
                <a
                    href=move || export("applications")
                    rel="external"
                    download="tandem-applications.csv"
                >
                    "applications"
                </a>", " <a href=move || export("goals") rel="external" download="tandem-goals.csv">
                    "goals"
                </a>"."
            </p>
            <div id="dashboard-panels">
                <Suspense fallback=|| {
                    view! { <p class="loading">"Counting…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(d) => view! { <Panels d /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </div>
            <Refresh id="dashboard-panels".to_string() seconds=REFRESH_EVERY />
        </section>
    }
}

#[component]
fn Panels(d: Dashboard) -> impl IntoView {
    let (attention_href, overdue_href) = (d.attention_href.clone(), d.overdue_href.clone());
    view! {
        <div class="tiles" role="status" aria-live="polite">
            <p class="tile">
                <span class="tile-figure" data-figure="active">
                    {d.active_matches}
                </span>
                " active matches"
            </p>
            <p class="tile">
                <A href=attention_href>
                    <span class="tile-figure" data-figure="attention">
                        {d.needing_attention}
                    </span>
                    " need attention"
                </A>
            </p>
            <p class="tile">
                <A href=overdue_href>
                    <span class="tile-figure" data-figure="overdue">
                        {d.sheets_overdue}
                    </span>
                    " goal sheets overdue"
                </A>
            </p>
        </div>
        <div class="chart-grid">
            <BarChart id="funnel" title="From application to match" counts=d.funnel />
            <BarChart id="matches" title="Matches" counts=d.matches />
            <BarChart id="sheets" title="Goal sheets of active matches" counts=d.sheets />
            <BarChart
                id="goals"
                title="Goal progress: matches with a goal at each stage"
                counts=d.goals
            />
            <BarChart id="applications" title="Applications by status" counts=d.applications />
        </div>
        <WeeksChart weeks=d.weeks />
    }
}

/// Horizontal bars, longest = full width. The drawing is hidden from assistive technology; the
/// table under it says the same, with the links.
#[component]
fn BarChart(id: &'static str, title: &'static str, counts: Vec<Count>) -> impl IntoView {
    let max = counts.iter().map(|c| c.value).max().unwrap_or(0).max(1);
    let row_h = 28;
    let height = row_h * counts.len() as i64;
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as i64 * row_h + 4;
            let w = (c.value * 100 / max).max(if c.value > 0 { 1 } else { 0 });
            let tip = format!("{}: {}", c.label, c.value);
            let rect = view! {
                <rect
                    x="0"
                    y=y.to_string()
                    width=format!("{w}%")
                    height=(row_h - 8).to_string()
                    rx="3"
                >
                    <title>{tip}</title>
                </rect>
            };
            if c.href.is_empty() {
                rect.into_any()
            } else {
                view! {
                    <a href=c.href.clone() tabindex="-1">
                        {rect}
                    </a>
                }
                .into_any()
            }
        })
        .collect_view();
    let heading = format!("chart-{id}");
    let labelled_by = heading.clone();
    view! {
        <figure class="card chart" aria-labelledby=labelled_by>
            <figcaption id=heading>
                <h2>{title}</h2>
            </figcaption>
            <svg
                class="bars"
                width="100%"
                height=height.to_string()
                aria-hidden="true"
                focusable="false"
            >
                {bars}
            </svg>
            <table class="chart-table">
                <tbody>
                    {counts
                        .into_iter()
                        .map(|c| {
                            let label = if c.href.is_empty() {
                                view! { <span>{c.label}</span> }.into_any()
                            } else {
                                view! { <A href=c.href>{c.label}</A> }.into_any()
                            };
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td data-count=c.value.to_string()>{c.value}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// Contacts and messages per week, as paired columns, with the figures in a table on request.
#[component]
fn WeeksChart(weeks: Vec<Week>) -> impl IntoView {
    let max = weeks
        .iter()
        .map(|w| w.contacts.max(w.messages))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = weeks.len().max(1) as i64;
    let h = 140;
    let cols = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let slot = 1000 / n;
            let x = i as i64 * slot;
            let bar = |v: i64| v * h / max;
            let (c, m) = (bar(w.contacts), bar(w.messages));
            view! {
                <g>
                    <rect
                        class="series-contacts"
                        x=(x + 2).to_string()
                        y=(h - c).to_string()
                        width=(slot / 2 - 2).to_string()
                        height=c.to_string()
                    >
                        <title>{format!("Week of {}: {} contacts", w.starts, w.contacts)}</title>
                    </rect>
                    <rect
                        class="series-messages"
                        x=(x + slot / 2).to_string()
                        y=(h - m).to_string()
                        width=(slot / 2 - 2).to_string()
                        height=m.to_string()
                    >
                        <title>{format!("Week of {}: {} messages", w.starts, w.messages)}</title>
                    </rect>
                </g>
            }
        })
        .collect_view();
    let first = weeks.first().map(|w| w.starts.clone()).unwrap_or_default();
    let total_contacts: i64 = weeks.iter().map(|w| w.contacts).sum();
    let total_messages: i64 = weeks.iter().map(|w| w.messages).sum();
    view! {
        <figure class="card chart chart-wide" aria-labelledby="chart-weeks">
            <figcaption id="chart-weeks">
                <h2>"Contacts and messages by week"</h2>
                <p class="hint">
                    {format!(
                        "Since the week of {first}: {total_contacts} contacts and {total_messages} messages. ",
                    )} <span class="key key-contacts">"Contacts"</span>" "
                    <span class="key key-messages">"Messages"</span>
                </p>
            </figcaption>
            <svg
                class="columns"
                viewBox=format!("0 0 1000 {h}")
                preserveAspectRatio="none"
                width="100%"
                height=h.to_string()
                aria-hidden="true"
                focusable="false"
            >
                {cols}
            </svg>
            <details>
                <summary>"The weeks as a table"</summary>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Week of"</th>
                            <th scope="col">"Contacts"</th>
                            <th scope="col">"Messages"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {weeks
                            .into_iter()
                            .map(|w| {
                                view! {
                                    <tr>
                                        <th scope="row">{w.starts}</th>
                                        <td>{w.contacts}</td>
                                        <td>{w.messages}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
