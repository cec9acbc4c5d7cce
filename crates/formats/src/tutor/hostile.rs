//! Values `export tutor` refuses: characters a shell sees in Tutor's build files, and characters
//! that break lines in YAML, Python or a terminal.
//!
//! Tutor renders every setting with Jinja and puts some of them unquoted into shell lines
//! (`git clone {{ NOTES_REPOSITORY }} --branch {{ NOTES_REPOSITORY_VERSION }}` in tutor-notes and
//! tutor-xqueue) or into Dockerfile `ARG NAME=value` and `ADD repository#ref` lines. A git branch
//! such as `master;touch${IFS}pwned` is valid for git; it is refused here.
//!
//! The stage's `TUTOR_*` vars reach Tutor too, so their string values get the same refusal
//! ([`var_refusals`]), as do vars setting what Tutor treats specially (`PLUGINS`: which plugins
//! run) and vars setting what the export derives from the matrix (a var applied after, so over,
//! `NOTES_REPOSITORY_VERSION` would bypass the branch's refusal) — issue 22.

use edx_matrix_model::vars::VarValue;
use edx_matrix_model::{AppField, EntryField, ReleaseField};
use edx_matrix_model::{Matrix, Row, Subject};

/// A value the export refuses, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Where the value comes from in the matrix (a source map turns it into file:line:col).
    pub subject: Subject,
    /// The offending value, exactly.
    pub value: String,
    /// What is wrong with it.
    pub problem: String,
}

/// Characters refused in branches and repositories: a shell, Dockerfile or Jinja sees them.
pub(crate) const SHELL_METACHARACTERS: &[char] = &[
    ';', '&', '|', '$', '`', '(', ')', '<', '>', '\\', '"', '\'', '*', '?', '[', ']', '{', '}',
    '!', '#', ' ', '\t',
];

/// Returns why `c` breaks a line or reorders text: U+2028, U+2029, U+0085, bidi controls,
/// other control characters.
pub(crate) fn line_breaking(c: char) -> Option<&'static str> {
    match c {
        '\u{2028}' => Some("U+2028 LINE SEPARATOR"),
        '\u{2029}' => Some("U+2029 PARAGRAPH SEPARATOR"),
        '\u{85}' => Some("U+0085 NEXT LINE"),
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some("a bidirectional control character"),
        c if c.is_control() => Some("a control character"),
        _ => None,
    }
}

fn problem_in(value: &str, shell: bool) -> Option<String> {
    for c in value.chars() {
        if let Some(what) = line_breaking(c) {
            return Some(format!("contains {what} (U+{:04X})", u32::from(c)));
        }
        if shell && SHELL_METACHARACTERS.contains(&c) {
            return Some(format!(
                "contains {c:?}, which Tutor's build files would pass to a shell, Dockerfile or Jinja"
            ));
        }
    }
    None
}

