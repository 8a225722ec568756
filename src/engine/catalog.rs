//! The entity catalog: the one normalizer that turns any spelling of a model,
//! benchmark or method into its canonical name, for documents and queries.
//!
//! Matching runs over the parts of [`crate::engine::analyze::tokenize`]:
//! an alias matches consecutive parts whose folded text, joined, equals the
//! alias joined the same way, so "LLaMA-2", "Llama 2" and "llama2" are one
//! spelling. Consecutive parts may be separated only by up to three spaces or
//! joiners (`-`, `.`, `_`, `/`, `~`). Longest match wins. After a series name
//! the matcher reads sizes ("70B", "7B/13B/70B", "7B & 70B", "13/70B",
//! "models of sizes 7B, 13B, and 70B", or a size list just before the name)
//! and a variant suffix ("Chat", "Instruct", "base") in either order.
//!
//! Built from the entity dictionaries ([`crate::engine::dictionary`]) and
//! shipped in the bundle (`catalog`, user extensions included), so that the
//! browser normalizes queries exactly as the compiler did:
//!
//! - [`Catalog::find`]`(text) -> Vec<EntityMatch>`: every mention (kind,
//!   canonical name, family, byte span), as the compiler extracts them;
//! - [`Catalog::canonical`]`(kind, value) -> Option<EntityMatch>`: the one
//!   entity a qualifier value names (`model:llama2-chat-70b`), any case,
//!   run together or as an id;
//! - [`Catalog::resolve`]`(text) -> Vec<String>`: every canonical name a
//!   term names, case-sensitive spellings in any case;
//! - [`entity_id`]`(name)`: a URL-safe id (`llama-2-70b-chat`) that
//!   `canonical` reads back.

// Fx hashing: these maps are probed once or more per word of every text.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

use super::dictionary::{DictionaryFile, EntityEntry, SeriesEntry};
use crate::engine::analyze::{fold, for_each_part, spaced_runs};
use crate::engine::math::may_hold_tex;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Model,
    Family,
    Benchmark,
    Method,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] =
        [EntityKind::Model, EntityKind::Family, EntityKind::Benchmark, EntityKind::Method];

    /// The kind's name in JSON, facets and query qualifiers (`model:`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Model => "model",
            EntityKind::Family => "family",
            EntityKind::Benchmark => "benchmark",
            EntityKind::Method => "method",
        }
    }
}

/// The name given is not an entity kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an entity kind; use model, family, benchmark or method")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for EntityKind {
    type Err = UnknownKind;

    /// Parses a qualifier name, any case: `model`, `family`, `benchmark`,
    /// `method`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        EntityKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

/// The stable id of a canonical name: folded, runs of anything but letters,
/// digits, `+` and a decimal point as one `-` ("Llama-2-70B-Chat" ->
/// `llama-2-70b-chat`, "GPT-3.5 Turbo" -> `gpt-3.5-turbo`). Fit for URLs and
/// qualifiers, and [`Catalog::canonical`] reads it back.
pub fn entity_id(name: &str) -> String {
    let folded = fold(name);
    let chars: Vec<char> = folded.chars().collect();
    let mut id = String::with_capacity(name.len());
    for (i, &c) in chars.iter().enumerate() {
        let decimal_point = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() || c == '+' || decimal_point {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let trimmed = id.trim_end_matches('-').len();
    id.truncate(trimmed);
    id
}

/// One mention of an entity in a text: canonical name and byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMatch {
    pub kind: EntityKind,
    /// Canonical name ("Llama-2-70B-Chat").
    pub name: String,
    /// The model's family ("Llama 2"); `None` for families, benchmarks and
    /// methods.
    pub family: Option<String>,
    /// Byte span of the mention in the text searched. A size range
    /// ("Llama-2-Chat-7B/13B") yields one match per size, each spanning the
    /// whole range.
    pub start: usize,
    pub end: usize,
}

impl EntityMatch {
    /// The stable id of the canonical name (see [`entity_id`]).
    pub fn id(&self) -> String {
        entity_id(&self.name)
    }
}

/// The entity dictionaries with their matcher. Serialized as the dictionary
/// data only (series, models, benchmarks, methods); the matcher is rebuilt
/// on load, so the browser normalizes queries exactly as the compiler did.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "CatalogData", into = "CatalogData")]
pub struct Catalog {
    data: CatalogData,
    matcher: Matcher,
}

/// The serialized form of a [`Catalog`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogData {
    #[serde(default)]
    pub series: Vec<SeriesEntry>,
    #[serde(default)]
    pub models: Vec<EntityEntry>,
    #[serde(default)]
    pub benchmarks: Vec<EntityEntry>,
    #[serde(default)]
    pub methods: Vec<EntityEntry>,
}

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl Default for Catalog {
    fn default() -> Self {
        CatalogData::default().into()
    }
}

