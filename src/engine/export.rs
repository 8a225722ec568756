//! Exports of a selection (BibTeX, RIS, CSL-JSON, CSV) and of all user data (JSON).
