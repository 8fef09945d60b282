//! Source roots on disk: finding roadmap files, naming them for the reader
//! (the path relative to the root, `/`-separated) and keeping that mapping
//! stable while files come and go.
//!
//! Naming rule: a file under a directory root is named by its path relative
//! to that root; a file given directly is named by its file name. When a name
//! is already taken by a file of another root, the newcomer is prefixed with
//! its root's folder name (`northwind/docs/plan.md`); roots are read in the
//! order given, so the first root keeps the plain names.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// File extensions the reader understands.
const EXTENSIONS: [&str; 3] = ["md", "yaml", "yml"];

/// Directory names never descended into: build output and vendored packages
/// hold copies of documents, not roadmaps.
const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// A problem with a source root itself (not with a document in it).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path given does not exist or cannot be read.
    #[error("source '{path}' cannot be read: {error}")]
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// The underlying error (shown in the message, so not a `source`).
        error: io::Error,
    },
    /// The path exists but is neither a directory nor a roadmap file.
    #[error("source '{0}' is not a directory or a .md/.yaml/.yml file")]
    NotASource(PathBuf),
}

/// One configured source root.
#[derive(Clone, Debug)]
pub struct Root {
    /// The path as configured (kept for messages and the watcher).
    pub path: PathBuf,
    /// The canonical path, when the root existed at start-up; files are only
    /// read when they resolve inside it, so a symlink never leads elsewhere.
    pub canonical: Option<PathBuf>,
    /// True when the root is a single file rather than a directory.
    pub is_file: bool,
    /// Base URL for "view source" links (`<base>/<path>#L<line>`).
    pub base_url: Option<String>,
    /// The folder (or file) name, used as a prefix when names collide.
    pub label: String,
}

impl Root {
    /// Describes a root; fails when it does not exist or is not a source.
    pub fn open(path: &Path, base_url: Option<String>) -> Result<Root, SourceError> {
        let metadata = std::fs::metadata(path).map_err(|error| SourceError::Unreadable {
            path: path.to_path_buf(),
            error,
        })?;
        let is_file = metadata.is_file();
        if is_file && !has_source_extension(path) {
            return Err(SourceError::NotASource(path.to_path_buf()));
        }
        if !is_file && !metadata.is_dir() {
            return Err(SourceError::NotASource(path.to_path_buf()));
        }
        let canonical = std::fs::canonicalize(path).ok();
        let label = canonical
            .as_deref()
            .unwrap_or(path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "source".to_string());
        Ok(Root {
            path: path.to_path_buf(),
            canonical,
            is_file,
            base_url: base_url.map(|url| url.trim_end_matches('/').to_string()),
            label,
        })
    }

    /// The directory whose contents belong to this root (the file's parent for
    /// a single-file root).
    fn base_dir(&self) -> Option<PathBuf> {
        let canonical = self.canonical.as_ref()?;
        if self.is_file {
            canonical.parent().map(Path::to_path_buf)
        } else {
            Some(canonical.clone())
        }
    }

    /// The path relative to this root (`/`-separated) of an absolute file
    /// path, when the file belongs to the root and is a roadmap file.
    pub fn relative_name(&self, file: &Path) -> Option<String> {
        let canonical = self.canonical.as_ref()?;
        if self.is_file {
            return (file == canonical.as_path()).then(|| self.label.clone());
        }
        let relative = file.strip_prefix(canonical).ok()?;
        if !has_source_extension(file) || is_skipped(relative) {
            return None;
        }
        let parts: Vec<String> = relative
            .components()
            .map(|part| match part {
                Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// Every roadmap file under the root (absolute paths, sorted), skipping
    /// hidden folders, `target/`, `node_modules/` and anything a symlink
    /// would take outside the root.
    pub fn files(&self) -> Vec<PathBuf> {
        let Some(canonical) = &self.canonical else {
            return Vec::new();
        };
        if self.is_file {
            return if canonical.is_file() {
                vec![canonical.clone()]
            } else {
                Vec::new()
            };
        }
        let mut found = Vec::new();
        self.walk(canonical, &mut found);
        found.sort();
        found
    }

    /// The roadmap files under `dir` (which must lie inside the root).
    pub fn files_under(&self, dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        if self.contains(dir) && !self.is_file {
            self.walk(dir, &mut found);
        }
        found.sort();
        found
    }

    fn walk(&self, dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref()) {
                    self.walk(&path, found);
                }
            } else if file_type.is_file() {
                if has_source_extension(&path) {
                    found.push(path);
                }
            } else if file_type.is_symlink() {
                // Followed only when it stays inside the root.
                if let Some(target) = self.resolve(&path)
                    && target.is_file()
                    && has_source_extension(&path)
                {
                    found.push(path);
                }
            }
        }
    }

    /// True when `path` lies inside this root (without resolving symlinks).
    pub fn contains(&self, path: &Path) -> bool {
        match (&self.canonical, self.is_file) {
            (Some(canonical), true) => path == canonical,
            (Some(canonical), false) => path.starts_with(canonical),
            (None, _) => false,
        }
    }

