//! Milepost's browser app.

fn main() {}
