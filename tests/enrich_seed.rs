//! Enrichment of the seed corpus, checked against what its abstracts say.

use folio::engine::bundle::enrichment::LinkKind;
use folio::engine::bundle::{Bundle, Paper};
use folio::engine::catalog::EntityKind;
use folio::engine::compile::{compile, CompileOptions, Input};

fn seed() -> Bundle {
    let bytes = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
    let compiled = compile(&[Input { name: "seed.txt", bytes }], &CompileOptions::default());
    compiled.bundle.expect("the seed compiles")
}

fn paper<'b>(bundle: &'b Bundle, title_start: &str) -> &'b Paper {
    bundle
        .papers
        .iter()
        .find(|p| p.title.starts_with(title_start))
        .unwrap_or_else(|| panic!("no paper {title_start:?}"))
}

/// Titles (first words) of the papers naming `name`, in corpus order.
#[track_caller]
fn check_papers_naming(kind: EntityKind, name: &str, expected: &[&str]) {
    let bundle = seed();
    let found: Vec<&str> = bundle
        .papers
        .iter()
        .filter(|p| p.enrichment.entities.iter().any(|e| e.kind == kind && e.name == name))
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(found.len(), expected.len(), "papers naming {name}: {found:#?}");
    for (title, start) in found.iter().zip(expected) {
        assert!(title.starts_with(start), "papers naming {name}: expected {start:?}, found {title:?}");
    }
}

/// The paper names every one of `names` as an entity of `kind`.
#[track_caller]
fn check_names(title_start: &str, kind: EntityKind, names: &[&str]) {
    let bundle = seed();
    let p = paper(&bundle, title_start);
    let found: Vec<&str> = p.enrichment.entities_of(kind).map(|e| e.name.as_str()).collect();
    for name in names {
        assert!(found.contains(name), "{title_start}: {kind:?} {name} missing from {found:?}");
    }
}

#[test]
fn every_spelling_of_llama_2_70b_chat_is_one_model() {
    // LLaMA-2-70B-Chat, Llama-2-70B Chat, Llama-2-70b-chat, Llama 2 70B - chat,
    // Llama 2 70B-chat, Llama 2-Chat 70B, LLaMA-2-Chat-70b, Llama-2-Chat-70B,
    // llama-2-chat 7B & 70B, Llama-2-Chat-7B/13B/70B, Llama2-70B-Chat,
    // LLaMA2-chat-70B, 13B and 70B Llama2-Chat, Llama2-Chat-70B.
    check_papers_naming(
        EntityKind::Model,
        "Llama-2-70B-Chat",
        &[
            "BiTA",
            "ClimateGPT",
            "Nudging",
            "Iterative Reasoning Preference Optimization",
            "Mixtral of Experts",
            "Addressing cognitive bias",
            "SpecMemo",
            "LoRA Fine-tuning",
            "SALMON",
            "Multi-Task Inference",
            "SpecDec++",
            "Jailbreaking Leading",
            "Ethical Reasoning",
            "Hint-before-Solving",
            "Measuring and Controlling",
            "Aligning Large Language Models from Self-Reference",
            "Zephyr",
            "GRATH",
        ],
    );
}

#[test]
fn the_base_model_is_not_the_chat_model() {
    // "Llama 2 70B", "LLaMA-2-70b base", "LLAMA-2-70B", "llama2-70b", "Llama2-70B".
    check_papers_naming(
        EntityKind::Model,
        "Llama-2-70B",
        &["Mixtral of Experts", "SALMON", "Orca-Math", "Cerbero-7B", "Tuning Language Models by Proxy"],
    );
}

