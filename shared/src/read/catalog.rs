//! Backstage catalog files (spec §3.3): which entity and owner each document
//! belongs to, and the Groups that give teams their refs.

use super::raw::{CatalogEntity, CatalogGroup, Extraction};
use super::yaml::Node;

/// Reads every entity of a multi-document catalog file.
pub(crate) fn extract_catalog(documents: &[Node], extraction: &mut Extraction) {
    let folder = parent_folder(&extraction.path);
    for document in documents {
        let Some(kind) = document.get("kind").and_then(Node::text) else {
            continue;
        };
        let Some(metadata) = document.get("metadata") else {
            continue;
        };
        let Some(name) = metadata.get("name").and_then(Node::text) else {
            continue;
        };
        let namespace = metadata
            .get("namespace")
            .and_then(Node::text)
            .unwrap_or("default");
        let kind_lower = kind.to_ascii_lowercase();
        let entity_ref = format!("{kind_lower}:{namespace}/{name}");
        let spec = document.get("spec");
        if kind_lower == "group" {
            let mut names = vec![name.to_string()];
            if let Some(title) = metadata.get("title").and_then(Node::text) {
                names.push(title.to_string());
            }
            if let Some(display) = spec
                .and_then(|spec| spec.get("profile"))
                .and_then(|profile| profile.get("displayName"))
                .and_then(Node::text)
            {
                names.push(display.to_string());
            }
            extraction.groups.push(CatalogGroup {
                group_ref: entity_ref,
                names,
            });
            continue;
        }
        let mut entity = CatalogEntity {
            entity_ref,
            owner: spec
                .and_then(|spec| spec.get("owner"))
                .and_then(Node::text)
                .map(str::to_string),
            ..CatalogEntity::default()
        };
        if let Some(annotations) = metadata.get("annotations") {
            if let Some(node) = annotations.get("milepost.io/roadmap")
                && let Some(roadmap) = node.text()
            {
                entity.roadmap_line = node.line;
                for part in roadmap.split([',', '\n']) {
                    let part = part.trim();
                    if let Some(dir) = part.strip_prefix("dir:") {
                        entity.roadmap_dirs.push(join(&folder, dir.trim()));
                    } else if !part.is_empty() {
                        entity.roadmap_paths.push(join(&folder, part));
                    }
                }
            }
            if let Some(techdocs) = annotations
                .get("backstage.io/techdocs-ref")
                .and_then(Node::text)
                && let Some(dir) = techdocs.trim().strip_prefix("dir:")
            {
                entity.techdocs_dir = Some(join(&folder, dir.trim()));
            }
        }
        extraction.entities.push(entity);
    }
}

fn parent_folder(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(folder, _)| folder.to_string())
        .unwrap_or_default()
}

/// Joins a relative path onto a folder, resolving `.` and `..` (never above the root).
pub(crate) fn join(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|part| !part.is_empty()).collect()
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}
