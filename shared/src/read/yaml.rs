//! YAML sources: a small line-numbered tree over saphyr, front matter, the
//! native roadmap form (spec §3.1) and the public `roadmap.yml` schema (§3.2).

use saphyr::{MarkedYaml, Scalar, ScalarStyle, YamlData, YamlLoader};

use super::raw::{Extraction, Kind, Located, RawMilestone, RawTeam};
use super::render::description_html;
use super::{catalog, states};
use crate::model::{Marker, Progress, Severity, State};

mod block;

/// A YAML node with the 1-based line it starts on (relative to the text parsed).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub line: u32,
    pub value: Value,
}

/// The shapes the reader cares about; every scalar is kept as text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Text(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// Nesting deeper than this is cut off: no roadmap needs it, and it keeps
/// hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// A YAML parse failure: the line and saphyr's explanation.
pub(crate) struct YamlError {
    pub line: u32,
    pub message: String,
}

/// Parses every document of a YAML stream.
pub(crate) fn parse(text: &str) -> Result<Vec<Node>, YamlError> {
    if let Some(root) = block::parse(text) {
        return Ok(vec![root]);
    }
    // Scalars are loaded as written, not typed (`early_parse` off): an id
    // `2.10` or `007` must not become the number 2.1 or 7.
    let mut loader = YamlLoader::<MarkedYaml<'_>>::default();
    loader.early_parse(false);
    let loaded = saphyr_parser::Parser::new_from_str(text)
        .load(&mut loader, true)
        .and_then(|()| loader.error().cloned().map_or(Ok(()), Err));
    match loaded {
        Ok(()) => Ok(loader
            .into_documents()
            .iter()
            .map(|doc| convert(doc, 0))
            .collect()),
        Err(error) => Err(YamlError {
            line: u32::try_from(error.marker().line())
                .unwrap_or(u32::MAX)
                .max(1),
            message: error.info().to_string(),
        }),
    }
}

fn convert(node: &MarkedYaml<'_>, depth: usize) -> Node {
    let line = u32::try_from(node.span.start.line())
        .unwrap_or(u32::MAX)
        .max(1);
    let value = if depth > MAX_DEPTH {
        Value::Null
    } else {
        match &node.data {
            YamlData::Value(scalar) => scalar_text(scalar),
            YamlData::Representation(text, style, _) => written_scalar(text, *style),
            YamlData::Sequence(items) => {
                Value::List(items.iter().map(|item| convert(item, depth + 1)).collect())
            }
            YamlData::Mapping(entries) => {
                let mut map: Vec<(String, Node)> = Vec::with_capacity(entries.len());
                let mut merged: Vec<(String, Node)> = Vec::new();
                for (key, value) in entries {
                    let Some(key) = scalar_of(key) else {
                        continue;
                    };
                    if key == "<<" {
                        // A merge key (`<<: *defaults`, or a list of them):
                        // the merged mappings' keys, unless written here.
                        let value = convert(value, depth + 1);
                        let sources = match value.value {
                            Value::List(items) => items,
                            other => vec![Node {
                                line: value.line,
                                value: other,
                            }],
                        };
                        for source in sources {
                            if let Value::Map(entries) = source.value {
                                merged.extend(entries);
                            }
                        }
                        continue;
                    }
                    map.push((key, convert(value, depth + 1)));
                }
                for (key, node) in merged {
                    if !map.iter().any(|(seen, _)| *seen == key) {
                        map.push((key, node));
                    }
                }
                Value::Map(map)
            }
            YamlData::Tagged(_, inner) => convert(inner, depth + 1).value,
            _ => Value::Null,
        }
    };
    Node { line, value }
}

/// A scalar as written: a plain one that YAML reads as null (`~`, `null`,
/// nothing) is null; any other is its text as written (`2.10`, `007`,
/// `true`), quoted or not.
fn written_scalar(text: &str, style: ScalarStyle) -> Value {
    if style == ScalarStyle::Plain && plain_scalar(text) == Value::Null {
        Value::Null
    } else {
        Value::Text(text.to_string())
    }
}

/// A plain scalar's value, typed as saphyr types it (`true`, `12`, `~` are
/// not strings) and then kept as text like every scalar.
fn plain_scalar(text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    scalar_text(&Scalar::parse_from_cow(std::borrow::Cow::Borrowed(text)))
}

fn scalar_text(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(value) => Value::Text(value.to_string()),
        Scalar::Integer(value) => Value::Text(value.to_string()),
        Scalar::FloatingPoint(value) => Value::Text(value.to_string()),
        Scalar::String(text) => Value::Text(text.to_string()),
    }
}

fn scalar_of(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(scalar) => match scalar_text(scalar) {
            Value::Text(text) => Some(text),
            _ => None,
        },
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        _ => None,
    }
}

