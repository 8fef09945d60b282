//! Talking to the server: fetch the roadmap, and refetch it when the server
//! announces a reload over server-sent events.

use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};
use milepost_shared::{ApiError, ReloadEvent, Roadmap};
use wasm_bindgen::{JsCast, closure::Closure};

/// One loaded roadmap. `generation` counts successful loads in this page, so
/// rows keyed by it re-render after a reload even when ids are unchanged.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub roadmap: Arc<Roadmap>,
    pub generation: u64,
}

impl Snapshot {
    /// A snapshot of a roadmap held in memory (tests, first load).
    pub fn new(roadmap: Roadmap) -> Snapshot {
        Snapshot {
            roadmap: Arc::new(roadmap),
            generation: 1,
        }
    }
}

/// The page's data: the last roadmap loaded, the last error, and whether a
/// load is in flight. A failed reload keeps the last roadmap on screen.
#[derive(Clone, Copy, Debug)]
pub struct Store {
    pub snapshot: RwSignal<Option<Snapshot>>,
    pub error: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    /// The newest revision the server has announced (0: none yet). A load
    /// that comes back older than this loads again.
    pub announced: RwSignal<u64>,
    /// False while the live-update stream is down (the server stopped, or
    /// the network went): what is shown may be out of date.
    pub live: RwSignal<bool>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    /// An empty store (nothing loaded yet).
    pub fn new() -> Store {
        Store {
            snapshot: RwSignal::new(None),
            error: RwSignal::new(None),
            loading: RwSignal::new(false),
            announced: RwSignal::new(0),
            live: RwSignal::new(true),
        }
    }

    /// Whether a roadmap is shown but the server cannot be reached: the last
    /// load failed, or the live-update stream dropped and has not come back.
    pub fn out_of_touch(self) -> bool {
        self.snapshot.with(Option::is_some)
            && (self.error.with(Option::is_some) || !self.live.get())
    }

    /// A store already holding a roadmap (for tests and previews).
    pub fn with(roadmap: Roadmap) -> Store {
        let store = Store::new();
        store.snapshot.set(Some(Snapshot::new(roadmap)));
        store
    }

    /// Loads `url` in the background; replaces the roadmap on success.
    pub fn load(self, url: String) {
        self.loading.set(true);
        spawn_local(async move {
            match fetch_roadmap(&url).await {
                Ok(roadmap) => {
                    // A reload announced while this request was on its way
                    // may be newer than what it brought back.
                    let stale = roadmap.revision < self.announced.get_untracked();
                    let generation = self
                        .snapshot
                        .with_untracked(|s| s.as_ref().map_or(0, |s| s.generation))
                        + 1;
                    self.snapshot.set(Some(Snapshot {
                        roadmap: Arc::new(roadmap),
                        generation,
                    }));
                    self.error.set(None);
                    if stale {
                        self.load(url);
                        return;
                    }
                }
                Err(message) => self.error.set(Some(message)),
            }
            self.loading.set(false);
        });
    }

    /// Follows `/api/events`: each reload the server announces (a revision
    /// other than the one shown) refetches `url`; so does reconnecting after
    /// the connection dropped, in case a reload was missed meanwhile.
    pub fn follow_events(self, url: String) {
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let reload_url = url.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let announced = event
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<ReloadEvent>(&text).ok())
                    .map(|reload| reload.revision);
                if let Some(revision) = announced {
                    self.announced
                        .update(|newest| *newest = (*newest).max(revision));
                }
                // The server opens every stream with its current revision; a
                // load still in flight checks it when it lands (see `load`),
                // so the page never fetches the same roadmap twice.
                if self.loading.get_untracked() {
                    return;
                }
                let shown = self
                    .snapshot
                    .with_untracked(|s| s.as_ref().map(|s| s.roadmap.revision));
                if announced.is_none() || announced != shown {
                    self.load(reload_url.clone());
                }
            },
        );
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The closures live as long as the page: the event source is never closed.
        on_message.forget();
        let mut opened = 0u32;
        let on_open = Closure::<dyn FnMut()>::new(move || {
            opened += 1;
            self.live.set(true);
            if opened > 1 {
                self.load(url.clone());
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        // The browser reconnects by itself (every few seconds) after an
        // error; until it does, the page says its data may be old.
        let on_error = Closure::<dyn FnMut()>::new(move || self.live.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    }
}

/// GET a roadmap; the error is a sentence for the page.
async fn fetch_roadmap(url: &str) -> Result<Roadmap, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|_| "The Milepost server could not be reached.".to_string())?;
    let body = response
        .text()
        .await
        .map_err(|_| "The connection to the Milepost server was interrupted.".to_string())?;
    if !response.ok() {
        let detail = serde_json::from_str::<ApiError>(&body)
            .map(|error| error.error)
            .unwrap_or_else(|_| format!("HTTP {}", response.status()));
        return Err(format!(
            "The Milepost server answered with an error: {detail}"
        ));
    }
    serde_json::from_str(&body)
        .map_err(|_| "The server sent a roadmap this page cannot read.".to_string())
}
