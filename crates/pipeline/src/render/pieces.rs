//! A standard or meta pipeline checked and written as YAML a piece at a time (issue 23): each
//! resource type, resource, job and group becomes a JSON value of its own, is checked against
//! the schema and the validator, written, and dropped. A family pipeline at 200 deployments is
//! megabytes as one value; made whole, checked, written and freed per pipeline it missed the
//! caches and made glibc give the heap back to the kernel and fault it in again for the next.
//!
//! The validator's cross-references (resources, jobs, what each job uses, groups) come from a
//! compact index of names taken from the typed pipeline the pieces serialize from. The text is
//! the whole value's: a top-level key's list is written one element at a time as
//! `key:\n- ...`, the `key:\n` of every element but the first dropped.

use super::{Unwritable, WriteFailed};
use crate::concourse::{Job, Pipeline, Step};
use crate::validate::Checker;
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Borrow;
use std::collections::HashSet;

/// Writes the YAML of `pipeline` (called `name`) to `out` as it checks it, as
/// [`super::problems`] checks the whole value: the same problems, the schema's first, as
/// `Unwritable::Invalid` once every piece is written (the caller discards the text then). In
/// the same order, but the schema's follow the pieces and a `passed` constraint on a later
/// job comes after the jobs' problems. [`write_streamed`] of the pipeline's own jobs.
pub(crate) fn write_yaml(
    name: &str,
    pipeline: &Pipeline,
    out: &mut dyn std::io::Write,
) -> Result<(), WriteFailed> {
    let job_names = pipeline.jobs.iter().map(|j| j.name.as_str());
    write_streamed(name, pipeline, job_names, pipeline.jobs.iter(), out)
}

/// [`write_yaml`] of a pipeline whose jobs (`pipeline.jobs` is not read) are made as they are
/// written: `jobs`, named `job_names`. Each job is checked against the jobs made before it;
/// a `passed` constraint on a later job is settled at the end. A resource nobody declares is
/// not in the index: a `passed` on it is reported as unused besides the unknown resource.
pub(crate) fn write_streamed<'p, J: Borrow<Job> + Serialize>(
    name: &str,
    pipeline: &'p Pipeline,
    job_names: impl Iterator<Item = &'p str>,
    jobs: impl Iterator<Item = J>,
    out: &mut dyn std::io::Write,
) -> Result<(), WriteFailed> {
    // The groups are names only: one small value, kept for the groups' check at the end.
    let groups = to_value(&pipeline.groups, name)?;
    let mut c = Checker {
        deferred: Some(Vec::new()),
        ..Checker::default()
    };
    // The names, checked as `validate` checks them first (the typed pipeline has no other
    // top-level key, and every item has a name).
    c.names(
        pipeline
            .resource_types
            .iter()
            .map(|t| Some(t.name.as_str())),
        "resource_types",
        "resource type",
    );
    let resources = c.names(
        pipeline.resources.iter().map(|r| Some(r.name.as_str())),
        "resources",
        "resource",
    );
    c.resources.extend(resources);
    for (i, resource) in pipeline.resources.iter().enumerate() {
        if resource.kind.is_empty() {
            c.untyped_resource(i);
        }
    }
    // Each name shortened to the checker's lifetime (the groups' value's, made here).
    let job_list = c.names(
        job_names.map(|n| -> Option<&str> { Some(n) }),
        "jobs",
        "job",
    );
    let job_set: HashSet<&str> = job_list.iter().copied().collect();
    let mut w = Writer {
        name,
        out,
        scratch: String::new(),
        schema: Vec::new(),
    };
    if !pipeline.resource_types.is_empty() {
        w.list(
            "resource_types",
            pipeline.resource_types.iter(),
            |_, _, _| {},
        )?;
    }
    w.list("resources", pipeline.resources.iter(), |_, _, _| {})?;
    w.list("jobs", jobs, |i, job: &J, value| {
        // What the job uses, before its own `passed` are checked (it may name itself).
        let job = job.borrow();
        if let Some(key) = job_set.get(job.name.as_str()) {
            let mut used = HashSet::new();
            job.plan.iter().for_each(|step| uses(step, &mut used));
            let entry = c.job_resources.entry(key).or_default();
            entry.extend(used.into_iter().filter_map(|r| c.resources.get(r).copied()));
        }
        c.job(i, value, &job_set);
    })?;
    c.settle();
    let groups = match groups {
        Value::Array(items) if !items.is_empty() => {
            w.list("groups", items.iter(), |_, _, _| {})?;
            Some(Value::Array(items))
        }
        _ => None,
    };
    c.groups(groups.as_ref(), &job_list, &job_set);
    let mut problems = w.schema;
    problems.extend(
        c.problems
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message)),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(WriteFailed::Unwritable(Unwritable::Invalid {
            name: name.to_owned(),
            problems,
        }))
    }
}

