//! Components in a real browser (headless Chromium through
//! wasm-bindgen-test-runner): what a person sees and can operate on the
//! leadership view and the card, rendered from an in-memory roadmap.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use milepost_app::card::CardParams;
use milepost_app::query::ViewState;
use milepost_app::ui::{CardBody, Portfolio, Store, UrlState};
use milepost_shared::{
    Dependency, Diagnostic, Document, Milestone, OwnerSource, Precision, Roadmap, Severity, State,
    Status, Team,
};
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn milestone(
    id: &str,
    title: &str,
    status: Status,
    target: Option<&str>,
    owner: &str,
) -> Milestone {
    Milestone {
        id: id.into(),
        title: title.into(),
        description: String::new(),
        description_html: String::new(),
        owners: vec![owner.into()],
        owner_source: OwnerSource::Explicit,
        start: None,
        target: target.map(day),
        target_text: target.map(str::to_string),
        target_precision: if target.is_some() {
            Precision::Day
        } else {
            Precision::None
        },
        state: State::Planned,
        status,
        progress: None,
        dependencies: Vec::new(),
        dependents: Vec::new(),
        document: "docs/payments/q1-plan.md".into(),
        line: 10,
        section: None,
        entity: Some("component:default/payments-gateway".into()),
        source_url: None,
    }
}

fn roadmap() -> Roadmap {
    let mut wallet = milestone(
        "PAY-2",
        "Wallet launch",
        Status::DueSoon,
        Some("2026-01-30"),
        "Payments",
    );
    wallet.description_html =
        "<p>Ship the <em>wallet</em> to <a href=\"https://example.com\">beta</a>.</p>".into();
    wallet.dependencies = vec![
        Dependency {
            text: "PAY-1".into(),
            milestone: Some("PAY-1".into()),
        },
        Dependency {
            text: "Legal sign-off".into(),
            milestone: None,
        },
    ];
    let mut first = milestone(
        "PAY-1",
        "PSP contract",
        Status::Done,
        Some("2026-01-16"),
        "Payments",
    );
    first.dependents = vec!["PAY-2".into()];
    let milestones = vec![
        first,
        wallet,
        milestone(
            "PAY-3",
            "Procurement review",
            Status::Blocked,
            Some("2026-01-31"),
            "Procurement",
        ),
        milestone(
            "PAY-7",
            "Risk rules",
            Status::Overdue,
            Some("2026-01-09"),
            "Risk",
        ),
        milestone(
            "PAY-6",
            "Settlement batch",
            Status::Unscheduled,
            None,
            "Platform",
        ),
        milestone(
            "PAY-5",
            "Multi-currency",
            Status::OnTrack,
            Some("2026-03-31"),
            "Payments",
        ),
    ];
    Roadmap {
        today: Some(day("2026-01-20")),
        revision: 1,
        documents: vec![
            Document {
                path: "docs/payments/q1-plan.md".into(),
                title: "Payments Q1 plan".into(),
                entity: Some("component:default/payments-gateway".into()),
                ..Document::default()
            }
            .into(),
        ],
        teams: vec![
            Team {
                name: "Payments".into(),
                responsibilities: vec!["Checkout and wallet".into()],
                milestones: vec!["PAY-1".into(), "PAY-2".into(), "PAY-5".into()],
                ..Team::default()
            }
            .into(),
        ],
        milestones: milestones.into_iter().map(Arc::new).collect(),
        ..Roadmap::default()
    }
}

/// Mounts a view in a fresh container and returns the container.
fn mount<F, N>(view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    // The view stays mounted for the rest of the test.
    std::mem::forget(handle);
    container
}

/// Lets effects and observers run.
async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

fn text(element: &web_sys::Element) -> String {
    element.text_content().unwrap_or_default()
}

fn click(element: &web_sys::Element) {
    element.unchecked_ref::<web_sys::HtmlElement>().click();
}

fn first_cells(root: &web_sys::Element) -> Vec<String> {
    all(root, "table.milestones tbody tr")
        .iter()
        .map(|row| text(&all(row, "td")[1]))
        .collect()
}

