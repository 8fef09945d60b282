//! Entry point of the Backstage card (`/card`): a wasm binary of its own, so
//! the card downloads none of the leadership view's code (timeline, table,
//! panels, router). Trunk builds it from `card.html`.

#[cfg(target_arch = "wasm32")]
fn main() {
    milepost_app::ui::mount_card();
}

/// The card only runs in a browser; natively this binary does nothing.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
