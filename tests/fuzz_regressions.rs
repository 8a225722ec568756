//! Replays the fuzz regression corpus (`tests/fixtures/fuzz-regressions/`)
//! through the same entry points as the fuzz targets in `fuzz/`: the first
//! byte picks the format (as `read_any` does), and the whole input also goes
//! through the compiler. Nothing may panic; errors are fine.

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::formats::{read, Format};

#[test]
fn every_regression_input_is_handled_without_panicking() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("the regression corpus") {
        let data = std::fs::read(entry.expect("entry").path()).expect("readable input");
        let _ = compile(&[Input { name: "regression", bytes: &data }], &CompileOptions::default());
        if let Some((&selector, rest)) = data.split_first() {
            if let Ok(text) = std::str::from_utf8(rest) {
                let format = Format::ALL[usize::from(selector) % Format::ALL.len()];
                let _ = read(format, "regression", text, &[("title".to_owned(), "Headline".to_owned())]);
            }
        }
        count += 1;
    }
    assert!(count >= 5, "the regression corpus is missing ({count} inputs)");
}