/// Front matter made only of `key: plain value` lines reads the same as
/// through the YAML parser, without its cost. `None` when any line needs the
/// full parser (quotes, lists, nesting, comments, numbers, nulls, …).
pub(crate) fn simple_mapping(text: &str) -> Option<Node> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        let value = value.trim_end();
        let key_ok = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let first = value.bytes().next()?;
        let plain_start =
            first.is_ascii_alphabetic() || (first.is_ascii_digit() && value.contains('-'));
        let special = value.contains(": ")
            || value.contains(" #")
            || value.ends_with(':')
            || value.contains('\t')
            || matches!(
                value,
                "true" | "false" | "True" | "False" | "TRUE" | "FALSE"
            )
            || matches!(value, "null" | "Null" | "NULL");
        let repeated = entries.iter().any(|(seen, _): &(String, Node)| seen == key);
        if !key_ok || !plain_start || special || repeated {
            return None;
        }
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        entries.push((
            key.to_string(),
            Node {
                line,
                value: Value::Text(value.to_string()),
            },
        ));
    }
    Some(Node {
        line: 1,
        value: Value::Map(entries),
    })
}

impl Node {
    /// The value under `key` of a mapping (keys compared case-insensitively).
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .map(|(_, node)| node),
            _ => None,
        }
    }

    /// The first present key of several synonyms.
    pub(crate) fn get_any(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().find_map(|key| self.get(key))
    }

    /// A scalar's text (trimmed, empty as `None`).
    pub(crate) fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(text) if !text.trim().is_empty() => Some(text.trim()),
            _ => None,
        }
    }

    pub(crate) fn located(&self) -> Option<Located> {
        self.text().map(|text| Located {
            text: text.to_string(),
            line: self.line,
        })
    }

    /// A list's items; a lone scalar is a list of one.
    pub(crate) fn items(&self) -> Vec<&Node> {
        match &self.value {
            Value::List(items) => items.iter().collect(),
            Value::Text(_) => vec![self],
            _ => Vec::new(),
        }
    }

    pub(crate) fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }
}

/// Reads a `.yaml`/`.yml` source, telling the forms apart by content (§3).
pub(crate) fn extract_yaml(text: &str, extraction: &mut Extraction) {
    let documents = match parse(text) {
        Ok(documents) => documents,
        Err(error) => {
            // In a stream of several documents (a catalog file), each one
            // is read on its own: one broken entity loses only itself.
            let said = extraction.diagnostics.len();
            if let Some(documents) = parse_each_document(text, extraction)
                && documents
                    .iter()
                    .any(|doc| doc.get("apiVersion").is_some() && doc.get("kind").is_some())
            {
                extraction.kind = Kind::Catalog;
                catalog::extract_catalog(&documents, extraction);
                return;
            }
            extraction.diagnostics.truncate(said);
            extraction.kind = Kind::YamlRoadmap;
            extraction.diagnose(
                error.line,
                Severity::Error,
                format!(
                    "not valid YAML ({}); nothing in this file was read",
                    error.message
                ),
            );
            return;
        }
    };
    let Some(first) = documents.iter().find(|doc| doc.is_map()) else {
        extraction.kind = Kind::Ignored;
        return;
    };
    if first.get("apiVersion").is_some() && first.get("kind").is_some() {
        extraction.kind = Kind::Catalog;
        catalog::extract_catalog(&documents, extraction);
        return;
    }
    let Some(milestones) = first.get("milestones") else {
        extraction.kind = Kind::Ignored;
        return;
    };
    extraction.kind = Kind::YamlRoadmap;
    let sierra = first.get("authors").is_some()
        && milestones
            .items()
            .iter()
            .any(|item| item.get("deliverables").is_some());
    read_document_fields(first, extraction, 0);
    if sierra {
        extract_sierra(first, extraction);
    } else {
        extract_native(first, extraction);
    }
}

/// The documents of a YAML stream parsed one by one, split at its `---`
/// lines, each broken one reported on its own line and left out; `None`
/// when the stream has one document only.
fn parse_each_document(text: &str, extraction: &mut Extraction) -> Option<Vec<Node>> {
    let mut starts = vec![0usize];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.trim_end() == "---" {
            starts.push(offset);
        }
        offset += line.len();
    }
    if starts.len() < 2 {
        return None;
    }
    starts.push(text.len());
    let mut documents = Vec::new();
    for window in starts.windows(2) {
        let chunk = &text[window[0]..window[1]];
        let first_line = u32::try_from(text[..window[0]].matches('\n').count()).unwrap_or(u32::MAX);
        match parse(chunk) {
            Ok(parsed) => documents.extend(parsed.into_iter().map(|mut node| {
                shift_lines(&mut node, first_line);
                node
            })),
            Err(error) => extraction.diagnose(
                error.line.saturating_add(first_line),
                Severity::Error,
                format!(
                    "not valid YAML ({}); this document of the file was not read, the others were",
                    error.message
                ),
            ),
        }
    }
    Some(documents)
}

