//! A paper's metadata: what its source says besides title and abstract
//! (authors, year, date, venue, links, identifiers, categories, keywords).
//!
//! The fields are listed once, in `metadata_fields!`; from that list come
//! [`Metadata`] (which both a reader's [`crate::engine::formats::Record`] and
//! a bundle's [`super::Paper`] hold), the names `--map` accepts
//! ([`MetadataField::map_name`]), the JSON keys ([`MetadataField::key`]), how
//! a duplicate's fields merge ([`Metadata::merge`]) and the paper's decoder
//! (`bundle.rs`). A new field is one row here and the lines of the readers
//! that fill it.

use std::borrow::Cow;

use serde::Serialize;

/// Calls macro `$then` with the metadata fields, in bundle order, one row
/// each: `name: Type, Variant, "--map name", merge;` where `name` is also
/// the field's JSON key, `Variant` its [`MetadataField`], and `merge` how a
/// duplicate's value joins the first one's: `fill` (taken when the first
/// has none) or `union` (values the first lacks are appended).
macro_rules! metadata_fields {
    ($then:ident) => {
        $then! {
            /// Display names (`First Last`), in the source's order.
            authors: Vec<String>, Authors, "authors", fill;
            year: Option<i32>, Year, "year", fill;
            /// Publication date as the source gives it.
            date: Option<String>, Date, "date", fill;
            venue: Option<String>, Venue, "venue", fill;
            url: Option<String>, Url, "url", fill;
            /// A code repository given by the source (besides links in the abstract).
            code_url: Option<String>, CodeUrl, "code", fill;
            doi: Option<String>, Doi, "doi", fill;
            arxiv: Option<String>, Arxiv, "arxiv", fill;
            categories: Vec<String>, Categories, "categories", union;
            keywords: Vec<String>, Keywords, "keywords", union;
        }
    };
}
pub(crate) use metadata_fields;

macro_rules! define_metadata {
    ($( $(#[$doc:meta])* $name:ident: $ty:ty, $variant:ident, $map:literal, $merge:ident; )*) => {
        /// What the source says about a paper besides title and abstract.
        /// Serialized flat into the paper object, each field left out when
        /// empty. (Read, a paper decodes the fields itself: see `bundle.rs`.)
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
        pub struct Metadata {
            $(
                $(#[$doc])*
                #[serde(skip_serializing_if = "Shape::is_empty")]
                pub $name: $ty,
            )*
        }

        /// One metadata field, by name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MetadataField {
            $( $variant, )*
        }

        impl MetadataField {
            /// Every field, in bundle order.
            pub const ALL: &'static [MetadataField] = &[$( MetadataField::$variant, )*];

            /// The field's key in the bundle's paper objects.
            pub const fn key(self) -> &'static str {
                match self {
                    $( MetadataField::$variant => stringify!($name), )*
                }
            }

            /// The field's name for `folio compile --map FIELD=NAME`.
            pub const fn map_name(self) -> &'static str {
                match self {
                    $( MetadataField::$variant => $map, )*
                }
            }
        }

        impl Metadata {
            /// Joins a duplicate's metadata into this one, field by field.
            pub fn merge(&mut self, other: Metadata) {
                $( $merge(&mut self.$name, other.$name); )*
            }

            /// The values of `field` as text (a year as its digits), in order.
            pub fn values(&self, field: MetadataField) -> Vec<Cow<'_, str>> {
                match field {
                    $( MetadataField::$variant => self.$name.texts(), )*
                }
            }
        }
    };
}

metadata_fields!(define_metadata);

/// The shapes a metadata field takes: one optional value or a list.
trait Shape: Default {
    fn is_empty(&self) -> bool;
    fn texts(&self) -> Vec<Cow<'_, str>>;
}

impl Shape for Option<String> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }

    fn texts(&self) -> Vec<Cow<'_, str>> {
        self.iter().map(|s| Cow::Borrowed(s.as_str())).collect()
    }
}

impl Shape for Option<i32> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }

    fn texts(&self) -> Vec<Cow<'_, str>> {
        self.iter().map(|n| Cow::Owned(n.to_string())).collect()
    }
}

impl Shape for Vec<String> {
    fn is_empty(&self) -> bool {
        <[String]>::is_empty(self)
    }

    fn texts(&self) -> Vec<Cow<'_, str>> {
        self.iter().map(|s| Cow::Borrowed(s.as_str())).collect()
    }
}

/// Takes `value` when `slot` has none.
fn fill<T: Shape>(slot: &mut T, value: T) {
    if slot.is_empty() {
        *slot = value;
    }
}

/// Appends the values `slot` lacks.
fn union(slot: &mut Vec<String>, values: Vec<String>) {
    for value in values {
        if !slot.contains(&value) {
            slot.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_fills_what_is_missing_and_adds_list_values() {
        let mut first = Metadata {
            authors: vec!["A".into()],
            venue: Some("ACL".into()),
            keywords: vec!["x".into()],
            ..Default::default()
        };
        first.merge(Metadata {
            authors: vec!["B".into()],
            year: Some(2024),
            venue: Some("arXiv".into()),
            keywords: vec!["y".into(), "x".into()],
            ..Default::default()
        });
        assert_eq!(first.authors, ["A"], "authors are the first source's, not a union");
        assert_eq!((first.year, first.venue.as_deref()), (Some(2024), Some("ACL")));
        assert_eq!(first.keywords, ["x", "y"]);
    }

    #[test]
    fn fields_have_their_json_keys_and_map_names() {
        let keys: Vec<&str> = MetadataField::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(
            keys,
            ["authors", "year", "date", "venue", "url", "code_url", "doi", "arxiv", "categories", "keywords"]
        );
        assert_eq!(MetadataField::CodeUrl.map_name(), "code");
        let metadata = Metadata { year: Some(2024), categories: vec!["cs.CL".into()], ..Default::default() };
        assert_eq!(metadata.values(MetadataField::Year), ["2024"]);
        assert_eq!(metadata.values(MetadataField::Categories), ["cs.CL"]);
        assert!(metadata.values(MetadataField::Venue).is_empty());
    }
}
