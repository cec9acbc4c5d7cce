//! Reading the `[runbooks]` section from the spanned TOML document, like `toml_load` reads the
//! matrix: every problem becomes a located [`Diagnostic`]. [`read_root`] reads `[operations]`
//! and `[gates]` too (through [`crate::operations::read`] and [`crate::gates`]), so one walk of
//! the parsed file gives a [`RunbookFile`].

use super::runbooks::Runbooks;
use super::step::{RunbookStep, STEP_KEYS, When};
use crate::diagnostic::Diagnostic;
use crate::operations::Operations;
use crate::spanned::{self, TomlReader, key_span};
use edx_matrix_model::Gates;
use edx_matrix_model::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use std::ops::Range;
use toml_edit::{Item, TableLike};

type Span = Range<usize>;

/// What [`read`] found.
#[derive(Clone, Debug, Default)]
pub struct RunbookFile {
    /// The runbooks (only the well-formed steps).
    pub runbooks: Runbooks,
    /// The `[operations]` settings (only the well-formed ones).
    pub operations: Operations,
    /// The promotion gates of `[gates]` (only the well-formed ones).
    pub gates: Gates,
    /// Every problem, located.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the runbooks and operations settings of a loaded matrix (none for interchange JSON,
/// which has no such sections).
#[cfg(test)]
pub(crate) fn of(loaded: &crate::Loaded) -> RunbookFile {
    match loaded.format {
        // Without the sections there is nothing to read: skip parsing the file again.
        crate::Format::Toml
            if !loaded.has_section("runbooks")
                && !loaded.has_section("operations")
                && !loaded.has_section("gates") =>
        {
            RunbookFile::default()
        }
        crate::Format::Toml => read(&loaded.source.text, &loaded.matrix),
        crate::Format::ModelJson | crate::Format::PythonPackage => RunbookFile::default(),
    }
}

/// Reads `[runbooks]`, `[operations]` and `[gates]` from the matrix text. Unparsable TOML gives nothing
/// (the syntax error is reported by `toml_load`).
#[cfg(test)]
pub(crate) fn read(text: &str, matrix: &Matrix) -> RunbookFile {
    crate::count_parse();
    match toml_edit::Document::parse(text) {
        Ok(doc) => read_root(doc.as_table(), text, matrix),
        Err(_) => RunbookFile::default(),
    }
}

/// Reads `[runbooks]`, `[operations]` and `[gates]` from the parsed root table of `text`.
pub(crate) fn read_root(root: &toml_edit::Table, text: &str, matrix: &Matrix) -> RunbookFile {
    let mut toml = TomlReader::new(text);
    let mut file = RunbookFile::default();
    if let Some(item) = root.get("runbooks") {
        file.runbooks = read_runbooks(&mut toml, root, item, matrix);
    }
    if let Some(item) = root.get("operations") {
        file.operations = crate::operations::read::read_operations(&mut toml, root, item);
    }
    if let Some(item) = root.get("gates") {
        file.gates = crate::gates::read_gates(&mut toml, root, item, matrix);
    }
    file.diagnostics = toml.into_diagnostics();
    file
}

/// Returns the tables of an array of tables or of an inline array of inline tables, reporting
/// anything else.
fn tables<'a>(
    toml: &mut TomlReader,
    item: &'a Item,
    what: &str,
    at: &Span,
) -> Vec<&'a dyn TableLike> {
    toml.tables(
        item,
        what,
        &format!("each step of {what}"),
        "an array of tables (`[[runbooks.RELEASE]]` blocks)",
        at,
    )
    .unwrap_or_default()
}

fn read_runbooks(
    toml: &mut TomlReader,
    root: &toml_edit::Table,
    item: &Item,
    matrix: &Matrix,
) -> Runbooks {
    let at = key_span(root, "runbooks", &toml.fallback());
    let mut runbooks = Runbooks::default();
    let Some(table) = toml.table(item, "`runbooks`", &at) else {
        return runbooks;
    };
    let releases: Vec<&str> = matrix.releases.iter().map(|r| r.name.as_str()).collect();
    let stages: Vec<&str> = matrix.stages.iter().map(|s| s.as_str()).collect();
    for (release, item) in table.iter() {
        let key_span = key_span(table, release, &at);
        if !releases.contains(&release) {
            let suggestion = did_you_mean(release, releases.iter().copied());
            let d = toml.push(
                Code::RunbookUndefinedRelease,
                key_span.clone(),
                format!("runbook for release `{release}`, which is not defined in `[releases]`"),
                "no such release",
            );
            d.help.push(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "define it in `[releases]`, or remove this runbook if `{release}` was retired"
                ),
            });
        }
        let what = format!("the runbook of release `{release}`");
        let mut steps = Vec::new();
        for step in tables(toml, item, &what, &key_span) {
            let step_at = step
                .iter()
                .next()
                .map(|(k, _)| spanned::key_span(step, k, &key_span))
                .unwrap_or_else(|| key_span.clone());
            if let Some(step) = read_step(toml, step, &what, &step_at, &stages) {
                steps.push(step);
            }
        }
        runbooks.releases.push((release.to_owned(), steps));
    }
    runbooks
}

