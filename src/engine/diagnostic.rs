//! Diagnostics: what is wrong with an input, where, and what to do about it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is: an `Error` makes the input unusable (no bundle is
/// written), a `Warning` is reported and the rest comes in: the record is
/// kept, or (a [`Diagnostic::skipped`] one) left out while the rest of the
/// file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in an input, pointing at `file:line[:col]`.
///
/// Lines and columns are 1-based; `line == 0` means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: Option<usize>,
    pub severity: Severity,
    pub message: String,
    /// The record it is about was left out (a warning).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            col: None,
            severity: Severity::Error,
            message: message.into(),
            skipped: false,
        }
    }

    pub fn warning(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            col: None,
            severity: Severity::Warning,
            message: message.into(),
            skipped: false,
        }
    }

    /// A record that cannot be read: a warning saying it was left out; the
    /// rest of the file still comes in.
    pub fn skipped(file: &str, line: usize, message: impl Into<String>) -> Self {
        let message = format!("{} (record skipped)", message.into());
        Self { skipped: true, ..Self::warning(file, line, message) }
    }

    pub fn at_col(mut self, col: usize) -> Self {
        self.col = Some(col);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {severity}: {}", self.message)
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
