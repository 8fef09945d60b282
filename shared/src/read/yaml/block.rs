//! The block YAML most roadmap files are written in (`key: value` lines,
//! nested mappings, `- ` items, one-line `[a, b]` lists of plain words),
//! read without the full parser. Anything outside that subset (quotes,
//! comments, anchors, tags, block scalars, flow mappings, several
//! documents, continuation lines, duplicate keys, …) returns `None` and
//! the caller uses saphyr, so every text reads the same either way; the
//! tests below compare the two.

use super::{Node, Value, plain_scalar};

/// One content line: its 1-based number, indentation and text after it.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: u32,
    indent: usize,
    text: &'a str,
}

/// The single document of `text`, or `None` when it needs the full parser.
pub(super) fn parse(text: &str) -> Option<Node> {
    // Characters that may start something beyond the subset anywhere
    // (comments, quotes, block scalars, flow mappings, directives, …);
    // anchors, aliases and tags only count at the start of a value, which
    // `is_plain` refuses.
    if text.bytes().any(|byte| {
        matches!(
            byte,
            b'#' | b'"'
                | b'\''
                | b'|'
                | b'>'
                | b'{'
                | b'}'
                | b'%'
                | b'@'
                | b'`'
                | b'\t'
                | b'\r'
                | b'?'
        )
    }) {
        return None;
    }
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.trim_end().is_empty() {
            continue;
        }
        if content.starts_with("---") || content.starts_with("...") {
            return None;
        }
        lines.push(Line {
            number: u32::try_from(index + 1).ok()?,
            indent: line.len() - content.len(),
            text: content.trim_end(),
        });
    }
    let first = *lines.first()?;
    let mut reader = Reader {
        lines: &lines,
        next: 0,
    };
    let root = reader.block(first.indent, 0)?;
    (reader.next == lines.len()).then_some(root)
}

struct Reader<'l, 'a> {
    lines: &'l [Line<'a>],
    next: usize,
}

