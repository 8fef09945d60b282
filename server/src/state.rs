//! The server's shared state: the current roadmap snapshot (swapped
//! atomically, so a request sees one whole revision), the reload broadcast for
//! `/api/events`, readiness and the HTTP settings.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::body::Bytes;
use axum::http::HeaderValue;
use milepost_shared::Roadmap;
use tokio::sync::{OnceCell, Semaphore, broadcast, watch};

use crate::assets::Assets;
use crate::cache::ResponseCache;
use crate::encoding::Precompressed;

/// How long a new revision must stay current before it is serialized and
/// compressed in the background.
const BACKGROUND_PAUSE: Duration = Duration::from_millis(200);

/// One revision of the roadmap with everything derived from it once.
#[derive(Debug)]
pub struct Snapshot {
    /// The roadmap as read, statuses for the configured `today`.
    pub roadmap: Roadmap,
    /// Milestone id → index in `roadmap.milestones`, built on first use.
    milestone_index: OnceLock<HashMap<String, usize>>,
    /// `GET /api/roadmap` without filters: serialized once per revision,
    /// right after the snapshot is published (or by the first request that
    /// needs it, whichever comes first).
    full: OnceCell<Arc<Precompressed>>,
}

impl Snapshot {
    /// Builds a snapshot and indexes its milestones; the body is serialized
    /// by [`Snapshot::full`].
    pub fn new(roadmap: Roadmap) -> Snapshot {
        Snapshot {
            roadmap,
            milestone_index: OnceLock::new(),
            full: OnceCell::new(),
        }
    }

    /// The position of a milestone in `roadmap.milestones`.
    pub fn milestone_position(&self, id: &str) -> Option<usize> {
        self.milestone_index
            .get_or_init(|| {
                self.roadmap
                    .milestones
                    .iter()
                    .enumerate()
                    .map(|(index, milestone)| (milestone.id.clone(), index))
                    .collect()
            })
            .get(id)
            .copied()
    }

    /// The serialized roadmap, when already made.
    pub fn full_if_ready(&self) -> Option<&Arc<Precompressed>> {
        self.full.get()
    }

    /// The serialized roadmap, made now (off the async threads) if needed.
    pub async fn full(self: &Arc<Snapshot>) -> &Arc<Precompressed> {
        self.full
            .get_or_init(|| {
                let snapshot = self.clone();
                async move {
                    match tokio::task::spawn_blocking(move || snapshot.serialize()).await {
                        Ok(body) => body,
                        // Only a panic in serde_json lands here; an empty body
                        // is better than no answer.
                        Err(_) => Arc::new(Precompressed::new(
                            Bytes::new(),
                            HeaderValue::from_static("application/json"),
                            HeaderValue::from_static("no-cache"),
                        )),
                    }
                }
            })
            .await
    }

    fn serialize(&self) -> Arc<Precompressed> {
        // Serializing plain data structures cannot fail.
        let json = serde_json::to_vec(&self.roadmap).unwrap_or_default();
        Arc::new(Precompressed::new(
            Bytes::from(json),
            HeaderValue::from_static("application/json"),
            HeaderValue::from_static("no-cache"),
        ))
    }
}

/// Settings the HTTP layer needs.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// CSP `frame-ancestors` sources (already quoted).
    pub frame_ancestors: Vec<String>,
    /// Origins allowed by CORS (none: no CORS headers at all).
    pub cors_origins: Vec<String>,
    /// Open `/api/events` streams allowed at once.
    pub max_sse_clients: usize,
    /// Request timeout.
    pub request_timeout: Duration,
    /// The due-soon window, for `?today=` recomputation.
    pub due_soon_days: i64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            frame_ancestors: vec!["'self'".to_string()],
            cors_origins: Vec::new(),
            max_sse_clients: crate::config::DEFAULT_MAX_SSE_CLIENTS,
            request_timeout: Duration::from_secs(crate::config::DEFAULT_REQUEST_TIMEOUT_SECS),
            due_soon_days: crate::config::DEFAULT_DUE_SOON_DAYS,
        }
    }
}

