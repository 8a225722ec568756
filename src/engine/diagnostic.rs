//! Diagnostics: what is wrong with an input, where, and what to do about it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is: an `Error` makes a record (or the input) unusable,
/// a `Warning` is reported but the record is kept.
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
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), line, col: None, severity: Severity::Error, message: message.into() }
    }

    pub fn warning(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), line, col: None, severity: Severity::Warning, message: message.into() }
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
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(col) = self.col {
            write!(f, ":{col}")?;
        }
        write!(f, ": {severity}: {}", self.message)
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
