//! Discovery in the pack and the explorer (issue 17): the vectors and the
//! map a pack ships, whole and sharded (fetched only when asked, damaged
//! shards refused), the blended similar papers, recommendations with their
//! reasons, "not interested" marks, the "recommended for" order and the map
//! region filter. On the three-subject fixture (machine translation,
//! proteins, robot grasping; six papers each) and on the seed.

use std::collections::HashMap;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::discover::{self, Options, Shipped, Vectors};
use folio::engine::explorer::{Explorer, Recommended};
use folio::engine::map::{Polygon, Rect};
use folio::engine::pack::shards::{ShardId, ShardKind};
use folio::engine::pack::{PackError, ShardSizes, ShardedPack};
use folio::engine::tags::{TagStore, UserData};
use folio::engine::view_state::ViewState;

/// Few dimensions: the fixture has 18 papers.
const OPTIONS: Options = Options { dims: 16, power_iterations: 2, seed: 7 };
const T: u64 = 1_700_000_000_000;

/// Small shards: several vector shards for 18 papers.
const SMALL: ShardSizes = ShardSizes {
    postings: 600,
    positions: 1500,
    records: 1500,
    entities: 500,
    facets: 60,
    facet_lists_in_head: 16,
    ids: 60,
    vectors: 100,
};

fn bundle_of(name: &str, bytes: &[u8]) -> Bundle {
    compile(&[Input { name, bytes }], &CompileOptions::default()).bundle.expect("the fixture compiles")
}

/// The fixture with what a pack ships of it (its similar papers blended).
fn subjects() -> (Bundle, Shipped) {
    let mut bundle = bundle_of("papers.jsonl", include_bytes!("fixtures/discover/papers.jsonl"));
    let shipped = discover::ship(&mut bundle.papers, &OPTIONS, |_| {});
    (bundle, shipped)
}

fn whole() -> Explorer {
    let (bundle, shipped) = subjects();
    Explorer::from_pack(Explorer::new(bundle).with_discovery(shipped).into_pack().unwrap()).unwrap()
}

fn sharded() -> (Explorer, HashMap<String, Vec<u8>>) {
    let (bundle, shipped) = subjects();
    let ShardedPack { head, shards } =
        Explorer::new(bundle).with_discovery(shipped).into_sharded(SMALL).unwrap();
    (Explorer::from_head(&head).unwrap(), shards.into_iter().collect())
}

fn load(explorer: &mut Explorer, files: &HashMap<String, Vec<u8>>, ids: &[ShardId]) {
    for &id in ids {
        let path = explorer.shard_entry(id).expect("a shard of the head").path();
        explorer.add_shard(id, &files[&path]).expect("the head's own shard");
    }
}

/// The fixture's subject of paper `doc`: its line's block of six.
fn subject(explorer: &Explorer, doc: u32) -> &'static str {
    ["mt", "pr", "rb"][(explorer.paper(doc).source.line - 1) / 6]
}

/// The paper of the fixture named `mt-1` .. `rb-6` (subject, then its
/// rank in the subject's block of lines).
fn doc(explorer: &Explorer, name: &str) -> u32 {
    let (block, rank) = name.split_once('-').unwrap();
    let line =
        ["mt", "pr", "rb"].iter().position(|b| *b == block).unwrap() * 6 + rank.parse::<usize>().unwrap();
    (0..explorer.len() as u32).find(|&d| explorer.paper(d).source.line == line).unwrap()
}

fn id(explorer: &Explorer, name: &str) -> String {
    explorer.paper(doc(explorer, name)).id.clone()
}

/// `recommend` on a sharded explorer as the app runs it: fetch what it
/// asks for until it answers; returns the answer and the kinds fetched,
/// round by round.
fn recommend_sharded(
    explorer: &mut Explorer,
    files: &HashMap<String, Vec<u8>>,
    like: &[u32],
    unlike: &[u32],
    limit: usize,
) -> (Vec<Recommended>, Vec<Vec<ShardKind>>) {
    let mut rounds = Vec::new();
    for _ in 0..5 {
        match explorer.recommend(like, unlike, limit) {
            Ok(found) => return (found, rounds),
            Err(missing) => {
                assert!(!missing.is_empty(), "an error names the shards");
                let mut kinds: Vec<ShardKind> = missing.iter().map(|id| id.kind).collect();
                kinds.dedup();
                rounds.push(kinds);
                load(explorer, files, &missing);
            }
        }
    }
    panic!("no answer after 5 rounds: {rounds:?}");
}

