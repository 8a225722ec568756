//! The corpus map (`engine::map`) on the seed and on discovery's fixture
//! of three subjects (machine translation, proteins, robot grasping; six
//! papers each): every paper placed, subjects together, clusters that
//! cover the papers and are named by their own keyphrases, the same bytes
//! every time, and bytes read back or refused.

use folio::engine::bundle::{Bundle, Paper};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::discover::{Discovery, Options as VectorOptions, Vectors};
use folio::engine::map::{cluster_count, Layout, MapError, Method, Options, Rect, LABEL_SEPARATOR};

/// Few dimensions: the fixture has 18 papers.
const VECTORS: VectorOptions = VectorOptions { dims: 16, power_iterations: 2, seed: 7 };

fn bundle_of(name: &str, bytes: &[u8]) -> Bundle {
    compile(&[Input { name, bytes }], &CompileOptions::default()).bundle.expect("the input compiles")
}

fn subjects() -> Bundle {
    bundle_of("papers.jsonl", include_bytes!("fixtures/discover/papers.jsonl"))
}

fn seed() -> Bundle {
    bundle_of("seed.txt", include_bytes!("../corpus/000_aec88eee982df8fa.txt"))
}

/// The fixture's subject of a paper: its line's block of six.
fn subject(paper: &Paper) -> usize {
    (paper.source.line - 1) / 6
}

fn map_of(bundle: &Bundle) -> (Vectors, Layout) {
    let vectors = Discovery::build(&bundle.papers, &VECTORS).vectors;
    let layout = Layout::build(&vectors, &bundle.papers);
    (vectors, layout)
}

fn distance(a: [u16; 2], b: [u16; 2]) -> f64 {
    let dx = f64::from(a[0]) - f64::from(b[0]);
    let dy = f64::from(a[1]) - f64::from(b[1]);
    (dx * dx + dy * dy).sqrt()
}

fn has_vector(vectors: &Vectors, paper: usize) -> bool {
    vectors.get(paper).is_some_and(|v| v.iter().any(|&x| x != 0.0))
}

/// A cluster's label's terms are keyphrases or entity names of its papers
/// (a keyphrase with the hyphenated words before it in the text).
#[track_caller]
fn check_labels_are_the_clusters_own_terms(bundle: &Bundle, layout: &Layout) {
    for (c, cluster) in layout.clusters().iter().enumerate() {
        assert!(!cluster.label.trim().is_empty(), "cluster {c} has no label");
        let members: Vec<&Paper> = (0..bundle.papers.len())
            .filter(|&i| layout.cluster_of(i) == Some(c))
            .map(|i| &bundle.papers[i])
            .collect();
        for term in cluster.label.split(LABEL_SEPARATOR) {
            assert!(
                members.iter().any(|p| p.enrichment.keyphrases.iter().any(|k| term.ends_with(&k.phrase))
                    || p.enrichment.entities.iter().any(|e| e.name == term)),
                "cluster {c}'s term {term:?} is none of its papers' keyphrases or entities"
            );
        }
    }
}

#[test]
fn the_same_corpus_gives_the_same_bytes() {
    for bundle in [seed(), subjects()] {
        let (vectors, layout) = map_of(&bundle);
        assert_eq!(layout.to_bytes(), Layout::build(&vectors, &bundle.papers).to_bytes());
    }
}

#[test]
fn every_paper_is_placed_and_the_points_spread_over_the_square() {
    for bundle in [seed(), subjects()] {
        let (_, layout) = map_of(&bundle);
        let papers = bundle.papers.len();
        assert_eq!(layout.len(), papers);
        let everything = Rect { min: [0, 0], max: [u16::MAX, u16::MAX] };
        assert_eq!(layout.inside(everything).len(), papers);
        // The wider axis spans the square; the papers are not on one spot.
        let span = |axis: usize| {
            let values = layout.points().iter().map(|p| p[axis]);
            values.clone().max().unwrap_or(0) - values.min().unwrap_or(0)
        };
        assert_eq!(span(0).max(span(1)), u16::MAX);
        let left = Rect { min: [0, 0], max: [u16::MAX / 2, u16::MAX] };
        let some = layout.inside(left).len();
        assert!(some > 0 && some < papers, "{some} of {papers} papers on the left half");
    }
}

