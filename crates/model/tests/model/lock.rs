//! The lock's rules: one entry per (deployment, stage, application), re-locking some stages
//! keeps the others', a locked commit counts only while its origin and branch are still built,
//! and how a lock goes stale. Expected values are written by hand from the `campus` matrix.

use crate::build::campus;
use edx_matrix_model::{AppVersion, Filter, resolve};
use edx_matrix_model::{Lock, LockEntry, Stale, lock_origin, stale_entries};

const PLATFORM: &str = "https://github.com/openedx/openedx-platform";
const LEARNING: &str = "https://github.com/openedx/frontend-app-learning";

fn entry(d: &str, s: &str, a: &str, origin: &str, branch: &str, commit: char) -> LockEntry {
    LockEntry {
        deployment: d.into(),
        stage: s.into(),
        application: a.into(),
        origin: origin.into(),
        branch: branch.into(),
        commit: commit.to_string().repeat(40),
        locked_at: "2026-12-01T10:00:00Z".into(),
        forced: None,
    }
}

fn ci_lock() -> Lock {
    Lock::new([
        entry(
            "campus",
            "CI",
            "learning",
            LEARNING,
            "release/verawood",
            'b',
        ),
        entry(
            "campus",
            "CI",
            "edx-platform",
            PLATFORM,
            "release/verawood",
            'a',
        ),
    ])
}

#[test]
fn entries_are_sorted_and_the_last_of_a_key_wins() {
    let lock = Lock::new([
        entry("campus", "QA", "learning", LEARNING, "release/ulmo", '1'),
        entry(
            "campus",
            "CI",
            "learning",
            LEARNING,
            "release/verawood",
            '2',
        ),
        entry("campus", "QA", "learning", LEARNING, "release/ulmo", '3'),
    ]);
    let keys: Vec<_> = lock
        .entries()
        .iter()
        .map(|e| (e.stage.as_str(), e.commit.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("CI", "2".repeat(40).as_str()),
            ("QA", "3".repeat(40).as_str())
        ]
    );
    assert_eq!(
        lock.get("campus", "QA", "learning").unwrap().commit,
        "3".repeat(40)
    );
    assert!(lock.get("campus", "Production", "learning").is_none());
}

#[test]
fn relocking_a_stage_keeps_the_other_stages_entries() {
    let lock = ci_lock().relock(
        |_, s| s == "QA",
        [entry(
            "campus",
            "QA",
            "edx-platform",
            PLATFORM,
            "release/ulmo",
            'c',
        )],
    );
    assert_eq!(lock.entries().len(), 3);
    assert_eq!(
        lock.get("campus", "CI", "edx-platform").unwrap().commit,
        "a".repeat(40)
    );
    let relocked = lock.relock(
        |_, s| s == "CI",
        [entry(
            "campus",
            "CI",
            "edx-platform",
            PLATFORM,
            "release/verawood",
            'd',
        )],
    );
    // CI's `learning` entry goes with the re-lock of CI; QA's entry stays.
    assert_eq!(relocked.entries().len(), 2);
    assert_eq!(
        relocked.get("campus", "CI", "edx-platform").unwrap().commit,
        "d".repeat(40)
    );
    assert_eq!(
        relocked.get("campus", "QA", "edx-platform").unwrap().commit,
        "c".repeat(40)
    );
}

#[test]
fn a_row_carries_its_commit_only_while_its_origin_and_branch_are_locked() {
    let matrix = campus().done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let lock = ci_lock();
    let commits: Vec<_> = rows
        .iter()
        .map(|r| (r.stage, r.application, lock.commit_of(r).map(|c| &c[..1])))
        .collect();
    assert_eq!(
        commits,
        [
            ("CI", "edx-platform", Some("a")),
            ("CI", "learning", Some("b")),
            ("Production", "edx-platform", None),
            ("Production", "learning", None),
            ("QA", "edx-platform", None),
            ("QA", "learning", None),
        ]
    );
    assert!(stale_entries(&lock, &rows).is_empty());
}

