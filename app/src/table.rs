//! The milestone table's ordering: which column sorts, which way, and how
//! each column compares (status by urgency, targets by date with undated last).

use std::cmp::Ordering;

use milepost_shared::Milestone;
use milepost_shared::display::{TeamNames, by_urgency};

use crate::sorting;

/// A sortable column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// By urgency: blocked and overdue first.
    #[default]
    Status,
    Title,
    Owners,
    Target,
    Document,
}

impl SortKey {
    /// Every sortable column, in table order.
    pub const ALL: [SortKey; 5] = [
        SortKey::Status,
        SortKey::Title,
        SortKey::Owners,
        SortKey::Target,
        SortKey::Document,
    ];

    /// The name used in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Status => "status",
            SortKey::Title => "title",
            SortKey::Owners => "owners",
            SortKey::Target => "target",
            SortKey::Document => "document",
        }
    }

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Status => "Status",
            SortKey::Title => "Milestone",
            SortKey::Owners => "Owners",
            SortKey::Target => "Target",
            SortKey::Document => "Source",
        }
    }
}

/// A column and a direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableSort {
    pub key: SortKey,
    pub descending: bool,
}

impl TableSort {
    /// `target` or `-target` (descending).
    pub fn parse(text: &str) -> Option<TableSort> {
        let (descending, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        let key = SortKey::ALL.into_iter().find(|key| key.as_str() == name)?;
        Some(TableSort { key, descending })
    }

    /// The URL form read by [`TableSort::parse`].
    pub fn as_str(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.key.as_str()
        )
    }

    /// The order after activating a column heading: a new column sorts
    /// ascending, the current one flips.
    pub fn clicked(self, key: SortKey) -> TableSort {
        if self.key == key {
            TableSort {
                key,
                descending: !self.descending,
            }
        } else {
            TableSort {
                key,
                descending: false,
            }
        }
    }

    /// The `aria-sort` value of a column heading.
    pub fn aria_sort(self, key: SortKey) -> &'static str {
        match (self.key == key, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }

    /// Compares two milestones for this order. Ties fall back to urgency so
    /// equal titles or dates still read most-urgent first. Owners compare
    /// as `names` shows them.
    pub fn compare(self, a: &Milestone, b: &Milestone, names: &TeamNames) -> Ordering {
        let primary = match self.key {
            SortKey::Status => a.status.urgency().cmp(&b.status.urgency()),
            SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            SortKey::Owners => owners_key(a, names).cmp(&owners_key(b, names)),
            SortKey::Target => undated_last(a, b),
            SortKey::Document => a.document.cmp(&b.document).then(a.line.cmp(&b.line)),
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| by_urgency(a, b))
            .then_with(|| a.id.cmp(&b.id))
    }

    /// Sorts references in place (stable).
    pub fn sort(self, milestones: &mut Vec<&Milestone>, names: &TeamNames) {
        sorting::sort_by(milestones, |a, b| self.compare(a, b, names));
    }
}

/// Owners compare by their joined lower-cased names as shown; unowned work
/// sorts last.
fn owners_key(milestone: &Milestone, names: &TeamNames) -> (bool, String) {
    (
        milestone.owners.is_empty(),
        names.owners_line(&milestone.owners).to_lowercase(),
    )
}

fn undated_last(a: &Milestone, b: &Milestone) -> Ordering {
    match (a.target, b.target) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone};
    use milepost_shared::Status;

    fn order(sort: TableSort, milestones: &[Milestone]) -> Vec<String> {
        let mut refs: Vec<&Milestone> = milestones.iter().collect();
        sort.sort(&mut refs, &TeamNames::default());
        refs.iter().map(|m| m.id.clone()).collect()
    }

    fn sample() -> Vec<Milestone> {
        vec![
            milestone("done", Status::Done, Some("2026-01-01"))
                .titled("Alpha")
                .owned_by(&["Zeta"]),
            milestone("late", Status::Overdue, Some("2026-01-10"))
                .titled("beta")
                .owned_by(&["Payments"]),
            milestone("tbd", Status::Unscheduled, None).titled("Gamma"),
            milestone("soon", Status::DueSoon, Some("2026-01-25"))
                .titled("Delta")
                .owned_by(&["Mobile"]),
            milestone("stuck", Status::Blocked, Some("2026-03-01"))
                .titled("epsilon")
                .owned_by(&["Mobile"]),
        ]
    }

    #[test]
    fn default_order_is_most_urgent_first() {
        // Blocked and overdue share the first tier, earliest target first.
        assert_eq!(
            order(TableSort::default(), &sample()),
            vec!["late", "stuck", "soon", "tbd", "done"]
        );
    }

    #[test]
    fn target_sorts_by_date_with_undated_last_and_flips() {
        let ascending = TableSort {
            key: SortKey::Target,
            descending: false,
        };
        assert_eq!(
            order(ascending, &sample()),
            vec!["done", "late", "soon", "stuck", "tbd"]
        );
        assert_eq!(
            order(ascending.clicked(SortKey::Target), &sample()),
            vec!["tbd", "stuck", "soon", "late", "done"]
        );
    }

    #[test]
    fn titles_ignore_case_and_owners_put_unowned_last() {
        let by_title = TableSort::default().clicked(SortKey::Title);
        assert_eq!(
            order(by_title, &sample()),
            vec!["done", "late", "soon", "stuck", "tbd"]
        );
        let by_owner = TableSort {
            key: SortKey::Owners,
            descending: false,
        };
        // Two Mobile milestones tie and fall back to urgency: blocked before due soon.
        assert_eq!(
            order(by_owner, &sample()),
            vec!["stuck", "soon", "late", "done", "tbd"]
        );
    }

    #[test]
    fn headings_announce_their_sort_state() {
        let sort = TableSort {
            key: SortKey::Target,
            descending: true,
        };
        assert_eq!(sort.aria_sort(SortKey::Target), "descending");
        assert_eq!(sort.aria_sort(SortKey::Title), "none");
        assert_eq!(TableSort::parse(&sort.as_str()), Some(sort));
        assert_eq!(TableSort::parse("-nonsense"), None);
    }
}
