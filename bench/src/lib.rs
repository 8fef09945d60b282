//! A deterministic generator of Milepost's performance corpus.
//!
//! The corpus has the shape the benchmarks in `BENCHMARKS.md` are measured on:
//! `N` documents spread over 40 `team-K/` folders. Each markdown document (about
//! 5.6 KB) mixes the forms of the reading contract: front matter, a milestone
//! table, task lists with subtasks and inline fields, an acceptance-criteria
//! section, heading blocks with field lists, a contacts table (not a roadmap
//! table), an ownership section and prose. Every 10th document is a native YAML
//! roadmap. Dependencies point within a document, across documents and outside
//! (external approvals). Each document names one of 100 Backstage entities
//! (`entity:`), so an entity's view (`?entity=`) holds about 20 documents. For
//! 2,000 documents the corpus is about 10 MB.
//!
//! The word lists and probabilities follow the generator the corpus was first
//! specified with (which has no `entity:` line; it adds under 1% of the bytes).
//! The random numbers come from a small built-in SplitMix64 so the crate needs
//! no dependency, and a given `N` always yields the same bytes.

/// Team names used as owners (the first four also fill the contacts table).
pub const TEAMS: [&str; 10] = [
    "Platform",
    "Security",
    "Payments",
    "Data",
    "Mobile",
    "Docs & DevEx",
    "SRE",
    "Compliance",
    "Search",
    "Identity",
];

/// Status cells of the milestone tables and heading blocks.
const STATES: [&str; 8] = [
    "✅ Done",
    "🟡 In progress",
    "⬜ Not started",
    "Planned",
    "🔴 Blocked",
    "Dropped",
    "Pending",
    "In flight",
];

/// Status values of the YAML roadmaps.
const YAML_STATES: [&str; 4] = ["planned", "in progress", "done", "blocked"];

/// Words titles are made of.
const WORDS: [&str; 21] = [
    "migrate",
    "rollout",
    "ledger",
    "gateway",
    "token",
    "cache",
    "index",
    "pipeline",
    "runner",
    "template",
    "catalog",
    "scorecard",
    "audit",
    "policy",
    "export",
    "import",
    "schema",
    "contract",
    "service",
    "queue",
    "broker",
];

/// Month names used for month-precision dates.
const MONTHS: [&str; 6] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"];

/// Number of `team-K/` folders the documents are spread over.
pub const TEAM_FOLDERS: usize = 40;

/// Number of distinct Backstage entities the documents belong to.
pub const ENTITIES: usize = 100;

/// The Backstage entity reference of document `i`.
pub fn entity_of(i: usize) -> String {
    format!("component:default/service-{}", i % ENTITIES)
}

/// Seed of the corpus; fixed so that every run measures the same bytes.
const SEED: u64 = 42;

/// One generated document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedDoc {
    /// Path relative to the corpus root, with `/` separators (`team-3/roadmap-3.md`).
    pub path: String,
    /// The document's text.
    pub text: String,
}

impl GeneratedDoc {
    /// Whether this is a markdown document (as opposed to a native YAML roadmap).
    pub fn is_markdown(&self) -> bool {
        self.path.ends_with(".md")
    }
}

/// The whole generated corpus, in generation order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    /// Every document, document `i` at index `i`.
    pub docs: Vec<GeneratedDoc>,
}

impl Corpus {
    /// Total size of all documents in bytes.
    pub fn total_bytes(&self) -> usize {
        self.docs.iter().map(|doc| doc.text.len()).sum()
    }

    /// Total size of the markdown documents in bytes.
    pub fn markdown_bytes(&self) -> usize {
        self.docs
            .iter()
            .filter(|doc| doc.is_markdown())
            .map(|doc| doc.text.len())
            .sum()
    }
}

/// Generates the corpus of `n` documents. Deterministic: the same `n` gives the same corpus.
pub fn generate(n: usize) -> Corpus {
    let mut rng = SplitMix64::new(SEED);
    let docs = (0..n)
        .map(|i| {
            let folder = format!("team-{}", i % TEAM_FOLDERS);
            if i % 10 == 9 {
                GeneratedDoc {
                    path: format!("{folder}/roadmap-{i}.roadmap.yaml"),
                    text: yaml_doc(i, &mut rng),
                }
            } else {
                GeneratedDoc {
                    path: format!("{folder}/roadmap-{i}.md"),
                    text: markdown_doc(i, n, &mut rng),
                }
            }
        })
        .collect();
    Corpus { docs }
}

