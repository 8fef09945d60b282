//! Field words (spec §1.1): table headers, heading-block fields and the inline
//! fields of task items all name fields with the same words.

use std::borrow::Cow;
use std::ops::Range;

use chrono::NaiveDate;

use super::dates::{DateBase, DateRead, read_date, read_date_prefix};
use super::states::leading_state_word;
use crate::model::State;

/// A milestone field a header or field word names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Id,
    Description,
    Owners,
    Target,
    Start,
    State,
    Dependencies,
}

/// Field words, most specific first (`start date` before `date`).
const SYNONYMS: &[(&str, Field)] = &[
    ("start date", Field::Start),
    ("start", Field::Start),
    ("begin", Field::Start),
    ("work item", Field::Title),
    ("milestone", Field::Title),
    ("initiative", Field::Title),
    ("deliverable", Field::Title),
    ("task", Field::Title),
    ("item", Field::Title),
    ("feature", Field::Title),
    ("epic", Field::Title),
    ("goal", Field::Title),
    ("objective", Field::Title),
    ("title", Field::Title),
    ("name", Field::Title),
    ("activity", Field::Title),
    ("phase", Field::Title),
    ("id", Field::Id),
    ("#", Field::Id),
    ("key", Field::Id),
    ("ref", Field::Id),
    ("ticket", Field::Id),
    ("description", Field::Description),
    ("summary", Field::Description),
    ("details", Field::Description),
    ("scope", Field::Description),
    ("assigned to", Field::Owners),
    ("owned by", Field::Owners),
    ("owning team", Field::Owners),
    ("owners", Field::Owners),
    ("owner", Field::Owners),
    ("team", Field::Owners),
    ("assignee", Field::Owners),
    ("assigned", Field::Owners),
    ("responsible", Field::Owners),
    ("dri", Field::Owners),
    ("lead", Field::Owners),
    ("target", Field::Target),
    ("due", Field::Target),
    ("deadline", Field::Target),
    ("date", Field::Target),
    ("eta", Field::Target),
    ("end", Field::Target),
    ("finish", Field::Target),
    ("when", Field::Target),
    ("horizon", Field::Target),
    ("status", Field::State),
    ("state", Field::State),
    ("progress", Field::State),
    ("depends on", Field::Dependencies),
    ("dependencies", Field::Dependencies),
    ("dependency", Field::Dependencies),
    ("blocked by", Field::Dependencies),
    ("prerequisites", Field::Dependencies),
    ("requires", Field::Dependencies),
    ("needs", Field::Dependencies),
    ("after", Field::Dependencies),
];

/// Normalises a header or field name: markup, parenthesised notes and
/// punctuation dropped, lowercase, single spaces (`Owner(s)` → `owner`).
pub(crate) fn header_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '#' => out.push('#'),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            '\'' | '’' => {}
            _ => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
        }
    }
    // Only spaces can sit at either end (every other character pushed is
    // alphanumeric or `#`), at most one each.
    if out.ends_with(' ') {
        out.pop();
    }
    if out.starts_with(' ') {
        out.remove(0);
    }
    out
}

/// [`header_words`], written into `buffer` when `text` is ASCII and fits
/// (headers and headings are short): no allocation for the usual header.
pub(crate) fn header_words_in<'b>(text: &str, buffer: &'b mut [u8; 64]) -> Cow<'b, str> {
    if !text.is_ascii() || text.len() > buffer.len() {
        return Cow::Owned(header_words(text));
    }
    // The same rules as `header_words` for ASCII: the output is never
    // longer than the input.
    let mut len = 0;
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            b'#' => {
                buffer[len] = b'#';
                len += 1;
            }
            b if b.is_ascii_alphanumeric() => {
                buffer[len] = b.to_ascii_lowercase();
                len += 1;
            }
            b'\'' => {}
            _ => {
                if len == 0 || buffer[len - 1] != b' ' {
                    buffer[len] = b' ';
                    len += 1;
                }
            }
        }
    }
    let mut words = &buffer[..len];
    if let [rest @ .., b' '] = words {
        words = rest;
    }
    if let [b' ', rest @ ..] = words {
        words = rest;
    }
    match std::str::from_utf8(words) {
        Ok(words) => Cow::Borrowed(words),
        Err(_) => Cow::Owned(header_words(text)),
    }
}

