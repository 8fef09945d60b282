//! The normalisation pass: every document's loose records, together, become
//! one [`Roadmap`] (dates, states, owners, ids, dependencies, teams, status).

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::hash::{FastHasher, FastMap, FastSet};

use super::ReadOptions;
use super::dates::{DateBase, DateRead, period_start, read_date};
use super::ids::{document_stem, slug};
use super::owners::{
    KnownTeams, SectionMatcher, SectionTeam, lead_teams, owners_of, split_owners_into,
};
use super::raw::{Extraction, Kind, Located, RawMilestone};
use super::resolve::{Pass, Tagged, resolve};
use super::states::read_state;
use super::text::{key, key_into, without_note};
use crate::model::{
    Dependency, Diagnostic, Document, Milestone, OwnerSource, Precision, Roadmap, Severity, State,
    Status, Team,
};
use crate::status::set_statuses;

/// Which entity and owner the catalog gives a document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CatalogClaim {
    entity: String,
    owner: Option<String>,
}

/// One document's normalised output, kept by the [`Reader`](super::Reader)
/// between reads and reused while its inputs are unchanged.
#[derive(Clone, Debug, Default)]
pub(crate) struct Normalised {
    /// Hash of the inputs besides the extraction: known teams, catalog claim, today.
    pub(crate) fingerprint: u64,
    pub(crate) document: Option<Arc<Document>>,
    pub(crate) milestones: Vec<Arc<Milestone>>,
    /// The milestones' matching keys, in the same order.
    pub(crate) keys: Vec<MilestoneKeys>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// One milestone's matching keys, computed once with its normalised output
/// so a re-read of another document does not compute them again. The texts
/// share one buffer: a milestone has several and a whole read builds them
/// for every milestone, so one allocation each instead of one per text.
#[derive(Clone, Debug, Default)]
pub(crate) struct MilestoneKeys {
    /// The lowercased id, the id key and the title key, in that order, then
    /// each dependency key after a `\n` (a key never holds one).
    text: String,
    /// Where the lowercased id, the id key and the title key end in `text`.
    ends: [usize; 3],
    /// The numbers of the title key's words (see [`Words`]), each once.
    pub(crate) title_words: TitleWords,
}

/// How many title word numbers [`TitleWords`] holds without allocating.
const INLINE_WORDS: usize = 8;

/// The numbers of a title's words, each once, in order: inline for the
/// usual short title (no allocation per milestone), on the heap past
/// [`INLINE_WORDS`].
#[derive(Clone, Debug)]
pub(crate) enum TitleWords {
    Inline {
        len: usize,
        words: [usize; INLINE_WORDS],
    },
    Heap(Vec<usize>),
}

impl Default for TitleWords {
    fn default() -> Self {
        TitleWords::Inline {
            len: 0,
            words: [0; INLINE_WORDS],
        }
    }
}

impl TitleWords {
    fn push(&mut self, number: usize) {
        let heap = match self {
            TitleWords::Inline { len, words } => {
                if let Some(slot) = words.get_mut(*len) {
                    *slot = number;
                    *len += 1;
                    return;
                }
                let mut heap = Vec::with_capacity(2 * INLINE_WORDS);
                heap.extend_from_slice(&words[..]);
                heap.push(number);
                heap
            }
            TitleWords::Heap(heap) => {
                heap.push(number);
                return;
            }
        };
        *self = TitleWords::Heap(heap);
    }

    /// The numbers, in order.
    pub(crate) fn as_slice(&self) -> &[usize] {
        match self {
            TitleWords::Inline { len, words } => &words[..*len],
            TitleWords::Heap(heap) => heap,
        }
    }
}

impl MilestoneKeys {
    /// The keys of a milestone with this id, title and dependency texts;
    /// its title words are numbered by [`MilestoneKeys::number_title_words`].
    fn new<'t>(
        id: &str,
        title: &str,
        dependencies: impl Iterator<Item = &'t str> + Clone,
    ) -> MilestoneKeys {
        let capacity = 2 * id.len()
            + title.len()
            + dependencies
                .clone()
                .map(|text| text.len() + 1)
                .sum::<usize>();
        let mut text = String::with_capacity(capacity);
        if id.is_ascii() {
            text.extend(id.bytes().map(|byte| char::from(byte.to_ascii_lowercase())));
        } else {
            text.push_str(&id.to_lowercase());
        }
        let lowered_end = text.len();
        key_into(id, &mut text);
        let id_end = text.len();
        key_into(title, &mut text);
        let title_end = text.len();
        for dependency in dependencies {
            text.push('\n');
            key_into(dependency, &mut text);
        }
        MilestoneKeys {
            text,
            ends: [lowered_end, id_end, title_end],
            title_words: TitleWords::default(),
        }
    }

    /// Numbers the title key's words in `words` (new words are added, in
    /// the order they are met).
    fn number_title_words(&mut self, words: &mut Words) {
        let mut title_words = TitleWords::default();
        for word in key_words(self.title_key()) {
            let number = match words.get(word) {
                Some(&number) => number,
                None => {
                    let number = words.len();
                    words.insert(word.to_string(), number);
                    number
                }
            };
            if !title_words.as_slice().contains(&number) {
                title_words.push(number);
            }
        }
        self.title_words = title_words;
    }

