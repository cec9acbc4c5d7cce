//! Semantic checks of a matrix: every problem at once, each pointing at what it is about.
//!
//! Problems name their subject by position in the [`Matrix`] ([`Subject`]); the loader that read
//! the matrix turns that into a file location (TOML line and column, or a JSON path).

use crate::code::{Code, Severity};
use crate::matrix::{AppKind, Matrix};
use crate::names::{is_valid_mfe_path, is_valid_name, is_valid_runtime};
use crate::order::compare_releases;
use crate::refname::branch_name_problem;
use crate::suggest::did_you_mean;
use crate::url::repository_url_problem;
use std::collections::{HashMap, HashSet};

/// A field of a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseField {
    /// `branch`
    Branch,
    /// `python`
    Python,
    /// `node`
    Node,
}

/// A field of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AppField {
    /// `kind`
    Kind,
    /// `repository`
    Repository,
    /// `path`
    Path,
}

/// A field of an application version in a release-map entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryField {
    /// The entry's own `release`.
    Release,
    /// `branch`
    Branch,
    /// `origin`
    Origin,
    /// `runtime`
    Runtime,
    /// `translations`, the command at this index.
    Translation(usize),
}

/// What a problem is about, by position in the [`Matrix`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The matrix as a whole.
    Matrix,
    /// The `index`th name in the stage order.
    StageOrder {
        /// Position in [`Matrix::stages`].
        index: usize,
    },
    /// A release, or one of its fields.
    Release {
        /// Position in [`Matrix::releases`].
        index: usize,
        /// The field, or `None` for the release's name.
        field: Option<ReleaseField>,
    },
    /// An application, or one of its fields.
    Application {
        /// Position in [`Matrix::applications`].
        index: usize,
        /// The field, or `None` for the application's name.
        field: Option<AppField>,
    },
    /// A deployment's name.
    Deployment {
        /// Position in [`Matrix::deployments`].
        index: usize,
    },
    /// A stage of a deployment: its name, or (with `release`) the release it pins.
    Stage {
        /// Position in [`Matrix::deployments`].
        deployment: usize,
        /// Position in that deployment's stages.
        index: usize,
        /// `true` for the pinned release value, `false` for the stage name.
        release: bool,
    },
    /// A release-map entry as a whole.
    Entry {
        /// Position in [`Matrix::release_map`].
        index: usize,
    },
    /// An application version in a release-map entry, or one of its fields.
    EntryApp {
        /// Position in [`Matrix::release_map`].
        entry: usize,
        /// Position in that entry's apps.
        app: usize,
        /// The field, or `None` for the application name.
        field: Option<EntryField>,
    },
}

/// A secondary location for a problem ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub at: Subject,
    /// What the reader should see there.
    pub label: String,
}

/// One problem found in a matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixProblem {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, one line, lowercase, names in backticks.
    pub message: String,
    /// What it is about.
    pub at: Subject,
    /// The label shown at the subject.
    pub label: String,
    /// Other places worth showing.
    pub related: Vec<Related>,
    /// Hints such as "did you mean `ulmo`?".
    pub help: Vec<String>,
}

impl MatrixProblem {
    /// Returns a problem with the code's default severity.
    pub fn new(
        code: Code,
        at: Subject,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        MatrixProblem {
            code,
            severity: code.default_severity(),
            message: message.into(),
            at,
            label: label.into(),
            related: Vec::new(),
            help: Vec::new(),
        }
    }

    /// Adds a secondary location.
    pub fn with_related(mut self, at: Subject, label: impl Into<String>) -> Self {
        self.related.push(Related {
            at,
            label: label.into(),
        });
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    fn with_suggestion<'a>(
        self,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match did_you_mean(name, candidates) {
            Some(s) => self.with_help(format!("did you mean `{s}`?")),
            None => self,
        }
    }
}

