//! The one application of one (release, deployment) an entry edit changes: a [`Target`].

use crate::{EditError, document};
use edx_matrix_model::Matrix;

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
    pub fn new(deployment: &str, release: &str, application: &str) -> Self {
        Target {
            deployment: deployment.to_owned(),
            release: release.to_owned(),
            application: application.to_owned(),
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
