//! The Backstage card's logic: its query parameters, which milestones it
//! lists, the link to the full roadmap, and when to tell the parent page the
//! card's height.

use milepost_shared::{Filter, Milestone, display::by_urgency};

use crate::query::{lenient_filter, query_string, theme_name};
use crate::sorting;

/// Milestones listed when `limit` is absent or unreadable.
pub const DEFAULT_LIMIT: usize = 5;
/// The most a card lists, whatever `limit` asks.
pub const MAX_LIMIT: usize = 50;

/// What the card's URL asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardParams {
    /// `entity`, `document`, `team`, `status` (the API's filter).
    pub filter: Filter,
    /// How many milestones to list.
    pub limit: usize,
    /// `light`, `dark`, or `None` to follow `prefers-color-scheme`.
    pub theme: Option<&'static str>,
    /// The only origin the card posts its height to; `None` posts nothing.
    pub parent_origin: Option<String>,
}

impl CardParams {
    /// Reads decoded query pairs; never fails. A `q` is ignored: the card
    /// shows an entity's roadmap, not a search.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
    ) -> CardParams {
        let (mut filter, _ignored) = lenient_filter(pairs.clone());
        filter.q = None;
        let mut params = CardParams {
            filter,
            limit: DEFAULT_LIMIT,
            ..CardParams::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "limit" => {
                    params.limit = value
                        .parse::<usize>()
                        .map_or(DEFAULT_LIMIT, |n| n.clamp(1, MAX_LIMIT));
                }
                "theme" => params.theme = theme_name(value),
                "parentOrigin" => params.parent_origin = parse_origin(value),
                _ => {}
            }
        }
        params
    }

    /// The leadership view with the same filter, relative to the card's origin.
    pub fn full_roadmap_href(&self) -> String {
        format!("/{}", query_string(&self.filter.to_pairs()))
    }

    /// The API query that fetches only what the card shows.
    pub fn api_query(&self) -> String {
        let pairs: Vec<(&str, String)> = self
            .filter
            .to_pairs()
            .into_iter()
            .filter(|(key, _)| *key != "status")
            .collect();
        query_string(&pairs)
    }
}

/// Accepts `scheme://host[:port]` with an `http` or `https` scheme and
/// nothing after the authority: a wildcard, `null` or a full URL are refused
/// so the height is never broadcast to any page that frames the card.
pub fn parse_origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/');
    let (scheme, rest) = text.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return None;
    }
    let valid = rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => (host, Some(port)),
        _ => (rest, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.parse::<u16>().is_ok());
    (valid && !host.is_empty() && port_ok)
        .then(|| format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

/// The open milestones the card lists: not done or cancelled, that
/// `matches` takes (the card's filter), most urgent first (blocked and
/// overdue, then due soon, then by target), at most `limit`.
pub fn next_milestones<'a>(
    milestones: impl IntoIterator<Item = &'a Milestone>,
    matches: impl Fn(&Milestone) -> bool,
    limit: usize,
) -> Vec<&'a Milestone> {
    let mut open: Vec<&Milestone> = milestones
        .into_iter()
        .filter(|m| m.status.is_open() && matches(m))
        .collect();
    sorting::sort_by(&mut open, |a, b| by_urgency(a, b));
    open.truncate(limit);
    open
}

/// Remembers the last height sent so the parent hears only about changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeightReporter {
    last: Option<u32>,
}

impl HeightReporter {
    /// The height to post for a measured content height (rounded up to whole
    /// pixels), or `None` when the parent already has it.
    pub fn observe(&mut self, measured: f64) -> Option<u32> {
        if !measured.is_finite() || measured < 0.0 {
            return None;
        }
        let height = measured.ceil() as u32;
        (self.last != Some(height)).then(|| {
            self.last = Some(height);
            height
        })
    }
}

