//! robustness tests (being written).
