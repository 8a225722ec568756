//! A generated corpus of a small vocabulary (many ties, common words in
//! most papers): what the top-k tests rank, whole and sharded.

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};

/// A corpus of `n` papers drawn from a vocabulary of 40 words by a
/// generator seeded with `seed`, as JSON Lines: titles of 3-6 words,
/// abstracts of 10-40, a year and a venue of a few.
pub fn generated(seed: u64, n: usize) -> Bundle {
    const WORDS: [&str; 40] = [
        "model",
        "models",
        "modeling",
        "language",
        "learning",
        "learned",
        "graph",
        "graphs",
        "neural",
        "network",
        "networks",
        "machine",
        "translation",
        "translate",
        "robot",
        "robots",
        "policy",
        "diffusion",
        "attention",
        "transformer",
        "transformers",
        "transform",
        "data",
        "dataset",
        "the",
        "of",
        "a",
        "and",
        "mixture",
        "experts",
        "expert",
        "reasoning",
        "reason",
        "large",
        "small",
        "chat",
        "safety",
        "open",
        "fine",
        "tuning",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut text = String::new();
    for i in 0..n {
        let words = |count: usize, next: &mut dyn FnMut(usize) -> usize| {
            (0..count).map(|_| WORDS[next(WORDS.len())]).collect::<Vec<_>>().join(" ")
        };
        let title_words = 3 + next(4);
        let title = format!("{} {i}", words(title_words, &mut next));
        let abstract_words = 10 + next(31);
        let abstract_text = words(abstract_words, &mut next);
        let year = 2018 + next(7);
        let venue = ["ACL", "NeurIPS", "ICML", "CoRL"][next(4)];
        text.push_str(
            &serde_json::json!({"title": title, "abstract": abstract_text, "year": year, "venue": venue})
                .to_string(),
        );
        text.push('\n');
    }
    compile(&[Input { name: "generated.jsonl", bytes: text.as_bytes() }], &CompileOptions::default())
        .bundle
        .expect("the generated corpus compiles")
}
