//! `import python`: reads the Python module pair existing installations keep (`types.py` and
//! `version_matrix.py`) by parsing it, never running it, and builds a [`Matrix`].
//!
//! Both known layouts are read: `current` (releases carry branch, Python and Node versions) and
//! `legacy` (releases carry a branch; runtime defaults are constants in `runtime_version`).
//! Every refusal is a [`Diagnostic`] located in the `.py` file it concerns.

mod expr;
pub mod properties;
pub mod types_py;
pub mod version_matrix;

use edx_matrix_config::{Diagnostic, Location, Source, toml_write};
use edx_matrix_model::{AppKind, Application, Code, Matrix, Release, Severity, Subject, check};
use expr::Sink;
use properties::{Attr, Field, RuntimeRule};
use std::ops::Range;

/// Choices the Python does not make by itself.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The IDA runtime default when releases carry none (overrides a constant in the code).
    pub default_python: Option<String>,
    /// The MFE runtime default when releases carry none (overrides a constant in the code).
    pub default_node: Option<String>,
    /// Turns plain constant special cases of the resolving properties into overrides.
    pub apply_special_cases: bool,
}

/// One Python file and what the import says about it.
#[derive(Clone, Debug)]
pub struct PyFile {
    /// The file.
    pub source: Source,
    /// Errors and warnings located in it.
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The matrix (partial when there are errors).
    pub matrix: Matrix,
    /// `types.py` and its diagnostics.
    pub types: PyFile,
    /// `version_matrix.py` and its diagnostics.
    pub version_matrix: PyFile,
    /// Comment lines for the output: unknown arguments kept, special cases applied.
    pub comments: Vec<String>,
}

impl Imported {
    /// Returns whether either file has an error.
    pub fn has_errors(&self) -> bool {
        self.types
            .diagnostics
            .iter()
            .chain(&self.version_matrix.diagnostics)
            .any(Diagnostic::is_error)
    }

    /// Returns the matrix as `edx-matrix.toml` text, the comments at the top.
    pub fn to_toml(&self) -> String {
        let mut header = vec![
            "edx-matrix release matrix, imported from Python (types.py + version_matrix.py)."
                .to_owned(),
            "Check it with `edx-matrix check`; `edx-matrix expand` shows every entry spelled out."
                .to_owned(),
        ];
        if !self.comments.is_empty() {
            header.push(String::new());
            header.extend(self.comments.iter().map(|c| one_line(c)));
        }
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        toml_write::write_faithful(&self.matrix, &refs)
    }
}

/// Keeps a comment on one line whatever the Python held.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Parses a file, reporting a syntax error at its place.
fn parse(text: &str, sink: &mut Sink) -> Option<ruff_python_ast::ModModule> {
    match ruff_python_parser::parse_module(text) {
        Ok(parsed) => Some(parsed.into_syntax()),
        Err(e) => {
            let at = e.location.start().to_usize()..e.location.end().to_usize();
            sink.push(
                Code::PythonSyntax,
                at,
                format!("invalid Python: {}", e.error),
                "here",
            );
            None
        }
    }
}

