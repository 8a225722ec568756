//! The tag store: operations, undo/redo, rename and merge, hierarchy,
//! orphans, the storage envelope (migration, garbage, newer versions), and
//! property tests that export/import and merge never lose anything.

use std::collections::BTreeSet;

use folio::engine::tags::{
    decode, encode, merge, normalize_tag, preview_import, storage_key, DecodeError, PaperData, TagError,
    TagStore, UserData, NOTE_SEPARATOR,
};
use proptest::prelude::*;

const T: u64 = 1_700_000_000_000;

fn tags_of(store: &TagStore, id: &str) -> Vec<String> {
    store.paper(id).map(|p| p.tags.iter().cloned().collect()).unwrap_or_default()
}

#[track_caller]
fn check_normalize(input: &str, expected: Result<&str, TagError>) {
    assert_eq!(normalize_tag(input), expected.map(str::to_owned), "normalize_tag({input:?})");
}

#[test]
fn tag_names_are_cleaned_or_refused() {
    check_normalize("  to   read ", Ok("to read"));
    check_normalize("reading / now", Ok("reading/now"));
    check_normalize("Reading/Now", Ok("Reading/Now"));
    check_normalize("   ", Err(TagError::EmptyName));
    check_normalize("a//b", Err(TagError::EmptyLevel));
    check_normalize("/a", Err(TagError::EmptyLevel));
    check_normalize(&"x".repeat(101), Err(TagError::NameTooLong));
}

#[test]
fn adding_a_tag_is_case_insensitive_and_keeps_the_first_spelling() {
    let mut store = TagStore::default();
    assert_eq!(store.add_tag(&["p1"], "To Read", T), Ok(1));
    assert_eq!(store.add_tag(&["p1", "p2"], "to read", T), Ok(1));
    assert_eq!(tags_of(&store, "p2"), ["To Read"]);
    assert_eq!(store.all_tags(), ["To Read"]);
}

#[test]
fn bulk_tagging_and_untagging_count_the_papers_changed() {
    let mut store = TagStore::default();
    let ids: Vec<String> = (0..24).map(|i| format!("p{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(store.add_tag(&ids, "llm", T), Ok(24));
    assert_eq!(store.papers_with("llm").len(), 24);
    assert_eq!(store.remove_tag(&ids[..10], "LLM", T), 10);
    assert_eq!(store.papers_with("llm").len(), 14);
}

#[test]
fn every_operation_can_be_undone_and_redone() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "a", T).unwrap();
    store.set_starred(&["p1"], true, T);
    store.set_note("p1", "check table 2", T).unwrap();
    store.rename_tag("a", "b", T).unwrap();
    store.delete_tag("b", T);
    assert!(tags_of(&store, "p1").is_empty());
    assert!(store.undo()); // delete
    assert_eq!(tags_of(&store, "p1"), ["b"]);
    assert!(store.undo()); // rename
    assert_eq!(tags_of(&store, "p1"), ["a"]);
    assert!(store.undo()); // note
    assert_eq!(store.paper("p1").unwrap().note, "");
    assert!(store.undo()); // star
    assert!(!store.paper("p1").unwrap().starred);
    assert!(store.undo()); // add
    assert!(store.paper("p1").is_none());
    assert!(!store.undo());
    assert!(store.redo());
    assert_eq!(tags_of(&store, "p1"), ["a"]);
    store.add_tag(&["p2"], "c", T).unwrap();
    assert!(!store.can_redo(), "a new change clears the redo history");
}

#[test]
fn an_operation_that_changes_nothing_is_not_an_undo_step() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "a", T).unwrap();
    store.add_tag(&["p1"], "A", T).unwrap();
    store.remove_tag(&["p9"], "a", T);
    assert!(store.undo());
    assert!(!store.can_undo());
}

#[test]
fn renaming_onto_an_existing_tag_merges_them() {
    let mut store = TagStore::default();
    store.add_tag(&["p1", "p2"], "todo", T).unwrap();
    store.add_tag(&["p2", "p3"], "to read", T).unwrap();
    assert_eq!(store.rename_tag("todo", "To Read", T), Ok(2));
    assert_eq!(store.all_tags(), ["to read"]);
    assert_eq!(store.papers_with("to read"), ["p1", "p2", "p3"]);
    assert_eq!(tags_of(&store, "p2"), ["to read"]);
}

