//! What `edx-matrix` knows about upstream Open edX releases: a small list of manual upgrade
//! steps, each with its source. `init` and `release add` copy them into the matrix file, where
//! operators edit them; [`Runbooks::steps_for`](super::Runbooks::steps_for) falls back to them
//! for a release the file has no runbook for.
//!
//! Keep it small and sourced (see `docs/runbooks.md`): a command goes in only when its source
//! names it; otherwise the step says to check the upstream release notes.

use super::{RunbookStep, When};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// One built-in step.
struct Known {
    /// The release it belongs to, or `None` for every release.
    release: Option<&'static str>,
    text: &'static str,
    command: Option<&'static str>,
    when: When,
    source: &'static str,
}

/// The operators' notes this project started from (shared/docs/seed-release-versioning.txt,
/// "Note - TMM 2023-04-14" and "Troubleshooting / OpenEdX Redwood").
const OPERATORS_NOTES: &str = "edx-matrix built-in: operators' upgrade notes (docs/runbooks.md)";

const KNOWN: &[Known] = &[
    // Every release. Source: the operators' notes, "Note - TMM 2023-04-14": "Once a new release
    // is deployed to a given environment stage for the first time it may be necessary to
    // manually ensure that all database migrations are run properly. It will be attempted
    // automatically on deployment, but there are often conflicts between the existing database
    // state and the migration logic that require intervention." `showmigrations` is Django's
    // own command and marks unapplied migrations with `[ ]`.
    Known {
        release: None,
        text: "Check that every database migration ran: the deploy attempts them, but conflicts \
               with the existing database state often need a hand. Unapplied migrations show as \
               `[ ]`; check the CMS too (`./manage.py cms showmigrations`).",
        command: Some("./manage.py lms showmigrations"),
        when: When::FirstDeploy,
        source: OPERATORS_NOTES,
    },
    // Redwood. Source: the operators' notes, "Troubleshooting / OpenEdX Redwood": login failed
    // with a 500 (a JWT signing failure) until keys from edx-platform's
    // `manage.py generate_jwt_signing_key` were added to the secrets. `edx-matrix jwt-keygen`
    // prints the same settings without an LMS container.
    Known {
        release: Some("redwood"),
        text: "Generate JWT signing keys and add them to this stage's secrets \
               (COMMON_JWT_PUBLIC_SIGNING_JWK_SET, EDXAPP_JWT_PRIVATE_SIGNING_JWK, \
               EDXAPP_JWT_SIGNING_ALGORITHM): without them LMS login fails with a 500. Pass the \
               current public set with `--previous-set` to keep existing tokens valid.",
        command: Some("edx-matrix jwt-keygen"),
        when: When::FirstDeploy,
        source: OPERATORS_NOTES,
    },
    // Olive. Source: Open edX wiki, "Migrating to Persistent Grading": "Starting in Olive,
    // persistent grades are enabled by-default. [...] it does require that all operators run
    // the backfill [...] as part of their Olive upgrade if they have not already enabled
    // persistent grades." The backfill is the `compute_grades` management command
    // (lms/djangoapps/grades/management/commands/compute_grades.py: `--all_courses`).
    Known {
        release: Some("olive"),
        text: "If persistent grades were not enabled before, backfill them: Olive always uses \
               persistent grades. Check the upstream release notes for batching options.",
        command: Some("./manage.py lms compute_grades --all_courses"),
        when: When::FirstDeploy,
        source: "https://openedx.atlassian.net/wiki/spaces/AC/pages/755171487/Migrating+to+Persistent+Grading",
    },
];

/// Returns the built-in steps for `release`: the every-release steps, then its own.
pub(crate) fn steps(release: &str) -> Vec<RunbookStep> {
    KNOWN
        .iter()
        .filter(|k| k.release.is_none_or(|r| r == release))
        .map(|k| RunbookStep {
            text: k.text.to_owned(),
            command: k.command.map(str::to_owned),
            when: k.when,
            stages: Vec::new(),
            source: Some(k.source.to_owned()),
        })
        .collect()
}

/// Returns the names of the releases with steps of their own.
pub(crate) fn releases() -> Vec<&'static str> {
    KNOWN.iter().filter_map(|k| k.release).collect()
}

/// Adds a `[[runbooks.RELEASE]]` block per built-in step of `release` to `doc`, unless it has
/// a runbook for `release` already. Returns whether it added anything.
pub(crate) fn insert(doc: &mut DocumentMut, release: &str) -> bool {
    let steps = steps(release);
    if steps.is_empty() {
        return false;
    }
    let root = doc.as_table_mut();
    if !root.contains_key("runbooks") {
        let mut table = Table::new();
        table.set_implicit(true);
        root.insert("runbooks", Item::Table(table));
    }
    let Some(runbooks) = root.get_mut("runbooks").and_then(Item::as_table_like_mut) else {
        return false;
    };
    if runbooks.contains_key(release) {
        return false;
    }
    let mut array = ArrayOfTables::new();
    for step in steps {
        array.push(step_table(&step));
    }
    runbooks.insert(release, Item::ArrayOfTables(array));
    true
}

fn step_table(step: &RunbookStep) -> Table {
    let mut table = Table::new();
    table.insert("text", value(step.text.as_str()));
    if let Some(command) = &step.command {
        table.insert("command", value(command.as_str()));
    }
    table.insert("when", value(step.when.as_str()));
    if let Some(source) = &step.source {
        table.insert("source", value(source.as_str()));
    }
    table
}

/// Returns a `[runbooks]` section with the built-in steps of `releases`, for a new matrix file.
pub(crate) fn section(releases: &[&str]) -> String {
    let mut doc = DocumentMut::new();
    for release in releases {
        insert(&mut doc, release);
    }
    align_keys(&doc.to_string())
}

/// Pads the keys of each table to one column, as `edx-matrix fmt` writes them (the steps are
/// one-line `key = value` pairs under `[[runbooks.NAME]]` headers).
fn align_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    while start < lines.len() {
        let end = lines[start..]
            .iter()
            .position(|l| l.is_empty() || l.starts_with('['))
            .map_or(lines.len(), |i| start + i);
        let width = lines[start..end]
            .iter()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.len()))
            .max()
            .unwrap_or(0);
        for line in &lines[start..end] {
            match line.split_once(" = ") {
                Some((key, value)) => out.push_str(&format!("{key:width$} = {value}\n")),
                None => out.push_str(&format!("{line}\n")),
            }
        }
        if let Some(line) = lines.get(end) {
            out.push_str(line);
            out.push('\n');
        }
        start = end + 1;
    }
    out
}
