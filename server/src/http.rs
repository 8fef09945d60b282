//! The HTTP API and the frontend: [`app`] builds the router (tests drive it
//! with `oneshot`), handlers are named `<resource>_<action>`, and every error
//! goes through one [`AppError`].

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use futures_util::stream::{self, Stream};
use milepost_shared::report::{Grouping, markdown_report};
use milepost_shared::{ApiError, Filter, ReloadEvent, Roadmap, compute_statuses};
use tokio::sync::broadcast::error::RecvError;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::encoding::{Precompressed, negotiated};
use crate::limits::{CheckLimitsLayer, RequestTimeoutLayer};
use crate::state::{AppState, Snapshot};

/// Every way a request can fail, rendered as a JSON [`ApiError`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such milestone, API path or file.
    #[error("{0}")]
    NotFound(String),
    /// A query parameter the API cannot accept.
    #[error("{0}")]
    BadRequest(String),
    /// Only GET and HEAD exist.
    #[error("method {0} is not allowed: this server is read-only (GET and HEAD only)")]
    MethodNotAllowed(Method),
    /// Too many open event streams, or sources not read yet.
    #[error("{0}")]
    Unavailable(String),
    /// Headers or URI beyond the limits.
    #[error("{0}")]
    TooLarge(&'static str, StatusCode),
    /// No answer within the request timeout.
    #[error("no answer within {} s (request_timeout_secs); try again", .0.as_secs_f64())]
    TimedOut(Duration),
    /// A bug or a failed background task; details go to the log only.
    #[error("internal error")]
    Internal(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooLarge(_, status) => *status,
            AppError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = ApiError {
            error: self.to_string(),
        };
        let mut response = (status, axum::Json(body)).into_response();
        if matches!(self, AppError::MethodNotAllowed(_)) {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

/// The router: API, health, event stream and the frontend, with security
/// headers, CORS (configured origins only), limits, a timeout and tracing.
pub fn app(state: AppState) -> Router {
    let settings = state.settings().clone();
    let csp = content_security_policy(&state);
    let api = Router::new()
        .route("/api/roadmap", get(roadmap_show))
        .route("/api/milestones/{*id}", get(milestone_show))
        .route("/api/teams", get(teams_list))
        .route("/api/documents", get(documents_list))
        .route("/api/diagnostics", get(diagnostics_list))
        .route("/api/export.md", get(export_show))
        .route("/api/events", get(events_stream))
        .route("/healthz", get(health_show))
        .route("/readyz", get(ready_show))
        .fallback(frontend_show)
        .method_not_allowed_fallback(method_refuse)
        .with_state(state);

    let cors = (!settings.cors_origins.is_empty()).then(|| {
        let origins: Vec<HeaderValue> = settings
            .cors_origins
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::HEAD])
            .allow_headers([header::IF_NONE_MATCH, header::ACCEPT, header::CACHE_CONTROL])
            .expose_headers([header::ETAG])
            .max_age(Duration::from_secs(3600))
    });
    // One stack, outermost first, added to the router in one `layer` call:
    // each `Router::layer` boxes every route again, and a boxed route is
    // cloned on every request.
    let stack = ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        // Fixed values, without a boxed middleware. The policy headers go
        // on everything but the frontend's scripts, wasm, styles and
        // images: browsers apply a CSP and a referrer policy to documents
        // (and workers), so on those files they would only cost bytes on
        // every card load.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            |response: &Response<_>| {
                (!is_subresource(response))
                    .then(|| HeaderValue::from_static("strict-origin-when-cross-origin"))
            },
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            move |response: &Response<_>| (!is_subresource(response)).then(|| csp.clone()),
        ))
        .option_layer(cors)
        // Sizes as declared, each refused with a JSON error. No handler
        // reads a body, so a chunked one is never read into memory.
        .layer(CheckLimitsLayer)
        .layer(RequestTimeoutLayer::new(settings.request_timeout));
    api.layer(stack)
}

/// Answers up to this size are compressed at the best levels.
const SMALL_ANSWER_BYTES: usize = 64 * 1024;

