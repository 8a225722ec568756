//! BM25F scoring: the ranking knobs, a clause's scores accumulated over
//! papers, the term scorer, ranking the hits (all of them, or the best few),
//! and the explanation of one paper's score, recorded by the scorer itself.
//!
//! Explaining a paper runs the same search for that paper alone with a
//! [`Trace`] in its [`Scores`]: each contribution is written where the
//! score is made (a term's postings, a phrase's words, an entity boost, a
//! tag, a year), so "why this result" adds up to the score it explains.
//! Without a trace the scorer pays one predictable branch per posting.

use serde::Serialize;

use super::expand::{Expansion, MatchKind};
use crate::engine::facets::{insert, DocSet};
use crate::engine::index::{Posting, SearchIndex};
use crate::engine::query::Field;

/// Ranking knobs, each clamped to its documented range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingWeights {
    /// Weight of a title match, 0–10 (default 3).
    pub title: f32,
    /// Weight of an abstract match, 0–10 (default 1).
    pub abstract_text: f32,
    /// Weight of an author match, 0–10 (default 2).
    pub author: f32,
    /// Weight of an entity/topic match, 0–10 (default 2).
    pub entity: f32,
    /// BM25 term-frequency saturation, 0–3 (default 1.2).
    pub k1: f32,
    /// BM25 length normalization, 0–1 (default 0.75).
    pub b: f32,
}

impl Default for RankingWeights {
    fn default() -> Self {
        Self { title: 3.0, abstract_text: 1.0, author: 2.0, entity: 2.0, k1: 1.2, b: 0.75 }
    }
}

impl RankingWeights {
    pub fn clamped(self) -> Self {
        Self {
            title: self.title.clamp(0.0, 10.0),
            abstract_text: self.abstract_text.clamp(0.0, 10.0),
            author: self.author.clamp(0.0, 10.0),
            entity: self.entity.clamp(0.0, 10.0),
            k1: self.k1.clamp(0.0, 3.0),
            b: self.b.clamp(0.0, 1.0),
        }
    }

    fn field(&self, field: Field) -> f32 {
        match field {
            Field::Title => self.title,
            Field::Abstract => self.abstract_text,
            Field::Author => self.author,
            Field::Entity => self.entity,
        }
    }
}

/// A matching paper and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// How many of the query's clauses the paper matches: all of them,
    /// unless no paper did ([`super::SearchResults::fewer_words`]).
    pub words: u16,
    /// How many of them it matches as typed (the word itself, a completion
    /// of the word being typed, a typo's correction, a phrase, an entity
    /// named, a tag, a year) rather than through another form of a word.
    pub typed: u16,
}

/// Accumulated scores of one clause, dense over papers: a paper's score is
/// its best match among the clause's alternatives and their expansions, plus
/// at most one entity boost.
pub(super) struct Scores<'t> {
    pub docs: DocSet,
    pub score: Vec<f32>,
    /// Papers matching the clause as typed ([`Hit::typed`]).
    pub typed: DocSet,
    /// Whether what is offered now matches as typed.
    offering_typed: bool,
    /// Papers already given an entity boost.
    boosted: DocSet,
    /// Records what makes up one paper's score, when explaining it.
    trace: Option<&'t mut Trace>,
}

impl<'t> Scores<'t> {
    pub fn new(n: usize, trace: Option<&'t mut Trace>) -> Self {
        Self {
            docs: DocSet::with_capacity(n),
            score: vec![0.0; n],
            typed: DocSet::with_capacity(n),
            offering_typed: true,
            boosted: DocSet::default(),
            trace,
        }
    }

    /// A paper matches with `score`; its best match counts.
    #[inline(always)]
    pub fn offer(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        insert(&mut self.docs, d);
        if self.offering_typed {
            insert(&mut self.typed, d);
        }
        let better = score > self.score[d];
        if better {
            self.score[d] = score;
        }
        // Checked here first: `traced` is a call at `opt-level = "z"`.
        if self.trace.is_some() {
            if let Some(trace) = self.traced(doc) {
                trace.offer(score, better);
            }
        }
    }

    /// Adds `score` once per paper on top of its best text match (a paper
    /// naming an entity in one spelling, matching the query in another).
    /// `entity`: the canonical name, for the explanation.
    pub fn boost(&mut self, doc: u32, score: f32, entity: &str) {
        let d = doc as usize;
        if !self.boosted.contains(d) {
            self.boosted.grow(d + 1);
            self.boosted.insert(d);
            self.docs.insert(d);
            self.typed.insert(d);
            self.score[d] += score;
            if let Some(trace) = self.traced(doc) {
                trace.boost(entity, score);
            }
        }
    }

