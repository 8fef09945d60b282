//! The filter's pass over every milestone, made cheap enough to run on each
//! search: the lower-cased text that free-text search looks in is worked out
//! once per load instead of once per milestone per search.

use milepost_shared::{Filter, Milestone, Roadmap};

/// Each milestone's searchable text, lower-cased, in roadmap order.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    texts: Vec<String>,
}

/// What free-text search looks in: the same text [`Filter::matches`] uses.
fn search_text(milestone: &Milestone) -> String {
    format!(
        "{} {} {}",
        milestone.id, milestone.title, milestone.description
    )
    .to_lowercase()
}

impl SearchIndex {
    /// The index of a roadmap's milestones.
    pub fn of(roadmap: &Roadmap) -> SearchIndex {
        SearchIndex {
            texts: roadmap.milestones.iter().map(|m| search_text(m)).collect(),
        }
    }

    /// Indices of the milestones of `roadmap` (the one this index was made
    /// of) that pass `filter` but for its status: the same milestones as
    /// the filter's [`Matcher`](milepost_shared::filter::Matcher) keeps, the
    /// API's answer for it (a team by its group ref, a Group entity's team).
    pub fn candidates(&self, roadmap: &Roadmap, filter: &Filter) -> Vec<usize> {
        let words: Vec<String> = filter
            .q
            .as_deref()
            .map(|q| {
                q.to_lowercase()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let rest = Filter {
            q: None,
            ..filter.clone()
        };
        let rest = rest.for_roadmap(roadmap);
        roadmap
            .milestones
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                rest.matches_ignoring_status(m)
                    && self
                        .texts
                        .get(*i)
                        .is_some_and(|text| words.iter().all(|word| text.contains(word.as_str())))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, milestone, roadmap, team_with_ref};
    use milepost_shared::Status;

    #[test]
    fn finds_exactly_what_the_shared_filter_finds() {
        let mut sample = roadmap(
            "2026-01-20",
            vec![
                milestone("SSO portal", Status::OnTrack, Some("2026-03-01")).owned_by(&["Docs"]),
                milestone("Payments Pipeline", Status::Overdue, None).owned_by(&["Payments"]),
                milestone("Ünïcode ÉTAPE", Status::Blocked, None).owned_by(&["Mobile"]),
                milestone("pipeline cleanup", Status::Done, None).owned_by(&["Payments"]),
            ],
        );
        std::sync::Arc::make_mut(&mut sample.milestones[0]).description =
            "Single sign-on for the PIPELINE tools".into();
        let index = SearchIndex::of(&sample);
        let queries = [
            None,
            Some("pipe"),
            Some("PIPELINE"),
            Some("  pipeline   payments "),
            Some("étape"),
            Some("sso sign-on"),
            Some("nothing like this"),
            Some(""),
        ];
        for q in queries {
            for team in [None, Some("payments")] {
                let filter = Filter {
                    q: q.map(str::to_string),
                    team: team.map(str::to_string),
                    status: vec![Status::Overdue],
                    ..Filter::default()
                };
                let expected: Vec<usize> = (0..sample.milestones.len())
                    .filter(|&i| filter.matches_ignoring_status(&sample.milestones[i]))
                    .collect();
                assert_eq!(
                    index.candidates(&sample, &filter),
                    expected,
                    "q {q:?}, team {team:?}"
                );
            }
        }
        assert_eq!(
            index.candidates(
                &sample,
                &Filter {
                    q: Some("pipeline".into()),
                    ..Filter::default()
                }
            ),
            vec![0, 1, 3]
        );
    }

    #[test]
    fn a_group_entity_or_a_team_ref_finds_what_the_team_owns() {
        let mut sample = roadmap(
            "2026-01-20",
            vec![
                milestone("SSO portal", Status::OnTrack, None).owned_by(&["Docs"]),
                milestone("Payments Pipeline", Status::Overdue, None).owned_by(&["Payments"]),
                milestone("Refunds", Status::Blocked, None)
                    .owned_by(&["group:default/payments-team"]),
            ],
        );
        let owned: Vec<&str> = sample.milestones[1..]
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        sample.teams = vec![team_with_ref(
            "Payments",
            "group:default/payments-team",
            &owned,
        )];
        let index = SearchIndex::of(&sample);
        for filter in [
            Filter {
                entity: Some("group:default/payments-team".into()),
                ..Filter::default()
            },
            Filter {
                team: Some("group:default/payments-team".into()),
                ..Filter::default()
            },
            Filter {
                team: Some("payments".into()),
                ..Filter::default()
            },
        ] {
            assert_eq!(index.candidates(&sample, &filter), vec![1, 2], "{filter:?}");
        }
    }
}
