//! The forgiving query language. Never an error: syntax that does not parse
//! degrades to plain terms.
//!
//! - words are all required (`speculative decoding`);
//! - `OR` between two items makes either enough (`lora OR dpo`);
//! - `"exact phrase"`; `-word` or `-"a phrase"` excludes;
//! - qualifiers: `title:`, `abstract:`, `author:` restrict a word or phrase to a
//!   field; `model:`, `benchmark:`, `method:`, `topic:` match extracted
//!   entities by any spelling; `tag:` the user's tags; `year:2023` or
//!   `year:2023..2024` (either end may be open: `year:..2020`).
//! - the last word is a prefix while typing (no trailing space).

use super::analyze::{spaced_runs, tokenize, TokenKind};
use super::facet_kind::FacetKind;

/// A field a word can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Title,
    Abstract,
    Author,
    /// Extracted entities, topics and keyphrases.
    Entity,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Title, Field::Abstract, Field::Author, Field::Entity];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Abstract => "abstract",
            Field::Author => "author",
            Field::Entity => "entity",
        }
    }
}

/// One searchable unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    /// Analyzed terms that must appear in order (one term: a plain word).
    /// `prefix` makes the last term match as a prefix.
    Terms { terms: Vec<String>, field: Option<Field>, prefix: bool, phrase: bool },
    /// An extracted entity or topic, by kind (`model`, `benchmark`, `method`,
    /// `topic`) and the value as typed (resolved by the searcher).
    Entity { kind: String, value: String },
    /// A user tag (and the tags below it).
    Tag(String),
    /// Papers whose year is in the range.
    Year { from: Option<i32>, to: Option<i32> },
}

/// Alternatives of which one must match (or, if `negated`, none may).
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub alternatives: Vec<Atom>,
    pub negated: bool,
}

/// A parsed query: every positive clause must match, no negated one may.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// True when the query can only exclude (no positive clause).
    pub fn only_negative(&self) -> bool {
        self.clauses.iter().all(|c| c.negated)
    }
}

/// A raw item of the query text before analysis.
struct Item {
    text: String,
    quoted: bool,
    negated: bool,
    qualifier: Option<String>,
    /// The item ends the query text (no trailing space): prefix-match it.
    last: bool,
}

fn split_items(input: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        }
        // A qualifier: letters followed by ':' and something.
        let mut qualifier = None;
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j > start && j + 1 < chars.len() && chars[j] == ':' && !chars[j + 1].is_whitespace() {
            qualifier = Some(chars[start..j].iter().collect::<String>().to_lowercase());
            i = j + 1;
        }
        let (text, quoted) = if chars[i] == '"' {
            let close = chars[i + 1..].iter().position(|&c| c == '"').map(|p| p + i + 1);
            let end = close.unwrap_or(chars.len());
            let text: String = chars[i + 1..end].iter().collect();
            i = close.map_or(chars.len(), |c| c + 1);
            (text, true)
        } else {
            let begin = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            (chars[begin..i].iter().collect(), false)
        };
        let last = i >= chars.len() && !quoted;
        if !text.trim().is_empty() || qualifier.is_some() {
            items.push(Item { text, quoted, negated, qualifier, last });
        }
    }
    items
}

fn field_of(qualifier: &str) -> Option<Field> {
    match qualifier {
        "title" | "ti" => Some(Field::Title),
        "abstract" | "abs" => Some(Field::Abstract),
        "author" | "au" => Some(Field::Author),
        _ => None,
    }
}

/// The facet kind a qualifier names (`model:`, `topic:`, `year:`, `tag:`).
fn facet_qualifier(qualifier: &str) -> Option<FacetKind> {
    FacetKind::from_key(qualifier).filter(|kind| kind.is_qualifier())
}

