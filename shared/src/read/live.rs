//! Live re-reads: what a [`Reader`](super::Reader) keeps between reads so a
//! change to one roadmap document is folded into the last roadmap without
//! assembling every document again.
//!
//! The whole assembly (`assemble`) stays the reference: the live state is
//! built from its result, and a change is folded in only when its effects
//! can be bounded. A changed markdown or YAML roadmap whose team
//! declarations are unchanged, whose ids are not duplicated anywhere and
//! whose owners name existing teams is normalised alone; only the
//! dependencies that could point at its milestones before or after (their
//! text is one of its ids, titles or runs of title words) are resolved
//! again; statuses, cycles, schedule conflicts and the team lists are then
//! brought up to date. Anything else (a new or deleted document, a catalog,
//! changed teams, a duplicated id) makes the reader assemble everything.
//! `tests/it/corpus.rs` checks that both ways give the same roadmap.

use std::hash::BuildHasher;
use std::sync::Arc;

use crate::hash::{FastHasher, FastMap, FastSet};
use crate::model::{Diagnostic, Document, Marker, Milestone, Roadmap, Team};
use crate::status::status_of;

use super::ReadOptions;
use super::assemble::{
    Assembly, CatalogClaim, Links, MilestoneKeys, Normalised, NormalisedCache, Raws, TeamNames,
    normalised_fingerprint, read_document, sort_markers, yields_roadmap,
};
use super::owners::KnownTeams;
use super::raw::{Extraction, Kind};
use super::resolve::{
    Candidates, Pass, Resolution, ambiguous, dangling, report_cycles, resolve_text,
    schedule_conflicts, self_dependency, title_phrases,
};
use super::text::key;

/// A milestone that stays put while other documents change: (document
/// number in path order, position in its document). Ordered as reading order.
type Handle = (u32, u32);

/// A key's hash: the indexes keep hashes, and every candidate found through
/// one is checked against the key itself.
type KeyHash = u64;

fn hash_key(text: &str) -> KeyHash {
    std::hash::BuildHasherDefault::<FastHasher>::default().hash_one(text)
}

/// Why a change cannot be folded in; the reader assembles everything.
#[derive(Debug)]
pub(crate) struct Reassemble;

/// One document as the live state knows it.
#[derive(Debug, Default)]
struct LiveDoc {
    path: String,
    /// Its normalised output, when it yields a roadmap document.
    normalised: Option<Arc<Normalised>>,
    claim: Option<CatalogClaim>,
    /// Each milestone's resolved dependencies, each once, in written order.
    edges: Vec<Vec<Handle>>,
    /// Each milestone's dependents, in reading order.
    dependents: Vec<Vec<Handle>>,
    /// Diagnostics of the whole-roadmap passes about this document, ordered
    /// by pass, then milestone (for cycles: the order they were found).
    tagged: Vec<(Pass, u32, Diagnostic)>,
    /// Warnings about this catalog's annotations, from the last assembly
    /// (only a catalog or a new or deleted document changes them).
    catalog: Vec<Diagnostic>,
    /// Every diagnostic of the document, in the roadmap's order.
    merged: Vec<Arc<Diagnostic>>,
}

impl LiveDoc {
    fn keys(&self, at: u32) -> Option<&super::assemble::MilestoneKeys> {
        self.normalised.as_ref()?.keys.get(at as usize)
    }
}

/// The live state: the last roadmap and the indexes that bound a change.
#[derive(Debug)]
pub(crate) struct Live {
    known: KnownTeams,
    known_fingerprint: u64,
    team_names: TeamNames,
    declared_teams: usize,
    docs: Vec<LiveDoc>,
    numbers: FastMap<String, u32>,
    /// Every milestone in reading order: the roadmap's list.
    milestones: Vec<Arc<Milestone>>,
    /// Position in `milestones` of each document's first milestone (and the end).
    starts: Vec<usize>,
    documents: Vec<Arc<Document>>,
    teams: Vec<Arc<Team>>,
    /// How many milestones of each document each team lists: `[team][doc]`.
    team_counts: Vec<Vec<u32>>,
    markers: Vec<Marker>,
    /// How many milestones hold each lowercased id as read.
    lowered: FastMap<KeyHash, u32>,
    /// Lowercased ids held more than once (the ids made unique from them
    /// may collide with any document's ids).
    duplicated: FastSet<String>,
    by_id: FastMap<KeyHash, Vec<Handle>>,
    by_title: FastMap<KeyHash, Vec<Handle>>,
    by_word: FastMap<KeyHash, Vec<Handle>>,
    /// Dependency text key → the (milestone, position) dependencies written so.
    wanted: FastMap<KeyHash, Vec<(Handle, u32)>>,
    /// Documents holding cycle reports.
    cycle_docs: FastSet<u32>,
    /// Documents with a milestone on a reported cycle.
    cycle_members: FastSet<u32>,
    today: chrono::NaiveDate,
    due_soon_days: i64,
}

