//! Real exports of reference managers (tests/fixtures/exports/README.md says
//! where each comes from) compile whole: every entry in, readable titles,
//! and what the source had kept.

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Compiled, Input};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/exports/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn compiled(names: &[&str]) -> Compiled {
    let bytes: Vec<Vec<u8>> = names.iter().map(|name| fixture(name)).collect();
    let inputs: Vec<Input<'_>> = names.iter().zip(&bytes).map(|(name, bytes)| Input { name, bytes }).collect();
    compile(&inputs, &CompileOptions::default())
}

#[track_caller]
fn bundle(names: &[&str]) -> Bundle {
    let compiled = compiled(names);
    let messages: Vec<String> = compiled.diagnostics.iter().map(ToString::to_string).collect();
    compiled.bundle.unwrap_or_else(|| panic!("no bundle: {messages:#?}"))
}

#[test]
fn a_zotero_library_reads_the_same_from_ris_and_from_csv() {
    let (ris, csv) = (bundle(&["zotero-mambo.ris"]), bundle(&["zotero-mambo.csv"]));
    assert_eq!(ris.papers.len(), 5);
    assert_eq!(csv.papers.len(), 5);
    for (a, b) in ris.papers.iter().zip(&csv.papers) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.id, b.id, "{}", a.title);
        assert_eq!(a.metadata.authors, b.metadata.authors, "{}", a.title);
        assert_eq!((a.metadata.year, &a.metadata.doi), (b.metadata.year, &b.metadata.doi), "{}", a.title);
        assert_eq!(a.metadata.venue, b.metadata.venue, "{}", a.title);
        assert!(!a.abstract_text.is_empty() && !b.abstract_text.is_empty(), "{}", a.title);
        let mut tags = (a.metadata.keywords.clone(), b.metadata.keywords.clone());
        tags.0.sort();
        tags.1.sort();
        assert_eq!(tags.0, tags.1, "Zotero tags are keywords either way: {}", a.title);
    }
    assert!(ris.papers.iter().filter(|p| !p.metadata.keywords.is_empty()).count() >= 3);
    let first = &ris.papers[0];
    assert_eq!(first.title, "Waste Not, Want Not: Why Rarefying Microbiome Data Is Inadmissible");
    assert_eq!(first.metadata.authors, ["Paul J. McMurdie", "Susan Holmes"]);
    assert_eq!(first.metadata.venue.as_deref(), Some("PLOS Computational Biology"));
}

#[test]
fn google_scholar_bibtex_without_abstracts_comes_in_whole() {
    let compiled = compiled(&["scholar-srush.bib"]);
    assert_eq!(compiled.diagnostics, []);
    let bundle = compiled.bundle.unwrap();
    assert_eq!(bundle.papers.len(), 47);
    assert!(bundle.papers.iter().all(|p| p.abstract_text.is_empty() && !p.title.is_empty()));
    let with_arxiv = bundle.papers.iter().filter(|p| p.metadata.arxiv.is_some()).count();
    assert_eq!(with_arxiv, 31, "arXiv ids Scholar wrote in the journal field");
    assert_eq!(bundle.papers[0].id, "arxiv:2111.00396");
}

#[test]
fn macros_defined_in_other_files_are_read_from_them() {
    let alone = compiled(&["iridia/articles-first60.bib"]);
    let undefined = alone.diagnostics.iter().filter(|d| d.message.contains("has no definition here")).count();
    assert!(undefined > 50, "each undefined macro warned about once: {undefined}");
    let alone = alone.bundle.expect("undefined macros are warnings");
    assert_eq!(alone.papers.len(), 60);
    assert_eq!(alone.papers[0].metadata.venue.as_deref(), Some("jgcd"), "kept as its name");

    let files = ["iridia/abbrev.bib", "iridia/journals.bib", "iridia/authors.bib", "iridia/articles-first60.bib"];
    let together = compiled(&files);
    assert_eq!(together.diagnostics, []);
    let together = together.bundle.unwrap();
    assert_eq!(together.papers.len(), 60);
    let first = &together.papers[0];
    assert_eq!(first.metadata.venue.as_deref(), Some("Journal of Guidance, Control, and Dynamics"));
    let abramson = together.papers.iter().find(|p| p.title.starts_with("Simulated annealing cooling")).unwrap();
    assert_eq!(abramson.metadata.authors, ["David Abramson", "Mohan Krishna Amoorthy", "Henry Dang"], "#and# joins names");
    let sources: Vec<(&str, usize)> = together.sources.iter().map(|s| (s.file.as_str(), s.papers)).collect();
    assert_eq!(sources[..3], [("iridia/abbrev.bib", 0), ("iridia/journals.bib", 0), ("iridia/authors.bib", 0)]);
}

