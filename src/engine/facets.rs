//! Facets: which papers carry which values (model, topic, year, tag, ...),
//! filtering by a selection, and honest counts for the current results.
//!
//! Semantics (as Pagefind's `totalFilters`): within a group, selected values
//! combine with OR; groups combine with AND; an excluded value removes every
//! paper that has it. The count of a value is the number of candidate papers
//! that would match if that value were added to its group's selection, so it
//! ignores its own group's selection but respects every other group.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

use super::pack::compact::{FrontCoded, FrontCodedReader, GapLists};
use super::pack::encoded_len;
use super::pack::shards::{Reads, Shard, ShardEntry, ShardKind, ShardSet};
use super::pack::{take_front, PackError};

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
#[serde(into = "GroupForm", try_from = "GroupForm")]
struct Group {
    key: String,
    label: String,
    /// Values by slot, in ascending (byte) order, so that a slot is also
    /// the value's alphabetical rank (shared with the counts made from
    /// this group).
    values: Arc<[String]>,
    /// Papers per value, ascending (lists, not bitsets: a corpus of 100k
    /// papers has hundreds of thousands of values, most on few papers).
    /// Always set, except for a group whose lists a sharded pack's head
    /// keeps in facet shards: then set once a call has read them all.
    docs: OnceLock<Vec<Vec<u32>>>,
    /// Where the lists of a group kept in facet shards are.
    sharded: Option<ShardedLists>,
    /// Derived from `docs` on first count (not stored in the pack).
    derived: OnceLock<Derived>,
    /// The last scope this group was counted over (not all of the corpus),
    /// with its counts (not stored in the pack).
    last: LastCount,
}

/// A group's counts per value slot, with the slots counted when they are
/// known (the papers in scope were walked, or the values counted one by
/// one): a few hundred results name a few hundred of a group's 100k
/// values, and listing and ranking them then costs those, not the group.
type Counted = (Vec<u32>, Option<Vec<u32>>);

/// A group's last scope counted and its counts: a keystroke's scope is
/// mostly the last one's, and walking the papers that left it and came
/// in costs less than counting afresh ([`Group::count`]).
#[derive(Debug, Default)]
struct LastCount(Mutex<Option<(DocSet, Counted)>>);

impl Clone for LastCount {
    /// A copy starts with nothing kept (a copy of the index is counted on its own).
    fn clone(&self) -> Self {
        LastCount::default()
    }
}

impl LastCount {
    fn forget(&self) {
        if let Ok(mut last) = self.0.lock() {
            *last = None;
        }
    }
}

/// Paper lists per facet shard item: an item per list would cost its end
/// (two or three bytes) for lists of three bytes on average (the authors').
const LISTS_PER_BLOCK: usize = 1024;

/// The facet shard items of a group of `values` values.
fn blocks(values: usize) -> u32 {
    values.div_ceil(LISTS_PER_BLOCK) as u32
}

/// The lists of a facet shard item (none if it does not decode; items are
/// checked when their shard is added).
fn decode_block(block: &[u8]) -> Vec<Vec<u32>> {
    postcard::from_bytes::<GapLists>(block).ok().and_then(|lists| lists.decode(u32::MAX)).unwrap_or_default()
}

/// A group whose paper lists are facet shard items, [`LISTS_PER_BLOCK`]
/// values' lists each (a sharded pack's head): its papers per value (what
/// counts for the whole corpus need, so the first paint reads no shard)
/// and the item key of its first block.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ShardedLists {
    totals: Vec<u32>,
    first: u32,
}

/// A group as a pack stores it: values front coded, paper lists as gaps
/// (none when they are in facet shards).
#[derive(Serialize, Deserialize)]
struct GroupForm {
    key: String,
    label: String,
    values: FrontCoded,
    docs: GapLists,
    sharded: Option<ShardedLists>,
}

impl From<Group> for GroupForm {
    fn from(group: Group) -> Self {
        let docs = group.docs.get().map(Vec::as_slice).unwrap_or_default();
        GroupForm {
            values: FrontCoded::new(group.values.iter().map(String::as_str)),
            docs: GapLists::new(docs.iter().map(Vec::as_slice)),
            key: group.key,
            label: group.label,
            sharded: group.sharded,
        }
    }
}

impl TryFrom<GroupForm> for Group {
    type Error = String;

    /// Refused unless the values ascend and each has its ascending paper
    /// list (their range is checked against the corpus by
    /// [`FacetIndex::is_consistent`]).
    fn try_from(form: GroupForm) -> Result<Self, String> {
        let values = form.values.strings().ok_or_else(|| form.refused())?;
        form.into_group(values)
    }
}

impl GroupForm {
    fn refused(&self) -> String {
        format!("the facet group {:?} does not decode", self.key)
    }

    /// The group, its values decoded (`values`, ascending: the decoding
    /// checked them); refused unless each value has its ascending paper
    /// list (or, its lists in facet shards, its total).
    fn into_group(self, values: Vec<String>) -> Result<Group, String> {
        let docs = self.docs.decode(u32::MAX).ok_or_else(|| self.refused())?;
        let fits = match &self.sharded {
            None => docs.len() == values.len(),
            Some(sharded) => docs.is_empty() && sharded.totals.len() == values.len(),
        };
        if !fits {
            return Err(self.refused());
        }
        let docs = if self.sharded.is_some() { OnceLock::new() } else { OnceLock::from(docs) };
        let (key, label, values) = (self.key, self.label, values.into());
        Ok(Group {
            key,
            label,
            values,
            docs,
            sharded: self.sharded,
            derived: OnceLock::new(),
            last: LastCount::default(),
        })
    }
}

/// A [`FacetIndex`] read from its stored form (postcard) a slice at a
/// time, so that a page can paint between slices: at 100k papers the
/// authors' group alone has over 100,000 values, each made a `String`.
/// The bytes are the index's as a whole read takes them: a postcard struct
/// is its fields one after the other (the paper count, then the groups: their
/// count, then each group's stored form), so each slice is taken from
/// where the one before ended; the checks are a whole read's.
pub(crate) struct FacetsReader {
    doc_count: usize,
    /// Groups whose stored form is not read yet.
    unread: usize,
    groups: Vec<Group>,
    /// The group being read: its form, and its values read so far.
    reading: Option<(GroupForm, FrontCodedReader, Vec<String>)>,
}

/// Facet values a [`FacetsReader::step`] makes at most (its paper lists
/// count a value per 8 bytes of gaps): under 40 ms in the page at 100k
/// papers (a step of 32k values took 61 ms there when it grew the wasm
/// memory, a task over the 50 ms of issue 15; docs/benchmarks.md).
pub(crate) const VALUES_PER_STEP: usize = 16 * 1024;

