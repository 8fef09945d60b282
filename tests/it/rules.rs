//! One data-driven check per reading rule, through `read()` on tiny
//! documents: what a user writes in, what they see come out.

use chrono::NaiveDate;
use milepost_shared::read::{ReadOptions, Source, read};
use milepost_shared::{Milestone, OwnerSource, Precision, Roadmap, Severity, State, Status};

use crate::support::{day, read_one};

const TODAY: &str = "2026-01-20";

fn only(roadmap: &Roadmap) -> &Milestone {
    assert_eq!(roadmap.milestones.len(), 1, "{:#?}", roadmap.milestones);
    &roadmap.milestones[0]
}

fn warned(roadmap: &Roadmap, needle: &str) -> bool {
    roadmap
        .diagnostics
        .iter()
        .any(|d| d.message.contains(needle))
}

fn read_many(files: &[(&str, &str)], options: &ReadOptions) -> Roadmap {
    let sources: Vec<Source<'_>> = files
        .iter()
        .map(|(path, text)| Source {
            path,
            bytes: text.as_bytes(),
        })
        .collect();
    read(&sources, options)
}

// ---- dates (§2.2) ----

/// One table row with `cell` as its target, in a document dated `last_updated`.
fn target_of(cell: &str, last_updated: &str) -> Roadmap {
    let text = format!(
        "---\nlast_updated: {last_updated}\n---\n\n| Milestone | Target |\n| --- | --- |\n| Thing | {cell} |\n"
    );
    read_one("plan.md", &text, TODAY)
}

#[test]
fn dates_every_form_with_its_precision() {
    let check = |cell: &str, last_updated: &str, expected: &str, precision: Precision| {
        let roadmap = target_of(cell, last_updated);
        let m = only(&roadmap);
        assert_eq!(m.target, Some(day(expected)), "{cell:?}");
        assert_eq!(m.target_precision, precision, "{cell:?}");
        assert_eq!(m.target_text.as_deref(), Some(cell), "{cell:?}");
        assert!(
            roadmap.diagnostics.is_empty(),
            "{cell:?}: {:?}",
            roadmap.diagnostics
        );
    };
    check("2025-11-15", "2025-11-02", "2025-11-15", Precision::Day);
    check(
        "2025-11-12 14:00 – 15:00",
        "2025-11-02",
        "2025-11-12",
        Precision::Day,
    );
    check("15 Nov 2025", "2025-11-02", "2025-11-15", Precision::Day);
    check("Nov 15, 2025", "2025-11-02", "2025-11-15", Precision::Day);
    check(
        "November 15 2025",
        "2025-11-02",
        "2025-11-15",
        Precision::Day,
    );
    check("Nov 5", "2025-11-02", "2025-11-05", Precision::Day);
    check("Jan 5", "2025-12-20", "2026-01-05", Precision::Day);
    check("Dec 28", "2026-01-03", "2025-12-28", Precision::Day);
    check("2025-11", "2025-11-02", "2025-11-30", Precision::Month);
    check("Nov 2025", "2025-11-02", "2025-11-30", Precision::Month);
    check("Feb 2024", "2025-11-02", "2024-02-29", Precision::Month);
    check("Q1 2026", "2025-11-02", "2026-03-31", Precision::Quarter);
    check("2026-Q1", "2025-11-02", "2026-03-31", Precision::Quarter);
    check("2026 Q1", "2025-11-02", "2026-03-31", Precision::Quarter);
    check("Q4 2025", "2025-11-02", "2025-12-31", Precision::Quarter);
    check("H1 2026", "2025-11-02", "2026-06-30", Precision::Half);
    check("H2 2026", "2025-11-02", "2026-12-31", Precision::Half);
    check("**2025-11-15**", "2025-11-02", "2025-11-15", Precision::Day);
    // A range of dates is due at its end.
    check(
        "2027-03-01 – 2027-04-15",
        "2025-11-02",
        "2027-04-15",
        Precision::Day,
    );
    check(
        "2026-12-01 → 2027-01-15",
        "2025-11-02",
        "2027-01-15",
        Precision::Day,
    );
    check(
        "Jan 2027 - Mar 2027",
        "2025-11-02",
        "2027-03-31",
        Precision::Month,
    );
}

#[test]
fn yearless_date_without_a_document_date_is_nearest_today() {
    let roadmap = read_one(
        "plan.md",
        "| Milestone | Target |\n| --- | --- |\n| Thing | Dec 30 |\n",
        TODAY,
    );
    assert_eq!(only(&roadmap).target, Some(day("2025-12-30")));
}

#[test]
fn horizon_days_count_from_the_document_date() {
    let text = "---\nlast_updated: 2025-11-02\n---\n\n| Goal | Horizon |\n| --- | --- |\n| Quick wins | 30 |\n| Platform | 90 days |\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let targets: Vec<_> = roadmap.milestones.iter().map(|m| m.target).collect();
    assert_eq!(targets, [Some(day("2025-12-02")), Some(day("2026-01-31"))]);
}

#[test]
fn dates_that_are_not_dates_leave_the_milestone_unscheduled() {
    let check = |cell: &str, expect_warning: Option<&str>| {
        let roadmap = target_of(cell, "2025-11-02");
        let m = only(&roadmap);
        assert_eq!(m.target, None, "{cell:?}");
        assert_eq!(m.target_precision, Precision::None, "{cell:?}");
        assert_eq!(
            m.target_text.as_deref(),
            Some(cell),
            "{cell:?} keeps its text"
        );
        assert_eq!(m.status, Status::Unscheduled, "{cell:?}");
        match expect_warning {
            Some(needle) => {
                let diagnostic = roadmap
                    .diagnostics
                    .iter()
                    .find(|d| d.message.contains(needle))
                    .unwrap_or_else(|| panic!("{cell:?}: {:?}", roadmap.diagnostics));
                assert_eq!(diagnostic.line, 7, "{cell:?}: the row's line");
                assert_eq!(diagnostic.severity, Severity::Warning);
            }
            None => assert!(
                roadmap.diagnostics.is_empty(),
                "{cell:?}: {:?}",
                roadmap.diagnostics
            ),
        }
    };
    check("TBD", None);
    check("Wave 2 Week 1", Some("'Wave 2 Week 1' is not a date"));
    check("Before implementation", Some("is not a date"));
    check("[Date]", Some("is not a date"));
    check("2026-02-30", Some("not a valid calendar date"));
    check("31/02/2026", Some("not a valid calendar date"));
    check("2026-13-01", Some("not a valid calendar date"));
    // Words no date form has are no date, not an impossible one.
    for cell in ["mid-March 2026", "Week 12 2026", "30 juin 2026"] {
        check(cell, Some(&format!("'{cell}' is not a date")));
    }
}

// ---- states (§2.1) ----

#[test]
fn states_from_markers_and_words() {
    let check = |cell: &str, expected: State| {
        let text = format!("| Milestone | Status |\n| --- | --- |\n| Thing | {cell} |\n");
        let roadmap = read_one("plan.md", &text, TODAY);
        assert_eq!(only(&roadmap).state, expected, "{cell:?}");
        assert!(
            roadmap.diagnostics.is_empty(),
            "{cell:?}: {:?}",
            roadmap.diagnostics
        );
    };
    for cell in [
        "✅",
        "✔️ ok",
        "☑️",
        "Done",
        "complete",
        "Completed 2026-01-02",
        "Shipped",
        "delivered",
        "Live",
        "merged",
        "Released",
        "closed",
        "[x]",
        "[X] 2026-01-02",
    ] {
        check(cell, State::Done);
    }
    for cell in [
        "🟡",
        "🔄",
        "🚧 building",
        "In progress",
        "in flight",
        "Doing",
        "ongoing",
        "WIP",
        "started",
        "Active",
    ] {
        check(cell, State::InProgress);
    }
    for cell in [
        "🔴",
        "⛔",
        "🛑",
        "Blocked — legal review",
        "On hold",
        "waiting",
        "stalled",
    ] {
        check(cell, State::Blocked);
    }
    for cell in [
        "❌",
        "Cancelled",
        "canceled",
        "Dropped",
        "Won't do",
        "skip",
        "skipped",
        "Descoped",
    ] {
        check(cell, State::Cancelled);
    }
    for cell in [
        "⬜",
        "Pending",
        "Not started",
        "todo",
        "Planned",
        "Open",
        "proposed",
        "Backlog",
        "[ ]",
    ] {
        check(cell, State::Planned);
    }
}

