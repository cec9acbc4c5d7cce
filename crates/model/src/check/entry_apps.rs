//! Checks of the applications of one release-map entry.

use super::problem::MatrixProblem;
use super::subject::{EntryField, Subject};
use super::undefined_release;
use super::values::{branch_problem, repository_problem, runtime_problem};
use crate::code::Code;
use crate::matrix::{AppKind, Matrix};
use foldhash::{HashMap, HashMapExt};

/// What checking one entry's applications carries to the next. Entries mostly list the same
/// applications in the same order: a name the previous entry had at the same place reuses its
/// look-up, compared instead of hashed (issue 23).
pub(super) struct EntryApps<'m> {
    /// Per catalogue application, the last entry that named it and where: one array for every
    /// entry's duplicate check, instead of a hash map per entry.
    first_in_entry: Vec<(usize, usize)>,
    /// The previous entry's application names at each place, with their catalogue index.
    looked_up: Vec<(&'m str, Option<usize>)>,
    /// The last release looked up, and whether it is defined.
    release: Option<(&'m str, bool)>,
}

impl EntryApps<'_> {
    pub(super) fn new(matrix: &Matrix) -> Self {
        EntryApps {
            first_in_entry: vec![(usize::MAX, 0); matrix.applications.len()],
            looked_up: Vec::new(),
            release: None,
        }
    }
}

pub(super) fn check_entry_apps<'m>(
    matrix: &'m Matrix,
    e: usize,
    releases: &HashMap<&str, usize>,
    apps: &HashMap<&str, usize>,
    state: &mut EntryApps<'m>,
    out: &mut Vec<MatrixProblem>,
) {
    let EntryApps {
        first_in_entry,
        looked_up,
        release: last_release,
    } = state;
    let entry = &matrix.release_map[e];
    // Applications outside the catalogue (an error already) are the only ones hashed.
    let mut unknown_seen: HashMap<&str, usize> = HashMap::new();
    for (a, version) in entry.apps.iter().enumerate() {
        let at = |field| Subject::EntryApp {
            entry: e,
            app: a,
            field,
        };
        let name = version.application.as_str();
        let index = match looked_up.get(a) {
            Some(&(known, index)) if known == name => index,
            _ => {
                let index = apps.get(name).copied();
                match looked_up.get_mut(a) {
                    Some(slot) => *slot = (name, index),
                    None => looked_up.push((name, index)),
                }
                index
            }
        };
        // Where this entry named the application before, if it did (`first_in_entry` is
        // indexed by the catalogue and stamped with the entry: nothing to clear between them).
        let previous = match index {
            Some(i) => {
                let (stamp, at) = first_in_entry[i];
                if stamp == e {
                    Some(at)
                } else {
                    first_in_entry[i] = (e, a);
                    None
                }
            }
            None => match unknown_seen.get(name) {
                Some(&at) => Some(at),
                None => {
                    unknown_seen.insert(name, a);
                    None
                }
            },
        };
        if let Some(previous) = previous {
            out.push(
                MatrixProblem::new(
                    Code::DuplicateApplication,
                    at(None),
                    format!(
                        "application `{name}` appears twice for release `{}` and deployment `{}`",
                        entry.release, entry.deployment
                    ),
                    "included again here",
                )
                .with_related(
                    Subject::EntryApp {
                        entry: e,
                        app: previous,
                        field: None,
                    },
                    "first included here",
                ),
            );
        }
        let app = index.map(|i| &matrix.applications[i]);
        if app.is_none() {
            out.push(
                MatrixProblem::new(
                    Code::UnknownApplication,
                    at(None),
                    format!("application `{name}` is not in the catalogue"),
                    "unknown application",
                )
                .with_suggestion(name, matrix.applications.iter().map(|a| a.name.as_str())),
            );
        }
        let release = version.release.as_str();
        let defined = match *last_release {
            Some((known, defined)) if known == release => defined,
            _ => {
                let defined = releases.contains_key(release);
                *last_release = Some((release, defined));
                defined
            }
        };
        if !defined {
            out.push(undefined_release(
                matrix,
                version.release.as_str(),
                at(Some(EntryField::Release)),
            ));
        }
        if let Some(branch) = &version.branch {
            out.extend(branch_problem(
                branch.as_str(),
                at(Some(EntryField::Branch)),
            ));
        }
        match &version.origin {
            Some(origin) => {
                out.extend(repository_problem(
                    origin.as_str(),
                    at(Some(EntryField::Origin)),
                ));
            }
            None => {
                if let Some(app) = app.filter(|app| app.repository.is_none()) {
                    out.push(
                        MatrixProblem::new(
                            Code::EmptyOrigin,
                            at(None),
                            format!(
                                "application `{}` has no repository and this entry names no `origin`",
                                app.name
                            ),
                            "no repository to build from",
                        )
                        .with_help("set `origin` on the entry, or `repository` in the catalogue"),
                    );
                }
            }
        }
        if let Some(runtime) = &version.runtime {
            out.extend(runtime_problem(
                runtime.as_str(),
                at(Some(EntryField::Runtime)),
                "runtime",
            ));
        }
        if let Some(commands) = &version.translations {
            if app.is_some_and(|app| app.kind == AppKind::Ida) {
                out.push(MatrixProblem::new(
                    Code::TranslationsOnIda,
                    at(None),
                    format!("`{name}` is an IDA; its translation commands are never run"),
                    "translations on an IDA",
                ));
            }
            for (i, command) in commands.iter().enumerate() {
                let why = if command.trim().is_empty() {
                    Some("empty")
                } else {
                    crate::names::text_problem(command)
                };
                if let Some(why) = why {
                    out.push(MatrixProblem::new(
                        Code::InvalidCommand,
                        at(Some(EntryField::Translation(i))),
                        format!("invalid translation command `{}`", command.escape_debug()),
                        why,
                    ));
                }
            }
        }
        for (i, (key, _)) in version.extra.iter().enumerate() {
            if let Some(why) = crate::extra::name_problem(key) {
                out.push(
                    MatrixProblem::new(
                        Code::InvalidExtra,
                        at(Some(EntryField::Extra(i))),
                        format!("invalid extra value name: {why}"),
                        "not a name an extra value can have",
                    )
                    .with_help(
                        "an extra value comes back out of `export python` as a keyword argument: name it like one (`branding`), unlike the entry's own fields",
                    ),
                );
            }
        }
    }
}
