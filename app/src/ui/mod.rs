//! The Leptos components (browser only): the two pages, each mounted by its own
//! binary, and the glue from the server's API and the URL to the logic modules.

mod api;
mod card;
mod common;
mod detail;
mod leadership;
mod panels;
mod router;
mod table;
mod timeline;

use leptos::prelude::*;

use crate::route::Page;

pub use api::{Snapshot, Store};
pub use card::{Card, CardBody, report_height};
pub use common::UrlState;
pub use detail::DetailPanel;
pub use leadership::{Leadership, Portfolio};
pub use table::MilestoneTable;

/// Mounts the leadership view's page switch on `<body>`.
pub fn mount() {
    mount_to_body(App);
}

/// Mounts the Backstage card on `<body>` (the card binary's entry point).
pub fn mount_card() {
    mount_to_body(Card);
}

/// The page for the address: `/` is the leadership view. The card is served
/// from its own page and binary (`card.html`), so `/card` reaches this switch
/// only when that page was not built.
#[component]
pub fn App() -> impl IntoView {
    match router::current_page() {
        Page::Portfolio => view! { <Leadership/> }.into_any(),
        Page::Card => view! { <CardNotBuilt/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// `/card` served by the leadership page: the frontend was built without the
/// card's page.
#[component]
fn CardNotBuilt() -> impl IntoView {
    view! {
        <main class="notfound">
            <h1>"Card not built"</h1>
            <p>
                "The Backstage card is a page of its own, and this server was built without it. "
                "Run " <code>"scripts/build-frontend.sh"</code>
                " (it builds both pages), then rebuild the server."
            </p>
            <p><a href="/">"Open the roadmap portfolio"</a></p>
        </main>
    }
}

/// Any other path: say so and point home.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="notfound">
            <h1>"Page not found"</h1>
            <p>
                "Milepost has two pages: the "
                <a href="/">"roadmap portfolio"</a>
                " and the Backstage card at "
                <code>"/card"</code>
                "."
            </p>
        </main>
    }
}