#[test]
fn a_pack_ships_the_vectors_and_the_map_whole_or_in_shards() {
    let explorer = whole();
    assert!(explorer.has_vectors() && explorer.has_map());
    assert_eq!(explorer.map().unwrap().len(), 18);
    assert!(explorer.missing_vectors().is_empty() && explorer.missing_map().is_empty());

    let (mut sharded, files) = sharded();
    assert!(sharded.has_vectors() && sharded.has_map());
    let vectors = sharded.missing_vectors();
    assert!(vectors.len() > 2, "vectors cut by paper range: {vectors:?}");
    assert_eq!(sharded.shard_ids(ShardKind::Vectors).collect::<Vec<_>>(), vectors);
    assert_eq!(sharded.missing_map(), [ShardId { kind: ShardKind::Map, number: 0 }]);
    assert_eq!(sharded.map().err(), Some(sharded.missing_map()));
    let map = sharded.missing_map();
    load(&mut sharded, &files, &map);
    assert_eq!(sharded.map().unwrap(), whole().map().unwrap(), "the map's shard is the whole map");
    assert!(sharded.missing_map().is_empty() && !sharded.missing_vectors().is_empty(), "each when asked");
    load(&mut sharded, &files, &vectors);
    assert!(sharded.missing_vectors().is_empty());
    sharded.clear_shards();
    assert_eq!(sharded.missing_vectors(), vectors, "cleared with the other shards");
}

#[test]
fn a_bundle_read_alone_has_no_discovery_and_answers_as_before() {
    let (bundle, _) = subjects();
    let mut explorer = Explorer::new(bundle);
    assert!(!explorer.has_vectors() && !explorer.has_map());
    assert!(explorer.map().unwrap().is_empty());
    assert_eq!(explorer.recommend(&[0, 1], &[], 5), Ok(Vec::new()));
    let user = UserData::default();
    let facets = explorer.user_facets(&user);
    let plain = explorer.explore(&ViewState::default(), &user, &facets);
    let state = ViewState {
        region: Some(Rect { min: [0, 0], max: [1, 1] }),
        recommend_for: Some("x".into()),
        ..Default::default()
    };
    assert_eq!(explorer.explore(&state, &user, &facets), plain, "no map, no vectors: ignored");
}

#[test]
fn damaged_or_foreign_discovery_shards_are_refused_whole() {
    let (mut explorer, files) = sharded();
    let vectors = explorer.missing_vectors();
    let first = files[&explorer.shard_entry(vectors[0]).unwrap().path()].clone();
    let mut damaged = first.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(matches!(explorer.add_shard(vectors[0], &damaged), Err(PackError::Checksum)));
    // Another shard's bytes (valid, but not what the head names here).
    let second = files[&explorer.shard_entry(vectors[1]).unwrap().path()].clone();
    assert!(explorer.add_shard(vectors[0], &second).is_err());
    let map = explorer.missing_map()[0];
    assert!(explorer.add_shard(map, &first).is_err(), "vectors are not a map");
    assert_eq!(explorer.missing_vectors(), vectors, "nothing refused is kept");
    assert!(!explorer.has_shard(vectors[0]));
    explorer.add_shard(vectors[0], &first).unwrap();
    assert!(explorer.has_shard(vectors[0]));
}

#[test]
fn vectors_of_other_papers_are_left_out_and_a_cut_pack_refused() {
    let (bundle, shipped) = subjects();
    // Vectors of other papers than the pack's.
    let fewer = Shipped { vectors: shipped.vectors.range(0..5), map: shipped.map.clone() };
    let explorer = Explorer::new(bundle.clone()).with_discovery(fewer);
    assert!(!explorer.has_vectors() && explorer.has_map(), "vectors of other papers are left out");
    let pack = Explorer::new(bundle).with_discovery(shipped).into_pack().unwrap();
    assert!(Explorer::from_pack(pack.clone()).is_ok());
    let mut cut = pack.clone();
    cut.truncate(pack.len() - 1);
    assert!(Explorer::from_pack(cut).is_err());
}

