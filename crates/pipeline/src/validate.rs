//! The checks `fly validate-pipeline` makes beyond the shape of the configuration: every
//! `get`/`put` names a declared resource, every `passed` job exists and uses that resource,
//! groups name existing jobs and resources (and every job is in a group when there are
//! groups), names are unique valid identifiers.
//!
//! It works on any configuration as a JSON value (read from JSON or YAML), so it checks files
//! written by hand as well as generated ones. Each problem has a path (`$.jobs[2].plan[0]`).

use crate::identifier;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One problem in a pipeline configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipelineProblem {
    /// Where: a JSON path such as `$.jobs[2].plan[0].in_parallel[1].passed[0]`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

const TOP_LEVEL: &[&str] = &[
    "resource_types",
    "resources",
    "jobs",
    "groups",
    "var_sources",
    "display",
    "prototypes",
];
const HOOKS: &[&str] = &["on_success", "on_failure", "on_error", "on_abort", "ensure"];

#[derive(Default)]
pub(crate) struct Checker<'a> {
    pub(crate) problems: Vec<PipelineProblem>,
    pub(crate) resources: HashSet<&'a str>,
    /// For each job: the resources it gets or puts.
    pub(crate) job_resources: HashMap<&'a str, HashSet<&'a str>>,
    /// Checking jobs as they are made (`render --all`): the `passed` constraints on a job not
    /// made yet, settled by [`Checker::settle`] once every job is.
    pub(crate) deferred: Option<Vec<Deferred>>,
}

/// A `passed` constraint on a job not made yet: `job`'s `name` must have passed `other`, which
/// must use `resource`.
pub(crate) struct Deferred {
    path: String,
    job: String,
    name: String,
    other: String,
    resource: String,
}

fn not_used(job: &str, name: &str, other: &str, resource: &str) -> String {
    format!(
        "job `{job}`: `{name}` is constrained to pass job `{other}`, which does not use resource `{resource}`"
    )
}

/// Returns every problem of `config`, in document order.
pub fn validate(config: &Value) -> Vec<PipelineProblem> {
    let mut c = Checker::default();
    let Some(top) = config.as_object() else {
        c.problem("$", "a pipeline configuration must be a mapping".to_owned());
        return c.problems;
    };
    for key in top.keys() {
        if !TOP_LEVEL.contains(&key.as_str()) {
            c.problem(
                &format!("$.{key}"),
                format!("unknown top-level key `{key}`"),
            );
        }
    }
    c.named_list(top.get("resource_types"), "resource_types", "resource type");
    let resources = c.named_list(top.get("resources"), "resources", "resource");
    c.resources.extend(resources);
    if let Some(Value::Array(items)) = top.get("resources") {
        for (i, item) in items.iter().enumerate() {
            if item
                .get("type")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                c.untyped_resource(i);
            }
        }
    }
    let jobs = c.named_list(top.get("jobs"), "jobs", "job");
    let job_set: HashSet<&str> = jobs.iter().copied().collect();
    // First pass: what each job uses, so `passed` can be checked in any order.
    if let Some(Value::Array(items)) = top.get("jobs") {
        for item in items {
            let Some(name) = item.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut used = HashSet::new();
            uses(item, &mut used);
            c.job_resources.entry(name).or_default().extend(used);
        }
        for (i, item) in items.iter().enumerate() {
            c.job(i, item, &job_set);
        }
    }
    c.groups(top.get("groups"), &jobs, &job_set);
    c.problems
}

/// Collects the resources a job (or step) gets or puts, recursively.
fn uses<'a>(value: &'a Value, used: &mut HashSet<&'a str>) {
    match value {
        Value::Object(map) => {
            for key in ["get", "put"] {
                if let Some(Value::String(name)) = map.get(key) {
                    let resource = map.get("resource").and_then(Value::as_str).unwrap_or(name);
                    used.insert(resource);
                }
            }
            for (key, v) in map {
                if matches!(key.as_str(), "config" | "params" | "source" | "vars") {
                    continue;
                }
                uses(v, used);
            }
        }
        Value::Array(items) => {
            for item in items {
                uses(item, used);
            }
        }
        _ => {}
    }
}

