//! Fuzz target: `read` must never panic and must terminate on any bytes,
//! read as markdown, as YAML, and as both next to a catalog file.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use milepost_shared::read::{ReadOptions, Source, read};

fuzz_target!(|bytes: &[u8]| {
    let Some(today) = NaiveDate::from_ymd_opt(2026, 1, 20) else {
        return;
    };
    let options = ReadOptions::new(today);
    for path in [
        "docs/plan.md",
        "docs/plan.roadmap.yaml",
        "catalog-info.yaml",
    ] {
        let _ = read(&[Source { path, bytes }], &options);
    }
    let _ = read(
        &[
            Source {
                path: "catalog-info.yaml",
                bytes,
            },
            Source {
                path: "docs/plan.md",
                bytes,
            },
        ],
        &options,
    );
});
