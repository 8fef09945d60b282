//! The Backstage card (`/card`): an entity's status counts and next
//! milestones, sized for a 300–700 px card, posting its height to the parent.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use milepost_shared::display::{TeamNames, relative_label, target_label};
use wasm_bindgen::{JsCast, closure::Closure};

use super::api::Store;
use super::common::{StatusChip, apply_theme, mark_rendered, today_of};
use super::router::current_pairs;
use crate::card::{CardParams, HeightReporter, height_message, next_milestones};
use crate::query::ViewState;
use crate::summary::count_statuses;

/// The card page: reads its parameters once (the parent sets them in the
/// iframe's URL), loads only its entity's roadmap and follows reloads.
#[component]
pub fn Card() -> impl IntoView {
    let pairs = current_pairs();
    let params = CardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    apply_theme(params.theme);
    document().set_title("Milepost roadmap card");
    if let Some(body) = document().body() {
        let _ = body.class_list().add_1("card-page");
    }
    let store = Store::new();
    let api = format!("/api/roadmap{}", params.api_query());
    store.load(api.clone());
    store.follow_events(api);
    view! { <CardBody store params/> }
}

/// The card's content for a store and parameters (no router needed).
#[component]
pub fn CardBody(store: Store, params: CardParams) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let origin = params.parent_origin.clone();
    Effect::new(move |_| {
        if let (Some(element), Some(origin)) = (root.get(), origin.clone()) {
            report_height(element.unchecked_into(), origin);
        }
    });
    Effect::new(move |_| {
        if let Some(generation) = store.snapshot.with(|s| s.as_ref().map(|s| s.generation)) {
            mark_rendered(generation);
        }
    });
    let heading = match params
        .filter
        .entity
        .as_deref()
        .or(params.filter.document.as_deref())
    {
        Some(subject) => format!("Roadmap of {subject}"),
        None => "Roadmap".to_string(),
    };
    let api = format!("/api/roadmap{}", params.api_query());
    let params_for_view = params.clone();
    let content = move || {
        let params = params_for_view.clone();
        match (store.snapshot.get(), store.error.get()) {
            (Some(snapshot), _) => {
                view! { <CardContent roadmap=snapshot.roadmap params/> }.into_any()
            }
            (None, Some(message)) => {
                let api = api.clone();
                view! {
                    <div class="card-state error" role="alert">
                        <p class="state-title">"Roadmap unavailable"</p>
                        <p>{message}</p>
                        <button type="button" on:click=move |_| store.load(api.clone())>
                            "Retry"
                        </button>
                    </div>
                }
                .into_any()
            }
            (None, None) => view! {
                <div class="card-state loading" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    "Loading roadmap…"
                </div>
            }
            .into_any(),
        }
    };
    // The last roadmap stays on the card when the server goes away; the
    // card says so until the live-update stream is back.
    let out_of_touch = move || {
        store.out_of_touch().then(|| {
            view! {
                <p class="notice warn card-stale" role="alert">
                    "Lost contact with Milepost; showing the last roadmap loaded."
                </p>
            }
        })
    };
    view! {
        <div class="card" node_ref=root>
            <main aria-label="Roadmap">
                <h1 class="sr-only">{heading}</h1>
                {out_of_touch}
                {content}
            </main>
        </div>
    }
}

/// Problems listed in the card's empty state before "and N more".
const CARD_PROBLEMS: usize = 5;

