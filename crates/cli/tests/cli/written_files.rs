//! Every file edx-matrix writes passes its own `fmt --check` and `check`: the starter (and its
//! commented examples, uncommented), `init --example`, `import json`/`import python`, and the
//! output of every edit command on the starter and on the example.

use crate::harness::{Env, fixtures};

/// Asserts that `file` in `env` passes `fmt --check` and `check` (warnings allowed), run by
/// the binary itself.
#[track_caller]
fn assert_clean(env: &Env, file: &str, what: &str) {
    let fmt = env.run(&["--file", file, "fmt", "--check"]);
    assert_eq!(
        fmt.code,
        0,
        "{what}: `fmt --check` fails\n{}{}\n--- the file\n{}",
        fmt.stdout,
        fmt.stderr,
        env.read(file)
    );
    let check = env.run(&["--file", file, "check"]);
    assert_eq!(
        check.code, 0,
        "{what}: `check` fails\n{}{}",
        check.stdout, check.stderr
    );
}

/// The commented example blocks of a file, as line ranges: a line `# [header]` and the
/// `# `-prefixed lines after it.
fn commented_examples(text: &str) -> Vec<std::ops::Range<usize>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("# [") {
            let start = i;
            i += 1;
            while i < lines.len()
                && lines[i].starts_with("# ")
                && !lines[i].starts_with("# [[runbooks")
            {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

/// `text` with the lines of `ranges` uncommented.
fn uncomment(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let inside = ranges.iter().any(|r| r.contains(&n));
        out.push_str(if inside { &line[2..] } else { line });
        out.push('\n');
    }
    out
}

#[test]
fn the_starter_and_each_of_its_commented_examples_pass_fmt_and_check() {
    let env = Env::new();
    env.run(&["init"]).ok();
    assert_clean(&env, "edx-matrix.toml", "init");
    let text = env.read("edx-matrix.toml");
    let examples = commented_examples(&text);
    let headers: Vec<&str> = examples
        .iter()
        .map(|r| text.lines().nth(r.start).unwrap())
        .collect();
    // The release-map block, the runbook step and `[operations]`.
    assert_eq!(
        headers,
        ["# [[map]]", "# [[runbooks.verawood]]", "# [operations]"],
        "{text}"
    );
    for (i, range) in examples.iter().enumerate() {
        let name = format!("example-{i}.toml");
        env.write(&name, &uncomment(&text, std::slice::from_ref(range)));
        assert_clean(
            &env,
            &name,
            &format!("the starter with `{}` uncommented", headers[i]),
        );
    }
    env.write("all.toml", &uncomment(&text, &examples));
    assert_clean(
        &env,
        "all.toml",
        "the starter with every example uncommented",
    );
    // Uncommented, the examples mean something: the fork, the runbook step, the Grafana URL.
    let run = env.run(&[
        "--file", "all.toml", "resolve", "-d", "mysite", "-s", "QA", "-a", "xqueue", "--format",
        "json",
    ]);
    assert!(
        run.ok().contains("https://github.com/example/xqueue"),
        "{}",
        run.stdout
    );
    let run = env.run(&[
        "--file",
        "all.toml",
        "runbook",
        "verawood",
        "--stage",
        "Production",
    ]);
    assert!(run.ok().contains("Watch the LMS logs"), "{}", run.stdout);
}

#[test]
fn init_example_and_the_imports_pass_fmt_and_check() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    assert_clean(&env, "acme/edx-matrix.toml", "init --example");

    let model = fixtures().join("acme/model.json");
    env.run(&[
        "import",
        "json",
        model.to_str().unwrap(),
        "-o",
        "from-json.toml",
    ])
    .ok();
    assert_clean(&env, "from-json.toml", "import json");

    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures().join("acme/python-layout")).unwrap() {
        let dir = entry.unwrap().path();
        let name = format!("from-python-{seen}.toml");
        let mut args = vec!["import", "python", dir.to_str().unwrap(), "-o", &name];
        // The legacy layout names no Python and Node defaults (see interop.rs).
        if dir.ends_with("legacy") {
            args.extend(["--default-python", "3.11", "--default-node", "20"]);
        }
        env.run(&args).ok();
        assert_clean(&env, &name, &format!("import python {}", dir.display()));
        seen += 1;
    }
    assert!(seen >= 3, "the Python layouts are fixtures");
}