#[test]
fn a_negated_state_word_is_not_that_state() {
    let check = |cell: &str, expected: State| {
        let text = format!(
            "| Milestone | Status | Target |\n| --- | --- | --- |\n| Thing | {cell} | 2026-01-10 |\n"
        );
        let roadmap = read_one("plan.md", &text, TODAY);
        let m = only(&roadmap);
        assert_eq!(m.state, expected, "{cell:?}");
        assert!(
            roadmap.diagnostics.is_empty(),
            "{cell:?}: {:?}",
            roadmap.diagnostics
        );
    };
    for cell in [
        "Not done",
        "not complete",
        "Not yet started",
        "No longer blocked",
        "isn't done",
        "Never shipped",
        "Not in progress",
    ] {
        check(cell, State::Planned);
    }
    // Past its target and not done: overdue, not done.
    let text =
        "| Milestone | Status | Target |\n| --- | --- | --- |\n| Thing | Not done | 2026-01-10 |\n";
    assert_eq!(
        only(&read_one("plan.md", text, TODAY)).status,
        Status::Overdue
    );
    // The earliest marker still wins, and a word inside another is no negation.
    check("Blocked, not started", State::Blocked);
    check("Knot done", State::Done);
    // The same in a heading block's field and an inline status.
    let block = "### Rotate keys\n\n- **Owner**: Security\n- **Status**: Not done yet\n";
    assert_eq!(
        only(&read_one("plan.md", block, TODAY)).state,
        State::Planned
    );
    let item = "- [ ] Rotate keys (status: not yet started)\n";
    assert_eq!(
        only(&read_one("plan.md", item, TODAY)).state,
        State::Planned
    );
}

#[test]
fn unknown_state_word_is_planned_with_a_warning() {
    let roadmap = read_one(
        "plan.md",
        "| Milestone | Status |\n| --- | --- |\n| Thing | Sideways |\n",
        TODAY,
    );
    assert_eq!(only(&roadmap).state, State::Planned);
    assert!(warned(&roadmap, "unknown state 'Sideways'"));
    assert_eq!(roadmap.diagnostics[0].line, 3);
}

#[test]
fn risk_emoji_is_not_a_state() {
    let text = "### SEC-9 Patch the gateway\n\n- **Risk**: 🔴 High\n- **Owner**: Security\n- **Due**: 2026-03-01\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let m = only(&roadmap);
    assert_eq!(m.id, "SEC-9");
    assert_eq!((m.state, m.status), (State::Planned, Status::OnTrack));
}

#[test]
fn leading_check_in_a_description_declares_done_but_a_state_column_wins() {
    let without = "| Milestone | Description | Target |\n| --- | --- | --- |\n| Thing | ✅ shipped the thing | 2026-03-01 |\n";
    assert_eq!(
        only(&read_one("plan.md", without, TODAY)).state,
        State::Done
    );
    let with = "| Milestone | Description | Status |\n| --- | --- | --- |\n| Thing | ✅ shipped the thing | Planned |\n";
    assert_eq!(
        only(&read_one("plan.md", with, TODAY)).state,
        State::Planned
    );
}

#[test]
fn task_item_states() {
    let check = |item: &str, expected: State| {
        let roadmap = read_one("plan.md", &format!("## Work\n\n{item}\n"), TODAY);
        assert_eq!(only(&roadmap).state, expected, "{item:?}");
    };
    check("- [ ] Write the guide", State::Planned);
    check("- [x] Write the guide", State::Done);
    check(
        "- [ ] ~~**Write the guide**~~ — not needed",
        State::Cancelled,
    );
    check(
        "- [ ] Write the guide (cancelled 2026-01-05)",
        State::Cancelled,
    );
    check(
        "- [ ] Write the guide. Status: in progress",
        State::InProgress,
    );
    // A state emoji opening the title marks the state and leaves the title;
    // a ticked box still wins.
    for (item, state, title) in [
        (
            "- [ ] 🚧 Synthetic checks",
            State::InProgress,
            "Synthetic checks",
        ),
        ("- [ ] ✅ Synthetic checks", State::Done, "Synthetic checks"),
        (
            "- [ ] ⛔️ Synthetic checks",
            State::Blocked,
            "Synthetic checks",
        ),
        ("- [x] 🚧 Synthetic checks", State::Done, "Synthetic checks"),
        (
            "- [ ] Synthetic checks 🚧",
            State::Planned,
            "Synthetic checks 🚧",
        ),
    ] {
        let roadmap = read_one("plan.md", &format!("## Work\n\n{item}\n"), TODAY);
        let m = only(&roadmap);
        assert_eq!((m.state, m.title.as_str()), (state, title), "{item:?}");
    }
}

#[test]
fn a_bold_lead_that_is_only_an_id_takes_its_title_from_the_text() {
    let roadmap = read_one(
        "plan.md",
        "- [ ] **W1-M7** — Capacity plan for Black Friday (due 2026-11-01)\n",
        TODAY,
    );
    let m = only(&roadmap);
    assert_eq!(
        (m.id.as_str(), m.title.as_str()),
        ("W1-M7", "Capacity plan for Black Friday")
    );
}

// ---- owners (§1.4, §2.3) ----

/// Owners read from `cell` in a document where Security, Platform and
/// "Docs & DevEx" are known from other rows and an ownership section elsewhere.
fn owners_of(cell: &str) -> Vec<String> {
    let text = format!(
        "| Milestone | Owner |\n| --- | --- |\n| Probe | {cell} |\n| A | Security |\n| B | Platform |\n"
    );
    let other = "## Owners\n\n- **Docs & DevEx** team keeps tutorials current.\n";
    let roadmap = read_many(
        &[("plan.md", &text), ("other.md", other)],
        &ReadOptions::new(day(TODAY)),
    );
    roadmap.milestones[0].owners.clone()
}

#[test]
fn owner_cells_are_split() {
    let check = |cell: &str, expected: &[&str]| assert_eq!(owners_of(cell), expected, "{cell:?}");
    check("Platform", &["Platform"]);
    check("Platform, Security", &["Platform", "Security"]);
    check("Platform; Security", &["Platform", "Security"]);
    check("Platform and Security", &["Platform", "Security"]);
    check("Platform + Security", &["Platform", "Security"]);
    check("Platform/Security", &["Platform", "Security"]);
    check("Security & Platform", &["Security", "Platform"]);
    check("Docs & DevEx", &["Docs & DevEx"]);
    // Only an `&` with a space beside it splits: `R&D` is one word.
    check("R&D", &["R&D"]);
    check("Platform & R&D Tools", &["Platform", "R&D Tools"]);
    // `<br>` is how a table cell writes a line break.
    check("Mobile<br>Platform", &["Mobile", "Platform"]);
    check(
        "Mobile<BR/>Platform<br />Data",
        &["Mobile", "Platform", "Data"],
    );
    check("QA (primary), Platform (support)", &["QA", "Platform"]);
    check("**Platform**", &["Platform"]);
    check("group:default/platform", &["group:default/platform"]);
    check("TBD", &[]);
}

