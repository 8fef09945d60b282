//! Answers to filtered requests, kept for the current revision: the first
//! request for a given filter builds and compresses the body, later ones are
//! served like the unfiltered roadmap (no serialization, no compression).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::encoding::Precompressed;

/// Most answers kept at once.
const MAX_ENTRIES: usize = 128;
/// Most uncompressed bytes kept at once (compressed forms come on top, smaller).
const MAX_BYTES: usize = 256 * 1024 * 1024;

/// A bounded map from `(revision, request key)` to a built body. A new
/// revision empties it.
#[derive(Debug, Default)]
pub struct ResponseCache {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    revision: u64,
    bodies: HashMap<String, Arc<Precompressed>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl ResponseCache {
    /// The body stored for `key` at `revision`.
    pub fn get(&self, revision: u64, key: &str) -> Option<Arc<Precompressed>> {
        let entries = self.inner.lock().ok()?;
        if entries.revision != revision {
            return None;
        }
        entries.bodies.get(key).cloned()
    }

    /// Stores a body built for `revision`; older revisions are dropped, and
    /// the oldest entries go when a bound is reached.
    pub fn insert(&self, revision: u64, key: String, body: Arc<Precompressed>) {
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if entries.revision != revision {
            if revision < entries.revision {
                return; // built from a snapshot that has since been replaced
            }
            *entries = Entries {
                revision,
                ..Entries::default()
            };
        }
        let size = body.identity().len();
        if size > MAX_BYTES || entries.bodies.contains_key(&key) {
            return;
        }
        while entries.bodies.len() >= MAX_ENTRIES || entries.bytes + size > MAX_BYTES {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(removed) = entries.bodies.remove(&oldest) {
                entries.bytes -= removed.identity().len();
            }
        }
        entries.bytes += size;
        entries.order.push_back(key.clone());
        entries.bodies.insert(key, body);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::http::HeaderValue;

    fn body(text: &str) -> Arc<Precompressed> {
        Arc::new(Precompressed::new(
            Bytes::from(text.to_string()),
            HeaderValue::from_static("text/plain"),
            HeaderValue::from_static("no-cache"),
        ))
    }

    #[test]
    fn a_new_revision_forgets_old_answers() {
        let cache = ResponseCache::default();
        cache.insert(1, "a".into(), body("one"));
        assert!(cache.get(1, "a").is_some());
        assert!(cache.get(2, "a").is_none());
        cache.insert(2, "b".into(), body("two"));
        assert!(cache.get(1, "a").is_none());
        // A late insert for an older revision is ignored.
        cache.insert(1, "a".into(), body("one"));
        assert!(cache.get(2, "a").is_none());
        assert_eq!(cache.get(2, "b").unwrap().identity().as_ref(), b"two");
    }

    #[test]
    fn the_number_of_answers_is_bounded() {
        let cache = ResponseCache::default();
        for index in 0..(MAX_ENTRIES + 10) {
            cache.insert(1, format!("k{index}"), body("x"));
        }
        assert!(cache.get(1, "k0").is_none());
        assert!(cache.get(1, &format!("k{}", MAX_ENTRIES + 9)).is_some());
    }
}
