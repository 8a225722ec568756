//! The documented query set (docs/search.md), shared by the search
//! benchmark, the pack benchmark and the sharded pack's parity test.

/// The documented query set (docs/search.md), by class. A trailing space
/// marks a finished word; without it the last word is a prefix.
#[allow(dead_code)]
pub const QUERIES: &[(&str, &[&str])] = &[
    ("single word", &["language ", "robot ", "translation ", "graph ", "diffusion ", "attention "]),
    ("prefix mid-typing", &["transl", "reinfor", "segmenta", "lang", "neur", "speculative deco"]),
    ("typo", &["trnaslation ", "reinforcment ", "segmentaton ", "difusion ", "attenton ", "jailbrek "]),
    (
        "phrase",
        &[
            "\"machine translation\"",
            "\"large language models\"",
            "\"reinforcement learning\"",
            "\"graph neural network\"",
            "\"named entity recognition\"",
            "\"mixture of experts\"",
        ],
    ),
    (
        "entity name",
        &["GPT-4 ", "BERT ", "Llama-2-70B-Chat ", "llama2 chat 70b ", "MT-Bench ", "ResNet-50 ", "GSM8K "],
    ),
    (
        "qualifier/operator",
        &[
            "title:translation ",
            "author:smith ",
            "year:2020..2022 neural ",
            "-neural translation ",
            "lora OR adapter ",
            "model:gpt-4 ",
            "benchmark:mt-bench ",
        ],
    ),
    (
        "question",
        &[
            "safety fine-tuning of open chat models ",
            "how do robots learn to grasp unknown objects ",
            "can large language models reason about graphs ",
            "why do transformers fail at length generalization ",
            "which benchmark measures hallucination in summarization ",
            "pedestrian intent prediction for self-driving cars from lidar ",
        ],
    ),
    (
        "keystrokes",
        &[
            "m",
            "ma",
            "mac",
            "mach",
            "machi",
            "machin",
            "machine",
            "machine ",
            "machine t",
            "machine tr",
            "machine tra",
            "machine tran",
            "machine trans",
        ],
    ),
];

/// The typing sequences of the browser bench and `benches/explore.rs`
/// (every prefix is a keystroke).
#[allow(dead_code)]
pub const TYPING: [&str; 3] = ["machine translation", "speculative decoding", "graph neural"];

/// The quality query set (docs/search-quality.md), by kind: what people
/// type into a search box over the real corpora. Every word was checked to
/// occur in paperlists-87k. Typos are not listed: they are made from
/// [`TYPO_WORDS`] by [`typo`]. A trailing space marks a finished word.
#[allow(dead_code)]
pub const QUALITY: &[(&str, &[&str])] = &[
    (
        "single word",
        &[
            "transformer ",
            "diffusion ",
            "attention ",
            "planning ",
            "embedding ",
            "parsing ",
            "localization ",
            "calibration ",
            "grasping ",
            "tokenizer ",
            "detector ",
            "optimizer ",
        ],
    ),
    (
        "pair",
        &[
            "graph transformer ",
            "diffusion policy ",
            "contrastive learning ",
            "neural rendering ",
            "question answering ",
            "object detection ",
            "speech translation ",
            "visual navigation ",
            "sparse attention ",
            "domain adaptation ",
            "robot grasping ",
            "motion planner ",
        ],
    ),
    (
        "prefix",
        &["transf", "segmen", "reinforc", "quanti", "embedd", "diffusion pol", "object detec", "contrast"],
    ),
    (
        "phrase",
        &[
            "\"machine translation\"",
            "\"large language models\"",
            "\"reinforcement learning\"",
            "\"graph neural network\"",
            "\"named entity recognition\"",
            "\"mixture of experts\"",
            "\"neural radiance fields\"",
            "\"model predictive control\"",
        ],
    ),
    (
        "model name",
        &["GPT-4 ", "BERT ", "ResNet-50 ", "Llama 2 ", "CLIP ", "T5 ", "Stable Diffusion ", "ViT "],
    ),
    (
        "question",
        &[
            "safety fine-tuning of open chat models ",
            "how do robots learn to grasp unknown objects ",
            "can large language models reason about graphs ",
            "what makes contrastive learning work ",
            "does data augmentation help speech recognition ",
            "why do transformers fail at length generalization ",
            "which benchmark measures hallucination in summarization ",
            "pedestrian intent prediction for self-driving cars from lidar ",
        ],
    ),
];

/// The words whose typos the quality set searches ([`typo`]): one edit and
/// two edits of each, against the word itself.
#[allow(dead_code)]
pub const TYPO_WORDS: &[&str] = &[
    "reinforcement",
    "segmentation",
    "translation",
    "diffusion",
    "attention",
    "calibration",
    "manipulation",
    "navigation",
    "adversarial",
    "summarization",
    "jailbreak",
    "hallucination",
    "trajectory",
    "quantization",
];

/// `word` with `edits` typing mistakes (Levenshtein edits: a letter left
/// out, a letter added, a letter replaced by one next to it on a QWERTY
/// keyboard), never on the first letter, chosen by a hash of the word: the
/// same typo on every run. The result is exactly `edits` edits away.
#[allow(dead_code)]
pub fn typo(word: &str, edits: usize) -> String {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let neighbour = |c: char, pick: u64| -> char {
        let Some((row, at)) = ROWS.iter().find_map(|r| r.find(c).map(|at| (r.as_bytes(), at))) else {
            return 'e';
        };
        let left = at.checked_sub(1).map(|i| row[i]);
        let right = row.get(at + 1).copied();
        match (left, right) {
            (Some(l), Some(r)) => char::from(if pick % 2 == 0 { l } else { r }),
            (Some(x), None) | (None, Some(x)) => char::from(x),
            (None, None) => 'e',
        }
    };
    // FNV-1a of the word and the edit count, then xorshift.
    let mut state = word
        .bytes()
        .chain([edits as u8])
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    loop {
        let mut chars: Vec<char> = word.chars().collect();
        for _ in 0..edits {
            let (op, at) = (next() % 3, 1 + (next() as usize) % (chars.len() - 1).max(1));
            match op {
                0 if chars.len() > 2 => {
                    chars.remove(at.min(chars.len() - 1));
                }
                1 => chars.insert(at, neighbour(chars[at - 1], next())),
                _ => {
                    let at = at.min(chars.len() - 1);
                    chars[at] = neighbour(chars[at], next());
                }
            }
        }
        let typed: String = chars.into_iter().collect();
        if levenshtein(word, &typed) == edits {
            return typed;
        }
    }
}

/// Edit distance over characters (for [`typo`]).
#[allow(dead_code)]
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for j in 1..=b.len() {
            let above = row[j];
            row[j] = (above + 1).min(row[j - 1] + 1).min(diagonal + usize::from(ca != b[j - 1]));
            diagonal = above;
        }
    }
    row[b.len()]
}
