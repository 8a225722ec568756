//! Exports of a selection of papers with the user's data, in the formats
//! reference managers import: BibTeX (tags in `keywords`), RIS (`KW`),
//! CSL-JSON (`keyword`) and CSV. All user data exports as JSON through
//! [`super::tags::encode`] instead.
//!
//! Each format is one module turning [`Item`]s into text; a new format is a
//! new module and a new [`ExportFormat`] variant. Fields a paper lacks are
//! left out (CSV: left empty). The user's note goes where reference managers
//! keep private annotations (`annote`, `N1`), not where styles print notes.

mod bibtex;
mod csl_json;
mod csv;
mod ris;

use super::bundle::Paper;
use super::tags::{PaperData, UserData};

pub use bibtex::bibtex_escape;

/// A file format for exported papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    BibTex,
    Ris,
    CslJson,
    Csv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] =
        [ExportFormat::BibTex, ExportFormat::Ris, ExportFormat::CslJson, ExportFormat::Csv];

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "BibTeX",
            ExportFormat::Ris => "RIS",
            ExportFormat::CslJson => "CSL-JSON",
            ExportFormat::Csv => "CSV",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "bib",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "json",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "application/x-bibtex",
            ExportFormat::Ris => "application/x-research-info-systems",
            ExportFormat::CslJson => "application/vnd.citationstyles.csl+json",
            ExportFormat::Csv => "text/csv",
        }
    }
}

/// Writes `papers` (in the order given) with their user data in `format`.
pub fn export(papers: &[&Paper], user: &UserData, format: ExportFormat) -> String {
    let empty = PaperData::default();
    let items: Vec<Item<'_>> = papers
        .iter()
        .map(|paper| Item { paper, user: user.papers.get(&paper.id).unwrap_or(&empty) })
        .collect();
    match format {
        ExportFormat::BibTex => bibtex::write(&items),
        ExportFormat::Ris => ris::write(&items),
        ExportFormat::CslJson => csl_json::write(&items),
        ExportFormat::Csv => csv::write(&items),
    }
}

/// One exported paper: its metadata and what the user recorded about it.
struct Item<'a> {
    paper: &'a Paper,
    user: &'a PaperData,
}

impl Item<'_> {
    /// The user's tags, then `starred` for a starred paper, so that a
    /// reference manager that imports keywords as tags shows the star too.
    fn keywords(&self) -> Vec<&str> {
        let mut keywords: Vec<&str> = self.user.tags.iter().map(String::as_str).collect();
        if self.user.starred && !self.user.tags.iter().any(|t| t.eq_ignore_ascii_case("starred")) {
            keywords.push("starred");
        }
        keywords
    }

    fn year(&self) -> Option<String> {
        self.paper.metadata.year.map(|year| year.to_string())
    }
}

/// An author's family and given names: `Last, First` as written, else the
/// last word is the family name (`Albert Q. Jiang` -> `Jiang`, `Albert Q.`).
/// A single word is a family name with no given name.
fn name_parts(author: &str) -> (&str, &str) {
    let author = author.trim();
    if let Some((family, given)) = author.split_once(',') {
        return (family.trim(), given.trim());
    }
    match author.rsplit_once(char::is_whitespace) {
        Some((given, family)) => (family, given.trim()),
        None => (author, ""),
    }
}
