//! The reader never panics and always terminates: arbitrary bytes, markdown-
//! and YAML-shaped noise, and corpus files mangled by byte flips, truncation
//! and line shuffles. Case counts are bounded to keep a debug run short.

use milepost_shared::read::{ReadOptions, Source, read};
use proptest::prelude::*;

use crate::support::{day, examples_dir, load_tree};

fn read_as(path: &str, bytes: &[u8]) -> milepost_shared::Roadmap {
    let roadmap = read(
        &[Source { path, bytes }],
        &ReadOptions::new(day("2026-01-20")),
    );
    // Whatever came in, what comes out is consistent.
    for milestone in &roadmap.milestones {
        assert!(milestone.line >= 1);
        assert_eq!(milestone.document, path);
    }
    let mut ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique");
    roadmap
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    load_tree(&examples_dir())
        .into_iter()
        .filter(|(path, _)| !path.ends_with("EXPECTED.md"))
        .collect()
}

/// Fragments that reach the reader's deeper paths when strung together.
const FRAGMENTS: &[&str] = &[
    "---",
    "title: x",
    "owner: [a",
    "last_updated: 2026-02-30",
    "# Heading",
    "## Owners",
    "## Acceptance criteria",
    "### SEC-1 Thing",
    "| Milestone | Owner | Target | Status | Depends on |",
    "| --- | --- | --- |",
    "| --- | --- | --- | --- | --- |",
    "| A-1 | Platform & QA | Q1 2026 | 🔴 Blocked | A-2 |",
    "| A-2 | `x | y` | Nov 5 | ✅ | A-1, A-2 |",
    "| | | | | |",
    "- [ ] **T1.1 Title** — text (owner: X) (target 2026-01-01)",
    "- [x] ~~**Gone**~~ — dropped (cancelled 2026-01-05)",
    "  - [ ] sub",
    "  - Depends on: T1.1, A-1",
    "- **Platform** owns things.",
    "- **Owner**: Security",
    "- **Due**: H2 2026",
    "- **Status**: sideways",
    "    - deeper",
    "> quote",
    "```",
    "<script>",
    "\\|",
    "~~",
    "**",
    "",
    "1. one",
    "* [x]",
];

const YAML_FRAGMENTS: &[&str] = &[
    "title: t",
    "milestones:",
    "  - id: a",
    "    title: A",
    "    depends_on: [a, b]",
    "  - id: b",
    "    target: Q5 2026",
    "    status: wat",
    "    subtasks:",
    "      - { title: s, done: true }",
    "authors: []",
    "    deliverables:",
    "      - state: SKIP",
    "timeline:",
    "  - date: nope",
    "apiVersion: v1",
    "kind: Group",
    "metadata:",
    "  name: x",
    "---",
    "teams:",
    "  - name: T",
    "  - [",
    "\t",
    ": :",
    "&anchor",
    "*anchor",
    "!!binary x",
];

fn lines_of(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(fragments), 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        read_as("any.md", &bytes);
        read_as("any.yaml", &bytes);
    }

    #[test]
    fn markdown_shaped_noise(text in lines_of(FRAGMENTS)) {
        read_as("noise.md", text.as_bytes());
    }

    #[test]
    fn yaml_shaped_noise(text in lines_of(YAML_FRAGMENTS)) {
        read_as("noise.roadmap.yaml", text.as_bytes());
    }

    #[test]
    fn corpus_with_flipped_bytes(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let files = corpus();
        let (path, mut bytes) = files[pick.index(files.len())].clone();
        if !bytes.is_empty() {
            for (at, value) in flips {
                let index = at.index(bytes.len());
                bytes[index] = value;
            }
        }
        read_as(&path, &bytes);
    }

    #[test]
    fn corpus_truncated(pick in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let files = corpus();
        let (path, bytes) = &files[pick.index(files.len())];
        let end = cut.index(bytes.len() + 1);
        read_as(path, &bytes[..end]);
    }

    #[test]
    fn corpus_lines_shuffled(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let files = corpus();
        let (path, bytes) = &files[pick.index(files.len())];
        let text = String::from_utf8_lossy(bytes);
        let mut lines: Vec<&str> = text.lines().collect();
        // A small deterministic shuffle from the seed.
        let mut state = seed | 1;
        for index in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(index, (state % (index as u64 + 1)) as usize);
        }
        read_as(path, lines.join("\n").as_bytes());
    }
}

#[test]
fn every_corpus_file_mangled_together_still_reads() {
    // The whole corpus in one run, each file cut in half: other files are unaffected.
    let files = corpus();
    let halves: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes[..bytes.len() / 2].to_vec()))
        .collect();
    let sources: Vec<Source<'_>> = halves
        .iter()
        .map(|(path, bytes)| Source { path, bytes })
        .collect();
    let roadmap = read(&sources, &ReadOptions::new(day("2026-01-20")));
    assert!(!roadmap.milestones.is_empty());
}

/// Inputs shaped to hit deep nesting or repeated work; each must finish
/// (a quadratic path would make this test crawl, not fail an assertion).
#[test]
fn hostile_shapes_terminate() {
    let deep_quotes = ">".repeat(20_000) + " - [ ] x\n";
    let deep_lists: String = (0..2_000)
        .map(|depth| format!("{}- [ ] item {depth}\n", "  ".repeat(depth)))
        .collect();
    let parens = format!("- [ ] {} due 2026-01-01\n", "(".repeat(50_000));
    let closing_parens = format!("- [ ] {}\n", "(a)".repeat(20_000));
    let backticks = format!(
        "| Milestone | Target |\n| --- | --- |\n| {} | 2026-01-01 |\n",
        "` `` ".repeat(20_000)
    );
    let duplicates: String = "| Milestone | Target |\n| --- | --- |\n".to_string()
        + &"| Same title | 2026-01-01 |\n".repeat(5_000);
    let chain: String = "milestones:\n".to_string()
        + &(0..3_000)
            .map(|i| {
                format!(
                    "  - id: m{i}\n    title: M {i}\n    depends_on: [m{}, m0]\n",
                    i + 1
                )
            })
            .collect::<String>()
        + "  - id: m3000\n    title: End\n    depends_on: [m0]\n";
    let deep_yaml = "milestones: ".to_string() + &"[".repeat(5_000);
    let long_line = "| a ".repeat(50_000);
    for (path, text) in [
        ("quotes.md", deep_quotes.as_str()),
        ("lists.md", &deep_lists),
        ("parens.md", &parens),
        ("closing.md", &closing_parens),
        ("ticks.md", &backticks),
        ("dupes.md", &duplicates),
        ("chain.yaml", &chain),
        ("deep.yaml", &deep_yaml),
        ("long.md", &long_line),
    ] {
        read_as(path, text.as_bytes());
    }
    let roadmap = read_as("dupes.md", duplicates.as_bytes());
    assert_eq!(roadmap.milestones.len(), 5_000);
    assert_eq!(roadmap.milestones[4_999].id, "dupes/same-title-5000");
    let roadmap = read_as("chain.yaml", chain.as_bytes());
    assert!(
        roadmap
            .diagnostics
            .iter()
            .any(|d| d.message.contains("dependency cycle"))
    );
}