#[test]
fn papers_of_one_subject_land_nearer_each_other_than_papers_of_others() {
    let bundle = subjects();
    let (_, layout) = map_of(&bundle);
    let points = layout.points();
    let (mut same, mut same_pairs, mut other, mut other_pairs) = (0.0, 0, 0.0, 0);
    for a in 0..points.len() {
        for b in a + 1..points.len() {
            if subject(&bundle.papers[a]) == subject(&bundle.papers[b]) {
                same += distance(points[a], points[b]);
                same_pairs += 1;
            } else {
                other += distance(points[a], points[b]);
                other_pairs += 1;
            }
        }
    }
    let (same, other) = (same / f64::from(same_pairs), other / f64::from(other_pairs));
    assert!(same * 2.0 < other, "mean distance {same:.0} within a subject, {other:.0} across");
    // Each paper's nearest paper on the map is of its subject.
    for a in 0..points.len() {
        let nearest = (0..points.len())
            .filter(|&b| b != a)
            .min_by(|&x, &y| distance(points[a], points[x]).total_cmp(&distance(points[a], points[y])))
            .expect("18 papers");
        assert_eq!(
            subject(&bundle.papers[nearest]),
            subject(&bundle.papers[a]),
            "{:?} is nearest to {:?}",
            bundle.papers[nearest].title,
            bundle.papers[a].title
        );
    }
}

#[test]
fn the_fixtures_three_subjects_are_its_three_clusters() {
    let bundle = subjects();
    let (_, layout) = map_of(&bundle);
    assert_eq!(layout.clusters().len(), 3);
    for paper in 0..bundle.papers.len() {
        for other in 0..bundle.papers.len() {
            assert_eq!(
                layout.cluster_of(paper) == layout.cluster_of(other),
                subject(&bundle.papers[paper]) == subject(&bundle.papers[other]),
                "{:?} and {:?}",
                bundle.papers[paper].title,
                bundle.papers[other].title
            );
        }
    }
    check_labels_are_the_clusters_own_terms(&bundle, &layout);
    let labels: Vec<&str> = layout.clusters().iter().map(|c| c.label.as_str()).collect();
    assert!(labels.iter().any(|l| l.contains("translation")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("protein")), "{labels:?}");
}

#[test]
fn clusters_cover_every_paper_with_a_vector_and_are_named_by_their_own_terms() {
    for bundle in [seed(), subjects()] {
        let (vectors, layout) = map_of(&bundle);
        let placed: Vec<usize> = (0..bundle.papers.len()).filter(|&i| has_vector(&vectors, i)).collect();
        assert!(!placed.is_empty());
        assert_eq!(layout.clusters().len(), cluster_count(placed.len(), Options::default().clusters));
        for &i in &placed {
            assert!(layout.cluster_of(i).is_some(), "{:?} is in no cluster", bundle.papers[i].title);
        }
        let sizes: u32 = layout.clusters().iter().map(|c| c.papers).sum();
        assert_eq!(sizes as usize, placed.len());
        for (c, cluster) in layout.clusters().iter().enumerate() {
            let held = (0..bundle.papers.len()).filter(|&i| layout.cluster_of(i) == Some(c)).count();
            assert_eq!(held, cluster.papers as usize);
            // The label sits on one of the cluster's papers.
            assert!(
                (0..bundle.papers.len())
                    .any(|i| layout.cluster_of(i) == Some(c) && layout.points()[i] == cluster.center),
                "cluster {c}'s centre is on none of its papers"
            );
        }
        check_labels_are_the_clusters_own_terms(&bundle, &layout);
    }
}

#[test]
fn clusters_grow_with_the_corpus_within_bounds() {
    let cases = [(0, 0), (1, 1), (2, 1), (18, 3), (24, 3), (1000, 22), (7200, 60), (96_000, 60)];
    for (papers, clusters) in cases {
        assert_eq!(cluster_count(papers, 60), clusters, "{papers} papers");
    }
    assert_eq!(cluster_count(96_000, 12), 12);
}

