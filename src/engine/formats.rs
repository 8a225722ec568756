//! Readers for corpus formats other than the listing text (JSON Lines, JSON, BibTeX, CSV/TSV).