/// Checks `matrix` and returns every problem, errors and warnings, in a stable order.
pub fn check(matrix: &Matrix) -> Vec<MatrixProblem> {
    let mut out = Vec::new();
    let stages = check_stage_order(matrix, &mut out);
    let releases = check_releases(matrix, &mut out);
    let apps = check_applications(matrix, &mut out);
    let deployments = check_deployments(matrix, &stages, &releases, &mut out);
    check_release_map(matrix, &releases, &apps, &deployments, &mut out);
    out
}

/// Returns the first position of every name, reporting invalid and duplicate names.
fn unique_names<'m>(
    names: impl Iterator<Item = &'m str>,
    what: &str,
    at: impl Fn(usize) -> Subject,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let mut first = HashMap::new();
    for (i, name) in names.enumerate() {
        if !is_valid_name(name) {
            out.push(
                MatrixProblem::new(
                    Code::InvalidName,
                    at(i),
                    format!("invalid {what} name `{name}`"),
                    "not a valid name",
                )
                .with_help("names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`"),
            );
        }
        if let Some(&previous) = first.get(name) {
            out.push(
                MatrixProblem::new(
                    Code::DuplicateName,
                    at(i),
                    format!("{what} `{name}` is defined twice"),
                    "defined again here",
                )
                .with_related(at(previous), "first defined here"),
            );
        } else {
            first.insert(name, i);
        }
    }
    first
}

fn check_stage_order<'m>(
    matrix: &'m Matrix,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    unique_names(
        matrix.stages.iter().map(|s| s.as_str()),
        "stage",
        |index| Subject::StageOrder { index },
        out,
    )
}

fn runtime_problem(value: &str, at: Subject, what: &str) -> Option<MatrixProblem> {
    (!is_valid_runtime(value)).then(|| {
        MatrixProblem::new(
            Code::InvalidRuntime,
            at,
            format!("invalid {what} version `{value}`"),
            "not a valid version",
        )
        .with_help("a version is letters, digits and `. - _ +`, such as `3.12` or `24`")
    })
}

fn branch_problem(value: &str, at: Subject) -> Option<MatrixProblem> {
    if let Some(why) = branch_name_problem(value) {
        return Some(MatrixProblem::new(
            Code::InvalidBranch,
            at,
            format!("invalid branch name `{}`", value.escape_debug()),
            why,
        ));
    }
    let meta = crate::names::shell_metacharacters(value);
    (!meta.is_empty()).then(|| {
        let list: Vec<String> = meta.iter().map(|c| format!("`{c}`")).collect();
        MatrixProblem::new(
            Code::BranchShellMetacharacter,
            at,
            format!(
                "branch name `{}` has shell metacharacters: {}",
                value.escape_debug(),
                list.join(" ")
            ),
            "git allows it; scripts that use the branch may not",
        )
        .with_help("rename the branch, or silence this with `branch-shell-metacharacter = \"allow\"` in `[lints]`")
    })
}

/// Checks a repository or origin URL: an invalid one, else one with a credential. Messages
/// show the URL with its credential redacted.
fn repository_problem(value: &str, at: Subject) -> Option<MatrixProblem> {
    let shown = crate::url::redact_url(value);
    if let Some(why) = repository_url_problem(value) {
        return Some(MatrixProblem::new(
            Code::InvalidRepository,
            at,
            format!("invalid repository URL `{}`", shown.escape_debug()),
            why,
        ));
    }
    crate::url::url_credentials(value).then(|| {
        MatrixProblem::new(
            Code::UrlCredentials,
            at,
            format!("repository URL `{shown}` has a credential in it"),
            "a credential in the matrix file",
        )
        .with_help("use a credential helper, an SSH key or a deploy token outside the file; `url-credentials = \"warn\"` in `[lints]` accepts it (for file:// or private setups)")
    })
}

