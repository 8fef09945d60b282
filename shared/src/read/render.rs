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
/// escaped, so only the rest pays for ammonia's HTML parse.
pub(crate) fn description_html(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let options = markdown_options() - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4 + 16);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    if markdown.contains(['<', '[', '&']) {
        ammonia::clean(&out)
    } else {
        out
    }
}
