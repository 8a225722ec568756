//! The user's own data: tags, colors, stars, read marks and notes, keyed by
//! stable paper ids; with undo/redo, a tag tree for the facet panel, merging,
//! and the versioned storage envelope (encode/decode only: no IO here).
//!
//! Tag names are trimmed, inner whitespace collapsed, and compared without
//! regard to case ("Reading/Now" and "reading/now" are one tag; the first
//! spelling is kept). A `/` makes a hierarchy: `reading/now` is a child of
//! `reading`. Data for papers that are not in the current corpus is kept and
//! reported, never dropped (ids are stable across rebuilds).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The version of the envelope this build writes.
pub const USER_DATA_VERSION: u32 = 2;
/// Longest note kept per paper, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// Longest tag name, in characters.
pub const MAX_TAG_CHARS: usize = 100;
/// Undo steps kept.
const UNDO_LIMIT: usize = 100;

/// What the user recorded about one paper.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaperData {
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub starred: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Milliseconds since the epoch of the last change (given by the caller).
    #[serde(skip_serializing_if = "is_zero")]
    pub updated: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl PaperData {
    fn is_empty(&self) -> bool {
        self.tags.is_empty() && !self.starred && !self.read && self.note.is_empty()
    }
}

/// Display settings of a tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagInfo {
    /// A CSS color (`#rrggbb`), any the user likes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// All of the user's data for one corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserData {
    /// Paper id -> what the user recorded.
    pub papers: BTreeMap<String, PaperData>,
    /// Tag name -> display settings (only tags with settings are listed).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, TagInfo>,
}

/// Why an operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TagError {
    #[error("a tag name cannot be empty")]
    EmptyName,
    #[error("a tag name is at most {MAX_TAG_CHARS} characters")]
    NameTooLong,
    #[error("a tag name cannot have an empty level (`a//b`, a leading or trailing `/`)")]
    EmptyLevel,
    #[error("no tag is named \"{0}\"")]
    NoSuchTag(String),
    #[error("a note is at most {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
    #[error("\"{0}\" is not a color: use #rrggbb")]
    BadColor(String),
}

/// Cleans a tag name: trims, collapses whitespace, trims around `/`.
pub fn normalize_tag(name: &str) -> Result<String, TagError> {
    let levels: Vec<String> =
        name.split('/').map(|level| level.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    if levels.iter().all(String::is_empty) {
        return Err(TagError::EmptyName);
    }
    if levels.iter().any(String::is_empty) {
        return Err(TagError::EmptyLevel);
    }
    let name = levels.join("/");
    if name.chars().count() > MAX_TAG_CHARS {
        return Err(TagError::NameTooLong);
    }
    Ok(name)
}

/// The case-insensitive identity of a tag name.
fn tag_key(name: &str) -> String {
    name.to_lowercase()
}

/// True when `name` is `ancestor` or below it (`reading/now` is below `reading`).
fn is_within(name: &str, ancestor: &str) -> bool {
    let (name, ancestor) = (tag_key(name), tag_key(ancestor));
    name == ancestor || name.strip_prefix(&ancestor).is_some_and(|rest| rest.starts_with('/'))
}

/// A node of the tag tree shown in the facet panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagNode {
    /// The last level of the name ("now" for `reading/now`).
    pub label: String,
    /// The full name (`reading/now`).
    pub name: String,
    /// Papers in the corpus carrying this tag or one below it.
    pub count: usize,
    pub color: Option<String>,
    pub children: Vec<TagNode>,
}

/// Data kept for papers the current corpus does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Orphans {
    pub papers: usize,
    pub tags: usize,
}

/// The user data with its undo history.
#[derive(Debug, Clone, Default)]
pub struct TagStore {
    data: UserData,
    undo: Vec<UserData>,
    redo: Vec<UserData>,
}

impl TagStore {
    pub fn new(data: UserData) -> Self {
        Self { data, undo: Vec::new(), redo: Vec::new() }
    }

    pub fn data(&self) -> &UserData {
        &self.data
    }

    /// Replaces the data (e.g. with another tab's newer copy); the history
    /// is kept so that an undo can still restore this tab's earlier state.
    pub fn replace(&mut self, data: UserData) {
        if data != self.data {
            self.data = data;
        }
    }

