//! Checks of names given on the command line against the matrix.

use crate::error::CommandError;
use edx_matrix_model::suggest::UnknownName;

/// Returns the unknown-name error unless `value` is one of `names` (worded as every unknown
/// name is, with suggestions); `what` names the kind of thing (`release`, `stage`).
pub fn require<'a>(
    what: &str,
    value: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<(), CommandError> {
    if names.clone().any(|n| n == value) {
        return Ok(());
    }
    Err(CommandError::unknown(&UnknownName::new(what, value, names)))
}

/// The clap value parsers of name arguments: a malformed name is a usage error (exit 2) with
/// the model's rule, before the matrix is read.
pub mod parse {
    use edx_matrix_model::names::InvalidName;
    use edx_matrix_model::{ApplicationName, DeploymentName, ReleaseName, StageName};

    /// A deployment name.
    pub fn deployment(value: &str) -> Result<DeploymentName, InvalidName> {
        DeploymentName::parse(value)
    }

    /// A stage name.
    pub fn stage(value: &str) -> Result<StageName, InvalidName> {
        StageName::parse(value)
    }

    /// A release name.
    pub fn release(value: &str) -> Result<ReleaseName, InvalidName> {
        ReleaseName::parse(value)
    }

    /// An application name.
    pub fn application(value: &str) -> Result<ApplicationName, InvalidName> {
        ApplicationName::parse(value)
    }
}
