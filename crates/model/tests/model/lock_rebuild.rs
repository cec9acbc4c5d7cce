//! Which builds a change of locked commits makes (`rebuild`), and which stages it redeploys:
//! a relock rebuilds the stage's release at the new commit; a promotion that carries the
//! commits the lower stage built rebuilds nothing; a build the matrix change rebuilds anyway
//! is listed once, with the matrix's reason. Expected values written by hand from `campus`
//! (CI on verawood, QA and Production on ulmo).

use crate::build::campus;
use edx_matrix_model::{Comparison, compare_locked};
use edx_matrix_model::{Lock, LockEntry};

const PLATFORM: &str = "https://github.com/openedx/openedx-platform";

fn platform(stage: &str, branch: &str, commit: char) -> LockEntry {
    LockEntry {
        deployment: "campus".into(),
        stage: stage.into(),
        application: "edx-platform".into(),
        origin: PLATFORM.into(),
        branch: branch.into(),
        commit: commit.to_string().repeat(40),
        locked_at: "2026-12-01T10:00:00Z".into(),
        forced: None,
    }
}

fn rebuilds(c: &Comparison) -> Vec<(&str, &str, &str, Vec<&str>)> {
    c.rebuild
        .iter()
        .map(|r| {
            let stages = r.stages.iter().map(String::as_str).collect();
            (
                r.release.as_str(),
                r.deployment.as_str(),
                r.reason.as_str(),
                stages,
            )
        })
        .collect()
}

fn redeploys(c: &Comparison) -> Vec<(&str, &str)> {
    c.redeploy
        .iter()
        .map(|r| (r.stage.as_str(), r.reason.as_str()))
        .collect()
}

#[test]
fn relocking_two_stages_rebuilds_each_stages_release_and_redeploys_only_them() {
    let m = campus().done();
    let old = Lock::new([
        platform("CI", "release/verawood", 'a'),
        platform("QA", "release/ulmo", 'c'),
        platform("Production", "release/ulmo", 'c'),
    ]);
    let new = Lock::new([
        platform("CI", "release/verawood", 'b'),
        platform("QA", "release/ulmo", 'd'),
        platform("Production", "release/ulmo", 'c'),
    ]);
    let c = compare_locked(&m, &old, &m, &new);
    assert_eq!(
        rebuilds(&c),
        [
            (
                "ulmo",
                "campus",
                "locked commits change: `edx-platform` (QA)",
                vec!["QA"]
            ),
            (
                "verawood",
                "campus",
                "locked commits change: `edx-platform` (CI)",
                vec!["CI"]
            ),
        ]
    );
    assert_eq!(
        redeploys(&c),
        [
            ("CI", "locked commits change: `edx-platform`"),
            ("QA", "locked commits change: `edx-platform`"),
        ]
    );
}

#[test]
fn a_newly_locked_stage_is_rebuilt_at_its_commit() {
    let m = campus().done();
    let new = Lock::new([platform("CI", "release/verawood", 'a')]);
    let c = compare_locked(&m, &Lock::default(), &m, &new);
    assert_eq!(
        rebuilds(&c),
        [(
            "verawood",
            "campus",
            "locked commits change: `edx-platform` (CI)",
            vec!["CI"]
        )]
    );
    // No longer locked: the stage builds its branch again, nothing is rebuilt from the lock.
    let back = compare_locked(&m, &new, &m, &Lock::default());
    assert!(back.rebuild.is_empty());
    assert_eq!(
        redeploys(&back),
        [("CI", "locked commits change: `edx-platform`")]
    );
}

