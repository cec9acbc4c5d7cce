//! Helpers shared by the test suites of every edx-matrix crate.
//!
//! Tests that need a tool the README does not ask a newcomer to install (Chromium, a Python
//! with pydantic, Tutor) call [`require`]: without the tool the test prints one line saying
//! what is missing and how to get it, and returns early; under `CI=true` a missing tool is a
//! failure, so CI always runs them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

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
pub fn in_ci() -> bool {
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
pub fn venv_dir() -> PathBuf {
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

/// Returns the `.rs` files of the test directory `dir` that its root file `root` (`main.rs`)
/// does not declare with `mod NAME;`, so a forgotten test file cannot silently stop running.
pub fn unwired_test_files(dir: &Path, root: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(root)) else {
        return vec![root.to_owned()];
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![dir.display().to_string()];
    };
    let root_stem = root.trim_end_matches(".rs");
    let mut unwired: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .filter(|stem| stem != root_stem && !text.contains(&format!("mod {stem};")))
        .collect();
    unwired.sort();
    unwired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_root_holds_the_lock_file() {
        assert!(workspace_root().join("Cargo.lock").is_file());
    }

    #[test]
    fn a_program_that_does_not_exist_is_not_found() {
        assert_eq!(find_program("edx-matrix-no-such-program-here"), None);
    }
}
