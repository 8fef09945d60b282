//! How dates, statuses and owners read to a person: target with its
//! precision (`Q1 2026`), relative time (`in 3 days`, `5 days late`),
//! urgency order, and owners written as a team's group ref shown as the
//! team (`TeamNames`). Used by the app, the card and the markdown export
//! alike.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use crate::model::{Milestone, Precision, Roadmap, Status};

/// Team names by the Backstage group refs the roadmap's teams carry
/// (compared without case), worked out once per load: an owner written as
/// `group:default/platform` reads as the team `Platform` wherever owners
/// are shown, and so do the short forms Backstage takes for that ref
/// (`platform`, `group:platform`, `default/platform`), as the reader
/// matches them, unless the owner is itself a team's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamNames {
    by_ref: HashMap<String, String>,
    names: HashSet<String>,
}

impl TeamNames {
    /// The refs and names of `roadmap`'s teams.
    pub fn of(roadmap: &Roadmap) -> TeamNames {
        let mut by_ref = HashMap::new();
        for team in &roadmap.teams {
            let Some(group_ref) = &team.group_ref else {
                continue;
            };
            let full = group_ref.to_lowercase();
            let mut keys = vec![full.clone()];
            if let Some(path) = full.strip_prefix("group:") {
                keys.push(path.to_string());
                if let Some(name) = path.strip_prefix("default/") {
                    keys.push(name.to_string());
                    keys.push(format!("group:{name}"));
                }
            }
            for key in keys {
                by_ref.entry(key).or_insert_with(|| team.name.clone());
            }
        }
        let names = roadmap
            .teams
            .iter()
            .map(|team| team.name.to_lowercase())
            .collect();
        TeamNames { by_ref, names }
    }

    /// The team an owner names: the team's name when the owner is written
    /// as its group ref (`group:default/platform` → `Platform`), else the
    /// owner as written.
    pub fn name_of<'a>(&'a self, owner: &'a str) -> &'a str {
        let lower = owner.trim().to_lowercase();
        if self.names.contains(&lower) {
            return owner;
        }
        self.by_ref.get(&lower).map_or(owner, String::as_str)
    }

    /// Owners as one line, each by [`TeamNames::name_of`]; `—` for none.
    pub fn owners_line(&self, owners: &[String]) -> String {
        if owners.is_empty() {
            return "—".to_string();
        }
        let names: Vec<&str> = owners.iter().map(|owner| self.name_of(owner)).collect();
        names.join(", ")
    }
}

/// The target as a person reads it, at the precision it was written:
/// `2026-01-30`, `Jan 2026`, `Q1 2026`, `H2 2026`; the written text (`TBD`)
/// when there is no date; `—` when nothing was written.
pub fn target_label(milestone: &Milestone) -> String {
    match (milestone.target, milestone.target_precision) {
        (Some(date), precision) => date_label(date, precision),
        (None, _) => milestone
            .target_text
            .clone()
            .filter(|text| !text.trim().is_empty())
            .unwrap_or_else(|| "—".to_string()),
    }
}

/// A date at a precision: the period it ends, not the last day.
pub fn date_label(date: NaiveDate, precision: Precision) -> String {
    match precision {
        // Display is `%Y-%m-%d`; chrono's `format` would pull its whole
        // strftime machinery into the browser bundle for two patterns.
        Precision::Day | Precision::None => date.to_string(),
        Precision::Month => format!("{} {}", month_abbrev(date), date.year()),
        Precision::Quarter => format!("Q{} {}", (date.month0() / 3) + 1, date.year()),
        Precision::Half => format!("H{} {}", (date.month0() / 6) + 1, date.year()),
    }
}

/// The month's English abbreviation, as chrono's `%b` writes it (`Jan`).
pub fn month_abbrev(date: NaiveDate) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.get(date.month0() as usize).copied().unwrap_or("")
}

/// Days from `today` to `target`: `today`, `tomorrow`, `in 3 days`,
/// `yesterday`, `5 days late`. Months past about two months (`in 4 months`).
pub fn relative_days(target: NaiveDate, today: NaiveDate) -> String {
    let days = (target - today).num_days();
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "1 day late".to_string(),
        2..=60 => format!("in {days} days"),
        61.. => format!("in {} months", (days + 15) / 30),
        -60..=-2 => format!("{} days late", -days),
        _ => format!("{} months late", (-days + 15) / 30),
    }
}

/// The relative time shown beside a milestone, or `None` where it would
/// mislead (finished or cancelled work, no date).
pub fn relative_label(milestone: &Milestone, today: NaiveDate) -> Option<String> {
    match milestone.status {
        Status::Done | Status::Cancelled => None,
        _ => milestone.target.map(|target| relative_days(target, today)),
    }
}

