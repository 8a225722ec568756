//! The stored and exported form of the user data: a versioned JSON envelope,
//! decoded with migrations from every older version. Text in, text out: the
//! caller does the storage IO (the engine is storage-agnostic).
//!
//! ```json
//! {"app":"folio","kind":"user-data","version":4,"corpus":"/papers/","saved_at":1700000000000,
//!  "data":{"papers":{"arxiv:2401.04088":{"tags":["reading/now"],"starred":true,"read":true,
//!                                         "note":"…","updated":1700000000000}},
//!          "tags":{"reading":{"colors":["#ff8800"]}}}}
//! ```
//!
//! Versions: 1 held only tags (`"tags":{"<paper id>":["tag", …]}`); 2 added
//! the `data` object with stars, read marks, notes and one `color` per tag;
//! 3 allows any number of `colors`; 4 adds a paper's `not_interested` mark
//! (version 3 reads as version 4 without marks). Any new field means a new version,
//! because an older Folio would otherwise load the data and drop the field
//! on its next save; with a new version it opens the data read-only instead.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{clean_levels, parse_color, tag_key, PaperData, TagInfo, UserData};

/// The version of the envelope this build writes.
pub const USER_DATA_VERSION: u32 = 4;

/// The storage key of a corpus's user data: `folio:v1:<corpus>:user-data`,
/// namespaced by app and corpus so that corpora and other apps on one
/// origin never clash. `v1` is the generation of this key scheme, not the
/// envelope version: the key stays put across envelope versions, so a new
/// Folio finds and migrates the old value in place.
pub fn storage_key(corpus: &str) -> String {
    format!("folio:v1:{corpus}:user-data")
}

#[derive(Serialize)]
struct Envelope<'a> {
    app: &'static str,
    kind: &'static str,
    version: u32,
    corpus: &'a str,
    saved_at: u64,
    data: &'a UserData,
}

/// Encodes user data for storage or export (compact JSON). `saved_at` is
/// the caller's clock, in milliseconds since the epoch.
pub fn encode(data: &UserData, corpus: &str, saved_at: u64) -> String {
    let envelope =
        Envelope { app: "folio", kind: "user-data", version: USER_DATA_VERSION, corpus, saved_at, data };
    serde_json::to_string(&envelope).expect("user data always serializes")
}

/// A decoded envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub data: UserData,
    /// The corpus it was saved for ("" when the envelope does not say).
    pub corpus: String,
    /// When it was saved (0 when the envelope does not say).
    pub saved_at: u64,
    /// Written by a newer Folio: show it, but never write over it.
    pub read_only: bool,
    /// The version it was written with (before migration).
    pub version: u32,
}

/// Stored or imported text that is not usable user data. It carries the
/// text so that the caller can set it aside: never overwrite it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{problem}")]
pub struct DecodeError {
    pub problem: DecodeProblem,
    /// The text as given.
    pub raw: String,
}

/// What is wrong with text that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeProblem {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not Folio user data (no \"app\": \"folio\" envelope)")]
    NotFolio,
    #[error("a Folio file of another kind ({0}), not user data")]
    WrongKind(String),
    #[error("Folio user data without a version number")]
    NoVersion,
    #[error("written by a newer Folio (format {0}) in a shape this version cannot read")]
    TooNew(u32),
    #[error("damaged Folio user data (format {version}): {reason}")]
    Damaged { version: u32, reason: String },
}

/// Decodes stored or imported text, migrating older versions. A newer
/// version is decoded read-only when its data still has the current shape
/// (fields this build does not know are ignored), else refused.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    read(text).map_err(|problem| DecodeError { problem, raw: text.to_owned() })
}

// Each version is read straight into its own typed shape (no untyped JSON
// tree in between: the page's wasm then carries one JSON decoder per type,
// not a second one for trees), then migrated up to the current one.

