//! Opening files the way the browser's compile worker does (`engine::open`):
//! the pack it makes is the one the CLI would make, `.gz` reads like the
//! plain file, a broken file is refused alone and says why, and papers
//! added to a corpus merge with it exactly as `folio compile` merges inputs,
//! enriched with that corpus's own dictionaries.

use std::io::Write;

use folio::engine::catalog::EntityKind;
use folio::engine::compile::{compile, compile_onto, CompileOptions, Input};
use folio::engine::explorer::Explorer;
use folio::engine::export::{export, ExportFormat};
use folio::engine::open::{
    bundle_of, byte_size, export_bundle, export_papers, files_of, open, open_with, pack_bundle, Message,
    OpenFile, Opened, Outcome, Pack, Progress, INDEXING,
};
use folio::engine::tags::{encode, TagStore, UserData};

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");
const SEED_NAME: &str = "000_aec88eee982df8fa.txt";
const BIB: &[u8] = include_bytes!("fixtures/exports/scholar-srush.bib");
const CSV: &[u8] = include_bytes!("fixtures/exports/zotero-mambo.csv");

fn file(name: &str, bytes: &[u8]) -> OpenFile {
    OpenFile { name: name.to_owned(), bytes: bytes.to_vec() }
}

#[track_caller]
fn opened(files: Vec<OpenFile>, base: Option<&[u8]>) -> (Opened, Vec<Progress>) {
    let mut steps = Vec::new();
    let opened = open(files, base, &mut |step| steps.push(step));
    (opened, steps)
}

/// The pack `folio compile --pack` writes for these inputs.
fn cli_pack(inputs: &[(&str, &[u8])]) -> Vec<u8> {
    cli_pack_with(inputs, &CompileOptions::default())
}

/// The pack `folio compile --pack` writes for these inputs with `options`
/// (`--entities`).
fn cli_pack_with(inputs: &[(&str, &[u8])], options: &CompileOptions) -> Vec<u8> {
    let inputs: Vec<Input<'_>> = inputs.iter().map(|&(name, bytes)| Input { name, bytes }).collect();
    packed(compile(&inputs, options).bundle.expect("inputs compile"))
}

