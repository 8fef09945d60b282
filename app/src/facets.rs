//! The choices the filter controls offer, taken from the loaded roadmap.

use std::collections::HashMap;

use milepost_shared::{Diagnostic, Filter, Milestone, Roadmap, filter::same_team};

use crate::sorting;

/// One option of a select: the value put in the URL and the words shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The choices of a filter's list with the value the filter holds (from a
/// link, or left from before a reload) selected, and the index of that
/// choice: the choice it names, any case, or else one added first (a team
/// no milestone names, a Group's ref), so the list never reads "All" while
/// it filters.
pub fn with_current(mut list: Vec<Choice>, current: Option<&str>) -> (Vec<Choice>, Option<usize>) {
    let Some(current) = current else {
        return (list, None);
    };
    let found = list
        .iter()
        .position(|choice| choice.value == current)
        .or_else(|| {
            list.iter()
                .position(|choice| choice.value.to_lowercase() == current.to_lowercase())
        });
    if found.is_some() {
        return (list, found);
    }
    list.insert(
        0,
        Choice {
            value: current.to_string(),
            label: current.to_string(),
        },
    );
    (list, Some(0))
}

/// Teams: the roadmap's named teams and every owner written on a milestone,
/// once each (team names compare case-insensitively), sorted by name. An
/// owner written as a team's group ref (`group:default/platform`) is that
/// team, already listed by its name.
pub fn team_choices(roadmap: &Roadmap) -> Vec<Choice> {
    let mut names: Vec<String> = Vec::new();
    let is_a_teams_ref = |owner: &str| {
        roadmap.teams.iter().any(|team| {
            team.group_ref
                .as_deref()
                .is_some_and(|group_ref| group_ref.eq_ignore_ascii_case(owner.trim()))
        })
    };
    let candidates = roadmap.teams.iter().map(|team| team.name.as_str()).chain(
        roadmap
            .milestones
            .iter()
            .flat_map(|m| m.owners.iter().map(String::as_str))
            .filter(|owner| !is_a_teams_ref(owner)),
    );
    for name in candidates {
        if !name.trim().is_empty() && !names.iter().any(|known| same_team(known, name)) {
            names.push(name.trim().to_string());
        }
    }
    sorting::sort_by_key(&mut names, |name| name.to_lowercase());
    names
        .into_iter()
        .map(|name| Choice {
            value: name.clone(),
            label: name,
        })
        .collect()
}

/// Backstage entities that own at least one milestone, sorted.
pub fn entity_choices(roadmap: &Roadmap) -> Vec<Choice> {
    let mut entities: Vec<&str> = roadmap
        .milestones
        .iter()
        .filter_map(|m| m.entity.as_deref())
        .collect();
    sorting::sort_by(&mut entities, |a, b| a.cmp(b));
    entities.dedup();
    entities
        .into_iter()
        .map(|entity| Choice {
            value: entity.to_string(),
            label: entity.to_string(),
        })
        .collect()
}

/// Documents, labelled by title (and path, since titles can repeat), sorted by title.
pub fn document_choices(roadmap: &Roadmap) -> Vec<Choice> {
    let mut choices: Vec<Choice> = roadmap
        .documents
        .iter()
        .map(|doc| Choice {
            value: doc.path.clone(),
            label: if doc.title.trim().is_empty() {
                doc.path.clone()
            } else {
                format!("{} — {}", doc.title, doc.path)
            },
        })
        .collect();
    sorting::sort_by_key(&mut choices, |choice| choice.label.to_lowercase());
    choices
}

/// A document's title for display, falling back to its path.
pub fn document_title<'a>(roadmap: &'a Roadmap, path: &'a str) -> &'a str {
    roadmap
        .documents
        .iter()
        .find(|doc| doc.path == path && !doc.title.trim().is_empty())
        .map_or(path, |doc| doc.title.as_str())
}

