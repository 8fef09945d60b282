//! Milepost's integration tests live in `tests/it/`; this library is empty.
