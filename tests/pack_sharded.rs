//! The sharded pack (docs/pack-format.md): an explorer reading a head and
//! the shards it asks for answers exactly as the whole pack does, for every
//! query of the benchmark set and facet selections, on the seed and on
//! real papers, with shards cut small and a small cache so that many shards
//! and evictions are exercised; damaged shards and heads are refused whole;
//! the CLI writes a head and its shards and nothing else.

mod common;
#[path = "common/generated.rs"]
mod generated;
#[path = "../benches/common/queries.rs"]
mod queries;
#[path = "../benches/common/synthetic.rs"]
mod synthetic;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::{Exploration, Explorer, ORDERED};
use folio::engine::facet_kind::FacetKind;
use folio::engine::facets::FacetIndex;
use folio::engine::pack::shards::{ShardId, ShardKind};
use folio::engine::pack::{ShardSizes, ShardedPack};
use folio::engine::tags::{TagStore, UserData};
use folio::engine::view_state::{Sort, ViewState};

use common::temp_dir;

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
/// Real papers read from the shared corpus (when present).
const REAL_PAPERS: usize = 2_000;
/// Rows of a first screen.
const ROWS: usize = 12;

fn seed_bundle() -> Bundle {
    compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle.unwrap()
}

/// The first `REAL_PAPERS` papers of acl-anthology-64k, or `None` (said) without it.
fn real_bundle() -> Option<Bundle> {
    let dir = std::env::var_os("FOLIO_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let path = dir.join("acl-anthology-64k.jsonl.gz");
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!(
            "pack_sharded: {} not found: real-paper parity skipped (set FOLIO_CORPUS_DIR)",
            path.display()
        );
        return None;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("a gzip JSON Lines corpus");
    let lines: String = text.lines().take(REAL_PAPERS).flat_map(|l| [l, "\n"]).collect();
    let input = Input { name: "acl.jsonl", bytes: lines.as_bytes() };
    Some(compile(&[input], &CompileOptions::default()).bundle.expect("the corpus compiles"))
}

/// Shards this small cut every kind into many shards (and put most facet
/// groups' paper lists in facet shards).
const SMALL: ShardSizes = ShardSizes {
    postings: 600,
    positions: 1500,
    records: 3000,
    entities: 500,
    facets: 60,
    facet_lists_in_head: 16,
    ids: 40,
    vectors: 600,
};

/// A whole-pack explorer, a sharded one (with a cache of `budget` bytes)
/// and the sharded pack's files by path.
fn pair(bundle: Bundle, budget: usize) -> (Explorer, Explorer, HashMap<String, Vec<u8>>) {
    let whole = Explorer::from_pack(Explorer::new(bundle.clone()).into_pack().unwrap()).unwrap();
    let ShardedPack { head, shards } = Explorer::new(bundle).into_sharded(SMALL).unwrap();
    let mut sharded = Explorer::from_head(&head).unwrap();
    sharded.set_shard_budget(budget);
    (whole, sharded, shards.into_iter().collect())
}

/// Gives `explorer` the files of `ids`.
fn load(explorer: &mut Explorer, files: &HashMap<String, Vec<u8>>, ids: &[ShardId]) {
    for &id in ids {
        let path = explorer.shard_entry(id).expect("a shard of the head").path();
        explorer.add_shard(id, &files[&path]).expect("the head's own shard");
    }
}

/// Explores `state` on a sharded explorer as the app will: fetch what it
/// asks for until it answers, then what its facet counts still wait for
/// until they are complete; returns the answer and the rounds it took.
fn explore_sharded(
    explorer: &mut Explorer,
    files: &HashMap<String, Vec<u8>>,
    state: &ViewState,
    user: &UserData,
    facets: &FacetIndex,
) -> (Exploration, usize) {
    for round in 1..=10 {
        match explorer.try_explore(state, user, facets) {
            Ok(exploration) if exploration.counts_complete() => return (exploration, round),
            Ok(exploration) => {
                let waits = exploration.counts_wait_for().to_vec();
                assert!(!waits.is_empty(), "{state:?}: groups being counted name their shards");
                assert!(waits.iter().all(|id| id.kind == ShardKind::Facets), "{waits:?}");
                load(explorer, files, &waits);
            }
            Err(needed) => {
                assert!(!needed.is_empty(), "{state:?}: an error names the shards");
                load(explorer, files, &needed);
            }
        }
    }
    panic!("{state:?}: no answer after 10 rounds of fetching");
}

/// Every query of the set (and every keystroke of the typing sequences),
/// each alone, then a few with facet selections and sorts taken from the
/// corpus' own top values, and the user's tags and reading states
/// selected and excluded.
fn views(whole: &Explorer) -> Vec<ViewState> {
    let mut texts: Vec<String> =
        queries::QUERIES.iter().flat_map(|(_, qs)| qs.iter().map(|q| (*q).to_owned())).collect();
    for text in queries::TYPING {
        texts.extend(text.char_indices().map(|(i, c)| text[..i + c.len_utf8()].to_owned()));
    }
    texts.extend(
        [
            "",
            "tag:to-read",
            "tag:to-read/now language",
            "tag:starred",
            "tag:unread",
            "-language",
            "zzzqqq",
            "model:chat",
            "benchmark:bench",
            "topic:safety",
            "method:tuning",
        ]
        .map(str::to_owned),
    );
    let mut views: Vec<ViewState> =
        texts.into_iter().map(|query| ViewState { query, ..Default::default() }).collect();
    let first =
        whole.explore(&ViewState::default(), &UserData::default(), &whole.user_facets(&UserData::default()));
    let tops: Vec<(String, String)> = first
        .facets
        .iter()
        .filter_map(|g| g.top(1).into_iter().next().map(|v| (g.key.clone(), v.value)))
        .collect();
    // And each group's rarest value (last in count order), whose papers
    // are in another facet shard than the most frequent one's.
    let rarest =
        first.facets.iter().filter_map(|g| g.top(usize::MAX).pop().map(|v| (g.key.clone(), v.value)));
    let user = [(FacetKind::Tag, "to-read"), (FacetKind::Tag, "to-read/now"), (FacetKind::State, "starred")];
    let user = user.map(|(kind, value)| (kind.key().to_owned(), value.to_owned()));
    let tops: Vec<(String, String)> = tops.into_iter().chain(rarest).chain(user).collect();
    for (i, (key, value)) in tops.iter().enumerate() {
        for query in ["", "language", "\"language models\"", "trnaslation"] {
            let mut view = ViewState { query: query.to_owned(), ..Default::default() };
            if i % 2 == 0 {
                view.selection.include(key, value);
            } else {
                view.selection.exclude(key, value);
            }
            view.sort = [Sort::Relevance, Sort::Title, Sort::Year, Sort::Corpus][i % 4];
            views.push(view);
        }
    }
    views
}

/// The whole pack and the sharded one answer every view alike: results,
/// facet counts, suggestions, and the first screen (records, highlights,
/// snippets, explanations) once its rows' shards are in.
#[track_caller]
fn check_parity(bundle: Bundle, budget: usize) {
    let (whole, mut sharded, files) = pair(bundle, budget);
    assert!(sharded.is_sharded() && !whole.is_sharded());
    let kinds = ShardKind::ALL.map(|kind| (kind, sharded.shard_ids(kind).count()));
    for (kind, count) in kinds {
        match kind {
            ShardKind::Order => assert_eq!(count, 1, "the title order is one shard"),
            // Packed without discovery (tests/discover_pack.rs has it).
            ShardKind::Vectors | ShardKind::Map => assert_eq!(count, 0, "no vectors, no map"),
            _ => assert!(count > 1, "every other kind is cut into several shards: {kinds:?}"),
        }
    }
    // The first paint (no query, no selection) of a user with no tags
    // reads the head alone: the whole corpus's facet counts and the
    // default order are in it.
    let nobody = UserData::default();
    let first_paint = ViewState::default();
    let expected = whole.explore(&first_paint, &nobody, &whole.user_facets(&nobody));
    let facets = sharded.try_user_facets(&nobody).expect("no paper is named");
    let got = sharded.try_explore(&first_paint, &nobody, &facets).expect("the head alone answers");
    assert_eq!(got, expected);
    assert_eq!(sharded.shard_bytes().0, 0, "no shard was needed");
    // Tagged papers all over the corpus (so over the id shards), one
    // starred, and a tag on a paper of another corpus.
    let mut store = TagStore::default();
    let tagged: Vec<&str> = (0..whole.len() as u32).step_by(3).map(|d| whole.try_id(d).unwrap()).collect();
    store.add_tag(&tagged, "to-read", 1).unwrap();
    store.add_tag(&tagged[..tagged.len() / 2], "to-read/now", 1).unwrap();
    store.set_starred(&[whole.try_id(1).unwrap()], true, 1);
    store.add_tag(&["doi:10.0/not-in-this-corpus"], "to-read", 1).unwrap();
    let user = store.data();
    let whole_facets = whole.user_facets(user);
    let needed = sharded.try_user_facets(user).expect_err("the tagged papers' id shards are not in the head");
    assert!(needed.iter().all(|id| id.kind == ShardKind::Ids), "{needed:?}");
    load(&mut sharded, &files, &needed);
    let sharded_facets = sharded.try_user_facets(user).expect("their id shards are in");
    let (mut rounds, mut nonempty) = (Vec::new(), 0);
    for view in views(&whole) {
        let expected = whole.explore(&view, user, &whole_facets);
        let (got, took) = explore_sharded(&mut sharded, &files, &view, user, &sharded_facets);
        assert_eq!(got, expected, "{view:?}");
        rounds.push(took);
        nonempty += usize::from(!expected.is_empty());
        let rows = expected.first(ROWS).to_vec();
        for &doc in &rows {
            let held = sharded.missing_records(&[doc]).is_empty();
            assert_eq!(sharded.try_paper(doc).is_some(), held, "a row waits only for its own shard");
        }
        let missing = sharded.missing_records(&rows);
        load(&mut sharded, &files, &missing);
        for &doc in &rows {
            assert_eq!(sharded.try_paper(doc), Some(whole.paper(doc)), "{view:?}: paper {doc}");
            assert_eq!(sharded.try_id(doc), whole.try_id(doc), "a row's id comes with its record");
            assert_eq!(sharded.highlights(&got, doc), whole.highlights(&expected, doc));
            assert_eq!(sharded.snippet(&got, doc), whole.snippet(&expected, doc));
            assert_eq!(sharded.explain(&got, user, doc), whole.explain(&expected, user, doc), "{view:?}");
        }
    }
    let views = rounds.len();
    assert!(nonempty * 2 > views, "the views exercise real results ({nonempty} of {views} non-empty)");
    assert!(rounds.iter().any(|&r| r > 1), "some views needed shards");
    // Every paper by id and by number, once the id shards are in.
    sharded.clear_shards();
    let ids: Vec<ShardId> = sharded.shard_ids(ShardKind::Ids).collect();
    load(&mut sharded, &files, &ids);
    for doc in 0..whole.len() as u32 {
        let id = whole.try_id(doc).unwrap();
        assert_eq!(sharded.try_doc(id), whole.try_doc(id), "{id}");
        if budget == usize::MAX {
            assert_eq!(sharded.try_id(doc), Some(id));
        }
    }
    sharded.clear_shards();
    assert_eq!(sharded.shard_bytes().0, 0);
    let language = ViewState { query: "language".to_owned(), ..Default::default() };
    assert!(
        !sharded.shards_for(&language, user, &sharded_facets).is_empty(),
        "cleared shards are asked again"
    );
}

#[test]
fn a_sharded_pack_answers_like_the_whole_pack_on_the_seed() {
    check_parity(seed_bundle(), usize::MAX);
    // A cache too small for one query: shards come and go, answers stay.
    check_parity(seed_bundle(), 4_000);
}

#[test]
fn a_sharded_pack_answers_like_the_whole_pack_on_real_papers() {
    let Some(bundle) = real_bundle() else { return };
    check_parity(bundle, 200_000);
}

/// A one-word query matching most of a corpus is ranked by blocks of
/// postings in a sharded pack as in the whole one (`search::topk`: its
/// best rows scored, the rest when scrolled to): the same rows, order,
/// counts and facet counts, every match in order once scrolled past the
/// first rows, and that long after other queries' shards pushed its own
/// out of a small cache (an exploration keeps the index it searched).
#[test]
fn a_sharded_pack_ranks_a_common_word_by_blocks_as_the_whole_pack_does() {
    let bundle = generated::generated(6, 9000);
    let queries = ["m", "mo", "model", "model ", "modle ", "transformr ", "t", "the ", "graph OR robot "];
    for budget in [usize::MAX, 40_000] {
        let (whole, mut sharded, files) = pair(bundle.clone(), budget);
        let nobody = UserData::default();
        let whole_facets = whole.user_facets(&nobody);
        let facets = sharded.try_user_facets(&nobody).expect("no paper is named");
        let (mut kept, mut by_blocks) = (Vec::new(), 0);
        for query in queries {
            let state = ViewState { query: query.to_owned(), ..Default::default() };
            let expected = whole.explore(&state, &nobody, &whole_facets);
            let (got, _) = explore_sharded(&mut sharded, &files, &state, &nobody, &facets);
            assert_eq!(got, expected, "{query:?} (budget {budget})");
            assert!(expected.len() > ORDERED, "{query:?}: more matches than the first rows");
            let ranked = |e: &Exploration| e.search.as_ref().is_some_and(|s| s.hits.is_empty());
            assert_eq!(ranked(&got), ranked(&expected), "{query:?}: ranked by blocks as the whole pack");
            by_blocks += usize::from(ranked(&got));
            kept.push((query, got, expected));
        }
        assert!(by_blocks >= 6, "most of these queries are ranked by blocks ({by_blocks})");
        if budget != usize::MAX {
            // The first queries' postings shards were dropped since.
            let first = ViewState { query: queries[0].to_owned(), ..Default::default() };
            assert!(!sharded.shards_for(&first, &nobody, &facets).is_empty(), "budget {budget}");
        }
        for (query, got, expected) in &kept {
            assert_eq!(got.first(ORDERED + 1), expected.first(ORDERED + 1), "{query:?}");
            assert_eq!(got.docs(), expected.docs(), "{query:?}: every match, scrolled to");
        }
    }
}

/// Explores `state` fetching what it asks for until it answers, but no
/// facet shard its counts alone wait for.
fn explore_without_counts(
    explorer: &mut Explorer,
    files: &HashMap<String, Vec<u8>>,
    state: &ViewState,
) -> Exploration {
    let nobody = UserData::default();
    let facets = explorer.try_user_facets(&nobody).expect("no paper is named");
    for _ in 0..10 {
        match explorer.try_explore(state, &nobody, &facets) {
            Ok(exploration) => return exploration,
            Err(needed) => load(explorer, files, &needed),
        }
    }
    panic!("{state:?}: no answer after 10 rounds of fetching");
}

#[test]
fn a_query_answers_before_the_facet_lists_arrive_and_counts_them_once_they_do() {
    let ShardedPack { head, shards } = seed_sharded();
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let whole = Explorer::new(seed_bundle());
    let nobody = UserData::default();
    let no_facets = whole.user_facets(&nobody);
    let mut flagged = 0;
    for query in ["language", "\"language models\"", "lerning", "model:llama", "mixture of experts"] {
        let view = ViewState { query: query.to_owned(), ..Default::default() };
        let expected = whole.explore(&view, &nobody, &no_facets);
        let mut explorer = Explorer::from_head(&head).unwrap();
        let early = explore_without_counts(&mut explorer, &files, &view);
        // The rows, their order and the total are the whole answer's.
        assert_eq!(early.len(), expected.len(), "{query}");
        assert_eq!(early.docs(), expected.docs(), "{query}");
        assert_eq!(early.query_matches, expected.query_matches, "{query}");
        if expected.len() == whole.len() || expected.is_empty() {
            continue;
        }
        // Groups whose lists are in the head are counted; the others say
        // they are being counted, and which facet shards they wait for.
        assert!(!early.counts_complete(), "{query}: the seed's facet lists are in shards");
        flagged += 1;
        let waits = early.counts_wait_for().to_vec();
        assert!(!waits.is_empty() && waits.iter().all(|id| id.kind == ShardKind::Facets), "{waits:?}");
        assert!(waits.iter().all(|&id| !explorer.has_shard(id)), "it waits only for shards not held");
        for (got, want) in early.facets.iter().zip(&expected.facets) {
            assert_eq!(got.key, want.key);
            if early.counting(&got.key) {
                assert!(got.top(usize::MAX).is_empty(), "{query}: {} shows no count yet", got.key);
            } else {
                assert_eq!(got, want, "{query}: {} is counted", got.key);
            }
        }
        assert!(early.facets.iter().any(|g| !early.counting(&g.key)), "{query}: some group is counted");
        assert_ne!(early, expected, "an answer still counting is not the complete one");
        // Once they are in, the complete counts.
        load(&mut explorer, &files, &waits);
        let complete =
            explorer.try_explore(&view, &nobody, &explorer.try_user_facets(&nobody).unwrap()).unwrap();
        assert!(complete.counts_complete() && complete.counts_wait_for().is_empty());
        assert_eq!(complete, expected, "{query}");
    }
    assert!(flagged >= 3, "most queries answered before their counts ({flagged})");
    // A filter on a value whose list is in a facet shard is about the
    // rows: the answer waits for that shard.
    let first = whole.explore(&ViewState::default(), &nobody, &no_facets);
    let mut explorer = Explorer::from_head(&head).unwrap();
    let (key, value) = first
        .facets
        .iter()
        .find_map(|g| {
            let query = ViewState { query: "language".to_owned(), ..Default::default() };
            let early = explore_without_counts(&mut explorer, &files, &query);
            early.counting(&g.key).then(|| (g.key.clone(), g.top(1)[0].value.clone()))
        })
        .expect("a group in facet shards");
    let mut view = ViewState { query: "language".to_owned(), ..Default::default() };
    view.selection.include(&key, &value);
    let mut explorer = Explorer::from_head(&head).unwrap();
    let needed = explorer.shards_for(&view, &nobody, &no_facets);
    assert!(needed.iter().any(|id| id.kind == ShardKind::Facets), "{key}={value}: {needed:?}");
    let (got, _) = explore_sharded(&mut explorer, &files, &view, &nobody, &no_facets);
    assert_eq!(got, whole.explore(&view, &nobody, &no_facets));
}

/// The seed's sharded pack, cut small (made once per test binary).
fn seed_sharded() -> ShardedPack {
    static PACK: std::sync::OnceLock<ShardedPack> = std::sync::OnceLock::new();
    PACK.get_or_init(|| Explorer::new(seed_bundle()).into_sharded(SMALL).unwrap()).clone()
}

#[test]
fn with_tags_the_first_paint_asks_for_exactly_the_id_shards_of_the_tagged_papers() {
    let ShardedPack { head, shards } = seed_sharded();
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let whole = Explorer::new(seed_bundle());
    let mut store = TagStore::default();
    let tagged = [2, 11, 20].map(|doc| whole.try_id(doc).unwrap());
    store.add_tag(&tagged, "to-read", 1).unwrap();
    let user = store.data();
    let first_paint = ViewState::default();
    let mut explorer = Explorer::from_head(&head).unwrap();
    assert!(tagged.iter().all(|id| explorer.try_doc(id).is_err()), "the head alone does not know them");
    let asked = explorer.try_user_facets(user).unwrap_err();
    assert!(asked.iter().all(|id| id.kind == ShardKind::Ids) && (1..=3).contains(&asked.len()), "{asked:?}");
    let partial = explorer.user_facets(user);
    assert_eq!(
        explorer.try_explore(&first_paint, user, &partial).unwrap_err(),
        asked,
        "the first paint waits"
    );
    load(&mut explorer, &files, &asked);
    let facets = explorer.try_user_facets(user).expect("they were all");
    let expected = whole.explore(&first_paint, user, &whole.user_facets(user));
    assert_eq!(explorer.try_explore(&first_paint, user, &facets).unwrap(), expected);
    for (doc, id) in [2, 11, 20].into_iter().zip(tagged) {
        assert_eq!(explorer.try_doc(id), Ok(Some(doc)));
        assert_eq!(explorer.try_id(doc), Some(id), "from its id shard");
    }
    // Each is needed: with the others in, it alone is asked for.
    for &left_out in &asked {
        let mut explorer = Explorer::from_head(&head).unwrap();
        let others: Vec<ShardId> = asked.iter().copied().filter(|&id| id != left_out).collect();
        load(&mut explorer, &files, &others);
        assert_eq!(explorer.try_user_facets(user).unwrap_err(), [left_out]);
    }
}

#[test]
fn ids_of_many_papers_come_from_the_id_shards_and_of_a_few_from_their_records() {
    let ShardedPack { head, shards } = seed_sharded();
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let whole = Explorer::new(seed_bundle());
    let cases: [(&[u32], ShardKind); 2] = [(&[0, 23], ShardKind::Records), (&[0; 65], ShardKind::Ids)];
    for (docs, kind) in cases {
        let mut explorer = Explorer::from_head(&head).unwrap();
        assert_eq!(explorer.try_id(docs[0]), None, "not known from the head");
        let needed = explorer.missing_ids(docs);
        assert!(!needed.is_empty() && needed.iter().all(|id| id.kind == kind), "{needed:?}");
        load(&mut explorer, &files, &needed);
        assert_eq!(explorer.missing_ids(docs), [], "nothing more");
        for &doc in docs {
            assert_eq!(explorer.try_id(doc), whole.try_id(doc));
        }
    }
}

#[test]
fn a_damaged_or_misplaced_shard_is_refused_whole_and_still_asked_for() {
    let ShardedPack { head, shards } = seed_sharded();
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let mut explorer = Explorer::from_head(&head).unwrap();
    let (user, facets) = (UserData::default(), FacetIndex::new(explorer.len()));
    let state = ViewState { query: "language".to_owned(), ..Default::default() };
    let needed = explorer.try_explore(&state, &user, &facets).unwrap_err();
    let (first, other) = (needed[0], ShardId { kind: ShardKind::Records, number: 1 });
    let bytes = files[&explorer.shard_entry(first).unwrap().path()].clone();
    let flipped = |at: usize| {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        b
    };
    let unknown = ShardId { kind: ShardKind::Postings, number: 1_000_000 };
    let cases: Vec<(&str, ShardId, Vec<u8>, &str)> = vec![
        ("a flipped byte", first, flipped(bytes.len() / 2), "checksum mismatch"),
        ("a flipped magic byte", first, flipped(0), "checksum mismatch"),
        ("cut short", first, bytes[..bytes.len() - 1].to_vec(), "checksum mismatch"),
        ("another shard's file", other, bytes.clone(), "checksum mismatch"),
        ("an HTML error page", first, b"<!doctype html><title>404</title>".to_vec(), "checksum mismatch"),
        ("a shard the head does not list", unknown, bytes.clone(), "no shard"),
    ];
    for (name, id, bytes, message) in cases {
        let err = explorer.add_shard(id, &bytes).err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(err.to_string().contains(message), "{name}: {err}");
        assert!(!explorer.has_shard(id), "{name}: not kept");
    }
    assert_eq!(explorer.try_explore(&state, &user, &facets).unwrap_err(), needed, "still asked for");
    explorer.add_shard(first, &bytes).unwrap();
    assert!(explorer.has_shard(first));
}

#[test]
fn a_damaged_head_is_refused_whole_with_the_reason() {
    let head = seed_sharded().head;
    let whole = Explorer::new(seed_bundle()).into_pack().unwrap();
    let with = |at: usize| {
        let mut h = head.clone();
        h[at] ^= 0x55;
        h
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not a Folio pack"),
        ("a whole pack", whole.clone(), "not a Folio pack"),
        ("a flipped body byte", with(head.len() / 2), "checksum mismatch"),
        ("a flipped version byte", with(8), "the pack has version"),
        ("cut short", head[..head.len() - 3].to_vec(), "shorter than its index"),
        ("with bytes after it", [head.clone(), vec![0]].concat(), "bytes after the head"),
    ];
    for (name, bytes, message) in cases {
        let err = Explorer::from_head(&bytes).err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(err.to_string().contains(message), "{name}: {err}");
    }
    let err = Explorer::from_pack(head).err().expect("a head is not a whole pack");
    assert!(err.to_string().contains("not a Folio pack"), "{err}");
}

/// The seed's head with its body changed by `change` and framed again with
/// a valid checksum (what a compiler bug or a crafted file would give).
fn reframed(head: &[u8], change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    const HEADER: usize = 8 + 4 + 8 + 8;
    let mut body = head[HEADER..].to_vec();
    change(&mut body);
    let mut out = head[..12].to_vec();
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend(body);
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// A head whose body is changed anywhere and still passes its checksum
    /// (every compact table of it decodes with checks) is refused or
    /// explores, with the shards it names, without a panic.
    #[test]
    fn no_damage_to_a_checksummed_head_makes_reading_it_panic(
        at in 0usize..1_000_000,
        byte in proptest::prelude::any::<u8>(),
        cut in proptest::prelude::any::<bool>(),
    ) {
        let ShardedPack { head, shards } = seed_sharded();
        let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
        let damaged = reframed(&head, |body| {
            let at = at % body.len();
            if cut { body.truncate(at) } else { body[at] = byte }
        });
        if let Ok(mut explorer) = Explorer::from_head(&damaged) {
            let user = UserData::default();
            let facets = explorer.user_facets(&user);
            let mut views = vec![ViewState::default(), ViewState { sort: Sort::Title, ..Default::default() }];
            views.extend(["language", "\"language models\"", "model:gpt-4"].map(|q| ViewState { query: q.to_owned(), ..Default::default() }));
            for view in views {
                for _ in 0..6 {
                    let Err(needed) = explorer.try_explore(&view, &user, &facets) else { break };
                    for id in needed {
                        let path = explorer.shard_entry(id).map(|e| e.path());
                        if let Some(bytes) = path.and_then(|p| files.get(&p)) {
                            let _ = explorer.add_shard(id, bytes);
                        }
                    }
                }
                if let Ok(exploration) = explorer.try_explore(&view, &user, &facets) {
                    for &doc in exploration.first(3) {
                        let _ = explorer.try_paper(doc);
                        let _ = explorer.try_id(doc);
                    }
                    let _ = exploration.facets.iter().map(|g| g.top(5)).count();
                }
            }
        }
    }
}

fn folio(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_folio")).args(args).output().expect("folio runs")
}

/// The `.bin` files of `dir/shards`, sorted.
fn shard_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("shards"))
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_cli_writes_a_head_and_exactly_its_shards_and_removes_stale_ones() {
    let dir = temp_dir("pack-sharded-cli");
    std::fs::create_dir_all(dir.join("shards")).unwrap();
    let stale = format!("{:032x}.bin", 7);
    std::fs::write(dir.join("shards").join(&stale), b"an earlier build's shard").unwrap();
    std::fs::write(dir.join("shards/notes.txt"), b"not a shard").unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000_aec88eee982df8fa.txt");
    let (json, pack) = (dir.join("bundle.json"), dir.join("bundle.pack"));
    let (seed, json_s, pack_s) = (seed.to_str().unwrap(), json.to_str().unwrap(), pack.to_str().unwrap());
    let out = folio(&["compile", seed, "--out", json_s, "--pack", pack_s, "--pack-layout", "sharded"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shards"));

    let head = folio::engine::open::gunzip("bundle.pack", std::fs::read(&pack).unwrap()).unwrap();
    let explorer = Explorer::from_head(&head).unwrap();
    let mut bundle = Bundle::from_json(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let shipped = folio::engine::discover::ship_bundle(&mut bundle, &Default::default(), |_| {});
    let expected = Explorer::new(bundle).with_discovery(shipped);
    let expected = expected.into_served_shards(ShardSizes::default(), &mut common::gzip).unwrap();
    assert!(head == expected.head, "the compiler's head is the engine's head of the bundle it wrote");
    let mut named: Vec<String> = ShardKind::ALL
        .iter()
        .flat_map(|&kind| explorer.shard_ids(kind).collect::<Vec<_>>())
        .map(|id| explorer.shard_entry(id).unwrap().path().trim_start_matches("shards/").to_owned())
        .collect();
    named.push("notes.txt".to_owned());
    named.sort();
    named.dedup();
    assert_eq!(shard_files(&dir), named, "the head's shards, the stale one removed, other files kept");

    // Back to one file: the shards go, the pack is the whole pack.
    let out = folio(&["pack", json_s, "--out", pack_s, "--layout", "auto"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(Explorer::from_pack(std::fs::read(&pack).unwrap()).is_ok(), "the seed is below the threshold");
    assert_eq!(shard_files(&dir), ["notes.txt"]);
}

#[test]
fn the_breakdown_of_a_pack_adds_up_to_its_length() {
    let pack = Explorer::new(seed_bundle()).into_pack().unwrap();
    let parts = folio::engine::pack::breakdown(&pack).unwrap();
    assert_eq!(parts.iter().map(|p| p.bytes).sum::<usize>(), pack.len());
    let records: usize = parts.iter().filter(|p| p.section == "records").map(|p| p.bytes).sum();
    let abstracts = parts.iter().find(|p| p.name == "abstract").expect("abstracts are a part");
    assert_eq!(abstracts.items, Some(24));
    assert!(abstracts.bytes * 4 > records, "the seed's records are mostly abstracts and their enrichment");
    assert!(folio::engine::pack::breakdown(&pack[..pack.len() / 2]).is_err(), "a damaged pack is refused");
}

#[test]
fn the_synthetic_corpus_is_made_of_real_sentences_and_is_the_same_every_time() {
    let lines = [
        r#"{"title": "Neural machine translation of rare words", "abstract": "We translate rare words. Subword units help. BLEU improves.", "authors": ["A. One"], "year": 2016, "venue": "ACL"}"#,
        r#"{"title": "Attention is all you need", "abstract": "We propose the Transformer. It uses attention only.", "authors": ["B. Two"], "year": 2017, "venue": "NeurIPS"}"#,
        r#"{"title": "Graph neural networks", "abstract": "Graphs are everywhere. We learn on them. Results are good. Code is released."}"#,
        r#"{"title": "no abstract here"}"#,
    ];
    let sources = synthetic::sources(&lines.join("\n"));
    assert_eq!(sources.len(), 3, "a record without an abstract is not a source");
    let corpus = synthetic::corpus(&sources, 200);
    assert_eq!(corpus, synthetic::corpus(&sources, 200), "deterministic");
    assert_eq!(corpus.lines().count(), 200);
    let real_sentences: Vec<&str> =
        lines.iter().filter_map(|l| l.split("\"abstract\": \"").nth(1)?.split('"').next()).collect();
    let real_sentences = real_sentences.join(" ");
    let mut titles = std::collections::HashSet::new();
    for line in corpus.lines() {
        let paper: serde_json::Value = serde_json::from_str(line).unwrap();
        titles.insert(paper["title"].as_str().unwrap().to_owned());
        for sentence in paper["abstract"].as_str().unwrap().split_inclusive(". ") {
            assert!(real_sentences.contains(sentence.trim()), "{sentence:?} is a real sentence");
        }
    }
    assert!(titles.len() >= 6, "titles are recombined: {titles:?}");
    let input = Input { name: "synthetic.jsonl", bytes: corpus.as_bytes() };
    let bundle = compile(&[input], &CompileOptions::default()).bundle.expect("it compiles");
    // Records sharing a title merge when they name the same first author
    // (or one names none); the generator gives titles other papers' authors.
    let mut first_authors: HashMap<&str, Vec<Option<&str>>> = HashMap::new();
    for paper in &bundle.papers {
        first_authors
            .entry(&paper.title)
            .or_default()
            .push(paper.metadata.authors.first().map(String::as_str));
    }
    assert_eq!(first_authors.len(), titles.len(), "every title comes in");
    for (title, authors) in &first_authors {
        let named: std::collections::HashSet<_> = authors.iter().flatten().collect();
        assert!(
            authors.len() == 1 || (named.len() == authors.len()),
            "papers titled {title:?} that share a first author (or lack one) are merged: {authors:?}"
        );
    }
}

#[test]
fn a_phrase_fetches_its_words_postings_in_one_round_and_their_positions_in_the_next() {
    let ShardedPack { head, shards } = seed_sharded();
    let files: HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let nobody = UserData::default();
    for query in ["\"large language models\"", "\"mixture of experts\"", "\"instruction tuning\""] {
        let mut explorer = Explorer::from_head(&head).unwrap();
        let view = ViewState { query: query.to_owned(), ..Default::default() };
        let facets = explorer.try_user_facets(&nobody).unwrap();
        let first = explorer.try_explore(&view, &nobody, &facets).unwrap_err();
        let postings = first.iter().filter(|id| id.kind == ShardKind::Postings).count();
        assert!(postings > 1, "{query}: every word's postings at once: {first:?}");
        assert!(first.iter().all(|id| id.kind != ShardKind::Positions), "{query}: {first:?}");
        load(&mut explorer, &files, &first);
        let second = explorer.try_explore(&view, &nobody, &facets).unwrap_err();
        assert!(
            second.iter().all(|id| id.kind == ShardKind::Positions),
            "{query}: then positions alone: {second:?}"
        );
        load(&mut explorer, &files, &second);
        let answer =
            explorer.try_explore(&view, &nobody, &facets).expect("every word's positions were asked for");
        assert!(!answer.is_empty(), "{query}");
    }
}
