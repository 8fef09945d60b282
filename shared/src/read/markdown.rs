//! Markdown extraction (spec §1): one pass over pulldown-cmark's offset
//! iterator; tables and list items are then read from their source text.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::fields::{Field, InlineFields, Parens, header_field, inline_fields, names_owners};
use super::lines::LineIndex;
use super::owners::has_separator;
use super::raw::{Extraction, Located, RawMilestone, RawTeam};
use super::render::{description_html, markdown_options};
use super::states::{leading_emoji_state, leading_state_word, title_emoji_state};
use super::text::{
    find_str, for_each_in_list, readable_title, split_leading_id, strip_markup, strip_markup_cow,
    trim,
};
use super::yaml;
use crate::model::{Progress, Severity, State};

/// Inline dates are only checked for shape here; the year of a yearless date
/// is settled later against the document's date, so any leap year will do.
const SHAPE_ANCHOR: NaiveDate = match NaiveDate::from_ymd_opt(2024, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

struct Section {
    level: u8,
    /// Shared with the `HeadingInfo` of its heading and of its subheadings.
    title: Rc<str>,
    criteria: bool,
    ownership: bool,
}

#[derive(Default)]
struct ItemBuffer {
    start: usize,
    end: usize,
    task: Option<bool>,
    own_end: Option<usize>,
    nested: Vec<NestedBuffer>,
}

#[derive(Default)]
struct NestedBuffer {
    start: usize,
    end: usize,
    task: Option<bool>,
    own_end: Option<usize>,
}

#[derive(Clone)]
struct HeadingInfo {
    title: Rc<str>,
    line: u32,
    parent: Option<Rc<str>>,
    /// The title opens struck through (`### ~~SEC-7 Move to HSM~~`).
    struck: bool,
}

#[derive(Default)]
struct ListBuffer {
    items: Vec<ItemBuffer>,
    after_heading: Option<HeadingInfo>,
}

struct Context<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    sections: Vec<Section>,
    extraction: &'a mut Extraction,
    /// Reused by every task item's `inline_fields`.
    parens: Parens,
}

/// Reads one markdown document into `extraction`.
pub(crate) fn extract_markdown(text: &str, extraction: &mut Extraction) {
    let mut context = Context {
        text,
        lines: LineIndex::new(text),
        sections: Vec::new(),
        extraction,
        parens: Parens::default(),
    };
    let mut in_metadata = false;
    let mut metadata = String::new();
    let mut metadata_start: Option<usize> = None;
    // Level, start, title text, and whether the title opens struck through.
    let mut heading: Option<(u8, usize, String, bool)> = None;
    let mut pending_heading: Option<HeadingInfo> = None;
    let mut table_depth = 0usize;
    let mut list_depth = 0usize;
    let mut item_depth = 0usize;
    let mut list: Option<ListBuffer> = None;

    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        if table_depth > 0 {
            match event {
                Event::Start(Tag::Table(_)) => table_depth += 1,
                Event::End(TagEnd::Table) => {
                    table_depth -= 1;
                    if table_depth == 0 {
                        context.table(range, false);
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => {
                in_metadata = true;
                metadata_start = None;
                metadata.clear();
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                in_metadata = false;
                if let Some(start) = metadata_start {
                    context.front_matter(&metadata, start);
                }
            }
            Event::Text(body) if in_metadata => {
                metadata_start.get_or_insert(range.start);
                metadata.push_str(&body);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), range.start, String::new(), false));
                pending_heading = None;
            }
            Event::Text(body) | Event::Code(body) if heading.is_some() => {
                if let Some((_, _, title, _)) = heading.as_mut() {
                    title.push_str(&body);
                }
            }
            Event::Start(Tag::Strikethrough) if heading.is_some() => {
                if let Some((_, _, title, struck)) = heading.as_mut() {
                    *struck |= title.trim().is_empty();
                }
            }
            Event::SoftBreak | Event::HardBreak if heading.is_some() => {
                if let Some((_, _, title, _)) = heading.as_mut() {
                    title.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title, struck)) = heading.take() {
                    let mut info = context.heading(level, start, title.trim());
                    info.struck = struck;
                    pending_heading = Some(info);
                }
            }
            Event::Start(Tag::Table(_)) => {
                table_depth = 1;
                pending_heading = None;
            }
            Event::Start(Tag::List(_)) => {
                if list_depth == 0 {
                    list = Some(ListBuffer {
                        items: Vec::new(),
                        after_heading: pending_heading.take(),
                    });
                } else if let Some(buffer) = list.as_mut()
                    && let Some(item) = buffer.items.last_mut()
                {
                    if item_depth == 1 {
                        item.own_end.get_or_insert(range.start);
                    } else if item_depth == 2
                        && let Some(nested) = item.nested.last_mut()
                    {
                        nested.own_end.get_or_insert(range.start);
                    }
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0
                    && let Some(buffer) = list.take()
                {
                    context.list(buffer);
                }
            }
            Event::Start(Tag::Item) => {
                item_depth += 1;
                if let Some(buffer) = list.as_mut() {
                    if item_depth == 1 {
                        buffer.items.push(ItemBuffer {
                            start: range.start,
                            end: range.end,
                            ..ItemBuffer::default()
                        });
                    } else if item_depth == 2
                        && let Some(item) = buffer.items.last_mut()
                    {
                        item.nested.push(NestedBuffer {
                            start: range.start,
                            end: range.end,
                            ..NestedBuffer::default()
                        });
                    }
                }
            }
            Event::End(TagEnd::Item) => item_depth = item_depth.saturating_sub(1),
            Event::TaskListMarker(checked) => {
                if let Some(item) = list.as_mut().and_then(|buffer| buffer.items.last_mut()) {
                    if item_depth == 1 {
                        item.task.get_or_insert(checked);
                    } else if item_depth == 2
                        && let Some(nested) = item.nested.last_mut()
                    {
                        nested.task.get_or_insert(checked);
                    }
                }
            }
            Event::Start(
                Tag::Paragraph
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_),
            )
            | Event::Rule
                if list_depth == 0 =>
            {
                pending_heading = None;
            }
            Event::End(TagEnd::Paragraph)
                if list_depth == 0 && text[range.clone()].trim_start().starts_with('|') =>
            {
                context.table(range, true);
            }
            Event::End(TagEnd::Paragraph) if list_depth == 0 => context.paragraph(range),
            _ => {}
        }
    }
    // A list still open at the end (truncated input) is read all the same.
    if let Some(buffer) = list.take() {
        context.list(buffer);
    }
}