fn read(text: &str) -> Result<Decoded, DecodeProblem> {
    let header: Header = serde_json::from_str(text).map_err(|err| DecodeProblem::NotJson(err.to_string()))?;
    let Header::Object { app, kind, version, corpus, saved_at } = header else {
        return Err(DecodeProblem::NotFolio);
    };
    if app.as_ref().and_then(Scalar::as_str) != Some("folio") {
        return Err(DecodeProblem::NotFolio);
    }
    match kind {
        None => {}
        Some(Scalar::Str(kind)) if kind == "user-data" => {}
        Some(kind) => return Err(DecodeProblem::WrongKind(kind.to_json())),
    }
    let version = version.as_ref().and_then(Scalar::as_u64).ok_or(DecodeProblem::NoVersion)?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    let corpus = corpus.as_ref().and_then(Scalar::as_str).unwrap_or_default().to_owned();
    let saved_at = saved_at.as_ref().and_then(Scalar::as_u64).unwrap_or_default();
    let damaged = |reason: String| DecodeProblem::Damaged { version, reason };
    let data = match version {
        0 => return Err(damaged("there is no format 0".to_owned())),
        1 => serde_json::from_str::<V1>(text).map(v1_to_v3),
        2 => serde_json::from_str::<V2>(text).map(v2_to_v3),
        // Version 3 is version 4 with no paper marked "not interested".
        3 | USER_DATA_VERSION => serde_json::from_str::<Current>(text).map(|current| current.data),
        _ => {
            let data = serde_json::from_str::<Current>(text)
                .ok()
                .map(|current| current.data)
                .filter(|data| validate(data).is_ok())
                .ok_or(DecodeProblem::TooNew(version))?;
            return Ok(Decoded { data, corpus, saved_at, read_only: true, version });
        }
    };
    let data = data.map_err(|err| damaged(without_position(&err)))?;
    validate(&data).map_err(damaged)?;
    Ok(Decoded { data, corpus, saved_at, read_only: false, version })
}

/// A JSON error's message without "at line L column C" (what is damaged
/// in user data is named by its fields, not by where it is in the text).
fn without_position(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    message.strip_suffix(&position).unwrap_or(&message).to_owned()
}

/// The envelope's fields that say what the text is, each whatever JSON
/// value it holds (a wrong type is told apart from a missing field).
enum Header {
    Object {
        app: Option<Scalar>,
        kind: Option<Scalar>,
        version: Option<Scalar>,
        corpus: Option<Scalar>,
        saved_at: Option<Scalar>,
    },
    /// Any JSON value but an object.
    Other,
}

/// A JSON value as the header needs it.
enum Scalar {
    Str(String),
    Unsigned(u64),
    /// Anything else, as JSON (an object or an array only as `{…}`/`[…]`,
    /// a fraction as "a number").
    Other(String),
}

impl Scalar {
    fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Scalar::Unsigned(n) => Some(*n),
            _ => None,
        }
    }

    fn to_json(&self) -> String {
        match self {
            Scalar::Str(s) => serde_json::to_string(s).unwrap_or_default(),
            Scalar::Unsigned(n) => n.to_string(),
            Scalar::Other(json) => json.clone(),
        }
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }
    // Not written out: formatting floats would cost the page's wasm more
    // than the message is worth.
    fn visit_f64<E>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other("a number".to_owned()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other("null".to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("[…]".to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("{…}".to_owned()))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyVisitor)
    }
}

