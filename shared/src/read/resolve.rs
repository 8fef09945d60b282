//! Dependency resolution (spec §2.4), dependents, cycles and schedule
//! conflicts.

use std::sync::Arc;

use crate::hash::{FastMap, FastSet};

use super::assemble::{MilestoneKeys, Words};
use super::text::is_id_token;
use crate::model::{Diagnostic, Milestone, Severity, State};

/// Where each milestone's dependencies may point. Keys are borrowed from
/// one vector computed once per read; the lists are flat (no allocation per
/// title or word).
struct Index<'a> {
    milestones: &'a [Arc<Milestone>],
    /// Each milestone's title key.
    title_keys: &'a [&'a str],
    /// Each milestone's keys as read (for the title word numbers).
    keys: &'a [&'a MilestoneKeys],
    words: &'a Words,
    by_id: FastMap<&'a str, usize>,
    /// Title key → the first milestone with that title, in reading order.
    by_title: FastMap<&'a str, usize>,
    /// The next milestone with the same title as milestone `i` (`NONE` at the end).
    same_title: Vec<usize>,
    /// Title word → milestones whose title holds it, for containment
    /// matches; built on first need.
    by_word: std::cell::OnceCell<WordIndex<'a>>,
}

/// The end of a `same_title` chain.
const NONE: usize = usize::MAX;

/// Title word → the ascending list of milestones whose title holds it, every
/// list a range of one shared vector, found through the word numbering.
struct WordIndex<'a> {
    words: &'a Words,
    /// `postings[starts[n]..starts[n + 1]]`: the milestones holding word `n`.
    starts: Vec<usize>,
    postings: Vec<usize>,
}

impl<'a> WordIndex<'a> {
    fn new(words: &'a Words, keys: &[&MilestoneKeys]) -> Self {
        // A counting sort by word number keeps each list ascending.
        let mut starts = vec![0usize; words.len() + 1];
        for milestone in keys {
            for &word in &milestone.title_words {
                starts[word + 1] += 1;
            }
        }
        for word in 0..words.len() {
            starts[word + 1] += starts[word];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0usize; starts[words.len()]];
        for (index, milestone) in keys.iter().enumerate() {
            for &word in &milestone.title_words {
                postings[fill[word]] = index;
                fill[word] += 1;
            }
        }
        WordIndex {
            words,
            starts,
            postings,
        }
    }

    /// The milestones whose title holds `word`; `None` when no title does.
    fn get(&self, word: &str) -> Option<&[usize]> {
        let &number = self.words.get(word)?;
        let list = self
            .postings
            .get(self.starts[number]..self.starts[number + 1])?;
        (!list.is_empty()).then_some(list)
    }
}

