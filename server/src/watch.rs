//! Live reload: the [`Library`] keeps the incremental reader fed from the
//! source roots, and [`watch`] re-reads only the files that changed (notify
//! events, debounced), then publishes the next revision.
//!
//! A file that turns malformed only yields diagnostics; a deleted file or
//! folder drops out; a new one appears; a deleted source root drops its
//! documents and is watched for again, so the server keeps serving.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use milepost_shared::Roadmap;
use milepost_shared::read::{ReadOptions, Reader, Source};
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::SourceSpec;
use crate::sources::{Names, Root, SourceError, Unread, read_all};
use crate::state::AppState;

/// Quiet time after the last file event before re-reading: editors write a
/// file in several steps, and one reload per save is enough.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// Longest a burst of events may postpone a reload.
const MAX_DEBOUNCE: Duration = Duration::from_millis(500);
/// How often missing roots are looked for and the date is checked.
const TICK: Duration = Duration::from_secs(1);

/// The source roots, their file names and the incremental reader.
#[derive(Debug)]
pub struct Library {
    roots: Vec<Root>,
    names: Names,
    reader: Reader,
    /// Hash of each source's last bytes, so an event without a change (an
    /// editor touching a file) does not make a new revision.
    hashes: HashMap<String, u64>,
    /// Whether each root existed at the last check.
    present: Vec<bool>,
    fixed_today: Option<NaiveDate>,
}

/// Today's date on this machine.
pub fn local_today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