#[test]
fn a_fork_branch_an_added_and_a_removed_application_make_the_lock_stale() {
    // CI's edx-platform now builds a fork's branch; learning left verawood; QA locks an
    // application QA does not build... and QA's edx-platform row is not locked although QA is.
    let matrix = campus()
        .entry(
            "verawood",
            "campus",
            vec![AppVersion {
                origin: Some("https://github.com/acme/edx-platform".into()),
                branch: Some("acme/verawood".into()),
                ..AppVersion::plain("edx-platform", "verawood")
            }],
        )
        .done();
    let mut matrix = matrix;
    // Keep only the new verawood entry (the builder's campus() added a plain one first).
    matrix
        .release_map
        .retain(|e| !(e.release.as_str() == "verawood" && e.apps.len() == 2));
    let rows = resolve(&matrix, &Filter::default()).rows;
    let lock = ci_lock().relock(
        |_, s| s == "QA",
        [entry(
            "campus",
            "QA",
            "learning",
            LEARNING,
            "release/ulmo",
            'c',
        )],
    );
    let stale = stale_entries(&lock, &rows);
    assert_eq!(
        stale,
        [
            Stale::Changed {
                entry: 0,
                origin: "https://github.com/acme/edx-platform".into(),
                branch: "acme/verawood".into(),
            },
            Stale::Unlocked {
                deployment: "campus".into(),
                stage: "QA".into(),
                application: "edx-platform".into(),
            },
            Stale::Removed { entry: 1 },
        ]
    );
}

#[test]
fn a_lock_records_an_origin_without_its_credential() {
    assert_eq!(
        lock_origin("https://user:s3cret@git.example.com/x.git"),
        "https://user:***@git.example.com/x.git"
    );
    assert_eq!(lock_origin(PLATFORM), PLATFORM);
}

