//! Content negotiation and compression: `Accept-Encoding` parsing (br over
//! gzip over identity), one-off compression for per-request bodies, and
//! [`Precompressed`] bodies that are compressed once and served many times
//! with a strong `ETag` per representation.

use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Bodies smaller than this are sent as they are: compressing them costs more
/// than it saves.
const MIN_COMPRESS_LEN: usize = 1024;
/// Bodies above this size are compressed at quicker settings.
const LARGE_BODY: usize = 4 * 1024 * 1024;
/// Compression works through a body in pieces this large, checking between
/// them whether it is still wanted.
const CHUNK: usize = 1024 * 1024;

/// A content coding the server can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// Brotli.
    Brotli,
    /// Gzip.
    Gzip,
    /// No compression.
    Identity,
}

impl Coding {
    fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Brotli => Some(HeaderValue::from_static("br")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Identity => None,
        }
    }
}

/// Which codings the request accepts, best first: br, then gzip, then
/// identity. `q=0` refuses a coding; `*` stands for those not named.
pub fn accepted(headers: &HeaderMap) -> [bool; 2] {
    let mut brotli = None;
    let mut gzip = None;
    let mut star = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| {
                    let (key, value) = param.split_once('=')?;
                    (key.trim().eq_ignore_ascii_case("q"))
                        .then(|| value.trim().parse::<f32>().ok())?
                })
                .next()
                .unwrap_or(1.0);
            let allowed = quality > 0.0;
            match name.as_str() {
                "br" => brotli = Some(allowed),
                "gzip" | "x-gzip" => gzip = Some(allowed),
                "*" => star = Some(allowed),
                _ => {}
            }
        }
    }
    [
        brotli.or(star).unwrap_or(false),
        gzip.or(star).unwrap_or(false),
    ]
}

/// Gzip at a level that suits per-request work.
pub fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Brotli at `quality` (0–11) with a 4 MB window.
pub fn brotli(data: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 5);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        let _ = writer.write_all(data);
    }
    out
}

/// A body compressed per request (filtered API answers): br if accepted, else
/// gzip, else as is, with `Vary: Accept-Encoding`.
pub fn negotiated(request: &HeaderMap, content_type: &'static str, body: Vec<u8>) -> Response {
    let [brotli_ok, gzip_ok] = accepted(request);
    let (coding, bytes) = if body.len() < MIN_COMPRESS_LEN {
        (Coding::Identity, body)
    } else if brotli_ok {
        (Coding::Brotli, brotli(&body, 4))
    } else if gzip_ok {
        (Coding::Gzip, gzip(&body, 5))
    } else {
        (Coding::Identity, body)
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        bytes,
    )
        .into_response();
    if let Some(value) = coding.header() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, value);
    }
    response
}

/// A body served many times: its identity bytes now, its gzip and brotli
/// forms once computed (see [`Precompressed::compress`]), each with its own
/// strong `ETag`.
#[derive(Debug)]
pub struct Precompressed {
    identity: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    /// Hash of the identity bytes, the stem of every ETag.
    tag: String,
    /// The ETags of the identity, gzip and brotli forms, made once.
    etags: [HeaderValue; 3],
    content_type: HeaderValue,
    cache_control: HeaderValue,
}

