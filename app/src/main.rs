//! Entry point of the browser app: mounts the router on the page Trunk serves.

#[cfg(target_arch = "wasm32")]
fn main() {
    milepost_app::ui::mount();
}

/// The app only runs in a browser; natively this binary does nothing, so that
/// `cargo test -p milepost-app` can test the logic modules on the host.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