#[test]
fn size_ranges_yield_every_size() {
    let chat = ["Llama-2-7B-Chat", "Llama-2-13B-Chat", "Llama-2-70B-Chat"];
    check_names("Jailbreaking Leading", EntityKind::Model, &chat);
    check_names("LoRA Fine-tuning", EntityKind::Model, &chat);
    check_names("SpecDec++", EntityKind::Model, &["Llama-2-7B-Chat", "Llama-2-70B-Chat"]);
    check_names(
        "Aligning Large Language Models from Self",
        EntityKind::Model,
        &["Llama-2-13B-Chat", "Llama-2-70B-Chat"],
    );
    check_names("ClimateGPT", EntityKind::Model, &["ClimateGPT-7B", "ClimateGPT-13B", "ClimateGPT-70B"]);
    check_names(
        "Me LLaMA",
        EntityKind::Model,
        &["Me-LLaMA-13B", "Me-LLaMA-70B", "Me-LLaMA-13B-Chat", "Me-LLaMA-70B-Chat"],
    );
    check_names("Jailbreaking Leading", EntityKind::Model, &["GPT-3.5", "GPT-4", "Gemma-7B"]);
}

#[test]
fn other_models_and_families() {
    check_names(
        "Mixtral of Experts",
        EntityKind::Model,
        &["Mixtral-8x7B", "Mistral-7B", "Mixtral-8x7B-Instruct", "GPT-3.5 Turbo", "Claude 2.1", "Gemini Pro"],
    );
    check_names("Mixtral of Experts", EntityKind::Family, &["Mixtral"]);
    check_names(
        "Addressing cognitive bias",
        EntityKind::Model,
        &["GPT-4", "Mixtral-8x70B", "PaLM 2", "PMC-LLaMA-13B"],
    );
    check_names(
        "Nudging",
        EntityKind::Model,
        &["OLMo-7B", "OLMo-1B-Instruct", "OLMo-7B-Instruct", "Gemma-2-27B", "Llama-2-7B-Chat"],
    );
    check_names("Why Does the Effective", EntityKind::Model, &["Llama-3.1-70B", "Qwen2-72B", "Claude 2"]);
    check_names(
        "ChatQA 2",
        EntityKind::Model,
        &["ChatQA 2", "GPT-4 Turbo", "Llama-3-70B", "Llama3-ChatQA-2-70B"],
    );
    check_names("Orca-Math", EntityKind::Model, &["Orca-Math", "Mistral-7B", "WizardMath-70B", "Gemini Pro"]);
    check_names("Hint-before-Solving", EntityKind::Model, &["Llemma-7B", "WizardMath-13B", "GPT-3.5"]);
    check_names("Jailbreaking Leading", EntityKind::Family, &["Claude"]);
    check_names("Me LLaMA", EntityKind::Family, &["LLaMA", "Llama 2"]);
    check_names("ClimateGPT", EntityKind::Family, &["Llama 2"]);
}

#[test]
fn benchmarks_named_in_abstracts() {
    check_names("BiTA", EntityKind::Benchmark, &["MT-Bench"]);
    check_names("Iterative Reasoning", EntityKind::Benchmark, &["GSM8K", "MATH", "ARC-Challenge"]);
    check_names("SpecDec++", EntityKind::Benchmark, &["GSM8K", "HumanEval", "Alpaca dataset"]);
    check_names("GRATH", EntityKind::Benchmark, &["TruthfulQA"]);
    check_names("Tuning Language Models by Proxy", EntityKind::Benchmark, &["TruthfulQA"]);
    check_names("Orca-Math", EntityKind::Benchmark, &["GSM8K"]);
    check_names("Why Does the Effective", EntityKind::Benchmark, &["RULER", "InfiniteBench"]);
    check_names("Jailbreaking Leading", EntityKind::Benchmark, &["HarmBench"]);
    check_names("Zephyr", EntityKind::Benchmark, &["MT-Bench"]);
}

#[test]
fn math_the_word_is_not_the_benchmark() {
    // "Grade School Math", "HSPMATH" and "math problems" are not MATH.
    check_papers_naming(EntityKind::Benchmark, "MATH", &["Iterative Reasoning Preference Optimization"]);
}

