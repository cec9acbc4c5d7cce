//! `export github-actions`: the resolved rows as `{"include": [...]}` for a workflow's
//! `strategy.matrix`, read with `fromJSON`.

use edx_matrix_model::Lock;
use edx_matrix_model::{Filter, Matrix, resolve};
use serde::Serialize;

/// GitHub Actions runs at most this many jobs from one matrix.
pub const MAX_JOBS: usize = 256;

/// The value of `strategy.matrix`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Include {
    /// One job per resolved row.
    pub include: Vec<Job>,
}

/// One job: the eight row fields, the environment label, and the MFE path where there is one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Job {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// The release the stage runs.
    pub release: String,
    /// The application.
    pub application: String,
    /// `IDA` or `MFE`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The repository to build from.
    pub git_origin: String,
    /// The branch to build from.
    pub release_branch: String,
    /// The Python (IDA) or Node (MFE) version; `null` when the release records none.
    pub runtime_version: Option<String>,
    /// `<deployment>-<stage in lower case>`, the label logs and dashboards use.
    pub environment: String,
    /// The MFE's URL path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The locked commit to check out (`edx-matrix.lock`), when the row has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Returns the jobs for the rows `filter` selects, in row order.
pub fn include(matrix: &Matrix, filter: &Filter) -> Include {
    include_locked(matrix, filter, &Lock::default())
}

/// Returns the jobs for the rows `filter` selects, each with its commit locked in `lock`.
pub fn include_locked(matrix: &Matrix, filter: &Filter, lock: &Lock) -> Include {
    let mut rows = resolve(matrix, filter).rows;
    lock.apply(&mut rows);
    Include {
        include: rows
            .iter()
            .map(|r| Job {
                deployment: r.deployment.to_owned(),
                stage: r.stage.to_owned(),
                release: r.release.to_owned(),
                application: r.application.to_owned(),
                kind: r.kind.as_str().to_owned(),
                git_origin: r.git_origin.to_owned(),
                release_branch: r.release_branch.to_owned(),
                runtime_version: r.runtime_version.map(str::to_owned),
                environment: edx_matrix_model::label(r.deployment, r.stage),
                path: r.path.map(str::to_owned),
                commit: r.commit.map(str::to_owned),
            })
            .collect(),
    }
}
