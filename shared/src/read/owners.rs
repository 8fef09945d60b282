//! Owners (spec §1.4, §2.3): splitting owner texts, known teams, and the
//! best-matching team of an ownership section.

use std::cell::OnceCell;

use crate::hash::{FastMap, FastSet};

use super::text::{has_line_break_tag, is_plain, key, split_list, strip_markup};

/// Team names known from anywhere in the sources or the configuration,
/// compared by their matching key.
#[derive(Debug, Default)]
pub(crate) struct KnownTeams {
    keys: FastSet<String>,
}

impl KnownTeams {
    pub(crate) fn add(&mut self, name: &str) {
        let name_key = key(&strip_roles(name));
        if !name_key.is_empty() {
            self.keys.insert(name_key);
        }
    }

    /// An order-independent hash of the set, to tell when it changed.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let build = BuildHasherDefault::<crate::hash::FastHasher>::default();
        self.keys.iter().fold(self.keys.len() as u64, |sum, key| {
            sum.wrapping_add(build.hash_one(key))
        })
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.keys.contains(&key(name))
    }
}

const NO_OWNER: &[&str] = &[
    "",
    "-",
    "—",
    "–",
    "?",
    "tbd",
    "tba",
    "n/a",
    "na",
    "none",
    "unassigned",
    "unknown",
];

/// Drops parenthesised notes (`QA (primary)` is `QA`) and markup.
fn strip_roles(text: &str) -> String {
    if !text.contains(['(', ')']) {
        return strip_markup(text.trim());
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    strip_markup(out.trim())
}

/// Splits an owner text on `,` `;` ` and ` `+` `/`, and on `&` unless the
/// part is itself a known team. Entity refs (`group:default/x`) stay whole.
pub(crate) fn split_owners(text: &str, known: &KnownTeams) -> Vec<String> {
    let mut owners = Vec::new();
    split_owners_into(text, known, &mut owners);
    owners
}

/// [`split_owners`], appending to `owners` (what is already there is left as it is).
pub(crate) fn split_owners_into(text: &str, known: &KnownTeams, owners: &mut Vec<String>) {
    let whole = strip_roles(text);
    if is_no_owner(&whole) {
        return;
    }
    // One name with nothing to split on reads as itself, known or not.
    if !has_separator(text) || known.contains(&whole) {
        owners.push(whole);
        return;
    }
    let first = owners.len();
    let mut push = |owner: String| {
        if !is_no_owner(&owner) {
            owners.push(owner);
        }
    };
    for part in split_list(text, false) {
        let slash_parts: Vec<&str> = if part.contains(':') {
            vec![part]
        } else {
            part.split('/').collect()
        };
        for part in slash_parts {
            let part = strip_roles(part);
            if part.contains('&') && !known.contains(&part) {
                for_each_between_ampersands(&part, |p| push(p.to_string()));
            } else {
                push(part);
            }
        }
    }
    if owners.len() - first > 1 {
        let mut seen = FastSet::default();
        let mut position = 0;
        owners.retain(|owner| {
            position += 1;
            position <= first || seen.insert(key(owner))
        });
    }
}

/// The owners of a milestone's owner texts when the caller owns them (see
/// [`split_owners_into`]): a single plain name, the common case, is moved
/// with its vector instead of copied.
pub(crate) fn owners_of(texts: Vec<String>, known: &KnownTeams) -> Vec<String> {
    if let [text] = texts.as_slice()
        && reads_as_itself(text)
    {
        return texts;
    }
    let mut owners = Vec::new();
    for text in &texts {
        split_owners_into(text, known, &mut owners);
    }
    owners
}

/// Whether `split_owners_into` gives `text` back unchanged, as the one owner:
/// nothing to strip or split, and not a "nobody" word.
fn reads_as_itself(text: &str) -> bool {
    !text.contains(['(', ')']) && is_plain(text) && !has_separator(text) && !is_no_owner(text)
}

/// A text that says nobody owns it (`TBD`, `-`, `none`, …).
pub(crate) fn is_no_owner(text: &str) -> bool {
    NO_OWNER.iter().any(|word| word.eq_ignore_ascii_case(text))
}

/// The parts of `text` between the `&` that have a space beside them:
/// `Platform & R&D Tools` is `Platform` and `R&D Tools`.
fn for_each_between_ampersands(text: &str, mut each: impl FnMut(&str)) {
    let mut emit = |part: &str| {
        let part = part.trim();
        if !part.is_empty() {
            each(part);
        }
    };
    let mut start = 0;
    for (index, _) in text.match_indices('&') {
        let spaced = text[..index].ends_with(char::is_whitespace)
            || text[index + 1..].starts_with(char::is_whitespace);
        if spaced {
            emit(&text[start..index]);
            start = index + 1;
        }
    }
    emit(&text[start..]);
}

/// Whether `split_owners` could split `text` at all: a `,` `;` `+` `/` `&`,
/// a line break (or `<br>`) or an ` and `.
pub(crate) fn has_separator(text: &str) -> bool {
    text.contains([',', ';', '+', '/', '&', '\n'])
        || has_line_break_tag(text)
        || text
            .as_bytes()
            .windows(5)
            .any(|window| window.eq_ignore_ascii_case(b" and "))
}

/// Whether every part of a bold lead names a known team (`**QA & Platform**`).
pub(crate) fn lead_teams(lead: &str, known: &KnownTeams) -> Option<Vec<String>> {
    let owners = split_owners(lead, known);
    (!owners.is_empty() && owners.iter().all(|owner| known.contains(owner))).then_some(owners)
}

const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "into", "from", "via", "our", "all", "are", "its", "their",
    "this", "that", "team", "teams", "owns", "own", "ensures", "keeps", "any", "each", "every",
    "new", "per", "out", "also", "not", "but", "has", "have", "will", "can",
];

