//! Reader benchmarks over the generated 2,000-document corpus (numbers in `BENCHMARKS.md`).
//!
//! - `parse/pulldown-cmark floor`: a bare pulldown-cmark event loop (tables, task
//!   lists, strikethrough, YAML metadata blocks on) over the same bytes the reader
//!   gets; the cost no reader built on pulldown-cmark can go below.
//! - `parse/read`: the full reader (extraction, resolution, statuses) over every document.
//! - `incremental/set_source+roadmap`: with the corpus read, one document changes and
//!   the roadmap is asked for again (the server's live-reload path).

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use milepost_bench::{Corpus, generate};
use milepost_shared::read::{ReadOptions, Reader, Source, read};
use pulldown_cmark::{Options, Parser};

/// Documents in the benchmark corpus.
const DOCS: usize = 2000;

/// The date statuses are computed for; fixed so runs are comparable.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("2026-03-01 is a date")
}

/// The markdown extensions the floor turns on (the forms the reader needs).
fn floor_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

fn sources(corpus: &Corpus) -> Vec<Source<'_>> {
    corpus
        .docs
        .iter()
        .map(|doc| Source {
            path: &doc.path,
            bytes: doc.text.as_bytes(),
        })
        .collect()
}

fn parse(c: &mut Criterion) {
    let corpus = generate(DOCS);
    let sources = sources(&corpus);
    let options = ReadOptions::new(today());

    let mut group = c.benchmark_group("parse");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));

    // The floor and the reader see the same bytes: every document, the YAML
    // roadmaps included (pulldown-cmark reads them as paragraphs).
    group.throughput(Throughput::BytesDecimal(corpus.total_bytes() as u64));
    group.bench_function("pulldown-cmark floor", |b| {
        b.iter(|| {
            let mut events = 0usize;
            for doc in &corpus.docs {
                for event in Parser::new_ext(&doc.text, floor_options()) {
                    black_box(&event);
                    events += 1;
                }
            }
            events
        })
    });
    group.bench_function("read", |b| b.iter(|| read(black_box(&sources), &options)));

    // The markdown documents alone, for a floor without the YAML files.
    group.throughput(Throughput::BytesDecimal(corpus.markdown_bytes() as u64));
    group.bench_function("pulldown-cmark floor, markdown only", |b| {
        b.iter(|| {
            let mut events = 0usize;
            for doc in corpus.docs.iter().filter(|doc| doc.is_markdown()) {
                for event in Parser::new_ext(&doc.text, floor_options()) {
                    black_box(&event);
                    events += 1;
                }
            }
            events
        })
    });
    group.finish();
}

fn incremental(c: &mut Criterion) {
    let corpus = generate(DOCS);
    let mut reader = Reader::new(ReadOptions::new(today()));
    for doc in &corpus.docs {
        reader.set_source(&doc.path, doc.text.as_bytes());
    }
    black_box(reader.roadmap());

    // Alternate between two versions of one document so every iteration is a
    // real change: the edited one gains a finished task and a changed status.
    let changed = corpus
        .docs
        .iter()
        .find(|doc| doc.is_markdown())
        .map_or_else(|| corpus.docs[0].clone(), Clone::clone);
    let original = changed.text.clone();
    let edited = format!(
        "{}\n- [x] **Extra task** — added in an edit (owner: Platform) (target 2026-04-01).\n",
        original.replacen("| Planned |", "| ✅ Done |", 1)
    );
    let versions = [original.into_bytes(), edited.into_bytes()];

    let mut group = c.benchmark_group("incremental");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));
    let mut flip = 0usize;
    group.bench_function("set_source+roadmap (1 of 2000 changed)", |b| {
        b.iter(|| {
            flip ^= 1;
            reader.set_source(&changed.path, &versions[flip]);
            reader.roadmap()
        })
    });
    group.finish();
}

criterion_group!(benches, parse, incremental);
criterion_main!(benches);
