//! The app pack (`bundle.pack`): an explorer read from it behaves exactly as
//! one built from the bundle, on the seed corpus; a damaged pack is refused
//! whole or, where only a record is damaged, that paper says so; nothing
//! panics; and the CLI writes packs beside bundles, all or nothing.

mod common;
use common::temp_dir;

use std::path::Path;
use std::process::Command;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::Explorer;
use folio::engine::pack::{PackError, MAGIC, PACK_VERSION};
use folio::engine::tags::TagStore;
use folio::engine::view_state::{Sort, ViewState};
use proptest::prelude::*;

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");

fn seed_bundle() -> Bundle {
    compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle.unwrap()
}

/// The seed's pack (made once per test binary).
fn seed_pack() -> Vec<u8> {
    static PACK: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PACK.get_or_init(|| Explorer::new(seed_bundle()).into_pack().unwrap()).clone()
}

/// Length of the header before the index section: magic, version, checksum, index length.
const HEADER: usize = 8 + 4 + 8 + 8;

fn index_len(pack: &[u8]) -> usize {
    u64::from_le_bytes(pack[20..28].try_into().unwrap()) as usize
}

fn views() -> Vec<ViewState> {
    let view = |query: &str, sort: Sort| ViewState { query: query.to_owned(), sort, ..Default::default() };
    let mut filtered = view("", Sort::Title);
    filtered.selection.include("model", "Mixtral-8x7B");
    let mut excluded = view("language", Sort::Relevance);
    excluded.selection.exclude("topic", "Safety & alignment");
    vec![
        view("", Sort::Corpus),
        view("", Sort::Title),
        view("language models", Sort::Relevance),
        view("\"large language models\"", Sort::Relevance),
        view("jailbrek", Sort::Relevance),
        view("llama2 chat 70b", Sort::Relevance),
        view("model:gpt-4 -safety", Sort::Year),
        view("speculative deco", Sort::Relevance),
        view("zzzqqq", Sort::Relevance),
        filtered,
        excluded,
    ]
}

#[test]
fn a_pack_explores_exactly_like_the_bundle_it_was_made_from() {
    let built = Explorer::new(seed_bundle());
    let packed = Explorer::from_pack(seed_pack()).unwrap();
    assert_eq!(packed.len(), 24);
    assert_eq!(packed.len(), built.len());
    for doc in 0..built.len() as u32 {
        assert_eq!(packed.try_id(doc).unwrap(), built.try_id(doc).unwrap());
        assert_eq!(packed.paper(doc), built.paper(doc), "paper {doc} decodes to the bundle's record");
        assert_eq!(packed.try_doc(built.try_id(doc).unwrap()), Ok(Some(doc)));
    }
    let mut store = TagStore::default();
    store.add_tag(&[built.try_id(2).unwrap(), built.try_id(5).unwrap()], "to-read", 1).unwrap();
    store.set_starred(&[built.try_id(5).unwrap()], true, 1);
    let user = store.data();
    let (built_facets, packed_facets) = (built.user_facets(user), packed.user_facets(user));
    let mut nonempty = 0;
    for view in
        views().into_iter().chain([ViewState { query: "tag:to-read".to_owned(), ..Default::default() }])
    {
        let a = built.explore(&view, user, &built_facets);
        let b = packed.explore(&view, user, &packed_facets);
        assert_eq!(a, b, "{view:?}");
        nonempty += usize::from(!a.is_empty());
        for &doc in a.first(3) {
            assert_eq!(built.highlights(&a, doc), packed.highlights(&b, doc));
            assert_eq!(built.snippet(&a, doc), packed.snippet(&b, doc));
            assert_eq!(built.explain(&a, user, doc), packed.explain(&b, user, doc));
        }
    }
    assert!(nonempty >= 9, "the views exercise real results ({nonempty} non-empty)");
}

#[test]
fn a_pack_of_a_pack_is_the_same_pack() {
    let pack = seed_pack();
    let again = Explorer::from_pack(pack.clone()).unwrap().into_pack().unwrap();
    assert!(pack == again, "a pack re-encodes to the same bytes");
    let fresh = Explorer::new(seed_bundle()).into_pack().unwrap();
    assert!(fresh == pack, "packing the same bundle twice gives the same bytes");
}