    /// [`Scores::offer`] of a match that is not a term (a tag, a year):
    /// `term` says what matched, `field` where.
    pub fn offer_item(
        &mut self,
        doc: u32,
        score: f32,
        term: impl FnOnce() -> String,
        kind: MatchKind,
        field: &'static str,
    ) {
        if let Some(trace) = self.traced(doc) {
            trace.term(term(), kind);
            trace.parts.push((field, 1, 1.0));
        }
        self.offer(doc, score);
    }

    /// Whether a paper's score is being recorded.
    #[inline(always)]
    pub fn tracing(&self) -> bool {
        self.trace.is_some()
    }

    fn traced(&mut self, doc: u32) -> Option<&mut Trace> {
        self.trace.as_deref_mut().filter(|t| t.doc == doc)
    }

    /// The query item scored next, as the explanation shows it.
    pub fn trace_query(&mut self, query: impl FnOnce() -> String) {
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.query = query();
        }
    }

    /// The term scored next and how it matched the query item.
    pub fn trace_term(&mut self, term: &str, kind: MatchKind) {
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.term(term.to_owned(), kind);
        }
    }

    /// A posting of the term being scored, with its weighted tf.
    pub fn trace_posting(&mut self, posting: &Posting, weighted: f32) {
        if let Some(trace) = self.traced(posting.doc) {
            trace.parts.push((posting.field.name(), posting.tf, weighted));
        }
    }

    /// The term being scored scores `score` in `doc` as part of an offer
    /// still to come (a phrase's word).
    pub fn trace_scored(&mut self, doc: u32, score: f32) {
        if let Some(trace) = self.traced(doc) {
            trace.close_term(score);
        }
    }
}

/// The score of naming an entity: BM25 of one occurrence in the entity
/// field, so a rare model counts for more than a common one.
pub(super) fn entity_score(index: &SearchIndex, docs: usize, w: &RankingWeights) -> f32 {
    idf(index.doc_count(), docs) * w.entity / (w.k1 + w.entity).max(0.01)
}

pub(super) fn idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Field lengths below this have their BM25 length norm in a table.
const TABLED: usize = 512;

/// The ranking weights of a query and, per field, the length norm of
/// each length below [`TABLED`] (words: almost every title, abstract,
/// author list and entity list), computed once per query item instead of
/// once per posting (a division fewer per posting; the same values).
pub(super) struct Bm25 {
    pub w: RankingWeights,
    norms: Vec<f32>,
}

impl Bm25 {
    pub fn new(index: &SearchIndex, w: RankingWeights) -> Self {
        let mut norms = Vec::with_capacity(Field::ALL.len() * TABLED);
        for field in Field::ALL {
            norms.extend((0..TABLED).map(|length| norm(index, &w, field, length as u16)));
        }
        Self { w, norms }
    }
}

/// BM25's length norm of a field `length` words long (at least 0.01).
#[inline(always)]
fn norm(index: &SearchIndex, w: &RankingWeights, field: Field, length: u16) -> f32 {
    let norm = 1.0 - w.b + w.b * f32::from(length) / index.average_length(field);
    norm.max(0.01)
}

/// A posting's weighted, length-normalized term frequency (BM25F).
// Hot (once per posting): `opt-level = "z"` would not inline it.
#[inline(always)]
pub(super) fn weighted_tf(index: &SearchIndex, bm: &Bm25, p: &Posting) -> f32 {
    let length = index.field_length(p.doc, p.field);
    let norm = match bm.norms.get(p.field.index() * TABLED + usize::from(length)) {
        Some(&norm) if usize::from(length) < TABLED => norm,
        _ => norm(index, &bm.w, p.field, length),
    };
    bm.w.field(p.field) * p.tf as f32 / norm
}

/// BM25F of a term in a paper from its summed [`weighted_tf`], scaled by `weight`.
#[inline(always)]
pub(super) fn saturate(weight: f32, idf: f32, tfw: f32, w: &RankingWeights) -> f32 {
    weight * idf * tfw / (w.k1 + tfw)
}

/// The most a term scores in a paper whose summed [`weighted_tf`] is at
/// most `max_tfw` ([`saturate`] of it), a hair above: float rounding must
/// not put it under a score it bounds.
#[inline(always)]
pub(super) fn upper_bound(weight: f32, idf: f32, max_tfw: f32, w: &RankingWeights) -> f32 {
    saturate(weight, idf, max_tfw, w) * (1.0 + 1e-5) + 1e-30
}

