//! The user's own data: tags, colors, stars, read marks and notes, keyed by
//! stable paper ids; with undo/redo, a tag tree for the facet panel, the
//! papers a tag or reading state names, merging, import preview and the
//! versioned storage envelope (encode/decode only: no IO).
//!
//! Tag names are trimmed, inner whitespace collapsed, and compared without
//! regard to case ("Reading/Now" and "reading/now" are one tag; the spelling
//! already in use wins). A `/` makes a hierarchy: `reading/now` is a child of
//! `reading`. Data for papers that are not in the current corpus is kept and
//! reported, never dropped (ids are stable across rebuilds). The format and
//! the reasons behind it: `docs/user-data.md`.

mod change;
mod envelope;
mod merge;
mod note;
mod reading;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use change::Change;
pub use envelope::{decode, encode, storage_key, DecodeError, DecodeProblem, Decoded, USER_DATA_VERSION};
pub use merge::{merge, merge_three_way, preview_import, ImportPreview};
pub use note::NOTE_SEPARATOR;
pub use reading::ReadingState;

/// Longest note a user can write per paper, in characters: a few paragraphs,
/// which keeps a thousand annotated papers well inside a browser's 5 MB of
/// local storage. Only typing is limited: a merge that joins two notes may
/// exceed it, and such data still loads.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// Longest tag name a user can type, in characters.
pub const MAX_TAG_CHARS: usize = 100;
/// Undo steps kept; the oldest is forgotten first.
pub const UNDO_LIMIT: usize = 100;

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
    /// "Not interested": the user does not want this paper recommended,
    /// for any tag. Recommendations learn from it (it weighs as a paper
    /// unlike the tag's) and leave it out (docs/user-data.md).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_interested: bool,
    /// Milliseconds since the epoch of the last change (given by the caller:
    /// the engine has no clock).
    #[serde(skip_serializing_if = "is_zero")]
    pub updated: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl PaperData {
    /// Nothing recorded (a paper in this state is dropped from the data).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && !self.starred && !self.read && self.note.is_empty() && !self.not_interested
    }

    fn has_tag(&self, name: &str) -> bool {
        let key = tag_key(name);
        self.tags.iter().any(|t| tag_key(t) == key)
    }

    /// Adds `name` unless a tag with the same identity is there; true if added.
    fn insert_tag(&mut self, name: &str) -> bool {
        !self.has_tag(name) && self.tags.insert(name.to_owned())
    }

    /// Removes the tag with `name`'s identity; true if there was one.
    fn remove_tag(&mut self, name: &str) -> bool {
        let key = tag_key(name);
        let before = self.tags.len();
        self.tags.retain(|t| tag_key(t) != key);
        self.tags.len() != before
    }
}

/// Display settings of a tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagInfo {
    /// CSS colors (`#rrggbb`, lowercase), as many as the user likes, in the
    /// order given; a single swatch shows the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub colors: Vec<String>,
}

impl TagInfo {
    pub fn is_empty(&self) -> bool {
        self.colors.is_empty()
    }
}

/// All of the user's data for one corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserData {
    /// Paper id -> what the user recorded (papers with nothing are left out).
    pub papers: BTreeMap<String, PaperData>,
    /// Tag name -> display settings (only tags with settings are listed).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, TagInfo>,
}

impl UserData {
    /// Drops papers and tag settings that hold nothing.
    fn prune(&mut self) {
        self.papers.retain(|_, paper| !paper.is_empty());
        self.tags.retain(|_, info| !info.is_empty());
    }

    /// The settings of the tag with `name`'s identity.
    fn tag_info(&self, name: &str) -> Option<&TagInfo> {
        let key = tag_key(name);
        self.tags.iter().find(|(n, _)| tag_key(n) == key).map(|(_, info)| info)
    }

    /// Every tag carried by some paper by identity, in the spelling of the
    /// first paper (by id) that carries it.
    fn spelled_tags(&self) -> BTreeMap<String, &str> {
        let mut seen = BTreeMap::new();
        for tag in self.papers.values().flat_map(|p| &p.tags) {
            seen.entry(tag_key(tag)).or_insert(tag.as_str());
        }
        seen
    }