impl FacetsReader {
    /// Reads the paper count and the number of groups from the front of
    /// `bytes` (leaving `bytes` after them).
    pub(crate) fn new(bytes: &mut &[u8]) -> Result<Self, PackError> {
        let doc_count: usize = take_front(bytes)?;
        let unread: usize = take_front(bytes)?;
        Ok(FacetsReader { doc_count, unread, groups: Vec::new(), reading: None })
    }

    /// Makes about `budget` values (at least one group's stored form read),
    /// taking the groups' stored forms from the front of `bytes` as they
    /// are needed; `Ok(true)` once every group is made. A group that does
    /// not decode is an error.
    pub(crate) fn step(&mut self, bytes: &mut &[u8], budget: usize) -> Result<bool, PackError> {
        let mut left = budget.max(1);
        while left > 0 {
            if self.reading.is_none() {
                if self.unread == 0 {
                    return Ok(true);
                }
                self.unread -= 1;
                self.reading = Some((take_front(bytes)?, FrontCodedReader::default(), Vec::new()));
            }
            let Some((form, reader, values)) = &mut self.reading else { break };
            let slice =
                reader.next(&form.values, left).ok_or_else(|| PackError::Malformed(form.refused()))?;
            left = left.saturating_sub(slice.len().max(1));
            values.extend(slice);
            if !reader.is_done(&form.values) {
                continue;
            }
            let Some((form, _, values)) = self.reading.take() else { break };
            left = left.saturating_sub(form.docs.byte_len() / 8);
            self.groups.push(form.into_group(values).map_err(PackError::Malformed)?);
        }
        Ok(self.unread == 0 && self.reading.is_none())
    }

    /// The index, once every group is made (else an error): checked
    /// against the corpus as a whole index read at once is
    /// ([`FacetIndex::is_consistent`], by the pack's checks).
    pub(crate) fn finish(self) -> Result<FacetIndex, PackError> {
        if self.unread > 0 || self.reading.is_some() {
            return Err(PackError::Malformed("the facet index was read in part".to_owned()));
        }
        Ok(FacetIndex { doc_count: self.doc_count, groups: self.groups, shards: None })
    }
}

#[cfg(test)]
impl FacetIndex {
    /// This index as stored, but with the first two values of its first
    /// group of several values swapped (a damaged pack).
    pub(crate) fn stored_out_of_order(&self) -> Vec<u8> {
        let mut groups: Vec<GroupForm> = self.groups.iter().cloned().map(GroupForm::from).collect();
        if let Some(form) = groups.iter_mut().find(|g| g.values.len() > 1) {
            let mut values = form.values.strings().unwrap_or_default();
            values.swap(0, 1);
            form.values = FrontCoded::new(values.iter().map(String::as_str));
        }
        postcard::to_allocvec(&(self.doc_count, groups)).unwrap_or_default()
    }
}

/// What counting needs besides the doc lists: each paper's values, so that
/// counting costs the papers in scope, not the whole group; and the papers
/// of the values held by many papers as bitsets, so that a group of few
/// values (years, venues, has code) is counted by intersecting them with
/// the scope, whatever its size.
#[derive(Debug, Clone)]
struct Derived {
    /// Paper `d`'s value slots are `slots[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    slots: Vec<u32>,
    /// The papers of each value held by more than one paper in
    /// [`DENSE_SHARE`], by slot (`None`: its list is read instead).
    dense: Vec<Option<DocSet>>,
    /// What counting value by value costs ([`cost`]): under what walking
    /// the papers in scope costs, it is used.
    by_value_cost: usize,
}

/// Rough costs of counting (ns at `opt-level = "z"`, measured at 100k
/// papers on 2026-12-06): walking a paper in or out of scope, each of its
/// values there, a value's list read, a list entry checked against the
/// scope, a bitset word intersected. Only which way is cheaper depends on
/// them: every way gives the same counts.
mod cost {
    pub const PAPER: usize = 10;
    pub const PAIR: usize = 10;
    pub const LIST: usize = 4;
    pub const ENTRY: usize = 3;
    pub const WORD: usize = 1;
}

/// Calls `f` with each paper below `doc_count` whose bit in `set` is `bit`
/// (a paper past the set's end is out of it), a word of bits at a time.
#[inline(always)]
fn for_each_where(set: &DocSet, bit: bool, doc_count: usize, mut f: impl FnMut(usize)) {
    const BITS: usize = usize::BITS as usize;
    let blocks = set.as_slice();
    for (i, start) in (0..doc_count).step_by(BITS).enumerate() {
        let block = blocks.get(i).copied().unwrap_or(0);
        let mut word = if bit { block } else { !block };
        if doc_count - start < BITS {
            word &= (1usize << (doc_count - start)) - 1;
        }
        while word != 0 {
            f(start + word.trailing_zeros() as usize);
            word &= word - 1;
        }
    }
}

/// `set.insert(d)` for a paper within the set's capacity, inlined: once
/// per posting, and `opt-level = "z"` makes the bitset's own a call.
#[inline(always)]
pub(crate) fn insert(set: &mut DocSet, d: usize) {
    const BITS: usize = usize::BITS as usize;
    if let Some(block) = set.as_mut_slice().get_mut(d / BITS) {
        *block |= 1 << (d % BITS);
    }
}

/// `set.contains(d)`, inlined, for the same reason as [`insert`].
#[inline(always)]
pub(crate) fn contains(set: &DocSet, d: usize) -> bool {
    const BITS: usize = usize::BITS as usize;
    set.as_slice().get(d / BITS).is_some_and(|block| block >> (d % BITS) & 1 == 1)
}

/// How many papers `set` holds: `set.count_ones(..)`, inlined (at
/// `opt-level = "z"` the bitset's own is a call per word of 64 papers,
/// 15,625 calls at a million papers, for each count of a scope).
#[inline(always)]
pub(crate) fn papers_in(set: &DocSet) -> usize {
    let words = set.as_slice();
    let (mut at, mut count) = (0, 0);
    while at < words.len() {
        count += words[at].count_ones() as usize;
        at += 1;
    }
    count
}

/// Calls `f` with each value slot of paper `d` (`slots[starts[d]..starts[d
/// + 1]]`), as a loop of plain slice reads: at `opt-level = "z"` a range
/// index or a slice iterator is a call, once per paper walked.
#[inline(always)]
fn for_slots(starts: &[u32], slots: &[u32], d: usize, mut f: impl FnMut(u32)) {
    let (mut at, end) = (starts[d] as usize, starts[d + 1] as usize);
    while at < end {
        f(slots[at]);
        at += 1;
    }
}