#[test]
fn configured_teams_are_known() {
    let mut options = ReadOptions::new(day(TODAY));
    options.known_teams = vec!["QA & Release".to_string()];
    let text = "| Milestone | Owner |\n| --- | --- |\n| Probe | QA & Release |\n";
    let roadmap = read_many(&[("plan.md", text)], &options);
    assert_eq!(only(&roadmap).owners, ["QA & Release"]);
    let roadmap = read_many(&[("plan.md", text)], &ReadOptions::new(day(TODAY)));
    assert_eq!(only(&roadmap).owners, ["QA", "Release"]);
}

/// The roadmap's only milestone is owned by `owners`, found as `source`
/// (`read_from` names the input in a failure).
fn owned_by(roadmap: &Roadmap, owners: &[&str], source: OwnerSource, read_from: &str) {
    let m = only(roadmap);
    let owned: Vec<&str> = m.owners.iter().map(String::as_str).collect();
    assert_eq!(
        (owned.as_slice(), m.owner_source),
        (owners, source),
        "from {read_from:?}"
    );
}

#[test]
fn owner_sources_in_order_of_precedence() {
    let explicit = "| Milestone | Owner |\n| --- | --- |\n| Thing | Platform |\n";
    let section = "- [ ] Rotate the signing keys\n\n## Ownership\n\n- **Security** owns signing keys.\n- **Platform** owns runners.\n";
    let document = "---\nowner: group:default/data\n---\n\n- [ ] Rotate the signing keys\n";
    let catalog = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  annotations:\n    milepost.io/roadmap: docs/plan.md\nspec:\n  owner: group:default/svc-team\n";
    let none = "- [ ] Rotate the signing keys\n";
    let options = ReadOptions::new(day(TODAY));
    let check = |files: &[(&str, &str)], owners: &[&str], source: OwnerSource| {
        owned_by(
            &read_many(files, &options),
            owners,
            source,
            &format!("{files:?}"),
        );
    };
    check(
        &[("plan.md", explicit)],
        &["Platform"],
        OwnerSource::Explicit,
    );
    check(&[("plan.md", section)], &["Security"], OwnerSource::Section);
    check(
        &[("plan.md", document)],
        &["group:default/data"],
        OwnerSource::Document,
    );
    check(
        &[("catalog-info.yaml", catalog), ("docs/plan.md", none)],
        &["group:default/svc-team"],
        OwnerSource::Catalog,
    );
    check(&[("plan.md", none)], &[], OwnerSource::None);
}

#[test]
fn an_owner_line_at_the_top_of_a_document_is_its_owner() {
    let check = |text: &str, owners: &[&str], source: OwnerSource| {
        owned_by(&read_one("plan.md", text, TODAY), owners, source, text);
    };
    let task = "\n\n## Plan\n\n- [ ] Rotate the signing keys\n";
    for top in [
        "**Owner:** Security",
        "**Owner**: Security",
        "Owner: Security.",
        "DRI: Security",
        "_Owned by_: Security",
        "Intro line\nOwners: [Security](https://teams.example.com/security)",
        "> Owner: Security · Last updated: 2026-09-14",
        "**Owner:** Security | **Status:** active",
    ] {
        check(
            &format!("# Keys\n\n{top}{task}"),
            &["Security"],
            OwnerSource::Document,
        );
    }
    check(
        &format!("# Keys\n\n**Owners:** Security, Platform{task}"),
        &["Security", "Platform"],
        OwnerSource::Document,
    );
    // Front matter wins; a line under a sub-heading, or prose, is no owner.
    check(
        &format!("---\nowner: Platform\n---\n# Keys\n\n**Owner:** Security{task}"),
        &["Platform"],
        OwnerSource::Document,
    );
    check(
        "# Keys\n\n## Plan\n\nOwner: Security\n\n- [ ] Rotate the signing keys\n",
        &[],
        OwnerSource::None,
    );
    for prose in ["Owner: TBD", "Lead time: 3 weeks"] {
        check(&format!("# Keys\n\n{prose}{task}"), &[], OwnerSource::None);
    }
    check(
        &format!(
            "# Keys\n\nOwner: whoever picks this up next quarter decides how it is done{task}"
        ),
        &[],
        OwnerSource::None,
    );
}

#[test]
fn section_owners_fall_back_to_every_team_when_nothing_matches() {
    let text = "- [ ] Order pizza\n\n## Teams\n\n- **Security** owns signing keys.\n- **Platform**: runners and caches.\n";
    let roadmap = read_one("plan.md", text, TODAY);
    assert_eq!(only(&roadmap).owners, ["Security", "Platform"]);
    assert_eq!(roadmap.teams[1].responsibilities, ["runners and caches."]);
}

#[test]
fn bold_lead_is_owner_when_it_names_known_teams() {
    let text = "## Work\n\n- [ ] **QA & Platform** — Validate backfill guardrails (due 2026-03-01)\n- [ ] **Backfill tooling** — build it\n\n## Owners\n\n- **QA** owns tests.\n- **Platform** owns runners.\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let first = &roadmap.milestones[0];
    assert_eq!(first.title, "Validate backfill guardrails");
    assert_eq!(first.owners, ["QA", "Platform"]);
    assert_eq!(first.owner_source, OwnerSource::Explicit);
    assert_eq!(first.target, Some(day("2026-03-01")));
    assert_eq!(roadmap.milestones[1].title, "Backfill tooling");
    assert_eq!(roadmap.milestones[1].description, "build it");
}

// ---- task items (§1.2) ----

#[test]
fn task_item_titles_fields_and_subtasks() {
    let text = "## Plan\n\n- [ ] **T1.1 Programme guardrails** — agree the rules (owner: Platform) (target 2025-11-29).\n  - [x] Draft\n  - [ ] Review\n  - Depends on: T0.9, Legal sign-off\n- [ ] Measure queue time weekly: publish the chart. More prose here\n- [ ] Ship it by 2026-02-01, blocked by T1.1\n\n## Acceptance criteria\n\n- [ ] Everything passes\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        ["T1.1", "plan/measure-queue-time-weekly", "plan/ship-it"]
    );
    let first = &roadmap.milestones[0];
    assert_eq!(first.title, "Programme guardrails");
    assert_eq!(first.owners, ["Platform"]);
    assert_eq!(first.target, Some(day("2025-11-29")));
    assert_eq!(first.progress.map(|p| (p.done, p.total)), Some((1, 2)));
    let texts: Vec<&str> = first.dependencies.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["T0.9", "Legal sign-off"]);
    assert!(first.description.contains("agree the rules"));
    assert!(
        first.description.contains("- Depends on: T0.9"),
        "nested bullets join the description"
    );
    let second = &roadmap.milestones[1];
    assert!(
        second.description.contains("More prose here"),
        "the whole text stays"
    );
    let third = &roadmap.milestones[2];
    assert_eq!(third.target, Some(day("2026-02-01")));
    assert_eq!(third.dependencies[0].milestone.as_deref(), Some("T1.1"));
    assert!(warned(&roadmap, "'T0.9' of 'T1.1' looks like an id"));
}

#[test]
fn a_derived_title_ends_with_the_first_paragraph() {
    let text =
        "- [ ] Loose item one\n  still the first paragraph\n\n  a second paragraph, owner: Data.\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let m = only(&roadmap);
    assert_eq!(m.title, "Loose item one still the first paragraph");
    assert_eq!(m.owners, ["Data"]);
    assert!(m.description.contains("a second paragraph"));
}