#[test]
fn renaming_a_parent_renames_its_children() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "reading/now", T).unwrap();
    store.add_tag(&["p2"], "reading/later", T).unwrap();
    store.add_tag(&["p3"], "readings", T).unwrap();
    store.rename_tag("reading", "queue", T).unwrap();
    assert_eq!(store.all_tags(), ["queue/later", "queue/now", "readings"]);
    assert_eq!(store.rename_tag("missing", "x", T), Err(TagError::NoSuchTag("missing".into())));
}

#[test]
fn deleting_a_tag_removes_it_and_its_children_everywhere() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "reading/now", T).unwrap();
    store.add_tag(&["p1", "p2"], "reading", T).unwrap();
    store.add_tag(&["p2"], "cite", T).unwrap();
    assert_eq!(store.delete_tag("reading", T), 2);
    assert_eq!(store.all_tags(), ["cite"]);
    assert!(store.paper("p1").is_none(), "a paper with nothing left is dropped from the data");
}

#[test]
fn the_tree_nests_levels_and_counts_papers_below_each_node() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "reading/now", T).unwrap();
    store.add_tag(&["p2"], "reading/later", T).unwrap();
    store.add_tag(&["p2", "gone"], "reading", T).unwrap();
    store.set_color("reading", Some("#FF8800")).unwrap();
    let tree = store.tree(|id| id != "gone");
    assert_eq!(tree.len(), 1);
    assert_eq!(
        (tree[0].name.as_str(), tree[0].count, tree[0].color.as_deref()),
        ("reading", 2, Some("#ff8800"))
    );
    let children: Vec<(&str, usize)> = tree[0].children.iter().map(|n| (n.label.as_str(), n.count)).collect();
    assert_eq!(children, [("later", 1), ("now", 1)]);
}

#[test]
fn colors_must_be_hex() {
    let mut store = TagStore::default();
    store.add_tag(&["p1"], "a", T).unwrap();
    assert_eq!(store.set_color("a", Some("red")), Err(TagError::BadColor("red".into())));
    assert_eq!(store.set_color("b", Some("#000000")), Err(TagError::NoSuchTag("b".into())));
}

#[test]
fn data_for_papers_outside_the_corpus_is_kept_and_counted() {
    let mut store = TagStore::default();
    store.add_tag(&["p1", "old1", "old2"], "a", T).unwrap();
    store.add_tag(&["old1"], "b", T).unwrap();
    let orphans = store.orphans(|id| id == "p1");
    assert_eq!((orphans.papers, orphans.tags), (2, 3));
    assert_eq!(store.papers_with("a").len(), 3);
}

#[test]
fn notes_have_a_limit() {
    let mut store = TagStore::default();
    assert_eq!(store.set_note("p1", &"x".repeat(10_001), T), Err(TagError::NoteTooLong));
    assert!(store.set_note("p1", "  fine  ", T).is_ok());
    assert_eq!(store.paper("p1").unwrap().note, "fine");
}

#[test]
fn the_envelope_round_trips_and_names_its_corpus() {
    let mut store = TagStore::default();
    store.add_tag(&["t-576499ffffc6"], "reading/now", T).unwrap();
    store.set_read(&["t-576499ffffc6"], true, T);
    let text = encode(store.data(), "seed", T);
    assert!(text.contains("\"app\": \"folio\""));
    let decoded = decode(&text).unwrap();
    assert_eq!((&decoded.data, decoded.corpus.as_str(), decoded.read_only), (store.data(), "seed", false));
    assert_eq!(storage_key("seed"), "folio:v1:seed:user-data");
}

#[test]
fn version_1_data_is_migrated() {
    let v1 = r#"{"app":"folio","version":1,"tags":{"p1":["to  read","cite"],"p2":[" "]}}"#;
    let decoded = decode(v1).unwrap();
    assert_eq!(decoded.version, 1);
    let p1 = &decoded.data.papers["p1"];
    assert_eq!(p1.tags.iter().collect::<Vec<_>>(), ["cite", "to read"]);
    assert!(!decoded.data.papers.contains_key("p2"));
}

#[track_caller]
fn check_decode_error(text: &str, expected: &str) {
    let err = decode(text).unwrap_err();
    assert_eq!(err.to_string(), expected);
}