/// Returns the first character of `text` that a step may not contain: control characters other
/// than a newline (and a tab) when `multi_line`, any control character otherwise.
pub(super) fn bad_char(text: &str, multi_line: bool) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !(multi_line && (*c == '\n' || *c == '\t')))
}

fn read_step(
    toml: &mut TomlReader,
    table: &dyn TableLike,
    what: &str,
    at: &Span,
    stages: &[&str],
) -> Option<RunbookStep> {
    let step_what = format!("a step of {what}");
    toml.unknown_keys(table, STEP_KEYS, &step_what, at);
    let mut ok = true;
    let mut step = RunbookStep {
        text: String::new(),
        command: None,
        when: When::FirstDeploy,
        stages: Vec::new(),
        source: None,
    };
    match table.get("text") {
        Some(item) => match toml.string(item, &format!("`text` of {step_what}"), at) {
            Some((text, span)) => {
                if text.trim().is_empty() {
                    toml.push(
                        Code::InvalidRunbookStep,
                        span,
                        format!("empty `text` in {step_what}"),
                        "say what to do",
                    );
                    ok = false;
                } else if let Some(c) = bad_char(&text, true) {
                    toml.push(
                        Code::InvalidRunbookStep,
                        span,
                        format!("`text` of {step_what} contains the control character {c:?}"),
                        "control character",
                    );
                    ok = false;
                }
                step.text = text.trim_end().to_owned();
            }
            None => ok = false,
        },
        None => {
            toml.missing(at.clone(), "text", &step_what);
            ok = false;
        }
    }
    for key in ["command", "source"] {
        let Some(item) = table.get(key) else { continue };
        let Some((value, span)) = toml.string(item, &format!("`{key}` of {step_what}"), at) else {
            ok = false;
            continue;
        };
        if value.trim().is_empty() {
            toml.push(
                Code::InvalidRunbookStep,
                span,
                format!("empty `{key}` in {step_what}"),
                "remove it, or fill it in",
            );
            ok = false;
        } else if let Some(c) = bad_char(&value, false) {
            toml.push(
                Code::InvalidRunbookStep,
                span,
                format!("`{key}` of {step_what} contains the control character {c:?}"),
                "one line, no control characters",
            )
            .help
            .push("write one step per command".into());
            ok = false;
        } else if key == "command" {
            step.command = Some(value);
        } else {
            step.source = Some(value);
        }
    }
    if let Some(item) = table.get("when") {
        match toml.string(item, &format!("`when` of {step_what}"), at) {
            Some((value, span)) => match When::parse(&value) {
                Some(when) => step.when = when,
                None => {
                    toml.push(
                        Code::InvalidRunbookStep,
                        span,
                        format!("unknown `when` value `{value}` in {step_what}"),
                        "expected `first-deploy` or `every-deploy`",
                    )
                    .help
                    .extend(
                        did_you_mean(&value, ["first-deploy", "every-deploy"])
                            .map(|s| format!("did you mean `{s}`?")),
                    );
                    ok = false;
                }
            },
            None => ok = false,
        }
    }
    if let Some(item) = table.get("stages") {
        let span = item.span().unwrap_or_else(|| at.clone());
        match item.as_array() {
            Some(array) => {
                for value in array.iter() {
                    let vspan = value.span().unwrap_or_else(|| span.clone());
                    let Some(stage) = value.as_str() else {
                        toml.wrong_type(
                            vspan,
                            "a string",
                            value.type_name(),
                            &format!("each item of `stages` of {step_what}"),
                        );
                        ok = false;
                        continue;
                    };
                    if !stages.contains(&stage) {
                        let suggestion = did_you_mean(stage, stages.iter().copied());
                        let d = toml.push(
                            Code::RunbookUndefinedStage,
                            vspan,
                            format!("stage `{stage}` of {step_what} is not in the stage order"),
                            "no such stage",
                        );
                        d.help.push(match suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the stages are {}", quoted_list(stages)),
                        });
                        ok = false;
                    } else if !step.stages.iter().any(|s| s == stage) {
                        step.stages.push(stage.to_owned());
                    }
                }
            }
            None => {
                toml.wrong_type(
                    span,
                    "an array of strings",
                    item.type_name(),
                    &format!("`stages` of {step_what}"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(step)
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
