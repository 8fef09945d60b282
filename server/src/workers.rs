//! Serving on every core the way nginx does: one single-threaded runtime per
//! core, each serving the connections it was handed from start to end.
//!
//! One accept loop (on the caller's runtime) deals new connections to the
//! workers in turn, so each core gets the same number of connections
//! whichever thread the kernel happens to wake. Once handed over, a
//! connection's reads, writes and timers all stay on its worker's thread:
//! serving a request never wakes another thread, which a work-stealing
//! runtime does many times per request.

use std::future::Future;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::AppState;

/// A connection on its way to a worker.
type Handover = (std::net::TcpStream, SocketAddr);

/// Serves the API on `listener` with `workers` threads until `shutdown`
/// completes or a worker fails, then begins the state's shutdown (which the
/// workers' graceful shutdown and open event streams wait on) and waits for
/// every worker to finish its in-flight requests.
pub(crate) async fn serve(
    mut listener: TcpListener,
    state: &AppState,
    workers: usize,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = crate::app(state.clone());
    let local = listener.local_addr()?;
    let (finished, mut finishes) = mpsc::unbounded_channel::<()>();
    let mut inboxes = Vec::with_capacity(workers);
    let mut threads: Vec<JoinHandle<std::io::Result<()>>> = Vec::with_capacity(workers);
    for index in 0..workers.max(1) {
        let (inbox, connections) = mpsc::unbounded_channel::<Handover>();
        let router = router.clone();
        let stopped = state.shutdown_signal();
        let finished = finished.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("milepost-http-{index}"))
            .spawn(move || {
                let result = run_worker(Handed { connections, local }, router, stopped);
                if let Err(error) = &result {
                    tracing::error!(%error, worker = index, "HTTP worker stopped");
                }
                let _ = finished.send(());
                result
            });
        match spawned {
            Ok(thread) => {
                inboxes.push(inbox);
                threads.push(thread);
            }
            Err(error) => {
                state.begin_shutdown();
                drop(inboxes);
                join(threads).await?;
                return Err(error);
            }
        }
    }
    drop(finished);
    tokio::pin!(shutdown);
    let mut next = 0;
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            // A worker that fails stops them all: a server answering on
            // fewer cores than it has is worse than a clear exit.
            _ = finishes.recv() => break,
            // axum's accept logs errors and pauses on those that would
            // repeat at once (out of file descriptors).
            (stream, peer) = axum::serve::Listener::accept(&mut listener) => {
                // The worker registers the socket with its own runtime.
                match stream.into_std() {
                    Ok(stream) => {
                        if let Some(inbox) = inboxes.get(next) {
                            let _ = inbox.send((stream, peer));
                        }
                        next = (next + 1) % inboxes.len();
                    }
                    Err(error) => tracing::debug!(%error, "cannot hand a connection over"),
                }
            }
        }
    }
    state.begin_shutdown();
    drop(inboxes);
    join(threads).await
}

/// Waits for every worker thread, off the async runtime; the first error
/// wins.
async fn join(threads: Vec<JoinHandle<std::io::Result<()>>>) -> std::io::Result<()> {
    let panicked = || std::io::Error::other("an HTTP worker panicked");
    tokio::task::spawn_blocking(move || {
        threads
            .into_iter()
            .try_for_each(|thread| thread.join().unwrap_or_else(|_| Err(panicked())))
    })
    .await
    .unwrap_or_else(|_| Err(panicked()))
}

/// One worker: a single-threaded runtime serving the connections it is
/// handed until `stopped` turns true.
fn run_worker(
    connections: Handed,
    router: Router,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        axum::serve(connections, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|stopping| *stopping).await;
            })
            .await
    })
}

/// The connections handed to one worker, as an axum listener.
struct Handed {
    connections: mpsc::UnboundedReceiver<Handover>,
    local: SocketAddr,
}

impl axum::serve::Listener for Handed {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            let Some((stream, peer)) = self.connections.recv().await else {
                // The accept loop has ended, so shutdown has begun and the
                // graceful-shutdown future ends this worker.
                return std::future::pending().await;
            };
            match TcpStream::from_std(stream) {
                Ok(stream) => {
                    // Responses are written whole: without TCP_NODELAY,
                    // Nagle's algorithm holds back each response's last
                    // segment until the previous ACK.
                    if let Err(error) = stream.set_nodelay(true) {
                        tracing::debug!(%error, "cannot set TCP_NODELAY");
                    }
                    return (stream, peer);
                }
                Err(error) => tracing::debug!(%error, "cannot take a connection over"),
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}
