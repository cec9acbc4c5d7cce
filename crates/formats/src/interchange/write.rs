//! Writing a matrix in the interchange form.

use super::stage_order::merge_stage_orders;
use edx_matrix_model::Matrix;
use serde_json::{Value, json};

/// Returns `matrix` in the interchange form.
///
/// The form has no stage list of its own: the promotion order is read from the deployments.
/// When that would not reproduce the matrix's order (a stage no deployment has yet), a
/// top-level `stages` list is added so nothing is lost.
pub fn to_json(matrix: &Matrix) -> Value {
    let mut value = body(matrix);
    let orders: Vec<Vec<String>> = matrix
        .deployments
        .iter()
        .map(|d| {
            d.stages
                .iter()
                .map(|s| s.stage.as_str().to_owned())
                .collect()
        })
        .collect();
    let derived = merge_stage_orders(&orders).unwrap_or_default();
    let stages: Vec<String> = matrix
        .stages
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    if derived != stages {
        if let Some(object) = value.as_object_mut() {
            object.insert("stages".to_owned(), json!(stages));
        }
    }
    value
}

pub(super) fn body(matrix: &Matrix) -> Value {
    json!({
        "releases": matrix.releases.iter().map(|r| json!({
            "name": r.name,
            "branch": r.branch,
            "python_version": r.python,
            "node_version": r.node,
        })).collect::<Vec<_>>(),
        "applications": matrix.applications.iter().map(|a| {
            let mut o = json!({
                "name": a.name,
                "kind": a.kind,
                "repository": a.repository.as_ref().map_or("", |r| r.as_str()),
            });
            if let Some(path) = &a.path {
                o["path"] = json!(path);
            }
            o
        }).collect::<Vec<_>>(),
        "deployments": matrix.deployments.iter().map(|d| {
            let mut o = json!({
                "name": d.name,
                "stages": d.stages.iter().map(|s| {
                    let mut pin = json!({"stage": s.stage, "release": s.release});
                    if !s.vars.is_empty() {
                        pin["vars"] = json!(s.vars);
                    }
                    pin
                }).collect::<Vec<_>>(),
            });
            if !d.vars.is_empty() {
                o["vars"] = json!(d.vars);
            }
            o
        }).collect::<Vec<_>>(),
        "release_map": matrix.release_map.iter().map(|e| json!({
            "release": e.release,
            "deployment": e.deployment,
            "apps": e.apps.iter().map(|v| {
                let mut o = json!({
                    "application": v.application,
                    "release": v.release,
                    "branch_override": v.branch,
                    "origin_override": v.origin,
                    "runtime_version_override": v.runtime,
                    "translation_overrides": v.translations,
                });
                if !v.extra.is_empty() {
                    o["extra"] = json!(v.extra);
                }
                o
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Returns a resolved row as `resolve --format json` and the API write it: the row's fields,
/// plus the merged `vars` of its stage when it has any.
pub fn row_json(matrix: &Matrix, row: &edx_matrix_model::Row<'_>) -> Value {
    let mut value = serde_json::to_value(row).unwrap_or_default();
    let vars = edx_matrix_model::vars::of_stage(matrix, row.deployment, row.stage);
    if !vars.is_empty() {
        value["vars"] = serde_json::to_value(&vars).unwrap_or_default();
    }
    value
}