/// For each list of phrases, whether `words` (as `header_words` gives them)
/// holds one of them at word boundaries (as `find_word` finds it). One pass
/// over the words for the one-word phrases; the longer ones are searched
/// only when the words could hold them.
fn phrase_lists<const N: usize>(words: &str, lists: [&[&str]; N]) -> [bool; N] {
    let mut found = [false; N];
    for word in words.split(' ') {
        for (list, hit) in lists.iter().zip(found.iter_mut()) {
            *hit = *hit || list.contains(&word);
        }
    }
    if words.contains(' ') {
        for (list, hit) in lists.iter().zip(found.iter_mut()) {
            *hit = *hit
                || list.iter().any(|phrase| {
                    phrase.len() <= words.len()
                        && phrase.contains(' ')
                        && super::states::find_word(words, phrase).is_some()
                });
        }
    }
    found
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

const CRITERIA_WORDS: &[&str] = &[
    "criteria",
    "definition of done",
    "definition of ready",
    "checklist",
    "check list",
    "exit conditions",
];

const OWNERSHIP_WORDS: &[&str] = &[
    "ownership",
    "owners",
    "owner",
    "teams",
    "raci",
    "responsibilities",
    "responsibility",
    "who owns",
];

impl<'a> Context<'a> {
    fn current_section(&self) -> Option<String> {
        self.sections
            .last()
            .map(|section| section.title.to_string())
    }

    fn heading(&mut self, level: u8, start: usize, title: &str) -> HeadingInfo {
        while self
            .sections
            .last()
            .is_some_and(|section| section.level >= level)
        {
            self.sections.pop();
        }
        let parent = self.sections.last().map(|section| section.title.clone());
        let mut buffer = [0u8; 64];
        let words = super::fields::header_words_in(title, &mut buffer);
        let [criteria, ownership] = phrase_lists(&words, [CRITERIA_WORDS, OWNERSHIP_WORDS]);
        let inherited_criteria = self.sections.last().is_some_and(|section| section.criteria);
        let inherited_ownership = self
            .sections
            .last()
            .is_some_and(|section| section.ownership);
        let shared: Rc<str> = Rc::from(title);
        self.sections.push(Section {
            level,
            title: Rc::clone(&shared),
            criteria: inherited_criteria || criteria,
            ownership: inherited_ownership || ownership,
        });
        if level == 1 && self.extraction.first_heading.is_none() && !title.is_empty() {
            self.extraction.first_heading = Some(strip_markup(title));
        }
        HeadingInfo {
            title: shared,
            line: self.lines.line(start),
            parent,
            struck: false,
        }
    }

    /// A paragraph outside lists and tables. Not under a heading of level 2
    /// or deeper, a line `**Owner:** Payments` (or `Owners:`, `Team:`) names the
    /// document's owners when its front matter does not, split on commas
    /// and semicolons (a markdown line has no list syntax, as YAML has).
    fn paragraph(&mut self, range: Range<usize>) {
        let paragraph = &self.text[range];
        if !self.extraction.owners.is_empty()
            || !paragraph.contains(':')
            || self.sections.iter().any(|section| section.level > 1)
        {
            return;
        }
        if let Some(owners) = paragraph.lines().find_map(owner_line) {
            self.extraction.add_document_owners(&owners);
        }
    }

    fn front_matter(&mut self, body: &str, start: usize) {
        let offset = self.lines.line(start).saturating_sub(1);
        if let Some(root) = yaml::simple_mapping(body) {
            yaml::read_document_fields(&root, self.extraction, offset);
            return;
        }
        match yaml::parse(body) {
            Ok(documents) => {
                if let Some(root) = documents.first() {
                    yaml::read_document_fields(root, self.extraction, offset);
                }
            }
            Err(error) => {
                self.extraction.diagnose(
                    offset + error.line,
                    Severity::Error,
                    format!(
                        "front matter is not valid YAML ({}); only its plain `key: value` lines were read",
                        error.message
                    ),
                );
                self.front_matter_lines(body, offset);
            }
        }
    }

    /// Recovery for broken front matter: plain `key: value` lines only.
    fn front_matter_lines(&mut self, body: &str, offset: u32) {
        for (index, line) in body.lines().enumerate() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if key.starts_with(' ') || value.is_empty() {
                continue;
            }
            let quoted = value.starts_with(['"', '\'']);
            let closed = quoted && value.len() > 1 && value.ends_with(&value[..1]);
            if value.starts_with(['[', '{']) || (quoted && !closed) {
                continue;
            }
            let value = if closed {
                &value[1..value.len() - 1]
            } else {
                value
            };
            let located = Located {
                text: value.to_string(),
                line: offset + index as u32 + 1,
            };
            match key.trim() {
                "title" => self.extraction.title = Some(value.to_string()),
                "summary" | "description" => self.extraction.summary = Some(value.to_string()),
                "last_updated" | "updated" => self.extraction.last_updated = Some(located),
                "created" => self.extraction.created = Some(located),
                "owner" => self.extraction.add_document_owners(value),
                "entity" => self.extraction.entity = Some(value.to_string()),
                _ => {}
            }
        }
    }

    fn list(&mut self, list: ListBuffer) {
        let (criteria, ownership) = self.sections.last().map_or((false, false), |section| {
            (section.criteria, section.ownership)
        });
        // Under an ownership or criteria heading a field list describes teams
        // or criteria, not a milestone. Task items beside the fields are the
        // heading's checklist (its subtasks); a list of task items alone is
        // a task list.
        if let Some(heading) = &list.after_heading
            && !ownership
            && !criteria
            && list.items.iter().any(|item| item.task.is_none())
            && self.heading_block(heading, &list)
        {
            return;
        }
        for item in &list.items {
            match item.task {
                Some(_) if criteria => {}
                Some(checked) => self.task_item(item, checked),
                None if ownership => self.ownership_bullet(item),
                None => {}
            }
        }
    }

    /// The item's own text (before any nested list), without its bullet and
    /// task box, as one line and as written. A one-line item (most of them)
    /// is borrowed from the document.
    fn own_text(&self, start: usize, end: usize) -> (Cow<'a, str>, Cow<'a, str>) {
        let text: &'a str = self.text;
        let end = end.min(text.len()).max(start);
        let raw = text.get(start..end).unwrap_or_default();
        let mut body = raw.trim_start();
        body = body
            .strip_prefix(['-', '*', '+'])
            .unwrap_or_else(|| {
                let digits =
                    body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if digits > 0 {
                    body[digits..].strip_prefix(['.', ')']).unwrap_or(body)
                } else {
                    body
                }
            })
            .trim_start();
        for box_text in ["[ ]", "[x]", "[X]"] {
            if let Some(rest) = body.strip_prefix(box_text) {
                body = rest.trim_start();
                break;
            }
        }
        // Trailing blank lines and spaces change nothing below.
        let body = body.trim_end();
        if !body.contains('\n') {
            let only = trim(body);
            return (Cow::Borrowed(only), Cow::Borrowed(only));
        }
        // One line per paragraph (a blank line ends one), so a derived title
        // stops at the end of the first paragraph.
        let mut line = String::with_capacity(body.len());
        let mut written = String::with_capacity(body.len());
        let mut blank = false;
        for part in body.lines().map(str::trim) {
            if part.is_empty() {
                blank = true;
                continue;
            }
            if !line.is_empty() {
                line.push(if blank { '\n' } else { ' ' });
                written.push('\n');
            }
            blank = false;
            line.push_str(part);
            written.push_str(part);
        }
        (Cow::Owned(line), Cow::Owned(written))
    }

    fn task_item(&mut self, item: &ItemBuffer, checked: bool) {
        let line = self.lines.line(item.start);
        let (own_line, own_written) = self.own_text(item.start, item.own_end.unwrap_or(item.end));
        if own_line.is_empty() {
            return;
        }
        let mut fields = InlineFields::default();
        inline_fields(&own_line, SHAPE_ANCHOR, &mut fields, &mut self.parens);
        let own_spans = std::mem::take(&mut fields.spans);
        let mut progress = Progress { done: 0, total: 0 };
        // The notes, as `- ` lines joined by line breaks.
        let mut bullets = String::new();
        let mut match_text = without_spans(&own_line, &own_spans, 0);
        // The item's own line without its fields ends here in `match_text`.
        let own_plain_end = match_text.len();
        for nested in &item.nested {
            let (nested_line, nested_written) =
                self.own_text(nested.start, nested.own_end.unwrap_or(nested.end));
            match nested.task {
                Some(done) => {
                    progress.total += 1;
                    progress.done += u32::from(done);
                }
                None => {
                    inline_fields(&nested_line, SHAPE_ANCHOR, &mut fields, &mut self.parens);
                    if fields.spans.is_empty() {
                        match_text.push('\n');
                        match_text.push_str(&nested_line);
                    }
                    fields.spans.clear();
                    if !bullets.is_empty() {
                        bullets.push('\n');
                    }
                    bullets.push_str("- ");
                    bullets.push_str(&nested_written);
                }
            }
        }

        let mut milestone = RawMilestone {
            line,
            section: self.current_section(),
            ..RawMilestone::default()
        };
        let lead = split_lead(&own_line);
        let written: &str = match &lead {
            Some(lead) => {
                let rest = &own_line[lead.rest..];
                strip_separator(find_str(&own_written, rest).map_or(rest, |i| &own_written[i..]))
            }
            None => &own_written,
        };
        let separator = usize::from(!written.is_empty() && !bullets.is_empty());
        let mut description = String::with_capacity(written.len() + separator + bullets.len());
        description.push_str(written);
        if separator == 1 {
            description.push('\n');
        }
        description.push_str(&bullets);
        match &lead {
            Some(lead) => {
                let plain = strip_markup(&lead.text);
                let (id, title) = split_leading_id(&plain);
                milestone.id = id;
                milestone.title = if !title.is_empty() {
                    title.to_string()
                } else if milestone.id.is_some() {
                    // A lead that is only an id (`**W1-M7** — Capacity
                    // plan`): the title is the text after it.
                    let rest = without_spans(&own_line, &own_spans, lead.rest);
                    let after = derive_title(strip_separator(&rest));
                    if after.is_empty() {
                        plain.clone()
                    } else {
                        after
                    }
                } else {
                    plain.clone()
                };
                // A lead with an id names the work, never teams: only a lead
                // without one may need the title after it.
                if milestone.id.is_none() {
                    let rest = without_spans(&own_line, &own_spans, lead.rest);
                    milestone.title_after_lead = derive_title(strip_separator(&rest));
                    milestone.lead = Some(plain);
                }
            }
            None => {
                let title = derive_title(&match_text[..own_plain_end]);
                let (id, rest) = split_leading_id(&title);
                if id.is_some() && !rest.is_empty() {
                    milestone.id = id;
                    milestone.title = rest.to_string();
                } else {
                    milestone.title = title;
                }
            }
        }
        // `🚧 Synthetic checks`: the emoji marks the state, the rest is the title.
        let emoji = title_emoji_state(&milestone.title);
        if let Some((_, len)) = emoji
            && len < milestone.title.len()
        {
            milestone.title.drain(..len);
        }
        if milestone.title.is_empty() {
            return;
        }
        let struck = lead.as_ref().is_some_and(|lead| lead.struck);
        milestone.marked_state = if struck {
            Some(State::Cancelled)
        } else if let Some(state) = fields.state {
            Some(state)
        } else if checked {
            Some(State::Done)
        } else if let Some((state, _)) = emoji {
            Some(state)
        } else {
            Some(State::Planned)
        };
        self.apply_inline(&mut milestone, fields, line);
        milestone.progress = (progress.total > 0).then_some(progress);
        milestone.match_text = match_text;
        milestone.description_html = description_html(&description);
        milestone.description = description;
        self.extraction.milestones.push(milestone);
    }

    fn apply_inline(&mut self, milestone: &mut RawMilestone, fields: InlineFields, line: u32) {
        let at = |text: String| Located { text, line };
        if milestone.owner_texts.is_empty() {
            milestone.owner_texts = fields.owners;
        } else {
            milestone.owner_texts.extend(fields.owners);
        }
        milestone.target = fields.target.map(at);
        milestone.start = fields.start.map(at);
        milestone.state_text = fields.state_text.map(at);
        for dependency in fields.dependencies {
            push_dependencies(&mut milestone.dependencies, &dependency, line);
        }
    }

    fn ownership_bullet(&mut self, item: &ItemBuffer) {
        let (own_line, _) = self.own_text(item.start, item.own_end.unwrap_or(item.end));
        let Some(lead) = split_lead_raw(&own_line) else {
            return;
        };
        let name = strip_markup(&lead.text)
            .trim_end_matches(':')
            .trim()
            .to_string();
        if name.is_empty() || name.split_whitespace().count() > 6 {
            return;
        }
        let mut rest = own_line[lead.rest..].trim();
        loop {
            let before = rest;
            for prefix in [
                "team ",
                "team:",
                "owns ",
                "own ",
                "is responsible for ",
                "are responsible for ",
            ] {
                if rest
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                {
                    rest = rest[prefix.len()..].trim_start();
                }
            }
            rest = strip_separator(rest);
            if rest == before {
                break;
            }
        }
        self.extraction.teams.push(RawTeam {
            name,
            group_ref: None,
            responsibilities: if rest.is_empty() {
                Vec::new()
            } else {
                vec![rest.to_string()]
            },
            from_section: true,
        });
    }

    /// A heading directly followed by a field list (spec §1.3). False when no
    /// item is a recognised field.
    fn heading_block(&mut self, heading: &HeadingInfo, list: &ListBuffer) -> bool {
        let mut milestone = RawMilestone {
            line: heading.line,
            section: heading.parent.as_deref().map(str::to_string),
            ..RawMilestone::default()
        };
        let mut recognised = false;
        let mut progress = Progress { done: 0, total: 0 };
        // The description values, then the other lines: each group joined
        // by line breaks as it is read, counted so an empty line still
        // takes its break.
        let (mut description, mut descriptions) = (String::new(), 0usize);
        let (mut other_lines, mut others) = (String::new(), 0usize);
        let push_line = |out: &mut String, count: &mut usize, line: &str| {
            if *count > 0 {
                out.push('\n');
            }
            out.push_str(line);
            *count += 1;
        };
        for item in &list.items {
            if let Some(done) = item.task {
                progress.total += 1;
                progress.done += u32::from(done);
                continue;
            }
            let line = self.lines.line(item.start);
            let (own_line, own_written) =
                self.own_text(item.start, item.own_end.unwrap_or(item.end));
            let Some((name, value)) = field_line(&own_line) else {
                push_line(&mut other_lines, &mut others, &own_written);
                continue;
            };
            let at = || Located {
                text: value.to_string(),
                line,
            };
            match header_field(name).map(|(field, _)| field) {
                Some(Field::Owners) => milestone.owner_texts.push(value.to_string()),
                Some(Field::Target) => milestone.target = Some(at()),
                Some(Field::Start) => milestone.start = Some(at()),
                Some(Field::State) => milestone.state_text = Some(at()),
                Some(Field::Dependencies) => {
                    push_dependencies(&mut milestone.dependencies, value, line);
                }
                Some(Field::Description) => push_line(&mut description, &mut descriptions, value),
                Some(Field::Id) => milestone.id = Some(strip_markup(value)),
                Some(Field::Title) | None => {
                    push_line(&mut other_lines, &mut others, &own_written);
                    continue;
                }
            }
            recognised = true;
        }
        if !recognised {
            return false;
        }
        let plain = strip_markup(&heading.title);
        // A state marked in the heading: `✅ SEC-5 …`, `SEC-6 … (Done)`, or
        // struck through.
        let (marked, plain) = heading_state(&plain);
        let (id, title) = split_leading_id(plain);
        if milestone.id.is_none() {
            milestone.id = id;
        }
        milestone.title = if title.is_empty() {
            plain.to_string()
        } else {
            title.to_string()
        };
        if milestone.title.is_empty() {
            return false;
        }
        milestone.marked_state = if heading.struck {
            Some(State::Cancelled)
        } else {
            marked
        };
        milestone.progress = (progress.total > 0).then_some(progress);
        if others > 0 {
            if descriptions > 0 {
                description.push('\n');
            }
            description.push_str(&other_lines);
        }
        milestone.description_html = description_html(&description);
        milestone.description = description;
        self.extraction.milestones.push(milestone);
        true
    }

    /// A GFM table (or, with `loose`, a paragraph of pipe rows whose
    /// delimiter row does not match its header).
    fn table(&mut self, range: Range<usize>, loose: bool) {
        let Some(source) = self.text.get(range.clone()) else {
            return;
        };
        let mut rows: Vec<(usize, &str)> = Vec::new();
        let mut offset = range.start;
        for line in source.split_inclusive('\n') {
            let trimmed = trim(line);
            if !trimmed.is_empty() {
                rows.push((offset, trimmed));
            }
            offset += line.len();
        }
        if rows.len() < 2 {
            return;
        }
        let header = split_cells(rows[0].1);
        let delimiter = split_cells(rows[1].1);
        let delimiter_like = rows[1]
            .1
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
            && rows[1].1.contains('-');
        let Some(columns) = Columns::from_header(&header) else {
            return;
        };
        if !delimiter_like {
            // Pipe rows under a roadmap header, but no `| --- |` row: markdown
            // has no table here, and its rows are lost unless the writer hears.
            if loose {
                self.extraction.diagnose(
                    self.lines.line(rows[0].0),
                    Severity::Warning,
                    "these pipe rows have a roadmap header but no delimiter row, so they are not a table and were not read (add a row like `| --- | --- |` under the header)"
                        .to_string(),
                );
            }
            return;
        }
        let delimiter_line = self.lines.line(rows[1].0);
        if loose || delimiter.len() != header.len() {
            self.extraction.diagnose(
                delimiter_line,
                Severity::Warning,
                format!(
                    "table delimiter row has {} cells but the header has {}; rows were read against the header",
                    delimiter.len(),
                    header.len()
                ),
            );
        }
        // Every body row's cells in one vector, each row a range of it.
        let mut all_cells: Vec<Cow<'_, str>> = Vec::new();
        let body: Vec<(u32, Range<usize>)> = rows[2..]
            .iter()
            .map(|(start, row)| {
                let first = all_cells.len();
                split_cells_into(row, &mut all_cells);
                (self.lines.line(*start), first..all_cells.len())
            })
            .collect();
        let id_is_row_number = columns.id.is_some_and(|column| {
            body.iter().all(|(_, cells)| {
                let cells = &all_cells[cells.clone()];
                cells.get(column).is_none_or(|cell| {
                    let cell = trim(cell).trim_end_matches('.');
                    cell.is_empty() || cell.bytes().all(|b| b.is_ascii_digit())
                })
            })
        });
        let section = self.current_section();
        for (line, cells) in body {
            let cells = &all_cells[cells];
            if cells.iter().all(|cell| trim(cell).is_empty()) {
                continue;
            }
            if cells.len() != header.len() {
                self.extraction.diagnose(
                    line,
                    Severity::Warning,
                    format!(
                        "table row has {} cells but the header has {}; {}",
                        cells.len(),
                        header.len(),
                        if cells.len() < header.len() {
                            "missing cells are read as empty"
                        } else {
                            "extra cells are ignored"
                        }
                    ),
                );
            }
            let cell = |column: Option<usize>| -> &str {
                column
                    .and_then(|c| cells.get(c))
                    .map_or("", |cell| trim(cell))
            };
            let title_cell = cell(Some(columns.title));
            let mut title = strip_markup(title_cell);
            let mut id = None;
            if let Some(column) = columns.id.filter(|_| !id_is_row_number) {
                let written = strip_markup(cell(Some(column)));
                if !written.is_empty() {
                    id = Some(written);
                }
            }
            if id.is_none() {
                let (leading, rest) = split_leading_id(&title);
                if let Some(leading) = leading
                    && !rest.is_empty()
                {
                    id = Some(leading);
                    title = rest.to_string();
                }
            }
            if title.is_empty() {
                self.extraction.diagnose(
                    line,
                    Severity::Warning,
                    "table row has no title; skipped".to_string(),
                );
                continue;
            }
            let description = cell(columns.description).to_string();
            let mut milestone = RawMilestone {
                line,
                section: section.clone(),
                id,
                title,
                ..RawMilestone::default()
            };
            let owners = cell(columns.owners);
            if !owners.is_empty() {
                let plain = strip_markup(owners);
                if !has_separator(&plain)
                    && !matches!(plain.as_str(), "-" | "—" | "–" | "?")
                    // A document names its few teams on many rows: each once.
                    && !self.extraction.named_teams.contains(&plain)
                {
                    self.extraction.named_teams.push(plain.clone());
                }
                milestone.owner_texts.push(plain);
            }
            let located = |text: &str| {
                (!text.is_empty()).then(|| Located {
                    text: text.to_string(),
                    line,
                })
            };
            milestone.target = located(cell(columns.target));
            milestone.target_is_horizon = columns.horizon;
            milestone.start = located(cell(columns.start));
            milestone.state_text = located(cell(columns.state));
            if title_cell.starts_with("~~") && title_cell.ends_with("~~") && title_cell.len() > 4 {
                milestone.marked_state = Some(State::Cancelled);
            } else if let Some(state) = leading_emoji_state(&description) {
                milestone.marked_state = Some(state);
            }
            push_dependencies(
                &mut milestone.dependencies,
                cell(columns.dependencies),
                line,
            );
            milestone.description_html = description_html(&description);
            milestone.description = description;
            self.extraction.milestones.push(milestone);
        }
    }
}