/// Where the pieces go, and the schema's problems with them.
struct Writer<'o> {
    name: &'o str,
    out: &'o mut dyn std::io::Write,
    /// One piece's text, reused.
    scratch: String,
    schema: Vec<String>,
}

impl Writer<'_> {
    /// Checks and writes `key: items`, one item at a time; `check` sees each item and its value.
    fn list<T: Serialize>(
        &mut self,
        key: &str,
        items: impl Iterator<Item = T>,
        mut check: impl FnMut(usize, &T, &Value),
    ) -> Result<(), WriteFailed> {
        let mut any = false;
        for (i, item) in items.enumerate() {
            any = true;
            let value = to_value(&item, self.name)?;
            check(i, &item, &value);
            self.piece(key, i, vec![value])?;
        }
        if !any {
            return self.piece(key, 0, Vec::new());
        }
        Ok(())
    }

    /// Checks `{key: items}` (one item, or none) against the schema as the item at
    /// `$.key[i]`, and writes it: whole for the first, without its `key:` line after.
    fn piece(&mut self, key: &str, i: usize, items: Vec<Value>) -> Result<(), WriteFailed> {
        let mut top = Map::new();
        top.insert(key.to_owned(), Value::Array(items));
        let top = Value::Object(top);
        let at = format!("$.{key}[0]");
        for p in crate::schema::check(&top) {
            // The schema's items are independent (no `uniqueItems` or count): the item's
            // problems alone are its problems in the whole list, at its own index.
            let path = match p.path.strip_prefix(&at) {
                Some(rest) => format!("$.{key}[{i}]{rest}"),
                None => p.path,
            };
            self.schema.push(format!("schema: {path}: {}", p.message));
        }
        self.scratch.clear();
        crate::yaml::write::value_to_fmt(&top, &mut self.scratch).map_err(|e| {
            WriteFailed::Unwritable(Unwritable::Invalid {
                name: self.name.to_owned(),
                problems: vec![e.to_string()],
            })
        })?;
        let text = if i == 0 {
            self.scratch.as_str()
        } else {
            let header = format!("{key}:\n");
            self.scratch
                .strip_prefix(header.as_str())
                .unwrap_or(&self.scratch)
        };
        self.out.write_all(text.as_bytes()).map_err(WriteFailed::Io)
    }
}

fn to_value<T: Serialize>(item: &T, name: &str) -> Result<Value, WriteFailed> {
    serde_json::to_value(item).map_err(|e| {
        WriteFailed::Unwritable(Unwritable::Invalid {
            name: name.to_owned(),
            problems: vec![e.to_string()],
        })
    })
}

