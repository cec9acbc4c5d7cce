//! Reads the `[pipelines]` section from the matrix file's TOML text, reporting every problem
//! with its span, in the same diagnostics as the rest of the file.
//!
//! Like `edx-matrix-config`'s loader, this walks `toml_edit`'s spanned document by hand so one
//! run reports every problem (unknown keys with a suggestion, wrong types, undefined names).

use crate::identifier;
use crate::settings::{
    ArtifactSpec, BuildSettings, FamilySetting, Gate, MetaSettings, NamedResource, RESERVED_PARAMS,
    Settings, StageSettings, TaskSource, TaskSpec,
};
use crate::template;
use edx_matrix_config::spanned::{TomlReader, item_span, key_span};
use edx_matrix_config::{Diagnostic, Location};
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::ops::Range;
use toml_edit::{Item, TableLike};

type Span = Range<usize>;

const SECTION_KEYS: &[&str] = &[
    "team",
    "check_every",
    "families",
    "resource_types",
    "resources",
    "build",
    "deploy",
    "stages",
    "meta",
    "templates",
];
const RESOURCE_KEYS: &[&str] = &["type", "source", "icon"];
const BUILD_KEYS: &[&str] = &["task", "artifact"];
const DEPLOY_KEYS: &[&str] = &["task"];
const STAGE_KEYS: &[&str] = &["gate", "task"];
const TASK_KEYS: &[&str] = &[
    "resource",
    "file",
    "image",
    "tag",
    "run",
    "params",
    "privileged",
    "output",
];
const ARTIFACT_KEYS: &[&str] = &["type", "source", "params", "get_params", "icon"];
const GATE_KEYS: &[&str] = &["approval"];
const META_KEYS: &[&str] = &["name", "uri", "branch", "file", "paths", "image", "tag"];

/// Reads the settings from the matrix text; `matrix` is what the rest of the file defines
/// (names are checked against it). A file that is not valid TOML gives the defaults and no
/// diagnostics: the matrix loader reports the syntax error.
pub fn read(text: &str, matrix: &Matrix) -> (Settings, Vec<Diagnostic>) {
    edx_matrix_config::count_parse();
    match toml_edit::Document::parse(text) {
        Ok(doc) => read_root(doc.as_table(), text, matrix),
        Err(_) => (Settings::default(), Vec::new()),
    }
}

/// Reads the settings from the parsed root table of `text` (see [`read`]).
pub fn read_root(
    root: &toml_edit::Table,
    text: &str,
    matrix: &Matrix,
) -> (Settings, Vec<Diagnostic>) {
    let mut settings = Settings::default();
    let Some(item) = root.get("pipelines") else {
        return (settings, Vec::new());
    };
    let mut r = Reader {
        toml: TomlReader::new(text),
        matrix,
    };
    let section_span = key_span(root, "pipelines", &r.toml.fallback());
    settings.declared = true;
    let Some(table) = r.toml.table(item, "`pipelines`", &section_span) else {
        return (settings, r.toml.into_diagnostics());
    };
    r.toml
        .unknown_keys(table, SECTION_KEYS, "`pipelines`", &section_span);
    let at = section_span;
    if let Some(item) = table.get("team") {
        if let Some((team, span)) = r.toml.string(item, "`pipelines.team`", &at) {
            r.identifier(&team, span, "the team name");
            settings.team = team;
        }
    }
    if let Some(item) = table.get("check_every") {
        if let Some((every, span)) = r.toml.string(item, "`pipelines.check_every`", &at) {
            if !is_duration(&every) {
                r.toml.push(
                    Code::PipelineInvalid,
                    span,
                    format!("`check_every` must be a duration such as `1m` or `1h30m`, or `never`, found `{every}`"),
                    "not a duration",
                );
            }
            settings.check_every = Some(every);
        }
    }
    if let Some(item) = table.get("templates") {
        if let Some(patterns) = r.toml.string_array(item, "`pipelines.templates`", &at) {
            for (pattern, span) in patterns {
                match crate::script::check_pattern(&pattern) {
                    Ok(()) => settings
                        .templates
                        .push(crate::settings::TemplatePattern { pattern, span }),
                    Err(why) => {
                        r.toml.push(
                            Code::PipelineTemplate,
                            span,
                            format!("template pattern `{pattern}`: {why}"),
                            "not a template pattern",
                        );
                    }
                }
            }
        }
    }
    if let Some(item) = table.get("resource_types") {
        settings.resource_types = r.resources(item, "resource_types", &at);
    }
    if let Some(item) = table.get("resources") {
        settings.resources = r.resources(item, "resources", &at);
    }
    if let Some(item) = table.get("families") {
        settings.families = r.families(item, &at);
    }
    if let Some(item) = table.get("build") {
        r.build(item, &at, &settings.resources.clone(), &mut settings);
    }
    if let Some(item) = table.get("deploy") {
        let what = "`pipelines.deploy`";
        if let Some(deploy) = r.toml.table(item, what, &at) {
            r.toml.unknown_keys(deploy, DEPLOY_KEYS, what, &at);
            if let Some(task) = deploy.get("task") {
                if let Some(task) =
                    r.task(task, "`pipelines.deploy.task`", &at, &settings.resources)
                {
                    settings.deploy = task;
                }
            }
        }
    }
    if let Some(item) = table.get("stages") {
        settings.stages = r.stages(item, &at, &settings.resources);
    }
    if let Some(item) = table.get("meta") {
        settings.meta = r.meta(item, &at);
    }
    r.name_clashes(&settings, table, &at);
    (settings, r.toml.into_diagnostics())
}