impl<'a> Index<'a> {
    fn new(
        milestones: &'a [Arc<Milestone>],
        id_keys: &[&'a str],
        title_keys: &'a [&'a str],
        keys: &'a [&'a MilestoneKeys],
        words: &'a Words,
    ) -> Self {
        let mut by_id: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(milestones.len(), Default::default());
        let mut by_title: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(milestones.len(), Default::default());
        let mut same_title = vec![NONE; milestones.len()];
        // The last milestone of each title's chain so far, to append in order.
        let mut last_of_title: Vec<usize> = vec![NONE; milestones.len()];
        for (index, (&id_key, &title_key)) in id_keys.iter().zip(title_keys).enumerate() {
            by_id.entry(id_key).or_insert(index);
            match by_title.get(title_key) {
                Some(&first) => {
                    same_title[last_of_title[first]] = index;
                    last_of_title[first] = index;
                }
                None => {
                    by_title.insert(title_key, index);
                    last_of_title[index] = index;
                }
            }
        }
        Index {
            milestones,
            title_keys,
            keys,
            words,
            by_id,
            by_title,
            same_title,
            by_word: std::cell::OnceCell::new(),
        }
    }

    fn by_word(&self) -> &WordIndex<'a> {
        self.by_word
            .get_or_init(|| WordIndex::new(self.words, self.keys))
    }

    /// Every milestone whose title key is `title_key`, in reading order.
    fn with_title(&self, title_key: &str) -> impl Iterator<Item = usize> + '_ {
        let first = self.by_title.get(title_key).copied().unwrap_or(NONE);
        std::iter::successors((first != NONE).then_some(first), |&index| {
            let next = self.same_title[index];
            (next != NONE).then_some(next)
        })
    }

    /// Resolves one dependency text of milestone `from`: ids, then titles in
    /// the same document, then titles elsewhere, then a unique prefix or
    /// containment match (same document first). `wanted` is the text's key.
    fn resolve(&self, from: usize, wanted: &str) -> Resolution {
        if wanted.is_empty() {
            return Resolution::External;
        }
        let document = &self.milestones[from].document;
        if let Some(&index) = self.by_id.get(wanted) {
            return Resolution::Found(index);
        }
        {
            let others: Vec<usize> = self.with_title(wanted).filter(|&c| c != from).collect();
            if let Some(&same) = others
                .iter()
                .find(|&&c| &self.milestones[c].document == document)
            {
                return Resolution::Found(same);
            }
            match others.as_slice() {
                [] => {}
                [only] => return Resolution::Found(*only),
                several => return Resolution::Ambiguous(several.to_vec()),
            }
        }
        if wanted.len() < 4 {
            return Resolution::External;
        }
        // Containment: candidates hold every word of the wanted text.
        let words: Vec<&str> = wanted.split(' ').collect();
        let mut postings: Vec<&[usize]> = Vec::with_capacity(words.len());
        for word in &words {
            match self.by_word().get(word) {
                Some(list) => postings.push(list),
                None => return Resolution::External,
            }
        }
        postings.sort_by_key(|list| list.len());
        let matches: Vec<usize> = postings[0]
            .iter()
            .copied()
            .filter(|&candidate| candidate != from)
            .filter(|&candidate| {
                postings[1..]
                    .iter()
                    .all(|list| list.binary_search(&candidate).is_ok())
            })
            .filter(|&candidate| holds_words(self.title_keys[candidate], wanted))
            .collect();
        let same: Vec<usize> = matches
            .iter()
            .copied()
            .filter(|&c| &self.milestones[c].document == document)
            .collect();
        match (same.as_slice(), matches.as_slice()) {
            ([only], _) => Resolution::Found(*only),
            ([], [only]) => Resolution::Found(*only),
            ([], []) => Resolution::External,
            ([], several) | (several, _) => Resolution::Ambiguous(several.to_vec()),
        }
    }
}

/// Whether `haystack` holds `needle` starting and ending at word boundaries
/// (both are matching keys: words joined by single spaces).
fn holds_words(haystack: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(found) = haystack[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        let starts_word = start == 0 || haystack.as_bytes()[start - 1] == b' ';
        let ends_word = end == haystack.len() || haystack.as_bytes()[end] == b' ';
        if starts_word && ends_word {
            return true;
        }
        from = start + 1;
        while !haystack.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

enum Resolution {
    Found(usize),
    Ambiguous(Vec<usize>),
    External,
}

/// Resolves every dependency, fills `dependents`, and reports ambiguous or
/// dangling references, self-dependencies, cycles and schedule conflicts.
/// `keys` are the milestones' keys as read, `renamed` the id keys of the
/// milestones whose id was made unique. Returns each milestone's resolved
/// dependencies (indices, each once).
pub(crate) fn resolve(
    milestones: &mut [Arc<Milestone>],
    keys: &[&MilestoneKeys],
    renamed: &[(usize, String)],
    words: &Words,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Vec<usize>> {
    let mut id_keys: Vec<&str> = keys.iter().map(|k| k.id_key.as_str()).collect();
    for (index, id_key) in renamed {
        id_keys[*index] = id_key;
    }
    let title_keys: Vec<&str> = keys.iter().map(|k| k.title_key.as_str()).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); milestones.len()];
    {
        let index = Index::new(milestones, &id_keys, &title_keys, keys, words);
        let mut resolved: Vec<(usize, usize, usize)> = Vec::new();
        for (from, milestone) in milestones.iter().enumerate() {
            for (position, dependency) in milestone.dependencies.iter().enumerate() {
                let wanted = keys[from]
                    .dependency_keys
                    .get(position)
                    .map_or("", String::as_str);
                match index.resolve(from, wanted) {
                    Resolution::Found(to) => resolved.push((from, position, to)),
                    Resolution::Ambiguous(candidates) => {
                        let names: Vec<&str> = candidates
                            .iter()
                            .take(5)
                            .map(|&c| milestones[c].id.as_str())
                            .collect();
                        diagnostics.push(Diagnostic {
                            path: milestone.document.clone(),
                            line: milestone.line,
                            severity: Severity::Warning,
                            message: format!(
                                "dependency '{}' of '{}' matches several milestones ({}); kept as external — use an id",
                                dependency.text,
                                milestone.id,
                                names.join(", ")
                            ),
                        });
                    }
                    Resolution::External => {
                        if is_id_token(&dependency.text) {
                            diagnostics.push(Diagnostic {
                                path: milestone.document.clone(),
                                line: milestone.line,
                                severity: Severity::Warning,
                                message: format!(
                                    "dependency '{}' of '{}' looks like an id but no milestone has it; kept as external",
                                    dependency.text, milestone.id
                                ),
                            });
                        }
                    }
                }
            }
        }
        for (from, position, to) in resolved {
            let id = milestones[to].id.clone();
            Arc::make_mut(&mut milestones[from]).dependencies[position].milestone = Some(id);
            if !edges[from].contains(&to) {
                edges[from].push(to);
            }
        }
    }
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            // `edges[from]` holds each target once, so no duplicate check is needed.
            let id = milestones[from].id.clone();
            Arc::make_mut(&mut milestones[to]).dependents.push(id);
        }
    }
    report_self_dependencies(milestones, &edges, diagnostics);
    report_cycles(milestones, &edges, diagnostics);
    report_schedule_conflicts(milestones, &edges, diagnostics);
    edges
}

