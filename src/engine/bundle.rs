//! The JSON bundle: the one format the compiler writes and the app reads.
//!
//! ```json
//! {
//!   "schema_version": 2,
//!   "generator": "folio 0.1.0",
//!   "sources": [{"file": "corpus/seed.txt", "format": "listing", "papers": 24}],
//!   "papers": [{
//!     "id": "t-5f0c1e2a9b3d",          // stable: arxiv:…, doi:…, else a title hash
//!     "title": "…", "abstract": "…",
//!     "authors": ["…"],                 // omitted when unknown, as are all below
//!     "year": 2024, "date": "2024-01-25", "venue": "ACL", "url": "…",
//!     "code_url": "…", "doi": "10.…", "arxiv": "2401.12345",
//!     "categories": ["cs.CL"], "keywords": ["…"],
//!     // enrichment (see `enrichment`): entities, topics, keyphrases, links,
//!     // figures, similar
//!     "source": {"file": "corpus/seed.txt", "line": 3}
//!   }],
//!   "catalog": {…}, "taxonomy": […]    // the dictionaries used (see `enrichment`)
//! }
//! ```
//!
//! Readers must reject a `schema_version` they do not know (see
//! [`Bundle::from_json`]). Every paper field after `abstract` except
//! `source` is optional: left out when empty, absent on read means empty.
//! Version 2 added the metadata fields (`authors` … `keywords`) and the
//! enrichment. Field by field, with the input formats and id rules:
//! `docs/bundle-format.md`.

pub mod enrichment;
pub mod metadata;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::catalog::Catalog;
use super::dictionary::TopicEntry;
use super::text::title_key;
use enrichment::{CorpusEnrichment, Enrichment, Entity, Figure, Keyphrase, Link, Similar, Topic};
use metadata::Metadata;

/// The version of the bundle format written by this build.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "BundleRecord")]
pub struct Bundle {
    pub schema_version: u32,
    /// Name and version of the program that wrote the bundle.
    pub generator: String,
    /// The inputs the bundle was compiled from, in command-line order.
    pub sources: Vec<SourceFile>,
    /// Whether the papers' `similar` lists are the blended ones (the
    /// paper vectors' cosine plus half the TF-IDF one, written with a pack
    /// that ships vectors: docs/discovery.md) rather than the enrichment's
    /// TF-IDF ones; `"similar_blended": true`, left out when false. What
    /// ships them again keeps them instead of blending twice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub similar_blended: bool,
    /// Papers in corpus order (the order of the inputs).
    pub papers: Vec<Paper>,
    /// Corpus-level enrichment (entity catalog, topics, ...).
    #[serde(flatten)]
    pub corpus: CorpusEnrichment,
}

/// One input file of the compiler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub file: String,
    pub format: String,
    pub papers: usize,
}

/// One paper, cleaned. (`Default` is for code that builds papers by hand:
/// benches and tests.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "PaperRecord")]
pub struct Paper {
    /// Stable id: the same paper gets the same id on every build.
    pub id: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// What the source says besides title and abstract (flat in the
    /// object: `authors`, `year`, ...).
    #[serde(flatten)]
    pub metadata: Metadata,
    /// Where the paper came from, for messages that point back at the input.
    pub source: SourceRef,
    /// What the compiler extracted from the text.
    #[serde(flatten)]
    pub enrichment: Enrichment,
}

/// A bundle as read from JSON. Written, `Bundle` and `Paper` flatten their
/// metadata and enrichment into the object; read, the flat objects are decoded by these
/// two records instead of `#[serde(flatten)]`, which would buffer every
/// key of every paper before decoding it (slower, and a second decoder per
/// type in the wasm). The JSON is the same either way (tests round-trip it).
#[derive(Deserialize)]
struct BundleRecord {
    schema_version: u32,
    generator: String,
    sources: Vec<SourceFile>,
    #[serde(default)]
    similar_blended: bool,
    papers: Vec<Paper>,
    #[serde(default)]
    catalog: Catalog,
    #[serde(default)]
    taxonomy: Vec<TopicEntry>,
}