/// Moves a parsed tree's lines `by` lines down (a document parsed apart
/// from the lines above it).
fn shift_lines(node: &mut Node, by: u32) {
    node.line = node.line.saturating_add(by);
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|item| shift_lines(item, by)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, value)| shift_lines(value, by)),
        Value::Null | Value::Text(_) => {}
    }
}

/// Document-level keys shared by front matter and YAML roadmaps (§1.5, §3.1).
/// `line_offset` maps lines of the parsed text onto the file.
pub(crate) fn read_document_fields(root: &Node, extraction: &mut Extraction, line_offset: u32) {
    let at = |node: &Node| Located {
        text: node.text().unwrap_or_default().to_string(),
        line: node.line + line_offset,
    };
    if let Some(title) = root.get("title").and_then(Node::text) {
        extraction.title = Some(title.to_string());
    }
    if let Some(summary) = root
        .get_any(&["summary", "description"])
        .and_then(Node::text)
    {
        extraction.summary = Some(summary.to_string());
    }
    if let Some(node) = root.get_any(&["last_updated", "last-updated", "updated"])
        && node.text().is_some()
    {
        extraction.last_updated = Some(at(node));
    }
    if let Some(node) = root.get("created")
        && node.text().is_some()
    {
        extraction.created = Some(at(node));
    }
    for key in ["owner", "owners"] {
        if let Some(node) = root.get(key) {
            for item in node.items() {
                if let Some(owner) = item.text() {
                    extraction.add_document_owners(owner);
                }
            }
        }
    }
    if let Some(entity) = root.get("entity").and_then(Node::text) {
        extraction.entity = Some(entity.to_string());
    } else {
        for kind in ["component", "system"] {
            if let Some(name) = root.get(kind).and_then(Node::text) {
                extraction.entity = Some(if name.contains(':') {
                    name.to_string()
                } else {
                    format!("{kind}:default/{name}")
                });
                break;
            }
        }
    }
}

/// A milestone entry's `title` (or `name`). Without one, or with one that
/// is not text, a warning says which, and the entry is skipped.
fn entry_title<'n>(item: &'n Node, extraction: &mut Extraction) -> Option<&'n str> {
    let field = item.get_any(&["title", "name"]);
    if let Some(title) = field.and_then(Node::text) {
        return Some(title);
    }
    let message = if field.is_some_and(|node| matches!(node.value, Value::List(_) | Value::Map(_)))
    {
        "milestone title is not text (a list or a mapping); write it as one line of text; skipped"
    } else {
        "milestone has no title; skipped"
    };
    extraction.diagnose(item.line, Severity::Warning, message.to_string());
    None
}

