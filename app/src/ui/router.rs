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
    /// An address waiting to replace the current history entry.
    pending: StoredValue<Option<String>>,
}

impl Location {
    /// Reads the current query string and follows Back/Forward (`popstate`)
    /// for the life of the page.
    pub fn follow() -> Location {
        let location = Location {
            search: RwSignal::new(current_search()),
            pending: StoredValue::new(None),
        };
        // The page is never unmounted, so the listener stays for its life.
        let _listener = window_event_listener(leptos::ev::popstate, move |_| {
            // A replacement still waiting belongs to the entry just left.
            location.pending.set_value(None);
            location.search.set(current_search());
        });
        location
    }

    /// The decoded query pairs; a reactive read.
    pub fn pairs(self) -> Vec<(String, String)> {
        self.search.with(|search| decode_query(search))
    }

    /// Goes to `href` (same document: path and query) as a new history entry,
    /// or in place of the current one when `replace`. The page does not scroll.
    /// A replacement (typing in the search box) reaches the address bar in a
    /// task of its own: Chromium spends several milliseconds on each
    /// `replaceState`, which need not delay the redraw.
    pub fn go(self, href: &str, replace: bool) {
        self.search.set(
            href.find('?')
                .map_or(String::new(), |at| href[at..].to_string()),
        );
        if replace {
            if self.pending.get_value().is_none() {
                set_timeout(move || self.flush(), std::time::Duration::ZERO);
            }
            self.pending.set_value(Some(href.to_string()));
        } else {
            self.flush();
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
            }
        }
    }

    /// Writes a waiting replacement to the history entry.
    fn flush(self) {
        let Some(href) = self.pending.try_update_value(Option::take).flatten() else {
            return;
        };
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
        }
    }
}
