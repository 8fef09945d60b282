//! The roadmap reader: markdown and YAML sources in, a [`Roadmap`] out.
//!
//! Placeholder while the reader is being written: the API is final, the
//! bodies return an empty roadmap.

use chrono::NaiveDate;

use crate::model::Roadmap;

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
    let mut reader = Reader::new(options.clone());
    for source in sources {
        reader.set_source(source.path, source.bytes);
    }
    reader.roadmap()
}

/// Incremental reader for the server's live reload: keeps each document's extraction.
#[derive(Debug)]
pub struct Reader {
    options: ReadOptions,
}

impl Reader {
    /// An empty reader.
    pub fn new(options: ReadOptions) -> Self {
        Reader { options }
    }

    /// Adds or replaces one document (only it is extracted again).
    pub fn set_source(&mut self, path: &str, bytes: &[u8]) {
        let _ = (path, bytes);
    }

    /// Forgets one document.
    pub fn remove_source(&mut self, path: &str) {
        let _ = path;
    }

    /// The options in use.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// Replaces the options (today, due-soon window, known teams).
    pub fn set_options(&mut self, options: ReadOptions) {
        self.options = options;
    }

    /// The roadmap of every source set so far, resolved and with statuses.
    pub fn roadmap(&mut self) -> Roadmap {
        let mut roadmap = Roadmap::default();
        crate::status::compute_statuses(
            &mut roadmap,
            self.options.today,
            self.options.due_soon_days,
        );
        roadmap
    }
}
