//! The leadership view's smaller sections: the summary strip, the filter
//! controls, the teams roll-up and the diagnostics list.

use leptos::prelude::*;
use milepost_shared::{Milestone, Severity};

use super::api::Store;
use super::common::UrlState;
use super::leadership::clear_filter;
use crate::facets::{document_choices, entity_choices, team_choices, visible_diagnostics};
use crate::summary::{count_statuses, toggle_status};
use crate::teams::{Membership, team_rollup};

/// Indices of visible milestones with the load they index into.
pub type Visible = Memo<Option<(u64, Vec<usize>)>>;

/// How long the search box waits for the next key before filtering.
pub const SEARCH_DELAY: std::time::Duration = std::time::Duration::from_millis(150);

fn non_empty(value: String) -> Option<String> {
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// Counts per status; each is a toggle button that filters by its status.
/// `candidates` are the milestones that pass the filter but for its status.
#[component]
pub fn SummaryStrip(store: Store, url: UrlState, candidates: Visible) -> impl IntoView {
    let counts = move || {
        store.snapshot.with(|s| {
            let Some(s) = s.as_ref() else {
                return Vec::new();
            };
            let statuses = url.state.with(|state| state.filter.status.clone());
            candidates.with(|c| {
                let indices = c.as_ref().map(|(_, i)| i.as_slice()).unwrap_or_default();
                count_statuses(
                    indices.iter().map(|&i| &*s.roadmap.milestones[i]),
                    &statuses,
                )
            })
        })
    };
    view! {
        <section class="summary" aria-label="Milestones by status">
            <ul class="strip">
                {move || {
                    counts()
                        .into_iter()
                        .map(|count| {
                            let status = count.status;
                            let pressed = if count.active { "true" } else { "false" };
                            let noun = if count.count == 1 { "milestone" } else { "milestones" };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class=format!("count s-{}", status.as_str())
                                        class:active=count.active
                                        aria-pressed=pressed
                                        title=format!("Show only {} {noun}", status.label().to_lowercase())
                                        on:click=move |_| {
                                            url.update(false, |state| state.filter = toggle_status(&state.filter, status))
                                        }
                                    >
                                        <span class="count-n">{count.count}</span>
                                        <span class="count-label">
                                            <span class="dot" aria-hidden="true"></span>
                                            {status.label()}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// Team, entity, document, status and free-text filters, all written to the URL.
#[component]
pub fn Filters(store: Store, url: UrlState) -> impl IntoView {
    let choices = Memo::new(move |_| {
        store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| {
                    (
                        team_choices(&s.roadmap),
                        entity_choices(&s.roadmap),
                        document_choices(&s.roadmap),
                    )
                })
                .unwrap_or_default()
        })
    });
    // The search box keeps its own text (with the spaces being typed); the
    // URL holds the trimmed words and only overwrites the box on navigation.
    let text = RwSignal::new(
        url.state
            .with_untracked(|s| s.filter.q.clone().unwrap_or_default()),
    );
    // Typing goes to the URL (and so to the filter and every section) once
    // the typist pauses: re-filtering thousands of milestones on each key
    // made every keystroke a long task.
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let q = url.state.with(|s| s.filter.q.clone().unwrap_or_default());
        // While a search is waiting to be written, the box is newer than the URL.
        if pending.with_value(Option::is_none) && text.get_untracked().trim() != q {
            text.set(q);
        }
    });
    on_cleanup(move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
    // Each list is redrawn only when its own choice changes: reading the
    // whole URL state would rebuild every `<option>` on each search.
    let team = Memo::new(move |_| url.state.with(|s| s.filter.team.clone()));
    let entity = Memo::new(move |_| url.state.with(|s| s.filter.entity.clone()));
    let document = Memo::new(move |_| url.state.with(|s| s.filter.document.clone()));
    let options = move |list: Vec<crate::facets::Choice>, current: Option<String>| {
        let (list, chosen) = crate::facets::with_current(list, current.as_deref());
        list.into_iter()
            .enumerate()
            .map(|(index, choice)| {
                let selected = chosen == Some(index);
                view! { <option value=choice.value selected=selected>{choice.label}</option> }
            })
            .collect_view()
    };
    let status_value = Memo::new(move |_| {
        url.state.with(|s| match s.filter.status.as_slice() {
            [one] => one.as_str().to_string(),
            [] => String::new(),
            _ => "several".to_string(),
        })
    });
    view! {
        <form class="filters" role="search" aria-label="Filter milestones" on:submit=|ev| ev.prevent_default()>
            <div class="field grow">
                <label for="f-q">"Search"</label>
                <input
                    id="f-q"
                    type="search"
                    placeholder="Title, id or description"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
                            handle.clear();
                        }
                        let write = move || {
                            pending.set_value(None);
                            let q = non_empty(text.get_untracked());
                            url.update(true, |state| state.filter.q = q);
                        };
                        pending.set_value(set_timeout_with_handle(write, SEARCH_DELAY).ok());
                    }
                />
            </div>
            <div class="field">
                <label for="f-team">"Team"</label>
                <select
                    id="f-team"
                    on:change=move |ev| {
                        url.update(false, |state| state.filter.team = non_empty(event_target_value(&ev)))
                    }
                >
                    <option value="">"All teams"</option>
                    {move || options(choices.with(|c| c.0.clone()), team.get())}
                </select>
            </div>
            <div class="field">
                <label for="f-entity">"Entity"</label>
                <select
                    id="f-entity"
                    on:change=move |ev| {
                        url.update(false, |state| state.filter.entity = non_empty(event_target_value(&ev)))
                    }
                >
                    <option value="">"All entities"</option>
                    {move || options(choices.with(|c| c.1.clone()), entity.get())}
                </select>
            </div>
            <div class="field">
                <label for="f-document">"Document"</label>
                <select
                    id="f-document"
                    on:change=move |ev| {
                        url.update(false, |state| state.filter.document = non_empty(event_target_value(&ev)))
                    }
                >
                    <option value="">"All documents"</option>
                    {move || options(choices.with(|c| c.2.clone()), document.get())}
                </select>
            </div>
            <div class="field">
                <label for="f-status">"Status"</label>
                <select
                    id="f-status"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        url.update(false, |state| {
                            state.filter.status = milepost_shared::Status::parse(&value).into_iter().collect();
                        })
                    }
                >
                    {move || {
                        let current = status_value.get();
                        let mut list = vec![(String::new(), "Any status".to_string())];
                        if current == "several" {
                            list.push(("several".to_string(), "Several".to_string()));
                        }
                        list.extend(
                            milepost_shared::Status::ALL
                                .iter()
                                .map(|s| (s.as_str().to_string(), s.label().to_string())),
                        );
                        list.into_iter()
                            .map(|(value, label)| {
                                let selected = value == current;
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field actions">
                <button
                    type="button"
                    class="secondary"
                    disabled=move || url.state.with(|s| s.filter.is_empty() && s.ignored.is_empty())
                    on:click=move |_| clear_filter(url)
                >
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}

/// Per team: responsibilities and the counts leadership asks about.
#[component]
pub fn TeamsPanel(store: Store, url: UrlState, visible: Visible) -> impl IntoView {
    // Who owns what changes only with the data, not with a search.
    let membership = Memo::new(move |_| {
        store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| Membership::of(&s.roadmap))
                .unwrap_or_default()
        })
    });
    let teams = move || {
        store.snapshot.with(|s| {
            let Some(s) = s.as_ref() else {
                return Vec::new();
            };
            visible.with(|v| {
                let indices = v.as_ref().map(|(_, i)| i.as_slice()).unwrap_or_default();
                membership.with(|membership| {
                    url.state.with(|state| {
                        team_rollup(
                            &s.roadmap,
                            membership,
                            indices,
                            state.filter.team.as_deref(),
                        )
                    })
                })
            })
        })
    };
    view! {
        <section class="panel teams" aria-labelledby="teams-h">
            <h2 id="teams-h">"Teams"</h2>
            {move || {
                let teams = teams();
                if teams.is_empty() {
                    return view! { <p class="empty">"No team owns the milestones shown."</p> }.into_any();
                }
                view! {
                    <ul class="team-list">
                        {teams
                            .into_iter()
                            .map(|team| {
                                let name = team.name.clone();
                                let count = |n: usize, label: &'static str, class: &'static str| {
                                    view! {
                                        <li class=format!("tally {class}") class:zero=n == 0>
                                            <span class="tally-n">{n}</span>
                                            " "
                                            {label}
                                        </li>
                                    }
                                };
                                view! {
                                    <li class="team">
                                        <div class="team-head">
                                            <button
                                                type="button"
                                                class="link team-name"
                                                title="Show only this team's milestones"
                                                on:click=move |_| {
                                                    let name = name.clone();
                                                    url.update(false, {
                                                        let name = name.clone();
                                                        move |state| state.filter.team = Some(name)
                                                    });
                                                    // The list is drawn again for the filter:
                                                    // focus goes to the same team's new button.
                                                    request_animation_frame(move || focus_team_button(&name));
                                                }
                                            >
                                                {team.name.clone()}
                                            </button>
                                            <span class="muted">
                                                {format!(
                                                    "{} milestone{}",
                                                    team.total,
                                                    if team.total == 1 { "" } else { "s" },
                                                )}
                                            </span>
                                        </div>
                                        <ul class="tallies" aria-label=format!("{} at a glance", team.name)>
                                            {count(team.overdue, "overdue", "s-overdue")}
                                            {count(team.blocked, "blocked", "s-blocked")}
                                            {count(team.due_soon, "due soon", "s-due_soon")}
                                        </ul>
                                        {(!team.responsibilities.is_empty())
                                            .then(|| {
                                                view! {
                                                    <ul class="responsibilities">
                                                        {team
                                                            .responsibilities
                                                            .iter()
                                                            .map(|r| view! { <li>{r.clone()}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The reader's warnings and errors for the documents in view.
#[component]
pub fn DiagnosticsPanel(store: Store, url: UrlState, visible: Visible) -> impl IntoView {
    let rows = move || {
        store.snapshot.with(|s| {
            let Some(s) = s.as_ref() else {
                return Vec::new();
            };
            visible.with(|v| {
                let indices = v.as_ref().map(|(_, i)| i.as_slice()).unwrap_or_default();
                // Indices may briefly be older than the data (see `in_a_later_task`).
                let milestones: Vec<&Milestone> = indices
                    .iter()
                    .filter_map(|&i| s.roadmap.milestones.get(i).map(|m| &**m))
                    .collect();
                url.state.with(|state| {
                    visible_diagnostics(&s.roadmap, &state.filter, &milestones)
                        .into_iter()
                        .map(|d| {
                            let link = s
                                .roadmap
                                .documents
                                .iter()
                                .find(|doc| doc.path == d.path)
                                .and_then(|doc| doc.source_url.clone());
                            (d.clone(), link)
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    };
    view! {
        <section class="panel diagnostics" aria-labelledby="diag-h">
            <h2 id="diag-h">"Document problems"</h2>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p class="empty">"No problems found in the documents shown."</p> }.into_any();
                }
                view! {
                    <ul class="diag-list">
                        {rows
                            .into_iter()
                            .map(|(d, link)| {
                                let (class, word) = match d.severity {
                                    Severity::Error => ("sev error", "Error"),
                                    Severity::Warning => ("sev warning", "Warning"),
                                };
                                let place = format!("{}:{}", d.path, d.line);
                                view! {
                                    <li>
                                        <span class=class>{word}</span>
                                        {match link {
                                            Some(href) => {
                                                view! {
                                                    <a class="place" href=href target="_blank" rel="noopener">
                                                        {place}
                                                    </a>
                                                }
                                                    .into_any()
                                            }
                                            None => view! { <code class="place">{place}</code> }.into_any(),
                                        }}
                                        <span class="message">{d.message.clone()}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Focuses the Teams panel's button for `name`, if it is on the page.
fn focus_team_button(name: &str) {
    let Ok(buttons) = document().query_selector_all(".team-name") else {
        return;
    };
    for index in 0..buttons.length() {
        let Some(button) = buttons.item(index) else {
            continue;
        };
        if button.text_content().as_deref() == Some(name)
            && let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button)
        {
            let _ = button.focus();
            return;
        }
    }
}
