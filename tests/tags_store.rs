//! The tag store: names, operations as one-line scripts, undo/redo, rename
//! and merge, hierarchy, colors, orphans.

use folio::engine::tags::{
    normalize_tag, Orphans, PaperData, PaperSet, ReadingState, TagError, TagNode, TagStore, UserData,
    UNDO_LIMIT,
};

const T: u64 = 1_700_000_000_000;

#[track_caller]
fn check_normalize(input: &str, expected: Result<&str, TagError>) {
    assert_eq!(normalize_tag(input), expected.map(str::to_owned), "normalize_tag({input:?})");
}

#[test]
fn tag_names_are_cleaned_or_refused() {
    check_normalize("  to   read ", Ok("to read"));
    check_normalize("reading / now", Ok("reading/now"));
    check_normalize("Reading/Now", Ok("Reading/Now"));
    check_normalize("tab\there", Ok("tab here"));
    check_normalize("   ", Err(TagError::EmptyName));
    check_normalize("", Err(TagError::EmptyName));
    check_normalize("/", Err(TagError::EmptyName));
    check_normalize("a//b", Err(TagError::EmptyLevel));
    check_normalize("/a", Err(TagError::EmptyLevel));
    check_normalize("a/ /b", Err(TagError::EmptyLevel));
    check_normalize("bell\u{7}", Err(TagError::ControlCharacter));
    check_normalize(&"x".repeat(100), Ok(&"x".repeat(100)));
    check_normalize(&"x".repeat(101), Err(TagError::NameTooLong));
}

/// Runs a script of `;`-separated commands, `verb args | args`:
/// `add p1,p2 | tag`, `rm p1 | tag`, `rename from | to`, `delete tag`,
/// `star p1`, `unstar p1`, `read p1`, `unread p1`, `note p1 | text`,
/// `color tag | #rrggbb,#rrggbb`, `undo`, `redo`. A refused command panics
/// with its error: refusals are tested with the API directly.
fn run(store: &mut TagStore, script: &str) {
    for command in script.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let (verb, rest) = command.split_once(' ').unwrap_or((command, ""));
        let args: Vec<&str> = rest.split('|').map(str::trim).collect();
        let ids: Vec<&str> = args[0].split(',').collect();
        match verb {
            "add" => _ = store.add_tag(&ids, args[1], T).unwrap(),
            "rm" => _ = store.remove_tag(&ids, args[1], T),
            "rename" => _ = store.rename_tag(args[0], args[1], T).unwrap(),
            "delete" => _ = store.delete_tag(args[0], T),
            "star" => _ = store.set_starred(&ids, true, T),
            "unstar" => _ = store.set_starred(&ids, false, T),
            "read" => _ = store.set_read(&ids, true, T),
            "unread" => _ = store.set_read(&ids, false, T),
            "nope" => _ = store.set_not_interested(&ids, true, T),
            "renope" => _ = store.set_not_interested(&ids, false, T),
            "note" => store.set_note(args[0], args[1], T).unwrap(),
            "color" => store.set_colors(args[0], &args[1].split(',').collect::<Vec<_>>()).unwrap(),
            "undo" => assert!(store.undo(), "nothing to undo"),
            "redo" => assert!(store.redo(), "nothing to redo"),
            _ => panic!("unknown command {verb}"),
        }
    }
}

/// `p1[a, b]*rx"note" p2[c]`: tags, `*` starred, `r` read, `x` not
/// interested, the note; then
/// tag colors as `tag=#..,#..`.
fn dump(data: &UserData) -> String {
    let mut parts: Vec<String> = data
        .papers
        .iter()
        .map(|(id, p)| {
            let tags: Vec<&str> = p.tags.iter().map(String::as_str).collect();
            let mut s = format!("{id}[{}]", tags.join(", "));
            if p.starred {
                s.push('*');
            }
            if p.read {
                s.push('r');
            }
            if p.not_interested {
                s.push('x');
            }
            if !p.note.is_empty() {
                s.push_str(&format!("{:?}", p.note));
            }
            s
        })
        .collect();
    parts.extend(data.tags.iter().map(|(name, info)| format!("{name}={}", info.colors.join(","))));
    parts.join(" ")
}

