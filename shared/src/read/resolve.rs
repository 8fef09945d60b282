//! Dependency resolution (spec §2.4), dependents, cycles and schedule
//! conflicts.

use std::sync::Arc;

use crate::hash::{FastMap, FastSet};

use super::assemble::{MilestoneKeys, Words};
use super::text::{is_id_token, without_note};
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
            for &word in milestone.title_words.as_slice() {
                starts[word + 1] += 1;
            }
        }
        for word in 0..words.len() {
            starts[word + 1] += starts[word];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0usize; starts[words.len()]];
        for (index, milestone) in keys.iter().enumerate() {
            for &word in milestone.title_words.as_slice() {
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

    fn word_index(&self) -> &WordIndex<'a> {
        self.by_word
            .get_or_init(|| WordIndex::new(self.words, self.keys))
    }
}

impl Candidates for Index<'_> {
    type Ref = usize;

    fn first_with_id(&self, id_key: &str) -> Option<usize> {
        self.by_id.get(id_key).copied()
    }

    fn with_title(&self, title_key: &str) -> Vec<usize> {
        let first = self.by_title.get(title_key).copied().unwrap_or(NONE);
        std::iter::successors((first != NONE).then_some(first), |&index| {
            let next = self.same_title[index];
            (next != NONE).then_some(next)
        })
        .collect()
    }

    fn with_word(&self, word: &str) -> Option<&[usize]> {
        self.word_index().get(word)
    }

    fn title_key(&self, of: usize) -> &str {
        self.title_keys[of]
    }

    fn same_document(&self, a: usize, b: usize) -> bool {
        self.milestones[a].document == self.milestones[b].document
    }
}

/// Where dependency texts may point: the whole roadmap's milestones, seen
/// through its ids, titles and title words. Implemented over positions for
/// a whole read and over stable handles for a live re-read, so both resolve
/// with the one rule of [`resolve_text`].
pub(crate) trait Candidates {
    /// A milestone; the order is reading order.
    type Ref: Copy + Ord;
    /// The first milestone (in reading order) whose id has this key.
    fn first_with_id(&self, id_key: &str) -> Option<Self::Ref>;
    /// Every milestone whose title key is `title_key`, in reading order.
    fn with_title(&self, title_key: &str) -> Vec<Self::Ref>;
    /// The milestones whose title holds `word`, ascending; `None` when none.
    fn with_word(&self, word: &str) -> Option<&[Self::Ref]>;
    /// A milestone's title key.
    fn title_key(&self, of: Self::Ref) -> &str;
    /// Whether two milestones come from the same document.
    fn same_document(&self, a: Self::Ref, b: Self::Ref) -> bool;
}

