//! The URL as the page's state: the leadership view's filter and view options
//! are read from, and written back to, the query string, so a view is a link.
//!
//! The filter part is [`milepost_shared::Filter`] (the same parser the API
//! uses); this module adds the view-only keys (open milestone, grouping, zoom,
//! arrows, sort) and the percent-encoding both pages need to build links.

use milepost_shared::{Filter, Status};

use crate::table::TableSort;
use crate::timeline::{Grouping, Zoom};

/// Everything the leadership view keeps in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    /// Which milestones show.
    pub filter: Filter,
    /// Id of the milestone whose detail panel is open.
    pub selected: Option<String>,
    /// How timeline rows are grouped.
    pub grouping: Grouping,
    /// Timeline scale the reader chose; `None` lets the chart pick one when
    /// it opens (see [`crate::timeline::opening_zoom`]).
    pub zoom: Option<Zoom>,
    /// Whether dependency arrows are drawn on the timeline.
    pub arrows: bool,
    /// Table order.
    pub sort: TableSort,
    /// `light`, `dark`, or `None` to follow the system.
    pub theme: Option<String>,
    /// Status values in the URL that are not statuses (shown as a notice).
    pub ignored: Vec<String>,
}

impl ViewState {
    /// Reads decoded query pairs; never fails: unknown values fall back to defaults.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Self {
        let (filter, ignored) = lenient_filter(pairs.clone());
        let mut state = ViewState {
            filter,
            ignored,
            ..ViewState::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "m" if !value.is_empty() => state.selected = Some(value.to_string()),
                "group" => state.grouping = Grouping::parse(value).unwrap_or_default(),
                "zoom" => state.zoom = Zoom::parse(value),
                "arrows" => state.arrows = matches!(value, "1" | "true" | "on"),
                "sort" => state.sort = TableSort::parse(value).unwrap_or_default(),
                "theme" => state.theme = theme_name(value).map(str::to_string),
                _ => {}
            }
        }
        state
    }

    /// The state as query pairs: the filter first (in the API's order), then
    /// view options that differ from their defaults.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.filter.to_pairs();
        if let Some(id) = &self.selected {
            pairs.push(("m", id.clone()));
        }
        if self.grouping != Grouping::default() {
            pairs.push(("group", self.grouping.as_str().to_string()));
        }
        if let Some(zoom) = self.zoom {
            pairs.push(("zoom", zoom.as_str().to_string()));
        }
        if self.arrows {
            pairs.push(("arrows", "1".to_string()));
        }
        if self.sort != TableSort::default() {
            pairs.push(("sort", self.sort.as_str()));
        }
        if let Some(theme) = &self.theme {
            pairs.push(("theme", theme.clone()));
        }
        pairs
    }

    /// The query string (with its `?`, or empty) for this state.
    pub fn to_query(&self) -> String {
        query_string(&self.to_pairs())
    }
}

/// Like [`Filter::from_pairs`], but drops status values it does not know
/// instead of failing, and says which it dropped: a stale shared link should
/// still open.
pub fn lenient_filter<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Filter, Vec<String>) {
    let mut ignored = Vec::new();
    let mut kept: Vec<(&'a str, &'a str)> = Vec::new();
    for (key, value) in pairs {
        if key == "status" {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if Status::parse(part).is_some() {
                    kept.push((key, part));
                } else {
                    ignored.push(part.to_string());
                }
            }
        } else {
            kept.push((key, value));
        }
    }
    // Every status left is valid, so the shared parser cannot fail here; the
    // fallback keeps the non-status parts if it ever does.
    let filter = Filter::from_pairs(kept.iter().copied()).unwrap_or_else(|_| {
        Filter::from_pairs(kept.iter().copied().filter(|(k, _)| *k != "status")).unwrap_or_default()
    });
    (filter, ignored)
}

/// `light` and `dark` are themes; anything else (`auto`) follows the system.
pub fn theme_name(value: &str) -> Option<&'static str> {
    match value {
        "light" => Some("light"),
        "dark" => Some("dark"),
        _ => None,
    }
}

/// `?k=v&k2=v2` with percent-encoded values, or an empty string for no pairs.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(&encode(key.as_ref()));
        out.push('=');
        out.push_str(&encode(value.as_ref()));
    }
    out
}

/// Percent-encodes a query component. `:` `/` `@` and `,` stay readable —
/// they are legal in a query and make entity refs (`component:default/x`)
/// legible in a shared link.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b':'
            | b'/'
            | b'@'
            | b',' => out.push(byte as char),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}

/// Decodes a raw query string (`a=1&b=x%20y`, with or without `?`) into pairs;
/// `+` is a space, as in HTML forms. Malformed escapes are kept as written.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::SortKey;

    fn state(query: &str) -> ViewState {
        let pairs = decode_query(query);
        ViewState::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn a_shared_link_restores_the_same_view() {
        let original = ViewState {
            filter: Filter {
                entity: Some("component:default/payments-gateway".into()),
                team: Some("Docs & DevEx".into()),
                status: vec![Status::Overdue, Status::Blocked],
                q: Some("sso portal".into()),
                ..Filter::default()
            },
            selected: Some("PAY-3".into()),
            grouping: Grouping::Document,
            zoom: Some(Zoom::Quarter),
            arrows: true,
            sort: TableSort {
                key: SortKey::Target,
                descending: true,
            },
            theme: Some("dark".into()),
            ignored: Vec::new(),
        };
        let query = original.to_query();
        assert_eq!(state(&query), original, "round trip through {query}");
    }

    #[test]
    fn links_keep_entity_refs_readable_and_escape_the_rest() {
        let state = state("entity=component:default/checkout&team=Docs%20%26%20DevEx");
        assert_eq!(
            state.to_query(),
            "?entity=component:default/checkout&team=Docs%20%26%20DevEx"
        );
    }

    #[test]
    fn an_unknown_status_is_dropped_and_reported_not_fatal() {
        let state = state("status=overdue,late&team=Payments&status=blocked");
        assert_eq!(state.filter.status, vec![Status::Overdue, Status::Blocked]);
        assert_eq!(state.filter.team.as_deref(), Some("Payments"));
        assert_eq!(state.ignored, vec!["late".to_string()]);
    }

    #[test]
    fn defaults_stay_out_of_the_url() {
        assert_eq!(ViewState::default().to_query(), "");
        assert_eq!(
            state("group=nonsense&zoom=&theme=auto&arrows=0").to_query(),
            ""
        );
    }

    #[test]
    fn a_chosen_zoom_stays_in_the_url_even_months() {
        // Without `zoom` the chart picks its zoom when it opens, so a reader
        // who chose months must keep months in a link they share.
        assert_eq!(state("zoom=month").zoom, Some(Zoom::Month));
        assert_eq!(state("zoom=month").to_query(), "?zoom=month");
        assert_eq!(state("zoom=weeks").zoom, None);
    }

    #[test]
    fn plus_and_bad_escapes_decode_like_a_browser_form() {
        let pairs = decode_query("?q=sso+portal&x=100%&y=%E2%9C%85");
        assert_eq!(
            pairs,
            vec![
                ("q".to_string(), "sso portal".to_string()),
                ("x".to_string(), "100%".to_string()),
                ("y".to_string(), "✅".to_string()),
            ]
        );
    }
}
