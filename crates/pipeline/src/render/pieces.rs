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

use super::Unwritable;
use crate::concourse::{Pipeline, Step};
use crate::validate::Checker;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Appends the YAML of `pipeline` (called `name`) to `out` after checking it as
/// [`super::problems`] checks the whole value: the same problems (the schema's in the order
/// of the pieces), the schema's first, as `Unwritable::Invalid`.
pub(crate) fn write_yaml(
    name: &str,
    pipeline: &Pipeline,
    out: &mut String,
) -> Result<(), Unwritable> {
    // The groups are names only: one small value, kept for the groups' check at the end.
    let groups = to_value(&pipeline.groups, name)?;
    let mut c = Checker::default();
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
    let jobs = c.names(
        pipeline.jobs.iter().map(|j| Some(j.name.as_str())),
        "jobs",
        "job",
    );
    let job_set: HashSet<&str> = jobs.iter().copied().collect();
    // What each job uses, before any job is checked: `passed` may name a later job.
    for job in &pipeline.jobs {
        let used = c.job_resources.entry(job.name.as_str()).or_default();
        for step in &job.plan {
            uses(step, used);
        }
    }
    let mut w = Writer {
        name,
        out,
        scratch: String::new(),
        schema: Vec::new(),
    };
    if !pipeline.resource_types.is_empty() {
        w.list("resource_types", &pipeline.resource_types, |_, _| {})?;
    }
    w.list("resources", &pipeline.resources, |_, _| {})?;
    w.list("jobs", &pipeline.jobs, |i, job| c.job(i, job, &job_set))?;
    let groups = match groups {
        Value::Array(items) if !items.is_empty() => {
            w.list("groups", &items, |_, _| {})?;
            Some(Value::Array(items))
        }
        _ => None,
    };
    c.groups(groups.as_ref(), &jobs, &job_set);
    let mut problems = w.schema;
    problems.extend(
        c.problems
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message)),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Unwritable::Invalid {
            name: name.to_owned(),
            problems,
        })
    }
}

/// Where the pieces go, and the schema's problems with them.
struct Writer<'o> {
    name: &'o str,
    out: &'o mut String,
    /// One piece's text, reused.
    scratch: String,
    schema: Vec<String>,
}

impl Writer<'_> {
    /// Checks and writes `key: items`, one item at a time; `check` sees each item's value.
    fn list<T: Serialize>(
        &mut self,
        key: &str,
        items: &[T],
        mut check: impl FnMut(usize, &Value),
    ) -> Result<(), Unwritable> {
        if items.is_empty() {
            return self.piece(key, 0, Vec::new());
        }
        for (i, item) in items.iter().enumerate() {
            let value = to_value(item, self.name)?;
            check(i, &value);
            self.piece(key, i, vec![value])?;
        }
        Ok(())
    }

    /// Checks `{key: items}` (one item, or none) against the schema as the item at
    /// `$.key[i]`, and writes it: whole for the first, without its `key:` line after.
    fn piece(&mut self, key: &str, i: usize, items: Vec<Value>) -> Result<(), Unwritable> {
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
            Unwritable::Invalid {
                name: self.name.to_owned(),
                problems: vec![e.to_string()],
            }
        })?;
        let text = if i == 0 {
            self.scratch.as_str()
        } else {
            let header = format!("{key}:\n");
            self.scratch
                .strip_prefix(header.as_str())
                .unwrap_or(&self.scratch)
        };
        self.out.push_str(text);
        Ok(())
    }
}

fn to_value<T: Serialize>(item: &T, name: &str) -> Result<Value, Unwritable> {
    serde_json::to_value(item).map_err(|e| Unwritable::Invalid {
        name: name.to_owned(),
        problems: vec![e.to_string()],
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