#[test]
fn similar_papers_are_the_blended_list_in_every_record() {
    let explorer = whole();
    for doc in 0..explorer.len() as u32 {
        let paper = explorer.paper(doc);
        let similar = &paper.enrichment.similar;
        assert!(!similar.is_empty() && similar.len() <= discover::SIMILAR_KEPT, "{}: {similar:?}", paper.id);
        for s in similar {
            assert_ne!(s.id, paper.id);
            assert!(s.score > 0.0 && s.score <= 1.5, "{}: {s:?}", paper.id);
        }
        assert!(similar.windows(2).all(|w| w[0].score >= w[1].score), "best first");
        // The nearest is of the paper's subject.
        let nearest = explorer.try_doc(&similar[0].id).unwrap().unwrap();
        assert_eq!(subject(&explorer, nearest), subject(&explorer, doc), "{}: {similar:?}", paper.id);
    }
}

#[test]
fn recommendations_rank_the_liked_subject_first_with_reasons_whole_or_sharded() {
    let mut explorer = whole();
    let like = [doc(&explorer, "pr-1"), doc(&explorer, "pr-2"), doc(&explorer, "pr-3")];
    let found = explorer.recommend(&like, &[], 5).unwrap();
    assert_eq!(found.len(), 5);
    let subjects: Vec<&str> = found.iter().map(|r| subject(&explorer, r.doc)).collect();
    assert_eq!(subjects[..3], ["pr", "pr", "pr"], "{found:#?}");
    for r in &found[..3] {
        assert!(!like.contains(&r.doc));
        assert!(!r.reasons.is_empty() && r.reasons.len() <= discover::REASON_TERMS, "{r:?}");
        assert!(!r.closest.is_empty() && r.closest.iter().all(|c| like.contains(c)), "{r:?}");
        assert!(r.score > 0.0 && r.score < 1.0);
    }
    let reasons: Vec<&str> = found[..3].iter().flat_map(|r| r.reasons.iter().map(String::as_str)).collect();
    assert!(reasons.iter().any(|r| r.contains("protein")), "{reasons:?}");
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));

    let (mut sharded, files) = sharded();
    let (same, rounds) = recommend_sharded(&mut sharded, &files, &like, &[], 5);
    assert_eq!(same, found, "the sharded pack recommends alike");
    assert_eq!(rounds[0], [ShardKind::Vectors], "the vectors first, then the records the reasons read");
    assert!(rounds[1..].iter().flatten().all(|&k| k == ShardKind::Records), "{rounds:?}");
}

#[test]
fn not_interested_papers_are_never_recommended_and_change_the_ranking() {
    let mut explorer = whole();
    let like = [doc(&explorer, "mt-1"), doc(&explorer, "mt-2")];
    let before = explorer.recommend(&like, &[], 18).unwrap();
    assert_eq!(before.len(), 16);
    let unlike = [before[0].doc, before[1].doc];
    let after = explorer.recommend(&like, &unlike, 18).unwrap();
    assert_eq!(after.len(), 14);
    assert!(after.iter().all(|r| !unlike.contains(&r.doc)));
    assert_ne!(
        after.iter().map(|r| r.score).collect::<Vec<_>>(),
        before.iter().filter(|r| !unlike.contains(&r.doc)).map(|r| r.score).collect::<Vec<_>>(),
        "the disliked papers teach the classifier"
    );
    assert_eq!(explorer.recommend(&[], &unlike, 5), Ok(Vec::new()), "nothing liked, nothing recommended");
    assert_eq!(explorer.recommend(&like, &[], 0), Ok(Vec::new()));
    assert_eq!(explorer.recommend(&[999], &[], 3), Ok(Vec::new()), "out of range ignored");
}