/// The pack of `bundle` as `folio compile --pack` and the worker make it:
/// with the paper vectors, the map and the blended similar papers.
fn packed(mut bundle: folio::engine::bundle::Bundle) -> Vec<u8> {
    let shipped = folio::engine::discover::ship_bundle(&mut bundle, &Default::default(), |_| {});
    Explorer::new(bundle).with_discovery(shipped).into_pack().expect("packs")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn opening_the_seed_makes_the_pack_the_cli_makes_and_reports_each_stage() {
    let (opened, steps) = opened(vec![file(SEED_NAME, SEED)], None);
    assert_eq!(opened.outcome.failure, None);
    assert_eq!((opened.outcome.papers, opened.outcome.before), (24, 0));
    assert_eq!(opened.pack.as_ref().and_then(Pack::whole), Some(cli_pack(&[(SEED_NAME, SEED)]).as_slice()));
    let explorer = Explorer::from_pack(opened.pack.as_ref().and_then(Pack::whole).unwrap().to_vec()).unwrap();
    assert!(explorer.has_vectors() && explorer.has_map(), "the worker ships them too");
    let stages: Vec<&str> = steps.iter().map(|s| s.stage.as_str()).collect();
    for stage in ["reading", "extracting entities", INDEXING] {
        assert!(stages.contains(&stage), "no {stage:?} step in {stages:?}");
    }
    assert_eq!(steps.last().map(|s| s.papers), Some(24));
    assert_eq!(explorer.len(), 24);
}

#[test]
fn a_gzipped_file_opens_like_the_plain_one() {
    let (plain, _) = opened(vec![file("refs.bib", BIB)], None);
    let (gzipped, _) = opened(vec![file("refs.bib.gz", &gzip(BIB))], None);
    assert_eq!(gzipped.outcome.failure, None);
    assert!(plain.outcome.papers > 40, "{}", plain.outcome.papers);
    assert_eq!(gzipped.outcome.papers, plain.outcome.papers);
}

#[test]
fn a_broken_file_is_refused_alone_and_says_why() {
    let broken = b"\x1f\x8b\x08\x00 this is no gzip stream";
    let binary = b"PK\x03\x04\x00\x00 a zip file";
    let (opened, _) =
        opened(vec![file("papers.csv", CSV), file("old.bib.gz", broken), file("notes.docx", binary)], None);
    let Outcome { papers, refused, diagnostics, failure, .. } = &opened.outcome;
    assert_eq!(*failure, None);
    let refused: Vec<(&str, &str)> = refused.iter().map(|r| (r.file.as_str(), r.reason.as_str())).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert_eq!(refused[0].0, "old.bib.gz");
    assert!(refused[0].1.starts_with("not a valid gzip file"), "{}", refused[0].1);
    assert_eq!(refused[1], ("notes.docx", "binary data (NUL byte): not a text corpus"));
    assert!(diagnostics.iter().any(|d| d.file == "notes.docx" && d.is_error()));
    assert_eq!(opened.pack.as_ref().and_then(Pack::whole), Some(cli_pack(&[("papers.csv", CSV)]).as_slice()));
    assert!(*papers > 0);
}

#[test]
fn when_every_file_is_refused_nothing_is_opened() {
    let (opened, _) = opened(vec![file("empty.json", b"[]"), file("x.bib", b"no entries here")], None);
    assert!(opened.pack.is_none());
    assert_eq!(opened.outcome.papers, 0);
    assert_eq!(opened.outcome.refused.len(), 2, "{:?}", opened.outcome.refused);
    assert_eq!(opened.outcome.failure.as_deref(), Some("nothing was opened: every file was refused"));
}

#[test]
fn adding_files_to_a_corpus_gives_the_corpus_the_cli_compiles_from_all_of_them() {
    let base = cli_pack(&[(SEED_NAME, SEED)]);
    let (added, _) = opened(vec![file("refs.bib", BIB)], Some(&base));
    assert_eq!(added.outcome.failure, None);
    assert_eq!(added.outcome.before, 24);
    assert_eq!(
        added.pack.as_ref().and_then(Pack::whole),
        Some(cli_pack(&[(SEED_NAME, SEED), ("refs.bib", BIB)]).as_slice())
    );
}

#[test]
fn papers_added_to_a_corpus_are_enriched_with_its_own_dictionaries() {
    // `folio compile --entities mine.json`: a method and a topic the built-in
    // dictionaries do not know.
    let mine = r#"{"methods": [{"name": "Zorbling", "aliases": ["zorb tuning"]}],
                   "topics": [{"name": "Zorbology", "terms": ["zorbling", "zorb"]}]}"#;
    let mut options = CompileOptions::default();
    options.dictionaries.extend_from_json("mine.json", mine).unwrap();
    let base = cli_pack_with(&[(SEED_NAME, SEED)], &options);
    let new: &[u8] =
        br#"{"title": "Zorb tuning of small language models", "abstract": "We apply zorbling to models."}"#;
    let (added, _) = opened(vec![file("new.jsonl", new)], Some(&base));
    assert_eq!(added.outcome.failure, None);
    let pack = added.pack.as_ref().and_then(Pack::whole).expect("the file is added").to_vec();
    let bundle = bundle_of(&pack).unwrap();
    let paper = bundle.papers.iter().find(|p| p.title.starts_with("Zorb")).expect("the new paper is in");
    let methods: Vec<&str> = paper
        .enrichment
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Method)
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(methods, ["Zorbling"]);
    assert_eq!(bundle.corpus, bundle_of(&base).unwrap().corpus);
    assert_eq!(pack, cli_pack_with(&[(SEED_NAME, SEED), ("new.jsonl", new)], &options));
}

#[test]
fn adding_a_corpus_to_itself_merges_every_paper_as_a_duplicate() {
    let base = cli_pack(&[(SEED_NAME, SEED)]);
    let (added, _) = opened(vec![file("again.txt", SEED)], Some(&base));
    assert_eq!((added.outcome.before, added.outcome.papers), (24, 24));
    let duplicates =
        added.outcome.diagnostics.iter().filter(|d| d.message.starts_with("duplicate of the paper at"));
    assert_eq!(duplicates.count(), 24);
}