/// A small, fast, well-distributed PRNG (Steele, Lea & Flood's SplitMix64).
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniformly in `[0, 1)`.
    pub fn random(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer uniformly in `[0, bound)`; `bound` must be positive.
    pub fn below(&mut self, bound: usize) -> usize {
        // Multiply-shift (Lemire) without the rejection step: the bias is below
        // 2^-50 for the bounds used here, far under anything a benchmark sees.
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// An integer uniformly in `[low, high]`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// One element of a non-empty slice.
    pub fn choice<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct elements of `items`, in random order (`k <= items.len()`).
    pub fn sample<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut pool: Vec<&T> = items.iter().collect();
        // Partial Fisher–Yates: the first k slots end up a uniform sample.
        for slot in 0..k.min(pool.len()) {
            let pick = slot + self.below(pool.len() - slot);
            pool.swap(slot, pick);
        }
        pool.truncate(k);
        pool
    }
}

/// A title of 2 to 5 words, first letter capitalised.
fn title(rng: &mut SplitMix64) -> String {
    let count = rng.between(2, 5);
    let words: Vec<&str> = (0..count).map(|_| *rng.choice(&WORDS)).collect();
    capitalize(&words.join(" "))
}

/// Uppercases the first character (the words are ASCII).
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A date in one of the spec's forms: 70% day, 10% quarter, 10% month, 10% `TBD`.
fn date(rng: &mut SplitMix64) -> String {
    let kind = rng.random();
    if kind < 0.7 {
        format!("2026-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28))
    } else if kind < 0.8 {
        format!("Q{} 2026", rng.between(1, 4))
    } else if kind < 0.9 {
        format!("{} 2026", rng.choice(&MONTHS))
    } else {
        "TBD".to_owned()
    }
}

/// Markdown document `i` of a corpus of `n`.
fn markdown_doc(i: usize, n: usize, rng: &mut SplitMix64) -> String {
    let ids: Vec<String> = (1..=12).map(|k| format!("D{i}-M{k}")).collect();
    let mut lines: Vec<String> = vec![
        "---".into(),
        format!("title: Roadmap {i}"),
        format!("summary: Synthetic roadmap number {i}."),
        "last_updated: 2026-01-10".into(),
        format!("owner: group:default/team-{}", i % TEAM_FOLDERS),
        format!("entity: {}", entity_of(i)),
        "---".into(),
        String::new(),
        format!("# Roadmap {i}"),
        String::new(),
        "Context paragraph. ".repeat(12),
        String::new(),
        "## Milestones".into(),
        String::new(),
        "| ID | Milestone | Owner | Target | Status | Depends on |".into(),
        "| --- | --- | --- | --- | --- | --- |".into(),
    ];
    for (k, id) in ids.iter().enumerate() {
        let mut deps: Vec<String> = Vec::new();
        if k > 0 && rng.random() < 0.5 {
            deps.push(ids[rng.below(k)].clone());
        }
        if rng.random() < 0.2 {
            let other = rng.below(n);
            deps.push(format!("D{other}-M{}", rng.between(1, 12)));
        }
        if rng.random() < 0.2 {
            deps.push(format!("External {} approval", rng.choice(&WORDS)));
        }
        let deps = if deps.is_empty() {
            "None".to_owned()
        } else {
            deps.join(", ")
        };
        let (name, team, target, state) = (
            title(rng),
            rng.choice(&TEAMS),
            date(rng),
            rng.choice(&STATES),
        );
        lines.push(format!(
            "| {id} | {name} | {team} | {target} | {state} | {deps} |"
        ));
    }
    lines.extend(["".into(), "## Tasks".into(), "".into()]);
    for k in 0..10 {
        let mark = if rng.random() < 0.3 { "x" } else { " " };
        let (name, summary, team, target) = (
            title(rng),
            title(rng).to_lowercase(),
            rng.choice(&TEAMS),
            date(rng),
        );
        lines.push(format!(
            "- [{mark}] **T{i}.{k} {name}** — {summary} (owner: {team}) (target {target})."
        ));
        for _ in 0..rng.between(0, 3) {
            let mark = if rng.random() < 0.5 { "x" } else { " " };
            lines.push(format!("  - [{mark}] {}", title(rng)));
        }
        if rng.random() < 0.3 {
            lines.push(format!("  - Depends on: {}", ids[rng.below(12)]));
        }
    }
    lines.extend(
        [
            "",
            "## Acceptance criteria",
            "",
            "- [ ] Criteria one holds",
            "- [x] Criteria two holds",
            "",
            "## Backlog",
            "",
        ]
        .map(String::from),
    );
    for k in 0..5 {
        let (name, team, due, state) = (
            title(rng),
            rng.choice(&TEAMS),
            date(rng),
            rng.choice(&STATES),
        );
        lines.extend([
            format!("### B{i}-{k} {name}"),
            String::new(),
            format!("- **Owner**: {team}"),
            format!("- **Due**: {due}"),
            format!("- **Status**: {state}"),
            format!("- **Summary**: {}", "Detail text. ".repeat(5)),
            String::new(),
        ]);
    }
    lines.extend(["## Contacts", "", "| Team | Channel |", "| --- | --- |"].map(String::from));
    for team in &TEAMS[..4] {
        lines.push(format!(
            "| {team} | #{} |",
            team.to_lowercase().replace(' ', "-")
        ));
    }
    lines.extend(["", "## Ownership", ""].map(String::from));
    for team in rng.sample(&TEAMS, 4) {
        let (first, second) = (rng.choice(&WORDS), rng.choice(&WORDS));
        lines.push(format!("- **{team}** owns {first} and {second}."));
    }
    lines.extend([
        String::new(),
        "## Notes".into(),
        String::new(),
        "Longer prose about the plan, risks and context. ".repeat(20),
        String::new(),
    ]);
    lines.join("\n")
}

/// Native YAML roadmap `i`: twelve milestones, each depending on an earlier one.
fn yaml_doc(i: usize, rng: &mut SplitMix64) -> String {
    let mut out: Vec<String> = vec![
        format!("title: YAML roadmap {i}"),
        format!("owner: group:default/team-{}", i % TEAM_FOLDERS),
        format!("entity: {}", entity_of(i)),
        "milestones:".into(),
    ];
    for k in 1..=12 {
        let (name, team, target, state) = (
            title(rng),
            rng.choice(&TEAMS),
            date(rng),
            rng.choice(&YAML_STATES),
        );
        out.extend([
            format!("  - id: Y{i}-M{k}"),
            format!("    title: {name}"),
            format!("    owners: [{team}]"),
            format!("    target: {target}"),
            format!("    status: {state}"),
        ]);
        if k > 1 {
            out.push(format!("    depends_on: [Y{i}-M{}]", rng.between(1, k - 1)));
        }
    }
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_size_gives_the_same_corpus() {
        assert_eq!(generate(50), generate(50));
    }

    #[test]
    fn two_thousand_documents_make_about_ten_megabytes() {
        let corpus = generate(2000);
        assert_eq!(corpus.docs.len(), 2000);
        let yaml = corpus.docs.iter().filter(|doc| !doc.is_markdown()).count();
        assert_eq!(yaml, 200, "every 10th document is a YAML roadmap");
        let bytes = corpus.total_bytes();
        // The reference generator produced 10,387,917 bytes; random draws differ, the shape must not.
        assert!(
            (9_500_000..=11_500_000).contains(&bytes),
            "corpus is {bytes} bytes"
        );
    }

    #[test]
    fn documents_are_spread_over_forty_team_folders() {
        let corpus = generate(200);
        let mut folders: Vec<&str> = corpus
            .docs
            .iter()
            .filter_map(|doc| doc.path.split_once('/').map(|(folder, _)| folder))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        assert_eq!(folders.len(), TEAM_FOLDERS);
        assert_eq!(corpus.docs[9].path, "team-9/roadmap-9.roadmap.yaml");
        assert_eq!(corpus.docs[40].path, "team-0/roadmap-40.md");
    }

    #[test]
    fn markdown_documents_mix_every_form() {
        let corpus = generate(20);
        let doc = &corpus.docs[3].text;
        for form in [
            "---\ntitle: Roadmap 3\n",
            "entity: component:default/service-3\n---\n",
            "| ID | Milestone | Owner | Target | Status | Depends on |",
            "- [",
            "  - [",
            "(owner: ",
            "## Acceptance criteria",
            "### B3-0 ",
            "- **Status**: ",
            "| Team | Channel |",
            "## Ownership",
            "Longer prose",
        ] {
            assert!(doc.contains(form), "document 3 lacks {form:?}");
        }
    }

    #[test]
    fn dependencies_point_within_and_across_documents() {
        let corpus = generate(200);
        let (mut within, mut across, mut external) = (0, 0, 0);
        for (i, doc) in corpus.docs.iter().enumerate() {
            for row in doc.text.lines().filter(|line| line.starts_with("| D")) {
                let Some(deps) = row.trim_end_matches(" |").rsplit(" | ").next() else {
                    continue;
                };
                for dep in deps.split(", ") {
                    if dep.starts_with(&format!("D{i}-")) {
                        within += 1;
                    } else if dep.starts_with('D') {
                        across += 1;
                    } else if dep.starts_with("External") {
                        external += 1;
                    }
                }
            }
        }
        assert!(within > 0 && across > 0 && external > 0);
        assert!(within > across, "most dependencies stay within a document");
    }

    #[test]
    fn samples_are_distinct() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..100 {
            let mut picked = rng.sample(&TEAMS, 4);
            picked.sort_unstable();
            picked.dedup();
            assert_eq!(picked.len(), 4);
        }
    }
}
