//! Math in titles and abstracts: where the TeX formulas are (`$...$`,
//! `$$...$$`, `\(...\)`, `\[...\]`) and what a TeX command means to search.
//! The bundle keeps every formula as written; the analyzer folds it
//! ([`crate::engine::analyze`]).

/// How a formula is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `$...$`, inline.
    Dollar,
    /// `$$...$$`, display.
    DoubleDollar,
    /// `\(...\)`, inline.
    Paren,
    /// `\[...\]`, display.
    Bracket,
}

impl Delimiter {
    fn width(self) -> usize {
        match self {
            Delimiter::Dollar => 1,
            Delimiter::DoubleDollar | Delimiter::Paren | Delimiter::Bracket => 2,
        }
    }
}

/// One formula of a text: the byte range of its source, delimiters included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formula {
    pub start: usize,
    pub end: usize,
    pub delimiter: Delimiter,
}

impl Formula {
    /// Where the TeX between the delimiters starts.
    pub fn tex_start(&self) -> usize {
        self.start + self.delimiter.width()
    }

    /// Where the TeX between the delimiters ends.
    pub fn tex_end(&self) -> usize {
        self.end - self.delimiter.width()
    }

    /// The TeX between the delimiters.
    pub fn tex<'t>(&self, text: &'t str) -> &'t str {
        &text[self.tex_start()..self.tex_end()]
    }

    /// A display formula (`$$`, `\[`), set on its own line.
    pub fn display(&self) -> bool {
        matches!(self.delimiter, Delimiter::DoubleDollar | Delimiter::Bracket)
    }
}

/// Whether `text` may hold TeX at all (a `$` or a backslash): most texts do
/// not, and skip every TeX rule.
pub fn may_hold_tex(text: &str) -> bool {
    text.bytes().any(|b| b == b'$' || b == b'\\')
}

