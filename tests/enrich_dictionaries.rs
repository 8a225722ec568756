//! The entity normalizer and dictionary files, on small fixtures.

use folio::engine::catalog::{entity_id, Catalog, EntityKind};
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::enrich::Dictionaries;

fn catalog() -> Catalog {
    Dictionaries::builtin().catalog()
}

/// The canonical names found in `text`, in order.
#[track_caller]
fn check(text: &str, expected: &[&str]) {
    let found: Vec<String> = catalog().find(text).into_iter().map(|m| m.name).collect();
    assert_eq!(found, expected, "entities in {text:?}");
}

#[track_caller]
fn check_resolve(query: &str, expected: &[&str]) {
    assert_eq!(catalog().resolve(query), expected, "resolve({query:?})");
}

#[test]
fn aliases_become_one_canonical_name() {
    for text in [
        "LLaMA-2-70B-Chat",
        "Llama2-Chat-70B",
        "Llama 2-Chat 70B",
        "Llama-2-70B Chat",
        "Llama 2 70B - chat model",
        "llama2-chat-70b",
        "LLaMA-2-Chat-70b",
        "70B Llama 2-Chat model",
        "Llama2-70B-Chat",
    ] {
        check(text, &["Llama-2-70B-Chat"]);
    }
    check("Llama-2-70B and LLAMA-2-70B base", &["Llama-2-70B", "Llama-2-70B"]);
    check("GPT4, gpt-3.5 turbo and Claude-2.1", &["GPT-4", "GPT-3.5 Turbo", "Claude 2.1"]);
    check("the Llama 2 family", &["Llama 2"]);
    check("Llama 2-Chat", &["Llama-2-Chat"]);
}

#[test]
fn size_ranges_yield_each_size() {
    check("Llama-2-Chat-7B/13B/70B", &["Llama-2-7B-Chat", "Llama-2-13B-Chat", "Llama-2-70B-Chat"]);
    check("llama-2-chat 7B & 70B", &["Llama-2-7B-Chat", "Llama-2-70B-Chat"]);
    check(
        "Llama 2-Chat models of sizes 7B, 13B, and 70B",
        &["Llama-2-7B-Chat", "Llama-2-13B-Chat", "Llama-2-70B-Chat"],
    );
    check("13B and 70B Llama2-Chat", &["Llama-2-13B-Chat", "Llama-2-70B-Chat"]);
    check("Me LLaMA 13/70B", &["Me-LLaMA-13B", "Me-LLaMA-70B"]);
    check("GPT-3.5/4", &["GPT-3.5", "GPT-4"]);
    check("Mixtral 8x7B and Mistral 7B", &["Mixtral-8x7B", "Mistral-7B"]);
}

#[test]
fn common_words_are_not_entities() {
    check("we solve math problems with a ruler", &[]);
    check("MATH and RULER", &["MATH", "RULER"]);
    check("two 7B models", &[]);
}

#[test]
fn spans_cover_the_mention() {
    let text = "We tune Llama 2-Chat 70B on GSM8K.";
    let found = catalog().find(text);
    let spans: Vec<(&str, EntityKind)> = found.iter().map(|m| (&text[m.start..m.end], m.kind)).collect();
    assert_eq!(spans, [("Llama 2-Chat 70B", EntityKind::Model), ("GSM8K", EntityKind::Benchmark)]);
    assert_eq!(found[0].family.as_deref(), Some("Llama 2"));
}

#[test]
fn queries_resolve_to_canonical_names() {
    check_resolve("llama2-chat-70b", &["Llama-2-70B-Chat"]);
    check_resolve("math", &["MATH"]);
    check_resolve("direct preference optimization", &["DPO"]);
    check_resolve("mt bench", &["MT-Bench"]);
    check_resolve("llama 2", &["Llama 2"]);
    check_resolve("nothing known", &[]);
}

#[test]
fn user_dictionaries_extend_the_builtin_ones() {
    let mut dictionaries = Dictionaries::builtin();
    let extra = r#"{
      "benchmarks": [{"name": "FooBench", "aliases": ["Foo Bench"]}],
      "series": [{"name": "Llama 2", "aliases": ["L2"]}],
      "topics": [{"name": "Foo studies", "terms": ["foo"]}]
    }"#;
    dictionaries.extend_from_json("extra.json", extra).expect("valid");
    let catalog = dictionaries.catalog();
    let names: Vec<String> =
        catalog.find("Foo Bench scores of L2-70B-chat").into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["FooBench", "Llama-2-70B-Chat"]);

    let text = "Foo Bench: a study\nWe study foo on FooBench with foo, because foo matters. \
        Foo is measured on many tasks, and we report what a careful reading of the foo literature \
        suggests about how foo should be evaluated in the future by everyone.\n";
    let options = CompileOptions { dictionaries, ..Default::default() };
    let bundle =
        compile(&[Input { name: "x.txt", bytes: text.as_bytes() }], &options).bundle.expect("compiles");
    let paper = &bundle.papers[0];
    assert!(paper.enrichment.entities.iter().any(|e| e.name == "FooBench"));
    assert!(paper.enrichment.topics.iter().any(|t| t.name == "Foo studies"));
    assert_eq!(bundle.corpus.catalog.resolve("foo bench"), ["FooBench"], "the bundle carries user entries");
}