impl<'a> Checker<'a> {
    /// Checks the job at `$.jobs[i]`: its plan and hooks, step by step. The job need not
    /// outlive the checker: a pipeline checked a job at a time drops each one after this.
    pub(crate) fn job(&mut self, i: usize, item: &Value, job_set: &HashSet<&str>) {
        let path = format!("$.jobs[{i}]");
        let name = item.get("name").and_then(Value::as_str).unwrap_or("");
        match item.get("plan") {
            Some(Value::Array(steps)) => {
                for (j, step) in steps.iter().enumerate() {
                    self.step(step, &format!("{path}.plan[{j}]"), name, job_set);
                }
            }
            Some(_) => self.problem(
                &format!("{path}.plan"),
                format!("the plan of job `{name}` must be a list of steps"),
            ),
            None => self.problem(&path, format!("job `{name}` has no `plan`")),
        }
        for hook in HOOKS {
            if let Some(step) = item.get(*hook) {
                self.step(step, &format!("{path}.{hook}"), name, job_set);
            }
        }
    }

    /// Checks the deferred `passed` constraints, now that every job is known.
    pub(crate) fn settle(&mut self) {
        for d in self.deferred.take().unwrap_or_default() {
            let used = self
                .job_resources
                .get(d.other.as_str())
                .is_some_and(|r| r.contains(d.resource.as_str()));
            if !used {
                self.problem(&d.path, not_used(&d.job, &d.name, &d.other, &d.resource));
            }
        }
    }

    fn problem(&mut self, path: &str, message: String) {
        self.problems.push(PipelineProblem {
            path: path.to_owned(),
            message,
        });
    }

    fn identifier(&mut self, name: &str, path: &str, what: &str) {
        if identifier::has_var(name) {
            return;
        }
        if let Some(why) = identifier::problem(name) {
            self.problem(
                path,
                format!("{what} `{name}` is not a valid identifier: {why}"),
            );
        }
    }

