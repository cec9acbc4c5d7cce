//! A pipeline file checked as Concourse reads it (`pipeline validate FILE`): read as YAML (JSON
//! is YAML too, and `fly` reads both that way) keeping every node's position, the shape and type
//! of every field checked against Concourse's schema, then the references checked by the
//! validator; every problem located by path, line and column.

use crate::validate::{self, yaml_limit_problem};
use crate::{schema, yaml};
use serde::Serialize;

/// One problem of a pipeline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// Where in the configuration: `$.jobs[2].plan[0].max_in_flight` (`$` for the whole file).
    pub path: String,
    /// The 1-based line of the field (or of its nearest enclosing node), when known.
    pub line: Option<usize>,
    /// The 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Returns every problem of the pipeline configuration `text`, in the order of the file.
pub fn check_file(text: &str) -> Vec<FileProblem> {
    let document = match yaml::read(text) {
        Ok(document) => document,
        Err(error) => return vec![unreadable(&error)],
    };
    let locate = |path: String, message: String| {
        let place = document.place(&path);
        FileProblem {
            path,
            line: place.map(|p| p.0),
            column: place.map(|p| p.1),
            message,
        }
    };
    let shape = schema::check(&document.value);
    // The validator says some shape problems again in its own words (`plan` not a list): the
    // schema's say it once.
    let references: Vec<_> = validate::validate(&document.value)
        .into_iter()
        .filter(|p| !shape.iter().any(|s| s.path == p.path))
        .collect();
    let mut problems: Vec<FileProblem> = shape
        .into_iter()
        .map(|p| locate(p.path, p.message))
        .chain(references.into_iter().map(|p| locate(p.path, p.message)))
        .collect();
    // Stable: problems at one place keep the schema's order, then the validator's.
    problems.sort_by_key(|p| (p.line.unwrap_or(0), p.column.unwrap_or(0)));
    problems
}

fn unreadable(error: &serde_saphyr::Error) -> FileProblem {
    let error = error.without_snippet();
    let at = error.location().filter(|l| l.line() > 0).and_then(|l| {
        Some((
            usize::try_from(l.line()).ok()?,
            usize::try_from(l.column()).ok()?,
        ))
    });
    let message = match error {
        serde_saphyr::Error::Budget { breach, .. } => yaml_limit_problem(breach),
        other => format!("invalid YAML: {other}"),
    };
    FileProblem {
        path: "$".to_owned(),
        line: at.map(|p| p.0),
        column: at.map(|p| p.1),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Option<usize>, String, String)> {
        check_file(text)
            .into_iter()
            .map(|p| (p.line, p.path, p.message))
            .collect()
    }

    #[test]
    fn a_leaked_number_map_is_refused_at_its_line() {
        let text = "resources: []\njobs:\n- name: a\n  plan:\n  - task: t\n    file: x.yml\n  max_in_flight:\n    \"$serde_json::private::Number\": \"1\"\n";
        assert_eq!(
            found(text),
            [(
                Some(7),
                "$.jobs[0].max_in_flight".to_owned(),
                "must be an integer, not a mapping".to_owned()
            )]
        );
    }

    /// The validator's problems come with the schema's, in the order of the file, but for one
    /// at a path the schema already reported.
    #[test]
    fn reference_problems_come_with_shape_problems_but_a_place_is_reported_once() {
        let text = "resources: []\njobs:\n- name: a\n  plan:\n  - get: sauce\n  max_in_flight:\n    \"$serde_json::private::Number\": \"1\"\n";
        assert_eq!(
            found(text),
            [
                (
                    Some(5),
                    "$.jobs[0].plan[0].get".to_owned(),
                    "job `a` gets unknown resource `sauce`".to_owned()
                ),
                (
                    Some(6),
                    "$.jobs[0].max_in_flight".to_owned(),
                    "must be an integer, not a mapping".to_owned()
                ),
            ]
        );
        // A plan that is no list: both checks object, the file gets one problem.
        let problems = found("resources: []\njobs:\n- name: a\n  plan: 3\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].1, "$.jobs[0].plan");
    }

    #[test]
    fn unreadable_yaml_is_one_located_problem() {
        let problems = check_file("jobs:\n- name: a\n  plan: [\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.starts_with("invalid YAML"),
            "{problems:?}"
        );
        assert!(problems[0].line.is_some(), "{problems:?}");
    }
}
