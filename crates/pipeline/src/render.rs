//! Every pipeline a matrix defines, as Concourse reads it: the standard pipelines, or what the
//! templates make of them, then the meta pipeline; each one checked against the Concourse
//! schema and the validator, template problems located in the template files.

use crate::generate::{PipelineInfo, generate_all};
use crate::script::{self, TemplateFiles, TemplateOutput, data};
use crate::settings::Settings;
use crate::{lints, validate};
use edx_matrix_model::{Code, Matrix, Severity};
use serde_json::Value;

mod pieces;

/// A pipeline ready to be written: what `list` says about it and its configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// Its summary.
    pub info: PipelineInfo,
    /// Its configuration, as Concourse reads it.
    pub config: Value,
}

impl From<crate::Generated> for Rendered {
    fn from(g: crate::Generated) -> Self {
        Rendered {
            info: g.info,
            config: g.pipeline.to_value(),
        }
    }
}

impl Rendered {
    /// Returns the configuration as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.config).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Returns the configuration as YAML.
    pub fn to_yaml(&self) -> Result<String, crate::concourse::RenderError> {
        crate::yaml::value_to_string(&self.config)
    }
}

/// A problem of a template or of a pipeline it made, located in a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateDiagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the matrix file's directory.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl TemplateDiagnostic {
    fn new(code: Code, file: &str, at: (usize, usize), message: String) -> Self {
        TemplateDiagnostic {
            code,
            severity: code.default_severity(),
            file: file.to_owned(),
            line: at.0,
            column: at.1,
            message,
        }
    }

    /// Returns whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The pipelines of a matrix and the problems of its templates.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The pipelines, the meta pipeline last (none when a template failed).
    pub pipelines: Vec<Rendered>,
    /// Template problems: errors (nothing may be written) and warnings.
    pub diagnostics: Vec<TemplateDiagnostic>,
}

impl Outcome {
    /// Returns whether some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(TemplateDiagnostic::is_error)
    }
}

/// Returns the problems of `config`: the schema's, then the validator's, as `path: message`.
pub(crate) fn problems(config: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in crate::schema::check(config) {
        out.push(format!("schema: {}: {}", p.path, p.message));
    }
    for p in validate::validate(config) {
        out.push(format!("{}: {}", p.path, p.message));
    }
    out
}

fn position_of_def(files: &TemplateFiles, entry: &str) -> (usize, usize) {
    files
        .files
        .get(entry)
        .and_then(|text| text.lines().position(|l| l.starts_with("def pipelines")))
        .map_or((1, 1), |i| (i + 1, 1))
}