    /// Replaces the data as one undoable step (an import).
    pub fn replace_as_step(&mut self, data: UserData) {
        self.step(|current| *current = data);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(previous) => {
                self.redo.push(std::mem::replace(&mut self.data, previous));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.data, next));
                true
            }
            None => false,
        }
    }

    /// Runs `change` as one undoable step; nothing is recorded if it changed nothing.
    fn step<T>(&mut self, change: impl FnOnce(&mut UserData) -> T) -> T {
        let before = self.data.clone();
        let result = change(&mut self.data);
        self.data.papers.retain(|_, paper| !paper.is_empty());
        if self.data != before {
            self.undo.push(before);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        result
    }

    /// The spelling already in use for a tag with this name, if any.
    fn existing_spelling(&self, name: &str) -> Option<String> {
        let key = tag_key(name);
        self.all_tags().into_iter().find(|t| tag_key(t) == key)
    }

    /// Adds `tag` to each paper in `ids`; returns how many papers gained it.
    pub fn add_tag(&mut self, ids: &[&str], tag: &str, now: u64) -> Result<usize, TagError> {
        let tag = normalize_tag(tag)?;
        let tag = self.existing_spelling(&tag).unwrap_or(tag);
        Ok(self.step(|data| {
            let mut added = 0;
            for id in ids {
                let paper = data.papers.entry((*id).to_owned()).or_default();
                if !paper.tags.iter().any(|t| tag_key(t) == tag_key(&tag)) {
                    paper.tags.insert(tag.clone());
                    paper.updated = now;
                    added += 1;
                }
            }
            added
        }))
    }

    /// Removes `tag` (exactly that tag, not its children) from each paper in `ids`.
    pub fn remove_tag(&mut self, ids: &[&str], tag: &str, now: u64) -> usize {
        let key = tag_key(tag.trim());
        self.step(|data| {
            let mut removed = 0;
            for id in ids {
                if let Some(paper) = data.papers.get_mut(*id) {
                    let before = paper.tags.len();
                    paper.tags.retain(|t| tag_key(t) != key);
                    if paper.tags.len() != before {
                        paper.updated = now;
                        removed += 1;
                    }
                }
            }
            removed
        })
    }

    /// Renames `from` (and every tag below it) to `to` on every paper. If `to`
    /// exists the two merge. Returns the number of papers changed.
    pub fn rename_tag(&mut self, from: &str, to: &str, now: u64) -> Result<usize, TagError> {
        let from = normalize_tag(from)?;
        // A parent level (`reading` of `reading/now`) may be renamed even if
        // no paper carries it alone; its spelling is taken from a descendant.
        let from = self
            .all_tags()
            .into_iter()
            .find(|t| is_within(t, &from))
            .map(|t| t.get(..from.len()).filter(|p| tag_key(p) == tag_key(&from)).unwrap_or(&from).to_owned())
            .ok_or_else(|| TagError::NoSuchTag(from.clone()))?;
        let to = normalize_tag(to)?;
        let to = self.existing_spelling(&to).unwrap_or(to);
        let prefix_len = from.len();
        let renamed = |name: &str| -> Option<String> {
            is_within(name, &from).then(|| format!("{to}{}", name.get(prefix_len..).unwrap_or_default()))
        };
        Ok(self.step(|data| {
            let mut changed = 0;
            for paper in data.papers.values_mut() {
                if !paper.tags.iter().any(|t| is_within(t, &from)) {
                    continue;
                }
                let tags = std::mem::take(&mut paper.tags);
                let mut seen = HashSet::new();
                for tag in tags {
                    let tag = renamed(&tag).unwrap_or(tag);
                    if seen.insert(tag_key(&tag)) {
                        paper.tags.insert(tag);
                    }
                }
                paper.updated = now;
                changed += 1;
            }
            let infos = std::mem::take(&mut data.tags);
            for (name, info) in infos {
                let name = renamed(&name).unwrap_or(name);
                data.tags.entry(name).or_insert(info);
            }
            changed
        }))
    }

    /// Deletes `tag` and every tag below it from all papers.
    pub fn delete_tag(&mut self, tag: &str, now: u64) -> usize {
        let tag = tag.trim().to_owned();
        self.step(|data| {
            let mut changed = 0;
            for paper in data.papers.values_mut() {
                let before = paper.tags.len();
                paper.tags.retain(|t| !is_within(t, &tag));
                if paper.tags.len() != before {
                    paper.updated = now;
                    changed += 1;
                }
            }
            data.tags.retain(|name, _| !is_within(name, &tag));
            changed
        })
    }

    pub fn set_color(&mut self, tag: &str, color: Option<&str>) -> Result<(), TagError> {
        if let Some(color) = color {
            let valid = color.len() == 7
                && color.starts_with('#')
                && color[1..].chars().all(|c| c.is_ascii_hexdigit());
            if !valid {
                return Err(TagError::BadColor(color.to_owned()));
            }
        }
        let tag = normalize_tag(tag)?;
        let tag = self.existing_spelling(&tag).ok_or_else(|| TagError::NoSuchTag(tag.clone()))?;
        self.step(|data| match color {
            Some(color) => {
                data.tags.entry(tag).or_default().color = Some(color.to_lowercase());
            }
            None => {
                data.tags.remove(&tag);
            }
        });
        Ok(())
    }

    pub fn set_starred(&mut self, ids: &[&str], starred: bool, now: u64) -> usize {
        self.set_flag(ids, now, |paper| std::mem::replace(&mut paper.starred, starred) != starred)
    }

    pub fn set_read(&mut self, ids: &[&str], read: bool, now: u64) -> usize {
        self.set_flag(ids, now, |paper| std::mem::replace(&mut paper.read, read) != read)
    }

    fn set_flag(&mut self, ids: &[&str], now: u64, mut set: impl FnMut(&mut PaperData) -> bool) -> usize {
        self.step(|data| {
            let mut changed = 0;
            for id in ids {
                let paper = data.papers.entry((*id).to_owned()).or_default();
                if set(paper) {
                    paper.updated = now;
                    changed += 1;
                }
            }
            changed
        })
    }

    pub fn set_note(&mut self, id: &str, note: &str, now: u64) -> Result<(), TagError> {
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(TagError::NoteTooLong);
        }
        self.step(|data| {
            let paper = data.papers.entry(id.to_owned()).or_default();
            if paper.note != note {
                paper.note = note.to_owned();
                paper.updated = now;
            }
        });
        Ok(())
    }

    pub fn paper(&self, id: &str) -> Option<&PaperData> {
        self.data.papers.get(id)
    }

    /// Every tag in use, sorted case-insensitively.
    pub fn all_tags(&self) -> Vec<String> {
        let mut seen = BTreeMap::new();
        for tag in self.data.papers.values().flat_map(|p| &p.tags) {
            seen.entry(tag_key(tag)).or_insert_with(|| tag.clone());
        }
        seen.into_values().collect()
    }

    /// Tags starting with `prefix` (case-insensitive), for autocomplete.
    pub fn complete(&self, prefix: &str) -> Vec<String> {
        let prefix = tag_key(prefix.trim());
        self.all_tags().into_iter().filter(|t| tag_key(t).starts_with(&prefix)).collect()
    }

    /// Papers carrying `tag` or a tag below it.
    pub fn papers_with(&self, tag: &str) -> Vec<&str> {
        self.data
            .papers
            .iter()
            .filter(|(_, p)| p.tags.iter().any(|t| is_within(t, tag)))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The tag hierarchy with paper counts over the ids `in_corpus` accepts.
    pub fn tree(&self, in_corpus: impl Fn(&str) -> bool) -> Vec<TagNode> {
        let mut roots: Vec<TagNode> = Vec::new();
        for name in self.all_tags() {
            let mut level = &mut roots;
            let mut full = String::new();
            for part in name.split('/') {
                if !full.is_empty() {
                    full.push('/');
                }
                full.push_str(part);
                let index = match level.iter().position(|n| tag_key(&n.name) == tag_key(&full)) {
                    Some(i) => i,
                    None => {
                        level.push(TagNode {
                            label: part.to_owned(),
                            name: full.clone(),
                            count: 0,
                            color: None,
                            children: Vec::new(),
                        });
                        level.len() - 1
                    }
                };
                level = &mut level[index].children;
            }
        }
        fn fill(nodes: &mut [TagNode], store: &TagStore, in_corpus: &dyn Fn(&str) -> bool) {
            for node in nodes {
                node.count = store.papers_with(&node.name).into_iter().filter(|id| in_corpus(id)).count();
                node.color = store
                    .data
                    .tags
                    .iter()
                    .find(|(n, _)| tag_key(n) == tag_key(&node.name))
                    .and_then(|(_, i)| i.color.clone());
                fill(&mut node.children, store, in_corpus);
            }
        }
        fill(&mut roots, self, &in_corpus);
        roots
    }

    /// What is kept for papers the corpus does not have.
    pub fn orphans(&self, in_corpus: impl Fn(&str) -> bool) -> Orphans {
        let mut orphans = Orphans::default();
        for (id, paper) in &self.data.papers {
            if !in_corpus(id) {
                orphans.papers += 1;
                orphans.tags += paper.tags.len();
            }
        }
        orphans
    }
}

