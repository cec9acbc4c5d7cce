//! The one application of one (release, deployment) an entry edit changes: a [`Target`].

use crate::{EditError, document};
use edx_matrix_model::{ApplicationName, DeploymentName, Matrix, ReleaseName};

/// One application of one (release, deployment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The deployment.
    pub deployment: String,
    /// The release.
    pub release: String,
    /// The application.
    pub application: String,
}

impl Target {
    /// Returns the target (`deployment`, `release`, `application`).
    pub fn new(
        deployment: &DeploymentName,
        release: &ReleaseName,
        application: &ApplicationName,
    ) -> Self {
        Target {
            deployment: deployment.to_string(),
            release: release.to_string(),
            application: application.to_string(),
        }
    }

    pub(super) fn check(&self, matrix: &Matrix) -> Result<(), EditError> {
        document::deployment(matrix, &self.deployment)?;
        document::release(matrix, &self.release)?;
        document::application(matrix, &self.application)?;
        Ok(())
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "`{}` of `{}` on `{}`",
            self.application, self.deployment, self.release
        )
    }
}
