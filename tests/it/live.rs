//! The live reader: after any sequence of edits, a re-read that folds the
//! changed documents into the last roadmap gives exactly the roadmap a fresh
//! read of the same files gives, and typical edits are folded in rather
//! than assembled from scratch.

use milepost_bench::{SplitMix64, generate};
use milepost_shared::read::{ReadKind, ReadOptions, Reader, Source};
use milepost_shared::{Roadmap, Severity, Status};

use crate::support::{day, examples_dir, load_tree, read_files};

const TODAY: &str = "2026-03-01";

/// Where two roadmaps first differ, in words a failing test can show.
fn first_difference(live: &Roadmap, fresh: &Roadmap) -> Option<String> {
    if live.milestones.len() != fresh.milestones.len() {
        let ids =
            |r: &Roadmap| -> Vec<String> { r.milestones.iter().map(|m| m.id.clone()).collect() };
        return Some(format!(
            "{} milestones live, {} fresh\nlive:  {:?}\nfresh: {:?}",
            live.milestones.len(),
            fresh.milestones.len(),
            ids(live),
            ids(fresh)
        ));
    }
    for (a, b) in live.milestones.iter().zip(&fresh.milestones) {
        if a != b {
            return Some(format!("milestone differs:\nlive:  {a:#?}\nfresh: {b:#?}"));
        }
    }
    if live.teams != fresh.teams {
        return Some(format!(
            "teams differ:\nlive:  {:#?}\nfresh: {:#?}",
            live.teams, fresh.teams
        ));
    }
    if live.diagnostics != fresh.diagnostics {
        let position = live
            .diagnostics
            .iter()
            .zip(&fresh.diagnostics)
            .position(|(a, b)| a != b)
            .unwrap_or(live.diagnostics.len().min(fresh.diagnostics.len()));
        return Some(format!(
            "diagnostics differ from #{position} ({} live, {} fresh):\nlive:  {:#?}\nfresh: {:#?}",
            live.diagnostics.len(),
            fresh.diagnostics.len(),
            live.diagnostics.get(position),
            fresh.diagnostics.get(position)
        ));
    }
    if live.documents != fresh.documents {
        return Some("documents differ".to_string());
    }
    if live != fresh {
        return Some("markers or dates differ".to_string());
    }
    None
}

