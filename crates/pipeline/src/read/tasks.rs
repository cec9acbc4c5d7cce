//! `[pipelines.build]` and the tasks (`task` tables) and artifacts it and `deploy` are made of,
//! with the relative-path rule their files follow.

use super::{Reader, Span};
use crate::settings::{
    ArtifactSpec, BuildSettings, NamedResource, RESERVED_PARAMS, Settings, TaskSource, TaskSpec,
};
use crate::template;
use edx_matrix_formats::{item_span, key_span};
use edx_matrix_model::Code;
use edx_matrix_model::did_you_mean;
use indexmap::IndexMap;
use serde_json::Map;
use toml_edit::Item;

pub(super) const BUILD_KEYS: &[&str] = &["task", "artifact"];

pub(super) const TASK_KEYS: &[&str] = &[
    "resource",
    "file",
    "image",
    "tag",
    "run",
    "params",
    "privileged",
    "output",
];
pub(super) const ARTIFACT_KEYS: &[&str] = &["type", "source", "params", "get_params", "icon"];

/// Returns why `path` is not a plain relative path (it is handed to Concourse and `edx-matrix`
/// as one argument, never through a shell, but must stay inside its artifact).
pub(super) fn relative_path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        Some("it is empty")
    } else if path.starts_with('/') {
        Some("it is absolute")
    } else if path.split('/').any(|part| part == ".." || part.is_empty()) {
        Some("it has an empty or `..` component")
    } else if path.starts_with('-') {
        Some("it starts with `-`")
    } else if path.chars().any(char::is_control) {
        Some("it has a control character")
    } else {
        None
    }
}

