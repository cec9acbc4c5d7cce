//! Looking up the deployment, release, stage or application a command names, with a
//! did-you-mean when it is not defined.

use crate::edit::EditError;
use edx_matrix_model::Matrix;

/// Checks that `name` is a defined deployment.
pub fn deployment<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Deployment, EditError> {
    matrix.deployment(name).ok_or_else(|| {
        EditError::unknown(
            "deployment",
            name,
            matrix.deployments.iter().map(|d| d.name.as_str()),
        )
    })
}

/// Checks that `name` is a defined release.
pub fn release<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Release, EditError> {
    matrix.release(name).ok_or_else(|| {
        EditError::unknown(
            "release",
            name,
            matrix.releases.iter().map(|r| r.name.as_str()),
        )
    })
}

/// Checks that `name` is in the stage order.
pub fn stage(matrix: &Matrix, name: &str) -> Result<(), EditError> {
    if matrix.stages.iter().any(|s| s == name) {
        Ok(())
    } else {
        Err(EditError::unknown(
            "stage",
            name,
            matrix.stages.iter().map(|s| s.as_str()),
        ))
    }
}

/// Checks that `name` is an application of the catalogue.
pub fn application<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Application, EditError> {
    matrix.application(name).ok_or_else(|| {
        EditError::unknown(
            "application",
            name,
            matrix.applications.iter().map(|a| a.name.as_str()),
        )
    })
}
