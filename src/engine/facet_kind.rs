//! Facet kinds: every facet group the explorer counts, one row each in
//! `ROWS`: its key (in the view state, the URL, the search index's entity
//! table and query qualifiers), its heading, where its values come from,
//! whether a query qualifier names it, and how many of its values are
//! shown; a kind's row order is its place in the facet panel. The explorer,
//! the search index, the query parser, `folio stats` and the UI read this
//! table, and no other module spells a facet key (`tests/tidy.rs`). A new
//! facet kind is one row (and, for a new source, its values in
//! [`values_of`]).

use std::borrow::Cow;

use super::bundle::enrichment::{Enrichment, Span};
use super::bundle::metadata::MetadataField;
use super::bundle::Paper;
use super::catalog::EntityKind;
use super::highlight::Highlights;

/// A facet group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetKind {
    Model,
    Family,
    Benchmark,
    Method,
    Topic,
    Code,
    Keyphrase,
    Year,
    Venue,
    Category,
    Keyword,
    Author,
    Tag,
    State,
}

/// Where a kind's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The entities of this kind named in the title or abstract (for
    /// `family`, also the families of the models named).
    Entity(EntityKind),
    /// Other values extracted from the title and abstract (topics,
    /// keyphrases), each named where its spans say.
    Text,
    /// Whether the paper has code: a code link in its text or a code
    /// repository given by its source ([`HAS_CODE`], [`NO_CODE`]).
    Code,
    /// A metadata field, its values as the source gives them.
    Metadata(MetadataField),
    /// The user's data (tags, reading state), counted by the explorer's
    /// user facets, not found in the corpus.
    User,
}

/// One facet kind's row.
struct Row {
    kind: FacetKind,
    key: &'static str,
    label: &'static str,
    source: Source,
    /// Whether `key:` is a query qualifier (`model:gpt4`, `topic:safety`,
    /// `year:2023..`, `tag:reading`): the `qual.` column.
    qualifier: bool,
    /// At most this many values are facet values, those most papers share
    /// (at least two): a keyphrase of one paper filters nothing useful,
    /// and a 100k corpus has hundreds of thousands of them.
    limit: Option<usize>,
}

/// The facet kinds in panel order (the corpus's groups, then the user's),
/// one per [`FacetKind`] in its declaration order (tested).
#[rustfmt::skip]
const ROWS: [Row; 14] = [
    //  kind                  key          label             source                                       qual.  limit
    row(FacetKind::Model,     "model",     "Models",         Source::Entity(EntityKind::Model),           true,  None),
    row(FacetKind::Family,    "family",    "Model families", Source::Entity(EntityKind::Family),          false, None),
    row(FacetKind::Benchmark, "benchmark", "Benchmarks",     Source::Entity(EntityKind::Benchmark),       true,  None),
    row(FacetKind::Method,    "method",    "Methods",        Source::Entity(EntityKind::Method),          true,  None),
    row(FacetKind::Topic,     "topic",     "Topics",         Source::Text,                                true,  None),
    row(FacetKind::Code,      "code",      "Code",           Source::Code,                                false, None),
    row(FacetKind::Keyphrase, "keyphrase", "Keyphrases",     Source::Text,                                false, Some(300)),
    row(FacetKind::Year,      "year",      "Year",           Source::Metadata(MetadataField::Year),       true,  None),
    row(FacetKind::Venue,     "venue",     "Venues",         Source::Metadata(MetadataField::Venue),      false, None),
    row(FacetKind::Category,  "category",  "Categories",     Source::Metadata(MetadataField::Categories), false, None),
    row(FacetKind::Keyword,   "keyword",   "Keywords",       Source::Metadata(MetadataField::Keywords),   false, None),
    row(FacetKind::Author,    "author",    "Authors",        Source::Metadata(MetadataField::Authors),    false, None),
    row(FacetKind::Tag,       "tag",       "Tags",           Source::User,                                true,  None),
    row(FacetKind::State,     "state",     "Reading state",  Source::User,                                false, None),
];

const fn row(
    kind: FacetKind,
    key: &'static str,
    label: &'static str,
    source: Source,
    qualifier: bool,
    limit: Option<usize>,
) -> Row {
    Row { kind, key, label, source, qualifier, limit }
}

/// The values of the code facet.
pub const HAS_CODE: &str = "has code";
pub const NO_CODE: &str = "no code";

impl FacetKind {
    /// Every kind, in panel order.
    pub const ALL: [FacetKind; 14] = {
        let mut all = [FacetKind::Model; 14];
        let mut i = 0;
        while i < ROWS.len() {
            all[i] = ROWS[i].kind;
            i += 1;
        }
        all
    };

