//! The `milepost` binary's library: the CLI, the HTTP API ([`app`]), live
//! reload and the embedded frontend. All of Milepost's IO lives here; the
//! reading itself is `milepost_shared::read`.

pub mod assets;
pub mod cache;
pub mod cli;
pub mod config;
pub mod encoding;
pub mod http;
pub mod limits;
pub mod sources;
pub mod state;
pub mod watch;

use std::future::Future;

use axum::serve::ListenerExt as _;
use milepost_shared::read::ReadOptions;
use tokio::net::TcpListener;

pub use http::{AppError, app};
pub use state::{AppState, HttpSettings};

use crate::config::ServeConfig;
use crate::sources::SourceError;
use crate::watch::{Library, WatchHandle};

/// A running server's state and file watcher (dropping it stops watching).
#[derive(Debug)]
pub struct Server {
    /// The shared state; [`app`] of it is the router.
    pub state: AppState,
    /// The live-reload watcher.
    pub watcher: WatchHandle,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A source root is missing or unreadable.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The watcher thread could not start.
    #[error("cannot start the file watcher: {0}")]
    Watch(std::io::Error),
}

impl Server {
    /// Reads every source, publishes revision 1 and starts watching. Call
    /// inside a tokio runtime.
    pub fn start(config: &ServeConfig) -> Result<Server, ServeError> {
        let today = config.today.unwrap_or_else(watch::local_today);
        let mut options = ReadOptions::new(today);
        options.due_soon_days = config.due_soon_days;
        options.known_teams = config.teams.clone();
        let library = Library::open(&config.sources, options, config.today)?;
        let state = AppState::new(HttpSettings {
            frame_ancestors: config.frame_ancestors.clone(),
            cors_origins: config.cors_origins.clone(),
            max_sse_clients: config.max_sse_clients,
            request_timeout: config.request_timeout,
            due_soon_days: config.due_soon_days,
        });
        let assets = state.assets().clone();
        tokio::task::spawn_blocking(move || assets.compress_all());
        let watcher = watch::watch(library, state.clone()).map_err(ServeError::Watch)?;
        Ok(Server { state, watcher })
    }

    /// Serves HTTP on `listener` until `shutdown` completes, then ends open
    /// event streams and finishes in-flight requests.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = self.state.clone();
        let router = app(self.state.clone());
        // Responses are written whole: without TCP_NODELAY, Nagle's algorithm
        // holds back each response's last segment until the previous ACK.
        let listener = listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY");
            }
        });
        let timer_floor = limits::spawn_timer_floor();
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                shutdown.await;
                state.begin_shutdown();
            })
            .await;
        timer_floor.abort();
        served
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
