//! A deterministic synthetic corpus of any size made of real papers'
//! pieces, for measuring Folio past the real corpora (1M papers, issue 16).
//!
//! Paper `i` is drawn by a SplitMix64 generator seeded with `i`, from the
//! real papers given (the benches read acl-anthology-64k and
//! paperlists-87k, 152,079 papers): its title is the first half (in words)
//! of one real title and the second half of another; its abstract takes
//! its sentences in turn from two or three real abstracts (sentence `k`
//! from the `k`-th sentence of one of them, while it has one); its
//! authors, year and venue come from one more real paper. Every word and
//! sentence is real text; titles almost never repeat (about 2e10 pairs of
//! titles), so few papers are merged as duplicates. The same `n`
//! always gives the same corpus, byte for byte.

use serde_json::Value;

/// The parts of a real paper a synthetic one is made of.
pub struct Source {
    title: Vec<String>,
    sentences: Vec<String>,
    authors: Value,
    year: Value,
    venue: Value,
}

/// The sources of a JSON Lines corpus (records without a title or an
/// abstract are left out).
pub fn sources(jsonl: &str) -> Vec<Source> {
    jsonl
        .lines()
        .filter_map(|line| {
            let v: Value = serde_json::from_str(line).ok()?;
            let title: Vec<String> = v["title"].as_str()?.split_whitespace().map(str::to_owned).collect();
            let sentences: Vec<String> =
                v["abstract"].as_str()?.split_inclusive(". ").map(|s| s.trim().to_owned()).collect();
            (!title.is_empty() && !sentences.is_empty()).then(|| Source {
                title,
                sentences,
                authors: v["authors"].clone(),
                year: v["year"].clone(),
                venue: v["venue"].clone(),
            })
        })
        .collect()
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast, and the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `n` synthetic papers as JSON Lines, made of `sources` (not empty).
pub fn corpus(sources: &[Source], n: usize) -> String {
    let mut out = String::with_capacity(n * 1300);
    for i in 0..n {
        let mut rng = SplitMix(i as u64);
        let mut pick = || &sources[rng.below(sources.len())];
        let (first, second) = (pick(), pick());
        let mut title: Vec<&str> =
            first.title[..first.title.len().div_ceil(2)].iter().map(String::as_str).collect();
        title.extend(second.title[second.title.len() / 2..].iter().map(String::as_str));
        let parts = [pick(), pick(), pick()];
        let count = 2 + (i % 2);
        let mut sentences = Vec::new();
        for k in 0..parts[..count].iter().map(|p| p.sentences.len()).max().unwrap_or(0) {
            if let Some(sentence) = parts[k % count].sentences.get(k) {
                sentences.push(sentence.as_str());
            }
        }
        if sentences.is_empty() {
            sentences.push(parts[0].sentences[0].as_str());
        }
        let meta = pick();
        let paper = serde_json::json!({
            "id": format!("synthetic-{i}"),
            "title": title.join(" "),
            "abstract": sentences.join(" "),
            "authors": meta.authors,
            "year": meta.year,
            "venue": meta.venue,
        });
        out.push_str(&paper.to_string());
        out.push('\n');
    }
    out
}
