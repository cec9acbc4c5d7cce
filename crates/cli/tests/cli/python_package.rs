//! `--file DIR` on a Python package (`types.py` + `version_matrix.py`): every read-only command
//! reads it through the importer, diagnostics point into the `.py` files, edit commands refuse
//! it; `history` and `diff` over a git repository whose commits change a Python package.

use crate::git::{bare_repo, file_url, git_at};
use crate::harness::{Env, fixture};
use edx_matrix_test_support::project_rows;
use serde_json::Value;

const CURRENT: &str = "acme/python-layout/current";

/// A scratch directory with acme's current-layout package in `pkg/`, and the same matrix
/// converted to `acme.toml` (what every command must agree with).
fn package_env() -> Env {
    let env = Env::new();
    for file in ["types.py", "version_matrix.py"] {
        env.write(
            &format!("pkg/{file}"),
            &fixture(&format!("{CURRENT}/{file}")),
        );
    }
    env.run(&["import", "python", "pkg", "-o", "acme.toml"])
        .ok();
    env
}

#[test]
fn resolve_reads_the_package_to_its_expected_rows() {
    let env = package_env();
    let run = env.run(&["--file", "pkg", "resolve", "--format", "json"]);
    let rows: Value = serde_json::from_str(run.ok()).unwrap();
    let expected: Value =
        serde_json::from_str(&fixture(&format!("{CURRENT}/expected-resolved.json"))).unwrap();
    assert_eq!(project_rows(&rows), project_rows(&expected));
    // The same through EDX_MATRIX_FILE.
    let via_env = env
        .command(&["resolve", "--format", "json"])
        .env("EDX_MATRIX_FILE", "pkg")
        .output()
        .unwrap();
    assert!(via_env.status.success());
    assert_eq!(String::from_utf8(via_env.stdout).unwrap(), run.stdout);
}

#[test]
fn read_only_commands_on_the_package_agree_with_the_converted_toml() {
    let env = package_env();
    let commands: [&[&str]; 8] = [
        &["show"],
        &["show", "pro"],
        &["query", "deployments", "--release", "verawood"],
        &["query", "stages", "--release", "master", "campus"],
        &["export", "github-actions", "--deployment", "pro"],
        &["export", "env", "pro", "QA"],
        &["export", "tutor", "pro", "Production"],
        &["pipeline", "list"],
    ];
    for args in commands {
        let mut on_package = vec!["--file", "pkg"];
        on_package.extend_from_slice(args);
        let mut on_toml = vec!["--file", "acme.toml"];
        on_toml.extend_from_slice(args);
        let package = env.run(&on_package);
        let toml = env.run(&on_toml);
        assert_eq!(package.code, toml.code, "{args:?}: {}", package.stderr);
        assert!(
            package.stdout == toml.stdout,
            "{args:?}\n{}",
            package.stdout
        );
        assert!(!package.stdout.is_empty() || package.code != 0, "{args:?}");
    }
    // The model itself: the same, up to the order of the release map (a map).
    for args in [
        &["expand", "--format", "json"][..],
        &["export", "model-json"],
    ] {
        let read = |file: &str| {
            let mut all = vec!["--file", file];
            all.extend_from_slice(args);
            crate::python_export::canonical(serde_json::from_str(env.run(&all).ok()).unwrap())
        };
        assert!(read("pkg") == read("acme.toml"), "{args:?}");
    }
    // `export python` of the package is a package that imports to the same model.
    env.run(&["--file", "pkg", "export", "python", "-o", "again"])
        .ok();
    let a = env.run(&["--file", "pkg", "resolve", "--format", "json"]);
    let b = env.run(&["--file", "again", "resolve", "--format", "json"]);
    assert_eq!(a.ok(), b.ok());
}

#[test]
fn check_locates_problems_in_the_py_files() {
    let env = package_env();
    let run = env.run(&["--file", "pkg", "check"]);
    run.code(0);
    assert!(
        run.stderr.contains("pkg/version_matrix.py:445:9"),
        "{}",
        run.stderr
    );
    let broken = Env::new();
    broken.write("pkg/types.py", &fixture(&format!("{CURRENT}/types.py")));
    broken.write(
        "pkg/version_matrix.py",
        &fixture("python-invalid/unknown-application/version_matrix.py"),
    );
    let run = broken.run(&["--file", "pkg", "check"]);
    run.code(1);
    insta::assert_snapshot!(run.snapshot());
    let run = broken.run(&["--file", "pkg", "resolve"]);
    run.code(1);
    assert!(
        run.stderr.contains("pkg/version_matrix.py:31:29"),
        "{}",
        run.stderr
    );
}

