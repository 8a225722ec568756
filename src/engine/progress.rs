//! Progress of long engine work (a compile of a million papers takes
//! minutes): the engine reports steps through a callback, the CLI draws them.

/// A stage of a compile, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the inputs: `done`/`total` in bytes.
    Read,
    /// Entities, links and figures of each paper: `done`/`total` in papers.
    Extract,
    /// Topics, keyphrases and similar papers over the whole corpus.
    Corpus,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "reading",
            Stage::Extract => "extracting entities",
            Stage::Corpus => "topics, keyphrases, similar papers",
        }
    }
}

/// Where a stage is: `done` of `total` units (bytes or papers, see
/// [`Stage`]), and the papers read so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
    pub papers: usize,
}

/// How often per-paper work reports: every this many papers.
pub const EVERY: usize = 1024;