/// A script, wasm module, style sheet or image: a file a document loads,
/// never a document itself.
fn is_subresource<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| {
            kind.starts_with("application/wasm")
                || kind.starts_with("text/javascript")
                || kind.starts_with("application/javascript")
                || kind.starts_with("text/css")
                || kind.starts_with("image/")
        })
}

/// The CSP: same-origin everything, wasm allowed, Trunk's inline loader
/// allowed by hash, framing only by the configured ancestors.
fn content_security_policy(state: &AppState) -> HeaderValue {
    let mut script_src = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script_src.extend(state.assets().inline_script_hashes().iter().cloned());
    let policy = format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors {}",
        script_src.join(" "),
        state.settings().frame_ancestors.join(" "),
    );
    // The config validated every part; fall back to the strictest policy anyway.
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'self'"))
}

async fn method_refuse(method: Method) -> AppError {
    AppError::MethodNotAllowed(method)
}

/// The query of a roadmap request: the filter, an optional `today` override
/// and, for the export, the grouping.
struct RoadmapQuery {
    filter: Filter,
    today: Option<NaiveDate>,
    grouping: Grouping,
}

impl RoadmapQuery {
    fn parse(raw: Option<&str>) -> Result<RoadmapQuery, AppError> {
        let pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = raw
            .map(|query| form_urlencoded::parse(query.as_bytes()).collect())
            .unwrap_or_default();
        let filter = Filter::from_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
            .map_err(|error| AppError::BadRequest(error.to_string()))?;
        let mut today = None;
        let mut grouping = Grouping::Document;
        for (key, value) in &pairs {
            match key.as_ref() {
                "today" if !value.trim().is_empty() => {
                    today = Some(NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(
                        |_| {
                            AppError::BadRequest(format!(
                                "today: '{value}' is not a date like 2026-01-20"
                            ))
                        },
                    )?);
                }
                "group_by" if !value.trim().is_empty() => {
                    grouping = Grouping::parse(value).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "group_by: unknown grouping '{value}'; use document or team"
                        ))
                    })?;
                }
                _ => {}
            }
        }
        Ok(RoadmapQuery {
            filter,
            today,
            grouping,
        })
    }

    /// True when the answer is the whole current snapshot.
    fn is_unfiltered(&self) -> bool {
        self.filter.is_empty() && self.today.is_none()
    }

    /// The roadmap this query asks for (a fresh copy: statuses recomputed
    /// for `today` when overridden, then filtered).
    fn roadmap(&self, snapshot: &Snapshot, due_soon_days: i64) -> Roadmap {
        match self.today {
            Some(today) => {
                let mut roadmap = snapshot.roadmap.clone();
                compute_statuses(&mut roadmap, today, due_soon_days);
                self.filter.apply(&roadmap)
            }
            None => self.filter.apply(&snapshot.roadmap),
        }
    }
}

/// What an endpoint makes of the roadmap a query selects.
#[derive(Clone, Copy, Debug)]
enum View {
    Roadmap,
    Teams,
    Documents,
    Diagnostics,
    Export,
}

impl View {
    fn name(self) -> &'static str {
        match self {
            View::Roadmap => "roadmap",
            View::Teams => "teams",
            View::Documents => "documents",
            View::Diagnostics => "diagnostics",
            View::Export => "export",
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            View::Export => "text/markdown; charset=utf-8",
            _ => "application/json",
        })
    }

    fn render(self, roadmap: &Roadmap, grouping: Grouping) -> Vec<u8> {
        // Serializing the shared model types cannot fail.
        match self {
            View::Roadmap => serde_json::to_vec(roadmap),
            View::Teams => serde_json::to_vec(&roadmap.teams),
            View::Documents => serde_json::to_vec(&roadmap.documents),
            View::Diagnostics => serde_json::to_vec(&roadmap.diagnostics),
            View::Export => Ok(markdown_report(roadmap, grouping).into_bytes()),
        }
        .unwrap_or_default()
    }
}