impl Live {
    /// The live state of a whole assembly of `documents` (every extraction,
    /// in path order), whose normalised outputs are in `cache`.
    pub(crate) fn build(
        assembly: Assembly,
        documents: &[&Extraction],
        cache: &NormalisedCache,
        options: &ReadOptions,
    ) -> Live {
        let Assembly {
            roadmap,
            edges,
            tagged,
            known,
            claims,
            catalog,
            team_names,
            declared_teams,
        } = assembly;
        let mut docs: Vec<LiveDoc> = Vec::with_capacity(documents.len());
        let mut numbers = FastMap::default();
        let mut starts = Vec::with_capacity(documents.len() + 1);
        let mut position = 0usize;
        for (number, (document, claim)) in documents.iter().zip(claims).enumerate() {
            let normalised = yields_roadmap(document)
                .then(|| cache.outputs.get(&document.path).cloned())
                .flatten();
            let count = normalised.as_ref().map_or(0, |n| n.milestones.len());
            starts.push(position);
            position += count;
            numbers.insert(document.path.clone(), number as u32);
            docs.push(LiveDoc {
                path: document.path.clone(),
                normalised,
                claim,
                edges: vec![Vec::new(); count],
                dependents: vec![Vec::new(); count],
                ..LiveDoc::default()
            });
        }
        starts.push(position);
        for (number, diagnostic) in catalog {
            docs[number].catalog.push(diagnostic);
        }
        let handle_of = |flat: usize| -> Handle {
            let doc = starts.partition_point(|&start| start <= flat) - 1;
            (doc as u32, (flat - starts[doc]) as u32)
        };
        for (from, targets) in edges.iter().enumerate() {
            let (doc, at) = handle_of(from);
            let targets: Vec<Handle> = targets.iter().map(|&to| handle_of(to)).collect();
            for &(to_doc, to_at) in &targets {
                docs[to_doc as usize].dependents[to_at as usize].push((doc, at));
            }
            docs[doc as usize].edges[at as usize] = targets;
        }
        let mut renamed: FastSet<usize> = FastSet::default();
        let mut cycle_docs = FastSet::default();
        for (sequence, item) in tagged.into_iter().enumerate() {
            let (doc, at) = handle_of(item.milestone);
            let at = if item.pass == Pass::Cycle {
                cycle_docs.insert(doc);
                sequence as u32
            } else {
                at
            };
            if item.pass == Pass::Duplicate {
                renamed.insert(item.milestone);
            }
            docs[doc as usize]
                .tagged
                .push((item.pass, at, item.diagnostic));
        }
        let mut live = Live {
            known_fingerprint: known.fingerprint(),
            known,
            team_names,
            declared_teams,
            numbers,
            starts,
            documents: roadmap.documents,
            team_counts: vec![vec![0; docs.len()]; roadmap.teams.len()],
            teams: roadmap.teams,
            markers: roadmap.markers,
            milestones: roadmap.milestones,
            docs,
            lowered: FastMap::default(),
            duplicated: FastSet::default(),
            by_id: FastMap::default(),
            by_title: FastMap::default(),
            by_word: FastMap::default(),
            wanted: FastMap::default(),
            cycle_docs,
            cycle_members: FastSet::default(),
            today: options.today,
            due_soon_days: options.due_soon_days,
        };
        for doc in 0..live.docs.len() {
            let renamed: Vec<Option<String>> = live
                .handles(doc as u32)
                .map(|handle| {
                    let flat = live.flat(handle);
                    renamed
                        .contains(&flat)
                        .then(|| key(&live.milestones[flat].id))
                })
                .collect();
            let entries = live.docs[doc]
                .normalised
                .as_ref()
                .map(|n| Entries::of(doc as u32, &n.keys, &renamed))
                .unwrap_or_default();
            live.reindex(doc as u32, &Entries::default(), &entries);
            for team in live.owner_teams(doc as u32).unwrap_or_default() {
                if let Some(count) = live.team_counts.get_mut(team) {
                    count[doc] += 1;
                }
            }
            live.merge(doc as u32, documents[doc]);
        }
        if !live.cycle_docs.is_empty() {
            // Once more, to learn every document on a cycle.
            for doc in live.cycles() {
                live.merge(doc, documents[doc as usize]);
            }
        }
        let mut lowered: FastMap<&str, u32> = FastMap::default();
        for doc in &live.docs {
            for keys in doc.normalised.iter().flat_map(|n| &n.keys) {
                *lowered.entry(keys.lowered_id()).or_default() += 1;
            }
        }
        live.duplicated = lowered
            .into_iter()
            .filter(|(_, count)| *count > 1)
            .map(|(id, _)| id.to_string())
            .collect();
        live
    }

