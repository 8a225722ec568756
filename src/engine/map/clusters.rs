//! The map's clusters: k-means over the laid-out points (regions of the
//! map, as a reader sees them), each named by the keyphrases and entities
//! most distinctive of its papers (in many of them, in few of the rest).

use std::collections::HashMap;

use crate::engine::analyze;
use crate::engine::bundle::enrichment::Field;
use crate::engine::bundle::Paper;
use crate::engine::enrich::STOPWORDS;

/// How many clusters for `papers` placed papers: about the square root of
/// half of them, 1 to `most` (3 for the seed's 24 papers, 60 at 7,200
/// papers and above).
pub fn count(papers: usize, most: usize) -> usize {
    (((papers as f64) / 2.0).sqrt().round() as usize).clamp(1, most.max(1)).min(papers)
}

/// Lloyd's k-means of `points` into `k` clusters, started by k-means++
/// (seeded): each point's cluster, and the clusters' means. Empty clusters
/// are dropped (the numbers stay dense).
pub fn kmeans(points: &[[f32; 2]], k: usize, seed: u64) -> (Vec<usize>, Vec<[f32; 2]>) {
    let n = points.len();
    let k = k.min(n);
    if k == 0 {
        return (Vec::new(), Vec::new());
    }
    let d2 = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut centres = vec![points[rng.usize(..n)]];
    let mut nearest: Vec<f32> = points.iter().map(|&p| d2(p, centres[0])).collect();
    while centres.len() < k {
        let total: f64 = nearest.iter().map(|&d| f64::from(d)).sum();
        let next = if total > 0.0 {
            let mut target = rng.f64() * total;
            let mut chosen = n - 1;
            for (i, &d) in nearest.iter().enumerate() {
                target -= f64::from(d);
                if target < 0.0 {
                    chosen = i;
                    break;
                }
            }
            chosen
        } else {
            rng.usize(..n)
        };
        centres.push(points[next]);
        for (best, &p) in nearest.iter_mut().zip(points) {
            *best = best.min(d2(p, points[next]));
        }
    }
    let mut assignment = vec![0usize; n];
    for _ in 0..100 {
        let mut changed = false;
        for (a, &p) in assignment.iter_mut().zip(points) {
            let best = (0..centres.len())
                .min_by(|&x, &y| d2(p, centres[x]).total_cmp(&d2(p, centres[y])).then(x.cmp(&y)))
                .unwrap_or(0);
            changed |= *a != best;
            *a = best;
        }
        let mut sums = vec![[0f64; 3]; centres.len()];
        for (&a, &p) in assignment.iter().zip(points) {
            sums[a][0] += f64::from(p[0]);
            sums[a][1] += f64::from(p[1]);
            sums[a][2] += 1.0;
        }
        for (centre, sum) in centres.iter_mut().zip(&sums) {
            if sum[2] > 0.0 {
                *centre = [(sum[0] / sum[2]) as f32, (sum[1] / sum[2]) as f32];
            }
        }
        if !changed {
            break;
        }
    }
    // Dense numbers, in order of first paper.
    let mut renumber = vec![usize::MAX; centres.len()];
    let mut kept = Vec::new();
    for a in assignment.iter_mut() {
        if renumber[*a] == usize::MAX {
            renumber[*a] = kept.len();
            kept.push(centres[*a]);
        }
        *a = renumber[*a];
    }
    (assignment, kept)
}