fn report_self_dependencies(
    milestones: &[Arc<Milestone>],
    edges: &[Vec<usize>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, targets) in edges.iter().enumerate() {
        if targets.contains(&index) {
            let milestone = &milestones[index];
            diagnostics.push(Diagnostic {
                path: milestone.document.clone(),
                line: milestone.line,
                severity: Severity::Warning,
                message: format!(
                    "'{}' depends on itself; remove that dependency",
                    milestone.id
                ),
            });
        }
    }
}

/// Iterative depth-first search; each back edge is one reported cycle.
fn report_cycles(
    milestones: &[Arc<Milestone>],
    edges: &[Vec<usize>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Closed,
    }
    /// Cycle reports are capped: past this many the graph needs fixing as a whole.
    const MAX_REPORTS: usize = 50;
    let mut marks = vec![Mark::New; milestones.len()];
    let mut stack_position = vec![0usize; milestones.len()];
    let mut reported: FastSet<Vec<usize>> = FastSet::default();
    for root in 0..milestones.len() {
        if marks[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        marks[root] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                if to == node {
                    continue;
                }
                match marks[to] {
                    Mark::New => {
                        marks[to] = Mark::Open;
                        stack_position[to] = stack.len();
                        stack.push((to, 0));
                    }
                    Mark::Open if reported.len() < MAX_REPORTS => {
                        let start = stack_position[to];
                        let cycle: Vec<usize> = stack[start..].iter().map(|&(n, _)| n).collect();
                        let mut canonical = cycle.clone();
                        canonical.sort_unstable();
                        if reported.insert(canonical) {
                            let mut names: Vec<&str> =
                                cycle.iter().map(|&n| milestones[n].id.as_str()).collect();
                            if names.len() > 12 {
                                names.drain(6..names.len() - 5);
                                names.insert(6, "…");
                            }
                            names.push(milestones[to].id.as_str());
                            let first = &milestones[to];
                            diagnostics.push(Diagnostic {
                                path: first.document.clone(),
                                line: first.line,
                                severity: Severity::Error,
                                message: format!(
                                    "dependency cycle: {}; statuses ignore the edge that closes it",
                                    names.join(" → ")
                                ),
                            });
                        }
                    }
                    Mark::Open | Mark::Closed => {}
                }
            } else {
                marks[node] = Mark::Closed;
                stack.pop();
            }
        }
    }
}

fn report_schedule_conflicts(
    milestones: &[Arc<Milestone>],
    edges: &[Vec<usize>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let finished = |m: &Milestone| matches!(m.state, State::Done | State::Cancelled);
    for (from, targets) in edges.iter().enumerate() {
        let milestone = &milestones[from];
        let Some(target) = milestone.target else {
            continue;
        };
        if finished(milestone) {
            continue;
        }
        for &to in targets {
            let dependency = &milestones[to];
            if to == from || dependency.state == State::Cancelled {
                continue;
            }
            if let Some(dependency_target) = dependency.target
                && target < dependency_target
            {
                diagnostics.push(Diagnostic {
                    path: milestone.document.clone(),
                    line: milestone.line,
                    severity: Severity::Warning,
                    message: format!(
                        "schedule conflict: '{}' is due {} but depends on '{}', due later ({})",
                        milestone.id, target, dependency.id, dependency_target
                    ),
                });
            }
        }
    }
}
