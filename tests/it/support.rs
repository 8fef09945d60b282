//! Fixture loading shared by the integration tests: the corpus in
//! `examples/`, read as the server would (paths relative to a root, `/`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use milepost_shared::Roadmap;
use milepost_shared::read::{ReadOptions, Source, read};

/// The corpus folder, `examples/` at the workspace root.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every file under `root` (recursively, sorted), as `(relative path with '/', bytes)`.
pub fn load_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, bytes));
        }
    }
}

/// One corpus file, by its path under `examples/`.
pub fn load_file(relative: &str) -> (String, Vec<u8>) {
    let path = examples_dir().join(relative);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let name = relative.rsplit('/').next().unwrap_or(relative).to_string();
    (name, bytes)
}

/// A date from `YYYY-MM-DD` (test input, so a bad literal is a test bug).
pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad test date {text}"))
}

/// Reads `(path, bytes)` pairs with `today`.
pub fn read_files(files: &[(String, Vec<u8>)], today: &str) -> Roadmap {
    let sources: Vec<Source<'_>> = files
        .iter()
        .map(|(path, bytes)| Source { path, bytes })
        .collect();
    read(&sources, &ReadOptions::new(day(today)))
}

/// Reads one in-memory document (path decides markdown or YAML).
pub fn read_one(path: &str, text: &str, today: &str) -> Roadmap {
    read(
        &[Source {
            path,
            bytes: text.as_bytes(),
        }],
        &ReadOptions::new(day(today)),
    )
}