#[wasm_bindgen_test]
async fn table_sorts_from_keyboard_operable_headings() {
    let url = UrlState::local(ViewState::default());
    let root = mount(move || view! { <Portfolio store=Store::with(roadmap()) url/> });
    settle(10).await;
    let titles = first_cells(&root);
    assert_eq!(titles.len(), 6, "{titles:?}");
    assert!(
        titles[0].starts_with("Risk rules") && titles[1].starts_with("Procurement review"),
        "overdue and blocked first, earliest target first: {titles:?}"
    );

    let target = all(&root, "th button.sort")
        .into_iter()
        .find(|b| text(b).starts_with("Target"))
        .unwrap();
    click(&target);
    settle(10).await;
    let heading = target.closest("th").unwrap().unwrap();
    assert_eq!(
        heading.get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    let titles = first_cells(&root);
    assert!(
        titles[0].starts_with("Risk rules"),
        "earliest target first: {titles:?}"
    );
    assert!(
        titles[5].starts_with("Settlement batch"),
        "undated last: {titles:?}"
    );
}

#[wasm_bindgen_test]
async fn a_status_count_filters_and_shows_it_is_pressed() {
    let url = UrlState::local(ViewState::default());
    let root = mount(move || view! { <Portfolio store=Store::with(roadmap()) url/> });
    settle(10).await;
    let overdue = all(&root, "button.count")
        .into_iter()
        .find(|b| text(b).contains("Overdue"))
        .unwrap();
    assert!(text(&overdue).starts_with('1'));
    click(&overdue);
    settle(10).await;
    assert_eq!(
        overdue.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let titles = first_cells(&root);
    assert_eq!(titles.len(), 1);
    assert!(titles[0].starts_with("Risk rules"));
    assert_eq!(
        url.state.get_untracked().filter.status,
        vec![Status::Overdue],
        "the filter is in the URL state"
    );
}

#[wasm_bindgen_test]
async fn the_detail_panel_shows_rendered_description_and_dependencies_then_closes_on_escape() {
    let state = ViewState {
        selected: Some("PAY-2".into()),
        ..ViewState::default()
    };
    let url = UrlState::local(state);
    let root = mount(move || view! { <Portfolio store=Store::with(roadmap()) url/> });
    settle(30).await;
    let panel = root
        .query_selector("aside.detail")
        .unwrap()
        .expect("panel open");
    assert_eq!(
        text(&panel.query_selector("h2").unwrap().unwrap()),
        "Wallet launch"
    );
    let emphasis = panel
        .query_selector(".prose em")
        .unwrap()
        .expect("description HTML rendered, not escaped");
    assert_eq!(text(&emphasis), "wallet");
    let links: Vec<String> = all(&panel, ".links a").iter().map(text).collect();
    assert_eq!(
        links,
        vec!["PSP contract"],
        "resolved dependency links to its milestone"
    );
    assert!(text(&panel).contains("Legal sign-off (external)"));

    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_key("Escape");
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    panel
        .query_selector("button.close")
        .unwrap()
        .unwrap()
        .dispatch_event(&escape)
        .unwrap();
    settle(10).await;
    assert!(
        root.query_selector("aside.detail").unwrap().is_none(),
        "Escape closes the panel"
    );
    assert_eq!(url.state.get_untracked().selected, None);
}

fn card_params(query: &str) -> CardParams {
    let pairs = milepost_app::query::decode_query(query);
    CardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[wasm_bindgen_test]
async fn the_card_lists_next_milestones_by_urgency_and_links_out_safely() {
    let params = card_params("entity=component:default/payments-gateway&limit=3");
    let root = mount(move || view! { <CardBody store=Store::with(roadmap()) params/> });
    settle(10).await;
    let items: Vec<String> = all(&root, ".card-item-title").iter().map(text).collect();
    assert_eq!(
        items,
        vec!["Risk rules", "Procurement review", "Wallet launch"]
    );
    let meta = text(&all(&root, ".card-item-meta")[2]);
    assert!(
        meta.contains("2026-01-30") && meta.contains("in 10 days") && meta.contains("Payments"),
        "{meta}"
    );
    let link = root.query_selector("a.card-link").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/?entity=component:default/payments-gateway")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener"));
    assert!(text(&root).contains("2 more open"));
}

#[wasm_bindgen_test]
async fn the_card_explains_how_to_add_a_roadmap_when_the_entity_has_none() {
    let params = card_params("entity=component:default/unknown");
    let root = mount(move || view! { <CardBody store=Store::with(roadmap()) params/> });
    settle(10).await;
    let body = text(&root);
    assert!(body.contains("No roadmap yet"), "{body}");
    assert!(body.contains("milepost.io/roadmap"), "{body}");
    assert!(
        root.query_selector(".card-problems").unwrap().is_none(),
        "no problem is known for it: {body}"
    );
}

#[wasm_bindgen_test]
async fn an_empty_card_says_which_annotation_path_was_not_read() {
    let mut with_typo = roadmap();
    for (entity, path) in [
        ("component:default/checkout", "docs/roadmpa.md"),
        ("component:default/search", "docs/search.md"),
    ] {
        with_typo.diagnostics.push(Arc::new(Diagnostic {
            path: "catalog-info.yaml".into(),
            line: 6,
            severity: Severity::Warning,
            message: format!("milepost.io/roadmap of {entity} names '{path}', but no such document was read; check the path (relative to this file)"),
            entity: Some(entity.into()),
        }));
    }
    let params = card_params("entity=component:default/checkout");
    let root = mount(move || view! { <CardBody store=Store::with(with_typo) params/> });
    settle(10).await;
    let problems: Vec<String> = all(&root, ".card-problems li").iter().map(text).collect();
    assert_eq!(problems.len(), 1, "only this entity's: {problems:?}");
    assert!(
        problems[0].starts_with("catalog-info.yaml:6 ")
            && problems[0].contains("'docs/roadmpa.md'"),
        "{problems:?}"
    );
    assert!(text(&root).contains("No roadmap yet"));
}

#[wasm_bindgen_test]
async fn the_card_offers_a_retry_when_the_server_is_unreachable() {
    let store = Store::new();
    store
        .error
        .set(Some("The Milepost server could not be reached.".into()));
    let root = mount(move || view! { <CardBody store params=CardParams::default()/> });
    settle(10).await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("error state");
    assert!(text(&alert).contains("could not be reached"));
    assert!(all(&alert, "button").iter().any(|b| text(b) == "Retry"));
}

/// Collects `milepost:height` messages arriving at this window.
fn listen_for_heights() -> Rc<RefCell<Vec<f64>>> {
    let heights = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&heights);
    let listener =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|v| v.as_string());
            if kind.as_deref() == Some("milepost:height") {
                let height = js_sys::Reflect::get(&data, &"height".into())
                    .ok()
                    .and_then(|v| v.as_f64());
                sink.borrow_mut().extend(height);
            }
        });
    window()
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
        .unwrap();
    listener.forget();
    heights
}

