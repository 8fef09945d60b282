//! Fixture loading shared by the integration tests.
