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
    if is_plain_paragraph(markdown) {
        // What pulldown-cmark renders for one line of text without markup.
        return format!("<p>{}</p>\n", markdown.trim());
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

/// One line of text with no character markdown or HTML could give meaning
/// to, starting with a letter (so no list, heading or block marker): its
/// HTML is the text itself in a paragraph.
fn is_plain_paragraph(text: &str) -> bool {
    let text = text.trim();
    text.chars().next().is_some_and(char::is_alphabetic)
        && !text.bytes().any(|byte| {
            matches!(
                byte,
                b'\n'
                    | b'\r'
                    | b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'!'
                    | b'#'
                    | b'~'
                    | b'|'
                    | b'"'
                    | b'\t'
                    | b'$'
                    | b'^'
                    | b'='
            )
        })
        && !text.contains("  ")
}

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
}
