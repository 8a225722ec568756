//! The compile's progress on a terminal (an `indicatif` bar: stage, bytes or
//! papers, rate, ETA), and diagnostics summarised by kind.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use folio::engine::diagnostic::Diagnostic;
use folio::engine::progress::{Stage, Step};

/// Draws engine [`Step`]s; draws nothing when stderr is not a terminal
/// (piped, CI) or with `--quiet`.
pub struct Bar {
    bar: ProgressBar,
    stage: Option<Stage>,
}

impl Bar {
    pub fn new(quiet: bool) -> Self {
        let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        Self { bar: ProgressBar::with_draw_target(None, target), stage: None }
    }

    pub fn step(&mut self, step: Step) {
        if self.stage != Some(step.stage) {
            self.stage = Some(step.stage);
            let units = match step.stage {
                Stage::Read => "{bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta})",
                Stage::Extract => "{pos}/{len} papers ({per_sec}, ETA {eta})",
                Stage::Corpus => "{elapsed}",
            };
            let template = format!("{{spinner}} {{prefix}} [{{bar:30}}] {units}");
            let style =
                ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
            self.bar.set_style(style.progress_chars("=> "));
            self.bar.set_length(step.total);
            self.bar.reset();
        }
        let prefix = match step.stage {
            Stage::Read => format!("{} ({} papers)", step.stage.name(), step.papers),
            _ => step.stage.name().to_owned(),
        };
        self.bar.set_prefix(prefix);
        self.bar.set_position(step.done);
        self.bar.tick();
    }

    /// A stage of the CLI's own (writing the pack), drawn as a spinner.
    pub fn message(&mut self, text: &str) {
        self.stage = None;
        self.bar
            .set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"));
        self.bar.set_message(text.to_owned());
        self.bar.tick();
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Diagnostics shown of one kind before the rest are counted.
const SHOWN_PER_KIND: usize = 5;

/// The lines to print for `diagnostics`: every error; of each kind of
/// warning the first few and then `... and N more` (all with `verbose`).
pub fn summarised(diagnostics: &[Diagnostic], verbose: bool) -> Vec<String> {
    if verbose {
        return diagnostics.iter().map(ToString::to_string).collect();
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut lines = Vec::new();
    for diagnostic in diagnostics {
        let kind = kind_of(diagnostic);
        let count = match seen.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                seen.push((kind, 1));
                1
            }
        };
        if diagnostic.is_error() || count <= SHOWN_PER_KIND {
            lines.push(diagnostic.to_string());
        }
    }
    for (kind, count) in seen {
        if count > SHOWN_PER_KIND && !kind.starts_with("error") {
            let more = count - SHOWN_PER_KIND;
            lines.push(format!(
                "folio: ... and {more} more like \"{}\" (--verbose shows all)",
                &kind["warning ".len()..]
            ));
        }
    }
    lines
}

/// What makes two diagnostics "of a kind": severity and the first two words
/// of the message ("duplicate of", "not valid", "@string macro").
fn kind_of(diagnostic: &Diagnostic) -> String {
    let severity = if diagnostic.is_error() { "error" } else { "warning" };
    let words: Vec<&str> = diagnostic.message.split_whitespace().take(2).collect();
    format!("{severity} {} ...", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_warnings_of_a_kind_are_summarised_errors_never() {
        let mut diagnostics: Vec<Diagnostic> = (1..=8)
            .map(|line| {
                Diagnostic::warning("a.jsonl", line, format!("duplicate of the paper at a.jsonl:{line}"))
            })
            .collect();
        diagnostics.push(Diagnostic::warning("a.jsonl", 9, "not valid JSON: x (record skipped)"));
        diagnostics.extend((10..=16).map(|line| Diagnostic::error("a.jsonl", line, "binary data")));
        let lines = summarised(&diagnostics, false);
        assert_eq!(lines.iter().filter(|l| l.contains("warning: duplicate of")).count(), 5);
        assert_eq!(lines.iter().filter(|l| l.contains("error: binary")).count(), 7);
        assert!(lines.contains(&"a.jsonl:9: warning: not valid JSON: x (record skipped)".to_owned()));
        assert_eq!(
            lines.last().unwrap(),
            "folio: ... and 3 more like \"duplicate of ...\" (--verbose shows all)"
        );
        assert_eq!(summarised(&diagnostics, true).len(), diagnostics.len());
    }
}