#[test]
fn malformed_dictionaries_give_a_diagnostic_with_a_line() {
    let mut dictionaries = Dictionaries::builtin();
    let broken = "{\n  \"benchmarks\": [\n    {\"name\": \"A\",}\n  ]\n}\n";
    let diagnostic = dictionaries.extend_from_json("mine.json", broken).unwrap_err();
    assert_eq!((diagnostic.file.as_str(), diagnostic.line, diagnostic.is_error()), ("mine.json", 3, true));
    assert!(diagnostic.to_string().starts_with("mine.json:3:"), "{diagnostic}");

    let unknown = "{\n  \"modles\": []\n}";
    assert_eq!(dictionaries.extend_from_json("typo.json", unknown).unwrap_err().line, 2);

    let no_size = "{\"series\": [\n {\"name\": \"X\", \"sized\": \"X-7B\"}\n]}";
    assert_eq!(dictionaries.extend_from_json("s.json", no_size).unwrap_err().line, 2);

    let empty_name = "{\"methods\": [\n{\"name\": \"\"}]}";
    assert_eq!(dictionaries.extend_from_json("e.json", empty_name).unwrap_err().line, 2);
}

#[test]
fn the_catalog_round_trips_through_json() {
    let catalog = catalog();
    let json = serde_json::to_string(&catalog).unwrap();
    let again: Catalog = serde_json::from_str(&json).unwrap();
    assert_eq!(again, catalog);
    assert_eq!(again.resolve("Llama-2-Chat-70B"), ["Llama-2-70B-Chat"]);
}

/// What a query qualifier `kind:value` names: (kind, canonical name).
#[track_caller]
fn check_canonical(kind: EntityKind, value: &str, expected: Option<(EntityKind, &str)>) {
    let found = catalog().canonical(kind, value);
    let found = found.as_ref().map(|m| (m.kind, m.name.as_str()));
    assert_eq!(found, expected, "{}:{value}", kind.as_str());
}

#[test]
fn qualifier_values_have_one_canonical_entity() {
    use EntityKind::*;
    check_canonical(Model, "llama2-chat-70b", Some((Model, "Llama-2-70B-Chat")));
    check_canonical(Model, "llama-2-70b-chat", Some((Model, "Llama-2-70B-Chat")));
    check_canonical(Model, "Llama 2-Chat 70B", Some((Model, "Llama-2-70B-Chat")));
    check_canonical(Model, "llama2chat70b", Some((Model, "Llama-2-70B-Chat")));
    check_canonical(Model, "LLAMA-2-70B", Some((Model, "Llama-2-70B")));
    check_canonical(Model, "gpt4", Some((Model, "GPT-4")));
    check_canonical(Model, "mixtral-8x7b-instruct", Some((Model, "Mixtral-8x7B-Instruct")));
    check_canonical(Model, "llama 2", Some((Family, "Llama 2")));
    check_canonical(Family, "llama2", Some((Family, "Llama 2")));
    check_canonical(Family, "llama-2-chat-70b", Some((Family, "Llama 2")));
    check_canonical(Family, "gpt-4", Some((Family, "GPT")));
    check_canonical(Benchmark, "math", Some((Benchmark, "MATH")));
    check_canonical(Benchmark, "gsm8k", Some((Benchmark, "GSM8K")));
    check_canonical(Benchmark, "mt bench", Some((Benchmark, "MT-Bench")));
    check_canonical(Method, "direct preference optimization", Some((Method, "DPO")));
    check_canonical(Method, "cot", Some((Method, "chain-of-thought")));
    check_canonical(Method, "Speculative-Decoding", Some((Method, "speculative decoding")));
}

#[test]
fn qualifier_values_naming_no_single_entity_of_the_kind_give_none() {
    use EntityKind::*;
    check_canonical(Model, "gsm8k", None);
    check_canonical(Benchmark, "gpt-4", None);
    check_canonical(Model, "llama-2-chat 7b/13b", None);
    check_canonical(Model, "results of gpt-4", None);
    check_canonical(Model, "gpt-4 results", None);
    check_canonical(Method, "", None);
    check_canonical(Model, "unknownmodel", None);
}

#[test]
fn ids_read_back_as_their_entity() {
    let catalog = catalog();
    let data = catalog.data();
    let named = data
        .models
        .iter()
        .map(|e| (EntityKind::Model, &e.name))
        .chain(data.benchmarks.iter().map(|e| (EntityKind::Benchmark, &e.name)))
        .chain(data.methods.iter().map(|e| (EntityKind::Method, &e.name)));
    for (kind, name) in named {
        let id = entity_id(name);
        let back = catalog.canonical(kind, &id).map(|m| m.name);
        assert_eq!(back.as_deref(), Some(name.as_str()), "{} id {id:?}", kind.as_str());
    }
    assert_eq!(entity_id("Llama-2-70B-Chat"), "llama-2-70b-chat");
    assert_eq!(entity_id("GPT-3.5 Turbo"), "gpt-3.5-turbo");
    assert_eq!(entity_id("SpecDec++"), "specdec++");
}

#[test]
fn kinds_parse_from_qualifier_names() {
    for kind in EntityKind::ALL {
        assert_eq!(kind.as_str().parse::<EntityKind>(), Ok(kind));
    }
    assert_eq!("Model".parse::<EntityKind>(), Ok(EntityKind::Model));
    assert!("author".parse::<EntityKind>().is_err());
}
