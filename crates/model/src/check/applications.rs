//! Checks of the application catalogue.

use super::problem::MatrixProblem;
use super::subject::{AppField, Subject};
use super::unique_names;
use super::values::repository_problem;
use crate::code::Code;
use crate::matrix::{AppKind, Matrix};
use crate::names::is_valid_mfe_path;
use crate::renames::renamed;
use foldhash::HashMap;

pub(super) fn check_applications<'m>(
    matrix: &'m Matrix,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.applications.iter().map(|a| a.name.as_str()),
        "application",
        |index| Subject::Application { index, field: None },
        out,
    );
    for (index, app) in matrix.applications.iter().enumerate() {
        let at = |field| Subject::Application { index, field };
        if let Some(repository) = &app.repository {
            out.extend(repository_problem(
                repository.as_str(),
                at(Some(AppField::Repository)),
            ));
            if let Some(rename) = renamed(repository.as_str()) {
                out.push(
                    MatrixProblem::new(
                        Code::RenamedRepository,
                        at(Some(AppField::Repository)),
                        format!(
                            "the repository of `{}` was renamed upstream ({}): it is now `{}`",
                            app.name, rename.date, rename.to
                        ),
                        "renamed upstream",
                    )
                    .with_help(format!(
                        "write `repository = \"{}\"`; the old name works only while the host redirects it",
                        rename.to
                    )),
                );
            }
        }
        match (app.kind, &app.path) {
            (AppKind::Mfe, None) => out.push(
                MatrixProblem::new(
                    Code::MfeWithoutPath,
                    at(None),
                    format!("MFE `{}` has no path", app.name),
                    "no `path`: its rows carry none",
                )
                .with_help("an MFE is served under a URL path segment, e.g. `path = \"learn\"`"),
            ),
            (AppKind::Ida, Some(path)) => out.push(MatrixProblem::new(
                Code::PathOnIda,
                at(Some(AppField::Path)),
                format!("IDA `{}` has an MFE path `{path}`", app.name),
                "only MFEs have a path",
            )),
            (AppKind::Mfe, Some(path)) if !is_valid_mfe_path(path.as_str()) => out.push(
                MatrixProblem::new(
                    Code::InvalidPath,
                    at(Some(AppField::Path)),
                    format!("invalid MFE path `{}`", path.as_str().escape_debug()),
                    "not a single URL path segment",
                )
                .with_help("a path is letters, digits, `-`, `_` and `.`, such as `learn`"),
            ),
            _ => {}
        }
    }
    names
}
