//! Facets: which papers carry which values (model, topic, year, tag, ...),
//! filtering by a selection, and honest counts for the current results.
//!
//! Semantics (as Pagefind's `totalFilters`): within a group, selected values
//! combine with OR; groups combine with AND; an excluded value removes every
//! paper that has it. The count of a value is the number of candidate papers
//! that would match if that value were added to its group's selection, so it
//! ignores its own group's selection but respects every other group.

use std::collections::{BTreeMap, BTreeSet};

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

/// A set of papers, by index in the bundle.
pub type DocSet = FixedBitSet;

/// The included and excluded values per group (group key -> values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub include: BTreeMap<String, BTreeSet<String>>,
    pub exclude: BTreeMap<String, BTreeSet<String>>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.include.values().all(BTreeSet::is_empty) && self.exclude.values().all(BTreeSet::is_empty)
    }

    /// Adds `value` to the group's included values (and drops a matching exclusion).
    pub fn include(&mut self, group: &str, value: &str) {
        remove(&mut self.exclude, group, value);
        self.include.entry(group.to_owned()).or_default().insert(value.to_owned());
    }

    /// Adds `value` to the group's excluded values (and drops a matching inclusion).
    pub fn exclude(&mut self, group: &str, value: &str) {
        remove(&mut self.include, group, value);
        self.exclude.entry(group.to_owned()).or_default().insert(value.to_owned());
    }

    /// Removes `value` from both the inclusions and the exclusions of `group`.
    pub fn clear_value(&mut self, group: &str, value: &str) {
        remove(&mut self.include, group, value);
        remove(&mut self.exclude, group, value);
    }
}

fn remove(map: &mut BTreeMap<String, BTreeSet<String>>, group: &str, value: &str) {
    if let Some(values) = map.get_mut(group) {
        values.remove(value);
        if values.is_empty() {
            map.remove(group);
        }
    }
}

/// One facet group's papers per value.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Group {
    key: String,
    label: String,
    values: Vec<String>,
    #[serde(serialize_with = "super::pack::sorted")]
    by_value: rustc_hash::FxHashMap<String, usize>,
    /// Papers per value, ascending (lists, not bitsets: a corpus of 100k
    /// papers has hundreds of thousands of values, most on few papers).
    docs: Vec<Vec<u32>>,
}

/// Facet values of every paper, grouped, ready for filtering and counting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FacetIndex {
    doc_count: usize,
    groups: Vec<Group>,
}

/// The count of one value for the current results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCount {
    pub value: String,
    pub count: usize,
    pub included: bool,
    pub excluded: bool,
}

/// The counts of one group, most frequent first (selected values always listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    pub key: String,
    pub label: String,
    pub values: Vec<ValueCount>,
}

impl FacetIndex {
    pub fn new(doc_count: usize) -> Self {
        Self { doc_count, groups: Vec::new() }
    }

    pub fn doc_count(&self) -> usize {
        self.doc_count
    }

    /// Adds (or replaces) a group from `(doc, value)` pairs. Groups are shown in
    /// the order they are first set; a group with no values is kept out.
    pub fn set_group<I, S>(&mut self, key: &str, label: &str, pairs: I)
    where
        I: IntoIterator<Item = (usize, S)>,
        S: AsRef<str>,
    {
        let mut group = Group {
            key: key.to_owned(),
            label: label.to_owned(),
            values: Vec::new(),
            by_value: Default::default(),
            docs: Vec::new(),
        };
        for (doc, value) in pairs {
            if doc >= self.doc_count {
                continue;
            }
            let value = value.as_ref();
            let slot = match group.by_value.get(value) {
                Some(&slot) => slot,
                None => {
                    group.values.push(value.to_owned());
                    group.docs.push(Vec::new());
                    group.by_value.insert(value.to_owned(), group.values.len() - 1);
                    group.values.len() - 1
                }
            };
            let list = &mut group.docs[slot];
            if list.last().is_none_or(|&last| last < doc as u32) {
                list.push(doc as u32);
            } else if let Err(at) = list.binary_search(&(doc as u32)) {
                list.insert(at, doc as u32);
            }
        }
        match self.groups.iter().position(|g| g.key == key) {
            Some(i) if group.values.is_empty() => {
                self.groups.remove(i);
            }
            Some(i) => self.groups[i] = group,
            None if group.values.is_empty() => {}
            None => self.groups.push(group),
        }
    }

