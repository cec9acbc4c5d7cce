//! Checks of `releases`.

use super::problem::MatrixProblem;
use super::subject::{ReleaseField, Subject};
use super::unique_names;
use super::values::{branch_problem, runtime_problem};
use crate::matrix::Matrix;
use foldhash::HashMap;

pub(super) fn check_releases<'m>(
    matrix: &'m Matrix,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.releases.iter().map(|r| r.name.as_str()),
        "release",
        |index| Subject::Release { index, field: None },
        out,
    );
    for (index, release) in matrix.releases.iter().enumerate() {
        let at = |field| Subject::Release {
            index,
            field: Some(field),
        };
        out.extend(branch_problem(
            release.branch.as_str(),
            at(ReleaseField::Branch),
        ));
        if let Some(python) = &release.python {
            out.extend(runtime_problem(
                python.as_str(),
                at(ReleaseField::Python),
                "Python",
            ));
        }
        if let Some(node) = &release.node {
            out.extend(runtime_problem(
                node.as_str(),
                at(ReleaseField::Node),
                "Node",
            ));
        }
    }
    names
}
