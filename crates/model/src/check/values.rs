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
    if plainly_valid_branch(value) {
        return None;
    }
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

/// Whether `name` is a branch name like `release/ulmo` that breaks none of git's rules and has
/// no shell metacharacter, seen in one pass: letters, digits, `_`, `-`, `.` and `/` only, not
/// empty, starting with a letter, digit or `_`, ending with none of `/ .`, with no `//`, `..`,
/// `/.` and no part ending in `.lock`. Anything else goes through every rule (issue 23: a branch
/// was read about six times, 1.1K instructions).
fn plainly_valid_branch(name: &str) -> bool {
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    if !(first.is_ascii_alphanumeric() || first == b'_') || !word(last) {
        return false;
    }
    let mut previous = 0u8;
    for &b in bytes {
        let fine = match b {
            b'/' => previous != b'/' && previous != b'.',
            b'.' => previous != b'.' && previous != b'/',
            _ => word(b),
        };
        if !fine {
            return false;
        }
        previous = b;
    }
    !name.ends_with(".lock") && !name.contains(".lock/")
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

#[cfg(test)]
mod tests {
    use super::plainly_valid_branch;
    use crate::names::shell_metacharacters;
    use crate::refname::branch_name_problem;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// What the shortcut accepts, every rule accepts: git's rules and the shell's.
        #[test]
        fn a_plainly_valid_branch_breaks_no_rule(name in "[a-z0-9_./@{}:~ -]{0,12}(\\.lock)?") {
            if plainly_valid_branch(&name) {
                prop_assert_eq!(branch_name_problem(&name), None);
                prop_assert!(shell_metacharacters(&name).is_empty());
            }
        }
    }

    #[test]
    fn the_shortcut_takes_the_usual_branches_and_not_the_edges() {
        for ok in [
            "master",
            "release/ulmo",
            "open-release/palm.master",
            "v1.2.3",
            "_x-",
        ] {
            assert!(plainly_valid_branch(ok), "{ok}");
        }
        for edge in [
            "", "-x", "/x", "x/", "x.", ".x", "a//b", "a..b", "a/.b", "a./b", "a.lock", "a.lock/b",
            "a b", "a@{b", "é", "a$b",
        ] {
            assert!(!plainly_valid_branch(edge), "{edge:?}");
        }
    }
}