/// Shared by every request; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    snapshot: ArcSwap<Snapshot>,
    ready: AtomicBool,
    reloads: broadcast::Sender<u64>,
    shutdown: watch::Sender<bool>,
    sse_slots: Arc<Semaphore>,
    settings: HttpSettings,
    assets: Assets,
    responses: ResponseCache,
    builders: Arc<Semaphore>,
}

impl AppState {
    /// A state with an empty roadmap (revision 0, not ready) and the embedded
    /// frontend.
    pub fn new(settings: HttpSettings) -> AppState {
        AppState::with_assets(settings, Assets::embedded())
    }

    /// Like [`AppState::new`] with a given frontend (tests use this).
    pub fn with_assets(settings: HttpSettings, assets: Assets) -> AppState {
        let (reloads, _) = broadcast::channel(16);
        let (shutdown, _) = watch::channel(false);
        AppState {
            inner: Arc::new(Inner {
                snapshot: ArcSwap::from_pointee(Snapshot::new(Roadmap::default())),
                ready: AtomicBool::new(false),
                reloads,
                shutdown,
                sse_slots: Arc::new(Semaphore::new(settings.max_sse_clients)),
                settings,
                assets,
                responses: ResponseCache::default(),
                // One answer built per core at a time: a burst of distinct
                // queries queues (up to the request timeout) instead of
                // holding a roadmap copy per request in memory.
                builders: Arc::new(Semaphore::new(
                    std::thread::available_parallelism().map_or(2, usize::from),
                )),
            }),
        }
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.inner.snapshot.load_full()
    }

    /// Installs a newly read roadmap as the next revision, marks the server
    /// ready and tells every `/api/events` stream. Returns the revision.
    /// The body's gzip and brotli forms are computed afterwards, off the
    /// request path; until then clients get identity.
    pub fn publish(&self, mut roadmap: Roadmap) -> u64 {
        let revision = self.inner.snapshot.load().roadmap.revision + 1;
        roadmap.revision = revision;
        let snapshot = Arc::new(Snapshot::new(roadmap));
        let previous = self.inner.snapshot.swap(snapshot.clone());
        self.inner.ready.store(true, Ordering::Release);
        // Open pages hear about the reload at once; the body they then ask
        // for is being serialized below (their request waits for it).
        // No receivers is fine: nobody is listening yet.
        let _ = self.inner.reloads.send(revision);
        let current = self.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                // Freeing a large roadmap takes a while: not on this thread.
                handle.spawn_blocking(move || drop(previous));
                handle.spawn(async move {
                    // Edits often come in bursts: a revision replaced within
                    // this pause is never serialized or compressed in the
                    // background (a request for it still gets its body).
                    tokio::time::sleep(BACKGROUND_PAUSE).await;
                    let still_current = move || current.snapshot().roadmap.revision == revision;
                    if !still_current() {
                        return;
                    }
                    let body = snapshot.full().await.clone();
                    let _ =
                        tokio::task::spawn_blocking(move || body.compress_unless(&still_current))
                            .await;
                });
            }
            Err(_) => {
                let body = snapshot.serialize();
                body.compress();
                let _ = snapshot.full.set(body);
            }
        }
        revision
    }

    /// Whether sources have been read at least once.
    pub fn is_ready(&self) -> bool {
        self.inner.ready.load(Ordering::Acquire)
    }

    /// A receiver of reload revisions.
    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.inner.reloads.subscribe()
    }

    /// A receiver that turns true when the server shuts down (open event
    /// streams end, so graceful shutdown does not wait on them).
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.subscribe()
    }

    /// Ends every open event stream.
    pub fn begin_shutdown(&self) {
        let _ = self.inner.shutdown.send(true);
    }

    /// Slots for `/api/events` streams.
    pub fn sse_slots(&self) -> &Arc<Semaphore> {
        &self.inner.sse_slots
    }

    /// The HTTP settings.
    pub fn settings(&self) -> &HttpSettings {
        &self.inner.settings
    }

    /// Built answers to filtered requests for the current revision.
    pub fn responses(&self) -> &ResponseCache {
        &self.inner.responses
    }

    /// Permits to build an answer that is not cached yet.
    pub fn builders(&self) -> &Arc<Semaphore> {
        &self.inner.builders
    }

    /// The frontend files.
    pub fn assets(&self) -> &Assets {
        &self.inner.assets
    }
}
