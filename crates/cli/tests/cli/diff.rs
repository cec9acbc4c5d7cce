//! `diff` between revisions of a real git repository, between the working tree and `HEAD`, and
//! between two files: what is built and deployed, and the pipelines to re-set.

use crate::git::git;
use crate::harness::{Env, fixture};
use crate::matrix_history::{acme_with_pro, history_repo};
use serde_json::Value;

#[test]
fn diff_of_a_promotion_between_revisions() {
    let env = history_repo();
    let args = ["-f", "config/edx-matrix.toml", "diff", "HEAD~1", "HEAD"];
    let run = env.run(&args);
    run.code(0);
    insta::assert_snapshot!("diff_promotion_table", run.snapshot());

    let mut markdown = args.to_vec();
    markdown.extend(["--format", "markdown"]);
    let run = env.run(&markdown);
    run.code(0);
    insta::assert_snapshot!("diff_promotion_markdown", run.stdout);

    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let diff: Value = serde_json::from_str(env.run(&json).ok()).unwrap();
    assert_eq!(
        diff["stages"],
        serde_json::json!([{"deployment": "pro", "stage": "Production", "old": "ulmo", "new": "verawood"}])
    );
    assert_eq!(diff["rows"].as_array().unwrap().len(), 7);
    assert_eq!(diff["rebuild"], serde_json::json!([]));
    assert_eq!(diff["redeploy"][0]["stage"], "Production");
    // The history's matrices have no `[pipelines]`: nothing about pipelines.
    assert_eq!(diff.get("pipelines"), None, "{diff:#}");
}

/// The same promotion between two files that declare `[pipelines]`: Production moves to the
/// verawood chain of every family pro runs; the ulmo chain goes.
#[test]
fn diff_of_a_promotion_re_sets_the_pipelines_it_moves() {
    let env = Env::new();
    env.write(
        "old.toml",
        &with_pipelines(acme_with_pro("verawood", "ulmo")),
    );
    env.write(
        "new.toml",
        &with_pipelines(acme_with_pro("verawood", "verawood")),
    );
    let run = env.run(&["diff", "old.toml", "new.toml", "--format", "json"]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    let pipelines = &diff["pipelines"];
    assert_eq!(pipelines["computed"], true);
    let changes = pipelines["changes"].as_array().unwrap();
    let names: Vec<&str> = changes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "edx-platform",
            "notes-api",
            "edxapp_theme",
            "learning",
            "authoring",
            "learner-dashboard",
            "communications"
        ]
    );
    assert!(changes.iter().all(|c| c["change"] == "changed"));
    assert_eq!(
        changes[0]["jobs"],
        serde_json::json!({
            "added": ["deploy-edx-platform-verawood-pro-production"],
            "removed": ["build-edx-platform-ulmo-pro", "deploy-edx-platform-ulmo-pro-production"],
            "changed": [],
        })
    );
    assert_eq!(
        changes[0]["resources"]["removed"],
        serde_json::json!([
            "git-edx-platform-ulmo-pro",
            "artifact-edx-platform-ulmo-pro"
        ])
    );
    assert_eq!(changes[0]["other"], serde_json::json!(["groups"]));
}

#[test]
fn diff_defaults_to_head_against_the_working_tree() {
    let env = history_repo();
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff"]);
    assert_eq!(
        run.ok(),
        "HEAD:config/edx-matrix.toml → config/edx-matrix.toml (working tree)\n\n\
         no change to what is built or deployed\n"
    );
    // Before the rename the file had another path: a clear error, not a crash.
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff", "HEAD~3"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("`config/edx-matrix.toml` does not exist at revision `HEAD~3`"),
        "{}",
        run.stderr
    );
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff", "no-such-rev"]);
    run.code(2);
    assert!(run.stderr.contains("unknown revision `no-such-rev`"));
    let run = env.run(&["--example", "diff"]);
    run.code(2);
    // The example has a synthetic history (see `history_charts`).
    env.run(&["--example", "history"]).ok();
}

