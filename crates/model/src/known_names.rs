//! The one check of the names a command or an API request gives (a deployment, stage,
//! release or application) against the matrix: an unknown name is one [`UnknownName`] —
//! code, words and suggestions — that each front end only renders.

use crate::matrix::Matrix;
use crate::resolve::Filter;
use crate::suggest::UnknownName;

/// A kind of name the matrix defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A deployment (`[deployments]`).
    Deployment,
    /// A stage (`stages`).
    Stage,
    /// A release (`[releases]`).
    Release,
    /// An application (`[applications]`).
    Application,
}

impl NameKind {
    /// The word for the kind in messages: `deployment`, `stage`, `release`, `application`.
    pub const fn what(self) -> &'static str {
        match self {
            NameKind::Deployment => "deployment",
            NameKind::Stage => "stage",
            NameKind::Release => "release",
            NameKind::Application => "application",
        }
    }

    /// The names of this kind `matrix` defines, in its order (the order suggestions keep
    /// among equally close names).
    pub fn defined(self, matrix: &Matrix) -> Vec<&str> {
        match self {
            NameKind::Deployment => matrix.deployments.iter().map(|d| d.name.as_str()).collect(),
            NameKind::Stage => matrix.stages.iter().map(|s| s.as_str()).collect(),
            NameKind::Release => matrix.releases.iter().map(|r| r.name.as_str()).collect(),
            NameKind::Application => matrix
                .applications
                .iter()
                .map(|a| a.name.as_str())
                .collect(),
        }
    }
}

/// Returns the unknown-name error unless `matrix` defines `name` as a name of `kind`.
pub fn require(matrix: &Matrix, kind: NameKind, name: &str) -> Result<(), UnknownName> {
    let defined = kind.defined(matrix);
    if defined.contains(&name) {
        return Ok(());
    }
    Err(UnknownName::new(kind.what(), name, defined))
}

/// Returns the first unknown name of `filter` — its deployment, stage, release, then
/// application — so a typo is an error rather than an empty result.
pub fn require_filter(matrix: &Matrix, filter: &Filter) -> Result<(), UnknownName> {
    let names = [
        (
            NameKind::Deployment,
            filter.deployment.as_ref().map(|n| n.as_str()),
        ),
        (NameKind::Stage, filter.stage.as_ref().map(|n| n.as_str())),
        (
            NameKind::Release,
            filter.release.as_ref().map(|n| n.as_str()),
        ),
        (
            NameKind::Application,
            filter.application.as_ref().map(|n| n.as_str()),
        ),
    ];
    for (kind, name) in names {
        if let Some(name) = name {
            require(matrix, kind, name)?;
        }
    }
    Ok(())
}
