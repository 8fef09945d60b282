//! The roadmap filter shared by the HTTP API (`/api/roadmap?team=…`) and the
//! app's URL: one parser, one matcher, one query-string form.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{Diagnostic, Milestone, Roadmap, Status, Team};

/// Which milestones to show. Empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Backstage entity ref, matched case-insensitively.
    pub entity: Option<String>,
    /// Document path, exactly as in [`crate::Document::path`].
    pub document: Option<String>,
    /// Team name, matched case-insensitively against the milestone's owners.
    pub team: Option<String>,
    /// Any of these statuses (repeatable `status=` parameter).
    pub status: Vec<Status>,
    /// Words that must all appear in the title or description (case-insensitive).
    pub q: Option<String>,
}

/// A query parameter the filter could not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// The parameter name.
    pub parameter: String,
    /// What was wrong, for a person.
    pub message: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for FilterError {}

impl Filter {
    /// Reads decoded query pairs. Unknown keys are ignored (other tools put
    /// their own parameters in the URL); a bad `status` value is an error.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Filter, FilterError> {
        let mut filter = Filter::default();
        for (key, value) in pairs {
            let value = value.trim();
            let set = |slot: &mut Option<String>| {
                *slot = (!value.is_empty()).then(|| value.to_string());
            };
            match key {
                "entity" => set(&mut filter.entity),
                "document" => set(&mut filter.document),
                "team" => set(&mut filter.team),
                "q" => set(&mut filter.q),
                "status" => {
                    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let status = Status::parse(part).ok_or_else(|| FilterError {
                            parameter: "status".into(),
                            message: format!(
                                "unknown status '{part}'; use one of {}",
                                Status::ALL.map(Status::as_str).join(", ")
                            ),
                        })?;
                        if !filter.status.contains(&status) {
                            filter.status.push(status);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(filter)
    }

    /// The filter as `(key, value)` pairs, in a stable order, for building a URL.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let optional = [
            ("entity", &self.entity),
            ("document", &self.document),
            ("team", &self.team),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                pairs.push((key, value.clone()));
            }
        }
        for status in &self.status {
            pairs.push(("status", status.as_str().to_string()));
        }
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        pairs
    }

    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether a milestone passes every part of the filter.
    pub fn matches(&self, milestone: &Milestone) -> bool {
        self.matches_ignoring_status(milestone)
            && (self.status.is_empty() || self.status.contains(&milestone.status))
    }

    /// Like [`Filter::matches`] without the status part: the summary strip
    /// counts statuses over this set, so clicking a count never hides the others.
    pub fn matches_ignoring_status(&self, milestone: &Milestone) -> bool {
        self.matches_except_team(milestone)
            && self.team.as_ref().is_none_or(|team| {
                milestone
                    .owners
                    .iter()
                    .any(|owner| same_team(owner, team) || names_team(owner, team))
            })
    }

    /// Every part but the team and the status.
    fn matches_except_team(&self, milestone: &Milestone) -> bool {
        self.entity_matches(milestone) && self.matches_rest(milestone)
    }

    /// The entity part: the milestone's document belongs to the entity.
    fn entity_matches(&self, milestone: &Milestone) -> bool {
        self.entity.as_ref().is_none_or(|entity| {
            milestone
                .entity
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(entity))
        })
    }

    /// The document and the words.
    fn matches_rest(&self, milestone: &Milestone) -> bool {
        if let Some(document) = &self.document
            && milestone.document != *document
        {
            return false;
        }
        if let Some(q) = &self.q {
            let haystack = format!(
                "{} {} {}",
                milestone.id, milestone.title, milestone.description
            )
            .to_lowercase();
            if !q
                .to_lowercase()
                .split_whitespace()
                .all(|word| haystack.contains(word))
            {
                return false;
            }
        }
        true
    }

    /// Whether `diagnostic` tells what keeps the filter's entity from its
    /// roadmap (a catalog annotation naming nothing read): an answer for the
    /// entity keeps it, so its card can say why it is empty.
    pub fn is_about_entity(&self, diagnostic: &Diagnostic) -> bool {
        diagnostic
            .entity
            .as_deref()
            .zip(self.entity.as_deref())
            .is_some_and(|(about, wanted)| about.eq_ignore_ascii_case(wanted))
    }

    /// The filter made ready for `roadmap`, whose teams it also reads (see
    /// [`Matcher`]).
    pub fn for_roadmap<'a>(&'a self, roadmap: &'a Roadmap) -> Matcher<'a> {
        // Ids owned by the teams `name` names, sorted.
        let owned_by = |name: &str| -> Vec<&'a str> {
            let mut ids: Vec<&str> = roadmap
                .teams
                .iter()
                .filter(|team| is_named(team, name))
                .flat_map(|team| team.milestones.iter().map(String::as_str))
                .collect();
            ids.sort_unstable();
            ids
        };
        let group = self
            .entity
            .as_deref()
            .filter(|entity| entity.trim().to_ascii_lowercase().starts_with("group:"));
        Matcher {
            filter: self,
            by_team: self.team.as_deref().map(owned_by),
            by_group: group.map(owned_by),
        }
    }

    /// A copy of the roadmap holding only the matching milestones, the teams
    /// that own them, their documents and those documents' diagnostics,
    /// and the diagnostics about the filter's entity.
    /// Dependencies keep pointing at ids that may have been filtered out.
    pub fn apply(&self, roadmap: &Roadmap) -> Roadmap {
        if self.is_empty() {
            return roadmap.clone();
        }
        let matcher = self.for_roadmap(roadmap);
        let milestones: Vec<Arc<Milestone>> = roadmap
            .milestones
            .iter()
            .filter(|m| matcher.matches(m))
            .cloned()
            .collect();
        let kept_ids: HashSet<&str> = milestones.iter().map(|m| m.id.as_str()).collect();
        let milestone_documents: HashSet<&str> =
            milestones.iter().map(|m| m.document.as_str()).collect();
        let documents = roadmap
            .documents
            .iter()
            .filter(|d| match &self.document {
                Some(path) => *path == d.path,
                None => milestone_documents.contains(d.path.as_str()),
            })
            .cloned()
            .collect::<Vec<_>>();
        let document_paths: HashSet<&str> = documents.iter().map(|d| d.path.as_str()).collect();
        // The teams of the kept milestones, and the team asked for even when
        // it owns none of them. A team's milestone list keeps only what the
        // filter kept, so a small answer (a card's entity) does not carry
        // the whole portfolio's ids.
        let teams = roadmap
            .teams
            .iter()
            .filter_map(|team| {
                let owned: Vec<String> = team
                    .milestones
                    .iter()
                    .filter(|id| kept_ids.contains(id.as_str()))
                    .cloned()
                    .collect();
                let wanted = !owned.is_empty()
                    || self.team.as_ref().is_some_and(|name| is_named(team, name));
                wanted.then(|| {
                    if owned.len() == team.milestones.len() {
                        team.clone()
                    } else {
                        Arc::new(Team {
                            name: team.name.clone(),
                            group_ref: team.group_ref.clone(),
                            responsibilities: team.responsibilities.clone(),
                            milestones: owned,
                        })
                    }
                })
            })
            .collect();
        let diagnostics = roadmap
            .diagnostics
            .iter()
            .filter(|d| document_paths.contains(d.path.as_str()) || self.is_about_entity(d))
            .cloned()
            .collect();
        let markers = roadmap
            .markers
            .iter()
            .filter(|marker| document_paths.contains(marker.document.as_str()))
            .cloned()
            .collect();
        Roadmap {
            today: roadmap.today,
            revision: roadmap.revision,
            documents,
            milestones,
            teams,
            diagnostics,
            markers,
        }
    }
}

