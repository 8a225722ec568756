//! Search quality on the kinds of queries people type (docs/search-quality.md):
//! per kind, how many of the top 10 hold the words as typed, how much of a
//! word's top 10 its typos recover, how literal phrases are, how many
//! queries find nothing; Folio beside MiniSearch on the same papers.
//!
//!     cargo bench --bench quality
//!
//! Reads paperlists-87k from `FOLIO_CORPUS_DIR` (default `../shared/corpus`;
//! `FOLIO_QUALITY_PAPERS=N` keeps the first N papers) and says so without it.
//! MiniSearch runs in `node scripts/bench-quality.mjs` (minisearch from
//! `tests/e2e/node_modules`) on the papers and queries this bench writes to a
//! temporary folder; its answers are judged here, by the same code as
//! Folio's. `FOLIO_QUALITY_VERBOSE=1` prints every query;
//! `FOLIO_QUALITY_FOLIO_ONLY=1` skips MiniSearch (about a minute).

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/queries.rs"]
mod queries;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use folio::engine::analyze::{tokenize, TokenKind};
use folio::engine::bundle::Paper;
use folio::engine::enrich::Dictionaries;
use folio::engine::index::SearchIndex;
use folio::engine::query::Field;
use folio::engine::search::{run, CatalogResolver, SearchOptions};
use queries::{typo, QUALITY, TYPO_WORDS};

/// One query of the set: its kind, its text, and for a typo the word meant.
struct Case {
    kind: String,
    query: String,
    intended: Option<String>,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (kind, queries) in QUALITY {
        for q in *queries {
            cases.push(Case { kind: kind.to_string(), query: q.to_string(), intended: None });
        }
    }
    for edits in [1, 2] {
        for word in TYPO_WORDS {
            cases.push(Case {
                kind: format!("typo, {edits} edit{}", if edits > 1 { "s" } else { "" }),
                query: format!("{} ", typo(word, edits)),
                intended: Some(format!("{word} ")),
            });
        }
    }
    cases
}

/// What an engine answered: its best 10 papers and how many matched.
#[derive(Clone, Default)]
struct Answer {
    top: Vec<u32>,
    hits: usize,
    /// Folio only: no paper had all the words.
    fewer_words: bool,
}

/// The words of a query (folded, as the analyzer cuts them); `prefix`: the
/// last one is being typed.
fn words(query: &str) -> (Vec<String>, Option<String>) {
    let text = query.replace('"', " ");
    let mut words: Vec<String> =
        tokenize(&text).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect();
    let prefix = if query.ends_with(' ') || query.ends_with('"') { None } else { words.pop() };
    (words, prefix)
}

/// Judges answers against the papers' own words.
struct Judge<'a> {
    index: &'a SearchIndex,
    papers: &'a [Paper],
}

impl Judge<'_> {
    /// Papers with `term` in their title or abstract.
    fn having(&self, term: &str) -> HashSet<u32> {
        let Some(id) = self.index.find(term) else { return HashSet::new() };
        self.index
            .postings(id)
            .filter(|p| matches!(p.field, Field::Title | Field::Abstract))
            .map(|p| p.doc)
            .collect()
    }

    /// Papers holding every word as typed (and a word starting with the prefix).
    fn as_typed(&self, query: &str) -> HashSet<u32> {
        let (words, prefix) = words(query);
        let mut sets: Vec<HashSet<u32>> = words.iter().map(|w| self.having(w)).collect();
        if let Some(prefix) = prefix {
            let mut union = HashSet::new();
            for id in self.index.with_prefix(&prefix) {
                union.extend(self.having(self.index.term(id)));
            }
            sets.push(union);
        }
        sets.sort_by_key(HashSet::len);
        let Some((first, rest)) = sets.split_first() else { return HashSet::new() };
        first.iter().copied().filter(|d| rest.iter().all(|s| s.contains(d))).collect()
    }

    /// Whether the paper's title or abstract has the phrase's words in a row.
    fn literal(&self, doc: u32, phrase: &[String]) -> bool {
        let paper = &self.papers[doc as usize];
        [&paper.title, &paper.abstract_text].iter().any(|text| {
            let parts: Vec<String> =
                tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect();
            !phrase.is_empty() && parts.windows(phrase.len()).any(|w| w == phrase)
        })
    }

    /// The share of the query's words the paper has.
    fn coverage(&self, doc: u32, words: &[String]) -> f64 {
        let paper = &self.papers[doc as usize];
        let mut terms: HashSet<String> = HashSet::new();
        for text in [&paper.title, &paper.abstract_text] {
            terms.extend(tokenize(text).into_iter().map(|t| t.term));
        }
        let unique: HashSet<&String> = words.iter().collect();
        unique.iter().filter(|w| terms.contains(**w)).count() as f64 / unique.len().max(1) as f64
    }

    /// (numerator, denominator) of the kind's figure for one answer.
    fn figure(&self, case: &Case, answer: &Answer, intended: Option<&Answer>) -> (f64, f64) {
        if let Some(intended) = intended {
            let found = answer.top.iter().filter(|d| intended.top.contains(d)).count();
            return (found as f64, intended.top.len() as f64);
        }
        match case.kind.as_str() {
            "phrase" => {
                let (phrase, _) = words(&case.query);
                let literal = answer.top.iter().filter(|&&d| self.literal(d, &phrase)).count();
                (literal as f64, answer.top.len() as f64)
            }
            "question" => {
                let (words, _) = words(&case.query);
                let sum: f64 = answer.top.iter().map(|&d| self.coverage(d, &words)).sum();
                (sum, 10.0)
            }
            _ => {
                let typed = self.as_typed(&case.query);
                let found = answer.top.iter().filter(|d| typed.contains(d)).count();
                (found as f64, typed.len().min(10) as f64)
            }
        }
    }
}

