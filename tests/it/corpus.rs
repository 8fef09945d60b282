//! The corpus in `examples/`: JSON snapshots of every file and tree, and the
//! facts of EXPECTED.md asserted one by one.

use milepost_shared::{Milestone, OwnerSource, Precision, Roadmap, Severity, State, Status};

use crate::support::{day, examples_dir, load_file, load_tree, read_files};

fn backstage(today: &str) -> Roadmap {
    read_files(&[load_file("backstage-mvp.md")], today)
}

fn northwind() -> Roadmap {
    read_files(&load_tree(&examples_dir().join("northwind")), "2026-01-20")
}

fn malformed(name: &str) -> Roadmap {
    read_files(&[load_file(&format!("malformed/{name}"))], "2026-01-20")
}

fn milestone<'a>(roadmap: &'a Roadmap, id: &str) -> &'a Milestone {
    roadmap
        .milestones
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
            panic!("no milestone {id}; have {ids:?}")
        })
}

fn by_title<'a>(roadmap: &'a Roadmap, needle: &str) -> &'a Milestone {
    roadmap
        .milestones
        .iter()
        .find(|m| m.title.contains(needle))
        .unwrap_or_else(|| panic!("no milestone titled like {needle:?}"))
}

fn dependency_ids(milestone: &Milestone) -> Vec<Option<&str>> {
    milestone
        .dependencies
        .iter()
        .map(|d| d.milestone.as_deref())
        .collect()
}

fn diagnostics_of<'a>(roadmap: &'a Roadmap, path: &str) -> Vec<(u32, Severity, &'a str)> {
    roadmap
        .diagnostics
        .iter()
        .filter(|d| d.path == path)
        .map(|d| (d.line, d.severity, d.message.as_str()))
        .collect()
}

// ---- snapshots: a reviewer reads the JSON diff ----

#[test]
fn snapshot_backstage_mvp() {
    insta::assert_json_snapshot!("backstage-mvp@2025-11-20", backstage("2025-11-20"));
    insta::assert_json_snapshot!("backstage-mvp@2025-12-10", backstage("2025-12-10"));
}

#[test]
fn snapshot_northwind() {
    insta::assert_json_snapshot!("northwind@2026-01-20", northwind());
}

#[test]
fn snapshot_malformed() {
    for name in [
        "broken-frontmatter.md",
        "cycle.roadmap.yaml",
        "invalid-utf8.md",
        "not-yaml.roadmap.yaml",
        "ragged-table.md",
    ] {
        insta::assert_json_snapshot!(format!("malformed-{name}"), malformed(name));
    }
}

// ---- backstage-mvp.md ----

#[test]
fn backstage_mvp_gives_exactly_the_four_roadmap_rows() {
    let roadmap = backstage("2025-11-20");
    let expected = [
        (
            "backstage-mvp/bootstrap-script-ga",
            "Bootstrap script GA",
            "2025-11-15",
            State::Done,
            Status::Done,
            33,
            vec!["Secrets management decision", "uv global cache"],
        ),
        (
            "backstage-mvp/template-publishing",
            "Template publishing",
            "2025-11-22",
            State::Planned,
            Status::DueSoon,
            34,
            vec!["Backstage admin access", "TechDocs pipeline credentials"],
        ),
        (
            "backstage-mvp/self-service-qa-gating",
            "Self-service QA gating",
            "2025-12-06",
            State::Planned,
            Status::OnTrack,
            35,
            vec!["CI workflows finalised in repo"],
        ),
        (
            "backstage-mvp/evidence-automation",
            "Evidence automation",
            "2025-12-20",
            State::Planned,
            Status::OnTrack,
            36,
            vec!["POPIA automation", "object storage endpoint"],
        ),
    ];
    assert_eq!(
        roadmap.milestones.len(),
        4,
        "only the Automation roadmap table yields milestones"
    );
    for (milestone, (id, title, target, state, status, line, dependencies)) in
        roadmap.milestones.iter().zip(expected)
    {
        assert_eq!(milestone.id, id);
        assert_eq!(milestone.title, title);
        assert_eq!(milestone.target, Some(day(target)), "{id}");
        assert_eq!(milestone.target_text.as_deref(), Some(target), "{id}");
        assert_eq!(milestone.target_precision, Precision::Day, "{id}");
        assert_eq!(milestone.state, state, "{id}");
        assert_eq!(milestone.status, status, "{id}");
        assert_eq!(milestone.line, line, "{id}");
        assert_eq!(
            milestone.section.as_deref(),
            Some("Automation roadmap"),
            "{id}"
        );
        assert_eq!(milestone.document, "backstage-mvp.md");
        let texts: Vec<&str> = milestone
            .dependencies
            .iter()
            .map(|d| d.text.as_str())
            .collect();
        assert_eq!(texts, dependencies, "{id}");
        assert!(
            milestone.dependencies.iter().all(|d| d.milestone.is_none()),
            "{id}: all external"
        );
        assert_eq!(milestone.owner_source, OwnerSource::Section, "{id}");
        assert!(!milestone.owners.is_empty(), "{id}");
    }
    let bootstrap = milestone(&roadmap, "backstage-mvp/bootstrap-script-ga");
    assert!(
        bootstrap
            .description
            .starts_with("✅ `ops/idp/bootstrap.py` seeds")
    );
    assert!(
        bootstrap
            .description_html
            .contains("<code>ops/idp/bootstrap.py</code>")
    );
    assert!(
        milestone(&roadmap, "backstage-mvp/template-publishing")
            .owners
            .contains(&"Platform Engineering".to_string())
    );
    assert!(
        milestone(&roadmap, "backstage-mvp/evidence-automation")
            .owners
            .contains(&"Compliance".to_string())
    );
}