#[test]
fn damaged_packs_are_refused_whole_with_the_reason() {
    let pack = seed_pack();
    let with = |at: usize, byte: u8| {
        let mut p = pack.clone();
        p[at] = byte;
        p
    };
    let index_end = HEADER + index_len(&pack);
    let mut newer = pack.clone();
    newer[8..12].copy_from_slice(&(PACK_VERSION + 1).to_le_bytes());
    let newer_message = format!("the pack has version {}", PACK_VERSION + 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not a Folio pack"),
        ("magic only", MAGIC.to_vec(), "not a Folio pack"),
        ("HTML error page", b"<!doctype html><title>404</title>".repeat(4), "not a Folio pack"),
        ("bundle.json served as the pack", seed_bundle().to_json().into_bytes(), "not a Folio pack"),
        ("newer version", newer, &newer_message),
        ("a flipped index byte", with(HEADER + 40, pack[HEADER + 40] ^ 0x55), "checksum mismatch"),
        ("a flipped checksum byte", with(12, pack[12] ^ 1), "checksum mismatch"),
        ("cut inside the index", pack[..index_end - 10].to_vec(), "shorter than its index"),
        ("cut inside the records", pack[..pack.len() - 10].to_vec(), "does not match its 24 papers"),
    ];
    for (name, bytes, message) in cases {
        let err = Explorer::from_pack(bytes).err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(err.to_string().contains(message), "{name}: {err}");
    }
    assert!(matches!(
        Explorer::from_pack(with(HEADER + 40, pack[HEADER + 40] ^ 0x55)),
        Err(PackError::Checksum)
    ));
}

#[test]
fn a_damaged_record_damages_only_its_paper_and_says_so() {
    let pack = seed_pack();
    let built = Explorer::new(seed_bundle());
    // The first record starts right after the index section: break its JSON.
    let mut damaged = pack.clone();
    let first_record = HEADER + index_len(&pack);
    assert_eq!(damaged[first_record], b'{');
    damaged[first_record] = b'#';
    let explorer = Explorer::from_pack(damaged).unwrap();
    let paper = explorer.paper(0);
    assert_eq!(paper.id, built.try_id(0).unwrap());
    assert!(paper.title.contains("damaged"), "{}", paper.title);
    for doc in 1..24 {
        assert_eq!(explorer.paper(doc), built.paper(doc));
    }
    // Search still finds it by its indexed words and shows the placeholder.
    let results = explorer.explore(
        &ViewState { query: built.paper(0).title.clone(), ..Default::default() },
        &Default::default(),
        &explorer.user_facets(&Default::default()),
    );
    assert_eq!(results.docs().first(), Some(&0));
    let _ = explorer.snippet(&results, 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any byte changed anywhere, or the file cut anywhere: refused, or read
    /// and usable, never a panic.
    #[test]
    fn no_damage_makes_reading_a_pack_panic(at in 0usize..1_000_000, byte in any::<u8>(), cut in any::<bool>()) {
        let mut pack = seed_pack();
        let at = at % pack.len();
        if cut {
            pack.truncate(at);
        } else {
            pack[at] = byte;
        }
        if let Ok(explorer) = Explorer::from_pack(pack) {
            let user = Default::default();
            let facets = explorer.user_facets(&user);
            for query in ["language", "\"language models\"", ""] {
                let results = explorer.explore(&ViewState { query: query.to_owned(), ..Default::default() }, &user, &facets);
                for &doc in results.first(5) {
                    let _ = explorer.snippet(&results, doc);
                    let _ = explorer.explain(&results, &user, doc);
                }
            }
            for doc in 0..explorer.len() as u32 {
                let _ = explorer.paper(doc);
            }
        }
    }
}

fn folio(args: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_folio")).args(args).output().expect("folio runs")
}

#[test]
fn the_cli_writes_the_pack_beside_the_bundle_and_packs_a_bundle() {
    let dir = temp_dir("pack-cli");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000_aec88eee982df8fa.txt");
    let (json, pack) = (dir.join("bundle.json"), dir.join("bundle.pack"));
    let out = folio(&[Path::new("compile"), &seed, Path::new("--out"), &json, Path::new("--pack"), &pack]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read(&pack).unwrap();
    let mut bundle = Bundle::from_json(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // With the vectors, the map and the blended similar papers it ships.
    let shipped = folio::engine::discover::ship_bundle(&mut bundle, &Default::default(), |_| {});
    let expected = Explorer::new(bundle).with_discovery(shipped).into_pack().unwrap();
    assert!(written == expected, "the compiler's pack is the engine's pack of the bundle it wrote");

    let again = dir.join("again.pack");
    let out = folio(&[Path::new("pack"), &json, Path::new("--out"), &again]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&again).unwrap() == written, "folio pack gives the compiler's pack");

    // A bad bundle: an error naming it, exit 2, no pack written.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 2, \"papers\": [").unwrap();
    let none = dir.join("none.pack");
    let out = folio(&[Path::new("pack"), &bad, Path::new("--out"), &none]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json: not a readable bundle"));
    assert!(!none.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