    /// Whether the index is whole and about `doc_count` papers (for an index
    /// read from a pack): every value has its doc list, ascending, in range.
    pub fn is_consistent(&self, doc_count: usize) -> bool {
        self.doc_count == doc_count
            && self.groups.iter().all(|g| {
                g.values.len() == g.docs.len()
                    && g.by_value.len() == g.values.len()
                    && g.values.iter().enumerate().all(|(i, v)| g.by_value.get(v) == Some(&i))
                    && g.docs.iter().all(|list| {
                        list.windows(2).all(|w| w[0] < w[1])
                            && list.last().is_none_or(|&d| (d as usize) < doc_count)
                    })
            })
    }

    /// Keys and labels of the groups present, in display order.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &str)> {
        self.groups.iter().map(|g| (g.key.as_str(), g.label.as_str()))
    }

    /// All papers.
    pub fn all(&self) -> DocSet {
        let mut all = DocSet::with_capacity(self.doc_count);
        all.insert_range(..);
        all
    }

    /// The papers of `candidates` that match the selection.
    pub fn filter(&self, candidates: &DocSet, selection: &Selection) -> DocSet {
        filter_all(&[self], candidates, selection)
    }

    /// Counts per group and value for `candidates` (usually the search hits)
    /// under `selection`, with each group's own selection ignored for its counts.
    pub fn counts(&self, candidates: &DocSet, selection: &Selection) -> Vec<GroupCounts> {
        counts_all(&[self], candidates, selection)
    }
}

/// [`FacetIndex::filter`] over the groups of several indexes of the same
/// papers (e.g. corpus facets and the user's tags), as if they were one.
pub fn filter_all(indexes: &[&FacetIndex], candidates: &DocSet, selection: &Selection) -> DocSet {
    let groups: Vec<&Group> = indexes.iter().flat_map(|i| &i.groups).collect();
    let mut result = candidates.clone();
    apply_exclusions(&groups, &mut result, selection);
    for group in &groups {
        if let Some(union) = included_union(group, selection, candidates.len()) {
            result.intersect_with(&union);
        }
    }
    result
}

/// [`FacetIndex::counts`] over the groups of several indexes of the same papers.
pub fn counts_all(indexes: &[&FacetIndex], candidates: &DocSet, selection: &Selection) -> Vec<GroupCounts> {
    let groups: Vec<&Group> = indexes.iter().flat_map(|i| &i.groups).collect();
    let mut base = candidates.clone();
    apply_exclusions(&groups, &mut base, selection);
    let unions: Vec<Option<DocSet>> =
        groups.iter().map(|g| included_union(g, selection, candidates.len())).collect();
    groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let mut scope = base.clone();
            for (other, union) in unions.iter().enumerate() {
                if let (true, Some(union)) = (other != index, union) {
                    scope.intersect_with(union);
                }
            }
            let included = selection.include.get(&group.key);
            let excluded = selection.exclude.get(&group.key);
            let mut values: Vec<ValueCount> = group
                .values
                .iter()
                .zip(&group.docs)
                .map(|(value, docs)| ValueCount {
                    value: value.clone(),
                    count: docs.iter().filter(|&&d| scope.contains(d as usize)).count(),
                    included: included.is_some_and(|s| s.contains(value)),
                    excluded: excluded.is_some_and(|s| s.contains(value)),
                })
                .filter(|v| v.count > 0 || v.included || v.excluded)
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            GroupCounts { key: group.key.clone(), label: group.label.clone(), values }
        })
        .collect()
}

fn apply_exclusions(groups: &[&Group], docs: &mut DocSet, selection: &Selection) {
    for group in groups {
        for value in selection.exclude.get(&group.key).into_iter().flatten() {
            if let Some(&slot) = group.by_value.get(value) {
                for &d in &group.docs[slot] {
                    if (d as usize) < docs.len() {
                        docs.set(d as usize, false);
                    }
                }
            }
        }
    }
}

