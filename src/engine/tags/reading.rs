//! The built-in reading states (starred, read, unread, has a note): their
//! values in the reading-state facet group, the names `tag:` finds them by,
//! and which papers are in them.

use super::{tag_key, PaperData};

/// A reading state the user's marks put a paper in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadingState {
    Starred,
    Read,
    /// Not marked read: every paper without data too.
    Unread,
    /// With a note.
    Note,
}

impl ReadingState {
    pub const ALL: [ReadingState; 4] =
        [ReadingState::Starred, ReadingState::Read, ReadingState::Unread, ReadingState::Note];

    /// Its value in the reading-state facet group.
    pub fn value(self) -> &'static str {
        match self {
            ReadingState::Starred => "starred",
            ReadingState::Read => "read",
            ReadingState::Unread => "unread",
            ReadingState::Note => "has note",
        }
    }

    /// The names a `tag:` term finds it by, in any case (a user tag of the
    /// same name counts too).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ReadingState::Starred => &["starred", "star"],
            ReadingState::Read => &["read"],
            ReadingState::Unread => &["unread"],
            ReadingState::Note => &["note", "notes"],
        }
    }

    /// The state `tag:name` names, if any.
    pub fn named(name: &str) -> Option<ReadingState> {
        let key = tag_key(name.trim());
        ReadingState::ALL.into_iter().find(|state| state.names().contains(&key.as_str()))
    }

    /// Whether a paper with this data is in the state (a paper without
    /// data has the default, empty data: it is unread).
    pub fn holds(self, paper: &PaperData) -> bool {
        match self {
            ReadingState::Starred => paper.starred,
            ReadingState::Read => paper.read,
            ReadingState::Unread => !paper.read,
            ReadingState::Note => !paper.note.is_empty(),
        }
    }
}