/// Imports a matrix from the text of `types.py` and `version_matrix.py`.
pub fn import(types: Source, version_matrix: Source, options: &Options) -> Imported {
    let mut types_sink = Sink::default();
    let mut vm_sink = Sink::default();
    let types_ast = parse(&types.text, &mut types_sink);
    let vm_ast = parse(&version_matrix.text, &mut vm_sink);
    let mut matrix = Matrix::default();
    let mut comments = Vec::new();
    if let (Some(types_ast), Some(vm_ast)) = (types_ast, vm_ast) {
        let t = types_py::read(&types_ast.body, &types.text, &mut types_sink);
        let read = version_matrix::read(&vm_ast.body, &version_matrix.text, &t, &mut vm_sink);
        let release_spans = build_catalogue(&t, options, &mut types_sink, &mut matrix);
        matrix.stages = match &t.stages {
            Some(stages) => stages.iter().map(|s| s.as_str().into()).collect(),
            None => {
                let mut stages: Vec<edx_matrix_model::StageName> = Vec::new();
                for pin in read.deployments.iter().flat_map(|d| &d.stages) {
                    if !stages.contains(&pin.stage) {
                        stages.push(pin.stage.clone());
                    }
                }
                stages
            }
        };
        matrix.deployments = read.deployments.clone();
        matrix.release_map = read.release_map.clone();
        comments.extend(
            read.unknown_arguments
                .iter()
                .map(|c| format!("ignored (unknown keyword argument): {c}")),
        );
        if options.apply_special_cases {
            comments.extend(apply_special_cases(&t, &mut matrix, &types.text));
        }
        if !types_sink
            .diagnostics
            .iter()
            .chain(&vm_sink.diagnostics)
            .any(Diagnostic::is_error)
        {
            report_checks(
                &matrix,
                &t,
                &read,
                &release_spans,
                &mut types_sink,
                &mut vm_sink,
            );
        }
    }
    let finish = |source: Source, sink: Sink| {
        let mut diagnostics = sink.diagnostics;
        diagnostics.sort_by_key(|d| match &d.location {
            Location::Span(s) => s.start,
            _ => 0,
        });
        PyFile {
            source,
            diagnostics,
        }
    };
    Imported {
        matrix,
        types: finish(types, types_sink),
        version_matrix: finish(version_matrix, vm_sink),
        comments,
    }
}

/// Builds releases and applications from the enums; returns where each release is defined.
fn build_catalogue(
    t: &types_py::Types,
    options: &Options,
    sink: &mut Sink,
    matrix: &mut Matrix,
) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let runtime_at = t.properties.runtime_span.clone().unwrap_or(0..0);
    let mut missing_default = [false, false];
    for m in t.releases.iter().flat_map(|c| &c.members) {
        let Some(branch) = m.fields.get("branch") else {
            sink.push(
                Code::MissingKey,
                m.span.clone(),
                format!("release `{}` has no branch", m.value),
                "`__new__` binds no `branch` parameter",
            );
            continue;
        };
        let mut runtime = |key: &str, flag: &Option<String>, slot: usize| -> String {
            let code_value = match &t.properties.runtime {
                RuntimeRule::FromRelease => m.fields.get(key).cloned(),
                RuntimeRule::Constants { python, node } => {
                    if key == "python_version" {
                        python.clone()
                    } else {
                        node.clone()
                    }
                }
                RuntimeRule::Unknown => None,
            };
            // A flag replaces a constant in code; a release's own version wins over a flag.
            let value = match &t.properties.runtime {
                RuntimeRule::FromRelease => code_value.or_else(|| flag.clone()),
                _ => flag.clone().or(code_value),
            };
            value.unwrap_or_else(|| {
                missing_default[slot] = true;
                String::new()
            })
        };
        let python = runtime("python_version", &options.default_python, 0);
        let node = runtime("node_version", &options.default_node, 1);
        matrix.releases.push(Release {
            name: m.value.as_str().into(),
            branch: branch.as_str().into(),
            python: Some(python.into()),
            node: Some(node.into()),
            rolling: Release::is_rolling_name(&m.value),
        });
        spans.push(m.span.clone());
    }
    for (slot, (flag, what)) in [
        ("--default-python", "IDA (Python)"),
        ("--default-node", "MFE (Node)"),
    ]
    .into_iter()
    .enumerate()
    {
        if missing_default[slot] {
            sink.push(
                Code::PythonUnreadable,
                runtime_at.clone(),
                format!("cannot tell the {what} runtime default from the code"),
                "the releases carry no version and this property is not a readable constant",
            )
            .help
            .push(format!("give it with `{flag}`"));
        }
    }
    let classes = [(&t.idas, AppKind::Ida), (&t.mfes, AppKind::Mfe)];
    for (class, kind) in classes {
        for m in class.iter().flat_map(|c| &c.members) {
            let repository = m.fields.get("repository").filter(|r| !r.is_empty());
            matrix.applications.push(Application {
                name: m.value.as_str().into(),
                kind,
                repository: repository.map(|r| r.as_str().into()),
                path: m.fields.get("path").map(|p| p.as_str().into()),
            });
        }
    }
    spans
}

