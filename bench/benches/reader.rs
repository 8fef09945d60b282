//! Reader benchmarks over the generated 2,000-document corpus (numbers in `BENCHMARKS.md`).
//!
//! - `parse/pulldown-cmark floor`: a bare pulldown-cmark event loop (tables, task
//!   lists, strikethrough, YAML metadata blocks on) over the same bytes the reader
//!   gets; the cost no reader built on pulldown-cmark can go below.
//! - `parse/pulldown-cmark with ranges, items found`: the same parse with
//!   byte ranges, noting where list items, table rows and headings are: the
//!   least a reader that must say where each milestone is does on top of the floor.
//! - `parse/read`: the full reader (extraction, resolution, statuses) over every document;
//!   `…, roadmap freed untimed` the same with the returned roadmap dropped
//!   outside the timing.
//! - `parse/owned model: copied and freed`: the roadmap a read returns, copied
//!   (every string allocated again) and freed, without reading: what building
//!   and freeing the returned model costs by itself.
//! - `incremental/set_source+roadmap`: with the corpus read, one document changes and
//!   the roadmap is asked for again (the server's live-reload path).
//!
//! Each group runs twice: in wall-clock time, and as `…-cpu` in the CPU time of
//! the whole benchmark process (every thread: a full read extracts documents on
//! several), which other processes on a shared machine disturb far less; the
//! floor/reader ratio is read from the latter.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use milepost_bench::{Corpus, generate};
use milepost_shared::model::Roadmap;
use milepost_shared::read::{ReadOptions, Reader, Source, read};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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

fn parse<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let corpus = generate(DOCS);
    let sources = sources(&corpus);
    let options = ReadOptions::new(today());

    let mut group = c.benchmark_group(group_name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));

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
    // The least a reader built on pulldown-cmark does: the same parse with
    // each event's byte range, noting where list items, table rows and
    // headings are (no text copied, nothing read from them).
    group.bench_function("pulldown-cmark with ranges, items found", |b| {
        let mut found: Vec<(u8, usize, usize)> = Vec::new();
        b.iter(|| {
            let mut count = 0usize;
            for doc in &corpus.docs {
                found.clear();
                for (event, range) in Parser::new_ext(&doc.text, floor_options()).into_offset_iter()
                {
                    let kind = match event {
                        Event::Start(Tag::Item) => 0,
                        Event::TaskListMarker(checked) => 1 + u8::from(checked),
                        Event::End(TagEnd::TableRow | TagEnd::TableHead) => 3,
                        Event::End(TagEnd::Heading(_)) => 4,
                        _ => continue,
                    };
                    found.push((kind, range.start, range.end));
                }
                count += black_box(&found).len();
            }
            count
        })
    });
    group.bench_function("read", |b| b.iter(|| read(black_box(&sources), &options)));
    // The same read with the returned roadmap freed after the timing: what
    // the reader itself costs, apart from the caller's freeing of 50,000
    // milestones (which `milepost export` leaves to the process exit and
    // the server does when a newer roadmap replaces it).
    group.bench_function("read, roadmap freed untimed", |b| {
        b.iter_batched(
            || (),
            |()| read(black_box(&sources), &options),
            BatchSize::PerIteration,
        )
    });
    // What the returned model costs by itself: every document, milestone,
    // team and diagnostic of the read roadmap copied (each string allocated
    // and copied again) and freed, with no reading at all.
    let roadmap = read(&sources, &options);
    group.bench_function("owned model: copied and freed", |b| {
        b.iter(|| drop(black_box(deep_copy(&roadmap))))
    });

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

/// A copy of `roadmap` that shares nothing with it: every `Arc` of it
/// copied into a new one.
fn deep_copy(roadmap: &Roadmap) -> Roadmap {
    fn each<T: Clone>(items: &[Arc<T>]) -> Vec<Arc<T>> {
        items.iter().map(|item| Arc::new(T::clone(item))).collect()
    }
    Roadmap {
        documents: each(&roadmap.documents),
        milestones: each(&roadmap.milestones),
        teams: each(&roadmap.teams),
        diagnostics: each(&roadmap.diagnostics),
        today: roadmap.today,
        revision: roadmap.revision,
        markers: roadmap.markers.clone(),
    }
}