/// One paper as a test expects it: title, authors, venue, year, keywords.
type Fields<'a> = (&'a str, &'a [&'a str], Option<&'a str>, Option<i32>, &'a [&'a str]);

/// Compiles `files` together and checks the papers each adds (in order),
/// every diagnostic, and the fields of the paper titled `fields.0`.
#[track_caller]
fn check_export(files: &[&str], papers: &[usize], diagnostics: &[&str], fields: Fields<'_>) {
    let compiled = compiled(files);
    let messages: Vec<String> = compiled.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages, diagnostics, "diagnostics of {files:?}");
    let bundle = compiled.bundle.unwrap_or_else(|| panic!("no bundle for {files:?}"));
    let counts: Vec<usize> = bundle.sources.iter().map(|s| s.papers).collect();
    assert_eq!(counts, papers, "papers per input");
    let (title, authors, venue, year, keywords) = fields;
    let paper = bundle.papers.iter().find(|p| p.title == title).unwrap_or_else(|| panic!("no paper {title:?}"));
    assert_eq!(paper.metadata.authors, authors, "{title}");
    assert_eq!((paper.metadata.venue.as_deref(), paper.metadata.year), (venue, year), "{title}");
    assert_eq!(paper.metadata.keywords, keywords, "{title}");
}