#[test]
fn a_promotion_carries_the_commits_the_lower_stage_locked() {
    use edx_matrix_model::carry;
    // After promoting QA to verawood, QA builds what CI builds.
    let mut matrix = campus().done();
    matrix.deployments[0].stages[1].release = "verawood".into();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let qa: Vec<_> = rows.iter().filter(|r| r.stage == "QA").copied().collect();
    let carried = carry(&ci_lock(), "campus", "CI", &qa, "2026-12-02T00:00:00Z");
    assert_eq!(carried.untested, []);
    let got: Vec<_> = carried
        .entries
        .iter()
        .map(|e| {
            (
                e.stage.as_str(),
                e.application.as_str(),
                &e.commit[..1],
                e.locked_at.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("QA", "edx-platform", "a", "2026-12-02T00:00:00Z"),
            ("QA", "learning", "b", "2026-12-02T00:00:00Z"),
        ]
    );
    // Without a CI lock for learning, learning is untested.
    let partial = Lock::new([entry(
        "campus",
        "CI",
        "edx-platform",
        PLATFORM,
        "release/verawood",
        'a',
    )]);
    let carried = carry(&partial, "campus", "CI", &qa, "2026-12-02T00:00:00Z");
    assert_eq!(carried.entries.len(), 1);
    assert_eq!(
        carried.untested,
        [(
            "learning".to_owned(),
            LEARNING.to_owned(),
            "release/verawood".to_owned()
        )]
    );
}

/// What `diff` lists of two locks: a moved commit (also on the same branch), an entry only in
/// one lock, nothing for an entry whose commit is the same (even on another branch); a
/// compare link only on the same GitHub origin.
#[test]
fn commit_changes_list_moved_added_and_removed_commits() {
    use edx_matrix_model::Change;
    use edx_matrix_model::{CommitCount, commit_changes};
    const FORK: &str = "https://x-access-token:***@github.com/acme-edu/edx-platform";
    let old = Lock::new([
        entry("campus", "CI", "edx-platform", PLATFORM, "master", 'a'),
        entry("campus", "CI", "learning", LEARNING, "master", 'b'),
        entry("campus", "QA", "edx-platform", PLATFORM, "master", 'c'),
        entry("campus", "QA", "learning", LEARNING, "master", 'd'),
    ]);
    let new = Lock::new([
        entry("campus", "CI", "edx-platform", PLATFORM, "master", 'e'),
        // Same commit, another branch: no commit change.
        entry(
            "campus",
            "CI",
            "learning",
            LEARNING,
            "release/verawood",
            'b',
        ),
        entry("campus", "QA", "edx-platform", FORK, "master", 'f'),
        entry("campus", "Production", "learning", LEARNING, "master", 'd'),
    ]);
    let changes = commit_changes(&old, &new);
    let listed: Vec<(Change, &str, &str, String)> = changes
        .iter()
        .map(|c| {
            (
                c.change,
                c.stage.as_str(),
                c.application.as_str(),
                c.range(3),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (Change::Changed, "CI", "edx-platform", "aaa..eee".to_owned()),
            (Change::Added, "Production", "learning", "ddd".to_owned()),
            (Change::Changed, "QA", "edx-platform", "ccc..fff".to_owned()),
            (Change::Removed, "QA", "learning", "ddd".to_owned()),
        ]
    );
    let (a, e) = ("a".repeat(40), "e".repeat(40));
    assert_eq!(
        changes[0].compare_url.as_deref(),
        Some(format!("https://github.com/openedx/openedx-platform/compare/{a}...{e}").as_str())
    );
    // Another origin (a fork): a range, no link across repositories.
    assert_eq!(changes[2].compare_url, None);
    assert_eq!(changes[2].origin, FORK);
    assert!(commit_changes(&old, &old).is_empty());

    let mut c = changes[0].clone();
    for (added, rolled_back, text) in [
        (3, 0, "3 commits"),
        (1, 0, "1 commit"),
        (0, 2, "rolls back 2 commits"),
        (1, 1, "rolls back 1 commit, adds 1"),
    ] {
        c.count = Some(CommitCount { added, rolled_back });
        assert_eq!(c.count_text().as_deref(), Some(text));
    }
}

/// The same matrix with other locked commits in QA: QA's build of `ulmo` is rebuilt at the new
/// commit and QA is redeployed; Production, on `ulmo` too but at its own commits, is neither;
/// no row, stage or release changes.
#[test]
fn other_locked_commits_redeploy_their_stage() {
    use edx_matrix_model::compare_locked;
    let matrix = campus().done();
    let old = Lock::new([entry(
        "campus",
        "QA",
        "learning",
        LEARNING,
        "release/ulmo",
        'a',
    )]);
    let new = Lock::new([entry(
        "campus",
        "QA",
        "learning",
        LEARNING,
        "release/ulmo",
        'b',
    )]);
    let report = compare_locked(&matrix, &old, &matrix, &new);
    assert!(report.rows.is_empty() && report.stages.is_empty());
    let rebuild: Vec<(&str, &str, &str, &[String])> = report
        .rebuild
        .iter()
        .map(|r| {
            let stages: &[String] = &r.stages;
            (
                r.release.as_str(),
                r.deployment.as_str(),
                r.reason.as_str(),
                stages,
            )
        })
        .collect();
    assert_eq!(
        rebuild,
        [(
            "ulmo",
            "campus",
            "locked commits change: `learning` (QA)",
            &["QA".to_owned()][..]
        )]
    );
    let redeploy: Vec<(&str, &str, &str)> = report
        .redeploy
        .iter()
        .map(|r| (r.stage.as_str(), r.release.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        redeploy,
        [("QA", "ulmo", "locked commits change: `learning`")]
    );
    assert!(compare_locked(&matrix, &old, &matrix, &old).is_empty());
}
