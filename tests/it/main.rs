//! The one integration-test binary: each module below covers one area.

mod corpus;
mod robustness;
mod rules;
mod support;
