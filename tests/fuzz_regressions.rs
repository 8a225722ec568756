//! Replays the fuzz regression corpus (`tests/fixtures/fuzz-regressions/`)
//! through the same entry points as the fuzz targets in `fuzz/`: a file named
//! `<target>-<what>` goes through that target (`listing`, `json_lines`,
//! `json_array`, `bibtex`, `csv`, `endnote`, `endnote_xml`, `wos`, `medline`,
//! `compile`), and every file also through the whole compiler. Nothing may
//! panic; errors are fine.

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::formats::{read, Format};

const TARGETS: [(&str, Option<Format>); 10] = [
    ("listing", Some(Format::Listing)),
    ("json_lines", Some(Format::JsonLines)),
    ("json_array", Some(Format::Json)),
    ("bibtex", Some(Format::BibTex)),
    ("csv", Some(Format::Csv)),
    ("endnote", Some(Format::EndNote)),
    ("endnote_xml", Some(Format::EndNoteXml)),
    ("wos", Some(Format::WebOfScience)),
    ("medline", Some(Format::Medline)),
    ("compile", None),
];

#[test]
fn every_regression_input_is_handled_without_panicking() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("the regression corpus") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name").to_owned();
        let target =
            TARGETS.iter().find(|(prefix, _)| name.split_once('-').is_some_and(|(p, _)| p == *prefix));
        let Some((_, format)) = target else {
            panic!("{name}: name it <target>-<what>, with a target of fuzz/Cargo.toml");
        };
        let data = std::fs::read(&path).expect("readable input");
        if let (Some(format), Ok(text)) = (format, std::str::from_utf8(&data)) {
            let _ = read(*format, &name, text, &[]);
        }
        let _ = compile(&[Input { name: &name, bytes: &data }], &CompileOptions::default());
        count += 1;
    }
    assert!(count >= 5, "the regression corpus is missing ({count} inputs)");
}
