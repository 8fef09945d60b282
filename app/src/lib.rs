//! Milepost's browser app: the leadership view (`/`) and the Backstage card (`/card`).
//!
//! The logic a person notices — which milestones show, in what order, where a
//! bar sits on the timeline, what the URL says — lives in plain modules that
//! compile and are tested natively. The Leptos components in [`ui`] (wasm only)
//! only wire that logic to the DOM and the server's API.

pub mod card;
pub mod facets;
pub mod query;
pub mod route;
pub mod search;
pub mod sorting;
pub mod summary;
pub mod table;
pub mod teams;
pub mod timeline;

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(target_arch = "wasm32")]
pub mod ui;
