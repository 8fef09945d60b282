//! The command line: `milepost export`, `milepost check` and `milepost serve`.
//! Exit codes: 0 done, 1 `check` found an error (or the server failed while
//! running), 2 the command itself was wrong (missing path, bad date, bad config).

use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use milepost_shared::read::{ReadOptions, Source, read, unreadable};
use milepost_shared::report::{Grouping, markdown_report};
use milepost_shared::{Roadmap, Severity};

use crate::config::{ConfigError, FileConfig, Overrides, ServeConfig};
use crate::sources::{Names, Root, SourceError, read_all};

/// Milepost: roadmaps and ownership from the documents teams already write.
#[derive(Debug, Parser)]
#[command(name = "milepost", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read roadmap files and print the roadmap (JSON or a markdown report).
    Export(ExportArgs),
    /// Read roadmap files and print their diagnostics; exit 1 on any error.
    Check(CheckArgs),
    /// Serve the API, the web app and live updates over HTTP.
    Serve(ServeArgs),
}

/// Options shared by `export` and `check`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Files or folders to read (folders recursively: .md, .yaml, .yml).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// The date statuses are computed for (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// A target within this many days is "due soon".
    #[arg(long, value_name = "DAYS", default_value_t = crate::config::DEFAULT_DUE_SOON_DAYS)]
    pub due_soon_days: i64,
    /// A team name known beforehand (repeatable).
    #[arg(long = "team", value_name = "NAME")]
    pub teams: Vec<String>,
}

/// `milepost export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// Markdown report: one table per document or per team.
    #[arg(long, value_enum, default_value_t = GroupBy::Document)]
    pub group_by: GroupBy,
    /// What to read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// `milepost check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: `text` (path:line: severity: message) or `github`
    /// (GitHub Actions annotations).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// What to read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// `milepost serve`: every flag can also come from a `MILEPOST_*` variable
/// or the config file (flag > environment > file > default).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A source file or folder (repeatable); `PATH=URL` also sets the base
    /// URL of "view source" links for that root.
    #[arg(
        long = "source",
        value_name = "PATH[=URL]",
        env = "MILEPOST_SOURCES",
        value_delimiter = ','
    )]
    pub sources: Vec<String>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR", env = "MILEPOST_LISTEN")]
    pub listen: Option<String>,
    /// Fixed date for statuses (demos, tests) [default: the real date].
    #[arg(long, value_name = "YYYY-MM-DD", env = "MILEPOST_TODAY", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// A target within this many days is "due soon" [default: 14].
    #[arg(long, value_name = "DAYS", env = "MILEPOST_DUE_SOON_DAYS")]
    pub due_soon_days: Option<i64>,
    /// A CSP frame-ancestors source allowed to frame the app (repeatable)
    /// [default: 'self'].
    #[arg(
        long = "frame-ancestor",
        value_name = "SOURCE",
        env = "MILEPOST_FRAME_ANCESTORS",
        value_delimiter = ','
    )]
    pub frame_ancestors: Vec<String>,
    /// An origin allowed to call the API from a browser (repeatable).
    #[arg(
        long = "cors-origin",
        value_name = "ORIGIN",
        env = "MILEPOST_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// A team name known beforehand (repeatable).
    #[arg(
        long = "team",
        value_name = "NAME",
        env = "MILEPOST_TEAMS",
        value_delimiter = ','
    )]
    pub teams: Vec<String>,
    /// Most open /api/events streams at once [default: 256].
    #[arg(long, value_name = "N", env = "MILEPOST_MAX_SSE_CLIENTS")]
    pub max_sse_clients: Option<usize>,
    /// Request timeout in seconds [default: 30].
    #[arg(long, value_name = "SECONDS", env = "MILEPOST_REQUEST_TIMEOUT_SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Config file [default: ./milepost.toml when present].
    #[arg(long, value_name = "FILE", env = "MILEPOST_CONFIG")]
    pub config: Option<PathBuf>,
}

/// `export --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The roadmap as JSON (docs/contract.md §5).
    Json,
    /// The markdown status report.
    Markdown,
}

/// `export --group-by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// One table per document.
    Document,
    /// One table per team.
    Team,
}

/// `check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line: severity: message`.
    Text,
    /// `::error file=…,line=…::message`.
    Github,
}

/// A problem with the command itself (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A path argument cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The configuration is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Writing the output failed (a closed pipe is not an error).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
}

/// Parses `YYYY-MM-DD` with a message a person can act on.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date like 2026-01-20"))
}

/// What `export` and `check` read: the roadmap and, for messages, where
/// each reader path came from.
struct Read {
    roadmap: Roadmap,
    roots: Vec<Root>,
    names: Names,
}

impl Read {
    fn from_args(args: &ReadArgs) -> Result<Read, CliError> {
        let roots = args
            .paths
            .iter()
            .map(|path| Root::open(path, None))
            .collect::<Result<Vec<_>, _>>()?;
        let mut names = Names::default();
        let read_files = read_all(&roots, &mut names);
        let sources: Vec<Source<'_>> = read_files
            .files
            .iter()
            .map(|(path, bytes)| Source { path, bytes })
            .collect();
        let mut options = ReadOptions::new(args.today.unwrap_or_else(crate::watch::local_today));
        options.due_soon_days = args.due_soon_days;
        options.known_teams = args.teams.clone();
        let mut roadmap = read(&sources, &options);
        // A file that is there but cannot be read is named, not lost.
        roadmap.diagnostics.extend(
            read_files
                .unreadable
                .iter()
                .map(|(path, reason)| std::sync::Arc::new(unreadable(path, reason))),
        );
        Ok(Read {
            roadmap,
            roots,
            names,
        })
    }