/// Header words of tables that list people, versions or scores.
const REFERENCE_WORDS: &[&str] = &[
    "email",
    "e mail",
    "phone",
    "channel",
    "slack",
    "contact",
    "escalation",
    "role",
    "version",
    "lifecycle",
    "likelihood",
    "impact",
    "score",
    "severity",
    "cadence",
    "frequency",
    "attendees",
    "license",
    "licence",
];

/// Which column holds which field of a roadmap table.
struct Columns {
    title: usize,
    id: Option<usize>,
    description: Option<usize>,
    owners: Option<usize>,
    target: Option<usize>,
    horizon: bool,
    start: Option<usize>,
    state: Option<usize>,
    dependencies: Option<usize>,
}

impl Columns {
    /// `None` unless the header makes a roadmap table (spec §1.1).
    fn from_header(header: &[Cow<'_, str>]) -> Option<Columns> {
        let mut title = None;
        let mut columns = Columns {
            title: 0,
            id: None,
            description: None,
            owners: None,
            target: None,
            horizon: false,
            start: None,
            state: None,
            dependencies: None,
        };
        let mut unassigned = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            let slot = match header_field(cell) {
                Some((Field::Title, _)) => &mut title,
                Some((Field::Id, _)) => &mut columns.id,
                Some((Field::Description, _)) => &mut columns.description,
                Some((Field::Owners, _)) => &mut columns.owners,
                Some((Field::Target, horizon)) => {
                    if columns.target.is_none() {
                        columns.horizon = horizon;
                    }
                    &mut columns.target
                }
                Some((Field::Start, _)) => &mut columns.start,
                Some((Field::State, _)) => &mut columns.state,
                Some((Field::Dependencies, _)) => &mut columns.dependencies,
                None => {
                    unassigned.push(index);
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some(index);
            }
        }
        let has_field = columns.target.is_some()
            || columns.owners.is_some()
            || columns.state.is_some()
            || columns.dependencies.is_some();
        // Contact lists, version matrices and risk or cadence tables name a
        // person, a version or a score; without a target or state column they
        // are not roadmaps even when they have a name and an owner column.
        let reference_table = unassigned.iter().any(|&index| {
            let [reference] = phrase_lists(
                &super::fields::header_words(&header[index]),
                [REFERENCE_WORDS],
            );
            reference
        });
        if reference_table && columns.target.is_none() && columns.state.is_none() {
            return None;
        }
        columns.title = match title {
            Some(index) if has_field => index,
            None if columns.target.is_some() => *unassigned.first()?,
            _ => return None,
        };
        Some(columns)
    }
}

/// Splits a table row on unescaped pipes. A pipe inside a code span does
/// not split, and `\|` is a literal pipe. Cells are trimmed slices of the row,
/// copied only when a `\|` had to be unescaped.
fn split_cells(row: &str) -> Vec<Cow<'_, str>> {
    let mut cells = Vec::new();
    split_cells_into(row, &mut cells);
    cells
}

