//! The markdown status report (`milepost export --format markdown`, `GET
//! /api/export.md`): a pure function of a [`Roadmap`], so the CLI and the
//! server print the same document.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::display::{TeamNames, by_urgency, relative_label, target_label};
use crate::filter::same_team;
use crate::model::{Milestone, Roadmap, Severity, Status};

/// How the report splits its milestone tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// One table per source document, in the roadmap's document order.
    #[default]
    Document,
    /// One table per team (a milestone owned by two teams appears under both),
    /// then one for milestones nobody owns.
    Team,
}

impl Grouping {
    /// Parses `document` or `team`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Grouping> {
        match text.trim().to_ascii_lowercase().as_str() {
            "document" | "documents" => Some(Grouping::Document),
            "team" | "teams" => Some(Grouping::Team),
            _ => None,
        }
    }
}

/// Renders the status report: title, date, counts per status, a table per
/// document or team (status, id, title, owners, target at its written
/// precision, relative time, dependencies), then the diagnostics.
pub fn markdown_report(roadmap: &Roadmap, grouping: Grouping) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "# Roadmap status report");
    let _ = writeln!(out);
    let date = roadmap
        .today
        .map(|day| day.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "—".to_string());
    let _ = writeln!(
        out,
        "Status as of **{date}**: {} in {}, {}.",
        plural(roadmap.milestones.len(), "milestone"),
        plural(roadmap.documents.len(), "document"),
        plural(roadmap.teams.len(), "team"),
    );
    let _ = writeln!(out);

    let _ = writeln!(out, "| Status | Milestones |");
    let _ = writeln!(out, "| --- | ---: |");
    for status in Status::ALL {
        let count = roadmap
            .milestones
            .iter()
            .filter(|m| m.status == status)
            .count();
        let _ = writeln!(out, "| {} | {count} |", status.label());
    }
    let _ = writeln!(out);

    let names = TeamNames::of(roadmap);
    match grouping {
        Grouping::Document => {
            for document in &roadmap.documents {
                let milestones: Vec<&Milestone> = roadmap
                    .milestones
                    .iter()
                    .filter(|m| m.document == document.path)
                    .map(|m| &**m)
                    .collect();
                if milestones.is_empty() {
                    continue;
                }
                let title = if document.title.trim().is_empty() {
                    document.path.as_str()
                } else {
                    document.title.as_str()
                };
                let _ = writeln!(out, "## {}", cell(title));
                let _ = writeln!(out);
                let mut about = format!("`{}`", document.path.replace('`', "'"));
                if let Some(entity) = &document.entity {
                    let _ = write!(about, " · {}", cell(entity));
                }
                if let Some(updated) = document.last_updated {
                    let _ = write!(about, " · updated {}", updated.format("%Y-%m-%d"));
                }
                if let Some(url) = &document.source_url {
                    let _ = write!(about, " · [source]({url})");
                }
                let _ = writeln!(out, "{about}");
                let _ = writeln!(out);
                table(&mut out, roadmap, &names, milestones);
            }
        }
        Grouping::Team => {
            // A team's milestones: those it lists (the reader found them by
            // name or by group ref) and those naming it among their owners.
            let owns = |team: &crate::model::Team, m: &Milestone, listed: &HashSet<&str>| {
                listed.contains(m.id.as_str())
                    || m.owners.iter().any(|owner| same_team(owner, &team.name))
            };
            let mut owned: HashSet<&str> = HashSet::new();
            for team in &roadmap.teams {
                let listed: HashSet<&str> = team.milestones.iter().map(String::as_str).collect();
                let milestones: Vec<&Milestone> = roadmap
                    .milestones
                    .iter()
                    .filter(|m| owns(team, m, &listed))
                    .map(|m| &**m)
                    .collect();
                owned.extend(milestones.iter().map(|m| m.id.as_str()));
                if milestones.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "## {}", cell(&team.name));
                let _ = writeln!(out);
                table(&mut out, roadmap, &names, milestones);
            }
            let unowned: Vec<&Milestone> = roadmap
                .milestones
                .iter()
                .filter(|m| !owned.contains(m.id.as_str()))
                .map(|m| &**m)
                .collect();
            if !unowned.is_empty() {
                let _ = writeln!(out, "## No known team");
                let _ = writeln!(out);
                table(&mut out, roadmap, &names, unowned);
            }
        }
    }

    let _ = writeln!(out, "## Diagnostics");
    let _ = writeln!(out);
    if roadmap.diagnostics.is_empty() {
        let _ = writeln!(out, "None.");
    } else {
        for diagnostic in &roadmap.diagnostics {
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "- `{}:{}` **{severity}**: {}",
                diagnostic.path.replace('`', "'"),
                diagnostic.line,
                one_line(&diagnostic.message),
            );
        }
    }
    out
}

