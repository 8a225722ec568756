//! The search index built from a bundle: postings per field, document lengths.
