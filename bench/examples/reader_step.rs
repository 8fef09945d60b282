//! One incremental re-read, for instruction-count profiling (`valgrind
//! --tool=callgrind --collect-atstart=no --toggle-collect='*reader_step::step*'`):
//! the corpus is read once, then one document changes and the roadmap is
//! asked for again, a few times.

use std::hint::black_box;

use chrono::NaiveDate;
use milepost_bench::generate;
use milepost_shared::read::{ReadOptions, Reader};

fn main() {
    let corpus = generate(2000);
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let mut reader = Reader::new(ReadOptions::new(today));
    for doc in &corpus.docs {
        reader.set_source(&doc.path, doc.text.as_bytes());
    }
    black_box(reader.roadmap());
    let Some(changed) = corpus.docs.iter().find(|doc| doc.is_markdown()) else {
        return;
    };
    let edited = format!(
        "{}\n- [x] **Extra task** — added in an edit (owner: Platform) (target 2026-04-01).\n",
        changed.text.replacen("| Planned |", "| ✅ Done |", 1)
    );
    for round in 0..4 {
        let text = if round % 2 == 0 {
            &edited
        } else {
            &changed.text
        };
        step(&mut reader, &changed.path, text.as_bytes());
    }
}

/// One change and the roadmap after it (the measured part).
#[inline(never)]
fn step(reader: &mut Reader, path: &str, bytes: &[u8]) {
    reader.set_source(path, bytes);
    drop(black_box(reader.roadmap()));
}
