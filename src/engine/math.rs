//! Math in titles and abstracts: where the TeX formulas are (`$...$`,
//! `$$...$$`, `\(...\)`, `\[...\]`), what a TeX command means to search, and
//! a formula as a tree of MathML Core elements the app can build as DOM
//! nodes. The bundle keeps every formula as written; the analyzer folds it
//! ([`crate::engine::analyze`]) and the app renders it.

use super::text::xml_character;

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
                Some(close)
                    if bytes.get(close + 1) == Some(&b'$') && !text[i + 2..close].trim().is_empty() =>
                {
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
#[rustfmt::skip]
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

/// Commands papers define for themselves that the renderer does not know,
/// the most frequent in the real corpora, defined as their papers do (the
/// renderer's `\newcommand` wants its `[0]`).
const MACROS: &[(&str, &str)] = &[
    ("R", r"\newcommand{\R}[0]{\mathbb{R}}"),
    ("E", r"\newcommand{\E}[0]{\mathbb{E}}"),
    ("N", r"\newcommand{\N}[0]{\mathbb{N}}"),
    ("eps", r"\newcommand{\eps}[0]{\epsilon}"),
    ("bm", r"\newcommand{\bm}[1]{\boldsymbol{#1}}"),
    ("Tilde", r"\newcommand{\Tilde}[1]{\tilde{#1}}"),
    ("wt", r"\newcommand{\wt}[1]{\widetilde{#1}}"),
    ("cO", r"\newcommand{\cO}[0]{\mathcal{O}}"),
    ("mbox", r"\newcommand{\mbox}[1]{\text{#1}}"),
    ("textsc", r"\newcommand{\textsc}[1]{\text{#1}}"),
    ("nicefrac", r"\newcommand{\nicefrac}[2]{#1/#2}"),
    ("smash", r"\newcommand{\smash}[1]{#1}"),
    ("poly", r"\newcommand{\poly}[0]{\operatorname{poly}}"),
    ("polylog", r"\newcommand{\polylog}[0]{\operatorname{polylog}}"),
    ("tr", r"\newcommand{\tr}[0]{\operatorname{tr}}"),
    ("rank", r"\newcommand{\rank}[0]{\operatorname{rank}}"),
];

/// What the renderer is never given (see [`mathml`]).
const UNSAFE_FOR_THE_RENDERER: &[&str] = &["\\char", "alignat", "alignedat"];

/// A formula's TeX (between its delimiters) as MathML, or `None` when it
/// does not parse (the app then shows its source).
pub fn mathml(tex: &str, display: bool) -> Option<MathNode> {
    use pulldown_latex::{config::DisplayMode, Parser, RenderConfig, Storage};
    // The renderer panics (which aborts the app) on a number that starts
    // with a non-ASCII character, which these read (found by fuzzing; no
    // paper of the real corpora uses them).
    if UNSAFE_FOR_THE_RENDERER.iter().any(|command| tex.contains(command)) {
        return None;
    }
    // The definitions of the commands it uses (parsing all costs 20 times
    // the formula).
    let mut source = String::with_capacity(tex.len());
    for (name, definition) in MACROS {
        let used = tex.match_indices('\\').any(|(at, _)| {
            let rest = &tex[at + 1..];
            rest.starts_with(name) && !rest[name.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        });
        if used {
            source.push_str(definition);
        }
    }
    source.push_str(tex);
    let storage = Storage::new();
    let events = Parser::new(&source, &storage).collect::<Result<Vec<_>, _>>().ok()?;
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        ..RenderConfig::default()
    };
    let mut markup = String::new();
    pulldown_latex::push_mathml(
        &mut markup,
        events.into_iter().map(Ok::<_, std::convert::Infallible>),
        config,
    )
    .ok()?;
    read_mathml(&markup)
}

/// A formula segment's source (delimiters included, `$\ell_1$`) as
/// MathML, or `None` when it is not one formula or does not parse.
pub fn render(source: &str) -> Option<MathNode> {
    match formulas(source).as_slice() {
        [formula] if formula.start == 0 && formula.end == source.len() => {
            mathml(formula.tex(source), formula.display())
        }
        _ => None,
    }
}

/// A formula as MathML Core: elements and text that the app builds as DOM
/// nodes, one by one (never as markup). Only the elements and attributes of
/// [`ELEMENTS`] and [`ATTRIBUTES`] are ever here: no script, no link, no
/// event handler, no style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MathNode {
    Element { name: &'static str, attributes: Vec<(&'static str, String)>, children: Vec<MathNode> },
    Text(String),
}

