//! The repositories `diff` and `history` are tested on: the acme estate with `pro`'s stages
//! pinned, and a real git history of it (promotions, a broken revision, a rename).

use crate::git::{git, git_at};
use crate::harness::{Env, fixture, fixtures};

/// The text of the acme example matrix.
pub(crate) fn acme() -> String {
    std::fs::read_to_string(fixtures().join("../../examples/acme/edx-matrix.toml")).unwrap()
}

/// The acme matrix with `pro` running verawood in CI and `qa`, `production` in its later stages.
pub(crate) fn acme_with_pro(qa: &str, production: &str) -> String {
    edx_matrix_test_support::pin_pro(&acme(), ["verawood", qa, production])
}

/// A repository whose `edx-matrix.toml` starts as the minimal fixture, becomes the acme estate,
/// has its stages promoted, is broken once, gets moved to `config/` and promoted again.
pub(crate) fn history_repo() -> Env {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    let commit = |date: &str, subject: &str, file: &str, text: Option<&str>| {
        if let Some(text) = text {
            env.write(file, text);
        }
        git_at(&env, &top, date, &["add", "-A"]);
        git_at(&env, &top, date, &["commit", "-q", "-m", subject]);
    };
    let file = "edx-matrix.toml";
    commit(
        "2024-01-01T10:00:00+00:00",
        "add a minimal matrix",
        file,
        Some(&fixture("valid/minimal.toml")),
    );
    commit(
        "2024-01-02T10:00:00+00:00",
        "switch to the acme estate",
        file,
        Some(&acme_with_pro("ulmo", "teak")),
    );
    commit(
        "2024-01-08T10:00:00+00:00",
        "pro: promote ulmo to Production",
        file,
        Some(&acme_with_pro("ulmo", "ulmo")),
    );
    commit(
        "2024-01-10T10:00:00+00:00",
        "half an edit",
        file,
        Some(&format!("{}\n[releases\n", acme_with_pro("ulmo", "ulmo"))),
    );
    commit(
        "2024-01-11T10:00:00+00:00",
        "pro: promote verawood to QA",
        file,
        Some(&acme_with_pro("verawood", "ulmo")),
    );
    commit(
        "2024-01-12T10:00:00+00:00",
        "unrelated",
        "README.md",
        Some("# acme\n"),
    );
    std::fs::create_dir(top.join("config")).unwrap();
    git_at(
        &env,
        &top,
        "2024-01-15T10:00:00+00:00",
        &["mv", file, "config/edx-matrix.toml"],
    );
    commit(
        "2024-01-15T10:00:00+00:00",
        "move the matrix to config/",
        file,
        None,
    );
    commit(
        "2024-01-20T16:30:00+00:00",
        "pro: promote verawood to Production",
        "config/edx-matrix.toml",
        Some(&acme_with_pro("verawood", "verawood")),
    );
    env
}