    /// The roadmap as it stands.
    pub(crate) fn roadmap(&self) -> Roadmap {
        let mut diagnostics =
            Vec::with_capacity(self.docs.iter().map(|doc| doc.merged.len()).sum());
        for doc in &self.docs {
            diagnostics.extend(doc.merged.iter().cloned());
        }
        Roadmap {
            today: Some(self.today),
            revision: 0,
            documents: self.documents.clone(),
            milestones: self.milestones.clone(),
            teams: self.teams.clone(),
            diagnostics,
            markers: self.markers.clone(),
        }
    }

    fn handles(&self, doc: u32) -> impl Iterator<Item = Handle> + use<> {
        let count = self.starts[doc as usize + 1] - self.starts[doc as usize];
        (0..count as u32).map(move |at| (doc, at))
    }

    fn flat(&self, (doc, at): Handle) -> usize {
        self.starts[doc as usize] + at as usize
    }

    fn milestone(&self, handle: Handle) -> &Milestone {
        &self.milestones[self.flat(handle)]
    }

    /// Replaces one document's entries in the id, title, word and
    /// dependency indexes: each list's run of this document is replaced at
    /// once (a common title word's list is long).
    fn reindex(&mut self, doc: u32, old: &Entries, new: &Entries) {
        fn replace<T: Copy + Ord>(
            map: &mut FastMap<KeyHash, Vec<T>>,
            old: &[(KeyHash, T)],
            new: &[(KeyHash, T)],
            run: impl Fn(&[T]) -> std::ops::Range<usize>,
        ) {
            let mut incoming: FastMap<KeyHash, Vec<T>> = FastMap::default();
            for &(hash, item) in new {
                incoming.entry(hash).or_default().push(item);
            }
            let gone: FastSet<KeyHash> = old
                .iter()
                .map(|&(hash, _)| hash)
                .filter(|hash| !incoming.contains_key(hash))
                .collect();
            for hash in gone {
                if let Some(list) = map.get_mut(&hash) {
                    let range = run(list);
                    list.drain(range);
                    if list.is_empty() {
                        map.remove(&hash);
                    }
                }
            }
            for (hash, mut items) in incoming {
                items.sort_unstable();
                items.dedup();
                let list = map.entry(hash).or_default();
                let range = run(list);
                list.splice(range, items);
            }
        }
        let handles = |list: &[Handle]| {
            list.partition_point(|h| h.0 < doc)..list.partition_point(|h| h.0 <= doc)
        };
        let dependencies = |list: &[(Handle, u32)]| {
            list.partition_point(|(h, _)| h.0 < doc)..list.partition_point(|(h, _)| h.0 <= doc)
        };
        replace(&mut self.by_id, &old.ids, &new.ids, handles);
        replace(&mut self.by_title, &old.titles, &new.titles, handles);
        replace(&mut self.by_word, &old.words, &new.words, handles);
        replace(&mut self.wanted, &old.wanted, &new.wanted, dependencies);
        for &hash in &old.lowered {
            if let Some(count) = self.lowered.get_mut(&hash) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.lowered.remove(&hash);
                }
            }
        }
        for &hash in &new.lowered {
            *self.lowered.entry(hash).or_default() += 1;
        }
    }

    /// The teams listing each milestone of a document, once per milestone;
    /// `None` when an owner names no team yet.
    fn owner_teams(&self, doc: u32) -> Option<Vec<usize>> {
        let range = self.starts[doc as usize]..self.starts[doc as usize + 1];
        owner_teams_of(&self.milestones[range], &self.team_names)
    }

    /// Rebuilds a document's diagnostics from its parts.
    fn merge(&mut self, doc: u32, extraction: &Extraction) {
        let live = &mut self.docs[doc as usize];
        let mut merged: Vec<Arc<Diagnostic>> = Vec::new();
        merged.extend(extraction.diagnostics.iter().cloned().map(Arc::new));
        merged.extend(live.catalog.iter().cloned().map(Arc::new));
        if let Some(normalised) = &live.normalised {
            merged.extend(normalised.diagnostics.iter().cloned().map(Arc::new));
        }
        merged.extend(live.tagged.iter().map(|(_, _, d)| Arc::new(d.clone())));
        merged.sort_by_key(|d| d.line);
        live.merged = merged;
    }

    /// Folds one changed document in: `old` is its extraction at the last
    /// read, `new` the current one. On `Err` nothing was changed.
    pub(crate) fn update(
        &mut self,
        old: &Extraction,
        new: &Extraction,
        cache: &mut NormalisedCache,
        links: &Links,
        options: &ReadOptions,
        all: &std::collections::BTreeMap<String, Extraction>,
    ) -> Result<(), Reassemble> {
        let &doc = self.numbers.get(&new.path).ok_or(Reassemble)?;
        if options.today != self.today || options.due_soon_days != self.due_soon_days {
            return Err(Reassemble);
        }
        let roadmap_kind = |e: &Extraction| matches!(e.kind, Kind::Markdown | Kind::YamlRoadmap);
        // A document's own entity picks its catalog claim (see `assemble`).
        let same_facts = old.owners == new.owners
            && old.entity == new.entity
            && old.named_teams == new.named_teams
            && old.teams == new.teams
            && old.groups == new.groups
            && old.entities.is_empty()
            && new.entities.is_empty();
        if !same_facts || old.kind == Kind::Catalog || new.kind == Kind::Catalog {
            return Err(Reassemble);
        }
        if !yields_roadmap(old) && !yields_roadmap(new) {
            // A document with no milestone before or after (a README next
            // to the roadmaps): only its diagnostics can have changed.
            self.merge(doc, new);
            return Ok(());
        }
        if !(roadmap_kind(old) && roadmap_kind(new) && yields_roadmap(old) && yields_roadmap(new))
            || old.kind != new.kind
        {
            return Err(Reassemble);
        }
        let d = doc as usize;
        let claim = self.docs[d].claim.clone();
        let link = links.get(&new.path).map(String::as_str);
        let mut output = Normalised {
            fingerprint: normalised_fingerprint(
                self.known_fingerprint,
                claim.as_ref(),
                link,
                options,
            ),
            ..Normalised::default()
        };
        read_document(
            new,
            Raws::Kept(&new.milestones),
            options,
            &self.known,
            claim.as_ref(),
            link,
            Some(&mut cache.words),
            &mut output,
        );
        let old_normalised = self.docs[d].normalised.clone().ok_or(Reassemble)?;
        if output.document.is_none() {
            return Err(Reassemble);
        }

        // Ids: no id of this document, before or after, may be shared.
        let mut seen: FastSet<&str> = FastSet::default();
        for keys in &output.keys {
            if !seen.insert(keys.lowered_id()) {
                return Err(Reassemble);
            }
        }
        let old_ids: FastSet<&str> = old_normalised.keys.iter().map(|k| k.lowered_id()).collect();
        for id in seen.iter().chain(&old_ids) {
            let held = self.lowered.get(&hash_key(id)).copied().unwrap_or(0);
            let own = u32::from(old_ids.contains(id));
            if held > own || self.duplicated.contains(*id) || self.suffixed_duplicate(id) {
                return Err(Reassemble);
            }
        }
        // Teams: every owner names a team, and the teams made from owners
        // alone are first met in the same order.
        let new_teams = owner_teams_of(&output.milestones, &self.team_names).ok_or(Reassemble)?;
        let old_teams = self.owner_teams(doc).ok_or(Reassemble)?;
        let undeclared = |teams: &[usize]| -> Vec<usize> {
            let mut order = Vec::new();
            for &team in teams {
                if team >= self.declared_teams && !order.contains(&team) {
                    order.push(team);
                }
            }
            order
        };
        if undeclared(&new_teams) != undeclared(&old_teams) {
            return Err(Reassemble);
        }

        // From here on the change is folded in.
        let new_count = output.milestones.len();
        // Dependency texts that could name one of this document's
        // milestones, before or after: only those are resolved again.
        let mut affected_keys: FastSet<KeyHash> = FastSet::default();
        let old_milestones = &self.milestones[self.starts[d]..self.starts[d + 1]];
        for (keys, milestone) in old_normalised.keys.iter().zip(old_milestones) {
            affected_keys.insert(hash_key(&key(&milestone.id)));
            affected_keys.insert(hash_key(keys.id_key()));
            affected_keys.extend(title_phrases(keys.title_key()).map(hash_key));
        }
        for keys in &output.keys {
            affected_keys.insert(hash_key(keys.id_key()));
            affected_keys.extend(title_phrases(keys.title_key()).map(hash_key));
        }
        let mut affected: Vec<Handle> = Vec::new();
        for hash in &affected_keys {
            if let Some(list) = self.wanted.get(hash) {
                affected.extend(list.iter().map(|&(h, _)| h).filter(|h| h.0 != doc));
            }
        }
        affected.sort_unstable();
        affected.dedup();

        // Out with the old milestones: their index entries, and their
        // places among other milestones' dependents.
        let mut refresh: FastSet<Handle> = FastSet::default();
        let old_entries = Entries::of(doc, &old_normalised.keys, &[]);
        let mut old_edges: Vec<Vec<Handle>> = Vec::with_capacity(old_normalised.keys.len());
        for handle in self.handles(doc).collect::<Vec<_>>() {
            let targets = std::mem::take(&mut self.docs[d].edges[handle.1 as usize]);
            old_edges.push(targets.clone());
            for target in targets {
                if target.0 != doc {
                    self.docs[target.0 as usize].dependents[target.1 as usize]
                        .retain(|&h| h != handle);
                    refresh.insert(target);
                }
            }
        }
        let before: Vec<Vec<Handle>> = affected
            .iter()
            .map(|&(doc, at)| self.docs[doc as usize].edges[at as usize].clone())
            .collect();
        for (&from, targets) in affected.iter().zip(&before) {
            for &target in targets.iter().filter(|t| t.0 != doc) {
                self.docs[target.0 as usize].dependents[target.1 as usize].retain(|&h| h != from);
                refresh.insert(target);
            }
        }

        // In with the new.
        let output = Arc::new(output);
        cache.outputs.insert(new.path.clone(), output.clone());
        let range = self.starts[d]..self.starts[d + 1];
        self.milestones
            .splice(range, output.milestones.iter().cloned());
        let delta = new_count as isize - old_normalised.milestones.len() as isize;
        for start in &mut self.starts[d + 1..] {
            *start = start.saturating_add_signed(delta);
        }
        if let Some(document) = output.document.clone() {
            let position = self.docs[..d]
                .iter()
                .filter(|doc| doc.normalised.is_some())
                .count();
            if let Some(slot) = self.documents.get_mut(position) {
                *slot = document;
            }
        }
        {
            let live = &mut self.docs[d];
            live.normalised = Some(output.clone());
            live.edges = vec![Vec::new(); new_count];
            live.dependents = vec![Vec::new(); new_count];
            live.tagged.retain(|(pass, _, _)| *pass == Pass::Cycle);
        }
        self.reindex(doc, &old_entries, &Entries::of(doc, &output.keys, &[]));
        let mut resolving: Vec<Handle> = affected.clone();
        resolving.extend(self.handles(doc));

        // Resolve again, then refresh the dependents lists that changed.
        let mut touched_docs: FastSet<u32> = FastSet::default();
        touched_docs.insert(doc);
        for &from in &resolving {
            let targets = self.resolve_milestone(from);
            touched_docs.insert(from.0);
            for &target in &targets {
                let list = &mut self.docs[target.0 as usize].dependents[target.1 as usize];
                let at = list.partition_point(|&h| h < from);
                if list.get(at) != Some(&from) {
                    list.insert(at, from);
                }
                refresh.insert(target);
            }
            self.docs[from.0 as usize].edges[from.1 as usize] = targets;
        }
        for target in refresh {
            let ids: Vec<String> = self.docs[target.0 as usize].dependents[target.1 as usize]
                .iter()
                .map(|&h| self.milestone(h).id.clone())
                .collect();
            let flat = self.flat(target);
            if self.milestones[flat].dependents != ids {
                Arc::make_mut(&mut self.milestones[flat]).dependents = ids;
            }
        }
        for &from in &resolving {
            self.diagnose(from);
        }
        self.statuses_from(&resolving);
        // Cycles only change with the graph (or with the names and lines
        // of the milestones on them).
        let edges_changed = affected
            .iter()
            .zip(&before)
            .any(|(&(doc, at), before)| self.docs[doc as usize].edges[at as usize] != *before)
            || (0..old_edges.len().max(new_count)).any(|at| {
                let after = self.docs[d].edges.get(at).map_or(&[][..], Vec::as_slice);
                let before = old_edges.get(at).map_or(&[][..], Vec::as_slice);
                after != before
            });
        if edges_changed || self.cycle_members.contains(&doc) {
            touched_docs.extend(self.cycles());
        }

        // Team lists: this document's run in each of its teams' lists.
        let teams: FastSet<usize> = old_teams.iter().chain(&new_teams).copied().collect();
        for team in teams {
            let ids: Vec<String> = self
                .handles(doc)
                .map(|h| self.milestone(h))
                .filter(|m| {
                    m.owners
                        .iter()
                        .any(|owner| self.team_names.find(owner) == Some(team))
                })
                .map(|m| m.id.clone())
                .collect();
            let start: u32 = self.team_counts[team][..d].iter().sum();
            let old_run = self.team_counts[team][d] as usize;
            self.team_counts[team][d] = ids.len() as u32;
            let list = &mut Arc::make_mut(&mut self.teams[team]).milestones;
            let start = (start as usize).min(list.len());
            let end = (start + old_run).min(list.len());
            list.splice(start..end, ids);
        }

        if old.markers != new.markers {
            self.markers = self
                .docs
                .iter()
                .filter(|doc| doc.normalised.is_some())
                .filter_map(|doc| all.get(&doc.path))
                .flat_map(|e| e.markers.iter().cloned())
                .collect();
            sort_markers(&mut self.markers);
        }
        for touched in touched_docs {
            if touched == doc {
                self.merge(touched, new);
            } else if let Some(extraction) = all.get(&self.docs[touched as usize].path) {
                self.merge(touched, extraction);
            }
        }
        Ok(())
    }

    /// Whether `id` is an id made unique from a duplicated one (`x-2`).
    fn suffixed_duplicate(&self, id: &str) -> bool {
        let base = id.trim_end_matches(|c: char| c.is_ascii_digit());
        base.len() < id.len()
            && base
                .strip_suffix('-')
                .is_some_and(|base| self.duplicated.contains(base))
    }

    /// Resolves one milestone's dependencies again: sets each dependency's
    /// milestone, replaces its resolution diagnostics and returns its
    /// targets, each once.
    fn resolve_milestone(&mut self, from: Handle) -> Vec<Handle> {
        let Some(normalised) = self.docs[from.0 as usize].normalised.clone() else {
            return Vec::new();
        };
        let Some(keys) = normalised.keys.get(from.1 as usize) else {
            return Vec::new();
        };
        let flat = self.flat(from);
        let mut targets: Vec<Handle> = Vec::new();
        let mut links: Vec<Option<String>> = Vec::new();
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        {
            let milestone = &self.milestones[flat];
            let mut wanted_keys = keys.dependency_keys();
            for dependency in &milestone.dependencies {
                let wanted = wanted_keys.next().unwrap_or_default();
                match resolve_text(&*self, from, wanted) {
                    Resolution::Found(to) => {
                        links.push(Some(self.milestone(to).id.clone()));
                        if !targets.contains(&to) {
                            targets.push(to);
                        }
                    }
                    Resolution::Ambiguous(candidates) => {
                        let names: Vec<&str> = candidates
                            .iter()
                            .take(5)
                            .map(|&c| self.milestone(c).id.as_str())
                            .collect();
                        diagnostics.push(ambiguous(milestone, &dependency.text, &names));
                        links.push(None);
                    }
                    Resolution::External => {
                        diagnostics.extend(dangling(milestone, &dependency.text));
                        links.push(None);
                    }
                }
            }
        }
        let same = self.milestones[flat]
            .dependencies
            .iter()
            .zip(&links)
            .all(|(dependency, link)| dependency.milestone == *link);
        if !same {
            let milestone = Arc::make_mut(&mut self.milestones[flat]);
            for (dependency, link) in milestone.dependencies.iter_mut().zip(links) {
                dependency.milestone = link;
            }
        }
        self.replace_tagged(from, Pass::Resolution, diagnostics);
        targets
    }

    /// Replaces a milestone's self-dependency and schedule diagnostics.
    fn diagnose(&mut self, from: Handle) {
        let targets = &self.docs[from.0 as usize].edges[from.1 as usize];
        let milestone = self.milestone(from);
        let itself: Vec<Diagnostic> = self_dependency(milestone, from, targets)
            .into_iter()
            .collect();
        let schedule = schedule_conflicts(milestone, targets.iter().map(|&t| self.milestone(t)));
        self.replace_tagged(from, Pass::SelfDependency, itself);
        self.replace_tagged(from, Pass::Schedule, schedule);
    }

    fn replace_tagged(&mut self, (doc, at): Handle, pass: Pass, diagnostics: Vec<Diagnostic>) {
        let tagged = &mut self.docs[doc as usize].tagged;
        tagged.retain(|(p, a, _)| !(*p == pass && *a == at));
        let position = tagged.partition_point(|(p, a, _)| (*p, *a) <= (pass, at));
        tagged.splice(
            position..position,
            diagnostics
                .into_iter()
                .map(|diagnostic| (pass, at, diagnostic)),
        );
    }

    /// Statuses again for `seeds` (milestones new or resolved again) and
    /// everything that depends on them, transitively: blocked spreads
    /// through dependents, so nothing else can change. A milestone is
    /// copied only when its status changes.
    fn statuses_from(&mut self, seeds: &[Handle]) {
        use crate::model::{State, Status};
        let finished = |state: State| matches!(state, State::Done | State::Cancelled);
        let mut region: FastSet<Handle> = FastSet::default();
        let mut stack: Vec<Handle> = seeds.to_vec();
        while let Some(handle) = stack.pop() {
            if region.insert(handle) {
                stack.extend(&self.docs[handle.0 as usize].dependents[handle.1 as usize]);
            }
        }
        // Blocked inside the region: its blocked states, and what a blocked
        // dependency outside it (whose status stands) passes on.
        let mut blocked: FastSet<Handle> = FastSet::default();
        let mut queue: Vec<Handle> = Vec::new();
        for &handle in &region {
            let milestone = self.milestone(handle);
            let from_outside = !finished(milestone.state)
                && self.docs[handle.0 as usize].edges[handle.1 as usize]
                    .iter()
                    .any(|t| !region.contains(t) && self.milestone(*t).status == Status::Blocked);
            if milestone.state == State::Blocked || from_outside {
                blocked.insert(handle);
                queue.push(handle);
            }
        }
        while let Some((doc, at)) = queue.pop() {
            for &dependent in &self.docs[doc as usize].dependents[at as usize] {
                if !blocked.contains(&dependent) && !finished(self.milestone(dependent).state) {
                    blocked.insert(dependent);
                    queue.push(dependent);
                }
            }
        }
        for handle in region {
            let flat = self.flat(handle);
            let milestone = &mut self.milestones[flat];
            let status = status_of(
                milestone,
                blocked.contains(&handle),
                self.today,
                self.due_soon_days,
            );
            if milestone.status != status {
                Arc::make_mut(milestone).status = status;
            }
        }
    }

    /// Reports cycles again over the whole graph; returns the documents
    /// whose cycle reports changed (held one before or after).
    fn cycles(&mut self) -> FastSet<u32> {
        let mut touched: FastSet<u32> = std::mem::take(&mut self.cycle_docs);
        self.cycle_members.clear();
        for &doc in &touched {
            self.docs[doc as usize]
                .tagged
                .retain(|(pass, _, _)| *pass != Pass::Cycle);
        }
        let mut offsets: Vec<usize> = Vec::with_capacity(self.milestones.len() + 1);
        let mut targets: Vec<usize> = Vec::new();
        for doc in &self.docs {
            for edges in &doc.edges {
                offsets.push(targets.len());
                targets.extend(
                    edges
                        .iter()
                        .map(|&(d, a)| self.starts[d as usize] + a as usize),
                );
            }
        }
        offsets.push(targets.len());
        let mut found: Vec<(usize, Diagnostic)> = Vec::new();
        let mut members: Vec<usize> = Vec::new();
        report_cycles(
            self.milestones.len(),
            |node| &targets[offsets[node]..offsets[node + 1]],
            |node| &self.milestones[node],
            |at, cycle, diagnostic| {
                found.push((at, diagnostic));
                members.extend(cycle);
            },
        );
        for member in members {
            let doc = self.starts.partition_point(|&start| start <= member) - 1;
            self.cycle_members.insert(doc as u32);
        }
        for (sequence, (at, diagnostic)) in found.into_iter().enumerate() {
            let doc = self.starts.partition_point(|&start| start <= at) - 1;
            let tagged = &mut self.docs[doc].tagged;
            let key = (Pass::Cycle, sequence as u32);
            let position = tagged.partition_point(|(p, a, _)| (*p, *a) <= key);
            tagged.insert(position, (Pass::Cycle, sequence as u32, diagnostic));
            self.cycle_docs.insert(doc as u32);
            touched.insert(doc as u32);
        }
        touched
    }

    fn id_key(&self, handle: Handle) -> std::borrow::Cow<'_, str> {
        let milestone = self.milestone(handle);
        match self.docs[handle.0 as usize].keys(handle.1) {
            Some(keys) if keys.lowered_id() == milestone.id.to_lowercase() => {
                std::borrow::Cow::Borrowed(keys.id_key())
            }
            _ => std::borrow::Cow::Owned(key(&milestone.id)),
        }
    }
}