    /// The id as read, lowercased (duplicate detection).
    pub(crate) fn lowered_id(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    /// The matching key of the id as read.
    pub(crate) fn id_key(&self) -> &str {
        &self.text[self.ends[0]..self.ends[1]]
    }

    /// The matching key of the title.
    pub(crate) fn title_key(&self) -> &str {
        &self.text[self.ends[1]..self.ends[2]]
    }

    /// The matching key of each dependency text, in order.
    pub(crate) fn dependency_keys(&self) -> impl Iterator<Item = &str> {
        // `split` gives an empty first part (before the first `\n`), or
        // only that one when there is no dependency.
        self.text[self.ends[2]..].split('\n').skip(1)
    }
}

/// A key's words (what `split(' ')` gives), found with a plain byte scan:
/// on these few short words it costs less than `split`'s `memchr` set-up.
fn key_words(key: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(key);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|byte| byte == b' ') {
            Some(space) => {
                rest = text.get(space + 1..);
                text.get(..space)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Per-path normalised outputs (an entry is dropped when its source
/// changes), and the title word numbering they use.
#[derive(Debug, Default)]
pub(crate) struct NormalisedCache {
    pub(crate) outputs: FastMap<String, Arc<Normalised>>,
    pub(crate) words: Words,
}

impl NormalisedCache {
    /// Drops one document's output, returning it.
    pub(crate) fn remove(&mut self, path: &str) -> Option<Arc<Normalised>> {
        self.outputs.remove(path)
    }
}

/// A whole roadmap assembled from every document, with what a live
/// re-read needs to fold a later change in (see `live`).
pub(crate) struct Assembly {
    /// The roadmap; `diagnostics` holds only each document's own (reading
    /// and normalising), in document order: see [`Assembly::finish`].
    pub(crate) roadmap: Roadmap,
    /// Each milestone's resolved dependencies (positions, each once).
    pub(crate) edges: Vec<Vec<usize>>,
    /// The diagnostics of the whole-roadmap passes, in the order they ran.
    pub(crate) tagged: Vec<Tagged>,
    /// The team names every document was normalised with.
    pub(crate) known: KnownTeams,
    /// The catalog's claim on each document, in document order.
    pub(crate) claims: Vec<Option<CatalogClaim>>,
    /// Warnings about catalog annotations that name no document read, with
    /// the number of the catalog document (see [`unread_annotations`]).
    pub(crate) catalog: Vec<(usize, Diagnostic)>,
    /// How owners are found among the teams.
    pub(crate) team_names: TeamNames,
    /// Teams before this position were declared (catalog, ownership
    /// sections, YAML `teams`); the rest were made from an owner alone.
    pub(crate) declared_teams: usize,
}

impl Assembly {
    /// The roadmap with every diagnostic, ordered by path and line.
    pub(crate) fn finish(self) -> Roadmap {
        let mut roadmap = self.roadmap;
        roadmap.diagnostics.extend(
            self.catalog
                .into_iter()
                .map(|(_, diagnostic)| Arc::new(diagnostic)),
        );
        roadmap.diagnostics.extend(
            self.tagged
                .into_iter()
                .map(|tagged| Arc::new(tagged.diagnostic)),
        );
        roadmap
            .diagnostics
            .sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
        roadmap
    }
}

/// Each document's "view source" link (a URL to the file), by path.
pub(crate) type Links = FastMap<String, String>;

/// Title word → its number. Only grows (a word no title holds any more
/// just has no milestone), so numbers stay valid across reads and the word
/// index is built by counting, without hashing every title again.
pub(crate) type Words = FastMap<String, usize>;

/// The documents an assembly reads, in path order.
pub(crate) enum Documents<'a, 'b> {
    /// Kept by a [`Reader`](super::Reader) for later reads: their texts are copied.
    Kept(&'a [&'b Extraction]),
    /// A one-shot read's own, dropped after it: their milestones' texts move
    /// into the roadmap instead of being copied (and freed) one by one.
    Spent(&'a mut [Extraction]),
}

/// Builds the roadmap from every document's extraction (in path order),
/// reusing and refreshing `cache` when one is given.
pub(crate) fn assemble(
    documents: Documents<'_, '_>,
    options: &ReadOptions,
    links: &Links,
    cache: Option<&mut NormalisedCache>,
) -> Assembly {
    // Whether each document yields a roadmap document, decided before a
    // spent document's milestones are taken out of it.
    let (yields, mut spent, documents): (Vec<bool>, Vec<Vec<RawMilestone>>, Vec<&Extraction>) =
        match documents {
            Documents::Kept(documents) => (
                documents.iter().map(|d| yields_roadmap(d)).collect(),
                Vec::new(),
                documents.to_vec(),
            ),
            Documents::Spent(documents) => {
                let yields = documents.iter().map(yields_roadmap).collect();
                let spent = documents
                    .iter_mut()
                    .map(|d| std::mem::take(&mut d.milestones))
                    .collect();
                (yields, spent, documents.iter().collect())
            }
        };
    let documents = documents.as_slice();
    let mut local_words = Words::default();
    let (mut cache, words) = match cache {
        Some(cache) => (Some(&mut cache.outputs), &mut cache.words),
        None => (None, &mut local_words),
    };
    let mut roadmap = Roadmap::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for document in documents {
        diagnostics.extend(document.diagnostics.iter().cloned());
    }

    // The catalog: explicit annotations first, then `dir:` annotations, then techdocs folders.
    let mut by_path: FastMap<&str, CatalogClaim> = FastMap::default();
    let mut by_folder: Vec<(String, CatalogClaim)> = Vec::new();
    let mut by_techdocs: Vec<(String, CatalogClaim)> = Vec::new();
    // Each entity's owner by its ref (lowercase), for a document that names
    // its own entity.
    let mut by_ref: FastMap<String, Option<&str>> = FastMap::default();
    for document in documents.iter().filter(|d| d.kind == Kind::Catalog) {
        for entity in &document.entities {
            by_ref
                .entry(entity.entity_ref.to_lowercase())
                .or_insert(entity.owner.as_deref());
            let claim = || CatalogClaim {
                entity: entity.entity_ref.clone(),
                owner: entity.owner.clone(),
            };
            for path in &entity.roadmap_paths {
                by_path.entry(path.as_str()).or_insert_with(claim);
            }
            for folder in &entity.roadmap_dirs {
                by_folder.push((folder.clone(), claim()));
            }
            if let Some(folder) = &entity.techdocs_dir {
                by_techdocs.push((folder.clone(), claim()));
            }
        }
    }
    // A document that names its own entity (front matter, YAML) takes that
    // entity's owner from the catalog, whatever annotation or folder would
    // claim it; nothing when the catalog does not have the entity.
    let own_claim = |document: &Extraction| -> Option<CatalogClaim> {
        let own = document.entity.as_deref()?;
        Some(CatalogClaim {
            entity: own.to_string(),
            owner: by_ref
                .get(&own.to_lowercase())
                .copied()
                .flatten()
                .map(str::to_string),
        })
    };
    let own_claims: Vec<Option<CatalogClaim>> = documents.iter().map(|d| own_claim(d)).collect();
    let claim_for = |path: &str| -> Option<&CatalogClaim> {
        by_path
            .get(path)
            .or_else(|| {
                by_folder
                    .iter()
                    .filter(|(folder, _)| in_folder(path, folder))
                    .max_by_key(|(folder, _)| folder.len())
                    .map(|(_, claim)| claim)
            })
            .or_else(|| {
                by_techdocs
                    .iter()
                    .filter(|(folder, _)| in_folder(path, folder))
                    .max_by_key(|(folder, _)| folder.len())
                    .map(|(_, claim)| claim)
            })
    };

    // Known teams (spec §2.3).
    let mut known = KnownTeams::default();
    // The same names recur in many documents: each distinct text is added once.
    let mut added: FastSet<&str> = FastSet::default();
    let mut add_known = |name| {
        if added.insert(name) {
            known.add(name);
        }
    };
    for name in &options.known_teams {
        add_known(name.as_str());
    }
    for document in documents {
        for group in &document.groups {
            for name in &group.names {
                add_known(name.as_str());
            }
        }
        for team in &document.teams {
            add_known(team.name.as_str());
        }
        for name in document.named_teams.iter().chain(&document.owners) {
            add_known(name.as_str());
        }
    }

    let known_fingerprint = known.fingerprint();

    // Each document's normalised output, from the cache when its inputs are
    // unchanged. Filled first so the outputs can be borrowed together below.
    let mut local: Vec<Normalised> = Vec::new();
    let mut claims: Vec<Option<CatalogClaim>> = Vec::with_capacity(documents.len());
    let mut slots: Vec<Option<Slot>> = Vec::with_capacity(documents.len());
    // A one-shot read normalises every document, on every core (one
    // document's normalisation never looks at another's), then numbers the
    // title words in document order, as one thread would have.
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        if !yields[index] {
            slots.push(None);
            claims.push(None);
            continue;
        }
        let claim = own_claims[index]
            .as_ref()
            .or_else(|| claim_for(&document.path));
        claims.push(claim.cloned());
        let link = links.get(&document.path).map(String::as_str);
        let fingerprint = normalised_fingerprint(known_fingerprint, claim, link, options);
        let fresh = cache
            .as_deref()
            .and_then(|cache| cache.get(&document.path))
            .is_none_or(|cached| cached.fingerprint != fingerprint);
        if !fresh {
            slots.push(Some(Slot::Cached));
            continue;
        }
        let raws = match spent.get_mut(index) {
            Some(raws) => Raws::Spent(std::mem::take(raws)),
            None => Raws::Kept(&document.milestones),
        };
        let Some(cache) = cache.as_deref_mut() else {
            slots.push(Some(Slot::Local(jobs.len())));
            jobs.push(Job {
                document,
                raws,
                claim,
                link,
                fingerprint,
            });
            continue;
        };
        let mut output = Normalised {
            fingerprint,
            ..Normalised::default()
        };
        read_document(
            document,
            raws,
            options,
            &known,
            claim,
            link,
            Some(&mut *words),
            &mut output,
        );
        cache.insert(document.path.clone(), Arc::new(output));
        slots.push(Some(Slot::Cached));
    }
    if !jobs.is_empty() {
        local = normalise_all(jobs, options, &known);
        for output in &mut local {
            for keys in &mut output.keys {
                keys.number_title_words(words);
            }
        }
    }

    // Documents and milestones, in vectors sized once: growing a vector of
    // 50,000 milestones step by step costs more than the copies.
    let output_of = |document: &Extraction, slot: &Slot| -> Option<&Normalised> {
        match slot {
            Slot::Local(index) => local.get(*index),
            Slot::Cached => cache
                .as_deref()
                .and_then(|c| c.get(&document.path))
                .map(|output| &**output),
        }
    };
    let (mut milestone_count, mut document_count) = (0, 0);
    for (document, slot) in documents.iter().zip(&slots) {
        if let Some(output) = slot.as_ref().and_then(|slot| output_of(document, slot)) {
            milestone_count += output.milestones.len();
            document_count += 1;
        }
    }
    roadmap.milestones.reserve_exact(milestone_count);
    roadmap.documents.reserve_exact(document_count);
    let mut teams = TeamBook::default();
    for (document, slot) in documents.iter().zip(&slots) {
        for group in &document.groups {
            teams.add_group(&group.names, &group.group_ref);
        }
        for team in &document.teams {
            teams.add_team(
                &team.name,
                team.group_ref.as_deref(),
                &team.responsibilities,
            );
        }
        match slot {
            None => continue,
            Some(Slot::Local(index)) => {
                // Nothing keeps a one-shot read's output: move it.
                let output = &mut local[*index];
                roadmap.documents.extend(output.document.take());
                roadmap.milestones.append(&mut output.milestones);
                diagnostics.append(&mut output.diagnostics);
            }
            Some(Slot::Cached) => {
                if let Some(output) = cache.as_deref().and_then(|c| c.get(&document.path)) {
                    roadmap.documents.extend(output.document.iter().cloned());
                    roadmap.milestones.extend(output.milestones.iter().cloned());
                    diagnostics.extend(output.diagnostics.iter().cloned());
                }
            }
        }
        roadmap.markers.extend(document.markers.iter().cloned());
    }
    // The matching keys, parallel to `roadmap.milestones`.
    let mut keys: Vec<&MilestoneKeys> = Vec::with_capacity(roadmap.milestones.len());
    for (document, slot) in documents.iter().zip(&slots) {
        match slot {
            None => {}
            Some(Slot::Local(index)) => keys.extend(&local[*index].keys),
            Some(Slot::Cached) => {
                if let Some(output) = cache.as_deref().and_then(|c| c.get(&document.path)) {
                    keys.extend(&output.keys);
                }
            }
        }
    }

    let mut tagged: Vec<Tagged> = Vec::new();
    let renamed = assign_ids(&mut roadmap.milestones, &keys, &mut tagged);
    let edges = resolve(&mut roadmap.milestones, &keys, &renamed, words, &mut tagged);
    let declared_teams = teams.teams.len();
    let mut owner_teams: FastMap<&str, usize> = FastMap::default();
    for milestone in &roadmap.milestones {
        for owner in &milestone.owners {
            let index = match owner_teams.get(owner.as_str()) {
                Some(&index) => index,
                None => {
                    let (index, stable) = teams.owner_team(owner);
                    if stable {
                        owner_teams.insert(owner, index);
                    }
                    index
                }
            };
            teams.add_milestone(index, &milestone.id);
        }
    }
    roadmap.teams = teams.teams.into_iter().map(Arc::new).collect();
    sort_markers(&mut roadmap.markers);
    roadmap.diagnostics = diagnostics.into_iter().map(Arc::new).collect();
    roadmap.today = Some(options.today);
    set_statuses(
        &mut roadmap.milestones,
        &edges,
        options.today,
        options.due_soon_days,
    );
    Assembly {
        roadmap,
        edges,
        tagged,
        known,
        claims,
        catalog: unread_annotations(documents, &yields),
        team_names: teams.names,
        declared_teams,
    }
}

/// Whether `path` lies under `folder` (every path lies under the root, `""`).
fn in_folder(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A warning for each document or folder a `milepost.io/roadmap`
/// annotation names that no document read matches: a typo there silently
/// leaves the entity's card without its roadmap. Each comes with the number
/// of its catalog document. Only a catalog or the set of documents can
/// change them, and either makes a [`Reader`](super::Reader) assemble again.
fn unread_annotations(documents: &[&Extraction], yields: &[bool]) -> Vec<(usize, Diagnostic)> {
    let mut found = Vec::new();
    let mut catalogs = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Catalog)
        .peekable();
    if catalogs.peek().is_none() {
        return found;
    }
    // Each document read, and whether it gave milestones or markers.
    let read: FastMap<&str, bool> = documents
        .iter()
        .zip(yields)
        .map(|(d, &yields)| (d.path.as_str(), yields))
        .collect();
    // The entity each path went to: the first that names it (as `assemble`
    // gives it).
    let mut claimed: FastMap<&str, &str> = FastMap::default();
    for (number, catalog) in catalogs {
        for entity in &catalog.entities {
            let mut named: Vec<String> = Vec::new();
            for path in &entity.roadmap_paths {
                match read.get(path.as_str()) {
                    None => named.push(format!("'{path}', but no such document was read; check the path (relative to this file)")),
                    Some(false) => named.push(format!("'{path}', which has no milestones Milepost can read; see `milepost check` for that file, or name the document that holds the roadmap")),
                    Some(true) => {}
                }
                let first = *claimed
                    .entry(path.as_str())
                    .or_insert(entity.entity_ref.as_str());
                if !first.eq_ignore_ascii_case(&entity.entity_ref) {
                    named.push(format!("'{path}', which {first} names too; a document belongs to one entity, and this one stays with {first} (name it in one entity's annotation only)"));
                }
            }
            named.extend(
                entity
                    .roadmap_dirs
                    .iter()
                    .filter(|folder| documents.iter().all(|d| !in_folder(&d.path, folder)))
                    .map(|folder| format!("the folder '{folder}', but no document was read from it; check the path (relative to this file)")),
            );
            for named in named {
                found.push((
                    number,
                    Diagnostic {
                        path: catalog.path.clone(),
                        line: entity.roadmap_line.max(1),
                        severity: Severity::Warning,
                        message: format!(
                            "milepost.io/roadmap of {} names {named}",
                            entity.entity_ref
                        ),
                        entity: Some(entity.entity_ref.clone()),
                    },
                ));
            }
        }
    }
    found
}

/// One document for [`normalise_all`].
struct Job<'a> {
    document: &'a Extraction,
    raws: Raws<'a>,
    claim: Option<&'a CatalogClaim>,
    link: Option<&'a str>,
    fingerprint: u64,
}

/// Normalises every job, in order, on as many threads as the machine
/// offers (as `extract_all` extracts), leaving title words unnumbered.
fn normalise_all(jobs: Vec<Job<'_>>, options: &ReadOptions, known: &KnownTeams) -> Vec<Normalised> {
    let normalise = |job: Job<'_>| {
        let mut output = Normalised {
            fingerprint: job.fingerprint,
            ..Normalised::default()
        };
        read_document(
            job.document,
            job.raws,
            options,
            known,
            job.claim,
            job.link,
            None,
            &mut output,
        );
        output
    };
    super::map_on_every_core(jobs, normalise)
}

/// Markers in date order (then title), as the roadmap lists them.
pub(crate) fn sort_markers(markers: &mut [crate::model::Marker]) {
    markers.sort_by(|a, b| a.date.cmp(&b.date).then(a.title.cmp(&b.title)));
}

/// Whether a document yields a roadmap document (and so milestones or markers).
pub(crate) fn yields_roadmap(document: &Extraction) -> bool {
    matches!(document.kind, Kind::Markdown | Kind::YamlRoadmap)
        && !(document.milestones.is_empty() && document.markers.is_empty())
}

/// Hash of a document's normalisation inputs besides its extraction: known
/// teams, catalog claim, today, the "view source" link.
pub(crate) fn normalised_fingerprint(
    known: u64,
    claim: Option<&CatalogClaim>,
    link: Option<&str>,
    options: &ReadOptions,
) -> u64 {
    let mut hasher = FastHasher::default();
    known.hash(&mut hasher);
    claim.map(|c| (&c.entity, &c.owner)).hash(&mut hasher);
    link.hash(&mut hasher);
    options.today.hash(&mut hasher);
    hasher.finish()
}

/// Where a document's normalised output is during one assembly.
enum Slot {
    /// In the reader's cache, under the document's path.
    Cached,
    /// In the one-shot read's local list, at this index.
    Local(usize),
}

/// Normalises one document on its own (everything but ids, dependencies,
/// teams and statuses, which need the whole roadmap). Title words are
/// numbered in `words` when given; else the caller numbers them, in
/// document order, with [`MilestoneKeys::number_title_words`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_document(
    document: &Extraction,
    raws: Raws<'_>,
    options: &ReadOptions,
    known: &KnownTeams,
    claim: Option<&CatalogClaim>,
    link: Option<&str>,
    mut words: Option<&mut Words>,
    output: &mut Normalised,
) {
    let path = &document.path;
    let diagnostics = &mut output.diagnostics;
    let milestones = &mut output.milestones;
    milestones.reserve_exact(raws.len());
    output.keys.reserve_exact(raws.len());
    let mut warn = |line: u32, message: String| {
        diagnostics.push(Diagnostic {
            path: path.clone(),
            line: line.max(1),
            severity: Severity::Warning,
            message,
            entity: None,
        });
    };
    let day_of = |located: &Option<Located>, what: &str, warn: &mut dyn FnMut(u32, String)| {
        let located = located.as_ref()?;
        let base = DateBase {
            anchor: options.today,
            horizon: false,
        };
        match read_date(&located.text, base) {
            DateRead::Date(date, _) => Some(date),
            DateRead::Placeholder => None,
            DateRead::Impossible | DateRead::NotADate => {
                warn(
                    located.line,
                    format!("{what} '{}' is not a valid date; ignored", located.text),
                );
                None
            }
        }
    };
    let last_updated = day_of(&document.last_updated, "last_updated", &mut warn);
    let created = day_of(&document.created, "created", &mut warn);
    let anchor = last_updated.or(created).unwrap_or(options.today);

    let entity = document
        .entity
        .clone()
        .or_else(|| claim.map(|c| c.entity.clone()));
    let (document_owners, document_source) = if !document.owners.is_empty() {
        (document.owners.clone(), OwnerSource::Document)
    } else if let Some(owner) = claim.and_then(|c| c.owner.clone()) {
        (vec![owner], OwnerSource::Catalog)
    } else {
        (Vec::new(), OwnerSource::None)
    };
    let stem = document_stem(path);
    let title = document
        .title
        .clone()
        .or_else(|| document.first_heading.clone())
        .unwrap_or_else(|| stem.to_string());
    output.document = Some(Arc::new(Document {
        path: path.clone(),
        title,
        summary: document.summary.clone(),
        last_updated,
        entity: entity.clone(),
        owners: document_owners.clone(),
        source_url: link.map(str::to_string),
    }));

    let section_teams: Vec<SectionTeam<'_>> = document
        .teams
        .iter()
        .filter(|team| team.from_section)
        .map(|team| (team.name.as_str(), team.responsibilities.as_slice()))
        .collect();
    let section_matcher = SectionMatcher::new(&section_teams);

    let (kept, spent) = match raws {
        Raws::Kept(kept) => (kept, Vec::new()),
        Raws::Spent(spent) => (&[][..], spent),
    };
    let raws = (kept.iter().map(Raw::Kept)).chain(spent.into_iter().map(Raw::Spent));
    for mut raw_milestone in raws {
        let mut owners: Vec<String> = match &mut raw_milestone {
            Raw::Kept(raw) => {
                let mut owners = Vec::new();
                for text in &raw.owner_texts {
                    split_owners_into(text, known, &mut owners);
                }
                owners
            }
            Raw::Spent(raw) => owners_of(std::mem::take(&mut raw.owner_texts), known),
        };
        let raw = raw_milestone.get();
        let mut after_lead = false;
        if let Some(lead) = &raw.lead
            && let Some(lead_owners) = lead_teams(lead, known)
        {
            owners.splice(0..0, lead_owners);
            after_lead = !raw.title_after_lead.is_empty();
        }
        let title: &str = if after_lead {
            &raw.title_after_lead
        } else {
            &raw.title
        };
        if owners.len() > 1 {
            let mut seen = FastSet::default();
            owners.retain(|owner| seen.insert(key(owner)));
        }
        let owner_source = if !owners.is_empty() {
            OwnerSource::Explicit
        } else if !section_matcher.is_empty() {
            let text = if raw.match_text.is_empty() {
                &raw.description
            } else {
                &raw.match_text
            };
            owners = section_matcher.owners(title, text);
            OwnerSource::Section
        } else if !document_owners.is_empty() {
            owners = document_owners.clone();
            document_source
        } else {
            OwnerSource::None
        };

        // The date a text gives, and its precision; a text that gives no
        // date is still kept as written (`target_text`).
        let date = |located: &Option<Located>,
                    horizon: bool,
                    what: &str,
                    warn: &mut dyn FnMut(u32, String)| {
            let Some(located) = located else {
                return (None, Precision::None);
            };
            let base = DateBase { anchor, horizon };
            match read_date(&located.text, base) {
                DateRead::Date(date, precision) => (Some(date), precision),
                DateRead::Placeholder => (None, Precision::None),
                DateRead::Impossible => {
                    warn(
                        located.line,
                        format!(
                            "{what} '{}' is not a valid calendar date; milestone '{}' is unscheduled",
                            located.text, title
                        ),
                    );
                    (None, Precision::None)
                }
                DateRead::NotADate => {
                    warn(
                        located.line,
                        format!(
                            "{what} '{}' is not a date; milestone '{}' is unscheduled",
                            located.text, title
                        ),
                    );
                    (None, Precision::None)
                }
            }
        };
        let (target, target_precision) =
            date(&raw.target, raw.target_is_horizon, "target", &mut warn);
        // A start is the beginning of its period, a target its end.
        let (start, start_precision) = date(&raw.start, false, "start", &mut warn);
        let start = start.map(|start| period_start(start, start_precision));

        let state = match &raw.state_text {
            Some(located) => match read_state(&located.text) {
                Some(state) => state,
                None => {
                    warn(
                        located.line,
                        format!(
                            "unknown state '{}' for '{}'; read as {} (use e.g. done, in progress, blocked, cancelled, planned)",
                            located.text,
                            title,
                            if raw.marked_state.is_some_and(|s| s != State::Planned) {
                                "its other markers say"
                            } else {
                                "planned"
                            }
                        ),
                    );
                    raw.marked_state.unwrap_or(State::Planned)
                }
            },
            None => raw.marked_state.unwrap_or(State::Planned),
        };

        let made_id = match &raw.id {
            Some(_) => None,
            None => Some(format!("{stem}/{}", slug(title))),
        };
        let id: &str = made_id.as_deref().or(raw.id.as_deref()).unwrap_or_default();
        let mut keys = MilestoneKeys::new(
            id,
            title,
            raw.dependencies
                .iter()
                .map(|dependency| without_note(&dependency.text)),
        );
        if let Some(words) = words.as_deref_mut() {
            keys.number_title_words(words);
        }
        output.keys.push(keys);
        let line = raw.line.max(1);
        let progress = raw.progress;
        let texts = raw_milestone.into_texts(after_lead);
        milestones.push(Arc::new(Milestone {
            id: made_id.or(texts.id).unwrap_or_default(),
            title: texts.title,
            description: texts.description,
            description_html: texts.description_html,
            owners,
            owner_source,
            start,
            target,
            target_text: texts.target_text,
            target_precision,
            state,
            status: Status::Unscheduled,
            progress,
            dependencies: texts.dependencies,
            dependents: Vec::new(),
            document: path.clone(),
            line,
            section: texts.section,
            entity: entity.clone(),
            source_url: link.map(|link| format!("{link}#L{line}")),
        }));
    }
}

