//! Git reference-name validation, following `git check-ref-format --branch` rules.

/// Returns why `name` is not a valid git branch name, or `None` when it is.
///
/// The rules are git's `check-ref-format` ones (see `git help check-ref-format`), applied to the
/// short name the matrix stores (`release/ulmo`, not `refs/heads/release/ulmo`), plus a ban on a
/// leading `-` so a branch can never be read as a command-line option.
pub fn branch_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("a branch name cannot be empty");
    }
    if name.starts_with('-') {
        return Some("a branch name cannot start with `-`");
    }
    if name == "@" {
        return Some("a branch name cannot be the single character `@`");
    }
    if name.ends_with('/') || name.starts_with('/') {
        return Some("a branch name cannot start or end with `/`");
    }
    if name.ends_with('.') {
        return Some("a branch name cannot end with `.`");
    }
    if crate::names::has(name, "..") {
        return Some("a branch name cannot contain `..`");
    }
    if crate::names::has(name, "//") {
        return Some("a branch name cannot contain `//`");
    }
    if crate::names::has(name, "@{") {
        return Some("a branch name cannot contain `@{`");
    }
    if let Some(why) = crate::names::text_problem(name) {
        return Some(match why {
            w if w.starts_with("`((`") => {
                "a branch name cannot contain `((` (a Concourse credential reference)"
            }
            w if w.contains("separator") => {
                "a branch name cannot contain line separators, NEL or bidirectional control characters"
            }
            _ => "a branch name cannot contain control characters",
        });
    }
    for c in name.chars() {
        if c.is_ascii_control() || c == '\u{7f}' {
            return Some("a branch name cannot contain control characters");
        }
        if matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\') {
            return Some("a branch name cannot contain spaces or any of `~ ^ : ? * [ \\`");
        }
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Some("no `/`-separated part of a branch name can start with `.`");
        }
        if component.ends_with(".lock") {
            return Some("no `/`-separated part of a branch name can end with `.lock`");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::branch_name_problem;

    #[test]
    fn accepts_real_branches() {
        for ok in [
            "master",
            "main",
            "release/ulmo",
            "open-release/palm.master",
            "acme/verawood-fix-jumpnav",
            "pro-teak",
            "v1.2.3",
        ] {
            assert_eq!(branch_name_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_what_git_rejects() {
        for bad in [
            "",
            "-x",
            "@",
            "a..b",
            "a b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[",
            "a\\b",
            "a/",
            "/a",
            "a.",
            "a//b",
            "a@{1}",
            "x/.hidden",
            "x/y.lock",
            "a\tb",
            "a\u{7f}",
            "x\u{2028}y",
            "x\u{2029}y",
            "x\u{85}y",
            "x\u{202e}y",
            "x\u{2067}y",
            "a((registry-password))",
        ] {
            assert!(branch_name_problem(bad).is_some(), "{bad:?}");
        }
    }
}
