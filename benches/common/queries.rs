//! The documented query set (docs/search.md), shared by the search
//! benchmark, the pack benchmark and the sharded pack's parity test.

/// The documented query set (docs/search.md), by class. A trailing space
/// marks a finished word; without it the last word is a prefix.
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
