//! The teams panel: per team, what it is responsible for and how many of its
//! visible milestones are overdue, blocked or due soon.

use std::collections::HashSet;

use milepost_shared::{Milestone, Roadmap, Status, filter::same_team};

use crate::sorting;

/// One team's roll-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamSummary {
    pub name: String,
    /// Backstage group ref, when known.
    pub group_ref: Option<String>,
    pub responsibilities: Vec<String>,
    /// Visible milestones the team owns.
    pub total: usize,
    pub overdue: usize,
    pub blocked: usize,
    pub due_soon: usize,
}

impl TeamSummary {
    /// Work that needs attention now.
    pub fn at_risk(&self) -> usize {
        self.overdue + self.blocked
    }
}

/// Roll-up of every team owning at least one visible milestone (or named by
/// the team filter), most at risk first, then by name. A milestone counts for
/// a team when the team lists it or names the team among its owners.
pub fn team_rollup(
    roadmap: &Roadmap,
    visible: &[&Milestone],
    team_filter: Option<&str>,
) -> Vec<TeamSummary> {
    let mut summaries: Vec<TeamSummary> = roadmap
        .teams
        .iter()
        .filter(|team| team_filter.is_none_or(|name| same_team(&team.name, name)))
        .map(|team| {
            // A set: teams can list hundreds of milestones and this runs on every keystroke.
            let listed: HashSet<&str> = team.milestones.iter().map(String::as_str).collect();
            let owned: Vec<&&Milestone> = visible
                .iter()
                .filter(|m| {
                    listed.contains(m.id.as_str())
                        || m.owners.iter().any(|o| same_team(o, &team.name))
                })
                .collect();
            let count = |status: Status| owned.iter().filter(|m| m.status == status).count();
            TeamSummary {
                name: team.name.clone(),
                group_ref: team.group_ref.clone(),
                responsibilities: team.responsibilities.clone(),
                total: owned.len(),
                overdue: count(Status::Overdue),
                blocked: count(Status::Blocked),
                due_soon: count(Status::DueSoon),
            }
        })
        .filter(|summary| summary.total > 0 || team_filter.is_some())
        .collect();
    sorting::sort_by(&mut summaries, |a, b| {
        b.at_risk()
            .cmp(&a.at_risk())
            .then(b.due_soon.cmp(&a.due_soon))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    summaries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone, roadmap};

    #[test]
    fn teams_at_risk_come_first_with_their_counts() {
        let roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, Some("2026-03-01")).owned_by(&["Docs"]),
                milestone("b", Status::Overdue, Some("2026-01-01"))
                    .owned_by(&["Payments", "Mobile"]),
                milestone("c", Status::Blocked, None).owned_by(&["Payments"]),
                milestone("d", Status::DueSoon, Some("2026-01-25")).owned_by(&["Mobile"]),
            ],
        );
        let visible: Vec<&Milestone> = roadmap.milestones.iter().map(|m| &**m).collect();
        let rollup = team_rollup(&roadmap, &visible, None);
        let rows: Vec<(&str, usize, usize, usize, usize)> = rollup
            .iter()
            .map(|t| (t.name.as_str(), t.total, t.overdue, t.blocked, t.due_soon))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Payments", 2, 1, 1, 0),
                ("Mobile", 2, 1, 0, 1),
                ("Docs", 1, 0, 0, 0)
            ]
        );
        assert_eq!(
            rollup[0].responsibilities,
            vec!["Payments things".to_string()]
        );
    }

    #[test]
    fn only_teams_with_visible_work_are_listed_unless_asked_for() {
        let roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, None).owned_by(&["Docs"]),
                milestone("b", Status::Overdue, None).owned_by(&["Payments"]),
            ],
        );
        let visible: Vec<&Milestone> = roadmap
            .milestones
            .iter()
            .filter(|m| m.id == "b")
            .map(|m| &**m)
            .collect();
        let names = |team: Option<&str>| -> Vec<String> {
            team_rollup(&roadmap, &visible, team)
                .into_iter()
                .map(|t| t.name)
                .collect()
        };
        assert_eq!(names(None), vec!["Payments"]);
        assert_eq!(
            names(Some("docs")),
            vec!["Docs"],
            "a filtered team shows even with nothing visible"
        );
    }
}
