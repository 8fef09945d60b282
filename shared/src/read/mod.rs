//! The roadmap reader: markdown and YAML sources in, a [`Roadmap`] out.
//!
//! One public entry ([`read`], or [`Reader`] for live reloads) over two
//! private stages: each document is extracted on its own into loose records
//! (`markdown`, `yaml`, `catalog` → `raw`), then one normalisation pass
//! (`assemble`) reads dates, states and owners, assigns ids, resolves
//! dependencies and computes statuses. Nothing here fails as a whole or
//! panics: every problem is a [`Diagnostic`](crate::Diagnostic) in the roadmap.
//!
//! # Grammar accepted
//!
//! Markdown (`.md` and anything not `.yaml`/`.yml`):
//! - front matter: a `---` YAML block at the top with `title`, `summary`/`description`, `last_updated`, `created`, `owner`/`owners`, `entity` or `component`/`system`
//! - document title: front matter `title`, else the first `# H1`, else the document stem
//! - roadmap table: a GFM table whose header has a title word and a target/owner/state/dependencies word, or a target word alone (title = first other column)
//! - header words (case-insensitive, markup, punctuation and `(notes)` dropped): see `fields::SYNONYMS`
//! - `#`/id column of plain numbers: row numbers, not ids
//! - title cell `T3.2 OpenLineage`: id `T3.2` + title; `~~title~~`: cancelled
//! - description cell starting with ✅ ✔️ ☑️ (done) or ❌ (cancelled): the state when no state column
//! - pipe rows whose delimiter row does not match the header: read against the header, with a warning
//! - `\|` is a literal pipe; a `|` inside a code span does not split a cell
//! - task item `- [ ]`/`- [x]` at the top level of a list: a milestone (not under an acceptance/success criteria, definition of done or checklist heading)
//! - nested task items: subtasks (progress done/total); nested plain bullets: description, and their inline fields count
//! - `**Lead** — text` / `**Lead**: text`: the lead is the title (a leading id token is the id), the text the description
//! - `**Team** — text` where every part of the lead is a known team: the owners; the title comes from the text
//! - `~~**Lead**~~`: cancelled
//! - no bold lead: title = text up to the first sentence end, dash or colon (at most 80 characters)
//! - inline fields: `(owner: X)`, `Owner: X`, `owners: X`, `(target D)`, `(due D)`, `due D`, `by D`, `target D`, `start D`, `Status: S`, `(cancelled D)`, `(completed D)`, `Depends on: X, Y`, `blocked by X`, `after ID`
//! - heading (any level) directly followed by a list of `**Field**: value` / `Field: value` items, one a recognised field word: a milestone; a leading id token in the heading is its id
//! - ownership section (heading word: ownership, owners, owner, teams, RACI, responsibilities): `- **Team** owns …`, `- **Team** team …`, `- **Team** — …`, `- **Team**: …`
//!
//! YAML (`.yaml`, `.yml`), told apart by content:
//! - `apiVersion` + `kind`: Backstage catalog (multi-document); `milepost.io/roadmap: a.md, b.yaml` or `dir:folder`, `backstage.io/techdocs-ref: dir:folder`, `spec.owner`; `kind: Group` gives a team its ref
//! - `milestones[].deliverables` + top-level `authors`: the public `roadmap.yml` schema (deliverable states TODO/DOING/DONE/SKIP; `timeline` → markers)
//! - any other top-level `milestones` list: native (`id`, `title`, `description`, `owners`/`owner`, `start`, `target`/`due`, `status`/`state`, `depends_on`/`dependencies`, `subtasks[{title, done}]`; `teams[{name, ref, responsibilities}]`)
//! - anything else: ignored without a diagnostic
//!
//! Values: dates per `dates` (day, month, quarter, half; yearless and horizon
//! forms), states per `states`, owners split per `owners`, dependencies
//! resolved per `resolve`. The rules a user sees are in `docs/reading-rules.md`.

mod assemble;
mod catalog;
mod dates;
mod fields;
mod ids;
mod lines;
mod live;
mod markdown;
mod owners;
mod raw;
mod render;
mod resolve;
mod states;
mod text;
mod yaml;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Roadmap, Severity};
use raw::{Extraction, Kind};

/// One source document handed to the reader.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// Path relative to its source root, with `/` separators.
    pub path: &'a str,
    /// The document's bytes (UTF-8 expected; read lossily otherwise).
    pub bytes: &'a [u8],
}

/// What the reader needs besides the sources.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The date statuses are computed for.
    pub today: NaiveDate,
    /// A target within this many days of `today` is "due soon" (default 14).
    pub due_soon_days: i64,
    /// Team names known beforehand (from configuration), used for owner matching.
    pub known_teams: Vec<String>,
}