#[test]
fn methods_named_in_abstracts() {
    check_names("Iterative Reasoning", EntityKind::Method, &["DPO", "chain-of-thought"]);
    check_names("GRATH", EntityKind::Method, &["DPO"]);
    check_names("Zephyr", EntityKind::Method, &["DPO", "SFT", "RLHF"]);
    check_names("SALMON", EntityKind::Method, &["SFT", "RLHF", "in-context learning"]);
    check_names("LoRA Fine-tuning", EntityKind::Method, &["LoRA", "RLHF", "red teaming"]);
    check_names("ChatQA 2", EntityKind::Method, &["RAG"]);
    check_names("SpecMemo", EntityKind::Method, &["speculative decoding"]);
    check_names("SpecDec++", EntityKind::Method, &["speculative decoding"]);
    check_names("Hint-before-Solving", EntityKind::Method, &["chain-of-thought"]);
    check_names("Mixtral of Experts", EntityKind::Method, &["mixture of experts"]);
    check_names("Jailbreaking Leading", EntityKind::Method, &["jailbreaking", "GCG", "in-context learning"]);
    check_names("Measuring and Controlling", EntityKind::Method, &["self-chat"]);
    check_names("Cerbero-7B", EntityKind::Method, &["self-chat", "masked language modeling"]);
    check_names(
        "Me LLaMA",
        EntityKind::Method,
        &["continued pre-training", "instruction tuning", "zero-shot learning", "few-shot learning"],
    );
}

#[test]
fn links_are_exact_and_classified() {
    let bundle = seed();
    let mut found: Vec<(String, LinkKind)> = Vec::new();
    for p in &bundle.papers {
        for link in &p.enrichment.links {
            assert_eq!(link.span.slice(p), link.url, "the span of a link is its URL");
            found.push((link.url.clone(), link.kind));
        }
    }
    let expected = [
        ("https://fywalter.github.io/nudging/", LinkKind::Page),
        ("https://github.com/guijinSON/MTI-Bench", LinkKind::Code),
        ("https://github.com/tml-epfl/llm-adaptive-attacks", LinkKind::Code),
        ("https://github.com/jinlanfu/HSP", LinkKind::Code),
        ("https://github.com/huggingface/alignment-handbook", LinkKind::Code),
        ("https://github.com/BIDS-Xu-Lab/Me-LLaMA", LinkKind::Code),
    ];
    let expected: Vec<(String, LinkKind)> = expected.iter().map(|(u, k)| (u.to_string(), *k)).collect();
    assert_eq!(found, expected);
    assert!(!paper(&bundle, "Nudging").enrichment.has_code());
    assert!(paper(&bundle, "Zephyr").enrichment.has_code());
}

#[test]
fn urls_are_not_read_as_entities() {
    // github.com/BIDS-Xu-Lab/Me-LLaMA spells a model name; only the prose counts.
    let bundle = seed();
    let p = paper(&bundle, "Me LLaMA");
    let url_start = p.abstract_text.find("https://").unwrap();
    assert!(p.enrichment.entities.iter().flat_map(|e| &e.spans).all(|s| s.start < url_start));
}

/// A key figure of the paper: its text as written and its benchmark.
#[track_caller]
fn check_figure(title_start: &str, text: &str, value: f64, unit: &str, benchmark: Option<&str>) {
    let bundle = seed();
    let p = paper(&bundle, title_start);
    let figure = p.enrichment.figures.iter().find(|f| f.text == text).unwrap_or_else(|| {
        panic!(
            "{title_start}: no figure {text:?} in {:#?}",
            p.enrichment.figures.iter().map(|f| &f.text).collect::<Vec<_>>()
        )
    });
    assert_eq!((figure.value, figure.unit.as_str(), figure.benchmark.as_deref()), (value, unit, benchmark));
    assert_eq!(figure.span.slice(p), text);
}

#[test]
fn key_figures_with_context() {
    check_figure("BiTA", "2.7times speedup on the MT-Bench", 2.7, "x", Some("MT-Bench"));
    check_figure("Iterative Reasoning", "81.6% on GSM8K", 81.6, "%", Some("GSM8K"));
    check_figure("Iterative Reasoning", "20.8% on MATH", 20.8, "%", Some("MATH"));
    check_figure("Iterative Reasoning", "88.7% with majority voting", 88.7, "%", Some("GSM8K"));
    check_figure("SpecDec++", "2.04x speedup on the Alpaca dataset", 2.04, "x", Some("Alpaca dataset"));
    check_figure("Orca-Math", "86.81% on GSM8k", 86.81, "%", Some("GSM8K"));
    check_figure("Multi-Task Inference", "1.46 times in average since", 1.46, "x", None);
    check_figure(
        "Why Does the Effective",
        "10 points on popular long-context benchmarks RULER",
        10.0,
        "points",
        Some("RULER"),
    );
    check_figure("GRATH", "54.71% and MC2 accuracy", 54.71, "%", Some("TruthfulQA"));
}

