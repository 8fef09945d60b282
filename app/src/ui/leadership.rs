//! The leadership view (`/`): summary strip, filters, timeline, table, teams
//! and diagnostics, with the detail panel on the side. All state that a link
//! should carry lives in the URL.

use std::sync::Arc;

use leptos::prelude::*;
use milepost_shared::Filter;

use super::api::Store;
use super::common::{UrlState, apply_theme, mark_rendered};
use super::detail::DetailPanel;
use super::panels::{DiagnosticsPanel, Filters, SummaryStrip, TeamsPanel, Visible};
use super::router::Location;
use super::table::MilestoneTable;
use super::timeline::TimelineSection;
use crate::query::{ViewState, query_string};
use crate::search::SearchIndex;

/// The leadership page.
#[component]
pub fn Leadership() -> impl IntoView {
    let store = Store::new();
    store.load("/api/roadmap".to_string());
    store.follow_events("/api/roadmap".to_string());

    let location = Location::follow();
    let state = Memo::new(move |_| {
        let pairs = location.pairs();
        ViewState::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    });
    let url = UrlState {
        state: state.into(),
        go: UnsyncCallback::new(move |(next, replace): (ViewState, bool)| {
            location.go(&format!("/{}", next.to_query()), replace);
        }),
    };
    let theme = Memo::new(move |_| state.with(|s| s.theme.clone()));
    Effect::new(move |_| theme.with(|theme| apply_theme(theme.as_deref())));
    // Only the team names the tab: setting the title on every URL change
    // (each search) costs a task of its own in Chromium.
    let team = Memo::new(move |_| state.with(|s| s.filter.team.clone()));
    Effect::new(move |_| {
        let title = match team.get() {
            Some(team) => format!("{team} — Milepost roadmap"),
            None => "Milepost roadmap".to_string(),
        };
        document().set_title(&title);
    });

    view! { <Portfolio store url/> }
}

/// The page body for a store and a URL state (separate from [`Leadership`]
/// so tests can mount it without a router or a server).
#[component]
pub fn Portfolio(store: Store, url: UrlState) -> impl IntoView {
    // Indices of the milestones that pass the filter but for its status
    // (the summary strip counts those), with the load they come from: the
    // one pass over every milestone per search.
    let index = Memo::new_with_compare(
        move |_| {
            store.snapshot.with(|s| {
                Arc::new(
                    s.as_ref()
                        .map(|s| SearchIndex::of(&s.roadmap))
                        .unwrap_or_default(),
                )
            })
        },
        // Rebuilt only when the data changes, so always news.
        |_, _| true,
    );
    let candidates: Visible = Memo::new(move |_| {
        store.snapshot.with(|snapshot| {
            snapshot.as_ref().map(|s| {
                let indices = index.with(|index| {
                    url.state
                        .with(|state| index.candidates(&s.roadmap, &state.filter))
                });
                (s.generation, indices)
            })
        })
    });
    // Those that pass the status part too.
    let visible: Visible = Memo::new(move |_| {
        store.snapshot.with(|snapshot| {
            let s = snapshot.as_ref()?;
            let statuses = url.state.with(|state| state.filter.status.clone());
            candidates.with(|c| {
                c.as_ref().map(|(generation, indices)| {
                    let kept = indices
                        .iter()
                        .copied()
                        .filter(|&i| {
                            statuses.is_empty()
                                || statuses.contains(&s.roadmap.milestones[i].status)
                        })
                        .collect();
                    (*generation, kept)
                })
            })
        })
    });
    // The table and the counts follow a search in the same task; the
    // timeline, then the teams and problems panels, follow in tasks of their
    // own, so no single task holds every section's redraw.
    let later = in_a_later_task(visible);
    let last = in_a_later_task(later);
    let export_href = move || {
        let pairs = url.state.with(|s| s.filter.to_pairs());
        format!("/api/export.md{}", query_string(&pairs))
    };
    let has_panel = move || url.state.with(|s| s.selected.is_some());
    // Effects run after the DOM is updated: the page now shows this load.
    Effect::new(move |_| {
        if let Some(generation) = store.snapshot.with(|s| s.as_ref().map(|s| s.generation)) {
            mark_rendered(generation);
        }
    });

    view! {
        <div class="page" class:with-panel=has_panel>
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <div>
                        <p class="product">"Milepost"</p>
                        <p class="tagline">"Roadmap portfolio"</p>
                    </div>
                </div>
                <div class="topbar-actions">
                    <DataAge store/>
                    <a class="button" href=export_href download="milepost-roadmap.md">
                        "Export report"
                    </a>
                </div>
            </header>
            <main id="main" class="content">
                <h1 class="sr-only">"Roadmap portfolio"</h1>
                <StatusBanner store/>
                {move || {
                    let ignored = url.state.with(|s| s.ignored.clone());
                    (!ignored.is_empty())
                        .then(|| {
                            view! {
                                <p class="notice" role="status">
                                    "Ignored unknown status in the link: " {ignored.join(", ")}
                                </p>
                            }
                        })
                }}
                <Show
                    when=move || store.snapshot.with(Option::is_some)
                    fallback=move || view! { <FirstLoad store/> }
                >
                    <SummaryStrip store url candidates/>
                    <Filters store url/>
                    <TimelineSection store url visible=later/>
                    <MilestoneTable store url visible/>
                    <div class="columns">
                        <TeamsPanel store url visible=last/>
                        <DiagnosticsPanel store url visible=last/>
                    </div>
                </Show>
            </main>
            <Show when=has_panel>
                <DetailPanel store url/>
            </Show>
        </div>
    }
}

