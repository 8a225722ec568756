//! Paper vectors, similar papers and recommendations (`engine::discover`)
//! on a fixture of three subjects (machine translation, proteins, robot
//! grasping; six papers each) and on the seed.

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::discover::{recommend, Discovery, Neighbour, Options, Shipped, Vectors, VectorsError};
use folio::engine::explorer::Explorer;
use folio::engine::map::Layout;

/// Few dimensions: the fixture has 18 papers.
const OPTIONS: Options = Options { dims: 16, power_iterations: 2, seed: 7 };

fn bundle_of(name: &str, bytes: &[u8]) -> Bundle {
    compile(&[Input { name, bytes }], &CompileOptions::default()).bundle.expect("the fixture compiles")
}

fn subjects() -> Bundle {
    bundle_of("papers.jsonl", include_bytes!("fixtures/discover/papers.jsonl"))
}

/// The fixture's subject of a paper: its line's block of six.
fn subject(paper: &Paper) -> &'static str {
    ["translation", "proteins", "robots"][(paper.source.line - 1) / 6]
}

fn index(bundle: &Bundle, title_start: &str) -> usize {
    bundle
        .papers
        .iter()
        .position(|p| p.title.starts_with(title_start))
        .unwrap_or_else(|| panic!("no paper {title_start:?}"))
}

/// The `k` nearest papers of the paper titled `title_start` are all of its
/// subject, with cosines in (0, 1].
#[track_caller]
fn check_neighbours_share_the_subject(title_start: &str, k: usize) {
    let bundle = subjects();
    let discovery = Discovery::build(&bundle.papers, &OPTIONS);
    let paper = index(&bundle, title_start);
    let found = discovery.similar(paper, k);
    assert_eq!(found.len(), k, "{title_start}: {found:?}");
    for n in &found {
        let other = &bundle.papers[n.paper];
        assert_eq!(
            subject(other),
            subject(&bundle.papers[paper]),
            "{title_start}: neighbour {:?}",
            other.title
        );
        assert!(n.score > 0.0 && n.score <= 1.0001, "{title_start}: cosine {}", n.score);
    }
}

#[test]
fn papers_about_the_same_subject_are_each_others_neighbours() {
    check_neighbours_share_the_subject("Low-Resource Neural Machine Translation", 3);
    check_neighbours_share_the_subject("Evaluating Machine Translation Beyond BLEU", 3);
    check_neighbours_share_the_subject("Protein Language Models", 3);
    check_neighbours_share_the_subject("Designing Protein Binders", 3);
    check_neighbours_share_the_subject("Learning Robot Grasping", 3);
    check_neighbours_share_the_subject("Tactile Sensing", 3);
}

#[test]
fn the_seeds_speculative_decoding_papers_are_each_others_nearest() {
    let bytes = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
    let bundle = bundle_of("seed.txt", bytes);
    let discovery = Discovery::build(&bundle.papers, &Options::default());
    let specmemo = index(&bundle, "SpecMemo");
    let nearest = discovery.similar(specmemo, 1);
    assert_eq!(bundle.papers[nearest[0].paper].title.split(':').next(), Some("SpecDec++"));
    assert_eq!(
        discovery.shared_terms(specmemo, nearest[0].paper, 2),
        ["speculative", "speculative decoding"]
    );
}