/// Orders milestones by urgency: blocked and overdue first, then due soon,
/// on track, unscheduled and finished work; within each tier by target
/// (undated last), then by title.
pub fn by_urgency(a: &Milestone, b: &Milestone) -> std::cmp::Ordering {
    a.status
        .urgency()
        .cmp(&b.status.urgency())
        .then_with(|| match (a.target, b.target) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| a.title.cmp(&b.title))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_owner_written_as_a_teams_group_ref_reads_as_the_team() {
        let mut roadmap = Roadmap::default();
        roadmap.teams.push(std::sync::Arc::new(crate::model::Team {
            name: "Platform".to_string(),
            group_ref: Some("group:default/platform".to_string()),
            responsibilities: Vec::new(),
            milestones: Vec::new(),
        }));
        let names = TeamNames::of(&roadmap);
        let owners = |list: &[&str]| {
            names.owners_line(&list.iter().map(|o| o.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            owners(&["Group:Default/Platform", "Security"]),
            "Platform, Security"
        );
        // A ref no team carries, and a name, stay as written.
        assert_eq!(owners(&["group:default/data"]), "group:default/data");
        assert_eq!(owners(&["platform"]), "platform");
        assert_eq!(owners(&[]), "—");
    }

    #[test]
    fn the_short_forms_of_a_teams_ref_read_as_the_team() {
        let mut roadmap = Roadmap::default();
        for (name, group_ref) in [
            ("Checkout Squad", "group:default/checkout"),
            ("Search Guild", "group:search/guild"),
            ("Platform", "group:default/infra"),
        ] {
            roadmap.teams.push(std::sync::Arc::new(crate::model::Team {
                name: name.to_string(),
                group_ref: Some(group_ref.to_string()),
                responsibilities: Vec::new(),
                milestones: Vec::new(),
            }));
        }
        let names = TeamNames::of(&roadmap);
        for owner in [
            "checkout",
            "group:checkout",
            "default/checkout",
            "group:default/checkout",
        ] {
            assert_eq!(names.name_of(owner), "Checkout Squad", "{owner}");
        }
        assert_eq!(names.name_of("search/guild"), "Search Guild");
        // `guild` alone would be in the default namespace: another group.
        assert_eq!(names.name_of("guild"), "guild");
        // A team's own name is never renamed.
        assert_eq!(names.name_of("platform"), "platform");
        assert_eq!(names.name_of("infra"), "Platform");
    }

    #[test]
    fn relative_days_reads_naturally() {
        let today = day("2026-01-20");
        let check = |target: &str, expected: &str| {
            assert_eq!(
                relative_days(day(target), today),
                expected,
                "target {target}"
            );
        };
        check("2026-01-20", "today");
        check("2026-01-21", "tomorrow");
        check("2026-01-23", "in 3 days");
        check("2026-01-19", "1 day late");
        check("2026-01-15", "5 days late");
        check("2026-06-20", "in 5 months");
        check("2025-10-20", "3 months late");
    }

    #[test]
    fn month_abbrev_matches_chrono_for_every_month() {
        for month in 1..=12 {
            let date = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
            assert_eq!(month_abbrev(date), date.format("%b").to_string());
        }
    }

    #[test]
    fn date_label_keeps_the_written_precision() {
        let check = |date: &str, precision: Precision, expected: &str| {
            assert_eq!(date_label(day(date), precision), expected);
        };
        check("2026-01-30", Precision::Day, "2026-01-30");
        check("2026-01-31", Precision::Month, "Jan 2026");
        check("2027-09-05", Precision::Day, "2027-09-05");
        check("2027-09-30", Precision::Month, "Sep 2027");
        check("2026-12-31", Precision::Month, "Dec 2026");
        check("2026-03-31", Precision::Quarter, "Q1 2026");
        check("2026-12-31", Precision::Quarter, "Q4 2026");
        check("2026-12-31", Precision::Half, "H2 2026");
        check("2026-06-30", Precision::Half, "H1 2026");
    }

    fn milestone(title: &str, status: Status, target: Option<&str>) -> Milestone {
        Milestone {
            id: title.to_lowercase(),
            title: title.to_string(),
            description: String::new(),
            description_html: String::new(),
            owners: Vec::new(),
            owner_source: crate::model::OwnerSource::None,
            start: None,
            target: target.map(day),
            target_text: target.map(str::to_string),
            target_precision: if target.is_some() {
                Precision::Day
            } else {
                Precision::None
            },
            state: crate::model::State::Planned,
            status,
            progress: None,
            dependencies: Vec::new(),
            dependents: Vec::new(),
            document: "plan.md".to_string(),
            line: 1,
            section: None,
            entity: None,
            source_url: None,
        }
    }

    #[test]
    fn urgency_puts_overdue_and_blocked_first_by_target() {
        let mut milestones = [
            milestone("Done early", Status::Done, Some("2026-01-01")),
            milestone("Blocked undated", Status::Blocked, None),
            milestone("On track", Status::OnTrack, Some("2026-03-01")),
            milestone("Blocked later", Status::Blocked, Some("2026-02-20")),
            milestone("Due soon", Status::DueSoon, Some("2026-01-25")),
            milestone("Overdue", Status::Overdue, Some("2026-01-09")),
            milestone("Unscheduled", Status::Unscheduled, None),
        ];
        milestones.sort_by(by_urgency);
        let titles: Vec<&str> = milestones.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Overdue",
                "Blocked later",
                "Blocked undated",
                "Due soon",
                "On track",
                "Unscheduled",
                "Done early"
            ]
        );
    }
}