#[test]
fn a_paper_with_nothing_in_common_sits_in_the_corner_in_no_cluster() {
    let mut text =
        String::from_utf8(include_bytes!("fixtures/discover/papers.jsonl").to_vec()).expect("UTF-8");
    text.push_str(
        r#"{"id": "odd", "title": "Zymurgy of Quixotic Xylophones", "abstract": "Fjords whelk vexingly."}"#,
    );
    text.push('\n');
    let bundle = bundle_of("papers.jsonl", text.as_bytes());
    let (vectors, layout) = map_of(&bundle);
    let odd = bundle.papers.iter().position(|p| p.title.starts_with("Zymurgy")).expect("the odd paper");
    assert!(!has_vector(&vectors, odd));
    assert_eq!(layout.points()[odd], [0, 0]);
    assert_eq!(layout.cluster_of(odd), None);
    assert_eq!(layout.len(), bundle.papers.len());
    // It is part of no region, not even the whole map, and of no cluster.
    assert!(!layout.is_placed(odd));
    let everything = Rect { min: [0, 0], max: [u16::MAX, u16::MAX] };
    assert_eq!(layout.inside(everything).len(), bundle.papers.len() - 1);
    assert!((0..layout.clusters().len()).all(|c| !layout.members(c).contains(&(odd as u32))));
    let members: usize = (0..layout.clusters().len()).map(|c| layout.members(c).len()).sum();
    assert_eq!(members, bundle.papers.len() - 1, "every placed paper is in one cluster");
    for (c, cluster) in layout.clusters().iter().enumerate() {
        assert_eq!(layout.members(c).len(), cluster.papers as usize);
        // Its bounds are the tightest rectangle around its papers.
        let bounds = layout.bounds(c).expect("a cluster has papers");
        let inside = layout.inside(bounds);
        assert!(layout.members(c).iter().all(|m| inside.contains(m)));
        for axis in 0..2 {
            let values = || layout.members(c).into_iter().map(|m| layout.points()[m as usize][axis]);
            assert_eq!(bounds.min[axis], values().min().unwrap());
            assert_eq!(bounds.max[axis], values().max().unwrap());
        }
    }
    assert!(layout.members(layout.clusters().len()).is_empty());
    assert_eq!(layout.bounds(layout.clusters().len()), None);
}

#[test]
fn empty_and_tiny_corpora_make_maps_without_failing() {
    let empty = Vectors::quantize(16, &[]);
    let layout = Layout::build(&empty, &[]);
    assert!(layout.is_empty() && layout.clusters().is_empty());
    assert_eq!(Layout::from_bytes(&layout.to_bytes()), Ok(layout));
    for floats in [vec![1.0, 0.0], vec![1.0, 0.0, 0.0, 1.0], vec![1.0, 0.0, 0.0, 1.0, 0.6, 0.8], vec![0.0; 4]]
    {
        let vectors = Vectors::quantize(2, &floats);
        let layout = Layout::build(&vectors, &[]);
        assert_eq!(layout.len(), vectors.len());
        assert_eq!(Layout::from_bytes(&layout.to_bytes()), Ok(layout));
    }
    // Every small size, through the t-SNE's smallest perplexities.
    let mut rng = fastrand::Rng::with_seed(3);
    for papers in 4..=40 {
        let floats: Vec<f32> = (0..papers * 8).map(|_| rng.f32() - 0.5).collect();
        let vectors = Vectors::quantize(8, &floats);
        let layout = Layout::build(&vectors, &[]);
        assert_eq!(layout.len(), papers);
        assert_eq!(layout.clusters().iter().map(|c| c.papers as usize).sum::<usize>(), papers);
    }
    // Papers without vectors for some of them: no panic, every vector placed.
    let vectors = Discovery::build(&subjects().papers, &VECTORS).vectors;
    assert_eq!(Layout::build(&vectors, &[]).len(), vectors.len());
}

#[test]
fn the_placeholder_layout_is_still_there_to_measure_against() {
    let bundle = subjects();
    let vectors = Discovery::build(&bundle.papers, &VECTORS).vectors;
    let placeholder = Layout::build_with(
        &vectors,
        &bundle.papers,
        &Options { method: Method::LeadingAxes, ..Options::default() },
    );
    assert_eq!(placeholder.len(), bundle.papers.len());
    assert_ne!(placeholder.points(), Layout::build(&vectors, &bundle.papers).points());
}

#[test]
fn bytes_round_trip_and_damage_is_refused() {
    let (_, layout) = map_of(&seed());
    assert!(!layout.clusters().is_empty());
    let bytes = layout.to_bytes();
    assert_eq!(Layout::from_bytes(&bytes), Ok(layout.clone()));
    for cut in 0..bytes.len() {
        assert!(Layout::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(Layout::from_bytes(&longer).is_err());
    let mut version = bytes.clone();
    version[4] = 2;
    assert_eq!(Layout::from_bytes(&version), Err(MapError::Version(2)));
    // Any one byte changed: read back or refused, never a panic.
    for at in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xa5;
        if let Ok(read) = Layout::from_bytes(&damaged) {
            assert_eq!(read.len(), layout.len());
        }
    }
}
