//! The one text analyzer, shared by the compiler, the index and the query
//! parser: Unicode-aware tokenization, case and diacritic folding, stemming.
//!
//! Identifiers such as "Llama-2-70B-Chat", "GPT-3.5", "SpecDec++" and "8x7B"
//! are kept searchable whole and by their parts: each part is a token, and a
//! compound token (joiners removed, e.g. `llama270bchat`) covers the whole.
//!
//! TeX folds to what it writes (see [`super::math`]): inside a formula,
//! `\ell` is the letter `l`, `\alpha` the word `alpha`, `\mathcal{O}` the
//! letter `o`, operators and fonts are nothing, and a part with scripts is
//! also one term of its own (`$\ell_1$` is `l`, `1` and `l1`); outside one, a
//! command that stands for a letter (`\ell_1` typed in the search box) folds
//! the same way. Unicode letterlike symbols fold with it (`ℓ1` is `l1`, `α`
//! is `alpha`), so a formula is found by its letters however it is written.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::math::{self, CommandFold};

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
        for c in super::unicode::strip_marks(text).chars() {
            match letterlike(c) {
                Some(letters) => out.push_str(letters),
                None => out.extend(c.to_lowercase()),
            }
        }
    }
}

/// Greek letter names in the order of the code points from alpha (U+03B1,
/// or Alpha U+0391); the 18th is the final sigma (U+03C2).
const GREEK: [&str; 25] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];
const LATIN: [&str; 26] = [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
    "v", "w", "x", "y", "z",
];
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// What a letterlike character folds to, as TeX writes it: Greek letters
/// their names (`\alpha`), styled letters and digits (`ℓ`, `ℝ`, `𝐱`, `²`) the
/// plain ones. Unicode decomposes those only by compatibility, which the
/// analyzer does not apply to all text (it would fold `½` and `™` too).
fn letterlike(c: char) -> Option<&'static str> {
    let code = c as u32;
    if code < 0xB2 {
        return None;
    }
    Some(match code {
        0xB2 => "2",
        0xB3 => "3",
        0xB9 => "1",
        // Capitals (U+03A2 is unassigned) and small letters.
        0x391..=0x3A9 => GREEK[(code - 0x391) as usize],
        0x3B1..=0x3C9 => GREEK[(code - 0x3B1) as usize],
        0x3D1 | 0x3F4 => "theta",
        0x3D5 => "phi",
        0x3D6 => "pi",
        0x3F0 => "kappa",
        0x3F1 => "rho",
        0x3F5 => "epsilon",
        0x2070 => "0",
        0x2071 => "i",
        0x2074..=0x2079 => DIGITS[(code - 0x2070) as usize],
        0x207F => "n",
        0x2080..=0x2089 => DIGITS[(code - 0x2080) as usize],
        // Letterlike Symbols.
        0x2102 | 0x212D => "c",
        0x210A => "g",
        0x210B..=0x210F => "h",
        0x2110 | 0x2111 | 0x2139 | 0x2148 => "i",
        0x2112 | 0x2113 => "l",
        0x2115 => "n",
        0x2119 => "p",
        0x211A => "q",
        0x211B..=0x211D => "r",
        0x2124 | 0x2128 => "z",
        0x212C => "b",
        0x212F | 0x2130 | 0x2147 => "e",
        0x2131 => "f",
        0x2133 => "m",
        0x2134 => "o",
        0x2145 | 0x2146 => "d",
        0x2149 => "j",
        // Mathematical Alphanumeric Symbols: 13 styles of A-Z a-z, dotless
        // i and j, 5 styles of Greek (capitals, nabla, small letters,
        // partial, six variants), 5 styles of digits.
        0x1D400..=0x1D6A3 => LATIN[((code - 0x1D400) % 52 % 26) as usize],
        0x1D6A4 => "i",
        0x1D6A5 => "j",
        0x1D6A8..=0x1D7C9 => match ((code - 0x1D6A8) % 58) as usize {
            17 => "theta",
            k @ 0..=24 => GREEK[k],
            k @ 26..=50 => GREEK[k - 26],
            k @ 52..=57 => ["epsilon", "theta", "kappa", "phi", "rho", "pi"][k - 52],
            _ => return None,
        },
        0x1D7CE..=0x1D7FF => DIGITS[((code - 0x1D7CE) % 10) as usize],
        _ => return None,
    })
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
/// Spans are in order and never overlap; the term of a part with scripts
/// (`l1` of `$\ell_1$`) has an empty span where its scripts end.
pub fn for_each_part(text: &str, mut visit: impl FnMut(&str, usize, usize)) {
    if math::may_hold_tex(text) {
        return for_each_tex_part(text, &mut |term, start, end, _| visit(term, start, end));
    }
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
/// compound that contains them. Parts of a formula make no compounds (a
/// part with scripts is a part of its own).
pub fn tokenize(text: &str) -> Vec<Token> {
    // (part, whether it is in a formula)
    let mut parts: Vec<(Token, bool)> = Vec::new();
    let mut push = |term: &str, start: usize, end: usize, math: bool| {
        parts.push((Token { term: term.to_owned(), start, end, kind: TokenKind::Part }, math))
    };
    if math::may_hold_tex(text) {
        for_each_tex_part(text, &mut push);
    } else {
        for_each_part(text, |term, start, end| push(term, start, end, false));
    }
    // One identifier: parts separated by single joiners, and up to two `+`.
    let single_joiner = |gap: &str| {
        let mut chars = gap.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_joiner(c))
    };
    let mut tokens = Vec::with_capacity(parts.len() + parts.len() / 4);
    let mut i = 0;
    while i < parts.len() {
        let math = parts[i].1;
        let mut j = i + 1;
        while !math
            && j < parts.len()
            && !parts[j].1
            && single_joiner(&text[parts[j - 1].0.end..parts[j].0.start])
        {
            j += 1;
        }
        let (start, end) = (parts[i].0.start, parts[j - 1].0.end);
        let plus = text[end..].bytes().take(2).take_while(|&b| b == b'+').count();
        let compound = (!math && (j - i > 1 || plus > 0)).then(|| {
            let mut term: String = parts[i..j].iter().map(|(part, _)| part.term.as_str()).collect();
            term.push_str(&"+".repeat(plus));
            Token { term, start, end: end + plus, kind: TokenKind::Compound }
        });
        tokens.extend(parts[i..j].iter().map(|(part, _)| part.clone()));
        tokens.extend(compound);
        i = j;
    }
    tokens
}

