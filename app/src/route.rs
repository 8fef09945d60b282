//! Which page a URL path shows. The app has two pages and never moves
//! between them in place (the card's links open a new tab), so the path is
//! read once when the page loads; only the query string changes after that.

/// The pages the app has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/`: the leadership view.
    Portfolio,
    /// `/card`: the Backstage card.
    Card,
    /// Anything else.
    NotFound,
}

impl Page {
    /// The page for a URL path; a trailing slash is ignored.
    pub fn of_path(path: &str) -> Page {
        match path.trim_end_matches('/') {
            "" => Page::Portfolio,
            "/card" => Page::Card,
            _ => Page::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_pick_pages() {
        assert_eq!(Page::of_path("/"), Page::Portfolio);
        assert_eq!(Page::of_path("/card"), Page::Card);
        assert_eq!(Page::of_path("/card/"), Page::Card);
        assert_eq!(Page::of_path("/cards"), Page::NotFound);
        assert_eq!(Page::of_path("/card/extra"), Page::NotFound);
        assert_eq!(Page::of_path("/index.html"), Page::NotFound);
    }
}