fn what_is_measured(kind: &str) -> &'static str {
    match kind {
        "phrase" => "top 10 holding the phrase",
        "question" => "query words per top-10 paper",
        k if k.starts_with("typo") => "intended top 10 recovered",
        _ => "top 10 with the words as typed",
    }
}

fn main() {
    let path = corpus::corpus_dir().join("paperlists-87k.jsonl.gz");
    if !path.exists() {
        println!("paperlists-87k not found in {} (set FOLIO_CORPUS_DIR): nothing measured", path.display());
        return;
    }
    let mut papers = corpus::read_jsonl_gz(&path);
    if let Some(n) = std::env::var("FOLIO_QUALITY_PAPERS").ok().and_then(|n| n.parse().ok()) {
        papers.truncate(n);
    }
    let index = SearchIndex::from_papers(&papers);
    let catalog = Dictionaries::builtin().catalog();
    let resolver = CatalogResolver(&catalog);
    let options = SearchOptions { entities: &resolver, ..Default::default() };
    let cases = cases();
    let mut texts: Vec<String> = Vec::new();
    for case in &cases {
        for q in std::iter::once(&case.query).chain(&case.intended) {
            if !texts.contains(q) {
                texts.push(q.clone());
            }
        }
    }
    let folio: HashMap<String, Answer> = texts
        .iter()
        .map(|q| {
            let results = run(&index, q, &options);
            let top = results.top(10).iter().map(|h| h.doc).collect();
            (q.clone(), Answer { top, hits: results.hits.len(), fewer_words: results.fewer_words })
        })
        .collect();
    let mini = minisearch(&papers, &texts);
    println!(
        "{} papers ({}), {} queries",
        papers.len(),
        path.file_name().unwrap_or_default().to_string_lossy(),
        cases.len()
    );
    if mini.is_none() {
        println!("MiniSearch not run (node or tests/e2e/node_modules/minisearch missing, or FOLIO_QUALITY_FOLIO_ONLY): Folio only");
    }

    let judge = Judge { index: &index, papers: &papers };
    let verbose = std::env::var_os("FOLIO_QUALITY_VERBOSE").is_some();
    let mut kinds: Vec<&str> = Vec::new();
    for case in &cases {
        if !kinds.contains(&case.kind.as_str()) {
            kinds.push(&case.kind);
        }
    }
    println!(
        "\n{:<16} {:>3}  {:<31} {:>7} {:>10}  {:>12} {:>12}  {:>11}",
        "kind", "n", "figure", "Folio", "MiniSearch", "0 hits Folio", "MiniSearch", "fewer words"
    );
    for kind in kinds {
        let of_kind: Vec<&Case> = cases.iter().filter(|c| c.kind == kind).collect();
        let mut sums = [(0.0, 0.0); 2];
        let mut zero = [0; 2];
        let mut fewer = 0;
        for case in &of_kind {
            let mut line = format!("  {:<48}", format!("{:?}", case.query));
            for (e, answers) in [Some(&folio), mini.as_ref()].into_iter().enumerate() {
                let Some(answers) = answers else { continue };
                let answer = &answers[&case.query];
                let intended = case.intended.as_ref().map(|q| &answers[q]);
                let (num, den) = judge.figure(case, answer, intended);
                sums[e].0 += num;
                sums[e].1 += den;
                zero[e] += usize::from(answer.hits == 0);
                fewer += usize::from(e == 0 && answer.fewer_words);
                line += &format!(" {:>5.1}/{:<4} {:>7} hits", num, den, answer.hits);
            }
            if verbose {
                println!("{line}");
            }
        }
        let share = |(num, den): (f64, f64)| if den > 0.0 { format!("{:.2}", num / den) } else { "-".into() };
        let (mini_share, mini_zero) = match mini {
            Some(_) => (share(sums[1]), zero[1].to_string()),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{kind:<16} {:>3}  {:<31} {:>7} {mini_share:>10}  {:>12} {mini_zero:>12}  {fewer:>11}",
            of_kind.len(),
            what_is_measured(kind),
            share(sums[0]),
            zero[0],
        );
    }
}

/// MiniSearch's answers to `queries` over `papers`, from
/// `scripts/bench-quality.mjs`; `None` without node or minisearch.
fn minisearch(papers: &[Paper], queries: &[String]) -> Option<HashMap<String, Answer>> {
    if std::env::var_os("FOLIO_QUALITY_FOLIO_ONLY").is_some()
        || !Path::new("tests/e2e/node_modules/minisearch").exists()
    {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("folio-quality-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let mut lines = String::new();
    for paper in papers {
        lines += &serde_json::json!({"title": paper.title, "abstract": paper.abstract_text}).to_string();
        lines.push('\n');
    }
    std::fs::write(dir.join("papers.jsonl"), lines).ok()?;
    std::fs::write(dir.join("queries.json"), serde_json::to_string(queries).ok()?).ok()?;
    let status = Command::new("node")
        .args(["--max-old-space-size=8192", "scripts/bench-quality.mjs"])
        .arg(&dir)
        .status();
    let answers = status.ok().filter(|s| s.success()).and_then(|_| {
        let text = std::fs::read_to_string(dir.join("minisearch.json")).ok()?;
        let value: HashMap<String, serde_json::Value> = serde_json::from_str(&text).ok()?;
        Some(
            value
                .into_iter()
                .map(|(q, v)| {
                    let top = v["top"].as_array().map_or(Vec::new(), |ids| {
                        ids.iter().filter_map(|id| id.as_u64()).map(|id| id as u32).collect()
                    });
                    let hits = v["hits"].as_u64().unwrap_or(0) as usize;
                    (q, Answer { top, hits, fewer_words: false })
                })
                .collect(),
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    answers
}
