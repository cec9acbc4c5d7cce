//! The one application of one (release, deployment) an entry edit changes: a [`Target`].

use crate::edit::{EditError, document};
use edx_matrix_model::{
    AppVersion, Matrix, ReleaseMapEntry,
    names::{ApplicationName, DeploymentName, ReleaseName},
};

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

    /// Returns the target's application version in `matrix`, when the release map has it.
    pub(super) fn version<'m>(&self, matrix: &'m Matrix) -> Option<&'m AppVersion> {
        matrix
            .entry(&self.release, &self.deployment)?
            .apps
            .iter()
            .find(|a| a.application == self.application.as_str())
    }

    /// Returns the release-map entry of the target's (release, deployment) in `matrix`.
    pub(super) fn entry_mut<'m>(&self, matrix: &'m mut Matrix) -> Option<&'m mut ReleaseMapEntry> {
        matrix.release_map.iter_mut().find(|e| {
            e.release == self.release.as_str() && e.deployment == self.deployment.as_str()
        })
    }

    /// Returns the target's application version in `matrix`, to change it.
    pub(super) fn version_mut<'m>(&self, matrix: &'m mut Matrix) -> Option<&'m mut AppVersion> {
        self.entry_mut(matrix)?
            .apps
            .iter_mut()
            .find(|a| a.application == self.application.as_str())
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "`{}` of `{}` on `{}`",
            self.application, self.deployment, self.release
        )
    }
}