#[test]
fn backstage_mvp_teams_and_document() {
    let roadmap = backstage("2025-11-20");
    let names: Vec<&str> = roadmap.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["Platform Engineering", "Docs", "Security", "Compliance"]
    );
    assert_eq!(
        roadmap.teams[0].responsibilities,
        ["Backstage catalog & templates, coordinates upgrades."]
    );
    for team in &roadmap.teams {
        assert_eq!(team.responsibilities.len(), 1, "{}", team.name);
    }
    assert!(
        roadmap.teams[0]
            .milestones
            .contains(&"backstage-mvp/template-publishing".to_string())
    );
    let document = &roadmap.documents[0];
    assert_eq!(roadmap.documents.len(), 1);
    assert_eq!(
        document.title,
        "Backstage MVP and internal developer platform enablement"
    );
    assert_eq!(
        document.summary.as_deref(),
        Some("Minimal Backstage footprint, catalog entries, and TechDocs integration for Hotpass.")
    );
    assert_eq!(document.last_updated, Some(day("2025-11-02")));
    assert_eq!(roadmap.today, Some(day("2025-11-20")));
    assert!(
        roadmap
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        roadmap.diagnostics
    );
}

#[test]
fn backstage_mvp_three_weeks_later_two_are_overdue() {
    let roadmap = backstage("2025-12-10");
    let statuses: Vec<(&str, Status)> = roadmap
        .milestones
        .iter()
        .map(|m| (m.id.as_str(), m.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("backstage-mvp/bootstrap-script-ga", Status::Done),
            ("backstage-mvp/template-publishing", Status::Overdue),
            ("backstage-mvp/self-service-qa-gating", Status::Overdue),
            ("backstage-mvp/evidence-automation", Status::DueSoon),
        ]
    );
}

// ---- northwind/ ----

#[test]
fn northwind_has_25_milestones_and_29_with_the_seed() {
    let roadmap = northwind();
    let per_document = |path: &str| {
        roadmap
            .milestones
            .iter()
            .filter(|m| m.document == path)
            .count()
    };
    assert_eq!(per_document("docs/payments/q1-plan.md"), 8);
    assert_eq!(per_document("docs/platform/next-steps.md"), 7);
    assert_eq!(per_document("docs/platform/platform.roadmap.yaml"), 3);
    assert_eq!(per_document("docs/security/remediation.md"), 4);
    assert_eq!(per_document("sierra-style.roadmap.yml"), 3);
    assert_eq!(roadmap.milestones.len(), 25);

    let mut files = load_tree(&examples_dir().join("northwind"));
    files.push(load_file("backstage-mvp.md"));
    assert_eq!(read_files(&files, "2026-01-20").milestones.len(), 29);
}