/// Merges `incoming` into `base` without losing anything: tags, stars and
/// read marks are unions; differing notes are both kept (the incoming one
/// appended under a separator) unless one already contains the other.
pub fn merge(base: &UserData, incoming: &UserData) -> UserData {
    let mut merged = base.clone();
    for (id, theirs) in &incoming.papers {
        let ours = merged.papers.entry(id.clone()).or_default();
        for tag in &theirs.tags {
            if !ours.tags.iter().any(|t| tag_key(t) == tag_key(tag)) {
                ours.tags.insert(tag.clone());
            }
        }
        ours.starred |= theirs.starred;
        ours.read |= theirs.read;
        ours.note = merge_notes(&ours.note, &theirs.note);
        ours.updated = ours.updated.max(theirs.updated);
    }
    for (name, info) in &incoming.tags {
        merged.tags.entry(name.clone()).or_insert_with(|| info.clone());
    }
    merged.papers.retain(|_, p| !p.is_empty());
    merged
}

/// The separator put between two notes that a merge keeps.
pub const NOTE_SEPARATOR: &str = "\n\n— merged —\n\n";

fn merge_notes(ours: &str, theirs: &str) -> String {
    if theirs.is_empty() || ours.contains(theirs) {
        ours.to_owned()
    } else if ours.is_empty() || theirs.contains(ours) {
        theirs.to_owned()
    } else {
        format!("{ours}{NOTE_SEPARATOR}{theirs}")
    }
}