/// One random edit of a document's text, of the kinds teams make: a state,
/// a date, a title, a line added, copied or removed, a new task with a
/// dependency on another milestone, or back to the original.
fn edit(text: &str, original: &str, titles: &[String], rng: &mut SplitMix64) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return original.to_string();
    }
    let line = rng.below(lines.len());
    match rng.below(9) {
        0 | 1 => {
            let swaps = [
                ("Planned", "Done"),
                ("In progress", "Blocked"),
                ("Blocked", "In progress"),
                ("Done", "Planned"),
                ("- [ ]", "- [x]"),
                ("- [x]", "- [ ]"),
                ("status: planned", "status: blocked"),
                ("status: done", "status: in_progress"),
            ];
            // The first line from a random point on that holds a state word.
            for offset in 0..lines.len() {
                let at = (line + offset) % lines.len();
                if let Some((from, to)) = swaps.iter().find(|(from, _)| lines[at].contains(from)) {
                    lines[at] = lines[at].replacen(from, to, 1);
                    break;
                }
            }
        }
        2 => {
            lines[line] = lines[line]
                .replacen("2026-0", "2026-1", 1)
                .replacen("Q1", "Q3", 1)
        }
        3 => {
            lines[line] = lines[line]
                .replacen("| ", "| Revised ", 1)
                .replacen("**", "**New ", 1)
        }
        4 => {
            lines.remove(line);
        }
        5 => {
            let copy = lines[line].clone();
            lines.insert(line, copy);
        }
        6 | 7 => {
            let depends = rng.choice(titles).clone();
            let number = rng.below(1000);
            lines.push(String::new());
            lines.push(format!(
                "- [ ] **Added work {number}** — follow-up (owner: Platform) (target 2026-0{}-1{}). Depends on: {depends}",
                1 + rng.below(9),
                rng.below(10)
            ));
        }
        _ => return original.to_string(),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Runs `steps` random edits over `files`, checking every re-read against
/// a fresh read; returns how many re-reads were folded in.
fn check_edits(mut files: Vec<(String, Vec<u8>)>, steps: usize, seed: u64) -> usize {
    let originals: Vec<String> = files
        .iter()
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let editable: Vec<usize> = (0..files.len())
        .filter(|&i| {
            let path = &files[i].0;
            (path.ends_with(".md") || path.ends_with(".roadmap.yaml")) && !path.contains("catalog")
        })
        .collect();
    let mut reader = Reader::new(ReadOptions::new(day(TODAY)));
    for (path, bytes) in &files {
        reader.set_source(path, bytes);
    }
    let mut fresh = read_files(&files, TODAY);
    assert_eq!(first_difference(&reader.roadmap(), &fresh), None);
    let mut rng = SplitMix64::new(seed);
    let mut folded = 0;
    for step in 0..steps {
        let titles: Vec<String> = fresh
            .milestones
            .iter()
            .map(|m| {
                if rng.below(2) == 0 {
                    m.id.clone()
                } else {
                    m.title.clone()
                }
            })
            .chain(["an external vendor".to_string()])
            .collect();
        // Usually one document changes between reads, sometimes two.
        let changes = if rng.below(5) == 0 { 2 } else { 1 };
        let mut described = Vec::new();
        for _ in 0..changes {
            let index = *rng.choice(&editable);
            let text = String::from_utf8_lossy(&files[index].1).into_owned();
            let edited = edit(&text, &originals[index], &titles, &mut rng);
            files[index].1 = edited.into_bytes();
            reader.set_source(&files[index].0, &files[index].1);
            described.push(files[index].0.clone());
        }
        let live = reader.roadmap();
        if matches!(reader.last_read(), ReadKind::Folded(_)) {
            folded += 1;
        }
        fresh = read_files(&files, TODAY);
        if let Some(difference) = first_difference(&live, &fresh) {
            panic!(
                "step {step} (seed {seed}, {:?}, edited {described:?}): the live roadmap is not the fresh one: {difference}",
                reader.last_read()
            );
        }
    }
    folded
}

#[test]
fn live_rereads_of_a_generated_corpus_match_fresh_reads() {
    let corpus = generate(40);
    let mut files: Vec<(String, Vec<u8>)> = corpus
        .docs
        .iter()
        .map(|doc| (doc.path.clone(), doc.text.clone().into_bytes()))
        .collect();
    // A document with no milestone, as READMEs next to roadmaps are; edits
    // may give it one (a new task) or a broken date.
    files.push((
        "team-0/README.md".to_string(),
        b"# Team 0\n\nHow we plan: see the roadmaps.\n\n- Planned work lives in roadmap-0.md\n- Reviews every Monday\n"
            .to_vec(),
    ));
    let steps = 120;
    let folded = check_edits(files, steps, 7);
    // Most random edits stay inside their document: if hardly any were
    // folded in, the live path is not working.
    assert!(
        folded * 2 >= steps,
        "only {folded} of {steps} re-reads were folded in"
    );
}

#[test]
fn live_rereads_of_the_northwind_tree_match_fresh_reads() {
    let files = load_tree(&examples_dir().join("northwind"));
    let folded = check_edits(files, 80, 11);
    assert!(folded > 0, "no re-read of northwind was folded in");
}

#[test]
fn a_folded_status_change_reaches_its_dependents() {
    // Blocking a milestone blocks what depends on it in another document.
    let files = vec![
        (
            "a.md".to_string(),
            b"# A\n\n| ID | Milestone | Target | Status |\n| --- | --- | --- | --- |\n| A-1 | Schema | 2026-06-01 | Planned |\n".to_vec(),
        ),
        (
            "b.md".to_string(),
            b"# B\n\n| ID | Milestone | Target | Status | Depends on |\n| --- | --- | --- | --- | --- |\n| B-1 | Rollout | 2026-07-01 | Planned | A-1 |\n".to_vec(),
        ),
    ];
    let mut reader = Reader::new(ReadOptions::new(day(TODAY)));
    for (path, bytes) in &files {
        reader.set_source(path, bytes);
    }
    let before = reader.roadmap();
    let status = |r: &Roadmap, id: &str| r.milestones.iter().find(|m| m.id == id).map(|m| m.status);
    assert_eq!(status(&before, "B-1"), Some(Status::OnTrack));
    reader.set_source(
        "a.md",
        b"# A\n\n| ID | Milestone | Target | Status |\n| --- | --- | --- | --- |\n| A-1 | Schema | 2026-06-01 | Blocked |\n",
    );
    let after = reader.roadmap();
    assert_eq!(reader.last_read(), ReadKind::Folded(1));
    assert_eq!(status(&after, "B-1"), Some(Status::Blocked));
    // The previous revision is untouched (pages still reading it see it whole).
    assert_eq!(status(&before, "B-1"), Some(Status::OnTrack));
}

#[test]
fn a_document_a_catalog_names_silences_its_warning_when_it_appears() {
    let catalog = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\n  annotations:\n    milepost.io/roadmap: docs/roadmap.md\n";
    let mut reader = Reader::new(ReadOptions::new(day(TODAY)));
    reader.set_source("catalog-info.yaml", catalog.as_bytes());
    reader.set_source("other.md", b"- [ ] Other (due 2026-05-01)\n");
    let warned = |roadmap: &Roadmap| {
        roadmap.diagnostics.iter().any(|d| {
            d.message
                .contains("'docs/roadmap.md', but no such document was read")
        })
    };
    assert!(warned(&reader.roadmap()), "the named document is missing");
    // Another document changes: folded in, and the warning stays.
    reader.set_source("other.md", b"- [x] Other (due 2026-05-01)\n");
    let live = reader.roadmap();
    assert_eq!(reader.last_read(), ReadKind::Folded(1));
    assert!(warned(&live), "{:?}", live.diagnostics);
    // The named document appears: the entity has its roadmap, no warning.
    reader.set_source("docs/roadmap.md", b"- [ ] Ship it (due 2026-03-01)\n");
    let live = reader.roadmap();
    assert!(!warned(&live), "{:?}", live.diagnostics);
    let fresh = read_files(
        &[
            ("catalog-info.yaml".to_string(), catalog.as_bytes().to_vec()),
            (
                "docs/roadmap.md".to_string(),
                b"- [ ] Ship it (due 2026-03-01)\n".to_vec(),
            ),
            (
                "other.md".to_string(),
                b"- [x] Other (due 2026-05-01)\n".to_vec(),
            ),
        ],
        TODAY,
    );
    if let Some(difference) = first_difference(&live, &fresh) {
        panic!("the live read differs from a fresh one: {difference}");
    }
    // Emptied: the entity has no roadmap again, and the card says why.
    reader.set_source("docs/roadmap.md", b"");
    let emptied = reader.roadmap();
    assert!(
        emptied.diagnostics.iter().any(|d| d
            .message
            .contains("'docs/roadmap.md', which has no milestones")),
        "{:?}",
        emptied.diagnostics
    );
    // Filled again: no warning.
    reader.set_source("docs/roadmap.md", b"- [ ] Ship it (due 2026-03-01)\n");
    let filled = reader.roadmap();
    assert!(
        !filled
            .diagnostics
            .iter()
            .any(|d| d.message.contains("names")),
        "{:?}",
        filled.diagnostics
    );
    // And gone again: the warning is back.
    reader.remove_source("docs/roadmap.md");
    assert!(warned(&reader.roadmap()));
}

#[test]
fn a_file_that_cannot_be_read_is_named_with_an_error_until_it_can() {
    let mut reader = Reader::new(ReadOptions::new(day(TODAY)));
    reader.set_source("a.md", b"- [ ] Ship it (due 2026-03-01)\n");
    reader.set_source("b.md", b"- [ ] Other (due 2026-03-01)\n");
    assert_eq!(reader.roadmap().milestones.len(), 2);
    // The server found b.md but could not read it (permissions).
    reader.set_unreadable("b.md", "permission denied");
    let roadmap = reader.roadmap();
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(titles, ["Ship it"]);
    let said: Vec<(&str, u32, Severity)> = roadmap
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.severity))
        .collect();
    assert_eq!(said, [("b.md", 1, Severity::Error)]);
    assert!(roadmap.diagnostics[0].message.contains("permission denied"));
    // Readable again: its milestone is back and the error gone.
    reader.set_source("b.md", b"- [ ] Other (due 2026-03-01)\n");
    let roadmap = reader.roadmap();
    assert_eq!(roadmap.milestones.len(), 2);
    assert!(roadmap.diagnostics.is_empty(), "{:?}", roadmap.diagnostics);
}