#[test]
fn northwind_payments_plan() {
    let roadmap = northwind();
    let document = roadmap
        .documents
        .iter()
        .find(|d| d.path == "docs/payments/q1-plan.md")
        .expect("payments document");
    assert_eq!(
        document.entity.as_deref(),
        Some("component:default/payments-gateway")
    );
    assert_eq!(document.owners, ["group:default/payments-team"]);
    type Row<'a> = (
        &'a str,
        &'a [&'a str],
        Option<&'a str>,
        Precision,
        State,
        Status,
        &'a [&'a str],
    );
    let rows: [Row<'_>; 8] = [
        (
            "PAY-1",
            &["Payments"],
            Some("2026-01-16"),
            Precision::Day,
            State::Done,
            Status::Done,
            &[],
        ),
        (
            "PAY-2",
            &["Mobile", "Payments"],
            Some("2026-01-30"),
            Precision::Day,
            State::InProgress,
            Status::DueSoon,
            &["PAY-1"],
        ),
        (
            "PAY-3",
            &["Procurement"],
            Some("2026-01-31"),
            Precision::Month,
            State::Blocked,
            Status::Blocked,
            &[],
        ),
        (
            "PAY-4",
            &["Payments"],
            Some("2026-02-20"),
            Precision::Day,
            State::Planned,
            Status::Blocked,
            &["PAY-1", "PAY-3"],
        ),
        (
            "PAY-5",
            &["Payments"],
            Some("2026-03-31"),
            Precision::Quarter,
            State::Planned,
            Status::Blocked,
            &["PAY-2", "PAY-4"],
        ),
        (
            "PAY-6",
            &["Platform"],
            None,
            Precision::None,
            State::Planned,
            Status::Blocked,
            &["PAY-4"],
        ),
        (
            "PAY-7",
            &["Risk"],
            Some("2026-01-09"),
            Precision::Day,
            State::InProgress,
            Status::Overdue,
            &[],
        ),
        (
            "PAY-8",
            &["Payments"],
            Some("2026-02-15"),
            Precision::Day,
            State::Cancelled,
            Status::Cancelled,
            &["PAY-2"],
        ),
    ];
    for (id, owners, target, precision, state, status, dependencies) in rows {
        let m = milestone(&roadmap, id);
        assert_eq!(m.owners, owners, "{id}");
        assert_eq!(m.owner_source, OwnerSource::Explicit, "{id}");
        assert_eq!(m.target, target.map(day), "{id}");
        assert_eq!(m.target_precision, precision, "{id}");
        assert_eq!(m.state, state, "{id}");
        assert_eq!(m.status, status, "{id}");
        let resolved: Vec<&str> = m
            .dependencies
            .iter()
            .filter_map(|d| d.milestone.as_deref())
            .collect();
        assert_eq!(resolved, dependencies, "{id}");
        assert_eq!(
            m.entity.as_deref(),
            Some("component:default/payments-gateway"),
            "{id}"
        );
    }
    assert_eq!(
        milestone(&roadmap, "PAY-6").target_text.as_deref(),
        Some("TBD")
    );
    assert_eq!(
        milestone(&roadmap, "PAY-6").dependencies[0].text,
        "Migrate recurring billing"
    );
    let pay3 = milestone(&roadmap, "PAY-3");
    assert_eq!(pay3.dependencies[0].text, "Legal sign-off");
    assert_eq!(pay3.dependencies[0].milestone, None);
    assert!(
        milestone(&roadmap, "PAY-1")
            .dependents
            .contains(&"PAY-4".to_string())
    );
}

