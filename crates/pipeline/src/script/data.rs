//! The matrix as data for templates: plain JSON (dicts, lists, strings) built from the model,
//! so a template sees exactly what `resolve --format json` shows.
//!
//! The reference of every field is in `docs/pipelines.md`, "The data templates receive".

use crate::generate::Generated;
use crate::identifier::name as part;
use edx_matrix_model::Lock;
use edx_matrix_model::{Filter, Matrix, resolve};
use serde_json::{Map, Value, json};

/// Returns the matrix as the `matrix` argument of a template's `pipelines` function; each row
/// `lock` locks carries its `commit` (as `resolve --format json` shows it).
pub(crate) fn matrix_data(matrix: &Matrix, lock: &Lock) -> Value {
    let releases: Vec<Value> = matrix
        .releases
        .iter()
        .map(|r| {
            json!({
                "name": r.name.as_str(),
                "id": part(r.name.as_str()),
                "branch": r.branch.as_str(),
                "python": r.python.as_ref().map(|v| v.as_str()),
                "node": r.node.as_ref().map(|v| v.as_str()),
                "rolling": r.rolling,
            })
        })
        .collect();
    let applications: Vec<Value> = matrix
        .applications
        .iter()
        .map(|a| {
            json!({
                "name": a.name.as_str(),
                "id": part(a.name.as_str()),
                "kind": a.kind.as_str(),
                "repository": a.repository.as_ref().map(|r| r.as_str()),
                "path": a.path.as_ref().map(|p| p.as_str()),
            })
        })
        .collect();
    let deployments: Vec<Value> = matrix
        .deployments
        .iter()
        .map(|d| {
            let stages: Vec<Value> = d
                .stages
                .iter()
                .map(|pin| {
                    json!({
                        "stage": pin.stage.as_str(),
                        "release": pin.release.as_str(),
                        "vars": vars_value(&pin.vars),
                    })
                })
                .collect();
            json!({
                "name": d.name.as_str(),
                "id": part(d.name.as_str()),
                "vars": vars_value(&d.vars),
                "stages": stages,
            })
        })
        .collect();
    let mut rows = resolve(matrix, &Filter::default()).rows;
    lock.apply(&mut rows);
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.insert(
                    "vars".to_owned(),
                    stage_vars(matrix, row.deployment, row.stage),
                );
            }
            value
        })
        .collect();
    // deployment -> stage -> merged vars, for `stage_vars` of the library.
    let merged: Map<String, Value> = matrix
        .deployments
        .iter()
        .map(|d| {
            let stages: Map<String, Value> = d
                .stages
                .iter()
                .map(|p| {
                    (
                        p.stage.to_string(),
                        stage_vars(matrix, d.name.as_str(), p.stage.as_str()),
                    )
                })
                .collect();
            (d.name.to_string(), Value::Object(stages))
        })
        .collect();
    json!({
        "stage_vars": merged,
        "stages": matrix.stages.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "releases": releases,
        "applications": applications,
        "deployments": deployments,
        "rows": rows,
    })
}

fn vars_value(vars: &edx_matrix_model::vars::Vars) -> Value {
    Value::Object(
        vars.iter()
            .map(|(k, v)| (k.clone(), json_of(v)))
            .collect::<Map<String, Value>>(),
    )
}

/// Returns the vars of `stage` of `deployment`: the deployment's, overridden by the stage's.
pub(crate) fn stage_vars(matrix: &Matrix, deployment: &str, stage: &str) -> Value {
    let mut out = Map::new();
    if let Some(d) = matrix.deployment(deployment) {
        for (k, v) in d.vars.iter() {
            out.insert(k.clone(), json_of(v));
        }
        if let Some(pin) = d.stages.iter().find(|p| p.stage == stage) {
            for (k, v) in pin.vars.iter() {
                out.insert(k.clone(), json_of(v));
            }
        }
    }
    Value::Object(out)
}

/// Returns the standard pipelines as the `standard` argument: a list of dicts with `name`,
/// `team`, `family`, `applications`, `releases` and `config` (the pipeline as Concourse reads it).
pub(crate) fn standard_data(generated: &[Generated]) -> Value {
    Value::Array(
        generated
            .iter()
            .map(|g| {
                json!({
                    "name": g.info.name,
                    "team": g.info.team,
                    "family": g.info.family,
                    "applications": g.info.applications,
                    "releases": g.info.releases,
                    "config": g.pipeline.to_value(),
                })
            })
            .collect(),
    )
}

fn json_of(value: &edx_matrix_model::vars::VarValue) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