/// One document's raw milestones as `read_document` gets them.
pub(crate) enum Raws<'a> {
    /// Borrowed from an extraction kept for later reads.
    Kept(&'a [RawMilestone]),
    /// Taken from an extraction about to be dropped.
    Spent(Vec<RawMilestone>),
}

impl Raws<'_> {
    fn len(&self) -> usize {
        match self {
            Raws::Kept(raws) => raws.len(),
            Raws::Spent(raws) => raws.len(),
        }
    }
}

/// One raw milestone, borrowed or owned (see [`Raws`]).
// One at a time, on the stack, moved out of its vector: boxing the owned one
// would add the allocation this avoids.
#[allow(clippy::large_enum_variant)]
enum Raw<'a> {
    Kept(&'a RawMilestone),
    Spent(RawMilestone),
}

/// The texts a milestone takes from its raw milestone unchanged.
struct RawTexts {
    id: Option<String>,
    title: String,
    description: String,
    description_html: String,
    section: Option<String>,
    target_text: Option<String>,
    dependencies: Vec<Dependency>,
}

impl Raw<'_> {
    fn get(&self) -> &RawMilestone {
        match self {
            Raw::Kept(raw) => raw,
            Raw::Spent(raw) => raw,
        }
    }

    /// The texts: copied from a kept milestone, moved out of a spent one.
    /// The title is the text after the lead when `after_lead`.
    fn into_texts(self, after_lead: bool) -> RawTexts {
        let dependency = |text| Dependency {
            text,
            milestone: None,
        };
        match self {
            Raw::Kept(raw) => RawTexts {
                id: raw.id.clone(),
                title: if after_lead {
                    raw.title_after_lead.clone()
                } else {
                    raw.title.clone()
                },
                description: raw.description.clone(),
                description_html: raw.description_html.clone(),
                section: raw.section.clone(),
                target_text: raw.target.as_ref().map(|located| located.text.clone()),
                dependencies: raw
                    .dependencies
                    .iter()
                    .map(|located| dependency(located.text.clone()))
                    .collect(),
            },
            Raw::Spent(raw) => RawTexts {
                id: raw.id,
                title: if after_lead {
                    raw.title_after_lead
                } else {
                    raw.title
                },
                description: raw.description,
                description_html: raw.description_html,
                section: raw.section,
                target_text: raw.target.map(|located| located.text),
                dependencies: raw
                    .dependencies
                    .into_iter()
                    .map(|located| dependency(located.text))
                    .collect(),
            },
        }
    }
}