impl From<CatalogData> for Catalog {
    fn from(data: CatalogData) -> Self {
        let matcher = Matcher::build(&data);
        Catalog { data, matcher }
    }
}

impl From<Catalog> for CatalogData {
    fn from(catalog: Catalog) -> Self {
        catalog.data
    }
}

impl Catalog {
    /// The catalog of a dictionary file's entity sections.
    pub fn from_dictionary(file: &DictionaryFile) -> Catalog {
        CatalogData {
            series: file.series.clone(),
            models: file.models.clone(),
            benchmarks: file.benchmarks.clone(),
            methods: file.methods.clone(),
        }
        .into()
    }

    pub fn data(&self) -> &CatalogData {
        &self.data
    }

    /// Every entity mention in `text`, in order of position. A size range
    /// yields one match per size, each spanning the whole expression.
    pub fn find(&self, text: &str) -> Vec<EntityMatch> {
        self.find_outside(text, &[])
    }

    /// Like [`Catalog::find`], ignoring text inside the given byte ranges
    /// (URLs, whose paths often spell entity names).
    pub fn find_outside(&self, text: &str, skip: &[(usize, usize)]) -> Vec<EntityMatch> {
        let mut arena = String::new();
        let parts = parts_of(text, &mut arena, skip);
        self.matcher.scan(&self.data, text, &parts, false)
    }

    /// Like [`Catalog::find`] over parts already split from `text`.
    pub(crate) fn find_in_parts(&self, text: &str, parts: &[Part<'_>]) -> Vec<EntityMatch> {
        self.matcher.scan(&self.data, text, parts, false)
    }

    /// The one entity of `kind` that all of `text` names: the normalizer for
    /// a query qualifier such as `model:llama2-chat-70b` or `benchmark:math`.
    ///
    /// Any case matches (queries are typed casually), and so do ids
    /// ([`entity_id`]) and run-together spellings ("llama2chat70b"). For
    /// `Family`, a model names its family (`family:gpt-4` is GPT). For
    /// `Model`, a family name is accepted and returned as a `Family` match
    /// (a family is a set of models). `None` when the text names no such
    /// entity, has words besides it, or names several (a size range).
    pub fn canonical(&self, kind: EntityKind, text: &str) -> Option<EntityMatch> {
        let whole = |text: &str| -> Option<EntityMatch> {
            let mut arena = String::new();
            let parts = parts_of(text, &mut arena, &[]);
            let (first, last) = (parts.first()?, parts.last()?);
            let covers = |m: &EntityMatch| m.start <= first.start && m.end >= last.end;
            let exact = self.matcher.scan(&self.data, text, &parts, false);
            let found = if exact.iter().any(covers) {
                exact
            } else {
                self.matcher.scan(&self.data, text, &parts, true)
            };
            let mut wanted: Vec<EntityMatch> = found
                .into_iter()
                .filter(covers)
                .filter_map(|m| match (kind, m.kind) {
                    (want, got) if want == got => Some(m),
                    (EntityKind::Model, EntityKind::Family) => Some(m),
                    (EntityKind::Family, EntityKind::Model) => {
                        let name = m.family?;
                        Some(EntityMatch { kind: EntityKind::Family, name, family: None, ..m })
                    }
                    _ => None,
                })
                .collect();
            wanted.dedup_by(|a, b| a.name == b.name);
            (wanted.len() == 1).then(|| wanted.remove(0))
        };
        whole(text).or_else(|| {
            let word = text.trim();
            let spaced = spaced_runs(&fold(word));
            let run_together = word.chars().all(char::is_alphanumeric) && spaced != fold(word);
            run_together.then(|| whole(&spaced)).flatten().map(|m| EntityMatch {
                start: 0,
                end: text.len(),
                ..m
            })
        })
    }

    /// The canonical names a query term or qualifier value names:
    /// "llama2-chat-70b" gives `["Llama-2-70B-Chat"]`, "math" gives `["MATH"]`.
    /// Case-sensitive aliases match in any case here, since queries are
    /// typed casually.
    pub fn resolve(&self, text: &str) -> Vec<String> {
        let mut arena = String::new();
        let parts = parts_of(text, &mut arena, &[]);
        let mut found = self.matcher.scan(&self.data, text, &parts, false);
        if found.is_empty() {
            found = self.matcher.scan(&self.data, text, &parts, true);
        }
        let mut names: Vec<String> = Vec::new();
        for m in found {
            if !names.contains(&m.name) {
                names.push(m.name);
            }
        }
        names
    }
}

/// One alphanumeric part of the text (folded) and its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part<'a> {
    pub term: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The part tokens of `text` (as [`crate::engine::analyze::tokenize`]
/// yields them) outside the `skip` ranges. The folded terms live in
/// `arena`: one allocation per text rather than one per word.
pub(crate) fn parts_of<'a>(text: &str, arena: &'a mut String, skip: &[(usize, usize)]) -> Vec<Part<'a>> {
    let outside = |start: usize, end: usize| !skip.iter().any(|&(s, e)| start < e && end > s);
    arena.clear();
    // (start, end, folded start, folded end)
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    if text.is_ascii() && !may_hold_tex(text) {
        // Folding ASCII is lowercasing, which keeps every byte offset (TeX
        // folds to other letters: `\ell` is `l`).
        arena.push_str(text);
        arena.make_ascii_lowercase();
        for_each_part(text, |_, start, end| {
            if outside(start, end) {
                spans.push((start, end, start, end));
            }
        });
    } else {
        for_each_part(text, |term, start, end| {
            if outside(start, end) {
                spans.push((start, end, arena.len(), arena.len() + term.len()));
                arena.push_str(term);
            }
        });
    }
    let arena: &'a String = arena;
    spans.into_iter().map(|(start, end, a, b)| Part { term: &arena[a..b], start, end }).collect()
}