/// Whether `key` is, as a whole, one of the owner words a header may use
/// (`Owner`, `**Owners**`, `Team`, `DRI`, `Owned by`): stricter than
/// [`header_field`], which finds a field word anywhere in a header, so
/// that prose such as `Lead time: 3 weeks` names nobody.
pub(crate) fn names_owners(key: &str) -> bool {
    let mut buffer = [0u8; 64];
    let words = header_words_in(key, &mut buffer);
    SYNONYMS
        .iter()
        .any(|&(word, field)| field == Field::Owners && word == words)
}

/// The field a header names, and whether it is a `horizon` (days) column.
/// The whole header is tried first, then its words from the left.
pub(crate) fn header_field(header: &str) -> Option<(Field, bool)> {
    let mut buffer = [0u8; 64];
    let words = header_words_in(header, &mut buffer);
    let words: &str = &words;
    if words.is_empty() {
        return None;
    }
    if let Some(&(word, field)) = SYNONYMS.iter().find(|(word, _)| *word == words) {
        return Some((field, word == "horizon"));
    }
    // Each word of `words` (single spaces between), from the left: the first
    // synonym that the words from there spell out, whole words only.
    let mut start = 0;
    loop {
        let rest = &words[start..];
        for &(word, field) in SYNONYMS {
            if rest.starts_with(word)
                && rest
                    .as_bytes()
                    .get(word.len())
                    .is_none_or(|&next| next == b' ')
            {
                return Some((field, word == "horizon"));
            }
        }
        start += rest.find(' ')? + 1;
    }
}

/// The fields found inline in a task item's text.
#[derive(Debug, Default)]
pub(crate) struct InlineFields {
    pub owners: Vec<String>,
    pub target: Option<String>,
    pub start: Option<String>,
    pub state_text: Option<String>,
    pub state: Option<State>,
    pub dependencies: Vec<String>,
    /// Byte ranges of the text the fields used (left out of a derived title).
    pub spans: Vec<Range<usize>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Owners,
    Target,
    Start,
    Status,
    Dependencies,
}

/// Keywords that open a field, with whether a date must follow them.
/// Grouped by first letter (the first match wins, and only keywords with
/// the same first letter can match the same text, so the order within a
/// group is the one that matters); `keys_from` picks a group.
const INLINE_KEYS: &[(&str, Key)] = &[
    ("owners:", Key::Owners),
    ("owner:", Key::Owners),
    ("owner ", Key::Owners),
    ("target date:", Key::Target),
    ("target date ", Key::Target),
    ("target:", Key::Target),
    ("target ", Key::Target),
    ("due date:", Key::Target),
    ("due on ", Key::Target),
    ("due by ", Key::Target),
    ("due:", Key::Target),
    ("due ", Key::Target),
    ("deadline:", Key::Target),
    ("deadline ", Key::Target),
    ("depends on:", Key::Dependencies),
    ("depends on ", Key::Dependencies),
    ("dependencies:", Key::Dependencies),
    ("eta:", Key::Target),
    ("eta ", Key::Target),
    ("by ", Key::Target),
    ("blocked by:", Key::Dependencies),
    ("blocked by ", Key::Dependencies),
    ("start:", Key::Start),
    ("starts ", Key::Start),
    ("start ", Key::Start),
    ("status:", Key::Status),
    ("state:", Key::Status),
    ("requires:", Key::Dependencies),
    ("after ", Key::Dependencies),
];

/// The keywords starting with `first` (a lowercase ASCII letter), in order.
fn keys_from(first: u8) -> &'static [(&'static str, Key)] {
    let range = match first {
        b'o' => 0..3,
        b't' => 3..7,
        b'd' => 7..17,
        b'e' => 17..19,
        b'b' => 19..22,
        b's' => 22..27,
        b'r' => 27..28,
        b'a' => 28..29,
        _ => 0..0,
    };
    &INLINE_KEYS[range]
}

/// The inline keyword `bytes` start with, ignoring ASCII case (only the
/// keywords with its first letter can match).
fn keyword_at(bytes: &[u8]) -> Option<(&'static str, Key)> {
    let first = bytes.first()?.to_ascii_lowercase();
    keys_from(first)
        .iter()
        .find(|(keyword, _)| {
            bytes
                .get(..keyword.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(keyword.as_bytes()))
        })
        .copied()
}