    const fn row(self) -> &'static Row {
        &ROWS[self as usize]
    }

    /// The group's key (`model`, `year`, ...).
    pub const fn key(self) -> &'static str {
        self.row().key
    }

    /// The group's heading.
    pub const fn label(self) -> &'static str {
        self.row().label
    }

    pub const fn source(self) -> Source {
        self.row().source
    }

    /// Whether `key:` is a query qualifier for this kind.
    pub const fn is_qualifier(self) -> bool {
        self.row().qualifier
    }

    /// How many values are facet values at most: those most papers share
    /// (at least two), for kinds with too many to list (keyphrases).
    pub const fn limit(self) -> Option<usize> {
        self.row().limit
    }

    /// The kind whose key is `key`.
    pub fn from_key(key: &str) -> Option<FacetKind> {
        ROWS.iter().find(|r| r.key == key).map(|r| r.kind)
    }

    /// The facet kind of an entity kind.
    pub fn of_entity(kind: EntityKind) -> FacetKind {
        ROWS.iter()
            .find(|r| r.source == Source::Entity(kind))
            .map(|r| r.kind)
            .expect("every entity kind has a facet kind (tested)")
    }

    /// Whether the group's values are named in the papers' text, so that
    /// [`FacetKind::mentions`] can show where.
    pub fn is_named_in_text(self) -> bool {
        matches!(self.source(), Source::Entity(_) | Source::Text)
    }

    /// Where a paper with `enrichment` names value `value` of this kind (a
    /// family where its models are named too), in text order, overlapping
    /// spans merged; empty for kinds not named in the text and values the
    /// paper lacks.
    pub fn mentions(self, enrichment: &Enrichment, value: &str) -> Highlights {
        let spans: Vec<Span> = match (self, self.source()) {
            (FacetKind::Topic, _) => enrichment
                .topics
                .iter()
                .filter(|t| t.name == value)
                .flat_map(|t| t.spans.iter().copied())
                .collect(),
            (FacetKind::Keyphrase, _) => enrichment
                .keyphrases
                .iter()
                .filter(|k| k.phrase == value)
                .flat_map(|k| k.spans.iter().copied())
                .collect(),
            (FacetKind::Family, _) => enrichment
                .entities
                .iter()
                .filter(|e| {
                    e.family.as_deref() == Some(value) || (e.kind == EntityKind::Family && e.name == value)
                })
                .flat_map(|e| e.spans.iter().copied())
                .collect(),
            (_, Source::Entity(kind)) => enrichment
                .entities
                .iter()
                .filter(|e| e.kind == kind && e.name == value)
                .flat_map(|e| e.spans.iter().copied())
                .collect(),
            _ => Vec::new(),
        };
        // Overlapping spans (a topic's terms "reasoning" and "logical
        // reasoning") become one.
        Highlights::from_mentions(spans)
    }
}

/// The values of a paper's text-derived kinds: its entities under their
/// kinds (a named model's family under `family` too), topics and
/// keyphrases; sorted by key and value, without repeats.
pub fn text_values(enrichment: &Enrichment) -> Vec<(FacetKind, String)> {
    let mut out: Vec<(FacetKind, String)> = Vec::new();
    for entity in &enrichment.entities {
        out.push((FacetKind::of_entity(entity.kind), entity.name.clone()));
        if let Some(family) = &entity.family {
            out.push((FacetKind::Family, family.clone()));
        }
    }
    out.extend(enrichment.topics.iter().map(|t| (FacetKind::Topic, t.name.clone())));
    out.extend(enrichment.keyphrases.iter().map(|k| (FacetKind::Keyphrase, k.phrase.clone())));
    out.sort_by(|a, b| (a.0.key(), &a.1).cmp(&(b.0.key(), &b.1)));
    out.dedup();
    out
}

/// Every facet value of `paper` from the corpus: [`text_values`], then its
/// code value, then its metadata values in row order (each field's values
/// in the source's order).
pub fn values_of(paper: &Paper) -> Vec<(FacetKind, Cow<'_, str>)> {
    let mut out: Vec<(FacetKind, Cow<'_, str>)> =
        text_values(&paper.enrichment).into_iter().map(|(kind, value)| (kind, Cow::Owned(value))).collect();
    for kind in FacetKind::ALL {
        match kind.source() {
            Source::Code => {
                let has_code = paper.enrichment.has_code() || paper.metadata.code_url.is_some();
                out.push((kind, Cow::Borrowed(if has_code { HAS_CODE } else { NO_CODE })));
            }
            Source::Metadata(field) => {
                out.extend(paper.metadata.values(field).into_iter().map(|value| (kind, value)))
            }
            Source::Entity(_) | Source::Text | Source::User => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_declaration_order_with_distinct_keys() {
        for (i, row) in ROWS.iter().enumerate() {
            assert_eq!(row.kind as usize, i, "{}", row.key);
            assert_eq!(FacetKind::from_key(row.key), Some(row.kind));
        }
        assert_eq!(FacetKind::from_key("models"), None);
    }

    /// The search index keys its entity table and the query its `model:`
    /// qualifier by the entity kind's name: the facet key must be it.
    #[test]
    fn every_entity_kind_is_the_facet_kind_of_its_name() {
        for kind in EntityKind::ALL {
            assert_eq!(FacetKind::of_entity(kind).key(), kind.as_str());
        }
    }

    #[test]
    fn values_named_in_the_text_are_those_extracted_from_it() {
        let named: Vec<&str> =
            FacetKind::ALL.iter().filter(|k| k.is_named_in_text()).map(|k| k.key()).collect();
        assert_eq!(named, ["model", "family", "benchmark", "method", "topic", "keyphrase"]);
    }
}