impl Library {
    /// Opens the roots (each must exist now) and reads every file once.
    pub fn open(
        sources: &[SourceSpec],
        options: ReadOptions,
        fixed_today: Option<NaiveDate>,
    ) -> Result<Library, SourceError> {
        let roots = sources
            .iter()
            .map(|spec| Root::open(&spec.path, spec.source_url.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let present = vec![true; roots.len()];
        let mut library = Library {
            present,
            roots,
            names: Names::default(),
            reader: Reader::new(options),
            hashes: HashMap::new(),
            fixed_today,
        };
        let read = read_all(&library.roots, &mut library.names);
        let sources: Vec<Source<'_>> = read
            .files
            .iter()
            .map(|(name, bytes)| Source { path: name, bytes })
            .collect();
        // The first read extracts every document in parallel.
        library.reader.set_sources(&sources);
        for (name, reason) in &read.unreadable {
            library
                .hashes
                .insert(name.clone(), unreadable_digest(reason));
            library.reader.set_unreadable(name, reason);
        }
        let files = read.files;
        for (name, bytes) in &files {
            library.hashes.insert(name.clone(), hash(bytes));
            let link = library.link(name);
            library.reader.set_link(name, link);
        }
        Ok(library)
    }

    /// The roots being read.
    pub fn roots(&self) -> &[Root] {
        &self.roots
    }

    /// The roadmap now, with "view source" links filled in.
    pub fn roadmap(&mut self) -> Roadmap {
        self.reader.roadmap()
    }

    /// How the last roadmap was made: folded in or assembled whole.
    pub fn last_read(&self) -> milepost_shared::read::ReadKind {
        self.reader.last_read()
    }

    /// The "view source" link of a source, when its root has a base URL.
    fn link(&self, name: &str) -> Option<String> {
        let (index, relative) = self.names.origin(name)?;
        let base = self.roots.get(index)?.base_url.as_ref()?;
        Some(format!("{base}/{relative}"))
    }

    /// Re-reads what changed at these paths (files or folders, present or
    /// gone). Returns true when any source changed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> bool {
        let mut changed = false;
        for path in paths {
            changed |= self.apply_one(path);
        }
        changed
    }

    fn apply_one(&mut self, path: &Path) -> bool {
        let mut changed = false;
        let Some(index) = self.roots.iter().position(|root| root.contains(path)) else {
            return false;
        };
        let metadata = std::fs::symlink_metadata(path).ok();
        // Files under `path` that vanished (a deleted or renamed folder or file).
        for file in self.names.files_under(path) {
            if !file.exists() {
                changed |= self.forget(&file);
            }
        }
        let Some(metadata) = metadata else {
            if self.roots[index].canonical.as_deref() == Some(path) {
                // The root itself is gone; `check_roots` watches for its return.
                self.present[index] = false;
            }
            return changed;
        };
        let files = if metadata.is_dir() {
            self.roots[index].files_under(path)
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            changed |= self.refresh(index, &file);
        }
        changed
    }

    /// Reads one file again; forgets it when it can no longer be read from
    /// inside its root.
    fn refresh(&mut self, index: usize, file: &Path) -> bool {
        let root = &self.roots[index];
        if root.relative_name(file).is_none() {
            return false;
        }
        let bytes = match root.read(file) {
            Ok(bytes) => bytes,
            Err(Unread::Skipped) => return self.forget(file),
            Err(Unread::Failed(reason)) => {
                let Some(name) = self.names.assign(&self.roots, index, file) else {
                    return false;
                };
                // Named with an error until it can be read again; the same
                // error again (another event on the file) is no new revision.
                let digest = unreadable_digest(&reason);
                if self.hashes.get(&name) == Some(&digest) {
                    return false;
                }
                self.hashes.insert(name.clone(), digest);
                self.reader.set_unreadable(&name, &reason);
                return true;
            }
        };
        let Some(name) = self.names.assign(&self.roots, index, file) else {
            return false;
        };
        let digest = hash(&bytes);
        if self.hashes.get(&name) == Some(&digest) {
            return false;
        }
        self.hashes.insert(name.clone(), digest);
        self.reader.set_source(&name, &bytes);
        let link = self.link(&name);
        self.reader.set_link(&name, link);
        true
    }

    fn forget(&mut self, file: &Path) -> bool {
        let Some(name) = self.names.remove(file) else {
            return false;
        };
        self.hashes.remove(&name);
        self.reader.remove_source(&name);
        true
    }

    /// Drops the documents of roots that disappeared and reads roots that
    /// came back. Returns the roots that came back (to watch again) and
    /// whether anything changed.
    pub fn check_roots(&mut self) -> (Vec<usize>, bool) {
        let mut returned = Vec::new();
        let mut changed = false;
        for index in 0..self.roots.len() {
            let Some(canonical) = self.roots[index].canonical.clone() else {
                continue;
            };
            let exists = canonical.exists();
            match (self.present[index], exists) {
                (true, false) => {
                    tracing::warn!(root = %self.roots[index].path.display(), "source root is gone");
                    self.present[index] = false;
                    for file in self.names.files_under(&canonical) {
                        changed |= self.forget(&file);
                    }
                }
                (false, true) => {
                    self.present[index] = true;
                    returned.push(index);
                    for file in self.roots[index].files() {
                        changed |= self.refresh(index, &file);
                    }
                }
                (true, true) if self.names.files_under(&canonical).is_empty() => {
                    // Deleted and recreated between two checks: the old
                    // watch died with the folder, so watch it again.
                    let files = self.roots[index].files();
                    if !files.is_empty() {
                        returned.push(index);
                    }
                    for file in files {
                        changed |= self.refresh(index, &file);
                    }
                }
                _ => {}
            }
        }
        (returned, changed)
    }

    /// Moves `today` to the real date when it is not fixed. True when it moved.
    pub fn roll_date(&mut self, today: NaiveDate) -> bool {
        if self.fixed_today.is_some() || self.reader.options().today == today {
            return false;
        }
        let mut options = self.reader.options().clone();
        options.today = today;
        self.reader.set_options(options);
        true
    }
}

/// What `hashes` records for a file that could not be read, for `reason`:
/// the same failure again changes nothing.
fn unreadable_digest(reason: &str) -> u64 {
    hash(format!("\0unreadable\0{reason}").as_bytes())
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Whether a file event can mean new content (our own reads open files too).
fn is_relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

/// Stops the watcher when dropped.
#[derive(Debug)]
pub struct WatchHandle {
    stop: mpsc::Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Message::Event(_) => f.write_str("Event"),
            Message::Stop => f.write_str("Stop"),
        }
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Publishes the library's roadmap, then watches its roots on a thread of its
/// own, publishing a new revision after each change. Call from inside a
/// tokio runtime (compression of each revision is spawned on it).
pub fn watch(mut library: Library, state: AppState) -> std::io::Result<WatchHandle> {
    state.publish(library.roadmap());
    let (sender, receiver) = mpsc::channel::<Message>();
    let events = sender.clone();
    // Watches are in place before this returns: an edit made right after
    // start-up is never missed.
    let watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(Message::Event(event));
    });
    let mut watcher = match watcher {
        Ok(mut watcher) => {
            for root in library.roots() {
                watch_root(&mut watcher, root);
            }
            Some(watcher)
        }
        Err(error) => {
            tracing::warn!(%error, "file watching unavailable: edits need a restart");
            None
        }
    };
    let runtime = tokio::runtime::Handle::try_current().ok();
    let thread = std::thread::Builder::new()
        .name("milepost-watch".to_string())
        .spawn(move || {
            let _guard = runtime.as_ref().map(|handle| handle.enter());
            run(&mut library, watcher.as_mut(), &receiver, &state);
        })?;
    Ok(WatchHandle {
        stop: sender,
        thread: Some(thread),
    })
}

