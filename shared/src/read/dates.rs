//! Dates with a precision (spec §2.2): every written form of a target or start.

use std::borrow::Cow;

use chrono::{Datelike, Days, NaiveDate};

use crate::model::Precision;

/// What a date text turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateRead {
    /// A date (the last day of its month, quarter or half for coarser forms).
    Date(NaiveDate, Precision),
    /// Shaped like a date but no such day exists (`2026-02-30`, `31/02/2026`).
    Impossible,
    /// Deliberately unscheduled (`TBD`, `-`, empty).
    Placeholder,
    /// Anything else (`Wave 2 Week 1`): unscheduled, worth a warning.
    NotADate,
}

/// The dates a yearless form (`Nov 5`) and a horizon (`90`) are counted from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DateBase {
    /// The document's `last_updated`/`created`, else today.
    pub anchor: NaiveDate,
    /// Whether the text sits under a `horizon` header (a bare number is days).
    pub horizon: bool,
}

const PLACEHOLDERS: &[&str] = &[
    "",
    "tbd",
    "tba",
    "tbc",
    "n/a",
    "na",
    "-",
    "--",
    "—",
    "–",
    "?",
    "??",
    "unknown",
    "none",
    "later",
    "someday",
    "not set",
    "unscheduled",
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads a target/start text. Markup, a leading `by`/`due`/`~` and trailing
/// punctuation are ignored.
pub(crate) fn read_date(text: &str, base: DateBase) -> DateRead {
    read_date_with(text, base, true)
}

/// `trailing`: whether a full date may be followed by more (a time, a range).
fn read_date_with(text: &str, base: DateBase, trailing: bool) -> DateRead {
    let cleaned = clean(text);
    // Most dates are ASCII and many have no capital: no copy for those.
    let lower: Cow<'_, str> = if !cleaned.is_ascii() {
        Cow::Owned(cleaned.to_lowercase())
    } else if cleaned.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(cleaned.to_ascii_lowercase())
    } else {
        cleaned
    };
    let lower = lower.as_ref();
    if PLACEHOLDERS.contains(&lower) || (lower.starts_with('[') && lower.ends_with(']')) {
        return if lower.is_empty() || PLACEHOLDERS.contains(&lower) {
            DateRead::Placeholder
        } else {
            DateRead::NotADate
        };
    }
    if base.horizon
        && let Some(days) = horizon_days(lower)
    {
        return match base.anchor.checked_add_days(Days::new(days)) {
            Some(date) => DateRead::Date(date, Precision::Day),
            None => DateRead::Impossible,
        };
    }
    if let Some(date) = iso_day(lower) {
        return date;
    }
    // A range of dates (`2027-03-01 – 2027-04-15`) is due at its end.
    if let Some((start, end)) = split_range(lower)
        && let DateRead::Date(..) = read_date_with(start, base, true)
        && let found @ DateRead::Date(..) = read_date_with(end, base, false)
    {
        return found;
    }
    let tokens = tokenize(lower);
    if !trailing && tokens.len > 3 {
        return DateRead::NotADate;
    }
    match_tokens(tokens.as_slice(), base.anchor)
}

/// The two sides of a range (`a – b`, `a - b`, `a → b`, `a to b`), split
/// at its first separator.
fn split_range(text: &str) -> Option<(&str, &str)> {
    [" – ", " — ", " - ", " → ", "→", " to ", " .. "]
        .iter()
        .filter_map(|separator| {
            text.find(separator)
                .map(|index| (index, &text[..index], &text[index + separator.len()..]))
        })
        .min_by_key(|(index, _, _)| *index)
        .map(|(_, start, end)| (start.trim(), end.trim()))
}

