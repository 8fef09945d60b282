//! Prints the roadmap `read` gives (its `Debug` form), to compare two
//! versions of the reader byte for byte: `read_dump` reads the generated
//! 2,000-document corpus; `read_dump DIR…` reads every `.md`, `.yaml` and
//! `.yml` file under the given folders.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use milepost_bench::generate;
use milepost_shared::read::{ReadOptions, Source, read};

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let options = ReadOptions::new(today);
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let documents: Vec<(String, Vec<u8>)> = if dirs.is_empty() {
        generate(2000)
            .docs
            .into_iter()
            .map(|doc| (doc.path, doc.text.into_bytes()))
            .collect()
    } else {
        let mut found = Vec::new();
        for dir in &dirs {
            collect(dir, dir, &mut found);
        }
        found
    };
    let sources: Vec<Source<'_>> = documents
        .iter()
        .map(|(path, bytes)| Source { path, bytes })
        .collect();
    println!("{:#?}", read(&sources, &options));
}

/// Every roadmap file under `dir`, with its path relative to `root`.
fn collect(root: &Path, dir: &Path, found: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(root, &path, found);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "md" || ext == "yaml" || ext == "yml")
            && let (Ok(relative), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path))
        {
            found.push((relative.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
}
