//! Exports of a selection with the user's data, against hand-written
//! expected text for each format.

use folio::engine::bundle::Paper;
use folio::engine::export::{bibtex_escape, export, ExportFormat};
use folio::engine::tags::{TagStore, UserData};

/// A paper from JSON, so that the fixture keeps compiling as optional fields are added.
fn paper(fields: serde_json::Value) -> Paper {
    let mut value = serde_json::json!({"abstract": "", "source": {"file": "fixture", "line": 1}});
    value.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    serde_json::from_value(value).expect("a valid paper")
}

fn fixture() -> (Vec<Paper>, UserData) {
    let papers = vec![
        paper(serde_json::json!({
            "id": "arxiv:2401.04088", "title": "Mixtral of Experts",
            "authors": ["Albert Q. Jiang", "Alexandre Sablayrolles"], "year": 2024, "date": "2024-01-08",
            "arxiv": "2401.04088", "url": "https://arxiv.org/abs/2401.04088",
            "abstract": "A 50% {sparse} model, \"fast\" & cheap_ish.",
        })),
        paper(serde_json::json!({
            "id": "doi:10.48550/arxiv.2302.13971", "title": "LLaMA: Open and Efficient Foundation Language Models",
            "authors": ["Hugo Touvron", "Thibaut Lavril"], "year": 2023, "venue": "arXiv preprint",
            "doi": "10.48550/arxiv.2302.13971", "abstract": "Line one,\nline two.",
        })),
        paper(serde_json::json!({"id": "t-2", "title": "Zephyr: Direct Distillation", "abstract": "x"})),
    ];
    let mut store = TagStore::default();
    store.add_tag(&["arxiv:2401.04088"], "reading/now", 1).unwrap();
    store.add_tag(&["arxiv:2401.04088", "doi:10.48550/arxiv.2302.13971"], "cite", 1).unwrap();
    store.set_starred(&["arxiv:2401.04088"], true, 1);
    store.set_read(&["doi:10.48550/arxiv.2302.13971"], true, 1);
    store.set_note("doi:10.48550/arxiv.2302.13971", "see table 3;\ncompare with \"Mixtral\"", 1).unwrap();
    (papers, store.data().clone())
}

fn exported(format: ExportFormat) -> String {
    let (papers, user) = fixture();
    let refs: Vec<&Paper> = papers.iter().collect();
    export(&refs, &user, format)
}

#[test]
fn bibtex_puts_tags_in_keywords_and_escapes_tex_specials() {
    let expected = r#"@misc{jiang2024mixtral,
  title = {Mixtral of Experts},
  author = {Albert Q. Jiang and Alexandre Sablayrolles},
  year = {2024},
  eprint = {2401.04088},
  archiveprefix = {arXiv},
  url = {https://arxiv.org/abs/2401.04088},
  abstract = {A 50\% \textbraceleft{}sparse\textbraceright{} model, "fast" \& cheap\_ish.},
  keywords = {cite, reading/now, starred},
  folio_id = {arxiv:2401.04088},
}

@article{touvron2023llama,
  title = {{LLaMA:} Open and Efficient Foundation Language Models},
  author = {Hugo Touvron and Thibaut Lavril},
  year = {2023},
  journal = {arXiv preprint},
  doi = {10.48550/arxiv.2302.13971},
  abstract = {Line one,
line two.},
  keywords = {cite},
  annote = {see table 3;
compare with "Mixtral"},
  folio_id = {doi:10.48550/arxiv.2302.13971},
}

@misc{anonzephyr,
  title = {Zephyr: Direct Distillation},
  abstract = {x},
  folio_id = {t-2},
}

"#;
    assert_eq!(exported(ExportFormat::BibTex), expected);
}