/// Answers a roadmap-derived endpoint. The unfiltered roadmap is the
/// snapshot's precomputed body; any other answer is built once per revision
/// and query (off the async threads), then served from the cache. The
/// request's head is taken whole: its query and headers are read, not copied.
async fn respond_view(state: AppState, view: View, request: Parts) -> Result<Response, AppError> {
    let raw_query = request.uri.query();
    let headers = &request.headers;
    let snapshot = state.snapshot();
    let revision = snapshot.roadmap.revision;
    // The request's own query string is the key: a card asks with the same
    // string on every load, so a hit needs no parsing. Only queries that
    // parsed are ever stored.
    let key = format!("{}?{}", view.name(), raw_query.unwrap_or(""));
    let body = match state.responses().get(revision, &key) {
        Some(body) => body,
        None => {
            let query = RoadmapQuery::parse(raw_query)?;
            if matches!(view, View::Roadmap) && query.is_unfiltered() {
                return Ok(snapshot.full().await.respond(headers));
            }
            build_view(&state, view, query, snapshot, key).await?
        }
    };
    let mut response = body.respond(headers);
    if matches!(view, View::Export) {
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("inline; filename=\"roadmap.md\""),
        );
    }
    Ok(response)
}

/// Builds, compresses and caches one answer, a few at a time.
async fn build_view(
    state: &AppState,
    view: View,
    query: RoadmapQuery,
    snapshot: Arc<Snapshot>,
    key: String,
) -> Result<Arc<Precompressed>, AppError> {
    let revision = snapshot.roadmap.revision;
    let permit = state
        .builders()
        .clone()
        .acquire_owned()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    // Another request may have built it while this one waited.
    if let Some(body) = state.responses().get(revision, &key) {
        return Ok(body);
    }
    let due_soon_days = state.settings().due_soon_days;
    let built = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let bytes = if query.is_unfiltered() {
            view.render(&snapshot.roadmap, query.grouping)
        } else {
            view.render(&query.roadmap(&snapshot, due_soon_days), query.grouping)
        };
        let body = Precompressed::new(
            bytes.into(),
            view.content_type(),
            HeaderValue::from_static("no-cache"),
        );
        // The first request for this query waits for the compression: the
        // best levels for a small answer (a card's entity: a few KB, about a
        // millisecond), quick ones for a large one.
        if body.identity().len() <= SMALL_ANSWER_BYTES {
            body.compress_with(9, 11);
        } else {
            body.compress_with(6, 5);
        }
        Arc::new(body)
    })
    .await
    .map_err(|error| AppError::Internal(error.to_string()))?;
    state.responses().insert(revision, key, built.clone());
    Ok(built)
}

/// `GET /api/roadmap`: the whole roadmap or a filtered copy.
async fn roadmap_show(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    respond_view(state, View::Roadmap, request.into_parts().0).await
}

/// `GET /api/teams` (accepts the roadmap filters).
async fn teams_list(State(state): State<AppState>, request: Request) -> Result<Response, AppError> {
    respond_view(state, View::Teams, request.into_parts().0).await
}

/// `GET /api/documents` (accepts the roadmap filters).
async fn documents_list(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    respond_view(state, View::Documents, request.into_parts().0).await
}

/// `GET /api/diagnostics` (accepts the roadmap filters).
async fn diagnostics_list(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    respond_view(state, View::Diagnostics, request.into_parts().0).await
}

/// `GET /api/export.md`: the markdown status report, same filters plus
/// `group_by=document|team`.
async fn export_show(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    respond_view(state, View::Export, request.into_parts().0).await
}

/// `GET /api/milestones/{id}`: one milestone (ids may contain `/`).
async fn milestone_show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let query = RoadmapQuery::parse(query.as_deref())?;
    let snapshot = state.snapshot();
    let not_found = || AppError::NotFound(format!("no milestone with id '{id}'"));
    let index = snapshot.milestone_position(&id).ok_or_else(not_found)?;
    let milestone = match query.today {
        Some(today) => {
            // Status depends on dependencies, so the whole roadmap is recomputed.
            let mut roadmap = snapshot.roadmap.clone();
            compute_statuses(&mut roadmap, today, state.settings().due_soon_days);
            roadmap.milestones.get(index).cloned()
        }
        None => snapshot.roadmap.milestones.get(index).cloned(),
    }
    .ok_or_else(not_found)?;
    // Serializing the shared model types cannot fail.
    let body = serde_json::to_vec(&milestone).unwrap_or_default();
    Ok(negotiated(&headers, "application/json", body))
}