#[wasm_bindgen_test]
async fn the_card_posts_its_height_to_the_parent_origin_only_when_given() {
    // The test page is top level, so its parent is itself: messages posted
    // "to the parent" arrive here when the origin matches.
    let heights = listen_for_heights();
    let silent = card_params("entity=component:default/payments-gateway");
    mount(move || view! { <CardBody store=Store::with(roadmap()) params=silent/> });
    settle(100).await;
    assert!(heights.borrow().is_empty(), "no parentOrigin, no message");

    let origin = window().location().origin().unwrap();
    let wrong = card_params("parentOrigin=https://elsewhere.example");
    mount(move || view! { <CardBody store=Store::with(roadmap()) params=wrong/> });
    settle(100).await;
    assert!(
        heights.borrow().is_empty(),
        "a message for another origin is not delivered here"
    );

    let params = card_params(&format!(
        "entity=component:default/payments-gateway&parentOrigin={origin}"
    ));
    let root = mount(move || view! { <CardBody store=Store::with(roadmap()) params/> });
    settle(100).await;
    let card_height = f64::from(
        root.query_selector(".card")
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .offset_height(),
    );
    assert_eq!(
        heights.borrow().last().copied(),
        Some(card_height),
        "{:?}",
        heights.borrow()
    );
}

#[wasm_bindgen_test]
async fn search_filters_the_table_once_typing_pauses() {
    let url = UrlState::local(ViewState::default());
    let root = mount(move || view! { <Portfolio store=Store::with(roadmap()) url/> });
    settle(10).await;
    assert_eq!(first_cells(&root).len(), 6);
    let input: web_sys::HtmlInputElement = root
        .query_selector("#f-q")
        .unwrap()
        .unwrap()
        .unchecked_into();
    for typed in ["wal", "wallet"] {
        input.set_value(typed);
        let event = web_sys::Event::new("input").unwrap();
        input.dispatch_event(&event).unwrap();
        settle(20).await;
    }
    assert_eq!(
        first_cells(&root).len(),
        6,
        "no filtering while keys are still coming"
    );
    assert_eq!(input.value(), "wallet", "the box shows what was typed");
    settle(300).await;
    let titles = first_cells(&root);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with("Wallet launch"), "{titles:?}");
    assert_eq!(
        url.state.get_untracked().filter.q.as_deref(),
        Some("wallet"),
        "the search is in the URL state"
    );
}

#[wasm_bindgen_test]
async fn filtering_redraws_the_timeline_inside_the_same_scroll_box() {
    let url = UrlState::local(ViewState::default());
    let root = mount(move || view! { <Portfolio store=Store::with(roadmap()) url/> });
    settle(10).await;
    let frame = root.query_selector(".tl").unwrap().unwrap();
    let labels = |root: &web_sys::Element| all(root, ".tl-title").len();
    assert_eq!(labels(&root), 5, "every dated milestone has a row");
    let overdue = all(&root, "button.count")
        .into_iter()
        .find(|b| text(b).contains("Overdue"))
        .unwrap();
    click(&overdue);
    settle(10).await;
    assert_eq!(labels(&root), 1, "the chart shows the filtered milestones");
    assert!(
        frame.is_connected(),
        "the scroll box is kept, so the reader's scroll position is too"
    );
    assert_eq!(all(&root, ".tl").len(), 1);
}