impl Reader<'_> {
    pub(super) fn build(
        &mut self,
        item: &Item,
        at: &Span,
        resources: &[NamedResource],
        settings: &mut Settings,
    ) {
        let what = "`pipelines.build`";
        let Some(table) = self.toml.table(item, what, at) else {
            return;
        };
        for (key, item) in table.iter() {
            let span = key_span(table, key, at);
            let what = format!("`pipelines.build.{key}`");
            let is_kind = matches!(key, "ida" | "mfe");
            if !is_kind && self.matrix.application(key).is_none() {
                let mut candidates: Vec<&str> = vec!["ida", "mfe"];
                candidates.extend(self.matrix.applications.iter().map(|a| a.name.as_str()));
                let suggestion = did_you_mean(key, candidates.iter().copied()).map(str::to_owned);
                let d = self.toml.push(
                    Code::PipelineUndefined,
                    span.clone(),
                    format!("{what}: `{key}` is neither `ida`, `mfe` nor an application"),
                    "undefined application",
                );
                if let Some(s) = suggestion {
                    d.help.push(format!("did you mean `{s}`?"));
                }
                continue;
            }
            let Some(fields) = self.toml.table(item, &what, &span) else {
                continue;
            };
            self.toml.unknown_keys(fields, BUILD_KEYS, &what, &span);
            let mut build = BuildSettings::default();
            if let Some(task) = fields.get("task") {
                build.task = self.task(task, &format!("`task` of {what}"), &span, resources);
            }
            if let Some(artifact) = fields.get("artifact") {
                build.artifact = self.artifact(artifact, &format!("`artifact` of {what}"), &span);
            }
            match key {
                "ida" => settings.build_ida = build,
                "mfe" => settings.build_mfe = build,
                app => {
                    settings.build_apps.insert(app.to_owned(), build);
                }
            }
        }
    }

    pub(super) fn task(
        &mut self,
        item: &Item,
        what: &str,
        at: &Span,
        resources: &[NamedResource],
    ) -> Option<TaskSpec> {
        let span = item_span(item, at);
        let fields = self.toml.table(item, what, at)?;
        self.toml.unknown_keys(fields, TASK_KEYS, what, &span);
        let get = |r: &mut Self, key: &str| {
            fields
                .get(key)
                .and_then(|v| r.toml.string(v, &format!("`{key}` of {what}"), &span))
        };
        let resource = get(self, "resource");
        let file = get(self, "file");
        let image = get(self, "image");
        let tag = get(self, "tag");
        let output = get(self, "output");
        let run = fields.get("run").and_then(|v| {
            self.toml
                .string_array(v, &format!("`run` of {what}"), &span)
        });
        let mut ok = true;
        let source = match (resource, file, image, run) {
            (Some((resource, rspan)), Some((file, fspan)), None, None) => {
                if !resources.iter().any(|r| r.name == resource) {
                    let d = self.toml.push(
                        Code::PipelineUndefined,
                        rspan,
                        format!("{what} names resource `{resource}`, which is not in `pipelines.resources`"),
                        "undefined resource",
                    );
                    if let Some(s) =
                        did_you_mean(&resource, resources.iter().map(|r| r.name.as_str()))
                    {
                        d.help.push(format!("did you mean `{s}`?"));
                    }
                    ok = false;
                }
                if let Some(why) = relative_path_problem(&file) {
                    self.toml.push(
                        Code::PipelineInvalid,
                        fspan,
                        format!(
                            "`file` of {what} must be a relative path inside the resource: {why}"
                        ),
                        "invalid path",
                    );
                    ok = false;
                }
                TaskSource::File { resource, file }
            }
            (None, None, Some((image, ispan)), Some(run)) => {
                if image.trim().is_empty() {
                    self.toml.push(
                        Code::PipelineInvalid,
                        ispan,
                        format!("`image` of {what} is empty"),
                        "empty",
                    );
                    ok = false;
                }
                if run.is_empty() {
                    self.toml.push(
                        Code::PipelineInvalid,
                        span.clone(),
                        format!("`run` of {what} is empty"),
                        "the program to run is missing",
                    );
                    ok = false;
                }
                for (arg, aspan) in &run {
                    if let Some(p) = template::mentions_placeholder(arg) {
                        let d = self.toml.push(
                            Code::PipelineInvalid,
                            aspan.clone(),
                            format!("placeholders are not expanded in `run` of {what}: `{{{p}}}`"),
                            "no matrix value is ever put into a command line",
                        );
                        d.help.push(format!(
                            "read the value from the task's environment instead (`${}`)",
                            p.to_ascii_uppercase()
                        ));
                        ok = false;
                    }
                }
                let tag = match tag {
                    Some((tag, tspan)) => {
                        ok &= self.template(&tag, &tspan, &format!("`tag` of {what}"));
                        Some(tag)
                    }
                    None => None,
                };
                TaskSource::Inline {
                    image,
                    tag,
                    run: run.into_iter().map(|(s, _)| s).collect(),
                }
            }
            (resource, file, image, run) => {
                let has = |b: bool, k: &str| b.then(|| format!("`{k}`"));
                let given: Vec<String> = [
                    has(resource.is_some(), "resource"),
                    has(file.is_some(), "file"),
                    has(image.is_some(), "image"),
                    has(run.is_some(), "run"),
                ]
                .into_iter()
                .flatten()
                .collect();
                let d = self.toml.push(
                    Code::PipelineInvalid,
                    span.clone(),
                    format!(
                        "{what} must have either `resource` and `file` (a task file) or `image` and `run` (an inline task){}",
                        if given.is_empty() {
                            String::new()
                        } else {
                            format!(", found {}", given.join(", "))
                        }
                    ),
                    "incomplete task",
                );
                d.help.push("e.g. `{ resource = \"ci\", file = \"tasks/build.yml\" }` or `{ image = \"node\", tag = \"{runtime}\", run = [\"npm\", \"run\", \"build\"] }`".to_owned());
                return None;
            }
        };
        let mut params = IndexMap::new();
        if let Some(item) = fields.get("params") {
            let pwhat = format!("`params` of {what}");
            if let Some(table) = self.toml.table(item, &pwhat, &span) {
                for (name, value) in table.iter() {
                    let kspan = key_span(table, name, &span);
                    if RESERVED_PARAMS.contains(&name) {
                        self.toml.push(
                            Code::PipelineInvalid,
                            kspan.clone(),
                            format!("{pwhat} sets `{name}`, which edx-matrix sets from the matrix"),
                            "reserved param",
                        );
                        ok = false;
                    }
                    if let Some((text, vspan)) =
                        self.toml
                            .string(value, &format!("param `{name}` of {what}"), &kspan)
                    {
                        ok &= self.template(&text, &vspan, &format!("param `{name}` of {what}"));
                        params.insert(name.to_owned(), text);
                    }
                }
            }
        }
        let privileged = fields
            .get("privileged")
            .and_then(|v| {
                self.toml
                    .boolean(v, &format!("`privileged` of {what}"), &span)
            })
            .unwrap_or(false);
        let output = match output {
            Some((name, ospan)) => {
                self.identifier(&name, ospan, "the output name");
                name
            }
            None => "artifact".to_owned(),
        };
        ok.then_some(TaskSpec {
            source,
            params,
            privileged,
            output,
        })
    }

    pub(super) fn artifact(&mut self, item: &Item, what: &str, at: &Span) -> Option<ArtifactSpec> {
        let span = item_span(item, at);
        let fields = self.toml.table(item, what, at)?;
        self.toml.unknown_keys(fields, ARTIFACT_KEYS, what, &span);
        let kind = match fields.get("type") {
            Some(v) => self
                .toml
                .string(v, &format!("`type` of {what}"), &span)
                .map(|s| s.0),
            None => {
                self.toml.missing(span.clone(), "type", what);
                None
            }
        };
        let map = |key: &str, r: &mut Self| match fields.get(key) {
            Some(v) => r.object(v, &format!("`{key}` of {what}"), &span, true),
            None => Map::new(),
        };
        let source = map("source", self);
        let params = map("params", self);
        let get_params = map("get_params", self);
        if fields.get("source").is_none() {
            self.toml.missing(span.clone(), "source", what);
        }
        let icon = fields
            .get("icon")
            .and_then(|v| self.toml.string(v, &format!("`icon` of {what}"), &span))
            .map(|s| s.0);
        Some(ArtifactSpec {
            kind: kind?,
            source,
            params,
            get_params,
            icon,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path_problem("tasks/build.yml"), None);
        assert!(relative_path_problem("../x").is_some());
        assert!(relative_path_problem("/etc/passwd").is_some());
        assert!(relative_path_problem("a//b").is_some());
    }
}