#[test]
fn recommended_for_a_tag_orders_the_results_without_the_tags_or_dismissed_papers() {
    let mut explorer = whole();
    let mut store = TagStore::default();
    let ids = ["rb-1", "rb-2", "rb-3", "rb-4"].map(|name| id(&explorer, name));
    store.add_tag(&[&ids[0], &ids[1], &ids[2]], "Robots", T).unwrap();
    store.set_not_interested(&[&ids[3]], true, T);
    let user = store.data().clone();
    let facets = explorer.user_facets(&user);
    let state = ViewState { recommend_for: Some("robots".into()), ..Default::default() };
    let exploration = explorer.explore(&state, &user, &facets);
    let order = exploration.docs().to_vec();
    assert_eq!(order.len(), 18 - 4, "the tag's 3 papers and the dismissed one are left out");
    let excluded = ["rb-1", "rb-2", "rb-3", "rb-4"].map(|id| doc(&explorer, id));
    assert!(order.iter().all(|d| !excluded.contains(d)));
    assert_eq!(subject(&explorer, order[0]), "rb");
    assert_eq!(subject(&explorer, order[1]), "rb");
    let recommended = explorer.recommend_for(&user, "ROBOTS", 14).unwrap();
    assert_eq!(recommended.iter().map(|r| r.doc).collect::<Vec<_>>(), order, "the view and the list agree");

    // With a query, the order applies to its matches.
    let query = ViewState { query: "learning".into(), ..state.clone() };
    let matching =
        explorer.explore(&ViewState { query: "learning".into(), ..Default::default() }, &user, &facets);
    let ordered = explorer.explore(&query, &user, &facets);
    let expected: Vec<u32> = order.iter().copied().filter(|d| matching.docs().contains(d)).collect();
    assert_eq!(ordered.docs(), expected);
    // Every row the query leaves gets its reasons, not only the corpus's best.
    let shown = ordered.docs().to_vec();
    assert!(!shown.is_empty() && shown.len() < order.len(), "{} of {}", shown.len(), order.len());
    let rows = explorer.recommend_among(&user, "robots", &shown).unwrap();
    assert_eq!(rows.iter().map(|r| r.doc).collect::<Vec<_>>(), shown);
    assert!(rows.iter().all(|r| !r.reasons.is_empty() || !r.closest.is_empty()), "{rows:?}");
    for row in &rows {
        if let Some(best) = recommended.iter().find(|r| r.doc == row.doc) {
            assert_eq!(best, row, "the same reasons as in the corpus's list");
        }
    }
    let tagged = explorer.recommend_among(&user, "robots", &[excluded[0], excluded[3], shown[0]]).unwrap();
    assert_eq!(tagged.iter().map(|r| r.doc).collect::<Vec<_>>(), [shown[0]], "tagged and dismissed left out");

    // A tag with no paper of the corpus keeps the view's sort.
    let none = ViewState { recommend_for: Some("nothing".into()), ..Default::default() };
    assert_eq!(
        explorer.explore(&none, &user, &facets),
        explorer.explore(&ViewState::default(), &user, &facets)
    );
}

#[test]
fn recommended_for_a_tag_waits_for_the_vector_shards_when_sharded() {
    let (mut explorer, files) = sharded();
    let whole = whole();
    let mut store = TagStore::default();
    store.add_tag(&[&id(&whole, "pr-1"), &id(&whole, "pr-2")], "proteins", T).unwrap();
    let user = store.data().clone();
    let ids = explorer.missing_user_ids(&user);
    load(&mut explorer, &files, &ids);
    let facets = explorer.try_user_facets(&user).unwrap();
    let state = ViewState { recommend_for: Some("proteins".into()), ..Default::default() };
    let missing = explorer.try_explore(&state, &user, &facets).unwrap_err();
    assert_eq!(missing, explorer.missing_vectors());
    load(&mut explorer, &files, &missing);
    // Without the tag's papers the counts are of a part of the corpus: they
    // read the facet shards, as a query's do (the rows do not wait for them).
    let early = explorer.try_explore(&state, &user, &facets).unwrap();
    let missing = early.counts_wait_for().to_vec();
    assert!(!missing.is_empty() && missing.iter().all(|id| id.kind == ShardKind::Facets), "{missing:?}");
    load(&mut explorer, &files, &missing);
    let exploration = explorer.try_explore(&state, &user, &facets).unwrap();
    assert!(exploration.counts_complete());
    let expected = whole.explore(&state, &user, &whole.user_facets(&user));
    assert_eq!(early.docs(), expected.docs());
    assert_eq!(exploration.docs(), expected.docs());
}