impl ReadOptions {
    /// Options for `today` with the default due-soon window and no known teams.
    pub fn new(today: NaiveDate) -> Self {
        ReadOptions {
            today,
            due_soon_days: 14,
            known_teams: Vec::new(),
        }
    }
}

/// One-shot: all sources in, the roadmap (with diagnostics inside
/// `roadmap.diagnostics`) out. Never panics.
pub fn read(sources: &[Source<'_>], options: &ReadOptions) -> Roadmap {
    let documents: BTreeMap<&str, Extraction> = sources
        .iter()
        .map(|source| source.path)
        .zip(extract_all(sources))
        .collect();
    let mut documents: Vec<Extraction> = documents.into_values().collect();
    // One shot: nothing to keep for later, so no cache, and the
    // extractions' texts move into the roadmap.
    assemble::assemble(
        assemble::Documents::Spent(&mut documents),
        options,
        &assemble::Links::default(),
        None,
    )
    .finish()
}

/// Incremental reader for the server's live reload: keeps each document's
/// extraction and the last roadmap with its indexes, so a changed document
/// is the only one parsed again and, when its change stays inside it, the
/// only one assembled again (see `live`).
#[derive(Debug)]
pub struct Reader {
    options: ReadOptions,
    documents: BTreeMap<String, Extraction>,
    /// Each document's normalised output from the last `roadmap()`.
    normalised: assemble::NormalisedCache,
    /// "View source" links by path.
    links: assemble::Links,
    /// The last roadmap and its indexes; `None` until read, and after a
    /// change of options.
    live: Option<live::Live>,
    /// Documents changed since the last `roadmap()`, with what they were
    /// then (`None`: new).
    changed: BTreeMap<String, Option<Extraction>>,
    last: ReadKind,
}

/// How the last [`Reader::roadmap`] was made (for logs and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadKind {
    /// Nothing changed since the read before.
    #[default]
    Unchanged,
    /// Every document assembled together.
    Whole,
    /// This many changed documents folded into the last roadmap.
    Folded(usize),
}

/// Past this many changed documents, one whole assembly is cheaper than
/// folding them in one by one.
const MAX_FOLDED: usize = 32;

impl Reader {
    /// An empty reader.
    pub fn new(options: ReadOptions) -> Self {
        Reader {
            options,
            documents: BTreeMap::new(),
            normalised: assemble::NormalisedCache::default(),
            links: assemble::Links::default(),
            live: None,
            changed: BTreeMap::new(),
            last: ReadKind::Unchanged,
        }
    }

    /// Adds or replaces one document (only it is extracted again).
    pub fn set_source(&mut self, path: &str, bytes: &[u8]) {
        let extraction = extract(path, bytes);
        self.put(path, extraction);
    }

    /// Records a document that exists but could not be read (`reason`, such
    /// as "permission denied"): instead of vanishing, it gives the error
    /// [`unreadable`] makes, and nothing else.
    pub fn set_unreadable(&mut self, path: &str, reason: &str) {
        let mut extraction = Extraction::new(path);
        extraction.kind = Kind::Ignored;
        extraction.diagnostics.push(unreadable(path, reason));
        self.put(path, extraction);
    }

    /// Adds or replaces many documents at once, extracting them in parallel
    /// (a server's first read of its sources).
    pub fn set_sources(&mut self, sources: &[Source<'_>]) {
        for (source, extraction) in sources.iter().zip(extract_all(sources)) {
            self.put(source.path, extraction);
        }
    }

    fn put(&mut self, path: &str, extraction: Extraction) {
        let previous = self.documents.insert(path.to_string(), extraction);
        self.changed.entry(path.to_string()).or_insert(previous);
    }

    /// Sets (or clears) the "view source" link of a document: the URL of the
    /// file in its repository. Milestones link to their line (`#L12`).
    pub fn set_link(&mut self, path: &str, url: Option<String>) {
        let current = self.links.get(path);
        if current == url.as_ref() {
            return;
        }
        match url {
            Some(url) => self.links.insert(path.to_string(), url),
            None => self.links.remove(path),
        };
        // The document's milestones carry the link: a whole assembly.
        self.live = None;
    }

    /// Forgets one document.
    pub fn remove_source(&mut self, path: &str) {
        if let Some(previous) = self.documents.remove(path) {
            self.changed
                .entry(path.to_string())
                .or_insert(Some(previous));
        }
        self.normalised.remove(path);
    }

    /// How the last [`Reader::roadmap`] was made.
    pub fn last_read(&self) -> ReadKind {
        self.last
    }

    /// The options in use.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// Replaces the options (today, due-soon window, known teams).
    pub fn set_options(&mut self, options: ReadOptions) {
        self.options = options;
        self.live = None;
    }

    /// The roadmap of every source set so far, resolved and with statuses.
    pub fn roadmap(&mut self) -> Roadmap {
        let changed = std::mem::take(&mut self.changed);
        if let Some(live) = &mut self.live
            && changed.len() <= MAX_FOLDED
        {
            let documents = &self.documents;
            let (normalised, links, options) = (&mut self.normalised, &self.links, &self.options);
            // A fold that failed part-way (a bug) must not take the reader
            // down: the whole assembly below rebuilds everything it touched.
            let folded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                changed
                    .iter()
                    .all(|(path, previous)| match (previous, documents.get(path)) {
                        (Some(old), Some(new)) => live
                            .update(old, new, normalised, links, options, documents)
                            .is_ok(),
                        _ => false,
                    })
            }))
            .unwrap_or(false);
            if folded {
                self.last = if changed.is_empty() {
                    ReadKind::Unchanged
                } else {
                    ReadKind::Folded(changed.len())
                };
                return live.roadmap();
            }
        }
        for path in changed.keys() {
            self.normalised.remove(path);
        }
        let documents: Vec<&Extraction> = self.documents.values().collect();
        let assembly = assemble::assemble(
            assemble::Documents::Kept(&documents),
            &self.options,
            &self.links,
            Some(&mut self.normalised),
        );
        let live = live::Live::build(assembly, &documents, &self.normalised, &self.options);
        let roadmap = live.roadmap();
        self.live = Some(live);
        self.last = ReadKind::Whole;
        roadmap
    }
}

