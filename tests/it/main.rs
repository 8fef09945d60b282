//! The one integration-test binary: each module below covers one area.

mod browser;
mod cli;
mod corpus;
mod http;
mod live;
mod robustness;
mod rules;
mod support;
