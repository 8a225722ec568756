//! The shareable view state (query, filters, exclusions, sort, open paper)
//! and its URL query-parameter form, so a reload, back/forward or a copied
//! link restores exactly the same view on any static host.
//!
//! Parameters: `q` query text; `f` an included facet value and `x` an
//! excluded one, both `group:value` and repeatable; `sort`; `paper` the open
//! paper's id. Unknown parameters and malformed values are ignored (a link
//! never fails to open). The browser layer does the percent-encoding.

use super::facets::Selection;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By search score; corpus order when there is no query.
    #[default]
    Relevance,
    Title,
    /// Newest first; papers without a year last.
    Year,
    Corpus,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Title, Sort::Year, Sort::Corpus];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Year => "year",
            Sort::Corpus => "corpus",
        }
    }

    pub fn parse(text: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == text)
    }
}

/// Everything a link to a view must carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    pub query: String,
    pub selection: Selection,
    pub sort: Sort,
    pub paper: Option<String>,
}

impl ViewState {
    /// The state as query parameters, in a stable order; defaults are left out.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.query.is_empty() {
            pairs.push(("q".to_owned(), self.query.clone()));
        }
        for (key, map) in [("f", &self.selection.include), ("x", &self.selection.exclude)] {
            for (group, values) in map {
                pairs.extend(values.iter().map(|value| (key.to_owned(), format!("{group}:{value}"))));
            }
        }
        if self.sort != Sort::default() {
            pairs.push(("sort".to_owned(), self.sort.as_str().to_owned()));
        }
        if let Some(paper) = &self.paper {
            pairs.push(("paper".to_owned(), paper.clone()));
        }
        pairs
    }

    /// Reads the state from decoded query parameters, ignoring what it does
    /// not understand.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> ViewState {
        let mut state = ViewState::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "q" => state.query = value.to_owned(),
                "f" | "x" => {
                    if let Some((group, facet_value)) =
                        value.split_once(':').filter(|(g, v)| !g.is_empty() && !v.is_empty())
                    {
                        if key.as_ref() == "f" {
                            state.selection.include(group, facet_value);
                        } else {
                            state.selection.exclude(group, facet_value);
                        }
                    }
                }
                "sort" => state.sort = Sort::parse(value).unwrap_or_default(),
                "paper" if !value.is_empty() => state.paper = Some(value.to_owned()),
                _ => {}
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_round_trip(state: &ViewState) {
        assert_eq!(&ViewState::from_pairs(state.to_pairs()), state);
    }

    #[test]
    fn the_default_view_has_no_parameters() {
        assert!(ViewState::default().to_pairs().is_empty());
    }

    #[test]
    fn every_part_of_the_view_survives_a_round_trip() {
        let mut state = ViewState {
            query: "speculative \"decoding\" -lora".into(),
            sort: Sort::Year,
            paper: Some("t-576499ffffc6".into()),
            ..Default::default()
        };
        state.selection.include("model", "Llama-2-70B-Chat");
        state.selection.include("model", "Mixtral 8x7B");
        state.selection.exclude("topic", "safety: jailbreaks");
        check_round_trip(&state);
        assert_eq!(
            state.to_pairs().iter().filter(|(k, _)| k == "f").map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
            ["model:Llama-2-70B-Chat", "model:Mixtral 8x7B"]
        );
    }

    #[test]
    fn malformed_parameters_are_ignored() {
        let state = ViewState::from_pairs([
            ("f", "novalue"),
            ("f", ":x"),
            ("sort", "sideways"),
            ("paper", ""),
            ("zzz", "1"),
        ]);
        assert_eq!(state, ViewState::default());
    }

    #[test]
    fn a_value_may_contain_colons() {
        let state = ViewState::from_pairs([("f", "topic:safety: jailbreaks")]);
        assert!(state.selection.include["topic"].contains("safety: jailbreaks"));
    }
}
