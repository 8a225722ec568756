//! Merging (import and other tabs) and the properties nothing may break:
//! export then import is the identity, merge never loses a tag, star, read
//! mark, note or color, undo then redo walks back and forth exactly.

use std::collections::BTreeSet;

use folio::engine::tags::{
    decode, encode, merge, merge_three_way, PaperData, TagStore, UserData, NOTE_SEPARATOR,
};
use proptest::prelude::*;

const T: u64 = 1_700_000_000_000;

fn paper(tags: &[&str], starred: bool, read: bool, note: &str) -> PaperData {
    PaperData {
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        starred,
        read,
        note: note.into(),
        not_interested: false,
        updated: T,
    }
}

fn data(papers: &[(&str, PaperData)]) -> UserData {
    UserData {
        papers: papers.iter().map(|(id, p)| ((*id).to_owned(), p.clone())).collect(),
        ..Default::default()
    }
}

#[test]
fn merge_is_a_union_that_keeps_both_notes_when_they_differ() {
    let a =
        data(&[("p", paper(&["x", "Cite"], false, true, "mine")), ("q", paper(&["q"], false, false, ""))]);
    let b = data(&[("p", paper(&["cite", "y"], true, false, "theirs")), ("r", paper(&[], true, false, ""))]);
    let merged = merge(&a, &b);
    assert_eq!(
        merged.papers["p"],
        paper(&["Cite", "x", "y"], true, true, &format!("mine{NOTE_SEPARATOR}theirs"))
    );
    assert_eq!(merged.papers.keys().collect::<Vec<_>>(), ["p", "q", "r"]);
    assert_eq!(merge(&merged, &b), merged, "merging again changes nothing");
    assert_eq!(merge(&merged, &a), merged);
}

#[test]
fn a_note_that_contains_the_other_is_kept_alone() {
    let short = data(&[("p", paper(&[], false, false, "see table 2"))]);
    let long = data(&[("p", paper(&[], false, false, "see table 2, and figure 3"))]);
    assert_eq!(merge(&short, &long).papers["p"].note, "see table 2, and figure 3");
    assert_eq!(merge(&long, &short).papers["p"].note, "see table 2, and figure 3");
}

#[test]
fn merge_keeps_every_color() {
    let mut a = TagStore::default();
    a.add_tag(&["p"], "t", T).unwrap();
    a.set_colors("t", &["#000000", "#111111"]).unwrap();
    let mut b = TagStore::default();
    b.add_tag(&["p"], "T", T).unwrap();
    b.set_colors("T", &["#111111", "#222222"]).unwrap();
    let merged = TagStore::new(merge(a.data(), b.data()));
    assert_eq!(merged.colors("t"), ["#000000", "#111111", "#222222"]);
    assert_eq!(merged.data().tags.len(), 1);
}

#[test]
fn a_three_way_merge_keeps_both_tabs_edits_and_honours_removals() {
    let mut base = TagStore::default();
    base.add_tag(&["p1", "p2"], "old", T).unwrap();
    base.set_note("p1", "base", T).unwrap();
    let mut ours = base.clone();
    ours.add_tag(&["p1"], "mine", T).unwrap();
    ours.remove_tag(&["p2"], "old", T);
    let mut theirs = base.clone();
    theirs.add_tag(&["p1", "p3"], "theirs", T).unwrap();
    theirs.remove_tag(&["p1"], "old", T);
    theirs.set_note("p1", "edited there", T).unwrap();
    let merged = TagStore::new(merge_three_way(base.data(), ours.data(), theirs.data()));
    assert_eq!(merged.tags_of("p1"), ["mine", "theirs"]);
    assert_eq!(merged.paper("p1").unwrap().note, "edited there");
    assert!(merged.paper("p2").is_none());
    assert_eq!(merged.tags_of("p3"), ["theirs"]);
    // Nothing unsaved here: the other tab's value is taken as it is.
    assert_eq!(&merge_three_way(base.data(), base.data(), theirs.data()), theirs.data());
}

#[test]
fn a_note_edited_in_both_tabs_keeps_both_texts() {
    let base = data(&[("p", paper(&[], false, false, "base"))]);
    let ours = data(&[("p", paper(&[], false, false, "ours"))]);
    let theirs = data(&[("p", paper(&[], false, false, "theirs"))]);
    assert_eq!(
        merge_three_way(&base, &ours, &theirs).papers["p"].note,
        format!("ours{NOTE_SEPARATOR}theirs")
    );
}

/// One store operation, applied whatever it answers.
#[derive(Debug, Clone)]
enum Op {
    Add(Vec<&'static str>, &'static str),
    Remove(Vec<&'static str>, &'static str),
    Rename(&'static str, &'static str),
    Delete(&'static str),
    Star(Vec<&'static str>, bool),
    Read(Vec<&'static str>, bool),
    Note(&'static str, String),
    Color(&'static str, Vec<&'static str>),
}

fn arb_ids() -> impl Strategy<Value = Vec<&'static str>> {
    prop::sample::subsequence(vec!["p1", "p2", "p3", "arxiv:2401.04088"], 1..4)
}

fn arb_tag() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "A",
        "b",
        "reading",
        "Reading/now",
        "reading/later",
        "to read",
        "x/y/z",
        "Ünï/çøde",
        "ẞig",
    ])
}

