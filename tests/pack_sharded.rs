//! The sharded pack (docs/pack-format.md): what a pack is made of, part by
//! part, adds up to the pack.

use folio::engine::compile::{compile, CompileOptions, Input};
use folio::engine::explorer::Explorer;

const SEED: &[u8] = include_bytes!("../corpus/000_aec88eee982df8fa.txt");

fn seed_bundle() -> folio::engine::bundle::Bundle {
    compile(&[Input { name: "seed.txt", bytes: SEED }], &CompileOptions::default()).bundle.unwrap()
}

#[test]
fn the_breakdown_of_a_pack_adds_up_to_its_length() {
    let pack = Explorer::new(seed_bundle()).into_pack().unwrap();
    let parts = folio::engine::pack::breakdown(&pack).unwrap();
    assert_eq!(parts.iter().map(|p| p.bytes).sum::<usize>(), pack.len());
    let records: usize = parts.iter().filter(|p| p.section == "records").map(|p| p.bytes).sum();
    let abstracts = parts.iter().find(|p| p.name == "abstract").expect("abstracts are a part");
    assert_eq!(abstracts.items, Some(24));
    assert!(abstracts.bytes * 4 > records, "the seed's records are mostly abstracts and their enrichment");
    assert!(folio::engine::pack::breakdown(&pack[..pack.len() / 2]).is_err(), "a damaged pack is refused");
}