/// The diagnostics worth showing for a filtered view: all of them with no
/// filter, else those of the documents that still have visible milestones
/// (or the filtered document), errors first, then by file and line.
pub fn visible_diagnostics<'a>(
    roadmap: &'a Roadmap,
    filter: &Filter,
    visible: &[&Milestone],
) -> Vec<&'a Diagnostic> {
    // Documents with a visible milestone (the app's one map type: see `teams`).
    let mut shown: HashMap<String, usize> = HashMap::new();
    for m in visible {
        if !shown.contains_key(&m.document) {
            shown.insert(m.document.clone(), 0);
        }
    }
    let mut diagnostics: Vec<&Diagnostic> = roadmap
        .diagnostics
        .iter()
        .filter(|d| {
            filter.is_empty()
                || filter.document.as_deref() == Some(d.path.as_str())
                || shown.contains_key(&d.path)
        })
        .map(|d| &**d)
        .collect();
    sorting::sort_by(&mut diagnostics, |a, b| {
        a.severity
            .cmp(&b.severity)
            .then(a.path.cmp(&b.path))
            .then(a.line.cmp(&b.line))
    });
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone, roadmap, team_with_ref};
    use milepost_shared::{Severity, Status};
    use std::sync::Arc;

    #[test]
    fn diagnostics_follow_the_documents_in_view_errors_first() {
        let mut roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, None)
                    .in_document("a.md")
                    .owned_by(&["Docs"]),
                milestone("b", Status::OnTrack, None).in_document("b.md"),
            ],
        );
        let diagnostic = |path: &str, line, severity| Diagnostic {
            path: path.into(),
            line,
            severity,
            message: format!("{path}:{line}"),
            entity: None,
        };
        roadmap.diagnostics = vec![
            diagnostic("b.md", 3, Severity::Warning),
            diagnostic("a.md", 9, Severity::Warning),
            diagnostic("a.md", 4, Severity::Error),
            diagnostic("broken.md", 1, Severity::Error),
        ]
        .into_iter()
        .map(Arc::new)
        .collect();
        let messages = |filter: &Filter| -> Vec<String> {
            let visible: Vec<&Milestone> = roadmap
                .milestones
                .iter()
                .filter(|m| filter.matches(m))
                .map(|m| &**m)
                .collect();
            visible_diagnostics(&roadmap, filter, &visible)
                .into_iter()
                .map(|d| d.message.clone())
                .collect()
        };
        assert_eq!(
            messages(&Filter::default()),
            vec!["a.md:4", "broken.md:1", "a.md:9", "b.md:3"]
        );
        let docs_team = Filter {
            team: Some("Docs".into()),
            ..Filter::default()
        };
        assert_eq!(messages(&docs_team), vec!["a.md:4", "a.md:9"]);
        let broken = Filter {
            document: Some("broken.md".into()),
            ..Filter::default()
        };
        assert_eq!(
            messages(&broken),
            vec!["broken.md:1"],
            "a document with no milestones still shows its problems"
        );
    }

    #[test]
    fn teams_are_listed_once_whatever_their_case() {
        let roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, None).owned_by(&["Platform", "security"]),
                milestone("b", Status::OnTrack, None).owned_by(&["Security", "Docs & DevEx"]),
            ],
        );
        let labels: Vec<String> = team_choices(&roadmap)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, vec!["Docs & DevEx", "Platform", "security"]);
    }

    #[test]
    fn the_value_a_filter_holds_is_always_the_selected_choice() {
        let choice = |value: &str| Choice {
            value: value.into(),
            label: value.into(),
        };
        let list = || vec![choice("Mobile"), choice("Payments")];
        let labels = |(list, selected): (Vec<Choice>, Option<usize>)| {
            (
                list.into_iter().map(|c| c.label).collect::<Vec<_>>(),
                selected,
            )
        };
        assert_eq!(labels(with_current(list(), None)).1, None);
        assert_eq!(labels(with_current(list(), Some("Payments"))).1, Some(1));
        assert_eq!(labels(with_current(list(), Some("payments"))).1, Some(1));
        assert_eq!(
            labels(with_current(list(), Some("Nobody"))),
            (
                vec!["Nobody".to_string(), "Mobile".into(), "Payments".into()],
                Some(0)
            )
        );
    }

    #[test]
    fn an_owner_written_as_a_teams_group_ref_is_listed_as_the_team() {
        let mut roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, None).owned_by(&["Platform"]),
                milestone("b", Status::OnTrack, None).owned_by(&["group:default/platform"]),
                milestone("c", Status::OnTrack, None).owned_by(&["group:default/unknown"]),
            ],
        );
        roadmap.teams = vec![team_with_ref(
            "Platform",
            "group:default/platform",
            &["a", "b"],
        )];
        let labels: Vec<String> = team_choices(&roadmap)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, vec!["group:default/unknown", "Platform"]);
    }

    #[test]
    fn entities_are_distinct_and_documents_carry_their_path() {
        let roadmap = roadmap(
            "2026-01-20",
            vec![
                milestone("a", Status::OnTrack, None)
                    .for_entity("component:default/x")
                    .in_document("b.md"),
                milestone("b", Status::OnTrack, None)
                    .for_entity("component:default/x")
                    .in_document("a.md"),
                milestone("c", Status::OnTrack, None),
            ],
        );
        assert_eq!(entity_choices(&roadmap).len(), 1);
        let docs: Vec<String> = document_choices(&roadmap)
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(docs, vec!["a.md", "b.md", "docs/plan.md"]);
        assert_eq!(document_title(&roadmap, "a.md"), "Doc a.md");
        assert_eq!(document_title(&roadmap, "missing.md"), "missing.md");
    }
}