impl<'de> Deserialize<'de> for Header {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeaderVisitor;
        impl<'de> Visitor<'de> for HeaderVisitor {
            type Value = Header;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Header, A::Error> {
                let (mut app, mut kind, mut version, mut corpus, mut saved_at) =
                    (None, None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "app" => &mut app,
                        "kind" => &mut kind,
                        "version" => &mut version,
                        "corpus" => &mut corpus,
                        "saved_at" => &mut saved_at,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value::<Scalar>()?);
                }
                Ok(Header::Object { app, kind, version, corpus, saved_at })
            }
            // Anything but an object: read through, to find syntax errors.
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Header, A::Error> {
                AnyVisitor.visit_seq(seq).map(|_| Header::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Header, E> {
                Ok(Header::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Header, E> {
                Ok(Header::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Header, E> {
                Ok(Header::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Header, E> {
                Ok(Header::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Header, E> {
                Ok(Header::Other)
            }
            fn visit_unit<E>(self) -> Result<Header, E> {
                Ok(Header::Other)
            }
        }
        deserializer.deserialize_any(HeaderVisitor)
    }
}

/// The current shape (and a newer version's, when it still reads as one).
#[derive(Deserialize)]
struct Current {
    #[serde(default)]
    data: UserData,
}

/// Version 1: tags only, as typed at the time.
#[derive(Deserialize)]
struct V1 {
    #[serde(default)]
    tags: BTreeMap<String, Vec<String>>,
}

/// Version 2: one `color` per tag.
#[derive(Deserialize)]
struct V2 {
    #[serde(default)]
    data: V2Data,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct V2Data {
    papers: BTreeMap<String, PaperData>,
    tags: BTreeMap<String, V2Tag>,
}

/// A version 2 tag's settings: its one color (or `null`).
struct V2Tag {
    color: Option<String>,
}

impl<'de> Deserialize<'de> for V2Tag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl<'de> Visitor<'de> for TagVisitor {
            type Value = V2Tag;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag's settings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V2Tag, A::Error> {
                let mut color = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "color" => color = map.next_value::<Option<String>>()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(V2Tag { color })
            }
        }
        // Anything but an object is refused by the default visit methods;
        // the message says what is wrong in the words of the old migration.
        deserializer
            .deserialize_map(TagVisitor)
            .map_err(|_| D::Error::custom("a tag's settings are not an object"))
    }
}

/// Version 1 kept tags only, as typed at the time: empty levels are
/// dropped (`a//b` becomes `a/b`), blank tags and repeats left out.
fn v1_to_v3(v1: V1) -> UserData {
    let mut data = UserData::default();
    for (id, names) in v1.tags {
        let mut seen = HashSet::new();
        let tags: BTreeSet<String> = names
            .iter()
            .filter_map(|name| {
                let levels: Vec<&str> = name.split('/').filter(|level| !level.trim().is_empty()).collect();
                clean_levels(&levels.join("/")).ok()
            })
            .filter(|name| seen.insert(tag_key(name)))
            .collect();
        if !tags.is_empty() {
            data.papers.insert(id, PaperData { tags, ..PaperData::default() });
        }
    }
    data
}

/// Version 2 had one `color` per tag; version 3 a list of `colors`.
fn v2_to_v3(v2: V2) -> UserData {
    let tags = v2
        .data
        .tags
        .into_iter()
        .map(|(name, tag)| (name, TagInfo { colors: tag.color.into_iter().collect() }));
    UserData { papers: v2.data.papers, tags: tags.collect() }
}

/// What the store relies on: ids not empty, tag names clean (whitespace and
/// levels) and once per paper, colors `#rrggbb`. Lengths are not checked,
/// so a merged note over the typing limit still loads.
fn validate(data: &UserData) -> Result<(), String> {
    for (id, paper) in &data.papers {
        if id.is_empty() {
            return Err("a paper has an empty id".to_owned());
        }
        let mut seen = HashSet::new();
        for tag in &paper.tags {
            if clean_levels(tag).ok().as_ref() != Some(tag) {
                return Err(format!("paper {id} has an invalid tag {tag:?}"));
            }
            if !seen.insert(tag_key(tag)) {
                return Err(format!("paper {id} has the tag {tag:?} twice, in different case"));
            }
        }
    }
    for (name, info) in &data.tags {
        if clean_levels(name).ok().as_ref() != Some(name) {
            return Err(format!("the settings of an invalid tag {name:?}"));
        }
        for color in &info.colors {
            if parse_color(color).ok().as_ref() != Some(color) {
                return Err(format!("tag {name:?} has an invalid color {color:?}"));
            }
        }
    }
    Ok(())
}
