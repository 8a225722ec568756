//! The explorer: one call per interaction. Given the view state (query,
//! facet selection, sort), returns the ordered matching papers and the facet
//! counts for them. The UI renders what this returns and nothing else.
//! Discovery (issue 17: the map, recommendations, "recommended for" a tag)
//! reads the vectors and the map the pack ships ([`discovery`]).

mod discovery;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use std::sync::{Arc, OnceLock};

use super::bundle::{Bundle, Paper};
use super::discover::reasons::Profile;
use super::discover::{keep_best, Model, Shipped, REASON_PAPERS, REASON_TERMS};
use super::facet_kind::{values_of, FacetKind};
use super::facets::{counts_all, filter_all, papers_in, DocSet, FacetIndex, GroupCounts};
use super::highlight::{self, Highlights, Segment, Span};
use super::index::SearchIndex;
use super::map::Layout;
use super::pack::cache::{ShardCache, DEFAULT_BUDGET};
use super::pack::shards::{Reads, Shard, ShardEntry, ShardId, ShardKind, ShardSet};
use super::pack::{
    title_order, Contents, Head, HeadDecoder, IdShards, PackError, Papers, ShardSizes, ShardedPack,
};
use super::search::{self, CatalogResolver, Contribution, Ranker, SearchOptions, SearchResults};
use super::tags::{PaperSet, ReadingState, UserData};
use super::view_state::{Sort, ViewState};
use discovery::Discovered;

/// A loaded corpus, indexed for exploring: built from a bundle
/// ([`Explorer::new`]) or read from the app pack the compiler made of it
/// ([`Explorer::from_pack`]), with the same behaviour either way.
pub struct Explorer {
    /// The bundle's corpus-level parts (catalog, sources); its papers are in
    /// `papers`.
    meta: Bundle,
    papers: Papers,
    facets: FacetIndex,
    /// Papers by title (folded), for the title sort.
    by_title: Vec<u32>,
    /// Shared with the explorations whose rest is ranked when scrolled to
    /// (in a sharded pack, whose index changes as shards come and go, an
    /// exploration keeps the index it searched: [`Explorer::index_mut`]).
    search_index: Arc<SearchIndex>,
    /// Read from a sharded pack's head: the shard tables and cache.
    sharded: Option<Sharded>,
    /// The paper vectors and the map, when the pack has them.
    discovery: Discovered,
}

/// What an explorer read from a sharded pack's head keeps besides the head.
struct Sharded {
    /// Each kind's shard table, in [`ShardKind`] order.
    tables: [Vec<ShardEntry>; ShardKind::ALL.len()],
    /// Each kind's files as served, in bytes (empty: not recorded), and
    /// its shards' plain bytes.
    served: Vec<u64>,
    plain: [u64; ShardKind::ALL.len()],
    cache: ShardCache,
    reads: Arc<Reads>,
    /// The title order's shard; once added, the order is decoded into
    /// `Explorer::by_title` and kept until `clear_shards`.
    order: ShardSet,
}

/// The answer to one interaction.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The first matching papers (paper numbers), in display order: all of
    /// them, or with a query ranked by relevance, the best [`ORDERED`].
    ordered: Vec<u32>,
    /// How many other papers match: with a query ranked by relevance,
    /// those of `search`'s hits in `ranked` not in `ordered`, scored but
    /// not yet ranked (a keystroke matching 90k papers shows the first
    /// few, and ranking them all would cost more than the search); for a
    /// one-word query, not even scored yet (`ranker` scores them).
    rest: usize,
    /// The papers matching query and filters, when the rest is ranked from
    /// the search's hits.
    ranked: Option<DocSet>,
    /// For a one-word query, what scores the matches not ranked yet: the
    /// search's hits are empty ([`search::run_ranked`]).
    ranker: Option<Rest>,
    /// Every matching paper in display order, made when first needed.
    all: OnceLock<Vec<u32>>,
    /// Facet counts for the papers matching the query, per group.
    pub facets: Vec<GroupCounts>,
    /// The search for the query text (`None` without a query).
    pub search: Option<SearchResults>,
    /// Papers matching the query alone (before filters).
    pub query_matches: usize,
    /// A sharded pack's facet groups not counted yet: their paper lists
    /// are in facet shards not held ([`Exploration::counts_wait_for`]);
    /// their counts are zeros meanwhile. Empty once every group is counted.
    counting: Vec<String>,
    /// The facet shards those groups' counts wait for.
    counts_wait_for: Vec<ShardId>,
}

/// A recommended paper and why ([`Explorer::recommend`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Recommended {
    pub doc: u32,
    /// The classifier's probability that the paper belongs with the liked
    /// ones, 0..1.
    pub score: f32,
    /// The words, entities and keyphrases that tie it to the liked papers,
    /// weightiest first (at most [`REASON_TERMS`]).
    pub reasons: Vec<String>,
    /// The liked papers nearest to it by their vectors, nearest first (at
    /// most [`REASON_PAPERS`]).
    pub closest: Vec<u32>,
}

/// Liked (and disliked) papers whose records make a recommendation's
/// reasons: a spread of them past this many (each may be a record shard
/// to fetch).
const PROFILE_PAPERS: usize = 32;

/// Best score first, ties by paper number: the order of recommendations.
fn by_score(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Matching papers ranked by relevance before any is asked for.
pub const ORDERED: usize = 256;

/// What ranks the matches of a one-word query past the first
/// [`ORDERED`], when first asked for.
#[derive(Clone)]
struct Rest {
    index: Arc<SearchIndex>,
    ranker: Arc<Ranker>,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rest")
    }
}

/// Up to this many papers, [`Explorer::missing_ids`] asks for their
/// record shards (about what a screen of rows holds); past it, for every
/// id shard (0.7 MB at 100k papers, about 8.5 MB at 1M).
const IDS_FROM_RECORDS: usize = 64;

/// The same answer: the same rows in the same order (the first ones, and
/// the same matches ranked by the same search for the rest), counts and
/// search results. The search's hits are not compared: a one-word query's
/// are empty ([`search::run_ranked`]), and what they rank is `ordered`
/// and `ranked`.
impl PartialEq for Exploration {
    fn eq(&self, other: &Self) -> bool {
        let same_search = match (&self.search, &other.search) {
            (Some(a), Some(b)) => {
                (&a.query, &a.words, &a.entities, a.fewer_words, &a.suggestion)
                    == (&b.query, &b.words, &b.entities, b.fewer_words, &b.suggestion)
            }
            (a, b) => a.is_none() && b.is_none(),
        };
        self.ordered == other.ordered
            && self.rest == other.rest
            && self.ranked == other.ranked
            && self.facets == other.facets
            && same_search
            && self.query_matches == other.query_matches
            && self.counting == other.counting
    }
}

impl Exploration {
    /// Whether facet group `key` is still being counted: its counts wait
    /// for facet shards (the rows, the total and the other groups do not).
    pub fn counting(&self, key: &str) -> bool {
        self.counting.iter().any(|k| k == key)
    }