/// The union of the group's included values, or `None` when nothing in
/// the group is included (the group does not constrain). A selected value
/// that no paper has yields an empty union: nothing matches.
fn included_union(group: &Group, selection: &Selection, doc_count: usize) -> Option<DocSet> {
    let values = selection.include.get(&group.key).filter(|v| !v.is_empty())?;
    let mut union = DocSet::with_capacity(doc_count);
    for value in values {
        if let Some(&slot) = group.by_value.get(value) {
            union.extend(group.docs[slot].iter().map(|&d| d as usize));
        }
    }
    Some(union)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five papers: models and years.
    ///   0: llama, 2023   1: llama gpt, 2023   2: gpt, 2024   3: mixtral, 2024   4: (none), 2022
    fn fixture() -> FacetIndex {
        let mut index = FacetIndex::new(5);
        index.set_group(
            "model",
            "Models",
            [(0, "llama"), (1, "llama"), (1, "gpt"), (2, "gpt"), (3, "mixtral")],
        );
        index.set_group("year", "Years", [(0, "2023"), (1, "2023"), (2, "2024"), (3, "2024"), (4, "2022")]);
        index
    }

    fn docs(set: &DocSet) -> Vec<usize> {
        set.ones().collect()
    }

    #[track_caller]
    fn check_counts(selection: &Selection, group: &str, expected: &[(&str, usize)]) {
        let index = fixture();
        let counts = index.counts(&index.all(), selection);
        let group = counts.iter().find(|g| g.key == group).expect("group present");
        let got: Vec<(&str, usize)> = group.values.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn filtering_with_an_empty_selection_returns_all() {
        let index = fixture();
        assert_eq!(docs(&index.filter(&index.all(), &Selection::default())), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn values_within_a_group_combine_with_or_and_groups_with_and() {
        let index = fixture();
        let mut selection = Selection::default();
        selection.include("model", "llama");
        selection.include("model", "mixtral");
        assert_eq!(docs(&index.filter(&index.all(), &selection)), [0, 1, 3]);
        selection.include("year", "2024");
        assert_eq!(docs(&index.filter(&index.all(), &selection)), [3]);
    }

    #[test]
    fn a_value_count_ignores_its_own_group_selection() {
        let mut selection = Selection::default();
        selection.include("model", "llama");
        check_counts(&selection, "model", &[("gpt", 2), ("llama", 2), ("mixtral", 1)]);
        check_counts(&selection, "year", &[("2023", 2)]);
    }

    #[test]
    fn exclusions_remove_papers_everywhere() {
        let index = fixture();
        let mut selection = Selection::default();
        selection.exclude("model", "gpt");
        assert_eq!(docs(&index.filter(&index.all(), &selection)), [0, 3, 4]);
        check_counts(&selection, "year", &[("2022", 1), ("2023", 1), ("2024", 1)]);
        let counts = index.counts(&index.all(), &selection);
        let gpt = counts[0].values.iter().find(|v| v.value == "gpt").expect("excluded value stays listed");
        assert!(gpt.excluded);
    }

    #[test]
    fn counts_are_restricted_to_the_candidates() {
        let index = fixture();
        let mut candidates = DocSet::with_capacity(5);
        candidates.insert(2);
        candidates.insert(3);
        let counts = index.counts(&candidates, &Selection::default());
        let models: Vec<_> = counts[0].values.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(models, [("gpt", 1), ("mixtral", 1)]);
    }

    #[test]
    fn a_selected_value_no_paper_has_matches_nothing() {
        let index = fixture();
        let mut selection = Selection::default();
        selection.include("model", "claude");
        assert!(docs(&index.filter(&index.all(), &selection)).is_empty());
    }

    #[test]
    fn including_a_value_drops_its_exclusion() {
        let mut selection = Selection::default();
        selection.exclude("model", "gpt");
        selection.include("model", "gpt");
        assert!(selection.exclude.is_empty());
        selection.clear_value("model", "gpt");
        assert!(selection.is_empty());
    }

    #[test]
    fn an_empty_group_is_not_shown() {
        let mut index = fixture();
        index.set_group("tag", "Tags", Vec::<(usize, &str)>::new());
        assert_eq!(index.groups().map(|(k, _)| k).collect::<Vec<_>>(), ["model", "year"]);
        index.set_group("model", "Models", Vec::<(usize, &str)>::new());
        assert_eq!(index.groups().map(|(k, _)| k).collect::<Vec<_>>(), ["year"]);
    }
}