    /// Tag identity -> the one name the tag tree and the tag facet show for
    /// it, for every tag and every level above one, spelled level by level
    /// as the first tag (by identity) within each level is: `Reading/x` and
    /// `reading/y` are `Reading/x` and `Reading/y`, under one `Reading`.
    fn tag_names(&self) -> HashMap<String, String> {
        let mut names: HashMap<String, String> = HashMap::new();
        for tag in self.spelled_tags().into_values() {
            let mut parent = String::new();
            for level in ancestors(tag) {
                let name = names.entry(tag_key(level)).or_insert_with(|| {
                    if parent.is_empty() {
                        level.to_owned()
                    } else {
                        format!("{parent}/{}", last_level(level))
                    }
                });
                parent.clone_from(name);
            }
        }
        names
    }

    /// Each paper's tags and every tag above them (a paper tagged
    /// `reading/now` is also under `reading`), named as in the tag tree:
    /// (paper id, tag name) pairs, sorted, each once. These are the values
    /// of the tag facet.
    pub fn tag_values(&self) -> Vec<(&str, String)> {
        let names = self.tag_names();
        let mut pairs = Vec::new();
        for (id, paper) in &self.papers {
            let start = pairs.len();
            for level in paper.tags.iter().flat_map(|tag| ancestors(tag)) {
                let name = names.get(&tag_key(level)).map_or(level, String::as_str);
                pairs.push((id.as_str(), name.to_owned()));
            }
            pairs[start..].sort_unstable();
        }
        pairs.dedup();
        pairs
    }

    /// Papers carrying `tag` or a tag below it, corpus or not, sorted by id.
    pub fn papers_with(&self, tag: &str) -> Vec<&str> {
        let Ok(tag) = clean_levels(tag) else { return Vec::new() };
        self.papers
            .iter()
            .filter(|(_, p)| p.tags.iter().any(|t| is_within(t, &tag)))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Papers marked "not interested", corpus or not, sorted by id.
    pub fn not_interested(&self) -> Vec<&str> {
        self.papers.iter().filter(|(_, p)| p.not_interested).map(|(id, _)| id.as_str()).collect()
    }

    /// The papers in reading state `state`, corpus or not.
    pub fn papers_in(&self, state: ReadingState) -> PaperSet<'_> {
        let ids = |holds: bool| {
            self.papers.iter().filter(|(_, p)| state.holds(p) == holds).map(|(id, _)| id.as_str()).collect()
        };
        if state.holds(&PaperData::default()) {
            PaperSet::AllBut(ids(false))
        } else {
            PaperSet::Only(ids(true))
        }
    }

    /// The papers `tag:name` names: those carrying the tag or one below it
    /// and, when `name` is a reading state's (`starred`, `unread`, ... see
    /// [`ReadingState::names`]), those in that state.
    pub fn papers_named(&self, name: &str) -> PaperSet<'_> {
        let tagged = self.papers_with(name);
        match ReadingState::named(name).map(|state| self.papers_in(state)) {
            None => PaperSet::Only(tagged),
            Some(PaperSet::Only(mut ids)) => {
                ids.extend(tagged);
                ids.sort_unstable();
                ids.dedup();
                PaperSet::Only(ids)
            }
            Some(PaperSet::AllBut(mut ids)) => {
                let tagged: HashSet<&str> = tagged.into_iter().collect();
                ids.retain(|id| !tagged.contains(id));
                PaperSet::AllBut(ids)
            }
        }
    }
}