#[test]
fn a_derived_title_does_not_end_in_the_dash_before_a_field() {
    for (item, title) in [
        ("Drop legacy API — depends on S-1", "Drop legacy API"),
        ("Drop legacy API - due 2026-03-01", "Drop legacy API"),
        ("Drop legacy API: (owner: Platform)", "Drop legacy API"),
        ("Opt-in telemetry", "Opt-in telemetry"),
        ("Ship it — then tell people", "Ship it"),
    ] {
        let roadmap = read_one("plan.md", &format!("- [ ] {item}\n"), TODAY);
        assert_eq!(only(&roadmap).title, title, "from {item:?}");
    }
}

#[test]
fn a_target_written_as_a_field_warns_when_it_is_not_a_date() {
    // `target:` with a colon is a field even when no date follows; the text
    // is kept as written and warned about, as a table's target cell is.
    for (item, target_text, warns) in [
        (
            "**S-3 Typo tolerance** (target: H3 2026)",
            Some("H3 2026"),
            true,
        ),
        (
            "Typo tolerance (owner: Search, due: next sprint)",
            Some("next sprint"),
            true,
        ),
        ("Typo tolerance. Target: spring", Some("spring"), true),
        (
            "Typo tolerance. Target: spring, owner: Search",
            Some("spring"),
            true,
        ),
        ("Typo tolerance. Target: someday", Some("someday"), false),
        ("Typo tolerance (target: TBD)", Some("TBD"), false),
        ("Typo tolerance (by the way, owner: Search)", None, false),
        ("Typo tolerance, due soon", None, false),
    ] {
        let roadmap = read_one("plan.md", &format!("- [ ] {item}\n"), TODAY);
        let m = only(&roadmap);
        assert_eq!(m.target_text.as_deref(), target_text, "from {item:?}");
        assert_eq!(m.target, None, "from {item:?}");
        assert_eq!(m.status, Status::Unscheduled, "from {item:?}");
        assert_eq!(
            warned(&roadmap, "is not a date"),
            warns,
            "from {item:?}: {:?}",
            roadmap.diagnostics
        );
    }
}

#[test]
fn an_inline_field_ends_where_the_next_one_starts() {
    // (item, title, owners, target text, dependency texts)
    for (item, title, owners, target, dependencies) in [
        (
            "HTTP/3 rollout — Owner: Edge, Target: 2026-12-20",
            "HTTP/3 rollout",
            &["Edge"][..],
            Some("2026-12-20"),
            &[][..],
        ),
        (
            "Apple Pay in checkout — Owner: Mobile — ETA 2026-12-15",
            "Apple Pay in checkout",
            &["Mobile"],
            Some("2026-12-15"),
            &[],
        ),
        (
            "**ID-2 Passkeys** — roll out passkeys, depends on ID-1, due 2026-12-20",
            "Passkeys",
            &[],
            Some("2026-12-20"),
            &["ID-1"],
        ),
        (
            "**ID-5 Audit export** — after ID-2 due 2027-01-15",
            "Audit export",
            &[],
            Some("2027-01-15"),
            &["ID-2"],
        ),
        (
            "Dashboards — owner: Data · target: Q1 2027",
            "Dashboards",
            &["Data"],
            Some("Q1 2027"),
            &[],
        ),
        (
            "Ledger GA — target date: 2027-02-01",
            "Ledger GA",
            &[],
            Some("2027-02-01"),
            &[],
        ),
        (
            "Wallet GA — deadline 2027-02-15",
            "Wallet GA",
            &[],
            Some("2027-02-15"),
            &[],
        ),
        (
            "Payouts GA, due on 2027-03-01",
            "Payouts GA",
            &[],
            Some("2027-03-01"),
            &[],
        ),
        // A date alone in parentheses is the target.
        (
            "Payouts GA (2027-03-01)",
            "Payouts GA",
            &[],
            Some("2027-03-01"),
            &[],
        ),
        (
            "Rollout window (2026-12-01 → 2027-01-15)",
            "Rollout window",
            &[],
            Some("2026-12-01 → 2027-01-15"),
            &[],
        ),
        (
            "Wallet GA (Q1 2027) — owner: Mobile",
            "Wallet GA",
            &["Mobile"],
            Some("Q1 2027"),
            &[],
        ),
        (
            "Audit (2024) and more",
            "Audit (2024) and more",
            &[],
            None,
            &[],
        ),
        // A list of dependencies keeps its commas; a word that only looks
        // like a keyword does not cut it.
        (
            "Search v2. Depends on: Index rebuild, Due diligence, Target platform",
            "Search v2",
            &[],
            None,
            &["Index rebuild", "Due diligence", "Target platform"],
        ),
    ] {
        let roadmap = read_one("plan.md", &format!("- [ ] {item}\n"), TODAY);
        let m = only(&roadmap);
        let texts: Vec<&str> = m.dependencies.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(
            (
                m.title.as_str(),
                m.owners.as_slice(),
                m.target_text.as_deref(),
                texts.as_slice()
            ),
            (
                title,
                owners
                    .iter()
                    .map(|o| o.to_string())
                    .collect::<Vec<_>>()
                    .as_slice(),
                target,
                dependencies
            ),
            "from {item:?}"
        );
    }
    let roadmap = read_one(
        "plan.md",
        "- [ ] Rollout (status: in progress, due 2026-12-10)\n- [ ] Rollback. Status: blocked, due 2026-12-11\n",
        TODAY,
    );
    let read: Vec<_> = roadmap
        .milestones
        .iter()
        .map(|m| (m.state, m.target_text.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            (State::InProgress, Some("2026-12-10")),
            (State::Blocked, Some("2026-12-11"))
        ]
    );
}

// ---- heading blocks (§1.3) ----

#[test]
fn a_heading_blocks_checklist_is_its_progress_not_milestones() {
    let text = "# Security\n\n### SEC-12 Rotate KMS keys\n- **Owner**: Security\n- **Due**: 2027-01-10\n- [x] staging\n- [ ] production\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let m = only(&roadmap);
    assert_eq!(
        (m.id.as_str(), m.title.as_str(), m.owners.as_slice()),
        ("SEC-12", "Rotate KMS keys", &["Security".to_string()][..])
    );
    assert_eq!(m.target, Some(day("2027-01-10")));
    assert_eq!(
        m.progress,
        Some(milepost_shared::Progress { done: 1, total: 2 })
    );
    // A task list under a heading, with no field beside it, is still one
    // milestone per item.
    let roadmap = read_one(
        "plan.md",
        "### Rotate KMS keys\n- [x] staging\n- [ ] production\n",
        TODAY,
    );
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(titles, ["staging", "production"]);
}

#[test]
fn a_state_marked_in_a_heading_blocks_title_is_its_state() {
    let text = "# Security\n\n\
### ✅ SEC-5 Disable legacy TLS\n- **Owner**: Security\n- **Due**: 2026-01-01\n\n\
### SEC-6 Rotate DB credentials (Done)\n- **Owner**: Security\n- **Due**: 2026-01-02\n\n\
### ~~SEC-7 Move to HSM~~\n- **Owner**: Security\n- **Due**: 2026-01-03\n\n\
### SEC-8 Patch (in progress)\n- **Owner**: Security\n- **Status**: blocked\n\n\
### SEC-9 Audit (phase 2)\n- **Owner**: Security\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let read: Vec<(&str, &str, State)> = roadmap
        .milestones
        .iter()
        .map(|m| (m.id.as_str(), m.title.as_str(), m.state))
        .collect();
    assert_eq!(
        read,
        [
            ("SEC-5", "Disable legacy TLS", State::Done),
            ("SEC-6", "Rotate DB credentials", State::Done),
            ("SEC-7", "Move to HSM", State::Cancelled),
            // A Status field wins over the heading's mark.
            ("SEC-8", "Patch", State::Blocked),
            ("SEC-9", "Audit (phase 2)", State::Planned),
        ]
    );
}