/// The alias as written, minus everything but letters and digits: the key
/// for case-sensitive matching.
fn squash_raw(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Series(usize),
    Model(usize),
    Benchmark(usize),
    Method(usize),
    Variant(usize),
}

/// Aliases by squashed key, longest match first.
#[derive(Debug, Clone, Default)]
struct PhraseMap {
    /// Key -> candidates (later entries win); `Some(raw)` for case-sensitive ones.
    keys: HashMap<String, Vec<(Target, Option<String>)>>,
    prefixes: HashSet<String>,
    max_parts: usize,
}

impl PhraseMap {
    fn insert(&mut self, alias: &str, target: Target, exact: bool) {
        let mut arena = String::new();
        let parts = parts_of(alias, &mut arena, &[]);
        if parts.is_empty() {
            return;
        }
        let key: String = parts.iter().map(|p| p.term).collect();
        let mut prefix = String::new();
        for part in &parts {
            prefix.push_str(part.term);
            self.prefixes.insert(prefix.clone());
        }
        // A single part of the text may hold several alias parts ("Llama2").
        for end in 1..=key.len() {
            if key.is_char_boundary(end) {
                self.prefixes.insert(key[..end].to_owned());
            }
        }
        self.max_parts = self.max_parts.max(parts.len() + 2);
        let raw = exact.then(|| squash_raw(alias));
        self.keys.entry(key).or_default().push((target, raw));
    }

