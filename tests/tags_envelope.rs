//! The storage envelope: round trip, migrations from hand-written older
//! documents, garbage and newer versions; import with preview.

use folio::engine::tags::{
    decode, encode, preview_import, storage_key, DecodeProblem, ImportPreview, PaperData, TagStore, UserData,
    USER_DATA_VERSION,
};

const T: u64 = 1_700_000_000_000;

fn sample() -> TagStore {
    let mut store = TagStore::default();
    store.add_tag(&["arxiv:2401.04088", "t-576499ffffc6"], "reading/now", T).unwrap();
    store.set_read(&["t-576499ffffc6"], true, T);
    store.set_starred(&["gone"], true, T);
    store.set_note("arxiv:2401.04088", "Sparse \"MoE\"; see §3\n— and table 2", T).unwrap();
    store.set_colors("reading", &["#ff8800", "#0000ff"]).unwrap();
    store
}

#[test]
fn the_envelope_has_the_documented_shape() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "a", T).unwrap();
    store.set_color("a", Some("#ff8800")).unwrap();
    assert_eq!(
        encode(store.data(), "seed", 42),
        r##"{"app":"folio","kind":"user-data","version":4,"corpus":"seed","saved_at":42,"data":{"papers":{"p1":{"tags":["a"],"updated":1700000000000}},"tags":{"a":{"colors":["#ff8800"]}}}}"##
    );
    assert_eq!(storage_key("seed"), "folio:v1:seed:user-data");
    assert_eq!(storage_key("/papers/"), "folio:v1:/papers/:user-data");
}

#[test]
fn the_envelope_round_trips() {
    let store = sample();
    let decoded = decode(&encode(store.data(), "seed", T)).unwrap();
    assert_eq!(&decoded.data, store.data());
    assert_eq!((decoded.corpus.as_str(), decoded.saved_at), ("seed", T));
    assert_eq!((decoded.read_only, decoded.version), (false, USER_DATA_VERSION));
}

#[test]
fn version_1_is_migrated() {
    // Version 1 kept tags only.
    let v1 = r#"{"app":"folio","version":1,"tags":{
        "p1": ["to  read", "cite", "Cite", "a//b", "/x/"],
        "p2": [" ", ""],
        "p3": []
    }}"#;
    let decoded = decode(v1).unwrap();
    assert_eq!((decoded.version, decoded.read_only, decoded.corpus.as_str()), (1, false, ""));
    let p1: Vec<&str> = decoded.data.papers["p1"].tags.iter().map(String::as_str).collect();
    assert_eq!(p1, ["a/b", "cite", "to read", "x"]);
    assert_eq!(decoded.data.papers.len(), 1, "papers left with no tag are not kept");
}

#[test]
fn version_2_is_migrated() {
    // Version 2 had one color per tag.
    let v2 = r##"{"app":"folio","kind":"user-data","version":2,"corpus":"seed","saved_at":5,
        "data":{"papers":{"p1":{"tags":["reading/now"],"starred":true,"read":true,"note":"n","updated":9}},
                "tags":{"reading":{"color":"#ff8800"},"reading/now":{},"old":{"color":null}}}}"##;
    let decoded = decode(v2).unwrap();
    assert_eq!((decoded.version, decoded.read_only, decoded.saved_at), (2, false, 5));
    assert_eq!(
        decoded.data.papers["p1"],
        PaperData {
            tags: ["reading/now".to_owned()].into(),
            starred: true,
            read: true,
            note: "n".into(),
            not_interested: false,
            updated: 9
        }
    );
    let store = TagStore::new(decoded.data);
    assert_eq!(store.colors("reading"), ["#ff8800"]);
    assert!(store.colors("old").is_empty());
}

#[track_caller]
fn check_garbage(text: &str, expected: &str) {
    let err = decode(text).unwrap_err();
    assert_eq!(err.to_string(), expected, "decode({text:?})");
    assert_eq!(err.raw, text, "the raw text is kept to be set aside");
}