impl From<BundleRecord> for Bundle {
    fn from(r: BundleRecord) -> Self {
        let corpus = CorpusEnrichment { catalog: r.catalog, taxonomy: r.taxonomy };
        Bundle {
            schema_version: r.schema_version,
            generator: r.generator,
            sources: r.sources,
            similar_blended: r.similar_blended,
            papers: r.papers,
            corpus,
        }
    }
}

/// Makes `PaperRecord`, a paper as read from JSON (see [`BundleRecord`]),
/// from the metadata fields: they are decoded inline, as flat as they are
/// written.
macro_rules! paper_record {
    ($( $(#[$doc:meta])* $name:ident: $ty:ty, $variant:ident, $map:literal, $merge:ident; )*) => {
        #[derive(Deserialize)]
        struct PaperRecord {
            id: String,
            title: String,
            #[serde(rename = "abstract")]
            abstract_text: String,
            $(
                #[serde(default)]
                $name: $ty,
            )*
            source: SourceRef,
            #[serde(default)]
            entities: Vec<Entity>,
            #[serde(default)]
            topics: Vec<Topic>,
            #[serde(default)]
            keyphrases: Vec<Keyphrase>,
            #[serde(default)]
            links: Vec<Link>,
            #[serde(default)]
            figures: Vec<Figure>,
            #[serde(default)]
            similar: Vec<Similar>,
        }

        impl From<PaperRecord> for Paper {
            fn from(r: PaperRecord) -> Self {
                let PaperRecord { entities, topics, keyphrases, links, figures, similar, .. } = r;
                Paper {
                    id: r.id,
                    title: r.title,
                    abstract_text: r.abstract_text,
                    metadata: Metadata { $( $name: r.$name, )* },
                    source: r.source,
                    enrichment: Enrichment { entities, topics, keyphrases, links, figures, similar },
                }
            }
        }
    };
}

metadata::metadata_fields!(paper_record);

/// A position in an input file (1-based line).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub file: String,
    pub line: usize,
}

/// Why a bundle could not be read.
#[derive(Debug, Error)]
pub enum BundleError {
    #[error("the bundle is not valid JSON or not a Folio bundle: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("the bundle has schema version {found}, this build of Folio reads version {SCHEMA_VERSION}")]
    UnsupportedVersion { found: u64 },
    #[error("the bundle has no schema_version field: not a Folio bundle")]
    MissingVersion,
    #[error("the bundle is not a JSON object: not a Folio bundle")]
    NotAnObject,
    #[error("the bundle is not UTF-8 text: not a Folio bundle")]
    NotUtf8,
}

impl Bundle {
    /// Parses a bundle, checking its schema version before anything else so
    /// that a newer bundle gets a clear message rather than a field error.
    pub fn from_json(json: &str) -> Result<Bundle, BundleError> {
        #[derive(Deserialize)]
        struct Probe {
            schema_version: Option<u64>,
        }
        // serde reads a struct from an array too (`[2]`): only an object is a bundle.
        if !json.trim_start().starts_with('{') {
            return Err(BundleError::NotAnObject);
        }
        let probe: Probe = serde_json::from_str(json)?;
        match probe.schema_version {
            None => Err(BundleError::MissingVersion),
            Some(v) if v != u64::from(SCHEMA_VERSION) => Err(BundleError::UnsupportedVersion { found: v }),
            Some(_) => Ok(serde_json::from_str(json)?),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("bundle types always serialize")
    }

    /// The bytes of [`Bundle::to_json`] written to `out` as they are made
    /// (a million papers' bundle is 2.5 GB: never held whole); returns how
    /// many bytes the papers' records take, which is what a pack's records
    /// section takes (`[p1,p2,…]` less its brackets and commas).
    pub fn write_json(&self, out: impl std::io::Write) -> std::io::Result<u64> {
        let mut counted = Counted { out, bytes: 0 };
        serde_json::to_writer(&mut counted, self)?;
        let Counted { bytes, .. } = counted;
        let meta = Bundle {
            schema_version: self.schema_version,
            generator: self.generator.clone(),
            sources: self.sources.clone(),
            similar_blended: self.similar_blended,
            papers: Vec::new(),
            corpus: self.corpus.clone(),
        };
        let mut without_papers = Counted { out: std::io::sink(), bytes: 0 };
        serde_json::to_writer(&mut without_papers, &meta)?;
        let separators = self.papers.len().saturating_sub(1) as u64;
        Ok(bytes - without_papers.bytes - separators)
    }
}

/// A writer that counts the bytes written through it.
struct Counted<W> {
    out: W,
    bytes: u64,
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The stable id of a paper known only by its title: `t-` and the first 12
/// hex digits of the SHA-256 of its [`title_key`]. Case, punctuation and
/// whitespace changes do not change the id. (A title without letters or
/// digits, whose key is empty, is hashed as written.)
pub fn stable_id(title: &str) -> String {
    let key = title_key(title);
    let key = if key.is_empty() { title.trim() } else { key.as_str() };
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("t-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_id_ignores_case_and_punctuation() {
        assert_eq!(stable_id("Mixtral of Experts"), stable_id("mixtral  of experts."));
        assert_ne!(stable_id("Mixtral of Experts"), stable_id("Mixtral of Experts 2"));
        assert_eq!(stable_id("x").len(), 14);
    }

    #[test]
    fn metadata_is_written_flat_in_field_order_and_read_back() {
        let metadata = Metadata {
            authors: vec!["A".into()],
            year: Some(2024),
            date: Some("2024-01-08".into()),
            venue: Some("V".into()),
            url: Some("u".into()),
            code_url: Some("c".into()),
            doi: Some("10.1/x".into()),
            arxiv: Some("2401.04088".into()),
            categories: vec!["cs.CL".into()],
            keywords: vec!["k".into()],
        };
        let paper = Paper { id: "i".into(), title: "T".into(), metadata, ..Paper::default() };
        let json = serde_json::to_string(&paper).unwrap();
        let mut keys = vec!["id", "title", "abstract"];
        keys.extend(metadata::MetadataField::ALL.iter().map(|f| f.key()));
        keys.push("source");
        let at: Vec<Option<usize>> = keys.iter().map(|k| json.find(&format!("\"{k}\":"))).collect();
        assert!(at.iter().all(Option::is_some) && at.windows(2).all(|w| w[0] < w[1]), "{json}");
        assert_eq!(serde_json::from_str::<Paper>(&json).unwrap(), paper);
        let bare = Paper { id: "i".into(), ..Paper::default() };
        let json = serde_json::to_string(&bare).unwrap();
        assert_eq!(json, r#"{"id":"i","title":"","abstract":"","source":{"file":"","line":0}}"#);
        assert_eq!(serde_json::from_str::<Paper>(&json).unwrap(), bare);
    }

    #[test]
    fn newer_schema_is_rejected_with_its_version() {
        let err = Bundle::from_json(r#"{"schema_version": 99, "papers": []}"#).unwrap_err();
        assert_eq!(err.to_string(), "the bundle has schema version 99, this build of Folio reads version 2");
    }

    #[test]
    fn non_bundle_json_is_rejected() {
        assert!(matches!(Bundle::from_json("[1,2]"), Err(BundleError::NotAnObject)));
        assert!(matches!(Bundle::from_json(" [2]"), Err(BundleError::NotAnObject)));
        assert!(matches!(Bundle::from_json("{}"), Err(BundleError::MissingVersion)));
        assert!(matches!(Bundle::from_json("{\"schema_version\":2"), Err(BundleError::Malformed(_))));
    }
}
