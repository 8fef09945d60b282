//! Small text rules shared by every form: markup stripping, list splitting,
//! the key used for case- and punctuation-insensitive matching.

/// Drops inline markdown markup: emphasis and code markers, link targets
/// (`[text](url)` is `text`), escapes; collapses whitespace.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '*' | '`' | '~' => {}
            '_' => {
                // Keep snake_case words; drop `_emphasis_` markers at word edges.
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
                // Skip the link target.
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
            '[' => {}
            ']' => {}
            c if c.is_whitespace() || c.is_control() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

/// The matching key: lowercase letters and digits, every other run one space.
pub(crate) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
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
    out
}

/// Splits a list written in prose: on `,` `;` ` and ` `+` (and `/` when
/// `slash` is set, and line breaks), trimming each part and dropping empty ones.
/// Separators inside parentheses do not split.
pub(crate) fn split_list(text: &str, slash: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        let len = ch.len_utf8();
        let split_here = depth == 0
            && (matches!(ch, ',' | ';' | '+' | '\n')
                || (slash && ch == '/')
                || (ch == ' '
                    && rest
                        .get(..5)
                        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(" and "))));
        if split_here {
            parts.push(std::mem::take(&mut current));
            rest = if ch == ' ' { &rest[5..] } else { &rest[len..] };
            continue;
        }
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(ch);
        rest = &rest[len..];
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|part| part.trim().to_string())
        .filter(|part| !part.is_empty())
        .collect()
}

/// Whether `token` reads as a declared id: an uppercase letter, then letters
/// and digits in groups joined by `-`, `.` or `_`, with at least one digit and
/// one joiner (`PAY-1`, `T1.1`, `W2-M1`, `SOC2-004`; not `S3`, `Q1`).
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