#[test]
fn northwind_platform_next_steps() {
    let roadmap = northwind();
    let document = roadmap
        .documents
        .iter()
        .find(|d| d.path == "docs/platform/next-steps.md")
        .expect("next-steps document");
    assert_eq!(document.title, "Platform next steps");
    assert_eq!(
        document.entity.as_deref(),
        Some("component:default/developer-platform")
    );

    let p11 = milestone(&roadmap, "P1.1");
    assert_eq!((p11.state, p11.status), (State::Done, Status::Done));
    assert_eq!(
        (p11.owners.as_slice(), p11.owner_source),
        (&["Platform".to_string()][..], OwnerSource::Explicit)
    );
    assert_eq!(p11.progress.map(|p| (p.done, p.total)), Some((2, 2)));

    let p12 = milestone(&roadmap, "P1.2");
    assert_eq!(p12.target, Some(day("2026-02-13")));
    assert_eq!(p12.status, Status::OnTrack);
    assert_eq!(p12.progress.map(|p| (p.done, p.total)), Some((1, 3)));
    assert_eq!(dependency_ids(p12), [Some("P1.1"), Some("P1.3")]);

    let p13 = milestone(&roadmap, "P1.3");
    assert_eq!(p13.owners, ["Security"]);
    assert_eq!(p13.target, Some(day("2026-01-23")));
    assert_eq!(p13.status, Status::DueSoon);

    let jenkins = by_title(&roadmap, "Jenkins");
    assert_eq!(jenkins.owners, ["Platform"]);
    assert_eq!(jenkins.owner_source, OwnerSource::Explicit);
    assert_eq!(jenkins.target, Some(day("2026-03-31")));
    assert!(
        !jenkins.title.contains("Platform"),
        "the team lead is not the title"
    );

    let tutorial = by_title(&roadmap, "tutorial");
    assert_eq!(tutorial.owners, ["Docs & DevEx"]);
    assert_eq!(dependency_ids(tutorial), [Some("P1.2")]);
    assert_eq!(tutorial.status, Status::Unscheduled);

    let queue = by_title(&roadmap, "CI queue time");
    assert_eq!(queue.status, Status::Unscheduled);
    assert_eq!(queue.owner_source, OwnerSource::Section);
    assert_eq!(queue.owners, ["Platform"]);

    let p14 = milestone(&roadmap, "P1.4");
    assert_eq!(
        (p14.state, p14.status),
        (State::Cancelled, Status::Cancelled)
    );
    assert_eq!(p14.title, "Self-hosted artifact cache");

    assert!(
        !roadmap
            .milestones
            .iter()
            .any(|m| m.title.contains("first commit")
                || m.title.contains("SBOM is attached")
                || m.title.contains("Template registered")),
        "acceptance criteria are not milestones"
    );
    let team = |name: &str| roadmap.teams.iter().find(|t| t.name == name);
    assert!(team("Docs & DevEx").is_some(), "Docs & DevEx is one team");
    assert!(team("Docs").is_none() && team("DevEx").is_none());
    assert!(team("Platform").is_some() && team("Security").is_some());
}

#[test]
fn northwind_platform_yaml() {
    let roadmap = northwind();
    let portal = milestone(&roadmap, "idp-portal-ga");
    assert_eq!(
        (portal.state, portal.status),
        (State::InProgress, Status::OnTrack)
    );
    assert_eq!(portal.progress.map(|p| (p.done, p.total)), Some((2, 3)));
    assert_eq!(dependency_ids(portal), [Some("P1.2"), Some("sso-portal")]);
    assert_eq!(portal.start, Some(day("2026-01-05")));
    assert!(
        portal
            .description_html
            .contains("<strong>golden path v2</strong>")
    );

    let sso = milestone(&roadmap, "sso-portal");
    assert_eq!(sso.target, Some(day("2026-02-28")));
    assert_eq!(sso.target_precision, Precision::Month);

    let cost = milestone(&roadmap, "cost-dashboards");
    assert_eq!(cost.target, Some(day("2026-12-31")));
    assert_eq!(cost.target_precision, Precision::Half);
    assert_eq!(cost.owners, ["group:default/platform"]);
    assert_eq!(cost.owner_source, OwnerSource::Document);
    assert_eq!(
        cost.entity.as_deref(),
        Some("component:default/developer-platform")
    );
}

#[test]
fn northwind_security_remediation() {
    let roadmap = northwind();
    let document = roadmap
        .documents
        .iter()
        .find(|d| d.path == "docs/security/remediation.md")
        .expect("remediation document");
    assert_eq!(
        document.entity.as_deref(),
        Some("resource:default/security-programme")
    );
    assert_eq!(document.owners, ["group:default/security"]);

    let sec101 = milestone(&roadmap, "SEC-101");
    assert_eq!(
        (sec101.state, sec101.status),
        (State::Done, Status::Done),
        "🔴 is a risk level"
    );
    let sec102 = milestone(&roadmap, "SEC-102");
    assert_eq!(sec102.owners, ["Security", "Platform"]);
    assert_eq!(sec102.status, Status::OnTrack);
    assert_eq!(dependency_ids(sec102), [Some("SEC-101")]);
    let sec201 = milestone(&roadmap, "SEC-201");
    assert_eq!(sec201.target_precision, Precision::Quarter);
    assert_eq!(sec201.state, State::InProgress);
    assert_eq!(dependency_ids(sec201), [Some("sso-portal"), None]);
    assert_eq!(sec201.dependencies[1].text, "KMS quota increase");
    assert_eq!(milestone(&roadmap, "SEC-202").status, Status::Overdue);
    assert!(
        !roadmap
            .milestones
            .iter()
            .any(|m| m.title.contains("score risk"))
    );
}