#[test]
fn a_map_region_keeps_only_the_papers_inside_it() {
    let explorer = whole();
    let map = explorer.map().unwrap().clone();
    let user = UserData::default();
    let facets = explorer.user_facets(&user);
    let everything = Rect { min: [0, 0], max: [u16::MAX, u16::MAX] };
    let all = explorer.explore(&ViewState { region: Some(everything), ..Default::default() }, &user, &facets);
    assert_eq!(all.len(), 18);
    // The left half of the map by the median x.
    let mut xs: Vec<u16> = map.points().iter().map(|p| p[0]).collect();
    xs.sort_unstable();
    let left = Rect { min: [0, 0], max: [xs[8], u16::MAX] };
    let state = ViewState { region: Some(left), ..Default::default() };
    let half = explorer.explore(&state, &user, &facets);
    assert_eq!(half.docs(), map.inside(left));
    assert!(half.len() >= 9 && half.len() < 18, "{}", half.len());
    let counted: u32 = half.facets.iter().flat_map(|g| g.top(1)).map(|v| v.count as u32).max().unwrap_or(0);
    assert!(counted as usize <= half.len(), "facet counts are the region's");
    assert_ne!(half.facets, all.facets, "the counts follow the region");
    // A cluster keeps exactly its papers.
    let clusters = map.clusters().len();
    assert!(clusters >= 2, "{clusters} clusters");
    let mut seen = 0;
    for cluster in 0..clusters {
        let state = ViewState { cluster: Some(cluster as u16), ..Default::default() };
        let members = explorer.explore(&state, &user, &facets);
        assert_eq!(members.docs(), map.members(cluster));
        assert_eq!(members.len(), map.clusters()[cluster].papers as usize);
        seen += members.len();
    }
    assert_eq!(seen, 18, "every paper is in one cluster");
    let beyond = ViewState { cluster: Some(clusters as u16), ..Default::default() };
    assert!(explorer.explore(&beyond, &user, &facets).is_empty(), "a cluster the map lacks keeps nothing");
    let empty = Rect { min: [1, 1], max: [1, 1] };
    let outside: Vec<u32> = map.inside(empty);
    let none = explorer.explore(&ViewState { region: Some(empty), ..Default::default() }, &user, &facets);
    assert_eq!(none.docs(), outside);
}

#[test]
fn a_map_lasso_keeps_only_the_papers_inside_its_outline() {
    let explorer = whole();
    let map = explorer.map().unwrap().clone();
    let user = UserData::default();
    let facets = explorer.user_facets(&user);
    let mut xs: Vec<u16> = map.points().iter().map(|p| p[0]).collect();
    xs.sort_unstable();
    // A lasso along the left half's rectangle keeps what the box keeps.
    let left = Rect { min: [0, 0], max: [xs[8], u16::MAX] };
    let lasso =
        explorer.explore(&ViewState { lasso: Some(outline_of(&left)), ..Default::default() }, &user, &facets);
    assert_eq!(lasso.docs(), map.inside(left));
    // A triangle (the box's lower-left half) keeps its own papers, fewer.
    let triangle = Polygon::new(vec![[0, 0], [xs[8], 0], [0, u16::MAX]]).unwrap();
    let state = ViewState { lasso: Some(triangle.clone()), ..Default::default() };
    let got = explorer.explore(&state, &user, &facets);
    assert_eq!(got.docs(), map.inside_polygon(&triangle));
    assert!(got.len() <= lasso.len());
    // With a query, the lasso narrows its hits and their counts.
    let query = ViewState { query: "language".into(), lasso: Some(outline_of(&left)), ..Default::default() };
    let hits = explorer.explore(&query, &user, &facets);
    let unfiltered =
        explorer.explore(&ViewState { query: "language".into(), ..Default::default() }, &user, &facets);
    let inside = map.inside(left);
    let mut expected: Vec<u32> = unfiltered.docs().iter().copied().filter(|d| inside.contains(d)).collect();
    expected.sort_unstable();
    assert!(!expected.is_empty() && expected.len() < unfiltered.len(), "{expected:?}");
    let mut got: Vec<u32> = hits.docs().to_vec();
    got.sort_unstable();
    assert_eq!(got, expected);
}