/// QA promoted to verawood with CI's commit: the image CI built at that commit is what QA
/// runs, so nothing is rebuilt; QA is redeployed for its new release.
#[test]
fn a_promotion_carrying_the_lower_stages_commit_rebuilds_nothing() {
    let old_m = campus().done();
    let mut new_m = old_m.clone();
    new_m.deployments[0].stages[1].release = "verawood".into();
    let old = Lock::new([
        platform("CI", "release/verawood", 'a'),
        platform("QA", "release/ulmo", 'c'),
    ]);
    let new = Lock::new([
        platform("CI", "release/verawood", 'a'),
        platform("QA", "release/verawood", 'a'),
    ]);
    let c = compare_locked(&old_m, &old, &new_m, &new);
    assert!(c.rebuild.is_empty(), "{:?}", c.rebuild);
    assert_eq!(redeploys(&c), [("QA", "release `ulmo` → `verawood`")]);
    // With a commit CI never built, the promoted stage's build is new.
    let relocked = Lock::new([
        platform("CI", "release/verawood", 'a'),
        platform("QA", "release/verawood", 'e'),
    ]);
    let c = compare_locked(&old_m, &old, &new_m, &relocked);
    assert_eq!(
        rebuilds(&c),
        [(
            "verawood",
            "campus",
            "locked commits change: `edx-platform` (QA)",
            vec!["QA"]
        )]
    );
}

/// A matrix change already rebuilds `ulmo` for every stage on it: a relock of QA adds no
/// second entry, and both stages on `ulmo` are redeployed for the rebuild.
#[test]
fn a_build_the_matrix_change_rebuilds_is_listed_once() {
    let old_m = campus().done();
    let mut new_m = old_m.clone();
    for r in &mut new_m.releases {
        if r.name.as_str() == "ulmo" {
            r.python = Some("3.12".into());
        }
    }
    let old = Lock::new([platform("QA", "release/ulmo", 'c')]);
    let new = Lock::new([platform("QA", "release/ulmo", 'd')]);
    let c = compare_locked(&old_m, &old, &new_m, &new);
    assert_eq!(
        rebuilds(&c),
        [(
            "ulmo",
            "campus",
            // Python is an IDA's runtime: the MFE `learning` is unchanged.
            "changed: `edx-platform`",
            vec![]
        )]
    );
    assert_eq!(
        redeploys(&c),
        [
            ("QA", "`ulmo` is rebuilt for `campus`"),
            ("Production", "`ulmo` is rebuilt for `campus`"),
        ]
    );
}

/// Two stages on one release relocked: one build, its stages in promotion order (QA before
/// Production), whatever order the lock sorts them in (by name, Production first).
#[test]
fn stages_of_one_build_are_listed_in_promotion_order() {
    let m = campus().done();
    let old = Lock::new([
        platform("QA", "release/ulmo", 'c'),
        platform("Production", "release/ulmo", 'c'),
    ]);
    let new = Lock::new([
        platform("QA", "release/ulmo", 'd'),
        platform("Production", "release/ulmo", 'e'),
    ]);
    let c = compare_locked(&m, &old, &m, &new);
    assert_eq!(
        rebuilds(&c),
        [(
            "ulmo",
            "campus",
            "locked commits change: `edx-platform` (QA); `edx-platform` (Production)",
            vec!["QA", "Production"]
        )]
    );
}

/// The matrix change rebuilds `verawood` for `campus`; a relock of QA (on `ulmo`) is another
/// build of the same deployment and is still listed: only the very (release, deployment) the
/// matrix rebuilds is left out.
#[test]
fn a_matrix_rebuild_of_another_release_leaves_the_relock_listed() {
    let old_m = campus().done();
    let mut new_m = old_m.clone();
    for r in &mut new_m.releases {
        if r.name.as_str() == "verawood" {
            r.python = Some("3.13".into());
        }
    }
    let old = Lock::new([platform("QA", "release/ulmo", 'c')]);
    let new = Lock::new([platform("QA", "release/ulmo", 'd')]);
    let c = compare_locked(&old_m, &old, &new_m, &new);
    assert_eq!(
        rebuilds(&c),
        [
            (
                "ulmo",
                "campus",
                "locked commits change: `edx-platform` (QA)",
                vec!["QA"]
            ),
            ("verawood", "campus", "changed: `edx-platform`", vec![]),
        ]
    );
}