/// How many of `docs` are in `scope` (inlined, as [`for_slots`] is: once
/// per entry of a value's list).
#[inline(always)]
fn count_in(docs: &[u32], scope: &DocSet) -> usize {
    let (mut at, mut count) = (0, 0);
    while at < docs.len() {
        count += usize::from(contains(scope, docs[at] as usize));
        at += 1;
    }
    count
}

/// A value held by more than one paper in this many has its papers as a
/// bitset too (a word of 64 papers intersected costs about what a few
/// list entries do); fewer values than `DENSE_SHARE` times the group's
/// pairs per paper can be that common, which bounds the memory.
const DENSE_SHARE: usize = 16;

impl Group {
    /// The slot of `value`.
    fn slot(&self, value: &str) -> Option<usize> {
        self.values.binary_search_by(|v| v.as_str().cmp(value)).ok()
    }

    /// Papers per value, or `None` (the missing shards noted) while this
    /// group's facet shards are not all held.
    fn lists(&self, shards: Option<&ShardSet>) -> Option<&[Vec<u32>]> {
        if let Some(docs) = self.docs.get() {
            return Some(docs);
        }
        let (sharded, set) = (self.sharded.as_ref()?, shards?);
        let blocks = sharded.first..sharded.first + blocks(self.values.len());
        let mut lists = Vec::with_capacity(self.values.len());
        let mut complete = true;
        for key in blocks {
            // Every block is read (or noted missing): one round fetches all.
            match set.get(key) {
                Some(block) => lists.extend(decode_block(block)),
                None => complete = false,
            }
        }
        // A block holds its values' lists (checked when its shard was added).
        lists.resize(self.values.len(), Vec::new());
        complete.then(|| self.docs.get_or_init(|| lists).as_slice())
    }

    /// The papers of value `slot` (empty, the missing shard noted, while
    /// its facet shard is not held).
    fn list(&self, slot: usize, shards: Option<&ShardSet>) -> std::borrow::Cow<'_, [u32]> {
        if let Some(docs) = self.docs.get() {
            return std::borrow::Cow::Borrowed(&docs[slot]);
        }
        let block = self
            .sharded
            .as_ref()
            .zip(shards)
            .and_then(|(sharded, set)| set.get(sharded.first + (slot / LISTS_PER_BLOCK) as u32));
        let list = block.and_then(|block| decode_block(block).into_iter().nth(slot % LISTS_PER_BLOCK));
        std::borrow::Cow::Owned(list.unwrap_or_default())
    }

    /// Forgets the lists read from facet shards (a whole group keeps its own).
    fn forget_lists(&mut self) {
        if self.sharded.is_some() {
            self.docs = OnceLock::new();
            self.derived = OnceLock::new();
            self.last.forget();
        }
    }

    /// Papers per value slot over the whole corpus.
    fn totals(&self) -> Vec<u32> {
        match (&self.sharded, self.docs.get()) {
            (_, Some(docs)) => docs.iter().map(|d| d.len() as u32).collect(),
            (Some(sharded), None) => sharded.totals.clone(),
            (None, None) => vec![0; self.values.len()],
        }
    }

    fn derived(&self, lists: &[Vec<u32>], doc_count: usize) -> &Derived {
        self.derived.get_or_init(|| {
            let mut starts = vec![0u32; doc_count + 1];
            for &d in lists.iter().flatten() {
                starts[d as usize + 1] += 1;
            }
            for d in 0..doc_count {
                starts[d + 1] += starts[d];
            }
            let mut next = starts.clone();
            let mut slots = vec![0u32; starts[doc_count] as usize];
            for (slot, docs) in lists.iter().enumerate() {
                for &d in docs {
                    slots[next[d as usize] as usize] = slot as u32;
                    next[d as usize] += 1;
                }
            }
            let words = doc_count.div_ceil(64);
            let mut by_value_cost = 0;
            let dense = lists
                .iter()
                .map(|docs| {
                    by_value_cost += cost::LIST;
                    if docs.len() * DENSE_SHARE > doc_count {
                        by_value_cost += words * cost::WORD;
                        let mut set = DocSet::with_capacity(doc_count);
                        set.extend(docs.iter().map(|&d| d as usize));
                        Some(set)
                    } else {
                        by_value_cost += docs.len() * cost::ENTRY;
                        None
                    }
                })
                .collect();
            Derived { starts, slots, dense, by_value_cost }
        })
    }

    /// Papers of `scope` per value slot ([`Counted`]), the cheapest way:
    /// the values' papers intersected with the scope one value at a time;
    /// a walk of the values of the papers in scope, or when most papers
    /// are, of those out of it, taken from the totals (a one-letter query
    /// matches most of a corpus); or of those that left or joined the last
    /// scope counted. Zeros, the missing shards noted, while a sharded
    /// group's lists are not held.
    fn count(&self, scope: &DocSet, doc_count: usize, shards: Option<&ShardSet>) -> Counted {
        let inside = papers_in(scope);
        if inside >= doc_count {
            return (self.totals(), None);
        }
        let Some(lists) = self.lists(shards) else { return (vec![0; self.values.len()], Some(Vec::new())) };
        let derived = self.derived(lists, doc_count);
        let (starts, all_slots) = (derived.starts.as_slice(), derived.slots.as_slice());
        // Walking the papers in scope (or out of it) costs them, their
        // values and a pass over the scope's words; value by value, each
        // list or bitset once.
        let walked = inside.min(doc_count - inside);
        let pairs = walked * derived.slots.len() / doc_count.max(1);
        let walk_cost = walked * cost::PAPER + pairs * cost::PAIR + doc_count.div_ceil(64) * cost::WORD;
        // From the last scope's counts when the papers that left it and
        // came in cost less to walk than a count afresh (a keystroke that
        // narrows or widens a word). The slots counted, when the last
        // count knew them, are those still counted and those no paper of
        // the last scope had.
        let kept = self.last.0.lock().ok().and_then(|last| {
            let (before, (last_counts, last_counted)) = last.as_ref()?;
            let changed = (before.len() == scope.len()).then(|| before.symmetric_difference_count(scope))?;
            let pairs = changed * derived.slots.len() / doc_count.max(1);
            let kept_cost =
                2 * (changed * cost::PAPER + pairs * cost::PAIR) + doc_count.div_ceil(64) * cost::WORD;
            (kept_cost < walk_cost.min(derived.by_value_cost)).then(|| {
                let (mut counts, mut new) = (last_counts.clone(), Vec::new());
                let (was_counted, counting) = (last_counts.as_slice(), counts.as_mut_slice());
                for (i, (&was, &is)) in before.as_slice().iter().zip(scope.as_slice()).enumerate() {
                    let mut word = was ^ is;
                    while word != 0 {
                        let d = i * usize::BITS as usize + word.trailing_zeros() as usize;
                        let joined = is & (1usize << word.trailing_zeros()) != 0;
                        for_slots(starts, all_slots, d, |slot| {
                            let count = &mut counting[slot as usize];
                            if joined && *count == 0 && was_counted[slot as usize] == 0 {
                                new.push(slot);
                            }
                            *count = if joined { *count + 1 } else { *count - 1 };
                        });
                        word &= word - 1;
                    }
                }
                #[cfg(test)]
                tests::FROM_LAST.with(|n| n.set(n.get() + 1));
                let counted = last_counted.as_ref().map(|slots| {
                    slots.iter().copied().filter(|&slot| counts[slot as usize] > 0).chain(new).collect()
                });
                (counts, counted)
            })
        });
        let (counts, counted) = match kept {
            Some(kept) => kept,
            None if derived.by_value_cost < walk_cost => {
                let (mut counts, mut counted) = (vec![0u32; self.values.len()], Vec::new());
                for (slot, (docs, dense)) in lists.iter().zip(&derived.dense).enumerate() {
                    let count = match dense {
                        Some(set) => set.intersection_count(scope),
                        None => count_in(docs, scope),
                    };
                    if count > 0 {
                        counts[slot] = count as u32;
                        counted.push(slot as u32);
                    }
                }
                (counts, Some(counted))
            }
            None if inside * 2 > doc_count => {
                let mut counts = self.totals();
                let counting = counts.as_mut_slice();
                for_each_where(scope, false, doc_count, |d| {
                    for_slots(starts, all_slots, d, |slot| counting[slot as usize] -= 1);
                });
                (counts, None)
            }
            None => {
                let (mut counts, mut counted) = (vec![0u32; self.values.len()], Vec::new());
                let counting = counts.as_mut_slice();
                for_each_where(scope, true, doc_count, |d| {
                    for_slots(starts, all_slots, d, |slot| {
                        let count = &mut counting[slot as usize];
                        if *count == 0 {
                            counted.push(slot);
                        }
                        *count += 1;
                    });
                });
                (counts, Some(counted))
            }
        };
        if let Ok(mut last) = self.last.0.lock() {
            *last = Some((scope.clone(), (counts.clone(), counted.clone())));
        }
        (counts, counted)
    }
}

