//! The interchange JSON form (`model.json`): the matrix as plain lists, one release-map entry per
//! (release, deployment), `null` for "not overridden". Documented in `docs/interchange.md`.
//!
//! Reading walks `serde_json::Value` by hand so every problem is reported with its JSON path;
//! unknown keys are ignored with a warning.

use crate::diagnostic::{Diagnostic, Location, Secondary};
use edx_matrix_model::check::{AppField, EntryField, ReleaseField};
use edx_matrix_model::{
    AppKind, AppVersion, Application, Code, Deployment, Matrix, Release, ReleaseMapEntry,
    StageName, StagePin, Subject, check,
};
use serde_json::{Map, Value, json};

struct Reader {
    diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn at(&mut self, code: Code, path: &str, message: String, label: &str) {
        self.diagnostics.push(Diagnostic::new(
            code,
            Location::JsonPath(path.to_owned()),
            message,
            label,
        ));
    }

    fn object<'a>(
        &mut self,
        value: &'a Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let Some(object) = value.as_object() else {
            self.at(
                Code::WrongType,
                path,
                format!("`{path}` must be an object, found {}", kind(value)),
                "expected an object",
            );
            return None;
        };
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                self.at(
                    Code::IgnoredKey,
                    &format!("{path}.{key}"),
                    format!("unknown key `{key}` ignored"),
                    "not part of the interchange form",
                );
            }
        }
        Some(object)
    }

    fn array<'a>(&mut self, object: &'a Map<String, Value>, key: &str, path: &str) -> &'a [Value] {
        match object.get(key) {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be an array, found {}", kind(other)),
                    "expected an array",
                );
                &[]
            }
            None => {
                self.at(
                    Code::MissingKey,
                    path,
                    format!("missing key `{key}`"),
                    "required",
                );
                &[]
            }
        }
    }

    fn string(&mut self, object: &Map<String, Value>, key: &str, path: &str) -> String {
        match object.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be a string, found {}", kind(other)),
                    "expected a string",
                );
                String::new()
            }
            None => {
                self.at(
                    Code::MissingKey,
                    path,
                    format!("missing key `{key}`"),
                    "required",
                );
                String::new()
            }
        }
    }

    fn optional_string(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be a string or null, found {}", kind(other)),
                    "expected a string or null",
                );
                None
            }
        }
    }
}

impl Reader {
    /// Reads an optional `vars` object at `object["vars"]`: strings, numbers, booleans.
    fn vars(&mut self, object: &Map<String, Value>, path: &str) -> edx_matrix_model::Vars {
        use edx_matrix_model::{VarValue, vars::FloatText};
        let mut out = edx_matrix_model::Vars::default();
        let vpath = format!("{path}.vars");
        let Some(value) = object.get("vars") else {
            return out;
        };
        let Some(map) = value.as_object() else {
            self.at(
                Code::WrongType,
                &vpath,
                format!("`vars` must be an object, found {}", kind(value)),
                "expected an object",
            );
            return out;
        };
        for (name, v) in map {
            let parsed = match v {
                Value::String(s) if !s.contains("((") => Some(VarValue::String(s.clone())),
                Value::Bool(b) => Some(VarValue::Boolean(*b)),
                Value::Number(n) => Some(match n.as_i64() {
                    Some(i) => VarValue::Integer(i),
                    None => VarValue::Float(FloatText(n.to_string())),
                }),
                _ => None,
            };
            match parsed {
                Some(p) if crate::vars_load::is_var_name(name) => out.0.push((name.clone(), p)),
                _ => self.at(
                    Code::InvalidVars,
                    &format!("{vpath}.{name}"),
                    format!("var `{name}`: a var name is a letter or `_`, then letters, digits, `_`; its value a string (without `((`), number or boolean"),
                    "invalid var",
                ),
            }
        }
        out
    }

    /// Reads an optional array of strings at `object[key]` (`null` or absent: `None`),
    /// reporting every item that is not a string.
    fn optional_string_list(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &str,
        what: &str,
    ) -> Option<Vec<String>> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| match v.as_str() {
                        Some(s) => Some(s.to_owned()),
                        None => {
                            self.at(
                                Code::WrongType,
                                &format!("{path}.{key}[{i}]"),
                                format!("{what} must be a string, found {}", kind(v)),
                                "expected a string",
                            );
                            None
                        }
                    })
                    .collect(),
            ),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be an array or null, found {}", kind(other)),
                    "expected an array",
                );
                None
            }
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

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

/// Merges per-deployment stage sequences into one promotion order (first-seen order among
/// stages not constrained by any deployment); `Err` names the stages in a contradiction.
fn merge_stage_orders(orders: &[Vec<String>]) -> Result<Vec<String>, String> {
    let mut nodes: Vec<String> = Vec::new();
    for order in orders {
        for stage in order {
            if !nodes.contains(stage) {
                nodes.push(stage.clone());
            }
        }
    }
    let index = |s: &str| nodes.iter().position(|n| n == s).unwrap_or(0);
    let mut preds = vec![std::collections::BTreeSet::new(); nodes.len()];
    for order in orders {
        for pair in order.windows(2) {
            if pair[0] != pair[1] {
                preds[index(&pair[1])].insert(index(&pair[0]));
            }
        }
    }
    let mut placed = vec![false; nodes.len()];
    let mut out = Vec::with_capacity(nodes.len());
    while out.len() < nodes.len() {
        let next = (0..nodes.len()).find(|&n| !placed[n] && preds[n].iter().all(|&p| placed[p]));
        match next {
            Some(n) => {
                placed[n] = true;
                out.push(nodes[n].clone());
            }
            None => {
                let stuck: Vec<String> = (0..nodes.len())
                    .filter(|&n| !placed[n])
                    .map(|n| format!("`{}`", nodes[n]))
                    .collect();
                return Err(stuck.join(", "));
            }
        }
    }
    Ok(out)
}

/// Returns the JSON path of a model subject in the interchange form.
pub fn json_path(subject: Subject) -> String {
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
            };
            format!("$.release_map[{entry}].apps[{app}].{key}")
        }
    }
}

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

fn body(matrix: &Matrix) -> Value {
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
            "apps": e.apps.iter().map(|v| json!({
                "application": v.application,
                "release": v.release,
                "branch_override": v.branch,
                "origin_override": v.origin,
                "runtime_version_override": v.runtime,
                "translation_overrides": v.translations,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::merge_stage_orders;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn merges_orders() {
        let merged =
            merge_stage_orders(&[v(&["CI", "Production"]), v(&["CI", "QA", "Production"])]);
        assert_eq!(merged, Ok(v(&["CI", "QA", "Production"])));
    }

    #[test]
    fn reports_contradictions() {
        assert!(merge_stage_orders(&[v(&["CI", "QA"]), v(&["QA", "CI"])]).is_err());
    }
}
