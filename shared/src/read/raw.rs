//! The loose records of the first stage: what one document says, before any
//! rule that needs the other documents (known teams, ids, dependencies).

use crate::model::{Diagnostic, Marker, Progress, Severity, State};

/// What kind of source a document turned out to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A markdown document (it may hold no milestone).
    #[default]
    Markdown,
    /// A native or `roadmap.yml`-schema YAML roadmap.
    YamlRoadmap,
    /// A Backstage catalog file: entities and groups, no milestones.
    Catalog,
    /// YAML that is none of the above (ignored without a diagnostic).
    Ignored,
}

/// Everything extracted from one document.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extraction {
    pub path: String,
    pub kind: Kind,
    pub title: Option<String>,
    /// The first H1, used when front matter has no title.
    pub first_heading: Option<String>,
    pub summary: Option<String>,
    pub last_updated: Option<Located>,
    pub created: Option<Located>,
    pub entity: Option<String>,
    pub owners: Vec<String>,
    pub milestones: Vec<RawMilestone>,
    pub teams: Vec<RawTeam>,
    pub markers: Vec<Marker>,
    pub entities: Vec<CatalogEntity>,
    pub groups: Vec<CatalogGroup>,
    /// Team names seen on their own (a YAML owners list item, a one-name owner cell).
    pub named_teams: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Extraction {
    pub(crate) fn new(path: &str) -> Self {
        Extraction {
            path: path.to_string(),
            ..Extraction::default()
        }
    }

    /// Adds the document owners a front-matter `owner`, a YAML `owner`/
    /// `owners` item or an owner line names: several are split on commas
    /// and semicolons (`owner: Platform, Security`), and a placeholder
    /// (`TBD`) names nobody. Each is also a team named on its own.
    pub(crate) fn add_document_owners(&mut self, text: &str) {
        for owner in text.split([',', ';']).map(str::trim) {
            if !owner.is_empty() && !super::owners::is_no_owner(owner) {
                self.owners.push(owner.to_string());
                self.named_teams.push(owner.to_string());
            }
        }
    }

    pub(crate) fn diagnose(&mut self, line: u32, severity: Severity, message: String) {
        self.diagnostics.push(Diagnostic {
            path: self.path.clone(),
            line: line.max(1),
            severity,
            message,
            entity: None,
        });
    }
}

/// A text with the line it was written on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Located {
    pub text: String,
    pub line: u32,
}

/// One milestone as written.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawMilestone {
    pub line: u32,
    pub section: Option<String>,
    pub id: Option<String>,
    pub title: String,
    /// A task item's bold lead, when it might name teams rather than the work.
    pub lead: Option<String>,
    /// The title to use when `lead` names teams (taken from the text after
    /// it); only made when there is a `lead`.
    pub title_after_lead: String,
    pub description: String,
    pub description_html: String,
    /// Text matched against ownership-section responsibilities when no owner
    /// is stated (title and description without the inline fields); empty
    /// means the description.
    pub match_text: String,
    /// Owner texts, each still to be split (a cell, a field, a YAML list item).
    pub owner_texts: Vec<String>,
    pub start: Option<Located>,
    pub target: Option<Located>,
    /// The target sits under a `horizon` header: a bare number is days.
    pub target_is_horizon: bool,
    /// A state column or field, which wins over markers.
    pub state_text: Option<Located>,
    /// The state markers elsewhere declare (`[x]`, strikethrough, a leading ✅).
    pub marked_state: Option<State>,
    pub dependencies: Vec<Located>,
    pub progress: Option<Progress>,
}

/// A team named in an ownership section or a YAML `teams` list.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RawTeam {
    pub name: String,
    pub group_ref: Option<String>,
    pub responsibilities: Vec<String>,
    /// From the document's ownership section: owns its unowned milestones.
    pub from_section: bool,
}

/// A catalog entity that may claim documents.
#[derive(Clone, Debug, Default)]
pub(crate) struct CatalogEntity {
    pub entity_ref: String,
    pub owner: Option<String>,
    /// Document paths named by `milepost.io/roadmap`, relative to the source root.
    pub roadmap_paths: Vec<String>,
    /// The line of the `milepost.io/roadmap` annotation.
    pub roadmap_line: u32,
    /// Folders named by `milepost.io/roadmap: dir:…`.
    pub roadmap_dirs: Vec<String>,
    /// The folder of `backstage.io/techdocs-ref: dir:…`.
    pub techdocs_dir: Option<String>,
}

/// A catalog Group: a known team with its ref.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CatalogGroup {
    pub group_ref: String,
    /// `metadata.name`, `metadata.title`, `spec.profile.displayName`.
    pub names: Vec<String>,
}