#[test]
fn long_titles_are_cut_at_a_word() {
    let long = "word ".repeat(40);
    let roadmap = read_one("plan.md", &format!("- [ ] {long}\n"), TODAY);
    let title = &only(&roadmap).title;
    assert!(
        title.chars().count() <= 81 && title.ends_with('…'),
        "{title}"
    );
}

// ---- table headers (§1.1) ----

#[test]
fn header_synonyms() {
    let check = |title: &str, field: &str, cell: &str, probe: &dyn Fn(&Milestone) -> bool| {
        let text = format!("| {title} | {field} |\n| --- | --- |\n| Thing | {cell} |\n");
        let roadmap = read_one("plan.md", &text, TODAY);
        assert_eq!(roadmap.milestones.len(), 1, "{title} | {field}");
        assert!(
            probe(&roadmap.milestones[0]),
            "{title} | {field}: {:?}",
            roadmap.milestones[0]
        );
    };
    let has_target = |m: &Milestone| m.target == Some(day("2026-03-01"));
    for word in [
        "Milestone",
        "Initiative",
        "Deliverable",
        "Task",
        "Item",
        "Work item",
        "Feature",
        "Epic",
        "Goal",
        "Objective",
        "Title",
        "Name",
        "Activity",
        "Phase",
    ] {
        check(word, "Target", "2026-03-01", &has_target);
    }
    for word in [
        "Target",
        "Target date",
        "Due",
        "Due (UTC)",
        "Deadline",
        "Date",
        "ETA",
        "End",
        "Finish",
        "When",
    ] {
        check("Milestone", word, "2026-03-01", &has_target);
    }
    let has_owner = |m: &Milestone| m.owners == ["Platform"];
    for word in [
        "Owner",
        "Owners",
        "Owner(s)",
        "Team",
        "Assignee",
        "Assigned",
        "Assigned to",
        "Responsible",
        "DRI",
        "Lead",
    ] {
        check("Milestone", word, "Platform", &has_owner);
    }
    let is_done = |m: &Milestone| m.state == State::Done;
    for word in ["Status", "State", "Progress"] {
        check("Milestone", word, "Done", &is_done);
    }
    let has_dependency =
        |m: &Milestone| m.dependencies.len() == 1 && m.dependencies[0].text == "Vendor contract";
    for word in [
        "Dependencies",
        "Dependency",
        "Depends on",
        "Blocked by",
        "Prerequisites",
        "Requires",
        "Needs",
        "After",
    ] {
        check("Milestone", word, "Vendor contract", &has_dependency);
    }
    let text = "| Milestone | Start date | Target |\n| --- | --- | --- |\n| Thing | 2026-02-01 | 2026-03-01 |\n";
    let roadmap = read_one("plan.md", text, TODAY);
    assert_eq!(
        (only(&roadmap).start, only(&roadmap).target),
        (Some(day("2026-02-01")), Some(day("2026-03-01")))
    );
    check("Thing", "Target", "2026-03-01", &|m| {
        m.title == "Thing" && has_target(m)
    });
}

#[test]
fn row_numbers_are_not_ids_but_id_columns_are() {
    let numbered = "| # | Milestone | Target |\n| --- | --- | --- |\n| 1 | Alpha | 2026-03-01 |\n| 2 | Beta | 2026-03-02 |\n";
    let ids: Vec<String> = read_one("plan.md", numbered, TODAY)
        .milestones
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(ids, ["plan/alpha", "plan/beta"]);
    let declared = "| # | Milestone | Target |\n| --- | --- | --- |\n| W2-M1 | Alpha | 2026-03-01 |\n| W2-M2 | Beta | 2026-03-02 |\n";
    let ids: Vec<String> = read_one("plan.md", declared, TODAY)
        .milestones
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(ids, ["W2-M1", "W2-M2"]);
    let in_title = "| Milestone | Target |\n| --- | --- |\n| T3.2 OpenLineage + Marquez | 2026-03-01 |\n| S3 bucket policy | 2026-03-01 |\n";
    let roadmap = read_one("plan.md", in_title, TODAY);
    assert_eq!(
        (
            roadmap.milestones[0].id.as_str(),
            roadmap.milestones[0].title.as_str()
        ),
        ("T3.2", "OpenLineage + Marquez")
    );
    assert_eq!(
        roadmap.milestones[1].id, "plan/s3-bucket-policy",
        "S3 is a word, not an id"
    );
}

#[test]
fn pipe_rows_without_a_delimiter_row_are_warned_about() {
    let text = "# Plan\n\n| Milestone | Target |\n| Ship it | 2026-03-01 |\n| Tell people | 2026-03-02 |\n";
    let roadmap = read_one("plan.md", text, TODAY);
    assert!(roadmap.milestones.is_empty());
    let said: Vec<(u32, Severity)> = roadmap
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("no delimiter row"))
        .map(|d| (d.line, d.severity))
        .collect();
    assert_eq!(said, [(3, Severity::Warning)], "{:?}", roadmap.diagnostics);
    // Pipe rows that are no roadmap say nothing.
    let other = read_one("notes.md", "| a | b |\n| c | d |\n", TODAY);
    assert!(other.diagnostics.is_empty(), "{:?}", other.diagnostics);
}

#[test]
fn non_roadmap_tables_yield_nothing() {
    for header in [
        "| Component | Backstage kind | File | Description |",
        "| Team | Channel | Escalation |",
        "| Dependency | Version | Owner | Lifecycle |",
        "| Risk | Likelihood | Impact |",
        "| Meeting | Cadence | Attendees |",
        "| Name | Email | Team |",
        "| Feature | Version | Owner |",
    ] {
        let columns = header.matches('|').count() - 1;
        let text = format!(
            "{header}\n|{}\n|{}\n",
            " --- |".repeat(columns),
            " x |".repeat(columns)
        );
        let roadmap = read_one("plan.md", &text, TODAY);
        assert!(roadmap.milestones.is_empty(), "{header}");
    }
}

// ---- dependencies (§2.4) ----

