//! The one text analyzer, shared by the compiler, the index and the query
//! parser: Unicode-aware tokenization, case and diacritic folding, stemming.
//!
//! Identifiers such as "Llama-2-70B-Chat", "GPT-3.5", "SpecDec++" and "8x7B"
//! are kept searchable whole and by their parts: each part is a token, and a
//! compound token (joiners removed, e.g. `llama270bchat`) covers the whole.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A maximal run of letters and digits ("llama", "70b", "3.5").
    Part,
    /// A whole identifier of several parts joined by `-`, `.`, `_`, `/` or a
    /// trailing `+`, with the joiners removed ("llama270bchat", "specdec++").
    Compound,
}

/// One token: its folded text and the byte span it covers in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Lowercases and strips diacritics: "Café" becomes "cafe".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into a reused buffer (cleared first); ASCII takes a fast path.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.extend(super::unicode::strip_marks(text).chars().flat_map(char::to_lowercase));
    }
}

/// [`for_each_part`] for ASCII text, byte by byte.
fn for_each_ascii_part(text: &str, buffer: &mut String, mut visit: impl FnMut(&str, usize, usize)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i + 1 < bytes.len()
                && bytes[i] == b'.'
                && bytes[i - 1].is_ascii_digit()
                && bytes[i + 1].is_ascii_digit()
            {
                i += 1;
                continue;
            }
            break;
        }
        buffer.clear();
        buffer.push_str(&text[start..i]);
        buffer.make_ascii_lowercase();
        visit(buffer, start, i);
    }
}

/// Calls `visit(term, start, end)` for each part token of `text` (as
/// [`tokenize`] yields with [`TokenKind::Part`]) without allocating per token.
pub fn for_each_part(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    let mut buffer = String::new();
    let bytes = text.as_bytes();
    if text.is_ascii() {
        return for_each_ascii_part(text, &mut buffer, visit);
    }
    let mut i = 0;
    let char_at = |i: usize| text[i..].chars().next().unwrap_or(' ');
    while i < bytes.len() {
        let c = char_at(i);
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        loop {
            while i < bytes.len() && char_at(i).is_alphanumeric() {
                i += char_at(i).len_utf8();
            }
            // A dot between digits belongs to the number ("3.5").
            if i + 1 < bytes.len()
                && bytes[i] == b'.'
                && start < i
                && bytes[i - 1].is_ascii_digit()
                && bytes[i + 1].is_ascii_digit()
            {
                i += 1;
                continue;
            }
            break;
        }
        fold_into(&text[start..i], &mut buffer);
        visit(&buffer, start, i);
    }
}

/// English stem of a folded term ("tuning" -> "tune"); numbers and short
/// terms are returned unchanged.
pub fn stem(term: &str) -> Cow<'_, str> {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    if term.len() < 3 || term.chars().any(|c| !c.is_alphabetic()) {
        return Cow::Borrowed(term);
    }
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English)).stem(term)
}