#[test]
fn northwind_sierra_schema_and_catalog_group() {
    let roadmap = northwind();
    let query = by_title(&roadmap, "Query understanding");
    assert_eq!(query.state, State::InProgress);
    assert_eq!(query.progress.map(|p| (p.done, p.total)), Some((1, 2)));
    let rank = by_title(&roadmap, "Learning to rank");
    assert_eq!(rank.state, State::Planned);
    assert_eq!(
        rank.progress.map(|p| (p.done, p.total)),
        Some((0, 1)),
        "SKIP is left out"
    );
    assert_eq!(by_title(&roadmap, "Cleanup").state, State::Done);
    assert_eq!(roadmap.markers.len(), 1);
    assert_eq!(roadmap.markers[0].date, day("2026-02-02"));
    assert_eq!(roadmap.markers[0].title, "Relevance review");

    let payments = roadmap
        .teams
        .iter()
        .find(|t| t.name == "Payments")
        .expect("Payments team");
    assert_eq!(
        payments.group_ref.as_deref(),
        Some("group:default/payments-team")
    );
    assert!(payments.milestones.contains(&"PAY-1".to_string()));
    assert!(
        roadmap
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        roadmap.diagnostics
    );
}

// ---- malformed/ ----

#[test]
fn broken_front_matter_still_reads_the_table() {
    let roadmap = malformed("broken-frontmatter.md");
    assert_eq!(roadmap.milestones.len(), 1);
    assert_eq!(roadmap.milestones[0].title, "Still readable");
    assert_eq!(roadmap.milestones[0].target, Some(day("2026-03-01")));
    let diagnostics = diagnostics_of(&roadmap, "broken-frontmatter.md");
    assert!(
        diagnostics
            .iter()
            .any(|(line, severity, message)| (2..=5).contains(line)
                && *severity == Severity::Error
                && message.contains("front matter"))
    );
}

#[test]
fn ragged_table_keeps_good_rows_and_reports_the_rest() {
    let roadmap = malformed("ragged-table.md");
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert!(titles.contains(&"Too many cells"));
    assert!(titles.contains(&"Pipe | inside title"));
    assert!(titles.iter().all(|t| !t.is_empty()));
    let diagnostics = diagnostics_of(&roadmap, "ragged-table.md");
    let has = |line: u32, needle: &str| {
        diagnostics
            .iter()
            .any(|(l, _, message)| *l == line && message.contains(needle))
    };
    assert!(has(7, "2026-02-30"), "{diagnostics:?}");
    assert!(has(8, "31/02/2026"), "{diagnostics:?}");
    assert!(has(8, "Sideways"), "{diagnostics:?}");
    assert!(has(9, "no title"), "{diagnostics:?}");
}

#[test]
fn cycle_is_reported_and_reading_terminates() {
    let roadmap = malformed("cycle.roadmap.yaml");
    let diagnostics = diagnostics_of(&roadmap, "cycle.roadmap.yaml");
    assert!(
        diagnostics
            .iter()
            .any(|(_, severity, message)| *severity == Severity::Error
                && message.contains("a → b → c → a")),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|(line, _, message)| *line == 11 && message.contains("'c' depends on itself"))
    );
    assert!(
        diagnostics
            .iter()
            .any(|(line, _, message)| *line == 15 && message.contains("duplicate id 'a'"))
    );
    let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "a-2"]);
    assert!(
        diagnostics
            .iter()
            .any(|(line, _, message)| *line == 18 && message.contains("sideways"))
    );
}

