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
/// A word after a negation (`Not done`, `not yet started`, `no longer
/// blocked`, `isn't complete`) says the work is not in that state, which
/// reads as planned. `None` when the text names no state.
pub(crate) fn read_state(text: &str) -> Option<State> {
    // A task box written in a state cell (`[x]`, `[ ]`), as spec §2.1 lists.
    let trimmed = text.trim_start();
    if trimmed.starts_with("[x]") || trimmed.starts_with("[X]") {
        return Some(State::Done);
    }
    if trimmed.starts_with("[ ]") {
        return Some(State::Planned);
    }
    if text.is_ascii() {
        read_ascii_state(text.as_bytes())
    } else {
        read_any_state(text)
    }
}

/// `read_state` for any text, on a lowercase copy.
fn read_any_state(text: &str) -> Option<State> {
    let lower = text.to_lowercase();
    let mut previous_alphanumeric = false;
    // One scan: the first position where a marker starts wins; at one
    // position the longer phrase wins (WORDS is ordered longest first).
    for (index, ch) in lower.char_indices() {
        let rest = &lower[index..];
        if !ch.is_ascii() {
            if let Some(&(_, state)) = EMOJI.iter().find(|(marker, _)| rest.starts_with(marker)) {
                return Some(state);
            }
        } else if ch.is_ascii_alphabetic() && !previous_alphanumeric {
            // Comparing first bytes first skips most of the list cheaply.
            let found = WORDS.iter().find(|(word, _)| {
                word.as_bytes()[0] == rest.as_bytes()[0]
                    && rest.starts_with(word)
                    && !rest[word.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
            if let Some(&(_, state)) = found {
                return Some(unless_negated(&lower.as_bytes()[..index], state));
            }
        }
        previous_alphanumeric = ch.is_alphanumeric();
    }
    None
}

/// `read_state` for ASCII text (no emoji can be in it), compared ignoring
/// ASCII case instead of on a lowercase copy.
fn read_ascii_state(bytes: &[u8]) -> Option<State> {
    let mut previous_alphanumeric = false;
    for (index, &byte) in bytes.iter().enumerate() {
        let first = byte.to_ascii_lowercase();
        if first.is_ascii_alphabetic() && !previous_alphanumeric {
            let rest = &bytes[index..];
            let found = WORDS.iter().find(|(word, _)| {
                let word = word.as_bytes();
                word[0] == first
                    && rest
                        .get(..word.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(word))
                    && !rest.get(word.len()).is_some_and(u8::is_ascii_alphanumeric)
            });
            if let Some(&(_, state)) = found {
                return Some(unless_negated(&bytes[..index], state));
            }
        }
        previous_alphanumeric = byte.is_ascii_alphanumeric();
    }
    None
}

/// Words that say the state word after them does not hold.
const NEGATIONS: &[&[u8]] = &[
    b"not",
    b"not yet",
    b"no longer",
    b"never",
    b"cannot",
    b"yet to be",
];

/// `state`, or planned when the text `before` it ends in a negation.
fn unless_negated(before: &[u8], state: State) -> State {
    let before = before.trim_ascii_end();
    let ends_with_word = |word: &[u8]| {
        before.len() >= word.len()
            && before[before.len() - word.len()..].eq_ignore_ascii_case(word)
            && !before[..before.len() - word.len()]
                .last()
                .is_some_and(u8::is_ascii_alphanumeric)
    };
    let contracted = [b"n't".as_slice(), "n\u{2019}t".as_bytes()]
        .iter()
        .any(|ending| {
            before.len() >= ending.len()
                && before[before.len() - ending.len()..].eq_ignore_ascii_case(ending)
        });
    if contracted || NEGATIONS.iter().any(|word| ends_with_word(word)) {
        State::Planned
    } else {
        state
    }
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

/// The state an emoji at the very start of a title marks (`🚧 Synthetic
/// checks` is in progress), with the length of the emoji and the spaces
/// after it: any marker of spec §2.1, as a title has no risk field.
pub(crate) fn title_emoji_state(text: &str) -> Option<(State, usize)> {
    let (marker, state) = EMOJI.iter().find(|(marker, _)| text.starts_with(marker))?;
    let rest = text[marker.len()..].trim_start_matches('\u{FE0F}');
    let rest = rest.trim_start();
    Some((*state, text.len() - rest.len()))
}

/// The state word at the very start of `text` (for inline fields such as
/// `cancelled 2026-01-05`), with its length.
pub(crate) fn leading_state_word(text: &str) -> Option<(State, usize)> {
    // Every word starts with a lowercase ASCII letter: one byte rules most out.
    let first = text.as_bytes().first()?.to_ascii_lowercase();
    WORDS
        .iter()
        .find(|(word, _)| {
            word.as_bytes()[0] == first
                && text
                    .get(..word.len())
                    .is_some_and(|prefix| prefix.eq_ignore_ascii_case(word))
                && !text[word.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .map(|&(word, state)| (state, word.len()))
}

/// Byte index of `word` in `haystack` at word boundaries.
pub(crate) fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = super::text::find_str(&haystack[from..], word) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII scan finds what the general one finds.
    #[test]
    fn ascii_states_read_like_the_general_scan() {
        for text in [
            "Done",
            "IN PROGRESS since May",
            "not started",
            "Started",
            "restarted later",
            "won't do",
            "Blocked - waiting on legal",
            "on-hold",
            "In-Progress",
            "doneish",
            "pre-done",
            "2026-01-05 completed",
            "TODO",
            "",
            "nothing here",
        ] {
            assert_eq!(
                read_ascii_state(text.as_bytes()),
                read_any_state(text),
                "{text}"
            );
        }
    }
}