/// `GET /api/events`: the current revision first (see below), then one
/// `{"revision": N}` event per reload. The number of open streams is
/// bounded; beyond it, 503.
async fn events_stream(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let permit = state.sse_slots().clone().try_acquire_owned().map_err(|_| {
        AppError::Unavailable("too many open event streams; retry later".to_string())
    })?;
    let receiver = state.subscribe();
    let shutdown = state.shutdown_signal();
    // Every new stream starts with the current revision, so a page that
    // fetched the roadmap just before a reload (and before its stream opened)
    // still hears of it; pages ignore a revision they already show. A
    // reconnecting client that has seen the current revision gets nothing;
    // one that saw any other (older, or from before a restart, when
    // revisions began again at 1) gets the current one.
    let current = state.snapshot().roadmap.revision;
    let seen = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok());
    let missed = (seen != Some(current)).then_some(current);

    struct EventStreamState {
        receiver: tokio::sync::broadcast::Receiver<u64>,
        shutdown: tokio::sync::watch::Receiver<bool>,
        pending: Option<u64>,
        _permit: tokio::sync::OwnedSemaphorePermit,
    }
    let start = EventStreamState {
        receiver,
        shutdown,
        pending: missed,
        _permit: permit,
    };
    let events = stream::unfold(start, |mut stream| async move {
        if let Some(revision) = stream.pending.take() {
            return Some((Ok(reload_event(revision)), stream));
        }
        if *stream.shutdown.borrow() {
            return None;
        }
        loop {
            tokio::select! {
                received = stream.receiver.recv() => match received {
                    Ok(revision) => return Some((Ok(reload_event(revision)), stream)),
                    // Missed some reloads: the newest is what matters.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                _ = stream.shutdown.changed() => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn reload_event(revision: u64) -> Event {
    let data = serde_json::to_string(&ReloadEvent { revision })
        .unwrap_or_else(|_| format!("{{\"revision\":{revision}}}"));
    Event::default().id(revision.to_string()).data(data)
}

/// `GET /healthz`: the process answers.
async fn health_show() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: sources have been read at least once.
async fn ready_show(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    if state.is_ready() {
        let snapshot = state.snapshot();
        // `compressed` tells benchmarks and probes that gzip/br forms of the
        // current revision are ready.
        Ok(axum::Json(serde_json::json!({
            "status": "ready",
            "revision": snapshot.roadmap.revision,
            "compressed": snapshot.full_if_ready().is_some_and(|body| body.is_compressed()),
        })))
    } else {
        Err(AppError::Unavailable(
            "sources have not been read yet".to_string(),
        ))
    }
}

/// Everything else: an embedded frontend file, or `index.html` for client
/// routes. Only embedded files exist here: nothing is read from disk.
async fn frontend_show(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    if method != Method::GET && method != Method::HEAD {
        return Err(AppError::MethodNotAllowed(method));
    }
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return Err(AppError::NotFound(format!("no API endpoint at {path}")));
    }
    let not_found = || AppError::NotFound(format!("no file at {path}"));
    let decoded = percent_decode(path).ok_or_else(not_found)?;
    let relative = decoded.trim_start_matches('/');
    let segments: Vec<&str> = relative.split('/').collect();
    if segments
        .iter()
        .any(|segment| *segment == ".." || *segment == "." || segment.contains('\\'))
        || decoded.contains('\0')
    {
        return Err(not_found());
    }
    if let Some(file) = state.assets().get(relative) {
        return Ok(file.respond(&headers));
    }
    // A missing file (`/app.js`) is a 404; anything else is a client route.
    let last = segments.last().copied().unwrap_or("");
    if last.contains('.') && relative != "index.html" {
        return Err(not_found());
    }
    let mut response = state.assets().page(relative).respond(&headers);
    if method == Method::HEAD {
        *response.body_mut() = Body::empty();
    }
    Ok(response)
}

/// Decodes `%XX` escapes; `None` for malformed escapes or invalid UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_rejects_malformed_escapes() {
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/a%2Fb").as_deref(), Some("/a/b"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }
}
