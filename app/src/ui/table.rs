//! The sortable milestone table.

use std::sync::Arc;

use leptos::prelude::*;
use milepost_shared::{
    Milestone, Roadmap,
    display::{TeamNames, relative_label, target_label},
};

use super::api::Store;
use super::common::{StatusChip, UrlState, today_of};
use super::panels::Visible;
use crate::facets::document_title;
use crate::sorting::order;
use crate::table::SortKey;

/// Rows rendered before "Show more": a couple of screenfuls. Every search
/// redraws the page of rows, so its size bounds the work per keystroke.
const PAGE_ROWS: usize = 50;

/// Every visible milestone, one row each, in the URL's order. Sort headings
/// are buttons; the heading's `aria-sort` says the current order.
#[component]
pub fn MilestoneTable(store: Store, url: UrlState, visible: Visible) -> impl IntoView {
    // Owners written as a team's group ref read as the team, once per load.
    let names = Memo::new(move |_| {
        store.snapshot.with(|s| {
            Arc::new(
                s.as_ref()
                    .map(|s| TeamNames::of(&s.roadmap))
                    .unwrap_or_default(),
            )
        })
    });
    let rows = Memo::new(move |_| {
        store.snapshot.with(|s| {
            let Some(s) = s.as_ref() else {
                return Vec::new();
            };
            let sort = url.state.with(|state| state.sort);
            visible.with(|v| {
                let Some((generation, indices)) = v.as_ref() else {
                    return Vec::new();
                };
                let milestones = &s.roadmap.milestones;
                let names = names.get();
                order(indices.len(), &|a, b| {
                    sort.compare(&milestones[indices[a]], &milestones[indices[b]], &names)
                })
                .into_iter()
                .map(|i| (*generation, indices[i]))
                .collect::<Vec<_>>()
            })
        })
    });
    let count = move || rows.with(Vec::len);
    // Long portfolios render a page of rows at a time: thousands of rows at
    // once would make the first paint and every keystroke in the search slow.
    let shown = RwSignal::new(PAGE_ROWS);
    let page = move || rows.with(|rows| rows.iter().take(shown.get()).copied().collect::<Vec<_>>());
    let hidden = move || count().saturating_sub(shown.get());
    let heading = move |key: SortKey| {
        view! {
            <th scope="col" aria-sort=move || url.state.with(|s| s.sort.aria_sort(key))>
                <button
                    type="button"
                    class="sort"
                    on:click=move |_| url.update(false, |state| state.sort = state.sort.clicked(key))
                >
                    {key.label()}
                    <span class="sort-mark" aria-hidden="true">
                        {move || match url.state.with(|s| s.sort.aria_sort(key)) {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "↕",
                        }}
                    </span>
                </button>
            </th>
        }
    };
    view! {
        <section class="panel table-panel" aria-labelledby="table-h">
            <div class="section-head">
                <h2 id="table-h" tabindex="-1">"Milestones"</h2>
                <span class="muted" aria-live="polite">
                    {move || format!("{} shown", count())}
                </span>
            </div>
            <div class="table-scroll">
                <table class="milestones">
                    <thead>
                        <tr>
                            {heading(SortKey::Status)}
                            {heading(SortKey::Title)}
                            {heading(SortKey::Owners)}
                            {heading(SortKey::Target)}
                            <th scope="col">"When"</th>
                            <th scope="col">"Depends on"</th>
                            {heading(SortKey::Document)}
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=page
                            key=|(generation, index)| (*generation, *index)
                            children=move |(_, index)| {
                                let roadmap = store
                                    .snapshot
                                    .with_untracked(|s| s.as_ref().map(|s| Arc::clone(&s.roadmap)));
                                let names = names.get_untracked();
                                roadmap.map(|roadmap| view! { <MilestoneRow roadmap index url names/> })
                            }
                        />
                    </tbody>
                </table>
                <Show when=move || count() == 0>
                    <p class="empty">"No milestone matches these filters."</p>
                </Show>
                <Show when=move || hidden() != 0>
                    <p class="more-rows">
                        <span class="muted">
                            {move || format!("Showing {} of {}.", shown.get().min(count()), count())}
                        </span>
                        <button
                            type="button"
                            class="secondary"
                            on:click=move |_| shown.update(|n| *n += PAGE_ROWS)
                        >
                            {move || format!("Show {} more", hidden().min(PAGE_ROWS))}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| shown.set(usize::MAX)>
                            {move || format!("Show all {}", count())}
                        </button>
                    </p>
                </Show>
            </div>
        </section>
    }
}