/// The terms of a paper a cluster can be named by: its keyphrases and the
/// names of its entities, each once.
fn terms(paper: &Paper) -> Vec<&str> {
    let mut terms: Vec<&str> = paper
        .enrichment
        .keyphrases
        .iter()
        .map(|k| k.phrase.as_str())
        .chain(paper.enrichment.entities.iter().map(|e| e.name.as_str()))
        .filter(|t| !t.trim().is_empty())
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Words that tie nothing together: two labels sharing one do not repeat
/// each other (`theory of mind`, `bag of words`).
const LITTLE_WORDS: [&str; 14] =
    ["a", "an", "and", "by", "for", "from", "in", "of", "on", "or", "the", "to", "via", "with"];

/// The words of a term as labels are compared: folded by the one analyzer
/// (`analyze::fold`), British spellings made American (`dialogue` and
/// `dialog`, `behaviour`, `optimisation`), stemmed (`analyze::stem`), the
/// little words left out. Only compared, never shown.
fn words(term: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyze::for_each_part(term, |part, _, _| {
        let word = american(part);
        if !word.is_empty() && !LITTLE_WORDS.contains(&word.as_str()) {
            out.push(analyze::stem(&word).into_owned());
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// `word` (folded) with a British ending made American: -ogue, -our,
/// -is(e|ed|es|ing|ation). Both words of a comparison go through it, so a
/// word it changes wrongly (`promise`) still only equals itself.
fn american(word: &str) -> String {
    for (british, american, shortest) in [
        ("isations", "izations", 9),
        ("isation", "ization", 8),
        ("ising", "izing", 7),
        ("ised", "ized", 6),
        ("ises", "izes", 6),
        ("ise", "ize", 6),
        ("ogues", "ogs", 7),
        ("ogue", "og", 6),
        ("ours", "ors", 7),
        ("our", "or", 6),
    ] {
        if word.len() >= shortest {
            if let Some(stem) = word.strip_suffix(british) {
                return format!("{stem}{american}");
            }
        }
    }
    word.to_owned()
}

/// How `term` reads in `paper`'s text where the paper has it as a
/// keyphrase, with the words hyphenated onto its front that the keyphrase
/// left out (`oriented dialogue` -> `task-oriented dialogue`); `term`
/// itself otherwise.
fn surface(paper: &Paper, term: &str) -> String {
    let Some(span) =
        paper.enrichment.keyphrases.iter().find(|k| k.phrase == term).and_then(|k| k.spans.first())
    else {
        return term.to_owned();
    };
    let text = match span.field {
        Field::Title => &paper.title,
        Field::Abstract => &paper.abstract_text,
    };
    if text.get(span.start..span.end).is_none() {
        return term.to_owned();
    }
    let mut start = span.start;
    while text[..start].ends_with('-') {
        let before = &text[..start - 1];
        let word = before
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        if word == start - 1 {
            break;
        }
        start = word;
    }
    if start == span.start {
        return term.to_owned();
    }
    let extended = format!("{}{}", &text[start..span.start], term);
    if term.chars().any(char::is_uppercase) {
        extended
    } else {
        extended.to_lowercase()
    }
}

/// The word right next to `term`'s first span in `paper`'s text (after
/// it, or before it), as written, when only one space separates them: the
/// word an n-gram's cut left out (`deep reinforcement` in `deep
/// reinforcement learning`). `None` at the text's edge, across other
/// punctuation, where the paper does not have `term` as a keyphrase.
fn next_word(paper: &Paper, term: &str, after: bool) -> Option<String> {
    let span = paper.enrichment.keyphrases.iter().find(|k| k.phrase == term)?.spans.first()?;
    let text = match span.field {
        Field::Title => &paper.title,
        Field::Abstract => &paper.abstract_text,
    };
    text.get(span.start..span.end)?;
    let word = |c: char| c.is_alphanumeric();
    if after {
        let rest = text[span.end..].strip_prefix(' ')?;
        let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        (end > 0).then(|| rest[..end].to_owned())
    } else {
        let before = text[..span.start].strip_suffix(' ')?;
        let start = before
            .rfind(|c: char| !word(c))
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        (start < before.len()).then(|| before[start..].to_owned())
    }
}

/// `shown` (how `term` reads) with the word a cut left out on either side
/// put back ([`next_word`]) where at least two thirds, and two or more, of
/// `holders` (the cluster's papers with `term`) have the same word there
/// and it is a word that says something (three letters or more, not a
/// number, a little word or one of the keyphrases' stopwords: not `at`
/// in `at MRP 2019`): `visual question` -> `visual question
/// answering`, `role labeling` -> `semantic role labeling`. Written as
/// in the first paper that has it; lower-cased when `term` is.
fn completed(holders: &[&Paper], term: &str, shown: String) -> String {
    let mut out = shown;
    for after in [true, false] {
        let mut counts: HashMap<String, (usize, String)> = HashMap::new();
        for paper in holders {
            if let Some(word) = next_word(paper, term, after) {
                counts.entry(analyze::fold(&word)).or_insert((0, word)).0 += 1;
            }
        }
        let best = counts.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then_with(|| b.0.cmp(&a.0)));
        let Some((folded, (count, word))) = best else { continue };
        let weak = folded.chars().count() < 3
            || !folded.chars().any(char::is_alphabetic)
            || LITTLE_WORDS.contains(&folded.as_str())
            || STOPWORDS.binary_search(&folded.as_str()).is_ok();
        if count < 2 || count * 3 < holders.len() * 2 || weak {
            continue;
        }
        let word = if term.chars().any(char::is_uppercase) { word } else { word.to_lowercase() };
        out = if after { format!("{out} {word}") } else { format!("{word} {out}") };
    }
    out
}

/// Up to `most` terms naming each cluster (`members[c]`: the indexes into
/// `papers` of cluster `c`'s papers), most distinctive first. A term's
/// score is the cluster's papers that have it times the log of how much
/// likelier a paper of the cluster has it than a paper of the corpus (its
/// lift): frequent there and rare elsewhere; where there is one cluster,
/// times the log of how rare it is in the corpus instead. Terms that at
/// least two of the cluster's papers have come first (one, where too few
/// have two); a term sharing a word with a term already chosen (its
/// stem, British or American spelling, little words aside: [`words`]) is
/// skipped. A keyphrase reads as in the text of the cluster's
/// first paper that has it ([`surface`]), with the word its cut left out
/// where most of the cluster's papers with it agree ([`completed`]).
pub fn labels(papers: &[&Paper], members: &[Vec<usize>], most: usize) -> Vec<Vec<String>> {
    let mut corpus: HashMap<&str, u32> = HashMap::new();
    let paper_terms: Vec<Vec<&str>> = papers.iter().map(|p| terms(p)).collect();
    for list in &paper_terms {
        for &t in list {
            *corpus.entry(t).or_default() += 1;
        }
    }
    let total = papers.len().max(1) as f64;
    let one_cluster = members.len() == 1;
    members
        .iter()
        .map(|cluster| {
            let mut counts: HashMap<&str, u32> = HashMap::new();
            for &p in cluster {
                for &t in &paper_terms[p] {
                    *counts.entry(t).or_default() += 1;
                }
            }
            let size = cluster.len().max(1) as f64;
            let mut scored: Vec<(f64, u32, &str)> = counts
                .into_iter()
                .map(|(t, c)| {
                    let (c, df) = (f64::from(c), f64::from(corpus[t]));
                    let ratio = if one_cluster { total / df } else { (c / size) / (df / total) };
                    (c * ratio.ln(), c as u32, t)
                })
                .filter(|&(score, _, _)| score > 0.0)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
            let shared = scored.iter().filter(|s| s.1 >= 2).count();
            let least = if shared >= most.min(2) { 2 } else { 1 };
            let mut chosen: Vec<(String, Vec<String>)> = Vec::new();
            for &(_, c, t) in &scored {
                if chosen.len() == most {
                    break;
                }
                if c < least {
                    continue;
                }
                let holders: Vec<&Paper> =
                    cluster.iter().filter(|&&p| paper_terms[p].contains(&t)).map(|&p| papers[p]).collect();
                let shown = holders.first().map_or_else(|| t.to_owned(), |p| surface(p, t));
                let shown = completed(&holders, t, shown);
                // A term sharing a word (its stem, either spelling) with a
                // better one repeats it: a cut n-gram (`speech detection`
                // after `hate speech`), a part (`decoding` after
                // `speculative decoding`), a variant (`oriented dialog`
                // after `dialogue state`).
                let w = words(&shown);
                let repeats = chosen.iter().any(|(_, other)| {
                    w.iter().any(|x| other.contains(x)) || (w.is_empty() && other.is_empty())
                });
                if !repeats {
                    chosen.push((shown, w));
                }
            }
            chosen.into_iter().map(|(t, _)| t).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::bundle::enrichment::{Keyphrase, Span};

    fn paper(title: &str, phrases: &[(&str, usize)]) -> Paper {
        let mut paper = Paper { title: title.into(), ..Paper::default() };
        paper.enrichment.keyphrases = phrases
            .iter()
            .map(|&(phrase, start)| Keyphrase {
                phrase: phrase.into(),
                score: 1.0,
                spans: vec![Span { field: Field::Title, start, end: start + phrase.len() }],
            })
            .collect();
        paper
    }

    #[test]
    fn a_keyphrase_cut_at_a_hyphen_reads_whole() {
        let p = paper(
            "Task-Oriented Dialogue for Cross-Lingual Transfer",
            &[("oriented dialogue", 5), ("lingual transfer", 33)],
        );
        assert_eq!(surface(&p, "oriented dialogue"), "task-oriented dialogue");
        assert_eq!(surface(&p, "lingual transfer"), "cross-lingual transfer");
        assert_eq!(surface(&p, "not there"), "not there");
        let broken = Paper { title: "x".into(), ..p.clone() };
        assert_eq!(surface(&broken, "oriented dialogue"), "oriented dialogue");
    }

    #[test]
    fn a_cut_ngram_gets_back_the_word_most_of_its_papers_have_next_to_it() {
        let titles = [
            "Visual Question Answering with Semantic Role Labeling",
            "Better visual question answering",
            "Visual question generation",
        ];
        let papers: Vec<Paper> = titles
            .iter()
            .map(|t| {
                let at = t.to_lowercase().find("visual question").unwrap();
                let mut p = paper(t, &[("visual question", at)]);
                if let Some(role) = t.find("Role Labeling") {
                    p.enrichment
                        .keyphrases
                        .push(paper(t, &[("role labeling", role)]).enrichment.keyphrases[0].clone());
                }
                p
            })
            .collect();
        let all: Vec<&Paper> = papers.iter().collect();
        // Two of three say "answering" after it: put back; "with" and
        // "better" are not.
        assert_eq!(completed(&all, "visual question", "visual question".into()), "visual question answering");
        // One of two is not enough.
        assert_eq!(completed(&all[1..], "visual question", "visual question".into()), "visual question");
        // Before it: "semantic" in the only paper with "role labeling" is
        // one paper, not two.
        assert_eq!(completed(&all[..1], "role labeling", "role labeling".into()), "role labeling");
        let twice = [all[0], all[0]];
        assert_eq!(completed(&twice, "role labeling", "role labeling".into()), "semantic role labeling");
        assert_eq!(next_word(&papers[0], "visual question", false), None, "the title's start");
        assert_eq!(next_word(&papers[2], "visual question", true).as_deref(), Some("generation"));
        let broken = Paper { title: "x".into(), ..papers[0].clone() };
        assert_eq!(next_word(&broken, "visual question", true), None);
        // A word that says nothing is not put back, however many agree.
        let shared = |title: &str| {
            let at = title.find("MRP").unwrap();
            paper(title, &[("MRP", at)])
        };
        let mrp = [shared("Parsing at MRP 2019"), shared("Results at MRP 2019")];
        let mrp: Vec<&Paper> = mrp.iter().collect();
        assert_eq!(completed(&mrp, "MRP", "MRP".into()), "MRP");
    }

    /// The label of a cluster of papers with these phrases, beside a
    /// cluster of as many papers with another one.
    fn label_of(papers: &[&[&str]]) -> Vec<String> {
        let others: Vec<&[&str]> = vec![&["graph"]; papers.len()];
        let papers: Vec<Paper> = papers
            .iter()
            .chain(&others)
            .map(|phrases| {
                let mut p = paper("t", &[]);
                p.enrichment.keyphrases = phrases
                    .iter()
                    .map(|&phrase| Keyphrase { phrase: phrase.into(), score: 1.0, spans: Vec::new() })
                    .collect();
                p
            })
            .collect();
        let refs: Vec<&Paper> = papers.iter().collect();
        let (first, second) = ((0..refs.len() / 2).collect(), (refs.len() / 2..refs.len()).collect());
        labels(&refs, &[first, second], 3).remove(0)
    }

    #[test]
    fn a_label_leaves_out_cut_ngrams_and_spelling_variants_of_a_better_term() {
        // Every paper has "dialogue state", fewer "oriented dialog" (a cut
        // n-gram, the other spelling), "slot filling", "behavior cloning"
        // and "behaviour cloning".
        let label = label_of(&[
            &["dialogue state", "oriented dialog", "slot filling"],
            &["dialogue state", "oriented dialog", "slot filling", "behaviour cloning"],
            &["dialogue state", "oriented dialog", "slot filling", "behaviour cloning"],
            &["dialogue state", "oriented dialog", "behavior cloning"],
            &["dialogue state", "behavior cloning", "dialogue states"],
        ]);
        assert_eq!(label, ["dialogue state", "slot filling", "behavior cloning"]);
        let label = label_of(&[
            &["hate speech", "speech detection", "BERT", "optimisation"],
            &["hate speech", "speech detection", "BERT", "optimisation"],
            &["hate speech", "speech detection", "optimization"],
            &["hate speech", "optimization"],
            &["hate speech"],
        ]);
        assert_eq!(label, ["hate speech", "BERT", "optimisation"]);
        // Little words tie nothing: both stay.
        assert_eq!(
            label_of(&[&["theory of mind", "bag of words"], &["theory of mind", "bag of words"]]),
            ["bag of words", "theory of mind"]
        );
    }

    #[test]
    fn british_endings_read_as_american_ones() {
        for (british, american) in [
            ("dialogue", "dialog"),
            ("behaviour", "behavior"),
            ("optimisation", "optimization"),
            ("normalising", "normalizing"),
            ("catalogues", "catalogs"),
            ("colours", "colors"),
        ] {
            assert_eq!(words(british), words(american), "{british}");
        }
        assert_ne!(words("four"), words("for"), "short words stay");
        assert_eq!(words("hour"), ["hour"]);
        assert!(words("of the").is_empty());
    }

    #[test]
    fn labels_prefer_what_is_frequent_in_the_cluster_and_rare_elsewhere() {
        // "models" is in every paper; "graph" only in the first cluster's.
        let papers: Vec<Paper> = (0..8)
            .map(|i| {
                let mut p = paper("t", &[]);
                for phrase in if i < 4 { ["models", "graph"] } else { ["models", "speech"] } {
                    p.enrichment.keyphrases.push(Keyphrase {
                        phrase: phrase.into(),
                        score: 1.0,
                        spans: Vec::new(),
                    });
                }
                p
            })
            .collect();
        let refs: Vec<&Paper> = papers.iter().collect();
        let labels = labels(&refs, &[vec![0, 1, 2, 3], vec![4, 5, 6, 7]], 3);
        assert_eq!(labels, vec![vec!["graph".to_owned()], vec!["speech".to_owned()]]);
        assert_eq!(count(24, 60), 3);
    }
}