#[test]
fn edit_commands_refuse_a_package_and_say_how_to_convert() {
    let env = package_env();
    let before = env.read("pkg/version_matrix.py");
    for args in [
        &["promote", "pro", "--stage", "Production"][..],
        &["fmt"],
        &["release", "retire", "teak"],
    ] {
        let mut all = vec!["--file", "pkg"];
        all.extend_from_slice(args);
        let run = env.run(&all);
        run.code(2);
        assert!(
            run.stderr.contains("is a Python package")
                && run
                    .stderr
                    .contains("edx-matrix import python pkg -o edx-matrix.toml"),
            "{args:?}: {}",
            run.stderr
        );
    }
    insta::assert_snapshot!(env.run(&["--file", "pkg", "fmt"]).snapshot());
    assert_eq!(env.read("pkg/version_matrix.py"), before);
}

#[test]
fn a_directory_without_version_matrix_py_is_refused() {
    let env = Env::new();
    env.write("empty/README", "");
    let run = env.run(&["--file", "empty", "show"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("is a directory without `version_matrix.py`")
    );
}

#[test]
fn verify_refs_checks_the_branches_of_a_package() {
    let env = Env::new();
    bare_repo(&env, "forum.git", &["release/ulmo"], &[]);
    let matrix = fixture("valid/minimal.toml").replace(
        "https://github.com/openedx/cs_comments_service",
        &file_url(&env.path("forum.git")),
    );
    env.write("edx-matrix.toml", &matrix);
    env.run(&["export", "python", "-o", "pkg"]).ok();
    let run = env.run(&["--file", "pkg", "verify-refs"]);
    assert_eq!(
        run.ok(),
        "1 branch in 1 origin: 1 present, 0 missing\n",
        "{}",
        run.stderr
    );
}

/// The pro block of acme's current-layout `version_matrix.py`, QA and Production.
fn pro(qa: &str, production: &str) -> String {
    fixture(&format!("{CURRENT}/version_matrix.py"))
        .replace(
            r#"EnvRelease("QA", OpenEdxSupportedRelease["ulmo"])"#,
            &format!(r#"EnvRelease("QA", OpenEdxSupportedRelease["{qa}"])"#),
        )
        .replace(
            r#"EnvRelease("Production", OpenEdxSupportedRelease["teak"])"#,
            &format!(r#"EnvRelease("Production", OpenEdxSupportedRelease["{production}"])"#),
        )
}

/// A repository whose `pkg/` package is added, promoted, broken once (does not parse), fixed,
/// changed in `types.py` only, with an unrelated commit in between.
fn package_repo() -> Env {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git_at(&env, &top, "2024-01-01T10:00:00+00:00", &["init", "-q"]);
    let commit = |date: &str, subject: &str, files: &[(&str, String)]| {
        for (name, text) in files {
            env.write(name, text);
        }
        git_at(&env, &top, date, &["add", "-A"]);
        git_at(&env, &top, date, &["commit", "-q", "-m", subject]);
    };
    let types = fixture(&format!("{CURRENT}/types.py"));
    commit(
        "2024-01-01T10:00:00+00:00",
        "add the Python matrix",
        &[
            ("pkg/types.py", types.clone()),
            ("pkg/version_matrix.py", pro("ulmo", "teak")),
        ],
    );
    commit(
        "2024-01-05T10:00:00+00:00",
        "pro: promote ulmo to Production",
        &[("pkg/version_matrix.py", pro("ulmo", "ulmo"))],
    );
    commit(
        "2024-01-06T10:00:00+00:00",
        "half an edit",
        &[(
            "pkg/version_matrix.py",
            format!("{}\nReleaseMap[\"x\"] = (\n", pro("ulmo", "ulmo")),
        )],
    );
    commit(
        "2024-01-07T10:00:00+00:00",
        "unrelated",
        &[("README.md", "# acme\n".to_owned())],
    );
    commit(
        "2024-01-09T10:00:00+00:00",
        "pro: promote verawood to QA",
        &[("pkg/version_matrix.py", pro("verawood", "ulmo"))],
    );
    commit(
        "2024-01-12T16:00:00+00:00",
        "teak branch renamed",
        &[(
            "pkg/types.py",
            types.replace("\"release/teak\"", "\"release/teak.1\""),
        )],
    );
    env
}

#[test]
fn history_of_a_python_package_skips_the_revision_that_does_not_parse() {
    let env = package_repo();
    let run = env.run(&["--file", "pkg", "history", "--format", "json"]);
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(history["file"], "pkg");
    assert_eq!(history["revisions"], 5);
    let skipped = history["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["commit"]["subject"], "half an edit");
    let reason = skipped[0]["reason"].as_str().unwrap();
    assert!(reason.contains("invalid Python"), "{reason}");
    let pro = |stage: &str| -> Vec<(String, String)> {
        history["timelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["deployment"] == "pro" && t["stage"] == stage)
            .unwrap()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    // A gap: the unreadable revision carries no state across it.
                    c["release"].as_str().unwrap_or("(unreadable)").to_owned(),
                    c["commit"]["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        pro("QA"),
        [
            ("ulmo".to_owned(), "add the Python matrix".to_owned()),
            ("(unreadable)".to_owned(), "half an edit".to_owned()),
            (
                "verawood".to_owned(),
                "pro: promote verawood to QA".to_owned()
            ),
        ]
    );
    assert_eq!(
        pro("Production"),
        [
            ("teak".to_owned(), "add the Python matrix".to_owned()),
            (
                "ulmo".to_owned(),
                "pro: promote ulmo to Production".to_owned()
            ),
            ("(unreadable)".to_owned(), "half an edit".to_owned()),
            ("ulmo".to_owned(), "pro: promote verawood to QA".to_owned()),
        ]
    );
    insta::assert_snapshot!(
        env.run(&["--file", "pkg", "history", "--deployment", "pro"])
            .snapshot()
    );
}

#[test]
fn diff_of_a_python_package_between_revisions_and_against_the_working_tree() {
    let env = package_repo();
    let run = env.run(&[
        "--file", "pkg", "diff", "HEAD~5", "HEAD~4", "--format", "json",
    ]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    let stages = diff["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 1, "{diff:#}");
    assert_eq!(stages[0]["deployment"], "pro");
    assert_eq!(stages[0]["stage"], "Production");
    // HEAD against the working tree: the types.py change of the last commit undone.
    env.write("pkg/types.py", &fixture(&format!("{CURRENT}/types.py")));
    let run = env.run(&["--file", "pkg", "diff"]);
    insta::assert_snapshot!(run.snapshot());
    // A revision where the package does not import is refused with its location.
    let run = env.run(&["--file", "pkg", "diff", "HEAD~3", "HEAD"]);
    run.code(1);
    assert!(
        run.stderr.contains("HEAD~3:pkg/version_matrix.py"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_reads_the_package_and_its_history_and_diff() {
    use crate::serve::http_get;
    let env = package_repo();
    env.write("pkg/types.py", &fixture(&format!("{CURRENT}/types.py")));
    let (_server, addr) = crate::serve::start(
        env.command(&["--file", "pkg", "serve", "--addr", "127.0.0.1:0"])
            .stderr(std::process::Stdio::null()),
    );
    let rows = http_get(
        &addr,
        "/api/v1/resolved?deployment=pro&stage=QA&application=edx-platform",
    );
    assert!(
        rows.contains(r#""release_branch":"pro/verawood""#),
        "{rows}"
    );
    let history = http_get(&addr, "/api/v1/history");
    assert!(history.starts_with("HTTP/1.1 200 OK"), "{history}");
    assert!(history.contains(r#""revisions":5"#), "{history}");
    assert!(history.contains("half an edit"), "{history}");
    let diff = http_get(&addr, "/api/v1/diff");
    assert!(diff.starts_with("HTTP/1.1 200 OK"), "{diff}");
    assert!(diff.contains("release/teak.1"), "{diff}");
    for page in ["/history", "/diff"] {
        let html = http_get(&addr, page);
        assert!(html.starts_with("HTTP/1.1 200 OK"), "{page}: {html}");
    }
}