#[test]
fn diff_of_an_upgrade_between_files() {
    let env = Env::new();
    let old = with_pipelines(acme_with_pro("ulmo", "teak"));
    // pro starts testing master in CI: the pro blocks gain `master`.
    let new = edx_matrix_test_support::pin_pro(&old, ["master", "ulmo", "teak"])
        .replace(
            r#"releases    = ["verawood", "ulmo", "teak"]"#,
            r#"releases    = ["master", "verawood", "ulmo", "teak"]"#,
        )
        .replace(
            r#"releases    = ["verawood", "ulmo"]"#,
            r#"releases    = ["master", "verawood", "ulmo"]"#,
        );
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let run = env.run(&["diff", "old.toml", "new.toml"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn diff_of_a_fork_override_between_files() {
    let env = Env::new();
    let old = with_pipelines(acme_with_pro("ulmo", "teak"));
    let new = old.replacen(
        "forum             = {}",
        r#"forum             = { origin = "https://github.com/acme-edu/cs_comments_service", branch = "acme/master" }"#,
        1,
    );
    assert_ne!(old, new);
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let run = env.run(&["diff", "old.toml", "new.toml"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
    let run = env.run(&["diff", "old.toml", "new.toml", "--format", "markdown"]);
    insta::assert_snapshot!(run.ok());

    // An invalid side is reported with its diagnostics, exit 1.
    env.write(
        "broken.toml",
        &format!("{new}\n[deployments.extra]\nCI = \"nope\"\n"),
    );
    let run = env.run(&["diff", "old.toml", "broken.toml"]);
    run.code(1);
    assert!(
        run.stderr.contains("`broken.toml` has 1 error"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_of_pipelines_added_removed_and_of_settings_only() {
    let env = Env::new();
    let old = with_pipelines(acme_with_pro("ulmo", "teak"));
    // online was the only deployment with forum: its pipeline goes, and the meta pipeline no
    // longer sets it.
    let new = old.replacen("forum             = {}\n", "", 1);
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let json = |a: &str, b: &str| -> Value {
        let run = env.run(&["diff", a, b, "--format", "json"]);
        serde_json::from_str(run.ok()).unwrap()
    };
    let pair = |n: &str, c: &str| (n.to_owned(), c.to_owned());
    assert_eq!(
        pipeline_changes(&json("old.toml", "new.toml")),
        [pair("edx-matrix", "changed"), pair("forum", "removed")]
    );
    assert_eq!(
        pipeline_changes(&json("new.toml", "old.toml")),
        [pair("forum", "added"), pair("edx-matrix", "changed")]
    );
    let run = env.run(&["diff", "new.toml", "old.toml"]);
    assert!(
        run.ok().ends_with(
            "pipelines to re-set: 1 added, 0 removed, 1 changed\n\
             + forum: new: set from the meta pipeline's following run\n\
             ~ edx-matrix: definition changes: re-set\n    \
             jobs       ~ set-pipelines\n"
        ),
        "{}",
        run.stdout
    );

    // Only the `[pipelines]` settings change: every pipeline moves to another team.
    let with_settings = fixture("valid/pipelines.toml");
    env.write("a.toml", &with_settings);
    env.write(
        "b.toml",
        &with_settings.replace(r#"team        = "acme""#, r#"team        = "acme-ops""#),
    );
    let diff = json("a.toml", "b.toml");
    assert_eq!(diff["rows"], serde_json::json!([]));
    let all = diff["pipelines"]["changes"].as_array().unwrap();
    assert!(all.len() > 3);
    assert!(
        all.iter().all(|c| c["other"]
            .as_array()
            .unwrap()
            .contains(&Value::from("team `acme` → `acme-ops`"))),
        "{all:?}"
    );
    let run = env.run(&["diff", "a.toml", "b.toml"]);
    assert!(
        run.ok()
            .contains("no change to the resolved matrix: only the pipelines change"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_does_not_compute_pipelines_from_broken_settings() {
    let env = Env::new();
    let good = fixture("valid/pipelines.toml");
    let bad = good.replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
    assert_ne!(good, bad);
    env.write("good.toml", &good);
    env.write("bad.toml", &bad);
    // The matrix itself is valid on both sides: the rest of the diff is shown.
    let run = env.run(&["diff", "good.toml", "bad.toml"]);
    assert!(
        run.ok().ends_with(
            "pipeline impact: not computed: `bad.toml` has 1 error in `[pipelines]` \
             (`edx-matrix check` shows them)\n"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["diff", "bad.toml", "bad.toml", "--format", "markdown"]);
    assert!(
        run.ok().ends_with(
            "_Pipeline impact: not computed: `bad.toml` has 1 error in `[pipelines]`, \
             `bad.toml` has 1 error in `[pipelines]` (`edx-matrix check` shows them)._\n"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["diff", "bad.toml", "good.toml", "--format", "json"]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(
        diff["pipelines"],
        serde_json::json!({
            "computed": false,
            "reason": "`bad.toml` has 1 error in `[pipelines]` (`edx-matrix check` shows them)",
            "changes": [],
        })
    );
}

/// `text` with a `[pipelines]` section (the standard pipelines in the team `acme`): without one
/// a matrix has no pipelines and `diff` says nothing about them.
pub(crate) fn with_pipelines(text: String) -> String {
    text + "\n[pipelines]\nteam = \"acme\"\n"
}

/// The pipeline changes of a `diff --format json`: (name, change).
fn pipeline_changes(diff: &Value) -> Vec<(String, String)> {
    assert_eq!(diff["pipelines"]["computed"], true, "{}", diff["pipelines"]);
    diff["pipelines"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `diff` renders the template-made pipelines on both sides: a matrix edit that moves `pro`'s QA
/// from ulmo to verawood removes its ulmo MFE pipeline and changes its verawood one (and the
/// standard and meta pipelines that follow); a comment changes nothing.
#[test]
fn diff_reports_the_impact_of_template_made_pipelines() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let file = env.path("acme/edx-matrix.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = edx_matrix_test_support::pin_pro(&text, ["verawood", "verawood", "teak"]);
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).unwrap();
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["--file", "acme/edx-matrix.toml", "diff"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        serde_json::from_str(env.run(&all).ok()).unwrap()
    };
    let changes = pipeline_changes(&json(&[]));
    let pair = |n: &str, c: &str| (n.to_owned(), c.to_owned());
    assert!(
        changes.contains(&pair("pro-verawood-mfe-pipeline", "changed")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&pair("pro-ulmo-mfe-pipeline", "removed")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&pair("edx-matrix", "changed")),
        "{changes:?}"
    );
    // The other deployments' MFE pipelines are untouched.
    assert!(
        !changes
            .iter()
            .any(|(n, _)| n.starts_with("campus") || n.starts_with("online")),
        "{changes:?}"
    );
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff"]);
    let out = run.ok();
    assert!(
        out.contains("- pro-ulmo-mfe-pipeline: no longer generated: Concourse archives it\n"),
        "{out}"
    );
    assert!(out.contains("~ pro-verawood-mfe-pipeline: definition changes: re-set\n    resources  + released-learning-qa, bucket-learning-qa, "), "{out}");
    // A comment only: nothing changes, and the pipelines were compared.
    std::fs::write(&file, format!("{text}\n# a comment\n")).unwrap();
    let diff = json(&[]);
    assert!(pipeline_changes(&diff).is_empty());
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff"]);
    assert!(
        run.ok().ends_with("pipeline impact: no pipeline changes\n"),
        "{}",
        run.stdout
    );
}

/// A template edit alone, committed: `diff REV REV` reads each revision's templates from its tree
/// (not the working tree, whose templates are broken here) and reports the MFE pipelines changed.
#[test]
fn diff_between_revisions_reads_their_templates() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let dir = env.path("acme");
    let mfe = dir.join("pipelines/mfe.star");
    let text = std::fs::read_to_string(&mfe).unwrap();
    let edited = text.replace("\"icon\": \"aws\"", "\"icon\": \"bucket\"");
    assert_ne!(edited, text);
    std::fs::write(&mfe, edited).unwrap();
    git(&env, &dir, &["commit", "-q", "-am", "mfe: bucket icon"]);
    std::fs::write(
        &mfe,
        "def pipelines(matrix, standard):\n    return 1 + \"x\"\n",
    )
    .unwrap();
    let run = env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "diff",
        "HEAD~1",
        "HEAD",
        "--format",
        "json",
    ]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(diff["rows"], serde_json::json!([]));
    let changes = pipeline_changes(&diff);
    let names: Vec<&str> = changes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "pro-teak-mfe-pipeline",
            "pro-ulmo-mfe-pipeline",
            "campus-verawood-mfe-pipeline",
            "campus-staging-verawood-mfe-pipeline",
            "pro-verawood-mfe-pipeline",
            "campus-master-mfe-pipeline",
            "campus-staging-master-mfe-pipeline",
            "online-master-mfe-pipeline"
        ]
    );
    assert!(changes.iter().all(|(_, c)| c == "changed"));
    let first = &diff["pipelines"]["changes"][0];
    assert_eq!(first["jobs"]["changed"], serde_json::json!([]));
    assert!(!first["resources"]["changed"].as_array().unwrap().is_empty());
    // Against the working tree, the broken template is the reason nothing is compared.
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff", "HEAD"]);
    assert!(
        run.ok().ends_with(
            "pipeline impact: not computed: the pipeline templates of `edx-matrix.toml (working tree)` \
             have 1 error (`edx-matrix check` shows them)\n"
        ),
        "{}",
        run.stdout
    );
}