#[test]
fn not_yaml_is_one_error() {
    let roadmap = malformed("not-yaml.roadmap.yaml");
    assert!(roadmap.milestones.is_empty());
    assert_eq!(roadmap.diagnostics.len(), 1, "{:?}", roadmap.diagnostics);
    assert_eq!(roadmap.diagnostics[0].severity, Severity::Error);
    assert!(roadmap.diagnostics[0].line > 1);
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let roadmap = malformed("invalid-utf8.md");
    assert_eq!(roadmap.milestones.len(), 1);
    assert!(roadmap.milestones[0].title.contains('\u{FFFD}'));
    assert_eq!(roadmap.milestones[0].target, Some(day("2026-01-01")));
    assert!(
        roadmap
            .diagnostics
            .iter()
            .any(|d| d.line == 5 && d.message.contains("UTF-8"))
    );
}

#[test]
fn malformed_tree_reads_every_file() {
    let roadmap = read_files(&load_tree(&examples_dir().join("malformed")), "2026-01-20");
    for path in [
        "broken-frontmatter.md",
        "cycle.roadmap.yaml",
        "invalid-utf8.md",
        "not-yaml.roadmap.yaml",
        "ragged-table.md",
    ] {
        assert!(
            roadmap.diagnostics.iter().any(|d| d.path == path),
            "{path} has diagnostics"
        );
    }
    assert!(
        roadmap
            .milestones
            .iter()
            .any(|m| m.title == "Still readable")
    );
}

// ---- the incremental reader gives what a fresh read gives ----

#[test]
fn incremental_reader_matches_a_fresh_read() {
    use milepost_shared::read::{ReadOptions, Reader};

    let mut files = load_tree(&examples_dir().join("northwind"));
    let mut reader = Reader::new(ReadOptions::new(day("2026-01-20")));
    for (path, bytes) in &files {
        reader.set_source(path, bytes);
    }
    assert_eq!(reader.roadmap(), read_files(&files, "2026-01-20"));

    // Change one document: PAY-7 is now done.
    let plan = files
        .iter_mut()
        .find(|(path, _)| path == "docs/payments/q1-plan.md")
        .expect("payments plan");
    let text: Vec<String> = String::from_utf8_lossy(&plan.1)
        .lines()
        .map(|line| {
            if line.starts_with("| PAY-7") {
                line.replace("In progress", "Done")
            } else {
                line.to_string()
            }
        })
        .collect();
    plan.1 = text.join("\n").into_bytes();
    reader.set_source(&plan.0, &plan.1);
    let roadmap = reader.roadmap();
    assert_eq!(milestone(&roadmap, "PAY-7").status, Status::Done);
    assert_eq!(roadmap, read_files(&files, "2026-01-20"));

    // A new document that makes "Security & Platform" a known team changes
    // how another, unchanged document is read.
    let teams = (
        "docs/teams.md".to_string(),
        b"## Teams\n\n- **Security & Platform** owns break-glass access.\n".to_vec(),
    );
    reader.set_source(&teams.0, &teams.1);
    files.push(teams);
    let roadmap = reader.roadmap();
    assert_eq!(
        milestone(&roadmap, "SEC-102").owners,
        ["Security & Platform"]
    );
    assert_eq!(roadmap, read_files(&files, "2026-01-20"));

    // Another day; then a removed document is gone.
    reader.set_options(ReadOptions::new(day("2026-03-01")));
    assert_eq!(reader.roadmap(), read_files(&files, "2026-03-01"));
    reader.remove_source("docs/teams.md");
    files.pop();
    reader.set_options(ReadOptions::new(day("2026-01-20")));
    assert_eq!(reader.roadmap(), read_files(&files, "2026-01-20"));
}

#[test]
fn recomputing_statuses_for_another_day_matches_reading_on_that_day() {
    // The server reads once and recomputes statuses per `?today=`.
    let files = load_tree(&examples_dir().join("northwind"));
    for (from, to) in [
        ("2026-01-20", "2026-03-01"),
        ("2026-01-20", "2025-12-01"),
        ("2026-03-01", "2026-01-20"),
    ] {
        let mut roadmap = read_files(&files, from);
        milepost_shared::compute_statuses(&mut roadmap, day(to), 14);
        let fresh = read_files(&files, to);
        let statuses = |r: &Roadmap| -> Vec<(String, Status)> {
            r.milestones
                .iter()
                .map(|m| (m.id.clone(), m.status))
                .collect()
        };
        assert_eq!(statuses(&roadmap), statuses(&fresh), "{from} → {to}");
        assert_eq!(roadmap.today, Some(day(to)));
    }
}
