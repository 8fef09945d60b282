//! Small text rules shared by every form: markup stripping, list splitting,
//! the key used for case- and punctuation-insensitive matching.

use std::borrow::Cow;

/// Drops inline markdown markup: emphasis and code markers, link targets
/// (`[text](url)` is `text`), escapes; collapses whitespace.
pub(crate) fn strip_markup(text: &str) -> String {
    if is_plain(text) {
        return text.to_string();
    }
    strip_markup_rebuilt(text)
}

/// [`strip_markup`], borrowing `text` when it has nothing to strip.
pub(crate) fn strip_markup_cow(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(strip_markup_rebuilt(text))
    }
}

/// [`strip_markup`] for text that is not plain: rebuilt a run at a time.
fn strip_markup_rebuilt(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Characters kept as they are accumulate in `text[run..]` and are copied
    // in one go before any character that needs a rule.
    let mut run = 0;
    // Whether the last character was kept as it is and is not a space (a
    // space after it is then kept as it is too).
    let mut after_kept = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        let kept = match ch {
            '*' | '`' | '~' | '_' | '\\' | '[' | ']' => false,
            ' ' => after_kept,
            c => !(c.is_whitespace() || c.is_control()),
        };
        if kept {
            after_kept = ch != ' ';
            continue;
        }
        out.push_str(&text[run..index]);
        match ch {
            '*' | '`' | '~' => {}
            '_' => {
                // Keep snake_case words; drop `_emphasis_` markers at word edges.
                let prev_alnum = out.chars().last().is_some_and(char::is_alphanumeric);
                let next_alnum = chars.peek().is_some_and(|&(_, c)| c.is_alphanumeric());
                if prev_alnum && next_alnum {
                    out.push('_');
                }
            }
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            ']' if chars.peek().is_some_and(|&(_, c)| c == '(') => {
                // Skip the link target.
                let mut depth = 0;
                for (_, next) in chars.by_ref() {
                    match next {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '[' | ']' => {}
            _ => {
                // Whitespace and control characters: one space between words.
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
        run = chars.peek().map_or(text.len(), |&(next, _)| next);
        after_kept = false;
    }
    out.push_str(&text[run..]);
    let kept = out.trim_end().len();
    out.truncate(kept);
    out
}

/// Text `strip_markup` leaves as it is: no markup character, no control
/// character, no whitespace but single inner spaces. Checked in one pass so
/// most titles and cells are copied without the character-by-character rebuild.
pub(crate) fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte.is_ascii() {
            let plain = if byte == b' ' {
                bytes[index - 1] != b' '
            } else {
                PLAIN_ASCII[usize::from(byte)]
            };
            if !plain {
                return false;
            }
            index += 1;
        } else {
            // `index` is a character boundary: only whole characters are stepped over.
            let Some(ch) = text[index..].chars().next() else {
                return false;
            };
            if ch.is_whitespace() || ch.is_control() {
                return false;
            }
            index += ch.len_utf8();
        }
    }
    true
}

/// Printable ASCII `strip_markup` copies as it is (space is handled apart).
const PLAIN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0x21;
    while byte < 0x7F {
        table[byte] = !matches!(byte as u8, b'*' | b'`' | b'~' | b'_' | b'\\' | b'[' | b']');
        byte += 1;
    }
    table
};

/// Byte index of the first `needle` in `haystack`, like `str::find`. Short
/// haystacks (most lines and cells) are searched byte by byte, which costs
/// less than setting up the two-way searcher `str::find` builds per call;
/// long ones still get the linear-time search.
pub(crate) fn find_str(haystack: &str, needle: &str) -> Option<usize> {
    const SHORT: usize = 128;
    if haystack.len() > SHORT {
        return haystack.find(needle);
    }
    let (hay, pattern) = (haystack.as_bytes(), needle.as_bytes());
    let (Some(&first), Some(&last)) = (pattern.first(), pattern.last()) else {
        return Some(0);
    };
    let last_start = hay.len().checked_sub(pattern.len())?;
    // A match of valid UTF-8 in valid UTF-8 starts and ends on character
    // boundaries, so the index is one `str::find` would give. The last byte
    // is checked before the rest: a needle starting with a space would
    // otherwise be compared in full at every space.
    (0..=last_start).find(|&index| {
        hay[index] == first
            && hay[index + pattern.len() - 1] == last
            && hay[index..].starts_with(pattern)
    })
}

/// `str::trim` (Unicode white space off both ends), with a quick path for
/// the usual text whose ends are ASCII: table cells and list items are
/// trimmed several times each.
pub(crate) fn trim(text: &str) -> &str {
    let ascii = text.trim_ascii();
    // `trim_ascii` leaves a vertical tab, and any non-ASCII space, to `trim`.
    let rest = |byte: Option<&u8>| byte.is_some_and(|&byte| !byte.is_ascii() || byte == 0x0B);
    if rest(ascii.as_bytes().first()) || rest(ascii.as_bytes().last()) {
        ascii.trim()
    } else {
        ascii
    }
}

/// The matching key: lowercase letters and digits, every other run one space.
pub(crate) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    key_into(text, &mut out);
    out
}