/// One milestone table, most urgent first.
fn table(out: &mut String, roadmap: &Roadmap, names: &TeamNames, mut milestones: Vec<&Milestone>) {
    milestones.sort_by(|a, b| by_urgency(a, b));
    let _ = writeln!(
        out,
        "| Status | ID | Milestone | Owners | Target | When | Depends on |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    for milestone in milestones {
        let when = roadmap
            .today
            .and_then(|today| relative_label(milestone, today))
            .unwrap_or_default();
        let owners = names.owners_line(&milestone.owners);
        let dependencies = if milestone.dependencies.is_empty() {
            "—".to_string()
        } else {
            milestone
                .dependencies
                .iter()
                .map(|dependency| match &dependency.milestone {
                    Some(id) => code_cell(id),
                    None => format!("{} (external)", cell(&dependency.text)),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let title = match &milestone.source_url {
            Some(url) => format!("[{}]({url})", cell(&milestone.title)),
            None => cell(&milestone.title),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {title} | {} | {} | {} | {dependencies} |",
            milestone.status.label(),
            code_cell(&milestone.id),
            cell(&owners),
            cell(&target_label(milestone)),
            cell(&when),
        );
    }
    let _ = writeln!(out);
}

/// Text made safe for one table cell: line breaks folded, backslashes and
/// pipes escaped (a trailing `\` would swallow the cell's closing pipe), and
/// `<` written as `&lt;` so `List<T>` is not taken for HTML.
fn cell(text: &str) -> String {
    one_line(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

/// An id as code in a table cell: a pipe still splits a GFM cell inside
/// backticks unless escaped; a backtick would end the code.
fn code_cell(id: &str) -> String {
    format!("`{}`", one_line(id).replace('`', "'").replace('|', "\\|"))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{Dependency, Diagnostic, Document, OwnerSource, Precision, State, Team};
    use chrono::NaiveDate;

    fn milestone(id: &str, status: Status, owners: &[&str]) -> Milestone {
        Milestone {
            id: id.to_string(),
            title: format!("Title of {id} | piped"),
            description: String::new(),
            description_html: String::new(),
            owners: owners.iter().map(|o| o.to_string()).collect(),
            owner_source: OwnerSource::Explicit,
            start: None,
            target: NaiveDate::from_ymd_opt(2026, 3, 31),
            target_text: Some("Q1 2026".into()),
            target_precision: Precision::Quarter,
            state: State::Planned,
            status,
            progress: None,
            dependencies: vec![Dependency {
                text: "Legal sign-off".into(),
                milestone: None,
            }],
            dependents: vec![],
            document: "plan.md".into(),
            line: 3,
            section: None,
            entity: None,
            source_url: None,
        }
    }

    fn roadmap() -> Roadmap {
        Roadmap {
            today: NaiveDate::from_ymd_opt(2026, 1, 20),
            revision: 0,
            documents: vec![
                Document {
                    path: "plan.md".into(),
                    title: "Payments plan".into(),
                    ..Document::default()
                }
                .into(),
            ],
            milestones: vec![
                milestone("PAY-1", Status::OnTrack, &["Payments"]).into(),
                milestone("PAY-2", Status::Overdue, &[]).into(),
            ],
            teams: vec![
                Team {
                    name: "Payments".into(),
                    ..Team::default()
                }
                .into(),
            ],
            diagnostics: vec![
                Diagnostic {
                    path: "plan.md".into(),
                    line: 7,
                    severity: Severity::Warning,
                    message: "target 'soon' is not a date".into(),
                    entity: None,
                }
                .into(),
            ],
            markers: vec![],
        }
    }

    #[test]
    fn report_counts_lists_and_reports_problems() {
        let report = markdown_report(&roadmap(), Grouping::Document);
        assert!(report.contains("Status as of **2026-01-20**: 2 milestones in 1 document"));
        assert!(report.contains("| Overdue | 1 |"), "{report}");
        assert!(report.contains("| On track | 1 |"));
        assert!(report.contains("## Payments plan"));
        // Most urgent first, pipes in titles escaped, the written precision kept.
        let overdue = report.find("`PAY-2`").unwrap();
        let on_track = report.find("`PAY-1`").unwrap();
        assert!(overdue < on_track);
        assert!(report.contains("Title of PAY-1 \\| piped"));
        assert!(report.contains("| Q1 2026 | in 2 months |"), "{report}");
        assert!(report.contains("Legal sign-off (external)"));
        assert!(report.contains("- `plan.md:7` **warning**: target 'soon' is not a date"));
    }

    #[test]
    fn every_cell_is_escaped_so_a_row_keeps_its_seven_columns() {
        let mut tricky = milestone("PAY|1", Status::Overdue, &["Payments"]);
        tricky.title = "Migrate List<T> API \\".into();
        tricky.dependencies = vec![
            Dependency {
                text: "Legal | sign-off".into(),
                milestone: None,
            },
            Dependency {
                text: "x".into(),
                milestone: Some("SEC|2".into()),
            },
        ];
        let mut roadmap = roadmap();
        roadmap.milestones = vec![tricky.into()];
        let report = markdown_report(&roadmap, Grouping::Document);
        let row = report
            .lines()
            .find(|line| line.contains("PAY"))
            .unwrap_or_else(|| panic!("no row in {report}"));
        // Cells are split at pipes not escaped by a backslash (GFM splits
        // at them inside code spans too).
        let mut cells = 0;
        let mut escaped = false;
        for ch in row.chars() {
            match ch {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => cells += 1,
                _ => escaped = false,
            }
        }
        assert_eq!(cells, 8, "seven cells, eight pipes: {row}");
        assert!(row.contains("`PAY\\|1`"), "{row}");
        assert!(row.contains("Migrate List&lt;T> API \\\\"), "{row}");
        assert!(row.contains("Legal \\| sign-off (external)"), "{row}");
        assert!(row.contains("`SEC\\|2`"), "{row}");
    }

    #[test]
    fn team_grouping_lists_unowned_work_apart() {
        let report = markdown_report(&roadmap(), Grouping::Team);
        assert!(report.contains("## Payments"));
        let unowned = report.find("## No known team").unwrap();
        assert!(report[unowned..].contains("`PAY-2`"));
        assert!(!report[unowned..].contains("`PAY-1`"));
    }
}