/// Finds a date at the start of `text` (for inline fields such as
/// `due 2025-11-29 for the pilot`): returns it and the bytes it used.
pub(crate) fn read_date_prefix(text: &str, anchor: NaiveDate) -> Option<(DateRead, usize)> {
    // Candidate ends: after each of the first four whitespace-separated words.
    let mut ends = [0usize; 4];
    let mut count = 0;
    let mut in_word = false;
    for (index, ch) in text.char_indices() {
        if ch.is_whitespace() {
            if in_word {
                ends[count] = index;
                count += 1;
                if count == 4 {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    if in_word && count < 4 {
        ends[count] = text.len();
        count += 1;
    }
    let base = DateBase {
        anchor,
        horizon: false,
    };
    for &end in ends[..count].iter().rev() {
        let candidate = text[..end].trim_end_matches([',', '.', ';', ')', ':']);
        let found = read_date_with(candidate, base, false);
        if matches!(found, DateRead::Date(..) | DateRead::Impossible) {
            return Some((found, candidate.len()));
        }
    }
    None
}

/// Markup, surrounding space, trailing punctuation and a leading `by`/`due`/…
/// dropped; a slice of `text` unless markup had to be taken out.
fn clean(text: &str) -> Cow<'_, str> {
    if text.contains(['*', '`', '_', '~']) {
        let filtered: String = text
            .chars()
            .filter(|c| !matches!(c, '*' | '`' | '_' | '~'))
            .collect();
        Cow::Owned(clean_slice(&filtered).to_string())
    } else {
        Cow::Borrowed(clean_slice(text))
    }
}

fn clean_slice(text: &str) -> &str {
    let mut out = text.trim().trim_end_matches(['.', ',', ';', ':']).trim();
    for prefix in [
        "by ", "due ", "target ", "approx. ", "approx ", "ca. ", "end of ", "eo ",
    ] {
        if out.len() > prefix.len()
            && out
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            out = out[prefix.len()..].trim();
        }
    }
    out
}

fn horizon_days(lower: &str) -> Option<u64> {
    let digits = lower.trim_start_matches('+');
    let number_end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if number_end == 0 {
        return None;
    }
    let rest = digits[number_end..].trim();
    if !matches!(rest, "" | "d" | "day" | "days") {
        return None;
    }
    digits[..number_end].parse().ok()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Number(u32, usize),
    Month(u32),
    Quarter(u32),
    Half(u32),
    /// A word or sign no date form has (`mid`, `week`, `juin`): no form
    /// matches it, so `mid-March 2026` is no date rather than an impossible one.
    Other,
}

/// Splits into numbers, month names, `Q1`/`H2`; separators (`-`, `/`, `.`,
/// `,`, spaces) vanish. A time of day or range after a full date is ignored by
/// the matcher, which only looks at the leading tokens.
fn tokenize(lower: &str) -> Tokens {
    let mut tokens = Tokens {
        items: [Token::Number(0, 0); Tokens::KEPT],
        len: 0,
    };
    let mut chars = lower.char_indices().peekable();
    // The matcher tells texts apart by their first three tokens and whether
    // there are more than three: the fourth one settles that.
    while tokens.len < Tokens::KEPT
        && let Some((start, ch)) = chars.next()
    {
        if ch.is_ascii_digit() {
            let mut end = start + 1;
            while let Some(&(index, next)) = chars.peek() {
                if next.is_ascii_digit() {
                    end = index + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let digits = &lower[start..end];
            let value = digits.parse().unwrap_or(u32::MAX);
            // Ordinal suffixes: 1st, 2nd, 3rd, 15th.
            let rest = &lower[end..];
            for suffix in ["st", "nd", "rd", "th"] {
                if rest.starts_with(suffix) && !rest[2..].starts_with(|c: char| c.is_alphanumeric())
                {
                    chars.next();
                    chars.next();
                }
            }
            tokens.push(Token::Number(value, digits.len()));
        } else if ch.is_alphabetic() {
            let mut end = start + ch.len_utf8();
            while let Some(&(index, next)) = chars.peek() {
                if next.is_alphanumeric() {
                    end = index + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = &lower[start..end];
            if let Some(token) = word_token(word) {
                tokens.push(token);
            } else {
                // An unknown word: remember it so the matcher rejects the text.
                tokens.push(Token::Other);
            }
        } else if ch.is_whitespace() || matches!(ch, '-' | '/' | '.' | ',' | '–' | '—' | ':') {
            continue;
        } else {
            tokens.push(Token::Other);
        }
    }
    tokens
}

/// `YYYY-MM-DD` and nothing else, the most common form, without tokenising:
/// what `match_tokens` gives for its three numbers.
fn iso_day(text: &str) -> Option<DateRead> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&index| bytes[index].is_ascii_digit());
    if !shaped {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |value, &digit| value * 10 + u32::from(digit - b'0'))
    };
    let year = number(0..4);
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Some(
        match NaiveDate::from_ymd_opt(year as i32, number(5..7), number(8..10)) {
            Some(date) => DateRead::Date(date, Precision::Day),
            None => DateRead::Impossible,
        },
    )
}

/// The leading tokens of a date text, without a heap allocation.
struct Tokens {
    items: [Token; Tokens::KEPT],
    len: usize,
}

impl Tokens {
    const KEPT: usize = 4;

    fn push(&mut self, token: Token) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = token;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[Token] {
        &self.items[..self.len]
    }
}

fn word_token(word: &str) -> Option<Token> {
    let bytes = word.as_bytes();
    if bytes.len() == 2 && bytes[1].is_ascii_digit() {
        let n = u32::from(bytes[1] - b'0');
        match bytes[0] {
            b'q' if (1..=4).contains(&n) => return Some(Token::Quarter(n)),
            b'h' if (1..=2).contains(&n) => return Some(Token::Half(n)),
            _ => {}
        }
    }
    if word.len() >= 3 {
        for (index, name) in MONTHS.iter().enumerate() {
            if name.starts_with(word) || (word == "sept" && index == 8) {
                return Some(Token::Month(index as u32 + 1));
            }
        }
    }
    None
}

fn match_tokens(tokens: &[Token], anchor: NaiveDate) -> DateRead {
    use Token::{Half, Month, Number, Quarter};
    let year = |value: u32, width: usize| width == 4 && (1900..=2200).contains(&value);
    let day = |y: u32, m: u32, d: u32| -> DateRead {
        match NaiveDate::from_ymd_opt(y as i32, m, d) {
            Some(date) => DateRead::Date(date, Precision::Day),
            None => DateRead::Impossible,
        }
    };
    // A full date may be followed by a time or a range; coarser forms may not
    // be followed by anything.
    match tokens {
        [Number(y, 4), Number(m, w2), Number(d, w3), ..] if year(*y, 4) && *w2 <= 2 && *w3 <= 2 => {
            day(*y, *m, *d)
        }
        [Number(d, w1), Number(m, w2), Number(y, 4), ..] if year(*y, 4) && *w1 <= 2 && *w2 <= 2 => {
            // Day first unless that cannot be (`12/31/2026`).
            if *m > 12 && *d <= 12 {
                day(*y, *d, *m)
            } else {
                day(*y, *m, *d)
            }
        }
        [Number(d, w), Month(m), Number(y, 4), ..] if *w <= 2 && year(*y, 4) => day(*y, *m, *d),
        [Month(m), Number(d, w), Number(y, 4), ..] if *w <= 2 && year(*y, 4) => day(*y, *m, *d),
        [Number(y, 4), Month(m), Number(d, w), ..] if *w <= 2 && year(*y, 4) => day(*y, *m, *d),
        [Number(y, 4), Number(m, w)] if year(*y, 4) && *w <= 2 => month_end(*y, *m),
        [Month(m), Number(y, 4)] | [Number(y, 4), Month(m)] if year(*y, 4) => month_end(*y, *m),
        [Quarter(q), Number(y, 4)] | [Number(y, 4), Quarter(q)] if year(*y, 4) => {
            month_end(*y, q * 3).with_precision(Precision::Quarter)
        }
        [Half(h), Number(y, 4)] | [Number(y, 4), Half(h)] if year(*y, 4) => {
            month_end(*y, h * 6).with_precision(Precision::Half)
        }
        [Month(m), Number(d, w)] | [Number(d, w), Month(m)] if *w <= 2 => yearless(*m, *d, anchor),
        _ => DateRead::NotADate,
    }
}

impl DateRead {
    fn with_precision(self, precision: Precision) -> DateRead {
        match self {
            DateRead::Date(date, _) => DateRead::Date(date, precision),
            other => other,
        }
    }
}

/// The first day of the period a date read at `precision` ends (a start
/// written `Q2 2027` starts on 1 April, not on the quarter's last day).
pub(crate) fn period_start(end: NaiveDate, precision: Precision) -> NaiveDate {
    let months_before = match precision {
        Precision::Month => 0,
        Precision::Quarter => 2,
        Precision::Half => 5,
        Precision::Day | Precision::None => return end,
    };
    NaiveDate::from_ymd_opt(
        end.year(),
        end.month().saturating_sub(months_before).max(1),
        1,
    )
    .unwrap_or(end)
}

fn month_end(year: u32, month: u32) -> DateRead {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    match NaiveDate::from_ymd_opt(next_year as i32, next_month, 1).and_then(|d| d.pred_opt()) {
        Some(date) if (1..=12).contains(&month) => DateRead::Date(date, Precision::Month),
        _ => DateRead::Impossible,
    }
}

/// `Nov 5`: the year that puts the date nearest the anchor.
fn yearless(month: u32, day: u32, anchor: NaiveDate) -> DateRead {
    let mut best: Option<NaiveDate> = None;
    for year in [anchor.year() - 1, anchor.year(), anchor.year() + 1] {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            let distance = (date - anchor).num_days().abs();
            if best.is_none_or(|b| distance < (b - anchor).num_days().abs()) {
                best = Some(date);
            }
        }
    }
    match best {
        Some(date) => DateRead::Date(date, Precision::Day),
        None => DateRead::Impossible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `YYYY-MM-DD` shortcut gives what the token matcher gives.
    #[test]
    fn iso_days_read_like_the_tokens() {
        let anchor = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        for text in [
            "2026-03-04",
            "2026-02-30",
            "2024-02-29",
            "2026-13-01",
            "2026-00-10",
            "1899-01-01",
            "2200-12-31",
            "2201-01-01",
            "0000-01-01",
        ] {
            let tokens = tokenize(text);
            assert_eq!(
                iso_day(text).unwrap_or(DateRead::NotADate),
                match_tokens(tokens.as_slice(), anchor),
                "{text}"
            );
        }
        for text in ["2026-3-04", "2026/03/04", "2026-03-04x", "26-03-0400"] {
            assert!(iso_day(text).is_none(), "{text}");
        }
    }
}
