//! Mechanical checks of the project's conventions (see ARCHITECTURE.md).

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
            let path = entry.expect("readable directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine_files() -> Vec<PathBuf> {
    let mut files = rust_files(&root().join("src/engine"));
    files.push(root().join("src/engine.rs"));
    files
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let missing: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .chain(rust_files(&root().join("tests")))
        .filter(|path| !fs::read_to_string(path).unwrap_or_default().starts_with("//!"))
        .map(|path| path.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a leading `//!` module doc: {missing:#?}");
}

#[test]
fn the_engine_does_no_io_and_names_no_browser_crate() {
    const FORBIDDEN: &[&str] = &[
        "leptos",
        "web_sys",
        "wasm_bindgen",
        "gloo",
        "js_sys",
        "std::fs",
        "std::net",
        "std::process",
        "std::env",
        "std::time::SystemTime",
        "std::thread",
    ];
    let mut offences = Vec::new();
    for path in engine_files() {
        let text = fs::read_to_string(&path).expect("readable engine file");
        for (index, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("{}:{}: names `{word}`", path.display(), index + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the engine must stay pure:\n{}", offences.join("\n"));
}

/// The compiler and the app fold text alike only if one module normalizes.
#[test]
fn unicode_normalization_comes_only_from_engine_unicode() {
    let offences: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .filter(|path| !path.ends_with("src/engine/unicode.rs"))
        .filter(|path| {
            let text = fs::read_to_string(path).expect("readable source file");
            text.lines().any(|line| line.split("//").next().unwrap_or("").contains("unicode_normalization"))
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(offences.is_empty(), "normalize through engine::unicode, not the crate: {offences:#?}");
}

#[test]
fn there_are_no_mod_rs_files() {
    let mod_rs: Vec<PathBuf> = rust_files(&root().join("src"))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "mod.rs"))
        .collect();
    assert!(mod_rs.is_empty(), "use `name.rs` beside `name/`, not `mod.rs`: {mod_rs:?}");
}

#[test]
fn tests_are_never_ignored_or_expected_to_panic() {
    let marker_ignore = concat!("#[", "ignore");
    let marker_panic = concat!("#[", "should_panic");
    let offenders: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .chain(rust_files(&root().join("tests")))
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            text.contains(marker_ignore) || text.contains(marker_panic)
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "assert the Err instead: {offenders:?}");
}

#[test]
fn the_trunk_config_pins_the_wasm_bindgen_version_of_the_lock_file() {
    let lock = fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let version = lock
        .split("[[package]]")
        .find(|entry| entry.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_owned())
        .expect("wasm-bindgen in Cargo.lock");
    let trunk = fs::read_to_string(root().join("Trunk.toml")).expect("Trunk.toml");
    assert!(
        trunk.contains(&format!("wasm_bindgen = \"{version}\"")),
        "Trunk.toml [tools] must pin wasm-bindgen {version}"
    );
}
