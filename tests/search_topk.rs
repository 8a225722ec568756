//! The fast paths of a keystroke give exactly what full scoring and a full
//! sort give: the best rows ranked in one pass (`SearchResults::top`, the
//! explorer's first 256 rows and the rest when scrolled to), a one-clause
//! query's hits taken straight from its clause (against the same query
//! through the path of several clauses), and the number of matches and
//! facet counts over every match. On the seed, the HAY fixture, and
//! generated corpora of a small vocabulary (many ties, more matches than
//! the explorer ranks up front), these read whole and as a sharded pack
//! holding its shards.

#[path = "common/generated.rs"]
mod generated;
#[path = "fixtures/search/hay.rs"]
#[allow(dead_code)]
mod hay;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::{Explorer, ORDERED};
use folio::engine::facets::{counts_all, filter_all, Selection};
use folio::engine::pack::shards::ShardKind;
use folio::engine::pack::{ShardSizes, ShardedPack};
use folio::engine::search::{rank, run, CatalogResolver, Hit, SearchOptions};
use folio::engine::tags::UserData;
use folio::engine::view_state::ViewState;
use generated::generated;

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");

/// Queries of every class: words, prefixes, typos, phrases, identifiers,
/// qualifiers and operators, several words, no match.
const QUERIES: &[&str] = &[
    "m",
    "la",
    "mod",
    "model ",
    "language models ",
    "languge ",
    "lerning ",
    "\"language models\"",
    "\"of the\"",
    "GPT-4 ",
    "llama2 chat 70b ",
    "title:model ",
    "model -reasoning ",
    "lora OR adapter ",
    "year:2020..2025 model",
    "a",
    "the of and ",
    "zzqx ",
    "safety fine-tuning of open chat models ",
    "how do language models learn to reason about unknown zzqx ",
    "which model of the graph zzqx",
    "languge of zzqx models",
    "language models of the ",
    "the reasoning of language mod",
];

fn seed() -> Bundle {
    compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle.expect("the seed")
}

fn hay_bundle() -> Bundle {
    let mut bundle = seed();
    let mut papers = hay::papers();
    bundle.corpus =
        folio::engine::enrich::enrich(&mut papers, &folio::engine::enrich::Dictionaries::builtin());
    bundle.papers = papers;
    bundle
}

/// `bundle` cut into a sharded pack's head and shards, read back with
/// every shard given to it (postings shards small enough that a common
/// word's are several).
fn sharded(bundle: Bundle) -> Explorer {
    let sizes = ShardSizes { postings: 4_000, ..ShardSizes::default() };
    let ShardedPack { head, shards } = Explorer::new(bundle).into_sharded(sizes).expect("a whole corpus");
    let files: std::collections::HashMap<String, Vec<u8>> = shards.into_iter().collect();
    let mut explorer = Explorer::from_head(&head).expect("its own head");
    explorer.set_shard_budget(usize::MAX);
    assert!(explorer.shard_ids(ShardKind::Postings).count() > 1, "postings in several shards");
    for kind in ShardKind::ALL {
        for id in explorer.shard_ids(kind).collect::<Vec<_>>() {
            let path = explorer.shard_entry(id).expect("listed").path();
            explorer.add_shard(id, &files[&path]).expect("its own shard");
        }
    }
    explorer
}

/// Every query on `bundle`: the fast paths against full scoring. Returns
/// how many of them match more papers than the explorer ranks up front.
#[track_caller]
fn check(name: &str, bundle: Bundle, queries: &[&str]) -> usize {
    let catalog = bundle.corpus.catalog.clone();
    check_explorer(name, &Explorer::new(bundle), &catalog, queries)
}

/// [`check`] of the whole pack and of the sharded one holding its
/// shards; the number of queries beyond the first rows is the same.
#[track_caller]
fn check_whole_and_sharded(name: &str, bundle: Bundle, queries: &[&str]) -> usize {
    let catalog = bundle.corpus.catalog.clone();
    let sharded = sharded(bundle.clone());
    let beyond = check(name, bundle, queries);
    assert_eq!(check_explorer(&format!("{name}, sharded"), &sharded, &catalog, queries), beyond);
    beyond
}

