//! corpus tests (being written).