fn check_releases<'m>(matrix: &'m Matrix, out: &mut Vec<MatrixProblem>) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.releases.iter().map(|r| r.name.as_str()),
        "release",
        |index| Subject::Release { index, field: None },
        out,
    );
    for (index, release) in matrix.releases.iter().enumerate() {
        let at = |field| Subject::Release {
            index,
            field: Some(field),
        };
        out.extend(branch_problem(
            release.branch.as_str(),
            at(ReleaseField::Branch),
        ));
        if let Some(python) = &release.python {
            out.extend(runtime_problem(
                python.as_str(),
                at(ReleaseField::Python),
                "Python",
            ));
        }
        if let Some(node) = &release.node {
            out.extend(runtime_problem(
                node.as_str(),
                at(ReleaseField::Node),
                "Node",
            ));
        }
    }
    names
}

fn check_applications<'m>(
    matrix: &'m Matrix,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.applications.iter().map(|a| a.name.as_str()),
        "application",
        |index| Subject::Application { index, field: None },
        out,
    );
    for (index, app) in matrix.applications.iter().enumerate() {
        let at = |field| Subject::Application { index, field };
        if let Some(repository) = &app.repository {
            out.extend(repository_problem(
                repository.as_str(),
                at(Some(AppField::Repository)),
            ));
        }
        match (app.kind, &app.path) {
            (AppKind::Mfe, None) => out.push(
                MatrixProblem::new(
                    Code::MfeWithoutPath,
                    at(None),
                    format!("MFE `{}` has no path", app.name),
                    "no `path`: its rows carry none",
                )
                .with_help("an MFE is served under a URL path segment, e.g. `path = \"learn\"`"),
            ),
            (AppKind::Ida, Some(path)) => out.push(MatrixProblem::new(
                Code::PathOnIda,
                at(Some(AppField::Path)),
                format!("IDA `{}` has an MFE path `{path}`", app.name),
                "only MFEs have a path",
            )),
            (AppKind::Mfe, Some(path)) if !is_valid_mfe_path(path.as_str()) => out.push(
                MatrixProblem::new(
                    Code::InvalidPath,
                    at(Some(AppField::Path)),
                    format!("invalid MFE path `{}`", path.as_str().escape_debug()),
                    "not a single URL path segment",
                )
                .with_help("a path is letters, digits, `-`, `_` and `.`, such as `learn`"),
            ),
            _ => {}
        }
    }
    names
}

