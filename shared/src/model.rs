//! The JSON contract (spec §5): what `GET /api/roadmap` and `milepost export`
//! return. Field names are fixed by the contract; fields beyond it are marked.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything Milepost knows at one moment: documents, milestones, teams and
/// the reader's diagnostics, with statuses computed for `today`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Roadmap {
    /// The date statuses were computed for.
    pub today: Option<NaiveDate>,
    /// Increases by one each time the server re-reads its sources (not in the
    /// spec's example; 0 from the CLI).
    #[serde(default)]
    pub revision: u64,
    /// Shared like the milestones.
    pub documents: Vec<Arc<Document>>,
    /// Shared, so a new revision reuses every milestone that did not change
    /// (serialized as plain objects).
    pub milestones: Vec<Arc<Milestone>>,
    /// Shared like the milestones (a team's list changes only with its documents).
    pub teams: Vec<Arc<Team>>,
    /// Shared like the milestones.
    pub diagnostics: Vec<Arc<Diagnostic>>,
    /// Dated markers that are not milestones (the `timeline` of a `roadmap.yml`).
    #[serde(default)]
    pub markers: Vec<Marker>,
}

/// One source document that yielded a roadmap (markdown or YAML).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to its source root, with `/` separators.
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub last_updated: Option<NaiveDate>,
    /// Backstage entity ref (`component:default/checkout`), from front matter,
    /// the YAML `entity` key or a catalog file.
    pub entity: Option<String>,
    /// Document-level owners (front matter `owner`, YAML `owner`, catalog `spec.owner`).
    pub owners: Vec<String>,
    /// Link to the document in its repository, when a base URL is configured
    /// (filled in by the server, not the reader).
    #[serde(default)]
    pub source_url: Option<String>,
}

/// One trackable item of work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// Declared id, else `<document stem>/<title slug>`; unique across the roadmap.
    pub id: String,
    pub title: String,
    /// Markdown text as written in the source.
    pub description: String,
    /// `description` rendered to sanitised HTML by the reader (not in the spec's
    /// example): the app shows it and never parses markdown itself.
    #[serde(default)]
    pub description_html: String,
    pub owners: Vec<String>,
    pub owner_source: OwnerSource,
    pub start: Option<NaiveDate>,
    /// The date the milestone is due: a day, or the end of its month, quarter or half.
    pub target: Option<NaiveDate>,
    /// The target as written (`Q1 2026`, `TBD`), when anything was written.
    pub target_text: Option<String>,
    pub target_precision: Precision,
    pub state: State,
    pub status: Status,
    pub progress: Option<Progress>,
    pub dependencies: Vec<Dependency>,
    /// Ids of the milestones that depend on this one.
    pub dependents: Vec<String>,
    /// Path of the document it was read from (same as [`Document::path`]).
    pub document: String,
    /// 1-based line in that document where the milestone starts.
    pub line: u32,
    /// The heading of the section it sits under.
    pub section: Option<String>,
    /// The Backstage entity its document belongs to (not in the spec's example).
    #[serde(default)]
    pub entity: Option<String>,
    /// Link to the milestone's line in its repository, when a base URL is
    /// configured (filled in by the server).
    #[serde(default)]
    pub source_url: Option<String>,
}

/// How a milestone's owners were found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerSource {
    /// Stated on the milestone itself (owner cell, field, bold lead).
    Explicit,
    /// From the document's ownership section.
    Section,
    /// From the document's front matter or YAML `owner`.
    Document,
    /// From the Backstage catalog entity that owns the document.
    Catalog,
    /// No owner could be found.
    #[default]
    None,
}

/// How precisely a target was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    Month,
    Quarter,
    Half,
    #[default]
    None,
}

/// The state a document declares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    #[default]
    Planned,
    InProgress,
    Done,
    Blocked,
    Cancelled,
}

/// The one status chip a reader sees, computed from state, target and today (spec §2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Cancelled,
    Blocked,
    Overdue,
    DueSoon,
    OnTrack,
    Unscheduled,
}

impl Status {
    /// Every status, in the order the summary strip shows them.
    pub const ALL: [Status; 7] = [
        Status::Overdue,
        Status::Blocked,
        Status::DueSoon,
        Status::OnTrack,
        Status::Unscheduled,
        Status::Done,
        Status::Cancelled,
    ];

    /// The wire name (`due_soon`), as used in JSON and query strings.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Blocked => "blocked",
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::OnTrack => "on_track",
            Status::Unscheduled => "unscheduled",
        }
    }

    /// The words a person reads (`Due soon`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "Done",
            Status::Cancelled => "Cancelled",
            Status::Blocked => "Blocked",
            Status::Overdue => "Overdue",
            Status::DueSoon => "Due soon",
            Status::OnTrack => "On track",
            Status::Unscheduled => "Unscheduled",
        }
    }

    /// Parses a wire name; `None` for anything else.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// Still to be done: neither done nor cancelled. The card lists these
    /// and the timeline opens on them.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Cancelled)
    }

    /// Lower is more urgent: blocked and overdue share the first tier (so a
    /// short card never hides an overdue item behind later blocked ones), then
    /// due soon, on track, unscheduled, and finished work last.
    pub fn urgency(self) -> u8 {
        match self {
            Status::Blocked | Status::Overdue => 0,
            Status::DueSoon => 1,
            Status::OnTrack => 2,
            Status::Unscheduled => 3,
            Status::Done => 4,
            Status::Cancelled => 5,
        }
    }
}

/// Subtask progress of a milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

/// One dependency as written, with the milestone it resolved to (if any).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub text: String,
    /// The resolved milestone id; `None` for an external dependency.
    pub milestone: Option<String>,
}

/// A team: named in an ownership section, a YAML `teams` list, an owner field
/// or the catalog.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// Backstage group ref (`group:default/payments-team`), when known.
    #[serde(rename = "ref")]
    pub group_ref: Option<String>,
    pub responsibilities: Vec<String>,
    /// Ids of the milestones the team owns.
    pub milestones: Vec<String>,
}

/// A problem found while reading a source; the rest is still read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based line; 1 for problems with the file as a whole.
    pub line: u32,
    pub severity: Severity,
    pub message: String,
    /// The catalog entity the problem keeps from its roadmap (a
    /// `milepost.io/roadmap` annotation naming nothing read), so the
    /// entity's card can say why it is empty. Left out of the JSON when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
}

/// How bad a diagnostic is. `milepost check` exits 1 on any error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A dated event that is not a milestone (a `roadmap.yml` timeline entry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub title: String,
    pub date: NaiveDate,
    pub description: Option<String>,
    pub document: String,
    pub line: u32,
}

/// The JSON error body of the HTTP API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
}

/// A server-sent event telling open pages the roadmap changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReloadEvent {
    pub revision: u64,
}