impl<'a> Reader<'_, 'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.next).copied()
    }

    /// The mapping or sequence whose entries start at column `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > super::MAX_DEPTH {
            return None;
        }
        let line = self.peek()?;
        if line.indent != indent {
            return None;
        }
        if is_item(line.text) {
            self.sequence(indent, depth)
        } else {
            self.mapping(indent, None, depth)
        }
    }

    /// `- ` items at column `indent`.
    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let start = self.peek()?.number;
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_item(line.text) {
                break;
            }
            let rest = line.text.strip_prefix("- ")?.trim_start_matches(' ');
            if rest.is_empty() || is_item(rest) || rest == "-" {
                return None;
            }
            let column = indent + (line.text.len() - rest.len());
            if split_entry(rest).is_some() {
                // `- key: value` opens a mapping whose keys line up with `key`.
                let first = Line {
                    number: line.number,
                    indent: column,
                    text: rest,
                };
                self.next += 1;
                items.push(self.mapping(column, Some(first), depth + 1)?);
            } else {
                self.next += 1;
                items.push(scalar_or_flow(rest, line.number)?);
            }
        }
        Some(Node {
            line: start,
            value: Value::List(items),
        })
    }

    /// `key: value` entries at column `indent`; `first` is an entry already
    /// taken off a `- ` line.
    fn mapping(&mut self, indent: usize, first: Option<Line<'a>>, depth: usize) -> Option<Node> {
        let start = first.or_else(|| self.peek())?.number;
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut pending = first;
        loop {
            let line = match pending.take() {
                Some(line) => line,
                None => match self.peek() {
                    Some(line) if line.indent == indent && !is_item(line.text) => {
                        self.next += 1;
                        line
                    }
                    Some(line) if line.indent > indent => return None,
                    _ => break,
                },
            };
            let (key, value) = split_entry(line.text)?;
            let value = if value.is_empty() {
                self.nested(indent, depth)?
            } else {
                scalar_or_flow(value, line.number)?
            };
            // A null key drops the entry, as in `convert`.
            let Value::Text(key) = plain_scalar(key) else {
                continue;
            };
            if entries.iter().any(|(seen, _)| *seen == key) {
                return None;
            }
            entries.push((key, value));
        }
        Some(Node {
            line: start,
            value: Value::Map(entries),
        })
    }

    /// The value of a `key:` with nothing after it: the block below it (a
    /// `- ` list may sit at the key's own column). An empty value is left to
    /// saphyr, which places it where the next token starts.
    fn nested(&mut self, indent: usize, depth: usize) -> Option<Node> {
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent, depth + 1),
            Some(next) if next.indent == indent && is_item(next.text) => {
                self.sequence(indent, depth + 1)
            }
            _ => None,
        }
    }
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: value` or `key:` with a plain key.
fn split_entry(text: &str) -> Option<(&str, &str)> {
    let (key, value) = match text.split_once(": ") {
        Some((key, value)) => (key, value.trim_start_matches(' ')),
        None => (text.strip_suffix(':')?, ""),
    };
    if key.is_empty() || key.ends_with(' ') || !is_plain(key) || key.contains(':') {
        return None;
    }
    Some((key, value))
}

/// A plain scalar or a one-line flow list of plain scalars.
fn scalar_or_flow(text: &str, line: u32) -> Option<Node> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.contains(['[', ']', ':']) {
            return None;
        }
        let mut items = Vec::new();
        if !inner.trim_matches(' ').is_empty() {
            for item in inner.split(',') {
                let item = item.trim_matches(' ');
                if item.is_empty() || !is_plain(item) {
                    return None;
                }
                items.push(Node {
                    line,
                    value: plain_scalar(item),
                });
            }
        }
        return Some(Node {
            line,
            value: Value::List(items),
        });
    }
    if !is_plain(text) || text.contains(": ") || text.ends_with(':') {
        return None;
    }
    Some(Node {
        line,
        value: plain_scalar(text),
    })
}

/// A plain scalar that cannot be read any other way: it does not start
/// with an indicator (`-` `:` `,` `[` `]` `&` `*` `!` …) and holds no flow
/// indicator.
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(['-', ':', ',', '[', ']', '&', '*', '!'])
        && !text.contains(['[', ']', ','])
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr::{LoadableYamlNode, MarkedYaml};

    /// What the full parser gives, through the same conversion.
    fn saphyr(text: &str) -> Vec<Node> {
        MarkedYaml::load_from_str(text)
            .map(|documents| {
                documents
                    .iter()
                    .map(|doc| super::super::convert(doc, 0))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn same_as_saphyr(text: &str) {
        let fast = parse(text).unwrap_or_else(|| panic!("the subset reader declined:\n{text}"));
        assert_eq!(vec![fast], saphyr(text), "{text}");
    }

    /// The shapes of native roadmaps read the same as through saphyr, line
    /// numbers included.
    #[test]
    fn subset_reads_like_saphyr() {
        same_as_saphyr(
            "title: YAML roadmap 9\nowner: group:default/team-9\nentity: component:default/service-9\nmilestones:\n  - id: Y9-M1\n    title: Index queue\n    owners: [Compliance]\n    target: 2026-03-20\n    status: done\n  - id: Y9-M2\n    title: Runner audit\n    owners: [Docs & DevEx, SRE]\n    target: TBD\n    status: in progress\n    depends_on: [Y9-M1]\n",
        );
        same_as_saphyr(
            "milestones:\n- id: A-1\n  title: First\n  subtasks:\n    - title: One\n      done: true\n    - title: Two\n      done: false\n  depends_on:\n  - B-2\n  - C-3\nteams:\n  - name: Platform\n    responsibilities: [ledger, gateway]\n",
        );
        same_as_saphyr(
            "version: 12\nratio: 1.50\nflag: yes\nnothing: ~\nempty: []\ncode: 0x1F\nwhen: Q2 2026\nlist:\n  - 7\n  - null\n  - True\n",
        );
        same_as_saphyr("a: b\n\n\nc:\n  d: e\n  f:\n    g: h\ni: j\n");
    }

    /// Every YAML file of the bundled examples that the subset reader takes
    /// reads as through saphyr.
    #[test]
    fn bundled_examples_read_like_saphyr() {
        fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
                {
                    found.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples")),
            &mut files,
        );
        assert!(!files.is_empty(), "no YAML file under examples/");
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if let Some(fast) = parse(&text) {
                assert_eq!(vec![fast], saphyr(&text), "{}", path.display());
            }
        }
    }

    /// Anything outside the subset is left to saphyr.
    #[test]
    fn outside_the_subset_is_declined() {
        for text in [
            "",
            "just text",
            "a: b # note\n",
            "a: \"quoted\"\n",
            "a: 'quoted'\n",
            "a: &anchor b\nc: *anchor\n",
            "a: !tag b\n",
            "a: |\n  block\n",
            "a: >\n  folded\n",
            "a: {b: c}\n",
            "a: [b, [c]]\n",
            "a: [b,\n  c]\n",
            "---\na: b\n",
            "a: b\n---\nc: d\n",
            "a: b\na: c\n",
            "a:\nb: c\n",
            "a: b\n  continued\n",
            "a: b: c\n",
            "a:b\n",
            "- - a\n",
            "a: -5\n",
            "a: one, two\n",
            "a: why?\n",
            "a:\tb\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }
}
