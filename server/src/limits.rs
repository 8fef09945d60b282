//! Request limits as plain tower services (no boxed middleware): size limits
//! checked before any handler runs (an over-long request target gets 414,
//! oversized headers 431, a body declared over the limit 413, each with a
//! JSON error), and the request timeout (408) with the timer
//! floor that keeps setting it cheap.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use pin_project_lite::pin_project;
use tokio::time::Sleep;
use tower::{Layer, Service};

use crate::http::AppError;

/// Largest total size of the request headers (name + value bytes).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Longest request target (path and query).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest request body: the API takes none, so this only bounds what a
/// stray client can make the server read.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Wraps a service in [`CheckLimits`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckLimitsLayer;

impl<S> Layer<S> for CheckLimitsLayer {
    type Service = CheckLimits<S>;

    fn layer(&self, inner: S) -> CheckLimits<S> {
        CheckLimits { inner }
    }
}

/// Refuses requests over [`MAX_URI_BYTES`], [`MAX_HEADER_BYTES`] or (by
/// their `Content-Length`) [`MAX_BODY_BYTES`]; passes the others to the
/// inner service.
#[derive(Clone, Debug)]
pub struct CheckLimits<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for CheckLimits<S>
where
    S: Service<Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match refusal(&request) {
            Some(refused) => Either::Left(ready(Ok(refused))),
            None => Either::Right(self.inner.call(request)),
        }
    }
}

/// The error answer for a request over a limit, if it is.
fn refusal<B>(request: &Request<B>) -> Option<Response> {
    let uri_length = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if uri_length > MAX_URI_BYTES {
        return Some(
            AppError::TooLarge("request URI too long", StatusCode::URI_TOO_LONG).into_response(),
        );
    }
    let declared_body = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared_body.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Some(
            AppError::TooLarge(
                "request body too large (the API takes no body)",
                StatusCode::PAYLOAD_TOO_LARGE,
            )
            .into_response(),
        );
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    (header_bytes > MAX_HEADER_BYTES).then(|| {
        AppError::TooLarge(
            "request headers too large",
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        )
        .into_response()
    })
}

/// Wraps a service in [`RequestTimeout`].
#[derive(Clone, Copy, Debug)]
pub struct RequestTimeoutLayer {
    timeout: Duration,
}

impl RequestTimeoutLayer {
    /// Answers 408 to requests not answered within `timeout`.
    pub fn new(timeout: Duration) -> RequestTimeoutLayer {
        RequestTimeoutLayer { timeout }
    }
}

impl<S> Layer<S> for RequestTimeoutLayer {
    type Service = RequestTimeout<S>;

    fn layer(&self, inner: S) -> RequestTimeout<S> {
        RequestTimeout {
            inner,
            timeout: self.timeout,
        }
    }
}

/// Answers 408, with a JSON error like every other, when the inner service
/// takes longer than the timeout.
///
/// The timer is armed on every request, before the answer is polled, as
/// `tower_http::timeout` does. On its own, that woke the runtime's parked
/// worker on every request; [`spawn_timer_floor`], which `Server::run`
/// starts, keeps setting a request's timer from waking anything
/// (BENCHMARKS.md, "The timer floor").
#[derive(Clone, Debug)]
pub struct RequestTimeout<S> {
    inner: S,
    timeout: Duration,
}

impl<S, B> Service<Request<B>> for RequestTimeout<S>
where
    S: Service<Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Deadline<S::Future>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Deadline {
            inner: self.inner.call(request),
            sleep: tokio::time::sleep(self.timeout),
            timeout: self.timeout,
        }
    }
}

pin_project! {
    /// An answer that becomes a 408 if it is not ready within the timeout.
    pub struct Deadline<F> {
        #[pin]
        inner: F,
        #[pin]
        sleep: Sleep,
        timeout: Duration,
    }
}

impl<F, E> Future for Deadline<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if this.sleep.poll(context).is_ready() {
            return Poll::Ready(Ok(AppError::TimedOut(*this.timeout).into_response()));
        }
        this.inner.poll(context)
    }
}

/// Keeps a timer due within the next second in the runtime's timer wheel
/// while the returned task runs.
///
/// Tokio (1.54) wakes its I/O driver whenever a timer is set to fire before
/// the driver's next planned wake-up, and a driver that went to sleep with
/// an empty wheel plans none. A request's timeout is set and cancelled
/// within microseconds, so the wheel was empty most of the time, and every
/// request paid a write to the driver's eventfd and woke a parked worker:
/// about a fifth of the server's CPU per cached answer. With this tick
/// always due sooner than any request's deadline (timeouts are whole
/// seconds), setting a request's timer wakes nothing. Should tokio change
/// that rule, the cost is the old wake-up, never a missed timeout. The
/// price is one wake-up a second when idle.
pub fn spawn_timer_floor() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
        }
    })
}
