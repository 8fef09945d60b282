//! The timeline section: controls, the label column, the SVG chart, and the
//! list of milestones without a date. Geometry comes from [`crate::timeline`].

use std::sync::Arc;

use leptos::prelude::*;
use milepost_shared::{Milestone, display::target_label};

use super::api::Store;
use super::common::{StatusChip, UrlState, today_of};
use super::panels::Visible;
use crate::facets::document_title;
use crate::timeline::{
    AXIS_HEIGHT, Grouping, Layout, POINT_RADIUS, ROW_HEIGHT, Row, Shape, Zoom, layout, rows_in_view,
};
use leptos::prelude::AnyView;
use milepost_shared::Roadmap;
use wasm_bindgen::JsCast;

/// A built layout with the roadmap it was built from.
#[derive(Clone)]
struct Drawn {
    roadmap: Arc<milepost_shared::Roadmap>,
    /// Milestone indices into the roadmap, in the order the layout indexes them.
    indices: Arc<Vec<usize>>,
    layout: Arc<Layout>,
}

/// Timeline with its controls (grouping, zoom, arrows).
#[component]
pub fn TimelineSection(store: Store, url: UrlState, visible: Visible) -> impl IntoView {
    // Only the options that move the chart; selecting a milestone must not redraw it.
    let options = Memo::new(move |_| url.state.with(|st| (st.grouping, st.zoom, st.arrows)));
    // A new layout always counts as a change (it is rebuilt only when the
    // data, the filter or the options changed); the chart and the undated
    // list both read it, so it is built once.
    let drawn = Memo::new_with_compare(
        move |_| {
            store.snapshot.with(|s| {
                let s = s.as_ref()?;
                let (grouping, zoom, arrows) = options.get();
                visible.with(|v| {
                    let (_, indices) = v.as_ref()?;
                    // Indices may briefly be older than the data (see `in_a_later_task`).
                    let indices: Vec<usize> = indices
                        .iter()
                        .copied()
                        .filter(|&i| i < s.roadmap.milestones.len())
                        .collect();
                    let milestones: Vec<&Milestone> =
                        indices.iter().map(|&i| &*s.roadmap.milestones[i]).collect();
                    let layout = layout(
                        &milestones,
                        grouping,
                        zoom,
                        Some(today_of(&s.roadmap)),
                        &s.roadmap.markers,
                        arrows,
                    );
                    Some(Drawn {
                        roadmap: Arc::clone(&s.roadmap),
                        indices: Arc::new(indices),
                        layout: Arc::new(layout),
                    })
                })
            })
        },
        |_, _| true,
    );
    // The scroll box stays in place while the chart inside is redrawn, so
    // filtering keeps the scroll position and forces no extra layout; it is
    // scrolled to today only when today's position moves (zoom, new data).
    let scroll = RwSignal::new((0.0_f64, 600.0_f64));
    let frame = NodeRef::<leptos::html::Div>::new();
    let today_at =
        Memo::new(move |_| drawn.with(|d| d.as_ref().and_then(|d| d.layout.today_x).map(px)));
    Effect::new(move |_| {
        if let (Some(element), Some(x)) = (frame.get(), today_at.get()) {
            element.set_scroll_left((x - 160).max(0));
        }
    });
    let toggle =
        move |label: &'static str, pressed: Signal<bool>, action: Box<dyn Fn() + Send + Sync>| {
            view! {
                <button
                    type="button"
                    class="seg"
                    aria-pressed=move || if pressed.get() { "true" } else { "false" }
                    on:click=move |_| action()
                >
                    {label}
                </button>
            }
        };
    let grouping_is =
        move |g: Grouping| Signal::derive(move || url.state.with(|s| s.grouping == g));
    let zoom_is = move |z: Zoom| Signal::derive(move || url.state.with(|s| s.zoom == z));
    view! {
        <section class="panel timeline-panel" aria-labelledby="timeline-h">
            <div class="section-head">
                <h2 id="timeline-h">"Timeline"</h2>
                <div class="controls">
                    <div class="segmented" role="group" aria-label="Group rows by">
                        <span class="control-label" aria-hidden="true">"Group"</span>
                        {toggle("Team", grouping_is(Grouping::Team), Box::new(move || url.update(false, |s| s.grouping = Grouping::Team)))}
                        {toggle("Document", grouping_is(Grouping::Document), Box::new(move || url.update(false, |s| s.grouping = Grouping::Document)))}
                    </div>
                    <div class="segmented" role="group" aria-label="Zoom">
                        <span class="control-label" aria-hidden="true">"Zoom"</span>
                        {toggle("Months", zoom_is(Zoom::Month), Box::new(move || url.update(false, |s| s.zoom = Zoom::Month)))}
                        {toggle("Quarters", zoom_is(Zoom::Quarter), Box::new(move || url.update(false, |s| s.zoom = Zoom::Quarter)))}
                    </div>
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || url.state.with(|s| s.arrows)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                url.update(false, move |s| s.arrows = on)
                            }
                        />
                        "Dependency arrows"
                    </label>
                </div>
            </div>
            <div class="timeline-wrap">
                <div
                    class="tl"
                    node_ref=frame
                    tabindex="0"
                    role="region"
                    aria-label="Timeline chart (scrolls)"
                    on:scroll=move |ev| {
                        if let Some(element) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                            let header = AXIS_HEIGHT;
                            scroll.set((
                                f64::from(element.scroll_top()),
                                (f64::from(element.client_height()) - header).max(0.0),
                            ));
                        }
                    }
                >
                    {move || drawn.get().map(|drawn| view! { <Chart drawn url scroll/> })}
                </div>
                {move || drawn.get().map(|drawn| view! { <Undated drawn url/> })}
            </div>
        </section>
    }
}