/// Makes ids unique in reading order: a repeat gets `-2`, `-3`, … and a
/// warning. Returns the matching key of each id that changed, by index.
fn assign_ids(
    milestones: &mut [Arc<Milestone>],
    keys: &[&MilestoneKeys],
    diagnostics: &mut Vec<Tagged>,
) -> Vec<(usize, String)> {
    // Lowercased id → index of the milestone that holds it; borrowed from
    // the keys except for the ids made here.
    let mut first_seen: FastMap<Cow<'_, str>, usize> =
        FastMap::with_capacity_and_hasher(milestones.len(), Default::default());
    // The next suffix to try per repeated id, so many repeats stay linear.
    let mut next_suffix: FastMap<&str, u32> = FastMap::default();
    let mut renamed = Vec::new();
    for index in 0..milestones.len() {
        let lowered = keys[index].lowered_id();
        if let Some(&first) = first_seen.get(lowered) {
            let suffix = next_suffix.entry(lowered).or_insert(2);
            let unique = loop {
                let candidate = format!("{}-{suffix}", milestones[index].id);
                *suffix += 1;
                if !first_seen.contains_key(candidate.to_lowercase().as_str()) {
                    break candidate;
                }
            };
            let (first_path, first_line) = (&milestones[first].document, milestones[first].line);
            let milestone = &milestones[index];
            diagnostics.push(Tagged {
                pass: Pass::Duplicate,
                milestone: index,
                diagnostic: Diagnostic {
                    path: milestone.document.clone(),
                    line: milestone.line,
                    severity: Severity::Warning,
                    message: format!(
                        "duplicate id '{}' (first used at {first_path}:{first_line}); this milestone is '{unique}'",
                        milestone.id
                    ),
                    entity: None,
                },
            });
            first_seen.insert(Cow::Owned(unique.to_lowercase()), index);
            renamed.push((index, key(&unique)));
            Arc::make_mut(&mut milestones[index]).id = unique;
        } else {
            first_seen.insert(Cow::Borrowed(lowered), index);
        }
    }
    renamed
}