/// The resources a step gets or puts: `validate`'s `uses` over the value the step serializes
/// to, read off the typed step. Like it, a `get` or `put` key among a task's `output_mapping`
/// counts (its walk skips only `config`, `params`, `source` and `vars`).
fn uses<'p>(step: &'p Step, used: &mut HashSet<&'p str>) {
    match step {
        Step::Get(get) => {
            used.insert(get.resource.as_deref().unwrap_or(&get.get));
        }
        Step::Put(put) => {
            used.insert(&put.put);
        }
        Step::Task(task) => {
            let mapping = &task.output_mapping;
            for key in ["get", "put"] {
                if let Some(name) = mapping.get(key) {
                    used.insert(mapping.get("resource").unwrap_or(name));
                }
            }
        }
        Step::SetPipeline(_) => {}
        Step::InParallel(s) => s.in_parallel.iter().for_each(|s| uses(s, used)),
        Step::InParallelEnsure(s) => {
            s.in_parallel.steps.iter().for_each(|s| uses(s, used));
            if let Some(ensure) = &s.ensure {
                uses(ensure, used);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn pipeline(value: Value) -> Pipeline {
        serde_json::from_value(value).unwrap()
    }

    fn task(name: &str) -> Value {
        json!({"task": name, "config": {"platform": "linux",
            "image_resource": {"type": "registry-image", "source": {"repository": "busybox"}},
            "run": {"path": "true"}}})
    }

    /// Written a piece at a time: the whole value's YAML and problems, or an error.
    fn pieces(p: &Pipeline) -> Result<String, Vec<String>> {
        let mut out = Vec::new();
        match write_yaml("p", p, &mut out) {
            Ok(()) => Ok(String::from_utf8(out).unwrap()),
            Err(WriteFailed::Unwritable(Unwritable::Invalid { problems, .. })) => Err(problems),
            Err(other) => panic!("{other:?}"),
        }
    }

    /// What the whole value gives: its YAML when it has no problems, else the problems.
    fn whole(p: &Pipeline) -> Result<String, Vec<String>> {
        let value = p.to_value();
        let problems = super::super::problems(&value);
        if problems.is_empty() {
            Ok(crate::yaml::value_to_string(&value).unwrap())
        } else {
            Err(problems)
        }
    }

    #[test]
    fn a_valid_pipeline_is_the_whole_values_text() {
        let p = pipeline(json!({
            "resource_types": [
                {"name": "slack", "type": "registry-image", "source": {"repository": "s"}},
                {"name": "approval", "type": "registry-image", "source": {"repository": "a"}},
            ],
            "resources": [
                {"name": "repo", "type": "git", "icon": "git", "source": {"uri": "u", "branch": "b"}},
                {"name": "image", "type": "registry-image", "source": {"tag": "1: x"}},
            ],
            "jobs": [
                {"name": "build", "plan": [{"get": "repo", "trigger": true}, task("b"),
                    {"put": "image", "params": {"n": 1}}]},
                {"name": "deploy", "serial": true, "plan": [
                    {"in_parallel": [{"get": "image", "passed": ["build"]},
                        {"get": "src", "resource": "repo", "passed": ["build"]}]},
                    task("d")]},
            ],
            "groups": [{"name": "all", "jobs": ["build", "deploy"]}],
        }));
        let text = pieces(&p).unwrap();
        assert_eq!(Ok(text.clone()), whole(&p));
        // Every list is there, each element once, in order (not the header of each).
        assert_eq!(text.lines().filter(|l| *l == "jobs:").count(), 1, "{text}");
        assert!(
            text.starts_with("resource_types:\n- name: slack\n"),
            "{text}"
        );
        assert!(text.contains("groups:\n- name: all\n  jobs:\n  - build\n  - deploy\n"));
        // Empty lists: `resources` and `jobs` are always written, the others not.
        let empty = Pipeline::default();
        assert_eq!(pieces(&empty).unwrap(), "resources: []\njobs: []\n");
        assert_eq!(Ok(pieces(&empty).unwrap()), whole(&empty));
    }

    #[test]
    fn the_problems_are_the_whole_values_in_its_order() {
        let p = pipeline(json!({
            "resources": [
                {"name": "repo", "type": "git", "source": {}},
                {"name": "repo", "type": "", "source": {}},
                {"name": "Bad Name", "type": "git", "source": {}},
            ],
            "jobs": [
                // `passed` of a later job, which does not use the resource.
                {"name": "a", "plan": [{"get": "repo", "passed": ["b"]},
                    {"get": "x", "resource": "missing"}, {"put": "nowhere"},
                    {"task": "t"}]},
                {"name": "b", "plan": [{"get": "other", "resource": "Bad Name",
                    "passed": ["a", "ghost"]}]},
                {"name": "a", "plan": [task("again")]},
                {"name": "lonely", "plan": [{"in_parallel": [{"put": "repo"}]}]},
            ],
            "groups": [{"name": "g", "jobs": ["a", "b", "nobody", "lone*"]},
                {"name": "g", "jobs": []}],
        }));
        let problems = pieces(&p).unwrap_err();
        // The same problems; in the same order but the `passed` constraint on a later job
        // (settled once every job is made), which comes after the jobs' own.
        let deferred = "$.jobs[0].plan[0].passed[0]: job `a`: `repo` is constrained to pass \
                        job `b`, which does not use resource `repo`";
        let mut whole = whole(&p).unwrap_err();
        let at = whole.iter().position(|p| p == deferred).unwrap();
        let moved = whole.remove(at);
        let groups = whole
            .iter()
            .position(|p| p.starts_with("$.groups"))
            .unwrap();
        whole.insert(groups, moved);
        assert_eq!(problems, whole);
        for expected in [
            "$.resources[1].name: resources[1] and resources[0] have the same name `repo`",
            "$.resources[1]: resource has no `type`",
            "$.jobs[0].plan[0].passed[0]: job `a`: `repo` is constrained to pass job `b`, \
             which does not use resource `repo`",
            "$.jobs[0].plan[1].resource: job `a` gets unknown resource `missing`",
            "$.jobs[1].plan[0].passed[1]: job `b`: `other` is constrained to pass unknown job \
             `ghost`",
            "$.groups[0].jobs[2]: group `g` has unknown job `nobody`",
        ] {
            assert!(
                problems.iter().any(|p| p == expected),
                "{expected}\n{problems:#?}"
            );
        }
    }

    #[test]
    fn a_schema_problem_is_located_at_its_own_index() {
        // A typed pipeline always fits the schema, so the piece is a value: a task's `params`
        // must be strings. As the fourth job of a whole pipeline, the same problem, there.
        let bad = json!({"name": "d", "plan": [{"task": "t", "file": "f", "params": {"N": 1}}]});
        let mut out = Vec::new();
        let mut w = Writer {
            name: "p",
            out: &mut out,
            scratch: String::new(),
            schema: Vec::new(),
        };
        w.piece("jobs", 3, vec![bad.clone()]).unwrap();
        let ok = |name: &str| json!({"name": name, "plan": [task("t")]});
        let config = json!({"jobs": [ok("a"), ok("b"), ok("c"), bad]});
        let whole: Vec<String> = super::super::problems(&config)
            .into_iter()
            .filter(|p| p.starts_with("schema: "))
            .collect();
        assert_eq!(w.schema, whole);
        assert_eq!(
            w.schema,
            ["schema: $.jobs[3].plan[0].params.N: must be a string, not the number 1"]
        );
        // Not the first element: written without the list's key.
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("- name: d\n"), "{out}");
    }

    #[test]
    fn uses_reads_the_steps_a_value_walk_would() {
        let p = pipeline(json!({"jobs": [{"name": "j", "plan": [
            {"get": "a"}, {"get": "b", "resource": "c"}, {"put": "d"},
            {"in_parallel": {"steps": [{"get": "e"}], "fail_fast": false},
             "ensure": {"put": "f"}},
            {"task": "t", "file": "x", "output_mapping": {"get": "g"}},
        ]}]}));
        let mut used = HashSet::new();
        p.jobs[0].plan.iter().for_each(|s| uses(s, &mut used));
        let mut used: Vec<&str> = used.into_iter().collect();
        used.sort_unstable();
        assert_eq!(used, ["a", "c", "d", "e", "f", "g"]);
    }
}