#[test]
fn garbage_is_refused_with_a_reason_and_the_raw_text() {
    check_garbage("", "not JSON: EOF while parsing a value at line 1 column 0");
    check_garbage("{\"app\":\"folio\",", "not JSON: EOF while parsing a value at line 1 column 15");
    check_garbage("\u{0}\u{1}binary", "not JSON: expected value at line 1 column 1");
    check_garbage("[1,2,3]", "not Folio user data (no \"app\": \"folio\" envelope)");
    check_garbage("\"folio\"", "not Folio user data (no \"app\": \"folio\" envelope)");
    check_garbage(r#"{"app":"other","version":2}"#, "not Folio user data (no \"app\": \"folio\" envelope)");
    check_garbage(
        r#"{"app":"folio","kind":"bundle","version":2}"#,
        "a Folio file of another kind (\"bundle\"), not user data",
    );
    check_garbage(
        r#"{"app":"folio","kind":5,"version":3}"#,
        "a Folio file of another kind (5), not user data",
    );
    check_garbage(r#"{"app":"folio","kind":"user-data"}"#, "Folio user data without a version number");
    check_garbage(r#"{"app":"folio","version":"2"}"#, "Folio user data without a version number");
    check_garbage(
        r#"{"app":"folio","version":0}"#,
        "damaged Folio user data (format 0): there is no format 0",
    );
    check_garbage(
        r#"{"app":"folio","version":1,"tags":["a"]}"#,
        "damaged Folio user data (format 1): invalid type: sequence, expected a map",
    );
    check_garbage(
        r#"{"app":"folio","kind":"user-data","version":3,"data":{"papers":{"p1":{"tags":"x"}}}}"#,
        "damaged Folio user data (format 3): invalid type: string \"x\", expected a sequence",
    );
    check_garbage(
        r#"{"app":"folio","kind":"user-data","version":3,"data":{"papers":{"p1":{"tags":["a//b"]}}}}"#,
        "damaged Folio user data (format 3): paper p1 has an invalid tag \"a//b\"",
    );
    check_garbage(
        r#"{"app":"folio","kind":"user-data","version":3,"data":{"papers":{"p1":{"tags":["A","a"]}}}}"#,
        "damaged Folio user data (format 3): paper p1 has the tag \"a\" twice, in different case",
    );
    check_garbage(
        r#"{"app":"folio","kind":"user-data","version":3,"data":{"papers":{"":{"starred":true}}}}"#,
        "damaged Folio user data (format 3): a paper has an empty id",
    );
    check_garbage(
        r#"{"app":"folio","kind":"user-data","version":3,"data":{"tags":{"a":{"colors":["red"]}}}}"#,
        "damaged Folio user data (format 3): tag \"a\" has an invalid color \"red\"",
    );
    check_garbage(
        r##"{"app":"folio","kind":"user-data","version":2,"data":{"tags":{"a":"#ff0000"}}}"##,
        "damaged Folio user data (format 2): a tag's settings are not an object",
    );
}

#[test]
fn data_from_a_newer_version_opens_read_only_when_its_shape_is_known() {
    let newer = r#"{"app":"folio","kind":"user-data","version":7,"corpus":"c",
        "data":{"papers":{"p1":{"tags":["a"],"rating":5}},"views":[]}}"#;
    let decoded = decode(newer).unwrap();
    assert!(decoded.read_only);
    assert_eq!((decoded.version, decoded.corpus.as_str()), (7, "c"));
    assert_eq!(decoded.data.papers["p1"].tags.len(), 1);
    let reshaped = decode(r#"{"app":"folio","version":7,"data":{"papers":[["p1","a"]]}}"#).unwrap_err();
    assert_eq!(reshaped.problem, DecodeProblem::TooNew(7));
    assert_eq!(
        reshaped.to_string(),
        "written by a newer Folio (format 7) in a shape this version cannot read"
    );
}

#[test]
fn a_merged_note_over_the_typing_limit_still_loads() {
    let mut data = UserData::default();
    data.papers.insert("p1".into(), PaperData { note: "x".repeat(25_000), ..Default::default() });
    assert_eq!(decode(&encode(&data, "c", T)).unwrap().data, data);
}

#[test]
fn the_import_preview_names_what_changes_and_applying_matches_it() {
    let mut current = TagStore::default();
    current.add_tag(&["p1"], "cite", T).unwrap();
    current.set_note("p3", "mine", T).unwrap();
    let mut incoming = TagStore::default();
    incoming.add_tag(&["p1", "p2"], "CITE", T).unwrap();
    incoming.add_tag(&["p2"], "Method/MoE", T).unwrap();
    incoming.set_starred(&["p1"], true, T);
    incoming.set_read(&["p2"], true, T);
    incoming.set_note("p3", "theirs", T).unwrap();
    incoming.set_color("method", Some("#000000")).unwrap();
    let preview = preview_import(current.data(), incoming.data());
    assert_eq!(
        preview,
        ImportPreview {
            new_tags: vec!["Method/MoE".into()],
            papers_changed: 3,
            tags_added: 2,
            stars_added: 1,
            reads_added: 1,
            notes_changed: 1,
            not_interested_added: 0,
            colors_added: 1,
        }
    );
    assert_eq!(current.apply_import(incoming.data()), preview);
    assert_eq!(current.tags_of("p2"), ["cite", "Method/MoE"]);
    assert!(preview_import(current.data(), incoming.data()).is_empty(), "importing twice adds nothing");
    assert!(current.undo() && current.tags_of("p2").is_empty(), "an import is one undo step");
}

#[test]
fn a_malformed_import_is_an_error_and_changes_nothing() {
    let mut store = sample();
    let before = store.data().clone();
    let file = "{\"app\":\"folio\",\"version\":3,\"data\":{\"papers\":{\"p1\":{\"tags\":[\"\"]}}}}";
    let outcome = decode(file).map(|decoded| store.apply_import(&decoded.data));
    assert_eq!(
        outcome.unwrap_err().to_string(),
        "damaged Folio user data (format 3): paper p1 has an invalid tag \"\""
    );
    assert_eq!(store.data(), &before);
}

#[test]
fn not_interested_marks_round_trip_and_version_3_reads_without_them() {
    let mut store = sample();
    assert_eq!(store.set_not_interested(&["t-1", "t-2"], true, T), 2);
    let text = encode(store.data(), "seed", T);
    assert!(text.contains(r#""t-1":{"not_interested":true,"updated":1700000000000}"#), "{text}");
    let decoded = decode(&text).unwrap();
    assert_eq!(&decoded.data, store.data());
    assert_eq!(decoded.data.not_interested(), ["t-1", "t-2"]);
    let v3 = r#"{"app":"folio","kind":"user-data","version":3,"data":{"papers":{"p1":{"tags":["a"]}}}}"#;
    let decoded = decode(v3).unwrap();
    assert_eq!((decoded.version, decoded.read_only), (3, false));
    assert!(decoded.data.not_interested().is_empty());
}

#[test]
fn importing_not_interested_marks_is_previewed_and_undone_in_one_step() {
    let mut current = TagStore::default();
    current.add_tag(&["p1"], "cite", T).unwrap();
    let mut incoming = TagStore::default();
    incoming.set_not_interested(&["p1", "p2"], true, T);
    let preview = preview_import(current.data(), incoming.data());
    assert_eq!((preview.not_interested_added, preview.papers_changed), (2, 2));
    current.apply_import(incoming.data());
    assert_eq!(current.data().not_interested(), ["p1", "p2"]);
    assert!(current.undo());
    assert!(current.data().not_interested().is_empty());
}
