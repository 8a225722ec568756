//! Combining two copies of the user data without losing any of it: a union
//! for imports, a three-way merge for another tab's edits, and the preview
//! of what an import would change. Conflicting notes keep both texts (see
//! [`super::note`]).

use std::collections::{BTreeMap, HashSet};

use super::change::Change;
use super::note::join_notes;
use super::{tag_key, PaperData, UserData};

/// The union of `base` and `incoming`: every tag, star, read mark, note and
/// color of either. A tag present on both sides in different case keeps
/// `base`'s spelling; differing notes are joined (`base`'s first, with
/// [`super::NOTE_SEPARATOR`] between) unless one already contains the
/// other. Merging the same data again changes nothing.
pub fn merge(base: &UserData, incoming: &UserData) -> UserData {
    let mut merged = base.clone();
    let spellings: BTreeMap<String, &String> =
        base.papers.values().flat_map(|p| &p.tags).map(|t| (tag_key(t), t)).collect();
    for (id, theirs) in &incoming.papers {
        let ours = merged.papers.entry(id.clone()).or_default();
        for tag in &theirs.tags {
            ours.insert_tag(spellings.get(&tag_key(tag)).map_or(tag, |s| s));
        }
        ours.starred |= theirs.starred;
        ours.read |= theirs.read;
        ours.not_interested |= theirs.not_interested;
        ours.note = join_notes(&ours.note, &theirs.note);
        ours.updated = ours.updated.max(theirs.updated);
    }
    for (name, info) in &incoming.tags {
        let key = tag_key(name);
        let existing = merged.tags.keys().find(|n| tag_key(n) == key).cloned();
        let colors = &mut merged.tags.entry(existing.unwrap_or_else(|| name.clone())).or_default().colors;
        for color in &info.colors {
            if !colors.contains(color) {
                colors.push(color.clone());
            }
        }
    }
    merged.prune();
    merged
}

/// Merges what another copy did since a common `base` into `ours`: for two
/// tabs, `base` is the value this tab last saved or loaded, `theirs` what the
/// other tab saved. Removals on either side are honoured (unlike [`merge`]);
/// a paper changed on both sides gets both sides' tag additions and
/// removals, and a note edited on both sides keeps both texts. When `ours`
/// is `base` (nothing unsaved) the result is exactly `theirs`.
pub fn merge_three_way(base: &UserData, ours: &UserData, theirs: &UserData) -> UserData {
    let mut merged = ours.clone();
    Change::between(base, theirs).apply(&mut merged);
    merged
}

/// What importing would change, for the preview shown before applying.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// Tags that do not exist yet, sorted case-insensitively.
    pub new_tags: Vec<String>,
    /// Papers whose data would change.
    pub papers_changed: usize,
    /// Tag assignments added.
    pub tags_added: usize,
    pub stars_added: usize,
    pub reads_added: usize,
    /// Papers newly marked "not interested".
    pub not_interested_added: usize,
    /// Notes added or joined with an existing one.
    pub notes_changed: usize,
    /// Tags that gain a color.
    pub colors_added: usize,
}

impl ImportPreview {
    /// True when importing would change nothing.
    pub fn is_empty(&self) -> bool {
        self.papers_changed == 0 && self.new_tags.is_empty() && self.colors_added == 0
    }
}

/// What [`merge`]`(current, incoming)` would change. Decode the file first
/// with [`super::decode`]: a malformed one is an error and changes nothing.
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
        // `updated` alone moving is not a change the user would see.
        let visible = PaperData { updated: before.updated, ..after.clone() };
        if &visible == before {
            continue;
        }
        preview.papers_changed += 1;
        preview.tags_added += after.tags.len() - before.tags.len();
        preview.stars_added += usize::from(after.starred && !before.starred);
        preview.reads_added += usize::from(after.read && !before.read);
        preview.not_interested_added += usize::from(after.not_interested && !before.not_interested);
        preview.notes_changed += usize::from(after.note != before.note);
        for tag in &after.tags {
            if !existing.contains(&tag_key(tag)) {
                new_tags.entry(tag_key(tag)).or_insert_with(|| tag.clone());
            }
        }
    }
    preview.new_tags = new_tags.into_values().collect();
    preview.colors_added = merged
        .tags
        .iter()
        .filter(|(name, info)| current.tags.get(*name).map_or(0, |i| i.colors.len()) < info.colors.len())
        .count();
    preview
}