/// A run-together identifier spaced where letters meet digits, keeping
/// one-letter units and infixes whole: "llama2chat70b" becomes
/// "llama 2 chat 70b", "gpt3.5" becomes "gpt 3.5", "8x7b" stays. Query-side
/// only: it lets "gpt4" find "GPT-4".
pub fn spaced_runs(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || c == '.';
    let letters_from = |i: usize| chars[i..].iter().take_while(|c| c.is_alphabetic()).count();
    let letters_before = |i: usize| chars[..i].iter().rev().take_while(|c| c.is_alphabetic()).count();
    let mut out = String::with_capacity(word.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            let previous = chars[i - 1];
            let letter_to_digit = previous.is_alphabetic() && is_digit(c) && letters_before(i) >= 2;
            let digit_to_letter = is_digit(previous) && c.is_alphabetic() && letters_from(i) >= 2;
            if letter_to_digit || digit_to_letter {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '/' | '\'' | '\u{2010}' | '\u{2011}')
}

/// Splits `text` into tokens in order of position. Parts come before the
/// compound that contains them.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        // One identifier: parts separated by single joiners between alphanumerics.
        let ident_start = chars[i].0;
        let mut parts: Vec<(usize, usize)> = Vec::new();
        loop {
            let part_start = i;
            while i < chars.len() && chars[i].1.is_alphanumeric() {
                i += 1;
            }
            // A dot between digits belongs to the number ("3.5").
            while i + 1 < chars.len()
                && chars[i].1 == '.'
                && chars[i - 1].1.is_ascii_digit()
                && chars[i + 1].1.is_ascii_digit()
            {
                i += 1;
                while i < chars.len() && chars[i].1.is_alphanumeric() {
                    i += 1;
                }
            }
            parts.push((part_start, i));
            if i + 1 < chars.len() && is_joiner(chars[i].1) && chars[i + 1].1.is_alphanumeric() {
                i += 1;
                continue;
            }
            break;
        }
        let mut plus_end = i;
        while plus_end < chars.len() && chars[plus_end].1 == '+' && plus_end - i < 2 {
            plus_end += 1;
        }
        let byte_at = |k: usize| {
            if k < chars.len() {
                chars[k].0
            } else {
                text.len()
            }
        };
        for &(s, e) in &parts {
            tokens.push(Token {
                term: fold(&text[byte_at(s)..byte_at(e)]),
                start: byte_at(s),
                end: byte_at(e),
                kind: TokenKind::Part,
            });
        }
        if parts.len() > 1 || plus_end > i {
            let mut term: String = parts.iter().map(|&(s, e)| fold(&text[byte_at(s)..byte_at(e)])).collect();
            term.push_str(&"+".repeat(plus_end - i));
            tokens.push(Token {
                term,
                start: ident_start,
                end: byte_at(plus_end),
                kind: TokenKind::Compound,
            });
        }
        i = plus_end;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let terms: Vec<String> = tokenize(text).into_iter().map(|t| t.term).collect();
        assert_eq!(terms, expected, "tokens of {text:?}");
    }

    #[test]
    fn identifiers_are_searchable_whole_and_by_parts() {
        check("Llama-2-70B-Chat", &["llama", "2", "70b", "chat", "llama270bchat"]);
        check("GPT-3.5 and MT-Bench", &["gpt", "3.5", "gpt3.5", "and", "mt", "bench", "mtbench"]);
        check("SpecDec++ wins", &["specdec", "specdec++", "wins"]);
        check("Mixtral 8x7B.", &["mixtral", "8x7b"]);
    }

    #[test]
    fn folding_removes_case_and_diacritics() {
        check("Café NAÏVE", &["cafe", "naive"]);
    }

    #[test]
    fn spans_point_into_the_input() {
        let text = "é LoRA-tuned";
        for token in tokenize(text) {
            assert_eq!(fold(&text[token.start..token.end]).replace('-', ""), token.term);
        }
    }

    #[test]
    fn for_each_part_yields_the_part_tokens() {
        for text in ["Llama-2-70B-Chat and GPT-3.5, Café 8x7B.", "SpecDec++ wins", "é LoRA-tuned", "v1.2.3 x"]
        {
            let mut parts = Vec::new();
            for_each_part(text, |term, start, end| parts.push((term.to_owned(), start, end)));
            let expected: Vec<(String, usize, usize)> = tokenize(text)
                .into_iter()
                .filter(|t| t.kind == TokenKind::Part)
                .map(|t| (t.term, t.start, t.end))
                .collect();
            assert_eq!(parts, expected, "{text:?}");
        }
    }

    #[test]
    fn run_together_identifiers_are_spaced_where_letters_meet_digits() {
        for (word, spaced) in [
            ("llama2chat70b", "llama 2 chat 70b"),
            ("gpt4", "gpt 4"),
            ("gpt3.5", "gpt 3.5"),
            ("8x7b", "8x7b"),
            ("70b", "70b"),
            ("a100", "a100"),
            ("gsm8k", "gsm 8k"),
            ("transformer", "transformer"),
        ] {
            assert_eq!(spaced_runs(word), spaced, "{word:?}");
        }
    }

    #[test]
    fn stemming_conflates_inflections_but_not_numbers() {
        assert_eq!(stem("jailbreaking"), stem("jailbreak"));
        assert_eq!(stem("70b"), "70b");
    }
}