/// Applies plain constant special cases as overrides, first case in the file winning (as the
/// first `if` that matches returns); returns a comment line per case.
fn apply_special_cases(t: &types_py::Types, matrix: &mut Matrix, text: &str) -> Vec<String> {
    let mut comments = Vec::new();
    let kinds: Vec<(String, AppKind)> = matrix
        .applications
        .iter()
        .map(|a| (a.name.to_string(), a.kind))
        .collect();
    let resolve = |attr: Attr, r: &expr::EnumRef| -> Option<String> {
        let (class, value) = match r {
            expr::EnumRef::Value(v) => return Some(v.clone()),
            expr::EnumRef::Member { class, member } => (class, member),
        };
        let enums = match attr {
            Attr::Application => vec![&t.idas, &t.mfes],
            Attr::Release => vec![&t.releases],
            Attr::ApplicationType => return None,
        };
        let _ = class;
        enums
            .into_iter()
            .flatten()
            .find_map(|c| c.by_name(value).map(|m| m.value.clone()))
    };
    let mut counts = vec![0usize; t.properties.special.len()];
    for (i, case) in t.properties.special.iter().enumerate().rev() {
        let (Some(conditions), Some(value)) = (&case.conditions, &case.value) else {
            continue;
        };
        let wanted: Vec<(Attr, Option<String>)> = conditions
            .iter()
            .map(|(a, r)| (*a, resolve(*a, r)))
            .collect();
        for entry in &mut matrix.release_map {
            for v in &mut entry.apps {
                let kind = kinds
                    .iter()
                    .find(|(n, _)| v.application == n.as_str())
                    .map(|(_, k)| k.as_str());
                let matches = wanted.iter().all(|(attr, want)| {
                    let have = match attr {
                        Attr::Application => Some(v.application.as_str()),
                        Attr::Release => Some(v.release.as_str()),
                        Attr::ApplicationType => kind,
                    };
                    want.is_some() && have == want.as_deref()
                });
                if matches {
                    match case.field {
                        Field::Branch => v.branch = Some(value.as_str().into()),
                        Field::Origin => v.origin = Some(value.as_str().into()),
                        Field::Runtime => v.runtime = Some(value.as_str().into()),
                    }
                    counts[i] += 1;
                }
            }
        }
    }
    for (case, count) in t.properties.special.iter().zip(counts) {
        if case.is_plain() {
            let line = text
                .get(..case.span.start)
                .unwrap_or_default()
                .matches('\n')
                .count()
                + 1;
            comments.push(format!(
                "applied special case of types.py:{line} as overrides on {count} application version{}",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    comments
}

/// Runs the model checks and places what they find in the `.py` files.
fn report_checks(
    matrix: &Matrix,
    t: &types_py::Types,
    read: &version_matrix::Read,
    release_spans: &[Range<usize>],
    types_sink: &mut Sink,
    vm_sink: &mut Sink,
) {
    let app_members: Vec<Range<usize>> = [&t.idas, &t.mfes]
        .into_iter()
        .flatten()
        .flat_map(|c| c.members.iter().map(|m| m.span.clone()))
        .collect();
    for problem in check(matrix) {
        let (in_types, at) = match problem.at {
            Subject::Release { index, .. } => (true, release_spans.get(index).cloned()),
            Subject::Application { index, .. } => (true, app_members.get(index).cloned()),
            Subject::Deployment { index }
            | Subject::Stage {
                deployment: index, ..
            } => (false, read.deployment_spans.get(index).cloned()),
            Subject::Entry { index } => (false, read.entry_spans.get(index).cloned()),
            Subject::EntryApp { entry, app, .. } => (
                false,
                read.app_spans.get(entry).and_then(|a| a.get(app)).cloned(),
            ),
            Subject::Matrix | Subject::StageOrder { .. } => (false, None),
        };
        let sink = if in_types {
            &mut *types_sink
        } else {
            &mut *vm_sink
        };
        let location = at.map_or(Location::File, Location::Span);
        let mut d = Diagnostic::new(problem.code, location, problem.message, problem.label);
        d.severity = problem.severity;
        d.help = problem.help;
        if d.severity == Severity::Warning || d.is_error() {
            sink.diagnostics.push(d);
        }
    }
}
