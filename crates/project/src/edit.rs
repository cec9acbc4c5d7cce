//! The rule every edit of a project follows, whatever the edit: a file with errors is not
//! edited, and an edit that would add errors is refused. The whole project is checked before
//! and after — the matrix, runbooks, operations and `[pipelines]`, exactly what
//! `edx-matrix check` reports — which the edit functions of `edx_matrix_formats::edit` cannot do alone
//! (they see the matrix only).

use crate::{Format, Project};
use edx_matrix_formats::edit::{Base, EditError, EditOutcome};
use std::fmt;

/// What the project must be like before an edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// It must have no errors (every edit that changes meaning).
    Valid,
    /// It may have errors (`fmt`: meaning is unchanged by construction); the edit must still
    /// not add any.
    Any,
}

/// An edit accepted: the project before and after it, and what the edit said.
#[derive(Clone, Debug)]
pub struct EditedProject {
    /// The project the edit started from.
    pub before: Project,
    /// The edited project (no more errors than `before`).
    pub after: Project,
    /// The edited text, its summary and notes.
    pub outcome: EditOutcome,
}

impl EditedProject {
    /// Returns whether the edit changed the text.
    pub fn changed(&self) -> bool {
        self.outcome.text != self.before.source().text
    }
}

/// Why an edit was refused (nothing is to be written).
#[derive(Clone, Debug)]
pub enum Refusal {
    /// The project has errors already, and the edit needs a valid one; they are its
    /// diagnostics.
    Invalid(Box<Project>),
    /// The edit itself refused (unknown name, invalid value, a rule of the edit).
    Edit(EditError),
    /// The edit would leave more errors than there were; `after` is the edited project, whose
    /// diagnostics say what.
    WouldBreak {
        /// The number of errors before the edit.
        errors_before: usize,
        /// The edited project.
        after: Box<Project>,
    },
}

impl Refusal {
    /// Returns the project whose diagnostics explain the refusal (`None` when the edit itself
    /// refused).
    pub fn project(&self) -> Option<&Project> {
        match self {
            Refusal::Invalid(project) => Some(project),
            Refusal::WouldBreak { after, .. } => Some(after),
            Refusal::Edit(_) => None,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Invalid(project) => {
                let n = project.errors().count();
                write!(
                    f,
                    "`{}` has {n} error{} already; edits are made only to a valid matrix",
                    project.source().name,
                    plural(n)
                )
            }
            Refusal::Edit(e) => e.fmt(f),
            Refusal::WouldBreak { after, .. } => {
                let n = after.errors().count();
                write!(
                    f,
                    "refused: the edit would leave `{}` with {n} error{} (shown above in the edited text); the file is unchanged",
                    after.source().name,
                    plural(n)
                )
            }
        }
    }
}

impl std::error::Error for Refusal {}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Project {
    /// Applies `edit` to this TOML project's text under `precondition`, and checks the result.
    ///
    /// Refuses, with the diagnostics to show, a project with errors when `precondition` is
    /// [`Precondition::Valid`], and any edit whose result has more errors than the project
    /// had. A valid project's matrix is handed to the edit, which then does not read the text
    /// again.
    ///
    /// ```
    /// use edx_matrix_project::{Precondition, Project};
    ///
    /// // The built-in example is formatted already: `fmt` is accepted and changes nothing.
    /// let edited = Project::example()
    ///     .apply_edit(Precondition::Any, |base| edx_matrix_formats::edit::fmt::fmt(base.text))
    ///     .unwrap();
    /// assert!(!edited.changed());
    /// ```
    pub fn apply_edit(
        self,
        precondition: Precondition,
        edit: impl FnOnce(Base<'_>) -> Result<EditOutcome, EditError>,
    ) -> Result<EditedProject, Refusal> {
        let errors_before = self.errors().count();
        if precondition == Precondition::Valid && errors_before > 0 {
            return Err(Refusal::Invalid(Box::new(self)));
        }
        let text = self.source().text.as_str();
        let base = if errors_before == 0 {
            Base::checked(text, self.matrix())
        } else {
            Base::from(text)
        };
        let outcome = edit(base).map_err(Refusal::Edit)?;
        let after = Project::from_text(
            self.source().name.clone(),
            Format::Toml,
            outcome.text.as_str(),
        );
        if after.errors().count() > errors_before {
            return Err(Refusal::WouldBreak {
                errors_before,
                after: Box::new(after),
            });
        }
        Ok(EditedProject {
            before: self,
            after,
            outcome,
        })
    }
}
