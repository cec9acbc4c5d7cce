//! The locked commits in the Python package: each application version (one entry of
//! `ReleaseMap[release][deployment]`, shared by every stage of the deployment on that release)
//! gets `locked_commits`, stage → commit, and `commit(stage)` reads it. Written only when the
//! matrix has a lock: without one the package is exactly what it was.

use edx_matrix_model::Row;
use std::collections::BTreeMap;

/// The locked commits of the release map's entries: (release, deployment, application) →
/// stage → commit.
pub(crate) type LockedCommits = BTreeMap<(String, String, String), BTreeMap<String, String>>;

/// Collects the commits of `rows` (after [`Lock::apply`](edx_matrix_model::Lock::apply)):
/// a row is built from the entry of its stage's release, so that is where its commit goes.
pub fn of_rows(rows: &[Row<'_>]) -> LockedCommits {
    let mut commits = LockedCommits::new();
    for row in rows {
        if let Some(commit) = row.commit {
            commits
                .entry((
                    row.release.to_owned(),
                    row.deployment.to_owned(),
                    row.application.to_owned(),
                ))
                .or_default()
                .insert(row.stage.to_owned(), commit.to_owned());
        }
    }
    commits
}

/// The entry class's field and method, after its other fields.
pub(crate) const FIELD: &str =
    "    # The commit edx-matrix.lock records for each stage built from this entry.
    locked_commits: dict[str, str] = {}
";

/// The method reading [`FIELD`], after the class's properties.
pub(crate) const METHOD: &str = "
    def commit(self, env_stage: str) -> Optional[str]:
        \"\"\"The commit locked for `env_stage`, or None (build `release_branch`).\"\"\"
        return self.locked_commits.get(env_stage)
";