fn parse_year(text: &str) -> Option<(Option<i32>, Option<i32>)> {
    let year = |s: &str| if s.is_empty() { Some(None) } else { s.parse::<i32>().ok().map(Some) };
    match text.split_once("..") {
        Some((a, b)) => {
            let (from, to) = (year(a)?, year(b)?);
            (from.is_some() || to.is_some()).then_some((from, to))
        }
        None => text.parse::<i32>().ok().map(|y| (Some(y), Some(y))),
    }
}

/// Analyzes one word or phrase into the terms to look up.
fn analyze_terms(text: &str) -> Vec<String> {
    tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Part).map(|t| t.term).collect()
}

/// Other spellings of a lone identifier, so that it is found whole and by
/// parts whatever its joiners: "GPT-4" is also the word "gpt4", and "gpt4"
/// also the phrase "gpt 4" (see [`spaced_runs`]: "70b" stays whole).
fn identifier_spellings(text: &str, terms: &[String]) -> Vec<Vec<String>> {
    let tokens = tokenize(text);
    let compounds: Vec<&str> =
        tokens.iter().filter(|t| t.kind == TokenKind::Compound).map(|t| t.term.trim_end_matches('+')).collect();
    match (terms, compounds.as_slice()) {
        ([_, _, ..], [whole]) if whole.len() == terms.iter().map(String::len).sum::<usize>() => {
            vec![vec![(*whole).to_owned()]]
        }
        ([word], _) => {
            let spaced = spaced_runs(word);
            let pieces: Vec<String> = spaced.split(' ').map(str::to_owned).collect();
            if pieces.len() > 1 {
                vec![pieces]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// The atoms of one item: one, or several alternative spellings of an
/// identifier (any of which matches).
fn atoms_of(item: &Item) -> Vec<Atom> {
    let text = item.text.trim();
    let facet = item.qualifier.as_deref().and_then(facet_qualifier);
    match facet {
        Some(FacetKind::Year) => {
            if let Some((from, to)) = parse_year(text) {
                return vec![Atom::Year { from, to }];
            }
        }
        Some(FacetKind::Tag) if !text.is_empty() => return vec![Atom::Tag(text.to_owned())],
        Some(kind) if !text.is_empty() && kind != FacetKind::Tag => {
            return vec![Atom::Entity { kind: kind.key().to_owned(), value: text.to_owned() }]
        }
        _ => {}
    }
    let field = item.qualifier.as_deref().and_then(field_of);
    // An unknown qualifier is part of the text ("re:think" stays searchable).
    let text = match (&item.qualifier, field) {
        (Some(q), None) if facet.is_none() => format!("{q}:{text}"),
        _ => text.to_owned(),
    };
    let terms = analyze_terms(&text);
    if terms.is_empty() {
        return Vec::new();
    }
    let phrase = item.quoted || terms.len() > 1;
    let prefix = item.last && !item.quoted && !text.ends_with(|c: char| !c.is_alphanumeric());
    let spellings = if item.quoted && text.contains(char::is_whitespace) {
        Vec::new()
    } else {
        identifier_spellings(&text, &terms)
    };
    let mut atoms = vec![Atom::Terms { terms, field, prefix, phrase }];
    for terms in spellings {
        // A joined spelling is looked up exactly; a split one as a phrase.
        atoms.push(Atom::Terms { phrase: true, prefix: prefix && terms.len() > 1, terms, field });
    }
    atoms
}

/// Parses the query text. `OR` (upper case) joins its neighbours.
pub fn parse(input: &str) -> Query {
    let items = split_items(input);
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_next = false;
    for (index, item) in items.iter().enumerate() {
        let is_or = item.text == "OR" && !item.quoted && item.qualifier.is_none() && !item.negated;
        if is_or && index > 0 && index + 1 < items.len() && !clauses.is_empty() {
            join_next = true;
            continue;
        }
        let atoms = atoms_of(item);
        if atoms.is_empty() {
            continue;
        }
        match clauses.last_mut() {
            Some(previous) if join_next && !previous.negated && !item.negated => {
                previous.alternatives.extend(atoms)
            }
            _ => clauses.push(Clause { alternatives: atoms, negated: item.negated }),
        }
        join_next = false;
    }
    Query { clauses }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str], prefix: bool, phrase: bool) -> Atom {
        Atom::Terms { terms: t.iter().map(|s| s.to_string()).collect(), field: None, prefix, phrase }
    }

    #[track_caller]
    fn check(input: &str, expected: Vec<Clause>) {
        assert_eq!(parse(input).clauses, expected, "parse({input:?})");
    }

    fn must(atom: Atom) -> Clause {
        Clause { alternatives: vec![atom], negated: false }
    }

    #[test]
    fn words_are_required_and_the_last_is_a_prefix() {
        check(
            "speculative deco",
            vec![must(terms(&["speculative"], false, false)), must(terms(&["deco"], true, false))],
        );
        check(
            "speculative deco ",
            vec![must(terms(&["speculative"], false, false)), must(terms(&["deco"], false, false))],
        );
    }

    #[test]
    fn or_joins_neighbours_and_stray_or_is_a_word() {
        let clause = Clause {
            alternatives: vec![terms(&["lora"], false, false), terms(&["dpo"], false, false)],
            negated: false,
        };
        check("lora OR dpo ", vec![clause]);
        check("OR", vec![must(terms(&["or"], true, false))]);
    }

    #[test]
    fn phrases_negation_and_unbalanced_quotes() {
        check(
            "\"tree based\" -jailbreak ",
            vec![
                must(terms(&["tree", "based"], false, true)),
                Clause { alternatives: vec![terms(&["jailbreak"], false, false)], negated: true },
            ],
        );
        check("\"open phrase", vec![must(terms(&["open", "phrase"], false, true))]);
        check("- x", vec![must(terms(&["x"], true, false))]);
    }

    #[test]
    fn qualifiers() {
        check(
            "title:mixtral ",
            vec![must(Atom::Terms {
                terms: vec!["mixtral".into()],
                field: Some(Field::Title),
                prefix: false,
                phrase: false,
            })],
        );
        check("year:2023..2024", vec![must(Atom::Year { from: Some(2023), to: Some(2024) })]);
        check("year:..2020", vec![must(Atom::Year { from: None, to: Some(2020) })]);
        check(
            "model:Llama-2-70B-Chat",
            vec![must(Atom::Entity { kind: "model".into(), value: "Llama-2-70B-Chat".into() })],
        );
        check("tag:reading/now", vec![must(Atom::Tag("reading/now".into()))]);
        check("year:soon", vec![must(terms(&["soon"], true, false))]);
    }

    fn any(atoms: Vec<Atom>) -> Clause {
        Clause { alternatives: atoms, negated: false }
    }

    #[test]
    fn identifiers_are_phrases_of_their_parts_or_one_joined_word() {
        check(
            "Llama-2-70B-Chat ",
            vec![any(vec![terms(&["llama", "2", "70b", "chat"], false, true), terms(&["llama270bchat"], false, true)])],
        );
        check("GPT-3.5 ", vec![any(vec![terms(&["gpt", "3.5"], false, true), terms(&["gpt3.5"], false, true)])]);
        check("gpt4 ", vec![any(vec![terms(&["gpt4"], false, false), terms(&["gpt", "4"], false, true)])]);
        check("llama2", vec![any(vec![terms(&["llama2"], true, false), terms(&["llama", "2"], true, true)])]);
        check("SpecDec++ ", vec![must(terms(&["specdec"], false, false))]);
        check("70b ", vec![must(terms(&["70b"], false, false))]);
        check("8x7B ", vec![must(terms(&["8x7b"], false, false))]);
        check("\"speculative decoding\"", vec![must(terms(&["speculative", "decoding"], false, true))]);
    }

    #[test]
    fn punctuation_only_is_ignored() {
        assert!(parse(" -- ** ").is_empty());
    }
}
