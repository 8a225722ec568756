//! Fuzzes the Web of Science reader on arbitrary UTF-8: diagnostics, never a panic.
#![no_main]

use folio::engine::formats::{read, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = read(Format::WebOfScience, "fuzz", text, &[]);
    }
});
