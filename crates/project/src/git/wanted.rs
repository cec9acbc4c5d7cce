//! The refs a matrix wants: every (origin, branch) some stage builds, with the places in the
//! file that make it build it, for `edx-matrix verify-refs`.

use crate::Project;
use crate::git::WantedRef;
use edx_matrix_model::{Code, Index, Subject};
use edx_matrix_model::{EntryField, ReleaseField};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One place in the matrix that makes a stage build `branch` from `origin`.
#[derive(Serialize, Debug, Clone)]
pub struct Reference {
    /// The release-map entry's release.
    pub release: String,
    /// The release-map entry's deployment.
    pub deployment: String,
    /// The application.
    pub application: String,
    /// The stages of the deployment that run this release.
    pub stages: Vec<String>,
    /// The matrix file.
    pub file: String,
    /// The line of the application in its `[[map]]` block (its `branch` when it sets one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Where the branch comes from: `None` when the entry names it, else the release whose
    /// default branch it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_of_release: Option<String>,
    /// The line of that release's `branch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_line: Option<usize>,
}

impl Reference {
    /// Describes the place for people: `file:line  `app` for release …`.
    pub fn describe(&self) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let mut text = format!(
            "{place}  `{}` for release `{}`, deployment `{}` (stage{} {})",
            self.application,
            self.release,
            self.deployment,
            if self.stages.len() == 1 { "" } else { "s" },
            self.stages.join(", ")
        );
        if let Some(release) = &self.branch_of_release {
            let _ = write!(text, "; the branch of release `{release}`");
            if let Some(line) = self.release_line {
                let _ = write!(text, " ({}:{line})", self.file);
            }
        }
        text
    }
}

/// Returns every (origin, branch) built by some stage, with the entries that name it.
///
/// The lines come from the project's source map: the file is not read again.
pub fn wanted_refs(project: &Project) -> BTreeMap<WantedRef, Vec<Reference>> {
    let matrix = project.matrix();
    let index = Index::new(matrix);
    let line_of = |subject: Subject| {
        let (span, _) = project
            .source_map
            .as_ref()?
            .locate(matrix, subject, Code::InvalidBranch);
        Some(project.source().line_col(span?.start).0)
    };

    let mut stages: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for deployment in &matrix.deployments {
        for pin in &deployment.stages {
            stages
                .entry((pin.release.as_str(), deployment.name.as_str()))
                .or_default()
                .push(pin.stage.to_string());
        }
    }

    let mut wanted: BTreeMap<WantedRef, Vec<Reference>> = BTreeMap::new();
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let Some(stages) = stages.get(&(entry.release.as_str(), entry.deployment.as_str())) else {
            continue;
        };
        for (a, version) in entry.apps.iter().enumerate() {
            let Some(app) = index.resolve_version(version) else {
                continue;
            };
            let line = line_of(Subject::EntryApp {
                entry: e,
                app: a,
                field: Some(EntryField::Branch),
            });
            let (branch_of_release, release_line) = if version.branch.is_some() {
                (None, None)
            } else {
                let position = matrix
                    .releases
                    .iter()
                    .position(|r| r.name == app.own_release);
                let line = position.and_then(|index| {
                    line_of(Subject::Release {
                        index,
                        field: Some(ReleaseField::Branch),
                    })
                });
                (Some(app.own_release.to_owned()), line)
            };
            wanted
                .entry(WantedRef::new(app.git_origin, app.release_branch))
                .or_default()
                .push(Reference {
                    release: entry.release.to_string(),
                    deployment: entry.deployment.to_string(),
                    application: app.application.to_owned(),
                    stages: stages.clone(),
                    file: project.source().name.clone(),
                    line,
                    branch_of_release,
                    release_line,
                });
        }
    }
    wanted
}