    /// The keys of the groups still being counted.
    pub fn counting_groups(&self) -> &[String] {
        &self.counting
    }

    /// The facet shards the groups still being counted wait for: fetch
    /// them, [`add`](Explorer::add_shard) them, and explore again for the
    /// complete counts.
    pub fn counts_wait_for(&self) -> &[ShardId] {
        &self.counts_wait_for
    }

    /// Whether every facet group is counted.
    pub fn counts_complete(&self) -> bool {
        self.counting.is_empty()
    }

    /// "Did you mean" when nothing matches the query.
    pub fn suggestion(&self) -> Option<&str> {
        self.search.as_ref()?.suggestion.as_deref()
    }

    /// No paper has every word of the query: the papers shown are those
    /// with most of them ("No paper has all the words; showing those with
    /// most of them").
    pub fn fewer_words(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.fewer_words)
    }

    pub fn has_query(&self) -> bool {
        self.search.as_ref().is_some_and(|s| !s.query.is_empty())
    }

    /// The number of matching papers.
    pub fn len(&self) -> usize {
        self.ordered.len() + self.rest
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first `n` matching papers in display order.
    pub fn first(&self, n: usize) -> &[u32] {
        if n <= self.ordered.len() {
            &self.ordered[..n]
        } else {
            let all = self.docs();
            &all[..n.min(all.len())]
        }
    }

    /// The matching paper at position `i` of the display order.
    pub fn get(&self, i: usize) -> Option<u32> {
        self.first(i.saturating_add(1)).get(i).copied()
    }

    /// Every matching paper as a set of `papers` (the corpus's size), in
    /// no order: what [`Exploration::docs`] holds, without ranking the
    /// matches not ranked yet (the map lights them up at each keystroke).
    pub fn matching(&self, papers: usize) -> DocSet {
        if let Some(ranked) = &self.ranked {
            return ranked.clone();
        }
        let mut set = DocSet::with_capacity(papers);
        for &doc in &self.ordered {
            set.insert(doc as usize);
        }
        set
    }

    /// Every matching paper in display order.
    pub fn docs(&self) -> &[u32] {
        let (Some(ranked), Some(results)) = (&self.ranked, &self.search) else { return &self.ordered };
        if self.rest == 0 {
            return &self.ordered;
        }
        self.all.get_or_init(|| {
            // The first ones are `ordered`: the order is total.
            let scored;
            let hits = match &self.ranker {
                Some(rest) => {
                    scored = rest.ranker.all(&rest.index);
                    &scored
                }
                None => &results.hits,
            };
            let matching = hits.iter().filter(|h| ranked.contains(h.doc as usize));
            search::rank(matching.copied().collect()).into_iter().map(|h| h.doc).collect()
        })
    }
}

/// The index of an explorer turned into a pack: no exploration may still
/// share it (none does: packs are made of explorers never explored).
fn unshared(index: Arc<SearchIndex>) -> Result<SearchIndex, PackError> {
    Arc::try_unwrap(index).map_err(|_| PackError::Malformed("the index is still in use".to_owned()))
}

/// Where [`Explorer::warm_up_step`] is: the common terms summarized from
/// term `Terms(from)` on, then the facet groups prepared from `Facets(i)`
/// on, then the vocabulary by length ("did you mean" reads it), then the
/// warm-up queries from `Query(i)` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarmUp {
    Terms(u32),
    Facets(usize),
    Vocabulary,
    Query(usize),
    Done,
}

/// Papers of the common terms summarized per warm-up step (a step's time
/// goes with the postings it reads): about 5 ms a step natively at 100k
/// papers, under 20 in the page.
pub const WARM_UP_PAPERS: usize = 1 << 18;

impl Default for WarmUp {
    /// The first step.
    fn default() -> Self {
        WarmUp::Terms(0)
    }
}

/// What [`Explorer::warm_up`] runs.
const WARM_UP_QUERIES: [&str; 4] = ["learning mod", "lerning", "\"language models\"", "languag zzqx"];

/// Snippet length in words.
pub const SNIPPET_WORDS: usize = 40;

/// The pairs of the `limit` values that most papers share (at least two).
fn shared_values(pairs: Vec<(usize, Cow<'_, str>)>, limit: usize) -> Vec<(usize, Cow<'_, str>)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, value) in &pairs {
        *counts.entry(value).or_default() += 1;
    }
    let mut frequent: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let keep: HashSet<&str> = frequent.into_iter().take(limit).map(|(v, _)| v).collect();
    let kept: Vec<bool> = pairs.iter().map(|(_, v)| keep.contains(v.as_ref())).collect();
    pairs.into_iter().zip(kept).filter(|(_, kept)| *kept).map(|(pair, _)| pair).collect()
}

impl Explorer {
    pub fn new(mut bundle: Bundle) -> Self {
        let papers = std::mem::take(&mut bundle.papers);
        let facets = facet_index(&papers);
        let mut by_title: Vec<u32> = (0..papers.len() as u32).collect();
        let keys: Vec<String> = papers.iter().map(|p| super::analyze::fold(&p.title)).collect();
        by_title.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let search_index = SearchIndex::from_papers(&papers);
        Self::assemble(bundle, Papers::from_vec(papers), facets, by_title, search_index)
    }

    fn assemble(
        meta: Bundle,
        papers: Papers,
        facets: FacetIndex,
        by_title: Vec<u32>,
        search_index: SearchIndex,
    ) -> Self {
        let search_index = Arc::new(search_index);
        Self { meta, papers, facets, by_title, search_index, sharded: None, discovery: Discovered::default() }
    }

    /// This corpus with the vectors and the map the compiler made of it
    /// ([`super::discover::ship`]), which its packs then store; left out
    /// when they are not of this corpus's papers.
    pub fn with_discovery(mut self, shipped: Shipped) -> Self {
        if !self.is_sharded() {
            self.discovery = Discovered::whole(Some(shipped), self.len());
        }
        self
    }

    /// Reads an app pack ([`super::pack`]): the indexes are copied, not
    /// rebuilt, and papers are decoded when first shown. A damaged pack, or
    /// one of another version, is refused whole.
    pub fn from_pack(pack: Vec<u8>) -> Result<Self, PackError> {
        let (contents, records_start) = Contents::decode(&pack)?;
        let meta = Bundle::from_json(&contents.meta_json).map_err(|e| PackError::Malformed(e.to_string()))?;
        let n = contents.ids.len();
        let discovery = Discovered::from_bytes(&contents.vectors, &contents.map, n)?;
        let papers = Papers::packed(contents.ids, pack, records_start, contents.paper_ends);
        let mut explorer = Self::assemble(meta, papers, contents.facets, contents.by_title, contents.index);
        explorer.discovery = discovery;
        Ok(explorer)
    }

