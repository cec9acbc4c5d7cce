//! The JSON path of a [`Subject`], to place a model problem in an interchange file.

use edx_matrix_model::Subject;
use edx_matrix_model::{AppField, EntryField, ReleaseField};

/// Returns the JSON path of a model subject in the interchange form.
pub(crate) fn json_path(subject: Subject) -> String {
    match subject {
        Subject::Matrix => "$".to_owned(),
        Subject::StageOrder { .. } => "$.deployments".to_owned(),
        Subject::Release { index, field } => {
            let key = match field {
                None => "name",
                Some(ReleaseField::Branch) => "branch",
                Some(ReleaseField::Python) => "python_version",
                Some(ReleaseField::Node) => "node_version",
            };
            format!("$.releases[{index}].{key}")
        }
        Subject::Application { index, field } => {
            let key = match field {
                None => "name",
                Some(AppField::Kind) => "kind",
                Some(AppField::Repository) => "repository",
                Some(AppField::Path) => "path",
            };
            format!("$.applications[{index}].{key}")
        }
        Subject::Deployment { index } => format!("$.deployments[{index}].name"),
        Subject::Stage {
            deployment,
            index,
            release,
        } => {
            format!(
                "$.deployments[{deployment}].stages[{index}].{}",
                if release { "release" } else { "stage" }
            )
        }
        Subject::Entry { index } => format!("$.release_map[{index}]"),
        Subject::EntryApp { entry, app, field } => {
            let key = match field {
                None => "application".to_owned(),
                Some(EntryField::Release) => "release".to_owned(),
                Some(EntryField::Branch) => "branch_override".to_owned(),
                Some(EntryField::Origin) => "origin_override".to_owned(),
                Some(EntryField::Runtime) => "runtime_version_override".to_owned(),
                Some(EntryField::Translation(i)) => format!("translation_overrides[{i}]"),
                // The object: the path has no matrix to name the key by; the message names it.
                Some(EntryField::Extra(_)) => "extra".to_owned(),
            };
            format!("$.release_map[{entry}].apps[{app}].{key}")
        }
    }
}
