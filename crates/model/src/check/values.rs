//! The rules of single values: runtime versions, branch names, repository URLs.

use super::problem::MatrixProblem;
use super::subject::Subject;
use crate::code::Code;
use crate::names::is_valid_runtime;
use crate::refname::branch_name_problem;
use crate::url::repository_url_problem;

pub(super) fn runtime_problem(value: &str, at: Subject, what: &str) -> Option<MatrixProblem> {
    (!is_valid_runtime(value)).then(|| {
        MatrixProblem::new(
            Code::InvalidRuntime,
            at,
            format!("invalid {what} version `{value}`"),
            "not a valid version",
        )
        .with_help("a version is letters, digits and `. - _ +`, such as `3.12` or `24`")
    })
}

pub(super) fn branch_problem(value: &str, at: Subject) -> Option<MatrixProblem> {
    if let Some(why) = branch_name_problem(value) {
        return Some(MatrixProblem::new(
            Code::InvalidBranch,
            at,
            format!("invalid branch name `{}`", value.escape_debug()),
            why,
        ));
    }
    let meta = crate::names::shell_metacharacters(value);
    (!meta.is_empty()).then(|| {
        let list: Vec<String> = meta.iter().map(|c| format!("`{c}`")).collect();
        MatrixProblem::new(
            Code::BranchShellMetacharacter,
            at,
            format!(
                "branch name `{}` has shell metacharacters: {}",
                value.escape_debug(),
                list.join(" ")
            ),
            "git allows it; scripts that use the branch may not",
        )
        .with_help("rename the branch, or silence this with `branch-shell-metacharacter = \"allow\"` in `[lints]`")
    })
}

/// Checks a repository or origin URL: an invalid one, else one with a credential. Messages
/// show the URL with its credential redacted.
pub(super) fn repository_problem(value: &str, at: Subject) -> Option<MatrixProblem> {
    // The redacted text only for a message (almost never): it looks for a credential too.
    let shown = || crate::url::redact_url(value);
    if let Some(why) = repository_url_problem(value) {
        return Some(MatrixProblem::new(
            Code::InvalidRepository,
            at,
            format!("invalid repository URL `{}`", shown().escape_debug()),
            why,
        ));
    }
    crate::url::url_credentials(value).then(|| {
        MatrixProblem::new(
            Code::UrlCredentials,
            at,
            format!("repository URL `{}` has a credential in it", shown()),
            "a credential in the matrix file",
        )
        .with_help("use a credential helper, an SSH key or a deploy token outside the file; `url-credentials = \"warn\"` in `[lints]` accepts it (for file:// or private setups)")
    })
}
