//! Pipeline templates: Starlark programs that receive the matrix as data and the standard
//! pipelines, and return pipelines (name, team, configuration).
//!
//! A template defines `pipelines(matrix, standard)`, returning a list of
//! `{"name": …, "team": …, "config": …}` dicts (`pipeline(…)` of the library makes one). It
//! may `load()` the library shipped in the binary (`@edx-matrix//lib.star`) and other `.star`
//! files of its own directory (or below it); nothing else: no file outside it, no network, no
//! environment, no clock. The caller hands over the files (this crate does no I/O).

mod convert;
pub(crate) mod data;
mod eval;
mod guard;
pub(crate) mod limits;

pub(crate) use eval::{TemplateOutput, run_template};
pub(crate) use limits::Limits;

use std::collections::BTreeMap;

/// The library templates `load("@edx-matrix//lib.star", …)`.
pub(crate) const LIBRARY: &str = include_str!("lib.star");
/// The name templates load the library by.
pub(crate) const LIBRARY_NAME: &str = "@edx-matrix//lib.star";

/// The template files of a matrix: the templates its `[pipelines] templates` patterns match,
/// and the files they `load()`, by path relative to the matrix file's directory with `/`
/// separators.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateFiles {
    /// The templates to run, in order.
    pub entries: Vec<String>,
    /// Every file read: the templates and the files they load, path → text.
    pub files: BTreeMap<String, String>,
    /// Files a template loads that could not be read, path → why (too large, a symbolic
    /// link, …): refused at the `load()` naming them.
    pub refused: BTreeMap<String, String>,
}

/// Checks a `[pipelines] templates` pattern: a relative `/`-separated path, no `..`, ending in
/// `.star`, with `*` allowed in the file name only.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), String> {
    if pattern.starts_with('/') || pattern.contains('\\') || pattern.contains(':') {
        return Err(
            "it must be a path relative to the matrix file, with `/` separators".to_owned(),
        );
    }
    if pattern.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err(
            "it must stay inside the matrix file's directory (no `..`, no empty part)".to_owned(),
        );
    }
    if directory_of(pattern).contains('*') {
        return Err("`*` may only appear in the file name".to_owned());
    }
    if !pattern.ends_with(".star") {
        return Err("it must name `.star` files".to_owned());
    }
    Ok(())
}

/// Returns whether the file name `name` matches the file-name part `pattern` (`*` matches any
/// run of characters).
pub fn matches(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            let Some(rest) = name.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|i| rest.is_char_boundary(*i))
                .any(|i| matches(tail, &rest[i..]))
        }
    }
}

/// Returns the directory part of a `/`-separated path (`""` for a bare file name).
pub fn directory_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Resolves `load(name)` from the file `from` (both relative to the matrix directory) inside
/// the directory `root` of the template being run; `Err` says why it is refused.
pub fn resolve_load(root: &str, from: &str, name: &str) -> Result<String, String> {
    let relative = name.strip_prefix("//").unwrap_or(name);
    if relative.is_empty()
        || name.contains('\\')
        || name.starts_with('/') && !name.starts_with("//")
    {
        return Err(format!(
            "`{name}` is not a path inside the template's directory"
        ));
    }
    let base = if name.starts_with("//") {
        root.to_owned()
    } else {
        directory_of(from).to_owned()
    };
    let mut parts: Vec<&str> = if base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for piece in relative.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{name}` is outside the template's directory"));
                }
            }
            p if p.contains(':') || p.starts_with('@') => {
                return Err(format!(
                    "`{name}` is not a path inside the template's directory"
                ));
            }
            p => parts.push(p),
        }
    }
    let resolved = parts.join("/");
    let inside = root.is_empty() || resolved.starts_with(&format!("{root}/"));
    if !inside {
        return Err(format!(
            "`{name}` is outside the template's directory `{}`",
            if root.is_empty() { "." } else { root }
        ));
    }
    if !resolved.ends_with(".star") {
        return Err(format!("`{name}` is not a `.star` file"));
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_stay_inside() {
        assert_eq!(
            resolve_load("pipelines", "pipelines/a.star", "b.star"),
            Ok("pipelines/b.star".to_owned())
        );
        assert_eq!(
            resolve_load("pipelines", "pipelines/sub/a.star", "//c.star"),
            Ok("pipelines/c.star".to_owned())
        );
        assert!(resolve_load("pipelines", "pipelines/a.star", "../x.star").is_err());
        assert!(resolve_load("pipelines", "pipelines/a.star", "/etc/x.star").is_err());
        assert!(resolve_load("pipelines", "pipelines/a.star", "sub/../../x.star").is_err());
        assert!(resolve_load("pipelines", "pipelines/a.star", "x.txt").is_err());
        assert!(resolve_load("", "a.star", "../a.star").is_err());
    }

    #[test]
    fn loads_refused_for_each_reason_alone() {
        let refused = |name: &str| resolve_load("pipelines", "pipelines/a.star", name);
        let not_inside = |name: &str| {
            Err(format!(
                "`{name}` is not a path inside the template's directory"
            ))
        };
        for name in [
            "",
            "//",
            "sub\\b.star",
            "/b.star",
            "x:y.star",
            "sub/@b.star",
        ] {
            assert_eq!(refused(name), not_inside(name), "{name}");
        }
        assert_eq!(
            refused("b.txt"),
            Err("`b.txt` is not a `.star` file".to_owned())
        );
        // A template at the matrix file's directory: every `.star` file below it is inside.
        assert_eq!(
            resolve_load("", "a.star", "b.star"),
            Ok("b.star".to_owned())
        );
        assert_eq!(
            resolve_load("", "sub/a.star", "./c.star"),
            Ok("sub/c.star".to_owned())
        );
    }

    #[test]
    fn patterns_are_relative_star_files_with_a_star_in_the_file_name_only() {
        assert_eq!(check_pattern("pipelines/*.star"), Ok(()));
        assert_eq!(check_pattern("main.star"), Ok(()));
        let relative = "it must be a path relative to the matrix file, with `/` separators";
        for pattern in [
            "/pipelines/*.star",
            "pipelines\\*.star",
            "c:pipelines/*.star",
        ] {
            assert_eq!(
                check_pattern(pattern),
                Err(relative.to_owned()),
                "{pattern}"
            );
        }
        let inside = "it must stay inside the matrix file's directory (no `..`, no empty part)";
        for pattern in ["../*.star", "pipelines//*.star"] {
            assert_eq!(check_pattern(pattern), Err(inside.to_owned()), "{pattern}");
        }
        assert_eq!(
            check_pattern("*/main.star"),
            Err("`*` may only appear in the file name".to_owned())
        );
        assert_eq!(
            check_pattern("pipelines/*.py"),
            Err("it must name `.star` files".to_owned())
        );
    }

    #[test]
    fn a_star_matches_any_run_of_characters() {
        assert!(matches("main.star", "main.star"));
        assert!(!matches("main.star", "other.star"));
        assert!(matches("*.star", "a.star"));
        assert!(matches("*.star", ".star"));
        assert!(!matches("*.star", "a.toml"));
        assert!(!matches("p*.star", "x.star"));
        assert!(matches("a*b*.star", "a1b2.star"));
        assert!(matches("é*.star", "éa.star"));
        assert_eq!(directory_of("a/b/c.star"), "a/b");
        assert_eq!(directory_of("c.star"), "");
    }
}
