//! Semantic checks of a matrix: every problem at once, each pointing at what it is about.
//!
//! Problems name their subject by position in the [`Matrix`] ([`Subject`]); the loader that read
//! the matrix turns that into a file location (TOML line and column, or a JSON path).

mod applications;
mod deployments;
mod entry_apps;
pub(crate) mod problem;
mod release_map;
mod releases;
pub(crate) mod subject;
mod values;

use crate::code::Code;
use crate::matrix::Matrix;
use crate::names::is_valid_name;
use applications::check_applications;
use deployments::check_deployments;
use foldhash::{HashMap, HashMapExt};
pub(crate) use problem::MatrixProblem;
use release_map::check_release_map;
use releases::check_releases;
pub(crate) use subject::Subject;

/// Checks `matrix` and returns every problem, errors and warnings, in a stable order.
pub fn check(matrix: &Matrix) -> Vec<MatrixProblem> {
    let mut out = Vec::new();
    let stages = check_stage_order(matrix, &mut out);
    let releases = check_releases(matrix, &mut out);
    let apps = check_applications(matrix, &mut out);
    let deployments = check_deployments(matrix, &stages, &releases, &mut out);
    check_release_map(matrix, &releases, &apps, &deployments, &mut out);
    out
}

/// Returns the first position of every name, reporting invalid and duplicate names.
fn unique_names<'m>(
    names: impl Iterator<Item = &'m str>,
    what: &str,
    at: impl Fn(usize) -> Subject,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let mut first = HashMap::new();
    for (i, name) in names.enumerate() {
        if !is_valid_name(name) {
            out.push(
                MatrixProblem::new(
                    Code::InvalidName,
                    at(i),
                    format!("invalid {what} name `{name}`"),
                    "not a valid name",
                )
                .with_help(crate::names::NAME_RULE),
            );
        }
        if let Some(&previous) = first.get(name) {
            out.push(
                MatrixProblem::new(
                    Code::DuplicateName,
                    at(i),
                    format!("{what} `{name}` is defined twice"),
                    "defined again here",
                )
                .with_related(at(previous), "first defined here"),
            );
        } else {
            first.insert(name, i);
        }
    }
    first
}

fn check_stage_order<'m>(
    matrix: &'m Matrix,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    unique_names(
        matrix.stages.iter().map(|s| s.as_str()),
        "stage",
        |index| Subject::StageOrder { index },
        out,
    )
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if quoted.is_empty() {
        "empty".to_owned()
    } else {
        quoted.join(", ")
    }
}

fn undefined_release(matrix: &Matrix, name: &str, at: Subject) -> MatrixProblem {
    MatrixProblem::new(
        Code::UndefinedRelease,
        at,
        format!("release `{name}` is not defined"),
        "undefined release",
    )
    .with_suggestion(name, matrix.releases.iter().map(|r| r.name.as_str()))
}