#[test]
fn every_span_slices_to_text_naming_its_entity() {
    let bundle = seed();
    let catalog = &bundle.corpus.catalog;
    let squash =
        |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let mut spans = 0;
    for p in &bundle.papers {
        for entity in &p.enrichment.entities {
            for span in &entity.spans {
                let slice = span.slice(p);
                let again: Vec<String> = catalog.find(slice).into_iter().map(|m| m.name).collect();
                assert!(
                    again.contains(&entity.name),
                    "{:?} does not name {} ({:?})",
                    slice,
                    entity.name,
                    p.title
                );
                if entity.kind == EntityKind::Model {
                    let head = entity.name.split(['-', ' ']).next().unwrap();
                    assert!(squash(slice).contains(&squash(head)), "{slice:?} does not spell {head}");
                }
                spans += 1;
            }
        }
    }
    assert!(spans > 150, "only {spans} spans");
}

#[test]
fn speculative_decoding_papers_are_neighbours() {
    let bundle = seed();
    let group = ["BiTA", "SpecMemo", "SpecDec++"];
    for a in group {
        let p = paper(&bundle, a);
        assert!(p.enrichment.similar.len() <= 5);
        for b in group.iter().filter(|b| **b != a) {
            let id = &paper(&bundle, b).id;
            assert!(p.enrichment.similar.iter().any(|s| &s.id == id), "{a} should list {b} as similar");
        }
    }
}

#[test]
fn topics_and_keyphrases_come_out() {
    let bundle = seed();
    let topics =
        |t: &str| paper(&bundle, t).enrichment.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert!(topics("SpecMemo").contains(&"Efficient inference".to_owned()));
    assert!(topics("Jailbreaking Leading").contains(&"Safety & robustness".to_owned()));
    assert!(topics("ChatQA 2").contains(&"Long context".to_owned()));
    assert!(topics("Cerbero-7B").contains(&"Multilingual".to_owned()));
    // Model names are facets of their own, not keyphrases.
    let mixtral: Vec<&str> =
        paper(&bundle, "Mixtral").enrichment.keyphrases.iter().map(|k| k.phrase.as_str()).collect();
    assert!(!mixtral.iter().any(|k| k.contains("mixtral") || k.contains("gemini")), "{mixtral:?}");
    let phrases: Vec<&str> =
        paper(&bundle, "SpecMemo").enrichment.keyphrases.iter().map(|k| k.phrase.as_str()).collect();
    assert!(phrases.contains(&"speculative decoding"), "{phrases:?}");
}

#[test]
fn enriched_bundle_round_trips() {
    let bundle = seed();
    let again = Bundle::from_json(&bundle.to_json()).expect("reads back");
    assert_eq!(again, bundle);
    assert_eq!(again.corpus.catalog.resolve("llama2-chat-70b"), ["Llama-2-70B-Chat"]);
}

/// The paper names exactly these entities of `kind` (in any order), no more.
#[track_caller]
fn check_exactly(bundle: &Bundle, title_start: &str, kind: EntityKind, names: &[&str]) {
    let p = paper(bundle, title_start);
    let mut found: Vec<&str> = p.enrichment.entities_of(kind).map(|e| e.name.as_str()).collect();
    let mut expected = names.to_vec();
    found.sort_unstable();
    expected.sort_unstable();
    assert_eq!(found, expected, "{title_start}: {kind:?}");
}

