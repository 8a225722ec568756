//! The shareable view state (query, filters, exclusions, sort, open paper)
//! and its URL query-parameter form, so a reload, back/forward or a copied
//! link restores exactly the same view on any static host.
//!
//! Parameters: `q` query text; `f` an included facet value and `x` an
//! excluded one, both `group:value` and repeatable; `sort`; `paper` the open
//! paper's id; `map` a region of the corpus map, `x0,y0,x1,y1` in map units
//! (0..=65535, corners in any order: only papers inside it match); `lasso`
//! a polygon drawn on the map (only papers inside it match), its vertices'
//! coordinates as `u16` LE, x then y, in unpadded URL-safe base64 (4 bytes
//! a vertex, 3 to [`LASSO_VERTICES`] of them: at most 256 characters); `cluster`
//! one of the map's clusters by its number (only its papers match); `for` a
//! tag whose recommendations order the results ("Recommended for <tag>",
//! docs/discovery.md). Unknown parameters and malformed values are ignored (a link
//! never fails to open). The query string is encoded and parsed here, as the
//! browser's `URLSearchParams` does (`application/x-www-form-urlencoded`), so
//! the URL the app writes and every link it shows are the same text.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::facets::Selection;
use super::map::{Polygon, Rect, LASSO_VERTICES};

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By search score; corpus order when there is no query.
    #[default]
    Relevance,
    Title,
    /// Newest first; papers without a year last.
    Year,
    Corpus,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Title, Sort::Year, Sort::Corpus];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Year => "year",
            Sort::Corpus => "corpus",
        }
    }

    pub fn parse(text: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == text)
    }
}

/// Everything a link to a view must carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    pub query: String,
    pub selection: Selection,
    pub sort: Sort,
    pub paper: Option<String>,
    /// Only the papers inside this region of the corpus map match (a box
    /// drawn on the map).
    pub region: Option<Rect>,
    /// Only the papers inside this outline of the corpus map match (a
    /// lasso drawn on the map).
    pub lasso: Option<Polygon>,
    /// Only the papers of this cluster of the corpus map match (its number
    /// in the map's cluster list).
    pub cluster: Option<u16>,
    /// Order the matching papers by how well they fit this tag (its
    /// classifier), leaving out the tag's own papers and those marked
    /// "not interested"; overrides `sort` while the corpus has vectors.
    pub recommend_for: Option<String>,
}

impl ViewState {
    /// Whether a region, a lasso or a cluster of the corpus map narrows the view.
    pub fn on_map(&self) -> bool {
        self.region.is_some() || self.lasso.is_some() || self.cluster.is_some()
    }

    /// Drops the facet filters and the map's region, lasso and cluster.
    pub fn clear_filters(&mut self) {
        self.selection = Selection::default();
        self.region = None;
        self.lasso = None;
        self.cluster = None;
    }
}

/// A map region as its URL value: `x0,y0,x1,y1`.
pub fn region_value(rect: Rect) -> String {
    format!("{},{},{},{}", rect.min[0], rect.min[1], rect.max[0], rect.max[1])
}

/// Reads a map region (`x0,y0,x1,y1`, integers 0..=65535, corners in any
/// order; spaces around numbers allowed); anything else is `None`.
pub fn parse_region(value: &str) -> Option<Rect> {
    let numbers: Vec<u16> = value.split(',').map(|n| n.trim().parse().ok()).collect::<Option<_>>()?;
    let [x0, y0, x1, y1] = numbers[..] else { return None };
    Some(Rect { min: [x0.min(x1), y0.min(y1)], max: [x0.max(x1), y0.max(y1)] })
}

