//! Links in abstracts: URLs with trailing punctuation stripped, classified as
//! code repository, project page or other (for the "has code" facet).

use crate::engine::bundle::enrichment::LinkKind;

/// A URL found in a text: the URL and its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub url: String,
    pub kind: LinkKind,
    pub start: usize,
    pub end: usize,
}

/// Every `http(s)://` or `www.` URL in `text`, in order. Where a URL ends
/// (trailing punctuation, a `)` closing a `(` inside the URL) is linkify's
/// call; "…/nudging/ ." and "…/HSP." come out without the dot.
pub fn find_links(text: &str) -> Vec<FoundLink> {
    // Most abstracts have no link: skip the scan for them.
    let has_www = || text.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"www."));
    if !text.contains("://") && !has_www() {
        return Vec::new();
    }
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    // Bare domains ("Node.js", "arXiv.org") are words in prose; only a
    // scheme or a leading "www." makes a link.
    finder.url_must_have_scheme(false);
    finder
        .links(text)
        .filter(|link| {
            let url = link.as_str().to_ascii_lowercase();
            url.starts_with("https://") || url.starts_with("http://") || url.starts_with("www.")
        })
        .map(|link| FoundLink {
            url: link.as_str().to_owned(),
            kind: classify(link.as_str()),
            start: link.start(),
            end: link.end(),
        })
        .collect()
}

/// Classifies a URL by host and path.
pub fn classify(url: &str) -> LinkKind {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.split(':').next().unwrap_or(host);
    let segments: Vec<&str> =
        path.split(['?', '#']).next().unwrap_or("").split('/').filter(|s| !s.is_empty()).collect();
    let repo_hosts = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com"];
    let other_hosts = [
        "arxiv.org",
        "doi.org",
        "dx.doi.org",
        "openreview.net",
        "aclanthology.org",
        "youtube.com",
        "youtu.be",
        "twitter.com",
        "x.com",
        "wikipedia.org",
        "en.wikipedia.org",
        "linkedin.com",
        "medium.com",
        "paperswithcode.com",
        "scholar.google.com",
        "proceedings.neurips.cc",
        "ieeexplore.ieee.org",
    ];
    if repo_hosts.contains(&host) {
        return if segments.len() >= 2 { LinkKind::Code } else { LinkKind::Other };
    }
    if host == "huggingface.co" || host == "hf.co" {
        return match segments.first() {
            Some(&"spaces") => LinkKind::Page,
            Some(&"papers" | &"blog" | &"docs") => LinkKind::Other,
            Some(&"datasets") if segments.len() >= 3 => LinkKind::Code,
            Some(_) if segments.len() >= 2 => LinkKind::Code,
            _ => LinkKind::Other,
        };
    }
    if other_hosts.contains(&host) {
        return LinkKind::Other;
    }
    LinkKind::Page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[(&str, LinkKind)]) {
        let found: Vec<(String, LinkKind)> = find_links(text).into_iter().map(|l| (l.url, l.kind)).collect();
        let expected: Vec<(String, LinkKind)> = expected.iter().map(|(u, k)| (u.to_string(), *k)).collect();
        assert_eq!(found, expected, "links of {text:?}");
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_the_url() {
        check("at https://github.com/a/b.", &[("https://github.com/a/b", LinkKind::Code)]);
        check("(see https://x.github.io/p/).", &[("https://x.github.io/p/", LinkKind::Page)]);
        check(
            "https://en.wikipedia.org/wiki/A_(b), ok",
            &[("https://en.wikipedia.org/wiki/A_(b)", LinkKind::Other)],
        );
        check("www.example.org/x; and", &[("www.example.org/x", LinkKind::Page)]);
    }

    #[test]
    fn only_a_scheme_or_www_makes_a_link() {
        check("built on Node.js and arXiv.org data", &[]);
        check(
            "site: https://fywalter.github.io/nudging/ .",
            &[("https://fywalter.github.io/nudging/", LinkKind::Page)],
        );
        check("at https://github.com/jinlanfu/HSP.", &[("https://github.com/jinlanfu/HSP", LinkKind::Code)]);
        check("code:https://gitlab.com/a/b, data", &[("https://gitlab.com/a/b", LinkKind::Code)]);
        check("no link in https:// alone", &[]);
    }

    #[test]
    fn hosts_are_classified() {
        check("https://huggingface.co/org/model", &[("https://huggingface.co/org/model", LinkKind::Code)]);
        check("https://huggingface.co/spaces/a/b", &[("https://huggingface.co/spaces/a/b", LinkKind::Page)]);
        check("https://github.com/org", &[("https://github.com/org", LinkKind::Other)]);
        check("https://arxiv.org/abs/1", &[("https://arxiv.org/abs/1", LinkKind::Other)]);
    }
}
