//! The journal macros of the American Astronomical Society (`\apj`,
//! `\mnras`, `\aap`, ...), which NASA ADS's BibTeX exports write as journal
//! names. LaTeX expands them through `aas_macros.sty` or the AASTeX class
//! to an abbreviation (`ApJ`); Folio expands them to the journal's full
//! name, as ADS shows it, so that a venue reads and groups the same as it
//! does from a reference manager's export.

/// The full name of the journal `venue` names when it is one AAS macro
/// (`\apj`, or `{\apj}` with braces and spaces around it).
pub(super) fn journal_name(venue: &str) -> Option<&'static str> {
    let name = venue.trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace()).strip_prefix('\\')?;
    Some(match name {
        "aj" => "The Astronomical Journal",
        "actaa" => "Acta Astronomica",
        "araa" => "Annual Review of Astronomy and Astrophysics",
        "apj" => "The Astrophysical Journal",
        "apjl" | "apjlett" => "The Astrophysical Journal Letters",
        "apjs" | "apjsupp" => "The Astrophysical Journal Supplement Series",
        "ao" | "applopt" => "Applied Optics",
        "apss" => "Astrophysics and Space Science",
        "aap" | "astap" => "Astronomy and Astrophysics",
        "aapr" => "Astronomy and Astrophysics Review",
        "aaps" => "Astronomy and Astrophysics Supplement Series",
        "azh" => "Astronomicheskii Zhurnal",
        "baas" => "Bulletin of the American Astronomical Society",
        "bac" => "Bulletin of the Astronomical Institutes of Czechoslovakia",
        "caa" => "Chinese Astronomy and Astrophysics",
        "cjaa" => "Chinese Journal of Astronomy and Astrophysics",
        "icarus" => "Icarus",
        "jcap" => "Journal of Cosmology and Astroparticle Physics",
        "jrasc" => "Journal of the Royal Astronomical Society of Canada",
        "memras" => "Memoirs of the Royal Astronomical Society",
        "mnras" => "Monthly Notices of the Royal Astronomical Society",
        "na" => "New Astronomy",
        "nar" => "New Astronomy Reviews",
        "pra" => "Physical Review A",
        "prb" => "Physical Review B",
        "prc" => "Physical Review C",
        "prd" => "Physical Review D",
        "pre" => "Physical Review E",
        "prl" => "Physical Review Letters",
        "pasa" => "Publications of the Astronomical Society of Australia",
        "pasp" => "Publications of the Astronomical Society of the Pacific",
        "pasj" => "Publications of the Astronomical Society of Japan",
        "psj" => "The Planetary Science Journal",
        "rmxaa" => "Revista Mexicana de Astronomía y Astrofísica",
        "qjras" => "Quarterly Journal of the Royal Astronomical Society",
        "skytel" => "Sky and Telescope",
        "solphys" => "Solar Physics",
        "sovast" => "Soviet Astronomy",
        "ssr" => "Space Science Reviews",
        "zap" => "Zeitschrift für Astrophysik",
        "nat" => "Nature",
        "iaucirc" => "IAU Circulars",
        "aplett" => "Astrophysical Letters",
        "apspr" => "Astrophysics and Space Physics Research",
        "bain" => "Bulletin of the Astronomical Institutes of the Netherlands",
        "fcp" => "Fundamentals of Cosmic Physics",
        "gca" => "Geochimica et Cosmochimica Acta",
        "grl" => "Geophysical Research Letters",
        "jcp" => "The Journal of Chemical Physics",
        "jgr" => "Journal of Geophysical Research",
        "jqsrt" => "Journal of Quantitative Spectroscopy and Radiative Transfer",
        "memsai" => "Memorie della Società Astronomica Italiana",
        "nphysa" => "Nuclear Physics A",
        "physrep" => "Physics Reports",
        "physscr" => "Physica Scripta",
        "planss" => "Planetary and Space Science",
        "procspie" => "Proceedings of the SPIE",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(venue: &str, expected: Option<&str>) {
        assert_eq!(journal_name(venue), expected, "journal_name({venue:?})");
    }

    #[test]
    fn aas_journal_macros_name_their_journal() {
        check("\\apj", Some("The Astrophysical Journal"));
        check("{\\mnras}", Some("Monthly Notices of the Royal Astronomical Society"));
        check(" \\aap ", Some("Astronomy and Astrophysics"));
        check("\\apjl", Some("The Astrophysical Journal Letters"));
        check("\\prd", Some("Physical Review D"));
        check("\\unknownjournal", None);
        check("apj", None);
        check("\\apj and more", None);
    }
}
