//! Entry point of the leadership view (`/` and any other client path). The
//! Backstage card is its own binary (`src/bin/milepost-card.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    milepost_app::ui::mount();
}

/// The app only runs in a browser; natively this binary does nothing, so that
/// `cargo test -p milepost-app` can test the logic modules on the host.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
