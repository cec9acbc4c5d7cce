//! Helpers shared by the test suites of every edx-matrix crate.
//!
//! Tests that need a tool the README does not ask a newcomer to install (Chromium, a Python
//! with pydantic, Tutor) call [`require`]: without the tool the test prints one line saying
//! what is missing and how to get it, and returns early; under `CI=true` a missing tool is a
//! failure, so CI always runs them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

mod acme;
pub mod fixtures;
mod git;
mod http_git;
mod random_matrix;
mod rows;
pub use acme::pin_pro;
pub use git::{Daemon, Git, TestResult, closed_port, file_url, silent_server};
pub use http_git::HttpGit;
pub use random_matrix::{PYTHON_SHAPES, Shapes, TOML_SHAPES, matrix};
pub use rows::project_rows;

/// The workspace root (where `Cargo.lock` is).
pub fn workspace_root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("Cargo.lock").is_file() {
        if !dir.pop() {
            return PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        }
    }
    dir
}

/// True under `CI=true` (or `CI=1`): missing tools fail instead of skipping.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// What a test does when a tool it needs is missing: skips with one line, or panics in CI.
///
/// `test` names the test, `missing` says what is not there, `install` says how to get it.
#[track_caller]
pub fn missing(test: &str, missing: &str, install: &str) {
    if in_ci() {
        panic!("{test}: {missing} (CI=true, so this is a failure): {install}");
    }
    // Straight to the stderr handle, not `eprintln!`: libtest captures the print macros of a
    // passing test, and a skip nobody sees is a silent pass.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {missing}; {install}");
}

/// The first `name` on `PATH` that is a file.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `name` on `PATH`, or `None` after reporting it [`missing`].
#[track_caller]
pub fn require(test: &str, name: &str, install: &str) -> Option<PathBuf> {
    let found = find_program(name);
    if found.is_none() {
        missing(test, &format!("`{name}` is not installed"), install);
    }
    found
}

/// The virtual environment `.ci/run` creates (`<workspace>/target/ci-venv`), or the one
/// `EDX_MATRIX_VENV` names.
pub(crate) fn venv_dir() -> PathBuf {
    std::env::var_os("EDX_MATRIX_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target").join("ci-venv"))
}

/// A program of the test virtual environment (`python`, `tutor`), if it is installed there.
pub fn venv_program(name: &str) -> Option<PathBuf> {
    let path = venv_dir().join("bin").join(name);
    path.is_file().then_some(path)
}

const VENV_HINT: &str = "run `.ci/run` or `python3 -m venv target/ci-venv && \
                         target/ci-venv/bin/pip install -r .ci/python-requirements.txt`";

/// A Python interpreter that can import every module in `modules`: the test virtual
/// environment's, else `python3` on `PATH`. `None` (after [`missing`]) when neither can.
#[track_caller]
pub fn require_python(test: &str, modules: &[&str]) -> Option<PathBuf> {
    let candidates = venv_program("python")
        .into_iter()
        .chain(find_program("python3"));
    for python in candidates {
        if python_imports(&python, modules) {
            return Some(python);
        }
    }
    missing(
        test,
        &format!("no Python that imports {}", modules.join(", ")),
        VENV_HINT,
    );
    None
}