/// Appends the matching key of `text` (see [`key`]) to `out`.
pub(crate) fn key_into(text: &str, out: &mut String) {
    // The common case, ASCII, a byte at a time through a table (the same
    // rule as `unicode_key_into`); the first non-ASCII byte hands the whole
    // text to `unicode_key_into`.
    let start = out.len();
    let mut pending_space = false;
    for &byte in text.as_bytes() {
        match KEY_BYTES[usize::from(byte)] {
            KEY_SEPARATOR => pending_space = true,
            KEY_NON_ASCII => {
                out.truncate(start);
                unicode_key_into(text, out);
                return;
            }
            kept => {
                if pending_space && out.len() > start {
                    out.push(' ');
                }
                pending_space = false;
                out.push(char::from(kept));
            }
        }
    }
}

/// `KEY_BYTES` entry of an ASCII byte that is not a letter or digit.
const KEY_SEPARATOR: u8 = 0;
/// `KEY_BYTES` entry of a byte of a non-ASCII character.
const KEY_NON_ASCII: u8 = 0xFF;

/// Each byte's part in a key: its lowercase form for an ASCII letter or
/// digit, else `KEY_SEPARATOR` or `KEY_NON_ASCII`.
const KEY_BYTES: [u8; 256] = {
    let mut table = [KEY_NON_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        let ascii = byte as u8;
        table[byte] = if ascii.is_ascii_alphanumeric() {
            ascii.to_ascii_lowercase()
        } else {
            KEY_SEPARATOR
        };
        byte += 1;
    }
    table
};

/// `key_into` for text with non-ASCII characters, a character at a time.
fn unicode_key_into(text: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            if ch.is_ascii() {
                out.push(ch.to_ascii_lowercase());
            } else {
                out.extend(ch.to_lowercase());
            }
        } else {
            pending_space = true;
        }
    }
}

/// The length of the `<br>` (`<br/>`, `<br />`, any case) `bytes` starts
/// with, 0 when it starts with none: a table cell's only way to write a
/// line break.
pub(crate) fn line_break_tag(bytes: &[u8]) -> usize {
    ["<br>".as_bytes(), b"<br/>", b"<br />"]
        .iter()
        .find(|tag| {
            bytes
                .get(..tag.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(tag))
        })
        .map_or(0, |tag| tag.len())
}

/// Whether `text` holds a `<br>` (see [`line_break_tag`]).
pub(crate) fn has_line_break_tag(text: &str) -> bool {
    text.match_indices('<')
        .any(|(index, _)| line_break_tag(&text.as_bytes()[index..]) > 0)
}

/// Splits a list written in prose: on `,` `;` ` and ` `+` (and `/` when
/// `slash` is set, and line breaks), trimming each part and dropping empty ones.
/// Separators inside parentheses do not split.
pub(crate) fn split_list(text: &str, slash: bool) -> Vec<&str> {
    let mut parts = Vec::new();
    for_each_in_list(text, slash, |part| parts.push(part));
    parts
}

/// [`split_list`], calling `each` with every part instead of collecting them.
pub(crate) fn for_each_in_list<'t>(text: &'t str, slash: bool, mut each: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut emit = |part: &'t str| {
        let part = part.trim();
        if !part.is_empty() {
            each(part);
        }
    };
    let mut depth = 0usize;
    let mut start = 0;
    let mut index = 0;
    // Every separator is ASCII, so the slices below start and end on
    // character boundaries.
    while index < bytes.len() {
        let byte = bytes[index];
        let separator = if depth > 0 {
            0
        } else if matches!(byte, b',' | b';' | b'+' | b'\n') || (slash && byte == b'/') {
            1
        } else if byte == b'<' {
            line_break_tag(&bytes[index..])
        } else if byte == b' '
            && bytes
                .get(index..index + 5)
                .is_some_and(|window| window.eq_ignore_ascii_case(b" and "))
        {
            5
        } else {
            0
        };
        if separator > 0 {
            emit(&text[start..index]);
            index += separator;
            start = index;
            continue;
        }
        match byte {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        index += 1;
    }
    emit(&text[start..]);
}

/// Whether `token` reads as a declared id: an uppercase letter, then letters
/// and digits in groups joined by `-`, `.` or `_`, with at least one digit and
/// one joiner (`PAY-1`, `T1.1`, `W2-M1`, `SOC2-004`; not `S3`, `Q1`).
/// The id of a dependency written with a note after it (`A-1 (auth)`,
/// `SEC-7 (done)`): what it is resolved by. The text as written otherwise.
pub(crate) fn without_note(text: &str) -> &str {
    let Some(open) = text.find(" (") else {
        return text;
    };
    let (id, note) = (&text[..open], text[open + 1..].trim_end());
    if note.ends_with(')') && is_id_token(id) {
        id
    } else {
        text
    }
}