/// Papers named by their ids: those listed, or every paper but those
/// listed (a state such as unread holds for papers without any data, so its
/// papers are best told by the few it leaves out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperSet<'a> {
    /// These papers (sorted by id, each once).
    Only(Vec<&'a str>),
    /// Every paper except these (sorted by id, each once).
    AllBut(Vec<&'a str>),
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
    #[error("a tag name cannot contain control characters")]
    ControlCharacter,
    #[error("no tag is named \"{0}\"")]
    NoSuchTag(String),
    #[error("a note is at most {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
    #[error("\"{0}\" is not a color: use #rrggbb")]
    BadColor(String),
}

/// Cleans a tag name: trims, collapses whitespace, trims around `/`; refuses
/// empty names, empty levels, control characters and names over
/// [`MAX_TAG_CHARS`]. Case is kept.
pub fn normalize_tag(name: &str) -> Result<String, TagError> {
    let name = clean_levels(name)?;
    if name.chars().any(char::is_control) {
        return Err(TagError::ControlCharacter);
    }
    if name.chars().count() > MAX_TAG_CHARS {
        return Err(TagError::NameTooLong);
    }
    Ok(name)
}

/// The structural part of [`normalize_tag`]: whitespace and levels. Stored
/// data is checked against this alone, so that a limit tightened later never
/// makes saved data unreadable.
fn clean_levels(name: &str) -> Result<String, TagError> {
    let levels: Vec<String> =
        name.split('/').map(|level| level.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    if levels.iter().all(String::is_empty) {
        return Err(TagError::EmptyName);
    }
    if levels.iter().any(String::is_empty) {
        return Err(TagError::EmptyLevel);
    }
    Ok(levels.join("/"))
}

/// The case-insensitive identity of a tag name.
fn tag_key(name: &str) -> String {
    name.to_lowercase()
}

/// `name` and every tag above it, from the top: `reading`, `reading/now`
/// for `reading/now`. The one walk up a tag's hierarchy.
fn ancestors(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('/').map(|(i, _)| &name[..i]).chain([name])
}

/// The last level of a name (`now` of `reading/now`).
fn last_level(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// What follows `ancestor` in `name` ("" when they are the same tag,
/// "/now" for `reading/now` below `reading`), or `None` when `name` is not
/// `ancestor` or below it. Levels are compared by identity, so a change of
/// byte length between cases cannot cut a name in the wrong place.
fn below<'n>(name: &'n str, ancestor: &str) -> Option<&'n str> {
    let mut rest = name;
    for (i, level) in ancestor.split('/').enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('/')?;
        }
        let end = rest.find('/').unwrap_or(rest.len());
        if tag_key(&rest[..end]) != tag_key(level) {
            return None;
        }
        rest = &rest[end..];
    }
    Some(rest)
}

/// True when `name` is `ancestor` or below it (`reading/now` is within `reading`).
fn is_within(name: &str, ancestor: &str) -> bool {
    below(name, ancestor).is_some()
}

/// `#rrggbb`, lowercased; anything else is refused.
fn parse_color(color: &str) -> Result<String, TagError> {
    let color = color.trim();
    let valid =
        color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        Ok(color.to_ascii_lowercase())
    } else {
        Err(TagError::BadColor(color.to_owned()))
    }
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
    /// The first of `colors`, for a single swatch.
    pub color: Option<String>,
    pub colors: Vec<String>,
    /// Sorted by name, case-insensitively.
    pub children: Vec<TagNode>,
}

/// Data kept for papers the current corpus does not have. Displays as
/// "12 tags on 5 papers not in this corpus".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Orphans {
    /// Papers with any data (tags, star, read mark or note).
    pub papers: usize,
    /// Tag assignments on those papers.
    pub tags: usize,
}

impl fmt::Display for Orphans {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if self.tags == 0 {
            write!(f, "data on {} not in this corpus", plural(self.papers, "paper"))
        } else {
            write!(f, "{} on {} not in this corpus", plural(self.tags, "tag"), plural(self.papers, "paper"))
        }
    }
}

/// The user data with its undo history.
///
/// Every change is one step, recorded as the before and after of the papers
/// and tags it touched (not a snapshot of everything). Undo applies a step
/// backwards as a three-way change, so undoing here never reverts what
/// another tab did meanwhile (see [`TagStore::replace`]).
#[derive(Debug, Clone, Default)]
pub struct TagStore {
    data: UserData,
    undo: VecDeque<Change>,
    redo: Vec<Change>,
}

impl TagStore {
    pub fn new(data: UserData) -> Self {
        Self { data, undo: VecDeque::new(), redo: Vec::new() }
    }

