//! Which URLs from corpus text may become links: only absolute `http(s)` URLs.
//!
//! Corpus text is data, never markup: a `javascript:`, `data:` or `vbscript:`
//! URL in an abstract must stay inert text. The UI renders an `href` only from
//! what [`safe_href`] returns.

/// The URL to use as a link target, or `None` when it must not be a link.
///
/// Accepts `http://` and `https://` URLs (scheme case-insensitive) with a
/// non-empty host; surrounding whitespace is trimmed. Rejects every other
/// scheme, relative URLs, and URLs containing whitespace or control
/// characters (browsers strip tabs and newlines inside URLs, which is how
/// `java\tscript:` tricks get past naive checks).
pub fn safe_href(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    if host.is_empty() || host.starts_with(':') {
        return None;
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::safe_href;

    #[track_caller]
    fn check(url: &str, expected: Option<&str>) {
        assert_eq!(safe_href(url), expected, "safe_href({url:?})");
    }

    #[test]
    fn http_and_https_urls_are_links() {
        check("https://github.com/folio/folio", Some("https://github.com/folio/folio"));
        check("http://example.org/paper?id=1#abs", Some("http://example.org/paper?id=1#abs"));
        check("HTTPS://Example.org", Some("HTTPS://Example.org"));
        check("  https://example.org/x  ", Some("https://example.org/x"));
        check("https://user@example.org:8443/", Some("https://user@example.org:8443/"));
    }

    #[test]
    fn script_and_data_schemes_are_never_links() {
        check("javascript:alert(1)", None);
        check("JavaScript:alert(1)", None);
        check(" javascript:alert(1)", None);
        check("java\tscript:alert(1)", None);
        check("java\nscript:alert(1)", None);
        check("javascript://example.org/%0aalert(1)", None);
        check("data:text/html,<script>alert(1)</script>", None);
        check("vbscript:msgbox(1)", None);
        check("file:///etc/passwd", None);
        check("ftp://example.org/paper.pdf", None);
    }

    #[test]
    fn relative_malformed_and_hostless_urls_are_not_links() {
        check("", None);
        check("example.org", None);
        check("/papers/1", None);
        check("//example.org/x", None);
        check("https://", None);
        check("https:///path", None);
        check("https://:443/", None);
        check("https:example.org", None);
        check("https://exa mple.org", None);
        check("https://example.org/\u{0}", None);
    }
}