pub(crate) fn is_id_token(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() < 3 || bytes.len() > 40 || !bytes[0].is_ascii_uppercase() {
        return false;
    }
    let mut has_digit = false;
    let mut has_joiner = false;
    let mut previous_joiner = false;
    for &byte in bytes {
        match byte {
            b'0'..=b'9' => {
                has_digit = true;
                previous_joiner = false;
            }
            b'A'..=b'Z' => previous_joiner = false,
            b'a'..=b'z' => return false,
            b'-' | b'.' | b'_' => {
                if previous_joiner {
                    return false;
                }
                has_joiner = true;
                previous_joiner = true;
            }
            _ => return false,
        }
    }
    has_digit && has_joiner && !previous_joiner
}

/// Splits a leading id token off a title (`T3.2 OpenLineage` → `T3.2`,
/// `OpenLineage`); a `:` or dash after the id is dropped.
pub(crate) fn split_leading_id(title: &str) -> (Option<String>, &str) {
    let trimmed = title.trim_start();
    let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    let token = trimmed[..end].trim_end_matches(':');
    if is_id_token(token) {
        let rest = trimmed[end..]
            .trim_start()
            .trim_start_matches(['—', '–', '-', ':'])
            .trim_start();
        if !rest.is_empty() {
            return (Some(token.to_string()), rest);
        }
        return (Some(token.to_string()), "");
    }
    (None, title)
}

/// Shortens a title to a readable length at a word boundary.
pub(crate) fn readable_title(text: &str) -> String {
    const LIMIT: usize = 80;
    let text = text.trim();
    if text.chars().count() <= LIMIT {
        return text.to_string();
    }
    let mut cut = 0;
    for (count, (index, ch)) in text.char_indices().enumerate() {
        if count >= LIMIT {
            break;
        }
        if ch.is_whitespace() {
            cut = index;
        }
    }
    if cut == 0 {
        cut = text
            .char_indices()
            .nth(LIMIT)
            .map_or(text.len(), |(index, _)| index);
    }
    format!("{}…", text[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `strip_markup` as first written, a character at a time: the
    /// reference the faster one must agree with.
    fn reference_strip_markup(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '*' | '`' | '~' => {}
                '_' => {
                    let prev_alnum = out.chars().last().is_some_and(char::is_alphanumeric);
                    let next_alnum = chars.peek().is_some_and(|c| c.is_alphanumeric());
                    if prev_alnum && next_alnum {
                        out.push('_');
                    }
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                ']' if chars.peek() == Some(&'(') => {
                    let mut depth = 0;
                    for next in chars.by_ref() {
                        match next {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                '[' | ']' => {}
                c if c.is_whitespace() || c.is_control() => {
                    if !out.ends_with(' ') && !out.is_empty() {
                        out.push(' ');
                    }
                }
                c => out.push(c),
            }
        }
        out.trim_end().to_string()
    }

    /// The quick `trim` removes what `str::trim` removes.
    #[test]
    fn trim_matches_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a b ",
            "\t\u{b}a\u{b}\n",
            "\u{a0}a\u{3000}",
            " \u{85}é ",
            "\u{b}",
            "a\u{2029}",
            "\r\n",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    /// The table-driven ASCII path and the character path agree.
    #[test]
    fn ascii_keys_match_the_character_rule() {
        for text in [
            "Token cache index",
            "  D1-M9 ",
            "T1.2: Import -- gateway!!",
            "__init__ (v2)",
            "",
            "--",
            "ABC_def 123",
        ] {
            let mut by_character = String::new();
            unicode_key_into(text, &mut by_character);
            assert_eq!(key(text), by_character, "{text:?}");
        }
        // Appending leaves what is already there alone, and a non-ASCII
        // text found part-way starts again after it.
        let mut out = String::from("x-");
        key_into("  Émigré: café ", &mut out);
        key_into(" Ab ", &mut out);
        assert_eq!(out, "x-émigré caféab");
        assert_eq!(key("Émigré Café"), "émigré café");
        assert_eq!(key("T1.2: Import -- gateway!!"), "t1 2 import gateway");
    }

    /// Every string of up to five characters over markup, spaces, brackets
    /// and non-ASCII letters and spaces strips as the reference does.
    #[test]
    fn strip_markup_matches_the_reference() {
        let alphabet = [
            'a', ' ', '*', '_', '\\', '[', ']', '(', ')', '\t', 'é', '\u{a0}', '\n',
        ];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            let mut longer = Vec::with_capacity(texts.len() * alphabet.len());
            for text in &texts {
                for &ch in &alphabet {
                    let mut next = text.clone();
                    next.push(ch);
                    assert_eq!(
                        strip_markup(&next),
                        reference_strip_markup(&next),
                        "{next:?}"
                    );
                    checked += 1;
                    longer.push(next);
                }
            }
            texts = longer;
        }
        assert!(checked > 300_000);
        for text in [
            "**T1.0 Rollout** — ledger audit  (owner: Identity)",
            "[link](https://example.com/a_(b)) and `code` ~~gone~~",
            "snake_case _emphasis_ word_",
            "  padded\u{2003}text\u{0085}end  ",
        ] {
            assert_eq!(strip_markup(text), reference_strip_markup(text), "{text:?}");
        }
    }
}