/// Teams in order of first appearance, found by name or group ref.
#[derive(Default)]
struct TeamBook<'a> {
    teams: Vec<Team>,
    names: TeamNames,
    /// (team, responsibility) pairs already listed, so a team named in many
    /// documents is not searched linearly for each of its responsibilities.
    listed: FastSet<(usize, &'a str)>,
}

/// The teams' names and group refs, to find the team an owner names.
#[derive(Debug, Default)]
pub(crate) struct TeamNames {
    by_name: FastMap<String, usize>,
    by_ref: FastMap<String, usize>,
}

impl TeamNames {
    /// The team `name` names: by name, by group ref, or by a group ref's short name.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        if let Some(&index) = self.by_name.get(&key(name)) {
            return Some(index);
        }
        if let Some(&index) = self.by_ref.get(&name.to_lowercase()) {
            return Some(index);
        }
        // `group:default/platform` names the team `platform` when no ref says otherwise.
        let (_, short) = name.split_once(':')?;
        let short = short.rsplit('/').next()?;
        self.by_name.get(&key(short)).copied()
    }
}

impl<'a> TeamBook<'a> {
    fn find(&self, name: &str) -> Option<usize> {
        self.names.find(name)
    }

    fn add_team(
        &mut self,
        name: &str,
        group_ref: Option<&str>,
        responsibilities: &'a [String],
    ) -> usize {
        let name_key = key(name);
        let index = match self.names.by_name.get(&name_key) {
            Some(&index) => index,
            None => {
                self.teams.push(Team {
                    name: name.to_string(),
                    ..Team::default()
                });
                let index = self.teams.len() - 1;
                self.names.by_name.insert(name_key, index);
                index
            }
        };
        let team = &mut self.teams[index];
        if let Some(group_ref) = group_ref {
            if team.group_ref.is_none() {
                team.group_ref = Some(group_ref.to_string());
            }
            self.names.by_ref.insert(group_ref.to_lowercase(), index);
        }
        for responsibility in responsibilities {
            if self.listed.insert((index, responsibility.as_str())) {
                team.responsibilities.push(responsibility.clone());
            }
        }
        index
    }

