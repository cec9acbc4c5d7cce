//! A small builder of matrices for the domain's own tests: the matrix is written as data here,
//! independently of any file format, so each rule is tested where it lives.

use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
    vars::Vars,
};

/// A matrix under construction.
#[derive(Default)]
pub(crate) struct Build(pub Matrix);

impl Build {
    /// Starts a matrix with the stage order `stages`.
    pub(crate) fn stages(stages: &[&str]) -> Self {
        Build(Matrix {
            stages: stages.iter().map(|s| (*s).into()).collect(),
            ..Matrix::default()
        })
    }

    /// Adds a named release with its branch, Python and Node.
    pub(crate) fn release(mut self, name: &str, branch: &str, python: &str, node: &str) -> Self {
        self.0.releases.push(Release {
            name: name.into(),
            branch: branch.into(),
            python: Some(python.into()),
            node: Some(node.into()),
            rolling: Release::is_rolling_name(name),
        });
        self
    }

    /// Adds an IDA with a default repository.
    pub(crate) fn ida(mut self, name: &str, repository: &str) -> Self {
        self.0.applications.push(Application {
            name: name.into(),
            kind: AppKind::Ida,
            repository: Some(repository.into()),
            path: None,
        });
        self
    }

    /// Adds an MFE with a default repository and a path.
    pub(crate) fn mfe(mut self, name: &str, repository: &str, path: &str) -> Self {
        self.0.applications.push(Application {
            name: name.into(),
            kind: AppKind::Mfe,
            repository: Some(repository.into()),
            path: Some(path.into()),
        });
        self
    }

    /// Adds an application as given.
    pub(crate) fn application(mut self, app: Application) -> Self {
        self.0.applications.push(app);
        self
    }

    /// Adds a deployment pinning each `(stage, release)`.
    pub(crate) fn deployment(mut self, name: &str, pins: &[(&str, &str)]) -> Self {
        self.0.deployments.push(Deployment {
            name: name.into(),
            stages: pins
                .iter()
                .map(|(stage, release)| StagePin {
                    stage: (*stage).into(),
                    release: (*release).into(),
                    vars: Vars::default(),
                })
                .collect(),
            vars: Vars::default(),
        });
        self
    }

    /// Adds a release-map entry for (`release`, `deployment`) with these versions.
    pub(crate) fn entry(mut self, release: &str, deployment: &str, apps: Vec<AppVersion>) -> Self {
        self.0.release_map.push(ReleaseMapEntry {
            release: release.into(),
            deployment: deployment.into(),
            apps,
        });
        self
    }

    /// Adds an entry including each of `apps` with no overrides.
    pub(crate) fn plain_entry(self, release: &str, deployment: &str, apps: &[&str]) -> Self {
        let versions = apps
            .iter()
            .map(|app| AppVersion::plain(*app, release))
            .collect();
        self.entry(release, deployment, versions)
    }

    /// Returns the matrix.
    pub(crate) fn done(self) -> Matrix {
        self.0
    }
}

/// A valid two-release, one-deployment matrix: `campus` tests verawood in CI while QA and
/// Production run ulmo.
pub(crate) fn campus() -> Build {
    Build::stages(&["CI", "QA", "Production"])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .release("verawood", "release/verawood", "3.12", "24")
        .ida(
            "edx-platform",
            "https://github.com/openedx/openedx-platform",
        )
        .mfe(
            "learning",
            "https://github.com/openedx/frontend-app-learning",
            "learn",
        )
        .deployment(
            "campus",
            &[("CI", "verawood"), ("QA", "ulmo"), ("Production", "ulmo")],
        )
        .plain_entry("ulmo", "campus", &["edx-platform", "learning"])
        .plain_entry("verawood", "campus", &["edx-platform", "learning"])
}