#[test]
fn reading_many_documents_at_once_gives_what_reading_them_one_by_one_gives() {
    // Enough documents that `read` and `Reader::set_sources` extract them
    // (and `read` normalises them) on several threads where the machine has
    // more than one core; the one-by-one reader does both on one.
    let corpus = generate(300);
    let files: Vec<(String, Vec<u8>)> = corpus
        .docs
        .iter()
        .map(|doc| (doc.path.clone(), doc.text.clone().into_bytes()))
        .collect();
    let mut one_by_one = Reader::new(ReadOptions::new(day(TODAY)));
    for (path, bytes) in &files {
        one_by_one.set_source(path, bytes);
    }
    let expected = one_by_one.roadmap();
    assert!(expected.milestones.len() > 1000, "the corpus is too small");

    let at_once = read_files(&files, TODAY);
    if let Some(difference) = first_difference(&at_once, &expected) {
        panic!("read() differs from one-by-one: {difference}");
    }
    let sources: Vec<Source<'_>> = files
        .iter()
        .map(|(path, bytes)| Source { path, bytes })
        .collect();
    let mut batch = Reader::new(ReadOptions::new(day(TODAY)));
    batch.set_sources(&sources);
    if let Some(difference) = first_difference(&batch.roadmap(), &expected) {
        panic!("set_sources differs from one-by-one: {difference}");
    }
}
