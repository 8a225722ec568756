//! Links in abstracts: URLs with trailing punctuation stripped, classified as
//! code repository, project page or other (for the "has code" facet).

use serde::{Deserialize, Serialize};

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A repository on a code or model host (GitHub, GitLab, Bitbucket,
    /// Codeberg, Hugging Face), e.g. `https://github.com/owner/repo`.
    Code,
    /// A project or demo site (`*.github.io`, a lab's page, a Space).
    Page,
    /// Papers, DOIs, videos, social media, a host's front page.
    Other,
}

/// A URL found in a text: the URL and its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub url: String,
    pub kind: LinkKind,
    pub start: usize,
    pub end: usize,
}

/// Every `http(s)://` or `www.` URL in `text`, in order.
pub fn find_links(text: &str) -> Vec<FoundLink> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = next_start(&lower, from) {
        let rest = &text[start..];
        let len = rest.find(|c: char| c.is_whitespace() || "<>\"`{}|\\^".contains(c)).unwrap_or(rest.len());
        let url = trim_url(&rest[..len]);
        from = start + len.max(1);
        if url.len() <= "https://".len() || !url.contains('.') {
            continue;
        }
        out.push(FoundLink { url: url.to_owned(), kind: classify(url), start, end: start + url.len() });
    }
    out
}

fn next_start(lower: &str, from: usize) -> Option<usize> {
    let hay = &lower[from..];
    let candidates = [hay.find("https://"), hay.find("http://"), hay.find("www.")];
    let at = candidates.into_iter().flatten().min()? + from;
    // "www." inside "https://www." was already taken by the scheme; elsewhere
    // it must start a word.
    if lower[at..].starts_with("www.") && lower[..at].ends_with(|c: char| c.is_alphanumeric() || c == '.') {
        return next_start(lower, at + 4);
    }
    Some(at)
}

/// Strips sentence punctuation that follows a URL ("…/nudging/ ." leaves
/// nothing to strip, "…/HSP." loses the dot); keeps a `)` that closes a `(`
/// inside the URL.
fn trim_url(url: &str) -> &str {
    let mut url = url;
    loop {
        let Some(last) = url.chars().last() else { return url };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | ']' | '}' | '*' => true,
            ')' => url.matches('(').count() < url.matches(')').count(),
            _ => false,
        };
        if !strip {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
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
    fn hosts_are_classified() {
        check("https://huggingface.co/org/model", &[("https://huggingface.co/org/model", LinkKind::Code)]);
        check("https://huggingface.co/spaces/a/b", &[("https://huggingface.co/spaces/a/b", LinkKind::Page)]);
        check("https://github.com/org", &[("https://github.com/org", LinkKind::Other)]);
        check("https://arxiv.org/abs/1", &[("https://arxiv.org/abs/1", LinkKind::Other)]);
    }
}
