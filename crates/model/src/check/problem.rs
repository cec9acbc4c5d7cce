//! A [`MatrixProblem`]: one problem `check` found, with its code, subject, labels and help.

use super::subject::Subject;
use crate::code::{Code, Severity};
use crate::suggest::did_you_mean;

/// A secondary location for a problem ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub at: Subject,
    /// What the reader should see there.
    pub label: String,
}

/// One problem found in a matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixProblem {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, one line, lowercase, names in backticks.
    pub message: String,
    /// What it is about.
    pub at: Subject,
    /// The label shown at the subject.
    pub label: String,
    /// Other places worth showing.
    pub related: Vec<Related>,
    /// Hints such as "did you mean `ulmo`?".
    pub help: Vec<String>,
}

impl MatrixProblem {
    /// Returns a problem with the code's default severity.
    pub fn new(
        code: Code,
        at: Subject,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        MatrixProblem {
            code,
            severity: code.default_severity(),
            message: message.into(),
            at,
            label: label.into(),
            related: Vec::new(),
            help: Vec::new(),
        }
    }

    /// Adds a secondary location.
    pub fn with_related(mut self, at: Subject, label: impl Into<String>) -> Self {
        self.related.push(Related {
            at,
            label: label.into(),
        });
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub(super) fn with_suggestion<'a>(
        self,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match did_you_mean(name, candidates) {
            Some(s) => self.with_help(format!("did you mean `{s}`?")),
            None => self,
        }
    }
}