fn jobs_of(config: &Value) -> usize {
    config
        .get("jobs")
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

fn groups_of(config: &Value) -> Vec<String> {
    config
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| g.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Renders every pipeline of `matrix`: the standard ones when `settings` declares no templates,
/// else exactly what the templates return; then the meta pipeline setting them all.
pub fn render_all(matrix: &Matrix, settings: &Settings, templates: &TemplateFiles) -> Outcome {
    render_all_locked(
        matrix,
        settings,
        templates,
        &edx_matrix_model::Lock::default(),
    )
}

/// [`render_all`], the templates' rows carrying the commits `lock` locks (`row["commit"]`).
pub fn render_all_locked(
    matrix: &Matrix,
    settings: &Settings,
    templates: &TemplateFiles,
    lock: &edx_matrix_model::Lock,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut pipelines: Vec<Rendered> = Vec::new();
    if settings.templates.is_empty() {
        // The standard pipelines, then meta: `all`.
        outcome.pipelines = crate::all(matrix, settings)
            .into_iter()
            .map(Rendered::from)
            .collect();
        return outcome;
    } else {
        let standard = generate_all(matrix, settings);
        let matrix_data = data::matrix_data(matrix, lock);
        let standard_data = data::standard_data(&standard);
        // The typed pipelines are no longer needed: their JSON (in `standard_data`) is what a
        // returned pipeline is compared with.
        let standard: Vec<(PipelineInfo, &Value)> = standard
            .into_iter()
            .zip(standard_data.as_array().into_iter().flatten())
            .map(|(g, data)| (g.info, &data["config"]))
            .collect();
        let values = lints::matrix_values(matrix);
        for entry in &templates.entries {
            let outputs = match script::run_template(
                templates,
                entry,
                &matrix_data,
                &standard_data,
                &settings.template_limits,
            ) {
                Ok(outputs) => outputs,
                Err(e) => {
                    outcome.diagnostics.push(TemplateDiagnostic::new(
                        Code::PipelineTemplate,
                        &e.file,
                        (e.line, e.column),
                        format!("{} error: {}", e.kind, e.message),
                    ));
                    continue;
                }
            };
            let at = position_of_def(templates, entry);
            for TemplateOutput { name, team, config } in outputs {
                let team = team.unwrap_or_else(|| settings.team.clone());
                if name == settings.meta.name {
                    outcome.diagnostics.push(TemplateDiagnostic::new(
                        Code::PipelineTemplate,
                        entry,
                        at,
                        format!("pipeline `{name}` has the meta pipeline's name"),
                    ));
                    continue;
                }
                if let Some(other) = pipelines.iter().find(|p| p.info.name == name) {
                    outcome.diagnostics.push(TemplateDiagnostic::new(
                        Code::PipelineTemplate,
                        entry,
                        at,
                        format!(
                            "two pipelines are called `{name}` (the other from `{}`)",
                            other.info.source
                        ),
                    ));
                    continue;
                }
                let problems = problems(&config);
                if !problems.is_empty() {
                    outcome.diagnostics.push(TemplateDiagnostic::new(
                        Code::PipelineTemplate,
                        entry,
                        at,
                        format!(
                            "pipeline `{name}` is not a valid Concourse pipeline: {}",
                            problems.join("; ")
                        ),
                    ));
                    continue;
                }
                for warning in lints::command_line(&values, &name, &config) {
                    outcome.diagnostics.push(TemplateDiagnostic::new(
                        Code::PipelineCommandLine,
                        entry,
                        at,
                        warning,
                    ));
                }
                // A standard pipeline returned unchanged is still a standard one.
                let unchanged = standard.iter().find(|(info, standard_config)| {
                    info.name == name && info.team == team && **standard_config == config
                });
                let info = match unchanged {
                    Some((info, _)) => info.clone(),
                    None => PipelineInfo {
                        name: name.clone(),
                        team,
                        kind: "template",
                        family: None,
                        applications: Vec::new(),
                        releases: groups_of(&config),
                        jobs: jobs_of(&config),
                        source: entry.clone(),
                    },
                };
                pipelines.push(Rendered { info, config });
            }
        }
    }
    if outcome.has_errors() {
        return outcome;
    }
    outcome.pipelines = crate::with_meta(settings, pipelines, |r| &r.info, Rendered::from);
    outcome
}

/// Why rendered pipelines may not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unwritable {
    /// Two pipelines have this name.
    SameName(String),
    /// A standard or meta pipeline breaks the schema or the validator: these problems.
    Invalid {
        /// The pipeline.
        name: String,
        /// Its problems, as `problems` words them.
        problems: Vec<String>,
    },
}

/// Checks what [`render_all`] leaves to its callers before anything is written: every name is
/// distinct (only derived names can collide: `Ulmo` and `ulmo` are both valid release names),
/// and the standard and meta pipelines pass the schema and the validator (template-made ones
/// were checked while rendering). Returns the first problem.
pub fn check_written(pipelines: &[Rendered]) -> Result<(), Unwritable> {
    let mut check = WriteCheck::default();
    pipelines.iter().try_for_each(|r| check.check(r))
}

/// [`check_written`] one pipeline at a time, for a caller that streams them
/// ([`for_each_standard`]): the names seen so far are all it keeps.
#[derive(Debug, Default)]
pub struct WriteCheck {
    names: std::collections::HashSet<String>,
}

impl WriteCheck {
    /// Checks `rendered`, the next pipeline, as [`check_written`] checks each of its list.
    pub fn check(&mut self, rendered: &Rendered) -> Result<(), Unwritable> {
        let name = &rendered.info.name;
        if !self.names.insert(name.clone()) {
            return Err(Unwritable::SameName(name.clone()));
        }
        if !matches!(rendered.info.source.as_str(), "standard" | "meta") {
            return Ok(());
        }
        let problems = problems(&rendered.config);
        if !problems.is_empty() {
            return Err(Unwritable::Invalid {
                name: name.clone(),
                problems,
            });
        }
        Ok(())
    }

    /// [`Self::check`] of `pipeline`, a standard or meta pipeline, and its YAML written to
    /// `out` as it is made: made, checked and written a piece (a resource, a job, a group) at
    /// a time, never as one value (issue 23: a family pipeline is megabytes at 200
    /// deployments). The text is [`Rendered::to_yaml`]'s, the problems [`Self::check`]'s
    /// (a `passed` constraint on a later job reported after the jobs'); on a problem, what
    /// was written is to be discarded.
    pub fn write_yaml(
        &mut self,
        pipeline: &Standard<'_>,
        out: &mut dyn std::io::Write,
    ) -> Result<(), WriteFailed> {
        let name = &pipeline.info().name;
        if !self.names.insert(name.clone()) {
            return Err(WriteFailed::Unwritable(Unwritable::SameName(name.clone())));
        }
        match &pipeline.made {
            Made::Family(outline) => pieces::write_streamed(
                name,
                &outline.pipeline,
                outline.job_names.iter().map(String::as_str),
                outline.jobs(pipeline.settings).flatten(),
                out,
            ),
            Made::Whole(generated) => pieces::write_yaml(name, &generated.pipeline, out),
        }
    }
}

/// Why [`WriteCheck::write_yaml`] stopped.
#[derive(Debug)]
pub enum WriteFailed {
    /// The pipeline may not be written.
    Unwritable(Unwritable),
    /// Writing failed.
    Io(std::io::Error),
}

/// Hands `f` the standard pipelines of `matrix`, one at a time in [`render_all`]'s order, then
/// the meta pipeline: what `render_all` returns when `settings` declares no templates, without
/// holding more than one pipeline (only their summaries, for the meta pipeline). Stops at the
/// first error of `f`.
pub fn for_each_standard<E>(
    matrix: &Matrix,
    settings: &Settings,
    mut f: impl FnMut(Rendered) -> Result<(), E>,
) -> Result<(), E> {
    for_each_pipeline(matrix, settings, |s| f(Rendered::from(s.into_generated())))
}

/// [`for_each_standard`] handing each pipeline before its jobs are made: for
/// [`WriteCheck::write_yaml`], which makes them a job at a time as it writes them.
pub fn for_each_pipeline<'m, E>(
    matrix: &'m Matrix,
    settings: &'m Settings,
    mut f: impl FnMut(Standard<'m>) -> Result<(), E>,
) -> Result<(), E> {
    let mut infos = Vec::new();
    for family in crate::generate::families(matrix, settings) {
        if let Some(outline) = crate::generate::outline(matrix, settings, &family) {
            infos.push(outline.info.clone());
            f(Standard {
                settings,
                made: Made::Family(outline),
            })?;
        }
    }
    f(Standard {
        settings,
        made: Made::Whole(crate::meta::meta(settings, &infos)),
    })
}

/// A standard or meta pipeline as [`for_each_pipeline`] hands it: a family's jobs are not made
/// yet.
pub struct Standard<'m> {
    settings: &'m Settings,
    made: Made<'m>,
}