#[test]
fn adding_onto_a_bundle_json_gives_what_adding_onto_its_pack_gives() {
    let bundle =
        compile(&[Input { name: SEED_NAME, bytes: SEED }], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    let pack = packed(bundle);
    let (onto_json, _) = opened(vec![file("papers.csv", CSV)], Some(json.as_bytes()));
    let (onto_pack, _) = opened(vec![file("papers.csv", CSV)], Some(&pack));
    assert!(onto_json.pack.is_some());
    assert_eq!(onto_json.pack, onto_pack.pack);
}

#[test]
fn a_refused_file_added_to_a_corpus_leaves_the_others_to_merge() {
    let base = cli_pack(&[(SEED_NAME, SEED)]);
    let (added, _) = opened(vec![file("bad.json", b"{not json"), file("papers.csv", CSV)], Some(&base));
    assert_eq!(added.outcome.refused.len(), 1);
    assert_eq!(
        added.pack.as_ref().and_then(Pack::whole),
        Some(cli_pack(&[(SEED_NAME, SEED), ("papers.csv", CSV)]).as_slice())
    );
}

#[test]
fn an_unreadable_corpus_in_view_adds_nothing() {
    let (added, _) = opened(vec![file("papers.csv", CSV)], Some(b"FOLIOPAK cut short"));
    assert!(added.pack.is_none());
    let failure = added.outcome.failure.unwrap();
    assert!(failure.starts_with("the corpus in view could not be read (not a Folio pack)"), "{failure}");
}

#[test]
fn compiling_onto_a_bundle_equals_compiling_all_inputs_at_once() {
    let options = CompileOptions::default();
    let first = compile(&[Input { name: "a.bib", bytes: BIB }], &options).bundle.unwrap();
    let onto = compile_onto(
        first.papers,
        first.sources,
        &[Input { name: "b.csv", bytes: CSV }],
        &options,
        &mut |_| {},
    );
    let at_once =
        compile(&[Input { name: "a.bib", bytes: BIB }, Input { name: "b.csv", bytes: CSV }], &options);
    assert_eq!(onto.diagnostics.len(), at_once.diagnostics.len());
    assert_eq!(onto.bundle.unwrap().to_json(), at_once.bundle.unwrap().to_json());
}

#[test]
fn a_pack_reads_back_as_the_bundle_it_was_made_from() {
    let bundle = compile(&[Input { name: "a.bib", bytes: BIB }], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    let pack = Explorer::new(bundle).into_pack().unwrap();
    assert_eq!(bundle_of(&pack).unwrap().to_json(), json);
    assert_eq!(bundle_of(json.as_bytes()).unwrap().to_json(), json);
    assert!(bundle_of(b"\x00\x01").is_err());
}

#[test]
fn worker_messages_say_what_the_app_shows_and_read_back_from_their_json() {
    let (opened, steps) = opened(vec![file("x.bib", b"nothing"), file(SEED_NAME, SEED)], None);
    let done = Message::from(&opened.outcome);
    let Message::Done { papers, refused, diagnostics, .. } = &done else { panic!("{done:?}") };
    assert_eq!(*papers, 24);
    assert_eq!(refused, &["x.bib: no BibTeX entries found".to_owned()]);
    assert_eq!(diagnostics[0], "x.bib:1: error: no BibTeX entries found");
    let first = Message::from(&steps[0]);
    assert_eq!(
        first,
        Message::Progress {
            stage: "reading".into(),
            papers: 0,
            done: 0,
            total: (7 + SEED.len()) as u64,
            amount: "0 kB of 36 kB".into()
        }
    );
    let messages =
        steps.iter().map(Message::from).chain([done, Message::Ready, Message::Converted { failure: None }]);
    for message in messages {
        assert_eq!(Message::from_json(&message.to_json()), Some(message));
    }
    assert_eq!(Message::from_json("{\"kind\":\"launch\"}"), None);
}

#[test]
fn amounts_read_in_bytes_while_reading_and_in_papers_after() {
    let reading = Progress { stage: "reading".into(), done: 1_250_000, total: 34_049_999, papers: 3 };
    assert_eq!(reading.amount(), "1.3 MB of 34.0 MB");
    let extracting =
        Progress { stage: "extracting entities".into(), done: 1024, total: 24000, papers: 24000 };
    assert_eq!(extracting.amount(), "1024 of 24000 papers");
    let sizes = [0, 499, 500, 53_579, 999_499, 999_500, 34_049_999];
    let said = ["0 kB", "0 kB", "1 kB", "54 kB", "999 kB", "1.0 MB", "34.0 MB"];
    assert_eq!(sizes.map(byte_size), said);
}

#[test]
fn an_export_of_a_pack_is_its_bundle_json() {
    let bundle = compile(&[Input { name: "a.bib", bytes: BIB }], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    let pack = Explorer::new(bundle).into_pack().unwrap();
    assert_eq!(export_bundle(&pack), Ok(json));
    assert!(export_bundle(b"FOLIOPAK?").is_err());
}

#[test]
fn a_bundle_json_converted_to_a_pack_is_the_pack_the_cli_writes() {
    let bundle = compile(&[Input { name: "a.bib", bytes: BIB }], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    let pack = packed(bundle);
    assert_eq!(pack_bundle(json.as_bytes()).as_deref(), Ok(pack.as_slice()));
    assert_eq!(pack_bundle(&pack).as_deref(), Ok(pack.as_slice()));
    let damaged = pack_bundle(b"{\"schema_version\": 1, \"papers\": [").unwrap_err();
    assert!(damaged.contains("EOF"), "{damaged}");
}

/// Exports `ids` of the corpus `bytes` in `format` as the worker does, and
/// checks it against the engine's export of the same papers, in that order.
#[track_caller]
fn check_export(bytes: &[u8], ids: &[String], user: &UserData, format: ExportFormat) {
    let bundle = bundle_of(bytes).unwrap();
    let papers: Vec<_> = ids.iter().filter_map(|id| bundle.papers.iter().find(|p| &p.id == id)).collect();
    let expected = export(&papers, user, format);
    let exported = export_papers(bytes, ids, &encode(user, "", 0), format.extension());
    assert_eq!(exported.as_deref(), Ok(expected.as_str()), "{format:?}");
    assert!(!papers.is_empty());
}

#[test]
fn results_exported_by_the_worker_are_the_engines_export_of_those_papers_with_the_users_data() {
    let bundle = compile(&[Input { name: "a.bib", bytes: BIB }], &CompileOptions::default()).bundle.unwrap();
    let json = bundle.to_json();
    let ids: Vec<String> = bundle.papers.iter().rev().step_by(3).map(|p| p.id.clone()).collect();
    let pack = Explorer::new(bundle).into_pack().unwrap();
    let mut store = TagStore::new(UserData::default());
    store.add_tag(&[ids[0].as_str(), ids[1].as_str()], "to-read", 1).unwrap();
    let with_unknown: Vec<String> = ids.iter().cloned().chain(["arxiv:0000.00000".to_owned()]).collect();
    for format in ExportFormat::ALL {
        check_export(&pack, &ids, store.data(), format);
        check_export(json.as_bytes(), &with_unknown, store.data(), format);
    }
    let bibtex = export_papers(&pack, &ids[..1], &encode(store.data(), "", 0), "bib").unwrap();
    assert!(bibtex.contains("to-read"), "{bibtex}");
    assert!(export_papers(&pack, &ids, &encode(store.data(), "", 0), "docx").is_err());
    assert!(export_papers(&pack, &ids, "not user data", "bib").is_err());
}

#[test]
fn the_bundle_of_some_papers_of_a_sharded_pack_is_their_records_as_a_bundle() {
    use folio::engine::bundle::Bundle;
    use folio::engine::explorer::Explorer;
    use folio::engine::pack::shards::ShardKind;
    use folio::engine::pack::ShardSizes;
    let seed =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/000_aec88eee982df8fa.txt")).unwrap();
    let compiled = folio::engine::compile::compile(
        &[folio::engine::compile::Input { name: "seed.txt", bytes: &seed }],
        &Default::default(),
    );
    let bundle = compiled.bundle.expect("the seed compiles");
    let whole = Explorer::new(bundle.clone());
    let sizes = ShardSizes { records: 3000, ..ShardSizes::default() };
    let pack = Explorer::new(bundle).into_sharded(sizes).unwrap();
    let mut sharded = Explorer::from_head(&pack.head).unwrap();
    let docs = [3, 17, 0];
    assert_eq!(sharded.bundle_of(&docs), None, "no record shard held yet");
    for id in sharded.shard_ids(ShardKind::Records).collect::<Vec<_>>() {
        let path = sharded.shard_entry(id).unwrap().path();
        let bytes = &pack.shards.iter().find(|(p, _)| *p == path).unwrap().1;
        sharded.add_shard(id, bytes).unwrap();
    }
    let json = String::from_utf8(sharded.bundle_of(&docs).unwrap()).unwrap();
    let bundle = Bundle::from_json(&json).expect("a bundle the worker reads");
    let expected: Vec<_> = docs.iter().map(|&d| (*whole.paper(d)).clone()).collect();
    assert_eq!(bundle.papers, expected);
    assert_eq!(whole.bundle_of(&docs), None, "papers read from a bundle have no records");
}

/// The seed opened with every pack sharded (the threshold the browser
/// tests set), and its pack as the site's one-file pack.
fn opened_sharded() -> (folio::engine::pack::ShardedPack, Vec<u8>) {
    let sharded = open_with(vec![file(SEED_NAME, SEED)], None, 0, &mut |_| {});
    assert_eq!(sharded.outcome.failure, None);
    let Some(Pack::Sharded(pack)) = sharded.pack else { panic!("a threshold of 0 shards every pack") };
    (pack, cli_pack(&[(SEED_NAME, SEED)]))
}

#[test]
fn past_the_threshold_an_open_is_a_head_and_shards_that_answer_as_the_whole_pack() {
    use folio::engine::pack::shards::ShardKind;
    use folio::engine::view_state::ViewState;
    let (pack, whole) = opened_sharded();
    let whole = Explorer::from_pack(whole).unwrap();
    let mut explorer = Explorer::from_head(&pack.head).unwrap();
    assert!(explorer.has_vectors() || explorer.shard_ids(ShardKind::Vectors).count() > 0);
    for kind in ShardKind::ALL {
        for id in explorer.shard_ids(kind).collect::<Vec<_>>() {
            let path = explorer.shard_entry(id).unwrap().path();
            let bytes = &pack.shards.iter().find(|(p, _)| *p == path).expect("every named shard is made").1;
            explorer.add_shard(id, bytes).unwrap();
        }
    }
    let state = ViewState { query: "language models".to_owned(), ..ViewState::default() };
    let user = UserData::default();
    let facets = folio::engine::facets::FacetIndex::new(24);
    let sharded = explorer.try_explore(&state, &user, &facets).expect("every shard is held");
    assert_eq!(sharded.docs(), whole.explore(&state, &user, &facets).docs());
    // Below the threshold it stays one file.
    let small = open_with(vec![file(SEED_NAME, SEED)], None, usize::MAX, &mut |_| {});
    assert!(small.pack.as_ref().and_then(Pack::whole).is_some());
    assert!(open(vec![file(SEED_NAME, SEED)], None, &mut |_| {}).pack.unwrap().whole().is_some());
}

#[test]
fn a_kept_sharded_corpus_reads_back_as_its_bundle_and_exports_as_the_cli_pack() {
    let (pack, whole) = opened_sharded();
    let files = files_of(&pack);
    assert_eq!(bundle_of(&files).unwrap(), bundle_of(&whole).unwrap());
    assert_eq!(export_bundle(&files).unwrap(), export_bundle(&whole).unwrap());
    // The app pack exported is the one `folio compile --pack` writes,
    // vectors and map included (not blended twice).
    assert_eq!(pack_bundle(&files).unwrap(), whole);
    // Files added to it: what adding to the whole pack gives.
    let (onto_files, _) = opened(vec![file("papers.csv", CSV)], Some(&files));
    let (onto_whole, _) = opened(vec![file("papers.csv", CSV)], Some(&whole));
    assert!(onto_files.pack.is_some());
    assert_eq!(onto_files.pack, onto_whole.pack);
}

#[test]
fn a_kept_sharded_corpus_missing_a_shard_or_cut_short_is_refused_whole() {
    let (mut pack, _) = opened_sharded();
    let files = files_of(&pack);
    let cut = bundle_of(&files[..files.len() - 3]).unwrap_err();
    assert_eq!(cut, "the kept corpus's files are cut short");
    let (path, _) = pack.shards.pop().unwrap();
    let missing = bundle_of(&files_of(&pack)).unwrap_err();
    assert_eq!(missing, format!("the pack is damaged: the shard {path} is missing"));
}