/// Finds the inline fields of one line of item text (`(owner: X)`,
/// `(target 2025-11-29)`, `due 2025-11-29`, `Depends on: X, Y`, `blocked by X`,
/// `(cancelled 2026-01-05)` …).
pub(crate) fn inline_fields(
    text: &str,
    anchor: NaiveDate,
    fields: &mut InlineFields,
    parens: &mut Parens,
) {
    // Keywords are matched ignoring ASCII case, on the text itself.
    let bytes = text.as_bytes();
    parens.find(bytes);
    let closes = parens.pairs.as_slice();
    // The first ASCII digit at or after `index` (a state word counts as a
    // field only with a date close behind it); moved forward as `index` passes it.
    let mut next_digit = 0;
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'(' {
            let found = closes.binary_search_by_key(&index, |&(open, _)| open);
            let Some(close) = found.ok().map(|position| closes[position].1) else {
                index += 1;
                continue;
            };
            if parenthesised(text, index + 1..close, anchor, fields) {
                fields.spans.push(index..close + 1);
            }
            index = close + 1;
            continue;
        }
        let at_word_start = index == 0 || !bytes[index - 1].is_ascii_alphanumeric();
        if at_word_start && let Some((keyword, key)) = keyword_at(&bytes[index..]) {
            let value_start = index + keyword.len();
            let declared = keyword.ends_with(':');
            if let Some(value_end) = field_value(text, value_start, key, declared, anchor, fields) {
                // Take a joining comma or "and" before the field with it.
                let mut span_start = index;
                let before = text[..index].trim_end();
                if before.ends_with(',') {
                    span_start = before.len() - 1;
                }
                fields.spans.push(span_start..value_end);
                index = value_end.max(index + 1);
                continue;
            }
        }
        // `completed 2025-11-01`, `cancelled 2026-01-05`: a state word with a date.
        if at_word_start && bytes[index].is_ascii_alphabetic() && next_digit <= index {
            next_digit = bytes[index..]
                .iter()
                .position(u8::is_ascii_digit)
                .map_or(bytes.len(), |offset| index + offset);
        }
        if at_word_start
            && bytes[index].is_ascii_alphabetic()
            && next_digit < index + 24
            && let Some((state, len)) = leading_state_word(&text[index..])
        {
            let after = &text[index + len..];
            let gap = after.len() - after.trim_start().len();
            if gap > 0
                && let Some((_, date_len)) = read_date_prefix(&after[gap..], anchor)
            {
                let end = index + len + gap + date_len;
                fields.state = Some(state);
                fields.spans.push(index..end);
                index = end;
                continue;
            }
        }
        index += 1;
        // The rest of an ASCII word holds no word start and no parenthesis.
        if bytes[index - 1].is_ascii_alphanumeric() {
            while index < bytes.len() && bytes[index].is_ascii_alphanumeric() {
                index += 1;
            }
        }
        while index < bytes.len() && !text.is_char_boundary(index) {
            index += 1;
        }
    }
}

/// Every matched `(`…`)` pair of a text, in order of the opening
/// parenthesis, found in one pass (unmatched ones are left out). Kept
/// between lines so its buffers are allocated once per document.
#[derive(Debug, Default)]
pub(crate) struct Parens {
    pairs: Vec<(usize, usize)>,
    open: Vec<usize>,
}

impl Parens {
    fn find(&mut self, bytes: &[u8]) {
        self.pairs.clear();
        self.open.clear();
        if !bytes.contains(&b'(') {
            return;
        }
        for (index, &byte) in bytes.iter().enumerate() {
            match byte {
                b'(' => self.open.push(index),
                b')' => {
                    if let Some(start) = self.open.pop() {
                        self.pairs.push((start, index));
                    }
                }
                _ => {}
            }
        }
        self.pairs.sort_unstable();
    }
}