enum Made<'m> {
    /// A family's pipeline: its jobs made a chain at a time.
    Family(crate::generate::Outline<'m>),
    /// The meta pipeline, small.
    Whole(crate::Generated),
}

impl Standard<'_> {
    /// Its summary.
    pub fn info(&self) -> &PipelineInfo {
        match &self.made {
            Made::Family(outline) => &outline.info,
            Made::Whole(generated) => &generated.info,
        }
    }

    /// The whole pipeline, its jobs made.
    pub fn into_generated(self) -> crate::Generated {
        match self.made {
            Made::Family(outline) => outline.generated(self.settings),
            Made::Whole(generated) => generated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rendered(name: &str, source: &str, config: Value) -> Rendered {
        Rendered {
            info: PipelineInfo {
                name: name.to_owned(),
                team: "main".to_owned(),
                kind: "template",
                family: None,
                applications: Vec::new(),
                releases: Vec::new(),
                jobs: 0,
                source: source.to_owned(),
            },
            config,
        }
    }

    fn valid() -> Value {
        json!({"jobs": [{"name": "build", "plan": [{"task": "t", "config": {
            "platform": "linux",
            "image_resource": {"type": "registry-image", "source": {"repository": "busybox"}},
            "run": {"path": "true"},
        }}]}]})
    }

    #[test]
    fn names_must_differ_and_standard_pipelines_must_be_valid() {
        assert_eq!(problems(&valid()), Vec::<String>::new());
        let a = rendered("a", "standard", valid());
        let meta = rendered("meta", "meta", valid());
        assert_eq!(check_written(&[a.clone(), meta.clone()]), Ok(()));
        assert_eq!(
            check_written(&[a.clone(), rendered("a", "pipelines/x.star", valid()), meta]),
            Err(Unwritable::SameName("a".to_owned()))
        );
        // A job without a plan breaks the schema and the validator.
        let broken = json!({"jobs": [{"name": "build"}]});
        match check_written(&[a.clone(), rendered("b", "standard", broken.clone())]) {
            Err(Unwritable::Invalid { name, problems }) => {
                assert_eq!(name, "b");
                assert!(!problems.is_empty());
            }
            other => panic!("{other:?}"),
        }
        // A template-made pipeline was checked while rendering: not again.
        assert_eq!(
            check_written(&[a, rendered("c", "pipelines/x.star", broken)]),
            Ok(())
        );
    }
}
