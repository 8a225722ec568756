//! Ranked search over the index: BM25F, prefix and typo tolerance, highlights, explain.
