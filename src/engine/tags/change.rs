//! A change between two versions of the user data, applied three-way: the
//! one mechanism behind undo/redo and behind merging another tab's edits.
//!
//! A change holds the before and after of each paper and tag setting it
//! touched. Applied to data that moved on meanwhile, it changes only what it
//! changed: tags it added or removed, flags it flipped; a note edited on both
//! sides keeps both texts. So an undo never reverts another tab's work.

use std::collections::BTreeSet;

use super::note::join_notes;
use super::{PaperData, TagInfo, UserData};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Change {
    /// Paper id, before, after (a paper not in the data is empty).
    papers: Vec<(String, PaperData, PaperData)>,
    /// Tag name, settings before, after.
    tags: Vec<(String, TagInfo, TagInfo)>,
}

impl Change {
    /// What turns `before` into `after`.
    pub(crate) fn between(before: &UserData, after: &UserData) -> Change {
        let ids: BTreeSet<&String> = before.papers.keys().chain(after.papers.keys()).collect();
        let papers = ids
            .into_iter()
            .filter_map(|id| {
                let (old, new) = (before.papers.get(id), after.papers.get(id));
                (old != new)
                    .then(|| (id.clone(), old.cloned().unwrap_or_default(), new.cloned().unwrap_or_default()))
            })
            .collect();
        let names: BTreeSet<&String> = before.tags.keys().chain(after.tags.keys()).collect();
        let tags = names
            .into_iter()
            .filter_map(|name| {
                let (old, new) = (before.tags.get(name), after.tags.get(name));
                (old != new).then(|| {
                    (name.clone(), old.cloned().unwrap_or_default(), new.cloned().unwrap_or_default())
                })
            })
            .collect();
        Change { papers, tags }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.papers.is_empty() && self.tags.is_empty()
    }

    /// The change that undoes this one.
    pub(crate) fn inverse(&self) -> Change {
        Change {
            papers: self
                .papers
                .iter()
                .map(|(id, before, after)| (id.clone(), after.clone(), before.clone()))
                .collect(),
            tags: self
                .tags
                .iter()
                .map(|(name, before, after)| (name.clone(), after.clone(), before.clone()))
                .collect(),
        }
    }

    /// Applies the change to `data`, which may have moved on since.
    pub(crate) fn apply(&self, data: &mut UserData) {
        for (id, before, after) in &self.papers {
            apply_paper(data.papers.entry(id.clone()).or_default(), before, after);
        }
        for (name, before, after) in &self.tags {
            let current = data.tags.entry(name.clone()).or_default();
            if current == before {
                *current = after.clone();
                continue;
            }
            current.colors.retain(|c| after.colors.contains(c) || !before.colors.contains(c));
            for color in &after.colors {
                if !current.colors.contains(color) {
                    current.colors.push(color.clone());
                }
            }
        }
        data.prune();
    }
}

fn apply_paper(current: &mut PaperData, before: &PaperData, after: &PaperData) {
    if current == before {
        *current = after.clone();
        return;
    }
    for gone in before.tags.difference(&after.tags) {
        current.remove_tag(gone);
    }
    for new in after.tags.difference(&before.tags) {
        current.insert_tag(new);
    }
    if before.starred != after.starred {
        current.starred = after.starred;
    }
    if before.read != after.read {
        current.read = after.read;
    }
    if before.not_interested != after.not_interested {
        current.not_interested = after.not_interested;
    }
    if before.note != after.note && current.note != after.note {
        current.note = if current.note == before.note {
            after.note.clone()
        } else {
            join_notes(&current.note, &after.note)
        };
    }
    current.updated = current.updated.max(after.updated);
}
