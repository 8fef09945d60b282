//! rules tests (being written).