/// "Data as of" the day statuses were computed for, and reload activity.
#[component]
fn DataAge(store: Store) -> impl IntoView {
    let label = move || {
        store.snapshot.with(|s| {
            s.as_ref()
                .and_then(|s| s.roadmap.today)
                .map(|today| format!("Statuses as of {today}"))
        })
    };
    view! {
        <p class="data-age" aria-live="polite">
            {label}
            {move || store.loading.get().then(|| view! { <span class="updating">" · updating…"</span> })}
        </p>
    }
}

/// Loading, or the error with a retry, before any roadmap has arrived.
#[component]
fn FirstLoad(store: Store) -> impl IntoView {
    view! {
        {move || match store.error.get() {
            Some(message) => {
                view! {
                    <div class="state error" role="alert">
                        <h2>"The roadmap could not be loaded"</h2>
                        <p>{message}</p>
                        <button type="button" on:click=move |_| store.load("/api/roadmap".into())>
                            "Retry"
                        </button>
                    </div>
                }
                    .into_any()
            }
            None => {
                view! {
                    <div class="state loading" role="status">
                        <span class="spinner" aria-hidden="true"></span>
                        "Loading roadmap…"
                    </div>
                }
                    .into_any()
            }
        }}
    }
}

/// The server out of reach while a roadmap is shown (a failed reload, or the
/// live-update stream down): the page keeps the last data and says so.
#[component]
fn StatusBanner(store: Store) -> impl IntoView {
    move || {
        store.out_of_touch().then(|| {
            view! {
                <div class="notice warn" role="alert">
                    "Lost contact with the Milepost server; showing the last roadmap loaded. "
                    <button type="button" class="link" on:click=move |_| store.load("/api/roadmap".into())>
                        "Retry now"
                    </button>
                </div>
            }
        })
    }
}

/// `source`'s value, taken up in a task after the one that changed it (the
/// browser may paint in between); a burst of changes lands as the last one.
/// A new load is taken up at once (readers still check indices: for the
/// moment before, they may meet the newer data).
fn in_a_later_task(source: Visible) -> Visible {
    let copy = RwSignal::new(source.get_untracked());
    let queued = StoredValue::new(false);
    let generation = |v: &Option<(u64, Vec<usize>)>| v.as_ref().map(|(g, _)| *g);
    Effect::new(move |_| {
        if source.with(generation) != copy.with_untracked(generation) {
            copy.set(source.get_untracked());
            return;
        }
        if queued.get_value() {
            return;
        }
        queued.set_value(true);
        set_timeout(
            move || {
                queued.set_value(false);
                let now = source.get_untracked();
                if copy.with_untracked(|old| *old != now) {
                    copy.set(now);
                }
            },
            std::time::Duration::ZERO,
        );
    });
    Memo::new(move |_| copy.get())
}

/// Empties the filter (keeps view options such as grouping).
pub fn clear_filter(url: UrlState) {
    url.update(false, |state| {
        state.filter = Filter::default();
        state.ignored.clear();
    });
}