/// Edits of the starter (`init`) that must pass; each starts from the untouched starter.
const STARTER_EDITS: &[&[&str]] = &[
    &["upgrade", "mysite", "--stage", "QA", "--to", "master"],
    &["promote", "mysite", "--to", "QA"],
    &[
        "release",
        "add",
        "willow",
        "--branch",
        "release/willow",
        "--python",
        "3.12",
        "--node",
        "24",
    ],
    // A name longer than every other: the whole table's `=` moves.
    &[
        "release",
        "add",
        "zzzzzzzzzzzzzz",
        "--branch",
        "release/zz",
        "--python",
        "3.12",
        "--node",
        "24",
    ],
    &[
        "app",
        "add",
        "forum-v2",
        "--kind",
        "ida",
        "--repository",
        "https://github.com/x/forum",
    ],
    &[
        "app",
        "add",
        "a-very-long-application-name",
        "--kind",
        "mfe",
        "--repository",
        "https://github.com/x/y",
        "--path",
        "y",
    ],
    &[
        "set",
        "mysite",
        "verawood",
        "learning",
        "--branch",
        "mysite/fix",
    ],
    // The longest key leaves the shared block: both blocks are aligned anew.
    &[
        "set",
        "mysite",
        "verawood",
        "instructor-dashboard",
        "--branch",
        "mysite/fix",
    ],
    &["include", "mysite", "verawood", "xqueue"],
    &[
        "include",
        "mysite",
        "verawood",
        "codejail",
        "--branch",
        "mysite/cj",
    ],
    &["exclude", "mysite", "master", "instructor-dashboard"],
    &["exclude", "mysite", "verawood", "learning"],
];

/// Edits of the example (`init --example`).
const EXAMPLE_EDITS: &[&[&str]] = &[
    &["upgrade", "pro", "--stage", "CI", "--to", "master"],
    &[
        "upgrade",
        "campus,campus-staging",
        "--stage",
        "CI",
        "--to",
        "ulmo",
    ],
    &["promote", "pro", "--to", "Production"],
    &[
        "release",
        "add",
        "a",
        "--branch",
        "release/a",
        "--python",
        "3.12",
        "--node",
        "24",
    ],
    &[
        "app",
        "add",
        "a-very-long-application-name",
        "--kind",
        "mfe",
        "--repository",
        "https://github.com/x/y",
        "--path",
        "y",
    ],
    &["set", "campus", "master", "learning", "--branch", "foo"],
    &["set", "pro", "teak", "communications", "--unset-runtime"],
    &[
        "include",
        "pro",
        "teak",
        "forum",
        "--origin",
        "https://github.com/a/b",
    ],
    &["exclude", "online", "master", "learner-dashboard"],
    &["exclude", "pro", "teak", "learner-dashboard"],
];

#[test]
fn every_edit_writes_a_file_that_passes_fmt_and_check() {
    let starter = Env::new();
    starter.run(&["init"]).ok();
    let example = Env::new();
    example.run(&["init", "--example", "."]).ok();
    for (env, edits) in [(&starter, STARTER_EDITS), (&example, EXAMPLE_EDITS)] {
        let base = env.read("edx-matrix.toml");
        for args in edits {
            env.write("edx-matrix.toml", &base);
            let run = env.run(args);
            assert_eq!(run.code, 0, "{args:?}\n{}{}", run.stdout, run.stderr);
            assert_ne!(
                env.read("edx-matrix.toml"),
                base,
                "{args:?} changed nothing"
            );
            assert_clean(env, "edx-matrix.toml", &format!("{args:?}"));
        }
    }
}

#[test]
fn retiring_a_release_and_removing_an_application_pass_fmt_and_check() {
    let env = Env::new();
    env.run(&["init", "--example", "."]).ok();
    // Each is refused while it is in use: free it first, checking every step.
    for args in [
        &["upgrade", "pro", "--stage", "QA", "--to", "verawood"][..],
        // A release with built-in runbook steps: `[[runbooks.redwood]]` is written too.
        &[
            "release",
            "add",
            "redwood",
            "--branch",
            "open-release/redwood.master",
            "--python",
            "3.11",
            "--node",
            "18",
        ],
        &["release", "retire", "ulmo"],
        &["exclude", "online", "master", "forum"],
        &["app", "remove", "forum"],
    ] {
        env.run(args).ok();
        assert_clean(&env, "edx-matrix.toml", &format!("{args:?}"));
    }
    let text = env.read("edx-matrix.toml");
    assert!(
        !text.contains("release/ulmo") && !text.contains("cs_comments_service"),
        "{text}"
    );
    assert!(
        text.contains("\n[[runbooks.redwood]]\ntext    = "),
        "{text}"
    );
}
