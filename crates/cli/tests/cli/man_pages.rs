//! `edx-matrix man`: one page per command, read by the programs that read man pages — every
//! page passes `mandoc -Tlint` without a note and `man -l` renders it without a warning — and
//! every cross-reference (SUBCOMMANDS, SEE ALSO) names a page that was generated.

use crate::harness::Env;
use edx_matrix_test_support::require;
use std::collections::BTreeSet;
use std::process::Command;

/// The `NAME(1)` references of a page, hyphens unescaped (`.BR NAME (1)` included).
fn references(roff: &str) -> Vec<String> {
    let text = roff.replace("\\-", "-").replace(" (1)", "(1)");
    let mut found = Vec::new();
    for (at, _) in text.match_indices("(1)") {
        let before = &text[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        found.push(before[start..].to_owned());
    }
    found
}

#[test]
fn every_command_has_a_page_and_every_reference_resolves() {
    let env = Env::new();
    env.run(&["man", "-o", "pages"]).ok();
    let mut pages = BTreeSet::new();
    for entry in std::fs::read_dir(env.path("pages")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        pages.insert(name.strip_suffix(".1").unwrap().to_owned());
    }
    // Counted by hand from `edx-matrix --help` and each command group's `--help`.
    for name in [
        "edx-matrix",
        "edx-matrix-check",
        "edx-matrix-upgrade",
        "edx-matrix-query",
        "edx-matrix-query-deployments",
        "edx-matrix-pipeline",
        "edx-matrix-pipeline-render",
        "edx-matrix-export",
        "edx-matrix-export-tutor",
        "edx-matrix-release-add",
        "edx-matrix-man",
        "edx-matrix-completions",
    ] {
        assert!(pages.contains(name), "{name} among {pages:?}");
    }
    assert!(
        !pages.contains("edx-matrix-help"),
        "no page for clap's help"
    );
    let mut referenced = 0;
    for name in &pages {
        let roff = env.read(&format!("pages/{name}.1"));
        assert!(roff.contains(".TH "), "{name}");
        for reference in references(&roff) {
            assert!(
                pages.contains(&reference),
                "{name}.1 refers to {reference}(1), which was not generated"
            );
            referenced += 1;
        }
    }
    // Every page but the main one is referenced from its parent's SUBCOMMANDS.
    assert!(
        referenced >= 2 * (pages.len() - 1),
        "{referenced} references"
    );
    // A page printed alone is the page written.
    for (words, name) in [
        (&["pipeline", "render"][..], "edx-matrix-pipeline-render"),
        (&["check"][..], "edx-matrix-check"),
        (&["jwt-keygen"][..], "edx-matrix-jwt-keygen"),
    ] {
        let mut args = vec!["man"];
        args.extend(words);
        assert_eq!(env.run(&args).ok(), env.read(&format!("pages/{name}.1")));
    }
    assert_eq!(env.run(&["man"]).ok(), env.read("pages/edx-matrix.1"));
}

#[test]
fn mandoc_lint_finds_no_warning_in_any_page() {
    let Some(mandoc) = require(
        "mandoc_lint_finds_no_warning_in_any_page",
        "mandoc",
        "apt-get install -y mandoc (.ci/run installs it)",
    ) else {
        return;
    };
    let env = Env::new();
    env.run(&["man", "-o", "pages"]).ok();
    let mut files: Vec<_> = std::fs::read_dir(env.path("pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 30, "{files:?}");
    let output = Command::new(mandoc)
        .arg("-Tlint")
        .args(&files)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    // Every level: errors, warnings and style notes (a line over 80 bytes, lower case in a
    // title, trailing whitespace).
    assert_eq!(said, "", "mandoc -Tlint");
    assert!(output.status.success(), "{:?}", output.status);
}

/// What man-db's `man -l` (groff underneath) says while rendering each page, warnings on.
#[test]
fn man_renders_every_page_without_a_warning() {
    let Some(man) = require(
        "man_renders_every_page_without_a_warning",
        "man",
        "apt-get install -y man-db (.ci/run installs it)",
    ) else {
        return;
    };
    let env = Env::new();
    env.run(&["man", "-o", "pages"]).ok();
    for entry in std::fs::read_dir(env.path("pages")).unwrap() {
        let page = entry.unwrap().path();
        let output = Command::new(&man)
            .args(["--warnings=all", "-l"])
            .arg(&page)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr, "", "man -l {}", page.display());
        assert!(output.status.success(), "man -l {}", page.display());
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("NAME"), "{}: {text}", page.display());
    }
}

#[test]
fn a_command_without_a_page_is_a_usage_error_with_a_suggestion() {
    let run = Env::new().run(&["man", "pipline", "render"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown command `pipline render`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `pipeline render`?"),
        "{}",
        run.stderr
    );
}