/// The message the card posts to its parent: `{"type":"milepost:height","height":N}`.
pub fn height_message(height: u32) -> String {
    format!("{{\"type\":\"milepost:height\",\"height\":{height}}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone};
    use crate::query::decode_query;
    use milepost_shared::Status;

    fn params(query: &str) -> CardParams {
        let pairs = decode_query(query);
        CardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn reads_every_card_parameter() {
        let card = params(
            "entity=component:default/payments-gateway&team=Payments&status=blocked&limit=3&theme=dark&parentOrigin=https://backstage.example.com",
        );
        assert_eq!(
            card.filter.entity.as_deref(),
            Some("component:default/payments-gateway")
        );
        assert_eq!(card.filter.team.as_deref(), Some("Payments"));
        assert_eq!(card.filter.status, vec![Status::Blocked]);
        assert_eq!(card.limit, 3);
        assert_eq!(card.theme, Some("dark"));
        assert_eq!(
            card.parent_origin.as_deref(),
            Some("https://backstage.example.com")
        );
        assert_eq!(
            card.full_roadmap_href(),
            "/?entity=component:default/payments-gateway&team=Payments&status=blocked"
        );
        assert_eq!(
            card.api_query(),
            "?entity=component:default/payments-gateway&team=Payments"
        );
    }

    #[test]
    fn odd_values_fall_back_to_safe_defaults() {
        let card = params("limit=lots&theme=auto&parentOrigin=*");
        assert_eq!(
            (card.limit, card.theme, card.parent_origin),
            (DEFAULT_LIMIT, None, None)
        );
        assert_eq!(params("limit=0").limit, 1);
        assert_eq!(params("limit=1000").limit, MAX_LIMIT);
        assert_eq!(params("").full_roadmap_href(), "/");
    }

    #[test]
    fn only_a_real_origin_is_accepted() {
        assert_eq!(
            parse_origin("http://localhost:7007").as_deref(),
            Some("http://localhost:7007")
        );
        assert_eq!(
            parse_origin("https://Backstage.Example.com/").as_deref(),
            Some("https://backstage.example.com")
        );
        for bad in [
            "*",
            "null",
            "",
            "backstage.example.com",
            "https://x.com/path",
            "javascript://x",
            "https://x:99999",
            "https://",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn lists_open_work_by_urgency_up_to_the_limit() {
        let milestones = vec![
            milestone("done", Status::Done, Some("2026-01-01")),
            milestone("later", Status::OnTrack, Some("2026-03-01")),
            milestone("soon", Status::DueSoon, Some("2026-01-25")),
            milestone("late", Status::Overdue, Some("2026-01-10")),
            milestone("stuck", Status::Blocked, Some("2026-02-01")),
            milestone("elsewhere", Status::Blocked, None).for_entity("component:default/other"),
        ];
        let filter = Filter::default();
        let ids = |limit| -> Vec<&str> {
            next_milestones(&milestones, |m| filter.matches(m), limit)
                .iter()
                .map(|m| m.id.as_str())
                .collect()
        };
        // Blocked and overdue first, by target with undated work last.
        assert_eq!(ids(10), vec!["late", "stuck", "elsewhere", "soon", "later"]);
        assert_eq!(ids(2), vec!["late", "stuck"]);
        let entity = Filter {
            entity: Some("component:default/other".into()),
            ..Filter::default()
        };
        assert_eq!(
            next_milestones(&milestones, |m| entity.matches(m), 5).len(),
            1
        );
    }

    #[test]
    fn the_parent_hears_each_height_once() {
        let mut reporter = HeightReporter::default();
        assert_eq!(reporter.observe(200.2), Some(201));
        assert_eq!(reporter.observe(200.9), None, "same whole-pixel height");
        assert_eq!(reporter.observe(180.0), Some(180));
        assert_eq!(reporter.observe(f64::NAN), None);
        assert_eq!(
            height_message(180),
            r#"{"type":"milepost:height","height":180}"#
        );
    }
}
