//! Lints on rendered pipelines: a matrix value that reaches a task's command line.
//!
//! Matrix values belong in a task's `params` (environment variables); spliced into `run.path`
//! or `run.args` they become shell code. A value counts when an argument is exactly it, or,
//! for values of 8 characters or more (origins, branches, commands, URLs) and for shorter ones
//! holding a shell metacharacter (a branch `$(id)` in `git checkout $(id)`, issue 22), contains
//! it.

use aho_corasick::AhoCorasick;
use edx_matrix_model::{Filter, Matrix, resolve, vars::VarValue};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};

/// The matrix values the lint looks for, ready to search: every value for exact matches, and
/// one automaton over the long ones (8 characters or more, or holding a shell metacharacter) for
/// arguments containing them.
#[derive(Debug)]
pub(crate) struct Values {
    exact: HashSet<String>,
    long: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl Values {
    /// Prepares `values` for [`command_line`].
    pub(crate) fn new(values: BTreeSet<String>) -> Self {
        let long: Vec<String> = values.iter().filter(|v| contained(v)).cloned().collect();
        Values {
            automaton: AhoCorasick::new(&long).ok(),
            long,
            exact: values.into_iter().collect(),
        }
    }

    /// Returns the value `arg` is or holds, the first in name order when several are.
    fn reached_by(&self, arg: &str) -> Option<String> {
        let mut best: Option<&str> = self.exact.get(arg).map(String::as_str);
        if let Some(automaton) = &self.automaton {
            for found in automaton.find_overlapping_iter(arg) {
                let value = self.long[found.pattern().as_usize()].as_str();
                if best.is_none_or(|b| value < b) {
                    best = Some(value);
                }
            }
        }
        best.map(str::to_owned)
    }
}

/// Whether an argument containing `value` counts, not only one equal to it: a value long enough
/// not to turn up by chance, or one a shell would read as code.
fn contained(value: &str) -> bool {
    value.len() >= 8 || !edx_matrix_model::names::shell_metacharacters(value).is_empty()
}

/// The matrix values the lint looks for: origins, branches, MFE paths, translation commands
/// and string vars.
pub(crate) fn matrix_values(matrix: &Matrix) -> Values {
    Values::new(value_set(matrix))
}

fn value_set(matrix: &Matrix) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for row in resolve(matrix, &Filter::default()).rows {
        out.insert(row.git_origin.to_owned());
        out.insert(row.release_branch.to_owned());
        if let Some(path) = row.path {
            out.insert(path.to_owned());
        }
        for command in row.translations.unwrap_or_default() {
            out.insert(command.clone());
        }
    }
    for d in &matrix.deployments {
        let stage_vars = d.stages.iter().flat_map(|p| p.vars.iter());
        for (_, value) in d.vars.iter().chain(stage_vars) {
            if let VarValue::String(s) = value {
                out.insert(s.clone());
            }
        }
    }
    out.retain(|v| v.len() >= 3);
    out
}

#[cfg(test)]
fn reaches(arg: &str, values: &BTreeSet<String>) -> Option<String> {
    values
        .iter()
        .find(|v| arg == v.as_str() || (contained(v) && arg.contains(v.as_str())))
        .cloned()
}

/// Walks the steps under `step` (hooks, `in_parallel`, `do`, `try` included), calling `visit`
/// with each step and its name.
fn walk<'v>(step: &'v Value, visit: &mut dyn FnMut(&'v Value)) {
    let Value::Object(map) = step else {
        return;
    };
    visit(step);
    for key in [
        "on_success",
        "on_failure",
        "on_error",
        "on_abort",
        "ensure",
        "try",
    ] {
        if let Some(inner) = map.get(key) {
            walk(inner, visit);
        }
    }
    let lists = [
        map.get("do"),
        map.get("in_parallel").map(|p| p.get("steps").unwrap_or(p)),
    ];
    for list in lists.into_iter().flatten() {
        if let Value::Array(items) = list {
            for item in items {
                walk(item, visit);
            }
        }
    }
}

/// Returns a warning for every task step of `config` whose command line holds one of the
/// matrix `values` ([`matrix_values`]).
pub(crate) fn command_line(values: &Values, pipeline: &str, config: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(jobs) = config.get("jobs").and_then(Value::as_array) else {
        return out;
    };
    for job in jobs {
        let job_name = job.get("name").and_then(Value::as_str).unwrap_or("?");
        let mut steps: Vec<&Value> = Vec::new();
        for key in ["plan"] {
            if let Some(Value::Array(plan)) = job.get(key) {
                for step in plan {
                    walk(step, &mut |s| steps.push(s));
                }
            }
        }
        for key in ["on_success", "on_failure", "on_error", "on_abort", "ensure"] {
            if let Some(hook) = job.get(key) {
                walk(hook, &mut |s| steps.push(s));
            }
        }
        for step in steps {
            let Some(task) = step.get("task").and_then(Value::as_str) else {
                continue;
            };
            let Some(run) = step.get("config").and_then(|c| c.get("run")) else {
                continue;
            };
            let mut args: Vec<&str> = Vec::new();
            if let Some(path) = run.get("path").and_then(Value::as_str) {
                args.push(path);
            }
            if let Some(Value::Array(list)) = run.get("args") {
                args.extend(list.iter().filter_map(Value::as_str));
            }
            if let Some(value) = args.iter().find_map(|a| values.reached_by(a)) {
                out.push(format!(
                    "pipeline `{pipeline}`, job `{job_name}`, task `{task}`: the matrix value `{value}` is part of the command line (`run`); pass it in `params` and read the environment variable instead"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The automaton finds what the plain search over every value finds, the first value in
    /// name order when an argument holds several.
    #[test]
    fn the_automaton_agrees_with_the_plain_search() {
        let set: BTreeSet<String> = [
            "https://github.com/openedx/frontend-app-learning",
            "frontend-app-learning",
            "release/ulmo",
            "ulmo",
            "abc",
            "learning",
            "https://ci.site000.example",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let values = Values::new(set.clone());
        for arg in [
            "git clone https://github.com/openedx/frontend-app-learning x",
            "release/ulmo",
            "ulmo",
            "abc",
            "xabcx",
            "checkout release/ulmo && curl https://ci.site000.example",
            "npm run build",
            "learning",
            "",
        ] {
            assert_eq!(values.reached_by(arg), reaches(arg, &set), "{arg}");
        }
        assert_eq!(values.reached_by("xabcx"), None);
        // A short value with a shell metacharacter counts inside an argument too.
        let short = Values::new(["$(id)".to_owned(), "main".to_owned()].into());
        assert_eq!(
            short.reached_by("git checkout $(id)"),
            Some("$(id)".to_owned())
        );
        assert_eq!(short.reached_by("git checkout main-x"), None);
        assert_eq!(
            values.reached_by("checkout release/ulmo && curl https://ci.site000.example"),
            Some("https://ci.site000.example".to_owned())
        );
    }
}
