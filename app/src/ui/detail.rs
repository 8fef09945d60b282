//! The milestone detail panel: description, owners and where they came from,
//! progress, dependencies both ways, and the document's diagnostics.

use std::sync::Arc;

use leptos::prelude::*;
use milepost_shared::{
    Milestone, OwnerSource, Roadmap, Severity,
    display::{TeamNames, date_label, relative_label, target_label},
};

use super::api::Store;
use super::common::{StatusChip, UrlState, today_of};
use crate::facets::document_title;

/// The side panel for the milestone named in the URL (`m=`). It survives
/// reloads: it reads the milestone by id from whatever roadmap is current.
#[component]
pub fn DetailPanel(store: Store, url: UrlState) -> impl IntoView {
    let selected = Memo::new(move |_| url.state.with(|s| s.selected.clone()));
    // What had focus when the panel opened (a row's link, a chart label):
    // closing the panel gives focus back to it, so a keyboard carries on
    // from where it was.
    let opener: StoredValue<Option<web_sys::Element>, LocalStorage> = StoredValue::new_local(None);
    let close = move || {
        url.update(false, |s| s.selected = None);
        if let Some(opener) = opener.try_update_value(Option::take).flatten()
            && opener.is_connected()
            && let Ok(opener) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(opener)
        {
            let _ = opener.focus();
        }
    };
    // Escape closes the panel wherever focus is (after a deep link, focus
    // is not in the panel).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && selected.with_untracked(Option::is_some) {
            close();
        }
    });
    on_cleanup(move || escape.remove());
    // Move focus to the panel's heading when a milestone is opened, so
    // keyboard and screen-reader users land on what they asked for.
    Effect::new(move |previous: Option<bool>| {
        let open = selected.with(Option::is_some);
        if open && previous != Some(true) {
            let focused = document()
                .active_element()
                .filter(|element| element.id() != "detail-title");
            opener.set_value(focused);
        }
        if open {
            request_animation_frame(|| {
                if let Some(heading) = document().get_element_by_id("detail-title")
                    && let Ok(heading) =
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(heading)
                {
                    let _ = heading.focus();
                }
            });
        }
        open
    });
    let body = move || {
        let id = selected.get()?;
        store.snapshot.with(|s| {
            let Some(snapshot) = s.as_ref() else {
                return Some(
                    view! {
                        <h2 id="detail-title" tabindex="-1">"Loading…"</h2>
                    }
                    .into_any(),
                );
            };
            let roadmap = Arc::clone(&snapshot.roadmap);
            let index = roadmap.milestones.iter().position(|m| m.id == id);
            Some(match index {
                Some(index) => view! { <Details roadmap index url/> }.into_any(),
                None => view! {
                    <h2 id="detail-title" tabindex="-1">"Milestone not found"</h2>
                    <p>{format!("No milestone has the id “{id}” in the current roadmap.")}</p>
                }
                .into_any(),
            })
        })
    };
    view! {
        <aside class="detail" aria-labelledby="detail-title">
            <button type="button" class="close" aria-label="Close details" on:click=move |_| close()>
                "×"
            </button>
            {body}
        </aside>
    }
}

fn owner_source_text(source: OwnerSource) -> &'static str {
    match source {
        OwnerSource::Explicit => "named on the milestone",
        OwnerSource::Section => "from the document's ownership section",
        OwnerSource::Document => "from the document's owner",
        OwnerSource::Catalog => "from the Backstage catalog",
        OwnerSource::None => "no owner found",
    }
}

