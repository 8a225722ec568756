//! Fuzzes the whole compiler (decode, detect, read, ids, duplicates,
//! enrichment) on arbitrary bytes: diagnostics, never a panic.
#![no_main]

use folio::engine::compile::{compile, CompileOptions, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = compile(&[Input { name: "fuzz", bytes: data }], &CompileOptions::default());
});