/// [`split_cells`], appending the cells to `cells`.
fn split_cells_into<'r>(row: &'r str, cells: &mut Vec<Cow<'r, str>>) {
    let row = trim(row);
    let row = row.strip_prefix('|').unwrap_or(row);
    let bytes = row.as_bytes();
    // The current cell: the text copied so far (only after a `\|`) and where
    // the part not yet copied starts.
    let mut copied: Option<String> = None;
    let mut from = 0;
    // Backtick run lengths with no closing run later on the row: looking
    // again could only fail again (and would make long rows quadratic).
    let mut unclosed: Vec<usize> = Vec::new();
    let mut index = 0;
    // Only ASCII bytes are looked at, so every index a slice starts or ends
    // at is a character boundary.
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if bytes.get(index + 1) == Some(&b'|') => {
                let cell = copied.get_or_insert_with(String::new);
                cell.push_str(&row[from..index]);
                cell.push('|');
                index += 2;
                from = index;
            }
            b'`' => {
                let ticks = bytes[index..].iter().take_while(|&&b| b == b'`').count();
                let fence = &row[index..index + ticks];
                let close = if unclosed.contains(&ticks) {
                    None
                } else {
                    row[index + ticks..].find(fence)
                };
                match close {
                    Some(close) => index += ticks + close + ticks,
                    None => {
                        if !unclosed.contains(&ticks) {
                            unclosed.push(ticks);
                        }
                        index += ticks;
                    }
                }
            }
            b'|' => {
                cells.push(finish_cell(row, from, index, copied.take()));
                index += 1;
                from = index;
            }
            _ => index += 1,
        }
    }
    let last = finish_cell(row, from, bytes.len(), copied.take());
    if !last.is_empty() {
        cells.push(last);
    }
}

