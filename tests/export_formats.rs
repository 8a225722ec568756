//! Exports of a selection with the user's data, against hand-written expected
//! text for each format.

use folio::engine::bundle::Paper;
use folio::engine::export::{export, ExportFormat};
use folio::engine::tags::{TagStore, UserData};

fn paper(id: &str, title: &str, authors: &[&str], year: Option<i32>, abstract_text: &str) -> Paper {
    // Through JSON, so the fixture keeps compiling as optional fields are added.
    serde_json::from_value(serde_json::json!({
        "id": id, "title": title, "abstract": abstract_text, "authors": authors, "year": year,
        "source": {"file": "fixture", "line": 1},
    }))
    .expect("a valid paper")
}

fn fixture() -> (Vec<Paper>, UserData) {
    let papers = vec![
        paper(
            "t-1",
            "Mixtral of Experts",
            &["Albert Q. Jiang", "Alexandre Sablayrolles"],
            Some(2024),
            "A 50% {sparse} model, \"fast\".",
        ),
        paper("t-2", "Zephyr: Direct Distillation", &[], None, "Line one,\nline two."),
    ];
    let mut store = TagStore::default();
    store.add_tag(&["t-1"], "reading/now", 1).unwrap();
    store.add_tag(&["t-1", "t-2"], "cite", 1).unwrap();
    store.set_starred(&["t-1"], true, 1);
    store.set_note("t-2", "see table 3", 1).unwrap();
    (papers, store.data().clone())
}

#[track_caller]
fn check(format: ExportFormat, expected: &str) {
    let (papers, user) = fixture();
    let refs: Vec<&Paper> = papers.iter().collect();
    assert_eq!(export(&refs, &user, format), expected);
}

#[test]
fn bibtex_puts_tags_in_keywords_and_escapes_tex_specials() {
    check(
        ExportFormat::BibTex,
        "@misc{jiang2024mixtral,\n  title = {Mixtral of Experts},\n  author = {Albert Q. Jiang and Alexandre Sablayrolles},\n  year = {2024},\n  abstract = {A 50\\% \\{sparse\\} model, \"fast\".},\n  keywords = {cite, reading/now, starred},\n  folio_id = {t-1},\n}\n\n@misc{anonzephyr,\n  title = {Zephyr: Direct Distillation},\n  abstract = {Line one,\nline two.},\n  keywords = {cite},\n  note = {see table 3},\n  folio_id = {t-2},\n}\n\n",
    );
}

#[test]
fn ris_has_one_kw_line_per_tag() {
    check(
        ExportFormat::Ris,
        "TY  - GEN\r\nTI  - Mixtral of Experts\r\nAU  - Albert Q. Jiang\r\nAU  - Alexandre Sablayrolles\r\nPY  - 2024\r\nAB  - A 50% {sparse} model, \"fast\".\r\nKW  - cite\r\nKW  - reading/now\r\nKW  - starred\r\nID  - t-1\r\nER  - \r\n\r\nTY  - GEN\r\nTI  - Zephyr: Direct Distillation\r\nAB  - Line one, line two.\r\nKW  - cite\r\nN1  - see table 3\r\nID  - t-2\r\nER  - \r\n\r\n",
    );
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    check(
        ExportFormat::Csv,
        "id,title,authors,year,abstract,tags,starred,read,note\r\nt-1,Mixtral of Experts,Albert Q. Jiang; Alexandre Sablayrolles,2024,\"A 50% {sparse} model, \"\"fast\"\".\",cite; reading/now,true,false,\r\nt-2,Zephyr: Direct Distillation,,,\"Line one,\nline two.\",cite,false,false,see table 3\r\n",
    );
}

#[test]
fn csl_json_is_an_array_of_items_with_keywords() {
    let (papers, user) = fixture();
    let refs: Vec<&Paper> = papers.iter().collect();
    let value: serde_json::Value =
        serde_json::from_str(&export(&refs, &user, ExportFormat::CslJson)).unwrap();
    assert_eq!(value[0]["id"], "t-1");
    assert_eq!(value[0]["author"][1]["literal"], "Alexandre Sablayrolles");
    assert_eq!(value[0]["issued"]["date-parts"][0][0], 2024);
    assert_eq!(value[0]["keyword"], "cite, reading/now, starred");
    assert_eq!(value[1]["note"], "see table 3");
    assert!(value[1].get("author").is_none());
}

#[test]
fn citation_keys_are_unique() {
    let twin = paper("t-3", "Mixtral of Experts", &["A. Jiang"], Some(2024), "x");
    let (mut papers, user) = fixture();
    papers.push(twin);
    let refs: Vec<&Paper> = papers.iter().collect();
    let text = export(&refs, &user, ExportFormat::BibTex);
    assert!(text.contains("@misc{jiang2024mixtral,") && text.contains("@misc{jiang2024mixtrala,"));
}
