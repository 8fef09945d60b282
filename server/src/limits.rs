//! Request size limits checked before any handler runs: an over-long request
//! target gets 414 and oversized headers 431. A plain tower service (no boxed
//! middleware), so a request within the limits costs two length checks.

use std::future::{Ready, ready};
use std::task::{Context, Poll};

use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use tower::{Layer, Service};

use crate::http::AppError;

/// Largest total size of the request headers (name + value bytes).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Longest request target (path and query).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Wraps a service in [`CheckLimits`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckLimitsLayer;

impl<S> Layer<S> for CheckLimitsLayer {
    type Service = CheckLimits<S>;

    fn layer(&self, inner: S) -> CheckLimits<S> {
        CheckLimits { inner }
    }
}

/// Refuses requests over [`MAX_URI_BYTES`] or [`MAX_HEADER_BYTES`]; passes
/// the others to the inner service.
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