#[track_caller]
fn check(script: &str, expected: &str) {
    let mut store = TagStore::default();
    run(&mut store, script);
    assert_eq!(dump(store.data()), expected, "after {script:?}");
}

#[test]
fn operations_change_exactly_what_they_name() {
    check("add p1 | a", "p1[a]");
    check("add p1,p2 | To Read; add p2,p3 | to read", "p1[To Read] p2[To Read] p3[To Read]");
    check("add p1 | a; add p1 | b; rm p1 | A", "p1[b]");
    check(
        "add p1 | reading/now; add p2 | READING/later; add p3 | Reading",
        "p1[reading/now] p2[reading/later] p3[reading]",
    );
    check("add p1 | a; rm p1 | a", "");
    check("add p1 | reading/now; rm p1 | reading", "p1[reading/now]");
    check("rm p9 | a", "");
    check("star p1,p2; unstar p2", "p1[]*");
    check("read p1; note p1 | check table 2", "p1[]r\"check table 2\"");
    check("nope p1,p2; renope p2", "p1[]x");
    check("add p1 | a; nope p1; undo", "p1[a]");
    check("nope p1; undo; redo", "p1[]x");
    check("note p1 | x; note p1 |  ", "");
    check("add p1 | a; color a | #FF8800,#00aa00,#ff8800", "p1[a] a=#ff8800,#00aa00");
    check("add p1 | reading/now; color READING | #000000", "p1[reading/now] reading=#000000");
}

#[test]
fn renaming_renames_children_and_merges_onto_existing_tags() {
    check("add p1 | todo; rename todo | later", "p1[later]");
    check(
        "add p1 | Reading/now; add p2 | reading/later; rename READING/later | reading/Soon",
        "p1[Reading/now] p2[Reading/Soon]",
    );
    check("add p1 | todo; rename todo | Todo", "p1[Todo]");
    check(
        "add p1,p2 | todo; add p2,p3 | to read; rename todo | To Read",
        "p1[to read] p2[to read] p3[to read]",
    );
    check(
        "add p1 | reading/now; add p2 | reading/later; add p3 | readings; rename reading | queue",
        "p1[queue/now] p2[queue/later] p3[readings]",
    );
    check("add p1 | reading/now; add p2 | Queue/now; rename reading | queue", "p1[Queue/now] p2[Queue/now]");
    check("add p1 | a/b; rename a/b | a", "p1[a]");
    check("add p1 | a; add p1 | b; rename a | b", "p1[b]");
    check(
        "add p1 | a; add p2 | b; color a | #111111; color b | #222222; rename a | b",
        "p1[b] p2[b] b=#222222,#111111",
    );
    // Lowercasing changes the byte length of some letters: levels still line up.
    check("add p1 | ẞig/child; rename ßig | q", "p1[q/child]");
}

#[test]
fn refused_renames_change_nothing() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | reading/now");
    assert_eq!(store.rename_tag("missing", "x", T), Err(TagError::NoSuchTag("missing".into())));
    assert_eq!(store.rename_tag("reading", " ", T), Err(TagError::EmptyName));
    assert_eq!(store.rename_tag("reading", &"x".repeat(98), T), Err(TagError::NameTooLong));
    assert_eq!(dump(store.data()), "p1[reading/now]");
    assert!(store.undo() && !store.can_undo(), "only the add is a step");
}

#[test]
fn deleting_a_tag_removes_it_its_children_and_its_colors_everywhere() {
    check(
        "add p1 | reading/now; add p1,p2 | reading; add p2 | cite; color reading | #000000; delete reading",
        "p2[cite]",
    );
    check("add p1 | a; delete b", "p1[a]");
}