    /// The app pack of this corpus.
    pub fn into_pack(self) -> Result<Vec<u8>, PackError> {
        let Explorer { meta, papers, facets, by_title, search_index, discovery, .. } = self;
        let search_index = unshared(search_index)?;
        // The decoded papers are as large as their records: not both at once.
        let (records, paper_ends, table) = papers.into_records()?;
        let ids = (0..table.len() as u32).map(|d| table.id(d).to_owned()).collect();
        drop(table);
        let (vectors, map) = discovery.shipped();
        let contents = Contents {
            meta_json: meta.to_json(),
            ids,
            paper_ends,
            by_title,
            facets,
            index: search_index,
            vectors: vectors.map(|v| v.to_bytes()).unwrap_or_default(),
            map: map.map(Layout::to_bytes).unwrap_or_default(),
        };
        Ok(contents.encode(&records))
    }

    /// The pack of this corpus cut into a head and shards
    /// (docs/pack-format.md); `sizes` says how big shards grow. The shards'
    /// files are their plain bytes (a corpus kept in a browser).
    pub fn into_sharded(self, sizes: ShardSizes) -> Result<ShardedPack, PackError> {
        self.into_served_shards(sizes, &mut |bytes| bytes)
    }

    /// [`Explorer::into_sharded`] with each shard's file made by `serve`
    /// from its bytes (the compiler gzips them: what a host serves), the
    /// head recording how many bytes each kind's files take
    /// ([`Explorer::served_bytes`]).
    pub fn into_served_shards(
        self,
        sizes: ShardSizes,
        serve: &mut dyn FnMut(Vec<u8>) -> Vec<u8>,
    ) -> Result<ShardedPack, PackError> {
        let Explorer { meta, papers, facets, by_title, search_index, discovery, .. } = self;
        let search_index = unshared(search_index)?;
        // The decoded papers are as large as their records: not both at once.
        let (records, paper_ends, ids) = papers.into_records()?;
        let meta_json = meta.to_json();
        let shipped = discovery.shipped();
        Ok(Head::write(
            meta_json,
            &ids,
            by_title,
            facets,
            search_index,
            &records,
            &paper_ends,
            shipped,
            sizes,
            serve,
        ))
    }

    /// Reads a sharded pack's head: the explorer answers from it and the
    /// shards given to it ([`Explorer::add_shard`]); a call that needs a
    /// shard it does not hold says which ([`Explorer::try_explore`]). A
    /// damaged head, or one of another version, is refused whole.
    pub fn from_head(head: &[u8]) -> Result<Self, PackError> {
        Self::from_decoded_head(Head::decode(head)?)
    }

    /// [`Explorer::from_head`] of a head read a part at a time.
    pub fn from_head_decoder(decoder: HeadDecoder) -> Result<Self, PackError> {
        Self::from_decoded_head(decoder.finish()?)
    }

    fn from_decoded_head(head: Head) -> Result<Self, PackError> {
        let meta = Bundle::from_json(&head.meta_json).map_err(|e| PackError::Malformed(e.to_string()))?;
        let reads = Arc::new(Reads::default());
        let Head {
            ids,
            mut facets,
            mut index,
            postings,
            positions,
            records,
            entities,
            facet_lists,
            order,
            id_shards,
            vectors,
            vector_papers,
            map,
            served,
            ..
        } = head;
        let tables = [
            postings.clone(),
            positions.clone(),
            records.clone(),
            entities.entries.clone(),
            facet_lists.clone(),
            order.clone(),
            id_shards.clone(),
            vectors.clone(),
            map.clone(),
        ];
        if !index.use_shards(postings, positions, entities, &reads) || !facets.use_shards(facet_lists, &reads)
        {
            return Err(PackError::Malformed("the shard tables do not match the index".to_owned()));
        }
        let n = index.doc_count();
        let id_set = ShardSet::new(
            ShardKind::Ids,
            id_shards,
            tables[ShardKind::Ids as usize].len() as u32,
            Arc::clone(&reads),
        );
        let ids = IdShards::new(&ids, id_set, n as u32).ok_or_else(|| {
            PackError::Malformed(format!("the ids' shard table does not match its {n} papers"))
        })?;
        let record_set = ShardSet::new(ShardKind::Records, records, n as u32, Arc::clone(&reads));
        let papers = Papers::sharded(ids, n, record_set);
        // The title order comes with its shard (`Explorer::title_order`).
        let order = ShardSet::new(ShardKind::Order, order, 1, Arc::clone(&reads));
        let discovery = Discovered::sharded(n, vector_papers as usize, vectors, map, Arc::clone(&reads))?;
        let mut explorer = Self::assemble(meta, papers, facets, Vec::new(), index);
        explorer.discovery = discovery;
        let plain = tables.each_ref().map(|table| table.iter().map(|e| u64::from(e.bytes)).sum());
        let sharded = Sharded { tables, served, plain, cache: ShardCache::new(DEFAULT_BUDGET), reads, order };
        explorer.sharded = Some(sharded);
        Ok(explorer)
    }

    /// Whether this explorer reads a sharded pack.
    pub fn is_sharded(&self) -> bool {
        self.sharded.is_some()
    }

    /// The head's entry for shard `id` (its path, size and hash).
    pub fn shard_entry(&self, id: ShardId) -> Option<&ShardEntry> {
        self.sharded.as_ref()?.tables[id.kind as usize].get(id.number as usize)
    }

    /// The bytes shard `id`'s file takes as the host serves it (gzipped):
    /// its plain length scaled by its kind's served share, which the head
    /// records per kind, not per shard (their sum over a kind is within a
    /// byte a shard of the kind's total); its plain length when the head
    /// has no served sizes (shards kept plain).
    pub fn served_bytes(&self, id: ShardId) -> Option<u64> {
        let sharded = self.sharded.as_ref()?;
        let plain = u64::from(self.shard_entry(id)?.bytes);
        let Some(&served) = sharded.served.get(id.kind as usize) else { return Some(plain) };
        let total = sharded.plain[id.kind as usize].max(1);
        Some((u128::from(plain) * u128::from(served) / u128::from(total)) as u64)
    }

    /// The bytes every shard of `kind` takes as served (their plain bytes
    /// when the head has no served sizes).
    pub fn served_total(&self, kind: ShardKind) -> u64 {
        let Some(sharded) = &self.sharded else { return 0 };
        sharded.served.get(kind as usize).copied().unwrap_or(sharded.plain[kind as usize])
    }

    /// Every shard of the head, by kind.
    pub fn shard_ids(&self, kind: ShardKind) -> impl Iterator<Item = ShardId> {
        let count = self.sharded.as_ref().map_or(0, |s| s.tables[kind as usize].len());
        (0..count as u32).map(move |number| ShardId { kind, number })
    }

    /// Bytes of the shards held, and the most it keeps (least recently used
    /// shards are dropped past it, never those of the last call).
    pub fn shard_bytes(&self) -> (usize, usize) {
        self.sharded.as_ref().map_or((0, 0), |s| (s.cache.held(), DEFAULT_BUDGET))
    }

    pub fn set_shard_budget(&mut self, bytes: usize) {
        if let Some(sharded) = &mut self.sharded {
            sharded.cache.set_budget(bytes);
        }
    }

