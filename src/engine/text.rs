//! Text normalization shared by every reader: decoding, Unicode NFC,
//! whitespace, and the title key used for stable ids and duplicate detection.

use unicode_normalization::UnicodeNormalization;

use super::diagnostic::Diagnostic;

/// Decodes an input file as UTF-8 text, rejecting binary data.
///
/// A leading byte-order mark is dropped and CRLF line ends are accepted by the
/// line-based readers. Invalid UTF-8 or NUL bytes are reported with the line
/// where they first occur.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let line_of = |offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Diagnostic::error(file, line_of(offset), "binary data (NUL byte): not a text corpus"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
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
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfc() {
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

/// The comparison key of a title: NFKC, lowercased, every run of
/// non-alphanumeric characters collapsed to one space.
///
/// "BiTA: Bi-Directional Tuning" and "bita bi directional  tuning" share a key.
pub fn title_key(title: &str) -> String {
    let mut key = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in title.nfkc().flat_map(char::to_lowercase) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace_and_composes() {
        assert_eq!(clean("  a\t b\r\n c  "), "a b c");
        assert_eq!(clean("Cafe\u{301}"), "Caf\u{e9}");
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