/// [`for_each_part`] of a text that may hold TeX: `visit(term, start, end,
/// in_formula)` for each part, formulas and commands folded.
fn for_each_tex_part(text: &str, visit: &mut dyn FnMut(&str, usize, usize, bool)) {
    let mut scanner = TexScanner { text, visit, buffer: String::new() };
    let mut at = 0;
    for formula in math::formulas(text) {
        scanner.region(at, formula.start, false, None);
        scanner.region(formula.tex_start(), formula.tex_end(), true, None);
        at = formula.end;
    }
    scanner.region(at, text.len(), false, None);
}

struct TexScanner<'t, 'v> {
    text: &'t str,
    visit: &'v mut dyn FnMut(&str, usize, usize, bool),
    buffer: String,
}

/// A part of a formula that scripts attach to (`\ell` of `\ell_1`): its term
/// with the terms of its one-term scripts after it, and where they end.
struct Base {
    joined: String,
    scripts: usize,
    end: usize,
}

impl TexScanner<'_, '_> {
    /// Visits the parts of `text[from..to]`, a formula's TeX when `math`;
    /// pushes their terms to `collect` if given (a script's terms).
    fn region(&mut self, from: usize, to: usize, math: bool, mut collect: Option<&mut Vec<String>>) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut base: Option<Base> = None;
        let mut i = from;
        while i < to {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c == '\\' {
                let name_end =
                    i + 1 + bytes[i + 1..to].iter().take_while(|b| b.is_ascii_alphabetic()).count();
                if name_end == i + 1 {
                    // `\{`, `\,`, `\$`: an escaped character is no word.
                    i += 1 + text[i + 1..to].chars().next().map_or(0, char::len_utf8);
                    continue;
                }
                match math::command_fold(&text[i + 1..name_end]) {
                    // Spanning the name, as a command read as its name does.
                    CommandFold::Word(word) => {
                        self.flush(base.take(), collect.as_deref_mut());
                        self.emit(word, i + 1, name_end, math, collect.as_deref_mut());
                        base = math.then(|| Base { joined: word.to_owned(), scripts: 0, end: name_end });
                        i = name_end;
                    }
                    // Outside a formula only a command with an argument is
                    // taken for TeX ("C:\bar" keeps its "bar").
                    CommandFold::Silent if math || bytes.get(name_end) == Some(&b'{') => i = name_end,
                    // The name reads as a word.
                    _ => i += 1,
                }
                continue;
            }
            if math && (c == '_' || c == '^') {
                let (arg_from, arg_to, next) = script_argument(text, i + 1, to);
                let mut terms = Vec::new();
                self.region(arg_from, arg_to, true, Some(&mut terms));
                if let Some(base) = base.as_mut() {
                    if let [term] = terms.as_slice() {
                        base.joined.push_str(term);
                        base.scripts += 1;
                    }
                    base.end = next;
                }
                if let Some(collect) = collect.as_deref_mut() {
                    collect.append(&mut terms);
                }
                i = next;
                continue;
            }
            if c.is_alphanumeric() {
                let end = run_end(text, i, to);
                self.flush(base.take(), collect.as_deref_mut());
                let mut term = std::mem::take(&mut self.buffer);
                fold_into(&text[i..end], &mut term);
                self.emit(&term, i, end, math, collect.as_deref_mut());
                // A number's scripts are not joined to it (`10^{-3}` is no "103").
                base = (math && c.is_alphabetic()).then(|| Base { joined: term.clone(), scripts: 0, end });
                self.buffer = term;
                i = end;
                continue;
            }
            // Groups and spaces keep a base for the scripts after them
            // (`\hat{x}_t`); anything else ends it.
            if !(math && (c == '{' || c == '}' || c.is_whitespace())) {
                self.flush(base.take(), collect.as_deref_mut());
            }
            i += c.len_utf8();
        }
        self.flush(base, collect);
    }

    fn emit(&mut self, term: &str, start: usize, end: usize, math: bool, collect: Option<&mut Vec<String>>) {
        (self.visit)(term, start, end, math);
        if let Some(collect) = collect {
            collect.push(term.to_owned());
        }
    }

    /// The term of a base with scripts, at the empty span where they end:
    /// spans stay in order and apart.
    fn flush(&mut self, base: Option<Base>, collect: Option<&mut Vec<String>>) {
        if let Some(base) = base.filter(|b| b.scripts > 0) {
            self.emit(&base.joined, base.end, base.end, true, collect);
        }
    }
}

