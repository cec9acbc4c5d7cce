//! The interchange JSON form (`model.json`): the matrix as plain lists, one release-map entry per
//! (release, deployment), `null` for "not overridden". Documented in `docs/interchange.md`.
//!
//! Reading walks `serde_json::Value` by hand so every problem is reported with its JSON path;
//! unknown keys are ignored with a warning.

mod json_path;
mod reader;
mod rows_json;
mod rows_pretty;
mod stage_order;
mod write;

use crate::diagnostic::{Diagnostic, Location, Secondary};
use edx_matrix_model::{
    AppKind, AppVersion, Application, Code, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
    check, names::StageName,
};
pub(crate) use json_path::json_path;
use reader::Reader;
pub use rows_json::{RowsError, RowsJson, write_stream};
use serde_json::Value;
use stage_order::merge_stage_orders;
pub use write::{row_json, to_json};

/// Parses interchange JSON into a matrix with every diagnostic (format and model, located by
/// JSON path).
pub fn read(text: &str) -> (Matrix, Vec<Diagnostic>) {
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let d = Diagnostic::new(
                Code::JsonSyntax,
                Location::Span(offset..(offset + 1).min(text.len()).max(offset)),
                format!("invalid JSON: {e}"),
                "here",
            );
            return (Matrix::default(), vec![d]);
        }
    };
    let mut r = Reader {
        diagnostics: Vec::new(),
    };
    let mut matrix = Matrix::default();
    let mut kind_claims: Vec<(usize, usize, String)> = Vec::new();
    let Some(top) = r.object(
        &root,
        "$",
        &["releases", "applications", "deployments", "release_map"],
    ) else {
        return (matrix, r.diagnostics);
    };
    for (i, item) in r.array(top, "releases", "$").iter().enumerate() {
        let path = format!("$.releases[{i}]");
        if let Some(o) = r.object(
            item,
            &path,
            &["name", "branch", "python_version", "node_version"],
        ) {
            let name = r.string(o, "name", &path);
            matrix.releases.push(Release {
                rolling: Release::is_rolling_name(&name),
                name: name.into(),
                branch: r.string(o, "branch", &path).into(),
                python: r
                    .optional_string(o, "python_version", &path)
                    .map(Into::into),
                node: r.optional_string(o, "node_version", &path).map(Into::into),
            });
        }
    }
    for (i, item) in r.array(top, "applications", "$").iter().enumerate() {
        let path = format!("$.applications[{i}]");
        if let Some(o) = r.object(item, &path, &["name", "kind", "repository", "path"]) {
            let name = r.string(o, "name", &path);
            let kind_text = r.string(o, "kind", &path);
            let kind = AppKind::parse(&kind_text).unwrap_or_else(|| {
                r.at(
                    Code::WrongType,
                    &format!("{path}.kind"),
                    format!("invalid kind `{kind_text}`"),
                    "expected `IDA` or `MFE`",
                );
                AppKind::Ida
            });
            let repository = r
                .optional_string(o, "repository", &path)
                .filter(|s| !s.is_empty());
            matrix.applications.push(Application {
                name: name.into(),
                kind,
                repository: repository.map(Into::into),
                path: r.optional_string(o, "path", &path).map(Into::into),
            });
        }
    }
    let mut orders: Vec<Vec<String>> = Vec::new();
    for (i, item) in r.array(top, "deployments", "$").iter().enumerate() {
        let path = format!("$.deployments[{i}]");
        if let Some(o) = r.object(item, &path, &["name", "stages", "vars"]) {
            let name = r.string(o, "name", &path);
            let mut stages = Vec::new();
            for (j, stage) in r.array(o, "stages", &path).iter().enumerate() {
                let spath = format!("{path}.stages[{j}]");
                if let Some(so) = r.object(stage, &spath, &["stage", "release", "vars"]) {
                    stages.push(StagePin {
                        stage: r.string(so, "stage", &spath).into(),
                        release: r.string(so, "release", &spath).into(),
                        vars: r.vars(so, &spath),
                    });
                }
            }
            orders.push(stages.iter().map(|s| s.stage.as_str().to_owned()).collect());
            matrix.deployments.push(Deployment {
                name: name.into(),
                stages,
                vars: r.vars(o, &path),
            });
        }
    }
    // An explicit `stages` list (written only when the deployments alone would not give it,
    // e.g. a stage no deployment has yet) takes precedence, and must agree with them.
    let explicit = r.optional_string_list(top, "stages", "$", "a stage");
    let mut all_orders = orders.clone();
    if let Some(explicit) = &explicit {
        all_orders.insert(0, explicit.clone());
    }
    match merge_stage_orders(&all_orders) {
        Ok(stages) => matrix.stages = stages.into_iter().map(StageName::from).collect(),
        Err(cycle) => r.at(
            Code::StageOrderConflict,
            if explicit.is_some() {
                "$.stages"
            } else {
                "$.deployments"
            },
            format!("deployments list stages {cycle} in contradicting orders"),
            "no single promotion order fits every deployment",
        ),
    }
    for (i, item) in r.array(top, "release_map", "$").iter().enumerate() {
        let path = format!("$.release_map[{i}]");
        if let Some(o) = r.object(item, &path, &["release", "deployment", "apps"]) {
            let release = r.string(o, "release", &path);
            let deployment = r.string(o, "deployment", &path);
            let mut apps = Vec::new();
            for (j, app) in r.array(o, "apps", &path).iter().enumerate() {
                let apath = format!("{path}.apps[{j}]");
                let allowed = [
                    "application",
                    "application_type",
                    "release",
                    "branch_override",
                    "origin_override",
                    "runtime_version_override",
                    "translation_overrides",
                    "extra",
                ];
                let Some(ao) = r.object(app, &apath, &allowed) else {
                    continue;
                };
                if let Some(claimed) = r.optional_string(ao, "application_type", &apath) {
                    kind_claims.push((i, apps.len(), claimed));
                }
                let translations = r.optional_string_list(
                    ao,
                    "translation_overrides",
                    &apath,
                    "a translation command",
                );
                let own_release = r
                    .optional_string(ao, "release", &apath)
                    .unwrap_or_else(|| release.clone());
                apps.push(AppVersion {
                    application: r.string(ao, "application", &apath).into(),
                    release: own_release.into(),
                    branch: r
                        .optional_string(ao, "branch_override", &apath)
                        .map(Into::into),
                    origin: r
                        .optional_string(ao, "origin_override", &apath)
                        .map(Into::into),
                    runtime: r
                        .optional_string(ao, "runtime_version_override", &apath)
                        .map(Into::into),
                    translations,
                    extra: match ao.get("extra") {
                        None => Default::default(),
                        Some(value) => {
                            match crate::extra_load::from_json(value, &format!("{apath}.extra")) {
                                Ok(extra) => extra,
                                Err(problems) => {
                                    for (path, message) in problems {
                                        r.at(Code::WrongType, &path, message, "no place for it");
                                    }
                                    Default::default()
                                }
                            }
                        }
                    },
                });
            }
            matrix.release_map.push(ReleaseMapEntry {
                release: release.into(),
                deployment: deployment.into(),
                apps,
            });
        }
    }
    for (e, a, claimed) in kind_claims {
        let version = &matrix.release_map[e].apps[a];
        if let Some(app) = matrix.application(version.application.as_str()) {
            if AppKind::parse(&claimed) != Some(app.kind) {
                r.at(
                    Code::KindMismatch,
                    &format!("$.release_map[{e}].apps[{a}].application_type"),
                    format!(
                        "`application_type` is `{claimed}` but the catalogue says `{}` is an {}",
                        app.name, app.kind
                    ),
                    "disagrees with the catalogue",
                );
            }
        }
    }
    let format_errors = r.diagnostics.iter().any(Diagnostic::is_error);
    if !format_errors {
        for problem in check(&matrix) {
            let mut d = Diagnostic::new(
                problem.code,
                Location::JsonPath(json_path(problem.at)),
                problem.message,
                problem.label,
            );
            d.help = problem.help;
            d.secondary = problem
                .related
                .into_iter()
                .map(|rel| Secondary {
                    location: Location::JsonPath(json_path(rel.at)),
                    label: rel.label,
                })
                .collect();
            r.diagnostics.push(d);
        }
    }
    (matrix, r.diagnostics)
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}
