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
    AXIS_HEIGHT, Grouping, Groups, Layout, OutOfView, POINT_RADIUS, ROW_HEIGHT, Row, RowKey, Shape,
    TODAY_FLAG_HALF, TeamNames, Zoom, layout, opening, opening_zoom, row_into_view, rows_in_view,
};
use leptos::prelude::AnyView;
use milepost_shared::Roadmap;
use wasm_bindgen::{JsCast, closure::Closure};

/// A resize observer on the chart's box, with the callback it calls.
type Watcher = (web_sys::ResizeObserver, Closure<dyn FnMut()>);

/// A built layout with the roadmap it was built from.
#[derive(Clone)]
struct Drawn {
    /// The load the roadmap is (row keys are only the same within one).
    generation: u64,
    roadmap: Arc<milepost_shared::Roadmap>,
    /// Milestone indices into the roadmap, in the order the layout indexes them.
    indices: Arc<Vec<usize>>,
    layout: Arc<Layout>,
}

/// The chart as its parts read it: the same `Drawn` for every part.
type DrawnMemo = Memo<Option<Drawn>>;

/// Timeline with its controls (grouping, zoom, arrows).
#[component]
pub fn TimelineSection(store: Store, url: UrlState, visible: Visible) -> impl IntoView {
    // The zoom the reader chose (kept in the URL), or else the one picked
    // when the chart first opened, once per page: a search or a live update
    // does not change the scale under the reader.
    let picked = RwSignal::new(None::<Zoom>);
    let zoom = Memo::new(move |_| {
        url.state
            .with(|st| st.zoom)
            .or_else(|| picked.get())
            .unwrap_or_default()
    });
    // Only the options that move the chart; selecting a milestone must not redraw it.
    let options = Memo::new(move |_| url.state.with(|st| (st.grouping, zoom.get(), st.arrows)));
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
                    // The filter's team is read with the indices it gave.
                    let team = url.state.with_untracked(|st| st.filter.team.clone());
                    let layout = lay_out(
                        &s.roadmap,
                        &indices,
                        (grouping, zoom, arrows),
                        team.as_deref(),
                    );
                    Some(Drawn {
                        generation: s.generation,
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
    // scrolled anew only when today's position moves (zoom, new data): to
    // today, with as many unfinished milestones beside it as fit.
    let scroll = RwSignal::new((0.0_f64, 600.0_f64));
    let frame = NodeRef::<leptos::html::Div>::new();
    let labels = NodeRef::<leptos::html::Div>::new();
    // The width of the chart beside the label column (which the stylesheet
    // narrows on small screens).
    let chart_width = move |element: &web_sys::Element| {
        let beside = labels.get_untracked().map_or(0, |l| l.offset_width());
        f64::from(element.client_width() - beside).max(0.0)
    };
    // How far the chart is scrolled sideways and how wide the part beside
    // the label column is: marks outside it get a hint at its edge.
    let viewport = RwSignal::new((0.0_f64, 0.0_f64));
    let measure = move |element: &web_sys::Element| {
        let now = (f64::from(element.scroll_left()), chart_width(element));
        if viewport.get_untracked() != now {
            viewport.set(now);
        }
    };
    // The selected milestone's mark and row, scrolled into view inside the
    // box (the page itself does not move) when they are out of it.
    let reveal_selected = move |element: &web_sys::Element| {
        let Some(id) = url.state.with_untracked(|s| s.selected.clone()) else {
            return;
        };
        let found = drawn.with_untracked(|d| {
            let d = d.as_ref()?;
            d.layout.find_mark(|i| {
                d.roadmap
                    .milestones
                    .get(d.indices[i])
                    .is_some_and(|m| m.id == id)
            })
        });
        let Some((shape, y)) = found else {
            return;
        };
        let from = f64::from(element.scroll_left());
        if let Some(to) = OutOfView::bring_into_view(shape, from, chart_width(element)) {
            element.set_scroll_left(px(to));
        }
        let rows_height = (f64::from(element.client_height()) - AXIS_HEIGHT).max(0.0);
        if let Some(top) = row_into_view(y, f64::from(element.scroll_top()), rows_height) {
            element.set_scroll_top(px(top));
        }
        measure(element);
    };
    let today_at =
        Memo::new(move |_| drawn.with(|d| d.as_ref().and_then(|d| d.layout.today_x).map(px)));
    Effect::new(move |_| {
        // A zoom just picked redraws the chart, which opens again.
        zoom.track();
        if let (Some(element), Some(_)) = (frame.get(), today_at.get()) {
            let view = chart_width(&element);
            let unchosen = url.state.with_untracked(|s| s.zoom.is_none());
            let pick = unchosen && picked.get_untracked().is_none() && view > 0.0;
            let opened = drawn.with_untracked(|d| {
                d.as_ref().map(|d| {
                    let unfinished = |i: usize| {
                        d.roadmap
                            .milestones
                            .get(d.indices[i])
                            .is_some_and(|m| m.status.is_open())
                    };
                    let zoom = pick.then(|| {
                        let (grouping, _, arrows) = options.get_untracked();
                        let quarters = || {
                            let team = url.state.with_untracked(|st| st.filter.team.clone());
                            let options = (grouping, Zoom::Quarter, arrows);
                            lay_out(&d.roadmap, &d.indices, options, team.as_deref())
                        };
                        opening_zoom(&d.layout, quarters, unfinished, view)
                    });
                    (zoom, opening(&d.layout, unfinished, view).from)
                })
            });
            let Some((zoom, from)) = opened else {
                return;
            };
            if let Some(zoom) = zoom {
                picked.set(Some(zoom));
                if zoom != Zoom::default() {
                    return;
                }
            }
            element.set_scroll_left(px(from));
            measure(&element);
            reveal_selected(&element);
        }
    });
    // A milestone selected anywhere (its label, the table, a link) shows on
    // the chart; clicking its label is how a keyboard reaches a mark out of
    // view.
    let selected = Memo::new(move |_| url.state.with(|s| s.selected.clone()));
    Effect::new(move |_| {
        if selected.with(Option::is_some)
            && let Some(element) = frame.get()
        {
            reveal_selected(&element);
        }
    });
    // The box changes width with the window, and when the detail panel
    // opens or closes beside the page: the hints follow its edge.
    let watcher: StoredValue<Option<Watcher>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(element) = frame.get() else {
            return;
        };
        let resized = Closure::<dyn FnMut()>::new(move || {
            if let Some(element) = frame.get_untracked() {
                measure(&element);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()) {
            observer.observe(&element);
            let old = watcher.try_update_value(|w| w.replace((observer, resized)));
            if let Some((old, _)) = old.flatten() {
                old.disconnect();
            }
        }
    });
    on_cleanup(move || {
        if let Some((observer, _)) = watcher.try_update_value(Option::take).flatten() {
            observer.disconnect();
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
    let zoom_is = move |z: Zoom| Signal::derive(move || zoom.get() == z);
    view! {
        <section class="panel timeline-panel" aria-labelledby="timeline-h">
            <div class="section-head">
                <h2 id="timeline-h">"Timeline"</h2>
                // The chart has a label per milestone: a keyboard can jump
                // past them to the table (the button shows when focused).
                <button
                    type="button"
                    class="skip"
                    on:click=|_| {
                        if let Some(heading) = document().get_element_by_id("table-h")
                            && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
                        {
                            let _ = heading.focus();
                        }
                    }
                >
                    "Skip to the milestone table"
                </button>
                <div class="controls">
                    <div class="segmented" role="group" aria-label="Group rows by">
                        <span class="control-label" aria-hidden="true">"Group"</span>
                        {toggle("Team", grouping_is(Grouping::Team), Box::new(move || url.update(false, |s| s.grouping = Grouping::Team)))}
                        {toggle("Document", grouping_is(Grouping::Document), Box::new(move || url.update(false, |s| s.grouping = Grouping::Document)))}
                    </div>
                    <div class="segmented" role="group" aria-label="Zoom">
                        <span class="control-label" aria-hidden="true">"Zoom"</span>
                        {toggle("Months", zoom_is(Zoom::Month), Box::new(move || url.update(false, |s| s.zoom = Some(Zoom::Month))))}
                        {toggle("Quarters", zoom_is(Zoom::Quarter), Box::new(move || url.update(false, |s| s.zoom = Some(Zoom::Quarter))))}
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
                            measure(&element);
                        }
                    }
                >
                    <Chart drawn url scroll viewport frame labels/>
                </div>
                <Undated drawn url/>
            </div>
        </section>
    }
}

/// The chart's layout of the roadmap's milestones at `indices`, with the
/// options (grouping, zoom, arrows) the reader chose.
fn lay_out(
    roadmap: &Roadmap,
    indices: &[usize],
    options: (Grouping, Zoom, bool),
    team: Option<&str>,
) -> Layout {
    let (grouping, zoom, arrows) = options;
    let milestones: Vec<&Milestone> = indices.iter().map(|&i| &*roadmap.milestones[i]).collect();
    let teams = TeamNames::of(roadmap);
    layout(
        &milestones,
        Groups {
            grouping,
            teams: &teams,
            team,
        },
        zoom,
        Some(today_of(roadmap)),
        &roadmap.markers,
        arrows,
    )
}

/// Undated milestones listed beside the chart before "and N more".
const UNDATED_SHOWN: usize = 40;

/// The chart (label column, axis and SVG) inside the scroll box. It stays
/// while the filter changes: the scale is redrawn only when it changes, and
/// the rows are keyed, so a row still in view after a search is moved rather
/// than rebuilt (the browser then lays out and paints far less per search).
#[component]
fn Chart(
    drawn: DrawnMemo,
    url: UrlState,
    scroll: RwSignal<(f64, f64)>,
    viewport: RwSignal<(f64, f64)>,
    frame: NodeRef<leptos::html::Div>,
    labels: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let scale = Memo::new(move |_| {
        drawn.with(|d| d.as_ref().map(|d| d.layout.scale()).unwrap_or_default())
    });
    let width = Memo::new(move |_| scale.with(|s| s.width));
    let height = Memo::new(move |_| drawn.with(|d| d.as_ref().map_or(0.0, |d| d.layout.height)));
    // Only the rows near the scrolled window are in the DOM, so thousands of
    // milestones cost no more to draw (or to filter) than a screenful.
    let rows = Memo::new(move |_| {
        let (top, visible_height) = scroll.get();
        drawn.with(|d| match d.as_ref() {
            Some(d) => {
                let range = rows_in_view(d.layout.rows.len(), top, visible_height, 480.0);
                let indices = &d.indices;
                (d.generation, d.layout.keyed_rows(range, |i| indices[i]))
            }
            None => (0, Vec::new()),
        })
    });
    let each = move || {
        rows.with(|(generation, rows)| {
            rows.iter()
                .map(|(key, row)| (*generation, key.clone(), row.clone()))
                .collect::<Vec<_>>()
        })
    };
    let key = |(generation, key, _): &(u64, RowKey, Row)| (*generation, key.clone());
    // A row's place as of the latest layout (the last one it was in, while
    // it is being removed).
    let placed = move |key: RowKey, first: Row| {
        Memo::new(move |previous: Option<&Row>| {
            rows.with(|(_, rows)| {
                rows.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, row)| row.clone())
            })
            .or_else(|| previous.cloned())
            .unwrap_or_else(|| first.clone())
        })
    };
    let roadmap = move || drawn.with_untracked(|d| d.as_ref().map(|d| Arc::clone(&d.roadmap)));
    let label_row = move |(_, key, first): (u64, RowKey, Row)| {
        let row = placed(key.clone(), first);
        roadmap().map(|roadmap| label_view(&key, row, &roadmap, url))
    };
    let shape_row = move |(_, key, first): (u64, RowKey, Row)| {
        let row = placed(key.clone(), first.clone());
        let edge = Edge { viewport, frame };
        roadmap().map(|roadmap| shape_view(&key, &first, row, &roadmap, url, edge))
    };
    let lines = move || {
        scale.with(|scale| {
            let grid = scale
                .ticks
                .iter()
                .map(|tick| {
                    view! { <line class="grid" class:year=tick.year_start x1=px(tick.x) x2=px(tick.x) y1=0 y2="100%"></line> }
                })
                .collect_view();
            let markers = scale
                .markers
                .iter()
                .map(|marker| {
                    view! {
                        <g class="marker-line">
                            <title>{format!("{} — {}", marker.title, marker.date)}</title>
                            <line x1=px(marker.x) x2=px(marker.x) y1=0 y2="100%"></line>
                        </g>
                    }
                })
                .collect_view();
            let today = scale
                .today_x
                .map(|x| view! { <line class="today" x1=px(x) x2=px(x) y1=0 y2="100%"></line> });
            (grid, markers, today)
        })
    };
    let axis = move || {
        scale.with(|scale| {
            let ticks = scale
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
            let marker_labels = scale
                .markers
                .iter()
                .map(|marker| {
                    let anchor = if marker.label.end { "end" } else { "start" };
                    view! {
                        <text class="marker-label" x=px(marker.label.x) y=13 text-anchor=anchor>
                            {marker.title.clone()}
                        </text>
                    }
                })
                .collect_view();
            let today_label = scale.today_x.map(|x| {
                view! {
                    <g class="today-flag">
                        <rect x=px(x - TODAY_FLAG_HALF) y=2 width=px(2.0 * TODAY_FLAG_HALF) height=15 rx=3></rect>
                        <text x=px(x) y=13 text-anchor="middle">"Today"</text>
                    </g>
                }
            });
            (ticks, marker_labels, today_label)
        })
    };
    let arrows = move || {
        drawn.with(|d| {
            d.as_ref().map(|d| {
                d.layout
                    .arrows
                    .iter()
                    .map(|arrow| view! { <path class="arrow" d=arrow.path.clone() marker-end="url(#tl-arrowhead)"></path> })
                    .collect_view()
            })
        })
    };
    view! {
                <div class="tl-grid" style=move || format!("width:calc({}px + var(--tl-labels))", px(width.get()))>
                    <div class="tl-head">
                        <div class="tl-corner">"Milestone"</div>
                        <svg class="tl-axis" width=move || px(width.get()) height=px(AXIS_HEIGHT) aria-hidden="true">
                            {axis}
                        </svg>
                    </div>
                    <div class="tl-body">
                        <div class="tl-labels" node_ref=labels style=move || format!("height:{}px", px(height.get()))>
                            <For each=each key=key children=label_row/>
                        </div>
                        <svg class="tl-chart" width=move || px(width.get()) height=move || px(height.get()) aria-hidden="true">
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
                            {lines}
                            <For each=each key=key children=shape_row/>
                            {arrows}
                        </svg>
                    </div>
                </div>
    }
}

/// Milestones without a date, listed beside the chart (keyed, like the rows).
#[component]
fn Undated(drawn: DrawnMemo, url: UrlState) -> impl IntoView {
    // Roadmap indices of the undated milestones, with their load.
    let undated = Memo::new(move |_| {
        drawn.with(|d| match d.as_ref() {
            Some(d) => (
                d.generation,
                d.layout
                    .undated
                    .iter()
                    .map(|&i| d.indices[i])
                    .collect::<Vec<_>>(),
            ),
            None => (0, Vec::new()),
        })
    });
    let count = move || undated.with(|(_, list)| list.len());
    // A long list here would dwarf the chart; the table lists them all.
    let hidden = move || count().saturating_sub(UNDATED_SHOWN);
    let each = move || {
        undated.with(|(generation, list)| {
            list.iter()
                .take(UNDATED_SHOWN)
                .map(|&i| (*generation, i))
                .collect::<Vec<_>>()
        })
    };
    let item = move |(_, index): (u64, usize)| {
        let roadmap = drawn.with_untracked(|d| d.as_ref().map(|d| Arc::clone(&d.roadmap)))?;
        let m = roadmap.milestones.get(index)?;
        let id = m.id.clone();
        let status = m.status;
        Some(view! {
            <li>
                <button
                    type="button"
                    class="link"
                    on:click=move |_| {
                        let id = id.clone();
                        url.update(false, move |s| s.selected = Some(id))
                    }
                >
                    {m.title.clone()}
                </button>
                <div class="undated-meta">
                    <StatusChip status/>
                    <span class="muted">{target_label(m)}</span>
                </div>
            </li>
        })
    };
    view! {
        <section class="undated" aria-labelledby="undated-h">
            <h3 id="undated-h">{move || format!("Not yet scheduled ({})", count())}</h3>
            <Show
                when=move || count() != 0
                fallback=|| view! { <p class="empty">"Every milestone shown has a date."</p> }
            >
                <ul>
                    <For each=each key=|item| *item children=item/>
                </ul>
                <Show when=move || hidden() != 0>
                    <p class="muted">
                        {move || format!("and {} more, listed in the table below.", hidden())}
                    </p>
                </Show>
            </Show>
        </section>
    }
}

/// One row of the label column, placed at its row's offset.
fn label_view(key: &RowKey, row: Memo<Row>, roadmap: &Roadmap, url: UrlState) -> AnyView {
    let top = move || format!("top:{}px", row.with(|r| px(r.y())));
    match key {
        RowKey::Group(_) => {
            let label = row.with_untracked(|r| match r {
                Row::Group { label, .. } => label.clone(),
                Row::Milestone { .. } => String::new(),
            });
            let shown = if roadmap.documents.iter().any(|d| d.path == label) {
                document_title(roadmap, &label).to_string()
            } else {
                label.clone()
            };
            let count = move || {
                row.with(|r| match r {
                    Row::Group { count, .. } => *count,
                    Row::Milestone { .. } => 0,
                })
            };
            view! {
                <div class="tl-row tl-group" style=top title=label>
                    <span class="tl-group-name">{shown}</span>
                    <span class="muted">{count}</span>
                </div>
            }
            .into_any()
        }
        RowKey::Milestone(index) => {
            let Some(m) = roadmap.milestones.get(*index) else {
                return ().into_any();
            };
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

/// The part of the chart in view, for the hints at its edges.
#[derive(Clone, Copy)]
struct Edge {
    /// Scrolled to, and width (see `TimelineSection`).
    viewport: RwSignal<(f64, f64)>,
    /// The scroll box.
    frame: NodeRef<leptos::html::Div>,
}

impl Edge {
    /// A hint at the edge of the view for a mark wholly outside it: its
    /// target and an arrow pointing its way; clicking it scrolls the mark
    /// into view. Nothing while some of the mark shows.
    fn hint(self, shape: Shape, y: f64, target: &str) -> Option<AnyView> {
        let (from, view) = self.viewport.get();
        let side = OutOfView::of(shape, from, view).filter(|_| view > 0.0)?;
        let to = OutOfView::bring_into_view(shape, from, view)?;
        let (x, anchor, text) = match side {
            OutOfView::Before => (from + 6.0, "start", format!("◂ {target}")),
            OutOfView::After => (from + view - 6.0, "end", format!("{target} ▸")),
        };
        let frame = self.frame;
        Some(
            view! {
                <text
                    class="edge-hint"
                    x=px(x)
                    y=px(y + ROW_HEIGHT / 2.0 + 4.0)
                    text-anchor=anchor
                    on:click=move |_| {
                        if let Some(element) = frame.get_untracked() {
                            element.set_scroll_left(px(to));
                        }
                    }
                >
                    {text}
                </text>
            }
            .into_any(),
        )
    }
}

/// One row of the chart: a group band, or a milestone's bar or diamond.
/// `first` is the row as it was when the row appeared: whether a milestone
/// is a bar or a diamond depends only on its dates, which a load fixes.
fn shape_view(
    key: &RowKey,
    first: &Row,
    row: Memo<Row>,
    roadmap: &Roadmap,
    url: UrlState,
    edge: Edge,
) -> AnyView {
    let y = move || row.with(Row::y);
    let shape = move || match row.with(|r| match r {
        Row::Milestone { shape, .. } => Some(*shape),
        Row::Group { .. } => None,
    }) {
        Some(shape) => shape,
        None => Shape::Point { x: 0.0 },
    };
    match (key, first) {
        (RowKey::Milestone(index), Row::Milestone { shape: first, .. }) => {
            let Some(m) = roadmap.milestones.get(*index) else {
                return ().into_any();
            };
            let id = m.id.clone();
            let selected = {
                let id = id.clone();
                move || {
                    url.state
                        .with(|s| s.selected.as_deref() == Some(id.as_str()))
                }
            };
            let class = format!("shape s-{}", m.status.as_str());
            let target = target_label(m);
            let tip = format!("{} — {} — {}", m.title, m.status.label(), target);
            let hint = move || edge.hint(shape(), y(), &target);
            let drawn = match *first {
                Shape::Bar { .. } => {
                    let x = move || px(shape().left());
                    let width = move || px((shape().right() - shape().left()).max(3.0));
                    view! {
                        <rect class=class x=x y=move || px(y() + 9.0) width=width height=px(ROW_HEIGHT - 18.0) rx=4></rect>
                    }
                    .into_any()
                }
                Shape::Point { .. } => {
                    let d = move || {
                        let r = px(POINT_RADIUS);
                        let x = px(shape().left()) + r;
                        let top = px(y() + ROW_HEIGHT / 2.0) - r;
                        format!("M{x} {top} l{r} {r} l-{r} {r} l-{r} -{r} Z")
                    };
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
                {hint}
            }
            .into_any()
        }
        _ => view! {
            <rect class="band" x=0 y=move || px(y()) width="100%" height=px(ROW_HEIGHT)></rect>
        }
        .into_any(),
    }
}

/// A chart coordinate as a whole pixel: integer formatting keeps the float
/// printing machinery out of the wasm, and half a pixel is invisible here.
fn px(value: f64) -> i32 {
    value.round() as i32
}
