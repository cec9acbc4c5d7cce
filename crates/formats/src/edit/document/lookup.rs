//! Looking up the deployment, release, stage or application a command names: the model's one
//! unknown-name check (`edx_matrix_model::known_names`), so an edit's unknown name is the
//! same error as every other command's.

use crate::edit::EditError;
use edx_matrix_model::Matrix;
use edx_matrix_model::known_names::{NameKind, require};

/// Returns the error for a name [`require`] accepted but the matrix's lookup did not find
/// (cannot happen: both read the same lists).
fn lost(kind: NameKind, name: &str) -> EditError {
    EditError::Internal(format!(
        "{} `{name}` not found after its check",
        kind.what()
    ))
}

/// Checks that `name` is a defined deployment.
pub(crate) fn deployment<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Deployment, EditError> {
    require(matrix, NameKind::Deployment, name).map_err(EditError::Unknown)?;
    (matrix.deployment(name)).ok_or_else(|| lost(NameKind::Deployment, name))
}

/// Checks that `name` is a defined release.
pub(crate) fn release<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Release, EditError> {
    require(matrix, NameKind::Release, name).map_err(EditError::Unknown)?;
    (matrix.release(name)).ok_or_else(|| lost(NameKind::Release, name))
}

/// Checks that `name` is in the stage order.
pub(crate) fn stage(matrix: &Matrix, name: &str) -> Result<(), EditError> {
    require(matrix, NameKind::Stage, name).map_err(EditError::Unknown)
}

/// Checks that `name` is an application of the catalogue.
pub(crate) fn application<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Application, EditError> {
    require(matrix, NameKind::Application, name).map_err(EditError::Unknown)?;
    (matrix.application(name)).ok_or_else(|| lost(NameKind::Application, name))
}
