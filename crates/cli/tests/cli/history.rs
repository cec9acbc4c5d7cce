//! `history` on real git repositories: the promoted acme history (its rename, its broken
//! revision) and a synthetic history of a thousand commits.

use crate::git::git;
use crate::harness::Env;
use crate::matrix_history::{acme, history_repo};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Instant;

#[test]
fn history_follows_the_rename_and_skips_the_broken_revision() {
    let env = history_repo();
    let run = env.run(&[
        "--file",
        "config/edx-matrix.toml",
        "history",
        "--format",
        "json",
    ]);
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(history["file"], "config/edx-matrix.toml");
    assert_eq!(history["revisions"], 7);
    let skipped = history["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["commit"]["subject"], "half an edit");
    assert_eq!(skipped[0]["path"], "edx-matrix.toml");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("line 131: invalid TOML"),
        "{}",
        skipped[0]["reason"]
    );

    let timeline = |deployment: &str, stage: &str| -> Vec<(Option<String>, String)> {
        history["timelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["deployment"] == deployment && t["stage"] == stage)
            .unwrap()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["release"].as_str().map(str::to_owned),
                    c["commit"]["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let change =
        |release: Option<&str>, subject: &str| (release.map(str::to_owned), subject.to_owned());
    assert_eq!(
        timeline("site", "CI"),
        [
            change(Some("ulmo"), "add a minimal matrix"),
            change(None, "switch to the acme estate")
        ]
    );
    // "half an edit" does not load: a gap in every stage's timeline, no state across it.
    assert_eq!(
        timeline("pro", "CI"),
        [
            change(Some("verawood"), "switch to the acme estate"),
            change(None, "half an edit"),
            change(Some("verawood"), "pro: promote verawood to QA")
        ]
    );
    assert_eq!(
        timeline("pro", "QA"),
        [
            change(Some("ulmo"), "switch to the acme estate"),
            change(None, "half an edit"),
            change(Some("verawood"), "pro: promote verawood to QA")
        ]
    );
    assert_eq!(
        timeline("pro", "Production"),
        [
            change(Some("teak"), "switch to the acme estate"),
            change(Some("ulmo"), "pro: promote ulmo to Production"),
            change(None, "half an edit"),
            change(Some("ulmo"), "pro: promote verawood to QA"),
            change(Some("verawood"), "pro: promote verawood to Production")
        ]
    );
    assert_eq!(
        timeline("campus", "QA"),
        [
            change(Some("verawood"), "switch to the acme estate"),
            change(None, "half an edit"),
            change(Some("verawood"), "pro: promote verawood to QA")
        ]
    );

    let lead = |deployment: &str, release: &str| -> Value {
        history["lead_times"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["deployment"] == deployment && l["release"] == release)
            .unwrap()["seconds"]
            .clone()
    };
    // From 2024-01-02T10:00 to 2024-01-20T16:30.
    assert_eq!(lead("pro", "verawood"), 18 * 86_400 + 6 * 3600 + 30 * 60);
    // Never seen in CI within the history.
    assert_eq!(lead("pro", "ulmo"), Value::Null);
    // A single-stage matrix: CI is also the last stage.
    assert_eq!(lead("site", "ulmo"), 0);
    assert_eq!(lead("online", "master"), 0);
}

#[test]
fn history_table_for_one_deployment() {
    let env = history_repo();
    let run = env.run(&["-f", "config/edx-matrix.toml", "history", "-d", "pro"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());

    let run = env.run(&["-f", "config/edx-matrix.toml", "history", "-d", "prp"]);
    run.code(2);
    assert!(run.stderr.contains("did you mean `pro`?"), "{}", run.stderr);
}

/// Issue 5: `history` on a synthetic repository of 1,000 commits of the matrix file, one hour
/// apart. pro's CI moves every 10 commits, QA every 20, Production every 40, cycling through
/// teak → ulmo → verawood.
#[test]
fn history_of_a_thousand_commits() {
    const RELEASES: [&str; 3] = ["teak", "ulmo", "verawood"];
    let env = Env::new();
    let top = env.dir.path();
    git(&env, top, &["init", "-q"]);
    let acme = acme();
    let pick = |i: usize, every: usize| RELEASES[(i / every) % RELEASES.len()];
    let mut stream = Vec::new();
    for i in 0..1000 {
        let pins = [pick(i, 10), pick(i, 20), pick(i, 40)];
        let text = format!(
            "{}# revision {i}\n",
            edx_matrix_test_support::pin_pro(&acme, pins)
        );
        let message = format!("revision {i}");
        let time = 1_700_000_000 + i * 3600;
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\ncommitter Test <test@example.invalid> {time} +0000\n\
                 data {}\n{message}\nM 100644 inline edx-matrix.toml\ndata {}\n",
                message.len(),
                text.len()
            )
            .as_bytes(),
        );
        stream.extend_from_slice(text.as_bytes());
        stream.push(b'\n');
    }
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(top)
        .env("HOME", top)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut import.stdin.take().unwrap(), &stream).unwrap();
    assert!(import.wait().unwrap().success());
    git(&env, top, &["checkout", "-q", "main"]);

    let started = Instant::now();
    let run = env.run(&["history", "--deployment", "pro", "--format", "json"]);
    let elapsed = started.elapsed();
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(history["revisions"], 1000);
    assert_eq!(history["skipped"], serde_json::json!([]));
    for (stage, every) in [("CI", 10), ("QA", 20), ("Production", 40)] {
        let changes: Vec<(String, String)> = history["timelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["stage"] == stage)
            .unwrap()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["release"].as_str().unwrap().to_owned(),
                    c["commit"]["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = (0..1000)
            .step_by(every)
            .map(|i| (pick(i, every).to_owned(), format!("revision {i}")))
            .collect();
        assert_eq!(changes, expected, "{stage}");
    }
    let lead = |release: &str| {
        history["lead_times"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["release"] == release)
            .unwrap()["seconds"]
            .clone()
    };
    // First in CI at revisions 0, 10, 20; first in Production at 0, 40, 80; an hour apart.
    assert_eq!(lead("teak"), 0);
    assert_eq!(lead("ulmo"), 30 * 3600);
    assert_eq!(lead("verawood"), 60 * 3600);
    eprintln!("history of 1000 commits: {elapsed:?}");
}