#[track_caller]
fn check_explorer(
    name: &str,
    explorer: &Explorer,
    catalog: &folio::engine::catalog::Catalog,
    queries: &[&str],
) -> usize {
    let mut beyond_ordered = 0;
    let resolver = CatalogResolver(catalog);
    let options = SearchOptions { entities: &resolver, ..Default::default() };
    let index = explorer.search_index();
    let user = UserData::default();
    let user_facets = explorer.user_facets(&user);
    let n = explorer.len();
    for &query in queries {
        let at = format!("{name}: {query:?}");
        let results = run(index, query, &options);
        let full: Vec<Hit> = rank(results.hits.clone());
        // The explorer's search says what `run` says of the words.
        let (ranked, _) = folio::engine::search::run_ranked(index, query, &options);
        assert_eq!(
            (ranked.fewer_words, &ranked.suggestion, &ranked.words),
            (results.fewer_words, &results.suggestion, &results.words),
            "{at}: most of the words, did you mean, highlights"
        );
        for k in [0, 1, 3, 10, ORDERED, usize::MAX] {
            assert_eq!(results.top(k), full[..k.min(full.len())], "{at}: top {k}");
        }
        // The same query through the path of several clauses: an excluded
        // word no paper has changes nothing but the path.
        if results.query.clauses.len() == 1 && !results.query.clauses[0].negated {
            let general = run(index, &format!("-zzqqxxnothing {query}"), &options);
            assert_eq!(results.hits, general.hits, "{at}: one clause, as several");
        }
        // The explorer's order, count and facet counts, with no filter and
        // with the most common year selected.
        let mut selections = vec![Selection::default()];
        let year = explorer.explore(&ViewState::default(), &user, &user_facets).facets;
        if let Some(top) = year.iter().find(|g| g.key == "year").and_then(|g| g.top(1).into_iter().next()) {
            let mut selection = Selection::default();
            selection.include("year", &top.value);
            selections.push(selection);
        }
        for selection in selections {
            let state =
                ViewState { query: query.to_owned(), selection: selection.clone(), ..Default::default() };
            let exploration = explorer.explore(&state, &user, &user_facets);
            let indexes = [explorer.facets(), &user_facets];
            // Against `run`'s hits: every match scored (the explorer's own
            // search scores only what it ranks, `search::run_ranked`).
            let (candidates, expected) = match &exploration.search {
                Some(_) => {
                    let candidates = results.doc_set(n);
                    let matching = filter_all(&indexes, &candidates, &selection);
                    let hits = results.hits.iter().filter(|h| matching.contains(h.doc as usize)).copied();
                    (candidates, rank(hits.collect()).into_iter().map(|h| h.doc).collect::<Vec<u32>>())
                }
                None => (explorer.facets().all(), Vec::new()),
            };
            if exploration.search.is_none() {
                continue;
            }
            assert_eq!(exploration.len(), expected.len(), "{at}: count with {selection:?}");
            beyond_ordered += usize::from(expected.len() > ORDERED);
            // The matches as a set, before any is ranked past the first.
            let mut set: Vec<u32> = exploration.matching(n).ones().map(|d| d as u32).collect();
            let mut want = expected.clone();
            want.sort_unstable();
            set.sort_unstable();
            assert_eq!(set, want, "{at}: the matching set");
            for k in [1, 12, ORDERED, ORDERED + 1, usize::MAX] {
                assert_eq!(exploration.first(k), &expected[..k.min(expected.len())], "{at}: first {k}");
            }
            assert_eq!(exploration.docs(), expected, "{at}: every match in order");
            // Counted afresh: copies of the indexes have no recent scopes
            // to count from (`facets::Recent`).
            let fresh = [explorer.facets().clone(), user_facets.clone()];
            let direct = counts_all(&[&fresh[0], &fresh[1]], &candidates, &selection);
            for (got, want) in exploration.facets.iter().zip(&direct) {
                assert_eq!(got.top(usize::MAX), want.top(usize::MAX), "{at}: counts of {}", got.key);
                assert_eq!(got.len(), want.len(), "{at}: values of {}", got.key);
                // Counted directly from the papers in scope.
                for value in want.top(5) {
                    let count = (0..n as u32)
                        .filter(|&d| candidates.contains(d as usize))
                        .filter(|&d| {
                            let paper = explorer.paper(d);
                            folio::engine::facet_kind::values_of(&paper)
                                .into_iter()
                                .any(|(kind, v)| kind.key() == got.key && v == value.value)
                        })
                        .count();
                    if selection.is_empty() && explorer.facets().groups().any(|(key, _)| key == got.key) {
                        assert_eq!(value.count, count, "{at}: {} {:?}", got.key, value.value);
                    }
                }
            }
        }
    }
    beyond_ordered
}

