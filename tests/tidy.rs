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

/// Whether `code` names engine module `module` by path (`engine::module`,
/// or from `depth` levels below the engine, `super::module`): as a whole
/// word, so that `enrichment` does not count as `enrich`.
fn names_module(code: &str, module: &str, depth: usize) -> bool {
    let supers = "super::".repeat(depth);
    [format!("engine::{module}"), format!("{supers}{module}")].iter().any(|path| {
        code.match_indices(path.as_str()).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            let after = code[at + path.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// The bundle format is the floor that the compiler's stages write into and
/// the app reads from: it and the entity catalog and dictionaries it stores
/// import no stage above them (an import loop made the bundle's types come
/// from the enrichment stage, which imported `Paper` back).
#[test]
fn the_bundle_format_stands_below_what_reads_and_writes_it() {
    const STAGES: &[&str] =
        &["compile", "enrich", "explorer", "facet_kind", "formats", "index", "pack", "query", "search"];
    // Each room and what, besides the stages, stands above it.
    const ROOMS: &[(&str, &[&str])] =
        &[("bundle", &[]), ("catalog", &["bundle"]), ("dictionary", &["bundle", "catalog"])];
    let mut offences = Vec::new();
    for (room, above) in ROOMS {
        let below = root().join(format!("src/engine/{room}"));
        let nested = if below.is_dir() { rust_files(&below) } else { Vec::new() };
        let files = std::iter::once((root().join(format!("src/engine/{room}.rs")), 1))
            .chain(nested.into_iter().map(|path| (path, 2)));
        for (path, depth) in files {
            let text = fs::read_to_string(&path).expect("readable engine file");
            for (index, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for module in STAGES.iter().chain(above.iter()) {
                    if names_module(code, module, depth) {
                        offences.push(format!(
                            "{}:{}: `{room}` imports `{module}`",
                            path.display(),
                            index + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(offences.is_empty(), "a room imports what stands above it:\n{}", offences.join("\n"));
}

/// A facet key is spelled in one place, the table of
/// `engine::facet_kind`: a new facet kind is one row there, and no module
/// can drift from it. Elsewhere the same words may name other things; each
/// such use is listed with what it names instead. Unit tests (after
/// `#[cfg(test)]`) use keys as data and are not checked.
#[test]
fn facet_keys_are_spelled_only_in_the_facet_kind_table() {
    use folio::engine::facet_kind::FacetKind;
    // (module: its file and its folder, key or "*", what the word names there)
    const ELSEWHERE: &[(&str, &str, &str)] = &[
        ("src/engine/facet_kind", "*", "the table itself"),
        ("src/engine/catalog", "*", "entity kinds' JSON names (tested to equal their keys); a filler word"),
        ("src/engine/bundle/metadata", "*", "`--map` field names"),
        ("src/engine/formats", "*", "input formats' keys and column names"),
        ("src/engine/export", "*", "export formats' field names"),
        ("src/engine/enrich/terms", "method", "a stop word of keyphrases"),
        ("src/engine/query", "author", "the `author:` qualifier of the author search field (not the facet)"),
        ("src/engine/view_state", "year", "the year sort's name in the URL"),
        ("src/engine/search", "model", "`model:` accepting families too, in the entity resolver"),
        ("src/engine/search", "family", "`model:` accepting families too, in the entity resolver"),
        ("src/engine/tags", "tag", "the word in a message"),
        ("src/components/user_data_banner", "tag", "the word in a message"),
        ("src/components/tag_editor", "tag", "a test id"),
        ("src/bin/folio/stats", "family", "an entity's `family` key in the bundle JSON"),
    ];
    let within = |file: &str, module: &str| {
        file.strip_prefix(module).is_some_and(|rest| rest == ".rs" || rest.starts_with('/'))
    };
    let keys: Vec<&str> = FacetKind::ALL.iter().map(|kind| kind.key()).collect();
    let mut offences = Vec::new();
    for path in rust_files(&root().join("src")) {
        let relative =
            path.strip_prefix(root()).expect("under the root").to_string_lossy().replace('\\', "/");
        let text = fs::read_to_string(&path).expect("readable source file");
        for (index, line) in text.lines().enumerate().take_while(|(_, line)| !line.contains("#[cfg(test)]")) {
            let code = line.split("//").next().unwrap_or("");
            for key in keys.iter().filter(|key| code.contains(&format!("\"{key}\""))) {
                let allowed = ELSEWHERE
                    .iter()
                    .any(|(module, word, _)| within(&relative, module) && (*word == "*" || word == key));
                if !allowed {
                    offences.push(format!("{relative}:{}: \"{key}\"", index + 1));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "spell facet keys through engine::facet_kind (or list the use here, saying what it names):\n{}",
        offences.join("\n")
    );
}
