//! The summary strip: how many milestones have each status under the current
//! filter, and what clicking a count does to the filter.

use milepost_shared::{Filter, Milestone, Status};

/// The statuses the strip shows, in order. Cancelled work is counted in the
/// table but left off the strip: leadership asks what is late, not what was dropped.
pub const STRIP: [Status; 6] = [
    Status::Overdue,
    Status::Blocked,
    Status::DueSoon,
    Status::OnTrack,
    Status::Unscheduled,
    Status::Done,
];

/// One count in the strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCount {
    pub status: Status,
    pub count: usize,
    /// Whether the filter currently selects this status.
    pub active: bool,
}

/// Counts per status of the milestones that pass every part of the filter
/// except its status: clicking one count never hides the others.
pub fn status_counts<'a>(
    milestones: impl IntoIterator<Item = &'a Milestone>,
    filter: &Filter,
) -> Vec<StatusCount> {
    count_statuses(
        milestones
            .into_iter()
            .filter(|m| filter.matches_ignoring_status(m)),
        &filter.status,
    )
}

/// The strip's counts for milestones already known to pass the filter but
/// for its status; `selected` is the filter's status part.
pub fn count_statuses<'a>(
    matching: impl IntoIterator<Item = &'a Milestone>,
    selected: &[Status],
) -> Vec<StatusCount> {
    let mut counts = [0usize; STRIP.len()];
    for milestone in matching {
        if let Some(slot) = STRIP.iter().position(|s| *s == milestone.status) {
            counts[slot] += 1;
        }
    }
    STRIP
        .iter()
        .zip(counts)
        .map(|(&status, count)| StatusCount {
            status,
            count,
            active: selected.contains(&status),
        })
        .collect()
}

/// The filter after clicking a status count: that status alone, or no status
/// filter when it was already the only one selected.
pub fn toggle_status(filter: &Filter, status: Status) -> Filter {
    let mut next = filter.clone();
    next.status = if filter.status == [status] {
        Vec::new()
    } else {
        vec![status]
    };
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone};

    #[test]
    fn counts_ignore_the_status_filter_but_honour_the_rest() {
        let milestones = vec![
            milestone("a", Status::Overdue, Some("2026-01-01")).owned_by(&["Payments"]),
            milestone("b", Status::Overdue, Some("2026-01-02")).owned_by(&["Payments"]),
            milestone("c", Status::Done, Some("2026-01-03")).owned_by(&["Payments"]),
            milestone("d", Status::Blocked, None).owned_by(&["Security"]),
        ];
        let filter = Filter {
            team: Some("payments".into()),
            status: vec![Status::Done],
            ..Filter::default()
        };
        let counts = status_counts(&milestones, &filter);
        let of = |status| counts.iter().find(|c| c.status == status).copied();
        assert_eq!(
            of(Status::Overdue),
            Some(StatusCount {
                status: Status::Overdue,
                count: 2,
                active: false
            })
        );
        assert_eq!(
            of(Status::Done),
            Some(StatusCount {
                status: Status::Done,
                count: 1,
                active: true
            })
        );
        assert_eq!(
            of(Status::Blocked).map(|c| c.count),
            Some(0),
            "Security's milestone is filtered out"
        );
    }

    #[test]
    fn clicking_a_count_selects_it_and_clicking_again_clears_it() {
        let filter = Filter {
            q: Some("sso".into()),
            ..Filter::default()
        };
        let once = toggle_status(&filter, Status::Blocked);
        assert_eq!(once.status, vec![Status::Blocked]);
        assert_eq!(once.q.as_deref(), Some("sso"), "other filters stay");
        let other = toggle_status(&once, Status::Overdue);
        assert_eq!(other.status, vec![Status::Overdue]);
        assert!(toggle_status(&other, Status::Overdue).status.is_empty());
    }
}
