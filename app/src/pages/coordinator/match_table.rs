//! `/coordinator/matches`: every match with its figures and the flags that say it needs
//! attention, each with its reason. Filters, order and page live in the query string, so a view
//! is a link, works without JavaScript, and the CSV export gets exactly these rows.

use super::{CohortFilter, FilterSelect, load_error};
use crate::api::match_table::get_match_table;
use crate::components::form::pairs;
use crate::components::live::LiveRefresh;
use crate::model::match_table::{FLAGS, MatchQuery, MatchTable, MatchTableRow, SORTS};
use crate::model::{GoalProgress, LIBRARY_TYPES, MatchState, SheetState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MatchesPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| MatchQuery {
            cohort_id: q.get("cohort").and_then(|c| c.parse().ok()),
            library_type: q.get("library_type").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
            flag: q.get("flag").unwrap_or_default(),
            state: q.get("state").unwrap_or_default(),
            sheet: q.get("sheet").unwrap_or_default(),
            goal: q.get("goal").unwrap_or_default(),
            search: q.get("q").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    // The export takes the same filters (not the page: it has every row).
    let export = move || {
        let mut q = query.get();
        q.remove("page");
        format!("/coordinator/export/matches.csv{}", q.to_query_string())
    };
    view! {
        <Title text="Matches" />
        <section class="page">
            <h1>"Matches"</h1>
            <p class="lead">
                "Every match's contact, messages and goal sheet, and why a match needs attention."
            </p>
            <form method="get" class="filter-bar" role="search" aria-label="Filter matches">
                <CohortFilter current=filter().cohort_id />
                <FilterSelect
                    name="flag"
                    label="Health"
                    options={
                        let mut o = vec![("any".to_string(), "Needs attention".to_string())];
                        o.extend(pairs(FLAGS));
                        o
                    }
                    current=filter().flag
                    all="All matches"
                />
                <FilterSelect
                    name="state"
                    label="Match state"
                    options=MatchState::options()
                    current=filter().state
                    all="Any state"
                />
                <FilterSelect
                    name="sheet"
                    label="Goal sheet"
                    options=SheetState::stored_options()
                    current=filter().sheet
                    all="Any goal sheet"
                />
                <FilterSelect
                    name="goal"
                    label="Has a goal"
                    options=GoalProgress::options()
                    current=filter().goal
                    all="Any goals"
                />
                <FilterSelect
                    name="library_type"
                    label="Library type"
                    options=pairs(LIBRARY_TYPES)
                    current=filter().library_type
                    all="Any library"
                />
                <div class="field">
                    <label for="f-region">"Region"</label>
                    <input id="f-region" name="region" type="text" value=filter().region />
                </div>
                <div class="field">
                    <label for="f-q">"Search by name"</label>
                    <input id="f-q" name="q" type="search" value=filter().search />
                </div>
                <div class="field">
                    <label for="f-sort">"Order"</label>
                    <select id="f-sort" name="sort">
                        {SORTS
                            .iter()
                            .map(|(k, l)| {
                                let sel = filter().sort == *k;
                                view! {
                                    <option value=*k selected=sel>
                                        {*l}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-secondary">
                    "Show"
                </button>
            </form>
            <p>
                <a href=export rel="external" download="tandem-matches.csv">
                    "Export these matches as CSV"
                </a>
            </p>
            // The figures are read again when the live connection says something changed; this
            // line says when and what, in a space kept for it.
            <p id="match-table-updated" class="live-cue" role="status" aria-live="polite"></p>
            <div id="match-table">
                <Suspense fallback=|| {
                    view! { <p class="loading">"Loading matches…"</p> }
                }>
                    // Read once, on the server (this page is never rendered in the browser).
                    {Suspend::new(async move {
                        let filter = filter();
                        match get_match_table(filter.clone()).await {
                            Ok(t) => view! { <HealthTable t filter /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </div>
            <LiveRefresh id="match-table".to_string() cue="match-table-updated".to_string() />
        </section>
    }
}

#[component]
fn HealthTable(t: MatchTable, filter: MatchQuery) -> impl IntoView {
    if t.rows.is_empty() {
        return view! { <p class="notice">"No match fits these filters."</p> }.into_any();
    }
    let summary = format!(
        "{} match{}, {} needing attention. Page {} of {}.",
        t.total,
        if t.total == 1 { "" } else { "es" },
        t.flagged,
        t.page,
        t.pages
    );
    let pager =
        (t.pages > 1).then(|| view! { <Pager filter=filter.clone() page=t.page pages=t.pages /> });
    view! {
        <p
            role="status"
            class="status-line"
            data-total=t.total.to_string()
            data-flagged=t.flagged.to_string()
        >
            {summary}
        </p>
        <div class="table-wrap">
            <table class="health-table">
                <caption class="visually-hidden">
                    "Matches with their contact, messages, goal sheet and flags"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Match"</th>
                        <th scope="col">"Matched"</th>
                        <th scope="col">"Last contact"</th>
                        <th scope="col">"Contacts"</th>
                        <th scope="col">"Messages, 30 days"</th>
                        <th scope="col">"Goal sheet"</th>
                        <th scope="col">"Needs attention"</th>
                    </tr>
                </thead>
                <tbody>{t.rows.into_iter().map(|r| view! { <Row r /> }).collect_view()}</tbody>
            </table>
        </div>
        {pager}
    }
    .into_any()
}

#[component]
fn Row(r: MatchTableRow) -> impl IntoView {
    let last = match r.days_since_contact {
        None => "None logged".to_string(),
        Some(0) => "Today".to_string(),
        Some(1) => "Yesterday".to_string(),
        Some(d) => format!("{d} days ago"),
    };
    let sheet_class = format!("badge badge-sheet-{}", r.sheet.stored_name());
    let ended = (r.state != MatchState::Active).then(|| {
        view! {
            <br />
            <span class="muted">{r.state.label().to_lowercase()}</span>
        }
    });
    let flags = if r.flags.is_empty() {
        view! { <span class="muted">"—"</span> }.into_any()
    } else {
        view! {
            <ul class="plain-list flag-list">
                {r
                    .flags
                    .into_iter()
                    .map(|f| view! { <li data-flag=f.key>{f.reason}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr data-match=r.match_id.to_string()>
            <th scope="row">
                <A href=format!(
                    "/match/{}",
                    r.match_id,
                )>{format!("{} and {}", r.mentor_name, r.mentee_name)}</A>
                <br />
                <span class="muted">{r.cohort_name}</span>
                {ended}
            </th>
            <td>
                {format!("{} days", r.days_matched)}<br /><span class="muted">{r.started_on}</span>
            </td>
            <td>{last}</td>
            <td>{r.contacts}</td>
            <td>{r.messages_30_days}</td>
            <td>
                <span class=sheet_class>{r.sheet.label()}</span>
            </td>
            <td>{flags}</td>
        </tr>
    }
}

/// Previous and next as GET forms that carry the filters, so paging needs no URL building.
#[component]
fn Pager(filter: MatchQuery, page: i64, pages: i64) -> impl IntoView {
    let hidden = move || {
        let f = filter.clone();
        view! {
            <input
                type="hidden"
                name="cohort"
                value=f.cohort_id.map(|c| c.to_string()).unwrap_or_default()
            />
            <input type="hidden" name="flag" value=f.flag />
            <input type="hidden" name="state" value=f.state />
            <input type="hidden" name="sheet" value=f.sheet />
            <input type="hidden" name="library_type" value=f.library_type />
            <input type="hidden" name="region" value=f.region />
            <input type="hidden" name="q" value=f.search />
            <input type="hidden" name="sort" value=f.sort />
        }
    };
    view! {
        <form method="get" class="pager" aria-label="Pages">
            {hidden()}
            <button
                type="submit"
                name="page"
                value=(page - 1).to_string()
                class="button button-secondary"
                disabled=page <= 1
            >
                "Previous page"
            </button>
            <span>{format!("Page {page} of {pages}")}</span>
            <button
                type="submit"
                name="page"
                value=(page + 1).to_string()
                class="button button-secondary"
                disabled=page
            >
                = pages>
                "Next page"
            </button>
        </form>
    }
}