/// Resolves one dependency text of milestone `from`: ids, then titles in
/// the same document, then titles elsewhere, then a unique containment match
/// (same document first). `wanted` is the text's key.
pub(crate) fn resolve_text<C: Candidates>(
    candidates: &C,
    from: C::Ref,
    wanted: &str,
) -> Resolution<C::Ref> {
    if wanted.is_empty() {
        return Resolution::External;
    }
    if let Some(found) = candidates.first_with_id(wanted) {
        return Resolution::Found(found);
    }
    {
        let others: Vec<C::Ref> = candidates
            .with_title(wanted)
            .into_iter()
            .filter(|&c| c != from)
            .collect();
        if let Some(&same) = others.iter().find(|&&c| candidates.same_document(c, from)) {
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
    let mut postings: Vec<&[C::Ref]> = Vec::new();
    for word in wanted.split(' ') {
        match candidates.with_word(word) {
            Some(list) => postings.push(list),
            None => return Resolution::External,
        }
    }
    postings.sort_by_key(|list| list.len());
    let matches: Vec<C::Ref> = postings[0]
        .iter()
        .copied()
        .filter(|&candidate| candidate != from)
        .filter(|&candidate| {
            postings[1..]
                .iter()
                .all(|list| list.binary_search(&candidate).is_ok())
        })
        .filter(|&candidate| holds_words(candidates.title_key(candidate), wanted))
        .collect();
    let same: Vec<C::Ref> = matches
        .iter()
        .copied()
        .filter(|&c| candidates.same_document(c, from))
        .collect();
    match (same.as_slice(), matches.as_slice()) {
        ([only], _) => Resolution::Found(*only),
        ([], [only]) => Resolution::Found(*only),
        ([], []) => Resolution::External,
        ([], several) | (several, _) => Resolution::Ambiguous(several.to_vec()),
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

/// Every text a dependency must be (as a key) for a title to be one of its
/// candidates: the title's runs of whole words. A live re-read asks again
/// only the dependencies written as one of these for a changed title.
pub(crate) fn title_phrases(title_key: &str) -> impl Iterator<Item = &str> {
    let bounds: Vec<(usize, usize)> = {
        let mut bounds = Vec::new();
        let mut start = 0;
        for (at, _) in title_key.match_indices(' ') {
            bounds.push((start, at));
            start = at + 1;
        }
        bounds.push((start, title_key.len()));
        bounds
    };
    let count = bounds.len();
    (0..count).flat_map(move |first| {
        let bounds = bounds.clone();
        (first..count).map(move |last| &title_key[bounds[first].0..bounds[last].1])
    })
}

/// Where one dependency text led.
pub(crate) enum Resolution<R> {
    Found(R),
    Ambiguous(Vec<R>),
    External,
}

/// Which pass made a diagnostic that needs the whole roadmap, in the order
/// the passes run (the order diagnostics on one line keep).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pass {
    Duplicate,
    Resolution,
    SelfDependency,
    Cycle,
    Schedule,
}

/// A diagnostic of a whole-roadmap pass, with the milestone it is about
/// (its position; for cycles, the milestone the report starts at).
#[derive(Clone, Debug)]
pub(crate) struct Tagged {
    pub(crate) pass: Pass,
    pub(crate) milestone: usize,
    pub(crate) diagnostic: Diagnostic,
}

/// The diagnostic for a dependency text that matches several milestones.
pub(crate) fn ambiguous(milestone: &Milestone, text: &str, names: &[&str]) -> Diagnostic {
    Diagnostic {
        path: milestone.document.clone(),
        line: milestone.line,
        severity: Severity::Warning,
        message: format!(
            "dependency '{text}' of '{}' matches several milestones ({}); kept as external — use an id",
            milestone.id,
            names.join(", ")
        ),
        entity: None,
    }
}

/// The diagnostic for an id-like dependency text no milestone has, if the
/// text looks like an id.
pub(crate) fn dangling(milestone: &Milestone, text: &str) -> Option<Diagnostic> {
    is_id_token(without_note(text)).then(|| Diagnostic {
        path: milestone.document.clone(),
        line: milestone.line,
        severity: Severity::Warning,
        message: format!(
            "dependency '{text}' of '{}' looks like an id but no milestone has it; kept as external",
            milestone.id
        ),
        entity: None,
    })
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
    diagnostics: &mut Vec<Tagged>,
) -> Vec<Vec<usize>> {
    let mut id_keys: Vec<&str> = keys.iter().map(|k| k.id_key()).collect();
    for (index, id_key) in renamed {
        id_keys[*index] = id_key;
    }
    let title_keys: Vec<&str> = keys.iter().map(|k| k.title_key()).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); milestones.len()];
    {
        let index = Index::new(milestones, &id_keys, &title_keys, keys, words);
        let mut resolved: Vec<(usize, usize, usize)> = Vec::new();
        for (from, milestone) in milestones.iter().enumerate() {
            let mut wanted_keys = keys[from].dependency_keys();
            for (position, dependency) in milestone.dependencies.iter().enumerate() {
                let wanted = wanted_keys.next().unwrap_or_default();
                let found = resolve_text(&index, from, wanted);
                let diagnostic = match found {
                    Resolution::Found(to) => {
                        resolved.push((from, position, to));
                        None
                    }
                    Resolution::Ambiguous(candidates) => {
                        let names: Vec<&str> = candidates
                            .iter()
                            .take(5)
                            .map(|&c| milestones[c].id.as_str())
                            .collect();
                        Some(ambiguous(milestone, &dependency.text, &names))
                    }
                    Resolution::External => dangling(milestone, &dependency.text),
                };
                diagnostics.extend(diagnostic.map(|diagnostic| Tagged {
                    pass: Pass::Resolution,
                    milestone: from,
                    diagnostic,
                }));
            }
        }
        for (from, position, to) in resolved {
            let id = milestones[to].id.clone();
            let dependency = &milestones[from].dependencies[position];
            if dependency.milestone.as_deref() != Some(id.as_str()) {
                Arc::make_mut(&mut milestones[from]).dependencies[position].milestone = Some(id);
            }
            if !edges[from].contains(&to) {
                edges[from].push(to);
            }
        }
    }
    let mut dependents: Vec<Vec<String>> = vec![Vec::new(); milestones.len()];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            // `edges[from]` holds each target once, so no duplicate check is needed.
            dependents[to].push(milestones[from].id.clone());
        }
    }
    for (milestone, dependents) in milestones.iter_mut().zip(dependents) {
        if milestone.dependents != dependents {
            Arc::make_mut(milestone).dependents = dependents;
        }
    }
    for (from, targets) in edges.iter().enumerate() {
        diagnostics.extend(
            self_dependency(&milestones[from], from, targets).map(|diagnostic| Tagged {
                pass: Pass::SelfDependency,
                milestone: from,
                diagnostic,
            }),
        );
    }
    report_cycles(
        milestones.len(),
        |node| &edges[node],
        |node| &milestones[node],
        |milestone, _, diagnostic| {
            diagnostics.push(Tagged {
                pass: Pass::Cycle,
                milestone,
                diagnostic,
            })
        },
    );
    for (from, targets) in edges.iter().enumerate() {
        for diagnostic in schedule_conflicts(
            &milestones[from],
            targets.iter().map(|&to| &*milestones[to]),
        ) {
            diagnostics.push(Tagged {
                pass: Pass::Schedule,
                milestone: from,
                diagnostic,
            });
        }
    }
    edges
}