#[test]
fn every_operation_can_be_undone_and_redone() {
    let scripts = [
        "add p1,p3 | a",
        "rm p1 | a",
        "rename a | b",
        "rename a | Z/y",
        "delete a",
        "star p1,p3",
        "unstar p2",
        "read p1",
        "unread p2",
        "note p2 | new",
        "note p2 | ",
        "color a | #123456",
        "add p9 | a",
    ];
    let setup = "add p1,p2 | a; add p2 | b; star p2; read p2; note p2 | old";
    for script in scripts {
        let mut store = TagStore::default();
        run(&mut store, setup);
        let before = store.data().clone();
        run(&mut store, script);
        let after = store.data().clone();
        assert_ne!(before, after, "{script:?} changes something");
        run(&mut store, "undo");
        assert_eq!(store.data(), &before, "undo of {script:?}");
        run(&mut store, "redo");
        assert_eq!(store.data(), &after, "redo of {script:?}");
    }
}

#[test]
fn undo_and_redo_walk_the_whole_history() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | a; star p1; note p1 | n; rename a | b; delete b");
    run(&mut store, "undo; undo; undo; undo; undo");
    assert_eq!(dump(store.data()), "");
    assert!(!store.undo());
    run(&mut store, "redo; redo");
    assert_eq!(dump(store.data()), "p1[a]*");
    run(&mut store, "add p2 | c");
    assert!(!store.can_redo(), "a new change clears the redo history");
}

#[test]
fn an_operation_that_changes_nothing_is_not_an_undo_step() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | a; add p1 | A; rm p9 | a; unstar p1; delete zzz; note p1 | ");
    assert!(store.undo());
    assert!(!store.can_undo());
}

#[test]
fn the_undo_history_is_bounded() {
    let mut store = TagStore::default();
    for i in 0..UNDO_LIMIT + 5 {
        store.add_tag(&[&format!("p{i}")], "a", T).unwrap();
    }
    let mut undone = 0;
    while store.undo() {
        undone += 1;
    }
    assert_eq!(undone, UNDO_LIMIT);
    assert_eq!(store.papers_with("a").len(), 5, "the oldest steps are kept as they are");
}

#[test]
fn undo_leaves_another_tabs_changes_in_place() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | mine");
    // Another tab saved: p1 also got `theirs`, p2 a star.
    let mut other = TagStore::new(store.data().clone());
    run(&mut other, "add p1 | theirs; star p2; note p1 | their note; nope p3");
    store.replace(other.data().clone());
    run(&mut store, "undo");
    assert_eq!(dump(store.data()), "p1[theirs]\"their note\" p2[]* p3[]x");
    run(&mut store, "redo");
    assert_eq!(dump(store.data()), "p1[mine, theirs]\"their note\" p2[]* p3[]x");
}

#[test]
fn undoing_a_note_edited_meanwhile_elsewhere_keeps_both_texts() {
    let mut store = TagStore::default();
    run(&mut store, "note p1 | mine");
    let mut other = TagStore::new(store.data().clone());
    run(&mut other, "note p1 | theirs");
    store.replace(other.data().clone());
    run(&mut store, "undo");
    assert_eq!(store.paper("p1").map(|p| p.note.as_str()), Some("theirs"));
}

#[test]
fn the_tree_nests_levels_and_counts_papers_below_each_node() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | reading/now; add p2 | Reading/later; add p2,gone | reading; add gone | old; color reading | #FF8800,#000000");
    let tree = store.tree(|id| id != "gone");
    let summary: Vec<(&str, usize, Option<&str>, usize)> =
        tree.iter().map(|n| (n.name.as_str(), n.count, n.color.as_deref(), n.colors.len())).collect();
    assert_eq!(summary, [("old", 0, None, 0), ("reading", 2, Some("#ff8800"), 2)]);
    let children: Vec<(&str, &str, usize)> =
        tree[1].children.iter().map(|n| (n.label.as_str(), n.name.as_str(), n.count)).collect();
    assert_eq!(children, [("later", "reading/later", 1), ("now", "reading/now", 1)]);
    assert_eq!(store.count("reading", |_| true), 3);
}