/// One cell of `split_cells`: `row[from..end]` after what was `copied`, trimmed.
fn finish_cell<'r>(row: &'r str, from: usize, end: usize, copied: Option<String>) -> Cow<'r, str> {
    match copied {
        None => Cow::Borrowed(trim(&row[from..end])),
        Some(mut cell) => {
            cell.push_str(&row[from..end]);
            Cow::Owned(cell.trim().to_string())
        }
    }
}

struct Lead {
    text: String,
    struck: bool,
    /// Where the text after the lead starts in the item line.
    rest: usize,
}

/// A bold lead (`**T1.1 Title** — text`, `~~**P1.4 Title**~~ — text`).
fn split_lead(line: &str) -> Option<Lead> {
    split_lead_raw(line)
}

fn split_lead_raw(line: &str) -> Option<Lead> {
    let start = line.len() - line.trim_start().len();
    let mut rest = &line[start..];
    let mut offset = start;
    let outer_struck = rest.starts_with("~~");
    if outer_struck {
        rest = &rest[2..];
        offset += 2;
    }
    let marker = if rest.starts_with("**") {
        "**"
    } else if rest.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let close = find_str(&rest[2..], marker)? + 2;
    let mut text = rest[2..close].trim().to_string();
    let mut after = offset + close + 2;
    if outer_struck && line[after..].starts_with("~~") {
        after += 2;
    }
    let inner_struck = text.starts_with("~~") && text.ends_with("~~") && text.len() > 4;
    if inner_struck {
        text = text[2..text.len() - 2].to_string();
    }
    if text.ends_with(':') {
        text.pop();
    }
    if text.is_empty() {
        return None;
    }
    Some(Lead {
        text,
        struck: outer_struck || inner_struck,
        rest: after,
    })
}