/// The diagnostic for a milestone among its own resolved dependencies
/// (`targets`, with `me` its own position or handle).
pub(crate) fn self_dependency<R: PartialEq>(
    milestone: &Milestone,
    me: R,
    targets: &[R],
) -> Option<Diagnostic> {
    targets.contains(&me).then(|| Diagnostic {
        path: milestone.document.clone(),
        line: milestone.line,
        severity: Severity::Warning,
        message: format!(
            "'{}' depends on itself; remove that dependency",
            milestone.id
        ),
        entity: None,
    })
}

/// Iterative depth-first search over `count` milestones in reading order,
/// `edges(i)` the positions milestone `i` depends on; each back edge is one
/// reported cycle, given to `report` with the position it starts at and
/// the positions on it.
pub(crate) fn report_cycles<'m, 'e>(
    count: usize,
    edges: impl Fn(usize) -> &'e [usize],
    milestone: impl Fn(usize) -> &'m Milestone,
    mut report: impl FnMut(usize, &[usize], Diagnostic),
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Closed,
    }
    /// Cycle reports are capped: past this many the graph needs fixing as a whole.
    const MAX_REPORTS: usize = 50;
    let mut marks = vec![Mark::New; count];
    let mut stack_position = vec![0usize; count];
    let mut reported: FastSet<Vec<usize>> = FastSet::default();
    // One stack for every root: most roots have a short walk.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if marks[root] != Mark::New || edges(root).is_empty() {
            continue;
        }
        stack.clear();
        stack.push((root, 0));
        marks[root] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges(node).get(*next) {
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
                                cycle.iter().map(|&n| milestone(n).id.as_str()).collect();
                            if names.len() > 12 {
                                names.drain(6..names.len() - 5);
                                names.insert(6, "…");
                            }
                            names.push(milestone(to).id.as_str());
                            let first = milestone(to);
                            report(
                                to,
                                &cycle,
                                Diagnostic {
                                    path: first.document.clone(),
                                    line: first.line,
                                    severity: Severity::Error,
                                    message: format!(
                                        "dependency cycle: {}; statuses ignore the edge that closes it",
                                        names.join(" → ")
                                    ),
                                    entity: None,
                                },
                            );
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

/// The schedule conflicts of one milestone with its resolved dependencies.
pub(crate) fn schedule_conflicts<'m>(
    milestone: &Milestone,
    dependencies: impl Iterator<Item = &'m Milestone>,
) -> Vec<Diagnostic> {
    let finished = |m: &Milestone| matches!(m.state, State::Done | State::Cancelled);
    let Some(target) = milestone.target else {
        return Vec::new();
    };
    if finished(milestone) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for dependency in dependencies {
        if std::ptr::eq(dependency, milestone) || dependency.state == State::Cancelled {
            continue;
        }
        if let Some(dependency_target) = dependency.target
            && target < dependency_target
        {
            found.push(Diagnostic {
                path: milestone.document.clone(),
                line: milestone.line,
                severity: Severity::Warning,
                message: format!(
                    "schedule conflict: '{}' is due {} but depends on '{}', due later ({})",
                    milestone.id, target, dependency.id, dependency_target
                ),
                entity: None,
            });
        }
    }
    found
}