/// Facet values of every paper, grouped, ready for filtering and counting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FacetIndex {
    doc_count: usize,
    groups: Vec<Group>,
    /// In a sharded pack's head: the facet shards holding the paper lists
    /// of the groups cut into them ([`FacetIndex::cut_lists`]).
    #[serde(skip)]
    shards: Option<ShardSet>,
}

/// What one facet group takes in a pack ([`FacetIndex::encoded_parts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSize {
    pub key: String,
    pub values: usize,
    pub pairs: usize,
    pub value_bytes: usize,
    /// Its paper lists, or when they are in facet shards its papers per value.
    pub doc_bytes: usize,
    pub in_shards: bool,
}

/// The count of one value for the current results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCount {
    pub value: String,
    pub count: usize,
    pub included: bool,
    pub excluded: bool,
}

/// The counts of one group for the current results. Values are listed when
/// some result has them or when they are selected; [`GroupCounts::top`]
/// orders them most frequent first.
#[derive(Debug, Clone)]
pub struct GroupCounts {
    pub key: String,
    pub label: String,
    /// Values by slot, in alphabetical order.
    values: Arc<[String]>,
    /// Count per value slot.
    counts: Vec<u32>,
    /// The slots with a count, when known (the papers in scope were
    /// walked); `None`: any slot may have one.
    counted: Option<Vec<u32>>,
    included: Vec<u32>,
    excluded: Vec<u32>,
    listed: usize,
}

impl PartialEq for GroupCounts {
    /// The same counts and selection, however they were counted.
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.label == other.label
            && self.values == other.values
            && self.counts == other.counts
            && self.included == other.included
            && self.excluded == other.excluded
            && self.listed == other.listed
    }
}

impl Eq for GroupCounts {}

impl GroupCounts {
    /// How many values are listed (counted or selected).
    pub fn len(&self) -> usize {
        self.listed
    }

    pub fn is_empty(&self) -> bool {
        self.listed == 0
    }

    /// The `limit` most frequent listed values (ties alphabetically), and
    /// after them any selected value that did not make it.
    pub fn top(&self, limit: usize) -> Vec<ValueCount> {
        self.ordered(limit, |_| true)
    }

    /// Like [`GroupCounts::top`], among the values containing `needle`
    /// (case-insensitive).
    pub fn matching(&self, needle: &str, limit: usize) -> Vec<ValueCount> {
        let needle = needle.trim().to_lowercase();
        self.ordered(limit, |value| contains_folded(value, &needle))
    }

    /// How many listed values contain `needle` (case-insensitive).
    pub fn count_matching(&self, needle: &str) -> usize {
        let needle = needle.trim().to_lowercase();
        self.listed_slots().filter(|&slot| contains_folded(&self.values[slot as usize], &needle)).count()
    }

    /// The count of `value` (0 when no result has it or it is unknown).
    pub fn count(&self, value: &str) -> usize {
        self.values.binary_search_by(|v| v.as_str().cmp(value)).map_or(0, |slot| self.counts[slot] as usize)
    }

    /// Whether value `slot` is selected (included or excluded).
    #[inline(always)]
    fn is_selected(&self, slot: u32) -> bool {
        self.included.contains(&slot) || self.excluded.contains(&slot)
    }