fn watch_root(watcher: &mut RecommendedWatcher, root: &Root) {
    let Some(canonical) = &root.canonical else {
        return;
    };
    // A single file is watched through its folder: editors replace files by
    // renaming, which ends a watch on the file itself.
    let (target, mode) = if root.is_file {
        match canonical.parent() {
            Some(parent) => (parent, RecursiveMode::NonRecursive),
            None => return,
        }
    } else {
        (canonical.as_path(), RecursiveMode::Recursive)
    };
    if let Err(error) = watcher.watch(target, mode) {
        tracing::warn!(root = %root.path.display(), %error, "cannot watch source root");
    }
}

fn run(
    library: &mut Library,
    mut watcher: Option<&mut RecommendedWatcher>,
    receiver: &mpsc::Receiver<Message>,
    state: &AppState,
) {
    let mut last_tick = Instant::now();
    loop {
        let first = match receiver.recv_timeout(TICK) {
            Ok(Message::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Ok(Message::Event(event)) => Some(event),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
        };
        let mut paths = Vec::new();
        if let Some(event) = first {
            collect(event, &mut paths);
            // Debounce: wait until the events pause (or the burst runs long).
            let started = Instant::now();
            loop {
                let left = MAX_DEBOUNCE.saturating_sub(started.elapsed());
                match receiver.recv_timeout(DEBOUNCE.min(left)) {
                    Ok(Message::Event(event)) => collect(event, &mut paths),
                    Ok(Message::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                }
                if left.is_zero() {
                    break;
                }
            }
        }
        paths.sort();
        paths.dedup();
        let mut changed = !paths.is_empty() && library.apply(&paths);
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            let (returned, roots_changed) = library.check_roots();
            for index in returned {
                tracing::info!(root = %library.roots()[index].path.display(), "source root is back");
                if let Some(watcher) = watcher.as_deref_mut() {
                    watch_root(watcher, &library.roots()[index]);
                }
            }
            changed |= roots_changed;
            changed |= library.roll_date(local_today());
        }
        if changed {
            let started = Instant::now();
            let roadmap = library.roadmap();
            let read_ms = started.elapsed().as_millis() as u64;
            let (documents, milestones, diagnostics) = (
                roadmap.documents.len(),
                roadmap.milestones.len(),
                roadmap.diagnostics.len(),
            );
            let revision = state.publish(roadmap);
            tracing::info!(
                revision,
                documents,
                milestones,
                diagnostics,
                changed_paths = paths.len(),
                read = ?library.last_read(),
                read_ms,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "sources reloaded"
            );
        }
    }
}

fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    match event {
        Ok(event) if is_relevant(&event.kind) => paths.extend(event.paths),
        Ok(_) => {}
        Err(error) => {
            // Lost events (queue overflow) or a vanished watch: the periodic
            // root check and the next events catch up.
            tracing::warn!(%error, "file watch error");
            paths.extend(error.paths);
        }
    }
}
