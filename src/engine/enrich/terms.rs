//! The corpus as stemmed term ids: one pass of the shared analyzer over every
//! title and abstract, feeding topics, keyphrases and similar papers.

// Fx hashing: these maps are probed once or more per word of every text.
use rustc_hash::FxHashMap as HashMap;

use crate::engine::analyze::stem;
use crate::engine::catalog::Part;

/// Which text of a paper a span is in.
pub const TITLE: u8 = 0;
pub const ABSTRACT: u8 = 1;

/// One word of a paper: its term id with three flags in one `u32`, and
/// where it is in its text. (A million papers hold 200 million words, all
/// held until the corpus-wide passes end: 12 bytes each, not 16.)
#[derive(Debug, Clone, Copy)]
pub struct Tok {
    /// The term id in the low [`TERM_BITS`] bits, then the field (a bit set
    /// for [`ABSTRACT`]) and the `joined` and `named` flags.
    word: u32,
    pub start: u32,
    pub end: u32,
}

/// Bits of a term id: a vocabulary holds at most `1 << TERM_BITS` terms
/// (at a million papers it holds 250,000); past that, every new term is
/// the last one, a weak term (see [`Vocabulary::id`]).
const TERM_BITS: u32 = 29;
const _: () = assert!(std::mem::size_of::<Tok>() == 12);
const MAX_TERMS: usize = 1 << TERM_BITS;
const ABSTRACT_BIT: u32 = 1 << TERM_BITS;
const JOINED_BIT: u32 = 1 << (TERM_BITS + 1);
const NAMED_BIT: u32 = 1 << (TERM_BITS + 2);

impl Tok {
    pub fn new(term: u32, field: u8, joined: bool) -> Tok {
        let field = if field == TITLE { 0 } else { ABSTRACT_BIT };
        let joined = if joined { JOINED_BIT } else { 0 };
        Tok { word: (term & (ABSTRACT_BIT - 1)) | field | joined, start: 0, end: 0 }
    }

    pub fn term(self) -> u32 {
        self.word & (ABSTRACT_BIT - 1)
    }

    /// [`TITLE`] or [`ABSTRACT`].
    pub fn field(self) -> u8 {
        if self.word & ABSTRACT_BIT == 0 {
            TITLE
        } else {
            ABSTRACT
        }
    }

    /// Whether this word continues a phrase with the previous one (same
    /// field, separated by one space or hyphen).
    pub fn joined(self) -> bool {
        self.word & JOINED_BIT != 0
    }

    /// Whether this word is part of a model name: such words are facets of
    /// their own, not keyphrases.
    pub fn named(self) -> bool {
        self.word & NAMED_BIT != 0
    }

    pub fn set_named(&mut self, named: bool) {
        self.word = if named { self.word | NAMED_BIT } else { self.word & !NAMED_BIT };
    }
}

/// Term ids by stem, with per-term facts.
#[derive(Debug, Default)]
pub struct Vocabulary {
    by_folded: HashMap<String, u32>,
    by_stem: HashMap<String, u32>,
    /// Per term id: a stopword or not a word (numbers, one letter).
    pub weak: Vec<bool>,
}

impl Vocabulary {
    /// The id of a folded word. Past [`MAX_TERMS`] terms (never in a
    /// corpus that fits in memory) every new one is the last, made weak.
    pub fn id(&mut self, folded: &str) -> u32 {
        if let Some(&id) = self.by_folded.get(folded) {
            return id;
        }
        if self.weak.len() == MAX_TERMS {
            self.weak[MAX_TERMS - 1] = true;
            return (MAX_TERMS - 1) as u32;
        }
        let stemmed = stem(folded).into_owned();
        let next = self.by_stem.len() as u32;
        let id = *self.by_stem.entry(stemmed).or_insert(next);
        if id == next {
            let wordlike = folded.chars().count() >= 3 && folded.chars().any(char::is_alphabetic);
            self.weak.push(!wordlike || STOPWORDS.binary_search(&folded).is_ok());
        }
        self.by_folded.insert(folded.to_owned(), id);
        id
    }

    /// The id of a folded word if it occurs in the corpus.
    pub fn get(&self, folded: &str) -> Option<u32> {
        self.by_folded.get(folded).copied().or_else(|| self.by_stem.get(stem(folded).as_ref()).copied())
    }

    pub fn len(&self) -> usize {
        self.by_stem.len()
    }
}

/// The words of one text (its parts), appended to `out`.
pub fn words(vocabulary: &mut Vocabulary, text: &str, parts: &[Part<'_>], field: u8, out: &mut Vec<Tok>) {
    let mut prev_end: Option<usize> = None;
    for token in parts {
        let joined = prev_end.is_some_and(|e| {
            let gap = &text[e..token.start];
            gap == " " || gap == "-"
        });
        out.push(Tok {
            start: token.start as u32,
            end: token.end as u32,
            ..Tok::new(vocabulary.id(token.term), field, joined)
        });
        prev_end = Some(token.end);
    }
}

/// Papers containing each term id.
pub fn document_frequencies(docs: &[Vec<Tok>], terms: usize) -> Vec<u32> {
    let mut df = vec![0u32; terms];
    let mut seen: Vec<u32> = Vec::new();
    for toks in docs {
        seen.clear();
        seen.extend(toks.iter().map(|t| t.term()));
        seen.sort_unstable();
        seen.dedup();
        for &t in &seen {
            df[t as usize] += 1;
        }
    }
    df
}

/// English function words and words every abstract uses; sorted for
/// binary search.
pub const STOPWORDS: [&str; 168] = [
    "able",
    "about",
    "above",
    "achieve",
    "achieved",
    "achieves",
    "across",
    "additional",
    "after",
    "again",
    "against",
    "all",
    "allows",
    "also",
    "although",
    "among",
    "and",
    "another",
    "any",
    "approach",
    "approaches",
    "are",
    "around",
    "based",
    "been",
    "before",
    "being",
    "best",
    "better",
    "between",
    "both",
    "but",
    "can",
    "could",
    "demonstrate",
    "demonstrates",
    "despite",
    "different",
    "does",
    "done",
    "due",
    "during",
    "each",
    "either",
    "enable",
    "enables",
    "enabling",
    "evaluated",
    "even",
    "existing",
    "experiments",
    "first",
    "for",
    "from",
    "further",
    "furthermore",
    "given",
    "has",
    "have",
    "here",
    "how",
    "however",
    "improve",
    "improved",
    "improvement",
    "improvements",
    "improves",
    "into",
    "introduce",
    "introduced",
    "introduces",
    "its",
    "itself",
    "large",
    "less",
    "made",
    "make",
    "many",
    "may",
    "method",
    "methods",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "need",
    "needed",
    "needs",
    "new",
    "not",
    "novel",
    "number",
    "only",
    "other",
    "our",
    "outperform",
    "outperforms",
    "over",
    "paper",
    "performance",
    "present",
    "propose",
    "proposed",
    "provide",
    "recent",
    "require",
    "required",
    "requires",
    "requiring",
    "result",
    "results",
    "several",
    "should",
    "show",
    "shows",
    "significant",
    "significantly",
    "still",
    "study",
    "successfully",
    "such",
    "surpass",
    "surpasses",
    "task",
    "tasks",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "three",
    "through",
    "thus",
    "two",
    "under",
    "use",
    "used",
    "using",
    "various",
    "very",
    "via",
    "was",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whose",
    "will",
    "with",
    "within",
    "without",
    "work",
    "would",
    "yet",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]), "keep STOPWORDS sorted");
    }
}