    /// Checks a list of named things (names present, valid, unique) and returns the names.
    fn named_list(&mut self, list: Option<&'a Value>, key: &str, what: &str) -> Vec<&'a str> {
        let Some(list) = list else {
            return Vec::new();
        };
        let Some(items) = list.as_array() else {
            self.problem(&format!("$.{key}"), format!("`{key}` must be a list"));
            return Vec::new();
        };
        self.names(
            items
                .iter()
                .map(|item| item.get("name").and_then(Value::as_str)),
            key,
            what,
        )
    }

    /// [`Self::named_list`] of the names of a list's items (`None`: an item without one),
    /// wherever they come from: the values, or the typed pipeline they were made from.
    pub(crate) fn names(
        &mut self,
        names: impl Iterator<Item = Option<&'a str>>,
        key: &str,
        what: &str,
    ) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, name) in names.enumerate() {
            let path = format!("$.{key}[{i}]");
            match name {
                Some(name) => {
                    self.identifier(name, &format!("{path}.name"), what);
                    if let Some(j) = first.get(name) {
                        self.problem(
                            &format!("{path}.name"),
                            format!("{key}[{i}] and {key}[{j}] have the same name `{name}`"),
                        );
                    } else {
                        first.insert(name, i);
                        out.push(name);
                    }
                }
                None => self.problem(&path, format!("{what} has no `name`")),
            }
        }
        out
    }

    /// The problem of `$.resources[i]`, which has no type.
    pub(crate) fn untyped_resource(&mut self, i: usize) {
        self.problem(
            &format!("$.resources[{i}]"),
            "resource has no `type`".to_owned(),
        );
    }

    fn step(&mut self, step: &Value, path: &str, job: &str, jobs: &HashSet<&str>) {
        let Some(map) = step.as_object() else {
            self.problem(path, format!("a step of job `{job}` must be a mapping"));
            return;
        };
        let mut known = false;
        if let Some(get) = map.get("get") {
            known = true;
            let name = get.as_str().unwrap_or("");
            self.identifier(name, &format!("{path}.get"), "step name");
            let resource = map.get("resource").and_then(Value::as_str).unwrap_or(name);
            let resource_path = if map.contains_key("resource") {
                format!("{path}.resource")
            } else {
                format!("{path}.get")
            };
            if !self.resources.contains(resource) {
                self.problem(
                    &resource_path,
                    format!("job `{job}` gets unknown resource `{resource}`"),
                );
            }
            if let Some(passed) = map.get("passed") {
                let Some(passed) = passed.as_array() else {
                    self.problem(
                        &format!("{path}.passed"),
                        "`passed` must be a list of job names".to_owned(),
                    );
                    return;
                };
                for (k, other) in passed.iter().enumerate() {
                    let ppath = format!("{path}.passed[{k}]");
                    let Some(other) = other.as_str() else {
                        self.problem(&ppath, "a `passed` job must be a name".to_owned());
                        continue;
                    };
                    if !jobs.contains(other) {
                        self.problem(
                            &ppath,
                            format!(
                                "job `{job}`: `{name}` is constrained to pass unknown job `{other}`"
                            ),
                        );
                    } else if self.deferred.is_some() && !self.job_resources.contains_key(other) {
                        if let Some(deferred) = self.deferred.as_mut() {
                            deferred.push(Deferred {
                                path: ppath,
                                job: job.to_owned(),
                                name: name.to_owned(),
                                other: other.to_owned(),
                                resource: resource.to_owned(),
                            });
                        }
                    } else if !self
                        .job_resources
                        .get(other)
                        .is_some_and(|r| r.contains(resource))
                    {
                        self.problem(&ppath, not_used(job, name, other, resource));
                    }
                }
            }
        }
        if let Some(put) = map.get("put") {
            known = true;
            let name = put.as_str().unwrap_or("");
            self.identifier(name, &format!("{path}.put"), "step name");
            let resource = map.get("resource").and_then(Value::as_str).unwrap_or(name);
            if !self.resources.contains(resource) {
                let at = if map.contains_key("resource") {
                    "resource"
                } else {
                    "put"
                };
                self.problem(
                    &format!("{path}.{at}"),
                    format!("job `{job}` puts to unknown resource `{resource}`"),
                );
            }
        }
        if let Some(task) = map.get("task") {
            known = true;
            self.identifier(
                task.as_str().unwrap_or(""),
                &format!("{path}.task"),
                "step name",
            );
            if !map.contains_key("file") && !map.contains_key("config") {
                self.problem(
                    path,
                    format!(
                        "task `{}` of job `{job}` has neither `file` nor `config`",
                        task.as_str().unwrap_or("")
                    ),
                );
            }
        }
        if let Some(set) = map.get("set_pipeline") {
            known = true;
            let name = set.as_str().unwrap_or("");
            if name != "self" {
                self.identifier(name, &format!("{path}.set_pipeline"), "pipeline name");
            }
            if !map.contains_key("file") {
                self.problem(
                    path,
                    format!("`set_pipeline: {name}` of job `{job}` has no `file`"),
                );
            }
        }
        if map.contains_key("load_var") {
            known = true;
        }
        for key in ["in_parallel", "do", "aggregate"] {
            if let Some(inner) = map.get(key) {
                known = true;
                let (steps, base) = match inner {
                    Value::Object(o) => (o.get("steps"), format!("{path}.{key}.steps")),
                    other => (Some(other), format!("{path}.{key}")),
                };
                match steps.and_then(Value::as_array) {
                    Some(steps) => {
                        for (k, s) in steps.iter().enumerate() {
                            self.step(s, &format!("{base}[{k}]"), job, jobs);
                        }
                    }
                    None => self.problem(&base, format!("`{key}` must be a list of steps")),
                }
            }
        }
        if let Some(inner) = map.get("try") {
            known = true;
            self.step(inner, &format!("{path}.try"), job, jobs);
        }
        if !known {
            self.problem(path, format!("a step of job `{job}` has no step type (`get`, `put`, `task`, `set_pipeline`, `in_parallel`, `do`, `try`, `load_var`)"));
        }
        for hook in HOOKS {
            if let Some(inner) = map.get(*hook) {
                self.step(inner, &format!("{path}.{hook}"), job, jobs);
            }
        }
    }

    pub(crate) fn groups(
        &mut self,
        groups: Option<&'a Value>,
        jobs: &[&'a str],
        job_set: &HashSet<&'a str>,
    ) {
        self.named_list(groups, "groups", "group");
        let Some(Value::Array(items)) = groups else {
            return;
        };
        let mut grouped: HashSet<&str> = HashSet::new();
        for (i, group) in items.iter().enumerate() {
            let gname = group.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(Value::Array(members)) = group.get("jobs") {
                for (k, member) in members.iter().enumerate() {
                    let path = format!("$.groups[{i}].jobs[{k}]");
                    let Some(pattern) = member.as_str() else {
                        self.problem(&path, "a group's job must be a name".to_owned());
                        continue;
                    };
                    // A name without `*` or `?` matches only itself: looked up, not matched
                    // against every job (the groups list every job, so scanning them all per
                    // member made validation quadratic in the jobs: issue 23).
                    let matched: Vec<&str> = if pattern.contains(['*', '?']) {
                        jobs.iter()
                            .copied()
                            .filter(|j| glob_match(pattern, j))
                            .collect()
                    } else {
                        job_set.get(pattern).copied().into_iter().collect()
                    };
                    if matched.is_empty() {
                        self.problem(
                            &path,
                            format!("group `{gname}` has unknown job `{pattern}`"),
                        );
                    }
                    grouped.extend(matched);
                }
            }
            if let Some(Value::Array(members)) = group.get("resources") {
                for (k, member) in members.iter().enumerate() {
                    let name = member.as_str().unwrap_or("");
                    if !self.resources.contains(name) {
                        self.problem(
                            &format!("$.groups[{i}].resources[{k}]"),
                            format!("group `{gname}` has unknown resource `{name}`"),
                        );
                    }
                }
            }
        }
        if !items.is_empty() {
            for (i, job) in jobs.iter().enumerate() {
                if !grouped.contains(job) {
                    self.problem(
                        &format!("$.jobs[{i}]"),
                        format!("job `{job}` belongs to no group"),
                    );
                }
            }
        }
    }
}