/// Where the run of letters and digits from `from` ends (before `to`); a dot
/// between digits belongs to it ("3.5").
fn run_end(text: &str, from: usize, to: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        while let Some(c) = text[i..to].chars().next().filter(|c| c.is_alphanumeric()) {
            i += c.len_utf8();
        }
        if i + 1 < to && bytes[i] == b'.' && bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit() {
            i += 1;
            continue;
        }
        return i;
    }
}

/// The argument of a script from `from`: `(start, end, next)`, a group's
/// inside, one command or one character, as TeX reads it (`x^2n` is `x²n`).
fn script_argument(text: &str, from: usize, to: usize) -> (usize, usize, usize) {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to && bytes[i] == b' ' {
        i += 1;
    }
    let char_end = |at: usize| at + text[at..to].chars().next().map_or(0, char::len_utf8);
    match bytes.get(i) {
        _ if i >= to => (to, to, to),
        Some(b'{') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < to {
                match bytes[j] {
                    b'\\' => j += 1,
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return (i + 1, j, j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            (i + 1, to, to)
        }
        Some(b'\\') => {
            let name_end = i + 1 + bytes[i + 1..to].iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let end = if name_end > i + 1 { name_end } else { char_end(i + 1) };
            (i, end, end)
        }
        _ => (i, char_end(i), char_end(i)),
    }
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
        for text in [
            "Llama-2-70B-Chat and GPT-3.5, Café 8x7B.",
            "SpecDec++ wins",
            "é LoRA-tuned",
            "v1.2.3 x",
            "An $O(n \\log n)$ bound on $\\ell_1$ and ℓ1",
        ] {
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
    fn tex_in_a_formula_folds_to_its_letters() {
        check("$\\ell_1$", &["l", "1", "l1"]);
        check("$\\alpha$-divergence", &["alpha", "divergence"]);
        check("$\\mathcal{O}(n \\log n)$", &["o", "n", "log", "n"]);
        check("$O(n^2)$", &["o", "n", "2", "n2"]);
        check("$x^2n$", &["x", "2", "x2", "n"]);
        check("$W_{\\text{out}}$", &["w", "out", "wout"]);
        check("$\\hat{\\theta}_t^{(i)}$", &["theta", "t", "i", "thetati"]);
        check("$\\ell_{2,1}$", &["l", "2", "1"]);
        check("$\\ell_\\infty$", &["l", "infinity", "linfinity"]);
        check("$x^\\top y$", &["x", "y"]);
        check("$\\varepsilon \\leq 10^{-3}$", &["epsilon", "10", "3"]);
        check("$\\mathbb{R}^d$ and \\(k\\)-NN", &["r", "d", "rd", "and", "k", "nn"]);
        check("$\\$5$", &["5"]);
    }

    #[test]
    fn tex_outside_a_formula_folds_only_what_is_surely_tex() {
        check("\\ell_1", &["l", "1", "l1"]);
        check("\\emph{Sparse} models", &["sparse", "models"]);
        check("C:\\bar and \\times", &["c", "bar", "and", "times"]);
        check("costs $5 and $10", &["costs", "5", "and", "10"]);
    }

    #[test]
    fn letterlike_symbols_fold_to_letters() {
        check("ℓ1 and ℓ_1", &["l1", "and", "l", "1", "l1"]);
        check("α-divergence over ℝ", &["alpha", "divergence", "alphadivergence", "over", "r"]);
        check("R² of 𝐱 and Ω", &["r2", "of", "x", "and", "omega"]);
        check("𝜽 𝟐", &["theta", "2"]);
    }

    #[test]
    fn tex_spans_point_into_the_source_in_order() {
        let text = "Sparse $\\ell_1$ and $\\hat{x}_t$ \\emph{ok}";
        let spans: Vec<(String, &str)> =
            tokenize(text).into_iter().map(|t| (t.term, &text[t.start..t.end])).collect();
        let expected = [
            ("sparse", "Sparse"),
            ("l", "ell"),
            ("1", "1"),
            ("l1", ""),
            ("and", "and"),
            ("x", "x"),
            ("t", "t"),
            ("xt", ""),
            ("ok", "ok"),
        ];
        let expected: Vec<(String, &str)> = expected.iter().map(|&(t, s)| (t.to_owned(), s)).collect();
        assert_eq!(spans, expected);
        let mut at = 0;
        for_each_part(text, |_, start, end| {
            assert!(at <= start && start <= end, "{start}..{end} after {at}");
            at = end;
        });
    }

    #[test]
    fn stemming_conflates_inflections_but_not_numbers() {
        assert_eq!(stem("jailbreaking"), stem("jailbreak"));
        assert_eq!(stem("70b"), "70b");
    }
}
