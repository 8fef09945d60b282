//! The Leptos components (browser only): the page switch, the two pages, and the
//! glue from the server's API and the URL to the logic modules.

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

/// Mounts the app on `<body>`.
pub fn mount() {
    mount_to_body(App);
}

/// The page for the address: `/` is the leadership view, `/card` the Backstage card.
#[component]
pub fn App() -> impl IntoView {
    match router::current_page() {
        Page::Portfolio => view! { <Leadership/> }.into_any(),
        Page::Card => view! { <Card/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
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
