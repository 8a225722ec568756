//! What `folio compile` writes, byte for byte: the bundle it writes as it
//! serializes it is the engine's `Bundle::to_json`, and the same bytes as
//! the build before the compiler streamed its work wrote (their SHA-256
//! below); its pack is the one made from that bundle in memory.

mod common;
use common::temp_dir;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use folio::engine::bundle::Bundle;
use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::Explorer;
use sha2::{Digest, Sha256};

const FORMATS: &str = "tests/fixtures/formats";
const EXPORTS: &str = "tests/fixtures/exports";

/// The compiled bundle of `paths` (relative to the project, gunzipped when
/// `.gz`), compiled in memory.
fn compiled(paths: &[&str]) -> Bundle {
    let files: Vec<(String, Vec<u8>)> = paths.iter().map(|path| (path.to_string(), read(path))).collect();
    let inputs: Vec<Input<'_>> = files.iter().map(|(name, bytes)| Input { name, bytes }).collect();
    let compiled = compile(&inputs, &CompileOptions::default());
    compiled.bundle.unwrap_or_else(|| panic!("{paths:?} compile: {:#?}", compiled.diagnostics))
}

fn read(path: &str) -> Vec<u8> {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    if !path.ends_with(".gz") {
        return bytes;
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut out).unwrap();
    out
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `folio compile PATHS --out --pack` (run from the project's folder, so
/// that the bundle names the inputs as given) writes the engine's bundle
/// and pack, and the bundle's SHA-256 is `sha256`.
#[track_caller]
fn check(name: &str, paths: &[&str], sha256: &str) {
    let dir = temp_dir(&format!("output-{name}"));
    let (out, pack) = (dir.join("bundle.json"), dir.join("bundle.pack"));
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("compile")
        .args(paths)
        .arg("--out")
        .arg(&out)
        .arg("--pack")
        .arg(&pack)
        // The pack with its vectors is tested in tests/pack.rs.
        .args(["--vectors", "off"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read(&out).unwrap();
    let bundle = compiled(paths);
    assert!(written == bundle.to_json().into_bytes(), "{name}: the bundle written is not the engine's");
    let records: usize = bundle.papers.iter().map(|p| serde_json::to_vec(p).unwrap().len()).sum();
    let mut again = Vec::new();
    assert_eq!(bundle.write_json(&mut again).unwrap(), records as u64, "{name}: records' bytes");
    assert!(again == written, "{name}: write_json is not to_json");
    assert!(
        std::fs::read(&pack).unwrap() == Explorer::new(bundle).into_pack().unwrap(),
        "{name}: the pack written is not the bundle's"
    );
    assert_eq!(
        hex(&written),
        sha256,
        "{name}: the bundle is not the one earlier builds wrote (it is in {}); if that is meant, update its SHA-256",
        out.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_bundle_written_is_the_engines_and_the_same_as_before() {
    check(
        "seed",
        &["corpus/000_aec88eee982df8fa.txt"],
        "c6b74cd2b9e99f83b107ae259ea685a596dcbab101fef7db93f3074936c6f9c9",
    );
    let formats = [
        "arxiv.jsonl",
        "folio-corpus.jsonl",
        "hugging-face.json",
        "papers.json",
        "refs.bib",
        "refs.enw",
        "endnote.xml",
        "pubmed.nbib",
        "savedrecs.txt",
        "simple.tsv",
        "broken.bib",
        "broken.csv",
    ]
    .map(|name| format!("{FORMATS}/{name}"));
    let formats: Vec<&str> = formats.iter().map(String::as_str).collect();
    check("formats", &formats, "8d132001f36f48d6fbc7fca97ea4d718ffa81abad4400b33f6a90c865d9bf4b2");
    let iridia = ["abbrev", "journals", "authors", "crossref-first60", "articles-first60", "biblio-first60"]
        .map(|name| format!("{EXPORTS}/iridia/{name}.bib"));
    let iridia: Vec<&str> = iridia.iter().map(String::as_str).collect();
    check("bibtex-shared", &iridia, "c1caa5016cf7e9a224160cf10942b5b0f00be9c5d63e84d19c150dffa3d4309f");
    let exports = [
        "bibdesk-ads-exoplanet.bib",
        "bookends.xml",
        "jabref-wos.isi",
        "pubmed-blachly.nbib",
        "scholar-gylo.enw",
        "scholar-srush.bib",
        "zotero-alwasila.ris",
        "zotero-mambo.csv",
        "zotero-mambo.ris",
    ]
    .map(|name| format!("{EXPORTS}/{name}"));
    let exports: Vec<&str> = exports.iter().map(String::as_str).collect();
    check("exports", &exports, "94abba137655f2a765a0d6dca77fa8394738d5962f09621b6a9b761e1101ce79");
}
