//! The user's tags, notes and reading state, with undo and a versioned storage envelope.
