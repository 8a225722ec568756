//! What a pack is made of: the bytes of each part of its index section and
//! of each key of its papers' records, so that the sharded layout
//! (docs/pack-format.md) is decided from figures.

use std::collections::BTreeMap;

use super::{Contents, PackError, HEADER};

/// One part of a pack and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// `index`, `facets`, `discovery` or `records`, then what.
    pub section: &'static str,
    pub name: String,
    pub bytes: usize,
    /// How many items the part holds (terms, values, records), when it says.
    pub items: Option<usize>,
}

/// The parts of `pack` with their sizes, largest section first within
/// each section's order; the sizes add up to the pack's length.
pub fn breakdown(pack: &[u8]) -> Result<Vec<Part>, PackError> {
    let (contents, records_start) = Contents::decode(pack)?;
    let part = |section, name: &str, bytes, items| Part { section, name: name.to_owned(), bytes, items };
    let n = contents.ids.len();
    let mut parts = vec![
        part("index", "header (magic, version, checksum, length)", HEADER, None),
        part("index", "bundle metadata (catalog, taxonomy, sources) as JSON", contents.meta_json.len(), None),
        part("index", "paper ids", super::encoded_len(&contents.ids), Some(n)),
        part("index", "record ends", super::encoded_len(&contents.paper_ends), Some(n)),
        part("index", "title order", super::encoded_len(&contents.by_title), Some(n)),
    ];
    for (name, bytes) in contents.index.encoded_parts() {
        let items = name.starts_with("dictionary").then(|| contents.index.term_count());
        parts.push(part("index", name, bytes, items));
    }
    for group in contents.facets.encoded_parts() {
        parts.push(part("facets", &format!("{}: values", group.key), group.value_bytes, Some(group.values)));
        parts.push(part(
            "facets",
            &format!("{}: paper lists", group.key),
            group.doc_bytes,
            Some(group.pairs),
        ));
    }
    parts.push(part("discovery", "paper vectors (FVEC)", contents.vectors.len(), Some(n)));
    parts.push(part("discovery", "corpus map (FMAP)", contents.map.len(), Some(n)));
    let counted: usize = parts.iter().map(|p| p.bytes).sum();
    parts.push(part(
        "index",
        "encoding overhead (lengths, counts)",
        (records_start).saturating_sub(counted),
        None,
    ));
    parts.extend(record_parts(&pack[records_start..], &contents.paper_ends));
    Ok(parts)
}

/// The records section per JSON key (`"key":value,` counted with its key),
/// plus the braces; a record that does not decode counts whole as damaged.
fn record_parts(records: &[u8], ends: &[u32]) -> Vec<Part> {
    let mut by_key: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut start = 0;
    for &end in ends {
        let record = &records[start..end as usize];
        start = end as usize;
        let object = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(record);
        let Ok(object) = object else {
            let entry = by_key.entry("(damaged)".to_owned()).or_default();
            *entry = (entry.0 + record.len(), entry.1 + 1);
            continue;
        };
        let mut counted = 0;
        for (key, value) in &object {
            let bytes = key.len() + 4 + serde_json::to_string(value).map_or(0, |v| v.len());
            counted += bytes;
            let entry = by_key.entry(key.clone()).or_default();
            *entry = (entry.0 + bytes, entry.1 + 1);
        }
        let entry = by_key.entry("(braces)".to_owned()).or_default();
        *entry = (entry.0 + record.len().saturating_sub(counted), entry.1 + 1);
    }
    let mut parts: Vec<Part> = by_key
        .into_iter()
        .map(|(name, (bytes, items))| Part { section: "records", name, bytes, items: Some(items) })
        .collect();
    parts.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    parts
}
