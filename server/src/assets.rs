//! The built frontend (`dist/`, Trunk's output), embedded in the binary at
//! compile time: served from memory only, so no request can reach a file on
//! disk. Each file is compressed once, off the request path.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::HeaderValue;
use base64::Engine as _;
use rust_embed::Embed;
use sha2::{Digest, Sha256};

use crate::encoding::Precompressed;

/// `dist/` at the workspace root; `build.rs` creates it empty when the
/// frontend was not built, so the server always compiles.
#[derive(Embed)]
#[folder = "../dist"]
struct Dist;

/// The card's page in `dist/` (`scripts/build-frontend.sh` builds it there).
const CARD_PAGE: &str = "card/index.html";

/// Shown at `/` when the binary was built without a frontend.
const PLACEHOLDER: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Milepost</title></head><body><h1>Milepost</h1>\
<p>frontend not built: run scripts/run.sh (or scripts/build-frontend.sh, then rebuild the server).</p>\
<p>The API is available: <a href=\"/api/roadmap\">/api/roadmap</a>.</p></body></html>\n";

/// The frontend's files by path (`app-1a2b….js`), `index.html` apart.
#[derive(Clone, Debug)]
pub struct Assets {
    files: Arc<HashMap<String, Arc<Precompressed>>>,
    index: Arc<Precompressed>,
    inline_script_hashes: Arc<Vec<String>>,
    built: bool,
}

impl Assets {
    /// The files embedded at compile time.
    pub fn embedded() -> Assets {
        Assets::from_files(
            Dist::iter()
                .filter_map(|path| Dist::get(&path).map(|file| (path.to_string(), file.data))),
        )
    }

    /// A frontend made of the given `(path, bytes)` files (tests use this).
    pub fn from_files<D>(files: impl IntoIterator<Item = (String, D)>) -> Assets
    where
        D: Into<std::borrow::Cow<'static, [u8]>>,
    {
        let mut map = HashMap::new();
        let mut index = None;
        let mut inline_script_hashes = Vec::new();
        for (path, data) in files {
            let path = path.replace('\\', "/");
            let bytes = match data.into() {
                std::borrow::Cow::Borrowed(slice) => Bytes::from_static(slice),
                std::borrow::Cow::Owned(vec) => Bytes::from(vec),
            };
            if path.ends_with(".html") {
                inline_script_hashes
                    .extend(inline_script_hashes_of(&String::from_utf8_lossy(&bytes)));
            }
            if path == "index.html" {
                index = Some(Arc::new(Precompressed::new(
                    bytes,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                    HeaderValue::from_static("no-cache"),
                )));
                continue;
            }
            let cache_control = if is_hashed(&path) {
                HeaderValue::from_static("public, max-age=31536000, immutable")
            } else {
                HeaderValue::from_static("no-cache")
            };
            let body = Precompressed::new(bytes, content_type(&path), cache_control);
            map.insert(path, Arc::new(body));
        }
        let built = index.is_some();
        let index = index.unwrap_or_else(|| {
            Arc::new(Precompressed::new(
                Bytes::from_static(PLACEHOLDER.as_bytes()),
                HeaderValue::from_static("text/html; charset=utf-8"),
                HeaderValue::from_static("no-cache"),
            ))
        });
        Assets {
            files: Arc::new(map),
            index,
            inline_script_hashes: Arc::new(inline_script_hashes),
            built,
        }
    }

    /// Whether a real frontend (with an `index.html`) is embedded.
    pub fn is_built(&self) -> bool {
        self.built
    }

    /// A file by its path relative to `dist/` (no leading `/`).
    pub fn get(&self, path: &str) -> Option<&Arc<Precompressed>> {
        self.files.get(path)
    }

    /// `index.html`, or the "frontend not built" page.
    pub fn index(&self) -> &Arc<Precompressed> {
        &self.index
    }

    /// The page for a client route (a path relative to `dist/`, without a
    /// leading `/`): the Backstage card's own page (`card/index.html`, a
    /// smaller wasm binary) for `card`, `index.html` for everything else.
    pub fn page(&self, route: &str) -> &Arc<Precompressed> {
        if route.trim_end_matches('/') == "card"
            && let Some(card) = self.files.get(CARD_PAGE)
        {
            return card;
        }
        &self.index
    }

    /// CSP hashes (`'sha256-…'`) of the inline scripts of every HTML page
    /// (Trunk's loaders), so they run without `'unsafe-inline'`.
    pub fn inline_script_hashes(&self) -> &[String] {
        &self.inline_script_hashes
    }

    /// Compresses every file once (call off the request path). The files
    /// never change while the process runs, so a release build pays brotli's
    /// quality 11 once at startup (about 2 s of one core) and saves every
    /// visitor about a tenth of the wasm download. Debug builds, where the
    /// unoptimised compressor would take ten times longer at every test
    /// server's start, use the default levels.
    pub fn compress_all(&self) {
        let (gzip_level, brotli_quality) = if cfg!(debug_assertions) {
            (6, 9)
        } else {
            (9, 11)
        };
        self.index.compress_with(gzip_level, brotli_quality);
        for body in self.files.values() {
            if compressible(body.identity()) {
                body.compress_with(gzip_level, brotli_quality);
            }
        }
    }
}

/// Already-compressed formats gain nothing from another pass.
fn compressible(bytes: &Bytes) -> bool {
    // PNG, JPEG, GIF, WebP/RIFF, woff2, gzip magic numbers.
    let magic: [&[u8]; 6] = [
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"RIFF",
        b"wOF2",
        b"\x1f\x8b",
    ];
    !magic.iter().any(|m| bytes.starts_with(m))
}

/// Fewest hex digits taken as Trunk's hash: it is a 64-bit number written
/// without leading zeros, so 16 digits, or 15 or fewer one build in
/// sixteen; one build in 65,536 has fewer than 12.
const MIN_HASH_DIGITS: usize = 12;

/// Trunk names built files `name-<hash>.ext` (and `…_bg.wasm`): their
/// content never changes under that name.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (MIN_HASH_DIGITS..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

fn content_type(path: &str) -> HeaderValue {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    HeaderValue::from_static(match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    })
}

/// `'sha256-…'` for each `<script>` without `src` in an HTML page.
fn inline_script_hashes_of(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script") {
        let tag_start = from + start;
        let Some(tag_len) = lower[tag_start..].find('>') else {
            break;
        };
        let tag_end = tag_start + tag_len + 1;
        let Some(close) = lower[tag_end..].find("</script") else {
            break;
        };
        let content_end = tag_end + close;
        let tag = &lower[tag_start..tag_end];
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            let digest = Sha256::digest(&html.as_bytes()[tag_end..content_end]);
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            hashes.push(format!("'sha256-{encoded}'"));
        }
        from = content_end;
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed("milepost-app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed("milepost-app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("style-0123456789abcdef.css"));
        // A hash with a leading zero dropped (this build's app files).
        assert!(is_hashed("milepost-app-ca11fe090f0b757.js"));
        assert!(is_hashed("milepost-app-ca11fe090f0b757_bg.wasm"));
        assert!(!is_hashed("favicon.ico"));
        assert!(!is_hashed("milepost-app.js"));
        assert!(!is_hashed("style-cafe.css"));
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<html><head><script type=\"module\">import init from '/a.js';init();</script>\
            <script src=\"/b.js\"></script></head></html>";
        let hashes = inline_script_hashes_of(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';init();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }
}