/// The teams listing each of these milestones, once per milestone, in
/// order; `None` when an owner names no team yet.
fn owner_teams_of(milestones: &[Arc<Milestone>], names: &TeamNames) -> Option<Vec<usize>> {
    let mut found = Vec::new();
    for milestone in milestones {
        let start = found.len();
        for owner in &milestone.owners {
            let team = names.find(owner)?;
            if !found[start..].contains(&team) {
                found.push(team);
            }
        }
    }
    Some(found)
}

impl Candidates for Live {
    type Ref = Handle;

    fn first_with_id(&self, id_key: &str) -> Option<Handle> {
        self.by_id
            .get(&hash_key(id_key))?
            .iter()
            .copied()
            .find(|&h| self.id_key(h) == id_key)
    }

    fn with_title(&self, title_key: &str) -> Vec<Handle> {
        self.by_title
            .get(&hash_key(title_key))
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&(doc, at)| {
                        self.docs[doc as usize]
                            .keys(at)
                            .is_some_and(|k| k.title_key() == title_key)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn with_word(&self, word: &str) -> Option<&[Handle]> {
        let list = self.by_word.get(&hash_key(word))?;
        (!list.is_empty()).then_some(list.as_slice())
    }

    fn title_key(&self, (doc, at): Handle) -> &str {
        self.docs[doc as usize]
            .keys(at)
            .map_or("", |k| k.title_key())
    }

    fn same_document(&self, a: Handle, b: Handle) -> bool {
        a.0 == b.0
    }
}

/// One document's entries in the live indexes, by key hash.
#[derive(Debug, Default)]
struct Entries {
    ids: Vec<(KeyHash, Handle)>,
    titles: Vec<(KeyHash, Handle)>,
    words: Vec<(KeyHash, Handle)>,
    wanted: Vec<(KeyHash, (Handle, u32))>,
    lowered: Vec<KeyHash>,
}

impl Entries {
    /// The entries of document `doc`'s milestones (`keys`), with the id
    /// keys of milestones whose id was made unique in `renamed`.
    fn of(doc: u32, keys: &[MilestoneKeys], renamed: &[Option<String>]) -> Entries {
        let mut entries = Entries::default();
        for (at, keys) in keys.iter().enumerate() {
            let handle = (doc, at as u32);
            let id_key = renamed
                .get(at)
                .and_then(Option::as_deref)
                .unwrap_or(keys.id_key());
            entries.ids.push((hash_key(id_key), handle));
            entries.titles.push((hash_key(keys.title_key()), handle));
            for word in keys.title_key().split(' ') {
                entries.words.push((hash_key(word), handle));
            }
            for (position, text) in keys.dependency_keys().enumerate() {
                entries
                    .wanted
                    .push((hash_key(text), (handle, position as u32)));
            }
            entries.lowered.push(hash_key(keys.lowered_id()));
        }
        entries
    }
}
