//! `edx-matrix history --format svg` and `--since`, on the built-in example's synthetic history
//! (twelve revisions: see `edx_matrix_project::git::history::example`) and on a real repository written by
//! `edx_matrix_project::git::history::example::write_repository`.

use crate::harness::Env;

/// The bands of the example's story, counted by hand: campus and campus-staging 5 + 4 + 2 each,
/// online 1 + 1 + 1, pro 3 + 3 + 2.
const EXAMPLE_BANDS: usize = 33;

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn example_history_as_svg() {
    let env = Env::new();
    let svg = env
        .run(&["--example", "history", "--format", "svg"])
        .ok()
        .to_owned();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\""),
        "{svg}"
    );
    assert!(svg.contains(" viewBox=\"0 0 "));
    assert_eq!(count(&svg, "<g class=\"lane\""), 12);
    assert_eq!(count(&svg, "<g class=\"band"), EXAMPLE_BANDS);
    // Without a server there is no diff view to link to.
    assert!(!svg.contains("<a "));

    let leads = env
        .run(&[
            "--example",
            "history",
            "--format",
            "svg",
            "--chart",
            "lead-times",
        ])
        .ok()
        .to_owned();
    assert!(leads.contains("id=\"lead-times\""));
    assert_eq!(count(&leads, "<g class=\"lead\""), 8);

    // To a file; an existing one only with --force.
    env.run(&[
        "--example",
        "history",
        "--format",
        "svg",
        "-o",
        "timeline.svg",
    ])
    .ok();
    assert_eq!(env.read("timeline.svg"), svg);
    let run = env.run(&[
        "--example",
        "history",
        "--format",
        "svg",
        "-o",
        "timeline.svg",
    ]);
    run.code(3);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    env.run(&[
        "--example",
        "history",
        "--format",
        "svg",
        "--chart",
        "lead-times",
        "-o",
        "timeline.svg",
        "--force",
    ])
    .ok();
    assert_eq!(env.read("timeline.svg"), leads);
}

#[test]
fn since_and_deployment_narrow_the_history() {
    let env = Env::new();
    let svg = env
        .run(&[
            "--example",
            "history",
            "--format",
            "svg",
            "-d",
            "campus",
            "--since",
            "2025-07-01",
        ])
        .ok()
        .to_owned();
    assert_eq!(count(&svg, "<g class=\"lane\""), 3);
    // CI: master (in effect on July 1st), verawood, master; QA: verawood, ulmo, verawood;
    // Production: ulmo, verawood.
    assert_eq!(count(&svg, "<g class=\"band"), 8);
    let json = env
        .run(&[
            "--example",
            "history",
            "--format",
            "json",
            "--since",
            "2025-07-01",
        ])
        .ok()
        .to_owned();
    let history: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(history["revisions"], 4);
    let run = env.run(&["--example", "history", "--since", "July"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("invalid `--since`: `July` is not a date: expected YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    let run = env.run(&["--example", "history", "--chart", "lead-times"]);
    run.code(2);
    assert!(
        run.stderr.contains("go with `--format svg`"),
        "{}",
        run.stderr
    );
}

/// The example history written as a git repository: `history` reads the same story from git.
#[test]
fn example_repository_has_the_same_charts() {
    let env = Env::new();
    let dir = env.path("acme");
    edx_matrix_project::git::history::example::write_repository(&dir).unwrap();
    let file = dir.join("edx-matrix.toml");
    let file = file.to_str().unwrap();
    let from_git = env
        .run(&["-f", file, "history", "--format", "svg"])
        .ok()
        .to_owned();
    let from_memory = env
        .run(&["--example", "history", "--format", "svg"])
        .ok()
        .to_owned();
    assert_eq!(count(&from_git, "<g class=\"band"), EXAMPLE_BANDS);
    // The same chart but the commit hashes (git's, and the example's stand-ins).
    let strip = |svg: &str| -> String {
        svg.split('"')
            .map(|part| {
                if part.len() == 40 && part.bytes().all(|b| b.is_ascii_hexdigit()) {
                    "H"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("\"")
            .split("commit ")
            .map(|p| p.get(7..).unwrap_or(p))
            .collect::<Vec<_>>()
            .join("commit ")
    };
    assert_eq!(strip(&from_git), strip(&from_memory));
}

/// `init --example DIR` writes the example's history as a real git repository: `history` over
/// it has the twelve revisions and the bands the in-memory history has, and the working tree is
/// clean (the templates are committed with the first revision). A second `init --example` into it leaves the
/// repository alone.
#[test]
fn init_example_writes_the_history_as_a_repository() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let dir = env.path("acme");
    let status = crate::git::git(&env, &dir, &["status", "--porcelain"]);
    assert_eq!(status, "", "{status}");
    let tracked = crate::git::git(&env, &dir, &["ls-files"]);
    assert_eq!(
        tracked.lines().collect::<Vec<_>>(),
        [
            "edx-matrix.toml",
            "pipelines/edx-platform.star",
            "pipelines/mfe.star",
            "pipelines/standard.star"
        ]
    );
    let log = crate::git::git(&env, &dir, &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 12, "{log}");
    let run = env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "history",
        "--format",
        "svg",
    ]);
    assert_eq!(count(run.ok(), "<g class=\"band"), EXAMPLE_BANDS);
    let again = env.run(&["init", "--example", "acme", "--force"]);
    again.ok();
    assert!(
        again.stderr.contains("is a git repository already"),
        "{}",
        again.stderr
    );
    let after = crate::git::git(&env, &dir, &["log", "--format=%s"]);
    assert_eq!(after, log);
}