/// Undated milestones listed beside the chart before "and N more".
const UNDATED_SHOWN: usize = 40;

/// The chart (label column, axis and SVG) for one layout, inside the scroll box.
#[component]
fn Chart(drawn: Drawn, url: UrlState, scroll: RwSignal<(f64, f64)>) -> impl IntoView {
    let Drawn {
        roadmap,
        indices,
        layout,
    } = drawn;
    let width = layout.width;
    let height = layout.height;
    // Only the rows near the scrolled window are in the DOM, so thousands of
    // milestones cost no more to draw (or to filter) than a screenful.
    let row_count = layout.rows.len();
    let window = Memo::new(move |_| {
        let (top, visible_height) = scroll.get();
        rows_in_view(row_count, top, visible_height, 480.0)
    });
    let labels = {
        let (roadmap, indices, layout) = (
            Arc::clone(&roadmap),
            Arc::clone(&indices),
            Arc::clone(&layout),
        );
        move || {
            layout.rows[window.get()]
                .iter()
                .map(|row| label_view(row, &roadmap, &indices, url))
                .collect_view()
        }
    };
    let rows_drawn = {
        let (roadmap, indices, layout) = (
            Arc::clone(&roadmap),
            Arc::clone(&indices),
            Arc::clone(&layout),
        );
        move || {
            layout.rows[window.get()]
                .iter()
                .map(|row| shape_view(row, width, &roadmap, &indices, url))
                .collect_view()
        }
    };
    let grid = layout
        .ticks
        .iter()
        .map(|tick| {
            view! { <line class="grid" class:year=tick.year_start x1=px(tick.x) x2=px(tick.x) y1=0 y2=px(height)></line> }
        })
        .collect_view();
    let axis = layout
        .ticks
        .iter()
        .map(|tick| {
            view! {
                <g>
                    <line class="tick" class:year=tick.year_start x1=px(tick.x) x2=px(tick.x) y1=px(AXIS_HEIGHT - 10.0) y2=px(AXIS_HEIGHT)></line>
                    <text class="tick-label" x=px(tick.x + 6.0) y=px(AXIS_HEIGHT - 14.0)>{tick.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let arrows = layout
        .arrows
        .iter()
        .map(|arrow| view! { <path class="arrow" d=arrow.path.clone() marker-end="url(#tl-arrowhead)"></path> })
        .collect_view();
    let markers = layout
        .markers
        .iter()
        .map(|marker| {
            view! {
                <g class="marker-line">
                    <title>{format!("{} — {}", marker.title, marker.date)}</title>
                    <line x1=px(marker.x) x2=px(marker.x) y1=0 y2=px(height)></line>
                </g>
            }
        })
        .collect_view();
    let marker_labels = layout
        .markers
        .iter()
        .map(|marker| view! { <text class="marker-label" x=px(marker.x + 4.0) y=13>{marker.title.clone()}</text> })
        .collect_view();
    let today = layout.today_x.map(|x| {
        view! { <line class="today" x1=px(x) x2=px(x) y1=0 y2=px(height)></line> }
    });
    let today_label = layout.today_x.map(|x| {
        view! {
            <g class="today-flag">
                <rect x=px(x - 22.0) y=2 width=44 height=15 rx=3></rect>
                <text x=px(x) y=13 text-anchor="middle">"Today"</text>
            </g>
        }
    });
    view! {
                <div class="tl-grid" style=format!("width:{}px", px(width + 260.0))>
                    <div class="tl-head">
                        <div class="tl-corner">"Milestone"</div>
                        <svg class="tl-axis" width=px(width) height=px(AXIS_HEIGHT) aria-hidden="true">
                            {axis}
                            {marker_labels}
                            {today_label}
                        </svg>
                    </div>
                    <div class="tl-body">
                        <div class="tl-labels" style=format!("height:{}px", px(height))>
                            {labels}
                        </div>
                        <svg class="tl-chart" width=px(width) height=px(height) aria-hidden="true">
                            <defs>
                                <marker
                                    id="tl-arrowhead"
                                    viewBox="0 0 10 10"
                                    refX="9"
                                    refY="5"
                                    markerWidth="7"
                                    markerHeight="7"
                                    orient="auto-start-reverse"
                                >
                                    <path d="M0 0 L10 5 L0 10 z"></path>
                                </marker>
                            </defs>
                            {grid}
                            {markers}
                            {today}
                            {rows_drawn}
                            {arrows}
                        </svg>
                    </div>
                </div>
    }
}

/// Milestones without a date, listed beside the chart.
#[component]
fn Undated(drawn: Drawn, url: UrlState) -> impl IntoView {
    let Drawn {
        roadmap,
        indices,
        layout,
    } = drawn;
    let milestone = |i: usize| -> &Milestone { &roadmap.milestones[indices[i]] };
    let open = move |id: String| url.update(false, move |s| s.selected = Some(id));
    let undated: Vec<(String, String, milepost_shared::Status, String)> = layout
        .undated
        .iter()
        .map(|&i| {
            let m = milestone(i);
            (m.id.clone(), m.title.clone(), m.status, target_label(m))
        })
        .collect();
    let undated_count = undated.len();
    // A long list here would dwarf the chart; the table lists them all.
    let undated_hidden = undated_count.saturating_sub(UNDATED_SHOWN);
    let undated: Vec<_> = undated.into_iter().take(UNDATED_SHOWN).collect();
    view! {
            <section class="undated" aria-labelledby="undated-h">
                <h3 id="undated-h">{format!("Not yet scheduled ({undated_count})")}</h3>
                {if undated.is_empty() {
                    view! { <p class="empty">"Every milestone shown has a date."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {undated
                                .into_iter()
                                .map(|(id, title, status, target)| {
                                    view! {
                                        <li>
                                            <button type="button" class="link" on:click=move |_| open(id.clone())>
                                                {title}
                                            </button>
                                            <div class="undated-meta">
                                                <StatusChip status/>
                                                <span class="muted">{target}</span>
                                            </div>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {(undated_hidden > 0)
                            .then(|| {
                                view! {
                                    <p class="muted">
                                        {format!("and {undated_hidden} more, listed in the table below.")}
                                    </p>
                                }
                            })}
                    }
                        .into_any()
                }}
            </section>
    }
}

/// One row of the label column, placed at its row's offset.
fn label_view(row: &Row, roadmap: &Roadmap, indices: &[usize], url: UrlState) -> AnyView {
    let top = format!("top:{}px", px(row.y()));
    match row {
        Row::Group { label, count, .. } => {
            let shown = if roadmap.documents.iter().any(|d| d.path == *label) {
                document_title(roadmap, label).to_string()
            } else {
                label.clone()
            };
            view! {
                <div class="tl-row tl-group" style=top title=label.clone()>
                    <span class="tl-group-name">{shown}</span>
                    <span class="muted">{*count}</span>
                </div>
            }
            .into_any()
        }
        Row::Milestone { index, .. } => {
            let m = &roadmap.milestones[indices[*index]];
            let id = m.id.clone();
            let selected = {
                let id = id.clone();
                move || {
                    url.state
                        .with(|s| s.selected.as_deref() == Some(id.as_str()))
                }
            };
            let label = format!(
                "{} — {}, target {}",
                m.title,
                m.status.label(),
                target_label(m)
            );
            view! {
                <div class="tl-row" style=top class:selected=selected>
                    <button
                        type="button"
                        class="tl-label"
                        aria-label=label
                        on:click=move |_| {
                            let id = id.clone();
                            url.update(false, move |s| s.selected = Some(id))
                        }
                    >
                        <span class=format!("dot s-{}", m.status.as_str()) aria-hidden="true"></span>
                        <span class="tl-title">{m.title.clone()}</span>
                    </button>
                </div>
            }
            .into_any()
        }
    }
}

/// One row of the chart: a group band, or a milestone's bar or diamond.
fn shape_view(
    row: &Row,
    width: f64,
    roadmap: &Roadmap,
    indices: &[usize],
    url: UrlState,
) -> AnyView {
    match row {
        Row::Group { y, .. } => {
            view! { <rect class="band" x=0 y=px(*y) width=px(width) height=px(ROW_HEIGHT)></rect> }
                .into_any()
        }
        Row::Milestone { index, y, shape } => {
            let m = &roadmap.milestones[indices[*index]];
            let id = m.id.clone();
            let selected = {
                let id = id.clone();
                move || {
                    url.state
                        .with(|s| s.selected.as_deref() == Some(id.as_str()))
                }
            };
            let class = format!("shape s-{}", m.status.as_str());
            let tip = format!("{} — {} — {}", m.title, m.status.label(), target_label(m));
            let mid = y + ROW_HEIGHT / 2.0;
            let drawn = match *shape {
                Shape::Bar { x, width } => view! {
                    <rect class=class x=px(x) y=px(y + 9.0) width=px(width.max(3.0)) height=px(ROW_HEIGHT - 18.0) rx=4></rect>
                }
                .into_any(),
                Shape::Point { x } => {
                    let r = px(POINT_RADIUS);
                    let d = format!("M{} {} l{r} {r} l-{r} {r} l-{r} -{r} Z", px(x), px(mid) - r);
                    view! { <path class=class d=d></path> }.into_any()
                }
            };
            view! {
                <g
                    class="mark"
                    class:selected=selected
                    on:click=move |_| {
                        let id = id.clone();
                        url.update(false, move |s| s.selected = Some(id))
                    }
                >
                    <title>{tip}</title>
                    {drawn}
                </g>
            }
            .into_any()
        }
    }
}

/// A chart coordinate as a whole pixel: integer formatting keeps the float
/// printing machinery out of the wasm, and half a pixel is invisible here.
fn px(value: f64) -> i32 {
    value.round() as i32
}
