//! Text normalization shared by every reader: decoding, Unicode NFC,
//! whitespace, and the title key used for stable ids and duplicate detection.

use super::diagnostic::Diagnostic;

/// Decodes an input file as UTF-8 text (without copying it), rejecting
/// binary data.
///
/// A leading byte-order mark is dropped and CRLF line ends are accepted by the
/// line-based readers. Invalid UTF-8 or NUL bytes are reported with the line
/// where they first occur.
pub fn decode_text<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let line_of = |offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Diagnostic::error(file, line_of(offset), "binary data (NUL byte): not a text corpus"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let offset = err.valid_up_to();
            let line = line_of(offset);
            let line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = 1 + String::from_utf8_lossy(&bytes[line_start..offset]).chars().count();
            Err(Diagnostic::error(file, line, "invalid UTF-8: save the file as UTF-8 text").at_col(col))
        }
    }
}

/// NFC-normalizes `text`, turns every run of whitespace (and control
/// characters) into one space, and trims the ends.
///
/// C1 controls that are Windows-1252 punctuation decoded as Latin-1 (U+0091
/// to U+0097, common in scraped corpora) become the punctuation they meant.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in super::unicode::nfc(text).chars().map(windows_1252_punctuation) {
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn windows_1252_punctuation(c: char) -> char {
    match c {
        '\u{91}' => '\u{2018}',
        '\u{92}' => '\u{2019}',
        '\u{93}' => '\u{201c}',
        '\u{94}' => '\u{201d}',
        '\u{95}' => '\u{2022}',
        '\u{96}' => '\u{2013}',
        '\u{97}' => '\u{2014}',
        other => other,
    }
}

/// The comparison key of a title: NFKC, lowercased, every run of
/// non-alphanumeric characters collapsed to one space.
///
/// "BiTA: Bi-Directional Tuning" and "bita bi directional  tuning" share a key.
pub fn title_key(title: &str) -> String {
    let mut key = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in super::unicode::nfkc(title).chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.push(c);
        } else {
            pending_space = true;
        }
    }
    key
}

/// The character an XML character or entity reference names, given what
/// stands between its `&` and `;` (`amp`, `#233`, `#xE9`); `None` for any
/// other name or a code point that is no character.
pub fn xml_character(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace_and_composes() {
        assert_eq!(clean("  a\t b\r\n c  "), "a b c");
        assert_eq!(clean("Cafe\u{301}"), "Caf\u{e9}");
        assert_eq!(clean("\u{93}quoted\u{94} and \u{92}s\u{85}x"), "\u{201c}quoted\u{201d} and \u{2019}s x");
    }

    #[test]
    fn title_key_ignores_case_and_punctuation() {
        assert_eq!(title_key("BiTA: Bi-Directional  Tuning!"), "bita bi directional tuning");
        assert_eq!(title_key("Ｌｌａｍａ"), "llama");
    }

    #[test]
    fn decode_text_reports_line_and_column_of_bad_utf8() {
        let err = decode_text("x.txt", b"ok\nab\xffc").unwrap_err();
        assert_eq!(err.to_string(), "x.txt:2:3: error: invalid UTF-8: save the file as UTF-8 text");
        let err = decode_text("x.txt", b"a\n\nb\0").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
