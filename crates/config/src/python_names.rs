//! The Python spellings of an estate that keeps (or kept) its matrix as a Python package.
//!
//! `import python` records, in a small `[python]` table, the names its package uses where they
//! differ from the ones edx-matrix derives (enum member `edxapp` for application `edx-platform`,
//! a deployment enum class called `OpenLearningOpenEdxDeployment`), so that `export python`
//! writes a package its existing consumers import unchanged. Nobody else needs to touch it.
//!
//! ```toml
//! [python.classes]
//! deployment = "OpenLearningOpenEdxDeployment"
//!
//! [python.members.applications]
//! edx-platform = "edxapp"
//! learning = "learn"
//! ```

use indexmap::IndexMap;

/// Python names that differ from the derived ones; empty when the derived names are right.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PythonNames {
    /// Class (or module-level variable) name per role, where it differs from the default:
    /// `release` (`OpenEdxSupportedRelease`), `application` (`OpenEdxApplication`), `mfe`
    /// (`OpenEdxMicroFrontend`), `deployment` (`OpenLearningOpenEdxDeployment`), `env_release`
    /// (`EnvRelease`), `deployment_env_release` (`DeploymentEnvRelease`), `application_version`
    /// (`OpenEdxApplicationVersion`), `release_map` (`ReleaseMap`).
    pub classes: IndexMap<String, String>,
    /// Enum member name per application (IDA or MFE), keyed by application name.
    pub applications: IndexMap<String, String>,
    /// Enum member name per release, keyed by release name.
    pub releases: IndexMap<String, String>,
    /// Enum member name per deployment, keyed by deployment name.
    pub deployments: IndexMap<String, String>,
}

impl PythonNames {
    /// Returns whether nothing is recorded (every name is the derived one).
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
            && self.applications.is_empty()
            && self.releases.is_empty()
            && self.deployments.is_empty()
    }
}
