//! Unicode normalization: the engine's one source of it (text cleaning,
//! folding for the analyzer, BibTeX keys, TeX accents).
//!
//! Native builds (the compiler, the CLI, the tests) use the
//! unicode-normalization crate. The wasm app uses the browser's own
//! (`String.prototype.normalize`, the same Unicode algorithm), which the
//! browser layer installs with [`install`] before anything is analyzed: the
//! crate's tables are ~110 KB of wasm, a quarter of the app's size budget,
//! for what every browser already has. The two can differ only on characters
//! of a Unicode version one side does not know yet.

/// The operations the engine needs.
#[derive(Clone, Copy)]
pub struct Normalizer {
    /// Canonical composition (NFC).
    pub nfc: fn(&str) -> String,
    /// Compatibility composition (NFKC), for title keys.
    pub nfkc: fn(&str) -> String,
    /// Canonical decomposition (NFD) without the combining marks
    /// (`General_Category=Mark`): "Café" becomes "Cafe".
    pub strip_marks: fn(&str) -> String,
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

    pub fn nfc(text: &str) -> String {
        text.nfc().collect()
    }

    pub fn nfkc(text: &str) -> String {
        text.nfkc().collect()
    }

    pub fn strip_marks(text: &str) -> String {
        text.nfd().filter(|c| !is_combining_mark(*c)).collect()
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn normalizer() -> Normalizer {
    Normalizer { nfc: native::nfc, nfkc: native::nfkc, strip_marks: native::strip_marks }
}

#[cfg(target_arch = "wasm32")]
static INSTALLED: std::sync::OnceLock<Normalizer> = std::sync::OnceLock::new();

/// Sets the normalizer of the wasm app (the browser layer calls it once, at
/// startup). Until then text is left as it is.
#[cfg(target_arch = "wasm32")]
pub fn install(normalizer: Normalizer) {
    let _ = INSTALLED.set(normalizer);
}

#[cfg(target_arch = "wasm32")]
fn normalizer() -> Normalizer {
    fn unchanged(text: &str) -> String {
        text.to_owned()
    }
    INSTALLED.get().copied().unwrap_or(Normalizer { nfc: unchanged, nfkc: unchanged, strip_marks: unchanged })
}

/// `text` through the operation `pick` chooses; ASCII, which every
/// operation leaves as it is, without a call.
fn normalize(text: &str, pick: fn(Normalizer) -> fn(&str) -> String) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    pick(normalizer())(text)
}

/// `text` in NFC.
pub fn nfc(text: &str) -> String {
    normalize(text, |n| n.nfc)
}

/// `text` in NFKC.
pub fn nfkc(text: &str) -> String {
    normalize(text, |n| n.nfkc)
}

/// `text` decomposed, without its combining marks.
pub fn strip_marks(text: &str) -> String {
    normalize(text, |n| n.strip_marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_strips_marks() {
        assert_eq!(nfc("Cafe\u{301}"), "Café");
        assert_eq!(nfc("plain"), "plain");
        assert_eq!(nfkc("ｆｕｌｌ ﬁ"), "full fi");
        assert_eq!(strip_marks("Café naïve Ångström Dvořák"), "Cafe naive Angstrom Dvorak");
        // Marks with no base letter go too; letters of other scripts stay.
        assert_eq!(strip_marks("\u{301}x ß ø Ł 日本"), "x ß ø Ł 日本");
        assert_eq!(strip_marks("ｆｕｌｌ"), "ｆｕｌｌ", "canonical, not compatibility, decomposition");
    }
}
