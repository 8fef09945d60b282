//! Small roadmaps built in code for the logic modules' tests.

use std::sync::Arc;

use chrono::NaiveDate;
use milepost_shared::{
    Dependency, Document, Milestone, OwnerSource, Precision, Roadmap, State, Status, Team,
};

/// A date from `YYYY-MM-DD`; panics on a typo in a test.
pub fn day(text: &str) -> NaiveDate {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => date,
        Err(error) => panic!("bad test date {text}: {error}"),
    }
}

/// A milestone with an id, a status and an optional day target; the rest plain.
pub fn milestone(id: &str, status: Status, target: Option<&str>) -> Milestone {
    Milestone {
        id: id.to_string(),
        title: format!("Title of {id}"),
        description: String::new(),
        description_html: String::new(),
        owners: Vec::new(),
        owner_source: OwnerSource::None,
        start: None,
        target: target.map(day),
        target_text: target.map(str::to_string),
        target_precision: if target.is_some() {
            Precision::Day
        } else {
            Precision::None
        },
        state: State::Planned,
        status,
        progress: None,
        dependencies: Vec::new(),
        dependents: Vec::new(),
        document: "docs/plan.md".to_string(),
        line: 1,
        section: None,
        entity: None,
        source_url: None,
    }
}

/// Builder-style helpers so a test states only what it is about.
pub trait MilestoneExt {
    fn owned_by(self, owners: &[&str]) -> Self;
    fn in_document(self, path: &str) -> Self;
    fn starting(self, start: &str) -> Self;
    fn depends_on(self, id: &str) -> Self;
    fn titled(self, title: &str) -> Self;
    fn for_entity(self, entity: &str) -> Self;
}

impl MilestoneExt for Milestone {
    fn owned_by(mut self, owners: &[&str]) -> Self {
        self.owners = owners.iter().map(|o| o.to_string()).collect();
        self
    }
    fn in_document(mut self, path: &str) -> Self {
        self.document = path.to_string();
        self
    }
    fn starting(mut self, start: &str) -> Self {
        self.start = Some(day(start));
        self
    }
    fn depends_on(mut self, id: &str) -> Self {
        self.dependencies.push(Dependency {
            text: id.to_string(),
            milestone: Some(id.to_string()),
        });
        self
    }
    fn titled(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }
    fn for_entity(mut self, entity: &str) -> Self {
        self.entity = Some(entity.to_string());
        self
    }
}

/// A team as a catalog Group names it: `group_ref` is its ref, and it owns
/// the milestones with these ids.
pub fn team_with_ref(name: &str, group_ref: &str, milestones: &[&str]) -> Arc<Team> {
    Arc::new(Team {
        name: name.into(),
        group_ref: Some(group_ref.into()),
        responsibilities: Vec::new(),
        milestones: milestones.iter().map(|id| id.to_string()).collect(),
    })
}

/// A roadmap holding these milestones, one document per distinct path, and
/// one team per distinct owner (owning the milestones that name it).
pub fn roadmap(today: &str, milestones: Vec<Milestone>) -> Roadmap {
    let mut documents: Vec<Document> = Vec::new();
    let mut teams: Vec<Team> = Vec::new();
    for m in &milestones {
        if !documents.iter().any(|d| d.path == m.document) {
            documents.push(Document {
                path: m.document.clone(),
                title: format!("Doc {}", m.document),
                entity: m.entity.clone(),
                ..Document::default()
            });
        }
        for owner in &m.owners {
            match teams.iter_mut().find(|t| t.name == *owner) {
                Some(team) => team.milestones.push(m.id.clone()),
                None => teams.push(Team {
                    name: owner.clone(),
                    responsibilities: vec![format!("{owner} things")],
                    milestones: vec![m.id.clone()],
                    ..Team::default()
                }),
            }
        }
    }
    Roadmap {
        today: Some(day(today)),
        milestones: milestones.into_iter().map(Arc::new).collect(),
        documents: documents.into_iter().map(Arc::new).collect(),
        teams: teams.into_iter().map(Arc::new).collect(),
        ..Roadmap::default()
    }
}
