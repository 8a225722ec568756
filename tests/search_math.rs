//! Math in titles and abstracts, searched: a formula is found by its
//! letters however the query writes them (plain letters, Unicode symbols,
//! TeX), and highlighting a match in it highlights the whole formula.

use folio::engine::bundle::Paper;
use folio::engine::enrich::{enrich, Dictionaries};
use folio::engine::highlight::segments;
use folio::engine::index::SearchIndex;
use folio::engine::search::{run, CatalogResolver, SearchOptions, SearchResults};

/// (id, title, abstract)
const PAPERS: &[(&str, &str, &str)] = &[
    (
        "sparse",
        "Sparse Recovery with $\\ell_1$ Regularization",
        "We study $\\ell_1$-regularized least squares and bound its error by $O(\\sqrt{s \\log p / n})$.",
    ),
    (
        "divergence",
        "$\\alpha$-Divergence Variational Inference",
        "A family of divergences indexed by $\\alpha \\in (0, 1)$ between the forward and reverse KL.",
    ),
    (
        "attention",
        "An $\\mathcal{O}(n \\log n)$ Attention",
        "Attention in \\(\\mathcal{O}(n \\log n)\\) time over sequences of length $n$.",
    ),
    (
        "price",
        "Cheap Fine-Tuning",
        "With a budget of less than $200 per model and one GPU, we fine-tune a chat model.",
    ),
    ("plain", "Dropout as Regularization", "Dropout regularizes deep networks better than weight decay."),
];

fn papers() -> Vec<Paper> {
    PAPERS
        .iter()
        .enumerate()
        .map(|(line, (id, title, abstract_text))| {
            serde_json::from_value(serde_json::json!({
                "id": id, "title": title, "abstract": abstract_text,
                "source": {"file": "math", "line": line + 1},
            }))
            .expect("a fixture paper")
        })
        .collect()
}

struct Fixture {
    papers: Vec<Paper>,
    index: SearchIndex,
    catalog: folio::engine::catalog::Catalog,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut papers = papers();
        let corpus = enrich(&mut papers, &Dictionaries::builtin());
        let index = SearchIndex::from_papers(&papers);
        Fixture { papers, index, catalog: corpus.catalog }
    })
}

fn results(query: &str) -> SearchResults {
    let f = fixture();
    let resolver = CatalogResolver(&f.catalog);
    run(&f.index, query, &SearchOptions { entities: &resolver, ..Default::default() })
}

/// The ids found, best first.
#[track_caller]
fn check(query: &str, expected: &[&str]) {
    let got: Vec<&str> = results(query).top(usize::MAX).iter().map(|h| PAPERS[h.doc as usize].0).collect();
    assert_eq!(got, expected, "hits of {query:?}");
}

#[test]
fn a_formula_is_found_by_its_letters_however_they_are_written() {
    check("l1 regularization ", &["sparse"]);
    check("ℓ1 ", &["sparse"]);
    check("\\ell_1 ", &["sparse"]);
    check("$\\ell_1$ ", &["sparse"]);
    check("ℓ_1 regularized ", &["sparse"]);
    check("alpha divergence ", &["divergence"]);
    check("α-divergence ", &["divergence"]);
    check("\\alpha ", &["divergence"]);
    check("O(n log n) attention ", &["attention"]);
    check("\\mathcal{O}(n\\log n) ", &["attention"]);
}

#[test]
fn a_lone_dollar_is_a_price_not_math() {
    check("200 per model ", &["price"]);
}

#[test]
fn a_match_inside_a_formula_highlights_the_whole_formula() {
    for query in ["l1 ", "ℓ1 ", "\\ell_1 "] {
        let results = results(query);
        let paper = &fixture().papers[0];
        let highlights = results.highlights(paper);
        let title = segments(&paper.title, &highlights.title);
        let marked: Vec<(&str, bool)> =
            title.iter().filter(|s| s.highlighted).map(|s| (s.text.as_str(), s.math)).collect();
        assert_eq!(marked, [("$\\ell_1$", true)], "{query:?}: {title:?}");
        let snippet = results.snippet(paper, 8);
        assert!(
            snippet.iter().any(|s| s.highlighted && s.math && s.text == "$\\ell_1$"),
            "{query:?}: {snippet:?}"
        );
    }
}