/// Calls `offer(paper, its summed weighted term frequency)` once per paper
/// of `postings` (in paper order, a paper's fields one after another), as
/// BM25F sums a term's fields before [`saturate`].
#[inline(always)]
pub(super) fn per_paper(
    index: &SearchIndex,
    bm: &Bm25,
    postings: impl Iterator<Item = Posting>,
    mut offer: impl FnMut(u32, f32),
) {
    let (mut current, mut tfw) = (u32::MAX, 0.0f32);
    for p in postings {
        if p.doc != current {
            if current != u32::MAX {
                offer(current, tfw);
            }
            current = p.doc;
            tfw = 0.0;
        }
        tfw += weighted_tf(index, bm, &p);
    }
    if current != u32::MAX {
        offer(current, tfw);
    }
}

/// Scores every paper containing the expansion's term (restricted to
/// `field` if given, and to `candidates` if given) by BM25F, scaled by its
/// weight, into `into`.
pub(super) fn score_term(
    index: &SearchIndex,
    expansion: &Expansion,
    field: Option<Field>,
    bm: &Bm25,
    candidates: Option<&DocSet>,
    into: &mut Scores,
) {
    let (term, weight) = (expansion.term, expansion.weight);
    let df = index.doc_frequency(term);
    let idf = idf(index.doc_count(), df);
    let tracing = into.tracing();
    if tracing {
        into.trace_term(index.term(term), expansion.kind);
    }
    into.offering_typed = expansion.typed;
    if field.is_none() && candidates.is_none() && !tracing {
        // The common case (a word in any field, a first clause) without a
        // test per posting that cannot fail.
        // (Written out, not `per_paper`: its closure is a call per paper
        // at `opt-level = "z"`, 10% of the query set's p95 at 1M.)
        let (mut current, mut tfw) = (u32::MAX, 0.0f32);
        for p in index.postings(term) {
            if p.doc != current {
                if current != u32::MAX && tfw > 0.0 {
                    into.offer(current, saturate(weight, idf, tfw, &bm.w));
                }
                current = p.doc;
                tfw = 0.0;
            }
            tfw += weighted_tf(index, bm, &p);
        }
        if current != u32::MAX && tfw > 0.0 {
            into.offer(current, saturate(weight, idf, tfw, &bm.w));
        }
        into.offering_typed = true;
        return;
    }
    let (mut current, mut tfw) = (u32::MAX, 0.0f32);
    for p in index.postings(term) {
        if field.is_some_and(|f| f != p.field) || candidates.is_some_and(|c| !c.contains(p.doc as usize)) {
            continue;
        }
        if p.doc != current {
            if current != u32::MAX && tfw > 0.0 {
                into.offer(current, saturate(weight, idf, tfw, &bm.w));
            }
            current = p.doc;
            tfw = 0.0;
        }
        let weighted = weighted_tf(index, bm, &p);
        tfw += weighted;
        if tracing {
            into.trace_posting(&p, weighted);
        }
    }
    if current != u32::MAX && tfw > 0.0 {
        into.offer(current, saturate(weight, idf, tfw, &bm.w));
    }
    into.offering_typed = true;
}

/// One contribution to a paper's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The query item: a word, a phrase, a qualifier.
    pub query: String,
    /// What matched: the indexed word, the entity's canonical name, the
    /// tag, the year.
    pub term: String,
    pub kind: MatchKind,
    /// `title`, `abstract`, `author`, `entity`; `tag`, `year`.
    pub field: &'static str,
    /// Occurrences in the field.
    pub tf: u32,
    pub score: f32,
}

impl Contribution {
    /// The score with two decimals ("1.25"), formatted as integers: the
    /// float formatter is kilobytes of wasm for one table cell.
    pub fn score_text(&self) -> String {
        let hundredths = (f64::from(self.score) * 100.0).round() as i64;
        let sign = if hundredths < 0 { "-" } else { "" };
        let h = hundredths.unsigned_abs();
        format!("{sign}{}.{:02}", h / 100, h % 100)
    }
}

/// What the scorer did for one paper: a mirror of the paper's score cell in
/// [`Scores`], kept as the contributions it is the sum of.
pub(super) struct Trace {
    doc: u32,
    /// The query item being scored.
    query: String,
    /// The term being scored and how it matched.
    term: String,
    kind: MatchKind,
    /// The term's postings in the paper so far: field, tf, weighted tf.
    parts: Vec<(&'static str, u32, f32)>,
    /// The offer being put together (a phrase: a term per word).
    offered: Vec<Contribution>,
    /// What the paper's score in the clause being scored is made of.
    clause: Vec<Contribution>,
    /// The finished clauses' contributions.
    total: Vec<Contribution>,
}

impl Trace {
    pub fn new(doc: u32) -> Self {
        Self {
            doc,
            query: String::new(),
            term: String::new(),
            kind: MatchKind::Exact,
            parts: Vec::new(),
            offered: Vec::new(),
            clause: Vec::new(),
            total: Vec::new(),
        }
    }

    /// The paper being explained.
    pub fn doc(&self) -> u32 {
        self.doc
    }

