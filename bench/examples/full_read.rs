//! One full read of the generated 2,000-document corpus, for instruction-count
//! profiling (`valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*full_read::measured*'`): the corpus is generated outside
//! the measured part, then `read` runs once, and, for comparison, a bare
//! pulldown-cmark event loop over the same bytes (`floor`).

use std::hint::black_box;

use chrono::NaiveDate;
use milepost_bench::generate;
use milepost_shared::read::{ReadOptions, Source, read};
use pulldown_cmark::{Options, Parser};

fn main() {
    let corpus = generate(2000);
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let options = ReadOptions::new(today);
    let sources: Vec<Source<'_>> = corpus
        .docs
        .iter()
        .map(|doc| Source {
            path: &doc.path,
            bytes: doc.text.as_bytes(),
        })
        .collect();
    let texts: Vec<&str> = corpus.docs.iter().map(|doc| doc.text.as_str()).collect();
    measured(&sources, &options);
    floor(&texts);
}

/// The full read (the measured part).
#[inline(never)]
fn measured(sources: &[Source<'_>], options: &ReadOptions) {
    drop(black_box(read(black_box(sources), options)));
}

/// The bare pulldown-cmark event loop the benchmark calls the floor, for the ratio.
#[inline(never)]
fn floor(texts: &[&str]) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut events = 0usize;
    for text in texts {
        for event in Parser::new_ext(text, options) {
            black_box(&event);
            events += 1;
        }
    }
    black_box(events);
}