/// Liking the papers titled `liked` ranks the rest of their subject first;
/// the explorer ranks alike and gives each `term` (or a longer form of it,
/// as the paper spells it) among its reasons and a liked paper as its
/// closest.
#[track_caller]
fn check_tag_ranks_its_subject_first(liked: &[&str], term: &str) {
    let bundle = subjects();
    let discovery = Discovery::build(&bundle.papers, &OPTIONS);
    let like: Vec<usize> = liked.iter().map(|t| index(&bundle, t)).collect();
    let wanted = subject(&bundle.papers[like[0]]);
    let rest = 6 - like.len();
    let ranked = recommend(&discovery, &like, &[], rest + 2);
    assert_eq!(ranked.len(), rest + 2);
    for r in &ranked[..rest] {
        let title = &bundle.papers[r.paper].title;
        assert_eq!(subject(&bundle.papers[r.paper]), wanted, "{liked:?}: recommended {title:?}");
        assert!(!like.contains(&r.paper), "a liked paper is recommended");
    }
    assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score), "ranked best first");

    let shipped = Shipped { vectors: discovery.vectors.clone(), map: Layout::default() };
    let mut explorer = Explorer::new(bundle.clone()).with_discovery(shipped);
    let docs: Vec<u32> = like.iter().map(|&i| i as u32).collect();
    let found = explorer.recommend(&docs, &[], rest + 2).unwrap();
    let order = |found: &[u32]| found.iter().map(|&d| d as usize).collect::<Vec<_>>();
    let papers: Vec<usize> = ranked.iter().map(|r| r.paper).collect();
    assert_eq!(order(&found.iter().map(|r| r.doc).collect::<Vec<_>>()), papers, "the explorer ranks alike");
    for r in &found[..rest] {
        let title = &explorer.paper(r.doc).title;
        assert!(
            r.reasons.iter().any(|t| t.to_lowercase().starts_with(term)),
            "{title:?}: reasons {:?}",
            r.reasons
        );
        assert!(r.closest.first().is_some_and(|c| docs.contains(c)), "{title:?}: closest {:?}", r.closest);
    }
}

#[test]
fn a_tag_of_papers_about_a_subject_ranks_that_subjects_papers_first_with_its_terms() {
    check_tag_ranks_its_subject_first(
        &["Predicting Protein Structure", "Protein Language Models"],
        "protein",
    );
    check_tag_ranks_its_subject_first(&["Learning Robot Grasping", "Tactile Sensing"], "robot");
    check_tag_ranks_its_subject_first(
        &["Low-Resource Neural", "Multilingual Translation", "Terminology"],
        "translation",
    );
}

#[test]
fn not_interested_papers_sink_and_are_never_recommended() {
    let bundle = subjects();
    let discovery = Discovery::build(&bundle.papers, &OPTIONS);
    let like = [index(&bundle, "Learning Robot Grasping")];
    let unlike = [index(&bundle, "Sim-to-Real Transfer")];
    // The paper the unliked one is nearest to, besides the liked one.
    let near =
        discovery.similar(unlike[0], 3).into_iter().map(|n| n.paper).find(|p| !like.contains(p)).unwrap();
    let score_of = |unlike: &[usize]| {
        let found = recommend(&discovery, &like, unlike, bundle.papers.len());
        assert!(found.iter().all(|r| !unlike.contains(&r.paper)), "an unliked paper is recommended");
        found.iter().find(|r| r.paper == near).map_or(0.0, |r| r.score)
    };
    let (before, after) = (score_of(&[]), score_of(&unlike));
    assert!(after < before, "{:?}: {before} before, {after} after", bundle.papers[near].title);
}

#[test]
fn vectors_are_the_same_on_every_build_and_change_with_the_seed() {
    let bundle = subjects();
    let one = Discovery::build(&bundle.papers, &OPTIONS);
    let two = Discovery::build(&bundle.papers, &OPTIONS);
    assert_eq!(one.vectors.to_bytes(), two.vectors.to_bytes());
    let like = [0, 7];
    assert_eq!(recommend(&one, &like, &[3], 5), recommend(&two, &like, &[3], 5));
    assert_eq!(one.similar(4, 5), two.similar(4, 5));
}

/// Random unit-ish floats from a seed.
fn floats(seed: u64, count: usize) -> Vec<f32> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Quantizing `dims`-dimensional vectors keeps each one's direction
/// (cosine with the original at least `min_cosine`) and its length one.
#[track_caller]
fn check_quantization(dims: usize, min_cosine: f32) {
    let original = floats(dims as u64, 50 * dims);
    let vectors = Vectors::quantize(dims, &original);
    assert_eq!((vectors.len(), vectors.dims()), (50, dims));
    for (i, row) in original.chunks_exact(dims).enumerate() {
        let decoded = vectors.get(i).unwrap();
        let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        let cosine = decoded.iter().zip(row).map(|(a, b)| a * b).sum::<f32>() / norm(row);
        assert!((norm(&decoded) - 1.0).abs() < 1e-4, "length {}", norm(&decoded));
        assert!(cosine >= min_cosine, "{dims} dims: cosine {cosine}");
        assert!((vectors.cosine(i, i) - 1.0).abs() < 1e-4);
    }
}

