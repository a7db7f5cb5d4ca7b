//! `/coordinator/dashboard`: a cohort at a glance. Each chart is a small SVG drawn here (bars
//! labelled with their names and figures, weeks with dated ticks) above a table of the same figures whose labels link to the
//! list behind each bar, for keyboards and screen readers. The counts are read again when the
//! live connection says something changed (a sheet submitted, a contact logged, an application,
//! a match made or ended), so they show without reloading and without polling.

use super::{CohortFilter, FilterSelect, load_error};
use crate::api::dashboard::load_dashboard;
use crate::components::live::LiveRefresh;
use crate::model::LIBRARY_TYPES;
use crate::model::dashboard::{Attention, Count, Dashboard, DashboardFilter, Week};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

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
                <CohortFilter current=filter().cohort_id />
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
                    // Read once, on the server (this page is never rendered in the browser).
                    {Suspend::new(async move {
                        match load_dashboard(filter()).await {
                            Ok(d) => view! { <Panels d /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </div>
            // Says quietly what changed when the figures are read again; its line is kept empty
            // rather than absent, so nothing moves when it speaks.
            <p id="dashboard-updated" class="live-cue" role="status" aria-live="polite"></p>
            <LiveRefresh id="dashboard-panels".to_string() cue="dashboard-updated".to_string() />
        </section>
    }
}

#[component]
fn Panels(d: Dashboard) -> impl IntoView {
    let (attention_href, overdue_href) = (d.attention_href.clone(), d.overdue_href.clone());
    let attention_all = d.attention_href.clone();
    view! {
        <div class="tiles">
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
        <AttentionList list=d.attention total=d.needing_attention href=attention_all />
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

/// What needs the coordinator today: the matches flagged longest, each with its reasons, and the
/// way to all of them. Its height is kept for the full list, so figures read again after a
/// change do not move the charts under it.
#[component]
fn AttentionList(list: Vec<Attention>, total: i64, href: String) -> impl IntoView {
    let shown = list.len() as i64;
    let items = list
        .into_iter()
        .map(|a| {
            view! {
                <li data-match=a.match_id.to_string()>
                    <A href=format!("/match/{}", a.match_id)>{a.names}</A>
                    " "
                    <span class="attention-why">{a.reasons.join(" ")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="attention" aria-labelledby="attention-title">
            <h2 id="attention-title">"Needing attention"</h2>
            {if shown == 0 {
                view! { <p class="muted">"No match needs attention today."</p> }.into_any()
            } else {
                view! { <ol class="attention-list">{items}</ol> }.into_any()
            }}
            <p class="attention-more">
                {(total > shown)
                    .then(|| {
                        view! {
                            <A href=href>{format!("All {total} matches needing attention")}</A>
                        }
                    })}
            </p>
        </section>
    }
}

/// Horizontal bars, longest = full width, each with its name above it and its figure at its end,
/// so the chart reads at a glance. The drawing is hidden from assistive technology; the table
/// under it says the same, with the links.
#[component]
fn BarChart(id: &'static str, title: &'static str, counts: Vec<Count>) -> impl IntoView {
    let max = counts.iter().map(|c| c.value).max().unwrap_or(0).max(1);
    let row_h = 44;
    let height = row_h * counts.len() as i64;
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let top = i as i64 * row_h;
            let w = bar_width(c.value, max);
            let tip = format!("{}: {}", c.label, c.value);
            // A long bar holds its figure inside its end; a short one has it just after.
            let (figure_class, dx) = if w > 85 {
                ("bar-figure bar-figure-inside", "-6")
            } else {
                ("bar-figure", "6")
            };
            let row = view! {
                <text class="bar-label" x="0" y=(top + 14).to_string()>
                    {c.label.clone()}
                </text>
                <rect x="0" y=(top + 20).to_string() width=format!("{w}%") height="18" rx="3">
                    <title>{tip}</title>
                </rect>
                <text class=figure_class x=format!("{w}%") dx=dx y=(top + 34).to_string()>
                    {c.value}
                </text>
            };
            if c.href.is_empty() {
                view! { <g>{row}</g> }.into_any()
            } else {
                view! {
                    <a href=c.href.clone() tabindex="-1">
                        {row}
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

/// A bar's length in percent of the longest: at least 1 when there is anything, so a small
/// figure is not drawn as nothing.
fn bar_width(value: i64, max: i64) -> i64 {
    (value * 100 / max.max(1)).clamp(if value > 0 { 1 } else { 0 }, 100)
}

/// "Mar 2" from "2027-03-02": the weekly chart's ticks, short enough for a phone.
fn short_date(day: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = day.split('-').skip(1);
    match (
        parts.next().and_then(|m| m.parse::<usize>().ok()),
        parts.next().and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(m @ 1..=12), Some(d)) => format!("{} {d}", MONTHS[m - 1]),
        _ => day.to_string(),
    }
}

/// Every how many weeks the weekly chart's axis names a date.
const TICK_EVERY: usize = 4;

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
    let ticks = weeks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % TICK_EVERY == 0)
        .map(|(i, w)| {
            let x = format!("{:.2}%", i as f64 * 100.0 / n as f64);
            // Every other tick gives way on a phone, where seven dates would touch.
            let class = if (i / TICK_EVERY) % 2 == 1 {
                "tick tick-minor"
            } else {
                "tick"
            };
            view! {
                <g class=class>
                    <line x1=x.clone() x2=x.clone() y1="0" y2="5" />
                    <text x=x y="18" data-week=w.starts.clone()>
                        {short_date(&w.starts)}
                    </text>
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
            // The dates under the columns: a second drawing without the stretched viewBox, so
            // its text keeps its shape; each tick sits at the start of its week's slot.
            <svg class="week-axis" width="100%" height="22" aria-hidden="true" focusable="false">
                {ticks}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_name_the_day_briefly() {
        assert_eq!(short_date("2027-03-02"), "Mar 2");
        assert_eq!(short_date("2026-12-28"), "Dec 28");
        assert_eq!(short_date("not a date"), "not a date");
    }

    #[test]
    fn a_small_figure_still_shows_a_bar_and_nothing_shows_none() {
        assert_eq!(bar_width(1, 1000), 1);
        assert_eq!(bar_width(0, 1000), 0);
        assert_eq!(bar_width(50, 100), 50);
        assert_eq!(bar_width(3, 0), 100);
    }
}