    /// The listed slots (some result has the value, or it is selected), each
    /// once: the slots counted and the selected ones no result has, or
    /// every slot's count looked at when the slots counted are not known.
    fn listed_slots(&self) -> impl Iterator<Item = u32> + '_ {
        let (counted, all) = match &self.counted {
            Some(counted) => (counted.as_slice(), 0..0),
            None => (&[][..], 0..self.counts.len() as u32),
        };
        // A slot both included and excluded (a selection built by hand) once.
        let excluded_only = self.excluded.iter().filter(|slot| !self.included.contains(slot));
        let selected = self.included.iter().chain(excluded_only).copied();
        let selected_zero =
            selected.filter(move |&slot| self.counted.is_some() && self.counts[slot as usize] == 0);
        counted
            .iter()
            .copied()
            .chain(all.filter(move |&slot| self.counts[slot as usize] > 0 || self.is_selected(slot)))
            .chain(selected_zero)
    }

    fn ordered(&self, limit: usize, keep: impl Fn(&str) -> bool) -> Vec<ValueCount> {
        // Ordering key: count descending, then alphabetical (slot order).
        let key = |slot: u32| (u64::from(u32::MAX - self.counts[slot as usize]) << 32) | u64::from(slot);
        let keys = self.listed_slots().filter(|&slot| keep(&self.values[slot as usize])).map(key);
        let keys: Vec<u64> = if limit < 64 {
            // The few values a collapsed group shows: most lose one
            // comparison with the worst kept so far.
            let mut best: Vec<u64> = Vec::with_capacity(limit + 1);
            for k in keys {
                if best.len() == limit && best.last().is_some_and(|&worst| k >= worst) {
                    continue;
                }
                let at = best.partition_point(|&kept| kept < k);
                best.insert(at, k);
                best.truncate(limit);
            }
            best
        } else {
            let mut keys: Vec<u64> = keys.collect();
            if keys.len() > limit {
                keys.select_nth_unstable(limit);
                keys.truncate(limit);
            }
            keys.sort_unstable();
            keys
        };
        let mut slots: Vec<u32> = keys.into_iter().map(|k| (k & u64::from(u32::MAX)) as u32).collect();
        for &slot in self.included.iter().chain(&self.excluded) {
            if !slots.contains(&slot) && keep(&self.values[slot as usize]) {
                slots.push(slot);
            }
        }
        slots
            .into_iter()
            .map(|slot| ValueCount {
                value: self.values[slot as usize].clone(),
                count: self.counts[slot as usize] as usize,
                included: self.included.contains(&slot),
                excluded: self.excluded.contains(&slot),
            })
            .collect()
    }
}

/// Whether `text` contains `needle` (already lower case), ignoring case;
/// without allocating for ASCII text.
fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if text.is_ascii() && needle.is_ascii() {
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        text.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        text.to_lowercase().contains(needle)
    }
}

impl FacetIndex {
    pub fn new(doc_count: usize) -> Self {
        Self { doc_count, groups: Vec::new(), shards: None }
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
        let mut values: Vec<String> = Vec::new();
        let mut by_value = rustc_hash::FxHashMap::default();
        let mut docs: Vec<Vec<u32>> = Vec::new();
        for (doc, value) in pairs {
            if doc >= self.doc_count {
                continue;
            }
            let value = value.as_ref();
            let slot = match by_value.get(value) {
                Some(&slot) => slot,
                None => {
                    values.push(value.to_owned());
                    docs.push(Vec::new());
                    by_value.insert(value.to_owned(), values.len() - 1);
                    values.len() - 1
                }
            };
            let list = &mut docs[slot];
            if list.last().is_none_or(|&last| last < doc as u32) {
                list.push(doc as u32);
            } else if let Err(at) = list.binary_search(&(doc as u32)) {
                list.insert(at, doc as u32);
            }
        }
        // Slots in alphabetical order: a slot is its value's rank.
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_unstable_by(|&a, &b| values[a].cmp(&values[b]));
        let mut docs: Vec<Option<Vec<u32>>> = docs.into_iter().map(Some).collect();
        let docs: Vec<Vec<u32>> = order.iter().map(|&slot| docs[slot].take().unwrap_or_default()).collect();
        let mut values: Vec<Option<String>> = values.into_iter().map(Some).collect();
        let values: Vec<String> = order.iter().map(|&slot| values[slot].take().unwrap_or_default()).collect();
        let group = Group {
            key: key.to_owned(),
            label: label.to_owned(),
            values: values.into(),
            docs: OnceLock::from(docs),
            sharded: None,
            derived: OnceLock::new(),
            last: LastCount::default(),
        };
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
                let lists_fit = match (&g.sharded, g.docs.get()) {
                    (None, Some(docs)) => {
                        g.values.len() == docs.len()
                            && docs.iter().all(|list| {
                                list.windows(2).all(|w| w[0] < w[1])
                                    && list.last().is_none_or(|&d| (d as usize) < doc_count)
                            })
                    }
                    (Some(sharded), None) => {
                        sharded.totals.len() == g.values.len()
                            && sharded.totals.iter().all(|&t| t as usize <= doc_count)
                    }
                    _ => false,
                };
                lists_fit && g.values.windows(2).all(|w| w[0] < w[1])
            })
    }

    /// The bytes each group takes in a pack (postcard encoding): its values
    /// (front coded) and its paper lists (gaps),
    /// with how many values and (paper, value) pairs it has. For
    /// `pack::breakdown`.
    pub fn encoded_parts(&self) -> Vec<GroupSize> {
        self.groups
            .iter()
            .map(|g| GroupSize {
                key: g.key.clone(),
                values: g.values.len(),
                pairs: g.totals().iter().map(|&t| t as usize).sum(),
                value_bytes: encoded_len(&FrontCoded::new(g.values.iter().map(String::as_str))),
                doc_bytes: match &g.sharded {
                    Some(sharded) => encoded_len(&sharded.totals),
                    None => encoded_len(&GapLists::new(
                        g.lists(None).unwrap_or_default().iter().map(Vec::as_slice),
                    )),
                },
                in_shards: g.sharded.is_some(),
            })
            .collect()
    }

    /// Moves the paper lists of every group whose lists encode to more
    /// than `limit` bytes out of the index, for a sharded pack's facet
    /// shards; returns the items, [`LISTS_PER_BLOCK`] lists each (as
    /// [`GapLists`]), group after group: a group keeps its totals and the
    /// key of its first item.
    pub(crate) fn cut_lists(&mut self, limit: usize) -> Vec<Vec<u8>> {
        let mut items = Vec::new();
        for group in &mut self.groups {
            let Some(docs) = group.docs.get() else { continue };
            if encoded_len(&GapLists::new(docs.iter().map(Vec::as_slice))) <= limit {
                continue;
            }
            let totals = docs.iter().map(|d| d.len() as u32).collect();
            group.sharded = Some(ShardedLists { totals, first: items.len() as u32 });
            for block in docs.chunks(LISTS_PER_BLOCK) {
                // Integers and bytes always serialize.
                let lists = GapLists::new(block.iter().map(Vec::as_slice));
                items.push(postcard::to_allocvec(&lists).unwrap_or_default());
            }
            group.docs = OnceLock::new();
            group.derived = OnceLock::new();
            group.last.forget();
        }
        items
    }

    /// Makes a head's index read the lists of its sharded groups from the
    /// facet shards listed in `entries`; false, leaving it unchanged, when
    /// the table does not cover exactly their lists.
    pub(crate) fn use_shards(&mut self, entries: Vec<ShardEntry>, reads: &std::sync::Arc<Reads>) -> bool {
        let mut count = 0u32;
        for (sharded, values) in
            self.groups.iter().filter_map(|g| Some((g.sharded.as_ref()?, g.values.len())))
        {
            if sharded.first != count {
                return false;
            }
            count = count.saturating_add(blocks(values));
        }
        if !ShardSet::is_consistent(&entries, count) || (count > 0 && entries.is_empty()) {
            return false;
        }
        self.shards = Some(ShardSet::new(ShardKind::Facets, entries, count, std::sync::Arc::clone(reads)));
        true
    }

    /// The keys of the groups whose paper lists are, even in part, in
    /// facet shards `numbers` (the groups whose counts wait for them
    /// while they are not held).
    pub(crate) fn groups_in_shards(&self, numbers: &[u32]) -> Vec<String> {
        let Some(set) = &self.shards else { return Vec::new() };
        let in_them = |g: &Group| {
            g.sharded.as_ref().is_some_and(|sharded| {
                let blocks = sharded.first..sharded.first + blocks(g.values.len());
                blocks.into_iter().any(|key| numbers.contains(&set.shard_of(key).number))
            })
        };
        self.groups.iter().filter(|g| in_them(g)).map(|g| g.key.clone()).collect()
    }

    /// The facet shards, when sharded.
    pub(crate) fn shards(&self) -> Option<&ShardSet> {
        self.shards.as_ref()
    }

    /// Takes facet shard `number` (checked against the head already),
    /// refused if a list does not decode or names a paper past the corpus.
    pub(crate) fn insert_shard(&mut self, number: u32, shard: Arc<Shard>) -> Result<(), PackError> {
        let bound = self.doc_count as u32;
        let fits = |item: &[u8]| {
            postcard::from_bytes::<GapLists>(item).ok().and_then(|lists| lists.decode(bound)).is_some()
        };
        if !shard.items().all(fits) {
            return Err(PackError::Malformed("a facet shard does not match the head".to_owned()));
        }
        if let Some(set) = &mut self.shards {
            set.insert(number, shard);
        }
        Ok(())
    }

    /// Forgets the lists decoded from facet shards (with
    /// [`FacetIndex::remove_shard`] of every one, a head just read).
    pub(crate) fn forget_lists(&mut self) {
        self.groups.iter_mut().for_each(Group::forget_lists);
    }

    pub(crate) fn remove_shard(&mut self, number: u32) {
        if let Some(set) = &mut self.shards {
            set.remove(number);
        }
    }

    /// Makes what counting group `index` needs beyond its lists (each
    /// paper's values, the common values' papers as bitsets), which its
    /// first count makes otherwise: the app's warm-up does it a group a
    /// task. Not for a group whose lists are in facet shards (made when
    /// a count has read them). Whether there is a group `index`.
    pub fn prepare_group(&self, index: usize) -> bool {
        let Some(group) = self.groups.get(index) else { return false };
        if let Some(lists) = group.docs.get() {
            group.derived(lists, self.doc_count);
        }
        true
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
    let groups: Vec<(&Group, Option<&ShardSet>)> =
        indexes.iter().flat_map(|i| i.groups.iter().map(|g| (g, i.shards.as_ref()))).collect();
    let mut result = candidates.clone();
    apply_exclusions(&groups, &mut result, selection);
    for &(group, shards) in &groups {
        if let Some(union) = included_union(group, shards, selection, candidates.len()) {
            result.intersect_with(&union);
        }
    }
    result
}