/// What importing would change, for the preview shown before applying.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// Tags that do not exist yet.
    pub new_tags: Vec<String>,
    /// Papers whose data would change.
    pub papers_changed: usize,
    /// Tag assignments added.
    pub tags_added: usize,
    pub stars_added: usize,
    pub reads_added: usize,
    pub notes_changed: usize,
}

impl ImportPreview {
    pub fn is_empty(&self) -> bool {
        self.papers_changed == 0 && self.new_tags.is_empty()
    }
}

pub fn preview_import(current: &UserData, incoming: &UserData) -> ImportPreview {
    let merged = merge(current, incoming);
    let mut preview = ImportPreview::default();
    let existing: HashSet<String> =
        current.papers.values().flat_map(|p| p.tags.iter().map(|t| tag_key(t))).collect();
    let mut new_tags = BTreeMap::new();
    let empty = PaperData::default();
    for (id, after) in &merged.papers {
        let before = current.papers.get(id).unwrap_or(&empty);
        if before == after {
            continue;
        }
        preview.papers_changed += 1;
        preview.tags_added += after.tags.len() - before.tags.len();
        preview.stars_added += usize::from(after.starred && !before.starred);
        preview.reads_added += usize::from(after.read && !before.read);
        preview.notes_changed += usize::from(after.note != before.note);
        for tag in &after.tags {
            if !existing.contains(&tag_key(tag)) {
                new_tags.entry(tag_key(tag)).or_insert_with(|| tag.clone());
            }
        }
    }
    preview.new_tags = new_tags.into_values().collect();
    preview
}

// ---------------------------------------------------------------------------
// The storage envelope

