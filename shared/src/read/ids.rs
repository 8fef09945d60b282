//! Stable ids (spec §5): declared ids as written, else
//! `<document stem>/<title slug>`; duplicates get `-2`, `-3`.

/// The document stem: the file name without its folder and without
/// `.roadmap.yaml`, `.roadmap.yml`, `.yaml`, `.yml`, `.markdown` or `.md`.
pub(crate) fn document_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    for suffix in [
        ".roadmap.yaml",
        ".roadmap.yml",
        ".yaml",
        ".yml",
        ".markdown",
        ".mdx",
        ".md",
    ] {
        if name.len() > suffix.len()
            && name.is_char_boundary(name.len() - suffix.len())
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        {
            return &name[..name.len() - suffix.len()];
        }
    }
    name
}

/// Lowercase letters and digits; every other run becomes one `-`; at most
/// 60 bytes, cut at a `-`.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for ch in title.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > 60 {
        let mut cut = 60;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(dash) = out[..cut].rfind('-') {
            cut = dash;
        }
        out.truncate(cut);
    }
    if out.is_empty() {
        out.push_str("untitled");
    }
    out
}