#[test]
fn queries_answer_by_identity_and_hierarchy() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | reading/now; add p2 | reading; add p3 | readings; add p1 | cite");
    assert_eq!(store.papers_with("READING"), ["p1", "p2"]);
    assert_eq!(store.papers_with("reading/now"), ["p1"]);
    assert_eq!(store.papers_with("a//b"), Vec::<&str>::new());
    assert_eq!(store.tags_of("p1"), ["cite", "reading/now"]);
    assert_eq!(store.tags_of("nobody"), Vec::<&str>::new());
    assert_eq!(store.all_tags(), ["cite", "reading", "reading/now", "readings"]);
    assert_eq!(store.complete("rea"), ["reading", "reading/now", "readings"]);
    assert_eq!(store.complete("no"), ["reading/now"]);
}

#[test]
fn colors_must_be_hex_on_a_tag_in_use() {
    let mut store = TagStore::default();
    run(&mut store, "add p1 | a");
    assert_eq!(store.set_color("a", Some("red")), Err(TagError::BadColor("red".into())));
    assert_eq!(store.set_colors("a", &["#000000", "#12345"]), Err(TagError::BadColor("#12345".into())));
    assert_eq!(store.set_color("b", Some("#000000")), Err(TagError::NoSuchTag("b".into())));
    store.set_color("a", Some("#00AA00")).unwrap();
    store.add_color("a", "#ffffff").unwrap();
    assert_eq!(store.colors("A"), ["#00aa00", "#ffffff"]);
    store.set_color("a", None).unwrap();
    assert!(store.colors("a").is_empty());
}

#[test]
fn data_for_papers_outside_the_corpus_is_kept_and_counted() {
    let mut store = TagStore::default();
    run(&mut store, "add p1,old1,old2 | a; add old1 | b; star old3");
    let orphans = store.orphans(|id| id == "p1");
    assert_eq!(orphans, Orphans { papers: 3, tags: 3 });
    assert_eq!(orphans.to_string(), "3 tags on 3 papers not in this corpus");
    assert_eq!(Orphans { papers: 1, tags: 0 }.to_string(), "data on 1 paper not in this corpus");
    assert_eq!(store.papers_with("a").len(), 3);
}

#[test]
fn notes_have_a_limit() {
    let mut store = TagStore::default();
    assert_eq!(store.set_note("p1", &"x".repeat(10_001), T), Err(TagError::NoteTooLong));
    assert!(store.set_note("p1", &"x".repeat(10_000), T).is_ok());
    assert!(store.set_note("p1", "  fine  ", T).is_ok());
    assert_eq!(store.paper("p1").unwrap().note, "fine");
}

/// User data written directly, as an import or an older Folio may leave it
/// (the store's own operations respell new tags): `;`-separated papers,
/// each `id [tag, tag] flags` with flags `*` starred, `r` read, `n` a note,
/// `x` not interested.
fn user(papers: &str) -> UserData {
    let mut data = UserData::default();
    for paper in papers.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, rest) = paper.split_once(' ').unwrap_or((paper, ""));
        let (tags, flags) =
            rest.trim().strip_prefix('[').and_then(|r| r.split_once(']')).unwrap_or(("", rest));
        let entry = PaperData {
            tags: tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            starred: flags.contains('*'),
            read: flags.contains('r'),
            note: if flags.contains('n') { "a note".to_owned() } else { String::new() },
            not_interested: flags.contains('x'),
            updated: T,
        };
        data.papers.insert(id.to_owned(), entry);
    }
    data
}

fn tree_names(nodes: &[TagNode], into: &mut Vec<String>) {
    for node in nodes {
        into.push(node.name.clone());
        tree_names(&node.children, into);
    }
}

/// The tag facet's values as `id name` pairs; they must be the tag tree's names.
#[track_caller]
fn check_tag_values(papers: &str, expected: &str) {
    let data = user(papers);
    let values = data.tag_values();
    let shown: Vec<String> = values.iter().map(|(id, name)| format!("{id} {name}")).collect();
    assert_eq!(shown.join(", "), expected, "tag values of {papers:?}");
    let mut in_tree = Vec::new();
    tree_names(&TagStore::new(data.clone()).tree(|_| true), &mut in_tree);
    let mut names: Vec<String> = values.into_iter().map(|(_, name)| name).collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup();
    in_tree.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, in_tree, "the facet names the tags as the tree does ({papers:?})");
}

