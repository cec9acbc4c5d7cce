//! A matrix without `[pipelines]` has no pipelines: `check` and `diff` (between files and
//! against git revisions, in every format) neither render nor mention any.

use crate::git::git;
use crate::harness::{Env, fixture};
use serde_json::Value;

/// The minimal fixture (no `[pipelines]`), and the same with its CI stage on master.
fn minimal_pair() -> (String, String) {
    let old = fixture("valid/minimal.toml");
    let new = old.replace(r#"site = { CI = "ulmo" }"#, r#"site = { CI = "master" }"#);
    assert_ne!(old, new);
    assert!(!old.contains("[pipelines]"));
    (old, new)
}

#[track_caller]
fn assert_no_pipeline_text(what: &str, text: &str) {
    assert!(
        !text.to_lowercase().contains("pipeline"),
        "{what} mentions pipelines:\n{text}"
    );
}

#[test]
fn check_of_a_matrix_without_pipelines_says_nothing_about_them() {
    let (old, _) = minimal_pair();
    let env = Env::with_matrix(&old);
    for format in ["human", "json"] {
        let run = env.run(&["check", "--format", format]);
        run.code(0);
        assert_no_pipeline_text("check", &format!("{}{}", run.stdout, run.stderr));
    }
}

#[test]
fn diff_of_matrices_without_pipelines_says_nothing_about_them() {
    let (old, new) = minimal_pair();
    let env = Env::new();
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    for format in ["human", "markdown", "json"] {
        let run = env.run(&["diff", "old.toml", "new.toml", "--format", format]);
        run.code(0);
        // The stage change is there; the pipelines are not.
        assert!(run.stdout.contains("master"), "{}", run.stdout);
        assert_no_pipeline_text("diff", &format!("{}{}", run.stdout, run.stderr));
    }
    let json: Value = serde_json::from_str(
        env.run(&["diff", "old.toml", "new.toml", "--format", "json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(json.get("pipelines"), None, "{json:#}");
    // Unchanged: no "only the pipelines change" either.
    let run = env.run(&["diff", "old.toml", "old.toml"]);
    assert_eq!(
        run.ok(),
        "old.toml → old.toml\n\nno change to what is built or deployed\n"
    );

    // Against a git revision (the working tree edited).
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    env.write("edx-matrix.toml", &old);
    git(&env, &top, &["add", "edx-matrix.toml"]);
    git(&env, &top, &["commit", "-q", "-m", "minimal"]);
    env.write("edx-matrix.toml", &new);
    for format in ["human", "markdown", "json"] {
        let run = env.run(&["diff", "HEAD", "--format", format]);
        run.code(0);
        assert!(run.stdout.contains("master"), "{}", run.stdout);
        assert_no_pipeline_text("diff HEAD", &format!("{}{}", run.stdout, run.stderr));
    }

    // Declaring `[pipelines]` on one side brings them: all of that side's are new.
    env.write(
        "declared.toml",
        &format!("{new}\n[pipelines]\nteam = \"site\"\n"),
    );
    let json: Value = serde_json::from_str(
        env.run(&["diff", "old.toml", "declared.toml", "--format", "json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(json["pipelines"]["computed"], true, "{json:#}");
    let changes = json["pipelines"]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c["change"] == "added"), "{json:#}");
}