/// Drops a leading dash or colon separator.
fn strip_separator(text: &str) -> &str {
    let text = text.trim_start();
    let stripped = text.trim_start_matches(['—', '–', ':']).trim_start();
    let stripped = stripped.strip_prefix("- ").unwrap_or(stripped);
    stripped.trim()
}

/// `text[from..]` without the byte ranges fields used.
fn without_spans(text: &str, spans: &[Range<usize>], from: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut position = from;
    let skip = |span: &Range<usize>| {
        let start = span.start.max(position);
        if start > position {
            out.push_str(text.get(position..start).unwrap_or_default());
        }
        position = position.max(span.end);
    };
    let wanted = |span: &&Range<usize>| span.end > from;
    // Fields are found left to right, so the spans are almost always in order already.
    if spans.is_sorted_by_key(|span| span.start) {
        spans.iter().filter(wanted).for_each(skip);
    } else {
        let mut sorted: Vec<&Range<usize>> = spans.iter().filter(wanted).collect();
        sorted.sort_by_key(|span| span.start);
        sorted.into_iter().for_each(skip);
    }
    out.push_str(text.get(position.min(text.len())..).unwrap_or_default());
    out
}

/// The state a heading block's title marks, and the title without the mark:
/// a leading state emoji (`✅ SEC-5 Disable legacy TLS`, 🚧, ❌) or a state word alone in
/// parentheses at the end (`SEC-6 Rotate DB credentials (Done)`).
fn heading_state(title: &str) -> (Option<State>, &str) {
    if let Some((state, len)) = title_emoji_state(title.trim_start()) {
        return (Some(state), &title.trim_start()[len..]);
    }
    if let Some(inner) = title.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let word = inner[open + 1..].trim();
        if let Some((state, len)) = leading_state_word(word)
            && len == word.len()
        {
            return (Some(state), inner[..open].trim_end());
        }
    }
    (None, title)
}