/// Returns whether `text` is a Go duration (`30s`, `1h30m`, `1.5h`) or `never`.
pub fn is_duration(text: &str) -> bool {
    if text == "never" {
        return true;
    }
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number.starts_with('.') || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// The `[pipelines]` walk: the shared TOML helpers plus the matrix names are checked against.
struct Reader<'m> {
    toml: TomlReader,
    matrix: &'m Matrix,
}

impl Reader<'_> {
    fn identifier(&mut self, name: &str, span: Span, what: &str) {
        if let Some(why) = identifier::problem(name) {
            self.toml.push(
                Code::PipelineInvalid,
                span,
                format!("{what} `{name}` is not a valid Concourse identifier: {why}"),
                "invalid identifier",
            );
        }
    }

    /// Converts a TOML value to JSON, checking that every string in it is a valid template
    /// when `templates` is set.
    fn json(&mut self, item: &Item, what: &str, at: &Span, templates: bool) -> Value {
        match item {
            Item::None => Value::Null,
            Item::Value(value) => self.json_value(value, what, at, templates),
            Item::Table(table) => {
                let mut map = Map::new();
                for (k, v) in table.iter() {
                    let span = key_span(table, k, at);
                    map.insert(k.to_owned(), self.json(v, what, &span, templates));
                }
                Value::Object(map)
            }
            Item::ArrayOfTables(array) => Value::Array(
                array
                    .iter()
                    .map(|t| self.json(&Item::Table(t.clone()), what, at, templates))
                    .collect(),
            ),
        }
    }

    fn json_value(
        &mut self,
        value: &toml_edit::Value,
        what: &str,
        at: &Span,
        templates: bool,
    ) -> Value {
        use toml_edit::Value as V;
        let span = value.span().unwrap_or_else(|| at.clone());
        match value {
            V::String(s) => {
                let text = s.value();
                if templates {
                    self.template(text, &span, what);
                }
                Value::String(text.clone())
            }
            V::Integer(i) => Value::from(*i.value()),
            V::Float(f) => {
                serde_json::Number::from_f64(*f.value()).map_or(Value::Null, Value::Number)
            }
            V::Boolean(b) => Value::Bool(*b.value()),
            V::Datetime(d) => Value::String(d.value().to_string()),
            V::Array(a) => Value::Array(
                a.iter()
                    .map(|v| self.json_value(v, what, &span, templates))
                    .collect(),
            ),
            V::InlineTable(t) => {
                let mut map = Map::new();
                for (k, v) in t.iter() {
                    map.insert(k.to_owned(), self.json_value(v, what, &span, templates));
                }
                Value::Object(map)
            }
        }
    }

    fn template(&mut self, text: &str, span: &Span, what: &str) -> bool {
        match template::check(text) {
            Ok(()) => true,
            Err(e) => {
                // Point at the brace when the value is a plain one-line string.
                let inner = if span.len() == text.len() + 2 {
                    span.start + 1 + e.offset
                } else {
                    span.start
                };
                self.toml.push(
                    Code::InvalidTemplate,
                    inner..inner + 1,
                    format!("invalid template in {what}: {}", e.message),
                    "here",
                );
                false
            }
        }
    }

    fn object(
        &mut self,
        item: &Item,
        what: &str,
        at: &Span,
        templates: bool,
    ) -> Map<String, Value> {
        if item.as_table_like().is_none() {
            self.toml
                .wrong_type(item_span(item, at), "a table", item.type_name(), what);
            return Map::new();
        }
        match self.json(item, what, at, templates) {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn resources(&mut self, item: &Item, key: &str, at: &Span) -> Vec<NamedResource> {
        let what = format!("`pipelines.{key}`");
        let Some(table) = self.toml.table(item, &what, at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, item) in table.iter() {
            let span = key_span(table, name, at);
            let what = format!("`pipelines.{key}.{name}`");
            self.identifier(
                name,
                span.clone(),
                &format!("{} name", &key[..key.len() - 1]),
            );
            let Some(fields) = self.toml.table(item, &what, &span) else {
                continue;
            };
            let allowed = if key == "resources" {
                RESOURCE_KEYS
            } else {
                &RESOURCE_KEYS[..2]
            };
            self.toml.unknown_keys(fields, allowed, &what, &span);
            let kind = match fields.get("type") {
                Some(v) => self
                    .toml
                    .string(v, &format!("`type` of {what}"), &span)
                    .map(|s| s.0),
                None => {
                    self.toml.missing(span.clone(), "type", &what);
                    None
                }
            };
            let source = match fields.get("source") {
                Some(v) => self.object(v, &format!("`source` of {what}"), &span, false),
                None => {
                    self.toml.missing(span.clone(), "source", &what);
                    Map::new()
                }
            };
            let icon = fields
                .get("icon")
                .and_then(|v| self.toml.string(v, &format!("`icon` of {what}"), &span))
                .map(|s| s.0);
            out.push(NamedResource {
                name: name.to_owned(),
                kind: kind.unwrap_or_default(),
                source,
                icon,
            });
        }
        out
    }

    fn families(&mut self, item: &Item, at: &Span) -> Vec<FamilySetting> {
        let what = "`pipelines.families`";
        let Some(table) = self.toml.table(item, what, at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut member_of: HashMap<String, (String, Span)> = HashMap::new();
        for (name, item) in table.iter() {
            let span = key_span(table, name, at);
            self.identifier(name, span.clone(), "the family name");
            let what = format!("family `{name}`");
            let Some(apps) =
                self.toml
                    .string_array(item, &format!("the applications of {what}"), &span)
            else {
                continue;
            };
            if apps.is_empty() {
                self.toml.push(
                    Code::PipelineInvalid,
                    item_span(item, &span),
                    format!("{what} has no applications"),
                    "empty",
                );
            }
            let mut applications = Vec::new();
            for (app, app_span) in apps {
                if self.matrix.application(&app).is_none() {
                    self.undefined(&app, app_span.clone(), "application", &what);
                } else if let Some((other, first)) = member_of.get(&app).cloned() {
                    let d = self.toml.push(
                        Code::PipelineDuplicate,
                        app_span.clone(),
                        format!("application `{app}` is in family `{other}` and in {what}"),
                        "second time here",
                    );
                    d.secondary.push(edx_matrix_config::diagnostic::Secondary {
                        location: Location::Span(first),
                        label: "first here".to_owned(),
                    });
                    continue;
                }
                member_of.insert(app.clone(), (name.to_owned(), app_span));
                applications.push(app);
            }
            out.push(FamilySetting {
                name: name.to_owned(),
                applications,
            });
        }
        out
    }

    fn undefined(&mut self, name: &str, span: Span, kind: &str, what: &str) {
        let candidates: Vec<&str> = match kind {
            "application" => self
                .matrix
                .applications
                .iter()
                .map(|a| a.name.as_str())
                .collect(),
            "stage" => self.matrix.stages.iter().map(|s| s.as_str()).collect(),
            _ => Vec::new(),
        };
        let suggestion = did_you_mean(name, candidates.iter().copied()).map(str::to_owned);
        let d = self.toml.push(
            Code::PipelineUndefined,
            span,
            format!("{what} names {kind} `{name}`, which is not defined"),
            &format!("undefined {kind}"),
        );
        if let Some(s) = suggestion {
            d.help.push(format!("did you mean `{s}`?"));
        }
    }

    fn build(
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

    fn task(
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

    fn artifact(&mut self, item: &Item, what: &str, at: &Span) -> Option<ArtifactSpec> {
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

    fn stages(
        &mut self,
        item: &Item,
        at: &Span,
        resources: &[NamedResource],
    ) -> IndexMap<String, StageSettings> {
        let mut out = IndexMap::new();
        let Some(table) = self.toml.table(item, "`pipelines.stages`", at) else {
            return out;
        };
        for (stage, item) in table.iter() {
            let span = key_span(table, stage, at);
            let what = format!("`pipelines.stages.{stage}`");
            if !self.matrix.stages.iter().any(|s| s == stage) {
                self.undefined(stage, span.clone(), "stage", "`pipelines.stages`");
            }
            let Some(fields) = self.toml.table(item, &what, &span) else {
                continue;
            };
            self.toml.unknown_keys(fields, STAGE_KEYS, &what, &span);
            let mut settings = StageSettings::default();
            if let Some(gate) = fields.get("gate") {
                settings.gate = self.gate(gate, &format!("`gate` of {what}"), &span, resources);
            }
            if let Some(task) = fields.get("task") {
                settings.task = self.task(task, &format!("`task` of {what}"), &span, resources);
            }
            out.insert(stage.to_owned(), settings);
        }
        out
    }

    fn gate(
        &mut self,
        item: &Item,
        what: &str,
        at: &Span,
        resources: &[NamedResource],
    ) -> Option<Gate> {
        let span = item_span(item, at);
        if let Some(text) = item.as_str() {
            return match text {
                "automatic" => Some(Gate::Automatic),
                "manual" => Some(Gate::Manual),
                other => {
                    let d = self.toml.push(
                        Code::PipelineInvalid,
                        span,
                        format!("unknown gate `{other}` in {what}"),
                        "expected `automatic`, `manual` or `{ approval = \"RESOURCE\" }`",
                    );
                    if let Some(s) = did_you_mean(other, ["automatic", "manual"]) {
                        d.help.push(format!("did you mean `{s}`?"));
                    }
                    None
                }
            };
        }
        let Some(fields) = item.as_table_like() else {
            self.toml
                .wrong_type(span, "a string or a table", item.type_name(), what);
            return None;
        };
        self.toml.unknown_keys(fields, GATE_KEYS, what, &span);
        let Some(value) = fields.get("approval") else {
            self.toml.missing(span, "approval", what);
            return None;
        };
        let (name, nspan) = self
            .toml
            .string(value, &format!("`approval` of {what}"), &span)?;
        if !resources.iter().any(|r| r.name == name) {
            let d = self.toml.push(
                Code::PipelineUndefined,
                nspan,
                format!("{what} names resource `{name}`, which is not in `pipelines.resources`"),
                "undefined resource",
            );
            if let Some(s) = did_you_mean(&name, resources.iter().map(|r| r.name.as_str())) {
                d.help.push(format!("did you mean `{s}`?"));
            }
            return None;
        }
        Some(Gate::Approval(name))
    }

    fn meta(&mut self, item: &Item, at: &Span) -> MetaSettings {
        let mut meta = MetaSettings::default();
        let what = "`pipelines.meta`";
        let Some(fields) = self.toml.table(item, what, at) else {
            return meta;
        };
        let span = item_span(item, at);
        let span = if span.is_empty() { at.clone() } else { span };
        self.toml.unknown_keys(fields, META_KEYS, what, &span);
        let get = |key: &str, r: &mut Self| {
            fields
                .get(key)
                .and_then(|v| r.toml.string(v, &format!("`{key}` of {what}"), &span))
        };
        if let Some((name, nspan)) = get("name", self) {
            self.identifier(&name, nspan, "the meta pipeline name");
            meta.name = name;
        }
        if let Some((uri, uspan)) = get("uri", self) {
            if !identifier::has_var(&uri) {
                if let Some(why) = edx_matrix_model::url::repository_url_problem(&uri) {
                    self.toml.push(
                        Code::PipelineInvalid,
                        uspan,
                        format!("`uri` of {what} is not a repository URL: {why}"),
                        "invalid repository",
                    );
                }
            }
            meta.uri = uri;
        }
        if let Some((branch, bspan)) = get("branch", self) {
            if let Some(why) = edx_matrix_model::refname::branch_name_problem(&branch) {
                self.toml.push(
                    Code::PipelineInvalid,
                    bspan,
                    format!("`branch` of {what} is not a valid branch name: {why}"),
                    "invalid branch",
                );
            }
            meta.branch = branch;
        }
        if let Some((file, fspan)) = get("file", self) {
            if let Some(why) = relative_path_problem(&file) {
                self.toml.push(
                    Code::PipelineInvalid,
                    fspan,
                    format!("`file` of {what} must be a relative path in the repository: {why}"),
                    "invalid path",
                );
            }
            meta.file = file;
        }
        if let Some(item) = fields.get("paths") {
            if let Some(paths) = self
                .toml
                .string_array(item, &format!("`paths` of {what}"), &span)
            {
                meta.paths = paths.into_iter().map(|(p, _)| p).collect();
            }
        }
        if let Some((image, _)) = get("image", self) {
            meta.image = image;
        }
        if let Some((tag, tspan)) = get("tag", self) {
            if tag.is_empty() || tag == "latest" {
                self.toml.push(
                    Code::PipelineInvalid,
                    tspan,
                    format!("`tag` of {what} must pin a version of the edx-matrix image"),
                    "not a pinned version",
                );
            }
            meta.tag = tag;
        }
        meta
    }

    /// Reports a family or the meta pipeline named like another pipeline.
    fn name_clashes(&mut self, settings: &Settings, table: &dyn TableLike, at: &Span) {
        let grouped: Vec<&str> = settings
            .families
            .iter()
            .flat_map(|f| f.applications.iter().map(String::as_str))
            .collect();
        let mut names: Vec<String> = settings.families.iter().map(|f| f.name.clone()).collect();
        for app in &self.matrix.applications {
            if !grouped.contains(&app.name.as_str()) {
                names.push(identifier::part(app.name.as_str()));
            }
        }
        let families_span = table.get("families").and_then(|i| i.as_table_like());
        for family in &settings.families {
            if self.matrix.applications.iter().any(|a| {
                !grouped.contains(&a.name.as_str())
                    && identifier::part(a.name.as_str()) == family.name
            }) {
                let span = families_span.map_or(at.clone(), |t| key_span(t, &family.name, at));
                self.toml.push(
                    Code::PipelineDuplicate,
                    span,
                    format!(
                        "family `{}` has the name of application `{}`, which has its own pipeline",
                        family.name, family.name
                    ),
                    "pipeline name used twice",
                )
                .help
                .push(format!(
                    "add `{}` to the family, or rename the family",
                    family.name
                ));
            }
        }
        if names.contains(&settings.meta.name) {
            let span = table
                .get("meta")
                .and_then(|m| m.as_table_like())
                .and_then(|m| m.key("name").and_then(|k| k.span()))
                .unwrap_or_else(|| at.clone());
            self.toml.push(
                Code::PipelineDuplicate,
                span,
                format!(
                    "the meta pipeline is called `{}`, like a component pipeline",
                    settings.meta.name
                ),
                "pipeline name used twice",
            );
        }
    }
}

/// Returns why `path` is not a plain relative path (it is handed to Concourse and `edx-matrix`
/// as one argument, never through a shell, but must stay inside its artifact).
fn relative_path_problem(path: &str) -> Option<&'static str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["1m", "30s", "1h30m", "1.5h", "never", "500ms"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "1", "m", "1 m", "1d", ".5s", "-1m"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path_problem("tasks/build.yml"), None);
        assert!(relative_path_problem("../x").is_some());
        assert!(relative_path_problem("/etc/passwd").is_some());
        assert!(relative_path_problem("a//b").is_some());
    }
}