/// The panel's content for one milestone.
#[component]
fn Details(roadmap: Arc<Roadmap>, index: usize, url: UrlState) -> impl IntoView {
    let m: &Milestone = &roadmap.milestones[index];
    let today = today_of(&roadmap);
    let link_to = |id: &str, text: String| {
        let id = id.to_string();
        let href = {
            let id = id.clone();
            url.href_with(move |s| s.selected = Some(id))
        };
        let status = roadmap
            .milestones
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.status);
        view! {
            <li>
                <a
                    href=href
                    on:click=move |ev| {
                        ev.prevent_default();
                        let id = id.clone();
                        url.update(false, move |s| s.selected = Some(id));
                    }
                >
                    {text}
                </a>
                {status.map(|status| view! { " " <StatusChip status/> })}
            </li>
        }
    };
    let upstream = m
        .dependencies
        .iter()
        .map(|d| match &d.milestone {
            Some(id) => {
                let title = roadmap
                    .milestones
                    .iter()
                    .find(|x| x.id == *id)
                    .map_or(d.text.clone(), |x| x.title.clone());
                link_to(id, title).into_any()
            }
            None => view! { <li>{d.text.clone()} <span class="muted">" (external)"</span></li> }
                .into_any(),
        })
        .collect_view();
    let downstream = m
        .dependents
        .iter()
        .map(|id| {
            let title = roadmap
                .milestones
                .iter()
                .find(|x| x.id == *id)
                .map_or(id.clone(), |x| x.title.clone());
            link_to(id, title)
        })
        .collect_view();
    let diagnostics: Vec<_> = roadmap
        .diagnostics
        .iter()
        .filter(|d| d.path == m.document)
        .cloned()
        .collect();
    let when = match relative_label(m, today) {
        Some(relative) => format!("{} ({relative})", target_label(m)),
        None => target_label(m),
    };
    let source_text = format!("{}:{}", document_title(&roadmap, &m.document), m.line);
    let source = match &m.source_url {
        Some(href) => {
            view! { <a href=href.clone() target="_blank" rel="noopener">{source_text}</a> }
                .into_any()
        }
        None => view! { <span>{source_text}</span> }.into_any(),
    };
    let progress = m.progress.map(|p| {
        let label = format!("{} of {} subtasks done", p.done, p.total);
        view! {
            <progress max=p.total.max(1) value=p.done aria-label=label.clone()></progress>
            <span>{label}</span>
        }
    });
    let description = m.description_html.clone();
    let has_description = !description.trim().is_empty();
    view! {
        <div class="detail-status">
            <StatusChip status=m.status/>
            <span class="muted">{m.id.clone()}</span>
        </div>
        <h2 id="detail-title" tabindex="-1">{m.title.clone()}</h2>
        <dl class="facts">
            <dt>"Target"</dt>
            <dd>{when}</dd>
            {m.start.map(|start| view! { <dt>"Start"</dt> <dd>{date_label(start, milepost_shared::Precision::Day)}</dd> })}
            <dt>"Owners"</dt>
            <dd>
                {TeamNames::of(&roadmap).owners_line(&m.owners)}
                <span class="muted">{format!(" — {}", owner_source_text(m.owner_source))}</span>
            </dd>
            {progress.map(|p| view! { <dt>"Progress"</dt> <dd class="progress">{p}</dd> })}
            {m.entity.clone().map(|e| view! { <dt>"Entity"</dt> <dd><code>{e}</code></dd> })}
            <dt>"Source"</dt>
            <dd>{source}{m.section.clone().map(|s| view! { <span class="muted">{format!(" — {s}")}</span> })}</dd>
        </dl>
        <h3>"Description"</h3>
        {if has_description {
            // Rendered and sanitised by the server; the app never parses markdown.
            view! { <div class="prose" inner_html=description></div> }.into_any()
        } else {
            view! { <p class="empty">"No description."</p> }.into_any()
        }}
        <h3>"Depends on"</h3>
        {if m.dependencies.is_empty() {
            view! { <p class="empty">"Nothing."</p> }.into_any()
        } else {
            view! { <ul class="links">{upstream}</ul> }.into_any()
        }}
        <h3>"Needed by"</h3>
        {if m.dependents.is_empty() {
            view! { <p class="empty">"Nothing depends on this milestone."</p> }.into_any()
        } else {
            view! { <ul class="links">{downstream}</ul> }.into_any()
        }}
        <h3>"Problems in this document"</h3>
        {if diagnostics.is_empty() {
            view! { <p class="empty">"None."</p> }.into_any()
        } else {
            view! {
                <ul class="diag-list">
                    {diagnostics
                        .into_iter()
                        .map(|d| {
                            let (class, word) = match d.severity {
                                Severity::Error => ("sev error", "Error"),
                                Severity::Warning => ("sev warning", "Warning"),
                            };
                            view! {
                                <li>
                                    <span class=class>{word}</span>
                                    <code class="place">{format!("line {}", d.line)}</code>
                                    <span class="message">{d.message.clone()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}