#[test]
fn dependency_resolution() {
    let plan = "| ID | Milestone | Target | Depends on |\n| --- | --- | --- | --- |\n\
| A-1 | Migrate recurring billing | 2026-03-01 | None |\n\
| A-2 | Wallet beta | 2026-03-02 | a-1 |\n\
| A-3 | Wallet GA | 2026-03-03 | Wallet beta; n/a |\n\
| A-4 | Retire PSP | 2026-03-04 | recurring billing, - |\n\
| A-5 | Cutover | 2026-03-05 | Migrate, Identity provider contract |\n\
| A-6 | Launch | 2026-03-06 | SSO for the portal + B-1 |\n\
| A-7 | Review | 2026-03-07 | Wallet |\n\
| A-8 | Rollout | 2026-03-08 | A-2 (auth), Z-9 (legal) |\n";
    let other = "milestones:\n  - id: B-1\n    title: SSO for the portal\n    target: 2026-02-01\n";
    let roadmap = read_many(
        &[("plan.md", plan), ("other.yaml", other)],
        &ReadOptions::new(day(TODAY)),
    );
    let resolved = |id: &str| -> Vec<(String, Option<String>)> {
        let m = roadmap
            .milestones
            .iter()
            .find(|m| m.id == id)
            .expect("milestone");
        m.dependencies
            .iter()
            .map(|d| (d.text.clone(), d.milestone.clone()))
            .collect()
    };
    let pair = |text: &str, id: Option<&str>| (text.to_string(), id.map(str::to_string));
    assert_eq!(resolved("A-1"), [], "None is no dependency");
    assert_eq!(
        resolved("A-2"),
        [pair("a-1", Some("A-1"))],
        "ids, case-insensitively"
    );
    assert_eq!(
        resolved("A-3"),
        [pair("Wallet beta", Some("A-2"))],
        "title; n/a dropped"
    );
    assert_eq!(
        resolved("A-4"),
        [pair("recurring billing", Some("A-1"))],
        "containment"
    );
    assert_eq!(
        resolved("A-5"),
        [
            pair("Migrate", Some("A-1")),
            pair("Identity provider contract", None)
        ],
        "prefix; external"
    );
    assert_eq!(
        resolved("A-6"),
        [
            pair("SSO for the portal", Some("B-1")),
            pair("B-1", Some("B-1"))
        ],
        "other documents"
    );
    assert_eq!(
        resolved("A-7"),
        [pair("Wallet", None)],
        "ambiguous stays external"
    );
    assert!(warned(
        &roadmap,
        "'Wallet' of 'A-7' matches several milestones"
    ));
    // An id with a note after it is resolved by the id, and warned about
    // when no milestone has it.
    assert_eq!(
        resolved("A-8"),
        [pair("A-2 (auth)", Some("A-2")), pair("Z-9 (legal)", None)],
        "id with a note"
    );
    assert!(warned(
        &roadmap,
        "dependency 'Z-9 (legal)' of 'A-8' looks like an id"
    ));
    let b1 = roadmap
        .milestones
        .iter()
        .find(|m| m.id == "B-1")
        .expect("B-1");
    assert_eq!(b1.dependents, ["A-6"]);
}

#[test]
fn dependency_lists_split_on_line_breaks_in_cells_and_in_yaml_strings() {
    let table = "| Milestone | Target | Dependencies |\n|---|---|---|\n\
| Snowflake contract | 2027-01-15 | |\n\
| dbt project layout | 2027-01-31 | |\n\
| Marts v1 | 2027-02-28 | Snowflake contract<br>dbt project layout |\n";
    let yaml = "milestones:\n  - {id: gitops, title: GitOps for all clusters, target: 2027-03-31}\n  - {id: secrets, title: Secrets in Vault, target: 2027-04-30}\n  - id: rollout\n    title: Zero-trust rollout\n    depends_on: \"gitops, secrets\"\n  - id: audit\n    title: Audit\n    depends_on: none\n";
    let roadmap = read_many(
        &[("plan.md", table), ("platform.yaml", yaml)],
        &ReadOptions::new(day(TODAY)),
    );
    let resolved = |title: &str| -> Vec<Option<String>> {
        let m = roadmap
            .milestones
            .iter()
            .find(|m| m.title == title)
            .unwrap_or_else(|| panic!("no {title}"));
        m.dependencies.iter().map(|d| d.milestone.clone()).collect()
    };
    assert_eq!(
        resolved("Marts v1"),
        [
            Some("plan/snowflake-contract".to_string()),
            Some("plan/dbt-project-layout".to_string())
        ]
    );
    assert_eq!(
        resolved("Zero-trust rollout"),
        [Some("gitops".to_string()), Some("secrets".to_string())]
    );
    assert_eq!(resolved("Audit"), [], "none is no dependency");
}

#[test]
fn a_start_written_as_a_period_is_its_first_day() {
    let text = "| Milestone | Start | Target |\n| --- | --- | --- |\n\
| Discovery | Jan 2027 | Feb 2027 |\n\
| Build | Q2 2027 | Q3 2027 |\n\
| Scale | H2 2027 | 2027-12-15 |\n\
| Polish | 2027-03-04 | 2027-03-09 |\n";
    let roadmap = read_one("plan.md", text, TODAY);
    let dates: Vec<_> = roadmap
        .milestones
        .iter()
        .map(|m| (m.start, m.target))
        .collect();
    assert_eq!(
        dates,
        [
            (Some(day("2027-01-01")), Some(day("2027-02-28"))),
            (Some(day("2027-04-01")), Some(day("2027-09-30"))),
            (Some(day("2027-07-01")), Some(day("2027-12-15"))),
            (Some(day("2027-03-04")), Some(day("2027-03-09"))),
        ]
    );
}

#[test]
fn cycles_are_reported_and_do_not_block_forever() {
    let text = "milestones:\n  - id: x\n    title: X\n    status: blocked\n    depends_on: [y]\n  - id: y\n    title: Y\n    depends_on: [x]\n  - id: z\n    title: Z\n    target: 2026-05-01\n    depends_on: [y]\n";
    let roadmap = read_one("loop.yaml", text, TODAY);
    let statuses: Vec<Status> = roadmap.milestones.iter().map(|m| m.status).collect();
    assert_eq!(
        statuses,
        [Status::Blocked, Status::Blocked, Status::Blocked]
    );
    assert!(warned(&roadmap, "dependency cycle: x → y → x"));
}

#[test]
fn schedule_conflicts_are_reported() {
    let text = "milestones:\n  - id: early\n    title: Early\n    target: 2026-02-01\n    depends_on: [late]\n  - id: late\n    title: Late\n    target: 2026-03-01\n";
    let roadmap = read_one("plan.yaml", text, TODAY);
    assert!(warned(
        &roadmap,
        "schedule conflict: 'early' is due 2026-02-01 but depends on 'late'"
    ));
}

#[test]
fn done_dependencies_do_not_block() {
    let text = "milestones:\n  - id: a\n    title: A\n    status: done\n  - id: b\n    title: B\n    target: 2026-05-01\n    depends_on: [a]\n";
    let roadmap = read_one("plan.yaml", text, TODAY);
    assert_eq!(roadmap.milestones[1].status, Status::OnTrack);
}

// ---- ids (§5) ----

#[test]
fn ids_are_slugged_from_the_document_stem_and_made_unique() {
    let text =
        "milestones:\n  - title: Cost dashboards per team!\n  - title: Cost dashboards per team\n";
    let roadmap = read_one("docs/platform.roadmap.yaml", text, TODAY);
    let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "platform/cost-dashboards-per-team",
            "platform/cost-dashboards-per-team-2"
        ]
    );
    assert!(warned(
        &roadmap,
        "duplicate id 'platform/cost-dashboards-per-team'"
    ));
    // Stable across reads.
    assert_eq!(
        read_one("docs/platform.roadmap.yaml", text, TODAY).milestones,
        roadmap.milestones
    );
}

#[test]
fn description_html_is_sanitised() {
    let text = "milestones:\n  - title: T\n    description: \"Hi <script>alert(1)</script> [x](javascript:alert(1)) **bold**\"\n";
    let roadmap = read_one("plan.yaml", text, TODAY);
    let html = &only(&roadmap).description_html;
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
}

#[test]
fn a_yaml_milestone_without_a_title_is_skipped_with_the_reason() {
    let text = "milestones:\n  - id: A\n    title: Kept\n  - id: B\n    title: [not, one, line]\n  - id: C\n    title:\n  - id: D\n    name: Also kept\n";
    let roadmap = read_one("plan.roadmap.yaml", text, TODAY);
    let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["A", "D"]);
    let said: Vec<(u32, &str)> = roadmap
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                4,
                "milestone title is not text (a list or a mapping); write it as one line of text; skipped"
            ),
            (6, "milestone has no title; skipped"),
        ]
    );
}

#[test]
fn yaml_files_without_roadmap_shape_are_ignored_quietly() {
    let roadmap = read_one("config.yaml", "name: thing\nitems: [1, 2]\n", TODAY);
    assert!(roadmap.milestones.is_empty() && roadmap.diagnostics.is_empty());
}