/// The owners a line such as `**Owner:** Payments` names, up to a
/// separator before another field (`Owner: Payments · Last updated: …`);
/// `None` for any other line, and for prose after the colon (a sentence, or
/// more than a few words).
fn owner_line(line: &str) -> Option<String> {
    let plain = strip_markup(line.trim());
    let (key, value) = plain.split_once(':')?;
    let value = [" · ", " | ", " — ", " – "]
        .iter()
        .filter_map(|separator| value.find(separator))
        .min()
        .map_or(value, |end| &value[..end]);
    let value = value.trim().trim_end_matches('.').trim_end();
    if !names_owners(key)
        || value.is_empty()
        || value.contains(". ")
        || value.split_whitespace().count() > 6
    {
        return None;
    }
    Some(value.to_string())
}

/// The title of a task item without a bold lead: the text up to the first
/// sentence end, dash or colon, trimmed to a readable length.
fn derive_title(text: &str) -> String {
    let first_paragraph = text.split('\n').next().unwrap_or_default();
    let plain = strip_markup_cow(first_paragraph);
    // The first of `. ` `! ` `? ` ` — ` ` – ` ` - ` `: `, in one pass. A
    // dash at the very end counts too: it is what is left of `Title — due
    // 2026-03-01` once the field is taken out.
    let bytes = plain.as_bytes();
    let end = (0..bytes.len())
        .find(|&index| {
            let rest = &bytes[index + 1..];
            let dash = |dash: &[u8]| {
                rest.starts_with(dash) && rest.get(dash.len()).is_none_or(|&b| b == b' ')
            };
            match bytes[index] {
                b'.' | b'!' | b'?' | b':' => rest.first() == Some(&b' '),
                b' ' => dash("—".as_bytes()) || dash("–".as_bytes()) || dash(b"-"),
                _ => false,
            }
        })
        .unwrap_or(bytes.len());
    let title = plain[..end]
        .trim()
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .trim();
    readable_title(title)
}