#[test]
fn tag_facet_values_are_one_per_tag_whatever_its_case() {
    check_tag_values("p1 [reading/now]; p2 [reading]", "p1 reading, p1 reading/now, p2 reading");
    check_tag_values("p1 [Reading/x]; p2 [reading/y]", "p1 Reading, p1 Reading/x, p2 Reading, p2 Reading/y");
    check_tag_values("p1 [a/B/c]; p2 [A/b]", "p1 A, p1 A/b, p1 A/b/c, p2 A, p2 A/b");
    check_tag_values("p1 [x]; p2 [X/y]", "p1 x, p2 x, p2 x/y");
    check_tag_values("p1 [Über]; p2 [üBER]", "p1 Über, p2 Über");
    check_tag_values("p1 [a, a/b, A/c]", "p1 a, p1 a/b, p1 a/c");
    check_tag_values("p1 [] *r", "");
}

#[test]
fn the_tree_counts_a_tag_spelled_two_ways_once() {
    let tree = TagStore::new(user("p1 [Reading/x]; p2 [reading/y]; p3 [READING]")).tree(|_| true);
    let summary: Vec<(&str, &str, usize)> = std::iter::once(&tree[0])
        .chain(&tree[0].children)
        .map(|n| (n.label.as_str(), n.name.as_str(), n.count))
        .collect();
    assert_eq!(tree.len(), 1);
    // `READING` itself comes first by identity, so its spelling names the level.
    assert_eq!(summary, [("READING", "READING", 3), ("x", "READING/x", 1), ("y", "READING/y", 1)]);
}

#[track_caller]
fn check_state_name(name: &str, expected: Option<ReadingState>) {
    assert_eq!(ReadingState::named(name), expected, "ReadingState::named({name:?})");
}

#[test]
fn reading_states_are_named_in_any_case() {
    check_state_name("starred", Some(ReadingState::Starred));
    check_state_name("star", Some(ReadingState::Starred));
    check_state_name("Starred", Some(ReadingState::Starred));
    check_state_name("read", Some(ReadingState::Read));
    check_state_name(" READ ", Some(ReadingState::Read));
    check_state_name("unread", Some(ReadingState::Unread));
    check_state_name("note", Some(ReadingState::Note));
    check_state_name("notes", Some(ReadingState::Note));
    check_state_name("has note", None);
    check_state_name("stars", None);
    check_state_name("reading", None);
    check_state_name("read/later", None);
    let values: Vec<&str> = ReadingState::ALL.iter().map(|s| s.value()).collect();
    assert_eq!(values, ["starred", "read", "unread", "has note"]);
}

/// What `tag:name` names: `only a b` or `all but a b`.
#[track_caller]
fn check_named(data: &UserData, name: &str, expected: &str) {
    let shown = match data.papers_named(name) {
        PaperSet::Only(ids) => format!("only {}", ids.join(" ")),
        PaperSet::AllBut(ids) => format!("all but {}", ids.join(" ")),
    };
    assert_eq!(shown.trim_end(), expected, "tag:{name}");
}

#[test]
fn a_tag_term_names_tagged_papers_and_reading_states() {
    let data = user("p1 [] *; p2 [] r; p3 [] n; p4 [unread]; p5 [read/later] r; p6 [Star] ; p7 [todo] *rn");
    check_named(&data, "starred", "only p1 p7");
    check_named(&data, "STAR", "only p1 p6 p7");
    check_named(&data, "read", "only p2 p5 p7");
    check_named(&data, "unread", "all but p2 p5 p7");
    check_named(&data, "note", "only p3 p7");
    check_named(&data, "notes", "only p3 p7");
    check_named(&data, "todo", "only p7");
    check_named(&data, "read/later", "only p5");
    check_named(&data, "nothing", "only");
    check_named(&user("p1 [unread] r; p2 [] r"), "unread", "all but p2");
    check_named(&UserData::default(), "unread", "all but");
    assert_eq!(data.papers_in(ReadingState::Unread), PaperSet::AllBut(vec!["p2", "p5", "p7"]));
    assert_eq!(data.papers_in(ReadingState::Starred), PaperSet::Only(vec!["p1", "p7"]));
}