/// Reads a parenthesised group as comma-separated fields; parts without a
/// keyword continue the previous field's list. True when it held a field.
fn parenthesised(
    text: &str,
    range: Range<usize>,
    anchor: NaiveDate,
    fields: &mut InlineFields,
) -> bool {
    let inner = &text[range];
    // A date alone in parentheses (`Payouts GA (2027-03-01)`, `(Q1 2027)`)
    // is the target, unless a field names one.
    let whole = inner.trim();
    if fields.target.is_none()
        && whole.len() > 4
        && keyword_at(whole.as_bytes()).is_none()
        && let DateRead::Date(..) = read_date(
            whole,
            DateBase {
                anchor,
                horizon: false,
            },
        )
    {
        fields.target = Some(whole.to_string());
        return true;
    }
    let mut any = false;
    let mut previous: Option<Key> = None;
    for part in inner.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let first = part.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
        let keyed = keys_from(first).iter().find(|(keyword, _)| {
            let keyword = keyword.strip_suffix(' ').unwrap_or(keyword).as_bytes();
            part.as_bytes()
                .get(..keyword.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(keyword))
                && part
                    .as_bytes()
                    .get(keyword.len())
                    .is_none_or(|next| matches!(next, b' ' | b':'))
        });
        if let Some(&(keyword, key)) = keyed {
            let value = part[keyword.strip_suffix(' ').unwrap_or(keyword).len()..]
                .trim_start_matches([':', ' '])
                .trim();
            if store(key, value, keyword.ends_with(':'), anchor, fields) {
                any = true;
                previous = Some(key);
                continue;
            }
        }
        if let Some((state, len)) = leading_state_word(part) {
            let rest = part[len..].trim();
            // `cancelled 2026-01-05`, `done`, `in progress`: a state, maybe dated.
            if rest.is_empty() || read_date_prefix(rest, anchor).is_some() {
                fields.state = Some(state);
                any = true;
                previous = None;
                continue;
            }
        }
        match previous {
            Some(Key::Owners) => fields.owners.push(part.to_string()),
            Some(Key::Dependencies) => fields.dependencies.push(part.to_string()),
            _ => previous = None,
        }
    }
    any
}

/// Stores one keyed value; false when the value does not fit the key
/// (`by the way` is no target). A target or start `declared` with a colon
/// (`target: H3 2026`) is kept as written even when it is no date, so that
/// it is warned about, as a table's target cell is, and not read as prose.
fn store(
    key: Key,
    value: &str,
    declared: bool,
    anchor: NaiveDate,
    fields: &mut InlineFields,
) -> bool {
    if value.is_empty() {
        return false;
    }
    match key {
        Key::Owners => fields.owners.push(value.to_string()),
        Key::Target | Key::Start => {
            let len = match read_date_prefix(value, anchor) {
                Some((DateRead::Date(..) | DateRead::Impossible, len)) => len,
                _ if declared => value.len(),
                _ => return false,
            };
            let date = value[..len].to_string();
            if key == Key::Target {
                fields.target = Some(date);
            } else {
                fields.start = Some(date);
            }
        }
        Key::Status => fields.state_text = Some(value.to_string()),
        Key::Dependencies => fields.dependencies.push(value.to_string()),
    }
    true
}

/// Reads a field outside parentheses from `start`; returns where it ends.
/// `declared`: the keyword ended with a colon (see [`store`]).
fn field_value(
    text: &str,
    start: usize,
    key: Key,
    declared: bool,
    anchor: NaiveDate,
    fields: &mut InlineFields,
) -> Option<usize> {
    let rest = &text[start..];
    let skipped = rest.len() - rest.trim_start_matches([' ', ':']).len();
    let value_start = start + skipped;
    let rest = &text[value_start..];
    match key {
        Key::Target | Key::Start => {
            let len = match read_date_prefix(rest, anchor) {
                Some((DateRead::Date(..) | DateRead::Impossible, len)) => len,
                _ if declared => rest[..clause_end(rest, anchor)]
                    .trim_end()
                    .trim_end_matches(',')
                    .trim_end()
                    .len(),
                _ => return None,
            };
            if len == 0 {
                return None;
            }
            let date = rest[..len].to_string();
            if key == Key::Target {
                fields.target = Some(date);
            } else {
                fields.start = Some(date);
            }
            Some(value_start + len)
        }
        _ => {
            let end = clause_end(rest, anchor);
            let value = rest[..end].trim().trim_end_matches(',').trim_end();
            if value.is_empty() {
                return None;
            }
            if key == Key::Dependencies {
                // `after X` only when X reads as an id: "after lunch" is prose.
                let first = value.split_whitespace().next().unwrap_or_default();
                let text_before = &text[..start];
                let before = text_before.as_bytes();
                if before.len() >= 6
                    && before[before.len() - 6..].eq_ignore_ascii_case(b"after ")
                    && !super::text::is_id_token(first.trim_end_matches([',', '.']))
                {
                    return None;
                }
            }
            if key == Key::Owners && text[..start].ends_with(' ') && !text[..start].ends_with(": ")
            {
                // `owner X` without a colon reads as prose ("the owner will …").
                return None;
            }
            store(key, value, declared, anchor, fields).then_some(value_start + end)
        }
    }
}