fn extract_native(root: &Node, extraction: &mut Extraction) {
    let Some(list) = root.get("milestones") else {
        return;
    };
    for item in list.items() {
        if !item.is_map() {
            extraction.diagnose(
                item.line,
                Severity::Warning,
                "milestone entry is not a mapping (expected `title:` and other keys); skipped"
                    .to_string(),
            );
            continue;
        }
        let Some(title) = entry_title(item, extraction) else {
            continue;
        };
        let description = item
            .get_any(&["description", "summary"])
            .and_then(Node::text)
            .unwrap_or_default()
            .to_string();
        let mut milestone = RawMilestone {
            line: item.line,
            id: item.get("id").and_then(Node::text).map(str::to_string),
            title: title.to_string(),
            description_html: description_html(&description),
            description,
            start: item
                .get_any(&["start", "start_date"])
                .and_then(Node::located),
            target: item
                .get_any(&["target", "due", "date", "deadline", "end"])
                .and_then(Node::located),
            state_text: item.get_any(&["status", "state"]).and_then(Node::located),
            // `done: true` on a milestone, as on a subtask (a status wins).
            marked_state: done_flag(item),
            ..RawMilestone::default()
        };
        for key in ["owners", "owner"] {
            if let Some(node) = item.get(key) {
                let list = matches!(node.value, Value::List(_));
                for owner in node.items() {
                    if let Some(text) = owner.text() {
                        milestone.owner_texts.push(text.to_string());
                        if list {
                            extraction.named_teams.push(text.to_string());
                        }
                    }
                }
            }
        }
        for key in [
            "depends_on",
            "dependencies",
            "depends",
            "after",
            "blocked_by",
            "requires",
        ] {
            let Some(node) = item.get(key) else {
                continue;
            };
            if let (false, Some(text)) = (matches!(node.value, Value::List(_)), node.text()) {
                // A string is split as a dependencies cell is (`"gitops, secrets"`).
                super::markdown::push_dependencies(&mut milestone.dependencies, text, node.line);
                continue;
            }
            for dependency in node.items() {
                if let Some(located) = dependency.located() {
                    milestone.dependencies.push(located);
                }
            }
        }
        if let Some(subtasks) = item.get("subtasks") {
            let mut progress = Progress { done: 0, total: 0 };
            for subtask in subtasks.items() {
                let state = subtask_state(subtask);
                if state == Some(State::Cancelled) {
                    continue;
                }
                progress.total += 1;
                if state == Some(State::Done) {
                    progress.done += 1;
                }
            }
            if progress.total > 0 {
                milestone.progress = Some(progress);
            }
        }
        extraction.milestones.push(milestone);
    }
    if let Some(teams) = root.get("teams") {
        for team in teams.items() {
            let name = team
                .get("name")
                .and_then(Node::text)
                .or_else(|| team.text());
            let Some(name) = name else { continue };
            let responsibilities = team
                .get("responsibilities")
                .map(|node| {
                    node.items()
                        .iter()
                        .filter_map(|item| item.text().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            extraction.teams.push(RawTeam {
                name: name.to_string(),
                group_ref: team.get("ref").and_then(Node::text).map(str::to_string),
                responsibilities,
                from_section: false,
            });
        }
    }
}

/// The state a `done:` flag gives (`true`/`yes` in any case: done).
fn done_flag(node: &Node) -> Option<State> {
    let done = node.get("done").and_then(Node::text)?;
    Some(
        if done.eq_ignore_ascii_case("true") || done.eq_ignore_ascii_case("yes") {
            State::Done
        } else {
            State::Planned
        },
    )
}

fn subtask_state(subtask: &Node) -> Option<State> {
    if let Some(state) = done_flag(subtask) {
        return Some(state);
    }
    if let Some(state) = subtask.get_any(&["status", "state"]).and_then(Node::text) {
        return states::read_state(state);
    }
    Some(State::Planned)
}

fn extract_sierra(root: &Node, extraction: &mut Extraction) {
    if let Some(list) = root.get("milestones") {
        for item in list.items() {
            let Some(title) = entry_title(item, extraction) else {
                continue;
            };
            let description = item
                .get("description")
                .and_then(Node::text)
                .unwrap_or_default()
                .to_string();
            let mut done = 0;
            let mut total = 0;
            let mut doing = false;
            let mut finished = true;
            let mut any = false;
            if let Some(deliverables) = item.get("deliverables") {
                for deliverable in deliverables.items() {
                    any = true;
                    let state = deliverable
                        .get("state")
                        .and_then(Node::text)
                        .unwrap_or("TODO")
                        .to_ascii_uppercase();
                    match state.as_str() {
                        "DONE" => {
                            done += 1;
                            total += 1;
                        }
                        "SKIP" => {}
                        "DOING" => {
                            doing = true;
                            finished = false;
                            total += 1;
                        }
                        "TODO" => {
                            finished = false;
                            total += 1;
                        }
                        other => {
                            finished = false;
                            total += 1;
                            extraction.diagnose(
                                deliverable.line,
                                Severity::Warning,
                                format!(
                                    "unknown deliverable state '{other}' (expected TODO, DOING, DONE or SKIP); counted as TODO"
                                ),
                            );
                        }
                    }
                }
            }
            let state = if any && finished {
                State::Done
            } else if doing {
                State::InProgress
            } else {
                State::Planned
            };
            extraction.milestones.push(RawMilestone {
                line: item.line,
                title: title.to_string(),
                description_html: description_html(&description),
                description,
                marked_state: Some(state),
                progress: (total > 0).then_some(Progress { done, total }),
                ..RawMilestone::default()
            });
        }
    }
    if let Some(timeline) = root.get("timeline") {
        for entry in timeline.items() {
            let title = entry.get("title").and_then(Node::text).unwrap_or_default();
            let Some(date_text) = entry.get("date").and_then(Node::text) else {
                continue;
            };
            match chrono::NaiveDate::parse_from_str(
                date_text.get(..10).unwrap_or(date_text),
                "%Y-%m-%d",
            ) {
                Ok(date) => extraction.markers.push(Marker {
                    title: title.to_string(),
                    date,
                    description: entry
                        .get("description")
                        .and_then(Node::text)
                        .map(str::to_string),
                    document: extraction.path.clone(),
                    line: entry.line,
                }),
                Err(_) => extraction.diagnose(
                    entry.line,
                    Severity::Warning,
                    format!("timeline date '{date_text}' is not a YYYY-MM-DD date; entry skipped"),
                ),
            }
        }
    }
}
