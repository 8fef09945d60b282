//! The app's routing on the History API alone: the path picks the page once
//! ([`Page`]), and the query string is a signal that follows
//! `pushState`/`replaceState` from the page and `popstate` from Back and
//! Forward. Much smaller in the wasm than a general router.

use leptos::prelude::*;

use crate::query::decode_query;
use crate::route::Page;

/// The page for the address the document was loaded at.
pub fn current_page() -> Page {
    Page::of_path(&window().location().pathname().unwrap_or_default())
}

/// The document's query string (`?…`, or empty) as the browser has it now.
fn current_search() -> String {
    window().location().search().unwrap_or_default()
}

/// The decoded query pairs of the address now (read once, not followed).
pub fn current_pairs() -> Vec<(String, String)> {
    decode_query(&current_search())
}

/// The query string as a signal, and how to move to another one.
#[derive(Clone, Copy)]
pub struct Location {
    search: RwSignal<String>,
}

impl Location {
    /// Reads the current query string and follows Back/Forward (`popstate`)
    /// for the life of the page.
    pub fn follow() -> Location {
        let search = RwSignal::new(current_search());
        // The page is never unmounted, so the listener stays for its life.
        let _listener = window_event_listener(leptos::ev::popstate, move |_| {
            search.set(current_search());
        });
        Location { search }
    }

    /// The decoded query pairs; a reactive read.
    pub fn pairs(self) -> Vec<(String, String)> {
        self.search.with(|search| decode_query(search))
    }

    /// Goes to `href` (same document: path and query) as a new history entry,
    /// or in place of the current one when `replace`. The page does not scroll.
    pub fn go(self, href: &str, replace: bool) {
        let Ok(history) = window().history() else {
            return;
        };
        let changed = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
        if changed.is_ok() {
            self.search.set(current_search());
        }
    }
}