/// [`FacetIndex::counts`] over the groups of several indexes of the same papers.
pub fn counts_all(indexes: &[&FacetIndex], candidates: &DocSet, selection: &Selection) -> Vec<GroupCounts> {
    let groups: Vec<(&Group, usize, Option<&ShardSet>)> = indexes
        .iter()
        .flat_map(|i| i.groups.iter().map(move |g| (g, i.doc_count, i.shards.as_ref())))
        .collect();
    let plain: Vec<(&Group, Option<&ShardSet>)> = groups.iter().map(|&(g, _, s)| (g, s)).collect();
    let mut base = candidates.clone();
    apply_exclusions(&plain, &mut base, selection);
    let unions: Vec<Option<DocSet>> =
        plain.iter().map(|&(g, s)| included_union(g, s, selection, candidates.len())).collect();
    groups
        .iter()
        .enumerate()
        .map(|(index, &(group, doc_count, shards))| {
            let mut scope = base.clone();
            for (other, union) in unions.iter().enumerate() {
                if let (true, Some(union)) = (other != index, union) {
                    scope.intersect_with(union);
                }
            }
            let slots_of = |map: &BTreeMap<String, BTreeSet<String>>| -> Vec<u32> {
                map.get(&group.key)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| group.slot(v).map(|s| s as u32))
                    .collect()
            };
            let (included, excluded) = (slots_of(&selection.include), slots_of(&selection.exclude));
            let (counts, counted) = group.count(&scope, doc_count, shards);
            let mut group_counts = GroupCounts {
                key: group.key.clone(),
                label: group.label.clone(),
                values: Arc::clone(&group.values),
                counts,
                counted,
                included,
                excluded,
                listed: 0,
            };
            group_counts.listed = group_counts.listed_slots().count();
            group_counts
        })
        .collect()
}