    fn term(&mut self, term: String, kind: MatchKind) {
        self.term = term;
        self.kind = kind;
        self.parts.clear();
    }

    /// The term scores `score` in the paper: each field gets its share.
    /// BM25F saturates the weighted frequencies of all fields together, so
    /// a field's share is its part of the weighted frequency.
    fn close_term(&mut self, score: f32) {
        let total: f32 = self.parts.iter().map(|p| p.2).sum();
        for (field, tf, part) in self.parts.drain(..) {
            self.offered.push(Contribution {
                query: self.query.clone(),
                term: self.term.clone(),
                kind: self.kind,
                field,
                tf,
                score: if total > 0.0 { score * part / total } else { 0.0 },
            });
        }
    }

    /// As [`Scores::offer`]: the offer replaces what the clause score was
    /// made of when it is better (or the first, which a zero-score match,
    /// a year, is too).
    #[cold]
    #[inline(never)]
    fn offer(&mut self, score: f32, better: bool) {
        if !self.parts.is_empty() {
            self.close_term(score);
        }
        if better || self.clause.is_empty() {
            self.clause = std::mem::take(&mut self.offered);
        } else {
            self.offered.clear();
        }
    }

    #[cold]
    #[inline(never)]
    fn boost(&mut self, entity: &str, score: f32) {
        self.clause.push(Contribution {
            query: self.query.clone(),
            term: entity.to_owned(),
            kind: MatchKind::Entity,
            field: "entity",
            tf: 1,
            score,
        });
    }

    /// The clause is scored: its contributions count.
    pub fn end_clause(&mut self) {
        self.total.append(&mut self.clause);
    }

    /// The paper matched only because the query's words together name an
    /// entity: its score is that entity boost times the number of clauses
    /// (`clauses`), and nothing else.
    pub fn only_named(&mut self, clauses: usize) {
        self.total = std::mem::take(&mut self.clause);
        for c in &mut self.total {
            c.score *= clauses as f32;
        }
    }

    /// What the clause scored does not count.
    pub fn drop_clause(&mut self) {
        self.clause.clear();
        self.offered.clear();
    }

    /// The contributions: the matches largest first, then the entity
    /// boosts added on top of them (also largest first).
    pub fn contributions(mut self) -> Vec<Contribution> {
        let boost = |c: &Contribution| c.kind == MatchKind::Entity;
        self.total.sort_by(|a, b| boost(a).cmp(&boost(b)).then(b.score.total_cmp(&a.score)));
        self.total
    }
}

/// The ranking order: more of the query's words first (they differ only
/// when no paper has them all), then more of them as typed (a paper saying
/// "transformer" before one saying only "transformation"), then higher
/// score; ties in paper order.
#[inline(always)]
pub fn best_first(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    (b.words, b.typed).cmp(&(a.words, a.typed)).then(b.score.total_cmp(&a.score)).then(a.doc.cmp(&b.doc))
}

/// `hits` ranked best first (ties in paper order).
pub fn rank(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_unstable_by(best_first);
    hits
}

/// The best `n` of `hits`, best first, without sorting them all.
pub fn top(mut hits: Vec<Hit>, n: usize) -> Vec<Hit> {
    if hits.len() > n && n > 0 {
        hits.select_nth_unstable_by(n - 1, best_first);
    }
    hits.truncate(n);
    hits.sort_unstable_by(best_first);
    hits
}

/// The best `n` of `hits`, best first, in one pass without copying them:
/// for the few rows a page shows, most hits lose one comparison with the
/// worst kept so far (the same hits as [`top`]: the order is total). For
/// a large `n` and about as many hits, [`top`] sorts less.
pub fn best_of<'h>(hits: impl IntoIterator<Item = &'h Hit>, n: usize) -> Vec<Hit> {
    let mut best: Vec<Hit> = Vec::with_capacity(n.min(1024) + 1);
    if n == 0 {
        return best;
    }
    for hit in hits {
        if best.len() == n && best_first(hit, &best[n - 1]).is_ge() {
            continue;
        }
        let at = best.partition_point(|kept| best_first(kept, hit).is_lt());
        best.insert(at, *hit);
        best.truncate(n);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_shows_with_two_decimals() {
        let text = |score: f32| {
            Contribution {
                query: String::new(),
                term: String::new(),
                kind: MatchKind::Exact,
                field: "title",
                tf: 1,
                score,
            }
            .score_text()
        };
        for (score, shown) in [
            (1.25, "1.25"),
            (0.0, "0.00"),
            (12.345, "12.35"),
            (0.004, "0.00"),
            (-0.5, "-0.50"),
            (3.0, "3.00"),
        ] {
            assert_eq!(text(score), shown, "{score}");
            assert_eq!(text(score), format!("{score:.2}"), "as the float formatter says");
        }
    }
}