fn incremental<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let corpus = generate(DOCS);
    let mut reader = Reader::new(ReadOptions::new(today()));
    for doc in &corpus.docs {
        reader.set_source(&doc.path, doc.text.as_bytes());
    }
    black_box(reader.roadmap());

    let changed = corpus
        .docs
        .iter()
        .find(|doc| doc.is_markdown())
        .map_or_else(|| corpus.docs[0].clone(), Clone::clone);
    let original = changed.text.clone();
    // Each case alternates between the original and one edit, so every
    // iteration is a real change of the kind named.
    let cases = [
        // The common edit: a status changes and a finished task is added.
        (
            "set_source+roadmap (1 of 2000 changed)",
            format!(
                "{}\n- [x] **Extra task** — added in an edit (owner: Platform) (target 2026-04-01).\n",
                original.replacen("| Planned |", "| ✅ Done |", 1)
            ),
        ),
        // A new dependency on another document's milestone: the graph
        // changes, so cycles are looked for again over the whole roadmap.
        (
            "set_source+roadmap, a dependency added",
            format!(
                "{original}\n- [ ] **Extra task** — follow-up (owner: Platform) (target 2026-04-01). Depends on: D1-M1\n"
            ),
        ),
        // A title and an id change: every dependency that named either is
        // resolved again.
        (
            "set_source+roadmap, a title and an id changed",
            original.replacen(
                "| D0-M1 | Migrate service token |",
                "| D0-M1a | Migrate service tokens |",
                1,
            ),
        ),
    ];

    let mut group = c.benchmark_group(group_name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    for (name, edited) in cases {
        let versions = [original.clone().into_bytes(), edited.into_bytes()];
        let mut flip = 0usize;
        group.bench_function(name, |b| {
            b.iter(|| {
                flip ^= 1;
                reader.set_source(&changed.path, &versions[flip]);
                reader.roadmap()
            })
        });
    }
    group.finish();
}

fn wall_clock(c: &mut Criterion) {
    parse(c, "parse");
    incremental(c, "incremental");
}

fn cpu_time(c: &mut Criterion<ProcessCpuTime>) {
    parse(c, "parse-cpu");
    incremental(c, "incremental-cpu");
}

/// CPU time of the whole process (all its threads), in nanoseconds. It
/// counts the work done, on however many cores, without the time spent
/// waiting for a core other processes hold.
struct ProcessCpuTime;

impl ProcessCpuTime {
    fn now() -> u64 {
        u64::try_from(cpu_time::ProcessTime::now().as_duration().as_nanos()).unwrap_or(u64::MAX)
    }
}

impl Measurement for ProcessCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        Self::now()
    }

    fn end(&self, started: u64) -> u64 {
        Self::now().saturating_sub(started)
    }

    fn add(&self, left: &u64, right: &u64) -> u64 {
        left + right
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuTimeFormatter
    }
}

/// Formats nanoseconds of CPU time like criterion formats wall time, and bytes as MB/s.
struct CpuTimeFormatter;

impl ValueFormatter for CpuTimeFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns cpu")
        } else if typical < 1e6 {
            (1e-3, "µs cpu")
        } else if typical < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        for value in values {
            *value *= factor;
        }
        unit
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let (amount, unit) = match *throughput {
            Throughput::Bytes(bytes) | Throughput::BytesDecimal(bytes) => {
                (bytes as f64 / 1e6, "MB/s cpu")
            }
            Throughput::Bits(bits) => (bits as f64 / 1e6, "Mb/s cpu"),
            Throughput::Elements(elements) => (elements as f64, "elem/s cpu"),
            Throughput::ElementsAndBytes { elements, .. } => (elements as f64, "elem/s cpu"),
        };
        for value in values {
            *value = amount / (*value * 1e-9);
        }
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

criterion_group!(wall, wall_clock);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ProcessCpuTime);
    targets = cpu_time
}
criterion_main!(wall, cpu);
