//! The browser's Unicode normalization (`String.prototype.normalize`) for
//! the engine (see `engine::unicode`): the app carries no tables of its own.

use js_sys::{JsString, RegExp};

use crate::engine::unicode::{install as install_normalizer, Normalizer};

thread_local! {
    /// Every combining mark (`General_Category=Mark`).
    static MARKS: RegExp = RegExp::new("\\p{M}", "gu");
}

fn nfc(text: &str) -> String {
    JsString::from(text).normalize("NFC").into()
}

fn nfkc(text: &str) -> String {
    JsString::from(text).normalize("NFKC").into()
}

fn strip_marks(text: &str) -> String {
    let decomposed = JsString::from(text).normalize("NFD");
    MARKS.with(|marks| decomposed.replace_by_pattern(marks, "")).into()
}

/// Installs the browser's normalizer in the engine (once, at startup).
pub fn install() {
    install_normalizer(Normalizer { nfc, nfkc, strip_marks });
}