#[test]
fn garbage_is_refused_with_a_reason() {
    check_decode_error("{\"app\":\"folio\",", "not JSON: EOF while parsing a value at line 1 column 15");
    check_decode_error("[1,2,3]", "not Folio user data (no \"app\": \"folio\" envelope)");
    check_decode_error(
        r#"{"app":"other","version":2}"#,
        "not Folio user data (no \"app\": \"folio\" envelope)",
    );
    check_decode_error(
        r#"{"app":"folio","kind":"user-data","version":2,"data":{"papers":{"p1":{"tags":"x"}}}}"#,
        "damaged Folio user data (format 2): invalid type: string \"x\", expected a sequence",
    );
    check_decode_error(
        r#"{"app":"folio","kind":"user-data","version":2,"data":{"papers":{"p1":{"tags":["a//b"]}}}}"#,
        "damaged Folio user data (format 2): paper p1 has an invalid tag \"a//b\"",
    );
}

#[test]
fn data_from_a_newer_version_opens_read_only() {
    let newer = r#"{"app":"folio","kind":"user-data","version":7,"data":{"papers":{"p1":{"tags":["a"],"rating":5}}}}"#;
    let decoded = decode(newer).unwrap();
    assert!(decoded.read_only);
    assert_eq!(decoded.data.papers["p1"].tags.len(), 1);
    assert_eq!(decode(r#"{"app":"folio","version":7,"data":[]}"#), Err(DecodeError::TooNew(7)));
}

#[test]
fn merge_keeps_both_notes_when_they_differ() {
    let mut a = UserData::default();
    a.papers.insert("p".into(), PaperData { note: "mine".into(), ..Default::default() });
    let mut b = UserData::default();
    b.papers.insert("p".into(), PaperData { note: "theirs".into(), starred: true, ..Default::default() });
    let merged = merge(&a, &b);
    assert_eq!(merged.papers["p"].note, format!("mine{NOTE_SEPARATOR}theirs"));
    assert!(merged.papers["p"].starred);
    assert_eq!(merge(&merged, &b), merged, "merging again changes nothing");
}

#[test]
fn the_import_preview_names_what_changes() {
    let mut current = TagStore::default();
    current.add_tag(&["p1"], "cite", T).unwrap();
    let mut incoming = TagStore::default();
    incoming.add_tag(&["p1", "p2"], "cite", T).unwrap();
    incoming.add_tag(&["p2"], "Method", T).unwrap();
    incoming.set_starred(&["p1"], true, T);
    let preview = preview_import(current.data(), incoming.data());
    assert_eq!(preview.new_tags, ["Method"]);
    assert_eq!((preview.papers_changed, preview.tags_added, preview.stars_added), (2, 2, 1));
    assert!(preview_import(incoming.data(), current.data()).is_empty());
}

fn arb_tag() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "B", "reading/now", "reading", "to read", "x/y/z"]).prop_map(str::to_owned)
}

fn arb_data() -> impl Strategy<Value = UserData> {
    prop::collection::btree_map(
        prop::sample::select(vec!["p1", "p2", "p3", "p4"]).prop_map(str::to_owned),
        (prop::collection::btree_set(arb_tag(), 0..4), any::<bool>(), any::<bool>(), "[a-z ]{0,12}"),
        0..4,
    )
    .prop_map(|papers| {
        let mut store = TagStore::default();
        for (id, (tags, starred, read, note)) in papers {
            for tag in tags {
                store.add_tag(&[&id], &tag, T).unwrap();
            }
            store.set_starred(&[&id], starred, T);
            store.set_read(&[&id], read, T);
            store.set_note(&id, &note, T).unwrap();
        }
        store.data().clone()
    })
}

fn tag_keys(data: &UserData, id: &str) -> BTreeSet<String> {
    data.papers.get(id).map(|p| p.tags.iter().map(|t| t.to_lowercase()).collect()).unwrap_or_default()
}

proptest! {
    #[test]
    fn export_then_import_is_the_identity(data in arb_data()) {
        let decoded = decode(&encode(&data, "c", T)).unwrap();
        prop_assert_eq!(decoded.data, data);
    }

    #[test]
    fn merge_never_loses_a_tag_star_read_mark_or_note(a in arb_data(), b in arb_data()) {
        let merged = merge(&a, &b);
        for side in [&a, &b] {
            for (id, paper) in &side.papers {
                let kept = &merged.papers[id];
                prop_assert!(tag_keys(side, id).is_subset(&tag_keys(&merged, id)));
                prop_assert!(!paper.starred || kept.starred);
                prop_assert!(!paper.read || kept.read);
                prop_assert!(kept.note.contains(paper.note.as_str()));
            }
        }
    }
}
