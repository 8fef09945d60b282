//! The `milepost` binary as a user runs it: `export` (JSON and markdown),
//! `check` (text and GitHub formats) and the exit codes 0, 1 and 2.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::support::examples_dir;

/// The `milepost` binary, built once per test run with the same cargo and
/// target directory as the tests themselves.
fn milepost() -> Command {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    let binary = BINARY.get_or_init(|| {
        // The test executable lives in <target>/<profile>/deps/.
        let exe = std::env::current_exe().unwrap_or_else(|error| panic!("no test path: {error}"));
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .unwrap_or_else(|| panic!("unexpected test path {}", exe.display()))
            .to_path_buf();
        let target_dir = profile_dir
            .parent()
            .unwrap_or_else(|| panic!("unexpected test path {}", exe.display()))
            .to_path_buf();
        let mut build = Command::new(env!("CARGO"));
        build
            .args([
                "build",
                "--quiet",
                "-p",
                "milepost-server",
                "--bin",
                "milepost",
            ])
            .arg("--target-dir")
            .arg(&target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir
            .file_name()
            .is_some_and(|name| name == "release")
        {
            build.arg("--release");
        }
        let status = build
            .status()
            .unwrap_or_else(|error| panic!("cannot run cargo build: {error}"));
        assert!(
            status.success(),
            "cargo build of the milepost binary failed"
        );
        profile_dir.join(format!("milepost{}", std::env::consts::EXE_SUFFIX))
    });
    let mut command = Command::new(binary);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    // The tests' own environment must not configure the server under test.
    for (key, _) in std::env::vars() {
        if key.starts_with("MILEPOST_") {
            command.env_remove(key);
        }
    }
    command
}

fn run(args: &[&str]) -> Output {
    milepost()
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run milepost {args:?}: {error}"))
}

fn example(relative: &str) -> String {
    examples_dir().join(relative).to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn export_json_is_the_roadmap_contract() {
    let output = run(&[
        "export",
        "--today",
        "2025-11-20",
        &example("backstage-mvp.md"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let roadmap: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("export is not JSON: {error}\n{}", stdout(&output)));
    assert_eq!(roadmap["today"], "2025-11-20");
    let ids: Vec<&str> = roadmap["milestones"]
        .as_array()
        .map(|list| list.iter().filter_map(|m| m["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [
            "backstage-mvp/bootstrap-script-ga",
            "backstage-mvp/template-publishing",
            "backstage-mvp/self-service-qa-gating",
            "backstage-mvp/evidence-automation",
        ]
    );
    assert_eq!(roadmap["documents"][0]["path"], "backstage-mvp.md");
    assert_eq!(roadmap["milestones"][1]["status"], "due_soon");
}

#[test]
fn export_reads_folders_recursively_and_today_changes_statuses() {
    let output = run(&[
        "export",
        "--today",
        "2025-12-10",
        &example("backstage-mvp.md"),
    ]);
    let roadmap: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(roadmap["milestones"][1]["status"], "overdue");

    let output = run(&["export", "--today", "2026-01-20", &example("northwind")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let roadmap: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let paths: Vec<&str> = roadmap["documents"]
        .as_array()
        .map(|list| list.iter().filter_map(|d| d["path"].as_str()).collect())
        .unwrap_or_default();
    assert!(paths.contains(&"docs/payments/q1-plan.md"), "{paths:?}");
    assert_eq!(roadmap["milestones"].as_array().map(Vec::len), Some(25));
}

#[test]
fn export_exits_0_with_diagnostics_in_the_document() {
    let output = run(&["export", "--today", "2026-01-20", &example("malformed")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let roadmap: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let errors = roadmap["diagnostics"]
        .as_array()
        .map(|list| list.iter().filter(|d| d["severity"] == "error").count())
        .unwrap_or_default();
    assert!(
        errors > 0,
        "expected error diagnostics in {}",
        stdout(&output)
    );
}

#[test]
fn export_markdown_is_a_status_report() {
    let output = run(&[
        "export",
        "--format",
        "markdown",
        "--today",
        "2025-11-20",
        &example("backstage-mvp.md"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.starts_with("# Roadmap status report"), "{report}");
    assert!(report.contains("**2025-11-20**"));
    assert!(report.contains("| Due soon | 1 |"), "{report}");
    assert!(
        report.contains("| Due soon | `backstage-mvp/template-publishing` | Template publishing |")
    );
    assert!(report.contains("in 2 days"), "{report}");
    assert!(report.contains("## Diagnostics"));

    let by_team = run(&[
        "export",
        "--format",
        "markdown",
        "--group-by",
        "team",
        "--today",
        "2025-11-20",
        &example("backstage-mvp.md"),
    ]);
    assert!(
        stdout(&by_team).contains("## Compliance"),
        "{}",
        stdout(&by_team)
    );

    // An owner written as a team's group ref (the platform roadmap's
    // `owner: group:default/platform`) is shown as the team.
    let platform = run(&[
        "export",
        "--format",
        "markdown",
        "--today",
        "2026-01-20",
        &example("northwind"),
    ]);
    let report = stdout(&platform);
    let row = report
        .lines()
        .find(|line| line.contains("`cost-dashboards`"))
        .unwrap_or_else(|| panic!("no cost-dashboards row in {report}"));
    assert!(row.contains("| Platform |"), "{row}");
    assert!(!report.contains("group:default/platform"), "{report}");
}

#[test]
fn check_prints_diagnostics_and_exits_1_on_errors() {
    let output = run(&["check", "--today", "2026-01-20", &example("malformed")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|line| line.contains(": error: "))
        .unwrap_or_else(|| panic!("no error line in {text}"));
    // path:line: severity: message, with the path as given on the command line.
    let (location, _) = line
        .split_once(": error: ")
        .unwrap_or_else(|| panic!("bad line {line}"));
    let (path, number) = location
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("no line number in {line}"));
    assert!(path.starts_with(&example("malformed")), "{line}");
    assert!(number.parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
}

#[test]
fn an_oversized_file_is_reported_and_the_rest_still_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = "# Plan\n\n- [ ] **Ship it** (target 2026-03-01)\n";
    std::fs::write(dir.path().join("plan.md"), plan).expect("write plan");
    // A stray dump one byte over the limit, in a roadmap-looking file.
    let mut dump = b"# Dump\n\n- [ ] **Never read** (target 2026-03-01)\n".to_vec();
    dump.resize(milepost_shared::read::MAX_SOURCE_BYTES + 1, b'x');
    std::fs::write(dir.path().join("dump.md"), dump).expect("write dump");
    let root = dir.path().to_string_lossy().into_owned();

    let output = run(&["check", &root]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines().any(
            |line| line.contains("dump.md:1: error: file is larger than")
                && line.contains("split it")
        ),
        "{text}"
    );

    let output = run(&["export", "--today", "2026-01-20", &root]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let roadmap: milepost_shared::Roadmap =
        serde_json::from_str(&stdout(&output)).expect("export JSON");
    let titles: Vec<&str> = roadmap
        .milestones
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(titles, ["Ship it"]);
}

#[test]
fn export_into_a_pipe_closed_early_ends_quietly() {
    // `milepost export DIR | head -c 64`: the reader leaves long before the
    // end of a document far larger than a pipe's buffer.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut plan = String::from("# Plan\n\n");
    for step in 0..3000 {
        plan.push_str(&format!("- [ ] **Step {step}** (target 2026-03-01)\n"));
    }
    std::fs::write(dir.path().join("plan.md"), plan).expect("write plan");
    let root = dir.path().to_string_lossy().into_owned();

    let mut child = milepost()
        .args(["export", "--today", "2026-01-20", &root])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start milepost export");
    let mut pipe = child.stdout.take().expect("stdout pipe");
    let mut first = [0u8; 64];
    pipe.read_exact(&mut first)
        .expect("the first bytes of the export");
    drop(pipe);
    let output = child.wait_with_output().expect("milepost export ends");

    assert!(
        first.starts_with(b"{"),
        "{}",
        String::from_utf8_lossy(&first)
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "a closed pipe is not an error");
}

#[test]
fn check_exits_0_when_there_is_no_error() {
    let output = run(&[
        "check",
        "--today",
        "2025-11-20",
        &example("backstage-mvp.md"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(!stdout(&output).contains(": error: "));
}

#[test]
fn check_github_format_prints_annotations() {
    let output = run(&["check", "--format", "github", &example("malformed")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|line| line.starts_with("::error file=") && line.contains(",line=")),
        "{text}"
    );
    assert!(text.lines().all(|line| line.starts_with("::")), "{text}");
}

#[test]
fn command_mistakes_exit_2_and_say_what_is_wrong() {
    let missing = run(&["export", "no/such/roadmap.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no/such/roadmap.md"),
        "{}",
        stderr(&missing)
    );
    assert!(missing.stdout.is_empty());

    let bad_date = run(&[
        "export",
        "--today",
        "2025-13-01",
        &example("backstage-mvp.md"),
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(
        stderr(&bad_date).contains("2025-13-01"),
        "{}",
        stderr(&bad_date)
    );

    let check_missing = run(&["check", "nowhere"]);
    assert_eq!(check_missing.status.code(), Some(2));

    let no_path = run(&["export"]);
    assert_eq!(no_path.status.code(), Some(2));
}

#[test]
fn serve_refuses_a_bad_config_or_a_missing_source_with_exit_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
    let config = dir.path().join("milepost.toml");
    std::fs::write(&config, "listen = '127.0.0.1:0'\nsourcez = ['docs']\n")
        .unwrap_or_else(|error| panic!("write: {error}"));
    let output = run(&["serve", "--config", &config.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("sourcez"), "{}", stderr(&output));

    let output = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--source",
        "no/such/dir",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no/such/dir"),
        "{}",
        stderr(&output)
    );

    let output = run(&[
        "serve",
        "--listen",
        "not-an-address",
        "--source",
        &example("northwind"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("listen"), "{}", stderr(&output));
}

#[test]
fn the_example_config_file_is_valid_and_points_at_the_examples() {
    use milepost_server::config::{FileConfig, Overrides, ServeConfig};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../milepost.example.toml");
    let file = FileConfig::load(&path).unwrap_or_else(|error| panic!("{error}"));
    let config = ServeConfig::resolve(Overrides::default(), file, path.parent())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.sources.len(), 2);
    assert!(
        config.sources.iter().all(|source| source.path.exists()),
        "{:?}",
        config.sources
    );
    assert!(
        config
            .sources
            .iter()
            .all(|source| source.source_url.is_some())
    );
    assert!(config.frame_ancestors.contains(&"'self'".to_string()));
}

#[test]
fn serve_settings_come_from_flags_then_environment_then_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
    let config = dir.path().join("milepost.toml");
    std::fs::write(&config, "listen = '127.0.0.1:0'\nsources = ['from-file']\n")
        .unwrap_or_else(|error| panic!("write: {error}"));
    let config = config.to_string_lossy().into_owned();
    // Each run names a source that does not exist: the error says which won.
    let serve = |env: Option<&str>, flag: Option<&str>| {
        let mut command = milepost();
        command.args(["serve", "--config", &config]);
        if let Some(flag) = flag {
            command.args(["--source", flag]);
        }
        if let Some(env) = env {
            command.env("MILEPOST_SOURCES", env);
        }
        let output = command
            .output()
            .unwrap_or_else(|error| panic!("cannot run milepost: {error}"));
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        stderr(&output)
    };
    assert!(serve(None, None).contains("from-file"));
    assert!(serve(Some("from-env"), None).contains("from-env"));
    assert!(serve(Some("from-env"), Some("from-flag")).contains("from-flag"));
}

/// `milepost serve` with no source serves the bundled examples, answers
/// HTTP, and stops cleanly on SIGTERM.
#[cfg(unix)]
#[test]
fn serve_runs_the_examples_and_stops_on_sigterm() {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let mut child = milepost()
        .args(["serve", "--listen", "127.0.0.1:0", "--today", "2026-01-20"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start milepost serve: {error}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|error| panic!("read: {error}"));
    let address = line
        .trim()
        .strip_prefix("Milepost is serving http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();

    let mut stream = std::net::TcpStream::connect(&address)
        .unwrap_or_else(|error| panic!("connect {address}: {error}"));
    write!(
        stream,
        "GET /api/documents HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|error| panic!("send: {error}"));
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .unwrap_or_else(|error| panic!("read: {error}"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"backstage-mvp.md\""), "{answer}");
    assert!(answer.contains("\"docs/payments/q1-plan.md\""), "{answer}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap_or_else(|error| panic!("kill: {error}"));
    assert!(killed.success());
    let status = child.wait().unwrap_or_else(|error| panic!("wait: {error}"));
    assert_eq!(
        status.code(),
        Some(0),
        "serve did not exit cleanly on SIGTERM"
    );
}
