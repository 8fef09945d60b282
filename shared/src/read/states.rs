//! Declared states (spec §2.1): emoji markers and state words.

use crate::model::State;

const EMOJI: &[(&str, State)] = &[
    ("✅", State::Done),
    ("✔", State::Done),
    ("☑", State::Done),
    ("🟡", State::InProgress),
    ("🔄", State::InProgress),
    ("🚧", State::InProgress),
    ("🔴", State::Blocked),
    ("⛔", State::Blocked),
    ("🛑", State::Blocked),
    ("❌", State::Cancelled),
    ("⬜", State::Planned),
];

/// Longer phrases first so `not started` wins over `started`.
const WORDS: &[(&str, State)] = &[
    ("not started", State::Planned),
    ("in progress", State::InProgress),
    ("in-progress", State::InProgress),
    ("in flight", State::InProgress),
    ("on hold", State::Blocked),
    ("won't do", State::Cancelled),
    ("won’t do", State::Cancelled),
    ("wont do", State::Cancelled),
    ("completed", State::Done),
    ("complete", State::Done),
    ("delivered", State::Done),
    ("released", State::Done),
    ("shipped", State::Done),
    ("merged", State::Done),
    ("closed", State::Done),
    ("done", State::Done),
    ("live", State::Done),
    ("doing", State::InProgress),
    ("ongoing", State::InProgress),
    ("started", State::InProgress),
    ("active", State::InProgress),
    ("wip", State::InProgress),
    ("blocked", State::Blocked),
    ("waiting", State::Blocked),
    ("stalled", State::Blocked),
    ("cancelled", State::Cancelled),
    ("canceled", State::Cancelled),
    ("descoped", State::Cancelled),
    ("dropped", State::Cancelled),
    ("skipped", State::Cancelled),
    ("skip", State::Cancelled),
    ("pending", State::Planned),
    ("planned", State::Planned),
    ("proposed", State::Planned),
    ("backlog", State::Planned),
    ("todo", State::Planned),
    ("to do", State::Planned),
    ("open", State::Planned),
];

/// The state named in a state cell or field: the earliest marker wins
/// (`🔴 Blocked — legal review` is blocked; `✅ Done (2026-01-14)` is done).
/// `None` when the text names no state.
pub(crate) fn read_state(text: &str) -> Option<State> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, State)> = None;
    for &(marker, state) in EMOJI {
        if let Some(index) = lower.find(marker)
            && best.is_none_or(|(b, _)| index < b)
        {
            best = Some((index, state));
        }
    }
    for &(word, state) in WORDS {
        if let Some(index) = find_word(&lower, word)
            && best.is_none_or(|(b, _)| index < b)
        {
            best = Some((index, state));
        }
    }
    best.map(|(_, state)| state)
}

/// The state a leading emoji declares (`✅ seeds …` at the start of a description).
pub(crate) fn leading_emoji_state(text: &str) -> Option<State> {
    let text = text.trim_start();
    EMOJI
        .iter()
        .find(|(marker, state)| {
            text.starts_with(marker) && matches!(state, State::Done | State::Cancelled)
        })
        .map(|&(_, state)| state)
}

/// The state word at the very start of `text` (for inline fields such as
/// `cancelled 2026-01-05`), with its length.
pub(crate) fn leading_state_word(text: &str) -> Option<(State, usize)> {
    WORDS
        .iter()
        .find(|(word, _)| {
            text.get(..word.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(word))
                && !text[word.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .map(|&(word, state)| (state, word.len()))
}

/// Byte index of `word` in `haystack` at word boundaries.
pub(crate) fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = haystack[from..].find(word) {
        let start = from + found;
        let end = start + word.len();
        let before_ok = !haystack[..start].ends_with(|c: char| c.is_alphanumeric());
        let after_ok = !haystack[end..].starts_with(|c: char| c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(start);
        }
        from = start + word.len().max(1);
        while !haystack.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}