#[test]
fn every_model_the_seed_names_and_nothing_else() {
    // Read off the abstracts: "two 7B models", "7B-LLMs", "its truly-tuned
    // chat version" and hardware (Titan RTX, MI250) name no model.
    let bundle = seed();
    let models: [(&str, &[&str]); 24] = [
        ("BiTA", &["Llama-2-70B-Chat"]),
        ("ClimateGPT", &["ClimateGPT-7B", "ClimateGPT-13B", "ClimateGPT-70B", "Llama-2-70B-Chat"]),
        (
            "Nudging",
            &[
                "OLMo-7B",
                "OLMo-1B-Instruct",
                "OLMo-7B-Instruct",
                "Gemma-2-27B",
                "Llama-2-7B-Chat",
                "Llama-2-70B-Chat",
            ],
        ),
        ("Iterative Reasoning", &["Llama-2-70B-Chat"]),
        (
            "Mixtral of Experts",
            &[
                "Mixtral-8x7B",
                "Mistral-7B",
                "Llama-2-70B",
                "GPT-3.5",
                "Mixtral-8x7B-Instruct",
                "GPT-3.5 Turbo",
                "Claude 2.1",
                "Gemini Pro",
                "Llama-2-70B-Chat",
            ],
        ),
        // "Mixtral-8x70B" as written (sic), "PaLM-2", "PMC Llama 13B".
        (
            "Addressing cognitive",
            &["GPT-4", "Mixtral-8x70B", "GPT-3.5", "PaLM 2", "Llama-2-70B-Chat", "PMC-LLaMA-13B"],
        ),
        ("SpecMemo", &["Llama-2-70B-Chat"]),
        // "Llama 2-Chat" unsized is the model series, not a size.
        ("LoRA Fine-tuning", &["Llama-2-Chat", "Llama-2-7B-Chat", "Llama-2-13B-Chat", "Llama-2-70B-Chat"]),
        ("SALMON", &["Llama-2-70B", "Dromedary-2", "Llama-2-70B-Chat"]),
        ("Multi-Task Inference", &["Llama-2-70B-Chat", "GPT-4"]),
        // "ChatGPT-3.5" is ChatGPT; "Gemini-Pro" is Gemini Pro.
        (
            "Orca-Math",
            &["Orca-Math", "Phi-GSM", "Mistral-7B", "Llama-2-70B", "WizardMath-70B", "Gemini Pro", "ChatGPT"],
        ),
        ("SpecDec++", &["Llama-2-7B-Chat", "Llama-2-70B-Chat"]),
        (
            "Jailbreaking Leading",
            &[
                "GPT-4",
                "GPT-3.5",
                "Llama-2-7B-Chat",
                "Llama-2-13B-Chat",
                "Llama-2-70B-Chat",
                "Gemma-7B",
                "R2D2",
            ],
        ),
        // "GPT-4-128K" is GPT-4 with a 128K context.
        ("Why Does the Effective", &["Llama-3.1-70B", "Qwen2-72B", "GPT-4", "Claude 2", "Kimi-Chat"]),
        // "GPT-4-Turbo-2024-0409" is GPT-4 Turbo; "Llama3-70B-base" the base model.
        ("ChatQA 2", &["ChatQA 2", "GPT-4 Turbo", "Llama-3-70B", "Llama3-ChatQA-2-70B"]),
        ("Ethical Reasoning", &["GPT-4", "ChatGPT", "Llama-2-70B-Chat"]),
        ("Hint-before-Solving", &["Llama-2-70B-Chat", "Llemma-7B", "GPT-3.5", "WizardMath-13B"]),
        ("Measuring and Controlling", &["Llama-2-70B-Chat", "GPT-3.5"]),
        ("Aligning Large Language Models from Self", &["Llama-2-13B-Chat", "Llama-2-70B-Chat"]),
        ("Zephyr", &["Zephyr-7B", "Llama-2-70B-Chat"]),
        ("GRATH", &["Llama-2-70B-Chat"]),
        ("Cerbero-7B", &["Cerbero-7B", "Llama-2-70B", "ChatGPT"]),
        ("Tuning Language Models by Proxy", &["Llama-2-70B"]),
        (
            "Me LLaMA",
            &["ChatGPT", "Me-LLaMA-13B", "Me-LLaMA-70B", "Me-LLaMA-13B-Chat", "Me-LLaMA-70B-Chat", "GPT-4"],
        ),
    ];
    for (title, names) in models {
        check_exactly(&bundle, title, EntityKind::Model, names);
    }
}

