//! `release add NAME --from-upstream`: the release's branch, Python and Node versions read from
//! bare repositories laid out like the upstream ones (served by `git daemon`, and over smart
//! HTTP with a 301 for a renamed repository), written into the matrix with where each came
//! from; a fact that cannot be read is asked for with its flag and nothing is written.

use crate::git::sealed_git;
use crate::harness::Env;
use edx_matrix_test_support::Daemon;
use edx_matrix_test_support::HttpGit;
use serde_json::Value;
use std::path::PathBuf;

pub(crate) fn matrix(platform: &str) -> String {
    format!(
        r#"stages = ["CI"]

[releases]
ulmo = {{ branch = "release/ulmo", python = "3.11", node = "20" }}

[applications]
edx-platform = {{ kind = "ida", repository = "https://github.com/openedx/{platform}" }}
learning     = {{ kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learning" }}
authoring    = {{ kind = "mfe", repository = "https://github.com/openedx/frontend-app-authoring.git", path = "authoring" }}

[deployments]
site = {{ CI = "ulmo" }}

[[map]]
releases = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}
learning     = {{}}
authoring    = {{}}
"#
    )
}

/// `upstream/` with openedx-platform and two MFEs: `verawood` (Teak-style branch, a
/// `.python-version`), `palm` (pre-Teak branch, `setup.cfg`) and `willow` (only tox envs for
/// two Python versions: nothing says which).
pub(crate) fn upstream(env: &Env) -> PathBuf {
    let dir = env.path("upstream");
    std::fs::create_dir(&dir).unwrap();
    let git = sealed_git(env);
    let tox: &[u8] = b"[tox]\nenvlist = py{311,312}\n";
    git.upstream_repo(
        &dir,
        "openedx-platform",
        &[
            (
                "release/verawood",
                &[(".python-version", b"3.12\n"), ("tox.ini", tox)],
            ),
            (
                "open-release/palm.master",
                &[("setup.cfg", b"[options]\npython_requires = ==3.8.*\n")],
            ),
            ("release/willow", &[("tox.ini", tox)]),
        ],
        &[("release/verawood.1", "release/verawood")],
    )
    .unwrap();
    for mfe in ["frontend-app-learning", "frontend-app-authoring"] {
        git.upstream_repo(
            &dir,
            mfe,
            &[
                ("release/verawood", &[(".nvmrc", b"24\n")]),
                ("open-release/palm.master", &[(".nvmrc", b"v16.20.0\n")]),
                ("release/willow", &[(".nvmrc", b"24\n")]),
            ],
            &[],
        )
        .unwrap();
    }
    dir
}

#[test]
fn release_add_from_upstream_writes_what_upstream_declares_and_says_where() {
    let env = Env::with_matrix(&matrix("openedx-platform"));
    let daemon = Daemon::start(&sealed_git(&env), &upstream(&env)).unwrap();
    let base = format!("git://127.0.0.1:{}", daemon.port());

    let run = env.run(&[
        "release",
        "add",
        "verawood",
        "--from-upstream",
        "--upstream",
        &base,
    ]);
    run.code(0);
    let port = daemon.port().to_string();
    let out = run.stdout.replace(&port, "[PORT]");
    for line in [
        "release verawood from upstream (git://127.0.0.1:[PORT]):",
        "  branch  release/verawood — openedx-platform:refs/heads/release/verawood (release/<name> (Teak and later))",
        "  tags    release/verawood.1",
        "  python  3.12 — openedx-platform@release/verawood:.python-version (line 1)",
        "  node    24 — frontend-app-learning@release/verawood:.nvmrc (the same in 2 of 2 MFE repositories)",
        "  renames not checked: only HTTP remotes answer redirects",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
    let written = env.read("edx-matrix.toml");
    assert!(
        written.contains(
            r#"verawood = { branch = "release/verawood", python = "3.12", node = "24" }"#
        ),
        "{written}"
    );
    env.run(&["check"]).code(0);

    // The pre-Teak scheme, with a flag given: the flag wins and is said not to be read.
    let run = env.run(&[
        "release",
        "add",
        "palm",
        "--from-upstream",
        "--upstream",
        &base,
        "--node",
        "18",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    let upstream = &report["upstream"];
    assert_eq!(upstream["branch"]["value"], "open-release/palm.master");
    assert_eq!(upstream["python"]["value"], "3.8");
    assert_eq!(
        upstream["python"]["source"],
        "openedx-platform@open-release/palm.master:setup.cfg"
    );
    assert_eq!(upstream["node"], Value::Null, "--node given: not read");
    // The edit aligns the table's keys (fmt's layout), so compare the line without the padding.
    let written = env.read("edx-matrix.toml");
    let palm = written
        .lines()
        .find(|line| line.starts_with("palm "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "));
    assert_eq!(
        palm.as_deref(),
        Some(r#"palm = { branch = "open-release/palm.master", python = "3.8", node = "18" }"#),
        "{written}"
    );
}

#[test]
fn a_fact_upstream_does_not_declare_is_asked_for_never_guessed() {
    let env = Env::with_matrix(&matrix("openedx-platform"));
    let daemon = Daemon::start(&sealed_git(&env), &upstream(&env)).unwrap();
    let base = format!("git://127.0.0.1:{}", daemon.port());

    // tox tests 3.11 and 3.12: which one the release runs is not written anywhere.
    let run = env.run_refused(
        &[
            "release",
            "add",
            "willow",
            "--from-upstream",
            "--upstream",
            &base,
        ],
        2,
    );
    assert!(
        run.stderr.contains(
            "--python: openedx-platform@release/willow declares no single Python version"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("pass `--python VERSION`"),
        "{}",
        run.stderr
    );
    // Given, it is written.
    env.run(&[
        "release",
        "add",
        "willow",
        "--from-upstream",
        "--upstream",
        &base,
        "--python",
        "3.12",
    ])
    .code(0);
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"willow = { branch = "release/willow", python = "3.12", node = "24" }"#)
    );

    // No such release upstream: the branch is asked for.
    let run = env.run_refused(
        &[
            "release",
            "add",
            "zebra",
            "--from-upstream",
            "--upstream",
            &base,
        ],
        2,
    );
    assert!(run.stderr.contains("pass `--branch`"), "{}", run.stderr);
    // Unreachable upstream: an I/O failure.
    let run = env.run_refused(
        &[
            "release",
            "add",
            "zebra",
            "--from-upstream",
            "--upstream",
            "git://127.0.0.1:1",
        ],
        3,
    );
    assert!(
        run.stderr.contains("cannot read the release from upstream"),
        "{}",
        run.stderr
    );
    // A malformed upstream URL is bad input (exit 2), refused before git runs.
    for url in ["-oProxyCommand=touch x", "ext::sh -c touch% x"] {
        let run = env.run_refused(
            &[
                "release",
                "add",
                "zebra",
                "--from-upstream",
                &format!("--upstream={url}"),
            ],
            2,
        );
        assert!(run.stderr.contains("invalid `--upstream"), "{}", run.stderr);
    }
    assert!(!env.path("x").exists());
    // Without --from-upstream the three values are required, as before.
    let run = env.run_refused(&["release", "add", "zebra", "--branch", "release/zebra"], 2);
    assert!(run.stderr.contains("--python"), "{}", run.stderr);
}

#[test]
fn a_renamed_repository_is_reported_and_check_warns_on_it() {
    let env = Env::with_matrix(&matrix("edx-platform"));
    let server = HttpGit::start(
        &sealed_git(&env),
        &upstream(&env),
        &[("edx-platform", "openedx-platform")],
    )
    .unwrap();

    let run = env.run(&["check"]);
    run.code(0);
    assert!(
        run.stdout.contains("warning[renamed-repository]")
            || run.stderr.contains("warning[renamed-repository]"),
        "{}{}",
        run.stdout,
        run.stderr
    );

    let run = env.run(&[
        "release",
        "add",
        "verawood",
        "--from-upstream",
        "--upstream",
        &server.base(),
    ]);
    run.code(0);
    let expected = format!(
        "  renamed edx-platform → openedx-platform ({}/ answers for it): update the matrix's repository",
        server.url("openedx-platform")
    );
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("python  3.12 — openedx-platform@release/verawood:.python-version"),
        "{}",
        run.stdout
    );
}