impl MathNode {
    /// The text a reader sees, in order (what a page search finds).
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        match self {
            MathNode::Text(text) => out.push_str(text),
            // The TeX source annotated beside the rendering is not shown.
            MathNode::Element { name: "annotation", .. } => {}
            MathNode::Element { children, .. } => children.iter().for_each(|c| c.push_text(out)),
        }
    }
}

/// The MathML Core elements a formula may hold. Not `annotation-xml`
/// (which may hold HTML), `maction`, or anything that links.
#[rustfmt::skip]
pub const ELEMENTS: &[&str] = &[
    "annotation", "math", "menclose", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover",
    "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub",
    "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
];

/// The attributes kept (any other is dropped): layout only. Not `href`,
/// `style` (the page's Content-Security-Policy refuses inline style), event
/// handlers, `class` or colors (the page's own styles and dark mode rule).
#[rustfmt::skip]
pub const ATTRIBUTES: &[&str] = &[
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "columnspan", "depth", "dir",
    "display", "displaystyle", "encoding", "fence", "form", "framespacing", "height", "largeop",
    "linethickness", "lspace", "mathvariant", "maxsize", "minsize", "movablelimits", "notation",
    "rowalign", "rowlines", "rowspacing", "rowspan", "rspace", "scriptlevel", "separator", "stretchy",
    "symmetric", "voffset", "width",
];

/// The token elements, which hold text only.
const TOKENS: &[&str] = &["annotation", "mi", "mn", "mo", "ms", "mtext"];

/// Deeper markup is refused (hostile TeX nests braces by the thousand).
const MAX_DEPTH: usize = 64;

/// Reads MathML markup (a renderer's output) into a [`MathNode`] tree: a
/// `<math>` root, [`ELEMENTS`] only, [`ATTRIBUTES`] only, text with its
/// character references decoded. Anything else (another element, a comment,
/// markup that is not well formed) is `None`: the formula is then shown as
/// its source text.
pub fn read_mathml(markup: &str) -> Option<MathNode> {
    let mut reader = MarkupReader { rest: markup.trim() };
    let root = reader.element(0)?;
    match (&root, reader.rest.trim().is_empty()) {
        (MathNode::Element { name: "math", .. }, true) => Some(root),
        _ => None,
    }
}

struct MarkupReader<'m> {
    rest: &'m str,
}

impl<'m> MarkupReader<'m> {
    fn element(&mut self, depth: usize) -> Option<MathNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.rest = self.rest.strip_prefix('<')?;
        let name = self.name()?;
        let name = *ELEMENTS.iter().find(|e| **e == name)?;
        let mut attributes = Vec::new();
        loop {
            self.rest = self.rest.trim_start();
            if let Some(rest) = self.rest.strip_prefix("/>") {
                self.rest = rest;
                return Some(MathNode::Element { name, attributes, children: Vec::new() });
            }
            if let Some(rest) = self.rest.strip_prefix('>') {
                self.rest = rest;
                break;
            }
            let attribute = self.name()?;
            self.rest = self.rest.trim_start().strip_prefix('=')?.trim_start();
            let quote = self.rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let (value, rest) = self.rest[1..].split_once(quote)?;
            self.rest = rest;
            let value = decode(value)?;
            if let Some(attribute) = ATTRIBUTES.iter().find(|a| **a == attribute) {
                attributes.push((*attribute, value));
            }
        }
        let mut children = Vec::new();
        if TOKENS.contains(&name) {
            // A token's content is text up to its end tag, as written: the
            // renderer does not escape `<` or `&` there (`<mo><</mo>`), and
            // whatever it holds becomes a text node, never markup.
            let end = self.rest.find(&format!("</{name}>"))?;
            let text = decode_lenient(&self.rest[..end]);
            self.rest = &self.rest[end + name.len() + 3..];
            if !text.is_empty() {
                children.push(MathNode::Text(text));
            }
            return Some(MathNode::Element { name, attributes, children });
        }
        loop {
            if let Some(rest) = self.rest.strip_prefix("</") {
                let (closing, rest) = rest.split_once('>')?;
                self.rest = rest;
                return (closing.trim_end() == name).then_some(MathNode::Element {
                    name,
                    attributes,
                    children,
                });
            }
            // Between the elements of a layout element only spaces.
            self.rest = self.rest.trim_start();
            children.push(self.element(depth + 1)?);
        }
    }

    fn name(&mut self) -> Option<&'m str> {
        let end =
            self.rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(self.rest.len());
        let (name, rest) = self.rest.split_at(end);
        self.rest = rest;
        (!name.is_empty()).then_some(name)
    }
}

