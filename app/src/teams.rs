//! The teams panel: per team, what it is responsible for and how many of its
//! visible milestones are overdue, blocked or due soon.

use std::collections::HashMap;

use milepost_shared::{Roadmap, Status, filter::same_team};

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

/// Which teams own each milestone, worked out once per roadmap: a search
/// then only counts, instead of comparing every team's name with every
/// visible milestone's owners (which lower-cased names millions of times).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// For each milestone (by index in the roadmap), the indices of the
    /// teams that own it, each once.
    teams_of: Vec<Vec<usize>>,
}

impl Membership {
    /// A milestone belongs to a team when the team lists it or names the
    /// team among its owners (names compare like [`same_team`]).
    pub fn of(roadmap: &Roadmap) -> Membership {
        // Keys map to slots in `lists` (one map type for both keeps the wasm small).
        let mut slot: HashMap<String, usize> = HashMap::new();
        let mut lists: Vec<Vec<usize>> = Vec::new();
        let mut add = |key: String, team: usize| match slot.get(&key) {
            Some(&at) => lists[at].push(team),
            None => {
                slot.insert(key, lists.len());
                lists.push(vec![team]);
            }
        };
        for (t, team) in roadmap.teams.iter().enumerate() {
            add(format!("name:{}", team_key(&team.name)), t);
            for id in &team.milestones {
                add(format!("id:{id}"), t);
            }
        }
        let teams_of = roadmap
            .milestones
            .iter()
            .map(|m| {
                let keys = std::iter::once(format!("id:{}", m.id))
                    .chain(m.owners.iter().map(|o| format!("name:{}", team_key(o))));
                let found = keys
                    .filter_map(|key| slot.get(&key))
                    .flat_map(|&at| &lists[at]);
                let mut teams: Vec<usize> = Vec::new();
                for &t in found {
                    if !teams.contains(&t) {
                        teams.push(t);
                    }
                }
                teams
            })
            .collect();
        Membership { teams_of }
    }
}

/// The form in which two team names are equal exactly when [`same_team`]
/// says they are: trimmed and lower-cased.
fn team_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Roll-up of every team owning at least one visible milestone (or named by
/// the team filter), most at risk first, then by name. `visible` holds
/// indices into `roadmap.milestones`; `membership` is [`Membership::of`] it.
pub fn team_rollup(
    roadmap: &Roadmap,
    membership: &Membership,
    visible: &[usize],
    team_filter: Option<&str>,
) -> Vec<TeamSummary> {
    let mut tallies = vec![[0usize; 4]; roadmap.teams.len()];
    for &i in visible {
        let (Some(milestone), Some(teams)) =
            (roadmap.milestones.get(i), membership.teams_of.get(i))
        else {
            continue;
        };
        let slot = match milestone.status {
            Status::Overdue => Some(1),
            Status::Blocked => Some(2),
            Status::DueSoon => Some(3),
            _ => None,
        };
        for &t in teams {
            if let Some(tally) = tallies.get_mut(t) {
                tally[0] += 1;
                if let Some(slot) = slot {
                    tally[slot] += 1;
                }
            }
        }
    }
    let mut summaries: Vec<TeamSummary> = roadmap
        .teams
        .iter()
        .zip(tallies)
        .filter(|(team, _)| team_filter.is_none_or(|name| same_team(&team.name, name)))
        .map(|(team, [total, overdue, blocked, due_soon])| TeamSummary {
            name: team.name.clone(),
            group_ref: team.group_ref.clone(),
            responsibilities: team.responsibilities.clone(),
            total,
            overdue,
            blocked,
            due_soon,
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
        let visible: Vec<usize> = (0..roadmap.milestones.len()).collect();
        let rollup = team_rollup(&roadmap, &Membership::of(&roadmap), &visible, None);
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
        let visible: Vec<usize> = (0..roadmap.milestones.len())
            .filter(|&i| roadmap.milestones[i].id == "b")
            .collect();
        let membership = Membership::of(&roadmap);
        let names = |team: Option<&str>| -> Vec<String> {
            team_rollup(&roadmap, &membership, &visible, team)
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

    #[test]
    fn a_team_counts_what_it_lists_and_what_names_it_in_any_case_once_each() {
        let mut roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::Overdue, None).owned_by(&["Payments"]),
                milestone("b", Status::Blocked, None).owned_by(&[" PAYMENTS "]),
                milestone("c", Status::DueSoon, None).owned_by(&["Mobile"]),
            ],
        );
        // One Payments team, which also lists `c` (owned by Mobile).
        roadmap
            .teams
            .retain(|t| t.name == "Payments" || t.name == "Mobile");
        if let Some(payments) = roadmap.teams.iter_mut().find(|t| t.name == "Payments") {
            std::sync::Arc::make_mut(payments)
                .milestones
                .push("c".into());
        }
        let visible: Vec<usize> = (0..roadmap.milestones.len()).collect();
        let rollup = team_rollup(&roadmap, &Membership::of(&roadmap), &visible, None);
        let rows: Vec<(&str, usize, usize, usize, usize)> = rollup
            .iter()
            .map(|t| (t.name.as_str(), t.total, t.overdue, t.blocked, t.due_soon))
            .collect();
        assert_eq!(rows, vec![("Payments", 3, 1, 1, 1), ("Mobile", 1, 0, 0, 1)]);
    }
}