#[test]
fn ris_has_one_kw_line_per_tag_and_crlf_line_ends() {
    let expected = r#"TY  - GEN
TI  - Mixtral of Experts
AU  - Albert Q. Jiang
AU  - Alexandre Sablayrolles
PY  - 2024
DA  - 2024/01/08
UR  - https://arxiv.org/abs/2401.04088
AN  - arXiv:2401.04088
AB  - A 50% {sparse} model, "fast" & cheap_ish.
KW  - cite
KW  - reading/now
KW  - starred
ID  - arxiv:2401.04088
ER  - 

TY  - JOUR
TI  - LLaMA: Open and Efficient Foundation Language Models
AU  - Hugo Touvron
AU  - Thibaut Lavril
PY  - 2023
T2  - arXiv preprint
DO  - 10.48550/arxiv.2302.13971
AB  - Line one, line two.
KW  - cite
N1  - see table 3; compare with "Mixtral"
ID  - doi:10.48550/arxiv.2302.13971
ER  - 

TY  - GEN
TI  - Zephyr: Direct Distillation
AB  - x
ID  - t-2
ER  - 

"#;
    assert_eq!(exported(ExportFormat::Ris), expected.replace('\n', "\r\n"));
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    let expected = concat!(
        "id,title,authors,year,venue,doi,arxiv,url,abstract,tags,starred,read,note\r\n",
        "arxiv:2401.04088,Mixtral of Experts,Albert Q. Jiang; Alexandre Sablayrolles,2024,,,2401.04088,",
        "https://arxiv.org/abs/2401.04088,\"A 50% {sparse} model, \"\"fast\"\" & cheap_ish.\",cite; reading/now,true,false,\r\n",
        "doi:10.48550/arxiv.2302.13971,LLaMA: Open and Efficient Foundation Language Models,Hugo Touvron; Thibaut Lavril,",
        "2023,arXiv preprint,10.48550/arxiv.2302.13971,,,\"Line one,\nline two.\",cite,false,true,",
        "\"see table 3;\ncompare with \"\"Mixtral\"\"\"\r\n",
        "t-2,Zephyr: Direct Distillation,,,,,,,x,,false,false,\r\n",
    );
    assert_eq!(exported(ExportFormat::Csv), expected);
}

#[test]
fn csl_json_is_an_array_of_items_with_keywords() {
    let expected = serde_json::json!([
        {
            "id": "arxiv:2401.04088", "type": "article", "title": "Mixtral of Experts",
            "author": [{"family": "Jiang", "given": "Albert Q."}, {"family": "Sablayrolles", "given": "Alexandre"}],
            "issued": {"date-parts": [[2024, 1, 8]]},
            "URL": "https://arxiv.org/abs/2401.04088", "number": "arXiv:2401.04088",
            "abstract": "A 50% {sparse} model, \"fast\" & cheap_ish.",
            "keyword": "cite, reading/now, starred",
        },
        {
            "id": "doi:10.48550/arxiv.2302.13971", "type": "article-journal",
            "title": "LLaMA: Open and Efficient Foundation Language Models",
            "author": [{"family": "Touvron", "given": "Hugo"}, {"family": "Lavril", "given": "Thibaut"}],
            "issued": {"date-parts": [[2023]]}, "container-title": "arXiv preprint",
            "DOI": "10.48550/arxiv.2302.13971", "abstract": "Line one,\nline two.",
            "annote": "see table 3;\ncompare with \"Mixtral\"", "keyword": "cite",
        },
        {"id": "t-2", "type": "article", "title": "Zephyr: Direct Distillation", "abstract": "x"},
    ]);
    let actual: serde_json::Value = serde_json::from_str(&exported(ExportFormat::CslJson)).unwrap();
    assert_eq!(actual, expected);
}

#[track_caller]
fn check_escape(text: &str, expected: &str) {
    assert_eq!(bibtex_escape(text), expected, "bibtex_escape({text:?})");
}

#[test]
fn bibtex_escaping_covers_every_tex_special() {
    check_escape("plain text, ünïcode — fine", "plain text, ünïcode — fine");
    check_escape("50% & $5 #1 a_b", r"50\% \& \$5 \#1 a\_b");
    check_escape("{unbalanced", r"\textbraceleft{}unbalanced");
    check_escape(r"C:\path", r"C:\textbackslash{}path");
    check_escape("~^", r"\textasciitilde{}\textasciicircum{}");
    check_escape("a--b --- ``q'' `x'", "a-{}-b -{}-{}- `{}`q'{}' `x'");
}

fn keys_of(papers: &[Paper]) -> Vec<String> {
    let refs: Vec<&Paper> = papers.iter().collect();
    export(&refs, &UserData::default(), ExportFormat::BibTex)
        .lines()
        .filter_map(|line| line.strip_prefix('@'))
        .map(|line| line.split_once('{').unwrap().1.trim_end_matches(',').to_owned())
        .collect()
}

#[test]
fn citation_keys_come_from_author_year_and_title_and_are_unique() {
    let with = |id: &str, title: &str, authors: &[&str], year: Option<i32>| {
        paper(serde_json::json!({"id": id, "title": title, "authors": authors, "year": year}))
    };
    let papers = vec![
        with("1", "Mixtral of Experts", &["Albert Q. Jiang"], Some(2024)),
        with("2", "Mixtral of Experts", &["A. Jiang"], Some(2024)),
        with("3", "Mixtral: experts again", &["Jiang, Albert"], Some(2024)),
        with("4", "The Müller Effect", &["Jörg Müller"], None),
        with("5", "On the Sparse Mixture", &["Ng"], Some(2020)),
        with("6", "", &[], None),
    ];
    assert_eq!(
        keys_of(&papers),
        [
            "jiang2024mixtral",
            "jiang2024mixtrala",
            "jiang2024mixtralb",
            "mullermuller",
            "ng2020sparse",
            "anon"
        ]
    );
}