#[test]
fn real_exports_of_every_kind_come_in_whole() {
    // Google Scholar's "EndNote" export: no abstracts, no keywords.
    check_export(&["scholar-gylo.enw"], &[12], &[], (
        "The relationship between forests and freshwater fish consumption in rural Nigeria",
        &["Michaela Lo", "Sari Narulita", "Amy Ickowitz"],
        Some("PLoS One"),
        Some(2019),
        &[],
    ));
    // Zotero's RIS of Arabic and Indonesian references, mostly without years.
    check_export(&["zotero-alwasila.ris"], &[44], &[], (
        "Buku: Balaghah",
        &["Sagala Rumadani"],
        None,
        None,
        &[],
    ));
    // BibDesk holding NASA ADS entries: AAS journal macros, `~` in names,
    // `Mart{\'\i}n`, `and others`, and one undefined month macro.
    check_export(
        &["bibdesk-ads-exoplanet.bib"],
        &[45],
        &["bibdesk-ads-exoplanet.bib:295: warning: @string macro \"march-april\" has no definition here: kept as its name (define it with @string{march-april = \"...\"}, or compile the file that does with this one)"],
        (
            "Fast, exact CMB power spectrum estimation for a certain class of observational strategies",
            &["B. D. Wandelt", "F. K. Hansen"],
            Some("Physical Review D"),
            Some(2003),
            &["Background radiations"],
        ),
    );
    check_export(&["bibdesk-ads-exoplanet.bib"], &[45], &["bibdesk-ads-exoplanet.bib:295: warning: @string macro \"march-april\" has no definition here: kept as its name (define it with @string{march-april = \"...\"}, or compile the file that does with this one)"], (
        "TensorFlow: A System for Large-Scale Machine Learning.",
        &["Martín Abadi", "Paul Barham", "Jianmin Chen", "Zhifeng Chen", "Andy Davis", "Jeffrey Dean", "Matthieu Devin", "Sanjay Ghemawat", "Geoffrey Irving", "Michael Isard"],
        Some("OSDI"),
        Some(2016),
        &[],
    ));
    // PubMed's MEDLINE (CRLF lines, wrapped titles and abstracts, MeSH).
    check_export(&["pubmed-blachly.nbib"], &[6], &[], (
        "Synergistic effect of BCL2 and FLT3 co-inhibition in acute myeloid leukemia.",
        &["Lindsey T Brinton", "Pu Zhang", "Katie Williams", "Daniel Canfield", "Shelley Orwick", "Steven Sher", "Ronni Wasmuth", "Larry Beaver", "Casey Cempre", "Jordan Skinner", "Matthew Cannon", "Mukul Govande", "Bonnie Harrington", "Amy Lehman", "John C Byrd", "Rosa Lapalombella", "James S Blachly"],
        Some("Journal of hematology & oncology"),
        Some(2020),
        &[
            "Acute myeloid leukemia", "BCL2", "Combination therapy", "FLT3", "Gilteritinib", "Midostaurin", "Synergy", "Venetoclax",
            "Aniline Compounds", "Animals", "Antineoplastic Agents", "Bridged Bicyclo Compounds, Heterocyclic", "CRISPR-Cas Systems",
            "Cell Line, Tumor", "Female", "Gene Knockout Techniques", "Genetic Therapy", "Humans", "Leukemia, Myeloid, Acute", "Mice, SCID",
            "Protein Kinase Inhibitors", "Proto-Oncogene Proteins c-bcl-2", "Pyrazines", "Staurosporine", "Sulfonamides", "fms-Like Tyrosine Kinase 3",
        ],
    ));
    // Web of Science (the older "ISI Export Format" header, short names only).
    check_export(&["jabref-wos.isi"], &[2], &[], (
        "Optical and photoelectric spectroscopy of photorefractive Sn2P2S6 crystals",
        &["RV Gamernyk", "YP Gnatenko", "PM Bukivskij", "PA Skubenko", "VY Slivka"],
        Some("JOURNAL OF PHYSICS-CONDENSED MATTER"),
        Some(2006),
        &["ELECTRIC-FIELD"],
    ));
    // EndNote XML as Bookends writes it.
    check_export(&["bookends.xml"], &[1], &[], (
        "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk for those born from 1930 to 1960",
        &["AS Ahmad", "N Ormiston-Smith", "PD Sasieni"],
        Some("Br J Cancer"),
        Some(2015),
        &["Age Factors", "Aged", "Aged, 80 and over", "Female", "Great Britain/epidemiology", "Humans", "Male", "Middle Aged", "Models, Statistical", "Neoplasms/*epidemiology", "Risk Assessment", "Risk Factors", "Sex Characteristics"],
    ));
}

#[test]
fn crossref_volumes_in_their_own_file_give_venue_and_year_and_are_not_papers() {
    let alone = compiled(&["iridia/biblio-first60.bib"]);
    let missing: Vec<&str> =
        alone.diagnostics.iter().filter(|d| d.message.starts_with("crossref ")).map(|d| d.message.as_str()).collect();
    assert_eq!(missing.len(), 39, "one warning per missing parent, 43 entries name one");
    assert_eq!(alone.bundle.expect("missing parents are warnings").papers.len(), 60, "every entry still comes in");

    let files = ["iridia/abbrev.bib", "iridia/journals.bib", "iridia/authors.bib", "iridia/biblio-first60.bib", "iridia/crossref-first60.bib"];
    check_export(&files, &[0, 0, 0, 60, 0], &[], (
        "The self-adaptive Pareto differential evolution algorithm",
        &["Hussein A. Abbass"],
        Some("Proceedings of the 2002 Congress on Evolutionary Computation (CEC'02)"),
        Some(2002),
        &[],
    ));
    let bundle = compiled(&files).bundle.unwrap();
    assert!(bundle.papers.iter().all(|p| p.metadata.year.is_some()), "each year given or inherited");
    assert!(!bundle.papers.iter().any(|p| p.title.starts_with("Proceedings of")), "volumes are not papers");
}