/// `**Owner**: Security`, `**Due:** 2025-11-22`, `Status: done`.
fn field_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("**") {
        let close = find_str(rest, "**")?;
        let name = &rest[..close];
        let after = &rest[close + 2..];
        if let Some(name) = name.strip_suffix(':') {
            return Some((name, after.trim()));
        }
        let value = after.trim_start().strip_prefix(':')?;
        return Some((name, value.trim()));
    }
    let (name, value) = line.split_once(':')?;
    if name.len() > 30 || name.split_whitespace().count() > 3 {
        return None;
    }
    Some((name, value.trim()))
}

/// Splits a dependencies text (spec §2.4) and keeps each part with its line.
pub(crate) fn push_dependencies(out: &mut Vec<Located>, text: &str, line: u32) {
    for_each_in_list(text, false, |part| {
        let stripped = strip_markup_cow(part);
        let cleaned = stripped
            .trim()
            .trim_end_matches(['.', ',', ';', ':', '!', '?'])
            .trim();
        if cleaned.is_empty()
            || ["none", "-", "—", "–", "n/a", "na", "nothing", "tbd"]
                .iter()
                .any(|word| word.eq_ignore_ascii_case(cleaned))
        {
            return;
        }
        let text = if cleaned.len() == stripped.len() {
            stripped.into_owned()
        } else {
            cleaned.to_string()
        };
        out.push(Located { text, line });
    });
}