/// Returns every refused value among the names and `rows` of one (deployment, stage).
pub(crate) fn refusals(
    matrix: &Matrix,
    deployment: &str,
    stage: &str,
    rows: &[Row<'_>],
) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut push = |subject: Subject, value: &str, shell: bool| {
        if let Some(problem) = problem_in(value, shell)
            && !out.iter().any(|r: &Refusal| r.subject == subject)
        {
            out.push(Refusal {
                subject,
                value: value.to_owned(),
                problem,
            });
        }
    };
    if let Some(index) = matrix
        .deployments
        .iter()
        .position(|d| d.name.as_str() == deployment)
    {
        push(Subject::Deployment { index }, deployment, false);
        if let Some(s) = matrix.deployments[index]
            .stages
            .iter()
            .position(|p| p.stage.as_str() == stage)
        {
            let pin = Subject::Stage {
                deployment: index,
                index: s,
                release: false,
            };
            push(pin, stage, false);
        }
    }
    for row in rows {
        let release_index = matrix
            .releases
            .iter()
            .position(|r| r.name.as_str() == row.release);
        if let Some(index) = release_index {
            push(Subject::Release { index, field: None }, row.release, false);
        }
        let app_index = matrix
            .applications
            .iter()
            .position(|a| a.name.as_str() == row.application);
        let entry = matrix.release_map.iter().position(|e| {
            e.release.as_str() == row.release && e.deployment.as_str() == row.deployment
        });
        let version = entry.and_then(|e| {
            matrix.release_map[e]
                .apps
                .iter()
                .position(|a| a.application.as_str() == row.application)
                .map(|a| (e, a, &matrix.release_map[e].apps[a]))
        });
        let entry_field = |field| {
            version.map(|(entry, app, _)| Subject::EntryApp {
                entry,
                app,
                field: Some(field),
            })
        };
        let app_field = |field| app_index.map(|index| Subject::Application { index, field });
        if let Some(subject) = app_field(None) {
            push(subject, row.application, false);
        }
        // The branch: the entry's own, else its release's (templated) branch.
        let branch_at = match version {
            Some((_, _, v)) if v.branch.is_some() => entry_field(EntryField::Branch),
            Some((_, _, v)) => matrix
                .releases
                .iter()
                .position(|r| r.name == v.release)
                .map(|index| Subject::Release {
                    index,
                    field: Some(ReleaseField::Branch),
                }),
            None => None,
        };
        if let Some(subject) = branch_at {
            push(subject, row.release_branch, true);
        }
        let origin_at = match version {
            Some((_, _, v)) if v.origin.is_some() => entry_field(EntryField::Origin),
            _ => app_field(Some(AppField::Repository)),
        };
        if let Some(subject) = origin_at {
            push(subject, row.git_origin, true);
        }
        let runtime_at = match version {
            Some((_, _, v)) if v.runtime.is_some() => entry_field(EntryField::Runtime),
            Some((_, _, v)) => matrix
                .releases
                .iter()
                .position(|r| r.name == v.release)
                .map(|index| Subject::Release {
                    index,
                    field: Some(match row.kind {
                        edx_matrix_model::AppKind::Ida => ReleaseField::Python,
                        edx_matrix_model::AppKind::Mfe => ReleaseField::Node,
                    }),
                }),
            None => None,
        };
        if let (Some(subject), Some(runtime)) = (runtime_at, row.runtime_version) {
            push(subject, runtime, true);
        }
        if let (Some(path), Some(subject)) = (row.path, app_field(Some(AppField::Path))) {
            push(subject, path, false);
        }
        for (i, command) in row.translations.unwrap_or_default().iter().enumerate() {
            if let Some(subject) = entry_field(EntryField::Translation(i)) {
                push(subject, command, false);
            }
        }
    }
    out
}

/// Tutor settings no `TUTOR_*` var may set: the plugin machinery (which plugins are enabled and
/// where they are loaded from), and the version check the plugin makes itself.
pub(crate) const RESERVED_SETTINGS: &[&str] = &["PLUGINS", "PLUGINS_ROOT", "PLUGIN_INDEXES"];

/// Returns a refusal for each `TUTOR_*` var of (`deployment`, `stage`) that Tutor must not get:
/// a string value with a character [`refusals`] refuses in branches, a [`RESERVED_SETTINGS`]
/// name, or a setting in `derived` (the settings the export sets from the matrix). Each is
/// located at the stage when the stage sets the var, else at the deployment.
pub(crate) fn var_refusals(
    matrix: &Matrix,
    deployment: &str,
    stage: &str,
    derived: &[&str],
) -> Vec<Refusal> {
    let Some(index) = matrix
        .deployments
        .iter()
        .position(|d| d.name.as_str() == deployment)
    else {
        return Vec::new();
    };
    let d = &matrix.deployments[index];
    let pin = d.stages.iter().position(|p| p.stage.as_str() == stage);
    let mut out = Vec::new();
    let vars = edx_matrix_model::vars::of_stage(matrix, deployment, stage);
    for (name, value) in vars.iter() {
        let Some(setting) = name.strip_prefix(super::vars::PREFIX) else {
            continue;
        };
        let subject = match pin {
            Some(s) if d.stages[s].vars.get(name).is_some() => Subject::Stage {
                deployment: index,
                index: s,
                release: false,
            },
            _ => Subject::Deployment { index },
        };
        let shown = match value {
            VarValue::String(text) => text.clone(),
            other => super::vars::python_literal(other),
        };
        let problem = if RESERVED_SETTINGS.contains(&setting) {
            Some(format!(
                "var `{name}` would set Tutor's `{setting}`, which decides what code Tutor runs; \
                 enable plugins with `tutor plugins enable`"
            ))
        } else if derived.contains(&setting) {
            Some(format!(
                "var `{name}` would replace `{setting}`, which the export sets from the matrix \
                 (and checks); change the matrix instead"
            ))
        } else if let VarValue::String(text) = value {
            problem_in(text, true).map(|p| format!("var `{name}` {p}"))
        } else {
            None
        };
        if let Some(problem) = problem {
            out.push(Refusal {
                subject,
                value: shown,
                problem,
            });
        }
    }
    out
}
