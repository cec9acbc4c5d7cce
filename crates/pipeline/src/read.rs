//! Reads the `[pipelines]` section from the matrix file's TOML text, reporting every problem
//! with its span, in the same diagnostics as the rest of the file.
//!
//! Like `edx-matrix-formats`'s loader, this walks `toml_edit`'s spanned document by hand so one
//! run reports every problem (unknown keys with a suggestion, wrong types, undefined names).

mod duration;
mod limits;
mod meta;
mod name_clashes;
mod resources;
mod stages;
mod tasks;
mod values;

use crate::identifier;
use crate::settings::Settings;
pub(crate) use duration::is_duration;
use edx_matrix_formats::Diagnostic;
use edx_matrix_formats::{TomlReader, key_span};
use edx_matrix_model::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use std::ops::Range;

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
    limits::KEYS[0],
    limits::KEYS[1],
    limits::KEYS[2],
];
const DEPLOY_KEYS: &[&str] = &["task"];

/// Reads the settings from the matrix text; `matrix` is what the rest of the file defines
/// (names are checked against it). A file that is not valid TOML gives the defaults and no
/// diagnostics: the matrix loader reports the syntax error.
pub fn read(text: &str, matrix: &Matrix) -> (Settings, Vec<Diagnostic>) {
    match edx_matrix_formats::parse_document(text) {
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
    settings.template_limits = r.template_limits(table, &at);
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

/// The `[pipelines]` walk: the shared TOML helpers plus the matrix names are checked against.
struct Reader<'m> {
    toml: TomlReader,
    matrix: &'m Matrix,
}

impl Reader<'_> {
    fn identifier(&mut self, name: &str, span: Span, what: &str) {
        self.check_name(identifier::problem(name), name, span, what);
    }

    /// [`Reader::identifier`] for a pipeline's name: `self` is refused too.
    fn pipeline_identifier(&mut self, name: &str, span: Span, what: &str) {
        self.check_name(identifier::pipeline_problem(name), name, span, what);
    }

    fn check_name(&mut self, problem: Option<String>, name: &str, span: Span, what: &str) {
        if let Some(why) = problem {
            self.toml.push(
                Code::PipelineInvalid,
                span,
                format!("{what} `{name}` is not a valid Concourse identifier: {why}"),
                "invalid identifier",
            );
        }
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
}