fn python_imports(python: &Path, modules: &[&str]) -> bool {
    let script = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    Command::new(python)
        .args(["-c", &script])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The test virtual environment's `tutor`, or `None` (after [`missing`]).
#[track_caller]
pub fn require_tutor(test: &str) -> Option<PathBuf> {
    let found = venv_program("tutor");
    if found.is_none() {
        missing(
            test,
            "Tutor is not installed in the test virtual environment",
            VENV_HINT,
        );
    }
    found
}

/// Returns the `.rs` files under the test directory `dir` that are not declared as modules,
/// starting from its root file `root` (`main.rs`), so a forgotten test file cannot silently
/// stop running.
///
/// Follows Rust's module layout: `mod x;` in `main.rs` or a `mod.rs` is `x.rs` or `x/mod.rs`
/// beside it; `mod y;` in `x.rs` is `x/y.rs` or `x/y/mod.rs`. Entries are reported relative
/// to `dir` without `.rs` (`python_spellings/spell`); a directory holding `.rs` files that no
/// file declares is reported as `name/`.
pub fn unwired_test_files(dir: &Path, root: &str) -> Vec<String> {
    let mut unwired = Vec::new();
    unwired_under(&dir.join(root), dir, "", &mut unwired);
    unwired.sort();
    unwired
}

/// Collects the unwired files of `children` (the directory `module`'s `mod` items point into).
fn unwired_under(module: &Path, children: &Path, prefix: &str, unwired: &mut Vec<String>) {
    let Ok(text) = std::fs::read_to_string(module) else {
        unwired.push(format!("{prefix}{}", file_name(module)));
        return;
    };
    let Ok(entries) = std::fs::read_dir(children) else {
        return; // a module with no children
    };
    let declared = |stem: &str| text.contains(&format!("mod {stem};"));
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in &paths {
        let name = file_name(path);
        if path.is_dir() {
            if path.join("mod.rs").is_file() {
                if declared(&name) {
                    unwired_under(
                        &path.join("mod.rs"),
                        path,
                        &format!("{prefix}{name}/"),
                        unwired,
                    );
                } else {
                    unwired.push(format!("{prefix}{name}/mod"));
                }
            } else if !children.join(format!("{name}.rs")).is_file() && holds_rust(path) {
                // Children of `name.rs` are checked with it; without it nothing declares them.
                unwired.push(format!("{prefix}{name}/"));
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if path == module {
            continue;
        }
        if !declared(stem) {
            unwired.push(format!("{prefix}{stem}"));
        } else {
            unwired_under(
                path,
                &children.join(stem),
                &format!("{prefix}{stem}/"),
                unwired,
            );
        }
    }
}

/// Returns the test binaries under `<crate_dir>/tests` (`tests/NAME.rs`, `tests/NAME/main.rs`)
/// whose path the crate's `Cargo.toml` does not name: with `autotests = false` they would
/// never be built.
pub fn unlisted_test_targets(crate_dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(crate_dir.join("tests")) else {
        return Vec::new();
    };
    let mut unlisted: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = file_name(&path);
            if path.is_dir() {
                path.join("main.rs")
                    .is_file()
                    .then(|| format!("tests/{name}/main.rs"))
            } else {
                name.ends_with(".rs").then(|| format!("tests/{name}"))
            }
        })
        .filter(|target| !manifest.contains(&format!("path = \"{target}\"")))
        .collect();
    unlisted.sort();
    unlisted
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `dir` or a directory under it holds a `.rs` file.
fn holds_rust(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let path = e.path();
            if path.is_dir() {
                holds_rust(&path)
            } else {
                path.extension().is_some_and(|x| x == "rs")
            }
        })
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn every_declared_module_is_wired_at_every_depth() {
        let dir = tree(&[
            ("main.rs", "mod a;\npub(crate) mod b;\nmod c;\n"),
            ("a.rs", "mod inner;\n"),
            ("a/inner.rs", ""),
            ("b/mod.rs", "mod deep;\n"),
            ("b/deep.rs", ""),
            ("c.rs", ""),
            ("snapshots/x.snap", ""),
        ]);
        assert_eq!(
            unwired_test_files(dir.path(), "main.rs"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn forgotten_files_are_reported_at_every_depth() {
        let dir = tree(&[
            ("main.rs", "mod a;\nmod b;\n"),
            ("a.rs", ""),
            ("a/inner.rs", ""),
            ("b/mod.rs", ""),
            ("b/deep.rs", ""),
            ("c.rs", ""),
            ("d/mod.rs", ""),
            ("e/x.rs", ""),
        ]);
        assert_eq!(
            unwired_test_files(dir.path(), "main.rs"),
            ["a/inner", "b/deep", "c", "d/mod", "e/"]
        );
        assert_eq!(unwired_test_files(dir.path(), "nope.rs"), ["nope.rs"]);
    }

    #[test]
    fn test_binaries_missing_from_the_manifest_are_reported() {
        let dir = tree(&[
            (
                "Cargo.toml",
                "[[test]]\nname = \"x\"\npath = \"tests/x/main.rs\"\n",
            ),
            ("tests/x/main.rs", ""),
            ("tests/y/main.rs", ""),
            ("tests/z.rs", ""),
            ("tests/snapshots/a.snap", ""),
        ]);
        assert_eq!(
            unlisted_test_targets(dir.path()),
            ["tests/y/main.rs", "tests/z.rs"]
        );
    }

    #[test]
    fn the_workspace_root_holds_the_lock_file() {
        assert!(workspace_root().join("Cargo.lock").is_file());
    }

    #[test]
    fn a_program_that_does_not_exist_is_not_found() {
        assert_eq!(find_program("edx-matrix-no-such-program-here"), None);
    }
}
