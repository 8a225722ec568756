//! The explorer: one call per interaction. Given the view state (query,
//! facet selection, sort), returns the ordered matching papers and the facet
//! counts for them. The UI renders what this returns and nothing else.

use std::collections::HashMap;

use super::bundle::Bundle;
use super::facets::{counts_all, filter_all, DocSet, FacetIndex, GroupCounts};
use super::tags::UserData;
use super::view_state::{Sort, ViewState};

/// A loaded corpus, indexed for exploring.
pub struct Explorer {
    bundle: Bundle,
    facets: FacetIndex,
    /// Papers by title (folded), for the title sort.
    by_title: Vec<u32>,
    /// Paper id -> index.
    doc_of: HashMap<String, u32>,
}

/// The answer to one interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exploration {
    /// Matching papers (indices into `bundle.papers`), in display order.
    pub docs: Vec<u32>,
    /// Facet counts for the papers matching the query, per group.
    pub facets: Vec<GroupCounts>,
}

/// Facet group keys, in the order the panel shows them.
pub mod group {
    pub const YEAR: &str = "year";
    pub const AUTHOR: &str = "author";
    pub const TAG: &str = "tag";
    pub const STATE: &str = "state";
}

/// Values of the reading-state group.
pub mod state {
    pub const STARRED: &str = "starred";
    pub const READ: &str = "read";
    pub const UNREAD: &str = "unread";
    pub const NOTE: &str = "has note";
}

impl Explorer {
    pub fn new(bundle: Bundle) -> Self {
        let facets = facet_index(&bundle);
        let mut by_title: Vec<u32> = (0..bundle.papers.len() as u32).collect();
        let keys: Vec<String> = bundle.papers.iter().map(|p| super::analyze::fold(&p.title)).collect();
        by_title.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let doc_of = bundle.papers.iter().enumerate().map(|(i, p)| (p.id.clone(), i as u32)).collect();
        Self { bundle, facets, by_title, doc_of }
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    pub fn facets(&self) -> &FacetIndex {
        &self.facets
    }

    /// The index of the paper with this id.
    pub fn doc(&self, id: &str) -> Option<u32> {
        self.doc_of.get(id).copied()
    }

    /// Facet groups of the user's data: tags (a paper tagged `reading/now`
    /// also counts under `reading`) and reading state.
    pub fn user_facets(&self, user: &UserData) -> FacetIndex {
        let mut index = FacetIndex::new(self.bundle.papers.len());
        let tagged = user.papers.iter().filter_map(|(id, data)| Some((self.doc(id)? as usize, data)));
        let mut tag_pairs = Vec::new();
        let mut state_pairs = Vec::new();
        for (doc, data) in tagged {
            for tag in &data.tags {
                let mut levels = tag.match_indices('/').map(|(i, _)| &tag[..i]).collect::<Vec<_>>();
                levels.push(tag);
                tag_pairs.extend(levels.into_iter().map(|t| (doc, t.to_owned())));
            }
            if data.starred {
                state_pairs.push((doc, state::STARRED));
            }
            if data.read {
                state_pairs.push((doc, state::READ));
            }
            if !data.note.is_empty() {
                state_pairs.push((doc, state::NOTE));
            }
        }
        tag_pairs.sort();
        tag_pairs.dedup();
        let read: DocSet = state_pairs.iter().filter(|(_, s)| *s == state::READ).map(|(d, _)| *d).collect();
        state_pairs
            .extend((0..self.bundle.papers.len()).filter(|d| !read.contains(*d)).map(|d| (d, state::UNREAD)));
        index.set_group(group::TAG, "Tags", tag_pairs);
        index.set_group(group::STATE, "Reading state", state_pairs);
        index
    }

    pub fn explore(&self, state: &ViewState, user_facets: &FacetIndex) -> Exploration {
        let indexes = [&self.facets, user_facets];
        let candidates = self.facets.all();
        let matching = filter_all(&indexes, &candidates, &state.selection);
        let facets = counts_all(&indexes, &candidates, &state.selection);
        let docs = self.order(&matching, state.sort);
        Exploration { docs, facets }
    }

    fn order(&self, matching: &DocSet, sort: Sort) -> Vec<u32> {
        match sort {
            Sort::Relevance | Sort::Corpus => matching.ones().map(|d| d as u32).collect(),
            Sort::Title => self.by_title.iter().copied().filter(|&d| matching.contains(d as usize)).collect(),
            Sort::Year => {
                let mut docs: Vec<u32> = matching.ones().map(|d| d as u32).collect();
                // Stable: papers of the same year keep corpus order; no year goes last.
                docs.sort_by_key(|&d| {
                    std::cmp::Reverse(self.bundle.papers[d as usize].year.unwrap_or(i32::MIN))
                });
                docs
            }
        }
    }
}

/// The facet groups a bundle supports: only those with values appear.
fn facet_index(bundle: &Bundle) -> FacetIndex {
    let papers = &bundle.papers;
    let mut index = FacetIndex::new(papers.len());
    index.set_group(
        group::YEAR,
        "Year",
        papers.iter().enumerate().filter_map(|(doc, p)| p.year.map(|y| (doc, y.to_string()))),
    );
    index.set_group(
        group::AUTHOR,
        "Authors",
        papers.iter().enumerate().flat_map(|(doc, p)| p.authors.iter().map(move |a| (doc, a.as_str()))),
    );
    index
}