    /// Ends a command that is done with the roadmap. The process exits
    /// next and the system takes its memory back at once; freeing the
    /// roadmap's many small allocations one by one first would only delay
    /// the exit (tens of milliseconds for 2,000 documents).
    fn leave(self) {
        std::mem::forget(self);
    }

    /// A diagnostic's path as the user wrote it on the command line
    /// (`docs/payments/q1-plan.md`), for editors and CI annotations.
    fn display_path(&self, reader_path: &str) -> String {
        let Some((index, relative)) = self.names.origin(reader_path) else {
            return reader_path.to_string();
        };
        let Some(root) = self.roots.get(index) else {
            return reader_path.to_string();
        };
        let path = if root.is_file {
            root.path.clone()
        } else {
            root.path.join(relative)
        };
        let text = path.to_string_lossy().replace('\\', "/");
        text.strip_prefix("./").map(str::to_string).unwrap_or(text)
    }
}

/// Runs `export` and `check`; `serve` is run by [`crate::serve`]. Meant to
/// be the process's last work: the roadmap read is left to the exit, not
/// freed.
pub fn run_offline(command: &Command) -> Result<ExitCode, CliError> {
    match command {
        Command::Export(args) => export(args),
        Command::Check(args) => check(args),
        Command::Serve(_) => Ok(ExitCode::from(2)),
    }
}

fn export(args: &ExportArgs) -> Result<ExitCode, CliError> {
    let read = Read::from_args(&args.read)?;
    match args.format {
        ExportFormat::Json => {
            // Written as it is serialized: the JSON of a large tree (42 MB
            // for 2,000 documents) is never held whole in memory.
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = serde_json::to_writer_pretty(&mut out, &read.roadmap)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            output_result(written)?;
        }
        ExportFormat::Markdown => {
            let grouping = match args.group_by {
                GroupBy::Document => Grouping::Document,
                GroupBy::Team => Grouping::Team,
            };
            write_stdout(&markdown_report(&read.roadmap, grouping))?;
        }
    }
    read.leave();
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let read = Read::from_args(&args.read)?;
    let mut out = String::new();
    let mut errors = 0;
    let mut warnings = 0;
    for diagnostic in &read.roadmap.diagnostics {
        let path = read.display_path(&diagnostic.path);
        let severity = match diagnostic.severity {
            Severity::Error => {
                errors += 1;
                "error"
            }
            Severity::Warning => {
                warnings += 1;
                "warning"
            }
        };
        match args.format {
            CheckFormat::Text => {
                out.push_str(&format!(
                    "{path}:{}: {severity}: {}\n",
                    diagnostic.line, diagnostic.message
                ));
            }
            CheckFormat::Github => {
                out.push_str(&format!(
                    "::{severity} file={},line={}::{}\n",
                    escape_property(&path),
                    diagnostic.line,
                    escape_data(&diagnostic.message)
                ));
            }
        }
    }
    write_stdout(&out)?;
    eprintln!(
        "{} in {}, {} {}, {} {}",
        plural(read.roadmap.milestones.len(), "milestone"),
        plural(read.roadmap.documents.len(), "document"),
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
    );
    read.leave();
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    output_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// The outcome of writing the output: a reader that closed the pipe early
/// (`milepost export … | head`) is not an error.
fn output_result(written: std::io::Result<()>) -> Result<(), CliError> {
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Output(error))
        }
        _ => Ok(()),
    }
}

/// GitHub workflow command data escaping.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub workflow command property escaping.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The serve settings from flags/env and the config file.
pub fn serve_config(args: &ServeArgs) -> Result<ServeConfig, ConfigError> {
    let (file, file_dir) = match &args.config {
        Some(path) => (
            FileConfig::load(path)?,
            path.parent().map(Path::to_path_buf),
        ),
        None => {
            let default = PathBuf::from("milepost.toml");
            if default.is_file() {
                (FileConfig::load(&default)?, Some(PathBuf::from(".")))
            } else {
                (FileConfig::default(), None)
            }
        }
    };
    let overrides = Overrides {
        sources: args.sources.clone(),
        listen: args.listen.clone(),
        due_soon_days: args.due_soon_days,
        today: args.today,
        frame_ancestors: args.frame_ancestors.clone(),
        cors_origins: args.cors_origins.clone(),
        teams: args.teams.clone(),
        max_sse_clients: args.max_sse_clients,
        request_timeout_secs: args.request_timeout_secs,
    };
    ServeConfig::resolve(overrides, file, file_dir.as_deref())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_what_would_end_the_command() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c.md"), "a%3Ab%2Cc.md");
    }

    #[test]
    fn dates_must_be_iso_days() {
        assert!(parse_date("2026-01-20").is_ok());
        assert!(parse_date("20/01/2026").unwrap_err().contains("20/01/2026"));
    }
}