/// A map lasso as its URL value: the vertices' coordinates (`u16` LE, x
/// then y) in unpadded URL-safe base64, which the query string carries as
/// is.
pub fn lasso_value(polygon: &Polygon) -> String {
    let bytes: Vec<u8> = polygon.vertices().iter().flatten().flat_map(|c| c.to_le_bytes()).collect();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads a map lasso written by [`lasso_value`] (surrounding spaces
/// allowed); anything else, fewer than 3 or more than
/// [`LASSO_VERTICES`] vertices, or an outline enclosing nothing, is `None`.
pub fn parse_lasso(value: &str) -> Option<Polygon> {
    let value = value.trim();
    if value.len() > (LASSO_VERTICES * 4).div_ceil(3) * 4 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
    if bytes.len() % 4 != 0 {
        return None;
    }
    let vertices = bytes
        .chunks_exact(4)
        .map(|v| [u16::from_le_bytes([v[0], v[1]]), u16::from_le_bytes([v[2], v[3]])])
        .collect();
    Polygon::new(vertices)
}

impl ViewState {
    /// The state as query parameters, in a stable order; defaults are left out.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.query.is_empty() {
            pairs.push(("q".to_owned(), self.query.clone()));
        }
        for (key, map) in [("f", &self.selection.include), ("x", &self.selection.exclude)] {
            for (group, values) in map {
                pairs.extend(values.iter().map(|value| (key.to_owned(), format!("{group}:{value}"))));
            }
        }
        if self.sort != Sort::default() {
            pairs.push(("sort".to_owned(), self.sort.as_str().to_owned()));
        }
        if let Some(paper) = &self.paper {
            pairs.push(("paper".to_owned(), paper.clone()));
        }
        if let Some(region) = self.region {
            pairs.push(("map".to_owned(), region_value(region)));
        }
        if let Some(lasso) = &self.lasso {
            pairs.push(("lasso".to_owned(), lasso_value(lasso)));
        }
        if let Some(cluster) = self.cluster {
            pairs.push(("cluster".to_owned(), cluster.to_string()));
        }
        if let Some(tag) = &self.recommend_for {
            pairs.push(("for".to_owned(), tag.clone()));
        }
        pairs
    }

    /// The state as a URL query string (no leading `?`; empty for the
    /// default view): every byte but ASCII letters, digits and `*-._`
    /// percent-encoded, spaces as `+`.
    pub fn to_query(&self) -> String {
        form_urlencoded::Serializer::new(String::new()).extend_pairs(self.to_pairs()).finish()
    }

    /// The same-page link that opens this view: `?` and [`ViewState::to_query`].
    pub fn href(&self) -> String {
        format!("?{}", self.to_query())
    }

    /// Reads the state from a URL query string (a leading `?` is skipped),
    /// ignoring what it does not understand; bad percent-escapes are kept
    /// as typed, bytes that are not UTF-8 become U+FFFD.
    pub fn from_query(query: &str) -> ViewState {
        let query = query.strip_prefix('?').unwrap_or(query);
        ViewState::from_pairs(form_urlencoded::parse(query.as_bytes()))
    }

    /// Reads the state from decoded query parameters, ignoring what it does
    /// not understand.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> ViewState {
        let mut state = ViewState::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "q" => state.query = value.to_owned(),
                "f" | "x" => {
                    if let Some((group, facet_value)) =
                        value.split_once(':').filter(|(g, v)| !g.is_empty() && !v.is_empty())
                    {
                        if key.as_ref() == "f" {
                            state.selection.include(group, facet_value);
                        } else {
                            state.selection.exclude(group, facet_value);
                        }
                    }
                }
                "sort" => state.sort = Sort::parse(value).unwrap_or_default(),
                "paper" if !value.is_empty() => state.paper = Some(value.to_owned()),
                "map" => state.region = parse_region(value),
                "lasso" => state.lasso = parse_lasso(value),
                "cluster" => state.cluster = value.trim().parse().ok(),
                "for" if !value.trim().is_empty() => state.recommend_for = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_round_trip(state: &ViewState) {
        assert_eq!(&ViewState::from_pairs(state.to_pairs()), state);
    }

    #[test]
    fn the_default_view_has_no_parameters() {
        assert!(ViewState::default().to_pairs().is_empty());
    }

    #[test]
    fn every_part_of_the_view_survives_a_round_trip() {
        let mut state = ViewState {
            query: "speculative \"decoding\" -lora".into(),
            sort: Sort::Year,
            paper: Some("t-576499ffffc6".into()),
            region: Some(Rect { min: [0, 10], max: [65535, 20000] }),
            lasso: Polygon::new(vec![[0, 0], [65535, 1], [300, 65535]]),
            cluster: Some(7),
            recommend_for: Some("reading/MoE & co".into()),
            ..Default::default()
        };
        state.selection.include("model", "Llama-2-70B-Chat");
        state.selection.include("model", "Mixtral 8x7B");
        state.selection.exclude("topic", "safety: jailbreaks");
        check_round_trip(&state);
        assert_eq!(
            state.to_pairs().iter().filter(|(k, _)| k == "f").map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
            ["model:Llama-2-70B-Chat", "model:Mixtral 8x7B"]
        );
    }

    #[test]
    fn malformed_parameters_are_ignored() {
        let state = ViewState::from_pairs([
            ("f", "novalue"),
            ("f", ":x"),
            ("sort", "sideways"),
            ("paper", ""),
            ("zzz", "1"),
            ("map", "1,2,3"),
            ("map", "1,2,3,70000"),
            ("map", "a,b,c,d"),
            ("lasso", "AAAAAA"),
            ("lasso", "!!!!"),
            ("for", " "),
        ]);
        assert_eq!(state, ViewState::default());
    }

    /// The link opening `paper` and what reading it back opens.
    #[track_caller]
    fn check_paper_link(id: &str, href: &str) {
        let state = ViewState { paper: Some(id.to_owned()), ..Default::default() };
        assert_eq!(state.href(), href, "the link to {id:?}");
        assert_eq!(ViewState::from_query(href).paper.as_deref(), Some(id), "{href} opens {id:?}");
    }

    #[test]
    fn a_paper_link_encodes_every_character_its_id_may_have() {
        check_paper_link("t-576499ffffc6", "?paper=t-576499ffffc6");
        check_paper_link("arxiv:2401.04088", "?paper=arxiv%3A2401.04088");
        check_paper_link("doi:10.1000/a#b%20c", "?paper=doi%3A10.1000%2Fa%23b%2520c");
        check_paper_link("doi:10.1002/(sici)1097&x=1", "?paper=doi%3A10.1002%2F%28sici%291097%26x%3D1");
        check_paper_link("a b+c", "?paper=a+b%2Bc");
        check_paper_link("doi:10.1000/ünï", "?paper=doi%3A10.1000%2F%C3%BCn%C3%AF");
        check_paper_link("100%", "?paper=100%25");
    }

    #[track_caller]
    fn check_query(query: &str, expected: &ViewState) {
        assert_eq!(&ViewState::from_query(query), expected, "{query:?}");
    }

    #[test]
    fn a_query_string_is_read_as_the_browser_reads_it() {
        let paper = |id: &str| ViewState { paper: Some(id.to_owned()), ..Default::default() };
        let query = |q: &str| ViewState { query: q.to_owned(), ..Default::default() };
        check_query("", &ViewState::default());
        check_query("?", &ViewState::default());
        check_query("paper=a%23b", &paper("a#b"));
        check_query("?paper=a%23b", &paper("a#b"));
        check_query("q=large+language%20models", &query("large language models"));
        check_query("q=100%", &query("100%"));
        check_query("q=%zz", &query("%zz"));
        check_query("q=%FF", &query("\u{fffd}"));
        check_query("&&q=x&&", &query("x"));
        check_query("q=a=b", &query("a=b"));
        check_query("zzz=1&q=x", &query("x"));
    }

    #[test]
    fn every_part_of_the_view_survives_the_query_string() {
        let mut state = ViewState {
            query: "tag:reading/now \"a & b\" 100% #1".into(),
            sort: Sort::Title,
            paper: Some("doi:10.1000/a#b%20c".into()),
            ..Default::default()
        };
        state.selection.include("tag", "Reading/x & y");
        state.selection.exclude("venue", "A+B=C?");
        assert_eq!(ViewState::from_query(&state.to_query()), state);
        assert_eq!(ViewState::from_query(&state.href()), state);
        assert_eq!(ViewState::default().to_query(), "");
    }

    #[test]
    fn a_map_cluster_is_its_number() {
        let cluster = |q: &str| ViewState::from_query(q).cluster;
        assert_eq!(cluster("cluster=3"), Some(3));
        assert_eq!(cluster("cluster=+3+"), Some(3));
        assert_eq!(cluster("cluster=-1"), None);
        assert_eq!(cluster("cluster=65536"), None);
        assert_eq!(cluster("cluster=x"), None);
        assert_eq!(ViewState { cluster: Some(0), ..Default::default() }.to_query(), "cluster=0");
    }

    #[test]
    fn a_map_region_is_read_leniently_and_written_in_order() {
        let region = |q: &str| ViewState::from_query(q).region;
        let rect = |x0, y0, x1, y1| Some(Rect { min: [x0, y0], max: [x1, y1] });
        assert_eq!(region("map=10,20,300,400"), rect(10, 20, 300, 400));
        assert_eq!(region("map=300,400,10,20"), rect(10, 20, 300, 400), "corners in any order");
        assert_eq!(region("map=300,20,10,400"), rect(10, 20, 300, 400));
        assert_eq!(region("map=+1+%2C+2%2C3%2C4"), rect(1, 2, 3, 4), "spaces around numbers");
        assert_eq!(region("map=0,0,65535,65535"), rect(0, 0, 65535, 65535));
        assert_eq!(region("map=0,0,65536,1"), None, "out of range");
        assert_eq!(region("map=1,2,3,4,5"), None);
        assert_eq!(region("map=-1,2,3,4"), None);
        assert_eq!(region("map="), None);
        let state = ViewState { region: rect(300, 20, 300, 400), ..Default::default() };
        assert_eq!(state.to_query(), "map=300%2C20%2C300%2C400");
        assert_eq!(ViewState::from_query(&state.to_query()), state);
    }

    #[test]
    fn a_map_lasso_is_compact_base64_and_bounded() {
        let lasso = |q: &str| ViewState::from_query(q).lasso;
        let triangle = Polygon::new(vec![[0, 0], [65535, 1], [300, 65535]]).expect("a triangle");
        // 12 bytes: 16 characters, none of them escaped in the query string.
        assert_eq!(lasso_value(&triangle), "AAAAAP__AQAsAf__");
        let state = ViewState { lasso: Some(triangle.clone()), ..Default::default() };
        assert_eq!(state.to_query(), "lasso=AAAAAP__AQAsAf__");
        assert_eq!(lasso("lasso=AAAAAP__AQAsAf__"), Some(triangle.clone()));
        assert_eq!(lasso("lasso=+AAAAAP__AQAsAf__+"), Some(triangle), "spaces around it");
        // Byte counts that are not whole chunks of base64 (4 vertices: 16 bytes, 22 characters).
        let four = Polygon::new(vec![[1, 2], [300, 4], [5000, 60000], [7, 65535]]).expect("a polygon");
        let value = lasso_value(&four);
        assert_eq!(value.len(), 22);
        assert_eq!(parse_lasso(&value), Some(four));
        // The most vertices a lasso has, and one more.
        let most: Vec<[u16; 2]> =
            (0..LASSO_VERTICES as u16).map(|i| [i * 1000, if i % 2 == 0 { 0 } else { 5000 + i }]).collect();
        let most = Polygon::new(most).expect("a zigzag");
        let value = lasso_value(&most);
        assert!(value.len() <= 256, "{} characters", value.len());
        assert_eq!(parse_lasso(&value), Some(most));
        assert_eq!(parse_lasso(&format!("{value}AAAAAA")), None, "too many vertices");
        assert_eq!(lasso("lasso=AAAAAP__AQAsAf_"), None, "cut short");
        assert_eq!(lasso("lasso=AAAAAP__AQAsAf__A"), None, "a lone character");
        assert_eq!(lasso("lasso=AAAAAP%2B_AQAsAf__"), None, "not URL-safe base64");
        assert_eq!(lasso("lasso=AAAAAAAAAAAAAAAA"), None, "one point three times");
        assert_eq!(lasso("lasso="), None);
        assert_eq!(lasso(&"lasso=".repeat(2)), None);
    }

    #[test]
    fn recommended_for_a_tag_is_a_parameter() {
        let state = ViewState::from_query("for=reading%2Fnow&sort=year");
        assert_eq!(state.recommend_for.as_deref(), Some("reading/now"));
        assert_eq!(state.sort, Sort::Year, "the sort is kept for when it cannot apply");
        assert_eq!(ViewState::from_query(&state.to_query()), state);
        assert_eq!(ViewState::from_query("for=+x+").recommend_for.as_deref(), Some("x"));
    }

    #[test]
    fn a_value_may_contain_colons() {
        let state = ViewState::from_pairs([("f", "topic:safety: jailbreaks")]);
        assert!(state.selection.include["topic"].contains("safety: jailbreaks"));
    }
}