impl Precompressed {
    /// Wraps a body; compression happens later in [`Precompressed::compress`].
    pub fn new(identity: Bytes, content_type: HeaderValue, cache_control: HeaderValue) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        identity.hash(&mut hasher);
        let tag = format!("{:016x}{:08x}", hasher.finish(), identity.len());
        let etag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
        };
        let etags = [etag(""), etag("-gz"), etag("-br")];
        Precompressed {
            etags,
            identity,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            tag,
            content_type,
            cache_control,
        }
    }

    /// The uncompressed bytes.
    pub fn identity(&self) -> &Bytes {
        &self.identity
    }

    /// Whether the body is worth compressing at all.
    fn compressible(&self) -> bool {
        self.identity.len() >= MIN_COMPRESS_LEN
    }

    /// Computes the gzip form, then the brotli form (slow for large bodies:
    /// call it off the request path). Until each is ready, clients that
    /// asked for it get the next best form.
    pub fn compress(&self) {
        self.compress_unless(&|| true);
    }

    /// Like [`Precompressed::compress`], giving up (leaving identity, or
    /// gzip only) as soon as `keep_going` says the work is no longer wanted:
    /// a roadmap that was replaced while it was being compressed.
    pub fn compress_unless(&self, keep_going: &dyn Fn() -> bool) -> bool {
        if !self.compressible() {
            return true;
        }
        // Brotli's higher qualities cost seconds on a multi-megabyte roadmap,
        // and this runs again after every edit: large bodies get a quicker one.
        let brotli_quality = if self.identity.len() > LARGE_BODY {
            5
        } else {
            9
        };
        if self.gzip.get().is_none() {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(self.identity.len() / 4),
                flate2::Compression::new(6),
            );
            for chunk in self.identity.chunks(CHUNK) {
                if !keep_going() {
                    return false;
                }
                let _ = encoder.write_all(chunk);
            }
            let _ = self
                .gzip
                .set(Bytes::from(encoder.finish().unwrap_or_default()));
        }
        if self.brotli.get().is_none() {
            let mut out = Vec::with_capacity(self.identity.len() / 5);
            {
                let mut writer =
                    brotli::CompressorWriter::new(&mut out, 64 * 1024, brotli_quality, 22);
                for chunk in self.identity.chunks(CHUNK) {
                    if !keep_going() {
                        return false;
                    }
                    let _ = writer.write_all(chunk);
                }
            }
            let _ = self.brotli.set(Bytes::from(out));
        }
        true
    }

    /// Like [`Precompressed::compress`] at chosen levels (lower is faster).
    pub fn compress_with(&self, gzip_level: u32, brotli_quality: u32) {
        if !self.compressible() {
            return;
        }
        self.gzip
            .get_or_init(|| Bytes::from(gzip(&self.identity, gzip_level)));
        self.brotli
            .get_or_init(|| Bytes::from(brotli(&self.identity, brotli_quality)));
    }

    /// Whether both compressed forms are ready.
    pub fn is_compressed(&self) -> bool {
        !self.compressible() || (self.gzip.get().is_some() && self.brotli.get().is_some())
    }

    /// The compressed form for a coding, when ready.
    pub fn encoded(&self, coding: Coding) -> Option<&Bytes> {
        match coding {
            Coding::Brotli => self.brotli.get(),
            Coding::Gzip => self.gzip.get(),
            Coding::Identity => Some(&self.identity),
        }
    }

    fn etag(&self, coding: Coding) -> &HeaderValue {
        match coding {
            Coding::Identity => &self.etags[0],
            Coding::Gzip => &self.etags[1],
            Coding::Brotli => &self.etags[2],
        }
    }

    /// True when `If-None-Match` names any representation of this body.
    fn not_modified(&self, request: &HeaderMap) -> bool {
        request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|text| text.split(','))
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| {
                tag == "*"
                    || tag
                        .strip_prefix('"')
                        .and_then(|tag| tag.strip_suffix('"'))
                        .is_some_and(|inner| {
                            inner
                                .strip_prefix(&self.tag)
                                .is_some_and(|rest| matches!(rest, "" | "-br" | "-gz"))
                        })
            })
    }

    /// The response for a request: 304 when the client's copy is current,
    /// else the best representation it accepts. Only reference counts are
    /// copied: no serialization or compression happens here.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let [brotli_ok, gzip_ok] = accepted(request);
        let coding = if brotli_ok && self.brotli.get().is_some() {
            Coding::Brotli
        } else if gzip_ok && self.gzip.get().is_some() {
            Coding::Gzip
        } else {
            Coding::Identity
        };
        let etag = self.etag(coding).clone();
        // Room for the security headers the router adds on the way out.
        let mut headers = HeaderMap::with_capacity(12);
        headers.insert(header::ETAG, etag);
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if self.not_modified(request) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(value) = coding.header() {
            headers.insert(header::CONTENT_ENCODING, value);
        }
        let body = self
            .encoded(coding)
            .cloned()
            .unwrap_or_else(|| self.identity.clone());
        // Built directly: `(headers, body).into_response()` would copy the
        // headers into a second map.
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn request(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        headers
    }

    #[test]
    fn accept_encoding_is_read_with_qualities() {
        let check = |accept: &str, expected: [bool; 2]| {
            assert_eq!(accepted(&request(accept)), expected, "{accept}");
        };
        check("gzip, deflate, br", [true, true]);
        check("gzip", [false, true]);
        check("br;q=0, gzip;q=0.5", [false, true]);
        check("*", [true, true]);
        check("*;q=0, gzip", [false, true]);
        check("identity", [false, false]);
        assert_eq!(accepted(&HeaderMap::new()), [false, false]);
    }

    #[test]
    fn precompressed_bodies_pick_br_then_gzip_and_answer_304() {
        let body = Precompressed::new(
            Bytes::from("x".repeat(5000)),
            HeaderValue::from_static("application/json"),
            HeaderValue::from_static("no-cache"),
        );
        body.compress();
        let response = body.respond(&request("gzip, br"));
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        let etag = response.headers()[header::ETAG].clone();
        let response = body.respond(&request("gzip"));
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        assert_ne!(response.headers()[header::ETAG], etag);

        let mut conditional = request("gzip");
        conditional.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            body.respond(&conditional).status(),
            StatusCode::NOT_MODIFIED
        );
        let mut stale = request("gzip");
        stale.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(body.respond(&stale).status(), StatusCode::OK);
    }
}