#[test]
fn statuses_follow_today() {
    let text = "| Milestone | Target |\n| --- | --- |\n| Thing | 2026-02-03 |\n";
    let status = |today: &str| only(&read_one("plan.md", text, today)).status;
    assert_eq!(status("2026-01-01"), Status::OnTrack);
    assert_eq!(status("2026-01-20"), Status::DueSoon);
    assert_eq!(status("2026-02-03"), Status::DueSoon);
    assert_eq!(status("2026-02-04"), Status::Overdue);
    let _: Option<NaiveDate> = None;
}

// ---- front matter and documents (§1.5) ----

#[test]
fn front_matter_and_title_fallbacks() {
    let options = ReadOptions::new(day(TODAY));
    let task = "- [ ] Do the thing\n";
    let with_front_matter = format!(
        "---\ntitle: Plan A\nsummary: Why and when.\nlast_updated: 2026-01-10\ncreated: 2025-12-01\nowner: Platform\ncomponent: checkout\n---\n\n# Ignored heading\n\n{task}"
    );
    let with_heading = format!("# Plan B\n\n{task}");
    let roadmap = read_many(
        &[
            ("a.md", &with_front_matter),
            ("b.md", &with_heading),
            ("docs/c-plan.md", task),
        ],
        &options,
    );
    let titles: Vec<&str> = roadmap.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["Plan A", "Plan B", "c-plan"]);
    let first = &roadmap.documents[0];
    assert_eq!(first.summary.as_deref(), Some("Why and when."));
    assert_eq!(first.last_updated, Some(day("2026-01-10")));
    assert_eq!(first.owners, ["Platform"]);
    assert_eq!(first.entity.as_deref(), Some("component:default/checkout"));
    assert_eq!(
        roadmap.milestones[0].entity.as_deref(),
        Some("component:default/checkout")
    );
    assert_eq!(roadmap.milestones[0].owner_source, OwnerSource::Document);
}

// ---- catalog files (§3.3) ----

#[test]
fn catalog_claims_documents_by_path_folder_and_techdocs() {
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: explicit
  annotations:
    milepost.io/roadmap: ../docs/team/special.md
spec:
  owner: group:default/special
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: folder
  namespace: shop
  annotations:
    milepost.io/roadmap: dir:../docs/team
spec:
  owner: group:shop/team
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: docs-site
  annotations:
    backstage.io/techdocs-ref: dir:../docs
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  profile:
    displayName: Team A
";
    let task = "| Milestone | Owner |\n| --- | --- |\n| Thing | Team A |\n";
    let roadmap = read_many(
        &[
            ("catalog/catalog-info.yaml", catalog),
            ("docs/team/special.md", task),
            ("docs/team/plan.md", task),
            ("docs/other/plan.md", task),
            ("elsewhere/plan.md", task),
        ],
        &ReadOptions::new(day(TODAY)),
    );
    let entity = |path: &str| {
        roadmap
            .documents
            .iter()
            .find(|d| d.path == path)
            .and_then(|d| d.entity.clone())
    };
    assert_eq!(
        entity("docs/team/special.md").as_deref(),
        Some("component:default/explicit")
    );
    assert_eq!(
        entity("docs/team/plan.md").as_deref(),
        Some("system:shop/folder")
    );
    assert_eq!(
        entity("docs/other/plan.md").as_deref(),
        Some("resource:default/docs-site")
    );
    assert_eq!(entity("elsewhere/plan.md"), None);
    let owners = |path: &str| {
        roadmap
            .documents
            .iter()
            .find(|d| d.path == path)
            .map(|d| d.owners.clone())
    };
    assert_eq!(
        owners("docs/team/plan.md"),
        Some(vec!["group:shop/team".to_string()])
    );
    let team = roadmap
        .teams
        .iter()
        .find(|t| t.name == "Team A")
        .expect("Team A");
    assert_eq!(team.group_ref.as_deref(), Some("group:default/team-a"));
    assert_eq!(team.milestones.len(), 4);
    assert!(
        roadmap.documents.iter().all(|d| !d.path.ends_with(".yaml")),
        "a catalog is not a roadmap"
    );
}

#[test]
fn a_document_two_entities_name_stays_with_the_first_and_the_second_hears_why() {
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: twin-a
  annotations:
    milepost.io/roadmap: docs/x.md
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: twin-b
  annotations:
    milepost.io/roadmap: ./docs/x.md
";
    let roadmap = read_many(
        &[
            ("catalog-info.yaml", catalog),
            ("docs/x.md", "- [ ] Ship it (due 2026-03-01)\n"),
        ],
        &ReadOptions::new(day(TODAY)),
    );
    assert_eq!(
        only(&roadmap).entity.as_deref(),
        Some("component:default/twin-a")
    );
    let said: Vec<(u32, Option<&str>, &str)> = roadmap
        .diagnostics
        .iter()
        .map(|d| (d.line, d.entity.as_deref(), d.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [(
            13,
            Some("component:default/twin-b"),
            "milepost.io/roadmap of component:default/twin-b names 'docs/x.md', which \
             component:default/twin-a names too; a document belongs to one entity, and this one \
             stays with component:default/twin-a (name it in one entity's annotation only)"
        )]
    );
}

#[test]
fn one_broken_document_of_a_catalog_file_loses_only_itself() {
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: broken, title: [unclosed}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  annotations:
    milepost.io/roadmap: docs/plan.md
spec:
  owner: group:default/payments
";
    let roadmap = read_many(
        &[
            ("catalog-info.yaml", catalog),
            ("docs/plan.md", "- [ ] Ship it (due 2026-03-01)\n"),
        ],
        &ReadOptions::new(day(TODAY)),
    );
    let m = only(&roadmap);
    assert_eq!(m.entity.as_deref(), Some("component:default/svc"));
    assert_eq!(m.owners, ["group:default/payments"]);
    let said: Vec<(&str, u32, Severity)> = roadmap
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.severity))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", roadmap.diagnostics);
    assert_eq!(said[0].0, "catalog-info.yaml");
    assert!(said[0].1 <= 3, "the broken document's line: {:?}", said[0]);
    assert_eq!(said[0].2, Severity::Error);
    assert!(roadmap.diagnostics[0].message.contains("the others were"));
    // A broken file of one document is still lost whole, and says so.
    let single = read_one("bad.yaml", "title: [unclosed\nmilestones: []\n", TODAY);
    assert!(warned(&single, "nothing in this file was read"));
}

#[test]
fn a_document_naming_its_own_entity_takes_that_entitys_owner() {
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: portal
  annotations:
    backstage.io/techdocs-ref: dir:docs
spec:
  owner: group:default/web
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search
spec:
  owner: group:default/search
";
    let own = "title: Search roadmap\nentity: component:default/search\nmilestones:\n  - {title: Vector search pilot, target: 2027-01-20}\n";
    let unknown = "title: Other\nentity: component:default/elsewhere\nmilestones:\n  - {title: Other work, target: 2027-01-20}\n";
    let portal = "- [ ] Portal work (due 2027-01-20)\n";
    let roadmap = read_many(
        &[
            ("catalog-info.yaml", catalog),
            ("docs/search.roadmap.yaml", own),
            ("docs/other.roadmap.yaml", unknown),
            ("docs/portal.md", portal),
        ],
        &ReadOptions::new(day(TODAY)),
    );
    let of = |title: &str| {
        let m = roadmap
            .milestones
            .iter()
            .find(|m| m.title == title)
            .unwrap_or_else(|| panic!("no {title}"));
        (m.entity.clone(), m.owners.clone(), m.owner_source)
    };
    assert_eq!(
        of("Vector search pilot"),
        (
            Some("component:default/search".to_string()),
            vec!["group:default/search".to_string()],
            OwnerSource::Catalog
        )
    );
    // An entity the catalog does not have: the folder's owner is not its.
    assert_eq!(
        of("Other work"),
        (
            Some("component:default/elsewhere".to_string()),
            vec![],
            OwnerSource::None
        )
    );
    // A document without an entity of its own still belongs to the folder's.
    assert_eq!(
        of("Portal work"),
        (
            Some("component:default/portal".to_string()),
            vec!["group:default/web".to_string()],
            OwnerSource::Catalog
        )
    );
}