fn check_deployments<'m>(
    matrix: &'m Matrix,
    stage_order: &HashMap<&str, usize>,
    releases: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.deployments.iter().map(|d| d.name.as_str()),
        "deployment",
        |index| Subject::Deployment { index },
        out,
    );
    for (d, deployment) in matrix.deployments.iter().enumerate() {
        if deployment.stages.is_empty() {
            out.push(MatrixProblem::new(
                Code::EmptyDeployment,
                Subject::Deployment { index: d },
                format!("deployment `{}` has no stages", deployment.name),
                "no stages",
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (s, pin) in deployment.stages.iter().enumerate() {
            let stage_at = Subject::Stage {
                deployment: d,
                index: s,
                release: false,
            };
            if let Some(&previous) = seen.get(pin.stage.as_str()) {
                out.push(
                    MatrixProblem::new(
                        Code::DuplicateName,
                        stage_at,
                        format!(
                            "deployment `{}` lists stage `{}` twice",
                            deployment.name, pin.stage
                        ),
                        "listed again here",
                    )
                    .with_related(
                        Subject::Stage {
                            deployment: d,
                            index: previous,
                            release: false,
                        },
                        "first listed here",
                    ),
                );
            } else {
                seen.insert(pin.stage.as_str(), s);
            }
            if !stage_order.contains_key(pin.stage.as_str()) {
                out.push(
                    MatrixProblem::new(
                        Code::UndefinedStage,
                        stage_at,
                        format!("stage `{}` is not in the stage order", pin.stage),
                        "unknown stage",
                    )
                    .with_suggestion(pin.stage.as_str(), matrix.stages.iter().map(|s| s.as_str()))
                    .with_help(format!(
                        "the stage order is {}",
                        list(matrix.stages.iter().map(|s| s.as_str()))
                    )),
                );
            }
            if !releases.contains_key(pin.release.as_str()) {
                out.push(undefined_release(
                    matrix,
                    pin.release.as_str(),
                    Subject::Stage {
                        deployment: d,
                        index: s,
                        release: true,
                    },
                ));
            }
        }
        check_promotion_order(matrix, d, stage_order, releases, out);
    }
    names
}

fn check_promotion_order(
    matrix: &Matrix,
    d: usize,
    stage_order: &HashMap<&str, usize>,
    releases: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let deployment = &matrix.deployments[d];
    // Stages sorted by promotion order; unknown stages and releases are reported elsewhere.
    let mut pins: Vec<(usize, usize, &crate::matrix::Release)> = deployment
        .stages
        .iter()
        .enumerate()
        .filter_map(|(s, pin)| {
            let order = *stage_order.get(pin.stage.as_str())?;
            let release = &matrix.releases[*releases.get(pin.release.as_str())?];
            Some((order, s, release))
        })
        .collect();
    pins.sort_by_key(|(order, s, _)| (*order, *s));
    for pair in pins.windows(2) {
        let (_, earlier, earlier_release) = pair[0];
        let (_, later, later_release) = pair[1];
        if compare_releases(later_release, earlier_release) == std::cmp::Ordering::Greater {
            let earlier_pin = &deployment.stages[earlier];
            let later_pin = &deployment.stages[later];
            out.push(
                MatrixProblem::new(
                    Code::PromotionOrder,
                    Subject::Stage {
                        deployment: d,
                        index: later,
                        release: true,
                    },
                    format!(
                        "stage `{}` of `{}` runs `{}`, newer than `{}` on the earlier stage `{}`",
                        later_pin.stage,
                        deployment.name,
                        later_pin.release,
                        earlier_pin.release,
                        earlier_pin.stage
                    ),
                    "newer than the stage before it",
                )
                .with_related(
                    Subject::Stage {
                        deployment: d,
                        index: earlier,
                        release: true,
                    },
                    "earlier stage",
                )
                .with_help("releases are promoted from earlier to later stages; promote instead of skipping ahead"),
            );
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if quoted.is_empty() {
        "empty".to_owned()
    } else {
        quoted.join(", ")
    }
}

fn undefined_release(matrix: &Matrix, name: &str, at: Subject) -> MatrixProblem {
    MatrixProblem::new(
        Code::UndefinedRelease,
        at,
        format!("release `{name}` is not defined"),
        "undefined release",
    )
    .with_suggestion(name, matrix.releases.iter().map(|r| r.name.as_str()))
}

fn check_release_map(
    matrix: &Matrix,
    releases: &HashMap<&str, usize>,
    apps: &HashMap<&str, usize>,
    deployments: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let mut entries: HashMap<(&str, &str), usize> =
        HashMap::with_capacity(matrix.release_map.len());
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let entry_at = Subject::Entry { index: e };
        let key = (entry.release.as_str(), entry.deployment.as_str());
        if let Some(&previous) = entries.get(&key) {
            out.push(
                MatrixProblem::new(
                    Code::DuplicateEntry,
                    entry_at,
                    format!(
                        "release `{}` has two entries for deployment `{}`",
                        entry.release, entry.deployment
                    ),
                    "second entry",
                )
                .with_related(Subject::Entry { index: previous }, "first entry"),
            );
        } else {
            entries.insert(key, e);
        }
        if !releases.contains_key(entry.release.as_str()) {
            out.push(undefined_release(matrix, entry.release.as_str(), entry_at));
        }
        if !deployments.contains_key(entry.deployment.as_str()) {
            out.push(
                MatrixProblem::new(
                    Code::UndefinedDeployment,
                    entry_at,
                    format!("deployment `{}` is not defined", entry.deployment),
                    "undefined deployment",
                )
                .with_suggestion(
                    entry.deployment.as_str(),
                    matrix.deployments.iter().map(|d| d.name.as_str()),
                ),
            );
        }
        if entry.apps.is_empty() {
            out.push(MatrixProblem::new(
                Code::EmptyEntry,
                entry_at,
                format!(
                    "the entry for release `{}` and deployment `{}` has no applications",
                    entry.release, entry.deployment
                ),
                "no applications",
            ));
        }
        check_entry_apps(matrix, e, releases, apps, out);
    }
    check_entries_used(matrix, releases, deployments, &entries, out);
}

fn check_entry_apps(
    matrix: &Matrix,
    e: usize,
    releases: &HashMap<&str, usize>,
    apps: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let entry = &matrix.release_map[e];
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entry.apps.len());
    for (a, version) in entry.apps.iter().enumerate() {
        let at = |field| Subject::EntryApp {
            entry: e,
            app: a,
            field,
        };
        let name = version.application.as_str();
        if let Some(&previous) = seen.get(name) {
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
        } else {
            seen.insert(name, a);
        }
        let app = apps.get(name).map(|&i| &matrix.applications[i]);
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
        if !releases.contains_key(version.release.as_str()) {
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
    }
}

fn check_entries_used(
    matrix: &Matrix,
    releases: &HashMap<&str, usize>,
    deployments: &HashMap<&str, usize>,
    entries: &HashMap<(&str, &str), usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let mut used_pairs: HashSet<(&str, &str)> = HashSet::new();
    let mut used_releases: HashSet<&str> = HashSet::new();
    for (d, deployment) in matrix.deployments.iter().enumerate() {
        for (s, pin) in deployment.stages.iter().enumerate() {
            let key = (pin.release.as_str(), deployment.name.as_str());
            used_pairs.insert(key);
            used_releases.insert(pin.release.as_str());
            if releases.contains_key(pin.release.as_str()) && !entries.contains_key(&key) {
                out.push(
                    MatrixProblem::new(
                        Code::MissingEntry,
                        Subject::Stage {
                            deployment: d,
                            index: s,
                            release: true,
                        },
                        format!(
                            "stage `{}` of `{}` runs `{}`, but the release map has no entry for release `{}` and deployment `{}`",
                            pin.stage, deployment.name, pin.release, pin.release, deployment.name
                        ),
                        "no release-map entry for this",
                    )
                    .with_help(format!(
                        "add a release-map block covering release `{}` and deployment `{}`",
                        pin.release, deployment.name
                    )),
                );
            }
        }
    }
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let key = (entry.release.as_str(), entry.deployment.as_str());
        // An entry for an undefined release or deployment is reported as such, not as unused.
        let defined = releases.contains_key(key.0) && deployments.contains_key(key.1);
        if defined && entries.get(&key) == Some(&e) && !used_pairs.contains(&key) {
            out.push(
                MatrixProblem::new(
                    Code::UnusedEntry,
                    Subject::Entry { index: e },
                    format!(
                        "no stage of `{}` runs `{}`: this release-map entry is unused",
                        entry.deployment, entry.release
                    ),
                    "unused entry",
                )
                .with_help("remove it, or keep it while a stage is about to run it"),
            );
        }
    }
    for (r, release) in matrix.releases.iter().enumerate() {
        if releases.get(release.name.as_str()) == Some(&r)
            && !used_releases.contains(release.name.as_str())
        {
            out.push(
                MatrixProblem::new(
                    Code::UnusedRelease,
                    Subject::Release {
                        index: r,
                        field: None,
                    },
                    format!(
                        "no stage runs release `{}`: it can be retired",
                        release.name
                    ),
                    "unused release",
                )
                .with_help(format!(
                    "retire it with `edx-matrix release retire {}`",
                    release.name
                )),
            );
        }
    }
}