    pub fn data(&self) -> &UserData {
        &self.data
    }

    /// Replaces the data (e.g. with [`merge_three_way`] of another tab's
    /// copy); not an undo step. The history stays: undo then reverts only
    /// this tab's own steps and leaves the other tab's changes in place.
    pub fn replace(&mut self, data: UserData) {
        self.data = data;
    }

    /// Replaces the data as one undoable step.
    pub fn replace_as_step(&mut self, data: UserData) {
        self.step(|current| *current = data);
    }

    /// Merges imported data in as one undoable step ([`merge`]: nothing is
    /// removed); returns what changed, as [`preview_import`] predicted.
    pub fn apply_import(&mut self, incoming: &UserData) -> ImportPreview {
        let preview = preview_import(&self.data, incoming);
        let merged = merge(&self.data, incoming);
        self.replace_as_step(merged);
        preview
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Reverts the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(change) = self.undo.pop_back() else { return false };
        change.inverse().apply(&mut self.data);
        self.redo.push(change);
        true
    }

    /// Applies the last undone step again; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(change) = self.redo.pop() else { return false };
        change.apply(&mut self.data);
        self.undo.push_back(change);
        true
    }

    /// Runs `edit` as one undoable step; nothing is recorded if it changed nothing.
    fn step<T>(&mut self, edit: impl FnOnce(&mut UserData) -> T) -> T {
        let before = self.data.clone();
        let result = edit(&mut self.data);
        self.data.prune();
        let change = Change::between(&before, &self.data);
        if !change.is_empty() {
            self.undo.push_back(change);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.pop_front();
            }
            self.redo.clear();
        }
        result
    }

    /// Tag identity -> the spelling in use, for tags and their levels
    /// (`reading` of `reading/now`), leaving out tags within `except_within`.
    fn spellings(&self, except_within: Option<&str>) -> HashMap<String, String> {
        let mut spellings = HashMap::new();
        let names = self.data.papers.values().flat_map(|p| &p.tags).chain(self.data.tags.keys());
        for name in names {
            if except_within.is_some_and(|from| is_within(name, from)) {
                continue;
            }
            for level in ancestors(name) {
                spellings.entry(tag_key(level)).or_insert_with(|| level.to_owned());
            }
        }
        spellings
    }

    /// `name` with each level spelled as already in use, so that `Reading/later`
    /// joins `reading/now` under one `reading`.
    fn respell(name: &str, spellings: &HashMap<String, String>) -> String {
        let mut out = String::new();
        for level in ancestors(name) {
            out = match spellings.get(&tag_key(level)) {
                Some(spelling) => spelling.clone(),
                None if out.is_empty() => level.to_owned(),
                None => format!("{out}/{}", last_level(level)),
            };
        }
        out
    }

    /// Adds `tag` to each paper in `ids` (one paper, or all current results);
    /// returns how many papers gained it.
    pub fn add_tag(&mut self, ids: &[&str], tag: &str, now: u64) -> Result<usize, TagError> {
        let tag = Self::respell(&normalize_tag(tag)?, &self.spellings(None));
        Ok(self.step(|data| {
            let mut added = 0;
            for id in ids {
                let paper = data.papers.entry((*id).to_owned()).or_default();
                if paper.insert_tag(&tag) {
                    paper.updated = now;
                    added += 1;
                }
            }
            added
        }))
    }

    /// Removes `tag` (exactly that tag, not its children) from each paper in
    /// `ids`; returns how many papers lost it.
    pub fn remove_tag(&mut self, ids: &[&str], tag: &str, now: u64) -> usize {
        let Ok(tag) = clean_levels(tag) else { return 0 };
        self.step(|data| {
            let mut removed = 0;
            for id in ids {
                if let Some(paper) = data.papers.get_mut(*id) {
                    if paper.remove_tag(&tag) {
                        paper.updated = now;
                        removed += 1;
                    }
                }
            }
            removed
        })
    }

    /// Renames `from` and every tag below it (`reading` also renames
    /// `reading/now`) on every paper, with its colors. A name that exists
    /// already merges: its spelling is kept and papers carry the tag once.
    /// A change of case alone is a rename too. Returns the papers changed.
    pub fn rename_tag(&mut self, from: &str, to: &str, now: u64) -> Result<usize, TagError> {
        let from = clean_levels(from)?;
        if !self.data.papers.values().flat_map(|p| &p.tags).any(|t| is_within(t, &from)) {
            return Err(TagError::NoSuchTag(from));
        }
        let to = normalize_tag(to)?;
        let spellings = self.spellings(Some(&from));
        let to = Self::respell(&to, &spellings);
        let renamed =
            |name: &str| below(name, &from).map(|rest| Self::respell(&format!("{to}{rest}"), &spellings));
        for tag in self.all_tags() {
            if renamed(&tag).is_some_and(|new| new.chars().count() > MAX_TAG_CHARS) {
                return Err(TagError::NameTooLong);
            }
        }
        Ok(self.step(|data| {
            let mut changed = 0;
            for paper in data.papers.values_mut() {
                if !paper.tags.iter().any(|t| is_within(t, &from)) {
                    continue;
                }
                let before = std::mem::take(&mut paper.tags);
                // Untouched tags first, so that a merge keeps the spelling in use.
                let (moved, kept): (Vec<String>, Vec<String>) =
                    before.iter().cloned().partition(|t| is_within(t, &from));
                for tag in kept {
                    paper.insert_tag(&tag);
                }
                for tag in moved {
                    paper.insert_tag(&renamed(&tag).unwrap_or(tag));
                }
                if paper.tags != before {
                    paper.updated = now;
                    changed += 1;
                }
            }
            let infos = std::mem::take(&mut data.tags);
            let (moved, kept): (Vec<_>, Vec<_>) =
                infos.into_iter().partition(|(name, _)| is_within(name, &from));
            data.tags.extend(kept);
            for (name, info) in moved {
                let name = renamed(&name).unwrap_or(name);
                let colors = &mut data.tags.entry(name).or_default().colors;
                for color in info.colors {
                    if !colors.contains(&color) {
                        colors.push(color);
                    }
                }
            }
            changed
        }))
    }

    /// Deletes `tag` and every tag below it from all papers, with its
    /// colors; returns the papers changed.
    pub fn delete_tag(&mut self, tag: &str, now: u64) -> usize {
        let Ok(tag) = clean_levels(tag) else { return 0 };
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

    /// Sets the tag's colors to just `color`, or clears them with `None`.
    pub fn set_color(&mut self, tag: &str, color: Option<&str>) -> Result<(), TagError> {
        match color {
            Some(color) => self.set_colors(tag, &[color]),
            None => self.set_colors(tag, &[]),
        }
    }

    /// Sets the tag's colors (any number, duplicates dropped, order kept).
    pub fn set_colors(&mut self, tag: &str, colors: &[&str]) -> Result<(), TagError> {
        let mut parsed: Vec<String> = Vec::new();
        for color in colors {
            let color = parse_color(color)?;
            if !parsed.contains(&color) {
                parsed.push(color);
            }
        }
        let tag = self.tag_in_use(tag)?;
        self.step(|data| {
            data.tags.retain(|name, _| tag_key(name) != tag_key(&tag));
            data.tags.insert(tag, TagInfo { colors: parsed });
        });
        Ok(())
    }

    /// Adds one color to the tag's colors.
    pub fn add_color(&mut self, tag: &str, color: &str) -> Result<(), TagError> {
        let mut colors = self.colors(tag);
        colors.push(parse_color(color)?);
        self.set_colors(tag, &colors.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// The tag's colors (none for an unknown tag).
    pub fn colors(&self, tag: &str) -> Vec<String> {
        self.data.tag_info(tag.trim()).map(|info| info.colors.clone()).unwrap_or_default()
    }

    /// The spelling of a tag carried by some paper, or of a level above one.
    fn tag_in_use(&self, tag: &str) -> Result<String, TagError> {
        let tag = clean_levels(tag)?;
        self.data
            .papers
            .values()
            .flat_map(|p| &p.tags)
            .find_map(|t| below(t, &tag).map(|rest| t[..t.len() - rest.len()].to_owned()))
            .ok_or(TagError::NoSuchTag(tag))
    }

    pub fn set_starred(&mut self, ids: &[&str], starred: bool, now: u64) -> usize {
        self.set_flag(ids, now, |paper| std::mem::replace(&mut paper.starred, starred) != starred)
    }

    pub fn set_read(&mut self, ids: &[&str], read: bool, now: u64) -> usize {
        self.set_flag(ids, now, |paper| std::mem::replace(&mut paper.read, read) != read)
    }

    /// Marks the papers "not interested" (or clears the mark): one
    /// undoable step; returns how many papers changed.
    pub fn set_not_interested(&mut self, ids: &[&str], not_interested: bool, now: u64) -> usize {
        self.set_flag(ids, now, |paper| {
            std::mem::replace(&mut paper.not_interested, not_interested) != not_interested
        })
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

    /// Sets the paper's note (trimmed; empty removes it), at most
    /// [`MAX_NOTE_CHARS`] characters.
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

    /// The paper's tags, sorted case-insensitively.
    pub fn tags_of(&self, id: &str) -> Vec<&str> {
        let mut tags: Vec<&str> =
            self.paper(id).map(|p| p.tags.iter().map(String::as_str).collect()).unwrap_or_default();
        tags.sort_by_cached_key(|t| tag_key(t));
        tags
    }

    /// Every tag carried by some paper, sorted case-insensitively.
    pub fn all_tags(&self) -> Vec<String> {
        self.data.spelled_tags().into_values().map(str::to_owned).collect()
    }

    /// Tags for autocomplete: names starting with `prefix` first, then names
    /// with a level starting with it (`now` finds `reading/now`).
    pub fn complete(&self, prefix: &str) -> Vec<String> {
        let prefix = tag_key(prefix.trim());
        let (mut whole, mut level) = (Vec::new(), Vec::new());
        for tag in self.all_tags() {
            let key = tag_key(&tag);
            if key.starts_with(&prefix) {
                whole.push(tag);
            } else if key.split('/').any(|l| l.starts_with(&prefix)) {
                level.push(tag);
            }
        }
        whole.extend(level);
        whole
    }

    /// Papers carrying `tag` or a tag below it, corpus or not, sorted by id.
    pub fn papers_with(&self, tag: &str) -> Vec<&str> {
        self.data.papers_with(tag)
    }

    /// Papers accepted by `in_corpus` carrying `tag` or a tag below it.
    pub fn count(&self, tag: &str, in_corpus: impl Fn(&str) -> bool) -> usize {
        self.papers_with(tag).into_iter().filter(|id| in_corpus(id)).count()
    }

    /// The tag hierarchy with paper counts over the ids `in_corpus` accepts.
    /// Tags carried only by papers outside the corpus show with a count of 0
    /// (they are kept, see [`TagStore::orphans`]).
    pub fn tree(&self, in_corpus: impl Fn(&str) -> bool) -> Vec<TagNode> {
        // Tag name -> papers in the corpus under it.
        let values = self.data.tag_values();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (id, name) in &values {
            if in_corpus(id) {
                *counts.entry(name).or_default() += 1;
            }
        }
        let names = self.data.tag_names();
        let mut roots: Vec<TagNode> = Vec::new();
        for tag in self.data.spelled_tags().into_values() {
            let mut level = &mut roots;
            for ancestor in ancestors(tag) {
                let name = names.get(&tag_key(ancestor)).map_or(ancestor, String::as_str);
                let index = match level.iter().position(|n| n.name == name) {
                    Some(i) => i,
                    None => {
                        let colors = self.colors(name);
                        level.push(TagNode {
                            label: last_level(name).to_owned(),
                            name: name.to_owned(),
                            count: counts.get(name).copied().unwrap_or(0),
                            color: colors.first().cloned(),
                            colors,
                            children: Vec::new(),
                        });
                        level.len() - 1
                    }
                };
                level = &mut level[index].children;
            }
        }
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
