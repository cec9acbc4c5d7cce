//! Where diagnostics go: the two files' sinks, the places of model objects, and the model
//! checks placed in the `.py` files.

use super::eval::{Error, same_error};
use super::expr::Sink;
use super::symbols::{File, Loc};
use crate::{Diagnostic, Location};
use edx_matrix_model::{Code, Matrix, Severity, Subject, check};

/// The diagnostics of both files.
#[derive(Default)]
pub(super) struct Report {
    pub types: Sink,
    pub vm: Sink,
    /// The code of a failed member lookup per enum (releases, applications).
    pub roles: Vec<(usize, Code)>,
    /// The errors reported so far.
    reported: Vec<Error>,
}

impl Report {
    pub(super) fn sink(&mut self, file: File) -> &mut Sink {
        match file {
            File::Types => &mut self.types,
            File::VersionMatrix => &mut self.vm,
        }
    }

    pub(super) fn push(
        &mut self,
        code: Code,
        at: &Loc,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.sink(at.file)
            .push(code, at.span.clone(), message, label)
    }

    /// Reports `e`, once: the same module-level value read from several places fails alike.
    pub(super) fn error(&mut self, e: Error) {
        if self.reported.iter().any(|r| same_error(r, &e)) {
            return;
        }
        self.reported.push(e.clone());
        match e {
            Error::At {
                at,
                message,
                label,
                missing_in,
            } => {
                let code = missing_in
                    .as_ref()
                    .and_then(|(e, _)| self.roles.iter().find(|(r, _)| r == e))
                    .map_or(Code::PythonUnreadable, |(_, c)| *c);
                let d = self.push(code, &at, message, label);
                if let Some((_, Some(close))) = missing_in {
                    d.help.push(format!("did you mean `{close}`?"));
                }
            }
            Error::NoKey(at) => {
                self.push(
                    Code::PythonUnreadable,
                    &at,
                    "the dict has no such key (Python raises KeyError)",
                    "missing key",
                );
            }
            Error::Outside(field, at) => {
                self.push(
                    Code::PythonUnreadable,
                    &at,
                    format!("cannot tell what `self.{field}` is here"),
                    "this value depends on the entry where the importer needs a constant",
                );
            }
        }
    }
}

/// Where model problems are placed.
#[derive(Default)]
pub(super) struct Spans {
    pub releases: Vec<Loc>,
    pub applications: Vec<Loc>,
    pub deployments: Vec<Loc>,
    pub entries: Vec<Loc>,
    pub apps: Vec<Vec<Loc>>,
}

/// Runs the model checks and places what they find in the `.py` files.
pub(super) fn report_checks(matrix: &Matrix, spans: &Spans, report: &mut Report) {
    for problem in check(matrix) {
        let at = match problem.at {
            Subject::Release { index, .. } => spans.releases.get(index).cloned(),
            Subject::Application { index, .. } => spans.applications.get(index).cloned(),
            Subject::Deployment { index }
            | Subject::Stage {
                deployment: index, ..
            } => spans.deployments.get(index).cloned(),
            Subject::Entry { index } => spans.entries.get(index).cloned(),
            Subject::EntryApp { entry, app, .. } => {
                spans.apps.get(entry).and_then(|a| a.get(app)).cloned()
            }
            Subject::Matrix | Subject::StageOrder { .. } => None,
        };
        let (file, location) = match at {
            Some(l) => (l.file, Location::Span(l.span)),
            None => (File::VersionMatrix, Location::File),
        };
        let mut d = Diagnostic::new(problem.code, location, problem.message, problem.label);
        d.severity = problem.severity;
        d.help = problem.help;
        if d.severity == Severity::Warning || d.is_error() {
            report.sink(file).diagnostics.push(d);
        }
    }
}