/// Counts, next milestones and the link out, or the empty state.
#[component]
fn CardContent(
    roadmap: std::sync::Arc<milepost_shared::Roadmap>,
    params: CardParams,
) -> impl IntoView {
    let today = today_of(&roadmap);
    // The filter with the roadmap's teams: a Group's card shows what its
    // team owns, as the server's answer for it does.
    let matcher = params.filter.for_roadmap(&roadmap);
    let matching: Vec<&milepost_shared::Milestone> = roadmap
        .milestones
        .iter()
        .map(|m| &**m)
        .filter(|m| matcher.matches_ignoring_status(m))
        .collect();
    let full_href = params.full_roadmap_href();
    if matching.is_empty() {
        let subject = params
            .filter
            .entity
            .clone()
            .or_else(|| params.filter.document.clone())
            .or_else(|| params.filter.team.clone())
            .unwrap_or_else(|| "this entity".to_string());
        // Why, when Milepost knows: an annotation naming a document it did
        // not read.
        let problems: Vec<_> = roadmap
            .diagnostics
            .iter()
            .filter(|d| params.filter.is_about_entity(d))
            .collect();
        let problems = (!problems.is_empty()).then(|| {
            let more = problems.len().saturating_sub(CARD_PROBLEMS);
            let items = problems
                .iter()
                .take(CARD_PROBLEMS)
                .map(|d| {
                    view! {
                        <li>
                            <code>{format!("{}:{}", d.path, d.line)}</code>
                            " "
                            {d.message.clone()}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="notice warn card-problems" role="note">
                    <p>"What Milepost could not read for it:"</p>
                    <ul>{items}</ul>
                    {(more > 0).then(|| view! { <p>{format!("and {more} more")}</p> })}
                </div>
            }
        });
        return view! {
            <div class="card-state empty">
                <p class="state-title">"No roadmap yet"</p>
                <p>{format!("Milepost has no milestones for {subject}.")}</p>
                {problems}
                <p>
                    "To add one, write the roadmap as markdown or YAML in the repository and name it in the entity's "
                    <code>"catalog-info.yaml"</code> ":"
                </p>
                <pre class="snippet">"metadata:\n  annotations:\n    milepost.io/roadmap: docs/roadmap.md"</pre>
                <p class="muted">
                    "Several documents: separate paths with commas, or name a folder with "
                    <code>"dir:docs/roadmap"</code> "."
                </p>
            </div>
        }
            .into_any();
    }
    let counts: Vec<_> = count_statuses(matching.iter().copied(), &params.filter.status)
        .into_iter()
        .filter(|c| c.count > 0)
        .collect();
    let next = next_milestones(
        roadmap.milestones.iter().map(|m| &**m),
        |m| matcher.matches(m),
        params.limit,
    );
    let open_total = roadmap
        .milestones
        .iter()
        .filter(|m| matcher.matches(m) && m.status.is_open())
        .count();
    let more = open_total.saturating_sub(next.len());
    let names = TeamNames::of(&roadmap);
    let items = next
        .iter()
        .map(|m| {
            let state = ViewState {
                filter: params.filter.clone(),
                selected: Some(m.id.clone()),
                ..ViewState::default()
            };
            let href = format!("/{}", state.to_query());
            let when = match relative_label(m, today) {
                Some(relative) => format!("{} · {relative}", target_label(m)),
                None => target_label(m),
            };
            view! {
                <li class="card-item">
                    <StatusChip status=m.status/>
                    <div class="card-item-main">
                        <a class="card-item-title" href=href target="_blank" rel="noopener">
                            {m.title.clone()}
                        </a>
                        <p class="card-item-meta">
                            <span class="when">{when}</span>
                            <span class="owners">{names.owners_line(&m.owners)}</span>
                        </p>
                    </div>
                </li>
            }
        })
        .collect_view();
    let counts_view = counts
        .into_iter()
        .map(|c| {
            view! {
                <li class=format!("card-count s-{}", c.status.as_str())>
                    <span class="count-n">{c.count}</span>
                    " "
                    <span class="count-label">{c.status.label()}</span>
                </li>
            }
        })
        .collect_view();
    let heading = if next.is_empty() {
        "Nothing open"
    } else {
        "Next milestones"
    };
    view! {
        <ul class="card-counts" aria-label="Milestones by status">{counts_view}</ul>
        <h2 class="card-heading">{heading}</h2>
        {if next.is_empty() {
            view! { <p class="muted">"Every milestone here is done or cancelled."</p> }.into_any()
        } else {
            view! { <ol class="card-list">{items}</ol> }.into_any()
        }}
        <p class="card-foot">
            <a class="card-link" href=full_href target="_blank" rel="noopener">
                "Open full roadmap"
                <span class="sr-only">" (opens in a new tab)"</span>
                <span aria-hidden="true">" ↗"</span>
            </a>
            {(more > 0).then(|| view! { <span class="muted">{format!("{more} more open")}</span> })}
        </p>
    }
    .into_any()
}

/// Posts the element's height to the parent page at `origin` — only that
/// origin — now and whenever it changes size.
pub fn report_height(element: web_sys::HtmlElement, origin: String) {
    let Ok(parent) = window().parent() else {
        return;
    };
    let Some(parent) = parent else { return };
    let reporter = Rc::new(Cell::new(HeightReporter::default()));
    let measured = element.clone();
    let send = move || {
        let mut state = reporter.get();
        if let Some(height) = state.observe(f64::from(measured.offset_height()))
            && let Ok(message) = js_sys::JSON::parse(&height_message(height))
        {
            let _ = parent.post_message(&message, &origin);
        }
        reporter.set(state);
    };
    let callback = Closure::<dyn FnMut()>::new(send);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&element);
    }
    // The observer fires once on observe(), then on every change, for the page's life.
    callback.forget();
}