#[test]
fn the_seed_ranks_and_counts_as_full_scoring_does() {
    check("seed", seed(), QUERIES);
}

#[test]
fn the_hay_fixture_ranks_and_counts_as_full_scoring_does() {
    check("hay", hay_bundle(), QUERIES);
}

#[test]
fn generated_corpora_rank_and_count_as_full_scoring_does() {
    let queries: &[&str] = &[
        "m",
        "mo",
        "model",
        "model ",
        "the ",
        "a ",
        "graph neural ",
        "graph n",
        "modle ",
        "transformr ",
        "\"neural network\"",
        "\"mixture of experts\"",
        "title:graph ",
        "robot -policy ",
        "diffusion OR attention ",
        "year:2020..2022 model ",
        "safety fine tuning of open chat models ",
        "chat zzqx ",
        "how do robots learn to grasp unknown zzqx objects ",
        "graph of the zzqx model",
        "modle OR graph neural zzqx ",
        "self-supervised graph-neural zzqx robot ",
        "\"neural network\" zzqx robot ",
    ];
    for (seed, n) in [(1, 300), (2, 700), (3, 1200)] {
        let beyond = check_whole_and_sharded(&format!("generated {seed}"), generated(seed, n), queries);
        assert!(n < ORDERED * 2 || beyond > 0, "generated {seed}: some query matches more than {ORDERED}");
    }
}

/// Typing, deleting and toggling a filter as a person does, on one
/// explorer: each keystroke's facet counts, which a group counts from the
/// last scopes' counts when that is cheaper, are those of a fresh count.
#[test]
fn facet_counts_while_typing_are_those_of_a_fresh_count() {
    for (name, bundle) in [("seed", seed()), ("generated", generated(4, 2500))] {
        let catalog = bundle.corpus.catalog.clone();
        let resolver = CatalogResolver(&catalog);
        let options = SearchOptions { entities: &resolver, ..Default::default() };
        let explorer = Explorer::new(bundle);
        let user = UserData::default();
        let user_facets = explorer.user_facets(&user);
        let year = explorer.explore(&ViewState::default(), &user, &user_facets).facets;
        let top_year = year.iter().find(|g| g.key == "year").and_then(|g| g.top(1).into_iter().next());
        let mut filtered = Selection::default();
        if let Some(top) = top_year {
            filtered.include("year", &top.value);
        }
        let mut keystrokes: Vec<String> = Vec::new();
        for text in ["model graph", "language models", "robot policy"] {
            let typed = text.char_indices().map(|(i, c)| text[..i + c.len_utf8()].to_owned());
            keystrokes.extend(typed.clone());
            keystrokes.extend(typed.rev().skip(1));
            keystrokes.push(String::new());
        }
        for selection in [Selection::default(), filtered.clone(), Selection::default()] {
            for query in &keystrokes {
                let at = format!("{name}: {query:?} with {selection:?}");
                let state =
                    ViewState { query: query.clone(), selection: selection.clone(), ..Default::default() };
                let exploration = explorer.explore(&state, &user, &user_facets);
                let candidates = match query.trim().is_empty() {
                    true => explorer.facets().all(),
                    false => run(explorer.search_index(), query, &options).doc_set(explorer.len()),
                };
                let fresh = [explorer.facets().clone(), user_facets.clone()];
                let direct = counts_all(&[&fresh[0], &fresh[1]], &candidates, &selection);
                assert_eq!(exploration.facets, direct, "{at}");
                for (got, want) in exploration.facets.iter().zip(&direct) {
                    assert_eq!(got.top(usize::MAX), want.top(usize::MAX), "{at}: {}", got.key);
                    assert_eq!(got.top(8), want.top(8), "{at}: {}", got.key);
                }
            }
        }
    }
}

