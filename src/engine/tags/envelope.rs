//! The stored and exported form of the user data: a versioned JSON envelope,
//! decoded with migrations from every older version. Text in, text out: the
//! caller does the storage IO (the engine is storage-agnostic).
//!
//! ```json
//! {"app":"folio","kind":"user-data","version":3,"corpus":"/papers/","saved_at":1700000000000,
//!  "data":{"papers":{"arxiv:2401.04088":{"tags":["reading/now"],"starred":true,"read":true,
//!                                         "note":"…","updated":1700000000000}},
//!          "tags":{"reading":{"colors":["#ff8800"]}}}}
//! ```
//!
//! Versions: 1 held only tags (`"tags":{"<paper id>":["tag", …]}`); 2 added
//! the `data` object with stars, read marks, notes and one `color` per tag;
//! 3 allows any number of `colors`. Any new field means a new version,
//! because an older Folio would otherwise load the data and drop the field
//! on its next save; with a new version it opens the data read-only instead.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::{clean_levels, parse_color, tag_key, UserData};

/// The version of the envelope this build writes.
pub const USER_DATA_VERSION: u32 = 3;

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

/// Upgrades an envelope of version `index + 1` to the next version.
const MIGRATIONS: [fn(Value) -> Result<Value, String>; 2] = [v1_to_v2, v2_to_v3];

fn read(text: &str) -> Result<Decoded, DecodeProblem> {
    let mut value: Value =
        serde_json::from_str(text).map_err(|err| DecodeProblem::NotJson(err.to_string()))?;
    let object = value.as_object().ok_or(DecodeProblem::NotFolio)?;
    if object.get("app").and_then(Value::as_str) != Some("folio") {
        return Err(DecodeProblem::NotFolio);
    }
    match object.get("kind") {
        None => {}
        Some(Value::String(kind)) if kind == "user-data" => {}
        Some(kind) => return Err(DecodeProblem::WrongKind(kind.to_string())),
    }
    let version = object.get("version").and_then(Value::as_u64).ok_or(DecodeProblem::NoVersion)?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    let corpus = object.get("corpus").and_then(Value::as_str).unwrap_or_default().to_owned();
    let saved_at = object.get("saved_at").and_then(Value::as_u64).unwrap_or_default();
    let damaged = |reason: String| DecodeProblem::Damaged { version, reason };
    if version == 0 {
        return Err(damaged("there is no format 0".to_owned()));
    }
    if version > USER_DATA_VERSION {
        let data = data_of(value)
            .ok()
            .filter(|data| validate(data).is_ok())
            .ok_or(DecodeProblem::TooNew(version))?;
        return Ok(Decoded { data, corpus, saved_at, read_only: true, version });
    }
    for migrate in &MIGRATIONS[version as usize - 1..] {
        value = migrate(value).map_err(damaged)?;
    }
    let data = data_of(value).map_err(|err| damaged(err.to_string()))?;
    validate(&data).map_err(damaged)?;
    Ok(Decoded { data, corpus, saved_at, read_only: false, version })
}

fn data_of(value: Value) -> Result<UserData, serde_json::Error> {
    #[derive(Deserialize)]
    struct Current {
        #[serde(default)]
        data: UserData,
    }
    Ok(serde_json::from_value::<Current>(value)?.data)
}

/// Version 1 kept tags only, as typed at the time: empty levels are
/// dropped (`a//b` becomes `a/b`), blank tags and repeats left out.
fn v1_to_v2(value: Value) -> Result<Value, String> {
    let Value::Object(mut envelope) = value else { return Err("not an object".to_owned()) };
    let tags = envelope.remove("tags").unwrap_or_else(|| json!({}));
    let tags: BTreeMap<String, Vec<String>> = serde_json::from_value(tags).map_err(|err| err.to_string())?;
    let mut papers = Map::new();
    for (id, names) in tags {
        let mut seen = HashSet::new();
        let kept: Vec<String> = names
            .iter()
            .filter_map(|name| {
                let levels: Vec<&str> = name.split('/').filter(|level| !level.trim().is_empty()).collect();
                clean_levels(&levels.join("/")).ok()
            })
            .filter(|name| seen.insert(tag_key(name)))
            .collect();
        if !kept.is_empty() {
            papers.insert(id, json!({ "tags": kept }));
        }
    }
    envelope.insert("kind".to_owned(), json!("user-data"));
    envelope.insert("version".to_owned(), json!(2));
    envelope.insert("data".to_owned(), json!({ "papers": papers }));
    Ok(Value::Object(envelope))
}

/// Version 2 had one `color` per tag; version 3 a list of `colors`.
fn v2_to_v3(mut value: Value) -> Result<Value, String> {
    if let Some(Value::Object(tags)) = value.pointer_mut("/data/tags") {
        for info in tags.values_mut() {
            let Value::Object(info) = info else {
                return Err("a tag's settings are not an object".to_owned());
            };
            let colors: Vec<Value> = info.remove("color").into_iter().filter(|c| !c.is_null()).collect();
            info.insert("colors".to_owned(), Value::Array(colors));
        }
    }
    value["version"] = json!(3);
    Ok(value)
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
