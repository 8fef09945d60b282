//! Descriptions rendered to sanitised HTML, and the one place the
//! pulldown-cmark options are built.

use pulldown_cmark::{Options, Parser, html};

/// The extensions roadmap documents use: GFM tables, task lists,
/// strikethrough, and YAML front matter as a metadata block.
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Renders a description; no raw HTML or script survives.
///
/// Markdown without `<` (no raw HTML, no autolink) and without `[` (no link
/// or image, so no `javascript:` URL) renders to HTML pulldown-cmark has fully
/// escaped (an `&` is escaped or stays an entity reference), so only the rest
/// pays for ammonia's HTML parse.
pub(crate) fn description_html(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    if let Some(html) = plain_html(markdown) {
        return html;
    }
    let options = markdown_options() - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4 + 16);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    if markdown.contains(['<', '[']) {
        ammonia::clean(&out)
    } else {
        out
    }
}

/// The HTML of a description made of plain lines (see `is_plain_paragraph`):
/// one paragraph, then `- ` bullets (a task item's text and its notes), as
/// pulldown-cmark renders them; `None` for anything else.
fn plain_html(markdown: &str) -> Option<String> {
    let markdown = markdown.trim();
    let mut lines = markdown.split('\n');
    let first = lines.next()?;
    let mut html = String::with_capacity(markdown.len() + 32);
    let mut bullets = false;
    match first.strip_prefix("- ") {
        Some(bullet) => {
            push_bullet(&mut html, &mut bullets, bullet)?;
        }
        None => {
            if !is_plain_paragraph(first) {
                return None;
            }
            html.push_str("<p>");
            html.push_str(first.trim());
            html.push_str("</p>\n");
        }
    }
    for line in lines {
        push_bullet(&mut html, &mut bullets, line.strip_prefix("- ")?)?;
    }
    if bullets {
        html.push_str("</ul>\n");
    }
    Some(html)
}

/// One `- ` bullet of `plain_html`: its text must be a plain line too, with
/// no space left over from the marker (an indented bullet is a code block
/// or a continuation).
fn push_bullet(html: &mut String, open: &mut bool, text: &str) -> Option<()> {
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return None;
    }
    if !is_plain_paragraph(text) {
        return None;
    }
    if !*open {
        html.push_str("<ul>\n");
        *open = true;
    }
    html.push_str("<li>");
    html.push_str(text);
    html.push_str("</li>\n");
    Some(())
}

/// One line of text with no character markdown or HTML could give meaning
/// to, starting with a letter (so no list, heading or block marker): its
/// HTML is the text itself in a paragraph.
fn is_plain_paragraph(text: &str) -> bool {
    let text = text.trim();
    let bytes = text.as_bytes();
    text.chars().next().is_some_and(char::is_alphabetic)
        && !bytes.iter().any(|&byte| MARKUP_BYTES[usize::from(byte)])
        && !bytes.windows(2).any(|pair| pair == b"  ")
}

/// The bytes that may give a line meaning in markdown or HTML (or are
/// line breaks and tabs), looked up in one table per byte.
const MARKUP_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"\n\r\\`*_[]<>&!#~|\"\t$^=";
    let mut index = 0;
    while index < special.len() {
        table[special[index] as usize] = true;
        index += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut must render exactly what pulldown-cmark renders.
    #[test]
    fn plain_paragraph_shortcut_matches_pulldown() {
        for text in [
            "Detail text. Detail text.",
            "  Keep audit logs for 400 days; purge older ones automatically. ",
            "migrate rollout (owner: Platform) (target 2026-01-01).",
            "Émigré café – ✅ done, 50% (approx.)",
            "Seeds local environment configuration and SBOM tooling.",
        ] {
            assert!(is_plain_paragraph(text), "{text}");
            let mut expected = String::new();
            let options = markdown_options() - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
            html::push_html(&mut expected, Parser::new_ext(text, options));
            assert_eq!(description_html(text), expected, "{text}");
        }
        for text in [
            "- item", "1. one", "a *b*", "a\nb", "x <b>", "a  b", "# h", "[x](y)",
        ] {
            assert!(!is_plain_paragraph(text), "{text}");
        }
    }

    /// A plain line followed by plain bullets renders exactly what
    /// pulldown-cmark renders; anything else is left to it.
    #[test]
    fn plain_bullets_shortcut_matches_pulldown() {
        let pulldown = |text: &str| {
            let mut html = String::new();
            let options = markdown_options() - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
            html::push_html(&mut html, Parser::new_ext(text, options));
            html
        };
        for text in [
            "ledger audit (owner: Identity) (target Feb 2026).\n- Depends on: D1-M9",
            "migrate migrate.\n- Depends on: D1-M4\n- Needs review by Security",
            "- Depends on: D1-M9",
            "- First note\n- Second note",
            "Détail: café, 50% (approx.)\n- Émigré note",
        ] {
            assert!(plain_html(text).is_some(), "{text}");
            assert_eq!(description_html(text), pulldown(text), "{text}");
        }
        // Shapes the shortcut must leave to pulldown-cmark (and what it gives).
        for text in [
            "a\nb",
            "a\n-b",
            "a\n-  b",
            "a\n- b\nc",
            "a\n- *b*",
            "a\n- 1. b",
            "a\n- - b",
            "a\n- # b",
            "a\n- b  c",
            "a\n\n- b",
            "a\n- b\n\n- c",
        ] {
            assert!(plain_html(text).is_none(), "{text}");
            assert_eq!(description_html(text), pulldown(text), "{text}");
        }
        // Raw HTML is left to pulldown-cmark and the sanitiser.
        assert!(plain_html("a\n- <b>").is_none());
        // Spaces around the lines: whichever way is taken, the same HTML.
        for text in [
            "a  \n- b", "a \n- b", " a\n- b ", "a\n- b\t", "a\r\n- b", "  - b",
        ] {
            assert_eq!(description_html(text), pulldown(text), "{text:?}");
        }
    }
}