/// Matches `name` against a group pattern with `*` and `?` (as Concourse's groups allow).
fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Says plainly which of the YAML reader's limits ([`serde_saphyr::Budget::default`]) a file
/// exceeded: they keep a hostile file (an alias bomb, a node flood) from taking unbounded
/// memory or time.
pub(crate) fn yaml_limit_problem(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let limits = serde_saphyr::Budget::default();
    let (what, limit) = match breach {
        B::Nodes { .. } => (
            "YAML nodes (mappings, sequences and scalars)",
            limits.max_nodes,
        ),
        B::Events { .. } => ("YAML parser events", limits.max_events),
        B::Aliases { .. } => ("YAML aliases (`*name`)", limits.max_aliases),
        B::Anchors { .. } => ("YAML anchors (`&name`)", limits.max_anchors),
        B::Depth { .. } => ("levels of nesting", limits.max_depth),
        B::Documents { .. } => ("YAML documents", limits.max_documents),
        B::ScalarBytes { .. } => ("bytes of scalar text", limits.max_total_scalar_bytes),
        B::MergeKeys { .. } => ("merge keys (`<<`)", limits.max_merge_keys),
        B::AliasAnchorRatio { aliases, anchors } => {
            return format!(
                "the file uses {aliases} YAML aliases for {anchors} anchors; the limit is {} \
                 per anchor (an alias bomb would expand without bound)",
                limits.alias_anchor_ratio_multiplier
            );
        }
        other => return format!("the file exceeds a limit of the YAML reader: {other:?}"),
    };
    format!("the file has more than {limit} {what}; the limit is {limit}")
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("build-*", "build-x"));
        assert!(glob_match("*-qa", "deploy-a-qa"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("build-*", "deploy-x"));
        assert!(glob_match("exact", "exact"));
    }

    #[test]
    fn a_glob_matches_the_whole_name() {
        // Concourse's group patterns are shell globs over the whole job name: `*` any run of
        // characters (none too), `?` exactly one.
        assert!(!glob_match("exact", "exactly"));
        assert!(!glob_match("exactly", "exact"));
        assert!(glob_match("build-*", "build-"));
        assert!(glob_match("a**", "a"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("?", ""));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*-qa", "deploy-qa-qa"));
        assert!(glob_match("build-*-qa", "build-a-qa-b-qa"));
        assert!(!glob_match("build-*-qa", "build-a-qa-b"));
        assert!(glob_match("*a*b", "xaybab"));
        assert!(glob_match("é?", "éa"));
        // A `*` in the name is a character like any other (an invalid job name is still
        // matched, and reported as invalid): here the pattern's `*` takes `x`, its `?` the `*`.
        assert!(glob_match("*?", "x*"));
        assert!(glob_match("*?*", "**"));
    }

    #[test]
    fn a_yaml_limit_is_named_with_the_readers_default_bound() {
        use serde_saphyr::budget::BudgetBreach as B;
        // serde-saphyr's documented defaults: 64 levels, 50,000 aliases, 10 aliases an anchor.
        assert_eq!(
            super::yaml_limit_problem(&B::Depth { depth: 65 }),
            "the file has more than 64 levels of nesting; the limit is 64"
        );
        assert_eq!(
            super::yaml_limit_problem(&B::Aliases { aliases: 50_001 }),
            "the file has more than 50000 YAML aliases (`*name`); the limit is 50000"
        );
        assert_eq!(
            super::yaml_limit_problem(&B::AliasAnchorRatio {
                aliases: 200,
                anchors: 2
            }),
            "the file uses 200 YAML aliases for 2 anchors; the limit is 10 per anchor (an alias \
             bomb would expand without bound)"
        );
    }
}
