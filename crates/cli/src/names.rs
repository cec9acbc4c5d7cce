//! Names given on the command line: parsed by clap with the model's rule ([`parse`]), then
//! checked against the matrix by the model's one check (`edx_matrix_model::known_names`),
//! whose error the CLI only renders.

use crate::error::CommandError;
use edx_matrix_model::known_names::{self, NameKind};
use edx_matrix_model::{Deployment, Matrix};

/// Returns the unknown-name error unless `matrix` defines `name` as a name of `kind`.
pub(crate) fn require(matrix: &Matrix, kind: NameKind, name: &str) -> Result<(), CommandError> {
    known_names::require(matrix, kind, name).map_err(|e| CommandError::unknown(&e))
}

/// Returns the deployment `name`, or the unknown-name error.
pub(crate) fn deployment<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m Deployment, CommandError> {
    require(matrix, NameKind::Deployment, name)?;
    matrix
        .deployment(name)
        .ok_or_else(|| CommandError::usage(format!("no deployment `{name}`")))
}

/// Returns an error unless `deployment` has the stage `stage`: the unknown-name error for a
/// stage the matrix does not define (the same as every command's), else ``deployment `d`
/// has no stage `s` `` listing its stages.
pub(crate) fn require_stage_of(
    matrix: &Matrix,
    deployment: &Deployment,
    stage: &str,
) -> Result<(), CommandError> {
    require(matrix, NameKind::Stage, stage)?;
    if deployment.release_of(stage).is_some() {
        return Ok(());
    }
    let stages: Vec<String> = deployment
        .stages
        .iter()
        .map(|p| format!("`{}`", p.stage))
        .collect();
    Err(CommandError::usage(format!(
        "deployment `{}` has no stage `{stage}`",
        deployment.name
    ))
    .with_hint(format!("its stages are {}", stages.join(", "))))
}

/// The clap value parsers of name arguments: a malformed name is a usage error (exit 2) with
/// the model's rule, before the matrix is read.
pub(crate) mod parse {
    use edx_matrix_model::names::InvalidName;
    use edx_matrix_model::names::{ApplicationName, DeploymentName, ReleaseName, StageName};

    /// A deployment name.
    pub(crate) fn deployment(value: &str) -> Result<DeploymentName, InvalidName> {
        DeploymentName::parse(value)
    }

    /// A stage name.
    pub(crate) fn stage(value: &str) -> Result<StageName, InvalidName> {
        StageName::parse(value)
    }

    /// A release name.
    pub(crate) fn release(value: &str) -> Result<ReleaseName, InvalidName> {
        ReleaseName::parse(value)
    }

    /// An application name.
    pub(crate) fn application(value: &str) -> Result<ApplicationName, InvalidName> {
        ApplicationName::parse(value)
    }
}
