//! The explorer: one call per interaction. Given the view state (query,
//! facet selection, sort), returns the ordered matching papers and the facet
//! counts for them. The UI renders what this returns and nothing else.

use super::bundle::Bundle;
use super::facets::{DocSet, FacetIndex, GroupCounts};
use super::view_state::{Sort, ViewState};

/// A loaded corpus, indexed for exploring.
pub struct Explorer {
    bundle: Bundle,
    facets: FacetIndex,
    /// Papers by title (folded), for the title sort.
    by_title: Vec<u32>,
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
}

impl Explorer {
    pub fn new(bundle: Bundle) -> Self {
        let facets = facet_index(&bundle);
        let mut by_title: Vec<u32> = (0..bundle.papers.len() as u32).collect();
        let keys: Vec<String> = bundle
            .papers
            .iter()
            .map(|p| super::analyze::fold(&p.title))
            .collect();
        by_title.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        Self {
            bundle,
            facets,
            by_title,
        }
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    pub fn facets(&self) -> &FacetIndex {
        &self.facets
    }

    pub fn explore(&self, state: &ViewState) -> Exploration {
        let candidates = self.facets.all();
        let matching = self.facets.filter(&candidates, &state.selection);
        let facets = self.facets.counts(&candidates, &state.selection);
        let docs = self.order(&matching, state.sort);
        Exploration { docs, facets }
    }

    fn order(&self, matching: &DocSet, sort: Sort) -> Vec<u32> {
        match sort {
            Sort::Relevance | Sort::Corpus => matching.ones().map(|d| d as u32).collect(),
            Sort::Title => self
                .by_title
                .iter()
                .copied()
                .filter(|&d| matching.contains(d as usize))
                .collect(),
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
        papers
            .iter()
            .enumerate()
            .filter_map(|(doc, p)| p.year.map(|y| (doc, y.to_string()))),
    );
    index.set_group(
        group::AUTHOR,
        "Authors",
        papers
            .iter()
            .enumerate()
            .flat_map(|(doc, p)| p.authors.iter().map(move |a| (doc, a.as_str()))),
    );
    index
}