/// The explorer's search of a one-word query (`run_ranked`; words joined
/// by `OR` too): its matches,
/// its best k in any set of papers (every paper, a third of them, a
/// scattered few) and every match's score when asked are `run`'s, on a
/// corpus large enough for common words to be cut into many blocks of
/// postings (so that scoring stops early), with words whose other forms
/// rank below them (tiers).
#[test]
fn the_best_of_a_one_word_query_are_those_of_full_scoring() {
    let bundle = generated(4, 6000);
    let whole = folio::engine::index::SearchIndex::from_papers(&bundle.papers);
    let sharded = sharded(bundle);
    let all_full = |index: &folio::engine::index::SearchIndex, query: &str| {
        run(index, query, &SearchOptions::default()).hits
    };
    for query in ["m", "model ", "transformr ", "graph OR robot "] {
        // Full scoring reads the same postings from the shards.
        assert_eq!(all_full(sharded.search_index(), query), all_full(&whole, query), "{query:?}");
    }
    best_of_one_word_queries(&whole, true);
    // A sharded index's summaries are made as queries rank their terms
    // (none by the warm-up: its postings come with queries).
    best_of_one_word_queries(sharded.search_index(), false);
}

/// [`the_best_of_a_one_word_query_are_those_of_full_scoring`] on `index`;
/// `prepared`: the warm-up summarizes its common terms.
#[track_caller]
fn best_of_one_word_queries(index: &folio::engine::index::SearchIndex, prepared: bool) {
    use folio::engine::facets::DocSet;
    use folio::engine::search::{prepare, prepare_from, run_ranked, top, Ranker, SUMMARIZED};
    let n = index.doc_count();
    let options = SearchOptions::default();
    let (mut ranked, mut most_words, mut every_word, mut summarized) = (0, 0, 0, false);
    let mut every_ranked = Vec::new();
    for query in [
        "m",
        "mo",
        "model",
        "model ",
        "models ",
        "the ",
        "a",
        "t",
        "transform",
        "transformr ",
        "zzqx ",
        "graph ",
        "graph OR robot ",
        "modle OR transf",
        // Words no paper has all of: the papers with most of them.
        "how do robots learn to grasp unknown zzqx objects ",
        "graph of the zzqx model",
        "modle OR graph neural zzqx ",
        "zzqx qqzz ",
        "graph-neural zzqx model ",
        // Three words or more that some paper has all of: those papers
        // only, found from the words' papers unscored.
        "graph of the model ",
        "the model of a gra",
        "robot-learning of the model ",
        // Two words that papers have both of: common words, completions
        // of one letter ("the", "to"), a stem's other forms.
        "graph n",
        "model t",
        "the model ",
        "a the ",
        "neural network ",
        "graph OR robot model ",
        "models of ",
    ] {
        if query == "the " {
            // The rest with the summaries of every common term made first,
            // a few at a time as the app's warm-up makes them, each step
            // the common terms that fit its budget of papers (one at least):
            // the same terms as all at once.
            let budget = 2 * SUMMARIZED + 1;
            let common = |t: &u32| index.doc_frequency(*t) >= SUMMARIZED;
            let (mut made, mut from) = (0, Some(0));
            while let Some(start) = from {
                let (some, next) = prepare_from(index, start, budget);
                if !index.is_sharded() {
                    let end = next.unwrap_or(index.term_count() as u32);
                    let terms: Vec<u32> = (start..end).filter(common).collect();
                    let papers: usize = terms.iter().map(|&t| index.doc_frequency(t)).sum();
                    assert_eq!(some, terms.len(), "from {start}: the common terms before {next:?}");
                    assert!(papers <= budget || some == 1, "from {start}: {some} terms of {papers} papers");
                    if let Some(next) = next {
                        assert!(
                            common(&next) && papers + index.doc_frequency(next) > budget,
                            "stopped at {next}"
                        );
                    }
                }
                (made, from) = (made + some, next);
            }
            summarized = made > 0;
            assert_eq!(prepare(index), made, "stepwise and at once");
        }
        let full = run(index, query, &options);
        let (results, ranker) = run_ranked(index, query, &options);
        assert_eq!(results.words, full.words, "{query:?}: words");
        assert_eq!(results.suggestion, full.suggestion, "{query:?}: suggestion");
        let words = full.query.clauses.len();
        every_word += usize::from(words >= 3 && !full.hits.is_empty() && !full.fewer_words);
        let Some(ranker) = ranker else {
            assert_eq!(results.hits, full.hits, "{query:?}: not one word: run's hits");
            continue;
        };
        ranked += 1;
        most_words += usize::from(matches!(ranker, Ranker::MostWords(_)));
        if matches!(ranker, Ranker::EveryWord(_)) {
            every_ranked.push(query);
        }
        assert_eq!(
            results.fewer_words,
            matches!(ranker, Ranker::MostWords(_)),
            "{query:?}: most of the words"
        );
        assert!(results.hits.is_empty(), "{query:?}: the ranker has the hits");
        assert_eq!(ranker.count(), full.hits.len(), "{query:?}: count");
        assert_eq!(ranker.all(index), full.hits, "{query:?}: every match and its score");
        let every: DocSet = {
            let mut set = DocSet::with_capacity(n);
            set.insert_range(..);
            set
        };
        let some = |step: usize| {
            let mut set = DocSet::with_capacity(n);
            (0..n).step_by(step).for_each(|d| set.insert(d));
            set
        };
        for (name, within) in [("every paper", every), ("a third", some(3)), ("a few", some(97))] {
            let hits: Vec<Hit> =
                full.hits.iter().filter(|h| within.contains(h.doc as usize)).copied().collect();
            for k in [1, 10, ORDERED, 1000, usize::MAX] {
                let best = ranker.best(index, &within, k);
                assert_eq!(best, top(hits.clone(), k), "{query:?}: best {k} of {name}");
            }
        }
    }
    assert_eq!(summarized, prepared, "the warm-up's summaries");
    assert!(ranked >= 11, "one-word queries went through the ranker ({ranked})");
    assert_eq!(most_words, 4, "questions went through the most-words ranker");
    assert_eq!(every_word, 3, "questions of words some paper has all of");
    assert_eq!(
        every_ranked,
        [
            "graph of the model ",
            "the model of a gra",
            "graph n",
            "model t",
            "the model ",
            "neural network ",
            "graph OR robot model ",
            "models of "
        ],
        "plain words that papers have all of went through the every-word ranker"
    );
}

/// The explorer's rows, order (the rest scored when asked for) and counts
/// on a corpus where one-word queries go through the ranker
/// (`search::run_ranked`: their terms in 8,192 papers or more in all).
#[test]
fn the_explorer_ranks_a_common_word_as_full_scoring_does() {
    let queries: &[&str] =
        &["m", "model ", "t", "graph OR robot ", "transformr ", "graph n", "model t", "the model "];
    let beyond = check_whole_and_sharded("generated 5", generated(5, 9000), queries);
    assert!(beyond > 0, "some query matches more than {ORDERED}");
}