/// An attribute value with its character references decoded; a stray `<`
/// or `&` is `None`.
fn decode(text: &str) -> Option<String> {
    if text.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let (c, after) = reference(&rest[at + 1..])?;
        out.push(c);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// A token's text with its character references decoded; an `&` that
/// starts none is itself.
fn decode_lenient(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        match reference(&rest[at + 1..]) {
            Some((c, after)) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character reference at the start of `text` (after its `&`) and the
/// text after its `;`.
fn reference(text: &str) -> Option<(char, &str)> {
    let (name, after) = text.split_once(';')?;
    Some((xml_character(name)?, after))
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

    /// Every element and attribute of `node` is allowlisted and no value
    /// names a script.
    #[track_caller]
    fn assert_inert(node: &MathNode) {
        if let MathNode::Element { name, attributes, children } = node {
            assert!(ELEMENTS.contains(name), "element {name}");
            for (attribute, value) in attributes {
                assert!(ATTRIBUTES.contains(attribute), "attribute {attribute}");
                assert!(!value.to_lowercase().contains("script"), "{attribute}={value:?}");
            }
            children.iter().for_each(assert_inert);
        }
    }

    #[test]
    fn markup_is_read_into_allowlisted_elements_and_text_only() {
        #[track_caller]
        fn check(markup: &str, expected: Option<&str>) {
            let read = read_mathml(markup);
            if let Some(tree) = &read {
                assert_inert(tree);
            }
            assert_eq!(read.map(|t| t.text()).as_deref(), expected, "{markup}");
        }
        check("<math display=\"inline\"><msub><mi>ℓ</mi><mn>1</mn></msub></math>", Some("ℓ1"));
        // The renderer leaves `<` and `&` in tokens unescaped.
        check(
            "<math><mn>0</mn><mo><</mo><mi>&</mi><mtext>&lt;b&gt; &amp;&#x3B1;</mtext></math>",
            Some("0<&<b> &α"),
        );
        check("<math><mspace width=\"1em\" /><mi onclick=\"alert(1)\" style=\"x\">a</mi></math>", Some("a"));
        check("<math><mrow href=\"javascript:alert(1)\"><mi>a</mi></mrow></math>", Some("a"));
        check("<math><semantics><mi>a</mi><annotation encoding=\"application/x-tex\">a</annotation></semantics></math>", Some("a"));
        // Anything else, or markup that is not well formed: not read.
        check("<math><script>alert(1)</script></math>", None);
        check("<math><mrow><img src=x onerror=alert(1)></mrow></math>", None);
        check("<math><annotation-xml><svg/></annotation-xml></math>", None);
        check("<math><!-- x --><mi>a</mi></math>", None);
        check("<math><mi>a</mi>", None);
        check("<math><mi>a</mi></math><script>", None);
        check("<mrow><mi>a</mi></mrow>", None);
        check("<math><mrow>a</mrow></math>", None);
        check("<math><mi title=\"a&bogus;\">a</mi></math>", None);
        let deep = format!("<math>{}<mi>a</mi>{}</math>", "<mrow>".repeat(100), "</mrow>".repeat(100));
        check(&deep, None);
    }

    #[test]
    fn formulas_render_as_mathml_or_not_at_all() {
        #[track_caller]
        fn check(source: &str, expected: Option<&str>) {
            let rendered = render(source);
            if let Some(tree) = &rendered {
                assert_inert(tree);
            }
            assert_eq!(rendered.map(|t| t.text()).as_deref(), expected, "{source}");
        }
        check("$\\ell_1$", Some("ℓ1"));
        check("$$\\alpha + \\beta$$", Some("α+β"));
        check("\\(0 < \\epsilon \\leq 1\\)", Some("0<ϵ≤1"));
        check("$\\mathbb{R}^d$", Some("ℝd"));
        // A command papers define for themselves, defined as they do.
        check("$\\eps$", Some("ϵ"));
        check("$\\undefinedmacro{x}$", None);
        // What makes the renderer panic is never given to it.
        check("$\\charé$", None);
        check("$\\begin{alignat}{é}x\\end{alignat}$", None);
        check("$\\frac{1}{$", None);
        // Not one whole formula.
        check("$x$ and $y$", None);
        check("x", None);
        // Hostile TeX: no link, no markup, text at most.
        check("$\\href{javascript:alert(1)}{x}$", None);
        check("$\\text{</math><script>}$", Some("</math><script>"));
        let img = render("$<img src=x onerror=alert(1)>$");
        if let Some(tree) = &img {
            assert_inert(tree);
        }
    }

    #[test]
    fn the_silent_commands_are_sorted_for_binary_search() {
        assert!(SILENT.windows(2).all(|w| w[0] < w[1]), "SILENT must be sorted and unique");
    }
}