#[test]
fn a_catalog_annotation_naming_no_document_read_is_warned_about() {
    // A typo in the annotation would leave the entity's card empty.
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    milepost.io/roadmap: roadmap.md, docs/roadmap.md, notes.md, dir:plans
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search
  annotations:
    milepost.io/roadmap: dir:docs
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: listed
  annotations:
    milepost.io/roadmap: |
      docs/next.md
      later.md
";
    let task = "- [ ] Ship it (due 2026-03-01)\n";
    let roadmap = read_many(
        &[
            ("svc/catalog-info.yaml", catalog),
            ("svc/docs/roadmap.md", task),
            ("svc/notes.md", "# Notes\n\nMeeting notes, no milestones.\n"),
            ("svc/docs/next.md", task),
            ("svc/later.md", "# Later\n\nIdeas, no milestones yet.\n"),
        ],
        &ReadOptions::new(day(TODAY)),
    );
    let said: Vec<(&str, u32, &str)> = roadmap
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "svc/catalog-info.yaml",
                6,
                "milepost.io/roadmap of component:default/checkout names 'svc/roadmap.md', \
                 but no such document was read; check the path (relative to this file)"
            ),
            (
                "svc/catalog-info.yaml",
                6,
                "milepost.io/roadmap of component:default/checkout names 'svc/notes.md', \
                 which has no milestones Milepost can read; see `milepost check` for that file, \
                 or name the document that holds the roadmap"
            ),
            (
                "svc/catalog-info.yaml",
                6,
                "milepost.io/roadmap of component:default/checkout names the folder 'svc/plans', \
                 but no document was read from it; check the path (relative to this file)"
            ),
            // Paths one per line (a YAML block) are split as commas split
            // them: `docs/next.md` is found, `later.md` has nothing.
            (
                "svc/catalog-info.yaml",
                21,
                "milepost.io/roadmap of component:default/listed names 'svc/later.md', \
                 which has no milestones Milepost can read; see `milepost check` for that file, \
                 or name the document that holds the roadmap"
            ),
        ]
    );
    // What the annotations do name still belongs to the entity.
    let entity_of = |path: &str| {
        roadmap
            .documents
            .iter()
            .find(|d| d.path == path)
            .and_then(|d| d.entity.as_deref())
    };
    assert_eq!(
        entity_of("svc/docs/roadmap.md"),
        Some("component:default/checkout")
    );
    assert_eq!(
        entity_of("svc/docs/next.md"),
        Some("component:default/listed")
    );
    // The warnings name their entity, so its card (asking for the entity
    // only) gets them; another entity's does not.
    let about = |entity: &str| {
        let filter = milepost_shared::Filter {
            entity: Some(entity.to_string()),
            ..milepost_shared::Filter::default()
        };
        filter.apply(&roadmap).diagnostics.len()
    };
    assert_eq!(about("Component:default/Checkout"), 3);
    assert_eq!(about("component:default/search"), 0);
    let json = serde_json::to_value(&*roadmap.diagnostics[0]).unwrap_or_default();
    assert_eq!(json["entity"], "component:default/checkout", "{json}");
}

#[test]
fn yaml_merge_keys_bring_their_defaults() {
    let yaml = "title: Merge keys\nowner: Data\nx-defaults: &d\n  owners: [Search]\n  status: in progress\n  target: 2026-02-10\nmilestones:\n  - <<: *d\n    title: Index rebuild\n  - <<: *d\n    title: Ranking\n    status: blocked\n";
    let roadmap = read_one("search.yaml", yaml, TODAY);
    let read: Vec<_> = roadmap
        .milestones
        .iter()
        .map(|m| (m.title.as_str(), m.owners.clone(), m.state, m.target))
        .collect();
    assert_eq!(
        read,
        [
            (
                "Index rebuild",
                vec!["Search".to_string()],
                State::InProgress,
                Some(day("2026-02-10"))
            ),
            (
                "Ranking",
                vec!["Search".to_string()],
                State::Blocked,
                Some(day("2026-02-10"))
            ),
        ],
        "a key written beside the merge wins"
    );
}

#[test]
fn yaml_values_are_kept_as_written() {
    let yaml = "title: Ids\nmilestones:\n  - {id: 2.10, title: Release two ten}\n  - {id: 1.0, title: One oh}\n  - {id: 007, title: Bond}\n  - {title: Needs it, depends_on: [\"1.0\"]}\n  - {title: Done flag, done: True, target: 2026-01-01}\n";
    let roadmap = read_one("ids.yaml", yaml, TODAY);
    let ids: Vec<&str> = roadmap.milestones.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(&ids[..3], ["2.10", "1.0", "007"]);
    let needs = &roadmap.milestones[3];
    assert_eq!(needs.dependencies[0].milestone.as_deref(), Some("1.0"));
    let flagged = &roadmap.milestones[4];
    assert_eq!((flagged.state, flagged.status), (State::Done, Status::Done));
}

#[test]
fn a_document_owner_naming_several_teams_is_split() {
    for text in [
        "---\nowner: Platform, Security\n---\n# Keys\n\n- [ ] Rotate the keys\n",
        "---\nowner: \"Platform; Security\"\n---\n# Keys\n\n- [ ] Rotate the keys\n",
    ] {
        owned_by(
            &read_one("plan.md", text, TODAY),
            &["Platform", "Security"],
            OwnerSource::Document,
            text,
        );
    }
    let yaml = "title: Q\nowner: \"Platform, Security\"\nmilestones:\n  - {title: q1, target: 2026-12-01}\n";
    let roadmap = read_one("q.yaml", yaml, TODAY);
    owned_by(
        &roadmap,
        &["Platform", "Security"],
        OwnerSource::Document,
        yaml,
    );
    let teams: Vec<&str> = roadmap.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(teams, ["Platform", "Security"]);
    // A placeholder names nobody.
    owned_by(
        &read_one(
            "plan.md",
            "---\nowner: TBD\n---\n- [ ] Rotate the keys\n",
            TODAY,
        ),
        &[],
        OwnerSource::None,
        "owner: TBD",
    );
}

#[test]
fn simple_and_full_front_matter_read_alike() {
    // The first goes through the shortcut for plain `key: value` lines, the
    // second (a quoted value) through the YAML parser: same result.
    let plain = "---\ntitle: Plan A\nlast_updated: 2026-01-10\nowner: group:default/platform\nentity: component:default/x\n---\n\n- [ ] Thing\n";
    let quoted = "---\ntitle: \"Plan A\"\nlast_updated: 2026-01-10\nowner: group:default/platform\nentity: component:default/x\n---\n\n- [ ] Thing\n";
    let a = read_one("plan.md", plain, TODAY);
    let b = read_one("plan.md", quoted, TODAY);
    assert_eq!(a.documents, b.documents);
    assert_eq!(a.milestones, b.milestones);
    assert_eq!(a.documents[0].owners, ["group:default/platform"]);
    let bad_date = "---\ntitle: Plan\nlast_updated: 2026-13-45\n---\n\n- [ ] Thing\n";
    let roadmap = read_one("plan.md", bad_date, TODAY);
    assert_eq!(roadmap.diagnostics.len(), 1);
    assert_eq!(roadmap.diagnostics[0].line, 3);
}
