//! Running one template with the `starlark` interpreter, loads confined to its directory, the
//! whole run inside the [`Limits`] (on a thread of its own with a large stack, so what recursion
//! remains in the interpreter has room, and a panic inside it becomes a diagnostic).

use super::convert::{ConvertError, Others, to_json};
use super::guard::{Budget, bound_of, guard};
use super::limits::{DEPTH, Limits, MAX_SOURCE_NESTING, MEMORY, too_deeply_nested};
use super::{LIBRARY, LIBRARY_NAME, TemplateFiles, directory_of, resolve_load};
use crate::identifier;
use serde_json::Value;
use starlark::environment::{FrozenModule, Globals, GlobalsBuilder, LibraryExtension, Module};
use starlark::eval::{Evaluator, FileLoader};
use starlark::syntax::{AstModule, Dialect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// A pipeline a template returned.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TemplateOutput {
    /// Its name.
    pub name: String,
    /// Its team, when the template set one.
    pub team: Option<String>,
    /// Its configuration, as Concourse reads it.
    pub config: Value,
}

/// Why a template produced no pipelines, located in a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScriptError {
    /// The file, relative to the matrix file's directory (or the library's name).
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column (in characters).
    pub column: usize,
    /// `syntax`, `runtime`, `load`, `result` or `limit` (a bound of [`Limits`] was passed).
    pub kind: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Starlark's extended dialect, which enables `load` (`Dialect::Extended.enable_load`; the
/// tests of loads fail if a new version turns it off).
fn dialect() -> Dialect {
    Dialect::Extended
}

fn globals() -> Globals {
    GlobalsBuilder::extended_by(&[
        LibraryExtension::StructType,
        LibraryExtension::Json,
        LibraryExtension::Map,
        LibraryExtension::Filter,
        LibraryExtension::Partial,
        LibraryExtension::Typing,
    ])
    .build()
}

/// State shared by the loaders of one run: the files, the template's directory, the modules
/// already evaluated.
struct Shared<'f> {
    files: &'f TemplateFiles,
    root: String,
    globals: Globals,
    cache: RefCell<HashMap<String, FrozenModule>>,
    budget: Rc<Budget>,
}

struct Loader<'f> {
    shared: Rc<Shared<'f>>,
    /// The file whose `load()` statements this loader serves, and the chain that led to it.
    stack: Vec<String>,
}

fn other(message: String) -> starlark::Error {
    starlark::Error::new_other(anyhow::anyhow!(message))
}

impl FileLoader for Loader<'_> {
    fn load(&self, name: &str) -> starlark::Result<FrozenModule> {
        let from = self.stack.last().map(String::as_str).unwrap_or_default();
        let (path, text) = if name == LIBRARY_NAME {
            (LIBRARY_NAME.to_owned(), LIBRARY)
        } else if from == LIBRARY_NAME {
            return Err(other(format!("the library cannot load `{name}`")));
        } else {
            let path = resolve_load(&self.shared.root, from, name)
                .map_err(|why| other(format!("load refused: {why}")))?;
            match self.shared.files.files.get(&path) {
                Some(text) => (path, text.as_str()),
                None => match self.shared.files.refused.get(&path) {
                    Some(why) => return Err(other(format!("load refused: `{path}`: {why}"))),
                    None => return Err(other(format!("load refused: no file `{path}`"))),
                },
            }
        };
        if let Some(module) = self.shared.cache.borrow().get(&path) {
            return Ok(module.clone());
        }
        if self.stack.contains(&path) {
            return Err(other(format!(
                "`{path}` loads itself (through {})",
                self.stack.join(" → ")
            )));
        }
        let mut stack = self.stack.clone();
        stack.push(path.clone());
        let child = Loader {
            shared: self.shared.clone(),
            stack,
        };
        if let Some((line, column)) = too_deeply_nested(text) {
            return Err(other(nesting_message(&path, line, column)));
        }
        let ast = AstModule::parse(&path, text.to_owned(), &dialect())?;
        let budget = &self.shared.budget;
        let frozen = Module::with_temp_heap(|module| -> starlark::Result<FrozenModule> {
            {
                let mut eval = Evaluator::new(&module);
                eval.set_loader(&child);
                guard(&mut eval, &module, budget, Rc::new(Cell::new(0)));
                let result = eval.eval_module(ast, &self.shared.globals);
                budget.settle(
                    eval.get_total_tick_count(),
                    module.heap().peak_allocated_bytes(),
                );
                result?;
            }
            // Freezing copies values recursively: measure them first, without recursion.
            let limits = budget.limits();
            for name in module.names() {
                let Some(value) = module.get(name.as_str()) else {
                    continue;
                };
                let measured =
                    to_json(value, limits.depth, budget.max_output_bytes(), Others::Skip);
                if let Err(e) = measured {
                    return Err(other(format!(
                        "`{}` of `{path}` {}",
                        name.as_str(),
                        convert_message(budget, &e)
                    )));
                }
            }
            module
                .freeze()
                .map_err(|e| other(format!("cannot freeze `{path}`: {e:?}")))
        })?;
        self.shared.cache.borrow_mut().insert(path, frozen.clone());
        Ok(frozen)
    }
}

