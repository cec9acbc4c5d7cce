//! The stage page shows each locked row's commit (short hash, the whole one as a title, when it
//! was locked) and marks a row whose lock entry went stale, over real HTTP.

use crate::support::start;
use edx_matrix_server::{MatrixSource, Options};

const MATRIX: &str = r#"stages = ["CI", "QA"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
notes = { kind = "ida", repository = "https://github.com/openedx/edx-notes-api" }
[deployments]
campus = { CI = "ulmo", QA = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = { branch = "acme/ulmo" }
notes = {}
"#;

const FORUM: &str = "0123456789abcdef0123456789abcdef01234567";

/// CI locks forum on its branch, and notes on a branch the matrix no longer builds (stale).
fn lock() -> String {
    format!(
        "version = 1\n\n[[lock]]\ndeployment = \"campus\"\nstage = \"CI\"\napplication = \"forum\"\n\
         origin = \"https://github.com/openedx/cs_comments_service\"\nbranch = \"acme/ulmo\"\n\
         commit = \"{FORUM}\"\nlocked_at = \"2026-12-01T10:00:00Z\"\n\n[[lock]]\ndeployment = \"campus\"\n\
         stage = \"CI\"\napplication = \"notes\"\norigin = \"https://github.com/openedx/edx-notes-api\"\n\
         branch = \"release/teak\"\ncommit = \"{}\"\nlocked_at = \"2026-12-01T10:00:00Z\"\n",
        "b".repeat(40)
    )
}

#[tokio::test]
async fn a_locked_stage_shows_its_commits_and_marks_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    std::fs::write(dir.path().join("edx-matrix.lock"), lock()).unwrap();
    let server = start(Options::new(MatrixSource::File(file))).await;
    let ci = server.get("/d/campus/CI").await.text();
    assert!(ci.contains("Locked commit"), "{ci}");
    assert!(
        ci.contains(&format!("<code title=\"{FORUM}\">0123456789ab</code>")),
        "{ci}"
    );
    assert!(ci.contains("locked 2026-12-01"), "{ci}");
    assert_eq!(
        ci.matches("stale lock: re-lock this stage").count(),
        1,
        "{ci}"
    );
    // QA is not locked: no commit column.
    let qa = server.get("/d/campus/QA").await.text();
    assert!(!qa.contains("Locked commit"), "{qa}");
}