    /// Drops every shard held and what was decoded from them (the head
    /// stays). Facet lists, once read, are kept (a few MB) until then:
    /// every query's counts read them.
    pub fn clear_shards(&mut self) {
        let dropped = self.sharded.as_mut().map_or_else(Vec::new, |s| s.cache.clear());
        for id in dropped {
            self.drop_shard(id);
        }
        self.facets.forget_lists();
        self.discovery.clear();
        if self.sharded.is_some() {
            self.by_title = Vec::new();
        }
    }

    /// Whether shard `id` is held.
    pub fn has_shard(&self, id: ShardId) -> bool {
        self.sharded.as_ref().is_some_and(|s| s.cache.contains(id)) || self.discovery.has(id)
    }

    /// Takes shard `id`'s file, fetched by the caller from its
    /// [`ShardEntry::path`]: refused whole (and not kept) unless its bytes
    /// are the ones the head names. May drop least recently used shards.
    pub fn add_shard(&mut self, id: ShardId, bytes: &[u8]) -> Result<(), PackError> {
        let entry = self.shard_entry(id).ok_or(PackError::UnknownShard(id))?.clone();
        let count = match id.kind {
            ShardKind::Records => self.papers.shards().map(|s| s.count(id.number)),
            ShardKind::Facets => self.facets.shards().map(|s| s.count(id.number)),
            ShardKind::Order => self.sharded.as_ref().map(|s| s.order.count(id.number)),
            ShardKind::Ids => self.papers.id_shards().and_then(|s| s.set()).map(|s| s.count(id.number)),
            // One item each: a range of papers' vectors, the map.
            ShardKind::Vectors | ShardKind::Map => Some(1),
            kind => self.search_index.shards().and_then(|s| s.set(kind)).map(|s| s.count(id.number)),
        };
        let shard = Arc::new(Shard::decode(bytes, &entry, count.ok_or(PackError::UnknownShard(id))?)?);
        if matches!(id.kind, ShardKind::Vectors | ShardKind::Map) {
            // Decoded and kept whole, outside the cache's budget.
            return self.discovery.add(id, &shard);
        }
        let size = shard.heap_bytes();
        match id.kind {
            ShardKind::Records => self.papers.insert_shard(id.number, shard),
            ShardKind::Ids => self.papers.insert_id_shard(id.number, shard)?,
            ShardKind::Facets => self.facets.insert_shard(id.number, shard)?,
            ShardKind::Order => {
                self.by_title = title_order(shard.item(0), self.len())?;
                if let Some(sharded) = &mut self.sharded {
                    sharded.order.insert(id.number, shard);
                }
            }
            kind => {
                let doc_count = self.len();
                let shards =
                    self.index_mut().and_then(SearchIndex::shards_mut).ok_or(PackError::UnknownShard(id))?;
                shards.insert(kind, id.number, shard, doc_count)?;
            }
        }
        let dropped = self.sharded.as_mut().map_or_else(Vec::new, |s| {
            s.cache.pin_also(id);
            s.cache.add(id, size)
        });
        for id in dropped {
            self.drop_shard(id);
        }
        Ok(())
    }

    fn drop_shard(&mut self, id: ShardId) {
        match id.kind {
            ShardKind::Records => self.papers.remove_shard(id.number),
            ShardKind::Ids => self.papers.remove_id_shard(id.number),
            ShardKind::Facets => self.facets.remove_shard(id.number),
            ShardKind::Vectors | ShardKind::Map => {}
            ShardKind::Order => {
                if let Some(sharded) = &mut self.sharded {
                    sharded.order.remove(id.number);
                }
            }
            kind => {
                if let Some(index) = self.index_mut() {
                    index.remove_shard(kind, id.number);
                }
            }
        }
    }

    /// A sharded pack's index, to add or drop its shards: when an
    /// exploration still shares it (its rest is scored when scrolled to,
    /// from the shards its query read), the explorer goes on with a copy
    /// of it (its tables shared: [`SearchIndex`]'s `Clone`) and the
    /// exploration keeps the one it searched, with those shards.
    fn index_mut(&mut self) -> Option<&mut SearchIndex> {
        self.sharded.as_ref()?;
        Some(Arc::make_mut(&mut self.search_index))
    }

    /// [`Explorer::explore`], or for a sharded pack the shards it needs and
    /// does not hold: fetch them, [`add`](Explorer::add_shard) them, and
    /// call again (a phrase may need another round, for the positions of
    /// the papers holding its words). The rows, their order and the total
    /// are the whole pack's answer: given only when every shard they read
    /// was held, the id shards of every paper `user` names included
    /// (`user_facets` must then be [`Explorer::try_user_facets`]'s answer).
    /// The facet counts are too, but for the groups whose paper lists are
    /// in facet shards not held: the answer does not wait for those (a
    /// first query would wait for every author's list), it names them
    /// ([`Exploration::counting`]) and the shards they wait for
    /// ([`Exploration::counts_wait_for`]); once those are added, a call
    /// again gives the complete counts.
    pub fn try_explore(
        &mut self,
        state: &ViewState,
        user: &UserData,
        user_facets: &FacetIndex,
    ) -> Result<Exploration, Vec<ShardId>> {
        let Some(reads) = self.sharded.as_ref().map(|s| Arc::clone(&s.reads)) else {
            return Ok(self.explore(state, user, user_facets));
        };
        // What was read since the last call (the rows' records) was used.
        let shown = reads.take();
        if let Some(sharded) = &mut self.sharded {
            sharded.cache.touch(&shown.used);
        }
        // The user's papers, by id: the tag and reading-state facets (made
        // by the caller) and filters read them.
        for id in user.papers.keys() {
            let _ = self.papers.try_doc(id);
        }
        // What the rows read, then what the counts read.
        let mut rows = None;
        let mut exploration = self.explore_then_count(state, user, user_facets, || rows = Some(reads.take()));
        let rows = rows.unwrap_or_default();
        let counts = reads.take();
        if let Some(sharded) = &mut self.sharded {
            sharded.cache.touch(rows.used.iter().chain(&counts.used));
            let read = [&rows.used, &rows.missing, &counts.used, &counts.missing];
            sharded.cache.pin(read.into_iter().flatten().copied().collect());
        }
        // Facet shards the counts alone read are not waited for (nor asked
        // for until the rows are in: the answer then names them).
        let (facet_lists, other): (BTreeSet<ShardId>, BTreeSet<ShardId>) =
            counts.missing.into_iter().partition(|id| id.kind == ShardKind::Facets);
        if rows.missing.is_empty() && other.is_empty() {
            if !facet_lists.is_empty() {
                let waiting: Vec<u32> = facet_lists.iter().map(|id| id.number).collect();
                exploration.counting = self.facets.groups_in_shards(&waiting);
                exploration.counts_wait_for = facet_lists.into_iter().collect();
            }
            Ok(exploration)
        } else {
            Err(rows.missing.union(&other).copied().collect())
        }
    }

