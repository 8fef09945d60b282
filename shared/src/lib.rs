//! Milepost's shared model: the JSON contract types, the view logic both the
//! server and the app use (filters, ordering, date wording), and — behind the
//! `parse` feature — the reader that turns roadmap documents into a [`Roadmap`].
//!
//! Invariant: nothing here does IO. Callers pass bytes and `today`.

pub mod display;
pub mod filter;
mod hash;
pub mod model;
#[cfg(feature = "parse")]
pub mod read;
pub mod report;
pub mod status;

pub use filter::Filter;
pub use model::*;
pub use status::compute_statuses;