    /// The longest alias starting at part `i`: its last part and target.
    fn longest(&self, text: &str, parts: &[Part<'_>], i: usize, any_case: bool) -> Option<(usize, Target)> {
        if !self.prefixes.contains(parts[i].term) {
            return None;
        }
        let mut key = String::new();
        let mut best = None;
        for j in i..parts.len().min(i + self.max_parts) {
            if j > i && !phrase_gap(&text[parts[j - 1].end..parts[j].start]) {
                break;
            }
            key.push_str(parts[j].term);
            if !self.prefixes.contains(&key) {
                break;
            }
            if let Some(candidates) = self.keys.get(&key) {
                let raw = || squash_raw(&text[parts[i].start..parts[j].end]);
                let hit = candidates
                    .iter()
                    .rev()
                    .find(|(_, exact)| any_case || exact.as_ref().is_none_or(|e| *e == raw()));
                if let Some((target, _)) = hit {
                    best = Some((j, *target));
                }
            }
        }
        best
    }
}

/// Whether two parts may belong to one name: at most three spaces or joiners.
fn phrase_gap(gap: &str) -> bool {
    gap.chars().count() <= 3
        && gap.chars().all(|c| c.is_whitespace() || "-._/~\u{2010}\u{2011}\u{2013}".contains(c))
}

#[derive(Debug, Clone, Default)]
struct Matcher {
    names: PhraseMap,
    /// Variant suffixes per series.
    variants: Vec<PhraseMap>,
}

/// Words allowed between a series name and its sizes ("models of sizes").
const FILLER: [&str; 8] = ["model", "models", "of", "size", "sizes", "variant", "variants", "with"];

impl Matcher {
    fn build(data: &CatalogData) -> Matcher {
        let mut names = PhraseMap::default();
        let mut add = |name: &str, aliases: &[String], exact: &[String], target: Target| {
            let is_exact = |a: &str| exact.iter().any(|e| e.eq_ignore_ascii_case(a));
            for alias in std::iter::once(&name.to_owned()).chain(aliases) {
                if !is_exact(alias) {
                    names.insert(alias, target, false);
                }
            }
            for alias in exact {
                names.insert(alias, target, true);
            }
        };
        for (i, s) in data.series.iter().enumerate() {
            add(&s.name, &s.aliases, &s.exact, Target::Series(i));
        }
        for (i, e) in data.models.iter().enumerate() {
            add(&e.name, &e.aliases, &e.exact, Target::Model(i));
        }
        for (i, e) in data.benchmarks.iter().enumerate() {
            add(&e.name, &e.aliases, &e.exact, Target::Benchmark(i));
        }
        for (i, e) in data.methods.iter().enumerate() {
            add(&e.name, &e.aliases, &e.exact, Target::Method(i));
        }
        let variants = data
            .series
            .iter()
            .map(|s| {
                let mut map = PhraseMap::default();
                for (i, v) in s.variants.iter().enumerate() {
                    map.insert(&v.suffix, Target::Variant(i), false);
                }
                map
            })
            .collect();
        Matcher { names, variants }
    }