    /// The real path of `path` when it resolves inside the root; `None` for
    /// a missing file or a symlink that points outside.
    pub fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let real = std::fs::canonicalize(path).ok()?;
        let base = self.base_dir()?;
        let inside = if self.is_file {
            Some(&real) == self.canonical.as_ref()
        } else {
            real.starts_with(&base)
        };
        inside.then_some(real)
    }

    /// Reads one file of the root, refusing anything that resolves outside
    /// it. At most one byte past the reader's limit is read: the reader
    /// reports a larger file instead of reading it.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Unread> {
        use std::io::Read;
        let real = self.resolve(path).ok_or(Unread::Skipped)?;
        // Only regular files: opening a named pipe (`mkfifo plan.md`) would
        // wait for a writer, and stop every reload behind it.
        let metadata = std::fs::metadata(&real).map_err(Unread::from)?;
        if !metadata.is_file() {
            return Err(Unread::Skipped);
        }
        let limit = u64::try_from(milepost_shared::read::MAX_SOURCE_BYTES).unwrap_or(u64::MAX);
        let mut bytes = Vec::new();
        std::fs::File::open(real)
            .map_err(Unread::from)?
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(Unread::from)?;
        Ok(bytes)
    }
}

/// Why a file of a root gave no bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Unread {
    /// Not a source to read: gone, outside the root, or no regular file.
    Skipped,
    /// There, but reading it failed (the system's words, such as
    /// "permission denied"): the reader names it with an error.
    Failed(String),
}

impl From<std::io::Error> for Unread {
    fn from(error: std::io::Error) -> Unread {
        match error.kind() {
            std::io::ErrorKind::NotFound => Unread::Skipped,
            std::io::ErrorKind::PermissionDenied => Unread::Failed("permission denied".into()),
            _ => Unread::Failed(error.to_string()),
        }
    }
}

/// True for `.md`, `.yaml` and `.yml` files.
pub fn has_source_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

/// True when a relative path passes through a folder that is never read.
fn is_skipped(relative: &Path) -> bool {
    let mut parts: Vec<_> = relative.components().collect();
    parts.pop(); // the file itself may be named anything
    parts.iter().any(|part| match part {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref())
        }
        _ => true,
    })
}

/// The reader names of every file of every root, assigned by the rule in the
/// module doc. Keys are absolute file paths.
#[derive(Debug, Default)]
pub struct Names {
    /// Absolute path → (root index, reader name).
    by_file: BTreeMap<PathBuf, (usize, String)>,
    /// Reader name → (root index, path relative to that root).
    by_name: BTreeMap<String, (usize, String)>,
}

impl Names {
    /// The name already assigned to a file.
    pub fn get(&self, file: &Path) -> Option<&(usize, String)> {
        self.by_file.get(file)
    }

    /// Assigns (or returns) the reader name of `file` from root `index`.
    pub fn assign(&mut self, roots: &[Root], index: usize, file: &Path) -> Option<String> {
        if let Some((_, name)) = self.by_file.get(file) {
            return Some(name.clone());
        }
        let root = roots.get(index)?;
        let relative = root.relative_name(file)?;
        let taken = |name: &str| self.by_name.contains_key(name);
        let mut name = relative.clone();
        if taken(&name) {
            name = format!("{}/{relative}", root.label);
            let mut counter = 2;
            while taken(&name) {
                name = format!("{}-{counter}/{relative}", root.label);
                counter += 1;
            }
        }
        self.by_file
            .insert(file.to_path_buf(), (index, name.clone()));
        self.by_name.insert(name.clone(), (index, relative));
        Some(name)
    }

    /// Forgets a file; returns its name.
    pub fn remove(&mut self, file: &Path) -> Option<String> {
        let (_, name) = self.by_file.remove(file)?;
        self.by_name.remove(&name);
        Some(name)
    }

    /// Every file at or under `path` that has a name.
    pub fn files_under(&self, path: &Path) -> Vec<PathBuf> {
        self.by_file
            .keys()
            .filter(|file| file.starts_with(path))
            .cloned()
            .collect()
    }

    /// The root a reader name belongs to and the path relative to that root.
    pub fn origin(&self, name: &str) -> Option<(usize, &str)> {
        self.by_name
            .get(name)
            .map(|(index, relative)| (*index, relative.as_str()))
    }
}

/// What [`read_all`] read: `(reader name, bytes)` pairs in root order, and
/// the files that are there but could not be read, with why.
#[derive(Debug, Default)]
pub struct ReadAll {
    pub files: Vec<(String, Vec<u8>)>,
    pub unreadable: Vec<(String, String)>,
}

/// Reads every root once, with the names recorded in `names`.
pub fn read_all(roots: &[Root], names: &mut Names) -> ReadAll {
    let mut read = ReadAll::default();
    for (index, root) in roots.iter().enumerate() {
        for file in root.files() {
            let bytes = match root.read(&file) {
                Ok(bytes) => Ok(bytes),
                Err(Unread::Failed(reason)) => Err(reason),
                Err(Unread::Skipped) => continue,
            };
            let Some(name) = names.assign(roots, index, &file) else {
                continue;
            };
            match bytes {
                Ok(bytes) => read.files.push((name, bytes)),
                Err(reason) => read.unreadable.push((name, reason)),
            }
        }
    }
    read
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn skipped_folders_are_recognised() {
        assert!(is_skipped(Path::new(".git/x.md")));
        assert!(is_skipped(Path::new("a/node_modules/x.md")));
        assert!(is_skipped(Path::new("target/doc/x.md")));
        assert!(!is_skipped(Path::new("docs/.hidden.md")));
        assert!(!is_skipped(Path::new("docs/plan.md")));
    }

    #[test]
    fn extensions_are_matched_case_insensitively() {
        assert!(has_source_extension(Path::new("a/B.MD")));
        assert!(has_source_extension(Path::new("roadmap.yml")));
        assert!(!has_source_extension(Path::new("notes.txt")));
        assert!(!has_source_extension(Path::new("Makefile")));
    }
}
