//! The stage page shows each locked row's commit (short hash, the whole one as a title, how
//! long it has been locked to the server's fixed "now", that the branch head was not checked)
//! and marks a row whose lock entry went stale; the API rows carry `commit`, `locked_at` and
//! `lock_stale`; a change of the lock file alone reloads the server. Over real HTTP.

use crate::support::{assert_matches_openapi, replace, start};
use edx_matrix_server::{MatrixSource, Options, fixed_clock};
use std::time::{Duration, UNIX_EPOCH};

/// 2026-12-05T10:00:00Z (`date -u -d 2026-12-05T10:00:00Z +%s`): four days after the lock.
const NOW: u64 = 1_796_464_800;

pub(crate) fn options(file: std::path::PathBuf) -> Options {
    let mut options = Options::new(MatrixSource::File(file));
    options.clock = fixed_clock(UNIX_EPOCH + Duration::from_secs(NOW));
    options
}

pub(crate) const MATRIX: &str = r#"stages = ["CI", "QA"]
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
pub(crate) fn lock() -> String {
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
    let server = start(options(file)).await;
    let ci = server.get("/d/campus/CI").await.text();
    assert!(ci.contains("Locked commit"), "{ci}");
    assert!(
        ci.contains(&format!("<code title=\"{FORUM}\">0123456789ab</code>")),
        "{ci}"
    );
    assert!(
        ci.contains(
            "<span class=\"note\" title=\"locked at 2026-12-01T10:00:00Z\">locked 4 days ago</span>"
        ),
        "{ci}"
    );
    assert!(ci.contains("branch head: not checked"), "{ci}");
    assert_eq!(
        ci.matches("stale lock: re-lock this stage").count(),
        1,
        "{ci}"
    );
    // QA is not locked: no commit column.
    let qa = server.get("/d/campus/QA").await.text();
    assert!(!qa.contains("Locked commit"), "{qa}");
    // The grid marks CI's stale lock, and only there.
    let grid = server.get("/").await.text();
    assert!(
        grid.contains("<span class=\"lock stale-lock\" title=\"1 commit locked, 1 stale: re-lock this stage\">stale lock</span>"),
        "{grid}"
    );
    assert_eq!(grid.matches("class=\"lock").count(), 1, "{grid}");
}

#[tokio::test]
async fn api_rows_carry_the_commit_its_time_and_stale_marks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    std::fs::write(dir.path().join("edx-matrix.lock"), lock()).unwrap();
    let server = start(options(file)).await;
    let rows = server
        .get("/api/v1/resolved?deployment=campus")
        .await
        .json();
    assert_matches_openapi("/api/v1/resolved", "get", 200, &rows);
    let row = |stage: &str, app: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["stage"] == stage && r["application"] == app)
            .unwrap()
            .clone()
    };
    let forum = row("CI", "forum");
    assert_eq!(forum["commit"], FORUM);
    assert_eq!(forum["locked_at"], "2026-12-01T10:00:00Z");
    assert!(forum.get("lock_stale").is_none());
    let notes = row("CI", "notes");
    assert_eq!(notes["lock_stale"], true);
    assert!(notes.get("commit").is_none() && notes.get("locked_at").is_none());
    // An unlocked stage has none of the three.
    let qa = row("QA", "forum");
    for field in ["commit", "locked_at", "lock_stale"] {
        assert!(qa.get(field).is_none(), "{field}: {qa}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_the_lock_alone_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    let server = start(options(file)).await;
    let forum_commit = |r: &crate::support::Reply| {
        r.json()
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["application"] == "forum"))
            .and_then(|row| row["commit"].as_str().map(str::to_owned))
    };
    let query = "/api/v1/resolved?deployment=campus&stage=CI";
    assert_eq!(forum_commit(&server.get(query).await), None);

    // The lock appears: the matrix file is untouched.
    let lock_file = dir.path().join("edx-matrix.lock");
    replace(&lock_file, &lock());
    let (reply, took) = server
        .wait_for(query, Duration::from_secs(30), |r| {
            forum_commit(r).is_some()
        })
        .await;
    assert_eq!(
        forum_commit(&reply).as_deref(),
        Some(FORUM),
        "not reloaded in {took:?}"
    );
    let generation = server.get("/healthz").await.json()["generation"].as_u64();
    assert_eq!(generation, Some(2));

    // Re-locked at another commit, same length, same second: the text decides.
    let next = "f".repeat(40);
    replace(&lock_file, &lock().replace(FORUM, &next));
    let (reply, took) = server
        .wait_for(query, Duration::from_secs(30), |r| {
            forum_commit(r).as_deref() == Some(next.as_str())
        })
        .await;
    assert_eq!(forum_commit(&reply), Some(next), "not reloaded in {took:?}");

    // The lock removed: no commits any more.
    std::fs::remove_file(&lock_file).unwrap();
    let (reply, _) = server
        .wait_for(query, Duration::from_secs(30), |r| {
            forum_commit(r).is_none()
        })
        .await;
    assert_eq!(forum_commit(&reply), None);
}