    fn scan(&self, data: &CatalogData, text: &str, parts: &[Part<'_>], any_case: bool) -> Vec<EntityMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        // Parts before `floor` belong to an earlier match.
        let mut floor = 0;
        while i < parts.len() {
            let Some((j, target)) = self.names.longest(text, parts, i, any_case) else {
                i += 1;
                continue;
            };
            let simple = |kind, entry: &EntityEntry| EntityMatch {
                kind,
                name: entry.name.clone(),
                family: entry.family.clone(),
                start: parts[i].start,
                end: parts[j].end,
            };
            let last = match target {
                Target::Series(s) => self.series(data, s, text, parts, i, j, floor, &mut out),
                Target::Model(m) => {
                    out.push(simple(EntityKind::Model, &data.models[m]));
                    self.version_list(data, text, parts, i, j, any_case, &mut out)
                }
                Target::Benchmark(b) => {
                    let mut m = simple(EntityKind::Benchmark, &data.benchmarks[b]);
                    m.family = None;
                    out.push(m);
                    j
                }
                Target::Method(b) => {
                    let mut m = simple(EntityKind::Method, &data.methods[b]);
                    m.family = None;
                    out.push(m);
                    j
                }
                Target::Variant(_) => j,
            };
            i = last + 1;
            floor = i;
        }
        out
    }

    /// "GPT-3.5/4": a model name whose last part is a version, then `/` and
    /// another version of the same name. Returns the last part consumed.
    #[allow(clippy::too_many_arguments)]
    fn version_list(
        &self,
        data: &CatalogData,
        text: &str,
        parts: &[Part<'_>],
        i: usize,
        j: usize,
        any_case: bool,
        out: &mut Vec<EntityMatch>,
    ) -> usize {
        let starts_digit = |p: &Part<'_>| p.term.starts_with(|c: char| c.is_ascii_digit());
        let mut last = j;
        while last + 1 < parts.len()
            && j > i
            && starts_digit(&parts[j])
            && starts_digit(&parts[last + 1])
            && text[parts[last].end..parts[last + 1].start] == *"/"
        {
            let mut key: String = parts[i..j].iter().map(|p| p.term).collect();
            key.push_str(parts[last + 1].term);
            let hit =
                self.names.keys.get(&key).and_then(|c| c.iter().rev().find(|(_, e)| any_case || e.is_none()));
            let Some((Target::Model(m), _)) = hit else { break };
            let entry = &data.models[*m];
            out.push(EntityMatch {
                kind: EntityKind::Model,
                name: entry.name.clone(),
                family: entry.family.clone(),
                start: parts[i].start,
                end: parts[last + 1].end,
            });
            last += 1;
        }
        last
    }

    /// A series name at parts `i..=j`: reads sizes and a variant around it,
    /// pushes the models (or the family), returns the last part consumed.
    #[allow(clippy::too_many_arguments)]
    fn series(
        &self,
        data: &CatalogData,
        s: usize,
        text: &str,
        parts: &[Part<'_>],
        i: usize,
        j: usize,
        floor: usize,
        out: &mut Vec<EntityMatch>,
    ) -> usize {
        let series = &data.series[s];
        let sized = series.sized.is_some() || !series.variants.is_empty();
        let n = parts.len();
        let follows = |a: usize, b: usize| b < n && phrase_gap(&text[parts[a].end..parts[b].start]);
        let mut end = j;
        let mut sizes: Option<Vec<String>> = None;
        if sized && follows(end, end + 1) {
            if let Some((list, last)) = sizes_forward(text, parts, end + 1) {
                sizes = Some(list);
                end = last;
            }
        }
        let mut variant = None;
        if follows(end, end + 1) {
            if let Some((last, Target::Variant(v))) = self.variants[s].longest(text, parts, end + 1, false) {
                variant = Some(&series.variants[v]);
                end = last;
            }
        }
        if sized && sizes.is_none() && follows(end, end + 1) {
            if let Some((list, last)) = sizes_forward(text, parts, end + 1) {
                sizes = Some(list);
                end = last;
            }
        }
        if sized && sizes.is_none() {
            let mut k = end + 1;
            while k < n && k <= end + 3 && FILLER.contains(&parts[k].term) && spaced(text, parts, k - 1, k) {
                k += 1;
            }
            if k > end + 1 && k < n && spaced(text, parts, k - 1, k) {
                if let Some((list, last)) = sizes_forward(text, parts, k) {
                    sizes = Some(list);
                    end = last;
                }
            }
        }
        let mut start = parts[i].start;
        if sized && sizes.is_none() && i > floor && spaced(text, parts, i - 1, i) {
            if let Some((list, first)) = sizes_backward(text, parts, i - 1, floor) {
                sizes = Some(list);
                start = parts[first].start;
            }
        }
        let family = variant
            .and_then(|v| v.family.clone())
            .or_else(|| series.family.clone())
            .unwrap_or_else(|| series.name.clone());
        let end_byte = parts[end].end;
        let push = |out: &mut Vec<EntityMatch>, kind, name: String| {
            let family = (kind == EntityKind::Model).then(|| family.clone());
            out.push(EntityMatch { kind, name, family, start, end: end_byte });
        };
        let template = variant.map(|v| Some(&v.sized)).unwrap_or(series.sized.as_ref());
        match (sizes, template) {
            (Some(list), Some(template)) => {
                for size in list {
                    push(out, EntityKind::Model, template.replace("{size}", &size));
                }
            }
            _ => match variant.and_then(|v| v.name.clone()) {
                Some(name) => push(out, EntityKind::Model, name),
                None if series.bare || variant.is_some() => {
                    out.push(EntityMatch {
                        kind: EntityKind::Family,
                        name: family.clone(),
                        family: None,
                        start: parts[i].start,
                        end: parts[j].end,
                    });
                    return j;
                }
                None => return j,
            },
        }
        end
    }
}

/// Parts `a` and `b` are separated by whitespace only.
fn spaced(text: &str, parts: &[Part<'_>], a: usize, b: usize) -> bool {
    let gap = &text[parts[a].end..parts[b].start];
    !gap.is_empty() && gap.len() <= 3 && gap.chars().all(char::is_whitespace)
}

/// A size token: `Some((number, Some(unit)))` for "70b", "8x7b", "1.5b";
/// `Some((number, None))` for a bare number that may take a later unit.
fn size_of(term: &str) -> Option<(&str, Option<char>)> {
    let number_ok = |n: &str| {
        let n = n.split_once('x').map_or(n, |(experts, each)| {
            if experts.is_empty() || !experts.chars().all(|c| c.is_ascii_digit()) {
                ""
            } else {
                each
            }
        });
        !n.is_empty()
            && n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !n.ends_with('.')
    };
    match term.char_indices().last()? {
        (at, unit @ ('b' | 'm' | 't')) if number_ok(&term[..at]) => Some((&term[..at], Some(unit))),
        _ if term.len() <= 4 && term.chars().all(|c| c.is_ascii_digit()) => Some((term, None)),
        _ => None,
    }
}

fn size_text(number: &str, unit: char) -> String {
    format!("{number}{}", unit.to_ascii_uppercase())
}

/// Resolves bare numbers to the unit of the next sized item ("13/70B");
/// drops bare numbers at the end. `None` when no item has a unit.
fn finish(items: Vec<(&str, Option<char>, usize)>) -> Option<(Vec<String>, usize)> {
    let last_sized = items.iter().rposition(|(_, u, _)| u.is_some())?;
    let mut out = Vec::new();
    for (k, (number, unit)) in items.iter().map(|(n, u, _)| (n, u)).enumerate().take(last_sized + 1) {
        let unit = unit.or_else(|| items[k..].iter().find_map(|(_, u, _)| *u))?;
        out.push(size_text(number, unit));
    }
    Some((out, items[last_sized].2))
}

/// A list separator between parts `a` and `b`, and the part after it:
/// ",", "/", "&", "and", "or", ", and".
fn separator_forward(text: &str, parts: &[Part<'_>], a: usize) -> Option<usize> {
    let b = a + 1;
    let gap = text.get(parts[a].end..parts.get(b)?.start)?;
    let mark = gap.trim();
    if gap.len() > 4 || !matches!(mark, "" | "," | "/" | "&") {
        return None;
    }
    if matches!(parts[b].term, "and" | "or") {
        let after = text.get(parts[b].end..parts.get(b + 1)?.start)?;
        return (!after.is_empty() && after.len() <= 2 && after.trim().is_empty()).then_some(b + 1);
    }
    (!mark.is_empty()).then_some(b)
}

fn sizes_forward<'t>(text: &str, parts: &'t [Part<'_>], k: usize) -> Option<(Vec<String>, usize)> {
    let mut items: Vec<(&'t str, Option<char>, usize)> = Vec::new();
    let mut at = k;
    while let Some((number, unit)) = size_of(parts[at].term) {
        items.push((number, unit, at));
        match separator_forward(text, parts, at) {
            Some(next) if size_of(parts[next].term).is_some() => at = next,
            _ => break,
        }
    }
    finish(items)
}

/// A size list ending at part `b` (just before a series name), not reaching
/// below `floor`. Returns the sizes and the first part of the list.
fn sizes_backward<'t>(
    text: &str,
    parts: &'t [Part<'_>],
    b: usize,
    floor: usize,
) -> Option<(Vec<String>, usize)> {
    let mut items: Vec<(&'t str, Option<char>, usize)> = Vec::new();
    let mut at = b;
    while let Some((number, unit)) = size_of(parts[at].term) {
        if items.is_empty() && unit.is_none() {
            return None;
        }
        items.push((number, unit, at));
        let prev = (floor.max(at.saturating_sub(2))..at)
            .rev()
            .find(|&p| separator_forward(text, parts, p) == Some(at));
        match prev {
            Some(p) if size_of(parts[p].term).is_some() => at = p,
            _ => break,
        }
    }
    items.reverse();
    let first = items.first()?.2;
    finish(items).map(|(list, _)| (list, first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_tokens() {
        assert_eq!(size_of("70b"), Some(("70", Some('b'))));
        assert_eq!(size_of("8x7b"), Some(("8x7", Some('b'))));
        assert_eq!(size_of("1.5b"), Some(("1.5", Some('b'))));
        assert_eq!(size_of("13"), Some(("13", None)));
        assert_eq!(size_of("llama"), None);
        assert_eq!(size_of("b"), None);
        assert_eq!(size_of("128k"), None);
    }
}
