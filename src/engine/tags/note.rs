//! Joining two versions of a paper's note: what a merge and a three-way
//! change do when both sides wrote one.
//!
//! Conflicting notes keep both texts, joined by [`NOTE_SEPARATOR`], rather
//! than the newer one winning: a note is the user's own writing, the two
//! timestamps may come from two machines' clocks, and a joined note costs
//! one manual tidy-up while a dropped one is gone for good.

/// Put between two notes that a merge keeps.
pub const NOTE_SEPARATOR: &str = "\n\n— merged —\n\n";

/// `ours` and `theirs` as one note: either one when it already contains
/// the other (or the other is empty), else both, `ours` first.
pub(crate) fn join_notes(ours: &str, theirs: &str) -> String {
    if theirs.is_empty() || ours.contains(theirs) {
        ours.to_owned()
    } else if ours.is_empty() || theirs.contains(ours) {
        theirs.to_owned()
    } else {
        format!("{ours}{NOTE_SEPARATOR}{theirs}")
    }
}