fn apply_exclusions(groups: &[(&Group, Option<&ShardSet>)], docs: &mut DocSet, selection: &Selection) {
    for &(group, shards) in groups {
        for value in selection.exclude.get(&group.key).into_iter().flatten() {
            if let Some(slot) = group.slot(value) {
                for &d in group.list(slot, shards).iter() {
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
fn included_union(
    group: &Group,
    shards: Option<&ShardSet>,
    selection: &Selection,
    doc_count: usize,
) -> Option<DocSet> {
    let values = selection.include.get(&group.key).filter(|v| !v.is_empty())?;
    let mut union = DocSet::with_capacity(doc_count);
    for value in values {
        if let Some(slot) = group.slot(value) {
            union.extend(group.list(slot, shards).iter().map(|&d| d as usize));
        }
    }
    Some(union)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many counts this test's thread made from the last scope's.
        pub(super) static FROM_LAST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

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
        let top = group.top(usize::MAX);
        let got: Vec<(&str, usize)> = top.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(got, expected);
        assert_eq!(group.len(), expected.len());
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
        let models = counts[0].top(usize::MAX);
        let gpt = models.iter().find(|v| v.value == "gpt").expect("excluded value stays listed");
        assert!(gpt.excluded);
    }

    #[test]
    fn counts_are_restricted_to_the_candidates() {
        let index = fixture();
        let mut candidates = DocSet::with_capacity(5);
        candidates.insert(2);
        candidates.insert(3);
        let counts = index.counts(&candidates, &Selection::default());
        let top = counts[0].top(usize::MAX);
        let models: Vec<_> = top.iter().map(|v| (v.value.as_str(), v.count)).collect();
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

    fn names(values: &[ValueCount]) -> Vec<(&str, usize)> {
        values.iter().map(|v| (v.value.as_str(), v.count)).collect()
    }

    #[test]
    fn top_keeps_the_most_frequent_then_alphabetical_and_always_the_selected() {
        let index = fixture();
        let all = index.counts(&index.all(), &Selection::default());
        assert_eq!(names(&all[0].top(2)), [("gpt", 2), ("llama", 2)]);
        assert_eq!(names(&all[1].top(1)), [("2023", 2)]);
        let mut selection = Selection::default();
        selection.include("year", "2022");
        selection.exclude("model", "mixtral");
        let counts = index.counts(&index.all(), &selection);
        // 2022 is selected: listed after the top one although it is rarer.
        assert_eq!(names(&counts[1].top(1)), [("2023", 2), ("2022", 1)]);
        let years = counts[1].top(1);
        assert!(years[1].included && !years[0].included);
        let models = counts[0].top(0);
        assert_eq!(names(&models), [("mixtral", 0)]);
        assert!(models[0].excluded);
    }

    #[test]
    fn matching_filters_values_ignoring_case() {
        let mut index = FacetIndex::new(3);
        index.set_group(
            "author",
            "Authors",
            [(0, "Ada Lovelace"), (1, "Alan Turing"), (2, "Émile Borel"), (2, "Ada Lovelace")],
        );
        let counts = index.counts(&index.all(), &Selection::default());
        assert_eq!(names(&counts[0].matching("LOVE", 10)), [("Ada Lovelace", 2)]);
        assert_eq!(names(&counts[0].matching("émile", 10)), [("Émile Borel", 1)]);
        assert_eq!(names(&counts[0].matching(" a", 1)), [("Ada Lovelace", 2)]);
        assert!(counts[0].matching("zzz", 10).is_empty());
        assert_eq!(counts[0].count_matching(" a"), 2, "Ada Lovelace, Alan Turing");
        assert_eq!(counts[0].count_matching("É"), 1);
        assert_eq!(counts[0].count_matching(""), 3);
        assert_eq!(counts[0].count("Alan Turing"), 1);
        assert_eq!(counts[0].count("nobody"), 0);
    }

    /// The values of `group` some paper of `scope` has, with how many,
    /// counted from the value lists, most frequent first (ties
    /// alphabetically).
    fn direct_counts<'g>(group: &'g Group, scope: &DocSet) -> Vec<(&'g str, usize)> {
        let lists = group.lists(None).expect("a whole group");
        let count = |docs: &Vec<u32>| docs.iter().filter(|&&d| scope.contains(d as usize)).count();
        let mut direct: Vec<(&str, usize)> = group
            .values
            .iter()
            .zip(lists)
            .map(|(v, docs)| (v.as_str(), count(docs)))
            .filter(|&(_, n)| n > 0)
            .collect();
        direct.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        direct
    }

    /// Counting walks the papers in scope, or those out of it, or the
    /// values one by one (bitsets for the common ones), whichever costs
    /// least for the scope's size: every way gives the direct count, the
    /// values listed and their order.
    #[test]
    fn counts_agree_whichever_way_they_are_counted() {
        let n = 300;
        let mut index = FacetIndex::new(n);
        let authors = (0..n).flat_map(|d| {
            let common = (d % 3 == 0).then(|| (d, "a common".to_owned()));
            [(d, format!("a{}", d % 150))].into_iter().chain(common)
        });
        index.set_group("author", "Authors", authors);
        index.set_group("year", "Years", (0..n).map(|d| (d, format!("{}", 2000 + d % 7))));
        index.set_group("code", "Code", (0..n).filter(|d| d % 2 == 0).map(|d| (d, "yes")));
        let mut selection = Selection::default();
        selection.include("year", "2003");
        selection.exclude("author", "a7");
        let mut state = 7u64;
        for percent in [0, 1, 5, 20, 45, 55, 80, 99, 100] {
            let mut scope = DocSet::with_capacity(n);
            scope.extend((0..n).filter(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (state >> 33) % 100 < percent
            }));
            let counts = index.counts(&scope, &Selection::default());
            let with_selection = index.counts(&scope, &selection);
            for ((counted, selected), group) in counts.iter().zip(&with_selection).zip(&index.groups) {
                let direct = direct_counts(group, &scope);
                let at = format!("{} over {percent}%", group.key);
                assert_eq!(names(&counted.top(usize::MAX)), direct, "{at}");
                assert_eq!(names(&counted.top(3)), direct[..direct.len().min(3)], "{at}");
                assert_eq!(counted.len(), direct.len(), "{at}");
                assert_eq!(counted.count_matching(""), direct.len(), "{at}");
                // Selected values are listed even when no paper in scope has them.
                let listed = selected.top(usize::MAX);
                assert_eq!(selected.len(), listed.len(), "{at}");
                for value in
                    selection.include.get(&group.key).into_iter().chain(selection.exclude.get(&group.key))
                {
                    assert!(listed.iter().any(|v| value.contains(&v.value)), "{at}: {value:?} listed");
                }
            }
        }
    }

    /// A group counts a scope from the last one's counts when few papers
    /// left or came in: over a sequence of scopes that change by a few
    /// papers (and now and then by many), with and without a selection,
    /// every count is the direct one (authors walked, years by value).
    #[test]
    fn counts_from_the_last_scope_are_the_direct_counts() {
        let n = 3000;
        let mut index = FacetIndex::new(n);
        let authors =
            (0..n).flat_map(|d| [(d, format!("a{}", d % 700)), (d, format!("b{}", (d * 7) % 1300))]);
        index.set_group("author", "Authors", authors);
        index.set_group("year", "Years", (0..n).map(|d| (d, format!("{}", 2000 + d % 9))));
        let mut selection = Selection::default();
        selection.include("year", "2004");
        let mut state = 11u64;
        let mut next = |bound: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % bound
        };
        // A few papers in scope (the authors are walked: their slots
        // counted are known) or most (walked out of scope); with no
        // selection, then with one (the authors' scope within a year).
        for (chosen, share, most) in
            [(&Selection::default(), 20, false), (&Selection::default(), 20, true), (&selection, 3, false)]
        {
            let mut scope = DocSet::with_capacity(n);
            scope.extend((0..n).filter(|d| (d % share == 0) != most));
            FROM_LAST.with(|n| n.set(0));
            for step in 0..60 {
                let changes = if step % 15 == 14 { 600 } else { 1 + next(8) };
                // As many papers leave as come in: the scope keeps its size.
                for k in 0..changes {
                    let d = std::iter::repeat_with(|| next(n)).find(|&d| scope.contains(d) == (k % 2 == 0));
                    scope.toggle(d.unwrap_or(0));
                }
                let counts = index.counts(&scope, chosen);
                let within = index.filter(&scope, chosen);
                let author = &index.groups[0];
                let direct = direct_counts(author, &within);
                assert_eq!(
                    names(&counts[0].top(usize::MAX)),
                    direct,
                    "1 in {share} (most: {most}), step {step}"
                );
                assert_eq!(counts[0].len(), direct.len(), "1 in {share} (most: {most}), step {step}");
                // The years (counted by value, or from the last scope's):
                // their own selection ignored.
                let years = direct_counts(&index.groups[1], &scope);
                assert_eq!(names(&counts[1].top(usize::MAX)), years, "years, 1 in {share}, step {step}");
                // The slots counted, when known, are those with a count, once each.
                if let Some(counted) = &counts[0].counted {
                    let mut slots = counted.clone();
                    slots.sort_unstable();
                    let with_count: Vec<u32> = (0..author.values.len() as u32)
                        .filter(|&slot| counts[0].counts[slot as usize] > 0)
                        .collect();
                    assert_eq!(slots, with_count, "1 in {share} (most: {most}), step {step}");
                }
            }
            let from_last = FROM_LAST.with(|n| n.replace(0));
            assert!(
                from_last >= 40,
                "1 in {share} (most: {most}): counted from the last scope {from_last} times"
            );
        }
    }

    /// Counting walks each paper's values when the scope is part of the
    /// corpus and the value lists when it is all of it: the same answer.
    #[test]
    fn counts_over_part_of_the_corpus_match_a_direct_count() {
        let index = fixture();
        for mask in 0u32..32 {
            let mut scope = DocSet::with_capacity(5);
            scope.extend((0..5).filter(|d| mask & (1 << d) != 0));
            let counts = index.counts(&scope, &Selection::default());
            for (counted, group) in counts.iter().zip(&index.groups) {
                let direct = direct_counts(group, &scope);
                assert_eq!(names(&counted.top(usize::MAX)), direct, "{} over {mask:05b}", group.key);
            }
        }
    }

    /// `bytes` (a stored facet index) read `budget` values at a time: the
    /// index, and how many steps it took; an error as soon as a step fails.
    fn in_steps(bytes: &[u8], budget: usize) -> Result<(FacetIndex, usize), PackError> {
        let mut rest = bytes;
        let mut reader = FacetsReader::new(&mut rest)?;
        let mut steps = 1;
        while !reader.step(&mut rest, budget)? {
            steps += 1;
        }
        assert!(rest.is_empty(), "the index's bytes read to their end");
        Ok((reader.finish()?, steps))
    }

    /// An index of `n` papers whose group "author" has about `n` values.
    fn larger(n: usize) -> FacetIndex {
        let mut index = fixture();
        index.doc_count = n;
        index.set_group("author", "Authors", (0..n).map(|d| (d, format!("Author {}", d * 7 % n))));
        index.set_group("venue", "Venues", (0..n).map(|d| (d, format!("venue {}", d % 3))));
        index
    }

    #[test]
    fn an_index_read_a_slice_of_values_at_a_time_is_the_index_read_whole() {
        for index in [FacetIndex::new(0), fixture(), larger(300)] {
            let bytes = postcard::to_allocvec(&index).expect("it encodes");
            let whole: FacetIndex = postcard::from_bytes(&bytes).expect("it decodes");
            let values: usize = index.groups.iter().map(|g| g.values.len()).sum();
            for budget in [1, 2, 7, 100, VALUES_PER_STEP] {
                let (read, steps) = in_steps(&bytes, budget).expect("its own index");
                assert_eq!(postcard::to_allocvec(&read).expect("it encodes"), bytes, "budget {budget}");
                assert_eq!(
                    read.counts(&read.all(), &Selection::default()),
                    whole.counts(&whole.all(), &Selection::default())
                );
                assert!(steps >= values / budget, "{steps} steps of {budget} for {values} values");
            }
        }
    }

    #[test]
    fn a_cut_or_corrupt_index_read_in_steps_is_refused_at_its_step() {
        let bytes = postcard::to_allocvec(&larger(300)).expect("it encodes");
        for cut in 0..bytes.len() {
            let cut = &bytes[..cut];
            assert!(postcard::from_bytes::<FacetIndex>(cut).is_err());
            for budget in [1, 50, VALUES_PER_STEP] {
                assert!(
                    in_steps(cut, budget).is_err(),
                    "cut at {} of {}, {budget} a step",
                    cut.len(),
                    bytes.len()
                );
            }
        }
        let group = |values: &[&str], docs: &[&[u32]]| GroupForm {
            key: "model".to_owned(),
            label: "Models".to_owned(),
            values: FrontCoded::new(values.iter().copied()),
            docs: GapLists::new(docs.iter().copied()),
            sharded: None,
        };
        let good = || group(&["a", "b"], &[&[0], &[1]]);
        let sharded = |totals: Vec<u32>| GroupForm {
            docs: GapLists::default(),
            sharded: Some(ShardedLists { totals, first: 0 }),
            ..good()
        };
        for (bad, case) in [
            (group(&["b", "a"], &[&[0], &[1]]), "values out of order"),
            (group(&["a", "a"], &[&[0], &[1]]), "a value twice"),
            (group(&["a", "b"], &[&[0]]), "a value with no list"),
            (group(&["a", "b"], &[&[1, 0], &[1]]), "a list out of order"),
            (sharded(vec![1]), "a value with no total"),
        ] {
            // A facet index as stored: its paper count, its groups.
            let bytes =
                postcard::to_allocvec(&(2usize, vec![good(), good(), bad, good()])).expect("it encodes");
            assert!(postcard::from_bytes::<FacetIndex>(&bytes).is_err(), "{case}: refused whole");
            let mut rest = bytes.as_slice();
            let mut reader = FacetsReader::new(&mut rest).expect("its counts read");
            // A value a step: the two good groups, then the bad one's first
            // value; its second is refused, or its lists.
            for step in 0..5 {
                assert_eq!(reader.step(&mut rest, 1).ok(), Some(false), "{case}: step {step}");
            }
            let err = reader.step(&mut rest, 1).expect_err("refused at the bad group's last step");
            assert!(err.to_string().contains("the facet group \"model\" does not decode"), "{case}: {err}");
        }
        let bytes = postcard::to_allocvec(&(2usize, vec![good(), sharded(vec![1, 1])])).expect("it encodes");
        assert!(in_steps(&bytes, 1).is_ok(), "a group whose lists are in shards reads");
    }
}