/// Returns the 1-based line and column of the first `def pipelines` of `text` (1:1 without).
fn def_position(text: &str) -> (usize, usize) {
    text.lines()
        .position(|l| l.starts_with("def pipelines"))
        .map_or((1, 1), |i| (i + 1, 1))
}

fn located(error: &starlark::Error, entry: &str, kind: &'static str) -> ScriptError {
    let message = format!("{}", error.without_diagnostic());
    // Prefer a place in the user's files: the error's span, else the innermost frame outside
    // the library.
    let mut spans: Vec<&starlark::codemap::FileSpan> = Vec::new();
    if let Some(span) = error.span() {
        spans.push(span);
    }
    for frame in error.call_stack().frames.iter().rev() {
        if let Some(location) = &frame.location {
            spans.push(location);
        }
    }
    let chosen = spans
        .iter()
        .find(|s| s.filename() != LIBRARY_NAME)
        .or(spans.first());
    match chosen {
        Some(span) => {
            let resolved = span.resolve();
            ScriptError {
                file: resolved.file,
                line: resolved.span.begin.line + 1,
                column: resolved.span.begin.column + 1,
                kind,
                message,
            }
        }
        None => ScriptError {
            file: entry.to_owned(),
            line: 1,
            column: 1,
            kind,
            message,
        },
    }
}

fn nesting_message(path: &str, line: usize, column: usize) -> String {
    format!(
        "`{path}` line {line}, column {column}: brackets nest more than {MAX_SOURCE_NESTING} deep (the most a template may)"
    )
}

fn convert_message(budget: &Budget, error: &ConvertError) -> String {
    match error {
        ConvertError::TooDeep(path) => {
            format!(
                "is nested too deep (at `{path}`): {}",
                budget.message(DEPTH)
            )
        }
        ConvertError::TooLarge(path) => format!(
            "is too large to copy out (at `{path}`): {}",
            budget.message(MEMORY)
        ),
        ConvertError::NotData(path, what) => format!("holds {what} (at `{path}`)"),
    }
}

/// The stack of the thread a template runs on: Starlark's parser, freezer and `repr` recurse,
/// and the main thread's 8 MiB (or a server worker's 2 MiB) is not much. Only the pages
/// touched are used.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the template `entry` of `files` with `matrix` and `standard` as the arguments of its
/// `pipelines` function, inside `limits`.
pub(crate) fn run_template(
    files: &TemplateFiles,
    entry: &str,
    matrix: &Value,
    standard: &Value,
    limits: &Limits,
) -> Result<Vec<TemplateOutput>, ScriptError> {
    let failed = |message: String| ScriptError {
        file: entry.to_owned(),
        line: 1,
        column: 1,
        kind: "runtime",
        message,
    };
    std::thread::scope(|scope| {
        let run = move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_here(files, entry, matrix, standard, limits)
            }))
        };
        let thread = std::thread::Builder::new()
            .name("template".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, run);
        match thread {
            // No thread to spare: run here (the bounds still hold).
            Err(_) => Ok(run_here(files, entry, matrix, standard, limits)),
            Ok(handle) => handle.join().unwrap_or_else(Err),
        }
    })
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Err(failed(format!(
            "the Starlark interpreter failed ({what}); the template most likely builds a value too large for it"
        )))
    })
}

