//! `edx-matrix diff --format json` and the server's `/api/v1/diff` give the same document for
//! the same versions of a real git repository (issue 26: one `diff` use case, serialised once):
//! the working tree against `HEAD`, two commits, a commit against the working tree; with
//! `[pipelines]` (a pipeline impact) and a credential in an origin, redacted in both.

use crate::git::{git, git_at};
use crate::harness::Env;
use crate::matrix_history::acme_with_pro;
use serde_json::Value;
use std::process::Stdio;

const SECRET: &str = "ghp_NotARealToken";

/// pro's QA and Production pinned, `[pipelines]` declared, pro's edx-platform fork fetched with
/// a token (allowed by the `url-credentials` lint).
fn matrix(qa: &str, production: &str) -> String {
    let text = acme_with_pro(qa, production).replace(
        r#"origin = "https://github.com/acme-edu/edx-platform", branch = "pro/{release}""#,
        &format!(
            r#"origin = "https://x-access-token:{SECRET}@github.com/acme-edu/edx-platform", branch = "pro/{{release}}""#
        ),
    );
    assert!(
        text.contains(SECRET),
        "the acme example changed: no pro origin to give a token"
    );
    text + "\n[lints]\nurl-credentials = \"warn\"\n\n[pipelines]\nteam = \"acme\"\n"
}

/// Two commits (pro's QA moves from ulmo to teak), and pro's Production moved to verawood in
/// the working tree, uncommitted. Returns the environment and the two commits' hashes.
fn repo() -> (Env, String, String) {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    let mut hashes = Vec::new();
    for (date, qa) in [
        ("2024-01-02T10:00:00+00:00", "ulmo"),
        ("2024-01-03T10:00:00+00:00", "teak"),
    ] {
        env.write("edx-matrix.toml", &matrix(qa, "teak"));
        git_at(&env, &top, date, &["add", "-A"]);
        git_at(
            &env,
            &top,
            date,
            &["commit", "-q", "-m", &format!("pro: QA on {qa}")],
        );
        hashes.push(git(&env, &top, &["rev-parse", "HEAD"]).trim().to_owned());
    }
    env.write("edx-matrix.toml", &matrix("teak", "verawood"));
    let second = hashes.pop().unwrap();
    (env, hashes.pop().unwrap(), second)
}

#[test]
fn diff_json_is_the_api_document() {
    let (env, first, second) = repo();
    let (_server, addr) = crate::serve::start(
        env.command(&["serve", "--addr", "127.0.0.1:0"])
            .stderr(Stdio::null()),
    );
    let cases: [(Vec<&str>, String); 4] = [
        (vec![], "/api/v1/diff".to_owned()),
        (
            vec!["HEAD~1", "HEAD"],
            "/api/v1/diff?base=HEAD~1&head=HEAD".to_owned(),
        ),
        (
            vec![&first, &second],
            format!("/api/v1/diff?base={first}&head={second}"),
        ),
        (vec!["HEAD~1"], "/api/v1/diff?base=HEAD~1".to_owned()),
    ];
    for (revs, path) in cases {
        let mut args = vec!["diff", "--format", "json"];
        args.extend(&revs);
        let run = env.run(&args);
        let cli: Value = serde_json::from_str(run.ok()).unwrap();
        let body = crate::project::http_get_body(&addr, &path);
        let api: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(cli, api, "`diff {revs:?}` and {path} differ");

        // What makes the comparison worth something: both sides' fields are there and filled.
        assert_eq!(cli["file"], "edx-matrix.toml", "{cli:#}");
        assert!(!cli["stages"].as_array().unwrap().is_empty(), "{cli:#}");
        assert_eq!(cli["pipelines"]["computed"], true, "{cli:#}");
        assert!(
            !cli["pipelines"]["changes"].as_array().unwrap().is_empty(),
            "{cli:#}"
        );
        // The token is in every origin of pro's rows, redacted in both.
        assert!(
            !run.stdout.contains(SECRET) && !body.contains(SECRET),
            "{body}"
        );
        assert!(
            body.contains("https://x-access-token:***@github.com/acme-edu/edx-platform"),
            "{body}"
        );
    }

    // The sides' names and the commit, written out (not derived from the code under test).
    let run = env.run(&["diff", "--format", "json"]);
    let working: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(working["base"], "HEAD:edx-matrix.toml");
    assert_eq!(working["head"], "edx-matrix.toml (working tree)");
    assert_eq!(working["commit"], second.as_str());
    assert_eq!(
        working["stages"],
        serde_json::json!([{"deployment": "pro", "stage": "Production", "old": "teak", "new": "verawood"}])
    );
    let run = env.run(&["diff", "--format", "json", &first, &second]);
    let commits: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(commits["base"], format!("{}:edx-matrix.toml", &first[..7]));
    assert_eq!(commits["head"], format!("{}:edx-matrix.toml", &second[..7]));
    assert_eq!(commits["commit"], second.as_str());
    assert_eq!(
        commits["stages"],
        serde_json::json!([{"deployment": "pro", "stage": "QA", "old": "ulmo", "new": "teak"}])
    );
    let run = env.run(&["diff", "--format", "json", "HEAD~1"]);
    let against: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(against["base"], "HEAD~1:edx-matrix.toml");
    assert_eq!(against["commit"], first.as_str());
}