    /// The shards [`Explorer::try_explore`] still needs for `state` (empty
    /// when it can answer).
    pub fn shards_for(
        &mut self,
        state: &ViewState,
        user: &UserData,
        user_facets: &FacetIndex,
    ) -> Vec<ShardId> {
        self.try_explore(state, user, user_facets).err().unwrap_or_default()
    }

    /// The record shards of `docs` not held (rows wait only for their
    /// own). The shards of `docs` that are held are kept until the next
    /// exploration: the rows about to be shown stay readable while the
    /// missing ones are added.
    pub fn missing_records(&mut self, docs: &[u32]) -> Vec<ShardId> {
        let Some(set) = self.papers.shards() else { return Vec::new() };
        let mut ids: Vec<ShardId> = docs.iter().map(|&doc| set.shard_of(doc)).collect();
        ids.sort_unstable();
        ids.dedup();
        let Some(sharded) = &mut self.sharded else { return Vec::new() };
        sharded.cache.touch(&ids);
        ids.retain(|&id| {
            sharded.cache.pin_also(id);
            !sharded.cache.contains(id)
        });
        ids
    }

    /// A bundle (JSON) of papers `docs` alone, made of their records as
    /// the pack holds them: what the compile worker exports results from
    /// when the corpus is not in one file (a sharded pack). `None` while a
    /// record is not held (or the papers were read from a bundle).
    pub fn bundle_of(&self, docs: &[u32]) -> Option<Vec<u8>> {
        let head = format!(
            "{{\"schema_version\":{},\"generator\":\"folio {}\",\"sources\":[],\"papers\":[",
            super::bundle::SCHEMA_VERSION,
            env!("CARGO_PKG_VERSION")
        );
        let mut out = head.into_bytes();
        for (i, &doc) in docs.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.papers.record(doc)?);
        }
        out.extend_from_slice(b"]}");
        Some(out)
    }

    /// Paper `doc`, or `None` while its record shard is not held.
    pub fn try_paper(&self, doc: u32) -> Option<Arc<Paper>> {
        self.papers.try_get(doc)
    }

    /// The number of papers.
    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    /// Paper `doc` (decoded on first use when read from a pack).
    pub fn paper(&self, doc: u32) -> Arc<Paper> {
        self.papers.get(doc)
    }

    /// The id of paper `doc`: at once from a bundle or a whole pack; from
    /// a sharded pack's head, `None` until the paper's record shard or its
    /// id shard is held (a shown row's record is: see
    /// [`Explorer::missing_ids`]).
    pub fn try_id(&self, doc: u32) -> Option<&str> {
        self.papers.try_id(doc)
    }

    pub fn facets(&self) -> &FacetIndex {
        &self.facets
    }

    /// The paper with this id (the last one if several have it): at once
    /// from a bundle or a whole pack; from a sharded pack's head, the id
    /// shard to fetch first when it is not held.
    pub fn try_doc(&self, id: &str) -> Result<Option<u32>, ShardId> {
        self.papers.try_doc(id)
    }

    /// The shards to fetch so that [`Explorer::try_id`] knows every paper
    /// of `docs`: a few papers' record shards (a row shown holds its own),
    /// else every id shard not held. They are kept until the next
    /// exploration.
    pub fn missing_ids(&mut self, docs: &[u32]) -> Vec<ShardId> {
        let unknown: Vec<u32> = docs.iter().copied().filter(|&doc| self.try_id(doc).is_none()).collect();
        if unknown.is_empty() {
            return Vec::new();
        }
        if unknown.len() <= IDS_FROM_RECORDS {
            // When few, every paper's, known ones too: all stay held until read.
            return self.missing_records(if docs.len() <= IDS_FROM_RECORDS { docs } else { &unknown });
        }
        let ids: Vec<ShardId> = self.shard_ids(ShardKind::Ids).collect();
        let Some(sharded) = &mut self.sharded else { return Vec::new() };
        ids.into_iter()
            .filter(|&id| {
                sharded.cache.pin_also(id);
                !sharded.cache.contains(id)
            })
            .collect()
    }

    /// The id shards of the papers `user` names that are not held (what
    /// [`Explorer::try_explore`] and [`Explorer::try_user_facets`] wait for).
    pub fn missing_user_ids(&self, user: &UserData) -> Vec<ShardId> {
        let mut missing: Vec<ShardId> =
            user.papers.keys().filter_map(|id| self.papers.try_doc(id).err()).collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// [`Explorer::user_facets`], or the id shards they need first (a
    /// sharded pack's head knows a paper by id only with its id shard).
    pub fn try_user_facets(&self, user: &UserData) -> Result<FacetIndex, Vec<ShardId>> {
        match self.missing_user_ids(user) {
            missing if missing.is_empty() => Ok(self.user_facets(user)),
            missing => Err(missing),
        }
    }

    /// Whether the paper with this id is in the corpus, or may be (a
    /// sharded pack's id shard that says is not held yet): what the user's
    /// data does not count as an orphan until it is known.
    pub fn may_have(&self, id: &str) -> bool {
        self.try_doc(id).map_or(true, |doc| doc.is_some())
    }

    /// The paper with this id if known now (a sharded pack's id shard
    /// that is not held is noted as missing).
    fn known_doc(&self, id: &str) -> Option<u32> {
        self.papers.try_doc(id).ok().flatten()
    }

    /// The papers of the corpus in `papers`, sorted (the user's data also
    /// names papers the corpus does not have).
    fn docs_in(&self, papers: PaperSet<'_>) -> Vec<u32> {
        match papers {
            PaperSet::Only(ids) => {
                let mut docs: Vec<u32> = ids.into_iter().filter_map(|id| self.known_doc(id)).collect();
                docs.sort_unstable();
                docs
            }
            PaperSet::AllBut(ids) => {
                let out: DocSet =
                    ids.into_iter().filter_map(|id| self.known_doc(id)).map(|d| d as usize).collect();
                (0..self.len() as u32).filter(|&d| !out.contains(d as usize)).collect()
            }
        }
    }

    /// Facet groups of the user's data: tags (a paper tagged `reading/now`
    /// also counts under `reading`, one value per tag whatever its case)
    /// and reading state. From a sharded pack's head, papers whose id
    /// shard is not held are left out: see [`Explorer::try_user_facets`].
    pub fn user_facets(&self, user: &UserData) -> FacetIndex {
        let mut index = FacetIndex::new(self.len());
        let mut tag_pairs: Vec<(usize, String)> = user
            .tag_values()
            .into_iter()
            .filter_map(|(id, tag)| Some((self.known_doc(id)? as usize, tag)))
            .collect();
        tag_pairs.sort_unstable();
        let state_pairs = ReadingState::ALL.into_iter().flat_map(|state| {
            self.docs_in(user.papers_in(state)).into_iter().map(move |doc| (doc as usize, state.value()))
        });
        index.set_group(FacetKind::Tag.key(), FacetKind::Tag.label(), tag_pairs);
        index.set_group(FacetKind::State.key(), FacetKind::State.label(), state_pairs);
        index
    }

    pub fn search_index(&self) -> &SearchIndex {
        &self.search_index
    }

    /// Runs `f` with search options: the bundle's catalog resolves entities,
    /// `user`'s tags answer `tag:`.
    fn with_options<T>(&self, user: &UserData, f: impl FnOnce(&SearchOptions<'_>) -> T) -> T {
        let tagged = self.tagged(user);
        let resolver = CatalogResolver(&self.meta.corpus.catalog);
        f(&SearchOptions { entities: &resolver, tagged: &tagged, ..Default::default() })
    }

    /// The papers of the corpus `tag:` names in `user` (see
    /// [`UserData::papers_named`]: tags and the reading states).
    fn tagged<'a>(&'a self, user: &'a UserData) -> impl Fn(&str) -> Vec<u32> + 'a {
        move |tag: &str| self.docs_in(user.papers_named(tag))
    }

    pub fn explore(&self, state: &ViewState, user: &UserData, user_facets: &FacetIndex) -> Exploration {
        self.explore_then_count(state, user, user_facets, || {})
    }

    /// [`Explorer::explore`], calling `counting` once the rows are made,
    /// before the facets are counted (a sharded pack's rows and counts
    /// may wait for different shards: see [`Explorer::try_explore`]).
    fn explore_then_count(
        &self,
        state: &ViewState,
        user: &UserData,
        user_facets: &FacetIndex,
        counting: impl FnOnce(),
    ) -> Exploration {
        let indexes = [&self.facets, user_facets];
        let (search, ranker) = if state.query.trim().is_empty() {
            (None, None)
        } else {
            let (results, ranker) = self
                .with_options(user, |options| search::run_ranked(&self.search_index, &state.query, options));
            (Some(results), ranker)
        };
        let mut candidates = match (&search, &ranker) {
            (_, Some(ranker)) => ranker.docs().clone(),
            (Some(results), None) => results.doc_set(self.len()),
            (None, None) => self.facets.all(),
        };
        // A map region or lasso narrows what the query matches, counts
        // included (a corpus without a map has no regions: the parameter
        // is ignored). So does one of its clusters.
        if state.on_map() {
            if let Some(map) = self.discovery.map() {
                let only = |docs: Vec<u32>| {
                    let mut set = DocSet::with_capacity(self.len());
                    docs.into_iter().for_each(|doc| set.insert(doc as usize));
                    set
                };
                if let Some(rect) = state.region {
                    candidates.intersect_with(&only(map.inside(rect)));
                }
                if let Some(lasso) = &state.lasso {
                    candidates.intersect_with(&only(map.inside_polygon(lasso)));
                }
                if let Some(cluster) = state.cluster {
                    candidates.intersect_with(&only(map.members(usize::from(cluster))));
                }
            }
        }
        // "Recommended for" a tag leaves out the tag's own papers and those
        // marked "not interested", from the counts too.
        let recommender = state.recommend_for.as_deref().and_then(|tag| self.recommender(tag, user));
        if let Some((model, _)) = &recommender {
            model.excluded.iter().filter(|&&d| d < self.len()).for_each(|&d| candidates.set(d, false));
        }
        let matching = filter_all(&indexes, &candidates, &state.selection);
        let recommended = recommender.map(|(_, probabilities)| {
            let mut docs: Vec<u32> = matching.ones().map(|d| d as u32).collect();
            let score = |d: u32| probabilities.get(d as usize).copied().unwrap_or(0.0);
            docs.sort_unstable_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
            docs
        });
        let query_matches = match (&search, &ranker) {
            (_, Some(ranker)) => ranker.count(),
            (Some(results), None) => results.hits.len(),
            (None, None) => self.len(),
        };
        let mut rest_ranker = None;
        let (ordered, rest, ranked) = match (&search, state.sort, ranker) {
            _ if recommended.is_some() => (recommended.unwrap_or_default(), 0, None),
            (Some(_), Sort::Relevance, Some(ranker)) => {
                // The best ORDERED scored, the others when scrolled to.
                let best = ranker.best(&self.search_index, &matching, ORDERED);
                let rest = papers_in(&matching) - best.len();
                let index = Arc::clone(&self.search_index);
                rest_ranker = Some(Rest { index, ranker: Arc::new(ranker) });
                (best.into_iter().map(|h| h.doc).collect(), rest, Some(matching))
            }
            (Some(results), Sort::Relevance, None) => {
                // The best ORDERED in one pass; the rest when scrolled to.
                let hits = results.hits.iter().filter(|h| matching.contains(h.doc as usize));
                let best = search::best_of(hits, ORDERED);
                let rest = papers_in(&matching) - best.len();
                (best.into_iter().map(|h| h.doc).collect(), rest, Some(matching))
            }
            _ => (self.order(&matching, state.sort), 0, None),
        };
        counting();
        let facets = counts_all(&indexes, &candidates, &state.selection);
        Exploration {
            ordered,
            rest,
            ranked,
            ranker: rest_ranker,
            all: OnceLock::new(),
            facets,
            search,
            query_matches,
            counting: Vec::new(),
            counts_wait_for: Vec::new(),
        }
    }

    /// Tag `tag`'s classifier and its probability for every paper: `None`
    /// (the view keeps its sort) when the tag names no paper of the corpus
    /// or the corpus has no vectors, or while its vector shards are not
    /// held (noted as missing).
    fn recommender(&self, tag: &str, user: &UserData) -> Option<(Arc<Model>, Arc<Vec<f32>>)> {
        let (like, unlike) = self.liked_of(user, tag);
        if like.is_empty() || !self.discovery.has_vectors() {
            return None;
        }
        self.discovery.trained(&like, &unlike)
    }

    /// The papers of the corpus tagged `tag` (or a tag below it) and those
    /// marked "not interested" (but not tagged `tag`), sorted.
    fn liked_of(&self, user: &UserData, tag: &str) -> (Vec<u32>, Vec<u32>) {
        let like = self.docs_in(PaperSet::Only(user.papers_with(tag)));
        let mut unlike = self.docs_in(PaperSet::Only(user.not_interested()));
        unlike.retain(|d| like.binary_search(d).is_err());
        (like, unlike)
    }

    /// Whether the pack has paper vectors (recommendations and the
    /// "recommended for" order need them; a bundle read alone has none).
    pub fn has_vectors(&self) -> bool {
        self.discovery.has_vectors()
    }

    /// Whether the pack has a corpus map.
    pub fn has_map(&self) -> bool {
        self.discovery.has_map()
    }

    /// The vector shards not held (every one is read by a recommendation:
    /// fetch them all, in any order, then call again).
    pub fn missing_vectors(&self) -> Vec<ShardId> {
        self.discovery.missing_vectors()
    }

    /// The map's shard, when not held.
    pub fn missing_map(&self) -> Vec<ShardId> {
        self.discovery.missing_map()
    }

    /// The corpus map, or the shards to fetch first; a corpus without a
    /// map (see [`Explorer::has_map`]) gives an empty one.
    pub fn map(&self) -> Result<&Layout, Vec<ShardId>> {
        static NONE: OnceLock<Layout> = OnceLock::new();
        if !self.discovery.has_map() {
            return Ok(NONE.get_or_init(Layout::default));
        }
        let missing = self.missing_map();
        self.discovery.map().ok_or(missing)
    }

    /// The `limit` papers most like `like` and least like `unlike` (paper
    /// numbers; out of range ones ignored), best first, neither list's
    /// papers among them, each with its reasons; or the shards to fetch
    /// first: every vector shard, then the record shards of the papers
    /// the reasons are read from (kept until the next exploration, as
    /// [`Explorer::missing_records`]' are). Nothing liked, or a corpus
    /// without vectors, gives nothing.
    pub fn recommend(
        &mut self,
        like: &[u32],
        unlike: &[u32],
        limit: usize,
    ) -> Result<Vec<Recommended>, Vec<ShardId>> {
        let n = self.len() as u32;
        let sorted = |docs: &[u32]| {
            let mut docs: Vec<u32> = docs.iter().copied().filter(|&d| d < n).collect();
            docs.sort_unstable();
            docs.dedup();
            docs
        };
        let like = sorted(like);
        let mut unlike = sorted(unlike);
        unlike.retain(|d| like.binary_search(d).is_err());
        if limit == 0 {
            return Ok(Vec::new());
        }
        let Some((model, probabilities)) = self.trained_on(&like, &unlike)? else {
            return Ok(Vec::new());
        };
        let mut best: Vec<(u32, f32)> = (0..n)
            .filter(|d| !model.excluded.contains(&(*d as usize)))
            .map(|d| (d, probabilities.get(d as usize).copied().unwrap_or(0.0)))
            .collect();
        keep_best(&mut best, limit, by_score);
        self.with_reasons(&like, &unlike, best)
    }

    /// The recommendations of tag `tag` for exactly the papers `docs` (the
    /// rows a view shows, in their order; the tag's own papers, those
    /// marked "not interested" and out of range ones left out), each with
    /// its score and reasons; or the shards to fetch first (the user's id
    /// shards, every vector shard, the records the reasons read). What
    /// [`Explorer::recommend_for`] gives for the best of the corpus, for
    /// the papers a query and filters left.
    pub fn recommend_among(
        &mut self,
        user: &UserData,
        tag: &str,
        docs: &[u32],
    ) -> Result<Vec<Recommended>, Vec<ShardId>> {
        let missing = self.missing_user_ids(user);
        if !missing.is_empty() {
            return Err(missing);
        }
        let (like, unlike) = self.liked_of(user, tag);
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let Some((model, probabilities)) = self.trained_on(&like, &unlike)? else {
            return Ok(Vec::new());
        };
        let n = self.len() as u32;
        let scored = docs
            .iter()
            .filter(|&&d| d < n && !model.excluded.contains(&(d as usize)))
            .map(|&d| (d, probabilities.get(d as usize).copied().unwrap_or(0.0)))
            .collect();
        self.with_reasons(&like, &unlike, scored)
    }

    /// The classifier of `like` against `unlike` (sorted paper numbers)
    /// and its probability for every paper; `None` with nothing liked or
    /// no vectors; or the vector shards to fetch first.
    fn trained_on(
        &self,
        like: &[u32],
        unlike: &[u32],
    ) -> Result<Option<(Arc<Model>, Arc<Vec<f32>>)>, Vec<ShardId>> {
        if like.is_empty() || !self.discovery.has_vectors() {
            return Ok(None);
        }
        let missing = self.missing_vectors();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(self.discovery.trained(like, unlike))
    }

    /// `scored` papers (paper, probability) as recommendations of `like`
    /// against `unlike` (both sorted), each with its reasons, or the
    /// record shards the reasons read.
    fn with_reasons(
        &mut self,
        like: &[u32],
        unlike: &[u32],
        best: Vec<(u32, f32)>,
    ) -> Result<Vec<Recommended>, Vec<ShardId>> {
        let n = self.len() as u32;
        // The reasons read the records of the shown papers and of (a spread
        // of) the liked and disliked ones.
        let spread = |docs: &[u32]| -> Vec<u32> {
            let step = docs.len().div_ceil(PROFILE_PAPERS).max(1);
            docs.iter().step_by(step).copied().collect()
        };
        let (liked, disliked) = (spread(like), spread(unlike));
        let mut read: Vec<u32> = best.iter().map(|b| b.0).chain(liked.iter().copied()).collect();
        read.extend(&disliked);
        let missing = self.missing_records(&read);
        if !missing.is_empty() {
            return Err(missing);
        }
        let papers = |docs: &[u32]| -> Vec<Arc<Paper>> { docs.iter().map(|&d| self.paper(d)).collect() };
        let (liked_papers, disliked_papers) = (papers(&liked), papers(&disliked));
        let profile = Profile::new(liked_papers.iter().map(|p| &**p), disliked_papers.iter().map(|p| &**p));
        let index = &self.search_index;
        let df = |word: &str| index.find(word).map(|id| index.doc_frequency(id));
        let vectors = self.discovery.vectors();
        Ok(best
            .into_iter()
            .map(|(doc, score)| {
                let reasons = profile.reasons(&self.paper(doc), n as usize, df, REASON_TERMS);
                let liked = like.iter().map(|&l| l as usize);
                let closest =
                    vectors.map_or_else(Vec::new, |v| v.closest(doc as usize, liked, REASON_PAPERS));
                Recommended { doc, score, reasons, closest: closest.into_iter().map(|l| l as u32).collect() }
            })
            .collect())
    }

    /// The `limit` papers nearest to paper `doc` by the vectors' cosine
    /// (an exact scan; above 0, best first, not itself), or the vector
    /// shards to fetch first; nothing without vectors. The records'
    /// similar papers (`enrichment.similar`) are already the blended list
    /// the compiler made: this is for longer lists.
    pub fn similar(&self, doc: u32, limit: usize) -> Result<Vec<(u32, f32)>, Vec<ShardId>> {
        if !self.discovery.has_vectors() {
            return Ok(Vec::new());
        }
        let missing = self.missing_vectors();
        let Some(vectors) = self.discovery.vectors().filter(|_| missing.is_empty()) else {
            return Err(missing);
        };
        Ok(vectors.nearest(doc as usize, limit).into_iter().map(|n| (n.paper as u32, n.score)).collect())
    }

    /// Why papers `doc` and `other` are alike: up to `limit` words,
    /// entities and keyphrases both have, rarest first (as a
    /// recommendation's reasons, with `doc` liked); or the record shards
    /// to fetch first.
    pub fn alike(&mut self, doc: u32, other: u32, limit: usize) -> Result<Vec<String>, Vec<ShardId>> {
        let missing = self.missing_records(&[doc, other]);
        if !missing.is_empty() {
            return Err(missing);
        }
        let (paper, other) = (self.paper(doc), self.paper(other));
        let profile = Profile::new([&*paper], []);
        let index = &self.search_index;
        let df = |word: &str| index.find(word).map(|id| index.doc_frequency(id));
        Ok(profile.reasons(&other, self.len(), df, limit))
    }

    /// [`Explorer::recommend`] for tag `tag` of `user`: its papers (and
    /// those of the tags below it) liked, the papers marked "not
    /// interested" disliked; or the shards to fetch first (the id shards
    /// of the papers `user` names come first).
    pub fn recommend_for(
        &mut self,
        user: &UserData,
        tag: &str,
        limit: usize,
    ) -> Result<Vec<Recommended>, Vec<ShardId>> {
        let missing = self.missing_user_ids(user);
        if !missing.is_empty() {
            return Err(missing);
        }
        let (like, unlike) = self.liked_of(user, tag);
        self.recommend(&like, &unlike, limit)
    }

    /// Summarizes the common terms of the index ([`search::prepare`]) and
    /// runs once what keystrokes run (a prefix and a stem, a typo, a
    /// phrase, a query with no match and its suggestion; facet counts,
    /// highlights and a snippet) and drops the answers, so that the wasm
    /// engine's code is compiled and the summaries made before the first
    /// keystrokes instead of during them: every [`Explorer::warm_up_step`]
    /// at once (the app runs them one task each). Returns how much it
    /// found (for tests).
    pub fn warm_up(&self) -> usize {
        let (mut at, mut found) = (WarmUp::default(), 0);
        while at != WarmUp::Done {
            let (next, more) = self.warm_up_step(at);
            (at, found) = (next, found + more);
        }
        found
    }

    /// One step of [`Explorer::warm_up`] from `at` (a few milliseconds
    /// at 100k papers: common terms of [`WARM_UP_PAPERS`] papers in all
    /// summarized, a facet group prepared, the vocabulary by length made,
    /// or one query): where to go on from, and how much the step found.
    pub fn warm_up_step(&self, at: WarmUp) -> (WarmUp, usize) {
        match at {
            WarmUp::Terms(from) => {
                let next = search::prepare_from(&self.search_index, from, WARM_UP_PAPERS).1;
                (next.map_or(WarmUp::Facets(0), WarmUp::Terms), 0)
            }
            WarmUp::Facets(i) => match self.facets.prepare_group(i) {
                true => (WarmUp::Facets(i + 1), 0),
                false => (WarmUp::Vocabulary, 0),
            },
            WarmUp::Vocabulary => (WarmUp::Query(0), self.search_index.shapes().ids.len().min(1)),
            WarmUp::Query(i) => {
                let Some(query) = WARM_UP_QUERIES.get(i) else { return (WarmUp::Done, 0) };
                let state = ViewState { query: (*query).to_owned(), ..Default::default() };
                let exploration = self.explore(&state, &UserData::default(), &FacetIndex::new(self.len()));
                let shown: usize =
                    exploration.first(1).iter().map(|&doc| self.snippet(&exploration, doc).len()).sum();
                let counted: usize = exploration.facets.iter().map(|g| g.top(1).len()).sum();
                let next = if i + 1 < WARM_UP_QUERIES.len() { WarmUp::Query(i + 1) } else { WarmUp::Done };
                (next, shown + counted + usize::from(exploration.suggestion().is_some()))
            }
            WarmUp::Done => (WarmUp::Done, 0),
        }
    }

    /// Title and abstract match spans of `doc` for the query of `exploration`.
    pub fn highlights(&self, exploration: &Exploration, doc: u32) -> Highlights {
        match &exploration.search {
            Some(results) => results.highlights(&self.paper(doc)),
            None => Highlights::default(),
        }
    }

    /// The abstract's best window around the matches (its start without a query).
    pub fn snippet(&self, exploration: &Exploration, doc: u32) -> Vec<Segment> {
        self.snippet_around(doc, &self.highlights(exploration, doc).abstract_spans)
    }

    /// The abstract's best window around `spans` of it, which are highlighted.
    pub fn snippet_around(&self, doc: u32, spans: &[Span]) -> Vec<Segment> {
        highlight::snippet(&self.paper(doc).abstract_text, spans, SNIPPET_WORDS)
    }

    /// What to highlight in `doc`: where it names the pointed facet value
    /// (`hover`, a group and value) if it does, else the query's matches;
    /// and whether it is the facet value's mentions.
    pub fn shown_highlights(
        &self,
        exploration: &Exploration,
        doc: u32,
        hover: Option<(&str, &str)>,
    ) -> (Highlights, bool) {
        match hover.map(|(group, value)| self.mentions(doc, group, value)) {
            Some(m) if !m.is_empty() => (m, true),
            _ => (self.highlights(exploration, doc), false),
        }
    }

    /// Where `doc` names facet value `value` of `group` (a group named in
    /// the text, see [`FacetKind::is_named_in_text`]), as title and
    /// abstract spans.
    pub fn mentions(&self, doc: u32, group: &str, value: &str) -> Highlights {
        match FacetKind::from_key(group) {
            Some(kind) => kind.mentions(&self.paper(doc).enrichment, value),
            None => Highlights::default(),
        }
    }

    /// Why `doc` matches the query: what its score is the sum of.
    pub fn explain(&self, exploration: &Exploration, user: &UserData, doc: u32) -> Vec<Contribution> {
        let Some(results) = &exploration.search else { return Vec::new() };
        self.with_options(user, |options| results.explain(&self.search_index, doc, options))
    }

    /// Papers by title; for a sharded pack, empty (the missing shard
    /// noted) until its title order's shard is added.
    fn title_order(&self) -> &[u32] {
        if let Some(sharded) = self.sharded.as_ref().filter(|_| self.by_title.len() != self.len()) {
            let _ = sharded.order.read(0);
        }
        &self.by_title
    }

    fn order(&self, matching: &DocSet, sort: Sort) -> Vec<u32> {
        match sort {
            Sort::Relevance | Sort::Corpus => matching.ones().map(|d| d as u32).collect(),
            Sort::Title => {
                self.title_order().iter().copied().filter(|&d| matching.contains(d as usize)).collect()
            }
            Sort::Year => {
                let mut docs: Vec<u32> = matching.ones().map(|d| d as u32).collect();
                // Stable: papers of the same year keep corpus order; no year goes last.
                docs.sort_by_key(|&d| std::cmp::Reverse(self.search_index.year(d).unwrap_or(i32::MIN)));
                docs
            }
        }
    }
}

/// The facet groups the papers support, in the table's order: only those
/// with values appear.
fn facet_index(papers: &[Paper]) -> FacetIndex {
    let mut index = FacetIndex::new(papers.len());
    let mut pairs: Vec<Vec<(usize, Cow<'_, str>)>> = vec![Vec::new(); FacetKind::ALL.len()];
    for (doc, paper) in papers.iter().enumerate() {
        for (kind, value) in values_of(paper) {
            pairs[kind as usize].push((doc, value));
        }
    }
    for (kind, mut pairs) in FacetKind::ALL.into_iter().zip(pairs) {
        if let Some(limit) = kind.limit() {
            pairs = shared_values(pairs, limit);
        }
        index.set_group(kind.key(), kind.label(), pairs);
    }
    index
}