/// The formulas of `text`, in order, never overlapping.
///
/// A `$` opens a formula only when a character other than a space follows
/// it, and the next `$` closes it only when a character other than a space
/// precedes it and no digit follows it; otherwise the first `$` is text and
/// the second may open one ("costs $5 and $10" holds none; a formula never
/// holds an unescaped `$`). `\$` is always a dollar sign. `$$` opens a display
/// formula that the next `$$` closes; `\(` and `\[` are closed by `\)` and
/// `\]`. A delimiter that is never closed is text.
pub fn formulas(text: &str) -> Vec<Formula> {
    let mut out = Vec::new();
    if !may_hold_tex(text) {
        return out;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let close = match bytes.get(i + 1) {
                    Some(b'(') => Some((b')', Delimiter::Paren)),
                    Some(b'[') => Some((b']', Delimiter::Bracket)),
                    _ => None,
                };
                match close.and_then(|(close, delimiter)| {
                    closing_command(bytes, i + 2, close).map(|end| Formula { start: i, end, delimiter })
                }) {
                    Some(formula) if !text[formula.tex_start()..formula.tex_end()].trim().is_empty() => {
                        out.push(formula);
                        i = formula.end;
                    }
                    // `\$`, `\\` and the like: the escaped byte is text.
                    _ => i += 2,
                }
            }
            b'$' if bytes.get(i + 1) == Some(&b'$') => match next_dollar(bytes, i + 2) {
                Some(close) if bytes.get(close + 1) == Some(&b'$') && !text[i + 2..close].trim().is_empty() => {
                    out.push(Formula { start: i, end: close + 2, delimiter: Delimiter::DoubleDollar });
                    i = close + 2;
                }
                _ => i += 2,
            },
            b'$' => {
                let opens = bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace());
                match next_dollar(bytes, i + 1) {
                    Some(close)
                        if opens
                            && !bytes[close - 1].is_ascii_whitespace()
                            && !bytes.get(close + 1).is_some_and(u8::is_ascii_digit) =>
                    {
                        out.push(Formula { start: i, end: close + 1, delimiter: Delimiter::Dollar });
                        i = close + 1;
                    }
                    // This `$` is text; the next one may open a formula.
                    Some(close) => i = close,
                    None => break,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The next unescaped `$` from `from`.
fn next_dollar(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The end of the first `\` + `close` from `from` (other escapes skipped).
fn closing_command(bytes: &[u8], from: usize, close: u8) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] == close {
                return Some(i + 2);
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

/// What a TeX command (its name, without the backslash) is to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandFold {
    /// A letter or a word other than its name: `\ell` is `l`, `\varepsilon`
    /// is `epsilon`.
    Word(&'static str),
    /// Nothing to find by: a font, an accent, a size, a space, an operator
    /// or a relation (`\mathcal`, `\hat`, `\left`, `\frac`, `\leq`). Its
    /// argument, if any, is read as usual.
    Silent,
    /// Its own name, as a word: Greek letters (`\alpha`), functions
    /// (`\log`), and any command not known here.
    Name,
}

/// Commands whose word is not their name.
const WORDS: &[(&str, &str)] = &[
    ("cO", "o"),
    ("ell", "l"),
    ("eps", "epsilon"),
    ("hbar", "h"),
    ("imath", "i"),
    ("infty", "infinity"),
    ("jmath", "j"),
    ("varepsilon", "epsilon"),
    ("varkappa", "kappa"),
    ("varphi", "phi"),
    ("varpi", "pi"),
    ("varrho", "rho"),
    ("varsigma", "sigma"),
    ("vartheta", "theta"),
];

/// Commands that are nothing to search for (sorted, for binary search).
const SILENT: &[&str] = &[
    "Big", "Bigg", "Biggl", "Biggr", "Bigl", "Bigr", "Leftarrow", "Leftrightarrow", "Longleftarrow",
    "Longrightarrow", "Rightarrow", "Tilde", "Vert", "acute", "approx", "ast", "bar", "big", "bigcap",
    "bigcup", "bigg", "biggl", "biggr", "bigl", "bigoplus", "bigotimes", "bigr", "binom", "bm",
    "boldsymbol", "bot", "breve", "bullet", "cap", "cdot", "cdots", "check", "circ", "color", "cong",
    "cup", "dagger", "dbinom", "ddagger", "ddot", "ddots", "dfrac", "displaystyle", "div", "dot",
    "dots", "emph", "emptyset", "equiv", "exists", "forall", "frac", "ge", "geq", "gg", "grave",
    "gtrsim", "hat", "hbox", "hline", "iff", "iiint", "iint", "implies", "in", "int", "lVert", "land",
    "langle", "lceil", "ldots", "le", "left", "leftarrow", "leftrightarrow", "leq", "lesssim", "lfloor",
    "ll", "lnot", "longleftarrow", "longrightarrow", "lor", "lvert", "mapsto", "mathbb", "mathbf",
    "mathcal", "mathfrak", "mathit", "mathnormal", "mathop", "mathring", "mathrm", "mathscr", "mathsf",
    "mathtt", "mbox", "mid", "middle", "mp", "nabla", "ne", "neg", "neq", "nexists", "ni", "nicefrac",
    "nolimits", "not", "notin", "odot", "oint", "operatorname", "oplus", "otimes", "overleftarrow",
    "overline", "overrightarrow", "overset", "parallel", "partial", "perp", "pm", "pmb", "prec",
    "preceq", "prime", "prod", "propto", "qquad", "quad", "rVert", "rangle", "rceil", "rfloor", "right",
    "rightarrow", "rvert", "scriptscriptstyle", "scriptstyle", "setminus", "sim", "simeq", "smash",
    "sqrt", "stackrel", "star", "subset", "subseteq", "succ", "succeq", "sum", "supset", "supseteq",
    "tbinom", "text", "textbf", "textit", "textnormal", "textrm", "textsc", "textsf", "textstyle",
    "texttt", "textup", "tfrac", "tilde", "times", "to", "top", "triangleq", "underline", "underset",
    "varnothing", "vdots", "vec", "vee", "vert", "wedge", "widehat", "widetilde", "wt",
];

/// What the command `name` is to search.
pub fn command_fold(name: &str) -> CommandFold {
    if let Some(&(_, word)) = WORDS.iter().find(|(command, _)| *command == name) {
        return CommandFold::Word(word);
    }
    if SILENT.binary_search(&name).is_ok() {
        return CommandFold::Silent;
    }
    CommandFold::Name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let found: Vec<&str> = formulas(text).iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(found, expected, "formulas of {text:?}");
    }

    #[test]
    fn dollars_delimit_inline_and_display_formulas() {
        check("Sparse $\\ell_1$ recovery", &["$\\ell_1$"]);
        check("$x$ and $y$", &["$x$", "$y$"]);
        check("a $$\\sum_i x_i$$ b", &["$$\\sum_i x_i$$"]);
        check("$2$-approximation in $O(n)$ time", &["$2$", "$O(n)$"]);
        check("$k$NN", &["$k$"]);
    }

    #[test]
    fn parentheses_and_brackets_delimit_formulas() {
        check("a \\(x^2\\) b \\[y\\] c", &["\\(x^2\\)", "\\[y\\]"]);
        check("a \\(x $ y\\) b", &["\\(x $ y\\)"]);
        check("unclosed \\(x and $y$", &["$y$"]);
    }

    #[test]
    fn a_lone_or_unbalanced_dollar_is_text() {
        check("costs less than $200 per model", &[]);
        check("costs $5 and $10 for $x$", &["$x$"]);
        check("$20,000 and $30,000", &[]);
        check("a $ b $ c", &[]);
        check("$x $", &[]);
        check("$ x$", &[]);
        check("$$", &[]);
        check("$$ $$", &[]);
        check("$", &[]);
        check("$$x$", &[]);
        check("ends with $x", &[]);
    }

    #[test]
    fn escaped_dollars_neither_open_nor_close() {
        check("\\$5 and \\$10", &[]);
        check("$a \\$ b$", &["$a \\$ b$"]);
        check("\\$x$ y$", &[]);
        check("\\\\$x$", &["$x$"]);
    }

    #[test]
    fn formulas_know_their_tex_and_display() {
        let text = "a $x$ b $$y$$ c \\(z\\) d \\[w\\]";
        let found: Vec<(&str, bool)> = formulas(text).iter().map(|f| (f.tex(text), f.display())).collect();
        assert_eq!(found, [("x", false), ("y", true), ("z", false), ("w", true)]);
    }

    #[test]
    fn commands_fold_to_letters_words_or_nothing() {
        for (name, fold) in [
            ("ell", CommandFold::Word("l")),
            ("varepsilon", CommandFold::Word("epsilon")),
            ("infty", CommandFold::Word("infinity")),
            ("mathcal", CommandFold::Silent),
            ("leq", CommandFold::Silent),
            ("rVert", CommandFold::Silent),
            ("alpha", CommandFold::Name),
            ("log", CommandFold::Name),
            ("myMacro", CommandFold::Name),
        ] {
            assert_eq!(command_fold(name), fold, "{name}");
        }
    }

    #[test]
    fn the_silent_commands_are_sorted_for_binary_search() {
        assert!(SILENT.windows(2).all(|w| w[0] < w[1]), "SILENT must be sorted and unique");
    }
}
