//! CSV (RFC 4180, written by the `csv` crate): a header row, then one row
//! per paper; lists (authors, tags) joined with `; `, flags as
//! `true`/`false`, CRLF line ends. Values are written as they are: no
//! spreadsheet-formula guarding, so the file stays faithful data.

use super::Item;

const HEADER: [&str; 13] = [
    "id", "title", "authors", "year", "venue", "doi", "arxiv", "url", "abstract", "tags", "starred", "read",
    "note",
];

pub(super) fn write(items: &[Item<'_>]) -> String {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    let mut row = |fields: &[&str]| writer.write_record(fields).expect("writing to memory cannot fail");
    row(&HEADER);
    for item in items {
        let paper = item.paper;
        let year = item.year().unwrap_or_default();
        let authors = paper.metadata.authors.join("; ");
        let tags = item.user.tags.iter().map(String::as_str).collect::<Vec<_>>().join("; ");
        row(&[
            &paper.id,
            &paper.title,
            &authors,
            &year,
            paper.metadata.venue.as_deref().unwrap_or_default(),
            paper.metadata.doi.as_deref().unwrap_or_default(),
            paper.metadata.arxiv.as_deref().unwrap_or_default(),
            paper.metadata.url.as_deref().unwrap_or_default(),
            &paper.abstract_text,
            &tags,
            if item.user.starred { "true" } else { "false" },
            if item.user.read { "true" } else { "false" },
            &item.user.note,
        ]);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the fields are UTF-8")
}