/// One table row.
#[component]
fn MilestoneRow(
    roadmap: Arc<Roadmap>,
    index: usize,
    url: UrlState,
    names: Arc<TeamNames>,
) -> impl IntoView {
    let milestone: &Milestone = &roadmap.milestones[index];
    let today = today_of(&roadmap);
    let id = milestone.id.clone();
    let selected = {
        let id = id.clone();
        move || {
            url.state
                .with(|s| s.selected.as_deref() == Some(id.as_str()))
        }
    };
    let open = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let link = ev
                .current_target()
                .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok());
            let id = id.clone();
            url.update(false, move |state| state.selected = Some(id));
            // The panel narrows the table and its rows wrap taller: once
            // the page is laid out again, the row clicked is put back where
            // it was on the screen.
            if let Some(link) = link {
                let was = link.get_bounding_client_rect().top();
                request_animation_frame(move || {
                    request_animation_frame(move || keep_in_place(&link, was));
                });
            }
        }
    };
    let href = {
        let id = id.clone();
        url.href_with(move |state| state.selected = Some(id))
    };
    let dependencies = milestone
        .dependencies
        .iter()
        .map(|dependency| match &dependency.milestone {
            Some(target) => {
                let title = roadmap
                    .milestones
                    .iter()
                    .find(|m| m.id == *target)
                    .map_or_else(|| dependency.text.clone(), |m| m.title.clone());
                let target = target.clone();
                let href = {
                    let target = target.clone();
                    url.href_with(move |state| state.selected = Some(target))
                };
                view! {
                    <li>
                        <a
                            href=href
                            on:click=move |ev| {
                                ev.prevent_default();
                                let target = target.clone();
                                url.update(false, move |state| state.selected = Some(target));
                            }
                        >
                            {title}
                        </a>
                    </li>
                }
                .into_any()
            }
            None => view! {
                <li class="external" title="External dependency">
                    {dependency.text.clone()}
                </li>
            }
            .into_any(),
        })
        .collect_view();
    let source_label = format!(
        "{}:{}",
        document_title(&roadmap, &milestone.document),
        milestone.line
    );
    let source = match &milestone.source_url {
        Some(link) => view! {
            <a href=link.clone() target="_blank" rel="noopener" title=milestone.document.clone()>
                {source_label}
            </a>
        }
        .into_any(),
        None => view! { <span title=milestone.document.clone()>{source_label}</span> }.into_any(),
    };
    view! {
        <tr class:selected=selected>
            <td>
                <StatusChip status=milestone.status/>
            </td>
            <td class="title-cell">
                <a class="title" href=href on:click=open>
                    {milestone.title.clone()}
                </a>
                <span class="id">{id.clone()}</span>
            </td>
            <td>{names.owners_line(&milestone.owners)}</td>
            <td class="nowrap">{target_label(milestone)}</td>
            <td class="nowrap">{relative_label(milestone, today).unwrap_or_default()}</td>
            <td>
                <ul class="deps">{dependencies}</ul>
            </td>
            <td class="source">{source}</td>
        </tr>
    }
}

/// Scrolls the page so that `element`'s top is at `top` on the screen
/// again (where it was before the layout changed).
fn keep_in_place(element: &web_sys::Element, top: f64) {
    if !element.is_connected() {
        return;
    }
    let moved = element.get_bounding_client_rect().top() - top;
    if moved.abs() >= 1.0 {
        window().scroll_by_with_x_and_y(0.0, moved);
    }
}