/// The end of a field's value: `;`, `(`, `)`, a `.`/`!`/`?` followed by a
/// space or the end, a spaced dash (` — `, ` – `, ` - `), `·` or `|`, or the
/// start of the next field (`Owner: Edge, Target: 2026-12-20`, `after ID-2
/// due 2027-01-15`, `status: in progress, due 2026-12-10`).
fn clause_end(text: &str, anchor: NaiveDate) -> usize {
    let bytes = text.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            b';' | b'(' | b')' | b'|' => return index,
            b'.' | b'!' | b'?' if index + 1 == bytes.len() || bytes[index + 1] == b' ' => {
                return index;
            }
            b' ' if [" — ", " – ", " - ", " · "]
                .iter()
                .any(|dash| text[index..].starts_with(dash)) =>
            {
                return index;
            }
            b if b.is_ascii_alphabetic()
                && index > 0
                && matches!(bytes[index - 1], b' ' | b',')
                && starts_field(&text[index..], anchor) =>
            {
                return index;
            }
            _ => {}
        }
    }
    bytes.len()
}

/// Whether `text` opens another field: a keyword with a colon, a target or
/// start keyword with a date after it, `depends on`/`blocked by`, or
/// `after` an id.
fn starts_field(text: &str, anchor: NaiveDate) -> bool {
    let Some((keyword, key)) = keyword_at(text.as_bytes()) else {
        return false;
    };
    let rest = text[keyword.len()..].trim_start();
    match key {
        _ if keyword.ends_with(':') => true,
        Key::Target | Key::Start => matches!(
            read_date_prefix(rest, anchor),
            Some((DateRead::Date(..) | DateRead::Impossible, _))
        ),
        Key::Dependencies if keyword == "after " => rest
            .split_whitespace()
            .next()
            .is_some_and(|first| super::text::is_id_token(first.trim_end_matches([',', '.']))),
        Key::Dependencies => true,
        Key::Owners | Key::Status => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffered header words are `header_words`'s.
    #[test]
    fn buffered_header_words_match() {
        for text in [
            "",
            " ",
            "Owner(s)",
            "  Target  date ",
            "#",
            "Start [planned] date",
            "Team's lead",
            "ID / Key",
            "Ünïcode owner",
            "a very long header that does not fit into the sixty four byte buffer at all",
            "((unclosed",
            "closed))) here",
        ] {
            let mut buffer = [0u8; 64];
            assert_eq!(
                header_words_in(text, &mut buffer),
                header_words(text),
                "{text:?}"
            );
        }
    }

    /// `keys_from` hands out exactly the keywords with that first letter, in
    /// the table's order, and the table keeps each letter together.
    #[test]
    fn keyword_groups_cover_the_table() {
        let mut seen = 0;
        for first in b'a'..=b'z' {
            let group = keys_from(first);
            assert!(
                group
                    .iter()
                    .all(|(keyword, _)| keyword.as_bytes()[0] == first)
            );
            let expected: Vec<&str> = INLINE_KEYS
                .iter()
                .filter(|(keyword, _)| keyword.as_bytes()[0] == first)
                .map(|(keyword, _)| *keyword)
                .collect();
            let got: Vec<&str> = group.iter().map(|(keyword, _)| *keyword).collect();
            assert_eq!(got, expected, "{}", char::from(first));
            seen += group.len();
        }
        assert_eq!(seen, INLINE_KEYS.len());
    }
}