/// The stored form: `{"app":"folio","kind":"user-data","version":2,
/// "corpus":"…","saved_at":…,"data":{"papers":{…},"tags":{…}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub app: String,
    pub kind: String,
    pub version: u32,
    #[serde(default)]
    pub corpus: String,
    #[serde(default)]
    pub saved_at: u64,
    #[serde(default)]
    pub data: UserData,
}

/// The storage key of a corpus's user data: namespaced by app, format
/// generation and corpus, so corpora and other apps on the origin never clash.
pub fn storage_key(corpus: &str) -> String {
    format!("folio:v1:{corpus}:user-data")
}

/// Encodes user data for storage or export.
pub fn encode(data: &UserData, corpus: &str, saved_at: u64) -> String {
    let envelope = Envelope {
        app: "folio".to_owned(),
        kind: "user-data".to_owned(),
        version: USER_DATA_VERSION,
        corpus: corpus.to_owned(),
        saved_at,
        data: data.clone(),
    };
    serde_json::to_string_pretty(&envelope).expect("user data always serializes")
}

/// A decoded envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub data: UserData,
    pub corpus: String,
    /// Written by a newer Folio: show it, but do not write over it.
    pub read_only: bool,
    /// The version it was written with (before migration).
    pub version: u32,
}

/// Why stored or imported text is not usable user data. The caller keeps the
/// raw text aside; it is never overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not Folio user data (no \"app\": \"folio\" envelope)")]
    NotFolio,
    #[error("written by a newer Folio (format {0}) in a shape this version cannot read")]
    TooNew(u32),
    #[error("damaged Folio user data (format {version}): {reason}")]
    Damaged { version: u32, reason: String },
}

/// Version 1 stored only tags: `{"app":"folio","version":1,"tags":{"<paper id>":["tag", …]}}`.
#[derive(Deserialize)]
struct EnvelopeV1 {
    #[serde(default)]
    tags: BTreeMap<String, Vec<String>>,
}

/// Decodes stored or imported text, migrating older versions.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|err| DecodeError::NotJson(err.to_string()))?;
    if value.get("app").and_then(|a| a.as_str()) != Some("folio") {
        return Err(DecodeError::NotFolio);
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64).ok_or(DecodeError::NotFolio)?;
    let version = u32::try_from(version).map_err(|_| DecodeError::NotFolio)?;
    let corpus = value.get("corpus").and_then(|c| c.as_str()).unwrap_or_default().to_owned();
    let damaged = |err: serde_json::Error| DecodeError::Damaged { version, reason: err.to_string() };
    let data = match version {
        1 => migrate_v1(serde_json::from_value(value).map_err(damaged)?),
        USER_DATA_VERSION => serde_json::from_value::<Envelope>(value).map_err(damaged)?.data,
        newer if newer > USER_DATA_VERSION => {
            let envelope: Envelope = serde_json::from_value(value).map_err(|_| DecodeError::TooNew(newer))?;
            return Ok(Decoded { data: envelope.data, corpus, read_only: true, version });
        }
        _ => return Err(DecodeError::NotFolio),
    };
    validate(&data).map_err(|reason| DecodeError::Damaged { version, reason })?;
    Ok(Decoded { data, corpus, read_only: false, version })
}

fn migrate_v1(old: EnvelopeV1) -> UserData {
    let mut data = UserData::default();
    for (id, tags) in old.tags {
        let tags: BTreeSet<String> = tags.iter().filter_map(|t| normalize_tag(t).ok()).collect();
        if !tags.is_empty() {
            data.papers.insert(id, PaperData { tags, ..Default::default() });
        }
    }
    data
}

fn validate(data: &UserData) -> Result<(), String> {
    for (id, paper) in &data.papers {
        if id.is_empty() {
            return Err("a paper has an empty id".to_owned());
        }
        for tag in &paper.tags {
            match normalize_tag(tag) {
                Ok(clean) if &clean == tag => {}
                _ => return Err(format!("paper {id} has an invalid tag {tag:?}")),
            }
        }
        if paper.note.chars().count() > MAX_NOTE_CHARS {
            return Err(format!("paper {id} has a note over {MAX_NOTE_CHARS} characters"));
        }
    }
    Ok(())
}
