//! "Require valid": the one rule every use case applies before it uses a project, with the scope
//! named — the matrix alone (`diff` still compares matrices whose `[pipelines]` are broken, and
//! reports their pipeline impact as not computed) or the whole project (every other command).

use crate::Project;
use edx_matrix_formats::Diagnostic;

/// Which errors make a project unusable for a use case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The matrix's own errors (matrix, runbooks, operations, gates), not `[pipelines]`' nor
    /// its templates'.
    Matrix,
    /// Every error `check` reports for the file: the matrix's and `[pipelines]`'.
    Project,
}

/// A project refused by [`Project::require_valid`]: the errors in the scope, and the project
/// (so a front end can locate them in its source).
#[derive(Debug)]
pub struct Invalid {
    /// The errors in the scope, in the order `check` prints them.
    pub errors: Vec<Diagnostic>,
    /// The project refused.
    pub project: Box<Project>,
}

impl Invalid {
    /// `2 errors; first: line 3: unknown release `ulmo`` (what the server says).
    pub fn summary(&self) -> String {
        crate::git::history::first_error_of(&self.errors, self.project.source())
    }
}

impl Project {
    /// Returns the errors in `scope`. The `[pipelines]` diagnostics are those the loader
    /// recorded as such (read from the section and its templates), whatever their order.
    pub fn errors_in(&self, scope: Scope) -> impl Iterator<Item = &Diagnostic> {
        let all = self.diagnostics();
        let end = match scope {
            Scope::Matrix => self.pipelines_from.min(all.len()),
            Scope::Project => all.len(),
        };
        all[..end].iter().filter(|d| d.is_error())
    }

    /// Returns the project when it has no error in `scope`; else the errors, to be shown.
    pub fn require_valid(self, scope: Scope) -> Result<Project, Invalid> {
        let errors: Vec<Diagnostic> = self.errors_in(scope).cloned().collect();
        if errors.is_empty() {
            return Ok(self);
        }
        Err(Invalid {
            errors,
            project: Box::new(self),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    /// A matrix without errors whose `[pipelines]` has one: valid for the matrix scope only.
    fn broken_pipelines() -> Project {
        let text = include_str!("../../../tests/fixtures/valid/pipelines.toml")
            .replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
        Project::from_text("edx-matrix.toml", Format::Toml, text)
    }

    #[test]
    fn a_pipelines_error_is_outside_the_matrix_scope() {
        assert!(broken_pipelines().require_valid(Scope::Matrix).is_ok());
        let invalid = broken_pipelines()
            .require_valid(Scope::Project)
            .expect_err("a [pipelines] error is in the project scope");
        assert_eq!(invalid.errors.len(), 1, "{:?}", invalid.errors);
        let pipelines: Vec<_> = invalid.project.pipeline_diagnostics().to_vec();
        assert_eq!(invalid.errors, pipelines);
    }

    #[test]
    fn a_matrix_error_is_in_both_scopes() {
        let text = edx_matrix_formats::example::TEXT.replace("stages = [", "stages = [\"QA\", ");
        for scope in [Scope::Matrix, Scope::Project] {
            let project = Project::from_text("edx-matrix.toml", Format::Toml, text.as_str());
            let invalid = project.require_valid(scope).expect_err("a matrix error");
            assert!(!invalid.errors.is_empty());
            assert!(invalid.summary().contains("error"), "{}", invalid.summary());
        }
    }
}
