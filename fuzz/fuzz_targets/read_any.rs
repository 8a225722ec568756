//! Fuzzes every corpus reader with the same bytes: the first byte picks the
//! format, the rest is the text. A reader may report errors, never panic.
#![no_main]

use folio::engine::formats::{read, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let format = Format::ALL[usize::from(selector) % Format::ALL.len()];
    let map = [("title".to_owned(), "Headline".to_owned())];
    let _ = read(format, "fuzz", text, &map);
});