/// A [`Filter`] ready for one roadmap: besides what [`Filter::matches`]
/// sees on a milestone, it takes what the roadmap's teams own, as the
/// reader found it (owners written as a group ref included):
/// - `team` naming a team by name or group ref takes that team's milestones
///   (`team=group:default/platform` is the team Platform when Platform has
///   that ref);
/// - `entity` naming a Backstage Group (`group:default/payments-team`)
///   takes the milestones its team owns, besides those of documents that
///   belong to the group: a Group page's card shows the team's roadmap.
pub struct Matcher<'a> {
    filter: &'a Filter,
    /// Sorted ids the team filter's teams own (`None`: no team filter).
    by_team: Option<Vec<&'a str>>,
    /// Sorted ids a Group entity's team owns (`None`: no Group entity).
    by_group: Option<Vec<&'a str>>,
}

impl Matcher<'_> {
    /// [`Filter::matches_ignoring_status`], with the roadmap's teams.
    pub fn matches_ignoring_status(&self, milestone: &Milestone) -> bool {
        let filter = self.filter;
        let listed = |ids: &Option<Vec<&str>>| {
            ids.as_ref()
                .is_some_and(|ids| ids.binary_search(&milestone.id.as_str()).is_ok())
        };
        let team = filter.team.as_ref().is_none_or(|team| {
            listed(&self.by_team)
                || milestone
                    .owners
                    .iter()
                    .any(|owner| same_team(owner, team) || names_team(owner, team))
        });
        let entity = filter.entity_matches(milestone)
            || listed(&self.by_group)
            || self.by_group.is_some()
                && filter.entity.as_ref().is_some_and(|entity| {
                    milestone
                        .owners
                        .iter()
                        .any(|owner| owner.trim().eq_ignore_ascii_case(entity.trim()))
                });
        team && entity && filter.matches_rest(milestone)
    }

    /// [`Filter::matches`], with the roadmap's teams.
    pub fn matches(&self, milestone: &Milestone) -> bool {
        self.matches_ignoring_status(milestone)
            && (self.filter.status.is_empty() || self.filter.status.contains(&milestone.status))
    }
}

/// Whether `name` names `team`: its name (any case) or its group ref.
fn is_named(team: &Team, name: &str) -> bool {
    same_team(&team.name, name)
        || team
            .group_ref
            .as_deref()
            .is_some_and(|group_ref| group_ref.eq_ignore_ascii_case(name.trim()))
}

/// Whether an owner written as a Backstage ref (`group:default/platform`)
/// names the team `team` by the ref's name, as the reader reads it when no
/// group gives the ref to another name.
fn names_team(owner: &str, team: &str) -> bool {
    let owner = owner.trim();
    !owner.contains(char::is_whitespace)
        && owner
            .split_once(':')
            .and_then(|(_, rest)| rest.rsplit('/').next())
            .is_some_and(|name| same_team(name, team))
}

/// Team names compare case-insensitively (spec §2.3).
pub fn same_team(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim()) || a.trim().to_lowercase() == b.trim().to_lowercase()
}