fn arb_op() -> impl Strategy<Value = Op> {
    let color = prop::sample::select(vec!["#000000", "#ff8800", "#FFFFFF"]);
    prop_oneof![
        3 => (arb_ids(), arb_tag()).prop_map(|(ids, tag)| Op::Add(ids, tag)),
        1 => (arb_ids(), arb_tag()).prop_map(|(ids, tag)| Op::Remove(ids, tag)),
        1 => (arb_tag(), arb_tag()).prop_map(|(from, to)| Op::Rename(from, to)),
        1 => arb_tag().prop_map(Op::Delete),
        1 => (arb_ids(), any::<bool>()).prop_map(|(ids, on)| Op::Star(ids, on)),
        1 => (arb_ids(), any::<bool>()).prop_map(|(ids, on)| Op::Read(ids, on)),
        1 => (prop::sample::select(vec!["p1", "p2", "p9"]), "\\PC{0,16}").prop_map(|(id, note)| Op::Note(id, note)),
        1 => (arb_tag(), prop::collection::vec(color, 0..3)).prop_map(|(tag, colors)| Op::Color(tag, colors)),
    ]
}

fn apply(store: &mut TagStore, op: &Op) {
    // Refusals (a bad rename, a color on a missing tag) are part of the mix.
    match op {
        Op::Add(ids, tag) => _ = store.add_tag(ids, tag, T),
        Op::Remove(ids, tag) => _ = store.remove_tag(ids, tag, T),
        Op::Rename(from, to) => _ = store.rename_tag(from, to, T),
        Op::Delete(tag) => _ = store.delete_tag(tag, T),
        Op::Star(ids, on) => _ = store.set_starred(ids, *on, T),
        Op::Read(ids, on) => _ = store.set_read(ids, *on, T),
        Op::Note(id, note) => _ = store.set_note(id, note, T),
        Op::Color(tag, colors) => _ = store.set_colors(tag, colors),
    }
}

fn arb_ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(arb_op(), 0..12)
}

fn build(ops: &[Op]) -> TagStore {
    let mut store = TagStore::default();
    for op in ops {
        apply(&mut store, op);
    }
    store
}

fn tag_keys(data: &UserData, id: &str) -> BTreeSet<String> {
    data.papers.get(id).map(|p| p.tags.iter().map(|t| t.to_lowercase()).collect()).unwrap_or_default()
}

proptest! {
    #[test]
    fn export_then_import_is_the_identity(ops in arb_ops(), corpus in "\\PC{0,8}", saved_at in any::<u64>()) {
        let data = build(&ops).data().clone();
        let decoded = decode(&encode(&data, &corpus, saved_at)).unwrap();
        prop_assert_eq!(decoded.data, data);
        prop_assert_eq!(decoded.corpus, corpus);
        prop_assert_eq!(decoded.saved_at, saved_at);
        prop_assert!(!decoded.read_only);
    }

    #[test]
    fn merge_never_loses_a_tag_star_read_mark_note_or_color(a in arb_ops(), b in arb_ops()) {
        let (a, b) = (build(&a).data().clone(), build(&b).data().clone());
        let merged = merge(&a, &b);
        for side in [&a, &b] {
            for (id, paper) in &side.papers {
                let kept = &merged.papers[id];
                prop_assert!(tag_keys(side, id).is_subset(&tag_keys(&merged, id)));
                prop_assert!(!paper.starred || kept.starred);
                prop_assert!(!paper.read || kept.read);
                prop_assert!(kept.note.contains(paper.note.as_str()));
            }
            let store = TagStore::new(merged.clone());
            for (name, info) in &side.tags {
                let colors = store.colors(name);
                prop_assert!(info.colors.iter().all(|c| colors.contains(c)));
            }
        }
        prop_assert_eq!(merge(&merged, &b), merged.clone(), "merging again changes nothing");
        // What merges still decodes.
        prop_assert_eq!(decode(&encode(&merged, "c", T)).unwrap().data, merged);
    }

    #[test]
    fn a_three_way_merge_keeps_what_either_side_added(base in arb_ops(), ours in arb_ops(), theirs in arb_ops()) {
        let base = build(&base);
        let (mut our_store, mut their_store) = (base.clone(), base.clone());
        for op in &ours { apply(&mut our_store, op); }
        for op in &theirs { apply(&mut their_store, op); }
        let (base, ours, theirs) = (base.data(), our_store.data(), their_store.data());
        let merged = merge_three_way(base, ours, theirs);
        for side in [ours, theirs] {
            for id in side.papers.keys() {
                let added: BTreeSet<String> = tag_keys(side, id).difference(&tag_keys(base, id)).cloned().collect();
                let other = if side == ours { theirs } else { ours };
                let removed_by_other: BTreeSet<String> = tag_keys(base, id).difference(&tag_keys(other, id)).cloned().collect();
                for tag in added.difference(&removed_by_other) {
                    prop_assert!(tag_keys(&merged, id).contains(tag), "{} lost {}", id, tag);
                }
            }
        }
        prop_assert_eq!(&merge_three_way(base, base, theirs), theirs);
        prop_assert_eq!(&merge_three_way(base, ours, base), ours);
    }

    #[test]
    fn undo_all_then_redo_all_walks_back_and_forth_exactly(ops in arb_ops()) {
        let mut store = TagStore::default();
        let mut states = vec![store.data().clone()];
        for op in &ops {
            apply(&mut store, op);
            if store.data() != states.last().unwrap() {
                states.push(store.data().clone());
            }
        }
        for state in states.iter().rev().skip(1) {
            prop_assert!(store.undo());
            prop_assert_eq!(store.data(), state);
        }
        prop_assert!(!store.undo());
        for state in states.iter().skip(1) {
            prop_assert!(store.redo());
            prop_assert_eq!(store.data(), state);
        }
        prop_assert!(!store.redo());
    }
}