    fn add_group(&mut self, names: &[String], group_ref: &str) {
        // The display name (title) is what documents write; the metadata name is the fallback.
        let existing = names
            .iter()
            .find_map(|name| self.names.by_name.get(&key(name)).copied());
        let index = match existing {
            Some(index) => index,
            None => {
                let name = names
                    .last()
                    .cloned()
                    .unwrap_or_else(|| group_ref.to_string());
                self.add_team(&name, None, &[])
            }
        };
        if self.teams[index].group_ref.is_none() {
            self.teams[index].group_ref = Some(group_ref.to_string());
        }
        self.names.by_ref.insert(group_ref.to_lowercase(), index);
        for name in names {
            self.names.by_name.entry(key(name)).or_insert(index);
        }
    }

    /// The team an owner names, added when new; `stable` when a later call
    /// for the same owner text would give the same team (found by name, or
    /// just added under it), so the caller may remember it.
    fn owner_team(&mut self, owner: &str) -> (usize, bool) {
        let owner_key = key(owner);
        if let Some(&index) = self.names.by_name.get(&owner_key) {
            return (index, true);
        }
        match self.find(owner) {
            Some(index) => (index, false),
            None => {
                let group_ref = owner.starts_with("group:").then_some(owner);
                (self.add_team(owner, group_ref, &[]), true)
            }
        }
    }

    /// Lists a milestone under a team.
    fn add_milestone(&mut self, index: usize, milestone: &str) {
        let milestones = &mut self.teams[index].milestones;
        // Owners of one milestone are added together, so a repeat is the last entry.
        if milestones.last().is_none_or(|id| id != milestone) {
            milestones.push(milestone.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_words;

    /// `key_words` splits as `split(' ')` does, empty words included.
    #[test]
    fn key_words_split_on_single_spaces() {
        for key in [
            "",
            "a",
            "ab cd",
            " a",
            "a ",
            "a  b",
            "token cache index",
            " ",
        ] {
            let expected: Vec<&str> = key.split(' ').collect();
            assert_eq!(key_words(key).collect::<Vec<_>>(), expected, "{key:?}");
        }
    }
}