fn outline_of(rect: &Rect) -> Polygon {
    let [x0, y0] = rect.min;
    let [x1, y1] = rect.max;
    Polygon::new(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).unwrap()
}

#[test]
fn a_map_region_waits_for_the_map_shard_when_sharded() {
    let (mut explorer, files) = sharded();
    let user = UserData::default();
    let facets = explorer.try_user_facets(&user).unwrap();
    let state = ViewState { region: Some(Rect { min: [0, 0], max: [30000, 65535] }), ..Default::default() };
    let missing = explorer.try_explore(&state, &user, &facets).unwrap_err();
    assert_eq!(missing, [ShardId { kind: ShardKind::Map, number: 0 }], "the first paint's region");
    load(&mut explorer, &files, &missing);
    // Counting a region's facets reads the facet shards, as a query's does.
    let got = loop {
        match explorer.try_explore(&state, &user, &facets) {
            Ok(got) if got.counts_complete() => break got,
            Ok(got) => load(&mut explorer, &files, got.counts_wait_for()),
            Err(missing) => {
                assert!(missing.iter().all(|id| id.kind == ShardKind::Facets), "{missing:?}");
                load(&mut explorer, &files, &missing);
            }
        }
    };
    let whole = whole();
    assert_eq!(got.docs(), whole.explore(&state, &user, &whole.user_facets(&user)).docs());
}

#[test]
fn the_seed_compiles_to_a_pack_with_vectors_and_reasons() {
    let mut bundle = bundle_of("seed.txt", include_bytes!("../corpus/000_aec88eee982df8fa.txt"));
    let shipped = discover::ship(&mut bundle.papers, &Options { dims: 16, ..Default::default() }, |_| {});
    assert_eq!(shipped.vectors.len(), bundle.papers.len());
    let mut explorer =
        Explorer::from_pack(Explorer::new(bundle).with_discovery(shipped).into_pack().unwrap()).unwrap();
    let speculative: Vec<u32> = (0..explorer.len() as u32)
        .filter(|&d| explorer.paper(d).title.to_lowercase().contains("speculative"))
        .collect();
    assert!(speculative.len() >= 2, "the seed has speculative decoding papers");
    let found = explorer.recommend(&speculative[..1], &[], 3).unwrap();
    assert!(found.iter().any(|r| speculative.contains(&r.doc)), "{found:#?}");
    assert!(found.iter().all(|r| !r.reasons.is_empty()), "{found:#?}");
}

#[test]
fn all_nearest_is_the_exact_scan_on_small_corpora() {
    let (bundle, shipped) = subjects();
    let all = shipped.vectors.all_nearest(4);
    assert_eq!(all.len(), bundle.papers.len());
    for (i, list) in all.iter().enumerate() {
        assert_eq!(list, &shipped.vectors.nearest(i, 4));
    }
}

#[test]
fn all_nearest_past_the_exact_scan_finds_most_true_neighbours() {
    // Papers of 40 subjects: each a direction plus noise.
    let dims = 16;
    let n = discover::EXACT_SCAN + 1000;
    let mut rng = 0x1234_5678_u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % 2001) as f32 / 1000.0 - 1.0
    };
    let centres: Vec<Vec<f32>> = (0..40).map(|_| (0..dims).map(|_| next()).collect()).collect();
    let floats: Vec<f32> = (0..n)
        .flat_map(|i| centres[i % 40].clone().into_iter().map(|x| x + 0.3 * next()).collect::<Vec<_>>())
        .collect();
    let vectors = Vectors::quantize(dims, &floats);
    let all = vectors.all_nearest(5);
    let mut found = 0;
    let probes = 60;
    for i in (0..n).step_by(n / probes) {
        let exact: Vec<usize> = vectors.nearest(i, 5).iter().map(|x| x.paper).collect();
        found += all[i].iter().filter(|x| exact.contains(&x.paper)).count();
        assert!(all[i].iter().all(|x| x.paper != i && x.score > 0.0));
    }
    let recall = found as f64 / (probes * 5) as f64;
    assert!(recall >= 0.6, "recall {recall}");
}