fn words(text: &str) -> Vec<String> {
    key(text)
        .split(' ')
        .filter(|word| word.len() >= 2 && !STOP_WORDS.contains(word))
        .map(|word| {
            // A light stem: "templates" matches "template".
            if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
                word[..word.len() - 1].to_string()
            } else {
                word.to_string()
            }
        })
        .collect()
}

/// Matches milestones to the teams of one document's ownership section.
pub(crate) struct SectionMatcher<'a> {
    teams: &'a [SectionTeam<'a>],
    /// The teams' words, prepared on the first `owners` call: most
    /// documents state an owner for every milestone and never ask.
    words: OnceCell<SectionWords>,
}

/// A team of an ownership section: its name and responsibilities, borrowed
/// from the document's extraction.
pub(crate) type SectionTeam<'a> = (&'a str, &'a [String]);

/// Each team's words, and how many teams use each word.
struct SectionWords {
    team_words: Vec<FastSet<String>>,
    frequency: FastMap<String, usize>,
}

impl SectionWords {
    fn new(teams: &[SectionTeam<'_>]) -> Self {
        let team_words: Vec<FastSet<String>> = teams
            .iter()
            .map(|&(name, responsibilities)| {
                let mut set: FastSet<String> = words(name).into_iter().collect();
                for responsibility in responsibilities {
                    set.extend(words(responsibility));
                }
                set
            })
            .collect();
        let mut frequency: FastMap<String, usize> = FastMap::default();
        for set in &team_words {
            for word in set {
                *frequency.entry(word.clone()).or_default() += 1;
            }
        }
        SectionWords {
            team_words,
            frequency,
        }
    }
}

impl<'a> SectionMatcher<'a> {
    /// A matcher over one document's section teams (their words are
    /// prepared when first needed).
    pub(crate) fn new(teams: &'a [SectionTeam<'a>]) -> Self {
        SectionMatcher {
            teams,
            words: OnceCell::new(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.teams.is_empty()
    }

    /// The teams whose name and responsibilities best match a milestone's
    /// title and description; every team when none matches. Words many teams
    /// share weigh less (each counts 1 / number of teams using it).
    pub(crate) fn owners(&self, title: &str, description: &str) -> Vec<String> {
        let prepared = self.words.get_or_init(|| SectionWords::new(self.teams));
        let milestone_words: FastSet<String> =
            words(title).into_iter().chain(words(description)).collect();
        let scores: Vec<f64> = prepared
            .team_words
            .iter()
            .map(|set| {
                milestone_words
                    .iter()
                    .filter(|word| set.contains(*word))
                    .map(|word| 1.0 / prepared.frequency.get(word).copied().unwrap_or(1) as f64)
                    .sum()
            })
            .collect();
        let best = scores.iter().copied().fold(0.0_f64, f64::max);
        if best <= 0.0 {
            return self
                .teams
                .iter()
                .map(|(name, _)| name.to_string())
                .collect();
        }
        self.teams
            .iter()
            .zip(&scores)
            .filter(|(_, score)| (**score - best).abs() < 1e-9)
            .map(|((name, _), _)| name.to_string())
            .collect()
    }
}