#[test]
fn quantization_keeps_a_vectors_direction_within_a_bound() {
    check_quantization(8, 0.999);
    check_quantization(64, 0.999);
    check_quantization(128, 0.999);
    check_quantization(256, 0.999);
}

#[test]
fn vectors_round_trip_through_bytes_whole_and_cut_by_paper_range() {
    let vectors = Vectors::quantize(16, &floats(1, 16 * 10));
    assert_eq!(Vectors::from_bytes(&vectors.to_bytes()), Ok(vectors.clone()));
    let parts = vectors.split(4);
    assert_eq!(parts.iter().map(Vectors::len).collect::<Vec<_>>(), [4, 4, 2]);
    assert_eq!(parts.iter().map(Vectors::first).collect::<Vec<_>>(), [0, 4, 8]);
    let read: Vec<Vectors> = parts.iter().map(|p| Vectors::from_bytes(&p.to_bytes()).unwrap()).collect();
    assert_eq!(Vectors::join(&read), Ok(vectors.clone()));
    assert_eq!(parts[1].get(5), vectors.get(5), "a part answers by corpus index");
    assert_eq!(parts[1].get(0), None);
    assert_eq!(Vectors::join(&[parts[0].clone(), parts[2].clone()]), Err(VectorsError::Gap(8, 4)));
}

/// Bytes that are not vectors are refused with `error`, never a panic.
#[track_caller]
fn check_refused(bytes: &[u8], error: VectorsError) {
    assert_eq!(Vectors::from_bytes(bytes), Err(error));
}

#[test]
fn damaged_vector_bytes_are_refused() {
    let good = Vectors::quantize(4, &floats(2, 12)).to_bytes();
    check_refused(b"", VectorsError::NotVectors);
    check_refused(b"JSON{}..........", VectorsError::NotVectors);
    check_refused(&[&good[..4], &[9], &good[5..]].concat(), VectorsError::Version(9));
    check_refused(&good[..good.len() - 1], VectorsError::Length(good.len() - 1, good.len()));
    check_refused(&[&good[..], &[0]].concat(), VectorsError::Length(good.len() + 1, good.len()));
}

#[test]
fn empty_and_tiny_corpora_have_zero_vectors_and_never_panic() {
    for papers in [Vec::new(), subjects().papers[..1].to_vec(), subjects().papers[..2].to_vec()] {
        let discovery = Discovery::build(&papers, &Options::default());
        assert_eq!(discovery.vectors.len(), papers.len());
        assert_eq!(discovery.similar(0, 5), []);
        // Only the compiler's neighbours are left to blend.
        let papers_of = |found: Vec<Neighbour>| found.into_iter().map(|n| n.paper).collect::<Vec<_>>();
        assert_eq!(papers_of(discovery.similar_blended(0, 5)), papers_of(discovery.similar_today(0, 5)));
        assert_eq!(discovery.similar(99, 5), []);
        assert!(recommend(&discovery, &[0], &[], 5).iter().all(|r| r.paper != 0));
        assert_eq!(recommend(&discovery, &[], &[0], 5), []);
        assert_eq!(recommend(&discovery, &[99], &[98], 5), []);
    }
}

#[test]
fn a_word_is_named_by_its_most_frequent_spelling() {
    let texts = [
        ("Drafts", "We speculate about drafts."),
        ("Speculative drafts", "Speculative decoding with speculative drafts."),
        ("Speculative sampling", "Speculative sampling of drafts."),
        ("Proteins", "Protein folding."),
        ("Robots", "Robot grasping."),
        ("Translation", "Machine translation."),
    ];
    let papers: Vec<Paper> = texts
        .iter()
        .map(|(title, abstract_text)| Paper {
            title: title.to_string(),
            abstract_text: abstract_text.to_string(),
            ..Default::default()
        })
        .collect();
    let discovery = Discovery::build(&papers, &OPTIONS);
    let mut shared = discovery.shared_terms(0, 1, 2);
    shared.sort_unstable();
    assert_eq!(
        shared,
        ["drafts", "speculative"],
        "read first as \"speculate\", most often as \"speculative\""
    );
}