/// The error for a source document that exists but could not be read
/// (`reason`: what the system said, such as "permission denied").
pub fn unreadable(path: &str, reason: &str) -> crate::model::Diagnostic {
    crate::model::Diagnostic {
        path: path.to_string(),
        line: 1,
        severity: Severity::Error,
        message: format!(
            "cannot read this file ({reason}); nothing in it was read (check that the user Milepost runs as may read it)"
        ),
        entity: None,
    }
}

/// The most bytes read from one source: a roadmap document is a few
/// kilobytes, and a stray data dump must not fill the server's memory.
/// Callers may read one byte more than this and pass it on, so the reader
/// can say the file was too large.
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

/// Fewest documents worth a thread of their own.
const DOCUMENTS_PER_THREAD: usize = 64;

/// Extracts every source, in order, on as many threads as the machine
/// offers: one document's extraction never looks at another's, and it is
/// most of a full read's work.
fn extract_all(sources: &[Source<'_>]) -> Vec<Extraction> {
    map_on_every_core(sources.iter().collect(), |source| {
        extract(source.path, source.bytes)
    })
}

/// `items.into_iter().map(work).collect()`, on as many threads as the
/// machine offers (with at least [`DOCUMENTS_PER_THREAD`] items each), in
/// the items' order. Threads take the next item as they finish one, so a
/// few large documents do not leave the others idle.
pub(crate) fn map_on_every_core<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len() / DOCUMENTS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.into_iter().map(work).collect();
    }
    // Each item is taken once, by whichever thread gets to it first.
    let slots: Vec<std::sync::Mutex<Option<T>>> = items
        .into_iter()
        .map(|item| std::sync::Mutex::new(Some(item)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_and_work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(slot) = slots.get(index) else {
                return done;
            };
            let item = match slot.lock() {
                Ok(mut item) => item.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            };
            if let Some(item) = item {
                done.push((index, work(item)));
            }
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take_and_work)).collect();
        let mut done = take_and_work();
        for helper in helpers {
            // A panic in a thread is the reader's own bug: pass it on as if
            // the item had been worked on this thread.
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, output)| output).collect()
}

/// The first stage for one document: bytes in, loose records out.
fn extract(path: &str, bytes: &[u8]) -> Extraction {
    let mut extraction = Extraction::new(path);
    if bytes.len() > MAX_SOURCE_BYTES {
        extraction.kind = Kind::Ignored;
        extraction.diagnose(
            1,
            Severity::Error,
            format!(
                "file is larger than {} MiB, the most read from one document; it was not read (split it into smaller documents)",
                MAX_SOURCE_BYTES >> 20
            ),
        );
        return extraction;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lossy;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            extraction.diagnose(
                u32::try_from(line).unwrap_or(u32::MAX),
                Severity::Warning,
                "file is not valid UTF-8; invalid bytes were replaced with U+FFFD (save it as UTF-8)"
                    .to_string(),
            );
            lossy = String::from_utf8_lossy(bytes);
            &*lossy
        }
    };
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        yaml::extract_yaml(text, &mut extraction);
    } else {
        extraction.kind = Kind::Markdown;
        markdown::extract_markdown(text, &mut extraction);
    }
    extraction
}
