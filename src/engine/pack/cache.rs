//! The bounded cache of a sharded pack's loaded shards: which to drop, least
//! recently used first, when the bytes held pass the budget. It keeps the
//! books; the shards themselves live where they are read (the index's and
//! the papers' shard sets), and the explorer drops what it says.

use std::collections::{BTreeMap, BTreeSet};

use super::shards::ShardId;

/// Bytes of shards kept by default: a few hundred first screens of records
/// and the postings of many queries, far below the corpus at 100k papers.
pub const DEFAULT_BUDGET: usize = 48 * 1024 * 1024;

#[derive(Debug)]
pub struct ShardCache {
    budget: usize,
    held: usize,
    clock: u64,
    /// Loaded shards: when last used, and their bytes.
    loaded: BTreeMap<ShardId, (u64, usize)>,
    /// Shards never dropped: those the last call read or missed and those
    /// added since, so that a query whose shards exceed the budget still
    /// completes, and the rows it shows stay readable and explainable.
    pinned: BTreeSet<ShardId>,
}

impl ShardCache {
    pub fn new(budget: usize) -> Self {
        Self { budget, held: 0, clock: 0, loaded: BTreeMap::new(), pinned: BTreeSet::new() }
    }

    pub fn set_budget(&mut self, budget: usize) {
        self.budget = budget;
    }

    /// Bytes of the loaded shards.
    pub fn held(&self) -> usize {
        self.held
    }

    pub fn contains(&self, id: ShardId) -> bool {
        self.loaded.contains_key(&id)
    }

    /// Marks `ids` as just used.
    pub fn touch<'a>(&mut self, ids: impl IntoIterator<Item = &'a ShardId>) {
        self.clock += 1;
        for id in ids {
            if let Some(entry) = self.loaded.get_mut(id) {
                entry.0 = self.clock;
            }
        }
    }

    /// Forgets every shard; returns them (for the explorer to drop).
    pub fn clear(&mut self) -> Vec<ShardId> {
        self.held = 0;
        self.pinned.clear();
        std::mem::take(&mut self.loaded).into_keys().collect()
    }

    /// Pins `id` too, until the next [`ShardCache::pin`].
    pub fn pin_also(&mut self, id: ShardId) {
        self.pinned.insert(id);
    }

    /// Replaces the pinned shards.
    pub fn pin(&mut self, ids: BTreeSet<ShardId>) {
        self.pinned = ids;
    }

    /// Notes shard `id` of `bytes` loaded; returns the shards to drop, least
    /// recently used first, until the budget holds (never a pinned one, nor
    /// `id`).
    pub fn add(&mut self, id: ShardId, bytes: usize) -> Vec<ShardId> {
        self.clock += 1;
        if let Some((_, old)) = self.loaded.insert(id, (self.clock, bytes)) {
            self.held -= old;
        }
        self.held += bytes;
        let mut dropped = Vec::new();
        while self.held > self.budget {
            let oldest = self
                .loaded
                .iter()
                .filter(|(other, _)| **other != id && !self.pinned.contains(other))
                .min_by_key(|(_, (used, _))| *used)
                .map(|(other, _)| *other);
            let Some(oldest) = oldest else { break };
            if let Some((_, freed)) = self.loaded.remove(&oldest) {
                self.held -= freed;
            }
            dropped.push(oldest);
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pack::shards::ShardKind;

    fn id(number: u32) -> ShardId {
        ShardId { kind: ShardKind::Records, number }
    }

    #[track_caller]
    fn check(budget: usize, steps: &[(&str, u32)], dropped: &[u32]) {
        let mut cache = ShardCache::new(budget);
        let mut got = Vec::new();
        for &(step, n) in steps {
            match step {
                "add" => got.extend(cache.add(id(n), 10).into_iter().map(|i| i.number)),
                "touch" => cache.touch(&[id(n)]),
                "pin" => cache.pin([id(n)].into()),
                _ => unreachable!("a step of this test"),
            }
        }
        assert_eq!(got, dropped);
        assert!(cache.held() <= budget.max(10 * (1 + cache.pinned.len())));
    }

    #[test]
    fn the_least_recently_used_unpinned_shard_goes_first() {
        check(30, &[("add", 1), ("add", 2), ("add", 3)], &[]);
        check(30, &[("add", 1), ("add", 2), ("add", 3), ("add", 4)], &[1]);
        check(30, &[("add", 1), ("add", 2), ("add", 3), ("touch", 1), ("add", 4)], &[2]);
        check(30, &[("add", 1), ("add", 2), ("add", 3), ("pin", 1), ("add", 4)], &[2]);
        check(10, &[("add", 1), ("pin", 1), ("add", 2)], &[]);
        check(0, &[("add", 1), ("add", 2)], &[1]);
    }
}