/// [`run_template`] on the current thread.
fn run_here(
    files: &TemplateFiles,
    entry: &str,
    matrix: &Value,
    standard: &Value,
    limits: &Limits,
) -> Result<Vec<TemplateOutput>, ScriptError> {
    let Some(text) = files.files.get(entry) else {
        return Err(ScriptError {
            file: entry.to_owned(),
            line: 1,
            column: 1,
            kind: "load",
            message: "the template file could not be read".to_owned(),
        });
    };
    let (def_line, def_column) = def_position(text);
    let result_error = |message: String| ScriptError {
        file: entry.to_owned(),
        line: def_line,
        column: def_column,
        kind: "result",
        message,
    };
    if let Some((line, column)) = too_deeply_nested(text) {
        return Err(ScriptError {
            file: entry.to_owned(),
            line,
            column,
            kind: "syntax",
            message: format!(
                "brackets nest more than {MAX_SOURCE_NESTING} deep (the most a template may)"
            ),
        });
    }
    let ast = AstModule::parse(entry, text.clone(), &dialect())
        .map_err(|e| located(&e, entry, "syntax"))?;
    let budget = Budget::new(*limits);
    let shared = Rc::new(Shared {
        files,
        root: directory_of(entry).to_owned(),
        globals: globals(),
        cache: RefCell::new(HashMap::new()),
        budget: budget.clone(),
    });
    let failed = |e: &starlark::Error, kind: &'static str| match bound_of(&budget, e) {
        // Where the statement hook stopped it, else where Starlark's own check did, else (no
        // place known: inside one expression) at `def pipelines`.
        Some(bound) => {
            let mut error = located(e, entry, "limit");
            if let Some((file, line, column)) = budget.place() {
                (error.file, error.line, error.column) = (file, line, column);
            } else if e.span().is_none()
                && e.call_stack().frames.iter().all(|f| f.location.is_none())
            {
                (error.line, error.column) = def_position(text);
            }
            ScriptError {
                message: budget.message(bound),
                ..error
            }
        }
        None => located(e, entry, kind),
    };
    let loader = Loader {
        shared: shared.clone(),
        stack: vec![entry.to_owned()],
    };
    let value = Module::with_temp_heap(|module| -> Result<Value, ScriptError> {
        let mut eval = Evaluator::new(&module);
        eval.set_loader(&loader);
        let baseline = Rc::new(Cell::new(0));
        guard(&mut eval, &module, &budget, baseline.clone());
        eval.eval_module(ast, &shared.globals).map_err(|e| {
            let kind = if format!("{e:?}").contains("load refused") {
                "load"
            } else {
                "runtime"
            };
            failed(&e, kind)
        })?;
        let Some(function) = module.get("pipelines") else {
            return Err(ScriptError {
                file: entry.to_owned(),
                line: 1,
                column: 1,
                kind: "result",
                message: "the template defines no `pipelines(matrix, standard)` function"
                    .to_owned(),
            });
        };
        let heap = module.heap();
        // Allocated from the references: no copy of the (large) data per template. The data
        // is ours, not the template's: it does not count against the memory bound.
        let before = heap.peak_allocated_bytes();
        let args = [heap.alloc(matrix), heap.alloc(standard)];
        baseline.set(heap.peak_allocated_bytes() - before);
        let result = eval
            .eval_function(function, &args, &[])
            .map_err(|e| failed(&e, "runtime"))?;
        to_json(result, limits.depth, budget.max_output_bytes(), Others::Refuse).map_err(|e| {
            let message = convert_message(&budget, &e);
            match e {
                ConvertError::NotData(..) => result_error(format!(
                    "`pipelines` returned a value that is not plain data (dicts, lists, strings, numbers, booleans, None): it {message}"
                )),
                _ => ScriptError {
                    kind: "limit",
                    ..result_error(format!("`pipelines` returned a value that {message}"))
                },
            }
        })
    })?;
    outputs(value).map_err(result_error)
}

fn outputs(value: Value) -> Result<Vec<TemplateOutput>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "`pipelines` must return a list of pipelines (`pipeline(name, config, team)`), not {}",
            kind_of(&value)
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(mut map) = item else {
            return Err(format!(
                "item {i} of the list `pipelines` returned is {}, not a pipeline (a dict with `name`, `team`, `config`)",
                kind_of(&item)
            ));
        };
        if let Some(key) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "name" | "team" | "config"))
        {
            return Err(format!(
                "item {i} has the key `{key}`; a pipeline has only `name`, `team` and `config`"
            ));
        }
        let name = match map.remove("name") {
            Some(Value::String(s)) => s,
            _ => return Err(format!("item {i} has no `name` string")),
        };
        if let Some(problem) = identifier::pipeline_problem(&name) {
            return Err(format!(
                "pipeline `{name}` (item {i}): the name is not a Concourse identifier: {problem}"
            ));
        }
        let team = match map.remove("team") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                if let Some(problem) = identifier::problem(&s) {
                    return Err(format!(
                        "pipeline `{name}`: the team `{s}` is not a Concourse identifier: {problem}"
                    ));
                }
                Some(s)
            }
            Some(other) => {
                return Err(format!(
                    "pipeline `{name}`: `team` is {}, not a string",
                    kind_of(&other)
                ));
            }
        };
        let config = match map.remove("config") {
            Some(Value::Object(c)) => Value::Object(c),
            Some(other) => {
                return Err(format!(
                    "pipeline `{name}`: `config` is {}, not a dict (the pipeline configuration)",
                    kind_of(&other)
                ));
            }
            None => return Err(format!("pipeline `{name}` has no `config`")),
        };
        out.push(TemplateOutput { name, team, config });
    }
    Ok(out)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "None",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a dict",
    }
}