#[test]
fn series_named_without_a_size_are_family_mentions() {
    // "Llama~2", "Llama-2-based", "Llama3-based", "LLaMA2", "Claude models".
    let bundle = seed();
    let families: [(&str, &[&str]); 7] = [
        ("ClimateGPT", &["ClimateGPT", "Llama 2"]),
        ("Iterative Reasoning", &["Llama 2"]),
        ("Mixtral of Experts", &["Mixtral"]),
        ("Jailbreaking Leading", &["Claude"]),
        ("ChatQA 2", &["Llama 3"]),
        ("Zephyr", &["Zephyr"]),
        ("Me LLaMA", &["Me LLaMA", "LLaMA", "Llama 2"]),
    ];
    let with_families: Vec<&str> = families.iter().map(|(t, _)| *t).collect();
    for (title, names) in families {
        check_exactly(&bundle, title, EntityKind::Family, names);
    }
    for p in &bundle.papers {
        if !with_families.iter().any(|t| p.title.starts_with(t)) {
            check_exactly(&bundle, &p.title, EntityKind::Family, &[]);
        }
    }
}

#[test]
fn models_carry_their_family() {
    let bundle = seed();
    let family_of = |name: &str| {
        bundle
            .papers
            .iter()
            .flat_map(|p| &p.enrichment.entities)
            .find(|e| e.name == name)
            .and_then(|e| e.family.clone())
            .unwrap_or_else(|| panic!("no model {name}"))
    };
    for (model, family) in [
        ("Llama-2-70B-Chat", "Llama 2"),
        ("Llama-2-70B", "Llama 2"),
        ("Mixtral-8x7B-Instruct", "Mixtral"),
        ("Mistral-7B", "Mistral"),
        ("GPT-3.5 Turbo", "GPT"),
        ("ChatGPT", "GPT"),
        ("Claude 2.1", "Claude"),
        ("Gemini Pro", "Gemini"),
        ("Llama-3.1-70B", "Llama 3"),
        ("Llama3-ChatQA-2-70B", "ChatQA"),
        ("Gemma-2-27B", "Gemma"),
        ("Qwen2-72B", "Qwen"),
        ("WizardMath-70B", "WizardLM"),
        ("Orca-Math", "Orca"),
    ] {
        assert_eq!(family_of(model), family, "family of {model}");
    }
}

/// Words inside a formula are notation, not what a paper is about: they
/// never become keyphrases, while the same words in prose still do.
#[test]
fn keyphrases_leave_out_the_words_of_formulas() {
    let corpus = [
        r#"{"title": "Divergence bounds for sampling", "abstract": "We bound the $\\alpha$-divergence by $\\alpha \\log \\alpha$ and show $\\alpha \\le \\log n$ for every $\\alpha$ and $\\log \\log n$ rounds of sampling."}"#,
        r#"{"title": "Greek letters in prose", "abstract": "The alpha release and the alpha testers of the alpha build found alpha bugs."}"#,
        r#"{"title": "Release notes", "abstract": "Notes on the alpha release: the alpha channel gets fixes first."}"#,
        r#"{"title": "Speculative decoding at scale", "abstract": "Speculative decoding drafts tokens and verifies them with a large model."}"#,
        r#"{"title": "Retrieval for question answering", "abstract": "Dense retrieval finds passages that answer open questions."}"#,
        r#"{"title": "Machine translation of rare words", "abstract": "Subword units translate rare words and names."}"#,
    ]
    .join("\n");
    let compiled = compile(&[Input { name: "math.jsonl", bytes: corpus.as_bytes() }], &CompileOptions::default());
    let bundle = compiled.bundle.expect("it compiles");
    let phrases = |title: &str| -> Vec<String> {
        paper(&bundle, title).enrichment.keyphrases.iter().map(|k| k.phrase.clone()).collect()
    };
    let notation = phrases("Divergence");
    assert!(
        !notation.iter().any(|p| p.split(' ').any(|w| w == "alpha" || w == "log")),
        "formula words as keyphrases: {notation:?}"
    );
    assert!(phrases("Greek").iter().any(|p| p.contains("alpha")), "prose keeps its words: {:?}", phrases("Greek"));
}
